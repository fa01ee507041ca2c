/* poll_ref.c - the reference for bench/poll.py: a bare libmicrohttpd server
 * with the daemon flags and options src/http/server.c starts with (internal
 * polling thread with epoll, a pool of threads, the same timeout, limits of
 * connections and memory per connection), answering every request with the
 * bytes of one file, as JSON, copied into each reply as our server does.
 * What it serves is what the HTTP library allows on this machine; poll.py
 * measures the authenticated poll against it in the same run.
 *
 *     poll_ref PORT BODY_FILE THREADS
 *
 * Port 0 picks a free one; the first line it prints names the port. */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *body;
static size_t body_len;

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_size;
    if (*state == NULL) { /* the headers: answer once the (empty) body is in */
        *state = (void *)1;
        return MHD_YES;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result rc = MHD_queue_response(conn, 200, resp);
    MHD_destroy_response(resp);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: poll_ref PORT BODY_FILE THREADS\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0)
        return 1;
    body_len = (size_t)ftell(f);
    rewind(f);
    body = malloc(body_len + 1);
    if (body == NULL || fread(body, 1, body_len, f) != body_len)
        return 1;
    fclose(f);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)atoi(argv[1]), NULL, NULL, on_access, NULL, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)atoi(argv[3]), MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT,
        4096u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "poll_ref: cannot listen on port %s\n", argv[1]);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on %u\n", info ? (unsigned)info->port : 0u);
    fflush(stdout);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    free(body);
    return 0;
}

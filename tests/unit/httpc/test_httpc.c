/* test_httpc.c - unit tests for src/httpc: URL checks and origins, the
 * JSON reader, and real requests to a scripted HTTP server on a loopback
 * port started inside the test (one scripted answer per connection): JSON
 * and multipart bodies, the bearer key and extra header lines, statuses,
 * redirects not followed, time limits, size bounds, the address policy
 * (refusing before any connection), retries with backoff and Retry-After,
 * the attempt bound, the deadline and cancellation. Only loopback
 * addresses are ever contacted. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "httpc/httpc.h"
#include "httpc/json.h"
#include "httpc/retry.h"
#include "httpc/url.h"

#define KEY "sk-test-9f8e7d6c5b4a"
#define SECRET_BODY "patient Ali Veli has a mass"

static void init(void)
{
    cr_assert_eq(httpc_global_init(), RA_OK);
}

static void fini(void)
{
    httpc_global_cleanup();
}

TestSuite(httpc_url, .init = init, .fini = fini);
TestSuite(httpc_json, .init = init, .fini = fini);
TestSuite(httpc_post, .init = init, .fini = fini);
TestSuite(httpc_retry, .init = init, .fini = fini);
TestSuite(httpc_policy, .init = init, .fini = fini);

/* ---- URLs ------------------------------------------------------------------------ */

static int check(const char *url)
{
    char err[256] = "";
    int rc = httpc_check_url(url, err, sizeof err);
    if (rc != RA_OK)
        cr_assert(err[0] != '\0', "no sentence for %s", url);
    return rc;
}

Test(httpc_url, http_and_https_urls_with_a_host_pass)
{
    const char *ok[] = {"http://127.0.0.1:8080", "https://whisper.hastane.local/v1",
                        "http://[::1]:9000/", "https://api.openai.com/v1/", NULL};
    for (int i = 0; ok[i]; i++)
        cr_assert_eq(check(ok[i]), RA_OK, "%s", ok[i]);
}

Test(httpc_url, other_urls_are_refused_without_echoing_them)
{
    const char *bad[] = {"",
                         "ftp://host/",
                         "whisper.local",
                         "http://",
                         "http:///x",
                         "http://user:pw@host/",
                         "http://host/#frag",
                         "http://ho st/",
                         "http://hast\xc3\xa4ne/",
                         "file:///etc/passwd",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        char err[256] = "";
        cr_assert_eq(httpc_check_url(bad[i], err, sizeof err), RA_ERR_INVALID, "%s", bad[i]);
        cr_assert_null(strstr(err, "pw@"), "%s", err);
    }
    cr_assert_eq(httpc_check_url(NULL, NULL, 0), RA_ERR_INVALID);
}

Test(httpc_url, the_origin_leaves_out_path_query_and_credentials)
{
    char o[128];
    httpc_url_origin("https://whisper.local:8443/v1/audio?api-key=secret", o, sizeof o);
    cr_assert_str_eq(o, "https://whisper.local:8443");
    httpc_url_origin("http://127.0.0.1/v1", o, sizeof o);
    cr_assert_str_eq(o, "http://127.0.0.1");
    httpc_url_origin("not a url", o, sizeof o);
    cr_assert_str_eq(o, "?");
    httpc_url_origin(NULL, o, sizeof o);
    cr_assert_str_eq(o, "?");
}

/* ---- JSON ------------------------------------------------------------------------ */

static int jstr(const char *json, const char *path, char **out)
{
    return httpc_json_string(json, strlen(json), path, out);
}

Test(httpc_json, strings_are_found_by_path)
{
    char *s = NULL;
    cr_assert_eq(jstr("{\"text\":\"Bulgular: normal.\"}", "text", &s), RA_OK);
    cr_assert_str_eq(s, "Bulgular: normal.");
    free(s);
    const char *chat = "{\"choices\":[{\"message\":{\"role\":\"assistant\","
                       "\"content\":\"{\\\"a\\\":1}\"}}]}";
    cr_assert_eq(jstr(chat, "choices.0.message.content", &s), RA_OK);
    cr_assert_str_eq(s, "{\"a\":1}");
    free(s);
    cr_assert_eq(jstr("{\"text\":\"\\u015f\\u0130\"}", "text", &s), RA_OK);
    cr_assert_str_eq(s, "\xc5\x9f\xc4\xb0");
    free(s);
}

Test(httpc_json, anything_else_is_a_format_error_and_out_is_untouched)
{
    const char *cases[][2] = {
        {"not json", "text"},
        {"{\"text\":1}", "text"},
        {"{\"text\":null}", "text"},
        {"{\"txt\":\"a\"}", "text"},
        {"[\"a\"]", "text"},
        {"{\"choices\":[]}", "choices.0.message"},
        {"{\"text\":\"a\\u0000b\"}", "text"},
        {"{\"a\":{\"b\":\"c\"}}", "a"},
        {"", "text"},
        {"{\"text\":\"a\"} trailing", "text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = (char *)"untouched";
        cr_assert_eq(jstr(cases[i][0], cases[i][1], &s), RA_ERR_FORMAT, "case %zu", i);
        cr_assert_str_eq(s, "untouched");
    }
}

/* ---- a scripted HTTP server on a loopback port ------------------------------------- */

#define MAX_SCRIPT 8
#define REQ_MAX (256 * 1024)

/* What one connection gets: a raw answer, or an answer held back for
 * slow_ms (the client should give up first), or a megabyte of body. */
typedef struct step {
    const char *raw;
    int slow_ms;
    int huge;
} step;

typedef struct server {
    int fd, port;
    step script[MAX_SCRIPT];
    int n_script;  /* the last step repeats */
    int max_conns; /* connections served before the thread ends */
    pthread_t thread;
    int joined;
    atomic_int conns;  /* connections accepted */
    int64_t at_ms[16]; /* when each arrived (monotonic) */
    char *first_req;   /* the first request as received */
    size_t first_len;
} server;

static int listen_loopback(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(fd, 8), 0);
    socklen_t len = sizeof a;
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static int readable(int fd, int ms)
{
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    return poll(&pf, 1, ms) == 1;
}

/* Reads one request (head and Content-Length body) into a new buffer. */
static char *read_request(int c, size_t *len)
{
    char *r = calloc(1, REQ_MAX + 1);
    size_t n = 0;
    while (n < REQ_MAX && readable(c, 5000)) {
        ssize_t k = recv(c, r + n, REQ_MAX - n, 0);
        if (k <= 0)
            break;
        n += (size_t)k;
        r[n] = '\0';
        const char *end = strstr(r, "\r\n\r\n");
        const char *cl = strcasestr(r, "\r\nContent-Length:");
        if (end && cl && (size_t)(r + n - (end + 4)) >= strtoul(cl + 17, NULL, 10))
            break;
    }
    *len = n;
    return r;
}

static void send_all(int c, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = send(c, data, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        data += w;
        n -= (size_t)w;
    }
}

static void serve_step(int c, const step *s)
{
    if (s->slow_ms > 0) {
        char tmp[64];
        if (readable(c, s->slow_ms) && recv(c, tmp, sizeof tmp, 0) == 0)
            return; /* the client gave up */
    }
    if (s->huge) {
        static char chunk[16384];
        memset(chunk, 'x', sizeof chunk);
        const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n";
        send_all(c, head, strlen(head));
        for (int i = 0; i < 64; i++)
            send_all(c, chunk, sizeof chunk);
        return;
    }
    if (s->raw)
        send_all(c, s->raw, strlen(s->raw));
}

static void *server_main(void *arg)
{
    server *s = arg;
    for (int i = 0; i < s->max_conns; i++) {
        if (!readable(s->fd, 8000))
            break;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            break;
        int k = atomic_fetch_add(&s->conns, 1);
        if (k < 16)
            s->at_ms[k] = time_mono_ms();
        size_t len = 0;
        char *req = read_request(c, &len);
        if (k == 0) {
            s->first_req = req;
            s->first_len = len;
        } else {
            free(req);
        }
        serve_step(c, &s->script[k < s->n_script ? k : s->n_script - 1]);
        close(c);
    }
    return NULL;
}

static server *server_start(const step *script, int n, int max_conns)
{
    server *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    memcpy(s->script, script, (size_t)n * sizeof *script);
    s->n_script = n;
    s->max_conns = max_conns;
    s->fd = listen_loopback(&s->port);
    cr_assert_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
    return s;
}

/* Waits for the thread: it ends after max_conns connections, or 8 s
 * without one, or when server_stop shuts the listening socket. */
static void server_join(server *s)
{
    if (!s->joined)
        pthread_join(s->thread, NULL);
    s->joined = 1;
}

static void server_stop(server *s)
{
    shutdown(s->fd, SHUT_RDWR);
    server_join(s);
    close(s->fd);
    free(s->first_req);
    free(s);
}

static void url_of(const server *s, char *out, size_t n)
{
    snprintf(out, n, "http://127.0.0.1:%d/v1/chat/completions?api-key=hidden", s->port);
}

static httpc_request json_request(const char *url)
{
    static const char body[] = "{\"model\":\"m\",\"note\":\"" SECRET_BODY "\"}";
    return (httpc_request){.url = url,
                           .what = "language-model server",
                           .bearer = KEY,
                           .json = body,
                           .json_len = sizeof body - 1,
                           .timeout_ms = 3000};
}

/* No sentence may hold the key, a body or the URL's query. */
static void assert_clean(const char *err)
{
    cr_assert_null(strstr(err, KEY), "key in '%s'", err);
    cr_assert_null(strstr(err, SECRET_BODY), "request body in '%s'", err);
    cr_assert_null(strstr(err, "answer-secret"), "answer body in '%s'", err);
    cr_assert_null(strstr(err, "hidden"), "query in '%s'", err);
}

#define OK_JSON                                                                                    \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "                        \
    "18\r\n\r\n{\"text\":\"merhaba\"}"

/* ---- one attempt ---------------------------------------------------------------------- */

Test(httpc_post, json_with_the_key_and_the_answer_body)
{
    const step ok = {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\n{\"text\":\"merhaba\"}"};
    server *s = server_start(&ok, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(resp.status, 200);
    cr_assert_eq(resp.attempts, 1);
    cr_assert_eq(resp.body_len, 18);
    cr_assert_str_eq(resp.body, "{\"text\":\"merhaba\"}");
    cr_assert_eq(resp.retry_after_s, -1);
    httpc_response_release(&resp);
    cr_assert_null(resp.body);
    server_stop(s);
}

Test(httpc_post, the_request_carries_key_type_and_body)
{
    const step ok = {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"};
    server *s = server_start(&ok, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    httpc_response_release(&resp);
    server_join(s);
    const char *r = s->first_req;
    cr_assert_not_null(r);
    cr_assert(strncmp(r, "POST /v1/chat/completions?api-key=hidden HTTP/1.1\r\n", 51) == 0, "%s",
              r);
    cr_assert_not_null(strstr(r, "\r\nAuthorization: Bearer " KEY "\r\n"), "%s", r);
    cr_assert_not_null(strstr(r, "\r\nContent-Type: application/json\r\n"), "%s", r);
    cr_assert_null(strcasestr(r, "\r\nExpect:"), "%s", r);
    cr_assert_not_null(strstr(r, "\r\n\r\n{\"model\":\"m\",\"note\":\"" SECRET_BODY "\"}"), "%s",
                       r);
    server_stop(s);
}

Test(httpc_post, no_key_no_authorization_header)
{
    const step ok = {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"};
    server *s = server_start(&ok, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    req.bearer = "";
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    httpc_response_release(&resp);
    server_join(s);
    cr_assert_null(strcasestr(s->first_req, "Authorization:"));
    server_stop(s);
}

Test(httpc_post, multipart_parts_with_binary_file_data)
{
    const step ok = {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"};
    server *s = server_start(&ok, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    static const unsigned char wav[] = {'R', 'I', 'F', 'F', 0, 0, 0xff, 0x80, 'W', 'A', 'V', 'E'};
    const httpc_part parts[] = {
        {.name = "file",
         .data = wav,
         .len = sizeof wav,
         .filename = "piece-1.wav",
         .content_type = "audio/wav"},
        {.name = "model", .data = "whisper-1", .len = 9},
        {.name = "prompt", .data = "Beyin BT, parankim", .len = 18},
        {.name = "empty", .data = NULL, .len = 0},
    };
    httpc_request req = {.url = url, .parts = parts, .n_parts = 4, .timeout_ms = 3000};
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    httpc_response_release(&resp);
    server_join(s);
    const char *r = s->first_req;
    size_t n = s->first_len;
#define HAS(lit) (memmem(r, n, lit, sizeof lit - 1) != NULL)
    cr_assert(HAS("\r\nContent-Type: multipart/form-data; boundary="));
    cr_assert(HAS("name=\"file\"; filename=\"piece-1.wav\"\r\nContent-Type: audio/wav\r\n\r\n"));
    const char *riff = memmem(r, n, "RIFF", 4);
    cr_assert_not_null(riff);
    cr_assert_eq(memcmp(riff, wav, sizeof wav), 0, "the file's bytes were changed");
    cr_assert(HAS("name=\"model\"\r\n\r\nwhisper-1\r\n"));
    cr_assert(HAS("name=\"prompt\"\r\n\r\nBeyin BT, parankim\r\n"));
    cr_assert(HAS("name=\"empty\"\r\n\r\n\r\n"));
#undef HAS
    server_stop(s);
}

Test(httpc_post, an_error_status_is_refused_with_a_clean_sentence)
{
    const step st = {.raw = "HTTP/1.1 400 Bad\r\nContent-Length: 13\r\n\r\nanswer-secret"};
    server *s = server_start(&st, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_REFUSED);
    cr_assert_eq(resp.status, 400);
    cr_assert_str_eq(resp.body, "answer-secret"); /* kept for the caller, never printed */
    char want[128];
    snprintf(want, sizeof want,
             "The language-model server at http://127.0.0.1:%d answered HTTP 400.", s->port);
    cr_assert_str_eq(err, want);
    assert_clean(err);
    httpc_response_release(&resp);
    server_stop(s);
}

Test(httpc_post, redirects_are_answers_and_not_followed)
{
    char raw[256];
    server *s = server_start(&(step){.raw = raw}, 1, 2);
    snprintf(raw, sizeof raw,
             "HTTP/1.1 307 Moved\r\nLocation: http://127.0.0.1:%d/elsewhere\r\n"
             "Content-Length: 0\r\n\r\n",
             s->port);
    s->script[0].raw = raw;
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_REFUSED);
    cr_assert_eq(resp.status, 307);
    cr_assert_not_null(strstr(err, "redirects are not followed"), "%s", err);
    cr_assert_not(httpc_retryable(RA_ERR_REFUSED, 307));
    httpc_response_release(&resp);
    usleep(300 * 1000);
    cr_assert_eq(atomic_load(&s->conns), 1, "the redirect was followed");
    server_stop(s);
}

Test(httpc_post, the_time_limit_is_kept)
{
    const step slow = {.slow_ms = 4000, .raw = OK_JSON};
    server *s = server_start(&slow, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    req.timeout_ms = 400;
    httpc_response resp;
    int64_t t0 = time_mono_ms();
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_UNAVAILABLE);
    int64_t took = time_mono_ms() - t0;
    cr_assert(took >= 350 && took < 2500, "took %lld ms", (long long)took);
    cr_assert_eq(resp.timed_out, 1);
    cr_assert_eq(resp.status, 0);
    cr_assert_null(resp.body);
    cr_assert_not_null(strstr(err, "did not answer within 0.4 s"), "%s", err);
    assert_clean(err);
    httpc_response_release(&resp);
    server_stop(s);
}

Test(httpc_post, a_closed_port_is_unavailable)
{
    int port = 0;
    int fd = listen_loopback(&port);
    close(fd); /* nothing listens there now */
    char url[128], err[256] = "";
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/audio/transcriptions", port);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_UNAVAILABLE);
    cr_assert_eq(resp.timed_out, 0);
    cr_assert_not_null(strstr(err, "could not be reached"), "%s", err);
    assert_clean(err);
    httpc_response_release(&resp);
}

Test(httpc_post, a_long_answer_is_too_large)
{
    const step huge = {.huge = 1};
    server *s = server_start(&huge, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    req.max_response = 4096;
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert_null(resp.body);
    cr_assert_not_null(strstr(err, "more than 4096 bytes"), "%s", err);
    httpc_response_release(&resp);
    server_stop(s);
}

Test(httpc_post, bad_requests_are_refused_before_sending)
{
    char err[256];
    httpc_response resp;
    httpc_request req = json_request("http://127.0.0.1:1/");
    req.parts = (const httpc_part[]){{.name = "a", .data = "b", .len = 1}};
    req.n_parts = 1;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_INVALID); /* both bodies */
    req = json_request("ftp://127.0.0.1/");
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_INVALID);
    req = json_request("http://127.0.0.1:1/");
    req.bearer = "two words";
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_INVALID);
    cr_assert_null(strstr(err, "two words"), "%s", err);
    cr_assert_eq(httpc_post(NULL, &resp, err, sizeof err), RA_ERR_INVALID);
}

/* ---- the address policy and extra headers -------------------------------------------- */

/* What the test policies saw. Criterion runs each test in its own
 * process, so a file-scope record is the test's own. */
static struct {
    int calls;
    int loopback_seen; /* an address it was shown was 127.0.0.1 or ::1 */
} seen;

static int is_loopback(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET)
        return ntohl(((const struct sockaddr_in *)(const void *)addr)->sin_addr.s_addr) ==
               INADDR_LOOPBACK;
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr;
    return addr->sa_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(a6);
}

static int refuse_loopback(const struct sockaddr *addr, char *err, size_t errlen)
{
    seen.calls++;
    if (!is_loopback(addr))
        return RA_OK;
    seen.loopback_seen = 1;
    return ra_fail(err, errlen, RA_ERR_REFUSED, "The test policy refuses loopback.");
}

static int allow_any(const struct sockaddr *addr, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    seen.calls++;
    seen.loopback_seen |= is_loopback(addr);
    return RA_OK;
}

Test(httpc_policy, a_refused_address_is_never_connected_to)
{
    /* A loopback listener that must not see a connection: by number, and by
     * a name that resolves to it (the policy judges the resolved address). */
    int port = 0;
    int fd = listen_loopback(&port);
    const char *hosts[] = {"127.0.0.1", "localhost"};
    for (size_t i = 0; i < 2; i++) {
        char url[128], err[256] = "";
        snprintf(url, sizeof url, "http://%s:%d/v1/chat/completions", hosts[i], port);
        httpc_request req = json_request(url);
        req.addr_policy = refuse_loopback;
        httpc_response resp;
        seen.calls = 0;
        cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_REFUSED, "%s", hosts[i]);
        cr_assert_eq(resp.status, 0);
        cr_assert_null(resp.body);
        cr_assert_str_eq(err, "The test policy refuses loopback.");
        cr_assert(seen.calls >= 1 && seen.loopback_seen);
        cr_assert_not(httpc_retryable(RA_ERR_REFUSED, resp.status));
        httpc_response_release(&resp);
    }
    cr_assert_not(readable(fd, 200), "a connection reached the listener");
    close(fd);
}

Test(httpc_policy, without_a_policy_the_same_address_is_reached)
{
    /* The control for the test above: the engines' requests carry no policy. */
    server *s = server_start(&(step){.raw = OK_JSON}, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(resp.status, 200);
    httpc_response_release(&resp);
    server_join(s);
    cr_assert_eq(atomic_load(&s->conns), 1);
    server_stop(s);
}

Test(httpc_policy, an_allowed_address_is_reached_and_was_shown_to_the_policy)
{
    server *s = server_start(&(step){.raw = OK_JSON}, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    req.addr_policy = allow_any;
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(seen.calls, 1);
    cr_assert(seen.loopback_seen);
    httpc_response_release(&resp);
    server_join(s);
    cr_assert_eq(atomic_load(&s->conns), 1);
    server_stop(s);
}

Test(httpc_policy, https_only_refuses_a_plain_http_url_before_sending)
{
    int port = 0;
    int fd = listen_loopback(&port);
    char url[128], err[256] = "";
    snprintf(url, sizeof url, "http://127.0.0.1:%d/cb", port);
    httpc_request req = json_request(url);
    req.https_only = 1;
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(err, "The URL must use https.");
    cr_assert_not(readable(fd, 100));
    close(fd);
}

Test(httpc_post, extra_header_lines_are_sent_and_a_user_agent_line_replaces_ours)
{
    server *s = server_start(&(step){.raw = OK_JSON}, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    const char *headers[] = {"User-Agent: RaportAI-Test/9", "X-RaportAI-Timestamp: 2026-01-02",
                             NULL};
    httpc_request req = json_request(url);
    req.headers = headers;
    httpc_response resp;
    cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_OK, "%s", err);
    httpc_response_release(&resp);
    server_join(s);
    const char *r = s->first_req;
    cr_assert_not_null(strstr(r, "\r\nUser-Agent: RaportAI-Test/9\r\n"), "%s", r);
    cr_assert_null(strstr(r, "RaportAI/1"), "%s", r);
    cr_assert_not_null(strstr(r, "\r\nX-RaportAI-Timestamp: 2026-01-02\r\n"), "%s", r);
    server_stop(s);
}

Test(httpc_post, a_header_line_that_could_split_the_request_is_refused)
{
    const char *bad[][2] = {{"X-A: 1\r\nX-Evil: 2", NULL},
                            {"no colon", NULL},
                            {": no name", NULL},
                            {"X-Tab:\tvalue", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        httpc_request req = json_request("http://127.0.0.1:1/");
        req.headers = bad[i];
        httpc_response resp;
        cr_assert_eq(httpc_post(&req, &resp, err, sizeof err), RA_ERR_INVALID, "case %zu", i);
        cr_assert_null(strstr(err, "Evil"), "%s", err);
    }
}

/* ---- retries ------------------------------------------------------------------------ */

Test(httpc_retry, retryable_outcomes)
{
    cr_assert(httpc_retryable(RA_ERR_UNAVAILABLE, 0));
    const long yes[] = {408, 429, 500, 502, 503, 504, 599};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_assert(httpc_retryable(RA_ERR_REFUSED, yes[i]), "%ld", yes[i]);
    const long no[] = {300, 302, 400, 401, 403, 404, 413, 422, 501, 505};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_assert_not(httpc_retryable(RA_ERR_REFUSED, no[i]), "%ld", no[i]);
    cr_assert_not(httpc_retryable(RA_OK, 200));
    cr_assert_not(httpc_retryable(RA_ERR_TOO_LARGE, 200));
    cr_assert_not(httpc_retryable(RA_ERR_CANCELLED, 0));
}

Test(httpc_retry, a_429_with_retry_after_then_a_503_then_success)
{
    const step script[] = {
        {.raw = "HTTP/1.1 429 Slow down\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n"},
        {.raw = "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"},
        {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\n{\"text\":\"merhaba\"}"},
    };
    server *s = server_start(script, 3, 3);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_retry_policy p = {.max_attempts = 4, .base_delay_ms = 100, .max_delay_ms = 5000};
    httpc_response resp;
    cr_assert_eq(httpc_post_retry(&req, &p, &resp, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(resp.attempts, 3);
    cr_assert_eq(resp.status, 200);
    cr_assert_str_eq(resp.body, "{\"text\":\"merhaba\"}");
    httpc_response_release(&resp);
    server_join(s);
    cr_assert_eq(atomic_load(&s->conns), 3);
    int64_t first_wait = s->at_ms[1] - s->at_ms[0], second_wait = s->at_ms[2] - s->at_ms[1];
    cr_assert(first_wait >= 950, "Retry-After: 1 not honoured (%lld ms)", (long long)first_wait);
    /* the second wait is the backoff's: 200 ms +-20% */
    cr_assert(second_wait >= 150 && second_wait < 900, "%lld ms", (long long)second_wait);
    server_stop(s);
}

Test(httpc_retry, a_server_that_stays_down_is_given_up_after_the_attempts)
{
    const step st = {.raw = "HTTP/1.1 500 Oops\r\nContent-Length: 13\r\n\r\nanswer-secret"};
    server *s = server_start(&st, 1, 3);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_retry_policy p = {.max_attempts = 3, .base_delay_ms = 50, .max_delay_ms = 1000};
    httpc_response resp;
    cr_assert_eq(httpc_post_retry(&req, &p, &resp, err, sizeof err), RA_ERR_UNAVAILABLE);
    cr_assert_eq(resp.attempts, 3);
    cr_assert_eq(resp.status, 500);
    cr_assert_not_null(strstr(err, "answered HTTP 500. Gave up after 3 attempts in"), "%s", err);
    assert_clean(err);
    httpc_response_release(&resp);
    server_join(s);
    cr_assert_eq(atomic_load(&s->conns), 3);
    server_stop(s);
}

Test(httpc_retry, a_client_error_is_not_retried)
{
    const step st = {.raw = "HTTP/1.1 401 No\r\nContent-Length: 0\r\n\r\n"};
    server *s = server_start(&st, 1, 2);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_response resp;
    cr_assert_eq(httpc_post_retry(&req, NULL, &resp, err, sizeof err), RA_ERR_REFUSED);
    cr_assert_eq(resp.attempts, 1);
    cr_assert_eq(resp.status, 401);
    httpc_response_release(&resp);
    usleep(200 * 1000);
    cr_assert_eq(atomic_load(&s->conns), 1);
    server_stop(s);
}

Test(httpc_retry, timeouts_are_retried_then_given_up)
{
    const step slow = {.slow_ms = 3000, .raw = OK_JSON};
    server *s = server_start(&slow, 1, 2);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    req.timeout_ms = 300;
    httpc_retry_policy p = {.max_attempts = 2, .base_delay_ms = 50};
    httpc_response resp;
    cr_assert_eq(httpc_post_retry(&req, &p, &resp, err, sizeof err), RA_ERR_UNAVAILABLE);
    cr_assert_eq(resp.attempts, 2);
    cr_assert_eq(resp.timed_out, 1);
    cr_assert_not_null(strstr(err, "did not answer within 0.3 s. Gave up after 2 attempts"), "%s",
                       err);
    httpc_response_release(&resp);
    server_stop(s);
}

Test(httpc_retry, the_deadline_bounds_the_whole_call)
{
    /* Retry-After asks for 30 s; the deadline of 1.5 s allows no such wait. */
    const step st = {.raw = "HTTP/1.1 503 Busy\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n"};
    server *s = server_start(&st, 1, 4);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_retry_policy p = {
        .max_attempts = 10, .base_delay_ms = 100, .max_delay_ms = 60000, .deadline_ms = 1500};
    httpc_response resp;
    int64_t t0 = time_mono_ms();
    cr_assert_eq(httpc_post_retry(&req, &p, &resp, err, sizeof err), RA_ERR_UNAVAILABLE);
    cr_assert(time_mono_ms() - t0 < 1500);
    cr_assert_eq(resp.attempts, 1);
    cr_assert_eq(resp.retry_after_s, 30);
    httpc_response_release(&resp);
    server_stop(s);
}

Test(httpc_retry, retry_after_is_capped_by_the_longest_wait)
{
    const step script[] = {
        {.raw = "HTTP/1.1 429 Slow\r\nRetry-After: 3600\r\nContent-Length: 0\r\n\r\n"},
        {.raw = OK_JSON},
    };
    server *s = server_start(script, 2, 2);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    httpc_request req = json_request(url);
    httpc_retry_policy p = {.max_attempts = 2, .base_delay_ms = 100, .max_delay_ms = 600};
    httpc_response resp;
    int64_t t0 = time_mono_ms();
    cr_assert_eq(httpc_post_retry(&req, &p, &resp, err, sizeof err), RA_OK, "%s", err);
    int64_t took = time_mono_ms() - t0;
    cr_assert(took >= 550 && took < 3000, "took %lld ms", (long long)took);
    httpc_response_release(&resp);
    server_stop(s);
}

static void *cancel_later(void *arg)
{
    usleep(300 * 1000);
    atomic_store((atomic_int *)arg, 1);
    return NULL;
}

Test(httpc_retry, cancelling_stops_a_request_in_flight)
{
    const step slow = {.slow_ms = 5000, .raw = OK_JSON};
    server *s = server_start(&slow, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    atomic_int cancel = 0;
    httpc_request req = json_request(url);
    req.timeout_ms = 10000;
    req.cancel = &cancel;
    pthread_t t;
    pthread_create(&t, NULL, cancel_later, &cancel);
    httpc_response resp;
    int64_t t0 = time_mono_ms();
    cr_assert_eq(httpc_post_retry(&req, NULL, &resp, err, sizeof err), RA_ERR_CANCELLED);
    cr_assert(time_mono_ms() - t0 < 3000);
    cr_assert_not_null(strstr(err, "was cancelled"), "%s", err);
    pthread_join(t, NULL);
    httpc_response_release(&resp);
    server_stop(s);
}

Test(httpc_retry, cancelling_stops_the_wait_between_attempts)
{
    const step st = {.raw = "HTTP/1.1 503 Busy\r\nRetry-After: 20\r\nContent-Length: 0\r\n\r\n"};
    server *s = server_start(&st, 1, 1);
    char url[128], err[256] = "";
    url_of(s, url, sizeof url);
    atomic_int cancel = 0;
    httpc_request req = json_request(url);
    req.cancel = &cancel;
    pthread_t t;
    pthread_create(&t, NULL, cancel_later, &cancel);
    httpc_retry_policy p = {.max_attempts = 3, .max_delay_ms = 30000};
    httpc_response resp;
    int64_t t0 = time_mono_ms();
    cr_assert_eq(httpc_post_retry(&req, &p, &resp, err, sizeof err), RA_ERR_CANCELLED);
    cr_assert(time_mono_ms() - t0 < 3000);
    cr_assert_eq(resp.attempts, 1);
    pthread_join(t, NULL);
    httpc_response_release(&resp);
    server_stop(s);
}

/* serve.c - `raportai serve`: opens the data directory, loads the template
 * library, starts the HTTP server and runs until SIGINT or SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/ratelimit.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"
#include "http/http.h"
#include "report/templates.h"

enum {
    OPT_DATA, OPT_SHARE, OPT_LISTEN, OPT_RATE_LIMIT, OPT_THREADS, OPT_TIMEOUT,
    OPT_MAX_CONN, OPT_PER_IP, OPT_LOG_LEVEL, N_OPTS
};

static const opt_spec serve_opts[N_OPTS] = {
    CLI_DATA_OPTS,
    {"listen", "RAPORTAI_LISTEN", "127.0.0.1:8080", "ADDR:PORT",
     "address to listen on ([::1]:8080 for IPv6; port 0 picks a free one)", 0},
    {"rate-limit", "RAPORTAI_RATE_LIMIT", "60", "N",
     "External API requests per rolling minute per API key", 0},
    {"http-threads", "RAPORTAI_HTTP_THREADS", "4", "N", "HTTP server threads", 0},
    {"connection-timeout", "RAPORTAI_CONNECTION_TIMEOUT", "30", "SECONDS",
     "close connections idle this long", 0},
    {"max-connections", "RAPORTAI_MAX_CONNECTIONS", "512", "N", "open connections in all", 0},
    {"per-ip-connections", "RAPORTAI_PER_IP_CONNECTIONS", "64", "N",
     "open connections from one address", 0},
    {"log-level", "RAPORTAI_LOG_LEVEL", "info", "LEVEL", "debug, info, warn or error", 0},
};

static const char serve_usage[] =
    "usage: raportai serve [OPTIONS]\n\n"
    "Runs the HTTP server: the External API v1 under /api/external/v1 and /healthz.";

typedef struct serve_settings {
    int64_t     rate_limit, threads, timeout, max_conn, per_ip;
    log_level   level;
} serve_settings;

/* Checks the numeric options; prints the first bad one. */
static int read_settings(const char **v, serve_settings *out)
{
    static const struct {
        int      opt;
        int64_t  min, max;
        size_t   offset;
    } numbers[] = {
        {OPT_RATE_LIMIT, 1, RATELIMIT_MAX, offsetof(serve_settings, rate_limit)},
        {OPT_THREADS, 1, 256, offsetof(serve_settings, threads)},
        {OPT_TIMEOUT, 1, 3600, offsetof(serve_settings, timeout)},
        {OPT_MAX_CONN, 1, 100000, offsetof(serve_settings, max_conn)},
        {OPT_PER_IP, 1, 100000, offsetof(serve_settings, per_ip)},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        int64_t *field = (int64_t *)((char *)out + numbers[i].offset);
        if (opts_int(v[numbers[i].opt], numbers[i].min, numbers[i].max, field) != RA_OK) {
            fprintf(stderr, "raportai serve: --%s must be a whole number from %lld to %lld\n",
                    serve_opts[numbers[i].opt].name, (long long)numbers[i].min,
                    (long long)numbers[i].max);
            return RA_ERR_INVALID;
        }
    }
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(v[OPT_LOG_LEVEL], levels[i]) == 0) {
            out->level = (log_level)i;
            return RA_OK;
        }
    fprintf(stderr, "raportai serve: --log-level must be debug, info, warn or error\n");
    return RA_ERR_INVALID;
}

/* Blocks until SIGINT or SIGTERM arrives. */
static void wait_for_stop_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("serve: stopping on signal %d", sig);
}

static int run_server(const char **v, const serve_settings *st, api_app *app)
{
    http_config cfg = {
        .listen = v[OPT_LISTEN],
        .threads = (unsigned)st->threads,
        .timeout_s = (unsigned)st->timeout,
        .max_connections = (unsigned)st->max_conn,
        .per_ip_connections = (unsigned)st->per_ip,
        .header_bytes = 64 * 1024,
        .max_body = 1024 * 1024,
    };
    http_server *srv = NULL;
    char err[256];
    int rc = http_server_start(&cfg, api_handle, app, &srv, err, sizeof err);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai serve: %s\n", err);
        return rc;
    }
    log_info("serve: listening on http://%.*s:%u", (int)(strrchr(cfg.listen, ':') - cfg.listen),
             cfg.listen, http_server_port(srv));
    wait_for_stop_signal();
    http_server_stop(srv);
    return RA_OK;
}

int cli_serve(int argc, char **argv)
{
    const char *v[N_OPTS];
    int help = 0;
    char err[256];
    if (opts_parse(serve_opts, N_OPTS, argc, argv, v, &help, err, sizeof err) != RA_OK) {
        fprintf(stderr, "raportai serve: %s\n", err);
        return CLI_REFUSED;
    }
    if (help) {
        opts_usage(stdout, serve_usage, serve_opts, N_OPTS);
        return CLI_OK;
    }
    serve_settings st;
    if (read_settings(v, &st) != RA_OK)
        return CLI_REFUSED;
    log_set_level(st.level);
    /* Signals are taken by sigwait in the main thread; block them before any
     * other thread starts so none of those threads receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char share[4096], templates_dir[4200];
    cli_share_dir(v[OPT_SHARE], share, sizeof share);
    snprintf(templates_dir, sizeof templates_dir, "%s/data/templates", share);
    api_app app = {0};
    int rc = cli_open_store(v[OPT_DATA], share, &app.store);
    if (rc == RA_OK) {
        tmpl_library *lib = NULL;
        rc = tmpl_library_load(templates_dir, &lib, err, sizeof err);
        if (rc != RA_OK)
            fprintf(stderr, "raportai serve: template library: %s\n", err);
        app.templates = lib;
        if (rc == RA_OK)
            rc = ratelimit_new((unsigned)st.rate_limit, &app.limiter);
        if (rc == RA_OK)
            rc = run_server(v, &st, &app);
        ratelimit_free(app.limiter);
        tmpl_library_free(lib);
        store_close(app.store);
    }
    if (rc == RA_ERR_INVALID)
        return CLI_REFUSED;
    return rc == RA_OK ? CLI_OK : CLI_FAILED;
}

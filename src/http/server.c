/* server.c - libmicrohttpd server, request contexts, request logging and
 * the upload directory's sweeper (see http.h). The only file that calls
 * MHD_*.
 *
 * Lifecycle of a request: MHD calls on_access first with the headers and no
 * body: we create the context and the application's admission decides. When
 * it answers there, MHD sends the answer without reading the body, with
 * "Connection: close" when one was announced, and closes (libmicrohttpd's
 * own rule for a reply queued before the body: it never calls us again for
 * that request). Otherwise MHD calls once per body chunk (to the form
 * parser, or appended to a bounded buffer and dropped once the bound is
 * passed), then with no more data: the application handler runs then.
 * on_completed logs the request and frees the context, whatever happened to
 * the connection.
 *
 * A handler that offloads (http_offload) leaves the request unanswered: the
 * connection is suspended while a pool thread runs the work, and resumed
 * when it is done; MHD then calls on_access once more, which runs the
 * handler's second half.
 *
 * THREAD SAFETY: requests are handled on MHD's pool threads, one thread per
 * request at a time. The sweeper thread touches only the upload directory
 * and its own lock (sweep_lock, taken by nothing else but stop). off_lock
 * guards the count of offloads in flight, their stop flag and each
 * request's off_suspended (a pool thread may resume a connection only once
 * the HTTP thread has suspended it); no MHD call is made while holding it.
 * The connection watch (connwatch.h) has its own thread and lock: MHD's
 * connection notifications add and remove connections (on_connection says
 * why that is safe), and the request's thread reports its phases. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "http/connwatch.h"
#include "http/form.h"
#include "http/forwarded.h"
#include "http/http.h"

#define MAX_REPLY_HEADERS 16
#define LOG_PATH_MAX 120
#define FORM_OVERHEAD (64 * 1024) /* a form's boundaries and part headers */
#define SWEEP_EVERY_MS 10000      /* how often the sweeper looks */
#define MAX_XFF_HEADERS 16        /* X-Forwarded-For headers read; more: ignored */

struct http_server {
    struct MHD_Daemon *daemon;
    http_admit_fn admit;
    http_handler handler;
    void *app;
    size_t max_body;
    char *upload_dir;
    uint64_t max_upload;
    size_t max_form_text;
    unsigned port;
    unsigned upload_stale_s;
    pthread_t sweeper; /* runs when upload_stale_s > 0 */
    pthread_mutex_t sweep_lock;
    pthread_cond_t sweep_wake;
    int stopping; /* under sweep_lock */
    pthread_mutex_t off_lock;
    pthread_cond_t off_cond; /* an offload suspended its request, or ended */
    unsigned off_in_flight;  /* offloaded requests not yet resumed */
    int off_stopping;        /* no new offloads; under off_lock */
    connwatch *watch;        /* the header deadline and the body's rate */
    http_proxies proxies;    /* trusted; none by default */
};

/* Where a request is in http_offload. */
enum { OFF_NONE, OFF_RUNNING, OFF_DONE, OFF_RESUMED };

typedef struct reply_header {
    char *name;
    char *value;
} reply_header;

struct http_request {
    struct MHD_Connection *conn;
    http_server *srv;
    const char *method; /* MHD's, valid for the request */
    const char *path;   /* MHD's, valid for the request */
    char id[17];
    int64_t started_us;
    buf body;
    int body_too_large;
    struct MHD_PostProcessor *post; /* for form bodies */
    form_data *form;
    int form_malformed;
    int received_body;
    unsigned status; /* 0 until replied */
    reply_header headers[MAX_REPLY_HEADERS];
    int n_headers;
    void *app_state; /* http_set_app_state's */
    void (*app_free)(void *data);
    char client_addr[INET6_ADDRSTRLEN]; /* the peer, or whom a trusted proxy names */
    char peer_addr[INET6_ADDRSTRLEN];   /* the connected address */
    int https;                          /* a trusted proxy says it came over HTTPS */
    connwatch_conn *watch;              /* the connection's, or NULL */
    _Atomic int off_state;              /* OFF_* */
    int off_suspended;                  /* under srv->off_lock */
    http_work_fn off_work;
    http_resume_fn off_resume;
    void *off_ctx;
    void (*off_free)(void *ctx);
};

/* ---- the request API ------------------------------------------------------ */

const char *http_method(const http_request *req)
{
    return req->method;
}
const char *http_path(const http_request *req)
{
    return req->path;
}
const char *http_request_id(const http_request *req)
{
    return req->id;
}
const char *http_client_addr(const http_request *req)
{
    return req->client_addr;
}
const char *http_peer_addr(const http_request *req)
{
    return req->peer_addr;
}
int http_request_https(const http_request *req)
{
    return req->https;
}
int http_body_too_large(const http_request *req)
{
    return req->body_too_large;
}

int http_body_declared(const http_request *req, uint64_t *len)
{
    *len = 0;
    /* As MHD reads it: with a Transfer-Encoding, the length is unknown
     * whatever Content-Length says; a Content-Length that is not a number
     * is refused before the application sees the request. */
    if (http_header(req, "Transfer-Encoding") != NULL)
        return 0;
    const char *cl = http_header(req, "Content-Length");
    if (cl != NULL)
        *len = strtoull(cl, NULL, 10);
    return 1;
}

uint64_t http_intake_max(const http_request *req, const http_intake *in)
{
    const http_server *srv = req->srv;
    if (in->file_field == NULL)
        return srv->max_body;
    return (in->max_file ? in->max_file : srv->max_upload) + srv->max_form_text + FORM_OVERHEAD;
}

void http_set_app_state(http_request *req, void *data, void (*free_fn)(void *data))
{
    req->app_state = data;
    req->app_free = free_fn;
}

void *http_app_state(const http_request *req)
{
    return req->app_state;
}

const char *http_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_query(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_body(const http_request *req, size_t *len)
{
    *len = req->body.len;
    return req->received_body ? buf_str(&req->body) : NULL;
}

const char *http_form(const http_request *req, const char *name)
{
    return form_value(req->form, name);
}

const http_upload *http_form_file(const http_request *req, const char *name)
{
    return form_file(req->form, name);
}

int http_form_too_large(const http_request *req)
{
    return form_text_too_large(req->form);
}

int http_form_malformed(const http_request *req)
{
    return req->form_malformed;
}

int http_form_keep(http_request *req, const char *name, const char *dest_path)
{
    return form_keep(req->form, name, dest_path);
}

void http_add_header(http_request *req, const char *name, const char *value)
{
    if (req->n_headers >= MAX_REPLY_HEADERS) {
        log_error("http: too many reply headers, dropped %s", name);
        return;
    }
    reply_header *h = &req->headers[req->n_headers];
    h->name = strdup(name);
    h->value = strdup(value);
    if (h->name == NULL || h->value == NULL) {
        free(h->name);
        free(h->value);
        return;
    }
    req->n_headers++;
}

/* Sent with every reply: pages may load scripts, styles and data only from
 * this server, may not be framed, and types are never sniffed. */
static void add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data: blob:; media-src 'self' blob:; "
                            "connect-src 'self'; object-src 'none'; base-uri 'none'; "
                            "frame-ancestors 'none'; form-action 'self'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy",
                            "microphone=(self), camera=(), geolocation=()");
}

void http_reply(http_request *req, unsigned status, const char *content_type, const void *body,
                size_t len)
{
    if (req->status != 0) {
        log_error("http: second reply to request %s ignored", req->id);
        return;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL) {
        log_error("http: cannot create response for request %s", req->id);
        return;
    }
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->id);
    add_security_headers(resp);
    int has_cache_control = 0;
    for (int i = 0; i < req->n_headers; i++) {
        MHD_add_response_header(resp, req->headers[i].name, req->headers[i].value);
        has_cache_control |= strcasecmp(req->headers[i].name, "Cache-Control") == 0;
    }
    if (!has_cache_control)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (MHD_queue_response(req->conn, status, resp) == MHD_YES)
        req->status = status;
    MHD_destroy_response(resp);
}

void http_reply_json(http_request *req, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(body);
    if (text == NULL) {
        static const char fallback[] =
            "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"Internal error.\"}}";
        http_reply(req, 500, "application/json", fallback, sizeof fallback - 1);
        return;
    }
    http_reply(req, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

/* ---- work off the HTTP threads ------------------------------------------------ */

static void offload_ended(http_server *srv)
{
    pthread_mutex_lock(&srv->off_lock);
    srv->off_in_flight--;
    pthread_cond_broadcast(&srv->off_cond);
    pthread_mutex_unlock(&srv->off_lock);
}

/* On a pool thread: the work, then the connection resumed (never before the
 * HTTP thread suspended it). The request may be freed as soon as it is
 * resumed: only srv is touched after that. */
static void offload_run(void *arg)
{
    http_request *req = arg;
    http_server *srv = req->srv;
    req->off_work(req->off_ctx);
    pthread_mutex_lock(&srv->off_lock);
    while (!req->off_suspended)
        pthread_cond_wait(&srv->off_cond, &srv->off_lock);
    pthread_mutex_unlock(&srv->off_lock);
    atomic_store(&req->off_state, OFF_DONE);
    MHD_resume_connection(req->conn);
    offload_ended(srv);
}

int http_offload(http_request *req, workpool *pool, http_work_fn work, http_resume_fn resume,
                 void *ctx, void (*free_ctx)(void *ctx))
{
    http_server *srv = req->srv;
    if (req->status != 0 || atomic_load(&req->off_state) != OFF_NONE)
        return RA_ERR_INVALID;
    pthread_mutex_lock(&srv->off_lock);
    int stopping = srv->off_stopping;
    if (!stopping)
        srv->off_in_flight++;
    pthread_mutex_unlock(&srv->off_lock);
    if (stopping)
        return RA_ERR_CANCELLED;
    req->off_work = work;
    req->off_resume = resume;
    req->off_ctx = ctx;
    req->off_free = free_ctx;
    req->off_suspended = 0;
    atomic_store(&req->off_state, OFF_RUNNING);
    int rc = workpool_submit(pool, offload_run, req);
    if (rc != RA_OK) {
        atomic_store(&req->off_state, OFF_NONE);
        req->off_ctx = NULL;
        req->off_free = NULL;
        offload_ended(srv);
        return rc;
    }
    MHD_suspend_connection(req->conn);
    pthread_mutex_lock(&srv->off_lock);
    req->off_suspended = 1;
    pthread_cond_broadcast(&srv->off_cond);
    pthread_mutex_unlock(&srv->off_lock);
    return RA_OK;
}

/* ---- MHD callbacks ---------------------------------------------------------- */

static enum MHD_Result on_post_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data, uint64_t off,
                                    size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    (void)off;
    http_request *req = cls;
    if (form_add(req->form, key, filename, data, size) != RA_OK) {
        req->form_malformed = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* Starts form parsing when the body is multipart/form-data or urlencoded;
 * any other body is taken in memory. */
static void start_form(http_request *req, const http_intake *in)
{
    const char *type = http_header(req, "Content-Type");
    if (type == NULL || (strncasecmp(type, "multipart/form-data", 19) != 0 &&
                         strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0))
        return;
    http_server *srv = req->srv;
    uint64_t max_file = in->max_file ? in->max_file : srv->max_upload;
    if (form_new(srv->upload_dir, in->file_field, max_file, srv->max_form_text, &req->form) !=
        RA_OK)
        return;
    req->post = MHD_create_post_processor(req->conn, 64 * 1024, on_post_part, req);
    if (req->post == NULL)
        req->form_malformed = 1; /* e.g. multipart without a boundary */
}

/* Takes one chunk of the body: to the form parser, or to the bounded buffer. */
static void take_body(http_request *req, const char *data, size_t n)
{
    req->received_body = 1;
    if (req->form != NULL) {
        if (req->post != NULL && !req->form_malformed &&
            MHD_post_process(req->post, data, n) != MHD_YES)
            req->form_malformed = 1;
        return;
    }
    if (!req->body_too_large && buf_append(&req->body, data, n) != RA_OK) {
        req->body_too_large = 1;
        buf_release(&req->body);
    }
}

/* Writes the address of conn's peer as text into out (INET6_ADDRSTRLEN
 * bytes); "" when it cannot be told. */
static void peer_text(struct MHD_Connection *conn, char *out)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    out[0] = '\0';
    if (sa != NULL && sa->sa_family == AF_INET) {
        const struct sockaddr_in *a4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &a4->sin_addr, out, INET6_ADDRSTRLEN);
    } else if (sa != NULL && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
            inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], out, INET6_ADDRSTRLEN);
        else
            inet_ntop(AF_INET6, &a6->sin6_addr, out, INET6_ADDRSTRLEN);
    }
}

typedef struct xff_values {
    const char *v[MAX_XFF_HEADERS];
    size_t n;
    int too_many;
} xff_values;

static enum MHD_Result collect_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    xff_values *x = cls;
    if (key == NULL || value == NULL || strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    if (x->n == MAX_XFF_HEADERS) {
        x->too_many = 1;
        return MHD_NO;
    }
    x->v[x->n++] = value;
    return MHD_YES;
}

/* The request's addresses: the peer's, and the client's, which is the
 * peer's unless the peer is a trusted proxy and X-Forwarded-For names
 * another (forwarded.h); the same for HTTPS and X-Forwarded-Proto. From
 * anyone else both headers are ignored. */
static void note_client_addr(http_request *req)
{
    peer_text(req->conn, req->peer_addr);
    memcpy(req->client_addr, req->peer_addr, sizeof req->client_addr);
    if (!http_proxies_trusts(&req->srv->proxies, req->peer_addr))
        return;
    req->https = http_forwarded_https(http_header(req, "X-Forwarded-Proto"));
    xff_values x = {.n = 0};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, collect_xff, &x);
    char addr[HTTP_ADDR_LEN];
    if (x.n > 0 && !x.too_many &&
        http_forwarded_for(&req->srv->proxies, x.v, x.n, addr, sizeof addr) == RA_OK)
        memcpy(req->client_addr, addr, sizeof addr);
    else if (x.n > 0)
        log_debug("http: X-Forwarded-For from %s unreadable; going by the proxy's address",
                  req->peer_addr);
}

/* After a handler ran: MHD_YES when the request was answered or waits for
 * offloaded work; otherwise the 500 fallback. */
static enum MHD_Result handled(http_request *req)
{
    if (req->status == 0 && atomic_load(&req->off_state) == OFF_RUNNING)
        return MHD_YES;
    if (req->status == 0 && atomic_load(&req->off_state) == OFF_DONE)
        return MHD_YES; /* resumed already: on_access comes again */
    if (req->status == 0) {
        static const char fallback[] =
            "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"Internal error.\"}}";
        http_reply(req, 500, "application/json", fallback, sizeof fallback - 1);
    }
    return req->status ? MHD_YES : MHD_NO;
}

/* The application's admission: an answer now (the body is never read), or
 * how to take the body. */
static void run_admission(http_request *req)
{
    http_server *srv = req->srv;
    http_intake in = {.file_field = NULL};
    if (srv->admit != NULL)
        srv->admit(req, srv->app, &in);
    if (req->status == 0 && in.file_field != NULL)
        start_form(req, &in);
    if (req->status != 0) /* answered: MHD drops the body and closes */
        connwatch_body_done(req->watch);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server *srv = cls;
    http_request *req = *con_cls;
    if (req == NULL) {
        req = calloc(1, sizeof *req);
        if (req == NULL)
            return MHD_NO;
        req->conn = conn;
        req->srv = srv;
        req->method = method;
        req->path = url;
        req->started_us = time_mono_us();
        ids_hex(req->id, 8);
        buf_init(&req->body, srv->max_body);
        note_client_addr(req);
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        req->watch = ci ? ci->socket_context : NULL;
        connwatch_headers_done(srv->watch, req->watch, req->client_addr);
        *con_cls = req;
        run_admission(req);
        return MHD_YES;
    }
    if (req->status != 0) /* answered at admission: MHD should not call again */
        return MHD_YES;
    if (atomic_load(&req->off_state) == OFF_DONE) {
        atomic_store(&req->off_state, OFF_RESUMED);
        req->off_resume(req, req->off_ctx);
        return handled(req);
    }
    if (*upload_data_size > 0) {
        connwatch_body(req->watch, *upload_data_size);
        take_body(req, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->form != NULL) {
        /* The processor reports a body that ended before its closing
         * boundary: a cut-off upload must not pass as a complete one. */
        if (req->post != NULL && MHD_destroy_post_processor(req->post) != MHD_YES)
            req->form_malformed = 1;
        req->post = NULL;
        form_finish(req->form);
    }
    connwatch_body_done(req->watch);
    srv->handler(req, srv->app);
    return handled(req);
}

/* Writes path into out with anything unprintable escaped, cut at
 * LOG_PATH_MAX: the path is client input and must not forge log lines. */
static void log_safe_path(const char *path, char *out, size_t n)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 5 < n; p++) {
        if (o >= LOG_PATH_MAX) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (*p > 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, n - o, "%%%02X", *p);
    }
    out[o] = '\0';
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    http_request *req = *con_cls;
    if (req == NULL)
        return;
    char path[LOG_PATH_MAX * 3 + 8];
    log_safe_path(req->path ? req->path : "", path, sizeof path);
    double ms = (double)(time_mono_us() - req->started_us) / 1000.0;
    int proxied = strcmp(req->client_addr, req->peer_addr) != 0;
    log_info("request method=%.16s path=%s status=%u ms=%.1f client=%s%s%s id=%s%s",
             req->method ? req->method : "-", path, req->status, ms,
             req->client_addr[0] ? req->client_addr : "-", proxied ? " proxy=" : "",
             proxied ? req->peer_addr : "", req->id,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    connwatch_request_done(req->watch); /* the next request's headers are due */
    for (int i = 0; i < req->n_headers; i++) {
        free(req->headers[i].name);
        free(req->headers[i].value);
    }
    if (req->off_free != NULL)
        req->off_free(req->off_ctx);
    buf_release(&req->body);
    if (req->post != NULL)
        MHD_destroy_post_processor(req->post);
    form_free(req->form);
    if (req->app_free != NULL)
        req->app_free(req->app_state);
    free(req);
    *con_cls = NULL;
}

/* Registers each connection with the deadline watch when MHD has accepted
 * it, and unregisters it when MHD closes it.
 *
 * The watch shuts sockets down from its own thread, so it must never touch
 * a socket MHD has closed (the number may already name a new connection).
 * Verified in libmicrohttpd 0.9.75's src/microhttpd/daemon.c: both places
 * that close an accepted connection's socket, MHD_cleanup_connections and
 * the failure path of new_connection_process_, call the notification with
 * MHD_CONNECTION_NOTIFY_CLOSED first and MHD_socket_close_chk_ after it
 * returns; a connection closed before MHD_CONNECTION_NOTIFY_STARTED
 * (new_connection_close_, at shutdown) was never registered. So removing
 * the entry here, under the watch's lock that the sweeper holds while it
 * shuts sockets down, is enough. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        char peer[INET6_ADDRSTRLEN];
        peer_text(conn, peer);
        *socket_context = info ? connwatch_add(srv->watch, info->connect_fd, peer) : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        connwatch_remove(srv->watch, *socket_context);
        *socket_context = NULL;
    }
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    /* A client that went away (or a connection the deadline watch cut,
     * which says so itself) is no news worth a warning. */
    if (strstr(line, "connection closure") != NULL)
        log_debug("http: %s", line);
    else
        log_warn("http: %s", line);
}

/* Decodes %HH escapes in paths and query arguments, in place, except %00:
 * a NUL would cut the string short, so "/templates%00.json" would be served
 * as "/templates". It stays as the three characters "%00" and matches
 * nothing. */
static size_t on_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *out = s;
    for (const char *in = s; *in; out++) {
        int hi = in[0] == '%' ? text_hex_value(in[1]) : -1;
        int lo = hi >= 0 ? text_hex_value(in[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *out = (char)(hi * 16 + lo);
            in += 3;
        } else {
            *out = *in++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* ---- the upload directory's sweeper ------------------------------------------ */

/* Deletes the upload files not written to for older_than_s (all of them with
 * 0) and says so when there were any. */
static void sweep_uploads(const http_server *srv, unsigned older_than_s)
{
    unsigned files = 0;
    uint64_t bytes = 0;
    if (form_sweep(srv->upload_dir, older_than_s, (int64_t)time(NULL), &files, &bytes) != RA_OK)
        log_warn("http: cannot read the upload directory %s", srv->upload_dir);
    else if (files > 0)
        log_info("http: deleted %u stale upload file(s), %" PRIu64 " bytes", files, bytes);
}

static void *sweep_loop(void *arg)
{
    http_server *srv = arg;
    pthread_mutex_lock(&srv->sweep_lock);
    while (!srv->stopping) {
        struct timespec until = time_deadline_ms(SWEEP_EVERY_MS);
        pthread_cond_timedwait(&srv->sweep_wake, &srv->sweep_lock, &until);
        if (srv->stopping)
            break;
        pthread_mutex_unlock(&srv->sweep_lock);
        sweep_uploads(srv, srv->upload_stale_s);
        pthread_mutex_lock(&srv->sweep_lock);
    }
    pthread_mutex_unlock(&srv->sweep_lock);
    return NULL;
}

/* ---- start and stop -------------------------------------------------------- */

/* Parses "host:port" or "[v6]:port" into addr. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr, int *is_v6)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return RA_ERR_INVALID;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || port < 0 || port > 65535)
        return RA_ERR_INVALID;
    memset(addr, 0, sizeof *addr);
    size_t hl = strlen(host);
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
        host[hl - 1] = '\0';
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *is_v6 = 1;
        return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1 ? RA_OK : RA_ERR_INVALID;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *is_v6 = 0;
    return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? RA_OK : RA_ERR_INVALID;
}

static void server_free(http_server *srv)
{
    connwatch_stop(srv->watch); /* MHD stopped: every connection is removed */
    pthread_cond_destroy(&srv->off_cond);
    pthread_mutex_destroy(&srv->off_lock);
    pthread_cond_destroy(&srv->sweep_wake);
    pthread_mutex_destroy(&srv->sweep_lock);
    free(srv->upload_dir);
    free(srv);
}

int http_server_start(const http_config *cfg, http_admit_fn admit, http_handler handler, void *app,
                      http_server **out, char *err, size_t errlen)
{
    struct sockaddr_storage addr;
    int is_v6 = 0;
    if (parse_listen(cfg->listen, &addr, &is_v6) != RA_OK) {
        snprintf(err, errlen, "listen address '%s' is not IPv4:port or [IPv6]:port", cfg->listen);
        return RA_ERR_INVALID;
    }
    http_server *srv = calloc(1, sizeof *srv);
    if (srv == NULL)
        return RA_ERR_NOMEM;
    srv->admit = admit;
    srv->handler = handler;
    srv->app = app;
    srv->max_body = cfg->max_body;
    srv->max_upload = cfg->max_upload;
    srv->max_form_text = cfg->max_form_text;
    srv->upload_stale_s = cfg->upload_stale_s;
    pthread_mutex_init(&srv->sweep_lock, NULL);
    pthread_cond_init(&srv->sweep_wake, NULL);
    pthread_mutex_init(&srv->off_lock, NULL);
    pthread_cond_init(&srv->off_cond, NULL);
    if (cfg->proxies != NULL)
        srv->proxies = *cfg->proxies;
    srv->upload_dir = strdup(cfg->upload_dir ? cfg->upload_dir : "/tmp");
    connwatch_config wc = {
        .header_ms = cfg->header_timeout_ms,
        .body_grace_ms = cfg->body_grace_ms,
        .min_body_rate = cfg->min_body_rate,
    };
    if (srv->upload_dir == NULL || connwatch_start(&wc, &srv->watch) != RA_OK) {
        server_free(srv);
        return RA_ERR_NOMEM;
    }
    sweep_uploads(srv, 0); /* no request is in flight yet: all are stale */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (is_v6)
        flags |= MHD_USE_IPv6;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_UNESCAPE_CALLBACK, on_unescape,
        NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->timeout_s, MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->header_bytes, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        snprintf(err, errlen, "cannot listen on %s (in use, or not an address of this machine)",
                 cfg->listen);
        server_free(srv);
        return RA_ERR_IO;
    }
    if (srv->upload_stale_s > 0 && pthread_create(&srv->sweeper, NULL, sweep_loop, srv) != 0) {
        MHD_stop_daemon(srv->daemon);
        server_free(srv);
        return ra_fail(err, errlen, RA_ERR_NOMEM, "cannot start the upload sweeper");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : 0;
    *out = srv;
    return RA_OK;
}

unsigned http_server_port(const http_server *srv)
{
    return srv->port;
}

void http_server_stop(http_server *srv)
{
    if (srv == NULL)
        return;
    /* MHD must not stop with a connection suspended: let offloaded work
     * finish and resume its connections first. */
    pthread_mutex_lock(&srv->off_lock);
    srv->off_stopping = 1;
    while (srv->off_in_flight > 0)
        pthread_cond_wait(&srv->off_cond, &srv->off_lock);
    pthread_mutex_unlock(&srv->off_lock);
    MHD_stop_daemon(srv->daemon);
    if (srv->upload_stale_s > 0) {
        pthread_mutex_lock(&srv->sweep_lock);
        srv->stopping = 1;
        pthread_cond_signal(&srv->sweep_wake);
        pthread_mutex_unlock(&srv->sweep_lock);
        pthread_join(srv->sweeper, NULL);
    }
    server_free(srv);
}

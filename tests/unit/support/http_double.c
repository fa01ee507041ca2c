/* http_double.c - a made-up HTTP request for unit tests (see
 * http_double.h): every function of http/http.h, over a request the test
 * writes and a reply it reads, in place of src/http/server.c. */
#include "http_double.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"

#define PAIRS_MAX 32
#define MAX_BODY (1024u * 1024u)            /* as serve's --max-body default */
#define MAX_UPLOAD (100ull * 1024u * 1024u) /* a file part, unless the route says */
#define MAX_FORM_TEXT (64u * 1024u)

typedef struct pair {
    char *name, *value;
} pair;

typedef struct pairs {
    pair p[PAIRS_MAX];
    int n;
} pairs;

struct http_request {
    char *method, *path;
    char id[17];
    char client_addr[64];
    pairs headers, cookies, queries, form;
    char *body; /* NULL: none received */
    size_t body_len;
    void *app_state;
    void (*app_free)(void *data);
    /* the reply */
    unsigned status;
    int replies;
    pairs reply_headers;
    char *reply_body;
    size_t reply_len;
    /* http_offload's context, freed with the request */
    void *off_ctx;
    void (*off_free)(void *ctx);
};

static char *copy(const char *s)
{
    char *c = strdup(s != NULL ? s : "");
    if (c == NULL)
        abort();
    return c;
}

static void pairs_add(pairs *ps, const char *name, const char *value)
{
    if (ps->n >= PAIRS_MAX)
        abort(); /* a test writing more than it should */
    ps->p[ps->n++] = (pair){copy(name), copy(value)};
}

static void pairs_release(pairs *ps)
{
    for (int i = 0; i < ps->n; i++) {
        free(ps->p[i].name);
        free(ps->p[i].value);
    }
    ps->n = 0;
}

/* The last value of name (case-insensitive when nocase), or NULL. */
static const char *pairs_get(const pairs *ps, const char *name, int nocase)
{
    for (int i = ps->n - 1; name != NULL && i >= 0; i--)
        if (nocase ? strcasecmp(ps->p[i].name, name) == 0 : strcmp(ps->p[i].name, name) == 0)
            return ps->p[i].value;
    return NULL;
}

/* ---- writing the request ---------------------------------------------------- */

http_request *http_double_new(const char *method, const char *path)
{
    static atomic_uint seq;
    http_request *req = calloc(1, sizeof *req);
    if (req == NULL)
        abort();
    req->method = copy(method);
    const char *q = strchr(path, '?');
    size_t n = q != NULL ? (size_t)(q - path) : strlen(path);
    req->path = strndup(path, n);
    if (req->path == NULL)
        abort();
    for (const char *p = q != NULL ? q + 1 : ""; *p != '\0';) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        char name[256], value[1024];
        size_t nlen = eq != NULL ? (size_t)(eq - p) : len;
        snprintf(name, sizeof name, "%.*s", (int)nlen, p);
        snprintf(value, sizeof value, "%.*s", eq != NULL ? (int)(len - nlen - 1) : 0,
                 eq != NULL ? eq + 1 : "");
        pairs_add(&req->queries, name, value);
        p += len + (p[len] == '&');
    }
    snprintf(req->id, sizeof req->id, "test%012x", atomic_fetch_add(&seq, 1) + 1);
    snprintf(req->client_addr, sizeof req->client_addr, "127.0.0.1");
    return req;
}

void http_double_free(http_request *req)
{
    if (req == NULL)
        return;
    if (req->app_free != NULL)
        req->app_free(req->app_state);
    if (req->off_free != NULL)
        req->off_free(req->off_ctx);
    pairs_release(&req->headers);
    pairs_release(&req->cookies);
    pairs_release(&req->queries);
    pairs_release(&req->form);
    pairs_release(&req->reply_headers);
    free(req->method);
    free(req->path);
    free(req->body);
    free(req->reply_body);
    free(req);
}

void http_double_header(http_request *req, const char *name, const char *value)
{
    pairs_add(&req->headers, name, value);
}

void http_double_cookie(http_request *req, const char *name, const char *value)
{
    pairs_add(&req->cookies, name, value);
}

void http_double_body(http_request *req, const char *body)
{
    free(req->body);
    req->body = copy(body);
    req->body_len = strlen(body);
    char len[32];
    snprintf(len, sizeof len, "%zu", req->body_len);
    pairs_add(&req->headers, "Content-Length", len);
}

void http_double_form(http_request *req, const char *name, const char *value)
{
    if (pairs_get(&req->headers, "Content-Type", 1) == NULL)
        pairs_add(&req->headers, "Content-Type", "multipart/form-data; boundary=test");
    pairs_add(&req->form, name, value);
}

void http_double_client(http_request *req, const char *addr)
{
    snprintf(req->client_addr, sizeof req->client_addr, "%s", addr);
}

unsigned http_double_run(http_request *req, http_admit_fn admit, http_handler handler, void *app)
{
    http_intake in = {0};
    if (admit != NULL)
        admit(req, app, &in);
    if (req->replies == 0)
        handler(req, app);
    return req->status;
}

/* ---- reading the reply -------------------------------------------------------- */

unsigned http_double_status(const http_request *req)
{
    return req->status;
}

int http_double_replies(const http_request *req)
{
    return req->replies;
}

const char *http_double_reply_header(const http_request *req, const char *name)
{
    return pairs_get(&req->reply_headers, name, 1);
}

const char *http_double_reply_body(const http_request *req, size_t *len)
{
    if (len != NULL)
        *len = req->reply_len;
    return req->reply_body;
}

json_t *http_double_reply_json(const http_request *req)
{
    return req->reply_body != NULL ? json_loadb(req->reply_body, req->reply_len, 0, NULL) : NULL;
}

/* ---- http/http.h ---------------------------------------------------------------- */

int http_server_start(const http_config *cfg, http_admit_fn admit, http_handler handler, void *app,
                      http_server **out, char *err, size_t errlen)
{
    (void)cfg, (void)admit, (void)handler, (void)app, (void)out;
    return ra_fail(err, errlen, RA_ERR_IO, "the unit tests have no HTTP server (http_double)");
}

unsigned http_server_port(const http_server *srv)
{
    (void)srv;
    return 0;
}

void http_server_stop(http_server *srv)
{
    (void)srv;
}

const char *http_method(const http_request *req)
{
    return req->method;
}

const char *http_path(const http_request *req)
{
    return req->path;
}

const char *http_header(const http_request *req, const char *name)
{
    return pairs_get(&req->headers, name, 1);
}

const char *http_cookie(const http_request *req, const char *name)
{
    return pairs_get(&req->cookies, name, 0);
}

const char *http_query(const http_request *req, const char *name)
{
    return pairs_get(&req->queries, name, 0);
}

const char *http_body(const http_request *req, size_t *len)
{
    *len = req->body_len;
    return req->body;
}

int http_body_too_large(const http_request *req)
{
    return req->body_len > MAX_BODY;
}

const char *http_request_id(const http_request *req)
{
    return req->id;
}

int http_body_declared(const http_request *req, uint64_t *len)
{
    *len = 0;
    if (http_header(req, "Transfer-Encoding") != NULL)
        return 0;
    const char *cl = http_header(req, "Content-Length");
    if (cl != NULL)
        *len = strtoull(cl, NULL, 10);
    return 1;
}

uint64_t http_intake_max(const http_request *req, const http_intake *in)
{
    (void)req;
    if (in->file_field == NULL)
        return MAX_BODY;
    return (in->max_file ? in->max_file : MAX_UPLOAD) + MAX_FORM_TEXT + 64 * 1024;
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

const char *http_client_addr(const http_request *req)
{
    return req->client_addr;
}

/* The double has no proxies: the peer is the client, and nothing came over
 * HTTPS. */
const char *http_peer_addr(const http_request *req)
{
    return req->client_addr;
}

int http_request_https(const http_request *req)
{
    (void)req;
    return 0;
}

const char *http_form(const http_request *req, const char *name)
{
    return pairs_get(&req->form, name, 0);
}

const http_upload *http_form_file(const http_request *req, const char *name)
{
    (void)req, (void)name;
    return NULL; /* a test request carries no file */
}

int http_form_too_large(const http_request *req)
{
    (void)req;
    return 0;
}

int http_form_malformed(const http_request *req)
{
    (void)req;
    return 0;
}

int http_form_keep(http_request *req, const char *name, const char *dest_path)
{
    (void)req, (void)name, (void)dest_path;
    return RA_ERR_NOT_FOUND;
}

int http_offload(http_request *req, workpool *pool, http_work_fn work, http_resume_fn resume,
                 void *ctx, void (*free_ctx)(void *ctx))
{
    (void)pool;
    if (req->replies > 0 || req->off_free != NULL || req->off_ctx != NULL)
        return RA_ERR_INVALID;
    req->off_ctx = ctx;
    req->off_free = free_ctx;
    work(ctx);
    resume(req, ctx);
    return RA_OK;
}

void http_add_header(http_request *req, const char *name, const char *value)
{
    pairs_add(&req->reply_headers, name, value);
}

void http_reply(http_request *req, unsigned status, const char *content_type, const void *body,
                size_t len)
{
    if (req->replies++ > 0)
        return; /* the server ignores a second reply too; replies counts it */
    req->status = status;
    pairs_add(&req->reply_headers, "Content-Type", content_type);
    req->reply_body = malloc(len + 1);
    if (req->reply_body == NULL)
        abort();
    memcpy(req->reply_body, body, len);
    req->reply_body[len] = '\0';
    req->reply_len = len;
}

void http_reply_json(http_request *req, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(body);
    if (text == NULL)
        abort();
    http_reply(req, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

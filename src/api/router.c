/* router.c - the route table, admission and dispatch (see api.h).
 *
 * Routes are data: method, exact path, and either a public handler or an
 * External API handler that runs only after authentication. Every path
 * under the External API prefix authenticates first, so an unknown path
 * there reveals nothing to a caller without a valid key. The web app's
 * JSON API (/api/v1/) has its own tables and checks (web.c); any other GET
 * that names one of the web app's files serves it, protected pages only to
 * a fitting session.
 *
 * A request is routed and its caller authenticated from its headers alone,
 * before the server accepts a byte of its body (api_admit); every refusal
 * is answered there and the body is never read. What admission found (the
 * route, the key's caller or the web session) is kept with the request, and
 * api_handle runs the handler once the body is in. Only the routes of
 * upload_routes take their body as a form whose one file streams to
 * DATA/uploads; every other body stays in memory, up to 1 MiB. An upload
 * first takes its bytes (its Content-Length, or the most it may be when
 * chunked) from its organization's share of the upload quota, and gives
 * them back when the request ends, however it ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "auth/quota.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "templates/mrrt.h"

#define EXTERNAL_PREFIX "/api/external/v1/"
#define WEB_PREFIX "/api/v1/"
#define UPLOAD_RETRY_S "5" /* Retry-After of an upload refused for room */
#define MB (1024 * 1024)

typedef struct route {
    const char *method;
    const char *path;
    api_public_fn public_fn;
    api_external_fn external_fn;
    int own_balance; /* the handler reads the balance itself, with its job */
} route;

/* A path ending in "/{}" matches any one final segment: the handler reads
 * it with api_path_param. */
static const route routes[] = {
    {"GET", "/healthz", api_healthz, NULL, 0},
    {"GET", "/api/external/v1/templates", NULL, api_external_templates, 0},
    {"POST", "/api/external/v1/report", NULL, api_external_submit_report, 0},
    {"GET", "/api/external/v1/report/{}", NULL, api_external_poll_report, 1},
    {"POST", "/api/external/v1/pacs/report", NULL, api_external_submit_pacs, 0},
    {"GET", "/api/external/v1/pacs/report/{}", NULL, api_external_poll_pacs, 1},
};

#define N_ROUTES (sizeof routes / sizeof routes[0])

/* The routes whose body may reach the disk: each takes a form whose file
 * part file_field streams to DATA/uploads (other file parts are dropped).
 * Each is also a route of the tables above or of web.c's; these are only
 * reached once that route was found and its caller authenticated. */
typedef struct upload_route {
    const char *method;
    const char *path;
    const char *file_field;
    uint64_t max_file;   /* 0: the audio limit (--max-audio-mb) */
    api_error too_large; /* the answer to a body declared larger than allowed */
} upload_route;

static const upload_route upload_routes[] = {
    {"POST", "/api/external/v1/report", "audio", 0, API_AUDIO_TOO_LARGE},
    {"POST", "/api/external/v1/pacs/report", "audio", 0, API_AUDIO_TOO_LARGE},
    {"POST", "/api/v1/jobs", "audio", 0, API_AUDIO_TOO_LARGE},
    {"POST", "/api/v1/templates/import-mrrt", "file", MRRT_MAX_BYTES, API_PAYLOAD_TOO_LARGE},
};

/* What admission decided about a request, kept until it ends. */
typedef enum { RUN_PUBLIC = 1, RUN_EXTERNAL, RUN_WEB, RUN_PAGE } run_kind;

typedef struct api_request {
    api_app *app;
    run_kind kind;         /* 0 until admitted */
    const route *route;    /* RUN_PUBLIC, RUN_EXTERNAL */
    const web_route *web;  /* RUN_WEB */
    union {                /* one or the other, by kind: each is kilobytes, */
        api_caller caller; /* RUN_EXTERNAL; and every request zeroes this */
        web_session ws;    /* RUN_WEB, unless the route is public */
    };
    char quota_key[QUOTA_KEY_MAX + 1]; /* who holds `reserved`; "" nobody */
    uint64_t reserved;                 /* bytes taken from the upload quota */
} api_request;

static int path_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);
    if (n >= 3 && strcmp(pattern + n - 3, "/{}") == 0) {
        const char *tail = path + n - 2;
        return strncmp(pattern, path, n - 2) == 0 && strlen(path) > n - 2 &&
               strchr(tail, '/') == NULL;
    }
    return strcmp(pattern, path) == 0;
}

const char *api_path_param(http_request *req)
{
    const char *path = http_path(req);
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Finds the route for method and path. *path_known is set when some route
 * has this path (so a miss is a wrong method, not an unknown path). */
static const route *find_route(const char *method, const char *path, int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!path_matches(routes[i].path, path))
            continue;
        *path_known = 1;
        if (strcmp(routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            return &routes[i];
    }
    return NULL;
}

static const upload_route *find_upload(const char *method, const char *path)
{
    for (size_t i = 0; i < sizeof upload_routes / sizeof upload_routes[0]; i++)
        if (strcmp(upload_routes[i].method, method) == 0 &&
            strcmp(upload_routes[i].path, path) == 0)
            return &upload_routes[i];
    return NULL;
}

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* ---- admission ---------------------------------------------------------------- */

/* Finds the request's route and authenticates its caller into st. RA_OK, or
 * RA_ERR_REFUSED after replying (404, 405, 401, 403, 429, 303 to a sign-in
 * page, 5xx). */
static int route_request(http_request *req, api_app *app, api_request *st)
{
    const char *path = http_path(req), *method = http_method(req);
    if (strncmp(path, WEB_PREFIX, strlen(WEB_PREFIX)) == 0) {
        if (api_web_admit(req, app, &st->web, &st->ws) != RA_OK)
            return RA_ERR_REFUSED;
        st->kind = RUN_WEB;
        return RA_OK;
    }
    if (is_read(method) && http_static_has(app->pages, path)) {
        if (api_web_page_guard(req, app, path) != RA_OK)
            return RA_ERR_REFUSED;
        st->kind = RUN_PAGE;
        return RA_OK;
    }
    int path_known = 0;
    const route *r = find_route(method, path, &path_known);
    int external = strncmp(path, EXTERNAL_PREFIX, strlen(EXTERNAL_PREFIX)) == 0;
    if (external && api_external_auth(req, app, r != NULL && r->own_balance, &st->caller) != RA_OK)
        return RA_ERR_REFUSED;
    if (r == NULL) {
        api_error e = path_known ? API_METHOD_NOT_ALLOWED : API_NOT_FOUND;
        if (external)
            api_external_error(req, &st->caller, e, NULL, NULL);
        else
            api_reply_error(req, e, NULL, NULL, NULL);
        return RA_ERR_REFUSED;
    }
    st->kind = external ? RUN_EXTERNAL : RUN_PUBLIC;
    st->route = r;
    return RA_OK;
}

/* Refuses an admitted request as its handler would have: the External
 * API's errors carry remainingCredits, and so do those of the web app's
 * uploads (a job's refusals do) when the session has a balance. */
static void refuse_admitted(http_request *req, const api_request *st, const upload_route *up,
                            api_error e, const char *message, const char *field)
{
    if (st->kind == RUN_EXTERNAL) {
        api_external_error(req, &st->caller, e, message, field);
        return;
    }
    json_t *extra = NULL;
    if (up != NULL && st->kind == RUN_WEB && st->ws.org.id[0])
        extra = json_pack("{s:I}", "remainingCredits", (json_int_t)st->ws.org.credits);
    api_reply_error(req, e, message, field, extra);
}

/* Refuses a body declared larger than the route takes. RA_OK when it is
 * not, or when its length is only known at its end (chunked: the bound
 * then applies as it arrives). */
static int check_declared_size(http_request *req, const api_request *st, const upload_route *up,
                               const http_intake *in)
{
    uint64_t declared = 0, most = http_intake_max(req, in);
    if (!http_body_declared(req, &declared) || declared <= most)
        return RA_OK;
    if (up == NULL) {
        refuse_admitted(req, st, NULL, API_PAYLOAD_TOO_LARGE, NULL, NULL);
        return RA_ERR_REFUSED;
    }
    char message[160];
    snprintf(message, sizeof message,
             "The request body is larger than this upload accepts (at most %llu MB).",
             (unsigned long long)((most + MB - 1) / MB));
    refuse_admitted(req, st, up, up->too_large, message, up->file_field);
    return RA_ERR_REFUSED;
}

/* Who an upload's bytes count against: the caller's organization (a web
 * user without one: the user). */
static const char *quota_holder(const api_request *st)
{
    if (st->kind == RUN_EXTERNAL)
        return st->caller.org.id;
    return st->ws.org.id[0] ? st->ws.org.id : st->ws.user.id;
}

/* Takes an authenticated upload's bytes (its declared length, or the most
 * it may be when chunked) from its organization's share of the quota and
 * from the server's total. RA_OK with the bytes held in st, or
 * RA_ERR_REFUSED after replying 429 or 503 (with Retry-After). */
static int take_upload_room(http_request *req, api_app *app, api_request *st,
                            const upload_route *up, const http_intake *in)
{
    if (app->uploads == NULL)
        return RA_OK;
    uint64_t bytes = 0;
    if (!http_body_declared(req, &bytes))
        bytes = http_intake_max(req, in);
    const char *holder = quota_holder(st);
    int rc = quota_take(app->uploads, holder, bytes);
    if (rc == RA_OK) {
        snprintf(st->quota_key, sizeof st->quota_key, "%s", holder);
        st->reserved = bytes;
        return RA_OK;
    }
    if (rc == RA_ERR_REFUSED || rc == RA_ERR_TOO_LARGE) {
        http_add_header(req, "Retry-After", UPLOAD_RETRY_S);
        if (rc == RA_ERR_REFUSED)
            refuse_admitted(req, st, up, API_RATE_LIMIT,
                            "Your organization is already sending as many uploads at once as it "
                            "may; retry after the time in Retry-After.",
                            NULL);
        else
            refuse_admitted(req, st, up, API_UNAVAILABLE,
                            "The server is receiving as many uploads as it can hold; retry after "
                            "the time in Retry-After.",
                            NULL);
        log_info("api: upload of %llu bytes refused: %s (request %s)", (unsigned long long)bytes,
                 rc == RA_ERR_REFUSED ? "the organization's quota is in use"
                                      : "the server's upload room is full",
                 http_request_id(req));
        return RA_ERR_REFUSED;
    }
    log_error("api: upload quota: %s (request %s)", ra_strerror(rc), http_request_id(req));
    refuse_admitted(req, st, up, API_INTERNAL, NULL, NULL);
    return RA_ERR_REFUSED;
}

/* Ends a request's state: the upload's bytes go back to the quota. */
static void request_free(void *data)
{
    api_request *st = data;
    if (st->reserved > 0)
        quota_give(st->app->uploads, st->quota_key, st->reserved);
    free(st);
}

void api_admit(http_request *req, void *app_ptr, http_intake *in)
{
    api_app *app = app_ptr;
    api_request *st = calloc(1, sizeof *st);
    if (st == NULL) {
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
        return;
    }
    st->app = app;
    http_set_app_state(req, st, request_free);
    const char *path = http_path(req);
    if (!text_is_utf8(path, strlen(path))) {
        api_reply_error(req, API_INVALID_REQUEST, "The path is not valid UTF-8.", NULL, NULL);
        return;
    }
    if (route_request(req, app, st) != RA_OK)
        return;
    const upload_route *up = find_upload(http_method(req), path);
    http_intake want = {.file_field = up ? up->file_field : NULL,
                        .max_file = up ? up->max_file : 0};
    if (check_declared_size(req, st, up, &want) != RA_OK)
        return;
    if (up != NULL && take_upload_room(req, app, st, up, &want) == RA_OK)
        *in = want;
}

/* ---- dispatch ----------------------------------------------------------------- */

void api_handle(http_request *req, void *app_ptr)
{
    api_app *app = app_ptr;
    api_request *st = http_app_state(req);
    if (st == NULL || st->kind == 0) {
        /* Admission answers every request it does not admit. */
        log_error("api: request %s reached its handler unadmitted", http_request_id(req));
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
        return;
    }
    if (http_body_too_large(req)) {
        api_reply_error(req, API_PAYLOAD_TOO_LARGE, NULL, NULL, NULL);
        return;
    }
    switch (st->kind) {
    case RUN_WEB:
        st->web->fn(req, app, st->web->roles == WEB_PUBLIC ? NULL : &st->ws);
        break;
    case RUN_PAGE:
        http_static_serve(req, app->pages, http_path(req));
        break;
    case RUN_EXTERNAL:
        st->route->external_fn(req, app, &st->caller);
        break;
    case RUN_PUBLIC:
        st->route->public_fn(req, app);
        break;
    }
}

/* router.c - the route table and dispatch (see api.h).
 *
 * Routes are data: method, exact path, and either a public handler or an
 * External API handler that runs only after authentication. Every path
 * under the External API prefix authenticates first, so an unknown path
 * there reveals nothing to a caller without a valid key. The web app's
 * JSON API (/api/v1/) has its own tables and checks (web.c); any other GET
 * that names one of the web app's files serves it, protected pages only to
 * a fitting session. */
#include <string.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/text.h"

#define EXTERNAL_PREFIX "/api/external/v1/"
#define WEB_PREFIX "/api/v1/"

typedef struct route {
    const char *method;
    const char *path;
    api_public_fn public_fn;
    api_external_fn external_fn;
} route;

/* A path ending in "/{}" matches any one final segment: the handler reads
 * it with api_path_param. */
static const route routes[] = {
    {"GET", "/healthz", api_healthz, NULL},
    {"GET", "/api/external/v1/templates", NULL, api_external_templates},
    {"POST", "/api/external/v1/report", NULL, api_external_submit_report},
    {"GET", "/api/external/v1/report/{}", NULL, api_external_poll_report},
    {"POST", "/api/external/v1/pacs/report", NULL, api_external_submit_pacs},
    {"GET", "/api/external/v1/pacs/report/{}", NULL, api_external_poll_pacs},
};

#define N_ROUTES (sizeof routes / sizeof routes[0])

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

static void dispatch_external(http_request *req, api_app *app, const route *r, int path_known)
{
    api_caller caller;
    if (api_external_auth(req, app, &caller) != RA_OK)
        return;
    if (r != NULL)
        r->external_fn(req, app, &caller);
    else if (path_known)
        api_external_error(req, &caller, API_METHOD_NOT_ALLOWED, NULL, NULL);
    else
        api_external_error(req, &caller, API_NOT_FOUND, NULL, NULL);
}

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

void api_handle(http_request *req, void *app_ptr)
{
    api_app *app = app_ptr;
    const char *path = http_path(req);
    if (!text_is_utf8(path, strlen(path))) {
        api_reply_error(req, API_INVALID_REQUEST, "The path is not valid UTF-8.", NULL, NULL);
        return;
    }
    if (http_body_too_large(req)) {
        api_reply_error(req, API_PAYLOAD_TOO_LARGE, NULL, NULL, NULL);
        return;
    }
    if (strncmp(path, WEB_PREFIX, strlen(WEB_PREFIX)) == 0) {
        api_web_dispatch(req, app);
        return;
    }
    if (is_read(http_method(req)) && http_static_has(app->pages, path)) {
        if (api_web_page_guard(req, app, path) == RA_OK)
            http_static_serve(req, app->pages, path);
        return;
    }
    int path_known = 0;
    const route *r = find_route(http_method(req), path, &path_known);
    if (strncmp(path, EXTERNAL_PREFIX, strlen(EXTERNAL_PREFIX)) == 0)
        dispatch_external(req, app, r, path_known);
    else if (r != NULL)
        r->public_fn(req, app);
    else if (path_known)
        api_reply_error(req, API_METHOD_NOT_ALLOWED, NULL, NULL, NULL);
    else
        api_reply_error(req, API_NOT_FOUND, NULL, NULL, NULL);
}

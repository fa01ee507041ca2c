/* web.c - the web app's side of the server: routing /api/v1 with its session,
 * role and CSRF checks, guarding the protected pages, and the small helpers
 * the web_*.c handler files share (see internal.h).
 *
 * Order of checks for a route that needs a session, failing closed:
 *   no live session for the cookie (or one of another sign-in path)
 *                                             -> 401 UNAUTHENTICATED
 *   the role is not one the route serves      -> 403 FORBIDDEN
 *   a state-changing method without this session's X-CSRF-Token, or with an
 *   Origin header that is not this server     -> 403 CSRF_FAILED
 * Objects of another organization are the handlers' business: 404. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"

#define TOUCH_EVERY_MS 60000 /* a session's last use is written at most this often */

static const web_route_table *const tables[] = {
    &web_auth_routes,       &web_reporting_routes, &web_org_routes,     &web_admin_routes,
    &web_accounting_routes, &web_templates_routes, &web_reports_routes, &web_macros_routes,
};

/* ---- path matching ------------------------------------------------------- */

/* True when path matches pattern segment by segment, "{}" matching any one
 * non-empty segment. */
static int route_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (strncmp(pattern, "{}", 2) == 0) {
            const char *end = strchr(path, '/');
            size_t n = end ? (size_t)(end - path) : strlen(path);
            if (n == 0)
                return 0;
            path += n;
            pattern += 2;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

int api_path_segment(http_request *req, int index, char *out, size_t outlen)
{
    const char *p = http_path(req);
    for (int i = 0; i <= index; i++) {
        if (*p != '/')
            return RA_ERR_NOT_FOUND;
        p++;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (i == index) {
            if (n == 0)
                return RA_ERR_NOT_FOUND;
            if (n >= outlen)
                return RA_ERR_INVALID;
            memcpy(out, p, n);
            out[n] = '\0';
            return RA_OK;
        }
        p += n;
    }
    return RA_ERR_NOT_FOUND;
}

static const web_route *find_web_route(const char *method, const char *path, int *path_known)
{
    *path_known = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (size_t i = 0; i < tables[t]->count; i++) {
            const web_route *r = &tables[t]->routes[i];
            if (!route_matches(r->path, path))
                continue;
            *path_known = 1;
            if (strcmp(r->method, method) == 0 ||
                (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
                return r;
        }
    }
    return NULL;
}

/* ---- JSON helpers ----------------------------------------------------------- */

json_t *api_json_body(http_request *req)
{
    const char *type = http_header(req, "Content-Type");
    if (type == NULL || strncasecmp(type, "application/json", 16) != 0) {
        api_reply_error(req, API_UNSUPPORTED_MEDIA_TYPE, NULL, NULL, NULL);
        return NULL;
    }
    size_t len = 0;
    const char *body = http_body(req, &len);
    json_error_t jerr;
    json_t *obj = body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(obj)) {
        json_decref(obj);
        api_reply_error(req, API_INVALID_REQUEST, "The body must be one JSON object.", NULL, NULL);
        return NULL;
    }
    return obj;
}

const char *api_json_string(const json_t *obj, const char *name, int *bad)
{
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

json_t *api_user_json(const store_user *u)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s}", "id", u->id, "email", u->email, "name",
                     u->name, "role", u->role, "active", u->active, "suspended",
                     u->suspended_at[0] != '\0', "createdAt", u->created_at);
}

json_t *api_org_json(const store_org *o)
{
    const char *status = o->pending ? "pending" : o->active ? "active" : "inactive";
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "id", o->id, "name", o->name, "type",
                     o->type, "status", status, "credits", (json_int_t)o->credits, "createdAt",
                     o->created_at);
}

/* ---- sessions --------------------------------------------------------------- */

/* Checks the session row's user and organization; RA_ERR_NOT_FOUND when
 * either no longer allows it (an inactive or suspended user, an inactive
 * organization), so a session ends the moment that changes. */
static int session_holder(api_app *app, web_session *ws)
{
    int rc = store_user_get(app->store, ws->session.user_id, &ws->user);
    if (rc != RA_OK)
        return rc;
    ws->role = role_parse(ws->user.role);
    if (!store_user_may_sign_in(&ws->user) ||
        signin_path_of_role(ws->role) != signin_path_parse(ws->session.path))
        return RA_ERR_NOT_FOUND;
    memset(&ws->org, 0, sizeof ws->org);
    if (ws->user.org_id[0] == '\0')
        return RA_OK;
    rc = store_org_get(app->store, ws->user.org_id, &ws->org);
    if (rc == RA_OK && (!ws->org.active || ws->org.pending))
        return RA_ERR_NOT_FOUND;
    return rc;
}

int api_web_session(http_request *req, api_app *app, web_session *ws)
{
    const char *token = http_cookie(req, SESSION_COOKIE);
    if (session_token_check(token) != RA_OK)
        return RA_ERR_NOT_FOUND;
    char hash[SESSION_HASH_HEX];
    session_token_hash(token, hash);
    int rc = store_session_by_hash(app->store, hash, &ws->session);
    if (rc != RA_OK)
        return rc;
    int64_t now = time_now_ms();
    if (now >= ws->session.expires_ms || now - ws->session.last_seen_ms > app->session_idle_ms)
        rc = RA_ERR_NOT_FOUND;
    if (rc == RA_OK)
        rc = session_holder(app, ws);
    if (rc == RA_ERR_NOT_FOUND) {
        store_session_delete(app->store, ws->session.id);
        return rc;
    }
    if (rc == RA_OK && now - ws->session.last_seen_ms >= TOUCH_EVERY_MS)
        store_session_touch(app->store, ws->session.id, now);
    session_csrf(token, ws->csrf);
    return rc;
}

/* ---- CSRF -------------------------------------------------------------------- */

static int is_state_changing(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* An Origin header, when the browser sends one, must name this server. */
static int origin_ok(http_request *req)
{
    const char *origin = http_header(req, "Origin");
    const char *host = http_header(req, "Host");
    if (origin == NULL)
        return 1;
    if (host == NULL)
        return 0;
    const char *after = strstr(origin, "://");
    return after != NULL && strcmp(after + 3, host) == 0;
}

/* ---- dispatch ------------------------------------------------------------------ */

/* Replies with e and returns RA_ERR_REFUSED, for api_web_admit. */
static int refuse(http_request *req, api_error e, const char *message)
{
    api_reply_error(req, e, message, NULL, NULL);
    return RA_ERR_REFUSED;
}

int api_web_admit(http_request *req, api_app *app, const web_route **route, web_session *ws)
{
    const char *method = http_method(req);
    int path_known = 0;
    const web_route *r = find_web_route(method, http_path(req), &path_known);
    http_add_header(req, "Cache-Control", "no-store");
    if (r == NULL)
        return refuse(req, path_known ? API_METHOD_NOT_ALLOWED : API_NOT_FOUND, NULL);
    if (is_state_changing(method) && !origin_ok(req))
        return refuse(req, API_CSRF_FAILED, "The request comes from another site.");
    *route = r;
    if (r->roles == WEB_PUBLIC)
        return RA_OK;
    int rc = api_web_session(req, app, ws);
    if (rc == RA_ERR_NOT_FOUND)
        return refuse(req, API_UNAUTHENTICATED, NULL);
    if (rc != RA_OK) {
        log_error("web: session lookup failed (%d) for request %s", rc, http_request_id(req));
        return refuse(req, API_INTERNAL, NULL);
    }
    if (!(r->roles & WEB_ROLE(ws->role)))
        return refuse(req, API_FORBIDDEN, "Your role may not use this.");
    if (is_state_changing(method) && session_csrf_check(http_cookie(req, SESSION_COOKIE),
                                                        http_header(req, "X-CSRF-Token")) != RA_OK)
        return refuse(req, API_CSRF_FAILED, NULL);
    return RA_OK;
}

/* ---- protected pages ------------------------------------------------------------ */

static const struct {
    const char *page;
    unsigned roles;
} protected_pages[] = {
    {"/dashboard.html", WEB_REPORTING},
    {"/reporting-ai.html", WEB_REPORTING},
    {"/templates.html", WEB_REPORTING},
    {"/history.html", WEB_REPORTING},
    {"/report.html", WEB_REPORTING},
    {"/print.html", WEB_REPORTING},
    {"/organization.html", WEB_CORPORATE},
    {"/api-keys.html", WEB_ROLE(ROLE_MANAGER)},
    {"/pilot.html", WEB_ROLE(ROLE_MANAGER) | WEB_ROLE(ROLE_TECHNICAL)},
    {"/admin.html", WEB_ROLE(ROLE_ADMIN)},
    {"/accounting.html", WEB_ROLE(ROLE_ACCOUNTING)},
};

/* The sign-in page for a page serving roles: that of its first role. */
static const char *login_page_for(unsigned roles)
{
    static const role order[] = {ROLE_INDIVIDUAL, ROLE_MANAGER, ROLE_RADIOLOGIST, ROLE_DOCTOR,
                                 ROLE_TECHNICAL,  ROLE_ADMIN,   ROLE_ACCOUNTING};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (roles & WEB_ROLE(order[i]))
            return signin_path_login_page(signin_path_of_role(order[i]));
    return "/";
}

int api_web_page_guard(http_request *req, api_app *app, const char *path)
{
    for (size_t i = 0; i < sizeof protected_pages / sizeof protected_pages[0]; i++) {
        if (strcmp(protected_pages[i].page, path) != 0)
            continue;
        web_session ws;
        if (api_web_session(req, app, &ws) == RA_OK &&
            (protected_pages[i].roles & WEB_ROLE(ws.role)))
            return RA_OK;
        http_add_header(req, "Location", login_page_for(protected_pages[i].roles));
        http_reply(req, 303, "text/plain; charset=utf-8", "Sign in first.\n", 15);
        return RA_ERR_NOT_FOUND;
    }
    return RA_OK;
}

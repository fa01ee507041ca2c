/* web_auth.c - signing in and out of the web app, the current session, and
 * an organization's self-registration (see docs/web-api.md).
 *
 * Sign-in fails closed and says nothing more than "wrong e-mail or
 * password": an unknown e-mail, a wrong password, an inactive user or
 * organization, an organization still waiting for approval and a role that
 * does not belong to the chosen path all get the same 401 after the same
 * password-hashing work. Failures are counted per e-mail whether or not it
 * exists, slowing and then locking guessing (auth/session.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"

/* ---- replies ------------------------------------------------------------------ */

static void set_session_cookie(http_request *req, const api_app *app, const char *token,
                               int64_t max_age_s)
{
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
             SESSION_COOKIE, token, (long long)max_age_s, app->secure_cookies ? "; Secure" : "");
    http_add_header(req, "Set-Cookie", cookie);
}

static json_t *session_json(const web_session *ws)
{
    signin_path path = signin_path_parse(ws->session.path);
    char expires[TIME_ISO_LEN];
    time_format_iso((time_t)(ws->session.expires_ms / 1000), expires);
    return json_pack("{s:o, s:o, s:s, s:s, s:s, s:s}", "user", api_user_json(&ws->user),
                     "organization", ws->org.id[0] ? api_org_json(&ws->org) : json_null(), "path",
                     signin_path_name(path), "csrfToken", ws->csrf, "redirect",
                     signin_path_home_page(path), "expiresAt", expires);
}

/* ---- sign-in ----------------------------------------------------------------- */

/* What the second half of a sign-in needs. */
typedef struct signin_attempt {
    signin_path path;
    char *email_key;
    int known; /* the e-mail names a user (ws.user) */
    web_session ws;
} signin_attempt;

static void signin_attempt_free(void *p)
{
    signin_attempt *a = p;
    if (a != NULL)
        free(a->email_key);
    free(a);
}

/* After the password matched: RA_OK when the user is active, signs in on
 * the attempt's path and their organization (if any) is active; *ws gets
 * the organization. RA_ERR_INVALID otherwise. */
static int check_holder(api_app *app, signin_path path, web_session *ws)
{
    ws->role = role_parse(ws->user.role);
    if (!ws->user.active || signin_path_of_role(ws->role) != path)
        return RA_ERR_INVALID;
    memset(&ws->org, 0, sizeof ws->org);
    if (ws->user.org_id[0] == '\0')
        return RA_OK;
    int rc = store_org_get(app->store, ws->user.org_id, &ws->org);
    if (rc == RA_OK && (!ws->org.active || ws->org.pending))
        return RA_ERR_INVALID;
    return rc;
}

/* Replies 429 and returns 1 when the e-mail must wait before trying again. */
static int must_wait(http_request *req, api_app *app, const char *email_key, int64_t now)
{
    store_signin_failures f;
    if (store_signin_failures_get(app->store, email_key, &f) != RA_OK)
        return 0;
    int64_t wait = signin_wait_ms(f.failures, f.first_ms, f.last_ms, f.locked_until_ms, now);
    if (wait <= 0)
        return 0;
    char seconds[24];
    snprintf(seconds, sizeof seconds, "%lld", (long long)((wait + 999) / 1000));
    http_add_header(req, "Retry-After", seconds);
    api_reply_error(req, API_LOGIN_LOCKED, NULL, NULL,
                    json_pack("{s:I}", "retryAfterSeconds", (json_int_t)((wait + 999) / 1000)));
    return 1;
}

static void open_session(http_request *req, api_app *app, signin_path path, web_session *ws)
{
    int64_t now = time_now_ms();
    char token[SESSION_TOKEN_LEN + 1], hash[SESSION_HASH_HEX];
    session_token_new(token);
    session_token_hash(token, hash);
    store_session_sweep(app->store, now, now - app->session_idle_ms);
    int rc = store_session_create(app->store, hash, ws->user.id, signin_path_name(path), now,
                                  now + app->session_max_ms, &ws->session);
    if (rc != RA_OK) {
        log_error("web: cannot open a session (%d) for request %s", rc, http_request_id(req));
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
        return;
    }
    session_csrf(token, ws->csrf);
    set_session_cookie(req, app, token, app->session_max_ms / 1000);
    http_reply_json(req, 200, session_json(ws));
}

/* The second half of a sign-in, once the password was checked on the
 * hashing pool. */
static void signin_checked(http_request *req, api_app *app, int rc, const char *hash, void *state)
{
    (void)hash;
    signin_attempt *a = state;
    if (rc == RA_OK)
        rc = a->known ? check_holder(app, a->path, &a->ws) : RA_ERR_INVALID;
    if (rc == RA_OK) {
        store_signin_clear(app->store, a->email_key);
        open_session(req, app, a->path, &a->ws);
    } else if (rc == RA_ERR_INVALID) {
        store_signin_failure(app->store, a->email_key, time_now_ms(), SIGNIN_WINDOW_MS,
                             SIGNIN_LOCK_AFTER, SIGNIN_LOCK_MS, NULL);
        log_info("web: failed sign-in on the %s path", signin_path_name(a->path));
        api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
    } else {
        log_error("web: sign-in check failed (%d) for request %s", rc, http_request_id(req));
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
    }
}

/* Looks the user up and hands the password to the hashing pool; an unknown
 * e-mail is checked against the dummy hash, costing the same. */
static void signin_check(http_request *req, api_app *app, signin_attempt *a, const char *email,
                         const char *password)
{
    char hash[STORE_PASSWORD_HASH_MAX] = "";
    int rc = store_user_by_email(app->store, email, &a->ws.user);
    if (rc == RA_OK)
        rc = store_user_password(app->store, a->ws.user.id, hash);
    a->known = rc == RA_OK;
    if (rc != RA_OK && rc != RA_ERR_NOT_FOUND) {
        log_error("web: sign-in lookup failed (%d) for request %s", rc, http_request_id(req));
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
        signin_attempt_free(a);
        return;
    }
    rc = api_password_verify_off(req, app, a->known ? hash : NULL, password, signin_checked, a,
                                 signin_attempt_free);
    if (rc != RA_OK) {
        signin_attempt_free(a);
        api_reply_hashing_busy(req, rc);
    }
}

static void web_login(http_request *req, api_app *app, const web_session *unused)
{
    (void)unused;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    int bad = 0;
    const char *path_name = api_json_string(body, "path", &bad);
    const char *email = api_json_string(body, "email", &bad);
    const char *password = api_json_string(body, "password", &bad);
    signin_path path = signin_path_parse(path_name);
    signin_attempt *a = calloc(1, sizeof *a);
    if (a != NULL && email != NULL)
        a->email_key = text_lower(email);
    if (bad || path == PATH_INVALID)
        api_reply_error(req, API_INVALID_REQUEST,
                        "Send path (user, corporate, admin or accounting), email and password"
                        " as strings.",
                        bad ? NULL : "path", NULL);
    else if (a == NULL || (email != NULL && a->email_key == NULL))
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
    else if (email == NULL || password == NULL || strlen(email) > STORE_EMAIL_MAX ||
             strlen(password) > PASSWORD_MAX_LEN)
        api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
    else if (workpool_full(app->hashing))
        api_reply_hashing_busy(req, RA_ERR_REFUSED);
    else if (!must_wait(req, app, a->email_key, time_now_ms())) {
        a->path = path;
        signin_check(req, app, a, email, password);
        a = NULL; /* taken */
    }
    signin_attempt_free(a);
    json_decref(body);
}

static void web_logout(http_request *req, api_app *app, const web_session *ws)
{
    store_session_delete(app->store, ws->session.id);
    set_session_cookie(req, app, "", 0);
    http_reply(req, 204, "text/plain", "", 0);
}

static void web_session_get(http_request *req, api_app *app, const web_session *ws)
{
    (void)app;
    http_reply_json(req, 200, session_json(ws));
}

/* ---- self-registration -------------------------------------------------------- */

/* Checks the registration; replies 400 and returns -1 on the first fault. */
static int check_registration(http_request *req, const json_t *body, const char **org_name,
                              const char **type, const char **name, const char **email,
                              const char **password)
{
    int bad = 0;
    *org_name = api_json_string(body, "organizationName", &bad);
    *type = api_json_string(body, "organizationType", &bad);
    *name = api_json_string(body, "name", &bad);
    *email = api_json_string(body, "email", &bad);
    *password = api_json_string(body, "password", &bad);
    const char *field = NULL, *message = NULL;
    if (bad)
        message = "Every field must be a string.";
    else if (*org_name == NULL || text_check_name(*org_name, STORE_NAME_MAX) != RA_OK)
        field = "organizationName",
        message = "Give the organization's name (at most 200 characters).";
    else if (!org_type_valid(*type))
        field = "organizationType",
        message = "organizationType is hospital, imaging_center or teleradiology.";
    else if (*name == NULL || text_check_name(*name, STORE_NAME_MAX) != RA_OK)
        field = "name", message = "Give the manager's name (at most 200 characters).";
    else if (*email == NULL || text_check_email(*email) != RA_OK)
        field = "email", message = "Give a valid e-mail address.";
    else if (*password == NULL || password_check_policy(*password) != RA_OK)
        field = "password", message = "The password needs 8 to 1024 characters.";
    if (message == NULL)
        return 0;
    api_reply_error(req, API_INVALID_REQUEST, message, field, NULL);
    return -1;
}

/* The second half of a registration, once the password is hashed; the
 * body was checked by the first. */
static void registration_hashed(http_request *req, api_app *app, int rc, const char *hash,
                                void *state)
{
    const json_t *body = ((api_web_state *)state)->body;
    store_org org;
    store_user manager;
    if (rc == RA_OK)
        rc = store_org_register(
            app->store, json_string_value(json_object_get(body, "organizationName")),
            json_string_value(json_object_get(body, "organizationType")),
            json_string_value(json_object_get(body, "name")),
            json_string_value(json_object_get(body, "email")), hash, &org, &manager);
    if (rc == RA_OK)
        http_reply_json(req, 202,
                        json_pack("{s:o, s:o}", "organization", api_org_json(&org), "user",
                                  api_user_json(&manager)));
    else if (rc == RA_ERR_EXISTS)
        api_reply_error(req, API_ALREADY_EXISTS, "A user with this e-mail exists already.", "email",
                        NULL);
    else
        api_reply_internal(req, "registering an organization", rc);
}

static void web_register(http_request *req, api_app *app, const web_session *unused)
{
    (void)unused;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *org_name, *type, *name, *email, *password;
    if (check_registration(req, body, &org_name, &type, &name, &email, &password) != 0) {
        json_decref(body);
        return;
    }
    api_web_hash_password(req, app, NULL, body, password, registration_hashed);
}

static const web_route routes[] = {
    {"POST", "/api/v1/auth/login", WEB_PUBLIC, web_login},
    {"POST", "/api/v1/auth/register", WEB_PUBLIC, web_register},
    {"POST", "/api/v1/auth/logout", WEB_SIGNED_IN, web_logout},
    {"GET", "/api/v1/session", WEB_SIGNED_IN, web_session_get},
};

const web_route_table web_auth_routes = {routes, sizeof routes / sizeof routes[0]};

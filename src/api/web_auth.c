/* web_auth.c - signing in and out of the web app, the current session, and
 * an organization's self-registration (see docs/web-api.md).
 *
 * Sign-in fails closed and says nothing more than "wrong e-mail or
 * password": an unknown e-mail, a wrong password, an inactive user or
 * organization, an organization still waiting for approval and a role that
 * does not belong to the chosen path all get the same 401 after the same
 * password-hashing work. Failures are counted per e-mail whether or not it
 * exists, slowing and then locking guessing (auth/session.h). */
#include <pthread.h>
#include <stdio.h>
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

/* A hash to verify against when the e-mail is unknown, so that case costs
 * the same time as a wrong password. */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    if (password_hash("raportai-no-such-user", dummy_hash) != RA_OK)
        dummy_hash[0] = '\0';
}

/* RA_OK when email and password name an active user whose role signs in on
 * path and whose organization (if any) is active; *ws gets user and org. */
static int check_credentials(api_app *app, signin_path path, const char *email,
                             const char *password, web_session *ws)
{
    pthread_once(&dummy_once, make_dummy_hash);
    char hash[STORE_PASSWORD_HASH_MAX];
    int rc = store_user_by_email(app->store, email, &ws->user);
    if (rc == RA_OK)
        rc = store_user_password(app->store, ws->user.id, hash);
    if (rc == RA_ERR_NOT_FOUND) {
        if (dummy_hash[0])
            password_verify(dummy_hash, password);
        return RA_ERR_INVALID;
    }
    if (rc != RA_OK)
        return rc;
    if (password_verify(hash, password) != RA_OK)
        return RA_ERR_INVALID;
    ws->role = role_parse(ws->user.role);
    if (!store_user_may_sign_in(&ws->user) || signin_path_of_role(ws->role) != path)
        return RA_ERR_INVALID;
    memset(&ws->org, 0, sizeof ws->org);
    if (ws->user.org_id[0] == '\0')
        return RA_OK;
    rc = store_org_get(app->store, ws->user.org_id, &ws->org);
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
    char *email_key = email ? text_lower(email) : NULL;
    int64_t now = time_now_ms();
    web_session ws;
    if (bad || path == PATH_INVALID)
        api_reply_error(req, API_INVALID_REQUEST,
                        "Send path (user, corporate, admin or accounting), email and password"
                        " as strings.",
                        bad ? NULL : "path", NULL);
    else if (email_key == NULL || password == NULL || strlen(email) > STORE_EMAIL_MAX ||
             strlen(password) > PASSWORD_MAX_LEN)
        api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
    else if (!must_wait(req, app, email_key, now)) {
        int rc = check_credentials(app, path, email, password, &ws);
        if (rc == RA_OK) {
            store_signin_clear(app->store, email_key);
            open_session(req, app, path, &ws);
        } else if (rc == RA_ERR_INVALID) {
            store_signin_failure(app->store, email_key, now, SIGNIN_WINDOW_MS, SIGNIN_LOCK_AFTER,
                                 SIGNIN_LOCK_MS, NULL);
            log_info("web: failed sign-in on the %s path", signin_path_name(path));
            api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
        } else {
            log_error("web: sign-in check failed (%d) for request %s", rc, http_request_id(req));
            api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
        }
    }
    free(email_key);
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

static void web_register(http_request *req, api_app *app, const web_session *unused)
{
    (void)unused;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *org_name, *type, *name, *email, *password;
    char hash[PASSWORD_HASH_MAX];
    store_org org;
    store_user manager;
    if (check_registration(req, body, &org_name, &type, &name, &email, &password) == 0) {
        int rc = password_hash(password, hash);
        if (rc == RA_OK)
            rc = store_org_register(app->store, org_name, type, name, email, hash, &org, &manager);
        if (rc == RA_OK)
            http_reply_json(req, 202,
                            json_pack("{s:o, s:o}", "organization", api_org_json(&org), "user",
                                      api_user_json(&manager)));
        else if (rc == RA_ERR_EXISTS)
            api_reply_error(req, API_ALREADY_EXISTS, "A user with this e-mail exists already.",
                            "email", NULL);
        else
            api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
    }
    json_decref(body);
}

static const web_route routes[] = {
    {"POST", "/api/v1/auth/login", WEB_PUBLIC, web_login},
    {"POST", "/api/v1/auth/register", WEB_PUBLIC, web_register},
    {"POST", "/api/v1/auth/logout", WEB_SIGNED_IN, web_logout},
    {"GET", "/api/v1/session", WEB_SIGNED_IN, web_session_get},
};

const web_route_table web_auth_routes = {routes, sizeof routes / sizeof routes[0]};

/* web_auth.c - signing in and out of the web app, the current session, and
 * an organization's self-registration (see docs/web-api.md).
 *
 * Sign-in fails closed and says nothing more than "wrong e-mail or
 * password": an unknown e-mail, a wrong password, an inactive user or
 * organization, an organization still waiting for approval and a role that
 * does not belong to the chosen path all get the same 401 after the same
 * password-hashing work, done on the hashing pool. Attempts are counted
 * per (address, e-mail), per address and per e-mail, whether or not the
 * e-mail exists, before the password is checked, and taken back when they
 * succeed, which also makes the address known to the e-mail
 * (auth/throttle.h); a count that cannot be written refuses the attempt.
 * Registrations are counted per address. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "auth/password.h"
#include "auth/throttle.h"
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
             SESSION_COOKIE, token, (long long)max_age_s,
             app->secure_cookies || http_request_https(req) ? "; Secure" : "");
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
    int known; /* the e-mail names a user (ws.user) */
    web_session ws;
    char keys[THROTTLE_SIGNIN_KEYS][THROTTLE_KEY_MAX]; /* counted under, in advance
                                                         (all but THROTTLE_KNOWN) */
} signin_attempt;

static void signin_attempt_free(void *p)
{
    free(p);
}

/* Keys first .. last of a as the store takes them. */
static size_t key_list(const signin_attempt *a, int first, int last,
                       const char *out[THROTTLE_SIGNIN_KEYS])
{
    for (int k = first; k <= last; k++)
        out[k - first] = a->keys[k];
    return (size_t)(last - first + 1);
}

static void counts_of(const store_throttle_row *rows, throttle_count *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        c[i] = (throttle_count){rows[i].attempts, rows[i].first_ms, rows[i].last_ms,
                                rows[i].keep_until_ms};
}

static void rows_of(const throttle_count *c, store_throttle_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rows[i] =
            (store_throttle_row){c[i].attempts, c[i].first_ms, c[i].last_ms, c[i].keep_until_ms};
}

/* The sign-in policy (auth/throttle.h) as the store applies it; ctx is the
 * api_app. A store_throttle_fn. */
static int64_t signin_decide(store_throttle_row *rows, size_t n, int64_t now_ms, void *ctx)
{
    const api_app *app = ctx;
    assert(n == THROTTLE_SIGNIN_KEYS);
    throttle_count c[THROTTLE_SIGNIN_KEYS] = {{0}};
    counts_of(rows, c, n);
    int64_t wait = throttle_signin_wait(c, now_ms, app->signin_address_limit);
    if (wait == 0) {
        throttle_signin_count(c, now_ms);
        rows_of(c, rows, n);
    }
    return wait;
}

/* Takes back what a was counted in advance, from its keys from first on:
 * it was not a failure. Failing to do so over-counts, which is safe. */
static void signin_give_back(api_app *app, const signin_attempt *a, int first)
{
    const char *keys[THROTTLE_SIGNIN_KEYS];
    size_t n = key_list(a, first, THROTTLE_EMAIL, keys);
    int rc = store_throttle_give_back(app->store, keys, n);
    if (rc != RA_OK)
        log_warn("web: cannot take back a sign-in counted in advance: %s", ra_strerror(rc));
}

/* 429 with Retry-After for a wait of wait_ms. */
static void reply_wait(http_request *req, api_error code, const char *message, int64_t wait_ms)
{
    long long seconds = (long long)((wait_ms + 999) / 1000);
    char value[24];
    snprintf(value, sizeof value, "%lld", seconds);
    http_add_header(req, "Retry-After", value);
    api_reply_error(req, code, message, NULL,
                    json_pack("{s:I}", "retryAfterSeconds", (json_int_t)seconds));
}

/* The throttle could not count the attempt, so it does not go on. */
static void reply_cannot_count(http_request *req, const char *what, int rc)
{
    log_error("web: cannot count a %s attempt (%s) for request %s; refused", what, ra_strerror(rc),
              http_request_id(req));
    http_add_header(req, "Retry-After", "5");
    api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
}

/* After the password matched: RA_OK when the user is active, signs in on
 * the attempt's path and their organization (if any) is active; *ws gets
 * the organization. RA_ERR_INVALID otherwise. */
static int check_holder(api_app *app, signin_path path, web_session *ws)
{
    ws->role = role_parse(ws->user.role);
    if (!store_user_may_sign_in(&ws->user) || signin_path_of_role(ws->role) != path)
        return RA_ERR_INVALID;
    memset(&ws->org, 0, sizeof ws->org);
    if (ws->user.org_id[0] == '\0')
        return RA_OK;
    int rc = store_org_get(app->store, ws->user.org_id, &ws->org);
    if (rc == RA_OK && (!ws->org.active || ws->org.pending))
        return RA_ERR_INVALID;
    return rc;
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

/* After a success: the pair's failures are forgotten, the address's and
 * e-mail's count of this attempt taken back, and the pair known (so the
 * e-mail's failures elsewhere never slow it). Failing to write that only
 * leaves the throttle stricter. */
static void signin_succeeded(api_app *app, const signin_attempt *a)
{
    if (store_throttle_forget(app->store, a->keys[THROTTLE_PAIR]) != RA_OK)
        log_warn("web: cannot forget the failures of a successful sign-in");
    signin_give_back(app, a, THROTTLE_ADDRESS);
    throttle_count k = throttle_signin_known(time_now_ms());
    store_throttle_row known = {k.attempts, k.first_ms, k.last_ms, k.keep_until_ms};
    if (store_throttle_put(app->store, a->keys[THROTTLE_KNOWN], &known) != RA_OK)
        log_warn("web: cannot note a successful sign-in's address as known");
}

/* The second half of a sign-in, once the password was checked on the
 * hashing pool. A failure stays counted. */
static void signin_checked(http_request *req, api_app *app, int rc, const char *hash, void *state)
{
    (void)hash;
    signin_attempt *a = state;
    if (rc == RA_OK)
        rc = a->known ? check_holder(app, a->path, &a->ws) : RA_ERR_INVALID;
    if (rc == RA_OK) {
        signin_succeeded(app, a);
        open_session(req, app, a->path, &a->ws);
    } else if (rc == RA_ERR_INVALID) {
        log_info("web: failed sign-in on the %s path", signin_path_name(a->path));
        api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
    } else {
        signin_give_back(app, a, THROTTLE_PAIR);
        log_error("web: sign-in check failed (%d) for request %s", rc, http_request_id(req));
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
    }
}

/* Looks the user up and hands the password to the hashing pool; an unknown
 * e-mail is checked against the dummy hash, costing the same. Takes a. */
static void signin_check(http_request *req, api_app *app, signin_attempt *a, const char *email,
                         const char *password)
{
    char hash[STORE_PASSWORD_HASH_MAX] = "";
    int rc = store_user_by_email(app->store, email, &a->ws.user);
    if (rc == RA_OK)
        rc = store_user_password(app->store, a->ws.user.id, hash);
    a->known = rc == RA_OK;
    if (rc == RA_OK || rc == RA_ERR_NOT_FOUND) {
        rc = api_password_verify_off(req, app, a->known ? hash : NULL, password, signin_checked, a,
                                     signin_attempt_free);
        if (rc != RA_OK)
            api_reply_hashing_busy(req, rc);
    } else {
        api_reply_internal(req, "looking up a user signing in", rc);
    }
    explicit_bzero(hash, sizeof hash);
    if (rc != RA_OK) {
        signin_give_back(app, a, THROTTLE_PAIR);
        signin_attempt_free(a);
    }
}

/* Counts the attempt in advance under its three keys (a throttle that
 * cannot count refuses), then checks it. Takes a. */
static void signin_start(http_request *req, api_app *app, signin_attempt *a, const char *email,
                         const char *email_key, const char *password)
{
    const char *keys[THROTTLE_SIGNIN_KEYS];
    int64_t wait = 0;
    int rc = throttle_signin_keys(http_client_addr(req), email_key, a->keys);
    if (rc != RA_OK) { /* too long for any account */
        api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
        signin_attempt_free(a);
        return;
    }
    size_t n = key_list(a, THROTTLE_PAIR, THROTTLE_KNOWN, keys);
    rc = store_throttle_take(app->store, keys, n, time_now_ms(), signin_decide, app, &wait);
    if (rc != RA_OK)
        reply_cannot_count(req, "sign-in", rc);
    else if (wait > 0)
        reply_wait(req, API_LOGIN_LOCKED, NULL, wait);
    if (rc != RA_OK || wait > 0) {
        signin_attempt_free(a);
        return;
    }
    signin_check(req, app, a, email, password);
}

static void web_login(http_request *req, api_app *app, const web_session *unused)
{
    (void)unused;
    if (workpool_full(app->hashing)) { /* first: a flood's refusals must cost nothing */
        api_reply_hashing_busy(req, RA_ERR_REFUSED);
        return;
    }
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    int bad = 0;
    const char *path_name = api_json_string(body, "path", &bad);
    const char *email = api_json_string(body, "email", &bad);
    const char *password = api_json_string(body, "password", &bad);
    signin_path path = signin_path_parse(path_name);
    char *email_key = email ? text_lower(email) : NULL;
    signin_attempt *a = NULL;
    if (bad || path == PATH_INVALID)
        api_reply_error(req, API_INVALID_REQUEST,
                        "Send path (user, corporate, admin or accounting), email and password"
                        " as strings.",
                        bad ? NULL : "path", NULL);
    else if (email_key == NULL || password == NULL || strlen(email) > STORE_EMAIL_MAX ||
             strlen(password) > PASSWORD_MAX_LEN)
        api_reply_error(req, API_INVALID_CREDENTIALS, NULL, NULL, NULL);
    else if ((a = calloc(1, sizeof *a)) == NULL)
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
    else {
        a->path = path;
        signin_start(req, app, a, email, email_key, password);
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

/* The registration policy (auth/throttle.h) as the store applies it. A
 * store_throttle_fn. */
static int64_t register_decide(store_throttle_row *rows, size_t n, int64_t now_ms, void *ctx)
{
    (void)ctx;
    assert(n == 1);
    throttle_count c = {0};
    counts_of(rows, &c, n);
    int64_t wait = throttle_register_wait(&c, now_ms);
    if (wait == 0) {
        throttle_register_count(&c, now_ms);
        rows_of(&c, rows, n);
    }
    return wait;
}

static void web_register(http_request *req, api_app *app, const web_session *unused)
{
    (void)unused;
    if (workpool_full(app->hashing)) {
        api_reply_hashing_busy(req, RA_ERR_REFUSED);
        return;
    }
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *org_name, *type, *name, *email, *password;
    char key[THROTTLE_KEY_MAX];
    const char *keys[1] = {key};
    int64_t wait = 0;
    int rc = RA_ERR_INVALID;
    if (check_registration(req, body, &org_name, &type, &name, &email, &password) == 0) {
        throttle_register_key(http_client_addr(req), key);
        rc = store_throttle_take(app->store, keys, 1, time_now_ms(), register_decide, NULL, &wait);
        if (rc != RA_OK)
            reply_cannot_count(req, "registration", rc);
        else if (wait > 0)
            reply_wait(req, API_RATE_LIMIT,
                       "Too many registrations from this address; retry after the time in "
                       "Retry-After.",
                       wait);
    }
    if (rc != RA_OK || wait > 0) {
        json_decref(body);
        return;
    }
    if (api_web_hash_password(req, app, NULL, body, password, registration_hashed) != RA_OK &&
        store_throttle_give_back(app->store, keys, 1) != RA_OK)
        log_warn("web: cannot take back a registration counted in advance");
}

static const web_route routes[] = {
    {"POST", "/api/v1/auth/login", WEB_PUBLIC, web_login},
    {"POST", "/api/v1/auth/register", WEB_PUBLIC, web_register},
    {"POST", "/api/v1/auth/logout", WEB_SIGNED_IN, web_logout},
    {"GET", "/api/v1/session", WEB_SIGNED_IN, web_session_get},
};

const web_route_table web_auth_routes = {routes, sizeof routes / sizeof routes[0]};

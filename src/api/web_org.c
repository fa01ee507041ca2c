/* web_org.c - the organization workspace (path corporate; see
 * docs/web-api.md): its managers' members, usage, settings and API keys,
 * and the pilot view of External API jobs for managers and technical users.
 *
 * The settings hold the default callback URL of the web app's jobs and the
 * secret that signs those callbacks: made or rotated here, shown in that
 * one reply only, never read back.
 *
 * Everything is scoped to the signed-in person's organization: an id of
 * another organization's member, key or job is looked up together with the
 * organization and so answers 404 exactly like an unknown id. Every input
 * is checked before anything is written; a refusal changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "auth/apikey.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/text.h"
#include "core/timeutil.h"

#define MANAGERS WEB_ROLE(ROLE_MANAGER)
#define PILOT_ROLES (WEB_ROLE(ROLE_MANAGER) | WEB_ROLE(ROLE_TECHNICAL))
#define PILOT_JOBS 50
#define USAGE_MONTHS_MAX 24
#define GRACE_HOURS_MAX 168
#define RETENTION_MAX 365

/* ---- small helpers ------------------------------------------------------------- */

/* A string member that must be a string when present: -1 after replying
 * 400 naming it. */
static int string_member(http_request *req, const json_t *body, const char *name, const char **out)
{
    int bad = 0;
    *out = api_json_string(body, name, &bad);
    if (!bad)
        return 0;
    char message[96];
    snprintf(message, sizeof message, "%s must be a string.", name);
    api_reply_invalid(req, name, message);
    return -1;
}

/* Replies with a store result: 404 for RA_ERR_NOT_FOUND, 500 otherwise. */
static void reply_store_error(http_request *req, const char *what, int rc)
{
    if (rc == RA_ERR_NOT_FOUND)
        api_reply_error(req, API_NOT_FOUND, NULL, NULL, NULL);
    else
        api_reply_internal(req, what, rc);
}

/* ---- members ------------------------------------------------------------------ */

static void add_member(const store_user *u, void *ctx)
{
    json_array_append_new(ctx, api_user_json(u));
}

static void members_list(http_request *req, api_app *app, const web_session *ws)
{
    json_t *items = json_array();
    int rc = store_org_members_each(app->store, ws->org.id, add_member, items);
    api_reply_items(req, items, rc, "listing members");
}

/* The corporate role named by s, or ROLE_INVALID. */
static role corporate_role(const char *s)
{
    role r = role_parse(s);
    return r != ROLE_INVALID && role_kind_of(r) == ROLE_KIND_CORPORATE ? r : ROLE_INVALID;
}

#define ROLE_MESSAGE "role is manager, radiologist, doctor or technical."

/* Reads and checks a new member; -1 after replying 400. */
static int member_input(http_request *req, const json_t *body, const char **name,
                        const char **email, role *r, const char **password)
{
    static const char *const fields[3] = {"name", "email", "password"};
    const char *role_s;
    if (string_member(req, body, "name", name) != 0 ||
        string_member(req, body, "email", email) != 0 ||
        string_member(req, body, "role", &role_s) != 0 ||
        string_member(req, body, "password", password) != 0 ||
        api_check_person(req, *name, *email, *password, fields) != 0)
        return -1;
    *r = corporate_role(role_s);
    if (*r != ROLE_INVALID)
        return 0;
    api_reply_invalid(req, "role", ROLE_MESSAGE);
    return -1;
}

/* The second half of adding a member, once the password is hashed; the
 * body was checked by the first. */
static void member_hashed(http_request *req, api_app *app, int rc, const char *hash, void *state)
{
    const api_web_state *st = state;
    const char *email = json_string_value(json_object_get(st->body, "email"));
    role r = corporate_role(json_string_value(json_object_get(st->body, "role")));
    store_user u;
    if (rc == RA_OK)
        rc = store_user_create(app->store, email,
                               json_string_value(json_object_get(st->body, "name")), role_name(r),
                               st->ws.org.id, hash, &u);
    if (rc == RA_OK)
        http_reply_json(req, 201, api_user_json(&u));
    else if (rc == RA_ERR_EXISTS)
        api_reply_error(req, API_ALREADY_EXISTS, "A user with this e-mail exists already.", "email",
                        NULL);
    else
        api_reply_internal(req, "adding a member", rc);
}

static void member_add(http_request *req, api_app *app, const web_session *ws)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *name, *email, *password;
    role r;
    if (member_input(req, body, &name, &email, &r, &password) == 0)
        api_web_hash_password(req, app, ws, body, password, member_hashed);
    else
        json_decref(body);
}

/* Reads and checks a PATCH of a member; -1 after replying 400. *role_out is
 * NULL and *active -1 for what the body leaves alone. */
static int member_patch_input(http_request *req, const web_session *ws, const char *user_id,
                              const json_t *body, const char **role_out, int *active)
{
    const char *role_s;
    *active = -1;
    if (string_member(req, body, "role", &role_s) != 0)
        return -1;
    if (api_json_bool(body, "active", active) < 0) {
        api_reply_invalid(req, "active", "active must be true or false.");
        return -1;
    }
    role r = corporate_role(role_s);
    *role_out = role_s ? role_name(r) : NULL;
    int self = strcmp(user_id, ws->user.id) == 0;
    if (role_s != NULL && r == ROLE_INVALID)
        api_reply_invalid(req, "role", ROLE_MESSAGE);
    else if (role_s == NULL && *active < 0)
        api_reply_invalid(req, NULL, "Send role, active or both.");
    else if (self && role_s != NULL && r != ROLE_MANAGER)
        api_reply_invalid(req, "role",
                          "You cannot take away your own manager role; another "
                          "manager of the organization can.");
    else if (self && *active == 0)
        api_reply_invalid(req, "active",
                          "You cannot deactivate yourself; another manager "
                          "of the organization can.");
    else
        return 0;
    return -1;
}

static void member_patch(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *role_s = NULL;
    int active = -1;
    if (member_patch_input(req, ws, id, body, &role_s, &active) == 0) {
        store_user u;
        int rc = store_member_update(app->store, ws->org.id, id, role_s, active, &u);
        if (rc == RA_OK)
            http_reply_json(req, 200, api_user_json(&u));
        else if (rc == RA_ERR_REFUSED)
            api_reply_error(req, API_USER_SUSPENDED,
                            "The platform suspended this member; only a platform administrator "
                            "can lift it, and nothing was changed.",
                            "active", NULL);
        else
            reply_store_error(req, "changing a member", rc);
    }
    json_decref(body);
}

/* True when password meets the policy; else replies 400. */
static int new_password_ok(http_request *req, const char *password)
{
    if (password != NULL && password_check_policy(password) == RA_OK)
        return 1;
    api_reply_invalid(req, "password",
                      "The password needs 8 to 1024 characters and may not "
                      "be only spaces.");
    return 0;
}

/* The second half of setting a member's password, once it is hashed. */
static void member_password_hashed(http_request *req, api_app *app, int rc, const char *hash,
                                   void *state)
{
    const api_web_state *st = state;
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    if (rc == RA_OK)
        rc = store_member_set_password(app->store, st->ws.org.id, id, hash, st->ws.session.id);
    if (rc == RA_OK)
        http_reply(req, 204, "text/plain", "", 0);
    else
        reply_store_error(req, "setting a password", rc);
}

static void member_password(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *password;
    store_user u;
    int rc = RA_ERR_INVALID;
    if (string_member(req, body, "password", &password) == 0 && new_password_ok(req, password)) {
        rc = store_member_get(app->store, ws->org.id, id, &u);
        if (rc != RA_OK)
            reply_store_error(req, "setting a password", rc);
    }
    if (rc == RA_OK)
        api_web_hash_password(req, app, ws, body, password, member_password_hashed);
    else
        json_decref(body);
}

/* ---- usage ------------------------------------------------------------------------ */

typedef struct usage_table {
    char months[USAGE_MONTHS_MAX][16]; /* YYYY-MM, newest first */
    int n_months;
    json_t *members; /* [{userId, name, reports, credits}] */
    json_t *api;     /* {reports, credits} */
} usage_table;

static json_t *zeros(int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(0));
    return a;
}

static void usage_member(const store_user *u, void *ctx)
{
    usage_table *t = ctx;
    json_array_append_new(t->members,
                          json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "userId", u->id, "name",
                                    u->name, "role", u->role, "active", u->active, "reports",
                                    zeros(t->n_months), "credits", zeros(t->n_months)));
}

static void usage_add(const store_usage_row *r, void *ctx)
{
    usage_table *t = ctx;
    int m = 0;
    while (m < t->n_months && strcmp(t->months[m], r->month) != 0)
        m++;
    if (m == t->n_months)
        return;
    json_t *target = NULL;
    if (r->user_id[0] == '\0')
        target = t->api;
    for (size_t i = 0; target == NULL && i < json_array_size(t->members); i++) {
        json_t *member = json_array_get(t->members, i);
        if (strcmp(json_string_value(json_object_get(member, "userId")), r->user_id) == 0)
            target = member;
    }
    if (target == NULL)
        return;
    json_array_set_new(json_object_get(target, "reports"), (size_t)m, json_integer(r->reports));
    json_array_set_new(json_object_get(target, "credits"), (size_t)m, json_integer(r->credits));
}

/* The n months up to this one (UTC), newest first, as YYYY-MM. */
static void last_months(usage_table *t, int n)
{
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    int year = (now[0] - '0') * 1000 + (now[1] - '0') * 100 + (now[2] - '0') * 10 + (now[3] - '0');
    int month = (now[5] - '0') * 10 + (now[6] - '0');
    for (int i = 0; i < n; i++) {
        snprintf(t->months[i], sizeof t->months[i], "%04u-%02u", (unsigned)year % 10000u,
                 (unsigned)month % 100u);
        if (--month == 0) {
            month = 12;
            year--;
        }
    }
    t->n_months = n;
}

static void org_usage(http_request *req, api_app *app, const web_session *ws)
{
    const char *months_s = http_query(req, "months");
    int64_t n = 6;
    if (months_s != NULL && opts_int(months_s, 1, USAGE_MONTHS_MAX, &n) != RA_OK) {
        api_reply_invalid(req, "months", "months must be a whole number from 1 to 24.");
        return;
    }
    usage_table t = {
        .members = json_array(),
        .api = json_pack("{s:o, s:o}", "reports", zeros((int)n), "credits", zeros((int)n))};
    last_months(&t, (int)n);
    int rc = store_org_members_each(app->store, ws->org.id, usage_member, &t);
    if (rc == RA_OK)
        rc = store_org_usage_each(app->store, ws->org.id, t.months[n - 1], usage_add, &t);
    if (rc != RA_OK) {
        json_decref(t.members);
        json_decref(t.api);
        api_reply_internal(req, "reading usage", rc);
        return;
    }
    json_t *months = json_array();
    for (int i = 0; i < t.n_months; i++)
        json_array_append_new(months, json_string(t.months[i]));
    http_reply_json(
        req, 200,
        json_pack("{s:o, s:o, s:o}", "months", months, "members", t.members, "api", t.api));
}

/* ---- settings ---------------------------------------------------------------------- */

/* The callback signing secret as the settings show it: who made it when,
 * never the secret; null while there is none. */
static json_t *secret_json(const store_org *o)
{
    if (o->callback_secret_at[0] == '\0')
        return json_null();
    return json_pack("{s:s, s:s}", "createdAt", o->callback_secret_at, "createdBy",
                     o->callback_secret_by);
}

static json_t *settings_json(const store_org *o)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:o}", "callbackUrl", o->callback_url, "inputLang",
                     o->input_lang, "outputLang", o->output_lang, "audioRetentionDays",
                     o->audio_retention_days, "callbackSecret", secret_json(o));
}

static void settings_get(http_request *req, api_app *app, const web_session *ws)
{
    store_org o;
    int rc = store_org_get(app->store, ws->org.id, &o);
    if (rc == RA_OK)
        http_reply_json(req, 200, settings_json(&o));
    else
        api_reply_internal(req, "reading settings", rc);
}

/* Checks the settings in body over the current ones in *o (a member left
 * out keeps its value); -1 after replying 400. */
static int settings_input(http_request *req, const api_app *app, const json_t *body, store_org *o)
{
    const char *url, *in, *out;
    int64_t days = o->audio_retention_days;
    if (string_member(req, body, "callbackUrl", &url) != 0 ||
        string_member(req, body, "inputLang", &in) != 0 ||
        string_member(req, body, "outputLang", &out) != 0)
        return -1;
    char why[200];
    if (url != NULL && *url != '\0' &&
        (strlen(url) >= sizeof o->callback_url ||
         webhook_check_url(url, &app->webhooks, why, sizeof why) != RA_OK)) {
        api_reply_error(req, API_INVALID_CALLBACK_URL,
                        strlen(url) >= sizeof o->callback_url ? "The URL is too long." : why,
                        "callbackUrl", NULL);
        return -1;
    }
    if (in != NULL && !api_lang_known(in)) {
        api_reply_invalid(req, "inputLang", "inputLang must be one of tr, en, ru, az, fr, de.");
        return -1;
    }
    if (out != NULL && !api_lang_known(out)) {
        api_reply_invalid(req, "outputLang", "outputLang must be one of tr, en, ru, az, fr, de.");
        return -1;
    }
    int has_days = api_json_int(body, "audioRetentionDays", &days);
    if (has_days < 0 || days < 0 || days > RETENTION_MAX) {
        api_reply_invalid(req, "audioRetentionDays",
                          "audioRetentionDays must be a whole number from 0 to 365.");
        return -1;
    }
    if (json_object_get(body, "callbackUrl") != NULL)
        snprintf(o->callback_url, sizeof o->callback_url, "%s", url ? url : "");
    if (in != NULL)
        snprintf(o->input_lang, sizeof o->input_lang, "%s", in);
    if (out != NULL)
        snprintf(o->output_lang, sizeof o->output_lang, "%s", out);
    o->audio_retention_days = (int)days;
    return 0;
}

static void settings_put(http_request *req, api_app *app, const web_session *ws)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    store_org o;
    int rc = store_org_get(app->store, ws->org.id, &o);
    if (rc != RA_OK)
        api_reply_internal(req, "reading settings", rc);
    else if (settings_input(req, app, body, &o) == 0) {
        rc = store_org_set_settings(app->store, o.id, o.callback_url, o.input_lang, o.output_lang,
                                    o.audio_retention_days, &o);
        if (rc == RA_OK)
            http_reply_json(req, 200, settings_json(&o));
        else
            api_reply_internal(req, "saving settings", rc);
    }
    json_decref(body);
}

/* Makes a new callback signing secret (32 random bytes in hex, as a job's
 * hmacSecret) and stores it by change; replies 201 with it, the one time it
 * is shown, or 409 when the organization's state does not allow change. */
static void secret_change(http_request *req, api_app *app, const web_session *ws,
                          store_secret_change change)
{
    char secret[STORE_CALLBACK_SECRET_LEN + 1];
    ids_hex(secret, STORE_CALLBACK_SECRET_LEN / 2);
    store_org o;
    int rc =
        store_org_set_callback_secret(app->store, ws->org.id, change, secret, ws->user.email, &o);
    if (rc == RA_OK) {
        log_info("web: callback signing secret of organization %s %s by user %s", ws->org.id,
                 change == STORE_SECRET_CREATE ? "created" : "rotated", ws->user.id);
        json_t *out = secret_json(&o);
        json_object_set_new(out, "secret", json_string(secret));
        http_reply_json(req, 201, out);
    } else if (rc == RA_ERR_EXISTS) {
        api_reply_error(req, API_CONFLICT,
                        "The organization has a callback signing secret already; rotate it "
                        "to get a new one.",
                        NULL, NULL);
    } else if (rc == RA_ERR_REFUSED) {
        api_reply_error(req, API_CONFLICT,
                        "The organization has no callback signing secret yet; create one.", NULL,
                        NULL);
    } else {
        api_reply_internal(req, "setting the callback signing secret", rc);
    }
}

static void secret_create(http_request *req, api_app *app, const web_session *ws)
{
    secret_change(req, app, ws, STORE_SECRET_CREATE);
}

static void secret_rotate(http_request *req, api_app *app, const web_session *ws)
{
    secret_change(req, app, ws, STORE_SECRET_ROTATE);
}

/* ---- API keys ------------------------------------------------------------------------ */

static const char *key_status(const store_key *k)
{
    if (k->revoked_at[0] != '\0')
        return "revoked";
    if (k->expires_ms == 0)
        return "active";
    return store_key_is_live(k, time_now_ms()) ? "expiring" : "expired";
}

static json_t *key_json(const store_key *k)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:s}", "id", k->id, "prefix", k->prefix,
        "label", k->label, "createdAt", k->created_at, "createdBy", k->user_email, "lastUsedAt",
        api_json_text_or_null(k->last_used_at), "useCount", (json_int_t)k->use_count, "revokedAt",
        api_json_text_or_null(k->revoked_at), "expiresAt", api_json_text_or_null(k->expires_at),
        "replacedBy", api_json_text_or_null(k->replaced_by), "status", key_status(k));
}

static void add_key(const store_key *k, void *ctx)
{
    json_array_append_new(ctx, key_json(k));
}

static void keys_list(http_request *req, api_app *app, const web_session *ws)
{
    json_t *items = json_array();
    int rc = store_key_each(app->store, ws->org.id, add_key, items);
    api_reply_items(req, items, rc, "listing keys");
}

/* The label of body (default when absent and dflt is set); -1 after
 * replying 400. */
static int key_label(http_request *req, const json_t *body, const char *dflt, const char **label)
{
    if (string_member(req, body, "label", label) != 0)
        return -1;
    if (*label == NULL)
        *label = dflt;
    if (*label != NULL && text_check_name(*label, STORE_LABEL_MAX) == RA_OK)
        return 0;
    api_reply_invalid(req, "label",
                      "Give a label of 1 to 100 characters, without control "
                      "characters or surrounding spaces.");
    return -1;
}

/* A new key: the secret and what the store keeps of it. */
typedef struct new_key {
    char secret[APIKEY_LEN + 1], hash[APIKEY_HASH_HEX], prefix[APIKEY_PREFIX_LEN + 1];
} new_key;

static void new_key_make(new_key *k)
{
    apikey_generate(k->secret);
    apikey_hash(k->secret, k->hash);
    apikey_prefix(k->secret, k->prefix);
}

/* key_json plus "key", the whole secret (shown this once). */
static json_t *key_with_secret(const store_key *k, const new_key *nk)
{
    json_t *out = key_json(k);
    json_object_set_new(out, "key", json_string(nk->secret));
    return out;
}

static void key_create(http_request *req, api_app *app, const web_session *ws)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *label;
    if (key_label(req, body, "API key", &label) == 0) {
        new_key nk;
        store_key k;
        new_key_make(&nk);
        int rc =
            store_key_create(app->store, nk.hash, nk.prefix, label, ws->org.id, ws->user.id, &k);
        if (rc == RA_OK) {
            log_info("web: API key %s created", k.prefix);
            http_reply_json(req, 201, key_with_secret(&k, &nk));
        } else if (rc == RA_ERR_REFUSED) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     "The organization has %d live API keys, the most allowed; revoke one "
                     "first.",
                     app->limits.keys_per_org);
            api_reply_error(req, API_LIMIT_REACHED, msg, NULL, NULL);
        } else {
            api_reply_internal(req, "creating a key", rc);
        }
    }
    json_decref(body);
}

static void key_patch(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    const char *label;
    if (key_label(req, body, NULL, &label) == 0) {
        store_key k;
        int rc = store_key_set_label(app->store, ws->org.id, id, label, &k);
        if (rc == RA_OK)
            http_reply_json(req, 200, key_json(&k));
        else
            reply_store_error(req, "renaming a key", rc);
    }
    json_decref(body);
}

static void key_rotate(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    int64_t hours = 24;
    if (api_json_int(body, "graceHours", &hours) < 0 || hours < 0 || hours > GRACE_HOURS_MAX) {
        api_reply_invalid(req, "graceHours", "graceHours must be a whole number from 0 to 168.");
    } else {
        new_key nk;
        store_key fresh, old;
        new_key_make(&nk);
        int rc = store_key_rotate(app->store, ws->org.id, id, nk.hash, nk.prefix, ws->user.id,
                                  time_now_ms() + hours * 3600000, &fresh, &old);
        if (rc == RA_OK) {
            log_info("web: API key %s rotated to %s", old.prefix, fresh.prefix);
            json_t *out = key_with_secret(&fresh, &nk);
            json_object_set_new(out, "previous", key_json(&old));
            http_reply_json(req, 201, out);
        } else if (rc == RA_ERR_EXISTS) {
            api_reply_error(req, API_CONFLICT,
                            "This key is revoked or was rotated already; "
                            "rotate its replacement, or create a new key.",
                            NULL, NULL);
        } else {
            reply_store_error(req, "rotating a key", rc);
        }
    }
    json_decref(body);
}

static void key_revoke(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    store_key k;
    int rc = store_key_revoke(app->store, ws->org.id, id, &k);
    if (rc == RA_OK) {
        log_info("web: API key %s revoked", k.prefix);
        http_reply_json(req, 200, key_json(&k));
    } else if (rc == RA_ERR_EXISTS) {
        api_reply_error(req, API_CONFLICT, "This key is revoked already.", NULL, NULL);
    } else {
        reply_store_error(req, "revoking a key", rc);
    }
}

/* ---- the pilot view ------------------------------------------------------------------ */

typedef struct job_batch {
    store_job_summary *jobs;
    size_t n, cap;
} job_batch;

static void batch_add(const store_job_summary *j, void *ctx)
{
    job_batch *b = ctx;
    if (b->n < b->cap)
        b->jobs[b->n++] = *j;
}

static void add_attempt(const store_callback_attempt *a, void *ctx)
{
    json_array_append_new(
        ctx, json_pack("{s:i, s:s, s:o, s:o}", "attempt", a->attempt, "at", a->at, "httpStatus",
                       a->http_status >= 0 ? json_integer(a->http_status) : json_null(), "error",
                       api_json_text_or_null(a->error)));
}

static int pilot_job_json(api_app *app, const store_job_summary *j, json_t **out)
{
    json_t *callback = json_null();
    int rc = RA_OK;
    if (j->cb_url[0] != '\0') {
        json_t *attempts = json_array();
        rc = store_callback_attempts_each(app->store, j->id, add_attempt, attempts);
        callback = json_pack("{s:s, s:s, s:o}", "url", j->cb_url, "status", j->cb_status,
                             "attempts", attempts);
    }
    *out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:s, s:o}", "jobId", j->id, "kind",
                     j->kind, "status", j->status, "createdAt", j->created_at, "finishedAt",
                     api_json_text_or_null(j->finished_at), "examCount", (json_int_t)j->exam_count,
                     "errorCode", api_json_text_or_null(j->error_code), "errorMessage",
                     api_json_text_or_null(j->error_message), "keyPrefix", j->key_prefix,
                     "callback", callback);
    return rc;
}

static void org_jobs(http_request *req, api_app *app, const web_session *ws)
{
    const char *state;
    if (api_query_job_state(req, &state) != 0)
        return;
    job_batch b = {.jobs = calloc(PILOT_JOBS, sizeof(store_job_summary)), .cap = PILOT_JOBS};
    store_job_filter f = {
        .org_id = ws->org.id, .api_only = 1, .status = state, .offset = 0, .limit = PILOT_JOBS};
    int rc = b.jobs ? store_job_list(app->store, &f, batch_add, &b, NULL) : RA_ERR_NOMEM;
    json_t *items = json_array();
    for (size_t i = 0; rc == RA_OK && i < b.n; i++) {
        json_t *item = NULL;
        rc = pilot_job_json(app, &b.jobs[i], &item);
        json_array_append_new(items, item);
    }
    free(b.jobs);
    api_reply_items(req, items, rc, "listing pilot jobs");
}

static const web_route routes[] = {
    {"GET", "/api/v1/org/members", MANAGERS, members_list},
    {"POST", "/api/v1/org/members", MANAGERS, member_add},
    {"PATCH", "/api/v1/org/members/{}", MANAGERS, member_patch},
    {"POST", "/api/v1/org/members/{}/password", MANAGERS, member_password},
    {"GET", "/api/v1/org/usage", MANAGERS, org_usage},
    {"GET", "/api/v1/org/settings", MANAGERS, settings_get},
    {"PUT", "/api/v1/org/settings", MANAGERS, settings_put},
    {"POST", "/api/v1/org/settings/callback-secret", MANAGERS, secret_create},
    {"POST", "/api/v1/org/settings/callback-secret/rotate", MANAGERS, secret_rotate},
    {"GET", "/api/v1/org/keys", MANAGERS, keys_list},
    {"POST", "/api/v1/org/keys", MANAGERS, key_create},
    {"PATCH", "/api/v1/org/keys/{}", MANAGERS, key_patch},
    {"POST", "/api/v1/org/keys/{}/rotate", MANAGERS, key_rotate},
    {"POST", "/api/v1/org/keys/{}/revoke", MANAGERS, key_revoke},
    {"GET", "/api/v1/org/jobs", PILOT_ROLES, org_jobs},
};

const web_route_table web_org_routes = {routes, sizeof routes / sizeof routes[0]};

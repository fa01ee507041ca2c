/* web_admin.c - the admin console (path admin, role admin; see
 * docs/web-api.md): organizations with their state (create, approve,
 * deactivate, activate), users (find, activate, deactivate), every job of
 * the platform with its failure, and the service's health.
 *
 * Deactivating an organization is the platform's suspension of it: its
 * members' sessions end in the same transaction, its API keys then answer
 * 403 (external.c), only an admin activates it again, and who did it when
 * is recorded. A user's suspension is the same for one person: apart from
 * the active flag their organization's managers set, it bars sign-in and
 * API keys, ends their sessions, and only an admin lifts it. The admin sees
 * no patient data: job lists carry ids, states and error codes only. */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/log.h"
#include "core/text.h"

#define ADMINS WEB_ROLE(ROLE_ADMIN)
#define PAGE_SIZE 50
#define QUERY_MAX 200 /* characters in a user search */

static json_t *paged(json_t *items, int64_t page, int64_t total)
{
    return json_pack("{s:o, s:I, s:i, s:I}", "items", items, "page", (json_int_t)page, "pageSize",
                     PAGE_SIZE, "total", (json_int_t)total);
}

/* ---- organizations ------------------------------------------------------------------ */

/* api_org_json plus who deactivated it when (null while active). */
static json_t *admin_org_json(const store_org *o)
{
    json_t *item = api_org_json(o);
    json_object_set_new(item, "deactivatedAt", api_json_text_or_null(o->deactivated_at));
    json_object_set_new(item, "deactivatedBy", api_json_text_or_null(o->deactivated_by));
    return item;
}

static void add_org(const store_org_summary *o, void *ctx)
{
    json_t *item = admin_org_json(&o->org);
    json_object_set_new(item, "memberCount", json_integer(o->members));
    json_array_append_new(ctx, item);
}

static void orgs_list(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    json_t *items = json_array();
    int rc = store_org_each(app->store, add_org, items);
    api_reply_items(req, items, rc, "listing organizations");
}

typedef struct new_org {
    const char *name, *type, *manager_name, *manager_email, *manager_password;
} new_org;

/* Reads and checks a new organization; -1 after replying 400. */
static int new_org_input(http_request *req, const json_t *body, new_org *n)
{
    static const char *const person_fields[3] = {"managerName", "managerEmail", "managerPassword"};
    const char *names[] = {"name", "type", "managerName", "managerEmail", "managerPassword"};
    const char **values[] = {&n->name, &n->type, &n->manager_name, &n->manager_email,
                             &n->manager_password};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int bad = 0;
        *values[i] = api_json_string(body, names[i], &bad);
        if (bad) {
            api_reply_invalid(req, names[i], "Every field must be a string.");
            return -1;
        }
    }
    if (n->name == NULL || text_check_name(n->name, STORE_NAME_MAX) != RA_OK)
        api_reply_invalid(req, "name",
                          "Give the organization's name: 1 to 200 characters, "
                          "without control characters or surrounding spaces.");
    else if (!org_type_valid(n->type))
        api_reply_invalid(req, "type", "type is hospital, imaging_center or teleradiology.");
    else
        return api_check_person(req, n->manager_name, n->manager_email, n->manager_password,
                                person_fields);
    return -1;
}

/* The second half of creating an organization, once the manager's password
 * is hashed; the body was checked by the first. */
static void org_hashed(http_request *req, api_app *app, int rc, const char *hash, void *state)
{
    const api_web_state *st = state;
    const json_t *body = st->body;
    store_org org;
    store_user manager;
    if (rc == RA_OK)
        rc = store_org_create_with_manager(
            app->store, json_string_value(json_object_get(body, "name")),
            json_string_value(json_object_get(body, "type")),
            json_string_value(json_object_get(body, "managerName")),
            json_string_value(json_object_get(body, "managerEmail")), hash, &org, &manager);
    if (rc == RA_OK) {
        log_info("web: organization %s created by admin %s", org.id, st->ws.user.id);
        json_t *o = admin_org_json(&org);
        json_object_set_new(o, "memberCount", json_integer(1));
        http_reply_json(
            req, 201,
            json_pack("{s:o, s:o}", "organization", o, "manager", api_user_json(&manager)));
    } else if (rc == RA_ERR_EXISTS) {
        api_reply_error(req, API_ALREADY_EXISTS, "A user with this e-mail exists already.",
                        "managerEmail", NULL);
    } else {
        api_reply_internal(req, "creating an organization", rc);
    }
}

static void org_create(http_request *req, api_app *app, const web_session *ws)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    new_org n;
    if (new_org_input(req, body, &n) != 0) {
        json_decref(body);
        return;
    }
    api_web_hash_password(req, app, ws, body, n.manager_password, org_hashed);
}

static void org_change(http_request *req, api_app *app, const web_session *ws,
                       store_org_change change)
{
    static const char *const done[] = {"approved", "activated", "deactivated"};
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    store_org org;
    int rc = store_org_change_state(app->store, id, change, ws->user.email, &org);
    if (rc == RA_OK) {
        log_info("web: organization %s %s by admin %s", id, done[change], ws->user.id);
        http_reply_json(req, 200, admin_org_json(&org));
    } else if (rc == RA_ERR_EXISTS) {
        api_reply_error(req, API_CONFLICT,
                        change == STORE_ORG_APPROVE
                            ? "The organization is not waiting for approval."
                            : "The organization waits for approval: approve it instead.",
                        NULL, NULL);
    } else if (rc == RA_ERR_NOT_FOUND) {
        api_reply_error(req, API_NOT_FOUND, NULL, NULL, NULL);
    } else {
        api_reply_internal(req, "changing an organization", rc);
    }
}

static void org_approve(http_request *req, api_app *app, const web_session *ws)
{
    org_change(req, app, ws, STORE_ORG_APPROVE);
}

static void org_activate(http_request *req, api_app *app, const web_session *ws)
{
    org_change(req, app, ws, STORE_ORG_ACTIVATE);
}

static void org_deactivate(http_request *req, api_app *app, const web_session *ws)
{
    org_change(req, app, ws, STORE_ORG_DEACTIVATE);
}

/* ---- users ------------------------------------------------------------------------ */

static json_t *user_row_json(const store_user *u, const char *org_name)
{
    json_t *item = api_user_json(u);
    json_object_set_new(item, "suspendedAt", api_json_text_or_null(u->suspended_at));
    json_object_set_new(item, "suspendedBy", api_json_text_or_null(u->suspended_by));
    json_object_set_new(item, "organizationId", api_json_text_or_null(u->org_id));
    json_object_set_new(item, "organizationName", api_json_text_or_null(org_name));
    return item;
}

static void add_user(const store_user_row *u, void *ctx)
{
    json_array_append_new(ctx, user_row_json(&u->user, u->org_name));
}

static void users_list(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    const char *q = http_query(req, "q");
    int64_t page, total = 0;
    if (q != NULL && (!text_is_utf8(q, strlen(q)) || text_length(q) > QUERY_MAX)) {
        api_reply_invalid(req, "q", "q must be text of at most 200 characters.");
        return;
    }
    if (api_query_page(req, &page) != 0)
        return;
    json_t *items = json_array();
    int rc = store_user_search(app->store, q, (page - 1) * PAGE_SIZE, PAGE_SIZE, add_user, items,
                               &total);
    if (rc != RA_OK) {
        json_decref(items);
        api_reply_internal(req, "finding users", rc);
        return;
    }
    http_reply_json(req, 200, paged(items, page, total));
}

static void user_patch(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    int active = -1;
    store_user u;
    store_org org = {0};
    if (api_json_bool(body, "active", &active) <= 0) {
        api_reply_invalid(req, "active", "Send active: true or false.");
    } else if (strcmp(id, ws->user.id) == 0 && !active) {
        api_reply_invalid(req, "active", "You cannot deactivate yourself; another admin can.");
    } else {
        int rc = store_user_get(app->store, id, &u);
        if (rc == RA_OK)
            rc = store_user_set_active(app->store, id, active);
        if (rc == RA_OK)
            rc = store_user_get(app->store, id, &u);
        if (rc == RA_OK && u.org_id[0] != '\0')
            rc = store_org_get(app->store, u.org_id, &org);
        if (rc == RA_OK) {
            log_info("web: user %s %s by admin %s", id, active ? "activated" : "deactivated",
                     ws->user.id);
            http_reply_json(req, 200, user_row_json(&u, org.name));
        } else if (rc == RA_ERR_NOT_FOUND) {
            api_reply_error(req, API_NOT_FOUND, NULL, NULL, NULL);
        } else {
            api_reply_internal(req, "changing a user", rc);
        }
    }
    json_decref(body);
}

/* Suspends (suspended 1) or lifts the suspension of the user in the path:
 * 200 the user, 409 when they are in that state already, 400 for the
 * admin's own account; nothing changes on refusal. */
static void user_suspension(http_request *req, api_app *app, const web_session *ws, int suspended)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 4, id) != 0)
        return;
    if (suspended && strcmp(id, ws->user.id) == 0) {
        api_reply_invalid(req, NULL, "You cannot suspend yourself; another admin can.");
        return;
    }
    store_user u;
    store_org org = {0};
    int rc = store_user_set_suspended(app->store, id, suspended, ws->user.email, &u);
    if (rc == RA_OK && u.org_id[0] != '\0')
        rc = store_org_get(app->store, u.org_id, &org);
    if (rc == RA_OK) {
        log_info("web: user %s %s by admin %s", id, suspended ? "suspended" : "no longer suspended",
                 ws->user.id);
        http_reply_json(req, 200, user_row_json(&u, org.name));
    } else if (rc == RA_ERR_EXISTS) {
        api_reply_error(req, API_CONFLICT,
                        suspended ? "The user is suspended already." : "The user is not suspended.",
                        NULL, NULL);
    } else if (rc == RA_ERR_NOT_FOUND) {
        api_reply_error(req, API_NOT_FOUND, NULL, NULL, NULL);
    } else {
        api_reply_internal(req, "changing a user's suspension", rc);
    }
}

static void user_suspend(http_request *req, api_app *app, const web_session *ws)
{
    user_suspension(req, app, ws, 1);
}

static void user_unsuspend(http_request *req, api_app *app, const web_session *ws)
{
    user_suspension(req, app, ws, 0);
}

/* ---- jobs ---------------------------------------------------------------------------- */

static void add_job(const store_job_summary *j, void *ctx)
{
    json_array_append_new(
        ctx, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:i, s:I, s:o, s:o}",
                       "jobId", j->id, "organizationId", j->org_id, "organizationName", j->org_name,
                       "kind", j->kind, "status", j->status, "source", j->source, "keyPrefix",
                       api_json_text_or_null(j->key_prefix), "createdAt", j->created_at,
                       "startedAt", api_json_text_or_null(j->started_at), "finishedAt",
                       api_json_text_or_null(j->finished_at), "attempts", j->attempts, "examCount",
                       (json_int_t)j->exam_count, "errorCode", api_json_text_or_null(j->error_code),
                       "errorMessage", api_json_text_or_null(j->error_message)));
}

static void jobs_list(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    const char *state;
    int64_t page, total = 0;
    if (api_query_job_state(req, &state) != 0 || api_query_page(req, &page) != 0)
        return;
    store_job_filter f = {.org_id = NULL,
                          .api_only = 0,
                          .status = state,
                          .offset = (page - 1) * PAGE_SIZE,
                          .limit = PAGE_SIZE};
    json_t *items = json_array();
    int rc = store_job_list(app->store, &f, add_job, items, &total);
    if (rc != RA_OK) {
        json_decref(items);
        api_reply_internal(req, "listing jobs", rc);
        return;
    }
    http_reply_json(req, 200, paged(items, page, total));
}

/* ---- health -------------------------------------------------------------------------- */

/* The languages a speech engine serves, as a JSON array, and the engine of
 * each, {"en": "local", "tr": "openai"}; names gets the engines in use:
 * "local", "openai" or "local, openai". */
static json_t *speech_engines(const asr_routing *r, json_t **langs, char *names, size_t len)
{
    json_t *out = json_object();
    int used[ASR_OPENAI + 1] = {0};
    *langs = json_array();
    for (int i = 0; i < LANG_COUNT; i++) {
        const char *engine = asr_kind_name(r->by_lang[i]);
        if (engine == NULL)
            continue;
        json_array_append_new(*langs, json_string(lang_codes[i]));
        json_object_set_new(out, lang_codes[i], json_string(engine));
        used[r->by_lang[i]] = 1;
    }
    snprintf(names, len, "%s%s%s", used[ASR_LOCAL] ? "local" : "",
             used[ASR_LOCAL] && used[ASR_OPENAI] ? ", " : "", used[ASR_OPENAI] ? "openai" : "");
    return out;
}

static void health(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    int64_t pending = 0, processing = 0;
    int rc = store_ping(app->store);
    if (rc == RA_OK)
        rc = store_job_queue_counts(app->store, &pending, &processing);
    if (rc != RA_OK) {
        log_error("web: health check: the database does not answer: %s", ra_strerror(rc));
        api_reply_error(req, API_UNAVAILABLE, "The database is not reachable.", NULL, NULL);
        return;
    }
    /* The local engine (pocketsphinx), and the openai engine for the
     * languages the hospital's speech servers take. */
    char names[32];
    json_t *langs = NULL;
    json_t *engines = speech_engines(app->speech, &langs, names, sizeof names);
    http_reply_json(req, 200,
                    json_pack("{s:{s:I, s:I}, s:i, s:{s:s, s:o, s:o}, s:s}", "queue", "pending",
                              (json_int_t)pending, "processing", (json_int_t)processing, "workers",
                              app->workers, "speech", "engine", names, "languages", langs,
                              "engines", engines, "database", "ok"));
}

static const web_route routes[] = {
    {"GET", "/api/v1/admin/organizations", ADMINS, orgs_list},
    {"POST", "/api/v1/admin/organizations", ADMINS, org_create},
    {"POST", "/api/v1/admin/organizations/{}/approve", ADMINS, org_approve},
    {"POST", "/api/v1/admin/organizations/{}/deactivate", ADMINS, org_deactivate},
    {"POST", "/api/v1/admin/organizations/{}/activate", ADMINS, org_activate},
    {"GET", "/api/v1/admin/users", ADMINS, users_list},
    {"PATCH", "/api/v1/admin/users/{}", ADMINS, user_patch},
    {"POST", "/api/v1/admin/users/{}/suspend", ADMINS, user_suspend},
    {"POST", "/api/v1/admin/users/{}/unsuspend", ADMINS, user_unsuspend},
    {"GET", "/api/v1/admin/jobs", ADMINS, jobs_list},
    {"GET", "/api/v1/admin/health", ADMINS, health},
};

const web_route_table web_admin_routes = {routes, sizeof routes / sizeof routes[0]};

/* internal.h - what the handler files of src/api share: the authenticated
 * caller of an External API request and the reply helpers. */
#ifndef RAPORTAI_API_INTERNAL_H
#define RAPORTAI_API_INTERNAL_H

#include "api/api.h"
#include "api/apierror.h"
#include "auth/roles.h"
#include "auth/session.h"

/* The caller of an External API request, after authentication: the key;
 * of its user the id, role, organization and active (1); of its
 * organization the id, active and the balance (credits; -1 until read).
 * The other fields of user and org are empty. */
typedef struct api_caller {
    store_key key;
    store_user user;
    store_org org;
} api_caller;

typedef void (*api_public_fn)(http_request *req, api_app *app);
typedef void (*api_external_fn)(http_request *req, api_app *app, const api_caller *caller);

/* Authenticates an External API request and applies the rate limit. On
 * success returns RA_OK with *caller filled and the rate-limit headers
 * added, and the balance read unless own_balance says the handler reads it
 * itself (api_caller_balance); otherwise it has already replied (401, 403,
 * 429 or 503). */
int api_external_auth(http_request *req, api_app *app, int own_balance, api_caller *caller);
/* Reads the caller's organization's balance into caller->org.credits. */
int api_caller_balance(api_app *app, api_caller *caller);

/* Replies 2xx with body plus "remainingCredits" (takes the reference). */
void api_external_reply(http_request *req, unsigned status, const api_caller *caller, json_t *body);
/* Replies with an error plus "remainingCredits". */
void api_external_error(http_request *req, const api_caller *caller, api_error e,
                        const char *message, const char *field);

/* The final segment of the path, for routes ending in "/{}". */
const char *api_path_param(http_request *req);

/* The poll response of a job (without remainingCredits); NULL when the job
 * cannot be read (*rc says why: RA_ERR_NOT_FOUND for another
 * organization's job). */
json_t *api_job_json(api_app *app, const char *job_id, const char *org_id, const char *kind,
                     int *rc);

/* ---- report job submission (submit.c) ------------------------------------------
 * The External API's POST /report and /pacs/report and the web app's
 * POST /api/v1/jobs read their fields their own way into an api_submission
 * and answer their own way; api_submit does everything between: the checks,
 * the audio, the job with its credits reserved (one transaction), waking the
 * workers. A refusal leaves nothing written. */
typedef struct api_submission {
    const char *kind; /* "report" or "pacs" */
    store_exam_input exams[STORE_EXAMS_MAX];
    size_t n_exams;
    const char *patient_id, *patient_name, *callback_url;
    const char *input_lang, *output_lang, *transcript; /* langs NULL: "tr" */
    int signed_by_org; /* the callback is signed with the organization's secret (the web app's
                          jobs, which call the organization's URL), not the job's hmacSecret */
} api_submission;

/* Who pays and who is recorded: the organization (org->credits is the
 * balance before), and the External API key or the web app's user. */
typedef struct api_submitter {
    const store_org *org;
    const char *key_id;  /* NULL for the web app */
    const char *user_id; /* NULL for the External API */
} api_submitter;

typedef struct api_accepted {
    char job_id[UUID_LEN];
    char hmac_secret[65];
    int64_t balance; /* credits after the reservation */
    int64_t estimated_s;
} api_accepted;

typedef struct api_refusal {
    api_error code;
    char message[256];         /* "" means the catalogue's message */
    char field[48];            /* "" when no one field is at fault */
    char dup_job_id[UUID_LEN]; /* DUPLICATE_SUBMISSION: the earlier job */
    int retry_after_s;         /* > 0: answered with Retry-After (a pool was full) */
} api_refusal;

/* Records a refusal (message from fmt, field may be NULL); returns -1 so
 * `return api_refuse(...)` reads as one idea. */
__attribute__((format(printf, 4, 5))) int api_refuse(api_refusal *f, api_error code,
                                                     const char *field, const char *fmt, ...);

/* RA_OK when the request's form can be read; RA_ERR_REFUSED with *why
 * filled when it is not multipart/form-data, is malformed, or its text
 * fields are too large. */
int api_submit_form_check(http_request *req, api_refusal *why);
/* POST /report's single-exam fields (empty ones count as absent) into *s. */
void api_submission_from_form(http_request *req, api_submission *s);
/* Reads POST /pacs/report's metadata JSON (text NULL: the field is
 * missing) into s: its patient, callback, languages and exams, unknown
 * members refused. s's strings then point into *meta, which the caller
 * releases with json_decref (also on failure; it may be NULL). RA_OK, or
 * RA_ERR_REFUSED with *f filled. Touches nothing but s, *meta and *f. */
int api_metadata_read(const char *text, api_submission *s, json_t **meta, api_refusal *f);
/* Checks every field of s as api_submit does before it looks at the audio
 * (lengths, text, SUT codes, accession numbers, the callback URL, the
 * languages against app's engines; empty languages become "tr"). RA_OK, or
 * RA_ERR_REFUSED with *f filled. Reads only app's settings: no store, no
 * disk, no network. */
int api_submission_check(api_submission *s, const api_app *app, api_refusal *f);
/* The second half of a submission, on an HTTP thread: it must reply. rc is
 * RA_OK with *ok filled, or RA_ERR_REFUSED with *why filled (a 4xx;
 * UNAVAILABLE when the database failed, or with why->retry_after_s set when
 * the probing pool's queue was full) and nothing written. state is the
 * caller's, as handed to api_submit. */
typedef void (*api_submit_then)(http_request *req, api_app *app, int rc, const api_accepted *ok,
                                const api_refusal *why, void *state);
/* Checks s and the request's audio, keeps the audio and creates the job,
 * then calls then exactly once. The audio is probed (FFmpeg, up to
 * AUDIO_PROBE_BUDGET_S) on app->probing while the request waits suspended,
 * so then may run later, on another HTTP thread, after the handler
 * returned; without audio (a transcript, or a refusal before the probe) it
 * runs before api_submit returns. state is taken in every case:
 * free_state(state) (may be NULL) runs once then has run, or when the
 * client went away meanwhile. who and s, and everything they point to,
 * must stay valid until then: keep them in state. */
void api_submit(http_request *req, api_app *app, const api_submitter *who, api_submission *s,
                api_submit_then then, void *state, void (*free_state)(void *state));
/* Adds Retry-After to the reply when why asks for it (a full pool). */
void api_refusal_headers(http_request *req, const api_refusal *why);

/* ---- the web app's JSON API (/api/v1) ------------------------------------------ */
/* The signed-in person of a web request, after the session was checked. */
typedef struct web_session {
    store_session session;
    store_user user;
    store_org org; /* zeroed for platform staff (no organization) */
    role role;
    char csrf[SESSION_CSRF_HEX];
} web_session;

typedef void (*api_web_fn)(http_request *req, api_app *app, const web_session *ws);

/* The roles a web route serves, as a bit set. Each role signs in on one path,
 * so this also fixes the sign-in path whose sessions may call it. */
#define WEB_ROLE(r) (1u << (r))
#define WEB_REPORTING                                                                              \
    (WEB_ROLE(ROLE_INDIVIDUAL) | WEB_ROLE(ROLE_MANAGER) | WEB_ROLE(ROLE_RADIOLOGIST) |             \
     WEB_ROLE(ROLE_DOCTOR))
#define WEB_CORPORATE                                                                              \
    (WEB_ROLE(ROLE_MANAGER) | WEB_ROLE(ROLE_RADIOLOGIST) | WEB_ROLE(ROLE_DOCTOR) |                 \
     WEB_ROLE(ROLE_TECHNICAL))
#define WEB_SIGNED_IN ((1u << (ROLE_ACCOUNTING + 1)) - 1) /* any role */
#define WEB_PUBLIC 0u /* no session needed (sign-in, registration) */

/* A route of /api/v1: method, path ("{}" matches one segment anywhere, read
 * it with api_path_segment), the roles served, and the handler. A route with
 * roles WEB_PUBLIC gets ws == NULL. */
typedef struct web_route {
    const char *method;
    const char *path;
    unsigned roles;
    api_web_fn fn;
} web_route;

/* Each web_*.c file offers its routes as one table. */
typedef struct web_route_table {
    const web_route *routes;
    size_t count;
} web_route_table;
extern const web_route_table web_auth_routes, web_reporting_routes, web_org_routes,
    web_admin_routes, web_accounting_routes;
extern const web_route_table web_templates_routes, web_reports_routes;
extern const web_route_table web_macros_routes; /* web_macros.c: voice macros */

/* ---- passwords, hashed off the HTTP threads (hashing.c) ------------------------
 * argon2id runs on app->hashing while the request waits without holding an
 * HTTP thread; then the handler's second half, an api_password_then, runs
 * on an HTTP thread and must reply. rc is RA_OK (the hash was made: hash;
 * or the password matches), RA_ERR_INVALID (no match) or RA_ERR_NOMEM;
 * state is what the first half handed over. */
typedef void (*api_password_then)(http_request *req, api_app *app, int rc, const char *hash,
                                  void *state);
/* Checks password against hash on the pool; hash NULL or "" (an unknown
 * user) checks against a dummy hash, costing the same time, and answers
 * RA_ERR_INVALID. On RA_OK the handler returns at once and state is taken:
 * free_state(state) runs when the request ends (free_state may be NULL).
 * Otherwise nothing is taken, nothing was replied and the handler answers
 * with api_reply_hashing_busy: RA_ERR_REFUSED when the pool's queue is
 * full, RA_ERR_CANCELLED when the server is stopping, RA_ERR_NOMEM. */
int api_password_verify_off(http_request *req, api_app *app, const char *hash, const char *password,
                            api_password_then then, void *state, void (*free_state)(void *));
/* Answers a refusal of the hashing pool: 429 RATE_LIMIT with Retry-After
 * for a full queue, 503 while stopping, 500 otherwise. */
void api_reply_hashing_busy(http_request *req, int rc);

/* The state of a web handler's second half after api_web_hash_password:
 * the body its first half read and checked, and a copy of its session
 * (zeroed for a public route). */
typedef struct api_web_state {
    json_t *body;
    web_session ws;
} api_web_state;
/* Makes a new argon2id hash of password (a member of body) on the pool,
 * then calls then with an api_web_state holding body and a copy of ws (may
 * be NULL). Takes body. RA_OK; otherwise the pool refused, this has
 * replied (as api_reply_hashing_busy) and then never runs. */
int api_web_hash_password(http_request *req, api_app *app, const web_session *ws, json_t *body,
                          const char *password, api_password_then then);

/* ---- other slow work off the HTTP threads (pools.c) ------------------------------
 * Audio probing (app->probing, submit.c) and document rendering
 * (app->rendering, web_reports.c) run through http_offload like hashing.
 * A full queue is answered at once 503 UNAVAILABLE with Retry-After
 * (API_POOL_RETRY_S): the pools are the server's, shared by every
 * organization, like the upload room (docs/api.md, "Busy"). */
#define API_POOL_RETRY_S 5
/* Answers a refusal of http_offload for work of a pool: 503 UNAVAILABLE
 * with Retry-After for a full queue (RA_ERR_REFUSED), 503 while stopping
 * (RA_ERR_CANCELLED), 500 otherwise. what ("documents are being rendered")
 * goes into the message; extra (may be NULL) is merged into the body and
 * its reference taken. */
void api_reply_pool_busy(http_request *req, int rc, const char *what, json_t *extra);
/* The refusal for the same rc, for handlers that answer their own way.
 * The one place that logs a pool's refusal: a failure other than a full
 * queue or stopping is logged as an error with req's id (for both
 * functions); those two are not, the request's own line saying 503. */
void api_pool_refusal(http_request *req, int rc, const char *what, api_refusal *why);
/* A test hook, off unless the environment variable RAPORTAI_TEST_POOL_GATE
 * names a directory: when that directory holds a FIFO named pool ("probe",
 * "render"), a pool thread about to do such work opens it and reads it to
 * its end, so it waits until a test has opened the FIFO for writing (the
 * test then knows the thread is taken) and closed it again. Called on pool
 * threads only. */
void api_pool_gate(const char *pool);

/* Segment index (0-based: in /api/v1/reports/ID/export, "api" is 0 and ID
 * is 3) of the request path copied into out. RA_ERR_NOT_FOUND when the path
 * has no such segment, RA_ERR_INVALID when it does not fit. */
int api_path_segment(http_request *req, int index, char *out, size_t outlen);
/* The request body as a JSON object. NULL after replying 415 (not JSON),
 * 400 (malformed or not an object) or 413; the caller then just returns.
 * The caller owns the result. */
json_t *api_json_body(http_request *req);
/* A string member of obj: NULL when absent or null; *bad is set when it is
 * present with another type. */
const char *api_json_string(const json_t *obj, const char *name, int *bad);

/* A JSON object describing the user / organization, for web replies. */
json_t *api_user_json(const store_user *u);
json_t *api_org_json(const store_org *o);

/* Resolves the session cookie of req into *ws. RA_OK, or RA_ERR_NOT_FOUND
 * when there is no live session (none, unknown, expired, idle too long,
 * user or organization inactive). Does not reply. */
int api_web_session(http_request *req, api_app *app, web_session *ws);
/* Answers GET of a protected page: RA_OK when the session may see it (the
 * caller serves the file), else a 303 to the page's sign-in page was sent.
 * Pages that are not protected always return RA_OK. */
int api_web_page_guard(http_request *req, api_app *app, const char *path);
/* Admits a request under /api/v1/ from its headers: finds its route and
 * checks the Origin, the session, the role and the CSRF token. RA_OK with
 * *route set and, unless the route is WEB_PUBLIC, *ws filled; otherwise
 * RA_ERR_REFUSED after replying (404, 405, 401, 403, 500). */
int api_web_admit(http_request *req, api_app *app, const web_route **route, web_session *ws);

/* True when lang is one of the languages a job may name (tr, en, ru, az,
 * fr, de), whether or not an engine serves it now. */
int api_lang_known(const char *lang);

/* ---- request parameters of the web handlers (web_params.c) ------------------------- */
/* The "page" query parameter: 1 when absent. Replies 400 (field "page") and
 * returns -1 when it is not a whole number from 1 to 1000000. */
int api_query_page(http_request *req, int64_t *page);
/* A boolean member of obj: 0 when absent or null (*out untouched), 1 when
 * present (*out set), -1 when present with another type. */
int api_json_bool(const json_t *obj, const char *name, int *out);
/* An integer member of obj, the same way (a number with a fraction is -1). */
int api_json_int(const json_t *obj, const char *name, int64_t *out);
/* Replies 400 INVALID_REQUEST naming the field at fault. */
void api_reply_invalid(http_request *req, const char *field, const char *message);
/* Checks a new person's name, e-mail and password (the names are the JSON
 * fields, for the reply). Replies 400 naming the first field at fault and
 * returns -1; 0 when all are acceptable. */
int api_check_person(http_request *req, const char *name, const char *email, const char *password,
                     const char *const fields[3]);
/* A JSON string, or null for NULL or "". */
json_t *api_json_text_or_null(const char *s);
/* The "state" query parameter naming a job state (pending, processing,
 * completed, failed); NULL when absent or empty. Replies 400 (field
 * "state") and returns -1 for anything else. */
int api_query_job_state(http_request *req, const char **state);
/* The UUID in path segment index (see api_path_segment); replies 404 and
 * returns -1 when there is none. */
int api_path_uuid(http_request *req, int index, char id[UUID_LEN]);
/* Logs what failed with rc and replies 500. */
void api_reply_internal(http_request *req, const char *what, int rc);
/* Replies 200 {"items": items} when rc is RA_OK, else as api_reply_internal
 * (what names the listing); takes the reference to items either way. */
void api_reply_items(http_request *req, json_t *items, int rc, const char *what);

/* ---- the reporting endpoints (web_reporting.c, web_templates.c, web_reports.c) ---- */
/* What ws may see: its organization's objects, and only its own unless it
 * is a manager. */
void api_web_scope(const web_session *ws, store_scope *out);
/* RA_OK when s is valid UTF-8 on one line (no control characters) of at
 * most max_chars characters; RA_ERR_INVALID otherwise. */
int api_check_line(const char *s, size_t max_chars);
/* A saved report's summary, for lists. */
json_t *api_report_summary_json(const store_report *r);
/* The template a web user names by id: a library one ("lib:ID", *lib set)
 * or their own (UUID, *own read: release it). RA_ERR_NOT_FOUND for any other
 * id, another user's template included. */
int api_web_template_find(api_app *app, const web_session *ws, const char *id, const tmpl **lib,
                          store_template *own);
/* RA_OK when content holds at least one of the guide's placeholders
 * ({{BULGULAR}} ...) and no other "{{NAME}}" (nor RTF's "\{\{NAME\}\}");
 * RA_ERR_INVALID with a sentence in why otherwise. */
int api_template_check_placeholders(const char *content, char *why, size_t whylen);

/* Handlers. */
void api_healthz(http_request *req, api_app *app);
void api_external_templates(http_request *req, api_app *app, const api_caller *caller);
void api_external_submit_report(http_request *req, api_app *app, const api_caller *caller);
void api_external_submit_pacs(http_request *req, api_app *app, const api_caller *caller);
void api_external_poll_report(http_request *req, api_app *app, const api_caller *caller);
void api_external_poll_pacs(http_request *req, api_app *app, const api_caller *caller);

#endif

/* web_reporting.c - the individual and corporate reporting endpoints: the
 * dashboard, the exam search, and report jobs submitted and polled from the
 * web app (see docs/web-api.md). Templates are in web_templates.c, saved
 * reports and exports in web_reports.c.
 *
 * Who sees what (api_web_scope): individuals and corporate radiologists and
 * doctors their own jobs and reports, managers every one of their
 * organization. Anything else answers 404 exactly like an unknown id.
 *
 * POST /api/v1/jobs goes through api_submit, as the External API's
 * POST /report does: the same checks, errors, credits and pipeline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/job_state.h"
#include "core/log.h"
#include "core/sections.h"
#include "core/text.h"
#include "core/timeutil.h"

#define EXAMS_MAX 20 /* items one exam search answers */
#define EXAM_QUERY_CHARS 200
#define EXAM_QUERY_WORDS 16
#define CATALOG_BATCH 200 /* catalog rows read at a time */
#define DAY_S 86400

/* ---- shared helpers ------------------------------------------------------------- */

void api_web_scope(const web_session *ws, store_scope *out)
{
    out->org_id = ws->org.id;
    out->user_id = ws->role == ROLE_MANAGER ? NULL : ws->user.id;
}

int api_check_line(const char *s, size_t max_chars)
{
    if (!text_is_utf8(s, strlen(s)) || text_has_control(s) || text_length(s) > max_chars)
        return RA_ERR_INVALID;
    return RA_OK;
}

/* ---- dashboard --------------------------------------------------------------------- */

static void add_summary(const store_report *r, void *ctx)
{
    json_array_append_new(ctx, api_report_summary_json(r));
}

static void dashboard(http_request *req, api_app *app, const web_session *ws)
{
    store_scope scope;
    api_web_scope(ws, &scope);
    /* Today and this week (from Monday) in UTC; 1970-01-01 was a Thursday. */
    time_t now = time(NULL);
    time_t day = now - now % DAY_S;
    time_t monday = day - ((day / DAY_S + 3) % 7) * DAY_S;
    char today_from[TIME_ISO_LEN], week_from[TIME_ISO_LEN];
    time_format_iso(day, today_from);
    time_format_iso(monday, week_from);
    store_dashboard d;
    store_org org;
    json_t *recent = json_array();
    store_report_filter recent_filter = {.limit = 5};
    int64_t total = 0;
    int rc = store_dashboard_get(app->store, &scope, today_from, week_from, &d);
    if (rc == RA_OK)
        rc = store_report_search(app->store, &scope, &recent_filter, add_summary, recent, &total);
    if (rc == RA_OK)
        rc = store_org_get(app->store, ws->org.id, &org);
    if (rc != RA_OK) {
        log_error("web: dashboard failed: %s (request %s)", ra_strerror(rc), http_request_id(req));
        json_decref(recent);
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:I, s:I, s:I, s:o, s:I}", "remainingCredits",
                              (json_int_t)org.credits, "reportsToday", (json_int_t)d.reports_today,
                              "reportsThisWeek", (json_int_t)d.reports_week, "recent", recent,
                              "jobsInProgress", (json_int_t)d.jobs_in_progress));
}

/* ---- the exam search ------------------------------------------------------------------ */

/* The words of a search and the library's names, folded once per request. */
typedef struct exam_search {
    char *folded; /* the query folded; words point into it */
    char *words[EXAM_QUERY_WORDS];
    size_t n_words;
    char **tmpl_names; /* folded, one per library template */
    size_t n_tmpl;
    const char *lang; /* the preferred template language */
} exam_search;

/* True when word starts a word of text (words are separated by spaces). */
static int starts_a_word(const char *text, const char *word)
{
    for (const char *p = text; (p = strstr(p, word)) != NULL; p++)
        if (p == text || p[-1] == ' ')
            return 1;
    return 0;
}

static int same_exam_kind(const tmpl *t, const store_sut_row *row)
{
    return row->modality[0] && strcmp(t->modality, row->modality) == 0 &&
           strcmp(t->body_part, row->body_part) == 0;
}

/* True when every query word starts a word of the exam's folded name, its
 * code, or the folded name of a library template for its modality and body
 * part. */
static int exam_matches(const exam_search *xs, const tmpl_library *lib, const store_sut_row *row,
                        const char *folded_name)
{
    for (size_t w = 0; w < xs->n_words; w++) {
        const char *word = xs->words[w];
        int found = starts_a_word(folded_name, word) || strncmp(row->code, word, strlen(word)) == 0;
        for (size_t i = 0; !found && i < xs->n_tmpl; i++)
            found = same_exam_kind(tmpl_library_at(lib, i), row) &&
                    starts_a_word(xs->tmpl_names[i], word);
        if (!found)
            return 0;
    }
    return 1;
}

/* The library template the exam would use: its modality and body part, in
 * lang when there is one, else in any language; NULL when none. */
static const tmpl *exam_template(const tmpl_library *lib, const store_sut_row *row,
                                 const char *lang)
{
    const tmpl *any = NULL;
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        if (!same_exam_kind(t, row))
            continue;
        if (strcmp(t->language, lang) == 0)
            return t;
        if (any == NULL)
            any = t;
    }
    return any;
}

static json_t *exam_json(const tmpl_library *lib, const store_sut_row *row, const char *lang)
{
    const tmpl *t = exam_template(lib, row, lang);
    json_t *tj = json_null();
    if (t != NULL) {
        char id[160];
        snprintf(id, sizeof id, "lib:%s", t->id);
        tj = json_pack("{s:s, s:s}", "id", id, "name", t->name);
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o}", "sutCode", row->code, "name",
                     api_json_text_or_null(row->name), "modality",
                     api_json_text_or_null(row->modality), "bodyPart",
                     api_json_text_or_null(row->body_part), "template", tj);
}

static void exam_search_release(exam_search *xs)
{
    free(xs->folded);
    for (size_t i = 0; xs->tmpl_names && i < xs->n_tmpl; i++)
        free(xs->tmpl_names[i]);
    free(xs->tmpl_names);
}

/* Folds the query into words and the library's names. RA_ERR_INVALID when
 * the query has too many words, RA_ERR_NOMEM. */
static int exam_search_init(exam_search *xs, const char *q, const tmpl_library *lib)
{
    xs->folded = text_fold(q);
    xs->n_tmpl = tmpl_library_count(lib);
    xs->tmpl_names = calloc(xs->n_tmpl ? xs->n_tmpl : 1, sizeof *xs->tmpl_names);
    if (xs->folded == NULL || xs->tmpl_names == NULL)
        return RA_ERR_NOMEM;
    for (size_t i = 0; i < xs->n_tmpl; i++)
        if ((xs->tmpl_names[i] = text_fold(tmpl_library_at(lib, i)->name)) == NULL)
            return RA_ERR_NOMEM;
    for (char *p = xs->folded; *p;) {
        p += strspn(p, " ");
        if (*p == '\0')
            break;
        if (xs->n_words == EXAM_QUERY_WORDS)
            return RA_ERR_INVALID;
        xs->words[xs->n_words++] = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
    }
    return RA_OK;
}

/* Adds the matching rows of the catalog, in code order, to items (at most
 * EXAMS_MAX in all), reading the catalog a batch at a time. */
static int scan_catalog(api_app *app, const exam_search *xs, json_t *items)
{
    store_sut_row *rows = malloc(CATALOG_BATCH * sizeof *rows);
    if (rows == NULL)
        return RA_ERR_NOMEM;
    char after[STORE_SUT_CODE_MAX + 1] = "";
    size_t n = 0;
    int rc;
    do {
        rc = store_sut_page(app->store, after, rows, CATALOG_BATCH, &n);
        for (size_t i = 0; rc == RA_OK && i < n && json_array_size(items) < EXAMS_MAX; i++) {
            char *name = text_fold(rows[i].name);
            if (name == NULL)
                continue; /* a name that is not UTF-8 cannot match a word */
            if (exam_matches(xs, app->templates, &rows[i], name))
                json_array_append_new(items, exam_json(app->templates, &rows[i], xs->lang));
            free(name);
        }
        if (rc == RA_OK && n > 0)
            snprintf(after, sizeof after, "%s", rows[n - 1].code);
    } while (rc == RA_OK && n == CATALOG_BATCH && json_array_size(items) < EXAMS_MAX);
    free(rows);
    return rc;
}

static void exams(http_request *req, api_app *app, const web_session *ws)
{
    const char *q = http_query(req, "q");
    if (q == NULL)
        q = "";
    if (api_check_line(q, EXAM_QUERY_CHARS) != RA_OK) {
        api_reply_invalid(req, "q", "q is one line of at most 200 characters.");
        return;
    }
    exam_search xs = {.lang = ws->org.output_lang[0] ? ws->org.output_lang : "tr"};
    int rc = exam_search_init(&xs, q, app->templates);
    json_t *items = json_array();
    if (rc == RA_OK)
        rc = scan_catalog(app, &xs, items);
    exam_search_release(&xs);
    if (rc == RA_ERR_INVALID) {
        api_reply_invalid(req, "q", "q may hold at most 16 words.");
    } else if (rc != RA_OK) {
        log_error("web: exam search failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
    } else {
        http_reply_json(req, 200, json_pack("{s:O}", "items", items));
    }
    json_decref(items);
}

/* ---- jobs ------------------------------------------------------------------------------ */

static void reply_refused(http_request *req, const web_session *ws, const api_refusal *why)
{
    api_refusal_headers(req, why);
    json_t *extra = json_pack("{s:I}", "remainingCredits", (json_int_t)ws->org.credits);
    if (why->code == API_DUPLICATE_SUBMISSION)
        json_object_set_new(extra, "jobId", json_string(why->dup_job_id));
    api_reply_error(req, why->code, why->message[0] ? why->message : NULL,
                    why->field[0] ? why->field : NULL, extra);
}

/* True when the pipeline would pick t by itself for the exam: the first
 * library template of the exam's modality and body part in lang. */
static int is_matched_template(api_app *app, const tmpl *t, const char *sut_code, const char *lang)
{
    store_sut_row row;
    if (sut_code == NULL || store_sut_get(app->store, sut_code, &row) != RA_OK)
        return 0;
    for (size_t i = 0; i < tmpl_library_count(app->templates); i++) {
        const tmpl *m = tmpl_library_at(app->templates, i);
        if (same_exam_kind(m, &row) && strcmp(m->language, lang) == 0)
            return m == t;
    }
    return 0;
}

/* The exam's template from the form's templateId: an own template is sent
 * as the exam's custom template; a library one too, unless it is the one
 * the pipeline matches by itself (templateUsed then says "matched"). *own
 * holds the own template's text while the job is created. Replies and
 * returns -1 when the id names no template the user may use. */
static int choose_template(http_request *req, api_app *app, const web_session *ws,
                           api_submission *s, store_template *own)
{
    const char *id = http_form(req, "templateId");
    if (id == NULL || *id == '\0')
        return 0;
    const tmpl *lib = NULL;
    int rc = api_web_template_find(app, ws, id, &lib, own);
    if (rc == RA_ERR_NOT_FOUND) {
        api_refusal why = {
            .code = API_NOT_FOUND, .message = "No template with this id.", .field = "templateId"};
        reply_refused(req, ws, &why);
        return -1;
    }
    if (rc != RA_OK) {
        log_error("web: template read failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
        return -1;
    }
    const char *lang = s->output_lang ? s->output_lang : "tr";
    if (lib != NULL && is_matched_template(app, lib, s->exams[0].sut_code, lang))
        return 0;
    s->exams[0].template_content = lib ? lib->content : own->content;
    s->exams[0].template_format = lib ? lib->format : own->format;
    return 0;
}

/* What the second half of a web submission needs: a copy of the session
 * (the submission points into its organization's settings), the own
 * template and the submission itself. */
typedef struct web_submit {
    web_session ws;
    store_template own;
    api_submitter who;
    api_submission s;
} web_submit;

static void web_submit_free(void *state)
{
    web_submit *st = state;
    store_template_release(&st->own);
    free(st);
}

static void job_submitted(http_request *req, api_app *app, int rc, const api_accepted *ok,
                          const api_refusal *why, void *state)
{
    (void)app;
    web_submit *st = state;
    if (rc != RA_OK) {
        reply_refused(req, &st->ws, why);
        return;
    }
    char poll[96];
    snprintf(poll, sizeof poll, "/api/v1/jobs/%s", ok->job_id);
    http_reply_json(req, 202,
                    json_pack("{s:s, s:s, s:s, s:I, s:I}", "jobId", ok->job_id, "status",
                              job_state_text(JOB_PENDING), "pollUrl", poll, "estimatedSeconds",
                              (json_int_t)ok->estimated_s, "remainingCredits",
                              (json_int_t)ok->balance));
}

static void job_submit(http_request *req, api_app *app, const web_session *ws)
{
    api_refusal why;
    if (api_submit_form_check(req, &why) != RA_OK) {
        reply_refused(req, ws, &why);
        return;
    }
    web_submit *st = calloc(1, sizeof *st);
    if (st == NULL) {
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
        return;
    }
    st->ws = *ws;
    ws = &st->ws;
    /* The External API's form, without what the web app does not offer:
     * templates come by templateId, the callback from the settings, signed
     * with the organization's secret (docs/api.md, "Callbacks"). */
    api_submission *s = &st->s;
    api_submission_from_form(req, s);
    s->exams[0].template_content = s->exams[0].template_format = NULL;
    s->callback_url = ws->org.callback_url[0] ? ws->org.callback_url : NULL;
    s->signed_by_org = 1;
    if (s->input_lang == NULL && ws->org.input_lang[0])
        s->input_lang = ws->org.input_lang;
    if (s->output_lang == NULL && ws->org.output_lang[0])
        s->output_lang = ws->org.output_lang;
    if (choose_template(req, app, ws, s, &st->own) != 0) {
        web_submit_free(st);
        return;
    }
    st->who = (api_submitter){.org = &ws->org, .key_id = NULL, .user_id = ws->user.id};
    api_submit(req, app, &st->who, s, job_submitted, st, web_submit_free);
}

/* Reads the job when it exists and ws may see it (release *j on RA_OK). */
static int job_visible(api_app *app, const web_session *ws, const char *id, store_job *j)
{
    store_scope scope;
    api_web_scope(ws, &scope);
    int rc = ids_is_uuid(id) ? store_job_get(app->store, id, ws->org.id, j) : RA_ERR_NOT_FOUND;
    if (rc == RA_OK && scope.user_id != NULL && strcmp(j->user_id, scope.user_id) != 0) {
        store_job_release(j);
        rc = RA_ERR_NOT_FOUND;
    }
    return rc;
}

/* The exam's sections as structured, under the keys saved reports use, in
 * report_section order. */
static json_t *exam_sections_json(const store_job_exam *e)
{
    json_t *o = json_object();
    for (int k = 0; o && k < REPORT_SEC_COUNT; k++)
        json_object_set_new(o, report_section_key(k),
                            json_string(e->sections[k] ? e->sections[k] : ""));
    return o;
}

static void job_get(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    store_job j;
    json_t *body = NULL;
    int rc = api_path_segment(req, 3, id, sizeof id);
    /* The poll body first, then the job it is checked and completed from:
     * read in this order, the job is never older than the body (a job that
     * finished in between still gets its sections). */
    if (rc == RA_OK && ids_is_uuid(id))
        body = api_job_json(app, id, ws->org.id, NULL, &rc);
    if (body != NULL)
        rc = job_visible(app, ws, id, &j);
    if (body == NULL || rc != RA_OK) {
        json_decref(body);
        if (rc == RA_OK || rc == RA_ERR_NOT_FOUND || rc == RA_ERR_INVALID)
            api_reply_error(req, API_NOT_FOUND, "No job with this id.", NULL, NULL);
        else
            api_reply_internal(req, "reading a job", rc);
        return;
    }
    if (j.n_exams == 1 && job_state_is(j.exams[0].status, JOB_COMPLETED))
        json_object_set_new(body, "sections", exam_sections_json(&j.exams[0]));
    store_job_release(&j);
    store_org org;
    if (rc == RA_OK)
        rc = store_org_get(app->store, ws->org.id, &org);
    if (rc == RA_OK) {
        json_object_set_new(body, "remainingCredits", json_integer(org.credits));
        http_reply_json(req, 200, body);
        return;
    }
    json_decref(body);
    log_error("web: job read failed: %s (request %s)", ra_strerror(rc), http_request_id(req));
    api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
}

static const web_route routes[] = {
    {"GET", "/api/v1/dashboard", WEB_REPORTING, dashboard},
    {"GET", "/api/v1/exams", WEB_REPORTING, exams},
    {"POST", "/api/v1/jobs", WEB_REPORTING, job_submit},
    {"GET", "/api/v1/jobs/{}", WEB_REPORTING, job_get},
};

const web_route_table web_reporting_routes = {routes, sizeof routes / sizeof routes[0]};

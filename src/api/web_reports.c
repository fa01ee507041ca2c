/* web_reports.c - saved reports: saving (revision 1), editing (a new
 * revision each time, earlier ones kept), reading any revision, the
 * history search, and exports as TXT, RTF, DOCX or PDF (see
 * docs/web-api.md and export/export.h).
 *
 * The store keeps each revision's fields and sections as they were saved
 * (store_report_input, store_revision), so an older revision reads back
 * exactly as it was saved. Sections are named by their keys
 * (core/sections.h) and listed in report_reading_order in every answer.
 * The reports row carries the latest revision's fields for lists and
 * search.
 *
 * Visibility is api_web_scope's; another scope's report answers 404. Bad
 * input answers 400 naming the field and changes nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "catalog/catalog.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/sections.h"
#include "core/text.h"
#include "export/export.h"

#define PAGE_SIZE 20
#define NAME_CHARS 200 /* patientName, examName */
#define ID_CHARS 64    /* patientId, accessionNo */
#define MODALITY_CHARS 16
#define FILTER_CHARS 200        /* a search filter */
#define SECTION_MAX (64 * 1024) /* bytes of one section */
#define EXPORT_FILE_MAX (64u * 1024 * 1024)
#define REVISION_MAX 1000000

/* ---- JSON of reports -------------------------------------------------------------- */

json_t *api_report_summary_json(const store_report *r)
{
    return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", r->id,
                     "revision", r->revision, "sutCode", r->sut_code, "examName", r->exam_name,
                     "modality", r->modality, "patientName", r->patient_name, "patientId",
                     r->patient_id, "accessionNo", r->accession, "createdAt", r->created_at,
                     "updatedAt", r->updated_at, "author", r->author);
}

/* {"clinical": ..., "impression": ...}: text[] (indexed by report_section)
 * under the sections' keys, in report_reading_order. */
static json_t *sections_json(char *const text[REPORT_SEC_COUNT])
{
    json_t *o = json_object();
    for (int k = 0; k < REPORT_SEC_COUNT; k++) {
        report_section sec = report_reading_order[k];
        json_object_set_new(o, report_section_key(sec), json_string(text[sec]));
    }
    return o;
}

static void add_revision(const store_revision *r, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:i, s:s, s:s}", "revision", r->revision, "createdAt",
                                         r->created_at, "author", r->author));
}

/* The full answer for report r shown at revision rev. */
static json_t *report_json(api_app *app, const store_report *r, const store_revision *rev, int *rc)
{
    json_t *o = api_report_summary_json(&rev->shown);
    json_t *sections = sections_json(rev->sections);
    json_t *revisions = json_array();
    *rc = store_report_revisions_each(app->store, r->id, add_revision, revisions);
    json_object_set_new(o, "language", json_string(rev->shown.language));
    json_object_set_new(o, "sections", sections);
    json_object_set_new(o, "jobId", api_json_text_or_null(r->job_id));
    json_object_set_new(o, "latestRevision", json_integer(r->revision));
    json_object_set_new(o, "revisionCreatedAt", json_string(rev->created_at));
    json_object_set_new(o, "revisionAuthor", json_string(rev->author));
    json_object_set_new(o, "revisions", revisions);
    return o;
}

/* ---- reading a report body ----------------------------------------------------------- */

/* An optional one-line member of at most max_chars characters into *out. */
static int read_line(const json_t *body, const char *name, size_t max_chars, const char **out,
                     api_refusal *f)
{
    int bad = 0;
    *out = api_json_string(body, name, &bad);
    if (bad || (*out && api_check_line(*out, max_chars) != RA_OK))
        return api_refuse(f, API_INVALID_REQUEST, name,
                          "%s is text of at most %zu characters on one line.", name, max_chars);
    return 0;
}

/* Section text: UTF-8 (JSON strings are), at most SECTION_MAX bytes, no
 * control characters but tab and line breaks. */
static int section_ok(const char *s)
{
    if (strlen(s) > SECTION_MAX)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
            return 0;
    return 1;
}

static int read_sections(const json_t *body, store_report_input *in, api_refusal *f)
{
    json_t *sections = json_object_get(body, "sections");
    if (!json_is_object(sections))
        return api_refuse(f, API_INVALID_REQUEST, "sections",
                          "sections is an object with clinical, technique, comparison, findings, "
                          "conclusion and impression.");
    const char *key;
    json_t *value;
    int sec = -1;
    json_object_foreach(sections, key, value)
    {
        if (report_section_from_key(key, &sec) != RA_OK)
            return api_refuse(f, API_INVALID_REQUEST, "sections", "Unknown section \"%.40s\".",
                              key);
    }
    int any = 0;
    for (int k = 0; k < REPORT_SEC_COUNT; k++) {
        sec = report_reading_order[k];
        char field[48];
        snprintf(field, sizeof field, "sections.%s", report_section_key(sec));
        int bad = 0;
        const char *text = api_json_string(sections, report_section_key(sec), &bad);
        if (bad || (text && !section_ok(text)))
            return api_refuse(f, API_INVALID_REQUEST, field,
                              "%s is text of at most 64 KiB without control characters.", field);
        in->sections[sec] = text ? text : "";
        any |= strspn(in->sections[sec], " \t\r\n") != strlen(in->sections[sec]);
    }
    if (!any)
        return api_refuse(f, API_INVALID_REQUEST, "sections", "Every section is empty.");
    return 0;
}

static int read_sut_code(const json_t *body, const char **out, api_refusal *f)
{
    int bad = 0;
    char digits[STORE_SUT_CODE_MAX + 1];
    *out = api_json_string(body, "sutCode", &bad);
    if (bad || *out == NULL || strspn(*out, "0123456789") != strlen(*out) ||
        catalog_normalize_code(*out, digits) != RA_OK)
        return api_refuse(f, API_INVALID_SUT_CODE, "sutCode",
                          "sutCode must be 5 to 7 digits (^\\d{5,7}$), e.g. 803910.");
    return 0;
}

/* Reads and checks a POST or PUT body into *s (pointing into body). */
static int read_report(const json_t *body, store_report_input *s, api_refusal *f)
{
    *s = (store_report_input){.job_id = NULL};
    if (read_sut_code(body, &s->sut_code, f) != 0 ||
        read_line(body, "examName", NAME_CHARS, &s->exam_name, f) != 0 ||
        read_line(body, "modality", MODALITY_CHARS, &s->modality, f) != 0 ||
        read_line(body, "patientName", NAME_CHARS, &s->patient_name, f) != 0 ||
        read_line(body, "patientId", ID_CHARS, &s->patient_id, f) != 0 ||
        read_line(body, "accessionNo", ID_CHARS, &s->accession, f) != 0 ||
        read_line(body, "language", 8, &s->language, f) != 0)
        return -1;
    if (s->language == NULL)
        s->language = "tr";
    if (!api_lang_known(s->language))
        return api_refuse(f, API_INVALID_REQUEST, "language",
                          "language is one of tr, en, ru, az, fr, de.");
    return read_sections(body, s, f);
}

/* ---- common replies ----------------------------------------------------------------- */

static void reply_failure(http_request *req, int rc, const char *what)
{
    if (rc == RA_ERR_NOT_FOUND) {
        api_reply_error(req, API_NOT_FOUND, "No report with this id.", NULL, NULL);
        return;
    }
    log_error("web: %s failed: %s (request %s)", what, ra_strerror(rc), http_request_id(req));
    api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
}

/* The id of /api/v1/reports/{id}...; RA_ERR_NOT_FOUND unless a UUID. */
static int report_id(http_request *req, char id[UUID_LEN])
{
    if (api_path_segment(req, 3, id, UUID_LEN) != RA_OK || !ids_is_uuid(id))
        return RA_ERR_NOT_FOUND;
    return RA_OK;
}

/* The ?revision= parameter: 0 (the latest) when absent. Replies 400 and
 * returns -1 when it is not a whole number from 1. */
static int query_revision(http_request *req, int *out)
{
    const char *v = http_query(req, "revision");
    int64_t n = 0;
    if (v != NULL && opts_int(v, 1, REVISION_MAX, &n) != RA_OK) {
        api_reply_invalid(req, "revision", "revision is a whole number from 1.");
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* Reads the report in ws's scope and its revision n (0: latest); release
 * *rev. RA_ERR_NOT_FOUND for an unknown report or revision. */
static int read_revision(api_app *app, const web_session *ws, const char *id, int n,
                         store_report *r, store_revision *rev)
{
    store_scope scope;
    api_web_scope(ws, &scope);
    int rc = store_report_get(app->store, id, &scope, r);
    if (rc == RA_OK)
        rc = store_report_revision(app->store, id, n, rev);
    return rc;
}

/* Answers with report id at revision n (0: latest). */
static void reply_report(http_request *req, api_app *app, const web_session *ws, const char *id,
                         int n, unsigned status)
{
    store_report r;
    store_revision rev = {.revision = 0};
    int rc = read_revision(app, ws, id, n, &r, &rev);
    json_t *o = rc == RA_OK ? report_json(app, &r, &rev, &rc) : NULL;
    store_revision_release(&rev);
    if (rc != RA_OK) {
        json_decref(o);
        reply_failure(req, rc, "report read");
        return;
    }
    if (status == 201) {
        char location[96];
        snprintf(location, sizeof location, "/api/v1/reports/%s", id);
        http_add_header(req, "Location", location);
    }
    http_reply_json(req, status, o);
}

/* ---- handlers: saving and reading ---------------------------------------------------- */

/* Reads the body of POST or PUT into *in (pointing into the body
 * returned); NULL after replying. */
static json_t *report_body(http_request *req, store_report_input *in)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return NULL;
    api_refusal f;
    if (read_report(body, in, &f) != 0) {
        api_reply_error(req, f.code, f.message, f.field, NULL);
        json_decref(body);
        return NULL;
    }
    return body;
}

/* The job a new report comes from: a visible job's UUID, or none. Replies
 * and returns -1 when jobId is there but names no such job. */
static int read_job_id(http_request *req, api_app *app, const web_session *ws, const json_t *body,
                       const char **job_id)
{
    int bad = 0;
    *job_id = api_json_string(body, "jobId", &bad);
    if (bad) {
        api_reply_invalid(req, "jobId", "jobId is a job's id or null.");
        return -1;
    }
    if (*job_id == NULL)
        return 0;
    store_scope scope;
    api_web_scope(ws, &scope);
    store_job j;
    int rc = ids_is_uuid(*job_id) ? store_job_get(app->store, *job_id, ws->org.id, &j)
                                  : RA_ERR_NOT_FOUND;
    if (rc == RA_OK) {
        if (scope.user_id != NULL && strcmp(j.user_id, scope.user_id) != 0)
            rc = RA_ERR_NOT_FOUND;
        store_job_release(&j);
    }
    if (rc == RA_ERR_NOT_FOUND)
        api_reply_error(req, API_NOT_FOUND, "No job with this id.", "jobId", NULL);
    else if (rc != RA_OK)
        reply_failure(req, rc, "job read");
    return rc == RA_OK ? 0 : -1;
}

static void report_create(http_request *req, api_app *app, const web_session *ws)
{
    store_report_input in;
    json_t *body = report_body(req, &in);
    if (body == NULL)
        return;
    store_report r;
    if (read_job_id(req, app, ws, body, &in.job_id) == 0) {
        int rc = store_report_create(app->store, ws->org.id, ws->user.id, &in, &r);
        if (rc == RA_OK)
            reply_report(req, app, ws, r.id, 0, 201);
        else
            reply_failure(req, rc, "report creation");
    }
    json_decref(body);
}

static void report_update(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    if (report_id(req, id) != RA_OK) {
        reply_failure(req, RA_ERR_NOT_FOUND, "report update");
        return;
    }
    store_report_input in;
    json_t *body = report_body(req, &in);
    if (body == NULL)
        return;
    store_scope scope;
    api_web_scope(ws, &scope);
    store_report r;
    int rc = store_report_revise(app->store, id, &scope, ws->user.id, &in, &r);
    if (rc == RA_OK) {
        reply_report(req, app, ws, id, 0, 200);
    } else if (rc == RA_ERR_REFUSED) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "This report has %d revisions, the most allowed; save the text as a new report.",
                 app->limits.revisions_per_report);
        api_reply_error(req, API_LIMIT_REACHED, msg, NULL, NULL);
    } else {
        reply_failure(req, rc, "report update");
    }
    json_decref(body);
}

static void report_get(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    int revision = 0;
    if (report_id(req, id) != RA_OK) {
        reply_failure(req, RA_ERR_NOT_FOUND, "report read");
        return;
    }
    if (query_revision(req, &revision) == 0)
        reply_report(req, app, ws, id, revision, 200);
}

/* ---- the history search ----------------------------------------------------------------- */

static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* True when s is a real date written YYYY-MM-DD. */
static int is_date(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int64_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

/* Reads the filters; replies 400 naming the first at fault and returns -1. */
static int read_filter(http_request *req, store_report_filter *f)
{
    static const char *const text_names[] = {"q", "patient", "accession", "exam", "modality"};
    const char **slots[] = {&f->q, &f->patient, &f->accession, &f->exam, &f->modality};
    for (size_t i = 0; i < 5; i++) {
        *slots[i] = http_query(req, text_names[i]);
        size_t max = i == 4 ? MODALITY_CHARS : FILTER_CHARS;
        if (*slots[i] != NULL && api_check_line(*slots[i], max) != RA_OK) {
            char message[96];
            snprintf(message, sizeof message, "%s is one line of at most %zu characters.",
                     text_names[i], max);
            api_reply_invalid(req, text_names[i], message);
            return -1;
        }
    }
    f->from = http_query(req, "from");
    f->to = http_query(req, "to");
    const char *bad = NULL;
    if (f->from && *f->from && !is_date(f->from))
        bad = "from";
    else if (f->to && *f->to && !is_date(f->to))
        bad = "to";
    else if (f->from && *f->from && f->to && *f->to && strcmp(f->from, f->to) > 0)
        bad = "to";
    if (bad != NULL) {
        api_reply_invalid(req, bad,
                          "from and to are dates written YYYY-MM-DD, from not after "
                          "to.");
        return -1;
    }
    int64_t page = 1;
    if (api_query_page(req, &page) != 0)
        return -1;
    f->offset = (page - 1) * PAGE_SIZE;
    f->limit = PAGE_SIZE;
    return 0;
}

static void add_summary_to(const store_report *r, void *ctx)
{
    json_array_append_new(ctx, api_report_summary_json(r));
}

static void reports_list(http_request *req, api_app *app, const web_session *ws)
{
    store_report_filter f = {.limit = PAGE_SIZE};
    if (read_filter(req, &f) != 0)
        return;
    store_scope scope;
    api_web_scope(ws, &scope);
    json_t *items = json_array();
    int64_t total = 0;
    int rc = store_report_search(app->store, &scope, &f, add_summary_to, items, &total);
    if (rc != RA_OK) {
        json_decref(items);
        reply_failure(req, rc == RA_ERR_NOT_FOUND ? RA_ERR_IO : rc, "report search");
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:o, s:I, s:I, s:i}", "items", items, "total", (json_int_t)total,
                              "page", (json_int_t)(f.offset / PAGE_SIZE + 1), "pageSize",
                              PAGE_SIZE));
}

/* ---- export ---------------------------------------------------------------------------- */

/* "report-<accession or id>.<ext>" with every byte but letters, digits,
 * '.', '-' and '_' turned into '_', so the header stays ASCII and safe. */
static void export_filename(const store_report *shown, const char *ext, char *out, size_t outlen)
{
    const char *base = shown->accession[0] ? shown->accession : shown->id;
    char safe[ID_CHARS + 1];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)base; *p && n < ID_CHARS; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '-' || *p == '_' || *p == '.';
        safe[n++] = ok ? (char)*p : '_';
    }
    safe[n] = '\0';
    snprintf(out, outlen, "attachment; filename=\"report-%s.%s\"", safe, ext);
}

/* Renders the revision as the file; RA_OK with *out filled. */
static int render_export(const web_session *ws, const store_revision *rev, export_format fmt,
                         buf *out)
{
    const store_report *shown = &rev->shown;
    export_report er = {
        .exam_name = shown->exam_name,
        .sut_code = shown->sut_code,
        .modality = shown->modality,
        .patient_name = shown->patient_name,
        .patient_id = shown->patient_id,
        .accession = shown->accession,
        .date = rev->created_at,
        .author = rev->author,
        .organization = strcmp(ws->org.type, "personal") != 0 ? ws->org.name : "",
        .language = shown->language,
    };
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++)
        er.sections[sec] = rev->sections[sec];
    char why[200] = "";
    int rc = export_render(&er, fmt, out, why, sizeof why);
    if (rc != RA_OK)
        log_error("web: export of report %s failed: %s", shown->id, why);
    return rc;
}

/* An export on its way through the rendering pool: the revision read on
 * the HTTP thread, the file the pool renders. */
typedef struct export_job {
    web_session ws;
    store_revision rev;
    export_format fmt;
    buf file;
    int rc;
} export_job;

static void export_job_free(void *ctx)
{
    export_job *job = ctx;
    buf_release(&job->file);
    store_revision_release(&job->rev);
    free(job);
}

/* On a rendering thread. */
static void export_work(void *ctx)
{
    export_job *job = ctx;
    api_pool_gate("render");
    job->rc = render_export(&job->ws, &job->rev, job->fmt, &job->file);
}

/* On an HTTP thread, once the file is rendered. */
static void export_resume(http_request *req, void *ctx)
{
    export_job *job = ctx;
    if (job->rc != RA_OK) {
        reply_failure(req, job->rc, "report export");
        return;
    }
    char disposition[160];
    export_filename(&job->rev.shown, export_extension(job->fmt), disposition, sizeof disposition);
    http_add_header(req, "Content-Disposition", disposition);
    http_reply(req, 200, export_content_type(job->fmt), job->file.data ? job->file.data : "",
               job->file.len);
}

static void report_export(http_request *req, api_app *app, const web_session *ws)
{
    char id[UUID_LEN];
    int revision = 0;
    export_format fmt;
    if (report_id(req, id) != RA_OK) {
        reply_failure(req, RA_ERR_NOT_FOUND, "report export");
        return;
    }
    if (export_format_parse(http_query(req, "format"), &fmt) != RA_OK) {
        api_reply_invalid(req, "format", "format is pdf, rtf, docx or txt.");
        return;
    }
    if (query_revision(req, &revision) != 0)
        return;
    export_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        reply_failure(req, RA_ERR_NOMEM, "report export");
        return;
    }
    job->ws = *ws;
    job->fmt = fmt;
    buf_init(&job->file, EXPORT_FILE_MAX);
    store_report r;
    int rc = read_revision(app, ws, id, revision, &r, &job->rev);
    if (rc != RA_OK) {
        reply_failure(req, rc, "report export");
        export_job_free(job);
        return;
    }
    rc = http_offload(req, app->rendering, export_work, export_resume, job, export_job_free);
    if (rc != RA_OK) {
        export_job_free(job);
        api_reply_pool_busy(req, rc, "documents being rendered", NULL);
    }
}

static const web_route routes[] = {
    {"GET", "/api/v1/reports", WEB_REPORTING, reports_list},
    {"POST", "/api/v1/reports", WEB_REPORTING, report_create},
    {"GET", "/api/v1/reports/{}", WEB_REPORTING, report_get},
    {"PUT", "/api/v1/reports/{}", WEB_REPORTING, report_update},
    {"GET", "/api/v1/reports/{}/export", WEB_REPORTING, report_export},
};

const web_route_table web_reports_routes = {routes, sizeof routes / sizeof routes[0]};

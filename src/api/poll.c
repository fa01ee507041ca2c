/* poll.c - GET /report/{jobId} and GET /pacs/report/{jobId}, and a finished
 * job's result: rendered once, in the transaction that finishes the job
 * (api_render_result), and sent as those same bytes by every callback
 * attempt and, with the callback's state and the balance of the moment, by
 * every poll.
 *
 * A job of another organization answers 404 exactly like an unknown id, so
 * ids reveal nothing across organizations. Fields that exist only once a job
 * has finished appear once it has. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/failures.h"
#include "core/ids.h"
#include "core/job_state.h"
#include "core/log.h"

/* A string or JSON null. */
static json_t *str_or_null(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;
    return v ? v : json_null();
}

static json_t *error_object(const char *code, const char *message)
{
    return json_pack("{s:s, s:s}", "code", code ? code : job_failure_code(JOB_FAIL_PROCESSING),
                     "message", message ? message : "Processing failed.");
}

/* The exam's fact-check warnings as [{"code", "section", "text"}] (section
 * null when the warning names none), and when more were found than kept a
 * last {"code": "MORE_WARNINGS", "section": null, "text": "N"}. */
static json_t *warnings_json(const store_job_exam *e)
{
    json_t *list = json_array();
    for (size_t k = 0; k < e->n_warnings; k++) {
        const store_exam_warning *w = &e->warnings[k];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(w->code));
        json_object_set_new(o, "section", w->section[0] ? json_string(w->section) : json_null());
        json_object_set_new(o, "text", json_string(w->text));
        json_array_append_new(list, o);
    }
    if (e->more_warnings > 0) {
        char n[24];
        snprintf(n, sizeof n, "%lld", (long long)e->more_warnings);
        json_array_append_new(
            list, json_pack("{s:s, s:n, s:s}", "code", "MORE_WARNINGS", "section", "text", n));
    }
    return list;
}

/* The fields of one exam's report, added to obj. */
static void add_exam_report(json_t *obj, const store_job_exam *e)
{
    json_object_set_new(obj, "modality", str_or_null(e->modality));
    json_object_set_new(obj, "examName", str_or_null(e->exam_name));
    json_object_set_new(obj, "status", json_string(e->status));
    if (job_state_is(e->status, JOB_COMPLETED)) {
        json_object_set_new(obj, "transcript", str_or_null(e->transcript));
        json_object_set_new(obj, "reportText", str_or_null(e->report_text));
        json_object_set_new(obj, "reportHtml", str_or_null(e->report_html));
        json_object_set_new(obj, "filledTemplate", str_or_null(e->filled_template));
        json_object_set_new(obj, "templateUsed", str_or_null(e->template_used));
        json_object_set_new(obj, "structuredBy", str_or_null(e->structured_by));
        json_object_set_new(obj, "warnings", warnings_json(e));
    } else if (job_state_is(e->status, JOB_FAILED)) {
        json_object_set_new(obj, "transcript", str_or_null(e->transcript));
        json_object_set_new(obj, "error", error_object(e->error_code, e->error_message));
    }
}

static json_t *callback_json(const store_job *j)
{
    if (j->callback_url == NULL)
        return json_null();
    json_t *cb = json_pack("{s:s, s:i}", "status",
                           j->cb_status ? j->cb_status : callback_state_text(CALLBACK_WAITING),
                           "attempts", j->cb_attempts);
    json_object_set_new(cb, "lastHttpStatus",
                        j->cb_last_http_status > 0 ? json_integer(j->cb_last_http_status)
                                                   : json_null());
    json_object_set_new(cb, "lastError", str_or_null(j->cb_last_error));
    json_object_set_new(cb, "lastAttemptAt", str_or_null(j->cb_last_attempt_at));
    json_object_set_new(cb, "deliveredAt", str_or_null(j->cb_delivered_at));
    return cb;
}

static json_t *report_json(const store_job *j)
{
    const store_job_exam *e = &j->exams[0];
    json_t *o = json_pack("{s:s, s:s}", "jobId", j->id, "status", j->status);
    json_object_set_new(o, "sutCode", str_or_null(e->sut_code));
    json_object_set_new(o, "accessionNo", str_or_null(e->accession));
    json_object_set_new(o, "patientId", str_or_null(j->patient_id));
    add_exam_report(o, e);
    json_object_del(o, "status");
    json_object_set_new(o, "status", json_string(j->status)); /* the job's, not the exam's */
    return o;
}

static json_t *pacs_json(const store_job *j)
{
    json_t *o = json_pack("{s:s, s:s, s:I}", "jobId", j->id, "status", j->status, "examCount",
                          (json_int_t)j->n_exams);
    json_object_set_new(o, "patientUid", str_or_null(j->patient_id));
    json_t *reports = json_array();
    for (size_t i = 0; i < j->n_exams; i++) {
        const store_job_exam *e = &j->exams[i];
        json_t *r = json_pack("{s:o, s:o}", "accessionNumber", str_or_null(e->accession), "sutCode",
                              str_or_null(e->sut_code));
        if (e->tele_code)
            json_object_set_new(r, "teleCode", json_string(e->tele_code));
        add_exam_report(r, e);
        json_array_append_new(reports, r);
    }
    json_object_set_new(o, "reports", reports);
    return o;
}

/* A job's result as rendered from its rows: the poll response without the
 * callback's delivery state and remainingCredits. */
static json_t *result_json(const store_job *j)
{
    json_t *o = strcmp(j->kind, "pacs") == 0 ? pacs_json(j) : report_json(j);
    json_object_set_new(o, "inputLang", str_or_null(j->input_lang));
    json_object_set_new(o, "outputLang", str_or_null(j->output_lang));
    json_object_set_new(o, "createdAt", json_string(j->created_at));
    json_object_set_new(o, "startedAt", str_or_null(j->started_at[0] ? j->started_at : NULL));
    json_object_set_new(o, "finishedAt", str_or_null(j->finished_at[0] ? j->finished_at : NULL));
    if (j->credits_used >= 0)
        json_object_set_new(o, "creditsUsed", json_integer(j->credits_used));
    if (job_state_is(j->status, JOB_FAILED))
        json_object_set_new(o, "error", error_object(j->error_code, j->error_message));
    return o;
}

/* The poll response (without remainingCredits): a finished job's result as
 * kept when it finished, or as its rows read now, with the callback's
 * state of this moment. */
static json_t *job_json(const store_job *j)
{
    json_t *o = j->result ? json_loads(j->result, 0, NULL) : result_json(j);
    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "callback", callback_json(j));
    return o;
}

json_t *api_job_json(api_app *app, const char *job_id, const char *org_id, const char *kind,
                     int *rc)
{
    store_job j;
    *rc = ids_is_uuid(job_id) ? store_job_get(app->store, job_id, org_id, &j) : RA_ERR_NOT_FOUND;
    if (*rc != RA_OK)
        return NULL;
    json_t *o = NULL;
    if (kind != NULL && strcmp(j.kind, kind) != 0)
        *rc = RA_ERR_NOT_FOUND;
    else if ((o = job_json(&j)) == NULL)
        *rc = RA_ERR_NOMEM;
    store_job_release(&j);
    return o;
}

#define KEPT_CREDITS ",\"remainingCredits\":"

/* Where the remainingCredits member that api_render_result put last in a
 * kept result starts, or NULL when the result does not end with it. A
 * quotation mark inside a JSON string is escaped, so the text found is a
 * member, and the last member of the outermost object when only digits
 * and its closing brace follow. */
static const char *kept_credits(const char *result)
{
    const char *at = NULL;
    for (const char *p = strstr(result, KEPT_CREDITS); p; p = strstr(p + 1, KEPT_CREDITS))
        at = p;
    if (at == NULL)
        return NULL;
    const char *d = at + strlen(KEPT_CREDITS);
    if (*d == '-')
        d++;
    if (*d < '0' || *d > '9')
        return NULL;
    while (*d >= '0' && *d <= '9')
        d++;
    return strcmp(d, "}") == 0 ? at : NULL;
}

/* Answers a finished job's poll from its kept result without parsing it:
 * the result up to its remainingCredits, then the balance of now and the
 * callback's state, exactly the bytes of the result parsed, given those
 * two members and printed again. 0 when the result is not in that shape
 * (the caller renders it as parsed JSON). */
static int reply_kept(http_request *req, const store_job *j, int64_t credits)
{
    const char *at = kept_credits(j->result);
    if (at == NULL)
        return 0;
    json_t *callback = callback_json(j);
    char *cb = json_dumps(callback, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    json_decref(callback);
    char *body = NULL;
    size_t n = 0;
    FILE *f = cb ? open_memstream(&body, &n) : NULL;
    if (f != NULL) {
        fwrite(j->result, 1, (size_t)(at - j->result), f);
        fprintf(f, KEPT_CREDITS "%lld,\"callback\":%s}", (long long)credits, cb);
    }
    int ok = f != NULL && fclose(f) == 0;
    if (ok) {
        http_add_header(req, "Cache-Control", "no-store");
        http_reply(req, 200, "application/json; charset=utf-8", body, n);
    }
    free(body);
    free(cb);
    return ok;
}

/* Answers a poll of the job just read, with the balance read with it. */
static void reply_job(http_request *req, const api_caller *caller, const store_job *j,
                      int64_t credits)
{
    if (j->result != NULL && reply_kept(req, j, credits))
        return;
    json_t *o = job_json(j);
    api_caller now = *caller;
    now.org.credits = credits;
    if (o != NULL)
        api_external_reply(req, 200, &now, o);
    else
        api_external_error(req, &now, API_INTERNAL, NULL, NULL);
}

/* One read of the job, its callback and the balance (store_job_poll); a
 * finished job answers with the bytes kept when it finished. */
static void poll(http_request *req, api_app *app, const api_caller *caller, const char *kind)
{
    const char *id = api_path_param(req);
    store_job j;
    int64_t credits = 0;
    int rc = ids_is_uuid(id) ? store_job_poll(app->store, id, caller->org.id, &j, &credits)
                             : RA_ERR_NOT_FOUND;
    if (rc == RA_OK && strcmp(j.kind, kind) != 0) {
        store_job_release(&j);
        rc = RA_ERR_NOT_FOUND;
    }
    if (rc == RA_OK) {
        reply_job(req, caller, &j, credits);
        store_job_release(&j);
        return;
    }
    api_caller now = *caller;
    if (rc == RA_ERR_NOT_FOUND && (rc = api_caller_balance(app, &now)) == RA_OK) {
        api_external_error(req, &now, API_NOT_FOUND, "No job with this id.", "jobId");
        return;
    }
    log_error("api: cannot read job: %s (request %s)", ra_strerror(rc), http_request_id(req));
    api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
}

void api_external_poll_report(http_request *req, api_app *app, const api_caller *caller)
{
    poll(req, app, caller, "report");
}

void api_external_poll_pacs(http_request *req, api_app *app, const api_caller *caller)
{
    poll(req, app, caller, "pacs");
}

int api_render_result(void *app, const store_job *job, int64_t remaining_credits, char **body)
{
    (void)app;
    json_t *o = result_json(job);
    json_object_set_new(o, "remainingCredits", json_integer(remaining_credits));
    *body = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    return *body ? RA_OK : RA_ERR_NOMEM;
}

/* Renders and keeps the result of a job that finished without one (before
 * results were kept), then reads the job again: whichever result was kept
 * first is the one sent from then on. */
static int keep_result(api_app *app, store_job *j)
{
    store_org org;
    int rc = store_org_get(app->store, j->org_id, &org);
    char *body = NULL;
    if (rc == RA_OK)
        rc = api_render_result(app, j, org.credits, &body);
    if (rc == RA_OK)
        rc = store_job_keep_result(app->store, j->id, body);
    free(body);
    char id[UUID_LEN];
    memcpy(id, j->id, sizeof id);
    store_job_release(j);
    return rc == RA_OK ? store_job_get(app->store, id, NULL, j) : rc;
}

int api_render_job(void *app_ptr, const char *job_id, char **body, char **hmac_secret)
{
    api_app *app = app_ptr;
    store_job j;
    int rc = store_job_get(app->store, job_id, NULL, &j);
    if (rc == RA_OK && j.result == NULL)
        rc = keep_result(app, &j);
    if (rc != RA_OK)
        return rc;
    *body = j.result ? strdup(j.result) : NULL;
    *hmac_secret = j.hmac_secret ? strdup(j.hmac_secret) : NULL;
    store_job_release(&j);
    if (*body == NULL || *hmac_secret == NULL) {
        free(*body);
        free(*hmac_secret);
        return RA_ERR_NOMEM;
    }
    return RA_OK;
}

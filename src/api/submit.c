/* submit.c - POST /report and POST /pacs/report: validate everything, keep
 * the uploaded audio, create the job with its credits reserved, answer 202.
 * The web app's POST /api/v1/jobs submits through the same api_submit (see
 * internal.h), so both APIs share every check, the credits and the pipeline.
 *
 * Every refusal happens before anything is written: a 4xx leaves no job, no
 * reservation and no audio file behind. The endpoints differ only in how
 * they read their fields (form fields, or the PACS metadata JSON) and how
 * they answer; all fill an `api_submission` and share the rest. The audio's
 * FFmpeg probe runs on the probing pool (http_offload) while the request
 * waits suspended; what follows it (keeping the audio, creating the job, the
 * answer) is the second half, so a caller's fields live in its state. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "api/internal.h"
#include "audio/audio.h"
#include "catalog/catalog.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/job_state.h"
#include "core/lang.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"

#define ID_MAX_CHARS 64    /* patientId, accession numbers, teleCode */
#define NAME_MAX_CHARS 200 /* patientName */
#define TEMPLATE_MAX_BYTES (512 * 1024)
#define TRANSCRIPT_MAX_BYTES (1024 * 1024)
#define DEFAULT_MS_PER_EXAM 35000 /* the guide's ~30-45 s per exam, until measured */

int api_refuse(api_refusal *f, api_error code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    f->code = code;
    snprintf(f->field, sizeof f->field, "%s", field ? field : "");
    return -1;
}

/* An optional one-line text: valid UTF-8, no control characters, at most
 * max_chars characters. */
static int check_line(const char *value, const char *field, size_t max_chars, api_refusal *f)
{
    if (value == NULL)
        return 0;
    if (!text_is_utf8(value, strlen(value)) || text_has_control(value) ||
        text_length(value) > max_chars)
        return api_refuse(f, API_INVALID_METADATA, field,
                          "%s must be text of at most %zu characters, without control characters.",
                          field, max_chars);
    return 0;
}

/* Multi-line text (templates, transcripts): valid UTF-8 within max_bytes. */
static int check_body_text(const char *value, const char *field, size_t max_bytes, api_refusal *f)
{
    if (value != NULL && (!text_is_utf8(value, strlen(value)) || strlen(value) > max_bytes))
        return api_refuse(f, API_INVALID_METADATA, field,
                          "%s must be UTF-8 text of at most %zu bytes.", field, max_bytes);
    return 0;
}

static int check_exam(const store_exam_input *e, size_t i, int pacs, api_refusal *f)
{
    char field[48];
    char digits[STORE_SUT_CODE_MAX + 1];
    snprintf(field, sizeof field, pacs ? "exams[%zu].sutCode" : "sutCode", i);
    if (e->sut_code == NULL || *e->sut_code == '\0')
        return api_refuse(f, API_INVALID_SUT_CODE, field, "%s is required.", field);
    if (strspn(e->sut_code, "0123456789") != strlen(e->sut_code) ||
        catalog_normalize_code(e->sut_code, digits) != RA_OK)
        return api_refuse(f, API_INVALID_SUT_CODE, field,
                          "%s must be 5 to 7 digits (^\\d{5,7}$), e.g. 804200.", field);
    snprintf(field, sizeof field, pacs ? "exams[%zu].accessionNumber" : "accessionNo", i);
    if (check_line(e->accession, field, ID_MAX_CHARS, f) != 0)
        return -1;
    snprintf(field, sizeof field, "exams[%zu].teleCode", i);
    if (check_line(e->tele_code, field, ID_MAX_CHARS, f) != 0)
        return -1;
    snprintf(field, sizeof field, pacs ? "exams[%zu].templateFormat" : "templateFormat", i);
    if (e->template_content != NULL && e->template_format == NULL)
        return api_refuse(f, API_INVALID_METADATA, field, "%s is required when a template is sent.",
                          field);
    if (e->template_format != NULL && strcmp(e->template_format, "txt") != 0 &&
        strcmp(e->template_format, "rtf") != 0 && strcmp(e->template_format, "html") != 0)
        return api_refuse(f, API_INVALID_METADATA, field, "%s must be txt, rtf or html.", field);
    snprintf(field, sizeof field, pacs ? "exams[%zu].templateContent" : "templateContent", i);
    return check_body_text(e->template_content, field, TEMPLATE_MAX_BYTES, f);
}

/* With more than one exam, each needs its own accession number: it is how
 * the reports are told apart (our reading of the guide's MISSING_ACCESSION). */
static int check_accessions(const api_submission *s, api_refusal *f)
{
    for (size_t i = 0; s->n_exams > 1 && i < s->n_exams; i++) {
        char field[48];
        snprintf(field, sizeof field, "exams[%zu].accessionNumber", i);
        const char *a = s->exams[i].accession;
        if (a == NULL || *a == '\0')
            return api_refuse(f, API_MISSING_ACCESSION, field,
                              "Every exam needs an accessionNumber when there are several.");
        for (size_t j = 0; j < i; j++)
            if (strcmp(a, s->exams[j].accession) == 0)
                return api_refuse(f, API_MISSING_ACCESSION, field,
                                  "accessionNumber %s appears twice.", a);
    }
    return 0;
}

int api_lang_known(const char *lang)
{
    return lang_is_code(lang);
}

/* True when lang is one of the comma-separated codes of list. */
static int check_langs(api_submission *s, const api_app *app, api_refusal *f)
{
    if (s->input_lang == NULL || *s->input_lang == '\0')
        s->input_lang = "tr";
    if (s->output_lang == NULL || *s->output_lang == '\0')
        s->output_lang = "tr";
    if (!api_lang_known(s->input_lang))
        return api_refuse(f, API_INVALID_METADATA, "inputLang",
                          "inputLang must be one of tr, en, ru, az, fr, de.");
    if (!api_lang_known(s->output_lang))
        return api_refuse(f, API_INVALID_METADATA, "outputLang",
                          "outputLang must be one of tr, en, ru, az, fr, de.");
    if (strcmp(s->input_lang, s->output_lang) != 0 && !app->structuring)
        return api_refuse(f, API_UNSUPPORTED_LANGUAGE, "outputLang",
                          "Translation (%s to %s) needs a structuring engine; none is configured.",
                          s->input_lang, s->output_lang);
    if (s->transcript != NULL || asr_routing_for(app->speech, s->input_lang) != ASR_NONE)
        return 0;
    char served[LANG_COUNT * 3];
    asr_routing_languages(app->speech, served, sizeof served);
    return api_refuse(f, API_UNSUPPORTED_LANGUAGE, "inputLang",
                      "No speech engine is configured for %s (available: %s); send a "
                      "transcript instead, or configure an engine.",
                      s->input_lang, served);
}

int api_submission_check(api_submission *s, const api_app *app, api_refusal *f)
{
    if (check_line(s->patient_id, s->kind[0] == 'p' ? "patientUid" : "patientId", ID_MAX_CHARS,
                   f) != 0 ||
        check_line(s->patient_name, "patientName", NAME_MAX_CHARS, f) != 0)
        return RA_ERR_REFUSED;
    for (size_t i = 0; i < s->n_exams; i++)
        if (check_exam(&s->exams[i], i, s->kind[0] == 'p', f) != 0)
            return RA_ERR_REFUSED;
    if (check_accessions(s, f) != 0)
        return RA_ERR_REFUSED;
    if (s->callback_url != NULL) {
        char why[200];
        if (webhook_check_url(s->callback_url, &app->webhooks, why, sizeof why) != RA_OK) {
            api_refuse(f, API_INVALID_CALLBACK_URL, "callbackUrl", "%s", why);
            return RA_ERR_REFUSED;
        }
    }
    if (check_body_text(s->transcript, "transcript", TRANSCRIPT_MAX_BYTES, f) != 0 ||
        check_langs(s, app, f) != 0)
        return RA_ERR_REFUSED;
    return RA_OK;
}

/* ---- audio ------------------------------------------------------------------ */

typedef struct kept_audio {
    char rel[64]; /* "audio/<hex>.<format>", relative to the data directory */
    char abs[4200];
    char sha256[65];
    char format[8];
    double seconds;
} kept_audio;

/* The length a job's credits cover: each exam reserves one credit, and one
 * credit covers app->audio_ms_per_credit of recording, so a job of n exams
 * may send n times that, up to the longest a worker decodes. The length is
 * the probe's, to the millisecond; a recording exactly at the limit is
 * taken. */
static int check_duration(const api_app *app, const api_submission *s, double seconds,
                          api_refusal *f)
{
    int64_t ms = (int64_t)llround(seconds * 1000.0);
    int64_t cover = app->audio_ms_per_credit * (int64_t)s->n_exams;
    if (app->audio_ms_max > 0 && cover > app->audio_ms_max)
        cover = app->audio_ms_max;
    if (app->audio_ms_per_credit <= 0 || ms <= cover)
        return 0;
    return api_refuse(f, API_AUDIO_TOO_LONG, "audio",
                      "The recording lasts %lld.%03lld s; the %zu credit(s) this job reserves "
                      "cover up to %lld s (%lld min per exam).",
                      (long long)(ms / 1000), (long long)(ms % 1000), s->n_exams,
                      (long long)(cover / 1000), (long long)(app->audio_ms_per_credit / 60000));
}

/* Checks what can be checked of the audio without reading it, or that a
 * transcript came instead. *up_out is the upload to probe, NULL for a
 * transcript. */
static int check_audio_part(http_request *req, const api_app *app, const api_submission *s,
                            const http_upload **up_out, api_refusal *f)
{
    const http_upload *up = http_form_file(req, "audio");
    *up_out = NULL;
    if (s->transcript != NULL) {
        if (up != NULL)
            return api_refuse(f, API_INVALID_AUDIO, "audio",
                              "Send audio or a transcript, not both.");
        if (strspn(s->transcript, " \t\r\n") == strlen(s->transcript))
            return api_refuse(f, API_INVALID_METADATA, "transcript", "transcript is empty.");
        return 0;
    }
    if (up == NULL)
        return api_refuse(f, API_INVALID_AUDIO, "audio", "The audio file is missing.");
    if (up->too_large)
        return api_refuse(f, API_AUDIO_TOO_LARGE, "audio", "The audio file is larger than %llu MB.",
                          (unsigned long long)(app->max_audio_bytes / (1024 * 1024)));
    if (up->size == 0)
        return api_refuse(f, API_INVALID_AUDIO, "audio", "The audio file is empty.");
    *up_out = up;
    return 0;
}

/* After the probe (probe_rc, info, why): checks the length and moves the
 * upload under the data directory. */
static int keep_audio(http_request *req, const api_app *app, const api_submission *s, int probe_rc,
                      const audio_info *info, const char *why, kept_audio *kept, api_refusal *f)
{
    const http_upload *up = http_form_file(req, "audio");
    if (probe_rc != RA_OK)
        return api_refuse(f, API_INVALID_AUDIO, "audio", "%s", why[0] ? why : "Unreadable audio.");
    if (check_duration(app, s, info->duration_s, f) != 0)
        return -1;
    char name[25];
    ids_hex(name, 12);
    snprintf(kept->rel, sizeof kept->rel, "audio/%s.%s", name, info->format);
    snprintf(kept->abs, sizeof kept->abs, "%s/%s", app->data_dir, kept->rel);
    snprintf(kept->sha256, sizeof kept->sha256, "%s", up->sha256);
    snprintf(kept->format, sizeof kept->format, "%s", info->format);
    kept->seconds = info->duration_s;
    if (http_form_keep(req, "audio", kept->abs) != RA_OK)
        return api_refuse(f, API_UNAVAILABLE, NULL, "The audio could not be stored.");
    return 0;
}

/* ---- creating the job --------------------------------------------------------- */

static int64_t estimate_seconds(const api_app *app)
{
    int64_t queued = 0, per_exam = -1;
    if (store_job_stats(app->store, &queued, &per_exam) != RA_OK || per_exam < 0)
        per_exam = DEFAULT_MS_PER_EXAM;
    int workers = app->workers > 0 ? app->workers : 1;
    int64_t ms = queued * per_exam / workers;
    return ms / 1000 + 1;
}

static int create_job(http_request *req, api_app *app, const api_submitter *who,
                      const api_submission *s, const kept_audio *audio, api_accepted *out,
                      api_refusal *f)
{
    char secret[65], job_id[UUID_LEN], dup[UUID_LEN] = "";
    ids_hex(secret, 32);
    store_job_input in = {
        .kind = s->kind,
        .org_id = who->org->id,
        .key_id = who->key_id,
        .user_id = who->user_id,
        .audio_path = audio->rel[0] ? audio->rel : NULL,
        .audio_sha256 = audio->rel[0] ? audio->sha256 : NULL,
        .audio_format = audio->rel[0] ? audio->format : NULL,
        .audio_seconds = audio->seconds,
        .transcript = s->transcript,
        .input_lang = s->input_lang,
        .output_lang = s->output_lang,
        .patient_id = s->patient_id,
        .patient_name = s->patient_name,
        .callback_url = s->callback_url,
        .hmac_secret = secret,
        .signed_by_org = s->signed_by_org,
        .exams = s->exams,
        .n_exams = s->n_exams,
    };
    int64_t balance = 0, now_ms = time_now_ms();
    int rc = store_job_create(app->store, &in, now_ms, app->dup_window_s, job_id, dup, &balance);
    if (rc != RA_OK && audio->rel[0])
        remove(audio->abs);
    if (rc == RA_ERR_EXISTS) {
        snprintf(f->dup_job_id, sizeof f->dup_job_id, "%s", dup);
        return api_refuse(f, API_DUPLICATE_SUBMISSION, "audio",
                          "The same audio was already submitted; see jobId.");
    }
    if (rc == RA_ERR_BALANCE)
        return api_refuse(f, API_INSUFFICIENT_CREDITS, NULL,
                          "This request needs %zu credits; %lld remain.", s->n_exams,
                          (long long)who->org->credits);
    if (rc != RA_OK) {
        log_error("api: job creation failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        return api_refuse(f, API_UNAVAILABLE, NULL, "%s", ""); /* the catalogue's message */
    }
    log_info("api: job %s queued: %s, %zu exam(s) (request %s)", job_id, s->kind, s->n_exams,
             http_request_id(req));
    if (app->jobs)
        jobs_wake(app->jobs);
    snprintf(out->job_id, sizeof out->job_id, "%s", job_id);
    snprintf(out->hmac_secret, sizeof out->hmac_secret, "%s", secret);
    out->balance = balance;
    out->estimated_s = estimate_seconds(app);
    return 0;
}

/* ---- the submission, its audio probed on the pool ------------------------------- */

typedef struct submit_job {
    api_app *app;
    const api_submitter *who;
    api_submission *s;
    char path[4200]; /* the upload's file */
    int probe_rc;
    audio_info info;
    char why[200];
    api_submit_then then;
    void *state;
    void (*free_state)(void *state);
} submit_job;

static void submit_job_free(void *ctx)
{
    submit_job *job = ctx;
    if (job->free_state != NULL)
        job->free_state(job->state);
    free(job);
}

/* Creates the job (after the probe, when there was audio), then the
 * caller's second half. */
static void submit_finish(http_request *req, submit_job *job, int probed)
{
    api_refusal f = {.code = API_INVALID_REQUEST};
    api_accepted ok;
    kept_audio audio = {.seconds = 0};
    int refused = probed && keep_audio(req, job->app, job->s, job->probe_rc, &job->info, job->why,
                                       &audio, &f) != 0;
    if (!refused)
        refused = create_job(req, job->app, job->who, job->s, &audio, &ok, &f) != 0;
    job->then(req, job->app, refused ? RA_ERR_REFUSED : RA_OK, refused ? NULL : &ok,
              refused ? &f : NULL, job->state);
}

/* On a probing thread. */
static void probe_work(void *ctx)
{
    submit_job *job = ctx;
    api_pool_gate("probe");
    job->probe_rc = audio_probe(job->path, &job->info, job->why, sizeof job->why);
}

/* On an HTTP thread, once the probe is done. */
static void probe_resume(http_request *req, void *ctx)
{
    submit_finish(req, ctx, 1);
}

/* Answers inline: then, and the state freed. */
static void submit_now(http_request *req, submit_job *job, const api_refusal *f)
{
    if (f != NULL)
        job->then(req, job->app, RA_ERR_REFUSED, NULL, f, job->state);
    else
        submit_finish(req, job, 0);
    submit_job_free(job);
}

void api_submit(http_request *req, api_app *app, const api_submitter *who, api_submission *s,
                api_submit_then then, void *state, void (*free_state)(void *state))
{
    api_refusal f = {.code = API_INVALID_REQUEST};
    submit_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        api_refuse(&f, API_INTERNAL, NULL, "%s", "");
        then(req, app, RA_ERR_REFUSED, NULL, &f, state);
        if (free_state != NULL)
            free_state(state);
        return;
    }
    *job = (submit_job){
        .app = app, .who = who, .s = s, .then = then, .state = state, .free_state = free_state};
    const http_upload *up = NULL;
    if (api_submission_check(s, app, &f) != RA_OK || check_audio_part(req, app, s, &up, &f) != 0) {
        submit_now(req, job, &f);
        return;
    }
    if (up == NULL) { /* a transcript */
        submit_now(req, job, NULL);
        return;
    }
    snprintf(job->path, sizeof job->path, "%s", up->path);
    int rc = http_offload(req, app->probing, probe_work, probe_resume, job, submit_job_free);
    if (rc != RA_OK) {
        api_pool_refusal(req, rc, "recordings being checked", &f);
        submit_now(req, job, &f);
    }
}

int api_submit_form_check(http_request *req, api_refusal *why)
{
    const char *type = http_header(req, "Content-Type");
    if (type == NULL || strncasecmp(type, "multipart/form-data", 19) != 0 ||
        http_form_malformed(req)) {
        api_refuse(why, API_INVALID_REQUEST, NULL, "Send the request as multipart/form-data.");
        return RA_ERR_REFUSED;
    }
    if (http_form_too_large(req)) {
        api_refuse(why, API_PAYLOAD_TOO_LARGE, NULL, "The text fields of the form are too large.");
        return RA_ERR_REFUSED;
    }
    return RA_OK;
}

/* An empty form field counts as absent. */
static const char *field(http_request *req, const char *name)
{
    const char *v = http_form(req, name);
    return (v != NULL && *v != '\0') ? v : NULL;
}

void api_submission_from_form(http_request *req, api_submission *s)
{
    *s = (api_submission){.kind = "report", .n_exams = 1};
    s->exams[0] = (store_exam_input){
        .sut_code = field(req, "sutCode"),
        .accession = field(req, "accessionNo"),
        .template_content = field(req, "templateContent"),
        .template_format = field(req, "templateFormat"),
    };
    s->patient_id = field(req, "patientId");
    s->patient_name = field(req, "patientName");
    s->callback_url = field(req, "callbackUrl");
    s->input_lang = field(req, "inputLang");
    s->output_lang = field(req, "outputLang");
    s->transcript = field(req, "transcript");
}

/* ---- the External API's answers --------------------------------------------------- */

static void reply_refused(http_request *req, const api_caller *caller, const api_refusal *r)
{
    api_refusal_headers(req, r);
    if (r->code == API_DUPLICATE_SUBMISSION)
        api_reply_error(req, r->code, r->message, r->field,
                        json_pack("{s:s, s:I}", "jobId", r->dup_job_id, "remainingCredits",
                                  (json_int_t)caller->org.credits));
    else
        api_external_error(req, caller, r->code, r->message[0] ? r->message : NULL,
                           r->field[0] ? r->field : NULL);
}

static void reply_accepted(http_request *req, const api_caller *caller, const api_submission *s,
                           const api_accepted *a)
{
    char poll[160];
    snprintf(poll, sizeof poll, "/api/external/v1/%sreport/%s",
             strcmp(s->kind, "pacs") == 0 ? "pacs/" : "", a->job_id);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:I}", "jobId", a->job_id, "status",
                             job_state_text(JOB_PENDING), "pollUrl", poll, "hmacSecret",
                             a->hmac_secret, "estimatedSeconds", (json_int_t)a->estimated_s);
    if (strcmp(s->kind, "pacs") == 0)
        json_object_set_new(body, "examCount", json_integer((json_int_t)s->n_exams));
    api_caller after = *caller;
    after.org.credits = a->balance;
    api_external_reply(req, 202, &after, body);
}

/* What the External API's second half needs: copies of the caller and the
 * submission, and the PACS metadata the submission points into. */
typedef struct external_submit {
    api_caller caller;
    api_submitter who;
    api_submission s;
    json_t *meta;
} external_submit;

static void external_submit_free(void *state)
{
    external_submit *st = state;
    json_decref(st->meta);
    free(st);
}

static void external_submitted(http_request *req, api_app *app, int rc, const api_accepted *ok,
                               const api_refusal *why, void *state)
{
    (void)app;
    external_submit *st = state;
    if (rc == RA_OK)
        reply_accepted(req, &st->caller, &st->s, ok);
    else
        reply_refused(req, &st->caller, why);
}

/* Validation, audio and creation shared by both endpoints, then the answer.
 * Takes meta (may be NULL), which s may point into. */
static void accept_submission(http_request *req, api_app *app, const api_caller *caller,
                              const api_submission *s, json_t *meta)
{
    external_submit *st = calloc(1, sizeof *st);
    if (st == NULL) {
        json_decref(meta);
        api_external_error(req, caller, API_INTERNAL, NULL, NULL);
        return;
    }
    st->caller = *caller;
    st->s = *s;
    st->meta = meta;
    st->who = (api_submitter){.org = &st->caller.org, .key_id = st->caller.key.id};
    api_submit(req, app, &st->who, &st->s, external_submitted, st, external_submit_free);
}

/* A form that could not be read at all. Returns 1 when it replied. */
static int refuse_bad_form(http_request *req, const api_caller *caller)
{
    api_refusal why;
    if (api_submit_form_check(req, &why) == RA_OK)
        return 0;
    reply_refused(req, caller, &why);
    return 1;
}

void api_external_submit_report(http_request *req, api_app *app, const api_caller *caller)
{
    if (refuse_bad_form(req, caller))
        return;
    api_submission s;
    api_submission_from_form(req, &s);
    accept_submission(req, app, caller, &s, NULL);
}

/* ---- the PACS metadata ---------------------------------------------------------- */

/* Reads an optional string member; a member of another type is refused. */
static int member_string(json_t *obj, const char *key, const char *field, const char **out,
                         api_refusal *f)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return api_refuse(f, API_INVALID_METADATA, field, "%s must be a string.", field);
    *out = json_string_value(v);
    if (**out == '\0')
        *out = NULL;
    return 0;
}

/* Refuses members the guide does not define: a misspelt "sutcode" should
 * fail loudly, not be silently ignored. */
static int only_known(json_t *obj, const char *const *known, const char *where, api_refusal *f)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        int ok = 0;
        for (size_t i = 0; known[i] != NULL; i++)
            ok |= strcmp(key, known[i]) == 0;
        if (!ok)
            return api_refuse(f, API_INVALID_METADATA, where, "Unknown field \"%.60s\" in %s.", key,
                              where);
    }
    return 0;
}

static int parse_exam(json_t *exam, size_t i, store_exam_input *out, api_refusal *f)
{
    static const char *const known[] = {"accessionNumber", "sutCode",        "teleCode",
                                        "templateContent", "templateFormat", NULL};
    char where[32], field[48];
    snprintf(where, sizeof where, "exams[%zu]", i);
    if (!json_is_object(exam))
        return api_refuse(f, API_INVALID_METADATA, where, "%s must be an object.", where);
    if (only_known(exam, known, where, f) != 0)
        return -1;
    const char **slots[] = {&out->accession, &out->sut_code, &out->tele_code,
                            &out->template_content, &out->template_format};
    for (size_t k = 0; k < 5; k++) {
        snprintf(field, sizeof field, "%s.%s", where, known[k]);
        if (member_string(exam, known[k], field, slots[k], f) != 0)
            return -1;
    }
    return 0;
}

static int parse_metadata(json_t *meta, api_submission *s, api_refusal *f)
{
    static const char *const known[] = {"patientUid", "patientName", "exams", "callbackUrl",
                                        "inputLang",  "outputLang",  NULL};
    if (!json_is_object(meta))
        return api_refuse(f, API_INVALID_METADATA, "metadata", "metadata must be a JSON object.");
    if (only_known(meta, known, "metadata", f) != 0 ||
        member_string(meta, "patientUid", "patientUid", &s->patient_id, f) != 0 ||
        member_string(meta, "patientName", "patientName", &s->patient_name, f) != 0 ||
        member_string(meta, "callbackUrl", "callbackUrl", &s->callback_url, f) != 0 ||
        member_string(meta, "inputLang", "inputLang", &s->input_lang, f) != 0 ||
        member_string(meta, "outputLang", "outputLang", &s->output_lang, f) != 0)
        return -1;
    json_t *exams = json_object_get(meta, "exams");
    if (exams != NULL && !json_is_array(exams))
        return api_refuse(f, API_INVALID_METADATA, "exams", "exams must be an array.");
    if (exams == NULL || json_array_size(exams) == 0)
        return api_refuse(f, API_NO_EXAMS, "exams", "The exam list is empty.");
    if (json_array_size(exams) > STORE_EXAMS_MAX)
        return api_refuse(f, API_TOO_MANY_EXAMS, "exams", "At most %d exams per request; got %zu.",
                          STORE_EXAMS_MAX, json_array_size(exams));
    s->n_exams = json_array_size(exams);
    for (size_t i = 0; i < s->n_exams; i++)
        if (parse_exam(json_array_get(exams, i), i, &s->exams[i], f) != 0)
            return -1;
    return 0;
}

int api_metadata_read(const char *text, api_submission *s, json_t **meta, api_refusal *f)
{
    *meta = NULL;
    if (text == NULL) {
        api_refuse(f, API_INVALID_METADATA, "metadata", "The metadata field is missing.");
        return RA_ERR_REFUSED;
    }
    json_error_t jerr;
    *meta = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (*meta == NULL) {
        api_refuse(f, API_INVALID_METADATA, "metadata", "metadata is not valid JSON: %s (line %d).",
                   jerr.text, jerr.line);
        return RA_ERR_REFUSED;
    }
    return parse_metadata(*meta, s, f) == 0 ? RA_OK : RA_ERR_REFUSED;
}

void api_external_submit_pacs(http_request *req, api_app *app, const api_caller *caller)
{
    if (refuse_bad_form(req, caller))
        return;
    api_submission s = {.kind = "pacs"};
    s.transcript = field(req, "transcript");
    json_t *meta;
    api_refusal f;
    if (api_metadata_read(http_form(req, "metadata"), &s, &meta, &f) != RA_OK) {
        api_external_error(req, caller, f.code, f.message, f.field[0] ? f.field : NULL);
        json_decref(meta);
    } else {
        accept_submission(req, app, caller, &s, meta);
    }
}

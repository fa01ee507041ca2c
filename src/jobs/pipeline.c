/* pipeline.c - one job from audio to reports (see pipeline.h):
 *   decode (audio), transcribed (asr) as it is decoded -> split per exam
 *   -> for each exam:
 *   catalog entry, template (custom, matched or default), sections, filled
 *   template, report text and HTML.
 * Failures of the input (audio that does not decode, an exam with no
 * dictation) are final outcomes; failures of the machinery are returned for
 * another attempt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "audio/audio.h"
#include "core/err.h"
#include "core/failures.h"
#include "core/log.h"
#include "jobs/lm_refresh.h"
#include "jobs/pipeline.h"
#include "jobs/speech.h"
#include "structuring/engine.h"
#include "structuring/macros.h"
#include "structuring/split.h"
#include "structuring/structure.h"
#include "templates/fill.h"

struct pipeline {
    const jobs_config *cfg;
    report_macro_builtins *builtins; /* the library's built-in macros, made once; or NULL */
    asr_engine *asr;
    asr_engine *remote;     /* the openai speech engine; NULL when not configured */
    asr_routing routing;    /* which of the two serves each language */
    const atomic_int *stop; /* the running job's stop flag (pipeline_run's) */
};

int pipeline_new(const jobs_config *cfg, pipeline **out, char *err, size_t errlen)
{
    pipeline *p = calloc(1, sizeof *p);
    if (p == NULL)
        return RA_ERR_NOMEM;
    p->cfg = cfg;
    asr_routing_of(cfg->asr_openai, &p->routing);
    asr_local_config ac = {
        .model_dir = cfg->asr_model_dir, .lm_path = cfg->asr_lm, .dict_path = cfg->asr_dict};
    int rc = asr_local_new(&ac, &p->asr, err, errlen);
    if (rc == RA_OK && cfg->templates != NULL &&
        report_macro_builtins_new(cfg->templates, &p->builtins) != RA_OK) {
        snprintf(err, errlen, "out of memory for the template library's voice macros");
        rc = RA_ERR_NOMEM;
    }
    if (rc == RA_OK && cfg->asr_openai != NULL && cfg->asr_openai->n_routes > 0)
        rc = asr_openai_new(cfg->asr_openai, &p->remote, err, errlen);
    if (rc != RA_OK) {
        pipeline_free(p);
        return rc;
    }
    *out = p;
    return RA_OK;
}

void pipeline_free(pipeline *p)
{
    if (p == NULL)
        return;
    if (p->asr)
        p->asr->free(p->asr);
    if (p->remote)
        p->remote->free(p->remote);
    report_macro_builtins_free(p->builtins);
    free(p);
}

/* Hands s (a new allocation, or NULL for none) to the result, which frees
 * it with its other strings: s, or NULL when it was NULL or the result
 * could not take it (then s is freed and *rc is RA_ERR_NOMEM, unless an
 * earlier failure is there already). */
static const char *own(pipeline_result *r, char *s, int *rc)
{
    if (s == NULL)
        return NULL;
    if (arena_adopt(&r->strings, s) != RA_OK) {
        if (*rc == RA_OK)
            *rc = RA_ERR_NOMEM;
        return NULL;
    }
    return s;
}

/* A copy of s in the result (NULL for NULL s); a copy that cannot be made
 * is NULL with *rc RA_ERR_NOMEM, as own's. */
static const char *own_copy(pipeline_result *r, const char *s, int *rc)
{
    if (s == NULL)
        return NULL;
    const char *c = arena_strdup(&r->strings, s);
    if (c == NULL && *rc == RA_OK)
        *rc = RA_ERR_NOMEM;
    return c;
}

void pipeline_result_release(pipeline_result *r)
{
    arena_release(&r->strings);
}

/* Ends the job as failed as a whole: every exam gets this error. */
static int fail_whole(pipeline_result *out, const char *code, const char *message)
{
    int rc = RA_OK;
    out->job.error_code = code;
    out->job.error_message = own_copy(out, message, &rc);
    out->job.exams = NULL;
    if (rc != RA_OK)
        pipeline_result_release(out);
    return rc;
}

/* ---- the transcript ------------------------------------------------------------ */

/* Runs the engine that serves the job's language: the openai engine when
 * configured for it, else the local one. A speech server that stays down or
 * answers unusably fails the job (final, so its credits come back at once)
 * with SPEECH_ENGINE_UNAVAILABLE; the details go to the log only. */
static int run_engine(pipeline *p, const store_job *job, const atomic_int *stop, const asr_audio *a,
                      char **text, const char **final_code, char *why, size_t whylen)
{
    asr_engine *engine = speech_engine_for(&p->routing, p->remote, p->asr, job->input_lang);
    if (engine == NULL) {
        *final_code = job_failure_code(JOB_FAIL_UNSUPPORTED_LANGUAGE);
        snprintf(why, whylen, "No speech engine serves %s.", job->input_lang);
        return RA_OK;
    }
    int rc = speech_set_context(p->cfg, engine, job, stop);
    if (rc == RA_OK && p->cfg->org_models)
        lm_org_select(engine, p->cfg->data_dir, job->org_id, job->id);
    if (rc == RA_OK)
        rc = asr_transcribe_audio(engine, a, job->input_lang, text, why, whylen);
    if (rc == RA_ERR_UNAVAILABLE) {
        log_warn("jobs: job %s: the %s speech engine failed: %s", job->id, engine->name, why);
        *final_code = job_failure_code(JOB_FAIL_SPEECH_ENGINE_UNAVAILABLE);
        snprintf(why, whylen,
                 "The speech engine for %s did not answer usably, even after retries; nothing "
                 "was charged. Try again later.",
                 job->input_lang);
        rc = RA_OK;
    }
    if (engine->set_context != NULL)
        engine->set_context(engine, NULL);
    return rc;
}

/* Speech to text. RA_OK with *text set, or with *final_code set when the
 * input itself is unusable; a negative code for a retryable failure. */
static int transcribe(pipeline *p, const store_job *job, const atomic_int *stop, char **text,
                      const char **final_code, char *why, size_t whylen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", p->cfg->data_dir, job->audio_path);
    /* The engine reads the audio as it is decoded: never held whole. */
    audio_source src;
    audio_source_init(&src, path, p->cfg->max_audio_s);
    asr_audio a = {audio_source_run, &src};
    int rc = run_engine(p, job, stop, &a, text, final_code, why, whylen);
    if (src.rc == RA_OK)
        return rc;
    ra_fail(why, whylen, src.rc, "%s", src.why);
    if (src.rc == RA_ERR_FORMAT || src.rc == RA_ERR_TOO_LARGE || src.rc == RA_ERR_IO) {
        *final_code = job_failure_code(src.rc == RA_ERR_TOO_LARGE ? JOB_FAIL_AUDIO_TOO_LONG
                                       : src.rc == RA_ERR_IO      ? JOB_FAIL_AUDIO_MISSING
                                                                  : JOB_FAIL_INVALID_AUDIO);
        return RA_OK;
    }
    return src.rc;
}

/* ---- voice macros ---------------------------------------------------------------- */

typedef struct macro_load {
    report_macro_set *set;
    int rc;
} macro_load;

/* Adds one stored macro; a row the set refuses (it cannot come from the
 * web API) is skipped, running out of memory is kept for the caller. */
static void add_stored_macro(const store_macro *m, void *ctx)
{
    macro_load *ml = ctx;
    int sec = -1;
    if (m->section[0] != '\0' && report_section_from_key(m->section, &sec) != RA_OK)
        return;
    int rc = report_macros_add(ml->set, m->user_id[0] ? REPORT_MACRO_USER : REPORT_MACRO_ORG,
                               m->name, sec, m->text);
    if (rc == RA_ERR_NOMEM)
        ml->rc = rc;
}

/* The macros a job may use (structuring/macros.h): its organization's and, for
 * a web job, its user's; the library's are added per exam. *out is NULL
 * for a dictation language without macros. */
static int load_macros(pipeline *p, const store_job *job, report_macro_set **out)
{
    macro_load ml = {NULL, RA_OK};
    *out = NULL;
    if (report_macros_new(job->input_lang, &ml.set) != RA_OK)
        return RA_OK;
    int rc = store_macro_each(p->cfg->store, job->org_id, job->user_id[0] ? job->user_id : NULL,
                              add_stored_macro, &ml);
    rc = rc == RA_OK ? ml.rc : rc;
    if (rc != RA_OK) {
        report_macros_free(ml.set);
        return rc;
    }
    *out = ml.set;
    return RA_OK;
}

/* ---- one exam ------------------------------------------------------------------- */

/* The library template for this exam in this language, or NULL. */
static const tmpl *match_template(const tmpl_library *lib, const store_sut_row *row,
                                  const char *lang)
{
    return tmpl_library_match(lib, row->modality, row->body_part, lang);
}

/* Renders the exam (templates/fill.h, report_render_exam): with the
 * template sent with it; else with an own template for its modality, body
 * part and output language (store_template_override: the user's, then the
 * organization's); else with the library's, library (NULL: none). Keeps
 * the outputs and the sections as placed, for the web app's editor, in e.
 * See docs/templates.md. */
static int render_exam(pipeline *p, const store_job *job, const store_job_exam *exam,
                       const store_sut_row *row, const tmpl *library, report_sections *sec,
                       pipeline_result *out, store_exam_result *e)
{
    store_template mine = {.content = NULL};
    int rc = RA_ERR_NOT_FOUND;
    if (exam->template_content == NULL && row->modality[0] && row->body_part[0])
        rc = store_template_override(p->cfg->store, job->org_id, job->user_id, row->modality,
                                     row->body_part, job->output_lang, &mine);
    if (rc != RA_OK && rc != RA_ERR_NOT_FOUND)
        return rc;
    int has_own = rc == RA_OK;
    report_template_choice choice = {
        .custom_content = exam->template_content,
        .custom_format = exam->template_format,
        .matched_content = has_own   ? mine.content
                           : library ? library->content
                                     : NULL,
        .matched_format = has_own   ? mine.format
                          : library ? library->format
                                    : NULL,
    };
    report_rendered r;
    rc = report_render_exam(&choice, sec, job->output_lang, &r);
    store_template_release(&mine);
    if (rc != RA_OK)
        return rc;
    e->template_used = r.template_used;
    e->report_text = own(out, r.text, &rc);
    e->report_html = own(out, r.html, &rc);
    e->filled_template = own(out, r.filled, &rc);
    for (int k = 0; k < REPORT_SEC_COUNT; k++) {
        e->sections[k] = own(out, sec->text[k], &rc);
        sec->text[k] = NULL;
    }
    return rc;
}

/* The job's dictation as split between its exams. */
typedef struct job_split {
    const char *transcript;                         /* the whole dictation */
    size_t n;                                       /* exams */
    store_sut_row rows[STORE_EXAMS_MAX];            /* their catalog entries ("" when unknown) */
    report_exam_hint hints[STORE_EXAMS_MAX];        /* what the split knows of them */
    char *parts[STORE_EXAMS_MAX];                   /* their parts (owned) */
    report_split_outcome outcomes[STORE_EXAMS_MAX]; /* what the split found */
    report_macro_set *macros;                       /* the job's voice macros, or NULL */
} job_split;

/* Keeps w as exam i's warnings in out and hands them to e. */
static void keep_warnings(pipeline_result *out, size_t i, const report_warnings *w,
                          store_exam_result *e)
{
    report_warnings *kept = &out->found[i];
    *kept = *w;
    for (size_t k = 0; k < kept->n; k++)
        out->warnings[i][k] = (store_exam_warning){
            .code = kept->item[k].code,
            .section = report_section_key(kept->item[k].section),
            .text = kept->item[k].text,
        };
    e->warnings = out->warnings[i];
    e->n_warnings = kept->n;
    e->more_warnings = (int64_t)kept->more;
}

/* Exam i's sections by the structuring engines (structuring/engine.h): the
 * openai engine when one is configured (it also translates), the rules
 * engine otherwise and when it fails. The warnings recorded are the
 * engine's and those of a report that speaks of another exam's anatomy.
 * RA_OK with *sec set and the engine and warnings recorded, or with
 * e->error_code set (and *sec empty) when the exam fails. */
static int structure_exam(pipeline *p, const store_job *job, size_t i, const job_split *js,
                          pipeline_result *out, store_exam_result *e, report_sections *sec)
{
    const store_sut_row *row = &js->rows[i];
    char ref[UUID_LEN + 8];
    snprintf(ref, sizeof ref, "job %s", job->id);
    report_engine_input in = {
        .transcript = js->parts[i],
        .input_lang = job->input_lang,
        .output_lang = job->output_lang,
        .macros = js->macros,
        .exam_name = row->name[0] ? row->name : NULL,
        .modality = row->modality[0] ? row->modality : NULL,
        .log_ref = ref,
    };
    report_engine_result r;
    *sec = (report_sections){{NULL}};
    int rc = report_engine_structure(&p->cfg->llm, &in, p->stop, &r);
    if (rc != RA_OK)
        return rc;
    if (r.error_code == NULL)
        rc = report_engine_warn_other_exams(&r, job->output_lang, js->hints, js->n, i);
    if (rc != RA_OK || r.error_code != NULL) {
        e->error_code = r.error_code;
        e->error_message = r.error_message;
        report_engine_result_release(&r);
        return rc;
    }
    e->structured_by = r.structured_by;
    keep_warnings(out, i, &r.warnings, e);
    *sec = r.sections;
    return RA_OK;
}

/* Exam i's report from its part of the transcript. An exam the split found
 * nothing for fails with EMPTY_TRANSCRIPT; one it was unsure of with
 * SPLIT_FAILED, its transcript the whole dictation. */
static int process_exam(pipeline *p, const store_job *job, size_t i, const job_split *js,
                        pipeline_result *out)
{
    const store_job_exam *exam = &job->exams[i];
    const store_sut_row *row = &js->rows[i];
    store_exam_result *e = &out->exams[i];
    const char *part = js->parts[i];
    int rc = RA_OK;
    e->modality = row->modality[0] ? own_copy(out, row->modality, &rc) : NULL;
    e->exam_name = row->name[0] ? own_copy(out, row->name, &rc) : NULL;
    int unsure = js->outcomes[i] == REPORT_SPLIT_UNSURE;
    e->transcript = own_copy(out, unsure ? js->transcript : part, &rc);
    e->error_code = report_split_failure(js->outcomes[i], &e->error_message);
    if (rc != RA_OK || e->error_code != NULL)
        return rc;
    /* Spoken commands are in the dictation's language; titles and text in
     * the output language (the openai engine translates). */
    report_sections sec;
    const tmpl *matched = match_template(p->cfg->templates, row, job->output_lang);
    report_macros_use_builtins(js->macros, p->builtins, matched, job->output_lang);
    rc = structure_exam(p, job, i, js, out, e, &sec);
    if (rc != RA_OK || e->error_code != NULL)
        return rc;
    if (report_sections_empty(&sec)) {
        report_sections_release(&sec);
        e->error_code = job_failure_code(JOB_FAIL_EMPTY_TRANSCRIPT);
        e->error_message = "The dictation for this exam holds no report text.";
        return RA_OK;
    }
    rc = render_exam(p, job, exam, row, matched, &sec, out, e);
    report_sections_release(&sec);
    e->completed = rc == RA_OK;
    return rc;
}

/* What the split knows of exam i: its catalog entry (read into
 * js->rows[i]), its accession, and the name of the library template that
 * matches it in the dictation's language. */
static void read_exam(pipeline *p, const store_job *job, size_t i, job_split *js)
{
    store_sut_row *row = &js->rows[i];
    memset(row, 0, sizeof *row);
    store_sut_get(p->cfg->store, job->exams[i].sut_code, row);
    const tmpl *t = match_template(p->cfg->templates, row, job->input_lang);
    js->hints[i] = (report_exam_hint){
        .exam_name = row->name[0] ? row->name : NULL,
        .modality = row->modality[0] ? row->modality : NULL,
        .body_part = row->body_part[0] ? row->body_part : NULL,
        .accession = job->exams[i].accession,
        .template_name = t != NULL ? t->name : NULL,
    };
}

/* Splits the transcript and builds each exam's report. */
static int build_reports(pipeline *p, const store_job *job, const char *transcript,
                         pipeline_result *out)
{
    job_split *js = calloc(1, sizeof *js);
    if (js == NULL)
        return RA_ERR_NOMEM;
    js->transcript = transcript;
    js->n = job->n_exams;
    for (size_t i = 0; i < job->n_exams; i++)
        read_exam(p, job, i, js);
    char ref[UUID_LEN + 8];
    snprintf(ref, sizeof ref, "job %s", job->id);
    int rc = load_macros(p, job, &js->macros);
    if (rc == RA_OK)
        rc = report_engine_split(&p->cfg->llm, transcript, job->input_lang, js->hints, job->n_exams,
                                 p->stop, ref, js->parts, js->outcomes, NULL);
    for (size_t i = 0; rc == RA_OK && i < job->n_exams; i++)
        rc = process_exam(p, job, i, js, out);
    for (size_t i = 0; i < job->n_exams; i++)
        free(js->parts[i]);
    report_macros_free(js->macros);
    free(js);
    out->job.exams = out->exams;
    return rc;
}

int pipeline_run(pipeline *p, const store_job *job, const atomic_int *stop, pipeline_result *out)
{
    memset(out, 0, sizeof *out);
    p->stop = stop;
    char *text = NULL;
    const char *final_code = NULL;
    char why[256] = "";
    int rc = RA_OK;
    if (job->transcript_input != NULL)
        text = strdup(job->transcript_input);
    else
        rc = transcribe(p, job, stop, &text, &final_code, why, sizeof why);
    if (rc != RA_OK || (final_code == NULL && text == NULL)) {
        free(text);
        return rc != RA_OK ? rc : RA_ERR_NOMEM;
    }
    if (final_code != NULL)
        return fail_whole(out, final_code, why[0] ? why : "The audio could not be used.");
    out->job.transcript = own(out, text, &rc);
    if (rc == RA_OK && atomic_load(stop))
        rc = RA_ERR_CANCELLED;
    if (rc != RA_OK) {
        pipeline_result_release(out);
        return rc;
    }
    rc = build_reports(p, job, text, out);
    if (rc != RA_OK) {
        pipeline_result_release(out);
        log_warn("jobs: building the reports of job %s failed: %s", job->id, ra_strerror(rc));
    }
    return rc;
}

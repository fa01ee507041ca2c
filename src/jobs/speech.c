/* speech.c - the speech engine for a job and its context (see speech.h). */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/sections.h"
#include "jobs/speech.h"
#include "templates/templates.h"

/* Texts per exam: catalog name, template name, its content, its normal
 * text per section, and the request's own template. */
#define TEXTS_PER_EXAM (4 + REPORT_SEC_COUNT)

asr_engine *speech_engine_for(const asr_routing *routing, asr_engine *remote, asr_engine *local,
                              const char *lang)
{
    switch (asr_routing_for(routing, lang)) {
    case ASR_OPENAI:
        return remote;
    case ASR_LOCAL:
        return local;
    default:
        return NULL;
    }
}

/* The prompt texts of exam i into t, most important first; *names gets
 * how many of them are names (the catalog's, the template's). */
static size_t exam_texts(const jobs_config *cfg, const store_job *job, size_t i, store_sut_row *row,
                         asr_prompt_text *t, size_t *names)
{
    const store_job_exam *exam = &job->exams[i];
    size_t n = 0;
    memset(row, 0, sizeof *row);
    if (exam->sut_code != NULL)
        store_sut_get(cfg->store, exam->sut_code, row);
    /* The catalog (SGK's EK-2B list) names procedures in Turkish. */
    if (row->name[0] != '\0' && strcmp(job->input_lang, "tr") == 0)
        t[n++] = (asr_prompt_text){row->name, "txt"};
    const tmpl *m =
        row->modality[0] != '\0' && cfg->templates != NULL
            ? tmpl_library_match(cfg->templates, row->modality, row->body_part, job->input_lang)
            : NULL;
    if (m != NULL)
        t[n++] = (asr_prompt_text){m->name, "txt"};
    *names = n;
    if (exam->template_content != NULL)
        t[n++] = (asr_prompt_text){exam->template_content, exam->template_format};
    if (m != NULL)
        t[n++] = (asr_prompt_text){m->content, m->format};
    for (int k = 0; m != NULL && k < REPORT_SEC_COUNT; k++)
        if (m->normal[k] != NULL)
            t[n++] = (asr_prompt_text){m->normal[k], "txt"};
    return n;
}

/* The job's prompt texts in order of importance: every exam's names first
 * (so with several exams each gets at least its name into the bounded
 * prompt), then the rest exam by exam. rows and per hold STORE_EXAMS_MAX
 * entries; out holds STORE_EXAMS_MAX * TEXTS_PER_EXAM. */
static size_t job_texts(const jobs_config *cfg, const store_job *job, store_sut_row *rows,
                        asr_prompt_text (*per)[TEXTS_PER_EXAM], asr_prompt_text *out)
{
    size_t exams = job->n_exams < STORE_EXAMS_MAX ? job->n_exams : STORE_EXAMS_MAX;
    size_t count[STORE_EXAMS_MAX], names[STORE_EXAMS_MAX], n = 0;
    for (size_t i = 0; i < exams; i++)
        count[i] = exam_texts(cfg, job, i, &rows[i], per[i], &names[i]);
    for (size_t i = 0; i < exams; i++)
        for (size_t k = 0; k < names[i]; k++)
            out[n++] = per[i][k];
    for (size_t i = 0; i < exams; i++)
        for (size_t k = names[i]; k < count[i]; k++)
            out[n++] = per[i][k];
    return n;
}

int speech_set_context(const jobs_config *cfg, asr_engine *engine, const store_job *job,
                       const atomic_int *stop)
{
    if (engine == NULL || engine->set_context == NULL)
        return RA_OK;
    store_sut_row *rows = calloc(STORE_EXAMS_MAX, sizeof *rows);
    asr_prompt_text(*per)[TEXTS_PER_EXAM] = calloc(STORE_EXAMS_MAX, sizeof *per);
    asr_prompt_text *texts = calloc(STORE_EXAMS_MAX * TEXTS_PER_EXAM, sizeof *texts);
    char *prompt = NULL;
    int rc = rows != NULL && per != NULL && texts != NULL ? RA_OK : RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = asr_prompt_build(texts, job_texts(cfg, job, rows, per, texts), ASR_PROMPT_MAX_BYTES,
                              &prompt);
    if (rc == RA_OK) {
        asr_context ctx = {.prompt = prompt, .cancel = stop};
        rc = engine->set_context(engine, &ctx);
    }
    free(prompt);
    free(texts);
    free(per);
    free(rows);
    return rc;
}

/* engine.c - the openai engine first, the rules engine as its fallback (see
 * engine.h): structuring with the fact check and translation, and splitting
 * with its parts checked against the dictation. */
#include "structuring/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/failures.h"
#include "core/log.h"
#include "core/text.h"
#include "structuring/anatomy.h"
#include "structuring/macros.h"

#define WHY_LEN 256

static const char *ref_of(const char *log_ref)
{
    return log_ref ? log_ref : "a job";
}

/* True when the two language codes differ ("tr" and "tr-TR" do not). */
static int translating(const char *in, const char *out)
{
    if (in == NULL || out == NULL || strlen(in) < 2 || strlen(out) < 2)
        return 0;
    return (in[0] | 0x20) != (out[0] | 0x20) || (in[1] | 0x20) != (out[1] | 0x20);
}

/* ---- macros for the openai engine ------------------------------------------------- */

/* True when the dictation speaks the macro word of its language. */
static int speaks_macro_word(const char *transcript, const char *lang)
{
    const char *word = report_macro_word(lang);
    char *folded = word ? text_fold(transcript) : NULL;
    int found = 0;
    for (const char *p = folded; p != NULL && !found && (p = strstr(p, word)) != NULL;) {
        size_t n = strlen(word);
        found = (p == folded || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0');
        p += n;
    }
    free(folded);
    return found;
}

/* The dictation with its macros expanded: the rules engine's sections under
 * their headings in the dictation's language ("FINDINGS:\n..."); *out NULL
 * when the dictation speaks no macro word or the rules engine cannot read
 * it (the openai engine then gets the dictation as it is). */
static int expand_macros(const report_engine_input *in, char **out)
{
    *out = NULL;
    if (in->macros == NULL || !speaks_macro_word(in->transcript, in->input_lang))
        return RA_OK;
    report_sections sec = {{NULL}};
    int rc = report_structure_macros(in->transcript, in->input_lang, in->macros, &sec);
    if (rc != RA_OK)
        return rc == RA_ERR_NOMEM ? rc : RA_OK;
    buf b;
    buf_init(&b, 2 * REPORT_MAX_TRANSCRIPT_BYTES);
    for (int i = 0; rc == RA_OK && i < REPORT_SEC_COUNT; i++)
        if (sec.text[i] != NULL)
            rc = buf_printf(&b, "%s%s:\n%s\n", b.len ? "\n" : "",
                            report_section_title((report_section)i, in->input_lang), sec.text[i]);
    report_sections_release(&sec);
    if (rc != RA_OK || b.len == 0) { /* too long to expand: the dictation as it is */
        buf_release(&b);
        return rc == RA_ERR_NOMEM ? rc : RA_OK;
    }
    *out = buf_detach(&b);
    return *out != NULL ? RA_OK : RA_ERR_NOMEM;
}

/* ---- structuring -------------------------------------------------------------------- */

/* The openai engine's report, fact-checked against what it was given (the
 * dictation, and its macros' text when they were expanded). */
static int structure_openai(const report_llm_config *llm, const report_engine_input *in,
                            const atomic_int *cancel, report_engine_result *out, char *why,
                            size_t whylen)
{
    char *expanded = NULL;
    int rc = expand_macros(in, &expanded);
    if (rc != RA_OK)
        return rc;
    report_llm_task task = {
        .transcript = expanded ? expanded : in->transcript,
        .input_lang = in->input_lang,
        .output_lang = in->output_lang,
        .exam_name = in->exam_name,
        .modality = in->modality,
    };
    report_sections sec = {{NULL}};
    rc = report_llm_structure(llm, &task, cancel, &sec, why, whylen);
    char *evidence = NULL;
    if (rc == RA_OK && expanded != NULL) {
        size_t n = strlen(in->transcript) + strlen(expanded) + 2;
        evidence = malloc(n);
        if (evidence != NULL)
            snprintf(evidence, n, "%s\n%s", in->transcript, expanded);
        else
            rc = RA_ERR_NOMEM;
    }
    if (rc == RA_OK)
        rc = report_facts_check(evidence ? evidence : in->transcript, in->input_lang, &sec,
                                in->output_lang, &out->warnings);
    if (rc == RA_ERR_TOO_LARGE || rc == RA_ERR_INVALID) /* the dictation with its macros */
        rc = RA_ERR_FORMAT;
    free(evidence);
    free(expanded);
    if (rc != RA_OK) {
        report_sections_release(&sec);
        return rc;
    }
    out->sections = sec;
    out->structured_by = REPORT_ENGINE_OPENAI;
    return RA_OK;
}

static int structure_rules(const report_engine_input *in, report_engine_result *out)
{
    int rc = report_structure_macros(in->transcript, in->input_lang, in->macros, &out->sections);
    out->structured_by = REPORT_ENGINE_RULES;
    if (rc == RA_ERR_INVALID || rc == RA_ERR_TOO_LARGE) {
        out->error_code = job_failure_code(JOB_FAIL_INVALID_TRANSCRIPT);
        out->error_message = rc == RA_ERR_TOO_LARGE ? "The dictation is too long to structure."
                                                    : "The dictation could not be structured.";
        return RA_OK;
    }
    return rc;
}

int report_engine_structure(const report_llm_config *llm, const report_engine_input *in,
                            const atomic_int *cancel, report_engine_result *out)
{
    if (in == NULL || in->transcript == NULL || out == NULL)
        return RA_ERR_INVALID;
    report_engine_result r = {.structured_by = REPORT_ENGINE_RULES};
    int translate = translating(in->input_lang, in->output_lang);
    char why[WHY_LEN] = "";
    int rc = RA_ERR_UNAVAILABLE;
    if (report_llm_configured(llm)) {
        rc = structure_openai(llm, in, cancel, &r, why, sizeof why);
        if (rc == RA_ERR_CANCELLED || rc == RA_ERR_NOMEM)
            return rc;
        if (rc != RA_OK)
            log_warn("structuring: the openai engine failed for %s (%s: %s); %s",
                     ref_of(in->log_ref), ra_errname(rc), why[0] ? why : ra_strerror(rc),
                     translate ? "the translation fails" : "the rules engine answers");
    }
    if (rc != RA_OK && translate) {
        r.error_code = job_failure_code(JOB_FAIL_TRANSLATION_FAILED);
        r.error_message = report_llm_configured(llm)
                              ? "The structuring engine could not translate this report."
                              : "Translation needs a structuring engine; none is configured.";
        rc = RA_OK;
    } else if (rc != RA_OK) {
        rc = structure_rules(in, &r);
    }
    if (rc == RA_OK)
        *out = r;
    return rc;
}

void report_engine_result_release(report_engine_result *r)
{
    if (r != NULL)
        report_sections_release(&r->sections);
}

/* ---- splitting ----------------------------------------------------------------------- */

/* True when every part holds only numbers and sides the dictation has
 * (parts are to be copied from it word for word). */
static int parts_from_dictation(const char *transcript, const char *lang, char **parts, size_t n,
                                char *why, size_t whylen, int *rc)
{
    for (size_t i = 0; i < n; i++) {
        report_sections one = {{NULL}};
        one.text[REPORT_SEC_BULGULAR] = parts[i][0] ? parts[i] : NULL;
        report_warnings w;
        *rc = report_facts_check(transcript, lang, &one, lang, &w);
        if (*rc != RA_OK)
            return 0;
        if (w.n > 0) {
            snprintf(why, whylen, "the part of exam %zu holds %s not in the dictation", i + 1,
                     strcmp(w.item[0].code, REPORT_WARN_NUMBER) == 0 ? "a number" : "a side");
            return 0;
        }
    }
    return 1;
}

static int split_openai(const report_llm_config *llm, const char *transcript, const char *lang,
                        const report_exam_hint *exams, size_t n, const atomic_int *cancel,
                        char **parts, char *why, size_t whylen)
{
    char *got[REPORT_SPLIT_MAX_EXAMS] = {NULL};
    int rc = report_llm_split(llm, transcript, lang, exams, n, cancel, got, why, whylen);
    if (rc == RA_OK && !parts_from_dictation(transcript, lang, got, n, why, whylen, &rc))
        rc = rc == RA_OK ? RA_ERR_FORMAT : rc;
    for (size_t i = 0; i < n; i++) {
        if (rc == RA_OK)
            parts[i] = got[i];
        else
            free(got[i]);
    }
    return rc;
}

/* One exam takes the whole dictation, trimmed. */
static int whole_dictation(const char *transcript, char **parts, report_split_outcome *outcomes,
                           const char **split_by)
{
    size_t n = strlen(transcript);
    if (n > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(transcript, n))
        return RA_ERR_INVALID;
    while (n > 0 && strchr(" \t\r\n", transcript[n - 1]))
        n--;
    size_t start = strspn(transcript, " \t\r\n");
    char *part = strndup(transcript + (start < n ? start : n), start < n ? n - start : 0);
    if (part == NULL)
        return RA_ERR_NOMEM;
    parts[0] = part;
    outcomes[0] = part[0] != '\0' ? REPORT_SPLIT_PLACED : REPORT_SPLIT_ABSENT;
    if (split_by != NULL)
        *split_by = REPORT_ENGINE_RULES;
    return RA_OK;
}

/* The openai engine's split, checked as the rules engine's is
 * (report_split_verify). On failure nothing is written. */
static int split_openai_checked(const report_llm_config *llm, const char *transcript,
                                const char *lang, const report_exam_hint *exams, size_t n,
                                const atomic_int *cancel, char **parts,
                                report_split_outcome *outcomes, char *why, size_t whylen)
{
    int rc = split_openai(llm, transcript, lang, exams, n, cancel, parts, why, whylen);
    if (rc != RA_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        outcomes[i] = parts[i][0] != '\0' ? REPORT_SPLIT_PLACED : REPORT_SPLIT_ABSENT;
    rc = report_split_verify(lang, exams, n, parts, outcomes);
    if (rc != RA_OK) {
        for (size_t i = 0; i < n; i++)
            free(parts[i]);
    }
    return rc;
}

int report_engine_split(const report_llm_config *llm, const char *transcript, const char *lang,
                        const report_exam_hint *exams, size_t n, const atomic_int *cancel,
                        const char *log_ref, char **parts, report_split_outcome *outcomes,
                        const char **split_by)
{
    if (transcript == NULL || exams == NULL || parts == NULL || outcomes == NULL || n == 0 ||
        n > REPORT_SPLIT_MAX_EXAMS)
        return RA_ERR_INVALID;
    if (n == 1) /* in any language, also one the rules engine does not read */
        return whole_dictation(transcript, parts, outcomes, split_by);
    if (report_llm_configured(llm)) {
        char why[WHY_LEN] = "";
        int rc = split_openai_checked(llm, transcript, lang, exams, n, cancel, parts, outcomes, why,
                                      sizeof why);
        if (rc == RA_OK || rc == RA_ERR_CANCELLED || rc == RA_ERR_NOMEM) {
            if (rc == RA_OK && split_by != NULL)
                *split_by = REPORT_ENGINE_OPENAI;
            return rc;
        }
        log_warn("structuring: the openai engine could not split %s (%s: %s); the rules "
                 "engine splits it",
                 ref_of(log_ref), ra_errname(rc), why[0] ? why : ra_strerror(rc));
    }
    int rc = report_split(transcript, lang, exams, n, parts, outcomes);
    if (rc == RA_OK && split_by != NULL)
        *split_by = REPORT_ENGINE_RULES;
    return rc;
}

const char *report_split_failure(report_split_outcome outcome, const char **message)
{
    if (outcome == REPORT_SPLIT_ABSENT) {
        *message = "No dictation was found for this exam.";
        return job_failure_code(JOB_FAIL_EMPTY_TRANSCRIPT);
    }
    if (outcome == REPORT_SPLIT_UNSURE) {
        *message = "The dictation could not be divided between this job's exams with certainty, "
                   "so no report was made for this exam and nothing was charged for it; its "
                   "transcript is the whole dictation.";
        return job_failure_code(JOB_FAIL_SPLIT_FAILED);
    }
    return NULL;
}

int report_engine_warn_other_exams(report_engine_result *r, const char *lang,
                                   const report_exam_hint *exams, size_t n, size_t self)
{
    int bodies[REPORT_SPLIT_MAX_EXAMS];
    if (r == NULL || exams == NULL || self >= n || n > REPORT_SPLIT_MAX_EXAMS)
        return RA_ERR_INVALID;
    if (n == 1 || report_lang_normalize(lang) == NULL)
        return RA_OK;
    int rc = report_split_body_parts(exams, n, bodies);
    uint32_t others = 0;
    for (size_t e = 0; rc == RA_OK && e < n; e++) {
        if (e != self && bodies[e] >= 0 && bodies[e] != bodies[self])
            others |= (uint32_t)1 << bodies[e];
    }
    if (rc != RA_OK || others == 0)
        return rc;
    return report_anatomy_warn(&r->sections, lang, bodies[self], others, &r->warnings);
}

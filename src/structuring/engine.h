/* engine.h - the structuring engines behind one call each for structuring
 * an exam's dictation and for splitting a dictation between exams: the
 * `openai` engine (structuring/llm.h) when one is configured, and the `rules`
 * engine (structuring/structure.h, structuring/split.h) when none is or whenever the
 * openai engine fails (server down after its retries, time-outs, an answer
 * that is not JSON or breaks the schema, an answer with no text, a split
 * whose parts hold numbers or sides the dictation lacks).
 *
 * A report the openai engine wrote is checked against the dictation
 * (structuring/facts.h); each unsupported number, measurement or side becomes a
 * warning of the result, never a silent pass. The rules engine only moves
 * the dictation's own words, so its reports carry no warnings.
 *
 * Translation (output language other than the dictation's) is the openai
 * engine's alone: when it fails, the exam fails with TRANSLATION_FAILED
 * rather than come back untranslated.
 *
 * Voice macros (structuring/macros.h) are expanded by the rules engine; a
 * dictation that speaks the macro word goes to the openai engine with its
 * macros already expanded (the rules engine's rendering, with section
 * headings), so a macro's text is structured and translated as if
 * dictated, and the fact check counts it as dictated.
 *
 * Failures of the openai engine are logged at warn level with the reason
 * (never the dictation or the answer). Errors: RA_OK or a negative RA_ERR_*
 * (core/err.h) for a failure of the machinery (RA_ERR_NOMEM; RA_ERR_CANCELLED
 * when cancel was raised during a request: the job is left for later);
 * outcomes of the input are results, not errors. THREAD SAFETY: as
 * structuring/llm.h and structuring/structure.h: any thread, at once. */
#ifndef RAPORTAI_STRUCTURING_ENGINE_H
#define RAPORTAI_STRUCTURING_ENGINE_H

#include <stdatomic.h>
#include <stddef.h>

#include "structuring/facts.h"
#include "structuring/llm.h"
#include "structuring/split.h"
#include "structuring/structure.h"

#define REPORT_ENGINE_OPENAI "openai"
#define REPORT_ENGINE_RULES "rules"

/* One exam's structuring. Borrowed; every pointer but transcript and the
 * languages may be NULL. */
typedef struct report_engine_input {
    const char *transcript;         /* the exam's part of the dictation */
    const char *input_lang;         /* the dictation's language */
    const char *output_lang;        /* the report's */
    const report_macro_set *macros; /* the voice macros the dictation may use */
    const char *exam_name;          /* "Brain CT", for the openai engine's prompt */
    const char *modality;           /* "CT" */
    const char *log_ref;            /* names the work in log lines ("job <id>") */
} report_engine_input;

typedef struct report_engine_result {
    report_sections sections;  /* owned; release with report_engine_result_release */
    const char *structured_by; /* REPORT_ENGINE_OPENAI or REPORT_ENGINE_RULES; static */
    report_warnings warnings;  /* facts of an openai report its dictation lacks */
    const char *error_code;    /* static; set when the exam fails: INVALID_TRANSCRIPT,
                                  TRANSLATION_FAILED (sections are then empty) */
    const char *error_message; /* static, for the response */
} report_engine_result;

/* Structures in->transcript into *out (overwritten, not freed): the openai
 * engine (llm may be NULL: none) and, when it fails, the rules engine, as
 * above. A result whose sections are all empty is the caller's to judge
 * (an exam with no report text). */
int report_engine_structure(const report_llm_config *llm, const report_engine_input *in,
                            const atomic_int *cancel, report_engine_result *out);
void report_engine_result_release(report_engine_result *r);

/* Splits transcript between the n exams as report_split does (parts[i] a
 * malloc'd text, caller frees each; outcomes[i] what was found for exam
 * i), by the openai engine when one is configured and there are several
 * exams, else (and when it fails) by the rules engine; either split is
 * checked by report_split_verify, so an exam whose dictation cannot be told
 * apart from another's comes back REPORT_SPLIT_UNSURE. One exam takes the
 * whole dictation, trimmed, in any language. *split_by (may be NULL) gets
 * the REPORT_ENGINE_* that did. Errors as report_split (RA_ERR_INVALID,
 * RA_ERR_TOO_LARGE for the rules engine's refusals), and RA_ERR_CANCELLED,
 * RA_ERR_NOMEM; nothing is written then. */
int report_engine_split(const report_llm_config *llm, const char *transcript, const char *lang,
                        const report_exam_hint *exams, size_t n, const atomic_int *cancel,
                        const char *log_ref, char **parts, report_split_outcome *outcomes,
                        const char **split_by);

/* What an outcome of the split means for its exam: NULL for a placed
 * exam; else the exam's error code, EMPTY_TRANSCRIPT (nothing dictated for
 * it) or SPLIT_FAILED (the split is unsure where its dictation is), and in
 * *message a sentence for the response. Static strings; cannot fail. */
const char *report_split_failure(report_split_outcome outcome, const char **message);

/* Adds to r->warnings (structuring/anatomy.h, REPORT_WARN_OTHER_EXAM) the
 * places where the report of exam self of the n exams of one dictation,
 * written in lang, speaks of the anatomy of another of them (one of
 * another body part). One exam: nothing to add. Errors: RA_ERR_INVALID,
 * RA_ERR_NOMEM; r->warnings may then hold some of them. */
int report_engine_warn_other_exams(report_engine_result *r, const char *lang,
                                   const report_exam_hint *exams, size_t n, size_t self);

#endif

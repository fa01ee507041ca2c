/* llm.h - the `openai` structuring engine: a language model on the
 * hospital's own server, spoken to through the OpenAI-compatible
 * `POST {url}/v1/chat/completions` with a JSON-schema response format
 * (`"response_format": {"type": "json_schema", "json_schema": {"name": ...,
 * "strict": true, "schema": ...}}`), for three tasks:
 *
 * - structuring: one exam's dictation into the report's six sections
 *   (schema "radiology_report": an object of exactly the string members
 *   clinical_information, technique, comparison, findings, impression,
 *   conclusion; "" for a section not dictated);
 * - translation: the same, with the sections written in another language
 *   than the dictation's;
 * - splitting: one dictation of several exams into one part per exam
 *   (schema "exam_parts": {"exams": [{"exam": N, "text": "..."}]}, exams
 *   numbered from 1 as the prompt lists them, each part copied word for
 *   word from the dictation; an exam not mentioned gets "").
 *
 * The answer is not trusted: its JSON is validated against the very schema
 * that was sent, plus limits the wire schema leaves out for portability
 * (strict mode on several servers refuses length and range keywords):
 * types, required members, no other members, string lengths, the exam
 * numbers' range and uniqueness. A refusal, a cut answer (finish_reason
 * "length") or anything else off the schema is a failure; the caller
 * (structuring/engine.h) then lets the rules engine answer. Checking the answer
 * against the dictation (structuring/facts.h) is the caller's too.
 *
 * The request goes through httpc/retry.h (retries with backoff on 429 and
 * 5xx, a time limit per attempt, cancellation). Failure sentences (why)
 * name the server by origin and say what went wrong; they never hold the
 * key, the dictation or the answer's text, so they may be logged.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written
 * only on success. RA_ERR_UNAVAILABLE: no usable answer from the server
 * (down, time-outs, HTTP errors after the retries); RA_ERR_FORMAT: an answer
 * that is not the JSON asked for; RA_ERR_CANCELLED: cancelled; RA_ERR_INVALID: a
 * bad argument; RA_ERR_NOMEM.
 * THREAD SAFETY: every function may run on any thread at once; the config
 * is only read. */
#ifndef RAPORTAI_STRUCTURING_LLM_H
#define RAPORTAI_STRUCTURING_LLM_H

#include <stdatomic.h>
#include <stddef.h>

#include "structuring/split.h"
#include "structuring/structure.h"

#define REPORT_LLM_SECTION_MAX_CHARS 20000 /* one section of an answer, at most */
#define REPORT_LLM_DEFAULT_TIMEOUT_S 60    /* one attempt */
#define REPORT_LLM_DEFAULT_ATTEMPTS 3

/* Where the engine is. Borrowed strings, kept alive by the caller. */
typedef struct report_llm_config {
    const char *url;   /* base URL: "http://10.0.0.5:8000" or ".../v1" (the
                          endpoint is url + "/v1/chat/completions", or + "/chat/
                          completions" when url ends in "/v1"); NULL or "": no
                          engine */
    const char *key;   /* bearer key, or NULL */
    const char *model; /* the "model" member; required with url */
    long timeout_ms;   /* one attempt; 0: REPORT_LLM_DEFAULT_TIMEOUT_S */
    int attempts;      /* attempts per request; 0: REPORT_LLM_DEFAULT_ATTEMPTS */
} report_llm_config;

/* True when cfg names an engine (cfg not NULL, url set). Cannot fail. */
int report_llm_configured(const report_llm_config *cfg);

/* Checks a configuration at start-up: a URL httpc/url.h accepts and a
 * model. RA_ERR_INVALID with one sentence in err. */
int report_llm_check(const report_llm_config *cfg, char *err, size_t errlen);

/* What one structuring request says. Borrowed strings. */
typedef struct report_llm_task {
    const char *transcript;  /* UTF-8, at most REPORT_MAX_TRANSCRIPT_BYTES */
    const char *input_lang;  /* the dictation's language: tr, en, ru, az, fr, de */
    const char *output_lang; /* the report's; differs from input_lang for a translation */
    const char *exam_name;   /* "Brain CT", or NULL */
    const char *modality;    /* "CT", or NULL */
} report_llm_task;

/* Structures (and translates) task->transcript into *out (overwritten,
 * not freed; release with report_sections_release); every section with
 * text is trimmed, a section the answer leaves empty is NULL. An answer
 * with every section empty is RA_ERR_FORMAT. cancel may be NULL. */
int report_llm_structure(const report_llm_config *cfg, const report_llm_task *task,
                         const atomic_int *cancel, report_sections *out, char *why, size_t whylen);

/* Splits transcript (in lang) over the n exams (as report_split: parts[i] a
 * malloc'd, trimmed text, "" for an exam not mentioned; caller frees each).
 * An answer that gives no exam any text is RA_ERR_FORMAT. */
int report_llm_split(const report_llm_config *cfg, const char *transcript, const char *lang,
                     const report_exam_hint *exams, size_t n, const atomic_int *cancel,
                     char **parts, char *why, size_t whylen);

/* ---- the pieces, for tests ------------------------------------------------------- */

/* The request body of report_llm_structure / report_llm_split (a new
 * allocation, caller frees), or NULL when memory ran out. */
char *report_llm_structure_request(const report_llm_config *cfg, const report_llm_task *task);
char *report_llm_split_request(const report_llm_config *cfg, const char *transcript,
                               const char *lang, const report_exam_hint *exams, size_t n);

/* Reads a chat completion's body (answer, len bytes) as the structuring
 * or splitting answer: the first choice's message content, parsed and
 * validated as above. Outputs as report_llm_structure / report_llm_split;
 * transcript_chars bounds a part's length. RA_ERR_FORMAT with why. */
int report_llm_structure_answer(const char *answer, size_t len, report_sections *out, char *why,
                                size_t whylen);
int report_llm_split_answer(const char *answer, size_t len, size_t n, size_t transcript_chars,
                            char **parts, char *why, size_t whylen);

#endif

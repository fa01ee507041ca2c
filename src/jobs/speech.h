/* speech.h - private to src/jobs: which of a worker's speech engines serves
 * a job's language, and what the engine is told about the job (the
 * vocabulary prompt made from its exams' names and templates, and the flag
 * that stops it when the server shuts down). */
#ifndef RAPORTAI_JOBS_SPEECH_H
#define RAPORTAI_JOBS_SPEECH_H

#include <stdatomic.h>

#include "asr/asr.h"
#include "asr/routing.h"
#include "jobs/jobs.h"

/* The engine routing gives lang: remote (the openai engine; may be NULL)
 * or local; NULL when it gives none. */
asr_engine *speech_engine_for(const asr_routing *routing, asr_engine *remote, asr_engine *local,
                              const char *lang);

/* Tells engine about job before it transcribes (see asr_context): the
 * vocabulary prompt - per exam, in the dictation's language, the matched
 * library template's name, normal text and headings, the request's own
 * template, and for Turkish the SUT catalog's procedure name - and stop as
 * the cancel flag. Nothing happens for an engine without set_context.
 * RA_ERR_NOMEM only. */
int speech_set_context(const jobs_config *cfg, asr_engine *engine, const store_job *job,
                       const atomic_int *stop);

#endif

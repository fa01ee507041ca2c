/* pipeline.h - one job's processing, private to src/jobs: audio to
 * transcript, transcript split per exam, each part structured and filled
 * into its template. A pipeline belongs to one worker thread (it holds that
 * worker's speech decoder). */
#ifndef RAPORTAI_JOBS_PIPELINE_H
#define RAPORTAI_JOBS_PIPELINE_H

#include <stdatomic.h>

#include "core/arena.h"
#include "core/sections.h"
#include "jobs/jobs.h"
#include "structuring/facts.h"

typedef struct pipeline pipeline;

/* The outcome of one job, ready for store_job_finish; owns its strings. */
typedef struct pipeline_result {
    store_job_result job;
    store_exam_result exams[STORE_EXAMS_MAX];
    arena strings; /* every string above that is not static, freed together */
    /* each exam's warnings as the fact check found them, and as the store
       takes them (exams[i].warnings points to warnings[i], whose texts
       point into found[i]) */
    report_warnings found[STORE_EXAMS_MAX];
    store_exam_warning warnings[STORE_EXAMS_MAX][REPORT_WARNINGS_MAX];
} pipeline_result;

int pipeline_new(const jobs_config *cfg, pipeline **out, char *err, size_t errlen);
void pipeline_free(pipeline *p);

/* Processes the claimed job into *out (release it with
 * pipeline_result_release). RA_OK when the outcome is final, whether exams
 * completed or failed (a bad recording is final); a negative code for a
 * failure worth another attempt (out of memory, a missing engine), with
 * nothing to release. *stop is polled between stages; when it becomes true
 * the pipeline gives up with RA_ERR_CANCELLED. */
int pipeline_run(pipeline *p, const store_job *job, const atomic_int *stop, pipeline_result *out);
void pipeline_result_release(pipeline_result *r);

#endif

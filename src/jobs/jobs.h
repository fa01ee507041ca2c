/* jobs.h - the job workers and the callback dispatcher that run inside
 * `raportai serve`.
 *
 * Workers claim report jobs from the store under a lease, run the pipeline
 * (decode, speech, split, structure, fill) and finish each job once; a
 * heartbeat renews the lease while a job runs, so a job whose process died is
 * taken up again when its lease runs out. The dispatchers deliver callbacks,
 * several at once but only so many per organization, with retries that
 * survive restarts. All state lives in the store: stopping
 * (or killing) the process loses nothing that was accepted.
 *
 * THREAD SAFETY: jobs_wake may be called from any thread. */
#ifndef RAPORTAI_JOBS_JOBS_H
#define RAPORTAI_JOBS_JOBS_H

#include <stdint.h>

#include "jobs/webhook.h"
#include "store/store.h"
#include "structuring/llm.h"
#include "templates/templates.h"

typedef struct jobs_runner jobs_runner;

/* The body of a finished job's callback (the result kept when it finished)
 * and its hmacSecret: both new allocations (caller frees). Provided by the
 * API layer, which owns the response format. */
typedef int (*jobs_render_fn)(void *ctx, const char *job_id, char **body, char **hmac_secret);

typedef struct jobs_config {
    store *store;                               /* borrowed */
    const char *data_dir;                       /* audio files are relative to it */
    const tmpl_library *templates;              /* borrowed */
    int workers;                                /* job worker threads */
    int64_t lease_ms;                           /* how long a claim holds without renewal */
    int max_attempts;                           /* per job, then it fails */
    double max_audio_s;                         /* longest dictation decoded */
    const char *asr_model_dir;                  /* pocketsphinx acoustic model folder */
    const char *asr_lm;                         /* language model (NULL: generic) */
    const char *asr_dict;                       /* pronunciation dictionary (NULL: generic) */
    int org_models;                             /* decode an organization's jobs with its own
                                                   speech model when it has one (lm_refresh.h) */
    const struct asr_openai_config *asr_openai; /* the openai speech engine's servers
                                                   (asr/asr.h); NULL: local engine only */
    report_llm_config llm;                      /* openai structuring engine (structuring/llm.h);
                                                   url NULL: the rules engine only */
    webhook_policy webhooks;
    int callback_threads; /* callbacks delivered at once (at least 1) */
    int callback_per_org; /* of them at most this many of one organization's;
                             0: no limit */
    jobs_render_fn render;
    void *render_ctx;
} jobs_config;

/* Starts the workers and the dispatcher. cfg is copied; the pointers in it
 * must outlive the runner. RA_ERR_NOMEM, RA_ERR_IO (a thread or an engine
 * could not start; err says which). */
int jobs_start(const jobs_config *cfg, jobs_runner **out, char *err, size_t errlen);
/* Tells idle workers that a job was queued. */
void jobs_wake(jobs_runner *r);
/* Stops taking work, waits for jobs in progress to finish, frees r. */
void jobs_stop(jobs_runner *r);

#endif

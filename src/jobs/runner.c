/* runner.c - job worker threads, the lease heartbeat and the callback
 * dispatchers (see jobs.h).
 *
 * Callbacks go out from cfg.callback_threads dispatcher threads at once,
 * each claiming the next due callback from the store; the store passes over
 * the callbacks of an organization with cfg.callback_per_org deliveries in
 * flight already, so a receiver that hangs for the whole request time
 * occupies at most that many dispatchers and the others keep delivering
 * every other organization's callbacks.
 *
 * A worker takes several jobs at once when they are transcripts structured
 * by the rules engine (up to WORKER_JOBS; a recording is the last one
 * taken; with a language model configured, every job may take seconds, so
 * one at a time), runs them, and finishes
 * them and claims its next ones in one transaction (store_jobs_finish_claim,
 * committed in a group with other threads' writes): with text jobs taking
 * about half a millisecond and a commit's fsync several, one commit per job
 * held a worker to a few hundred jobs a second. A crash loses nothing: a job
 * is done only when the transaction that finishes it committed.
 *
 * Each kind of thread waits on its own condition, so a wake-up costs only
 * the threads that have something to do: a job queued wakes the workers, a
 * callback queued (a job with a callbackUrl finished) or a delivery's slot
 * freed wakes the dispatchers, and the heartbeat wakes on its clock alone
 * (woken by every submission, it renewed every lease in progress each time).
 *
 * THREAD SAFETY: runner->lock guards `stopping`, the wake-ups and each
 * worker's `active` job ids; the store is thread-safe on its own. Workers
 * and dispatchers never hold the lock while they process or deliver. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "jobs/jobs.h"
#include "jobs/pipeline.h"
#include "structuring/llm.h"

#define IDLE_WAIT_MS 1000
#define CALLBACK_HOLD_MS 120000 /* a delivery in flight is retried after this */
#define WORKER_JOBS 8           /* transcript jobs a worker takes at once, at most */

typedef struct worker {
    struct jobs_runner *runner;
    pthread_t thread;
    int started;
    pipeline *pipe;
    pipeline_result *results;           /* WORKER_JOBS of them, for the jobs it holds */
    size_t batch;                       /* jobs it takes at once: 1 or WORKER_JOBS */
    char owner[48];                     /* lease owner: instance and number */
    char active[WORKER_JOBS][UUID_LEN]; /* the jobs it holds (n_active), their leases renewed */
    size_t n_active;
} worker;

struct jobs_runner {
    jobs_config cfg;
    pthread_mutex_t lock;
    pthread_cond_t work;      /* workers: a job queued, or stopping */
    pthread_cond_t callbacks; /* dispatchers: a callback queued or a slot freed, or stopping */
    pthread_cond_t beat;      /* the heartbeat: stopping */
    atomic_int stopping;
    worker *workers;
    pthread_t heartbeat;
    int heartbeat_started;
    struct dispatcher *dispatchers; /* cfg.callback_threads of them */
};

typedef struct dispatcher {
    struct jobs_runner *runner;
    pthread_t thread;
    int started;
    int sweeps; /* the first one also sweeps the audio of finished jobs */
} dispatcher;

/* Waits up to ms for a wake-up of cond (one of r's); returns at once when
 * stopping. */
static void idle_wait(jobs_runner *r, pthread_cond_t *cond, int64_t ms)
{
    struct timespec until = time_deadline_ms(ms);
    pthread_mutex_lock(&r->lock);
    if (!r->stopping)
        pthread_cond_timedwait(cond, &r->lock, &until);
    pthread_mutex_unlock(&r->lock);
}

/* Wakes every thread waiting on cond (one of r's). */
static void wake_all(jobs_runner *r, pthread_cond_t *cond)
{
    pthread_mutex_lock(&r->lock);
    pthread_cond_broadcast(cond);
    pthread_mutex_unlock(&r->lock);
}

void jobs_wake(jobs_runner *r)
{
    wake_all(r, &r->work);
}

static void set_active(worker *w, const store_claimed *held, size_t n)
{
    pthread_mutex_lock(&w->runner->lock);
    for (size_t i = 0; i < n; i++)
        memcpy(w->active[i], held[i].id, UUID_LEN);
    w->n_active = n;
    pthread_mutex_unlock(&w->runner->lock);
}

/* ---- workers ------------------------------------------------------------------ */

static int remove_audio(const char *audio_path, void *ctx)
{
    jobs_runner *r = ctx;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", r->cfg.data_dir, audio_path);
    if (remove(path) != 0 && errno != ENOENT) {
        log_warn("jobs: cannot remove audio %s: %s", audio_path, strerror(errno));
        return RA_ERR_IO;
    }
    return RA_OK;
}

/* Removes the audio of finished jobs: patient recordings are not kept once
 * their reports exist (or their job gave up), beyond the days an
 * organization chose to keep them. */
static void sweep_audio(jobs_runner *r)
{
    int removed = 0;
    for (int round = 0; round < 100; round++) {
        if (store_job_audio_sweep(r->cfg.store, time_now_ms(), remove_audio, r, &removed) !=
                RA_OK ||
            removed < 32)
            break;
    }
}

/* The jobs a worker holds, as it runs them. */
typedef struct batch {
    store_job jobs[WORKER_JOBS];         /* read (n_read of them) */
    int64_t started[WORKER_JOBS];        /* time_mono_ms when each began */
    store_job_done done[WORKER_JOBS];    /* the jobs processed, for finishing */
    store_claimed returned[WORKER_JOBS]; /* never begun: the runner is stopping */
    size_t n_read, n_done, n_returned;
} batch;

/* Reads and processes the n jobs held, into b (its done[] point into
 * w->results). A job that cannot be read or processed is left to another
 * attempt once its lease runs out; once the runner is stopping, those not
 * begun are given back. */
static void run_held(worker *w, const store_claimed *held, size_t n, batch *b)
{
    jobs_runner *r = w->runner;
    b->n_read = b->n_done = b->n_returned = 0;
    for (size_t i = 0; i < n; i++) {
        if (atomic_load(&r->stopping)) {
            b->returned[b->n_returned++] = held[i];
            continue;
        }
        store_job *job = &b->jobs[b->n_read];
        int rc = store_job_get(r->cfg.store, held[i].id, NULL, job);
        if (rc != RA_OK) {
            log_error("jobs: cannot read job %s: %s", held[i].id, ra_strerror(rc));
            continue;
        }
        b->started[b->n_read++] = time_mono_ms();
        log_info("jobs: job %s attempt %d started by %s", job->id, held[i].attempt, w->owner);
        pipeline_result *res = &w->results[b->n_done];
        rc = pipeline_run(w->pipe, job, &r->stopping, res);
        if (rc != RA_OK) {
            log_warn("jobs: job %s attempt %d failed: %s", job->id, held[i].attempt,
                     ra_strerror(rc));
            continue;
        }
        res->job.processing_ms = time_mono_ms() - b->started[b->n_read - 1];
        b->done[b->n_done++] = (store_job_done){.job_id = job->id, .result = &res->job};
    }
}

/* Runs the n jobs held, then, in one transaction, finishes those processed
 * and (unless stopping) claims the next into held; returns how many. */
static size_t work_held(worker *w, store_claimed *held, size_t n)
{
    jobs_runner *r = w->runner;
    batch b;
    run_held(w, held, n, &b);
    size_t n_next = 0;
    int rc = store_jobs_finish_claim(r->cfg.store, w->owner, time_now_ms(), b.done, b.n_done,
                                     b.returned, b.n_returned, r->cfg.lease_ms, r->cfg.max_attempts,
                                     held, atomic_load(&r->stopping) ? 0 : w->batch, &n_next);
    if (rc != RA_OK)
        log_warn("jobs: finishing or claiming failed for %s: %s", w->owner, ra_strerror(rc));
    int sweep = 0, callbacks = 0;
    for (size_t i = 0, d = 0; i < b.n_read; i++) {
        const store_job *job = &b.jobs[i];
        if (d < b.n_done && b.done[d].job_id == job->id) {
            int done_rc = b.done[d].rc;
            pipeline_result_release(&w->results[d++]);
            if (done_rc == RA_OK)
                log_info("jobs: job %s finished in %lld ms", job->id,
                         (long long)(time_mono_ms() - b.started[i]));
            else
                log_warn("jobs: job %s not finished by %s: %s", job->id, w->owner,
                         ra_strerror(done_rc));
            sweep |= done_rc == RA_OK && job->audio_path != NULL;
            callbacks |= done_rc == RA_OK && job->callback_url != NULL;
        }
        store_job_release(&b.jobs[i]);
    }
    if (sweep)
        sweep_audio(r); /* at once when the organization keeps no audio */
    if (callbacks)
        wake_all(r, &r->callbacks);
    return n_next;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    jobs_runner *r = w->runner;
    store_claimed held[WORKER_JOBS]; /* claimed with the last jobs' finishing */
    size_t n_held = 0;
    while (!r->stopping) {
        if (n_held == 0) {
            int rc = store_jobs_finish_claim(r->cfg.store, w->owner, time_now_ms(), NULL, 0, NULL,
                                             0, r->cfg.lease_ms, r->cfg.max_attempts, held,
                                             w->batch, &n_held);
            if (rc != RA_OK)
                log_warn("jobs: claim failed: %s", ra_strerror(rc));
        }
        set_active(w, held, n_held);
        if (n_held == 0) {
            idle_wait(r, &r->work, IDLE_WAIT_MS);
            continue;
        }
        n_held = work_held(w, held, n_held);
    }
    /* Claimed with the last finishing, as the runner stopped: given back. */
    if (n_held > 0 &&
        store_jobs_finish_claim(r->cfg.store, w->owner, time_now_ms(), NULL, 0, held, n_held,
                                r->cfg.lease_ms, r->cfg.max_attempts, NULL, 0, &n_held) != RA_OK)
        log_warn("jobs: %s could not give back the jobs it held", w->owner);
    set_active(w, held, 0);
    return NULL;
}

/* Renews the lease of every job in progress, three times per lease. */
static void *heartbeat_main(void *arg)
{
    jobs_runner *r = arg;
    while (!r->stopping) {
        idle_wait(r, &r->beat, r->cfg.lease_ms / 3);
        for (int i = 0; i < r->cfg.workers && !r->stopping; i++) {
            worker *w = &r->workers[i];
            char ids[WORKER_JOBS][UUID_LEN];
            pthread_mutex_lock(&r->lock);
            size_t n = w->n_active;
            memcpy(ids, w->active, n * UUID_LEN);
            pthread_mutex_unlock(&r->lock);
            for (size_t k = 0; k < n; k++)
                if (store_job_renew(r->cfg.store, ids[k], w->owner,
                                    time_now_ms() + r->cfg.lease_ms) != RA_OK)
                    log_warn("jobs: lost the lease of job %s", ids[k]);
        }
    }
    return NULL;
}

/* ---- callbacks --------------------------------------------------------------------- */

static void deliver(jobs_runner *r, const char *job_id, const char *url, int attempt)
{
    char *body = NULL, *secret = NULL;
    webhook_result res = {.http_status = 0, .retry_after_s = -1};
    int rc = r->cfg.render(r->cfg.render_ctx, job_id, &body, &secret);
    if (rc == RA_OK) {
        char stamp[TIME_ISO_LEN], signature[65];
        time_now_iso(stamp);
        webhook_sign(secret, stamp, body, strlen(body), signature);
        rc = webhook_post(url, body, strlen(body), stamp, signature, &r->cfg.webhooks, &res);
    }
    if (rc != RA_OK)
        snprintf(res.error, sizeof res.error, "%s", ra_strerror(rc));
    long delay = res.delivered || attempt >= WEBHOOK_MAX_ATTEMPTS
                     ? -1
                     : webhook_retry_delay(attempt, res.retry_after_s);
    int64_t next = res.delivered || delay < 0 ? -1 : time_now_ms() + (int64_t)delay * 1000;
    rc = store_callback_record(r->cfg.store, job_id, attempt, res.delivered, res.http_status,
                               res.error, next);
    if (rc != RA_OK)
        log_error("jobs: cannot record callback of job %s: %s", job_id, ra_strerror(rc));
    log_info("jobs: callback of job %s attempt %d: %s (HTTP %ld)%s", job_id, attempt,
             res.delivered ? "delivered" : "failed", res.http_status,
             !res.delivered && next < 0 ? ", giving up" : "");
    free(body);
    free(secret);
}

static void *dispatcher_main(void *arg)
{
    dispatcher *d = arg;
    jobs_runner *r = d->runner;
    while (!r->stopping) {
        char job_id[UUID_LEN];
        char *url = NULL;
        int attempt = 0;
        int rc = store_callback_claim(r->cfg.store, time_now_ms(), CALLBACK_HOLD_MS,
                                      r->cfg.callback_per_org, job_id, &url, &attempt);
        if (rc == RA_OK) {
            deliver(r, job_id, url, attempt);
            free(url);
            wake_all(r, &r->callbacks); /* a slot of its organization is free again */
            continue;
        }
        if (rc != RA_ERR_NOT_FOUND)
            log_warn("jobs: callback claim failed: %s", ra_strerror(rc));
        if (d->sweeps)
            sweep_audio(r); /* also the audio of jobs that gave up in a claim */
        idle_wait(r, &r->callbacks, IDLE_WAIT_MS);
    }
    return NULL;
}

static int start_dispatchers(jobs_runner *r, char *err, size_t errlen)
{
    for (int i = 0; i < r->cfg.callback_threads; i++) {
        dispatcher *d = &r->dispatchers[i];
        d->runner = r;
        d->sweeps = i == 0;
        if (pthread_create(&d->thread, NULL, dispatcher_main, d) != 0) {
            snprintf(err, errlen, "cannot start callback dispatcher %d", i);
            return RA_ERR_IO;
        }
        d->started = 1;
    }
    return RA_OK;
}

/* ---- start and stop ------------------------------------------------------------- */

static int start_workers(jobs_runner *r, char *err, size_t errlen)
{
    char instance[17];
    ids_hex(instance, 8);
    for (int i = 0; i < r->cfg.workers; i++) {
        worker *w = &r->workers[i];
        w->runner = r;
        snprintf(w->owner, sizeof w->owner, "%s-%d", instance, i);
        w->batch = report_llm_configured(&r->cfg.llm) ? 1 : WORKER_JOBS;
        w->results = calloc(WORKER_JOBS, sizeof *w->results);
        if (w->results == NULL)
            return RA_ERR_NOMEM;
        int rc = pipeline_new(&r->cfg, &w->pipe, err, errlen);
        if (rc != RA_OK)
            return rc;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            snprintf(err, errlen, "cannot start job worker %d", i);
            return RA_ERR_IO;
        }
        w->started = 1;
    }
    return RA_OK;
}

int jobs_start(const jobs_config *cfg, jobs_runner **out, char *err, size_t errlen)
{
    jobs_runner *r = calloc(1, sizeof *r);
    if (r == NULL)
        return RA_ERR_NOMEM;
    r->cfg = *cfg;
    if (r->cfg.callback_threads < 1)
        r->cfg.callback_threads = 1;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->work, NULL);
    pthread_cond_init(&r->callbacks, NULL);
    pthread_cond_init(&r->beat, NULL);
    r->workers = calloc((size_t)cfg->workers, sizeof *r->workers);
    r->dispatchers = calloc((size_t)r->cfg.callback_threads, sizeof *r->dispatchers);
    int rc = r->workers && r->dispatchers ? start_workers(r, err, errlen) : RA_ERR_NOMEM;
    if (rc == RA_OK && pthread_create(&r->heartbeat, NULL, heartbeat_main, r) == 0)
        r->heartbeat_started = 1;
    if (rc == RA_OK && !r->heartbeat_started) {
        snprintf(err, errlen, "cannot start the job threads");
        rc = RA_ERR_IO;
    }
    if (rc == RA_OK)
        rc = start_dispatchers(r, err, errlen);
    if (rc != RA_OK) {
        jobs_stop(r);
        return rc;
    }
    log_info("jobs: %d workers and %d callback dispatchers (at most %d deliveries in flight per "
             "organization) started",
             cfg->workers, r->cfg.callback_threads, r->cfg.callback_per_org);
    *out = r;
    return RA_OK;
}

void jobs_stop(jobs_runner *r)
{
    if (r == NULL)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = 1;
    pthread_cond_broadcast(&r->work);
    pthread_cond_broadcast(&r->callbacks);
    pthread_cond_broadcast(&r->beat);
    pthread_mutex_unlock(&r->lock);
    for (int i = 0; r->workers && i < r->cfg.workers; i++) {
        if (r->workers[i].started)
            pthread_join(r->workers[i].thread, NULL);
        pipeline_free(r->workers[i].pipe);
        free(r->workers[i].results);
    }
    if (r->heartbeat_started)
        pthread_join(r->heartbeat, NULL);
    for (int i = 0; r->dispatchers && i < r->cfg.callback_threads; i++)
        if (r->dispatchers[i].started)
            pthread_join(r->dispatchers[i].thread, NULL);
    free(r->dispatchers);
    free(r->workers);
    pthread_cond_destroy(&r->work);
    pthread_cond_destroy(&r->callbacks);
    pthread_cond_destroy(&r->beat);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

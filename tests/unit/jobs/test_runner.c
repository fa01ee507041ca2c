/* test_runner.c - unit tests of the job workers (src/jobs/runner.c) against
 * a store in a temporary folder: a queued job is claimed and finished once;
 * a job under another worker's live lease is left alone while one whose
 * worker died is taken up again as a new attempt; a job out of attempts is
 * failed with its credits released; stopping with nothing to do returns.
 *
 * Waits are bounded loops over the store's state (at most WAIT_ROUNDS of
 * WAIT_STEP_MS); nothing asserts how long anything took. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../support/store_fixture.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include "jobs/jobs.h"
#include "store/internal.h"
#include "store/store.h"
#include "templates/templates.h"

#define CREDITS 5
#define ATTEMPTS 3
#define WAIT_ROUNDS 1200
#define WAIT_STEP_MS 50

static store_fixture fx;
static store *s; /* fx.store */
static store_org org;
static jobs_config cfg;

static int no_render(void *ctx, const char *job_id, char **body, char **hmac_secret)
{
    (void)ctx, (void)job_id, (void)body, (void)hmac_secret;
    return RA_ERR_INVALID; /* no job here has a callback */
}

static void setup(void)
{
    s = store_fixture_open(&fx, "runner", true);
    store_fixture_org(&fx, "H", CREDITS, &org);
    cfg = store_fixture_jobs_config(&fx);
    cfg.max_attempts = ATTEMPTS;
    cfg.render = no_render;
}

static void teardown(void)
{
    store_fixture_close(&fx);
}

TestSuite(runner, .init = setup, .fini = teardown, .timeout = 120);

static int64_t balance(void)
{
    return store_fixture_balance(&fx, org.id);
}

/* Queues a one-exam job typed in English; its id into id. */
static void queue(const char *transcript, char id[UUID_LEN])
{
    store_fixture_queue_text(&fx, org.id, NULL, transcript, time_now_ms(), id);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits until job id is finished (completed or failed) and reads it into
 * *job; fails the test after WAIT_ROUNDS looks. */
static void wait_finished(const char *id, store_job *job)
{
    for (int round = 0; round < WAIT_ROUNDS; round++) {
        cr_assert_eq(store_job_get(s, id, org.id, job), RA_OK);
        if (strcmp(job->status, "completed") == 0 || strcmp(job->status, "failed") == 0)
            return;
        store_job_release(job);
        sleep_ms(WAIT_STEP_MS);
    }
    cr_assert_fail("job %s did not finish", id);
}

/* Starts the runner on cfg and wakes it; the test stops it. */
static jobs_runner *start_runner(void)
{
    jobs_runner *r = NULL;
    char err[256] = "";
    cr_assert_eq(jobs_start(&cfg, &r, err, sizeof err), RA_OK, "%s", err);
    jobs_wake(r);
    return r;
}

Test(runner, a_queued_job_is_claimed_processed_and_finished_once)
{
    char id[UUID_LEN];
    queue("Findings: the liver is normal. Impression: normal ultrasound.", id);
    jobs_runner *r = start_runner();
    store_job job;
    wait_finished(id, &job);
    jobs_stop(r);
    cr_assert_str_eq(job.status, "completed");
    cr_assert_eq(job.attempts, 1);
    cr_assert_eq(job.credits_used, 1);
    cr_assert_not_null(strstr(job.exams[0].report_text, "liver is normal"));
    cr_assert_eq(balance(), CREDITS - 1);
    store_job_release(&job);
}

/* Transcript jobs queued together are taken several at a time by the
 * workers and each finished once, with its own report and credit. */
Test(runner, queued_transcripts_are_taken_in_batches_and_each_finished_once)
{
    enum { N = 12 };
    char ids[N][UUID_LEN];
    int64_t after = 0;
    cr_assert_eq(store_credits_add(s, org.id, N, "batch", "test", &after), RA_OK);
    for (int i = 0; i < N; i++) {
        char text[96];
        snprintf(text, sizeof text, "Findings: lesion number %d is stable. Impression: stable.",
                 i + 1);
        queue(text, ids[i]);
    }
    jobs_runner *r = start_runner();
    for (int i = 0; i < N; i++) {
        store_job job;
        wait_finished(ids[i], &job);
        cr_assert_str_eq(job.status, "completed", "job %d", i);
        cr_assert_eq(job.attempts, 1, "job %d taken once", i);
        char want[32];
        snprintf(want, sizeof want, "number %d is stable", i + 1);
        cr_assert_not_null(strstr(job.exams[0].report_text, want), "job %d: its own report", i);
        store_job_release(&job);
    }
    jobs_stop(r);
    cr_assert_eq(balance(), CREDITS);
}

/* Stopping with transcripts held and not begun gives them back: pending
 * again at once, their attempt not counted, instead of waiting for their
 * leases to run out. Only a job cancelled as it began may stay in progress
 * (one for the fixture's one worker). */
Test(runner, stopping_gives_back_the_jobs_held_and_not_begun)
{
    enum { N = 60 };
    static char ids[N][UUID_LEN];
    int64_t after = 0;
    cr_assert_eq(store_credits_add(s, org.id, N, "batch", "test", &after), RA_OK);
    for (int i = 0; i < N; i++)
        queue("Findings: no change. Impression: stable.", ids[i]);
    jobs_runner *r = start_runner();
    store_job job;
    wait_finished(ids[0], &job);
    store_job_release(&job);
    jobs_stop(r);
    int processing = 0, pending = 0;
    for (int i = 0; i < N; i++) {
        cr_assert_eq(store_job_get(s, ids[i], org.id, &job), RA_OK);
        processing += strcmp(job.status, "processing") == 0;
        if (strcmp(job.status, "pending") == 0) {
            pending++;
            cr_assert_eq(job.attempts, 0, "job %d: an attempt given back is not counted", i);
        }
        store_job_release(&job);
    }
    cr_assert_leq(processing, cfg.workers, "%d jobs left in progress", processing);
    cr_assert_gt(pending, 0, "stopped before every job was taken");
}

/* Jobs in progress and jobs completed, read in one snapshot. */
static void count_row(store *st, db_stmt *stmt, void *ctx)
{
    int64_t *n = ctx;
    n[0] = st->driver->column_int64(stmt, 0);
    n[1] = st->driver->column_int64(stmt, 1);
}

/* With a language model configured, structuring may take seconds: a worker
 * then holds one job at a time (here the model is unreachable, so the
 * rules engine answers each job at once). */
Test(runner, with_a_language_model_a_worker_holds_one_job_at_a_time)
{
    char id[UUID_LEN];
    for (int i = 0; i < CREDITS; i++)
        queue("Findings: no change. Impression: stable.", id);
    cfg.llm = (report_llm_config){.url = "http://127.0.0.1:9/v1", .attempts = 1};
    jobs_runner *r = start_runner();
    int64_t most = 0, n[2] = {0, 0};
    for (int round = 0; round < 60000 && n[1] < CREDITS; round++) { /* at most a minute */
        sleep_ms(1);
        cr_assert_eq(store_query(s, NULL, count_row, n, 1,
                                 "SELECT COUNT(*) FILTER (WHERE status = 'processing'),"
                                 " COUNT(*) FILTER (WHERE status = 'completed') FROM jobs",
                                 DB_NONE),
                     RA_OK);
        most = n[0] > most ? n[0] : most;
    }
    jobs_stop(r);
    cr_assert_eq(n[1], CREDITS);
    cr_assert_leq(most, cfg.workers, "%lld jobs held at once", (long long)most);
}

Test(runner, a_live_lease_is_left_alone_and_a_dead_workers_job_is_taken_up_again)
{
    /* Three jobs, oldest first: one held by a live worker elsewhere, one
     * whose worker died (its lease ran out), one pending. A worker claims
     * the oldest due job first, so had the live lease been due, it would
     * have been taken before the others. */
    char live[UUID_LEN], dead[UUID_LEN], pending[UUID_LEN], got[UUID_LEN];
    int attempt = 0;
    int64_t now = time_now_ms();
    queue("Findings: first.", live);
    cr_assert_eq(store_job_claim(s, "elsewhere", now, 3600000, ATTEMPTS, got, &attempt), RA_OK);
    cr_assert_str_eq(got, live);
    queue("Findings: the kidneys are normal.", dead);
    cr_assert_eq(store_job_claim(s, "died", now - 7200000, 1000, ATTEMPTS, got, &attempt), RA_OK);
    cr_assert_str_eq(got, dead);
    queue("Findings: the spleen is normal.", pending);

    jobs_runner *r = start_runner();
    store_job a, b;
    wait_finished(dead, &a);
    wait_finished(pending, &b);
    jobs_stop(r);
    cr_assert_str_eq(a.status, "completed");
    cr_assert_eq(a.attempts, 2, "the dead worker's attempt counts");
    cr_assert_str_eq(b.status, "completed");
    cr_assert_eq(b.attempts, 1);
    store_job held;
    cr_assert_eq(store_job_get(s, live, org.id, &held), RA_OK);
    cr_assert_str_eq(held.status, "processing", "the live lease was respected");
    cr_assert_eq(held.attempts, 1);
    cr_assert_eq(store_job_renew(s, live, "elsewhere", now + 3600000), RA_OK,
                 "and still belongs to its worker");
    store_job_release(&held);
    store_job_release(&a);
    store_job_release(&b);
}

Test(runner, a_job_out_of_attempts_fails_with_its_credit_released)
{
    char id[UUID_LEN], got[UUID_LEN];
    queue("Findings: normal.", id);
    cr_assert_eq(balance(), CREDITS - 1, "reserved");
    int64_t long_ago = time_now_ms() - 7200000;
    for (int i = 0; i < ATTEMPTS; i++) {
        int attempt = 0;
        cr_assert_eq(
            store_job_claim(s, "crashing", long_ago + i * 10000, 1000, ATTEMPTS, got, &attempt),
            RA_OK);
        cr_assert_eq(attempt, i + 1);
    }
    jobs_runner *r = start_runner();
    store_job job;
    wait_finished(id, &job);
    jobs_stop(r);
    cr_assert_str_eq(job.status, "failed");
    cr_assert_str_eq(job.error_code, "PROCESSING_FAILED");
    cr_assert_eq(job.attempts, ATTEMPTS, "no attempt beyond the limit");
    cr_assert_eq(job.credits_used, 0);
    cr_assert_eq(balance(), CREDITS);
    store_job_release(&job);
}

Test(runner, stopping_an_idle_runner_returns)
{
    cfg.workers = 2;
    jobs_runner *r = start_runner();
    jobs_stop(r);
    jobs_stop(NULL);
}

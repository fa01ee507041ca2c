/* test_jobs.c - unit tests for report jobs in src/store: creation with
 * credit reservation, duplicates, leases, finishing once, callbacks. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/store_fixture.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/sections.h"
#include "store/internal.h"
#include "store/store.h"

static store_fixture fx;
static store *s; /* fx.store */
static store_org org;

static void setup(void)
{
    s = store_fixture_open(&fx, "jobs", false);
    store_fixture_org(&fx, "H", 5, &org);
}

static void teardown(void)
{
    store_fixture_close(&fx);
}

TestSuite(jobs, .init = setup, .fini = teardown);

static const store_exam_input two_exams[] = {
    {.accession = "ACC-1", .sut_code = "803910"},
    {.accession = "ACC-2",
     .sut_code = "804102",
     .template_content = "B: {{BULGULAR}}",
     .template_format = "txt"},
};

static store_job_input job_input(const char *sha, size_t n_exams)
{
    return (store_job_input){
        .kind = n_exams > 1 ? "pacs" : "report",
        .org_id = org.id,
        .audio_path = "audio/x.wav",
        .audio_sha256 = sha,
        .audio_format = "wav",
        .audio_seconds = 3.5,
        .input_lang = "en",
        .output_lang = "en",
        .patient_id = "P1",
        .patient_name = "Ayşe Yılmaz",
        .callback_url = "https://hbys.example/cb",
        .hmac_secret = "s3cret",
        .exams = two_exams,
        .n_exams = n_exams,
    };
}

static int64_t balance(void)
{
    store_org o;
    cr_assert_eq(store_org_get(s, org.id, &o), RA_OK);
    return o.credits;
}

Test(jobs, creation_reserves_one_credit_per_exam)
{
    store_job_input in = job_input("aa", 2);
    char id[UUID_LEN], dup[UUID_LEN] = "";
    int64_t after = -1;
    cr_assert_eq(store_job_create(s, &in, 1000000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(after, 3);
    cr_assert_eq(balance(), 3);
    store_job j;
    cr_assert_eq(store_job_get(s, id, org.id, &j), RA_OK);
    cr_assert_str_eq(j.status, "pending");
    cr_assert_str_eq(j.kind, "pacs");
    cr_assert_eq(j.n_exams, 2);
    cr_assert_str_eq(j.exams[1].template_content, "B: {{BULGULAR}}");
    cr_assert_str_eq(j.patient_name, "Ayşe Yılmaz");
    cr_assert_eq(j.credits_used, -1);
    store_job_release(&j);
}

Test(jobs, short_credits_create_nothing)
{
    store_job_input in = job_input("aa", 2);
    char id[UUID_LEN], dup[UUID_LEN];
    int64_t after;
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(store_job_create(s,
                                  &(store_job_input){.kind = "pacs",
                                                     .org_id = org.id,
                                                     .input_lang = "en",
                                                     .output_lang = "en",
                                                     .hmac_secret = "x",
                                                     .exams = two_exams,
                                                     .n_exams = 2},
                                  2000, 86400, id, dup, &after),
                 RA_OK);
    cr_assert_eq(balance(), 1);
    in = job_input("bb", 2);
    cr_assert_eq(store_job_create(s, &in, 3000, 86400, id, dup, &after), RA_ERR_BALANCE);
    cr_assert_eq(balance(), 1);
    int64_t queued = -1, per_exam = 0;
    cr_assert_eq(store_job_stats(s, &queued, &per_exam), RA_OK);
    cr_assert_eq(queued, 4);
    cr_assert_eq(per_exam, -1);
}

static int64_t queued_exams(void)
{
    int64_t queued = -1, per_exam = 0;
    cr_assert_eq(store_job_stats(s, &queued, &per_exam), RA_OK);
    return queued;
}

/* The exams of jobs pending or in progress, as jobs are created, claimed,
 * finished and given up on (counted as they change, not read from the
 * queue). */
Test(jobs, the_exams_queued_follow_the_jobs)
{
    store_job_input two = job_input("aa", 2), one = job_input("bb", 1);
    char a[UUID_LEN], b[UUID_LEN], dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt;
    cr_assert_eq(queued_exams(), 0);
    cr_assert_eq(store_job_create(s, &two, 1000, 86400, a, dup, &after), RA_OK);
    cr_assert_eq(store_job_create(s, &one, 1001, 86400, b, dup, &after), RA_OK);
    cr_assert_eq(queued_exams(), 3);
    cr_assert_eq(store_job_claim(s, "w", 2000, 10000, 1, got, &attempt), RA_OK);
    cr_assert_str_eq(got, a);
    cr_assert_eq(queued_exams(), 3, "in progress is still queued");
    store_job_result r = {.error_code = "PROCESSING_FAILED", .error_message = "x"};
    cr_assert_eq(store_job_finish(s, a, "w", 3000, &r), RA_OK);
    cr_assert_eq(queued_exams(), 1);
    cr_assert_eq(store_job_finish(s, a, "w", 3000, &r), RA_ERR_NOT_FOUND);
    cr_assert_eq(queued_exams(), 1, "a finishing refused changes nothing");
    cr_assert_eq(store_job_claim(s, "w", 4000, 10, 1, got, &attempt), RA_OK);
    /* its lease runs out and it has no attempts left: given up */
    cr_assert_eq(store_job_claim(s, "v", 5000, 10, 1, got, &attempt), RA_ERR_NOT_FOUND);
    cr_assert_eq(queued_exams(), 0);
}

static const char *status_of(const char *id, char *out, size_t n)
{
    store_job j;
    cr_assert_eq(store_job_get(s, id, org.id, &j), RA_OK);
    snprintf(out, n, "%s", j.status);
    store_job_release(&j);
    return out;
}

/* A worker finishing jobs claims its next ones in the same transaction:
 * several only while they are transcripts, a recording being the last; a
 * finishing refused is undone alone; with nothing due the finishings stand
 * alone. */
Test(jobs, finishing_and_claiming_the_next_jobs_in_one_transaction)
{
    char ids[5][UUID_LEN], dup[UUID_LEN], st[16];
    int64_t after;
    store_job_input text = job_input(NULL, 1), audio = job_input("cafe", 1);
    text.audio_path = text.audio_format = NULL;
    text.transcript = "Findings: normal.";
    cr_assert_eq(store_credits_add(s, org.id, 10, "more", "test", &after), RA_OK);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(
            store_job_create(s, i == 2 ? &audio : &text, 1000 + i, 86400, ids[i], dup, &after),
            RA_OK);
    store_claimed held[8];
    size_t n = 99;
    cr_assert_eq(store_jobs_finish_claim(s, "w", 2000, NULL, 0, NULL, 0, 10000, 3, held, 8, &n),
                 RA_OK);
    cr_assert_eq(n, 3, "two transcripts, then the recording, the last taken");
    for (int i = 0; i < 3; i++) {
        cr_assert_str_eq(held[i].id, ids[i]);
        cr_assert_eq(held[i].attempt, 1);
        cr_assert_eq(held[i].has_audio, i == 2);
    }
    store_job_result r = {.error_code = "PROCESSING_FAILED", .error_message = "x"};
    store_job_done done[3] = {{ids[0], &r, -1}, {ids[3], &r, -1}, {ids[1], &r, -1}};
    store_claimed next[8];
    cr_assert_eq(store_jobs_finish_claim(s, "w", 3000, done, 3, NULL, 0, 10000, 3, next, 1, &n),
                 RA_OK);
    cr_assert_eq(done[0].rc, RA_OK);
    cr_assert_eq(done[1].rc, RA_ERR_NOT_FOUND, "not w's job: refused alone");
    cr_assert_eq(done[2].rc, RA_OK);
    cr_assert_eq(n, 1, "at most max_claims");
    cr_assert_str_eq(next[0].id, ids[3]);
    cr_assert_str_eq(status_of(ids[0], st, sizeof st), "failed");
    cr_assert_str_eq(status_of(ids[1], st, sizeof st), "failed");
    cr_assert_str_eq(status_of(ids[3], st, sizeof st), "processing");
    store_job_done more[2] = {{ids[2], &r, -1}, {ids[3], &r, -1}};
    cr_assert_eq(store_jobs_finish_claim(s, "w", 4000, more, 2, NULL, 0, 10000, 3, next, 8, &n),
                 RA_OK);
    cr_assert_eq(more[0].rc, RA_OK);
    cr_assert_eq(more[1].rc, RA_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(next[0].id, ids[4]);
    /* a job never begun (the worker is stopping) is given back as it was */
    cr_assert_eq(store_jobs_finish_claim(s, "w", 5000, NULL, 0, next, 1, 10000, 3, held, 0, &n),
                 RA_OK);
    cr_assert_eq(n, 0, "none asked for");
    cr_assert_str_eq(status_of(ids[4], st, sizeof st), "pending");
    cr_assert_eq(store_jobs_finish_claim(s, "v", 6000, NULL, 0, NULL, 0, 10000, 3, next, 8, &n),
                 RA_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(next[0].id, ids[4]);
    cr_assert_eq(next[0].attempt, 1, "the attempt given back was not counted");
    cr_assert_eq(store_jobs_finish_claim(s, "w", 6500, NULL, 0, next, 1, 10000, 3, held, 0, &n),
                 RA_OK);
    cr_assert_str_eq(status_of(ids[4], st, sizeof st), "processing", "not w's to give back");
    store_job_done last = {ids[4], &r, -1};
    cr_assert_eq(store_jobs_finish_claim(s, "v", 7000, &last, 1, NULL, 0, 10000, 3, next, 8, &n),
                 RA_OK);
    cr_assert_eq(last.rc, RA_OK);
    cr_assert_eq(n, 0, "nothing due");
    cr_assert_eq(queued_exams(), 0);
}

Test(jobs, the_same_audio_is_a_duplicate_within_the_window_unless_it_failed)
{
    store_job_input in = job_input("cafe", 1);
    char first[UUID_LEN], id[UUID_LEN], dup[UUID_LEN] = "";
    int64_t after;
    cr_assert_eq(store_job_create(s, &in, 1000000, 60, first, dup, &after), RA_OK);
    cr_assert_eq(store_job_create(s, &in, 1030000, 60, id, dup, &after), RA_ERR_EXISTS);
    cr_assert_str_eq(dup, first);
    cr_assert_eq(balance(), 4);
    /* a window of 0 turns the check off */
    cr_assert_eq(store_job_create(s, &in, 1030000, 0, id, dup, &after), RA_OK);
    cr_assert_eq(balance(), 3);
    /* outside the window it is a new job */
    cr_assert_eq(store_job_create(s, &in, 1091000, 60, id, dup, &after), RA_OK);
    cr_assert_eq(balance(), 2);
}

Test(jobs, a_claim_holds_until_its_lease_runs_out)
{
    store_job_input in = job_input("aa", 1);
    char id[UUID_LEN], dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt = 0;
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(store_job_claim(s, "w1", 2000, 10000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, id);
    cr_assert_eq(attempt, 1);
    cr_assert_eq(store_job_claim(s, "w2", 5000, 10000, 3, got, &attempt), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_job_renew(s, id, "w1", 20000), RA_OK);
    cr_assert_eq(store_job_renew(s, id, "w2", 20000), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_job_claim(s, "w2", 15000, 10000, 3, got, &attempt), RA_ERR_NOT_FOUND);
    /* w1 died: after the lease, w2 takes the job up again */
    cr_assert_eq(store_job_claim(s, "w2", 20001, 10000, 3, got, &attempt), RA_OK);
    cr_assert_eq(attempt, 2);
    /* the old worker cannot finish it any more */
    store_exam_result ok = {.completed = 1, .report_text = "x", .template_used = "default"};
    store_job_result r = {.transcript = "t", .processing_ms = 5, .exams = &ok};
    cr_assert_eq(store_job_finish(s, id, "w1", 30000, &r), RA_ERR_NOT_FOUND);
    cr_assert_eq(balance(), 4);
    cr_assert_eq(store_job_finish(s, id, "w2", 30000, &r), RA_OK);
    cr_assert_eq(store_job_finish(s, id, "w2", 30001, &r), RA_ERR_NOT_FOUND);
    cr_assert_eq(balance(), 4);
}

/* Queues n one-exam jobs of organization o, one millisecond apart from
 * *at on; their ids go to ids (when not NULL). */
static void queue_jobs(const store_org *o, int n, int64_t *at, char (*ids)[UUID_LEN])
{
    for (int i = 0; i < n; i++) {
        store_job_input in = job_input(NULL, 1);
        in.org_id = o->id;
        char id[UUID_LEN], dup[UUID_LEN];
        int64_t left;
        cr_assert_eq(store_job_create(s, &in, (*at)++, 0, id, dup, &left), RA_OK);
        if (ids)
            memcpy(ids[i], id, UUID_LEN);
    }
}

/* The organization of job id. */
static void org_of(const char *id, char out[UUID_LEN])
{
    store_job j;
    cr_assert_eq(store_job_get(s, id, NULL, &j), RA_OK);
    memcpy(out, j.org_id, UUID_LEN);
    store_job_release(&j);
}

Test(jobs, one_organizations_queue_does_not_starve_anothers_job)
{
    store_org a, b;
    store_fixture_org(&fx, "A", 100, &a);
    store_fixture_org(&fx, "B", 100, &b);
    int64_t at = 1000;
    char b_job[1][UUID_LEN];
    queue_jobs(&a, 50, &at, NULL); /* A's 50 jobs come first */
    queue_jobs(&b, 1, &at, b_job);
    int claimed_b_at = 0;
    for (int claim = 1; claim <= 2 && !claimed_b_at; claim++) {
        char got[UUID_LEN];
        int attempt;
        cr_assert_eq(store_job_claim(s, "w", 100000 + claim, 600000, 3, got, &attempt), RA_OK);
        if (strcmp(got, b_job[0]) == 0)
            claimed_b_at = claim;
    }
    cr_assert_neq(claimed_b_at, 0, "B's job is claimed within the first two claims");
    /* then A's jobs go on, oldest first, and none is lost */
    int a_claimed = 0;
    for (int claim = 0; claim < 60; claim++) {
        char got[UUID_LEN], owner[UUID_LEN];
        int attempt;
        int rc = store_job_claim(s, "w", 200000 + claim, 600000, 3, got, &attempt);
        if (rc == RA_ERR_NOT_FOUND)
            break;
        cr_assert_eq(rc, RA_OK);
        org_of(got, owner);
        cr_assert_str_eq(owner, a.id);
        a_claimed++;
    }
    cr_assert_eq(a_claimed + (claimed_b_at == 2 ? 1 : 0), 50);
}

Test(jobs, organizations_take_turns_and_an_idle_one_goes_first)
{
    store_org a, b, c;
    store_fixture_org(&fx, "A", 100, &a);
    store_fixture_org(&fx, "B", 100, &b);
    store_fixture_org(&fx, "C", 100, &c);
    int64_t at = 1000;
    queue_jobs(&a, 6, &at, NULL);
    queue_jobs(&b, 3, &at, NULL);
    /* A, B, A, B, A, B: turn by turn while both have jobs */
    const char *expect[] = {a.id, b.id, a.id, b.id};
    for (int i = 0; i < 4; i++) {
        char got[UUID_LEN], owner[UUID_LEN];
        int attempt;
        cr_assert_eq(store_job_claim(s, "w", 100000 + i, 60000, 3, got, &attempt), RA_OK);
        org_of(got, owner);
        cr_assert_str_eq(owner, expect[i], "claim %d", i + 1);
    }
    /* C queues one job after all of them: it never had a turn, so it is next */
    char c_job[1][UUID_LEN], got[UUID_LEN];
    int attempt;
    queue_jobs(&c, 1, &at, c_job);
    cr_assert_eq(store_job_claim(s, "w", 200000, 60000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, c_job[0]);
}

Test(jobs, a_job_whose_worker_died_is_claimed_again_in_its_organizations_turn)
{
    store_org a, b;
    store_fixture_org(&fx, "A", 100, &a);
    store_fixture_org(&fx, "B", 100, &b);
    int64_t at = 1000;
    char a_jobs[2][UUID_LEN], b_jobs[2][UUID_LEN], got[UUID_LEN], owner[UUID_LEN];
    int attempt;
    queue_jobs(&a, 2, &at, a_jobs);
    queue_jobs(&b, 2, &at, b_jobs);
    cr_assert_eq(store_job_claim(s, "w1", 10000, 1000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, a_jobs[0]);
    /* w1 dies; once the lease runs out, B has its turn, then A's lost job
     * (its oldest) comes back before A's second one */
    cr_assert_eq(store_job_claim(s, "w2", 20000, 60000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, b_jobs[0]);
    cr_assert_eq(store_job_claim(s, "w2", 20001, 60000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, a_jobs[0]);
    cr_assert_eq(attempt, 2);
    cr_assert_eq(store_job_claim(s, "w2", 20002, 60000, 3, got, &attempt), RA_OK);
    org_of(got, owner);
    cr_assert_str_eq(owner, b.id);
    cr_assert_eq(store_job_claim(s, "w2", 20003, 60000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, a_jobs[1]);
    cr_assert_eq(store_job_claim(s, "w2", 20004, 60000, 3, got, &attempt), RA_ERR_NOT_FOUND);
}

/* Queues one finished job of organization o with a callback due at at_ms;
 * its id goes to id. */
static void finished_with_callback(const store_org *o, int64_t at_ms, char id[UUID_LEN])
{
    char ids[1][UUID_LEN], got[UUID_LEN];
    int attempt;
    int64_t at = at_ms - 10;
    queue_jobs(o, 1, &at, ids);
    cr_assert_eq(store_job_claim(s, "w", at_ms - 5, 60000, 3, got, &attempt), RA_OK);
    cr_assert_str_eq(got, ids[0]);
    store_exam_result ok = {.completed = 1, .report_text = "x", .template_used = "default"};
    store_job_result r = {.exams = &ok};
    cr_assert_eq(store_job_finish(s, got, "w", at_ms, &r), RA_OK);
    memcpy(id, got, UUID_LEN);
}

Test(jobs, an_organization_has_at_most_its_limit_of_callbacks_in_flight)
{
    store_org a, b;
    store_fixture_org(&fx, "A", 100, &a);
    store_fixture_org(&fx, "B", 100, &b);
    char a1[UUID_LEN], a2[UUID_LEN], a3[UUID_LEN], b1[UUID_LEN], got[UUID_LEN];
    finished_with_callback(&a, 1000, a1);
    finished_with_callback(&a, 2000, a2);
    finished_with_callback(&a, 3000, a3);
    finished_with_callback(&b, 4000, b1);
    char *url = NULL;
    int attempt;
    /* A's receiver hangs: two of A's callbacks in flight, then B's goes past
     * A's third although it is younger */
    cr_assert_eq(store_callback_claim(s, 5000, 60000, 2, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(got, a1);
    free(url);
    cr_assert_eq(store_callback_claim(s, 5001, 60000, 2, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(got, a2);
    free(url);
    cr_assert_eq(store_callback_claim(s, 5002, 60000, 2, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(got, b1);
    free(url);
    cr_assert_eq(store_callback_claim(s, 5003, 60000, 2, got, &url, &attempt), RA_ERR_NOT_FOUND);
    /* without a limit A's third would go */
    cr_assert_eq(store_callback_claim(s, 5004, 60000, 0, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(got, a3);
    free(url);
    /* one of A's attempts ends (to be retried later): a slot is free again,
     * though nothing of A's is due now */
    cr_assert_eq(store_callback_record(s, a1, 1, 0, 0, "timed out", 900000), RA_OK);
    cr_assert_eq(store_callback_record(s, a3, 1, 0, 0, "timed out", 6000), RA_OK);
    cr_assert_eq(store_callback_claim(s, 6000, 60000, 2, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(got, a3);
    cr_assert_eq(attempt, 2);
    free(url);
    /* a2's process died mid-delivery: its hold (until 65001) counts no more
     * once it ran out, and a2 is due again, first of all */
    cr_assert_eq(store_callback_claim(s, 65000, 60000, 2, got, &url, &attempt), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_callback_claim(s, 66002, 60000, 2, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(got, a2);
    free(url);
}

static char last_removed[64];

static int refuse_removal(const char *path, void *ctx)
{
    (void)path;
    (void)ctx;
    return RA_ERR_IO;
}

static int note_removal(const char *path, void *ctx)
{
    (void)ctx;
    snprintf(last_removed, sizeof last_removed, "%s", path);
    return RA_OK;
}

Test(jobs, finishing_keeps_credits_of_completed_exams_and_releases_the_rest)
{
    store_job_input in = job_input("aa", 2);
    char id[UUID_LEN], dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt;
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(store_job_claim(s, "w", 2000, 10000, 3, got, &attempt), RA_OK);
    store_exam_warning warnings[2] = {{"UNSUPPORTED_NUMBER", "findings", "12 mm"},
                                      {"OTHER_EXAM_ANATOMY", "conclusion", "liver"}};
    store_exam_result exams[2] = {
        {.completed = 1,
         .modality = "CT",
         .exam_name = "Brain CT",
         .transcript = "part one",
         .report_text = "FINDINGS: ok",
         .report_html = "<p>ok</p>",
         .template_used = "matched",
         .structured_by = "openai",
         .warnings = warnings,
         .n_warnings = 2,
         .more_warnings = 3},
        {.completed = 0,
         .transcript = "",
         .error_code = "EMPTY_TRANSCRIPT",
         .error_message = "No dictation for this exam."},
    };
    store_job_result r = {.transcript = "part one", .processing_ms = 1200, .exams = exams};
    cr_assert_eq(store_job_finish(s, id, "w", 3000, &r), RA_OK);
    cr_assert_eq(balance(), 4); /* 5 - 2 reserved + 1 released */
    store_job j;
    cr_assert_eq(store_job_get(s, id, org.id, &j), RA_OK);
    cr_assert_str_eq(j.status, "completed");
    cr_assert_eq(j.credits_used, 1);
    cr_assert_str_eq(j.exams[0].status, "completed");
    cr_assert_str_eq(j.exams[0].exam_name, "Brain CT");
    cr_assert_str_eq(j.exams[0].structured_by, "openai");
    cr_assert_eq(j.exams[0].n_warnings, 2);
    cr_assert_str_eq(j.exams[0].warnings[0].code, "UNSUPPORTED_NUMBER");
    cr_assert_str_eq(j.exams[0].warnings[0].section, "findings");
    cr_assert_str_eq(j.exams[0].warnings[0].text, "12 mm");
    cr_assert_str_eq(j.exams[0].warnings[1].code, "OTHER_EXAM_ANATOMY");
    cr_assert_str_eq(j.exams[0].warnings[1].section, "conclusion");
    cr_assert_str_eq(j.exams[0].warnings[1].text, "liver");
    cr_assert_eq(j.exams[0].more_warnings, 3);
    cr_assert_str_eq(j.exams[1].status, "failed");
    cr_assert_null(j.exams[1].structured_by);
    cr_assert_null(j.exams[1].warnings);
    cr_assert_eq(j.exams[1].n_warnings, 0);
    cr_assert_eq(j.exams[1].more_warnings, 0);
    cr_assert_str_eq(j.exams[1].error_code, "EMPTY_TRANSCRIPT");
    cr_assert_str_eq(j.cb_status, "pending");
    cr_assert_str_eq(j.audio_path, "audio/x.wav"); /* kept until swept */
    store_job_release(&j);
    int removed = -1;
    cr_assert_eq(store_job_audio_sweep(s, 3000, refuse_removal, NULL, &removed), RA_OK);
    cr_assert_eq(removed, 0);
    cr_assert_eq(store_job_audio_sweep(s, 3000, note_removal, NULL, &removed), RA_OK);
    cr_assert_eq(removed, 1);
    cr_assert_str_eq(last_removed, "audio/x.wav");
    cr_assert_eq(store_job_audio_sweep(s, 3000, note_removal, NULL, &removed), RA_OK);
    cr_assert_eq(removed, 0);
    cr_assert_eq(store_job_get(s, id, org.id, &j), RA_OK);
    cr_assert_null(j.audio_path);
    store_job_release(&j);
    int64_t queued, per_exam;
    cr_assert_eq(store_job_stats(s, &queued, &per_exam), RA_OK);
    cr_assert_eq(queued, 0);
    cr_assert_eq(per_exam, 600);
}

Test(jobs, audio_is_kept_for_the_organizations_retention_days)
{
    cr_assert_eq(store_org_set_settings(s, org.id, "", "tr", "tr", 2, NULL), RA_OK);
    char id[UUID_LEN], dup[UUID_LEN];
    int64_t left;
    store_job_input in = job_input("cafe", 1);
    cr_assert_eq(store_job_create(s, &in, 1000, 0, id, dup, &left), RA_OK);
    char claimed[UUID_LEN];
    int attempt;
    cr_assert_eq(store_job_claim(s, "w", 1000, 60000, 3, claimed, &attempt), RA_OK);
    store_exam_result done = {.completed = 1, .report_text = "x"};
    store_job_result r = {.processing_ms = 10, .exams = &done};
    cr_assert_eq(store_job_finish(s, id, "w", 5000, &r), RA_OK);
    int removed = -1;
    int64_t day = 86400000;
    cr_assert_eq(store_job_audio_sweep(s, 5000 + 2 * day - 1, note_removal, NULL, &removed), RA_OK);
    cr_assert_eq(removed, 0, "kept for two days");
    cr_assert_eq(store_job_audio_sweep(s, 5000 + 2 * day, note_removal, NULL, &removed), RA_OK);
    cr_assert_eq(removed, 1);
}

Test(jobs, a_job_that_keeps_failing_stops_with_its_credits_released)
{
    store_job_input in = job_input("aa", 2);
    char id[UUID_LEN], dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt;
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    for (int i = 1; i <= 2; i++) {
        cr_assert_eq(store_job_claim(s, "w", 1000 + i * 100000, 1000, 2, got, &attempt), RA_OK);
        cr_assert_eq(attempt, i);
    }
    /* the third claim finds it over its attempts: failed, nothing left to do */
    cr_assert_eq(store_job_claim(s, "w", 900000, 1000, 2, got, &attempt), RA_ERR_NOT_FOUND);
    store_job j;
    cr_assert_eq(store_job_get(s, id, org.id, &j), RA_OK);
    cr_assert_str_eq(j.status, "failed");
    cr_assert_str_eq(j.error_code, "PROCESSING_FAILED");
    cr_assert_eq(j.credits_used, 0);
    cr_assert_str_eq(j.exams[0].status, "failed");
    store_job_release(&j);
    cr_assert_eq(balance(), 5);
}

Test(jobs, another_organizations_job_is_not_found)
{
    store_job_input in = job_input("aa", 1);
    char id[UUID_LEN], dup[UUID_LEN];
    int64_t after;
    store_org other;
    cr_assert_eq(store_org_create(s, "Other", "hospital", 0, "test", &other), RA_OK);
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    store_job j;
    cr_assert_eq(store_job_get(s, id, other.id, &j), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_job_get(s, "00000000-0000-4000-8000-000000000000", org.id, &j),
                 RA_ERR_NOT_FOUND);
}

Test(jobs, callbacks_are_claimed_when_due_and_their_attempts_recorded)
{
    store_job_input in = job_input("aa", 1);
    char id[UUID_LEN], dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt;
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(store_job_claim(s, "w", 2000, 10000, 3, got, &attempt), RA_OK);
    store_exam_result ok = {.completed = 1, .report_text = "x", .template_used = "default"};
    store_job_result r = {.exams = &ok};
    cr_assert_eq(store_job_finish(s, id, "w", 3000, &r), RA_OK);
    char *url = NULL;
    cr_assert_eq(store_callback_claim(s, 2999, 60000, 0, got, &url, &attempt), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_callback_claim(s, 3000, 60000, 0, got, &url, &attempt), RA_OK);
    cr_assert_str_eq(url, "https://hbys.example/cb");
    cr_assert_eq(attempt, 1);
    free(url);
    /* held while in flight */
    cr_assert_eq(store_callback_claim(s, 4000, 60000, 0, got, &url, &attempt), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_callback_record(s, id, 1, 0, 500, "HTTP 500", 10000), RA_OK);
    cr_assert_eq(store_callback_claim(s, 10000, 60000, 0, got, &url, &attempt), RA_OK);
    cr_assert_eq(attempt, 2);
    free(url);
    cr_assert_eq(store_callback_record(s, id, 2, 1, 200, NULL, -1), RA_OK);
    cr_assert_eq(store_callback_claim(s, 99999999, 60000, 0, got, &url, &attempt),
                 RA_ERR_NOT_FOUND);
    store_job j;
    cr_assert_eq(store_job_get(s, id, NULL, &j), RA_OK);
    cr_assert_str_eq(j.cb_status, "delivered");
    cr_assert_eq(j.cb_attempts, 2);
    cr_assert_eq(j.cb_last_http_status, 200);
    cr_assert_not_null(j.cb_delivered_at);
    store_job_release(&j);
}

/* A renderer that writes what it saw: the job's status, its exams' states
 * and the balance it was given. */
static int seen_renders;
static int render_seen(void *ctx, const store_job *job, int64_t remaining_credits, char **body)
{
    seen_renders++;
    if (ctx != NULL)
        return *(int *)ctx;
    char text[128];
    snprintf(text, sizeof text, "%s/%s/%lld", job->status, job->exams[0].status,
             (long long)remaining_credits);
    *body = strdup(text);
    return *body ? RA_OK : RA_ERR_NOMEM;
}

static char *finish_one(int completed, const char *worker, int *rc)
{
    static char id[UUID_LEN];
    char dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt;
    store_job_input in = job_input(completed ? "r1" : "r0", 1);
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(store_job_claim(s, "w", 2000, 10000, 3, got, &attempt), RA_OK);
    store_exam_result exam = {.completed = completed,
                              .report_text = "x",
                              .error_code = completed ? NULL : "EMPTY_TRANSCRIPT",
                              .error_message = completed ? NULL : "Nothing dictated."};
    store_job_result r = {.exams = &exam};
    *rc = store_job_finish(s, id, worker, 3000, &r);
    return id;
}

static char *kept_result(const char *id)
{
    store_job j;
    cr_assert_eq(store_job_get(s, id, NULL, &j), RA_OK);
    char *result = j.result ? strdup(j.result) : NULL;
    store_job_release(&j);
    return result;
}

Test(jobs, the_result_is_rendered_when_the_job_finishes_with_the_settled_balance)
{
    seen_renders = 0;
    int rc;
    char *id = finish_one(1, "w", &rc);
    cr_assert_eq(rc, RA_OK);
    char *result = kept_result(id);
    cr_assert_null(result, "no renderer: nothing kept");
    store_set_result_renderer(s, render_seen, NULL);
    id = finish_one(0, "w", &rc);
    cr_assert_eq(rc, RA_OK);
    cr_assert_eq(seen_renders, 1);
    result = kept_result(id);
    /* 5 credits, 1 kept by the first job, the second's released */
    cr_assert_str_eq(result, "failed/failed/4");
    free(result);
    /* kept once: a later result does not replace it */
    cr_assert_eq(store_job_keep_result(s, id, "other"), RA_OK);
    result = kept_result(id);
    cr_assert_str_eq(result, "failed/failed/4");
    free(result);
}

Test(jobs, a_job_without_a_result_keeps_the_first_one_given)
{
    int rc;
    char *id = finish_one(1, "w", &rc);
    cr_assert_eq(store_job_keep_result(s, id, "first"), RA_OK);
    cr_assert_eq(store_job_keep_result(s, id, "second"), RA_OK);
    char *result = kept_result(id);
    cr_assert_str_eq(result, "first");
    free(result);
}

Test(jobs, a_result_that_cannot_be_rendered_leaves_the_job_unfinished)
{
    int fail = RA_ERR_NOMEM;
    store_set_result_renderer(s, render_seen, &fail);
    int rc;
    char *id = finish_one(1, "w", &rc);
    cr_assert_eq(rc, RA_ERR_NOMEM);
    store_job j;
    cr_assert_eq(store_job_get(s, id, NULL, &j), RA_OK);
    cr_assert_str_eq(j.status, "processing");
    cr_assert_null(j.result);
    cr_assert_null(j.cb_status, "no callback queued");
    store_job_release(&j);
    cr_assert_eq(balance(), 4, "the reservation still held");
}

Test(jobs, a_job_that_gives_up_gets_its_result_too)
{
    store_set_result_renderer(s, render_seen, NULL);
    store_job_input in = job_input("gu", 1);
    char id[UUID_LEN], dup[UUID_LEN], got[UUID_LEN];
    int64_t after;
    int attempt;
    cr_assert_eq(store_job_create(s, &in, 1000, 86400, id, dup, &after), RA_OK);
    cr_assert_eq(store_job_claim(s, "w", 2000, 1000, 1, got, &attempt), RA_OK);
    cr_assert_eq(store_job_claim(s, "w", 900000, 1000, 1, got, &attempt), RA_ERR_NOT_FOUND);
    char *result = kept_result(id);
    cr_assert_str_eq(result, "failed/failed/5");
    free(result);
}

/* The secret a job's callback is signed with: an External API job's own
 * always; a web job's (signed_by_org) its organization's current one, the
 * job's own only while the organization has none, and after a rotation the
 * new one, for jobs made before it too. */
Test(jobs, a_web_jobs_callback_is_signed_with_the_organizations_current_secret)
{
    const char *first = "1111111111111111111111111111111111111111111111111111111111111111";
    const char *second = "2222222222222222222222222222222222222222222222222222222222222222";
    store_job_input api = job_input(NULL, 1), web = job_input(NULL, 1);
    api.transcript = web.transcript = "findings colon normal period";
    web.signed_by_org = 1;
    web.hmac_secret = "web-own";
    char api_id[UUID_LEN], web_id[UUID_LEN], dup[UUID_LEN];
    int64_t after;
    cr_assert_eq(store_job_create(s, &api, 1000, 0, api_id, dup, &after), RA_OK);
    cr_assert_eq(store_job_create(s, &web, 1000, 0, web_id, dup, &after), RA_OK);
    const char *expect[3][2] = {{"s3cret", "web-own"}, {"s3cret", NULL}, {"s3cret", NULL}};
    expect[1][1] = first;
    expect[2][1] = second;
    for (int step = 0; step < 3; step++) {
        if (step > 0)
            cr_assert_eq(store_org_set_callback_secret(
                             s, org.id, step == 1 ? STORE_SECRET_CREATE : STORE_SECRET_ROTATE,
                             step == 1 ? first : second, "m@h.example", NULL),
                         RA_OK);
        const char *ids[2] = {api_id, web_id};
        for (int k = 0; k < 2; k++) {
            store_job j;
            cr_assert_eq(store_job_get(s, ids[k], NULL, &j), RA_OK);
            cr_assert_str_eq(j.hmac_secret, expect[step][k], "step %d, job %d", step, k);
            store_job_release(&j);
        }
    }
}

Test(jobs, the_section_columns_are_named_by_the_section_keys_in_their_order)
{
    char want[256] = "";
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        size_t used = strlen(want);
        snprintf(want + used, sizeof want - used, "%ssec_%s", sec > 0 ? ", " : "",
                 report_section_key(sec));
    }
    cr_assert_str_eq(STORE_SEC_COLUMNS, want);
}

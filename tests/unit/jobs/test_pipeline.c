/* test_pipeline.c - unit tests of one job's pipeline (src/jobs/pipeline.c)
 * against a store in a temporary folder: a typed dictation through the
 * rules engine into a filled report, and the final failures (a dictation
 * with no report text, a split that cannot place the exams, missing audio),
 * each settled by store_job_finish at no cost to the organization. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <string.h>

#include "../support/store_fixture.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/sections.h"
#include "jobs/pipeline.h"
#include "store/store.h"
#include "templates/templates.h"

#define WORKER "test-worker"
#define CREDITS 5

static store_fixture fx;
static store *s; /* fx.store */
static store_org org;
static jobs_config cfg;
static pipeline *pipe_;
static atomic_int stop;

static void setup(void)
{
    s = store_fixture_open(&fx, "pipe", true);
    store_fixture_org(&fx, "H", CREDITS, &org);
    cfg = store_fixture_jobs_config(&fx);
    char err[256] = "";
    cr_assert_eq(pipeline_new(&cfg, &pipe_, err, sizeof err), RA_OK, "%s", err);
    atomic_store(&stop, 0);
}

static void teardown(void)
{
    pipeline_free(pipe_);
    store_fixture_close(&fx);
}

TestSuite(pipeline, .init = setup, .fini = teardown, .timeout = 120);

static int64_t balance(void)
{
    return store_fixture_balance(&fx, org.id);
}

/* Queues a job of the exams (SUT codes) with transcript (NULL: audio at
 * audio_path), claims it as WORKER and reads it into *job. */
static void queue_and_claim(const char *transcript, const char *audio_path, const char *lang,
                            const char *const *sut_codes, size_t n, store_job *job)
{
    store_exam_input exams[4] = {{0}};
    cr_assert(n <= 4);
    for (size_t i = 0; i < n; i++)
        exams[i] = (store_exam_input){.sut_code = sut_codes[i]};
    store_job_input in = {
        .kind = n > 1 ? "pacs" : "report",
        .org_id = org.id,
        .audio_path = audio_path,
        .audio_sha256 = audio_path != NULL ? "ab" : NULL,
        .audio_format = audio_path != NULL ? "wav" : NULL,
        .transcript = transcript,
        .input_lang = lang,
        .output_lang = lang,
        .hmac_secret = "secret",
        .exams = exams,
        .n_exams = n,
    };
    char id[UUID_LEN], dup[UUID_LEN] = "", claimed[UUID_LEN] = "";
    int64_t after = -1;
    cr_assert_eq(store_job_create(s, &in, 1000, 0, id, dup, &after), RA_OK);
    cr_assert_eq(after, CREDITS - (int64_t)n, "one credit reserved per exam");
    int attempt = 0;
    cr_assert_eq(store_job_claim(s, WORKER, 2000, 60000, 3, claimed, &attempt), RA_OK);
    cr_assert_str_eq(claimed, id);
    cr_assert_eq(store_job_get(s, id, org.id, job), RA_OK);
}

/* Finishes the job with result r, as the worker does, and reads it back. */
static void finish(store_job *job, pipeline_result *r, store_job *after)
{
    cr_assert_eq(store_job_finish(s, job->id, WORKER, 3000, &r->job), RA_OK);
    cr_assert_eq(store_job_get(s, job->id, org.id, after), RA_OK);
}

Test(pipeline, a_typed_dictation_becomes_a_filled_report_by_the_rules_engine)
{
    store_job job, done;
    const char *codes[] = {"803910"};
    const char *text = "Findings: the liver is normal in size. Impression: normal ultrasound.";
    queue_and_claim(text, NULL, "en", codes, 1, &job);
    pipeline_result r;
    cr_assert_eq(pipeline_run(pipe_, &job, &stop, &r), RA_OK);
    cr_assert_null(r.job.error_code);
    cr_assert_str_eq(r.job.transcript, text);
    cr_assert_not_null(r.job.exams);
    const store_exam_result *e = &r.job.exams[0];
    cr_assert_eq(e->completed, 1, "%s: %s", e->error_code ? e->error_code : "",
                 e->error_message ? e->error_message : "");
    cr_assert_str_eq(e->structured_by, "rules");
    cr_assert_not_null(strstr(e->sections[REPORT_SEC_BULGULAR], "liver is normal"));
    cr_assert_not_null(strstr(e->sections[REPORT_SEC_IZLENIM], "ormal ultrasound"));
    cr_assert_null(e->sections[REPORT_SEC_TEKNIK]);
    cr_assert_not_null(strstr(e->report_text, "FINDINGS"), "%s", e->report_text);
    cr_assert_not_null(strstr(e->report_text, "liver is normal"));
    cr_assert(e->report_html != NULL && e->report_html[0] != '\0');
    cr_assert_str_eq(e->transcript, text);
    finish(&job, &r, &done);
    pipeline_result_release(&r);
    cr_assert_str_eq(done.status, "completed");
    cr_assert_eq(done.credits_used, 1);
    cr_assert_eq(balance(), CREDITS - 1, "the completed exam is charged");
    cr_assert_not_null(strstr(done.exams[0].sections[REPORT_SEC_BULGULAR], "liver is normal"));
    store_job_release(&done);
    store_job_release(&job);
}

Test(pipeline, a_dictation_without_report_text_fails_with_empty_transcript_at_no_cost)
{
    const char *dictations[] = {"   ", "Findings: Impression:"};
    for (size_t i = 0; i < sizeof dictations / sizeof dictations[0]; i++) {
        store_job job, done;
        const char *codes[] = {"803910"};
        queue_and_claim(dictations[i], NULL, "en", codes, 1, &job);
        pipeline_result r;
        cr_assert_eq(pipeline_run(pipe_, &job, &stop, &r), RA_OK);
        const store_exam_result *e = &r.job.exams[0];
        cr_assert_eq(e->completed, 0, "\"%s\"", dictations[i]);
        cr_assert_str_eq(e->error_code, "EMPTY_TRANSCRIPT", "\"%s\"", dictations[i]);
        cr_assert(e->error_message != NULL && e->error_message[0] != '\0');
        cr_assert_null(e->report_text);
        finish(&job, &r, &done);
        pipeline_result_release(&r);
        cr_assert_str_eq(done.status, "failed");
        cr_assert_eq(done.credits_used, 0);
        cr_assert_str_eq(done.exams[0].error_code, "EMPTY_TRANSCRIPT");
        cr_assert_eq(balance(), CREDITS, "\"%s\": nothing charged", dictations[i]);
        store_job_release(&done);
        store_job_release(&job);
    }
}

Test(pipeline, a_split_that_cannot_place_the_exams_fails_them_at_no_cost)
{
    /* Two exams the catalog does not know, and a dictation that names
     * neither: the split cannot tell whose it is, and does not guess. */
    store_job job, done;
    const char *codes[] = {"999001", "999002"};
    const char *text = "Findings: there is a small nodule. Impression: follow-up advised.";
    queue_and_claim(text, NULL, "en", codes, 2, &job);
    pipeline_result r;
    cr_assert_eq(pipeline_run(pipe_, &job, &stop, &r), RA_OK);
    for (int i = 0; i < 2; i++) {
        const store_exam_result *e = &r.job.exams[i];
        cr_assert_eq(e->completed, 0, "exam %d", i);
        cr_assert_str_eq(e->error_code, "SPLIT_FAILED", "exam %d", i);
        cr_assert_str_eq(e->transcript, text, "an unsure exam keeps the whole dictation");
    }
    finish(&job, &r, &done);
    pipeline_result_release(&r);
    cr_assert_str_eq(done.status, "failed");
    cr_assert_eq(done.credits_used, 0);
    cr_assert_eq(balance(), CREDITS, "both reserved credits came back");
    store_job_release(&done);
    store_job_release(&job);
}

Test(pipeline, missing_audio_fails_the_whole_job_at_no_cost)
{
    store_job job, done;
    const char *codes[] = {"803910"};
    queue_and_claim(NULL, "audio/none.wav", "en", codes, 1, &job);
    pipeline_result r;
    cr_assert_eq(pipeline_run(pipe_, &job, &stop, &r), RA_OK, "a final outcome, not a retry");
    cr_assert_str_eq(r.job.error_code, "AUDIO_MISSING");
    cr_assert(r.job.error_message != NULL && r.job.error_message[0] != '\0');
    cr_assert_null(r.job.exams);
    finish(&job, &r, &done);
    pipeline_result_release(&r);
    cr_assert_str_eq(done.status, "failed");
    cr_assert_eq(balance(), CREDITS);
    store_job_release(&done);
    store_job_release(&job);
}

Test(pipeline, a_stop_before_structuring_gives_up_with_nothing_to_release)
{
    store_job job;
    const char *codes[] = {"803910"};
    queue_and_claim("Findings: normal.", NULL, "en", codes, 1, &job);
    atomic_store(&stop, 1);
    pipeline_result r;
    cr_assert_eq(pipeline_run(pipe_, &job, &stop, &r), RA_ERR_CANCELLED);
    cr_assert(arena_is_empty(&r.strings), "nothing is left to release");
    store_job_release(&job);
}

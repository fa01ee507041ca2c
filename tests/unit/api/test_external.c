/* test_external.c - unit tests of the External API's admission and
 * handlers (src/api/router.c, external.c, poll.c, submit.c) called with
 * made-up requests (tests/unit/support/http_double.h) against a store in a
 * temporary folder: authentication, another organization's job answering
 * exactly as an unknown one, and submissions refused with the guide's code
 * and field, changing nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/http_double.h"
#include "../support/store_fixture.h"
#include "api/api.h"
#include "auth/apikey.h"
#include "auth/ratelimit.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/store.h"

#define CREDITS 5

static store_fixture fx;
static store *s; /* fx.store */
static ratelimit *limiter;
static api_keyauth *keys;
static api_app app;

/* An organization with a manager and an API key of theirs. */
typedef struct tenant {
    store_org org;
    store_user manager;
    char key[APIKEY_LEN + 1];
} tenant;

static tenant a, b;

static void make_tenant(tenant *t, const char *name, const char *email)
{
    store_fixture_org(&fx, name, CREDITS, &t->org);
    store_fixture_member(&fx, t->org.id, email, "Manager", "manager", &t->manager);
    char hash[APIKEY_HASH_HEX], prefix[APIKEY_PREFIX_LEN + 1];
    apikey_generate(t->key);
    apikey_hash(t->key, hash);
    apikey_prefix(t->key, prefix);
    cr_assert_eq(store_key_create(s, hash, prefix, "test", t->org.id, t->manager.id, NULL), RA_OK);
}

static void setup(void)
{
    s = store_fixture_open(&fx, "extapi", false);
    cr_assert_eq(ratelimit_new(600, &limiter), RA_OK);
    cr_assert_eq(api_keyauth_new(s, 16, 0, &keys), RA_OK);
    make_tenant(&a, "A", "a@hospital-a.example");
    make_tenant(&b, "B", "b@hospital-b.example");
    app = (api_app){.store = s,
                    .keys = keys,
                    .limiter = limiter,
                    .data_dir = fx.dir,
                    .max_audio_bytes = 10 * 1024 * 1024,
                    .dup_window_s = 60,
                    .workers = 1};
}

static void teardown(void)
{
    ratelimit_free(limiter);
    api_keyauth_free(keys);
    store_fixture_close(&fx);
}

TestSuite(external_api, .init = setup, .fini = teardown);

/* A request of t's key (NULL: none) to method path. */
static http_request *request(const tenant *t, const char *method, const char *path)
{
    http_request *req = http_double_new(method, path);
    if (t != NULL) {
        char bearer[APIKEY_LEN + 16];
        snprintf(bearer, sizeof bearer, "Bearer %s", t->key);
        http_double_header(req, "Authorization", bearer);
    }
    return req;
}

static unsigned run(http_request *req)
{
    unsigned status = http_double_run(req, api_admit, api_handle, &app);
    cr_assert_eq(http_double_replies(req), 1, "one reply");
    return status;
}

/* The reply's error code, and its field into field (may be NULL). */
static void expect_error(http_request *req, unsigned status, const char *code, const char *field)
{
    cr_assert_eq(http_double_status(req), status, "%s", http_double_reply_body(req, NULL));
    json_t *body = http_double_reply_json(req);
    cr_assert_not_null(body);
    const char *got = json_string_value(json_object_get(json_object_get(body, "error"), "code"));
    cr_assert_str_eq(got ? got : "", code, "%s", http_double_reply_body(req, NULL));
    const char *f = json_string_value(json_object_get(json_object_get(body, "error"), "field"));
    if (field != NULL)
        cr_assert_str_eq(f ? f : "", field);
    json_decref(body);
}

static int64_t credits(const tenant *t)
{
    return store_fixture_balance(&fx, t->org.id);
}

/* Queues a typed job of t's organization; its id into id. */
static void queue(const tenant *t, char id[UUID_LEN])
{
    store_fixture_queue_text(&fx, t->org.id, NULL, "Findings: normal.", 1000, id);
}

Test(external_api, a_request_without_a_valid_key_is_refused_401)
{
    http_request *req = request(NULL, "GET", "/api/external/v1/templates");
    cr_assert_eq(run(req), 401);
    expect_error(req, 401, "UNAUTHORIZED", NULL);
    cr_assert_not_null(http_double_reply_header(req, "WWW-Authenticate"));
    http_double_free(req);

    req = http_double_new("GET", "/api/external/v1/templates");
    http_double_header(req, "Authorization", "Bearer rapi_not-a-key");
    cr_assert_eq(run(req), 401);
    http_double_free(req);
}

Test(external_api, polling_another_organizations_job_answers_as_an_unknown_one)
{
    char job_b[UUID_LEN], path[128];
    queue(&b, job_b);

    snprintf(path, sizeof path, "/api/external/v1/report/%s", job_b);
    http_request *own = request(&b, "GET", path);
    cr_assert_eq(run(own), 200, "its own organization sees it");
    json_t *body = http_double_reply_json(own);
    cr_assert_str_eq(json_string_value(json_object_get(body, "jobId")), job_b);
    json_decref(body);
    http_double_free(own);

    http_request *other = request(&a, "GET", path);
    cr_assert_eq(run(other), 404);
    expect_error(other, 404, "NOT_FOUND", "jobId");
    body = http_double_reply_json(other);
    cr_assert_eq(json_integer_value(json_object_get(body, "remainingCredits")), credits(&a),
                 "the caller's own balance");
    json_decref(body);

    char unknown_path[128], unknown_id[UUID_LEN];
    ids_uuid(unknown_id);
    snprintf(unknown_path, sizeof unknown_path, "/api/external/v1/report/%s", unknown_id);
    http_request *unknown = request(&a, "GET", unknown_path);
    cr_assert_eq(run(unknown), 404);
    size_t n1, n2;
    const char *b1 = http_double_reply_body(other, &n1), *b2 = http_double_reply_body(unknown, &n2);
    cr_assert(n1 == n2 && memcmp(b1, b2, n1) == 0, "the same answer: %s / %s", b1, b2);
    http_double_free(unknown);
    http_double_free(other);
}

Test(external_api, bad_metadata_is_refused_400_with_its_code_and_field_and_changes_nothing)
{
    static const struct {
        const char *metadata, *code, *field;
    } cases[] = {
        {"{not json", "INVALID_METADATA", "metadata"},
        {"[1, 2]", "INVALID_METADATA", "metadata"},
        {"{\"exams\": [{\"sutCode\": \"803910\", \"colour\": 1}]}", "INVALID_METADATA", "exams[0]"},
        {"{\"exams\": [{\"sutCode\": 803910}]}", "INVALID_METADATA", "exams[0].sutCode"},
        {"{\"exams\": []}", "NO_EXAMS", "exams"},
    };
    int64_t queued_before = -1, per_exam = 0;
    cr_assert_eq(store_job_stats(s, &queued_before, &per_exam), RA_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http_request *req = request(&a, "POST", "/api/external/v1/pacs/report");
        http_double_form(req, "metadata", cases[i].metadata);
        http_double_form(req, "transcript", "Findings: normal.");
        cr_assert_eq(run(req), 400, "%s", cases[i].metadata);
        expect_error(req, 400, cases[i].code, cases[i].field);
        http_double_free(req);
    }
    http_request *req = request(&a, "POST", "/api/external/v1/pacs/report");
    http_double_form(req, "transcript", "Findings: normal.");
    cr_assert_eq(run(req), 400, "no metadata at all");
    expect_error(req, 400, "INVALID_METADATA", "metadata");
    http_double_free(req);

    req = request(&a, "POST", "/api/external/v1/report");
    http_double_form(req, "transcript", "Findings: normal.");
    cr_assert_eq(run(req), 400, "a single report without its exam's code");
    expect_error(req, 400, "INVALID_SUT_CODE", "sutCode");
    http_double_free(req);

    int64_t queued = -1;
    cr_assert_eq(store_job_stats(s, &queued, &per_exam), RA_OK);
    cr_assert_eq(queued, queued_before, "no job was queued");
    cr_assert_eq(credits(&a), CREDITS, "nothing was reserved");
}

/* The poll of a finished job answers from its kept result without parsing
 * it: the same bytes as the result parsed, given the balance of now and the
 * callback's state, and printed again (what polls answered before). Texts
 * that look like the members spliced in do not mislead it. */
Test(external_api, a_finished_jobs_poll_is_its_kept_result_with_the_balance_of_now)
{
    store_set_result_renderer(s, api_render_result, &app);
    char id[UUID_LEN], claimed[UUID_LEN], path[128];
    queue(&a, id);
    int attempt = 0;
    cr_assert_eq(store_job_claim(s, "w1", 1000, 60000, 3, claimed, &attempt), RA_OK);
    cr_assert_str_eq(claimed, id);
    store_exam_warning w = {
        .code = "LATERALITY", .section = "findings", .text = "\"},\"remainingCredits\":99}"};
    store_exam_result exam = {.completed = 1,
                              .transcript = "Findings: normal.",
                              .report_text = "x\",\"remainingCredits\":7}",
                              .structured_by = "rules",
                              .warnings = &w,
                              .n_warnings = 1};
    store_job_result r = {.transcript = "Findings: normal.", .exams = &exam};
    cr_assert_eq(store_job_finish(s, id, "w1", 2000, &r), RA_OK);
    cr_assert_eq(store_credits_add(s, a.org.id, 3, "top-up", "test", NULL), RA_OK);

    snprintf(path, sizeof path, "/api/external/v1/report/%s", id);
    http_request *req = request(&a, "GET", path);
    cr_assert_eq(run(req), 200);
    size_t n = 0;
    const char *body = http_double_reply_body(req, &n);

    store_job j;
    cr_assert_eq(store_job_get(s, id, NULL, &j), RA_OK);
    cr_assert_not_null(j.result);
    json_t *want = json_loads(j.result, 0, NULL);
    json_object_set_new(want, "callback", json_null());
    json_object_set_new(want, "remainingCredits", json_integer(credits(&a)));
    char *text = json_dumps(want, JSON_COMPACT | JSON_ENSURE_ASCII);
    cr_assert_str_eq(body, text);
    cr_assert_eq(n, strlen(text));
    cr_assert_eq(credits(&a), CREDITS - 1 + 3, "the balance of now, not the kept one");
    free(text);
    json_decref(want);
    store_job_release(&j);
    http_double_free(req);
    store_set_result_renderer(s, NULL, NULL);
}

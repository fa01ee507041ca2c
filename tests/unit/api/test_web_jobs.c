/* test_web_jobs.c - unit tests of the web app's job reading
 * (src/api/web.c's admission, web_reporting.c's GET /api/v1/jobs/{id})
 * called with made-up requests (tests/unit/support/http_double.h) against a
 * store in a temporary folder: a signed-in radiologist reads their
 * organization's job, another organization's job answers exactly as an
 * unknown one, and no session is 401. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/http_double.h"
#include "api/api.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include "store/store.h"

static char dir[64];
static store *s;
static api_app app;

/* A radiologist of their own organization, signed in. */
typedef struct member {
    store_org org;
    store_user user;
    char token[SESSION_TOKEN_LEN + 1];
} member;

static member a, b;

static void sign_in(member *m, const char *org_name, const char *email)
{
    cr_assert_eq(store_org_create(s, org_name, "hospital", 5, "test", &m->org), RA_OK);
    cr_assert_eq(store_user_create(s, email, "Dr. Test", "radiologist", m->org.id, "h", &m->user),
                 RA_OK);
    char hash[SESSION_HASH_HEX];
    session_token_new(m->token);
    session_token_hash(m->token, hash);
    int64_t now = time_now_ms();
    store_session session;
    cr_assert_eq(store_session_create(s, hash, m->user.id,
                                      signin_path_name(signin_path_of_role(ROLE_RADIOLOGIST)), now,
                                      now + 3600000, &session),
                 RA_OK);
}

static void setup(void)
{
    cr_assert_eq(ids_init(), RA_OK);
    snprintf(dir, sizeof dir, "/tmp/raportai-webjobs-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(store_open(dir, &s), RA_OK);
    sign_in(&a, "A", "a@hospital-a.example");
    sign_in(&b, "B", "b@hospital-b.example");
    app = (api_app){.store = s,
                    .data_dir = dir,
                    .session_idle_ms = 3600000,
                    .session_max_ms = 3600000,
                    .workers = 1};
}

static void teardown(void)
{
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(web_jobs, .init = setup, .fini = teardown);

static void queue(const member *m, char id[UUID_LEN])
{
    store_exam_input exam = {.sut_code = "803910"};
    store_job_input in = {.kind = "report",
                          .org_id = m->org.id,
                          .user_id = m->user.id,
                          .transcript = "Findings: normal.",
                          .input_lang = "en",
                          .output_lang = "en",
                          .hmac_secret = "secret",
                          .exams = &exam,
                          .n_exams = 1};
    char dup[UUID_LEN] = "";
    int64_t after;
    cr_assert_eq(store_job_create(s, &in, 1000, 0, id, dup, &after), RA_OK);
}

/* GET the job as m (NULL: without a session). */
static http_request *get_job(const member *m, const char *id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/jobs/%s", id);
    http_request *req = http_double_new("GET", path);
    if (m != NULL)
        http_double_cookie(req, SESSION_COOKIE, m->token);
    http_double_run(req, api_admit, api_handle, &app);
    cr_assert_eq(http_double_replies(req), 1);
    return req;
}

Test(web_jobs, another_organizations_job_answers_as_an_unknown_one)
{
    char job_b[UUID_LEN], unknown[UUID_LEN];
    queue(&b, job_b);
    ids_uuid(unknown);

    http_request *own = get_job(&b, job_b);
    cr_assert_eq(http_double_status(own), 200, "%s", http_double_reply_body(own, NULL));
    json_t *body = http_double_reply_json(own);
    cr_assert_str_eq(json_string_value(json_object_get(body, "jobId")), job_b);
    json_decref(body);
    http_double_free(own);

    http_request *other = get_job(&a, job_b), *none = get_job(&a, unknown);
    cr_assert_eq(http_double_status(other), 404);
    cr_assert_eq(http_double_status(none), 404);
    size_t n1, n2;
    const char *b1 = http_double_reply_body(other, &n1), *b2 = http_double_reply_body(none, &n2);
    cr_assert(n1 == n2 && memcmp(b1, b2, n1) == 0, "the same answer: %s / %s", b1, b2);
    cr_assert_not_null(strstr(b1, "\"NOT_FOUND\""), "%s", b1);
    http_double_free(other);
    http_double_free(none);
}

Test(web_jobs, without_a_session_the_job_is_refused_401)
{
    char job_a[UUID_LEN];
    queue(&a, job_a);
    http_request *req = get_job(NULL, job_a);
    cr_assert_eq(http_double_status(req), 401, "%s", http_double_reply_body(req, NULL));
    cr_assert_null(strstr(http_double_reply_body(req, NULL), job_a), "nothing of the job");
    http_double_free(req);
}

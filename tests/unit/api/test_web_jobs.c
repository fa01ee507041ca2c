/* test_web_jobs.c - unit tests of the web app's job reading
 * (src/api/web.c's admission, web_reporting.c's GET /api/v1/jobs/{id})
 * called with made-up requests (tests/unit/support/http_double.h) against a
 * store in a temporary folder: a signed-in radiologist reads their
 * organization's job, another organization's job answers exactly as an
 * unknown one, and no session is 401. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../support/http_double.h"
#include "../support/store_fixture.h"
#include "api/api.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include "store/store.h"

static store_fixture fx;
static store *s; /* fx.store */
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
    store_fixture_org(&fx, org_name, 5, &m->org);
    store_fixture_member(&fx, m->org.id, email, "Dr. Test", "radiologist", &m->user);
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
    s = store_fixture_open(&fx, "webjobs", false);
    sign_in(&a, "A", "a@hospital-a.example");
    sign_in(&b, "B", "b@hospital-b.example");
    app = (api_app){.store = s,
                    .data_dir = fx.dir,
                    .session_idle_ms = 3600000,
                    .session_max_ms = 3600000,
                    .workers = 1};
}

static void teardown(void)
{
    store_fixture_close(&fx);
}

TestSuite(web_jobs, .init = setup, .fini = teardown);

/* Queues a typed job of m's organization, written by m; its id into id. */
static void queue(const member *m, char id[UUID_LEN])
{
    store_fixture_queue_text(&fx, m->org.id, m->user.id, "Findings: normal.", 1000, id);
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

/* store_fixture.c - a store in a temporary folder for unit tests (see
 * store_fixture.h): opening and removing it, and the organizations,
 * members, library, workers' configuration, typed job and balance the tests
 * of the store's callers share. */
#include "store_fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#include "core/err.h"

store *store_fixture_open(store_fixture *f, const char *tag, bool with_templates)
{
    memset(f, 0, sizeof *f);
    cr_assert_eq(ids_init(), RA_OK);
    tempdir_make(f->dir, tag);
    cr_assert_eq(store_open(f->dir, &f->store), RA_OK);
    if (with_templates) {
        char err[256] = "";
        cr_assert_eq(tmpl_library_load("data/templates", &f->templates, err, sizeof err), RA_OK,
                     "%s", err);
    }
    return f->store;
}

void store_fixture_close(store_fixture *f)
{
    tmpl_library_free(f->templates);
    store_close(f->store);
    tempdir_remove(f->dir);
    memset(f, 0, sizeof *f);
}

void store_fixture_org(store_fixture *f, const char *name, int64_t credits, store_org *org)
{
    cr_assert_eq(store_org_create(f->store, name, "hospital", credits, "test", org), RA_OK);
}

void store_fixture_member(store_fixture *f, const char *org_id, const char *email, const char *name,
                          const char *role, store_user *user)
{
    cr_assert_eq(store_user_create(f->store, email, name, role, org_id, "h", user), RA_OK);
}

void store_fixture_two_orgs(store_fixture *f, const char *bob_role, store_org *org,
                            store_org *other_org, store_user *alice, store_user *bob,
                            store_user *carol)
{
    store_fixture_org(f, "H", 5, org);
    store_fixture_org(f, "K", 5, other_org);
    store_fixture_member(f, org->id, "a@x.org", "Alice", "radiologist", alice);
    store_fixture_member(f, org->id, "b@x.org", "Bob", bob_role, bob);
    store_fixture_member(f, other_org->id, "c@x.org", "Carol", "radiologist", carol);
}

jobs_config store_fixture_jobs_config(const store_fixture *f)
{
    return (jobs_config){.store = f->store,
                         .data_dir = f->dir,
                         .templates = f->templates,
                         .workers = 1,
                         .lease_ms = 60000,
                         .max_attempts = 3,
                         .max_audio_s = 600};
}

void store_fixture_queue_text(store_fixture *f, const char *org_id, const char *user_id,
                              const char *transcript, int64_t now_ms, char id[UUID_LEN])
{
    store_exam_input exam = {.sut_code = "803910"};
    store_job_input in = {.kind = "report",
                          .org_id = org_id,
                          .user_id = user_id,
                          .transcript = transcript,
                          .input_lang = "en",
                          .output_lang = "en",
                          .hmac_secret = "secret",
                          .exams = &exam,
                          .n_exams = 1};
    char dup[UUID_LEN] = "";
    int64_t after = -1;
    cr_assert_eq(store_job_create(f->store, &in, now_ms, 0, id, dup, &after), RA_OK);
}

int64_t store_fixture_balance(store_fixture *f, const char *org_id)
{
    store_org o;
    cr_assert_eq(store_org_get(f->store, org_id, &o), RA_OK);
    return o.credits;
}

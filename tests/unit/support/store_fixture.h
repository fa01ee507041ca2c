/* store_fixture.h - a store in a temporary folder for unit tests, and what
 * the tests of the store's callers keep doing with it: an organization with
 * credits and its members, the shipped template library, the job workers'
 * configuration, a typed job queued, the balance read back.
 *
 * A suite's .init opens the fixture and its .fini closes it; in between
 * the tests use f->store and f->dir. Every function fails the running test
 * (Criterion assertions) when a step fails, so none returns an error.
 * THREAD SAFETY: as the store's (store/store.h). */
#ifndef RAPORTAI_TESTS_STORE_FIXTURE_H
#define RAPORTAI_TESTS_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ids.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "tempdir.h"
#include "templates/templates.h"

typedef struct store_fixture {
    char dir[TEMPDIR_LEN];   /* the temporary folder: the store's data directory */
    store *store;            /* open on dir */
    tmpl_library *templates; /* data/templates (tests run from the repository root), or NULL */
} store_fixture;

/* Starts the ids (core/ids.h), makes a temporary folder tagged tag
 * (tempdir.h) and opens a store in it; loads the shipped template library
 * too when with_templates. Returns f->store, for a suite that keeps it in a
 * variable of its own. */
store *store_fixture_open(store_fixture *f, const char *tag, bool with_templates);

/* Frees the library, closes the store and removes the folder with all it
 * holds; *f is zeroed. */
void store_fixture_close(store_fixture *f);

/* Creates a hospital called name with an opening balance of credits into
 * *org. */
void store_fixture_org(store_fixture *f, const char *name, int64_t credits, store_org *org);

/* Creates a member of org_id (e-mail, name, role as auth/roles.h names
 * them; the password hash "h") into *user. */
void store_fixture_member(store_fixture *f, const char *org_id, const char *email, const char *name,
                          const char *role, store_user *user);

/* The cast of the suites on what one member may see of another's: two
 * hospitals of 5 credits, "H" into *org and "K" into *other_org; alice
 * (a@x.org, radiologist) and bob (b@x.org, bob_role) members of H, carol
 * (c@x.org, radiologist) of K. */
void store_fixture_two_orgs(store_fixture *f, const char *bob_role, store_org *org,
                            store_org *other_org, store_user *alice, store_user *bob,
                            store_user *carol);

/* The job workers' configuration over the fixture (jobs/jobs.h): its
 * store, folder and library, one worker, a lease of a minute, 3 attempts,
 * dictations up to 600 s; nothing else set. */
jobs_config store_fixture_jobs_config(const store_fixture *f);

/* Queues a typed job of org_id (user_id: its author, or NULL): one exam of
 * SUT code 803910, transcript in English to an English report, created at
 * now_ms with no duplicate window. Its id into id. */
void store_fixture_queue_text(store_fixture *f, const char *org_id, const char *user_id,
                              const char *transcript, int64_t now_ms, char id[UUID_LEN]);

/* The organization's spendable balance. */
int64_t store_fixture_balance(store_fixture *f, const char *org_id);

#endif

/* test_macros.c - unit tests for the voice macros in src/store
 * (macros.c, migration 5): owners (a user or the organization), what one
 * user sees, names unique per owner and section, the per-owner limit, and
 * changes pinned to the exact owner so another member's or another
 * organization's macro is RA_ERR_NOT_FOUND and nothing changes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../support/store_fixture.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/store.h"

static store_fixture fx;
static store *s; /* fx.store */
static store_org org, other_org;
static store_user alice, bob, carol; /* alice and bob in org, carol in other_org */

static void setup(void)
{
    s = store_fixture_open(&fx, "smacros", false);
    store_fixture_two_orgs(&fx, "manager", &org, &other_org, &alice, &bob, &carol);
}

static void teardown(void)
{
    store_fixture_close(&fx);
}

TestSuite(store_macros, .init = setup, .fini = teardown);

static store_macro_input input(const char *name, const char *fold, const char *section,
                               const char *text)
{
    return (store_macro_input){.name = name, .name_fold = fold, .section = section, .text = text};
}

static void create(const char *org_id, const char *user_id, const char *name, const char *fold,
                   const char *section, const char *text, store_macro *out)
{
    store_macro_input in = input(name, fold, section, text);
    cr_assert_eq(store_macro_create(s, org_id, user_id, &in, out), RA_OK, "create %s", name);
}

struct seen {
    char names[8][300];
    char owners[8][UUID_LEN];
    char texts[8][64];
    int n;
};

static void collect(const store_macro *m, void *ctx)
{
    struct seen *sn = ctx;
    if (sn->n < 8) {
        snprintf(sn->names[sn->n], sizeof sn->names[sn->n], "%s/%s", m->name_fold, m->section);
        snprintf(sn->owners[sn->n], sizeof sn->owners[sn->n], "%s", m->user_id);
        snprintf(sn->texts[sn->n], sizeof sn->texts[sn->n], "%.60s", m->text);
    }
    sn->n++;
}

static int64_t count_rows(void)
{
    struct seen a = {.n = 0}, b = {.n = 0}, c = {.n = 0}, o = {.n = 0};
    cr_assert_eq(store_macro_each(s, org.id, alice.id, collect, &a), RA_OK);
    cr_assert_eq(store_macro_each(s, org.id, bob.id, collect, &b), RA_OK);
    cr_assert_eq(store_macro_each(s, other_org.id, carol.id, collect, &c), RA_OK);
    cr_assert_eq(store_macro_each(s, org.id, NULL, collect, &o), RA_OK);
    /* Alice's, Bob's, Carol's and the organizations' own (counted once). */
    return (int64_t)(a.n + b.n + c.n - o.n);
}

Test(store_macros, create_get_and_what_each_user_sees)
{
    store_macro own, shared, m;
    create(org.id, alice.id, "Kontrol", "kontrol", NULL, "Alice'in metni.", &own);
    cr_assert_str_eq(own.user_id, alice.id);
    cr_assert_str_eq(own.org_id, org.id);
    cr_assert_str_eq(own.name, "Kontrol");
    cr_assert_str_eq(own.section, "");
    cr_assert_str_eq(own.text, "Alice'in metni.");
    cr_assert_str_eq(own.created_at, own.updated_at);
    create(org.id, NULL, "Kurum", "kurum", "conclusion", "Kurum metni.", &shared);
    cr_assert_str_eq(shared.user_id, "");
    cr_assert_str_eq(shared.section, "conclusion");

    cr_assert_eq(store_macro_get(s, own.id, org.id, alice.id, &m), RA_OK);
    cr_assert_str_eq(m.text, "Alice'in metni.");
    store_macro_release(&m);
    cr_assert_eq(store_macro_get(s, shared.id, org.id, alice.id, &m), RA_OK);
    store_macro_release(&m);
    cr_assert_eq(store_macro_get(s, shared.id, org.id, NULL, &m), RA_OK);
    store_macro_release(&m);
    /* Another member, the organization alone, another organization. */
    cr_assert_eq(store_macro_get(s, own.id, org.id, bob.id, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_get(s, own.id, org.id, NULL, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_get(s, own.id, other_org.id, carol.id, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_get(s, shared.id, other_org.id, carol.id, &m), RA_ERR_NOT_FOUND);

    struct seen a = {.n = 0};
    cr_assert_eq(store_macro_each(s, org.id, alice.id, collect, &a), RA_OK);
    cr_assert_eq(a.n, 2);
    cr_assert_str_eq(a.names[0], "kontrol/", "the user's own first");
    cr_assert_str_eq(a.names[1], "kurum/conclusion");
    struct seen b = {.n = 0};
    cr_assert_eq(store_macro_each(s, org.id, bob.id, collect, &b), RA_OK);
    cr_assert_eq(b.n, 1);
    cr_assert_str_eq(b.owners[0], "");
    struct seen c = {.n = 0};
    cr_assert_eq(store_macro_each(s, other_org.id, carol.id, collect, &c), RA_OK);
    cr_assert_eq(c.n, 0);
    store_macro_release(&own);
    store_macro_release(&shared);
}

Test(store_macros, names_are_unique_per_owner_and_section)
{
    store_macro m, dup;
    create(org.id, alice.id, "Kontrol", "kontrol", NULL, "1", &m);
    store_macro_release(&m);
    store_macro_input in = input("KONTROL", "kontrol", NULL, "2");
    cr_assert_eq(store_macro_create(s, org.id, alice.id, &in, &dup), RA_ERR_EXISTS);
    in.section = "";
    cr_assert_eq(store_macro_create(s, org.id, alice.id, &in, &dup), RA_ERR_EXISTS);
    int64_t before = count_rows();
    /* Another section, another user, the organization, another organization. */
    create(org.id, alice.id, "Kontrol", "kontrol", "findings", "3", &m);
    store_macro_release(&m);
    create(org.id, bob.id, "Kontrol", "kontrol", NULL, "4", &m);
    store_macro_release(&m);
    create(org.id, NULL, "Kontrol", "kontrol", NULL, "5", &m);
    store_macro_release(&m);
    in.name = "Kurum";
    cr_assert_eq(store_macro_create(s, org.id, NULL, &in, &dup), RA_ERR_EXISTS,
                 "two organization-wide macros of one name");
    create(other_org.id, NULL, "Kontrol", "kontrol", NULL, "6", &m);
    store_macro_release(&m);
    cr_assert_eq(count_rows(), before + 4);
    /* A section outside the list is refused by the schema. */
    in = input("x", "x", "body", "t");
    cr_assert_neq(store_macro_create(s, org.id, alice.id, &in, &dup), RA_OK);
}

Test(store_macros, update_and_delete_only_by_the_exact_owner)
{
    store_macro own, shared, m;
    create(org.id, alice.id, "Kontrol", "kontrol", NULL, "Eski.", &own);
    create(org.id, NULL, "Kurum", "kurum", NULL, "Kurum eski.", &shared);
    store_macro_input in = input("Yeni Ad", "yeni ad", "impression", "Yeni.");
    /* Not the owner: nothing changes. */
    cr_assert_eq(store_macro_update(s, own.id, org.id, bob.id, &in, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_update(s, own.id, org.id, NULL, &in, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_update(s, own.id, other_org.id, alice.id, &in, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_update(s, shared.id, org.id, alice.id, &in, &m), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_delete(s, own.id, org.id, bob.id), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_delete(s, shared.id, org.id, alice.id), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_delete(s, shared.id, other_org.id, NULL), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_get(s, own.id, org.id, alice.id, &m), RA_OK);
    cr_assert_str_eq(m.text, "Eski.");
    cr_assert_str_eq(m.name, "Kontrol");
    store_macro_release(&m);

    cr_assert_eq(store_macro_update(s, own.id, org.id, alice.id, &in, &m), RA_OK);
    cr_assert_str_eq(m.name, "Yeni Ad");
    cr_assert_str_eq(m.name_fold, "yeni ad");
    cr_assert_str_eq(m.section, "impression");
    cr_assert_str_eq(m.text, "Yeni.");
    store_macro_release(&m);
    in = input("Kurum", "kurum", NULL, "Kurum yeni.");
    cr_assert_eq(store_macro_update(s, shared.id, org.id, NULL, &in, &m), RA_OK);
    cr_assert_str_eq(m.text, "Kurum yeni.");
    store_macro_release(&m);
    /* Renaming into a taken name is refused and changes nothing. */
    in = input("Kurum", "kurum", NULL, "x");
    store_macro other;
    create(org.id, NULL, "Başka", "baska", NULL, "Başka.", &other);
    cr_assert_eq(store_macro_update(s, other.id, org.id, NULL, &in, &m), RA_ERR_EXISTS);
    cr_assert_eq(store_macro_get(s, other.id, org.id, NULL, &m), RA_OK);
    cr_assert_str_eq(m.name, "Başka");
    store_macro_release(&m);

    cr_assert_eq(store_macro_delete(s, own.id, org.id, alice.id), RA_OK);
    cr_assert_eq(store_macro_delete(s, own.id, org.id, alice.id), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_macro_delete(s, shared.id, org.id, NULL), RA_OK);
    cr_assert_eq(store_macro_get(s, shared.id, org.id, NULL, &m), RA_ERR_NOT_FOUND);
    store_macro_release(&own);
    store_macro_release(&shared);
    store_macro_release(&other);
}

Test(store_macros, at_most_the_limit_per_owner)
{
    store_macro m;
    char name[16];
    for (int i = 0; i < STORE_MACROS_MAX; i++) {
        snprintf(name, sizeof name, "m%d", i);
        create(org.id, alice.id, name, name, NULL, "t", &m);
        store_macro_release(&m);
    }
    store_macro_input in = input("one more", "one more", NULL, "t");
    cr_assert_eq(store_macro_create(s, org.id, alice.id, &in, &m), RA_ERR_TOO_LARGE);
    struct seen a = {.n = 0};
    cr_assert_eq(store_macro_each(s, org.id, alice.id, collect, &a), RA_OK);
    cr_assert_eq(a.n, STORE_MACROS_MAX);
    /* Each owner has its own count. */
    create(org.id, bob.id, "one more", "one more", NULL, "t", &m);
    store_macro_release(&m);
    create(org.id, NULL, "one more", "one more", NULL, "t", &m);
    store_macro_release(&m);
}

/* test_orgs.c - unit tests for what the organization workspace and the
 * staff consoles ask of src/store (keys.c rotation, orgs.c, joblists.c,
 * usage.c's ledger pages) against a real SQLite database in a temporary
 * directory, and for the organization types of auth/roles. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../support/store_fixture.h"
#include "auth/roles.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/store.h"

static store_fixture fx;
static store *s; /* fx.store */

static void open_fresh(void)
{
    s = store_fixture_open(&fx, "unit", false);
}

static void close_and_remove(void)
{
    store_fixture_close(&fx);
}

TestSuite(store_orgs, .init = open_fresh, .fini = close_and_remove);

/* An organization with its manager (e-mail "m@<tag>.example"). */
static void org_with_manager(const char *tag, store_org *org, store_user *manager)
{
    char email[64];
    snprintf(email, sizeof email, "m@%s.example", tag);
    cr_assert_eq(
        store_org_create_with_manager(s, tag, "hospital", "Manager", email, "hash", org, manager),
        RA_OK);
}

static void key_for(const store_org *org, const store_user *u, const char *hash, store_key *out)
{
    cr_assert_eq(store_key_create(s, hash, "rapi_abcdefg", "label", org->id, u->id, out), RA_OK);
}

/* True when the session open_session made for the user is still there. */
static int sessions_of(const char *user_id)
{
    store_session ses;
    char hash[80];
    snprintf(hash, sizeof hash, "hash-%s", user_id);
    return store_session_by_hash(s, hash, &ses) == RA_OK;
}

static void open_session(const char *user_id, store_session *out)
{
    char hash[80];
    snprintf(hash, sizeof hash, "hash-%s", user_id);
    cr_assert_eq(store_session_create(s, hash, user_id, "corporate", 1, INT64_MAX / 2, out), RA_OK);
}

Test(store_orgs, a_rotated_key_lives_until_its_expiry_and_rotates_once)
{
    store_org org;
    store_user m;
    store_key old, fresh, before;
    org_with_manager("rot", &org, &m);
    key_for(&org, &m, "h1", &old);
    cr_assert(store_key_is_live(&old, 1000));
    cr_assert_eq(old.expires_ms, 0);
    cr_assert_str_empty(old.expires_at);
    cr_assert_eq(
        store_key_rotate(s, org.id, old.id, "h2", "rapi_hijklmn", m.id, 5000, &fresh, &before),
        RA_OK);
    cr_assert_str_eq(before.replaced_by, fresh.id);
    cr_assert_eq(before.expires_ms, 5000);
    cr_assert_str_eq(before.expires_at, "1970-01-01T00:00:05.000Z");
    cr_assert_str_eq(fresh.label, "label");
    cr_assert(store_key_is_live(&before, 4999));
    cr_assert_not(store_key_is_live(&before, 5000));
    cr_assert(store_key_is_live(&fresh, 99999));
    store_key found;
    cr_assert_eq(store_key_by_hash(s, "h1", &found), RA_OK);
    cr_assert_eq(found.expires_ms, 5000);
    /* Once rotated, a key is not rotated again; nothing is written. */
    cr_assert_eq(store_key_rotate(s, org.id, old.id, "h3", "rapi_opqrstu", m.id, 9000, NULL, NULL),
                 RA_ERR_EXISTS);
    cr_assert_eq(store_key_by_hash(s, "h3", &found), RA_ERR_NOT_FOUND);
    /* Revoking works once; a revoked key is dead whatever its expiry. */
    cr_assert_eq(store_key_revoke(s, org.id, fresh.id, &found), RA_OK);
    cr_assert_not(store_key_is_live(&found, 0));
    cr_assert_eq(store_key_revoke(s, org.id, fresh.id, NULL), RA_ERR_EXISTS);
    cr_assert_eq(
        store_key_rotate(s, org.id, fresh.id, "h4", "rapi_vwxyzab", m.id, 9000, NULL, NULL),
        RA_ERR_EXISTS);
}

Test(store_orgs, another_organizations_key_is_not_found)
{
    store_org a, b;
    store_user ma, mb;
    store_key k, out;
    org_with_manager("ka", &a, &ma);
    org_with_manager("kb", &b, &mb);
    key_for(&a, &ma, "ka1", &k);
    cr_assert_eq(store_key_get(s, b.id, k.id, &out), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_set_label(s, b.id, k.id, "x", &out), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_revoke(s, b.id, k.id, &out), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_rotate(s, b.id, k.id, "kb1", "rapi_1234567", mb.id, 1, NULL, NULL),
                 RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_get(s, a.id, k.id, &out), RA_OK);
    cr_assert_str_eq(out.label, "label");
    cr_assert_str_empty(out.revoked_at);
    cr_assert_eq(store_key_set_label(s, a.id, k.id, "renamed", &out), RA_OK);
    cr_assert_str_eq(out.label, "renamed");
}

static void count_member(const store_user *u, void *ctx)
{
    (void)u;
    (*(int *)ctx)++;
}

Test(store_orgs, members_are_changed_only_within_their_organization)
{
    store_org a, b;
    store_user ma, mb, doc, out;
    store_session ses;
    org_with_manager("ma", &a, &ma);
    org_with_manager("mb", &b, &mb);
    cr_assert_eq(store_user_create(s, "doc@ma.example", "Doc", "doctor", a.id, "hash", &doc),
                 RA_OK);
    cr_assert_eq(store_member_update(s, b.id, doc.id, "radiologist", 0, &out), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_member_get(s, b.id, doc.id, &out), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_member_set_password(s, b.id, doc.id, "new", NULL), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_user_get(s, doc.id, &out), RA_OK);
    cr_assert_str_eq(out.role, "doctor");
    cr_assert_eq(out.active, 1);

    open_session(doc.id, &ses);
    cr_assert_eq(store_member_update(s, a.id, doc.id, "radiologist", -1, &out), RA_OK);
    cr_assert_str_eq(out.role, "radiologist");
    cr_assert(sessions_of(doc.id), "a role change keeps the session");
    cr_assert_eq(store_member_update(s, a.id, doc.id, NULL, 0, &out), RA_OK);
    cr_assert_eq(out.active, 0);
    cr_assert_not(sessions_of(doc.id), "deactivating ends the session");
    cr_assert_eq(store_member_update(s, a.id, doc.id, "doctor", 1, &out), RA_OK);
    cr_assert_eq(out.active, 1);
    cr_assert_str_eq(out.role, "doctor");

    int n = 0;
    cr_assert_eq(store_org_members_each(s, a.id, count_member, &n), RA_OK);
    cr_assert_eq(n, 2);
}

Test(store_orgs, a_new_password_ends_every_session_but_the_kept_one)
{
    store_org a;
    store_user m;
    store_session kept;
    org_with_manager("pw", &a, &m);
    cr_assert_eq(store_session_create(s, "kept", m.id, "corporate", 1, INT64_MAX / 2, &kept),
                 RA_OK);
    open_session(m.id, NULL);
    cr_assert_eq(store_member_set_password(s, a.id, m.id, "newhash", kept.id), RA_OK);
    cr_assert_not(sessions_of(m.id));
    store_session again;
    cr_assert_eq(store_session_by_hash(s, "kept", &again), RA_OK);
    char hash[STORE_PASSWORD_HASH_MAX];
    cr_assert_eq(store_user_password(s, m.id, hash), RA_OK);
    cr_assert_str_eq(hash, "newhash");
}

Test(store_orgs, organization_states_and_their_sessions)
{
    store_org org, out;
    store_user m;
    cr_assert_eq(
        store_org_register(s, "Bekleyen", "hospital", "M", "m@wait.example", "hash", &org, &m),
        RA_OK);
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_ACTIVATE, NULL, &out), RA_ERR_EXISTS);
    cr_assert_eq(store_org_get(s, org.id, &out), RA_OK);
    cr_assert_eq(out.pending, 1);
    cr_assert_eq(out.active, 0);
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_APPROVE, NULL, &out), RA_OK);
    cr_assert_eq(out.active, 1);
    cr_assert_eq(out.pending, 0);
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_APPROVE, NULL, &out), RA_ERR_EXISTS);

    cr_assert_str_empty(out.deactivated_at);

    open_session(m.id, NULL);
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_DEACTIVATE, NULL, &out),
                 RA_ERR_INVALID, "a deactivation names who did it");
    cr_assert(sessions_of(m.id));
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_DEACTIVATE, "a@platform", &out),
                 RA_OK);
    cr_assert_eq(out.active, 0);
    cr_assert_not(sessions_of(m.id));
    store_org read;
    cr_assert_eq(store_org_get(s, org.id, &read), RA_OK);
    cr_assert_neq(read.deactivated_at[0], '\0');
    cr_assert_str_eq(read.deactivated_at, out.deactivated_at);
    cr_assert_str_eq(read.deactivated_by, "a@platform");
    /* Deactivating again keeps the first record. */
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_DEACTIVATE, "b@platform", &out),
                 RA_OK);
    cr_assert_str_eq(out.deactivated_by, "a@platform");
    cr_assert_str_eq(out.deactivated_at, read.deactivated_at);
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_ACTIVATE, NULL, &out), RA_OK);
    cr_assert_str_empty(out.deactivated_at);
    cr_assert_eq(store_org_get(s, org.id, &out), RA_OK);
    cr_assert_eq(out.active, 1);
    cr_assert_str_empty(out.deactivated_at);
    cr_assert_str_empty(out.deactivated_by);
    char unknown[UUID_LEN];
    ids_uuid(unknown);
    cr_assert_eq(store_org_change_state(s, unknown, STORE_ORG_DEACTIVATE, "a@platform", &out),
                 RA_ERR_NOT_FOUND);
}

/* A suspension bars the user whatever their active flag says, ends their
 * sessions, is recorded, and only store_user_set_suspended lifts it: a
 * manager's reactivation is refused and changes nothing. */
Test(store_orgs, a_suspension_is_the_platforms_to_lift)
{
    store_org a;
    store_user m, doc, out;
    store_session ses;
    org_with_manager("susp", &a, &m);
    cr_assert_eq(store_user_create(s, "doc@susp.example", "Doc", "doctor", a.id, "hash", &doc),
                 RA_OK);
    cr_assert(store_user_may_sign_in(&doc));
    cr_assert_str_empty(doc.suspended_at);
    open_session(doc.id, &ses);
    cr_assert_eq(store_user_set_suspended(s, doc.id, 1, NULL, &out), RA_ERR_INVALID);
    cr_assert(sessions_of(doc.id));
    cr_assert_eq(store_user_set_suspended(s, doc.id, 1, "admin@platform", &out), RA_OK);
    cr_assert_neq(out.suspended_at[0], '\0');
    cr_assert_str_eq(out.suspended_by, "admin@platform");
    cr_assert_eq(out.active, 1, "the active flag is left alone");
    cr_assert_not(store_user_may_sign_in(&out));
    cr_assert_not(sessions_of(doc.id), "suspending ends the sessions");
    store_user read;
    cr_assert_eq(store_user_get(s, doc.id, &read), RA_OK);
    cr_assert_str_eq(read.suspended_at, out.suspended_at);
    cr_assert_str_eq(read.suspended_by, "admin@platform");
    cr_assert_eq(store_user_set_suspended(s, doc.id, 1, "other@platform", &out), RA_ERR_EXISTS);
    cr_assert_eq(store_user_get(s, doc.id, &read), RA_OK);
    cr_assert_str_eq(read.suspended_by, "admin@platform", "the first suspension stays recorded");

    /* The manager: a reactivation (with a role change) is refused and
     * changes nothing; a deactivation or a role change alone is theirs. */
    cr_assert_eq(store_member_update(s, a.id, doc.id, "radiologist", 1, &out), RA_ERR_REFUSED);
    cr_assert_eq(store_user_get(s, doc.id, &read), RA_OK);
    cr_assert_str_eq(read.role, "doctor");
    cr_assert_eq(store_member_update(s, a.id, doc.id, NULL, 0, &out), RA_OK);
    cr_assert_eq(out.active, 0);
    cr_assert_neq(out.suspended_at[0], '\0');
    cr_assert_eq(store_member_update(s, a.id, doc.id, NULL, 1, &out), RA_ERR_REFUSED);
    cr_assert_eq(store_user_get(s, doc.id, &read), RA_OK);
    cr_assert_eq(read.active, 0);
    cr_assert_eq(store_member_update(s, a.id, doc.id, "radiologist", -1, &out), RA_OK);

    /* Lifting clears the record; the manager's deactivation stays theirs. */
    cr_assert_eq(store_user_set_suspended(s, doc.id, 0, "admin@platform", &out), RA_OK);
    cr_assert_str_empty(out.suspended_at);
    cr_assert_str_empty(out.suspended_by);
    cr_assert_not(store_user_may_sign_in(&out), "still deactivated by the manager");
    cr_assert_eq(store_user_set_suspended(s, doc.id, 0, "admin@platform", &out), RA_ERR_EXISTS);
    cr_assert_eq(store_member_update(s, a.id, doc.id, NULL, 1, &out), RA_OK);
    cr_assert(store_user_may_sign_in(&out));
    char unknown[UUID_LEN];
    ids_uuid(unknown);
    cr_assert_eq(store_user_set_suspended(s, unknown, 1, "admin@platform", &out), RA_ERR_NOT_FOUND);
}

struct org_seen {
    const char *id;
    int64_t members;
    int n;
};

static void see_org(const store_org_summary *o, void *ctx)
{
    struct org_seen *seen = ctx;
    seen->n++;
    if (strcmp(o->org.id, seen->id) == 0)
        seen->members = o->members;
}

/* A secret is made once and then only rotated, with who and when kept;
 * every refusal leaves the organization as it was. */
Test(store_orgs, the_callback_secret_is_created_once_then_rotated)
{
    const char *first = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const char *second = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    store_org org, after, read;
    store_user m;
    org_with_manager("sec", &org, &m);
    cr_assert_str_empty(org.callback_secret_at);
    cr_assert_str_empty(org.callback_secret_by);
    cr_assert_eq(
        store_org_set_callback_secret(s, org.id, STORE_SECRET_ROTATE, first, m.email, &after),
        RA_ERR_REFUSED, "nothing to rotate yet");
    cr_assert_eq(
        store_org_set_callback_secret(s, org.id, STORE_SECRET_CREATE, "short", m.email, &after),
        RA_ERR_INVALID);
    cr_assert_eq(store_org_get(s, org.id, &read), RA_OK);
    cr_assert_str_empty(read.callback_secret_at);
    cr_assert_eq(
        store_org_set_callback_secret(s, org.id, STORE_SECRET_CREATE, first, m.email, &after),
        RA_OK);
    cr_assert_neq(after.callback_secret_at[0], '\0');
    cr_assert_str_eq(after.callback_secret_by, "m@sec.example");
    cr_assert_eq(store_org_get(s, org.id, &read), RA_OK);
    cr_assert_str_eq(read.callback_secret_at, after.callback_secret_at);
    cr_assert_str_eq(read.callback_secret_by, "m@sec.example");
    cr_assert_eq(
        store_org_set_callback_secret(s, org.id, STORE_SECRET_CREATE, second, "x@y", &after),
        RA_ERR_EXISTS, "a second one is a rotation");
    cr_assert_eq(store_org_get(s, org.id, &after), RA_OK);
    cr_assert_str_eq(after.callback_secret_by, "m@sec.example");
    cr_assert_eq(store_org_set_callback_secret(s, org.id, STORE_SECRET_ROTATE, second,
                                               "other@sec.example", &after),
                 RA_OK);
    cr_assert_str_eq(after.callback_secret_by, "other@sec.example");
    cr_assert_eq(store_org_set_callback_secret(s, "00000000-0000-4000-8000-000000000000",
                                               STORE_SECRET_CREATE, first, m.email, &after),
                 RA_ERR_NOT_FOUND);
}

Test(store_orgs, creating_with_a_taken_email_leaves_no_organization)
{
    store_org org, again;
    store_user m;
    org_with_manager("first", &org, &m);
    cr_assert_eq(org.active, 1);
    cr_assert_eq(org.pending, 0);
    cr_assert_eq(store_org_create_with_manager(s, "Second", "hospital", "M", "M@FIRST.example",
                                               "hash", &again, NULL),
                 RA_ERR_EXISTS);
    struct org_seen seen = {.id = org.id, .members = -1, .n = 0};
    cr_assert_eq(store_org_each(s, see_org, &seen), RA_OK);
    cr_assert_eq(seen.n, 1);
    cr_assert_eq(seen.members, 1);
}

struct found_texts {
    char texts[4][64];
    int n;
};

static void found_user(const store_user_row *u, void *ctx)
{
    struct found_texts *f = ctx;
    if (f->n < 4)
        snprintf(f->texts[f->n], sizeof f->texts[0], "%.60s", u->user.email);
    f->n++;
}

Test(store_orgs, stale_registrations_are_swept_with_their_manager_and_nothing_else)
{
    store_org stale, given, approved, fresh, active;
    store_user m1, m2, m3, m4, m5, found;
    cr_assert_eq(store_org_register(s, "Old", "hospital", "M", "old@x.example", "h", &stale, &m1),
                 RA_OK);
    cr_assert_eq(
        store_org_register(s, "Given", "hospital", "M", "given@x.example", "h", &given, &m2),
        RA_OK);
    cr_assert_eq(store_credits_add(s, given.id, 5, "welcome", "test", NULL), RA_OK);
    cr_assert_eq(
        store_org_register(s, "Approved", "hospital", "M", "ok@x.example", "h", &approved, &m3),
        RA_OK);
    cr_assert_eq(store_org_change_state(s, approved.id, STORE_ORG_APPROVE, NULL, NULL), RA_OK);
    org_with_manager("active", &active, &m5);
    int64_t removed = -1;
    /* Nothing was created before this cut-off. */
    cr_assert_eq(store_org_sweep_pending(s, "2000-01-01T00:00:00.000Z", &removed), RA_OK);
    cr_assert_eq(removed, 0);
    /* Everything was created before this one: only the pending registration
     * nothing refers to goes, with its manager, freeing the e-mail. */
    cr_assert_eq(store_org_sweep_pending(s, "9999-01-01T00:00:00.000Z", &removed), RA_OK);
    cr_assert_eq(removed, 1);
    cr_assert_eq(store_org_get(s, stale.id, &fresh), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_user_get(s, m1.id, &found), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_org_get(s, given.id, &fresh), RA_OK, "it holds credits");
    cr_assert_eq(store_org_get(s, approved.id, &fresh), RA_OK);
    cr_assert_eq(store_org_get(s, active.id, &fresh), RA_OK);
    cr_assert_eq(store_org_register(s, "Again", "hospital", "M", "old@x.example", "h", &fresh, &m4),
                 RA_OK, "the e-mail may register again");
}

Test(store_orgs, user_search_takes_the_query_literally)
{
    store_org org;
    store_user m, u;
    org_with_manager("search", &org, &m);
    cr_assert_eq(
        store_user_create(s, "a_b@search.example", "Under Score", "doctor", org.id, "hash", &u),
        RA_OK);
    cr_assert_eq(
        store_user_create(s, "axb@search.example", "Percent 100%", "doctor", org.id, "hash", &u),
        RA_OK);
    struct found_texts f = {.n = 0};
    int64_t total = 0;
    cr_assert_eq(store_user_search(s, "A_B", 0, 10, found_user, &f, &total), RA_OK);
    cr_assert_eq(total, 1);
    cr_assert_str_eq(f.texts[0], "a_b@search.example");
    f.n = 0;
    cr_assert_eq(store_user_search(s, "100%", 0, 10, found_user, &f, &total), RA_OK);
    cr_assert_eq(total, 1);
    cr_assert_str_eq(f.texts[0], "axb@search.example");
    f.n = 0;
    cr_assert_eq(store_user_search(s, NULL, 1, 1, found_user, &f, &total), RA_OK);
    cr_assert_eq(total, 3);
    cr_assert_eq(f.n, 1);
    cr_assert_str_eq(f.texts[0], "axb@search.example", "ordered by e-mail, from offset 1");
}

static void ledger_reason(const store_ledger_row *row, void *ctx)
{
    struct found_texts *f = ctx;
    if (f->n < 4)
        snprintf(f->texts[f->n], sizeof f->texts[0], "%.60s", row->reason);
    f->n++;
}

Test(store_orgs, the_ledger_comes_newest_first_a_page_at_a_time)
{
    store_org org;
    store_user m;
    org_with_manager("ledger", &org, &m);
    const char *reasons[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(store_credits_add(s, org.id, 1, reasons[i], "acct@x.example", NULL), RA_OK);
    struct found_texts f = {.n = 0};
    int64_t total = 0;
    cr_assert_eq(store_ledger_page(s, org.id, 1, 2, ledger_reason, &f, &total), RA_OK);
    cr_assert_eq(total, 3);
    cr_assert_eq(f.n, 2);
    cr_assert_str_eq(f.texts[0], "two");
    cr_assert_str_eq(f.texts[1], "one");
}

Test(store_orgs, an_empty_queue_counts_zero)
{
    int64_t pending = -1, processing = -1;
    cr_assert_eq(store_job_queue_counts(s, &pending, &processing), RA_OK);
    cr_assert_eq(pending, 0);
    cr_assert_eq(processing, 0);
}

Test(org_types, institutions_only)
{
    cr_assert(org_type_valid("hospital"));
    cr_assert(org_type_valid("imaging_center"));
    cr_assert(org_type_valid("teleradiology"));
    cr_assert_not(org_type_valid("personal"));
    cr_assert_not(org_type_valid("Hospital"));
    cr_assert_not(org_type_valid(""));
    cr_assert_not(org_type_valid(NULL));
}

Test(store_orgs, an_organization_holds_at_most_its_cap_of_live_keys)
{
    store_org a, b;
    store_user ma, mb;
    org_with_manager("capa", &a, &ma);
    org_with_manager("capb", &b, &mb);
    store_set_limits(s, &(store_limits){.keys_per_org = 2});
    store_key k1, k2, k3;
    cr_assert_eq(store_key_create(s, "c1", "rapi_c1", "one", a.id, ma.id, &k1), RA_OK);
    cr_assert_eq(store_key_create(s, "c2", "rapi_c2", "two", a.id, ma.id, &k2), RA_OK);
    cr_assert_eq(store_key_create(s, "c3", "rapi_c3", "three", a.id, ma.id, &k3), RA_ERR_REFUSED);
    cr_assert_eq(store_key_by_hash(s, "c3", &k3), RA_ERR_NOT_FOUND, "nothing written");
    /* another organization has its own count */
    cr_assert_eq(store_key_create(s, "d1", "rapi_d1", "one", b.id, mb.id, NULL), RA_OK);
    /* a revoked key no longer counts */
    cr_assert_eq(store_key_revoke(s, a.id, k1.id, NULL), RA_OK);
    cr_assert_eq(store_key_create(s, "c3", "rapi_c3", "three", a.id, ma.id, &k3), RA_OK);
    cr_assert_eq(store_key_create(s, "c4", "rapi_c4", "four", a.id, ma.id, NULL), RA_ERR_REFUSED);
    /* rotation is not refused; the old key counts until its grace ends */
    cr_assert_eq(
        store_key_rotate(s, a.id, k2.id, "c5", "rapi_c5", ma.id, INT64_MAX / 2, NULL, NULL), RA_OK);
    cr_assert_eq(store_key_create(s, "c4", "rapi_c4", "four", a.id, ma.id, NULL), RA_ERR_REFUSED);
    /* no cap: as many as wanted */
    store_set_limits(s, &(store_limits){0});
    cr_assert_eq(store_key_create(s, "c4", "rapi_c4", "four", a.id, ma.id, NULL), RA_OK);
}

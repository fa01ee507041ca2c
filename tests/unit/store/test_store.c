/* test_store.c - unit tests for src/store against a real SQLite database in
 * a temporary directory: migrations, organizations, users, credits, keys,
 * the SUT catalog. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/tempdir.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/db.h"
#include "store/store.h"

static char dir[TEMPDIR_LEN];
static store *s;

static void open_fresh(void)
{
    cr_assert_eq(ids_init(), RA_OK);
    tempdir_make(dir, "unit");
    cr_assert_eq(store_open(dir, &s), RA_OK);
}

static void close_and_remove(void)
{
    store_close(s);
    s = NULL;
    tempdir_remove(dir);
}

TestSuite(store, .init = open_fresh, .fini = close_and_remove);

Test(store, fresh_directory_is_at_the_latest_version)
{
    int v = 0;
    cr_assert_eq(store_schema_version(s, &v), RA_OK);
    cr_assert_eq(v, store_latest_version());
    cr_assert_geq(v, 2);
    cr_assert_eq(store_ping(s), RA_OK);
}

Test(store, an_older_database_is_migrated_and_keeps_its_data)
{
    store_close(s);
    char old[80];
    snprintf(old, sizeof old, "%s/old", dir);
    cr_assert_eq(store_open_at_version(old, 1, &s), RA_OK);
    int v = 0;
    cr_assert_eq(store_schema_version(s, &v), RA_OK);
    cr_assert_eq(v, 1);
    /* Only what version 1's columns hold: the domain code reads the newest
     * schema, so an opening balance (which reads the row back) waits. */
    store_org org;
    cr_assert_eq(store_org_create(s, "Eski Hastane", "hospital", 0, "test", &org), RA_OK);
    store_close(s);
    cr_assert_eq(store_open(old, &s), RA_OK);
    cr_assert_eq(store_schema_version(s, &v), RA_OK);
    cr_assert_eq(v, store_latest_version());
    store_org again;
    cr_assert_eq(store_org_get(s, org.id, &again), RA_OK);
    cr_assert_str_eq(again.name, "Eski Hastane");
    cr_assert_eq(again.credits, 0);
    cr_assert_eq(again.pending, 0, "columns added later take their defaults");
    cr_assert_str_eq(again.input_lang, "tr");
    int64_t n = -1;
    cr_assert_eq(store_sut_count(s, &n), RA_OK);
    cr_assert_eq(n, 0);
}

/* The permission bits of dir/name; -1 when it does not exist. */
static int mode_of(const char *name)
{
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

Test(store, the_database_and_its_wal_files_are_the_owners_only)
{
    store_close(s);
    s = NULL;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -f '%s'/raportai.db*", dir);
    cr_assert_eq(system(cmd), 0);
    mode_t old = umask(022); /* a umask that would make them 0644 */
    cr_assert_eq(chmod(dir, 0755), 0);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    cr_assert_eq(store_ping(s), RA_OK); /* a connection is open: -wal and -shm exist */
    cr_assert_eq(mode_of("raportai.db"), 0600, "%o", mode_of("raportai.db"));
    cr_assert_eq(mode_of("raportai.db-wal"), 0600, "%o", mode_of("raportai.db-wal"));
    cr_assert_eq(mode_of("raportai.db-shm"), 0600, "%o", mode_of("raportai.db-shm"));
    /* a database made 0644 by an older version is narrowed when opened */
    store_close(s);
    s = NULL;
    char path[128];
    snprintf(path, sizeof path, "%s/raportai.db", dir);
    cr_assert_eq(chmod(path, 0644), 0);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    cr_assert_eq(mode_of("raportai.db"), 0600, "%o", mode_of("raportai.db"));
    umask(old);
}

Test(store, reopening_applies_nothing_twice)
{
    store_close(s);
    cr_assert_eq(store_open(dir, &s), RA_OK);
    int v = 0;
    cr_assert_eq(store_schema_version(s, &v), RA_OK);
    cr_assert_eq(v, store_latest_version());
    cr_assert_eq(store_open_at_version(dir, store_latest_version() + 1, &s), RA_ERR_INVALID);
}

Test(store, organizations_keep_names_verbatim)
{
    store_org org, got;
    const char *name = "x'); DROP TABLE users; -- Şişli \"İ\"";
    cr_assert_eq(store_org_create(s, name, "teleradiology", 0, "test", &org), RA_OK);
    cr_assert_eq(store_org_get(s, org.id, &got), RA_OK);
    cr_assert_str_eq(got.name, name);
    cr_assert_str_eq(got.type, "teleradiology");
    cr_assert_eq(got.active, 1);
    cr_assert_eq(got.credits, 0);
    cr_assert_eq(store_org_get(s, "00000000-0000-4000-8000-000000000000", &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_org_create(s, "bad", "clinic", 0, "test", &org), RA_ERR_INVALID);
    cr_assert_eq(store_org_create(s, "bad", "hospital", -1, "test", &org), RA_ERR_INVALID);
}

Test(store, users_emails_are_unique_case_insensitively)
{
    store_org org;
    store_user u, got;
    cr_assert_eq(store_org_create(s, "H", "hospital", 0, "test", &org), RA_OK);
    cr_assert_eq(store_user_create(s, "Ayse@Example.org", "Ayşe", "manager", org.id, "h", &u),
                 RA_OK);
    cr_assert_eq(store_user_create(s, "ayse@example.ORG", "A", "doctor", org.id, "h", &got),
                 RA_ERR_EXISTS);
    cr_assert_eq(store_user_by_email(s, "AYSE@EXAMPLE.ORG", &got), RA_OK);
    cr_assert_str_eq(got.id, u.id);
    cr_assert_str_eq(got.email, "Ayse@Example.org");
    cr_assert_str_eq(got.org_id, org.id);
    cr_assert_eq(store_user_set_role(s, u.id, "radiologist"), RA_OK);
    cr_assert_eq(store_user_set_active(s, u.id, 0), RA_OK);
    cr_assert_eq(store_user_get(s, u.id, &got), RA_OK);
    cr_assert_str_eq(got.role, "radiologist");
    cr_assert_eq(got.active, 0);
    cr_assert_eq(store_user_set_role(s, u.id, "emperor"), RA_ERR_INVALID);
    cr_assert_eq(store_user_set_active(s, "no-such-id", 1), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_user_create(s, "x@example.org", "X", "doctor",
                                   "00000000-0000-4000-8000-000000000000", "h", &got),
                 RA_ERR_NOT_FOUND);
}

Test(store, an_individual_gets_a_personal_account)
{
    store_user u;
    store_org org;
    cr_assert_eq(store_user_create(s, "dr@example.org", "Dr", "individual", NULL, "h", &u), RA_OK);
    cr_assert_neq(u.org_id[0], '\0');
    cr_assert_eq(store_org_get(s, u.org_id, &org), RA_OK);
    cr_assert_str_eq(org.type, "personal");
    store_user admin;
    cr_assert_eq(store_user_create(s, "root@example.org", "R", "admin", NULL, "h", &admin), RA_OK);
    cr_assert_eq(admin.org_id[0], '\0');
    /* the schema itself refuses a platform role inside an organization */
    cr_assert_eq(store_user_create(s, "acc@example.org", "A", "accounting", org.id, "h", &admin),
                 RA_ERR_INVALID);
}

struct ledger_seen {
    int n;
    int64_t amounts[8];
    int64_t balances[8];
};

static void collect(const store_ledger_row *row, void *ctx)
{
    struct ledger_seen *seen = ctx;
    if (seen->n < 8) {
        seen->amounts[seen->n] = row->amount;
        seen->balances[seen->n] = row->balance_after;
    }
    seen->n++;
}

Test(store, credits_never_go_negative_and_every_change_is_in_the_ledger)
{
    store_org org, got;
    int64_t balance = -1;
    cr_assert_eq(store_org_create(s, "H", "hospital", 10, "test", &org), RA_OK);
    cr_assert_eq(org.credits, 10);
    cr_assert_eq(store_credits_add(s, org.id, 5, "top-up", "test", &balance), RA_OK);
    cr_assert_eq(balance, 15);
    cr_assert_eq(store_credits_add(s, org.id, -16, "too much", "test", &balance), RA_ERR_BALANCE);
    cr_assert_eq(store_credits_add(s, org.id, -15, "all", "test", &balance), RA_OK);
    cr_assert_eq(balance, 0);
    cr_assert_eq(store_org_get(s, org.id, &got), RA_OK);
    cr_assert_eq(got.credits, 0);
    struct ledger_seen seen = {0};
    cr_assert_eq(store_ledger_each(s, org.id, collect, &seen), RA_OK);
    cr_assert_eq(seen.n, 3);
    cr_assert_eq(seen.amounts[0], 10);
    cr_assert_eq(seen.amounts[1], 5);
    cr_assert_eq(seen.amounts[2], -15);
    cr_assert_eq(seen.balances[2], 0);
    cr_assert_eq(
        store_credits_add(s, "00000000-0000-4000-8000-000000000000", 1, "r", "t", &balance),
        RA_ERR_NOT_FOUND);
    cr_assert_eq(store_credits_add(s, org.id, INT64_MAX, "overflow", "t", &balance), RA_OK);
    cr_assert_eq(store_credits_add(s, org.id, 1, "overflow", "t", &balance), RA_ERR_BALANCE);
}

static void count_keys(const store_key *k, void *ctx)
{
    (void)k;
    (*(int *)ctx)++;
}

Test(store, keys_are_found_by_hash_used_and_revoked_by_prefix)
{
    store_org org;
    store_user u;
    store_key k, got;
    cr_assert_eq(store_org_create(s, "H", "hospital", 0, "test", &org), RA_OK);
    cr_assert_eq(store_user_create(s, "m@example.org", "M", "manager", org.id, "h", &u), RA_OK);
    cr_assert_eq(store_key_create(s, "hash1", "rapi_AAAAAAA", "HBYS", org.id, u.id, &k), RA_OK);
    cr_assert_str_eq(k.user_email, "m@example.org");
    cr_assert_eq(k.use_count, 0);
    cr_assert_str_eq(k.last_used_at, "");
    cr_assert_eq(store_key_create(s, "hash1", "rapi_BBBBBBB", "dup", org.id, u.id, NULL),
                 RA_ERR_EXISTS);
    /* uses counted in memory are added in batches; the last use only moves
     * forward */
    store_key_use uses[] = {{.count = 2, .last_ms = 1700000000123},
                            {.key_id = "no-such-key", .count = 5, .last_ms = 1}};
    snprintf(uses[0].key_id, sizeof uses[0].key_id, "%s", k.id);
    cr_assert_eq(store_key_add_uses(s, uses, 2), RA_OK, "a key that is gone is passed over");
    uses[0].last_ms = 1600000000000;
    cr_assert_eq(store_key_add_uses(s, uses, 1), RA_OK);
    cr_assert_eq(store_key_by_hash(s, "hash1", &got), RA_OK);
    cr_assert_eq(got.use_count, 4);
    cr_assert_str_eq(got.last_used_at, "2023-11-14T22:13:20.123Z");
    store_key_auth a;
    cr_assert_eq(store_key_auth_by_hash(s, "hash1", &a), RA_OK);
    cr_assert_str_eq(a.key.id, k.id);
    cr_assert_str_eq(a.role, "manager");
    cr_assert_str_eq(a.user_org_id, org.id);
    cr_assert(a.user_may_use && a.org_active);
    cr_assert_eq(store_key_auth_by_hash(s, "nope", &a), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_by_hash(s, "nope", &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_create(s, "hash2", "rapi_SAMEPFX", "a", org.id, u.id, NULL), RA_OK);
    cr_assert_eq(store_key_create(s, "hash3", "rapi_SAMEPFX", "b", org.id, u.id, NULL), RA_OK);
    cr_assert_eq(store_key_revoke_by_prefix(s, "rapi_SAMEPFX", &got), RA_ERR_AMBIGUOUS);
    cr_assert_eq(store_key_revoke_by_prefix(s, "rapi_NOTHERE", &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_key_revoke_by_prefix(s, "rapi_AAAAAAA", &got), RA_OK);
    cr_assert_neq(got.revoked_at[0], '\0');
    cr_assert_eq(store_key_revoke_by_prefix(s, "rapi_AAAAAAA", &got), RA_ERR_EXISTS);
    cr_assert_eq(store_key_by_hash(s, "hash2", &got), RA_OK);
    cr_assert_str_eq(got.revoked_at, "");
    int n = 0;
    cr_assert_eq(store_key_each(s, org.id, count_keys, &n), RA_OK);
    cr_assert_eq(n, 3);
}

static void add_code(const char *code, void *ctx)
{
    buf_printf(ctx, "%s ", code);
}

Test(store, sut_catalog_is_replaced_whole)
{
    store_sut_row rows[3] = {
        {"803910", "Beyin BT", "CT", "brain", "test"},
        {"803911", "Kranial BT", "CT", "brain", "test"},
        {"804102", "Lomber MR", "MR", "lumbar_spine", "test"},
    };
    cr_assert_eq(store_sut_replace(s, rows, 3), RA_OK);
    int64_t n = 0;
    cr_assert_eq(store_sut_count(s, &n), RA_OK);
    cr_assert_eq(n, 3);
    buf all;
    buf_init(&all, 128);
    cr_assert_eq(store_sut_codes_for(s, "CT", "brain", add_code, &all), RA_OK);
    cr_assert_str_eq(buf_str(&all), "803910 803911 ");
    buf_release(&all);
    store_sut_row got;
    cr_assert_eq(store_sut_get(s, "804102", &got), RA_OK);
    cr_assert_str_eq(got.name, "Lomber MR");
    /* a list with a duplicate is refused and the old list stays */
    store_sut_row dup[2] = {rows[0], rows[0]};
    cr_assert_eq(store_sut_replace(s, dup, 2), RA_ERR_EXISTS);
    cr_assert_eq(store_sut_count(s, &n), RA_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(store_sut_replace(s, rows, 1), RA_OK);
    cr_assert_eq(store_sut_get(s, "804102", &got), RA_ERR_NOT_FOUND);
}

/* The SQLite driver keeps statements prepared per connection: the same text
 * prepared again is the same statement, reset and unbound; one still in use
 * is never handed out twice; past the cache's room, statements are still
 * prepared and give the right rows. */
Test(store, statements_are_kept_prepared_and_handed_out_once)
{
    char path[TEMPDIR_LEN + 32];
    snprintf(path, sizeof path, "%s/stmts.db", dir);
    const db_driver *d = &db_sqlite;
    db_conn *c = NULL;
    cr_assert_eq(d->open(path, &c), RA_OK);
    db_stmt *a = NULL, *b = NULL, *again = NULL;
    cr_assert_eq(d->prepare(c, "SELECT ?", &a), RA_OK);
    cr_assert_eq(d->bind_int64(a, 1, 41), RA_OK);
    cr_assert_eq(d->step(a), DB_ROW);
    cr_assert_eq(d->column_int64(a, 0), 41);
    cr_assert_eq(d->prepare(c, "SELECT ?", &b), RA_OK, "while a is in use");
    cr_assert_neq(a, b, "a statement in use is not handed out again");
    d->finalize(b);
    d->finalize(a);
    cr_assert_eq(d->prepare(c, "SELECT ?", &again), RA_OK);
    cr_assert(again == a || again == b, "kept, not compiled again");
    cr_assert_eq(d->step(again), DB_ROW);
    cr_assert(d->column_is_null(again, 0), "its bindings were cleared");
    d->finalize(again);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 100; i++) {
            char sql[32];
            snprintf(sql, sizeof sql, "SELECT %d", i);
            db_stmt *st = NULL;
            cr_assert_eq(d->prepare(c, sql, &st), RA_OK);
            cr_assert_eq(d->step(st), DB_ROW);
            cr_assert_eq(d->column_int64(st, 0), i);
            d->finalize(st);
        }
    d->close(c);
}

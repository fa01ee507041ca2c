/* test_session.c - unit tests for src/auth/session.c (tokens, CSRF, sign-in
 * paths) and the session records of src/store/sessions.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "../support/store_fixture.h"
#include "auth/session.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/store.h"

static void init(void)
{
    cr_assert_eq(ids_init(), RA_OK);
}

TestSuite(session, .init = init);

Test(session, tokens_are_random_hex_and_stored_only_as_their_hash)
{
    char a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1], hash[SESSION_HASH_HEX];
    session_token_new(a);
    session_token_new(b);
    cr_assert_neq(strcmp(a, b), 0);
    cr_assert_eq(session_token_check(a), RA_OK);
    session_token_hash(a, hash);
    cr_assert_eq(strlen(hash), 64);
    cr_assert_neq(strcmp(hash, a), 0);
}

Test(session, token_shape_is_checked_before_any_lookup)
{
    char bad[SESSION_TOKEN_LEN + 2];
    cr_assert_eq(session_token_check(NULL), RA_ERR_INVALID);
    cr_assert_eq(session_token_check(""), RA_ERR_INVALID);
    memset(bad, 'a', SESSION_TOKEN_LEN + 1);
    bad[SESSION_TOKEN_LEN + 1] = '\0';
    cr_assert_eq(session_token_check(bad), RA_ERR_INVALID); /* too long */
    bad[SESSION_TOKEN_LEN] = '\0';
    cr_assert_eq(session_token_check(bad), RA_OK);
    bad[10] = 'g';
    cr_assert_eq(session_token_check(bad), RA_ERR_INVALID);
}

Test(session, csrf_token_belongs_to_its_session_only)
{
    char a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];
    char csrf_a[SESSION_CSRF_HEX], csrf_b[SESSION_CSRF_HEX], hash_a[SESSION_HASH_HEX];
    session_token_new(a);
    session_token_new(b);
    session_csrf(a, csrf_a);
    session_csrf(b, csrf_b);
    session_token_hash(a, hash_a);
    cr_assert_eq(session_csrf_check(a, csrf_a), RA_OK);
    cr_assert_eq(session_csrf_check(a, csrf_b), RA_ERR_INVALID);
    cr_assert_eq(session_csrf_check(a, NULL), RA_ERR_INVALID);
    cr_assert_eq(session_csrf_check(a, ""), RA_ERR_INVALID);
    cr_assert_neq(strcmp(csrf_a, hash_a), 0, "the stored hash must not give the CSRF token");
    csrf_a[0] = csrf_a[0] == '0' ? '1' : '0';
    cr_assert_eq(session_csrf_check(a, csrf_a), RA_ERR_INVALID);
}

Test(session, every_role_has_exactly_one_path)
{
    cr_assert_eq(signin_path_of_role(ROLE_INDIVIDUAL), PATH_USER);
    cr_assert_eq(signin_path_of_role(ROLE_MANAGER), PATH_CORPORATE);
    cr_assert_eq(signin_path_of_role(ROLE_RADIOLOGIST), PATH_CORPORATE);
    cr_assert_eq(signin_path_of_role(ROLE_DOCTOR), PATH_CORPORATE);
    cr_assert_eq(signin_path_of_role(ROLE_TECHNICAL), PATH_CORPORATE);
    cr_assert_eq(signin_path_of_role(ROLE_ADMIN), PATH_ADMIN);
    cr_assert_eq(signin_path_of_role(ROLE_ACCOUNTING), PATH_ACCOUNTING);
    cr_assert_eq(signin_path_of_role(ROLE_INVALID), PATH_INVALID);
    cr_assert_eq(signin_path_parse("corporate"), PATH_CORPORATE);
    cr_assert_eq(signin_path_parse("Corporate"), PATH_INVALID);
    cr_assert_eq(signin_path_parse(NULL), PATH_INVALID);
    cr_assert_str_eq(signin_path_login_page(PATH_CORPORATE), "/kurumsal-login.html");
    cr_assert_str_eq(signin_path_home_page(PATH_CORPORATE), "/organization.html");
}

/* ---- the store side ---------------------------------------------------------- */

static store_fixture fx;
static store *db; /* fx.store */

static void open_store(void)
{
    db = store_fixture_open(&fx, "session", false);
}

static void close_store(void)
{
    store_fixture_close(&fx);
}

TestSuite(session_store, .init = open_store, .fini = close_store);

static void make_user(store_user *u)
{
    cr_assert_eq(store_user_create(db, "dr@example.org", "Dr", "individual", NULL, "x", u), RA_OK);
}

Test(session_store, sessions_are_found_by_hash_and_end)
{
    store_user u;
    make_user(&u);
    store_session ses, found;
    cr_assert_eq(store_session_create(db, "hash-1", u.id, "user", 1000, 5000, &ses), RA_OK);
    cr_assert_eq(store_session_by_hash(db, "hash-1", &found), RA_OK);
    cr_assert_str_eq(found.id, ses.id);
    cr_assert_str_eq(found.path, "user");
    cr_assert_eq(found.expires_ms, 5000);
    cr_assert_eq(store_session_touch(db, ses.id, 2000), RA_OK);
    cr_assert_eq(store_session_by_hash(db, "hash-1", &found), RA_OK);
    cr_assert_eq(found.last_seen_ms, 2000);
    cr_assert_eq(store_session_delete(db, ses.id), RA_OK);
    cr_assert_eq(store_session_delete(db, ses.id), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_session_by_hash(db, "hash-1", &found), RA_ERR_NOT_FOUND);
}

Test(session_store, sweep_removes_idle_and_expired_sessions_only)
{
    store_user u;
    make_user(&u);
    store_session s1, s2, s3, found;
    cr_assert_eq(store_session_create(db, "idle", u.id, "user", 1000, 90000, &s1), RA_OK);
    cr_assert_eq(store_session_create(db, "expired", u.id, "user", 5000, 6000, &s2), RA_OK);
    cr_assert_eq(store_session_create(db, "live", u.id, "user", 5000, 90000, &s3), RA_OK);
    cr_assert_eq(store_session_sweep(db, 7000, 2000), RA_OK);
    cr_assert_eq(store_session_by_hash(db, "idle", &found), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_session_by_hash(db, "expired", &found), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_session_by_hash(db, "live", &found), RA_OK);
}

Test(session_store, deactivating_a_user_ends_their_sessions)
{
    store_user u;
    make_user(&u);
    store_session ses, found;
    cr_assert_eq(store_session_create(db, "h", u.id, "user", 1000, 90000, &ses), RA_OK);
    cr_assert_eq(store_user_set_active(db, u.id, 0), RA_OK);
    cr_assert_eq(store_session_by_hash(db, "h", &found), RA_ERR_NOT_FOUND);
}

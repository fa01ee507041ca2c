/* test_keyauth.c - unit tests of the External API's keys in memory
 * (src/api/keyauth.c) over a store in a temporary folder: a key found once
 * is served from memory; every change that can refuse a key (revoke,
 * rotate, a member deactivated or given another role, a user suspended, an
 * organization deactivated) forgets it at once in this process and within
 * a second in another one sharing the database; unknown keys are never
 * kept; uses are written in batches, and at the end. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../support/store_fixture.h"
#include "api/api.h"
#include "auth/apikey.h"
#include "auth/keycache.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "store/store.h"

static store_fixture fx;
static store *s; /* fx.store */
static api_keyauth *ka;
static store_org org;
static store_user manager;
static store_key key;
static char hash[APIKEY_HASH_HEX];

static void setup(void)
{
    s = store_fixture_open(&fx, "keyauth", false);
    store_fixture_org(&fx, "A", 5, &org);
    store_fixture_member(&fx, org.id, "m@a.example", "Manager", "manager", &manager);
    char k[APIKEY_LEN + 1], prefix[APIKEY_PREFIX_LEN + 1];
    apikey_generate(k);
    apikey_hash(k, hash);
    apikey_prefix(k, prefix);
    cr_assert_eq(store_key_create(s, hash, prefix, "HBYS", org.id, manager.id, &key), RA_OK);
    cr_assert_eq(api_keyauth_new(s, 8, 0, &ka), RA_OK);
}

static void teardown(void)
{
    api_keyauth_free(ka);
    store_fixture_close(&fx);
}

TestSuite(keyauth, .init = setup, .fini = teardown);

/* Finds the key and checks it was kept. */
static store_key_auth find_kept(void)
{
    store_key_auth a;
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 1, "kept");
    return a;
}

static int64_t use_count(void)
{
    store_key k;
    cr_assert_eq(store_key_by_hash(s, hash, &k), RA_OK);
    return k.use_count;
}

Test(keyauth, a_key_found_once_is_served_from_memory)
{
    store_key_auth a = find_kept();
    cr_assert_str_eq(a.key.label, "HBYS");
    cr_assert(a.user_may_use && a.org_active);
    /* a label is not who may authenticate: the store's row changes, the
     * kept one is what the next request is decided by */
    cr_assert_eq(store_key_set_label(s, org.id, key.id, "Renamed", NULL), RA_OK);
    a = find_kept();
    cr_assert_str_eq(a.key.label, "HBYS", "from memory, not the database");
}

Test(keyauth, unknown_keys_are_never_kept)
{
    char other[APIKEY_HASH_HEX];
    for (int i = 0; i < 50; i++) {
        char k[APIKEY_LEN + 1];
        apikey_generate(k);
        apikey_hash(k, other);
        store_key_auth a;
        cr_assert_eq(api_keyauth_find(ka, other, &a), RA_ERR_NOT_FOUND);
    }
    cr_assert_eq(api_keyauth_cached(ka), 0);
    find_kept();
}

Test(keyauth, a_revoked_key_is_forgotten_at_once)
{
    find_kept();
    cr_assert_eq(store_key_revoke(s, org.id, key.id, NULL), RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 0);
    store_key_auth a;
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_not(store_key_is_live(&a.key, time_now_ms()));
    cr_assert_eq(api_keyauth_cached(ka), 0, "a revoked key is not kept");
}

Test(keyauth, a_rotated_key_is_forgotten_at_once)
{
    find_kept();
    char k[APIKEY_LEN + 1], h[APIKEY_HASH_HEX], prefix[APIKEY_PREFIX_LEN + 1];
    apikey_generate(k);
    apikey_hash(k, h);
    apikey_prefix(k, prefix);
    int64_t now = time_now_ms();
    cr_assert_eq(store_key_rotate(s, org.id, key.id, h, prefix, manager.id, now, NULL, NULL),
                 RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 0);
    store_key_auth a;
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_eq(a.key.expires_ms, now, "no grace: refused from now on");
    cr_assert_not(store_key_is_live(&a.key, time_now_ms() + 1));
}

Test(keyauth, a_member_deactivated_or_given_another_role_is_forgotten_at_once)
{
    find_kept();
    cr_assert_eq(store_member_update(s, org.id, manager.id, NULL, 0, NULL), RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 0);
    store_key_auth a;
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_not(a.user_may_use);
    cr_assert_eq(store_member_update(s, org.id, manager.id, NULL, 1, NULL), RA_OK);
    find_kept();
    cr_assert_eq(store_user_set_role(s, manager.id, "radiologist"), RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 0);
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_str_eq(a.role, "radiologist");
}

Test(keyauth, a_suspended_user_or_organization_is_forgotten_at_once)
{
    find_kept();
    cr_assert_eq(store_user_set_suspended(s, manager.id, 1, "admin@example.org", NULL), RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 0);
    store_key_auth a;
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_not(a.user_may_use);
    cr_assert_eq(store_user_set_suspended(s, manager.id, 0, NULL, NULL), RA_OK);
    find_kept();
    cr_assert_eq(store_org_change_state(s, org.id, STORE_ORG_DEACTIVATE, "admin@example.org", NULL),
                 RA_OK);
    cr_assert_eq(api_keyauth_cached(ka), 0);
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    cr_assert_not(a.org_active);
}

Test(keyauth, another_processes_change_is_seen_within_a_second)
{
    find_kept();
    int64_t before = 0, after = 0;
    cr_assert_eq(store_auth_generation(s, &before), RA_OK);
    /* another process: its own store on the same database, without our hook */
    store *other = NULL;
    cr_assert_eq(store_open(fx.dir, &other), RA_OK);
    cr_assert_eq(store_key_revoke(other, org.id, key.id, NULL), RA_OK);
    store_close(other);
    cr_assert_eq(store_auth_generation(s, &after), RA_OK);
    cr_assert_eq(after, before + 1, "the revocation moved the generation");
    int64_t start = time_mono_ms();
    store_key_auth a;
    cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
    /* still the kept key until the next look at the generation, at most a
     * second after the last */
    int refused = !store_key_is_live(&a.key, time_now_ms());
    while (!refused && time_mono_ms() - start <= KEYCACHE_CHECK_MS + 200) {
        nanosleep(&(struct timespec){.tv_nsec = 20 * 1000000}, NULL);
        cr_assert_eq(api_keyauth_find(ka, hash, &a), RA_OK);
        refused = !store_key_is_live(&a.key, time_now_ms());
    }
    cr_assert(refused, "refused within a second");
    cr_assert_eq(api_keyauth_cached(ka), 0);
}

Test(keyauth, uses_are_written_in_batches_and_at_the_end)
{
    for (int i = 0; i < 3; i++)
        api_keyauth_used(ka, key.id);
    cr_assert_eq(use_count(), 0, "a request itself writes nothing");
    cr_assert_eq(api_keyauth_write(ka), RA_OK);
    cr_assert_eq(use_count(), 3);
    store_key k;
    cr_assert_eq(store_key_by_hash(s, hash, &k), RA_OK);
    cr_assert_neq(k.last_used_at[0], '\0');
    cr_assert_eq(api_keyauth_write(ka), RA_OK);
    cr_assert_eq(use_count(), 3, "nothing written twice");
    api_keyauth_used(ka, key.id);
    api_keyauth_used(ka, key.id);
    api_keyauth_free(ka); /* the server's end */
    ka = NULL;
    cr_assert_eq(use_count(), 5, "the uses waiting were written at the end");
    cr_assert_eq(api_keyauth_new(s, 8, 0, &ka), RA_OK);
}

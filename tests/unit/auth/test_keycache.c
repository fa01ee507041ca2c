/* test_keycache.c - unit tests of the cache of API keys (auth/keycache.c)
 * and of the uses counted in memory (auth/keyuse.c): hits, the bound and
 * which key goes first, clearing and the value read during a clear, the
 * shared generation and how often it is read; uses added and taken. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "auth/keycache.h"
#include "auth/keyuse.h"
#include "core/err.h"

typedef struct value {
    int n;
    char label[8];
} value;

/* A key's hash made from n: 64 hex characters. */
static const char *hash_of(int n, char out[KEYCACHE_HASH_LEN + 1])
{
    snprintf(out, KEYCACHE_HASH_LEN + 1, "%064x", n);
    return out;
}

static void put(keycache *kc, int n)
{
    char h[KEYCACHE_HASH_LEN + 1];
    uint64_t epoch = 0;
    value v = {.n = n};
    value got;
    cr_assert_eq(keycache_get(kc, hash_of(n, h), &got, &epoch), 0, "not kept yet");
    keycache_put(kc, h, &v, epoch);
}

static int kept(keycache *kc, int n)
{
    char h[KEYCACHE_HASH_LEN + 1];
    value got = {0};
    int hit = keycache_get(kc, hash_of(n, h), &got, NULL);
    if (hit)
        cr_assert_eq(got.n, n, "the value kept under the hash");
    return hit;
}

Test(keycache, a_value_put_is_found_by_its_hash_only)
{
    keycache *kc = NULL;
    cr_assert_eq(keycache_new(4, sizeof(value), &kc), RA_OK);
    put(kc, 1);
    cr_assert(kept(kc, 1));
    cr_assert_not(kept(kc, 2));
    cr_assert_eq(keycache_count(kc), 1);
    /* putting again replaces the value, not a second entry */
    char h[KEYCACHE_HASH_LEN + 1];
    value v = {.n = 1, .label = "new"}, got;
    uint64_t epoch = 0;
    keycache_get(kc, hash_of(99, h), &got, &epoch);
    keycache_put(kc, hash_of(1, h), &v, epoch);
    cr_assert_eq(keycache_get(kc, h, &got, NULL), 1);
    cr_assert_str_eq(got.label, "new");
    cr_assert_eq(keycache_count(kc), 1);
    keycache_free(kc);
}

Test(keycache, past_its_bound_the_least_recently_used_goes)
{
    keycache *kc = NULL;
    cr_assert_eq(keycache_new(3, sizeof(value), &kc), RA_OK);
    put(kc, 1);
    put(kc, 2);
    put(kc, 3);
    cr_assert(kept(kc, 1), "1 is now the most recently used");
    put(kc, 4);
    cr_assert_eq(keycache_count(kc), 3);
    cr_assert_not(kept(kc, 2), "2 was used longest ago");
    cr_assert(kept(kc, 1) && kept(kc, 3) && kept(kc, 4));
    for (int n = 10; n < 1010; n++)
        put(kc, n);
    cr_assert_eq(keycache_count(kc), 3, "a thousand keys later, still three");
    cr_assert(kept(kc, 1007) && kept(kc, 1008) && kept(kc, 1009));
    keycache_free(kc);
}

Test(keycache, capacity_zero_keeps_nothing_and_bad_sizes_are_refused)
{
    keycache *kc = NULL;
    cr_assert_eq(keycache_new(KEYCACHE_MAX + 1, sizeof(value), &kc), RA_ERR_INVALID);
    cr_assert_eq(keycache_new(4, 0, &kc), RA_ERR_INVALID);
    cr_assert_eq(keycache_new(0, sizeof(value), &kc), RA_OK);
    put(kc, 1);
    cr_assert_not(kept(kc, 1));
    cr_assert_eq(keycache_count(kc), 0);
    keycache_free(kc);
}

Test(keycache, a_clear_forgets_all_and_drops_a_value_read_before_it)
{
    keycache *kc = NULL;
    cr_assert_eq(keycache_new(4, sizeof(value), &kc), RA_OK);
    put(kc, 1);
    char h[KEYCACHE_HASH_LEN + 1];
    value v = {.n = 2}, got;
    uint64_t epoch = 0;
    cr_assert_eq(keycache_get(kc, hash_of(2, h), &got, &epoch), 0);
    /* the database is read for key 2 while another thread revokes it */
    keycache_clear(kc);
    keycache_put(kc, h, &v, epoch);
    cr_assert_not(kept(kc, 1));
    cr_assert_not(kept(kc, 2), "read before the clear: not kept");
    cr_assert_eq(keycache_count(kc), 0);
    put(kc, 2);
    cr_assert(kept(kc, 2), "read after it: kept");
    keycache_free(kc);
}

Test(keycache, a_generation_that_moved_clears_the_first_one_does_not)
{
    keycache *kc = NULL;
    cr_assert_eq(keycache_new(4, sizeof(value), &kc), RA_OK);
    put(kc, 1);
    keycache_generation(kc, 7);
    cr_assert(kept(kc, 1), "the first generation seen clears nothing");
    keycache_generation(kc, 7);
    cr_assert(kept(kc, 1), "the same generation clears nothing");
    keycache_generation(kc, 8);
    cr_assert_not(kept(kc, 1), "another process changed who may authenticate");
    keycache_free(kc);
}

Test(keycache, the_generation_is_read_at_most_once_a_second)
{
    keycache *kc = NULL;
    cr_assert_eq(keycache_new(4, sizeof(value), &kc), RA_OK);
    cr_assert_eq(keycache_check_due(kc, 5000), 1, "the first request reads it");
    cr_assert_eq(keycache_check_due(kc, 5000), 0);
    cr_assert_eq(keycache_check_due(kc, 5000 + KEYCACHE_CHECK_MS - 1), 0);
    cr_assert_eq(keycache_check_due(kc, 5000 + KEYCACHE_CHECK_MS), 1, "a second later");
    cr_assert_eq(keycache_check_due(kc, 5000 + KEYCACHE_CHECK_MS), 0, "by one caller only");
    keycache_free(kc);
}

/* ---- uses ------------------------------------------------------------------- */

typedef struct taken {
    int n;
    char ids[4][KEYUSE_ID_MAX];
    int64_t count[4], last[4];
} taken;

static void take(const char *id, int64_t count, int64_t last_ms, void *ctx)
{
    taken *t = ctx;
    cr_assert_lt(t->n, 4);
    snprintf(t->ids[t->n], KEYUSE_ID_MAX, "%s", id);
    t->count[t->n] = count;
    t->last[t->n++] = last_ms;
}

Test(keyuse, uses_add_up_per_key_and_a_take_empties_them)
{
    keyuse *u = NULL;
    cr_assert_eq(keyuse_new(2, &u), RA_OK);
    cr_assert_eq(keyuse_add(u, "k1", 1, 1000), RA_OK);
    cr_assert_eq(keyuse_add(u, "k1", 1, 3000), RA_OK);
    cr_assert_eq(keyuse_add(u, "k1", 1, 2000), RA_OK, "late, out of order");
    cr_assert_eq(keyuse_add(u, "k2", 4, 500), RA_OK);
    cr_assert_eq(keyuse_add(u, "k3", 1, 500), RA_ERR_REFUSED, "room for two keys");
    cr_assert_eq(keyuse_add(u, "", 1, 500), RA_ERR_INVALID);
    taken t = {0};
    cr_assert_eq(keyuse_take(u, take, &t), 2);
    int k1 = strcmp(t.ids[0], "k1") == 0 ? 0 : 1;
    cr_assert_str_eq(t.ids[k1], "k1");
    cr_assert_eq(t.count[k1], 3);
    cr_assert_eq(t.last[k1], 3000, "the last use never moves back");
    cr_assert_eq(t.count[1 - k1], 4);
    taken again = {0};
    cr_assert_eq(keyuse_take(u, take, &again), 0, "taken once");
    cr_assert_eq(keyuse_add(u, "k3", 1, 500), RA_OK, "room again");
    cr_assert_eq(keyuse_add(u, "k1", 1, 100), RA_OK);
    taken fresh = {0};
    cr_assert_eq(keyuse_take(u, take, &fresh), 2);
    int f1 = strcmp(fresh.ids[0], "k1") == 0 ? 0 : 1;
    cr_assert_str_eq(fresh.ids[f1], "k1");
    cr_assert_eq(fresh.count[f1], 1, "counted from nothing after a take");
    cr_assert_eq(fresh.last[f1], 100, "nor is the last use of before kept");
    keyuse_free(u);
}

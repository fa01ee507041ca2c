/* test_quota.c - unit tests for src/auth/quota.c: bytes in flight per key
 * under a bound per key and a bound in all. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "auth/quota.h"
#include "core/err.h"

Test(quota, bounds_must_make_sense)
{
    quota *q = NULL;
    cr_assert_eq(quota_new(0, 10, &q), RA_ERR_INVALID);
    cr_assert_eq(quota_new(11, 10, &q), RA_ERR_INVALID);
    cr_assert_eq(quota_new(10, 10, &q), RA_OK);
    quota_free(q);
}

Test(quota, one_key_is_bounded_and_others_are_not_affected)
{
    quota *q = NULL;
    cr_assert_eq(quota_new(100, 1000, &q), RA_OK);
    cr_assert_eq(quota_take(q, "org-a", 60), RA_OK);
    cr_assert_eq(quota_take(q, "org-a", 40), RA_OK); /* exactly the bound */
    cr_assert_eq(quota_take(q, "org-a", 1), RA_ERR_REFUSED);
    cr_assert_eq(quota_held(q, "org-a"), 100, "a refused take changes nothing");
    cr_assert_eq(quota_take(q, "org-b", 100), RA_OK);
    cr_assert_eq(quota_held(q, "org-b"), 100);
    cr_assert_eq(quota_held(q, NULL), 200);
    /* Giving back makes room again, for that key only. */
    quota_give(q, "org-a", 60);
    cr_assert_eq(quota_take(q, "org-b", 1), RA_ERR_REFUSED);
    cr_assert_eq(quota_take(q, "org-a", 60), RA_OK);
    cr_assert_eq(quota_held(q, "org-a"), 100);
    quota_free(q);
}

Test(quota, the_total_bounds_all_keys_together)
{
    quota *q = NULL;
    cr_assert_eq(quota_new(100, 250, &q), RA_OK);
    cr_assert_eq(quota_take(q, "a", 100), RA_OK);
    cr_assert_eq(quota_take(q, "b", 100), RA_OK);
    cr_assert_eq(quota_take(q, "c", 51), RA_ERR_TOO_LARGE);
    cr_assert_eq(quota_held(q, "c"), 0);
    cr_assert_eq(quota_take(q, "c", 50), RA_OK);
    cr_assert_eq(quota_held(q, NULL), 250);
    /* A key over its own bound is told so even when the total is full too. */
    cr_assert_eq(quota_take(q, "a", 1), RA_ERR_REFUSED);
    quota_give(q, "b", 100);
    cr_assert_eq(quota_take(q, "c", 50), RA_OK);
    cr_assert_eq(quota_held(q, NULL), 200);
    quota_free(q);
}

Test(quota, keys_holding_nothing_leave_the_table)
{
    quota *q = NULL;
    cr_assert_eq(quota_new(10, 10, &q), RA_OK);
    for (int i = 0; i < 1000; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        cr_assert_eq(quota_take(q, key, 10), RA_OK);
        quota_give(q, key, 10);
    }
    cr_assert_eq(quota_held(q, NULL), 0);
    cr_assert_eq(quota_take(q, "k1", 10), RA_OK);
    quota_free(q); /* freed while holding: no leak under ASan */
}

Test(quota, bad_keys_and_oversized_gifts)
{
    quota *q = NULL;
    cr_assert_eq(quota_new(10, 20, &q), RA_OK);
    char long_key[QUOTA_KEY_MAX + 2];
    memset(long_key, 'x', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    cr_assert_eq(quota_take(q, "", 1), RA_ERR_INVALID);
    cr_assert_eq(quota_take(q, long_key, 1), RA_ERR_INVALID);
    long_key[QUOTA_KEY_MAX] = '\0';
    cr_assert_eq(quota_take(q, long_key, 1), RA_OK);
    cr_assert_eq(quota_take(q, "a", 5), RA_OK);
    quota_give(q, "a", 50); /* a bug: clamped to what "a" holds */
    quota_give(q, "nobody", 3);
    cr_assert_eq(quota_held(q, "a"), 0);
    cr_assert_eq(quota_held(q, NULL), 1);
    quota_free(q);
}

static quota *shared;

static void *take_and_give(void *arg)
{
    const char *key = arg;
    for (int i = 0; i < 20000; i++)
        if (quota_take(shared, key, 7) == RA_OK)
            quota_give(shared, key, 7);
    return NULL;
}

Test(quota, threads_take_and_give_without_losing_a_byte)
{
    cr_assert_eq(quota_new(20, 30, &shared), RA_OK);
    static char keys[4][4] = {"a", "b", "a", "c"};
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, take_and_give, keys[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    cr_assert_eq(quota_held(shared, NULL), 0);
    cr_assert_eq(quota_held(shared, "a"), 0);
    quota_free(shared);
}

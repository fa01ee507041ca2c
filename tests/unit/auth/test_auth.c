/* test_auth.c - unit tests for src/auth: API keys, rate limit, roles,
 * passwords. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "auth/apikey.h"
#include "auth/password.h"
#include "auth/ratelimit.h"
#include "auth/roles.h"
#include "core/err.h"
#include "core/ids.h"

static void init(void)
{
    cr_assert_eq(ids_init(), RA_OK);
}

TestSuite(apikey, .init = init);
TestSuite(password, .init = init);

Test(apikey, crc32_matches_the_standard_check_value)
{
    cr_assert_eq(apikey_crc32("123456789", 9), 0xCBF43926u);
    cr_assert_eq(apikey_crc32("", 0), 0u);
}

Test(apikey, generated_keys_have_the_format_and_pass_the_check)
{
    char a[APIKEY_LEN + 1], b[APIKEY_LEN + 1];
    apikey_generate(a);
    apikey_generate(b);
    cr_assert_eq(strlen(a), 43);
    cr_assert_eq(strncmp(a, "rapi_", 5), 0);
    cr_assert_str_neq(a, b);
    cr_assert_eq(apikey_check(a), RA_OK);
    char prefix[APIKEY_PREFIX_LEN + 1];
    apikey_prefix(a, prefix);
    cr_assert_eq(strlen(prefix), 12);
    cr_assert_eq(strncmp(prefix, a, 12), 0);
}

Test(apikey, any_single_typo_fails_the_check)
{
    char key[APIKEY_LEN + 1];
    apikey_generate(key);
    for (size_t i = 5; i < APIKEY_LEN; i++) {
        char typo[APIKEY_LEN + 1];
        memcpy(typo, key, sizeof typo);
        typo[i] = typo[i] == 'a' ? 'b' : 'a';
        cr_assert_eq(apikey_check(typo), RA_ERR_INVALID, "typo at %zu passed", i);
    }
}

Test(apikey, malformed_keys_fail)
{
    char key[APIKEY_LEN + 1];
    apikey_generate(key);
    char longer[APIKEY_LEN + 2];
    snprintf(longer, sizeof longer, "%sx", key);
    char wrong_mark[APIKEY_LEN + 1];
    memcpy(wrong_mark, key, sizeof wrong_mark);
    wrong_mark[0] = 'R';
    const char *bad[] = {
        "",         "rapi_", longer, wrong_mark, "rapi_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "rapi_xxx", NULL};
    for (int i = 0; bad[i]; i++)
        cr_assert_eq(apikey_check(bad[i]), RA_ERR_INVALID, "accepted '%s'", bad[i]);
    cr_assert_eq(apikey_check(NULL), RA_ERR_INVALID);
}

Test(apikey, hash_is_sha256_hex)
{
    char hash[APIKEY_HASH_HEX];
    apikey_hash("abc", hash);
    cr_assert_str_eq(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(ratelimit, allows_the_limit_then_refuses_until_the_window_moves)
{
    ratelimit *rl = NULL;
    cr_assert_eq(ratelimit_new(3, &rl), RA_OK);
    ratelimit_result r;
    int64_t t0 = 1000000;
    for (unsigned i = 0; i < 3; i++) {
        ratelimit_hit(rl, "k1", t0 + i * 1000, &r);
        cr_assert(r.allowed);
        cr_assert_eq(r.limit, 3);
        cr_assert_eq(r.remaining, 2 - i);
    }
    ratelimit_hit(rl, "k1", t0 + 5000, &r);
    cr_assert_not(r.allowed);
    cr_assert_eq(r.remaining, 0);
    cr_assert_eq(r.reset_s, 55); /* the first request leaves the window at t0+60s */
    /* A refused request is not counted: just after the first one expires, one
     * more fits, and only one. */
    ratelimit_hit(rl, "k1", t0 + 60000, &r);
    cr_assert(r.allowed);
    cr_assert_eq(r.remaining, 0);
    ratelimit_hit(rl, "k1", t0 + 60001, &r);
    cr_assert_not(r.allowed);
    ratelimit_free(rl);
}

Test(ratelimit, holds_for_every_rolling_window_not_just_on_average)
{
    ratelimit *rl = NULL;
    cr_assert_eq(ratelimit_new(60, &rl), RA_OK);
    ratelimit_result r;
    int allowed_in_window = 0;
    /* one attempt every 100 ms for 2 minutes: never more than 60 in any minute */
    int64_t stamps[1200];
    int n = 0;
    for (int i = 0; i < 1200; i++) {
        int64_t now = (int64_t)i * 100;
        ratelimit_hit(rl, "k", now, &r);
        if (r.allowed)
            stamps[n++] = now;
    }
    for (int i = 0; i < n; i++) {
        allowed_in_window = 0;
        for (int j = i; j < n && stamps[j] < stamps[i] + 60000; j++)
            allowed_in_window++;
        cr_assert_leq(allowed_in_window, 60);
    }
    cr_assert_eq(n, 120);
    ratelimit_free(rl);
}

Test(ratelimit, keys_do_not_share_a_budget)
{
    ratelimit *rl = NULL;
    cr_assert_eq(ratelimit_new(1, &rl), RA_OK);
    ratelimit_result r;
    ratelimit_hit(rl, "a", 0, &r);
    cr_assert(r.allowed);
    ratelimit_hit(rl, "a", 1, &r);
    cr_assert_not(r.allowed);
    ratelimit_hit(rl, "b", 2, &r);
    cr_assert(r.allowed);
    ratelimit_free(rl);
}

Test(ratelimit, idle_entries_are_swept)
{
    ratelimit *rl = NULL;
    cr_assert_eq(ratelimit_new(2, &rl), RA_OK);
    ratelimit_result r;
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        ratelimit_hit(rl, key, (int64_t)i * 100, &r); /* each idle 60 s after */
        cr_assert(r.allowed);
    }
    ratelimit_free(rl); /* ASan reports any entry lost by the sweep */
}

Test(ratelimit, refuses_bad_limits)
{
    ratelimit *rl = NULL;
    cr_assert_eq(ratelimit_new(0, &rl), RA_ERR_INVALID);
    cr_assert_eq(ratelimit_new(RATELIMIT_MAX + 1, &rl), RA_ERR_INVALID);
    cr_assert_null(rl);
}

Test(roles, parse_names_and_kinds)
{
    cr_assert_eq(role_parse("manager"), ROLE_MANAGER);
    cr_assert_eq(role_parse("accounting"), ROLE_ACCOUNTING);
    cr_assert_eq(role_parse("Manager"), ROLE_INVALID);
    cr_assert_eq(role_parse(""), ROLE_INVALID);
    cr_assert_eq(role_parse(NULL), ROLE_INVALID);
    cr_assert_str_eq(role_name(ROLE_TECHNICAL), "technical");
    cr_assert_str_eq(role_name(ROLE_INVALID), "");
    cr_assert_eq(role_kind_of(ROLE_DOCTOR), ROLE_KIND_CORPORATE);
    cr_assert_eq(role_kind_of(ROLE_INDIVIDUAL), ROLE_KIND_INDIVIDUAL);
    cr_assert_eq(role_kind_of(ROLE_ADMIN), ROLE_KIND_PLATFORM);
}

Test(password, hashes_with_argon2id_and_verifies)
{
    char hash[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash("correct horse", hash), RA_OK);
    cr_assert_eq(strncmp(hash, "$argon2id$", 10), 0);
    cr_assert_eq(password_verify(hash, "correct horse"), RA_OK);
    cr_assert_eq(password_verify(hash, "correct horsf"), RA_ERR_INVALID);
}

Test(password, policy)
{
    cr_assert_eq(password_check_policy("12345678"), RA_OK);
    cr_assert_eq(password_check_policy("1234567"), RA_ERR_INVALID);
    cr_assert_eq(password_check_policy("        "), RA_ERR_INVALID);
    cr_assert_eq(password_check_policy("abcdefg\xff"), RA_ERR_INVALID);
    cr_assert_eq(password_check_policy(NULL), RA_ERR_INVALID);
}

/* test_hash.c - unit tests of src/core/hash: FNV-1a against the published
 * test vectors, and hashing in pieces equals hashing at once. */
#include <criterion/criterion.h>

#include "core/hash.h"

Test(hash, fnv1a_matches_the_published_vectors)
{
    cr_assert_eq(ra_fnv1a_str(""), 0xcbf29ce484222325ull);
    cr_assert_eq(ra_fnv1a_str("a"), 0xaf63dc4c8601ec8cull);
    cr_assert_eq(ra_fnv1a_str("foobar"), 0x85944171f73967e8ull);
}

Test(hash, fnv1a_continues_from_a_running_hash)
{
    uint64_t h = ra_fnv1a(RA_FNV1A_SEED, "foo", 3);
    cr_assert_eq(ra_fnv1a(h, "bar", 3), ra_fnv1a_str("foobar"));
    cr_assert_eq(ra_fnv1a(h, "", 0), h);
}

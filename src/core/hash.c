/* hash.c - FNV-1a (see hash.h). */
#include "core/hash.h"

#include <string.h>

uint64_t ra_fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

uint64_t ra_fnv1a_str(const char *s)
{
    return ra_fnv1a(RA_FNV1A_SEED, s, strlen(s));
}

/* hash.h - FNV-1a (64-bit), the one non-cryptographic hash: the buckets of
 * in-memory tables and fingerprints of data that is no secret. Never for keys,
 * passwords or tokens: auth hashes those with libsodium. THREAD SAFETY: any
 * thread (pure functions). */
#ifndef RAPORTAI_CORE_HASH_H
#define RAPORTAI_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define RA_FNV1A_SEED 14695981039346656037ull /* the FNV offset basis */

/* FNV-1a of the n bytes at data, continuing from h (RA_FNV1A_SEED to start). */
uint64_t ra_fnv1a(uint64_t h, const void *data, size_t n);

/* FNV-1a of the NUL-terminated string s, from RA_FNV1A_SEED. */
uint64_t ra_fnv1a_str(const char *s);

#endif

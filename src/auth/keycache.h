/* keycache.h - what is known of API keys, kept in memory by the hash of the
 * key, so that a request made with a known key authenticates without the
 * database.
 *
 * The cache holds at most `capacity` values of one size the caller chooses
 * (what deciding a key needs), each under the hex SHA-256 of its key; past
 * that, the one used longest ago goes. It is for keys that authenticate:
 * the caller puts only what the database said of a key found, so a flood
 * of unknown keys never fills it (each still costs the caller its lookup,
 * as without the cache).
 *
 * Forgetting. keycache_clear forgets everything at once; the process that
 * changes who may authenticate calls it after the change commits. Other
 * processes sharing the database learn of a change from a generation
 * number kept with it (one more with every change): keycache_check_due
 * tells one caller at most every KEYCACHE_CHECK_MS to read it, and
 * keycache_generation clears the cache when it moved. A value read from
 * the database while a clear happened is not kept: keycache_get hands the
 * caller the cache's epoch with a miss, and keycache_put drops a value
 * whose epoch has passed.
 *
 * THREAD SAFETY: every function may be called from any thread, except
 * keycache_free. */
#ifndef RAPORTAI_AUTH_KEYCACHE_H
#define RAPORTAI_AUTH_KEYCACHE_H

#include <stddef.h>
#include <stdint.h>

#define KEYCACHE_DEFAULT 4096  /* keys kept, unless configured */
#define KEYCACHE_MAX 1000000   /* the largest capacity accepted */
#define KEYCACHE_CHECK_MS 1000 /* how often the shared generation is read */
#define KEYCACHE_HASH_LEN 64   /* hex characters of a key's hash */

typedef struct keycache keycache;

/* A cache of capacity values of value_size bytes each; capacity 0 keeps
 * nothing (every keycache_get misses). RA_ERR_INVALID unless capacity <=
 * KEYCACHE_MAX and value_size > 0; RA_ERR_NOMEM. */
int keycache_new(size_t capacity, size_t value_size, keycache **out);
void keycache_free(keycache *kc);

/* Copies the value kept under hash (KEYCACHE_HASH_LEN characters) into
 * value and returns 1; 0 when none is kept, with *epoch (may be NULL) set
 * for keycache_put. */
int keycache_get(keycache *kc, const char *hash, void *value, uint64_t *epoch);
/* Keeps value under hash, unless the cache was cleared since the miss that
 * gave epoch. Cannot fail. */
void keycache_put(keycache *kc, const char *hash, const void *value, uint64_t epoch);
/* Forgets every value. */
void keycache_clear(keycache *kc);
/* How many values are kept. */
size_t keycache_count(keycache *kc);

/* 1 when the caller is the one to read the shared generation now and hand
 * it to keycache_generation: the first call, and then one call in each
 * KEYCACHE_CHECK_MS of now_ms (a monotonic clock) over all threads. */
int keycache_check_due(keycache *kc, int64_t now_ms);
/* The shared generation as just read: clears the cache when it differs
 * from the one handed before (not on the first). */
void keycache_generation(keycache *kc, int64_t generation);

#endif

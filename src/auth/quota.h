/* quota.h - bytes in flight per key, under a bound per key and a bound in
 * all: the uploads an organization is sending at once, and all uploads
 * together (which bounds what DATA/uploads can hold).
 *
 * A caller takes bytes before the work starts and gives exactly those bytes
 * back when it ends, whatever the outcome; a take that would pass either
 * bound is refused and changes nothing. Only keys holding bytes have an
 * entry, so the table is as large as the work in flight.
 *
 * THREAD SAFETY: every function but quota_new and quota_free may be called
 * from any thread. */
#ifndef RAPORTAI_AUTH_QUOTA_H
#define RAPORTAI_AUTH_QUOTA_H

#include <stdint.h>

#define QUOTA_KEY_MAX 64 /* longer keys are refused */

typedef struct quota quota;

/* RA_ERR_INVALID unless 1 <= per_key <= total; RA_ERR_NOMEM. */
int quota_new(uint64_t per_key, uint64_t total, quota **out);
/* Frees the table, whatever is still held. */
void quota_free(quota *q);

/* Takes bytes for key. RA_OK; RA_ERR_REFUSED when key would hold more than
 * per_key; RA_ERR_TOO_LARGE when all keys together would hold more than
 * total; RA_ERR_INVALID for a key that is empty or too long; RA_ERR_NOMEM.
 * Nothing is taken unless RA_OK. */
int quota_take(quota *q, const char *key, uint64_t bytes);
/* Gives back bytes key took (a take that returned RA_OK). Giving back more
 * than key holds is a programming error; it is clamped and logged. */
void quota_give(quota *q, const char *key, uint64_t bytes);
/* Bytes key holds now; with key NULL, bytes all keys hold. */
uint64_t quota_held(quota *q, const char *key);

#endif

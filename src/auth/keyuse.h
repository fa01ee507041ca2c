/* keyuse.h - uses of API keys counted in memory, to be written in batches.
 *
 * Each request made with a key adds one use and moves the key's last use
 * forward; a writer takes what has accumulated (keyuse_take) at most once a
 * second and at shutdown, and writes it in one transaction, so a request
 * itself writes nothing durable. What a process killed at once had not yet
 * written is lost: at most the last second's counts.
 *
 * THREAD SAFETY: every function may be called from any thread, except
 * keyuse_free. */
#ifndef RAPORTAI_AUTH_KEYUSE_H
#define RAPORTAI_AUTH_KEYUSE_H

#include <stddef.h>
#include <stdint.h>

#define KEYUSE_ID_MAX 40 /* bytes of a key's id, the NUL included */

typedef struct keyuse keyuse;

/* Room for the uses of max_keys keys between two takes. RA_ERR_INVALID
 * when max_keys is 0; RA_ERR_NOMEM. */
int keyuse_new(size_t max_keys, keyuse **out);
void keyuse_free(keyuse *u);

/* Adds count uses of key_id, the last at last_ms (ms since the epoch; the
 * later of it and any waiting stays). RA_ERR_REFUSED, nothing added, when
 * max_keys other keys have uses waiting; RA_ERR_INVALID for an id longer
 * than KEYUSE_ID_MAX - 1. */
int keyuse_add(keyuse *u, const char *key_id, int64_t count, int64_t last_ms);

/* Hands every waiting key's uses to fn, once each, and forgets them; fn
 * must not call keyuse_* on u. Returns how many keys were handed. */
size_t keyuse_take(keyuse *u,
                   void (*fn)(const char *key_id, int64_t count, int64_t last_ms, void *ctx),
                   void *ctx);

#endif

/* keyuse.c - uses of API keys counted in memory (see keyuse.h): an open
 * addressing table of key ids, twice as large as the keys it may hold,
 * emptied by each take (every slot it hands over, so a take of nothing
 * costs nothing). */
#include "auth/keyuse.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"

typedef struct slot {
    char id[KEYUSE_ID_MAX]; /* "" when free */
    int64_t count, last_ms;
} slot;

struct keyuse {
    pthread_mutex_t lock;
    slot *slots;
    size_t n_slots; /* a power of two, at least twice max_keys */
    size_t max_keys, used;
};

int keyuse_new(size_t max_keys, keyuse **out)
{
    if (max_keys == 0 || max_keys > SIZE_MAX / 4 / sizeof(slot))
        return RA_ERR_INVALID;
    keyuse *u = calloc(1, sizeof *u);
    if (u == NULL)
        return RA_ERR_NOMEM;
    u->max_keys = max_keys;
    u->n_slots = 2;
    while (u->n_slots < max_keys * 2)
        u->n_slots <<= 1;
    u->slots = calloc(u->n_slots, sizeof *u->slots);
    if (u->slots == NULL) {
        free(u);
        return RA_ERR_NOMEM;
    }
    pthread_mutex_init(&u->lock, NULL);
    *out = u;
    return RA_OK;
}

void keyuse_free(keyuse *u)
{
    if (u == NULL)
        return;
    pthread_mutex_destroy(&u->lock);
    free(u->slots);
    free(u);
}

static size_t home_of(const keyuse *u, const char *id)
{
    return (size_t)(ra_fnv1a_str(id) & (u->n_slots - 1));
}

int keyuse_add(keyuse *u, const char *key_id, int64_t count, int64_t last_ms)
{
    size_t n = strlen(key_id);
    if (n == 0 || n >= KEYUSE_ID_MAX)
        return RA_ERR_INVALID;
    int rc = RA_OK;
    pthread_mutex_lock(&u->lock);
    size_t i = home_of(u, key_id);
    while (u->slots[i].id[0] != '\0' && strcmp(u->slots[i].id, key_id) != 0)
        i = (i + 1) & (u->n_slots - 1);
    slot *sl = &u->slots[i];
    if (sl->id[0] == '\0' && u->used >= u->max_keys) {
        rc = RA_ERR_REFUSED;
    } else {
        if (sl->id[0] == '\0') {
            memcpy(sl->id, key_id, n + 1);
            sl->count = 0;
            sl->last_ms = last_ms;
            u->used++;
        }
        sl->count += count;
        if (last_ms > sl->last_ms)
            sl->last_ms = last_ms;
    }
    pthread_mutex_unlock(&u->lock);
    return rc;
}

size_t keyuse_take(keyuse *u,
                   void (*fn)(const char *key_id, int64_t count, int64_t last_ms, void *ctx),
                   void *ctx)
{
    size_t handed = 0;
    pthread_mutex_lock(&u->lock);
    /* Each slot handed is emptied; past the last used one all are empty
     * already, so a take of nothing touches nothing. */
    for (size_t i = 0; i < u->n_slots && handed < u->used; i++) {
        slot *sl = &u->slots[i];
        if (sl->id[0] == '\0')
            continue;
        fn(sl->id, sl->count, sl->last_ms, ctx);
        memset(sl, 0, sizeof *sl);
        handed++;
    }
    u->used = 0;
    pthread_mutex_unlock(&u->lock);
    return handed;
}

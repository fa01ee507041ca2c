/* ratelimit.c - exact sliding-window rate limit per key (see ratelimit.h).
 *
 * A chained hash table of entries; each entry holds a ring of the request
 * times inside the window, oldest first. One mutex guards the table: the
 * work under it is a few comparisons per request. */
#include "auth/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"

#define N_BUCKETS 1024
#define SWEEP_AT 4096 /* entries before idle ones are dropped */
#define KEY_MAX 64

typedef struct entry {
    struct entry *next;
    char key[KEY_MAX];
    unsigned head;    /* index of the oldest stamp */
    unsigned count;   /* stamps in the ring */
    int64_t stamps[]; /* `limit` slots */
} entry;

struct ratelimit {
    pthread_mutex_t lock;
    unsigned limit;
    unsigned n_entries;
    entry *buckets[N_BUCKETS];
};

int ratelimit_new(unsigned limit, ratelimit **out)
{
    if (limit < 1 || limit > RATELIMIT_MAX)
        return RA_ERR_INVALID;
    ratelimit *rl = calloc(1, sizeof *rl);
    if (rl == NULL)
        return RA_ERR_NOMEM;
    pthread_mutex_init(&rl->lock, NULL);
    rl->limit = limit;
    *out = rl;
    return RA_OK;
}

void ratelimit_free(ratelimit *rl)
{
    if (rl == NULL)
        return;
    for (size_t i = 0; i < N_BUCKETS; i++) {
        entry *e = rl->buckets[i];
        while (e) {
            entry *next = e->next;
            free(e);
            e = next;
        }
    }
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

static size_t bucket_of(const char *key)
{
    return (size_t)(ra_fnv1a_str(key) % N_BUCKETS);
}

static void expire(ratelimit *rl, entry *e, int64_t now_ms)
{
    while (e->count > 0 && e->stamps[e->head] <= now_ms - RATELIMIT_WINDOW_MS) {
        e->head = (e->head + 1) % rl->limit;
        e->count--;
    }
}

/* Drops entries with no request inside the window. */
static void sweep(ratelimit *rl, int64_t now_ms)
{
    for (size_t i = 0; i < N_BUCKETS; i++) {
        entry **link = &rl->buckets[i];
        while (*link) {
            entry *e = *link;
            expire(rl, e, now_ms);
            if (e->count == 0) {
                *link = e->next;
                free(e);
                rl->n_entries--;
            } else {
                link = &e->next;
            }
        }
    }
}

static entry *find_or_add(ratelimit *rl, const char *key, int64_t now_ms)
{
    size_t b = bucket_of(key);
    for (entry *e = rl->buckets[b]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    if (rl->n_entries >= SWEEP_AT)
        sweep(rl, now_ms);
    entry *e = calloc(1, sizeof *e + rl->limit * sizeof e->stamps[0]);
    if (e == NULL)
        return NULL;
    size_t n = strlen(key);
    memcpy(e->key, key, n < KEY_MAX ? n : KEY_MAX - 1);
    e->next = rl->buckets[b];
    rl->buckets[b] = e;
    rl->n_entries++;
    return e;
}

static unsigned seconds_until(int64_t when_ms, int64_t now_ms)
{
    int64_t ms = when_ms - now_ms;
    return ms <= 0 ? 0 : (unsigned)((ms + 999) / 1000);
}

void ratelimit_hit(ratelimit *rl, const char *key, int64_t now_ms, ratelimit_result *out)
{
    out->limit = rl->limit;
    pthread_mutex_lock(&rl->lock);
    entry *e = find_or_add(rl, key, now_ms);
    if (e == NULL) {
        out->allowed = 1;
        out->remaining = rl->limit;
        out->reset_s = 0;
        pthread_mutex_unlock(&rl->lock);
        return;
    }
    expire(rl, e, now_ms);
    out->allowed = e->count < rl->limit;
    if (out->allowed) {
        e->stamps[(e->head + e->count) % rl->limit] = now_ms;
        e->count++;
    }
    out->remaining = rl->limit - e->count;
    out->reset_s = seconds_until(e->stamps[e->head] + RATELIMIT_WINDOW_MS, now_ms);
    pthread_mutex_unlock(&rl->lock);
}

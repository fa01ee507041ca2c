/* keycache.c - API keys kept in memory by hash (see keycache.h).
 *
 * The values live in one array allocated at creation; a node's index is
 * its place in it. Nodes are chained in buckets by a hash of the key's
 * hash, and in a list from the most to the least recently used, whose
 * tail is taken when the array is full. One mutex guards it all; the
 * generation check's clock is an atomic, so the requests that are not due
 * never take the lock for it. */
#include "auth/keycache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"

#define NIL UINT32_MAX

typedef struct node {
    char hash[KEYCACHE_HASH_LEN + 1];
    uint32_t chain;      /* next node in the bucket */
    uint32_t prev, next; /* the recency list: prev is more recent */
} node;

struct keycache {
    pthread_mutex_t lock;
    size_t capacity, value_size;
    node *nodes;                   /* capacity of them */
    unsigned char *values;         /* capacity * value_size bytes */
    uint32_t *buckets;             /* n_buckets heads, NIL when empty */
    size_t n_buckets;              /* a power of two */
    size_t used;                   /* nodes in use: nodes[0 .. used) */
    uint32_t head, tail;           /* most and least recently used */
    uint64_t epoch;                /* one more with every clear */
    int has_generation;            /* a generation was handed */
    int64_t generation;            /* the last one handed */
    _Atomic int64_t next_check_ms; /* INT64_MIN: never checked */
};

int keycache_new(size_t capacity, size_t value_size, keycache **out)
{
    if (capacity > KEYCACHE_MAX || value_size == 0)
        return RA_ERR_INVALID;
    keycache *kc = calloc(1, sizeof *kc);
    if (kc == NULL)
        return RA_ERR_NOMEM;
    kc->capacity = capacity;
    kc->value_size = value_size;
    kc->n_buckets = 1;
    while (kc->n_buckets < capacity * 2)
        kc->n_buckets <<= 1;
    kc->nodes = calloc(capacity ? capacity : 1, sizeof *kc->nodes);
    kc->values = calloc(capacity ? capacity : 1, value_size);
    kc->buckets = malloc(kc->n_buckets * sizeof *kc->buckets);
    if (kc->nodes == NULL || kc->values == NULL || kc->buckets == NULL) {
        keycache_free(kc);
        return RA_ERR_NOMEM;
    }
    for (size_t i = 0; i < kc->n_buckets; i++)
        kc->buckets[i] = NIL;
    kc->head = kc->tail = NIL;
    atomic_init(&kc->next_check_ms, INT64_MIN);
    pthread_mutex_init(&kc->lock, NULL);
    *out = kc;
    return RA_OK;
}

void keycache_free(keycache *kc)
{
    if (kc == NULL)
        return;
    if (kc->buckets != NULL && kc->nodes != NULL && kc->values != NULL)
        pthread_mutex_destroy(&kc->lock);
    free(kc->nodes);
    free(kc->values);
    free(kc->buckets);
    free(kc);
}

/* FNV-1a of the key's hash: its characters are already random. */
static size_t bucket_of(const keycache *kc, const char *hash)
{
    uint64_t h = ra_fnv1a(RA_FNV1A_SEED, hash, strnlen(hash, KEYCACHE_HASH_LEN));
    return (size_t)(h & (kc->n_buckets - 1));
}

static uint32_t find(const keycache *kc, const char *hash)
{
    for (uint32_t i = kc->buckets[bucket_of(kc, hash)]; i != NIL; i = kc->nodes[i].chain)
        if (strcmp(kc->nodes[i].hash, hash) == 0)
            return i;
    return NIL;
}

static void unlink_recent(keycache *kc, uint32_t i)
{
    node *n = &kc->nodes[i];
    if (n->prev != NIL)
        kc->nodes[n->prev].next = n->next;
    else
        kc->head = n->next;
    if (n->next != NIL)
        kc->nodes[n->next].prev = n->prev;
    else
        kc->tail = n->prev;
}

static void push_recent(keycache *kc, uint32_t i)
{
    node *n = &kc->nodes[i];
    n->prev = NIL;
    n->next = kc->head;
    if (kc->head != NIL)
        kc->nodes[kc->head].prev = i;
    kc->head = i;
    if (kc->tail == NIL)
        kc->tail = i;
}

static void unlink_bucket(keycache *kc, uint32_t i)
{
    uint32_t *p = &kc->buckets[bucket_of(kc, kc->nodes[i].hash)];
    while (*p != i)
        p = &kc->nodes[*p].chain;
    *p = kc->nodes[i].chain;
}

int keycache_get(keycache *kc, const char *hash, void *value, uint64_t *epoch)
{
    pthread_mutex_lock(&kc->lock);
    uint32_t i = kc->capacity ? find(kc, hash) : NIL;
    if (i != NIL) {
        unlink_recent(kc, i);
        push_recent(kc, i);
        memcpy(value, kc->values + (size_t)i * kc->value_size, kc->value_size);
    } else if (epoch != NULL) {
        *epoch = kc->epoch;
    }
    pthread_mutex_unlock(&kc->lock);
    return i != NIL;
}

void keycache_put(keycache *kc, const char *hash, const void *value, uint64_t epoch)
{
    if (kc->capacity == 0 || strlen(hash) != KEYCACHE_HASH_LEN)
        return;
    pthread_mutex_lock(&kc->lock);
    if (epoch == kc->epoch) {
        uint32_t i = find(kc, hash);
        if (i != NIL) {
            unlink_recent(kc, i);
        } else if (kc->used < kc->capacity) {
            i = (uint32_t)kc->used++;
        } else { /* full: the least recently used goes */
            i = kc->tail;
            unlink_recent(kc, i);
            unlink_bucket(kc, i);
        }
        if (kc->nodes[i].hash[0] == '\0' || strcmp(kc->nodes[i].hash, hash) != 0) {
            memcpy(kc->nodes[i].hash, hash, KEYCACHE_HASH_LEN + 1);
            size_t b = bucket_of(kc, hash);
            kc->nodes[i].chain = kc->buckets[b];
            kc->buckets[b] = i;
        }
        push_recent(kc, i);
        memcpy(kc->values + (size_t)i * kc->value_size, value, kc->value_size);
    }
    pthread_mutex_unlock(&kc->lock);
}

static void clear_locked(keycache *kc)
{
    for (size_t i = 0; i < kc->n_buckets; i++)
        kc->buckets[i] = NIL;
    for (size_t i = 0; i < kc->used; i++)
        kc->nodes[i].hash[0] = '\0';
    kc->used = 0;
    kc->head = kc->tail = NIL;
    kc->epoch++;
}

void keycache_clear(keycache *kc)
{
    pthread_mutex_lock(&kc->lock);
    clear_locked(kc);
    pthread_mutex_unlock(&kc->lock);
}

size_t keycache_count(keycache *kc)
{
    pthread_mutex_lock(&kc->lock);
    size_t n = kc->used;
    pthread_mutex_unlock(&kc->lock);
    return n;
}

int keycache_check_due(keycache *kc, int64_t now_ms)
{
    int64_t next = atomic_load(&kc->next_check_ms);
    if (next != INT64_MIN && now_ms < next)
        return 0;
    return atomic_compare_exchange_strong(&kc->next_check_ms, &next, now_ms + KEYCACHE_CHECK_MS);
}

void keycache_generation(keycache *kc, int64_t generation)
{
    pthread_mutex_lock(&kc->lock);
    if (kc->has_generation && generation != kc->generation)
        clear_locked(kc);
    kc->has_generation = 1;
    kc->generation = generation;
    pthread_mutex_unlock(&kc->lock);
}

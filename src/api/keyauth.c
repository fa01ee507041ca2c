/* keyauth.c - the External API's keys without the database on the hot path
 * (see api.h): what is known of each key that authenticated, kept by hash
 * (auth/keycache.h), and its uses counted in memory (auth/keyuse.h) and
 * written by a thread of its own once a second and at the end.
 *
 * Forgetting. A change in this process that can refuse a key (revoke,
 * rotate, deactivate, suspend, a role) clears the cache when it commits
 * (the store's auth hook); one made by another process sharing the
 * database is seen by the first request at least KEYCACHE_CHECK_MS after
 * the last look at the store's auth generation, which clears it then. An
 * unknown, revoked or expired key is never kept: each of its requests costs
 * one lookup, as before the cache. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/internal.h"
#include "auth/keycache.h"
#include "auth/keyuse.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"

#define USES_MAX_KEYS 65536 /* keys whose uses wait between two writes */
#define WRITE_EVERY_MS 1000

struct api_keyauth {
    store *store; /* borrowed */
    keycache *cache;
    keyuse *uses;
    pthread_t writer;
    pthread_mutex_t lock; /* guards stopping */
    pthread_cond_t wake;
    int stopping, started;
};

static void forget_all(void *ctx)
{
    keycache_clear(((api_keyauth *)ctx)->cache);
}

/* The uses taken from the counts, into a growing array of store_key_use
 * (lost, and said so, when memory runs out). */
typedef struct taken {
    store_key_use *list;
    size_t n, cap;
    int64_t lost;
} taken;

static void take_one(const char *key_id, int64_t count, int64_t last_ms, void *ctx)
{
    taken *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        store_key_use *list = realloc(t->list, cap * sizeof *list);
        if (list == NULL) {
            t->lost += count;
            return;
        }
        t->list = list;
        t->cap = cap;
    }
    store_key_use *u = &t->list[t->n++];
    snprintf(u->key_id, sizeof u->key_id, "%s", key_id);
    u->count = count;
    u->last_ms = last_ms;
}

int api_keyauth_write(api_keyauth *ka)
{
    taken t = {.n = 0};
    if (keyuse_take(ka->uses, take_one, &t) == 0)
        return RA_OK;
    if (t.lost > 0)
        log_warn("api: %lld uses of API keys lost: out of memory", (long long)t.lost);
    int rc = store_key_add_uses(ka->store, t.list, t.n);
    for (size_t i = 0; rc != RA_OK && i < t.n; i++) /* kept for the next write */
        if (keyuse_add(ka->uses, t.list[i].key_id, t.list[i].count, t.list[i].last_ms) != RA_OK)
            log_warn("api: %lld uses of a key lost: too many keys wait to be written",
                     (long long)t.list[i].count);
    free(t.list);
    return rc;
}

static void *writer(void *arg)
{
    api_keyauth *ka = arg;
    pthread_mutex_lock(&ka->lock);
    while (!ka->stopping) {
        struct timespec until = time_deadline_ms(WRITE_EVERY_MS);
        while (!ka->stopping && pthread_cond_timedwait(&ka->wake, &ka->lock, &until) == 0)
            ;
        pthread_mutex_unlock(&ka->lock);
        int rc = api_keyauth_write(ka);
        if (rc != RA_OK)
            log_warn("api: cannot write the uses of API keys: %s", ra_strerror(rc));
        pthread_mutex_lock(&ka->lock);
    }
    pthread_mutex_unlock(&ka->lock);
    return NULL;
}

int api_keyauth_new(store *s, size_t cache_size, int writer_thread, api_keyauth **out)
{
    api_keyauth *ka = calloc(1, sizeof *ka);
    if (ka == NULL)
        return RA_ERR_NOMEM;
    ka->store = s;
    int rc = keycache_new(cache_size, sizeof(store_key_auth), &ka->cache);
    if (rc == RA_OK)
        rc = keyuse_new(USES_MAX_KEYS, &ka->uses);
    if (rc != RA_OK) {
        keycache_free(ka->cache);
        free(ka);
        return rc;
    }
    pthread_mutex_init(&ka->lock, NULL);
    pthread_cond_init(&ka->wake, NULL);
    if (writer_thread && pthread_create(&ka->writer, NULL, writer, ka) != 0) {
        api_keyauth_free(ka);
        return RA_ERR_NOMEM;
    }
    ka->started = writer_thread;
    store_set_auth_hook(s, forget_all, ka);
    *out = ka;
    return RA_OK;
}

void api_keyauth_free(api_keyauth *ka)
{
    if (ka == NULL)
        return;
    store_set_auth_hook(ka->store, NULL, NULL);
    if (ka->started) {
        pthread_mutex_lock(&ka->lock);
        ka->stopping = 1;
        pthread_cond_signal(&ka->wake);
        pthread_mutex_unlock(&ka->lock);
        pthread_join(ka->writer, NULL);
    }
    int rc = api_keyauth_write(ka);
    if (rc != RA_OK)
        log_warn("api: cannot write the uses of API keys at shutdown: %s", ra_strerror(rc));
    pthread_cond_destroy(&ka->wake);
    pthread_mutex_destroy(&ka->lock);
    keyuse_free(ka->uses);
    keycache_free(ka->cache);
    free(ka);
}

/* Looks at the store's auth generation when it is due. A generation that
 * cannot be read forgets every key: refusing is safer than trusting. */
static void check_generation(api_keyauth *ka)
{
    if (!keycache_check_due(ka->cache, time_mono_ms()))
        return;
    int64_t generation = 0;
    int rc = store_auth_generation(ka->store, &generation);
    if (rc == RA_OK) {
        keycache_generation(ka->cache, generation);
        return;
    }
    log_warn("api: cannot read the generation of API keys: %s", ra_strerror(rc));
    keycache_clear(ka->cache);
}

int api_keyauth_find(api_keyauth *ka, const char *hash, store_key_auth *out)
{
    check_generation(ka);
    uint64_t epoch = 0;
    if (keycache_get(ka->cache, hash, out, &epoch))
        return RA_OK;
    int rc = store_key_auth_by_hash(ka->store, hash, out);
    if (rc == RA_OK && store_key_is_live(&out->key, time_now_ms()) && out->user_may_use)
        keycache_put(ka->cache, hash, out, epoch);
    return rc;
}

void api_keyauth_used(api_keyauth *ka, const char *key_id)
{
    int64_t now = time_now_ms();
    if (keyuse_add(ka->uses, key_id, 1, now) == RA_OK)
        return;
    /* more keys wait than the counts hold: this one is written at once */
    store_key_use one = {.count = 1, .last_ms = now};
    snprintf(one.key_id, sizeof one.key_id, "%s", key_id);
    int rc = store_key_add_uses(ka->store, &one, 1);
    if (rc != RA_OK)
        log_warn("api: could not record a use of an API key: %s", ra_strerror(rc));
}

size_t api_keyauth_cached(api_keyauth *ka)
{
    return keycache_count(ka->cache);
}

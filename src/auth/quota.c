/* quota.c - bytes in flight per key with a bound in all (see quota.h).
 *
 * A singly linked list of the keys that hold bytes: it is as long as the
 * uploads in flight (a few hundred at most, one per connection), so a walk
 * under the one mutex costs less than the system call that follows. An
 * entry is freed as soon as its key holds nothing. */
#include "auth/quota.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

typedef struct entry {
    struct entry *next;
    char key[QUOTA_KEY_MAX + 1];
    uint64_t held; /* never 0 while in the list */
} entry;

struct quota {
    pthread_mutex_t lock;
    uint64_t per_key, total;
    uint64_t held; /* by all keys */
    entry *entries;
};

int quota_new(uint64_t per_key, uint64_t total, quota **out)
{
    if (per_key < 1 || per_key > total)
        return RA_ERR_INVALID;
    quota *q = calloc(1, sizeof *q);
    if (q == NULL)
        return RA_ERR_NOMEM;
    pthread_mutex_init(&q->lock, NULL);
    q->per_key = per_key;
    q->total = total;
    *out = q;
    return RA_OK;
}

void quota_free(quota *q)
{
    if (q == NULL)
        return;
    for (entry *e = q->entries, *next; e != NULL; e = next) {
        next = e->next;
        free(e);
    }
    pthread_mutex_destroy(&q->lock);
    free(q);
}

/* The entry of key, and in *link the pointer that points to it; NULL when
 * key holds nothing. Called with the lock held. */
static entry *find(quota *q, const char *key, entry ***link)
{
    entry **p = &q->entries;
    for (; *p != NULL; p = &(*p)->next)
        if (strcmp((*p)->key, key) == 0)
            break;
    if (link != NULL)
        *link = p;
    return *p;
}

int quota_take(quota *q, const char *key, uint64_t bytes)
{
    size_t n = strlen(key);
    if (n == 0 || n > QUOTA_KEY_MAX)
        return RA_ERR_INVALID;
    int rc = RA_OK;
    pthread_mutex_lock(&q->lock);
    entry *e = find(q, key, NULL);
    uint64_t mine = e ? e->held : 0;
    if (bytes > q->per_key - mine)
        rc = RA_ERR_REFUSED;
    else if (bytes > q->total - q->held)
        rc = RA_ERR_TOO_LARGE;
    else if (e == NULL && bytes > 0) {
        e = calloc(1, sizeof *e);
        if (e == NULL)
            rc = RA_ERR_NOMEM;
        else {
            memcpy(e->key, key, n + 1);
            e->next = q->entries;
            q->entries = e;
        }
    }
    if (rc == RA_OK && bytes > 0) {
        e->held += bytes;
        q->held += bytes;
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

void quota_give(quota *q, const char *key, uint64_t bytes)
{
    if (bytes == 0)
        return;
    pthread_mutex_lock(&q->lock);
    entry **link = NULL;
    entry *e = find(q, key, &link);
    uint64_t mine = e ? e->held : 0;
    if (bytes > mine) {
        log_error("quota: %llu bytes given back for a key holding %llu", (unsigned long long)bytes,
                  (unsigned long long)mine);
        bytes = mine;
    }
    q->held -= bytes;
    if (e != NULL) {
        e->held -= bytes;
        if (e->held == 0) {
            *link = e->next;
            free(e);
        }
    }
    pthread_mutex_unlock(&q->lock);
}

uint64_t quota_held(quota *q, const char *key)
{
    pthread_mutex_lock(&q->lock);
    entry *e = key ? find(q, key, NULL) : NULL;
    uint64_t held = key ? (e ? e->held : 0) : q->held;
    pthread_mutex_unlock(&q->lock);
    return held;
}

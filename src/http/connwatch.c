/* connwatch.c - the registry of inbound connections and the sweeper that
 * cuts the ones past their header deadline or below the body's minimum rate
 * (see connwatch.h). Owns the sweeper thread and the shutdown(2) calls. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/connwatch.h"

/* Cuts logged one by one in one sweep; the rest are counted in one line, so
 * a thousand slow clients cut at once cannot flood the log. */
#define LOG_CUTS_PER_SWEEP 10

struct connwatch_conn {
    connwatch_conn *prev, *next; /* under the watch's lock */
    int fd;
    int cut;                         /* shut down already; under the lock */
    _Atomic int phase;               /* connwatch_phase */
    _Atomic int64_t since_ms;        /* when the phase started */
    _Atomic uint64_t body_bytes;     /* in CONNWATCH_BODY */
    char peer[CONNWATCH_ADDR_LEN];   /* the connected address */
    char client[CONNWATCH_ADDR_LEN]; /* the forwarded one; under the lock */
};

struct connwatch {
    connwatch_config cfg;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    connwatch_conn *head; /* under lock */
    int stopping;         /* under lock */
    int running;          /* the sweeper was started */
    pthread_t sweeper;
};

connwatch_verdict connwatch_judge(const connwatch_config *cfg, connwatch_phase phase,
                                  int64_t since_ms, uint64_t body_bytes, int64_t now_ms)
{
    int64_t age = now_ms - since_ms;
    if (phase == CONNWATCH_HEADERS && cfg->header_ms > 0 && age > cfg->header_ms)
        return CONNWATCH_CUT_HEADERS;
    if (phase != CONNWATCH_BODY || cfg->min_body_rate == 0 || age <= cfg->body_grace_ms)
        return CONNWATCH_OK;
    /* Every byte earns 1000/rate ms: cut when the time past the grace is
     * more than the bytes have earned. Compared in bytes, so no division
     * rounds a slow body up to a fast one. */
    uint64_t owed = (uint64_t)(age - cfg->body_grace_ms) * cfg->min_body_rate / 1000;
    return body_bytes < owed ? CONNWATCH_CUT_BODY : CONNWATCH_OK;
}

/* Shuts down the connections due at now; under w->lock. Logs the first
 * LOG_CUTS_PER_SWEEP cuts and counts the rest into *more. */
static void sweep_once(connwatch *w, int64_t now, unsigned *logged, unsigned *more)
{
    for (connwatch_conn *c = w->head; c != NULL; c = c->next) {
        if (c->cut)
            continue;
        /* Read once: the connection's thread may start its next phase as
         * soon as the socket is shut down. */
        connwatch_phase phase = (connwatch_phase)atomic_load(&c->phase);
        int64_t since = atomic_load(&c->since_ms);
        uint64_t bytes = atomic_load(&c->body_bytes);
        connwatch_verdict v = connwatch_judge(&w->cfg, phase, since, bytes, now);
        if (v == CONNWATCH_OK)
            continue;
        /* The lock keeps c registered, so fd is still this connection's:
         * the server removes c before libmicrohttpd closes the socket. */
        shutdown(c->fd, SHUT_RDWR);
        c->cut = 1;
        if (*logged >= LOG_CUTS_PER_SWEEP) {
            (*more)++;
            continue;
        }
        (*logged)++;
        if (v == CONNWATCH_CUT_HEADERS)
            log_warn("http: cut a connection from %s: its request's headers were not complete "
                     "within %lld ms",
                     c->peer, (long long)w->cfg.header_ms);
        else
            log_warn("http: cut a connection from %s%s%s: its request's body came slower than "
                     "%llu bytes/s (%llu bytes in %lld ms)",
                     c->client[0] ? c->client : c->peer, c->client[0] ? " via " : "",
                     c->client[0] ? c->peer : "", (unsigned long long)w->cfg.min_body_rate,
                     (unsigned long long)bytes, (long long)(now - since));
    }
}

static void *sweep_loop(void *arg)
{
    connwatch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        struct timespec until = time_deadline_ms(CONNWATCH_TICK_MS);
        pthread_cond_timedwait(&w->wake, &w->lock, &until);
        if (w->stopping)
            break;
        unsigned logged = 0, more = 0;
        sweep_once(w, time_mono_ms(), &logged, &more);
        if (more > 0)
            log_warn("http: cut %u more slow connections", more);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int connwatch_start(const connwatch_config *cfg, connwatch **out)
{
    *out = NULL;
    connwatch *w = calloc(1, sizeof *w);
    if (w == NULL)
        return RA_ERR_NOMEM;
    w->cfg = *cfg;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (cfg->header_ms > 0 || cfg->min_body_rate > 0) {
        if (pthread_create(&w->sweeper, NULL, sweep_loop, w) != 0) {
            pthread_cond_destroy(&w->wake);
            pthread_mutex_destroy(&w->lock);
            free(w);
            return RA_ERR_NOMEM;
        }
        w->running = 1;
    }
    *out = w;
    return RA_OK;
}

void connwatch_stop(connwatch *w)
{
    if (w == NULL)
        return;
    if (w->running) {
        pthread_mutex_lock(&w->lock);
        w->stopping = 1;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->sweeper, NULL);
    }
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

connwatch_conn *connwatch_add(connwatch *w, int fd, const char *peer)
{
    connwatch_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->fd = fd;
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    atomic_store(&c->since_ms, time_mono_ms());
    atomic_store(&c->phase, CONNWATCH_HEADERS);
    pthread_mutex_lock(&w->lock);
    c->next = w->head;
    if (w->head != NULL)
        w->head->prev = c;
    w->head = c;
    pthread_mutex_unlock(&w->lock);
    return c;
}

void connwatch_remove(connwatch *w, connwatch_conn *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        w->head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&w->lock);
    free(c);
}

void connwatch_headers_done(connwatch *w, connwatch_conn *c, const char *client)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    snprintf(c->client, sizeof c->client, "%s", strcmp(client, c->peer) != 0 ? client : "");
    pthread_mutex_unlock(&w->lock);
    /* since before phase: a sweeper that sees the new phase sees its start. */
    atomic_store(&c->body_bytes, 0);
    atomic_store(&c->since_ms, time_mono_ms());
    atomic_store(&c->phase, CONNWATCH_BODY);
}

void connwatch_body(connwatch_conn *c, size_t n)
{
    if (c != NULL)
        atomic_fetch_add(&c->body_bytes, (uint64_t)n);
}

void connwatch_body_done(connwatch_conn *c)
{
    if (c != NULL)
        atomic_store(&c->phase, CONNWATCH_DONE);
}

void connwatch_request_done(connwatch_conn *c)
{
    if (c == NULL)
        return;
    atomic_store(&c->since_ms, time_mono_ms());
    atomic_store(&c->phase, CONNWATCH_HEADERS);
}

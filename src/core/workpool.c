/* workpool.c - threads taking work from a bounded ring of waiting items (see
 * workpool.h). One mutex guards the ring and the stop flag; a thread waits
 * on `work` while the ring is empty. */
#include "core/workpool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

typedef struct work_item {
    workpool_fn fn;
    void *arg;
} work_item;

struct workpool {
    pthread_mutex_t lock;
    pthread_cond_t work; /* signalled when an item is queued or on stop */
    work_item *ring;     /* queue_max + one slot per thread */
    unsigned slots, head, count;
    unsigned queue_max;
    unsigned busy; /* threads running an item */
    int stopping;
    int nice_inc;
    pthread_t *threads;
    unsigned n_threads;
};

static void lower_priority(int nice_inc)
{
    if (nice_inc == 0)
        return;
    /* On Linux a thread's nice value is its own: set it by thread id. */
    pid_t tid = (pid_t)syscall(SYS_gettid);
    errno = 0;
    int now = getpriority(PRIO_PROCESS, (id_t)tid);
    if ((now == -1 && errno != 0) || setpriority(PRIO_PROCESS, (id_t)tid, now + nice_inc) != 0)
        log_warn("workpool: cannot lower a worker's priority: %s", strerror(errno));
}

static void *worker(void *arg)
{
    workpool *p = arg;
    lower_priority(p->nice_inc);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->count == 0 && !p->stopping)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->count == 0)
            break; /* stopping, and nothing left to run */
        work_item item = p->ring[p->head];
        p->head = (p->head + 1) % p->slots;
        p->count--;
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        item.fn(item.arg);
        pthread_mutex_lock(&p->lock);
        p->busy--;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void stop_threads(workpool *p, unsigned started)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(p->threads[i], NULL);
}

static void release(workpool *p)
{
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p->ring);
    free(p);
}

int workpool_new(unsigned threads, unsigned queue_max, int nice_inc, workpool **out)
{
    if (threads < 1 || threads > WORKPOOL_MAX_THREADS || queue_max > WORKPOOL_MAX_QUEUE)
        return RA_ERR_INVALID;
    workpool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return RA_ERR_NOMEM;
    p->queue_max = queue_max;
    p->slots = queue_max + threads;
    p->nice_inc = nice_inc;
    p->ring = calloc(p->slots, sizeof *p->ring);
    p->threads = calloc(threads, sizeof *p->threads);
    if (p->ring == NULL || p->threads == NULL) {
        free(p->ring);
        free(p->threads);
        free(p);
        return RA_ERR_NOMEM;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    for (; p->n_threads < threads; p->n_threads++) {
        if (pthread_create(&p->threads[p->n_threads], NULL, worker, p) != 0) {
            stop_threads(p, p->n_threads);
            release(p);
            return RA_ERR_IO;
        }
    }
    *out = p;
    return RA_OK;
}

/* Items that may be in the ring at once: queue_max waiting, plus one for
 * each thread not running an item, which takes it at once. */
static int has_room(const workpool *p)
{
    return p->count < p->queue_max + (p->n_threads - p->busy);
}

int workpool_submit(workpool *p, workpool_fn fn, void *arg)
{
    pthread_mutex_lock(&p->lock);
    int rc = RA_ERR_REFUSED;
    if (!p->stopping && has_room(p)) {
        p->ring[(p->head + p->count) % p->slots] = (work_item){fn, arg};
        p->count++;
        pthread_cond_signal(&p->work);
        rc = RA_OK;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int workpool_full(workpool *p)
{
    pthread_mutex_lock(&p->lock);
    int full = p->stopping || !has_room(p);
    pthread_mutex_unlock(&p->lock);
    return full;
}

void workpool_free(workpool *p)
{
    if (p == NULL)
        return;
    stop_threads(p, p->n_threads);
    release(p);
}

/* test_workpool.c - unit tests for src/core/workpool: work runs on the pool's
 * threads, a full queue refuses at once, and freeing runs what is queued. */
#include <criterion/criterion.h>
#include <pthread.h>

#include "core/err.h"
#include "core/workpool.h"

/* Work that holds its thread until the gate opens. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, started, done;

static void reset_gate(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = started = done = 0;
    pthread_mutex_unlock(&gate_lock);
}

static void held(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gate_lock);
    started++;
    pthread_cond_broadcast(&gate_cond);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    done++;
    pthread_mutex_unlock(&gate_lock);
}

static void wait_started(int n)
{
    pthread_mutex_lock(&gate_lock);
    while (started < n)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
}

static void open_gate(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

Test(workpool, bounds_are_checked)
{
    workpool *p = NULL;
    cr_assert_eq(workpool_new(0, 4, 0, &p), RA_ERR_INVALID);
    cr_assert_eq(workpool_new(WORKPOOL_MAX_THREADS + 1, 4, 0, &p), RA_ERR_INVALID);
    cr_assert_eq(workpool_new(1, WORKPOOL_MAX_QUEUE + 1, 0, &p), RA_ERR_INVALID);
    workpool_free(NULL);
}

Test(workpool, a_full_queue_refuses_at_once_and_frees_up_again)
{
    reset_gate();
    workpool *p = NULL;
    cr_assert_eq(workpool_new(2, 3, 0, &p), RA_OK);
    /* Two run (one per thread), three wait; the sixth is refused. */
    for (int i = 0; i < 2; i++)
        cr_assert_eq(workpool_submit(p, held, NULL), RA_OK);
    wait_started(2);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(workpool_submit(p, held, NULL), RA_OK);
    cr_assert(workpool_full(p));
    cr_assert_eq(workpool_submit(p, held, NULL), RA_ERR_REFUSED);
    open_gate();
    workpool_free(p);
    cr_assert_eq(done, 5, "everything accepted ran, the refused item did not");
}

Test(workpool, idle_threads_take_work_even_with_no_queue)
{
    reset_gate();
    workpool *p = NULL;
    cr_assert_eq(workpool_new(2, 0, 0, &p), RA_OK);
    cr_assert_not(workpool_full(p));
    cr_assert_eq(workpool_submit(p, held, NULL), RA_OK);
    cr_assert_eq(workpool_submit(p, held, NULL), RA_OK);
    wait_started(2);
    cr_assert_eq(workpool_submit(p, held, NULL), RA_ERR_REFUSED, "both threads are busy");
    open_gate();
    workpool_free(p);
    cr_assert_eq(done, 2);
}

static void count(void *arg)
{
    pthread_mutex_lock(&gate_lock);
    (*(int *)arg)++;
    pthread_mutex_unlock(&gate_lock);
}

Test(workpool, freeing_runs_what_is_queued)
{
    reset_gate();
    workpool *p = NULL;
    int n = 0;
    cr_assert_eq(workpool_new(1, 100, 5, &p), RA_OK);
    cr_assert_eq(workpool_submit(p, held, NULL), RA_OK);
    wait_started(1);
    for (int i = 0; i < 50; i++)
        cr_assert_eq(workpool_submit(p, count, &n), RA_OK);
    open_gate();
    workpool_free(p);
    cr_assert_eq(n, 50);
}

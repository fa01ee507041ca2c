/* test_group.c - unit tests of group commit in src/store (store_grouped):
 * writes handed over while a group runs are committed together by one
 * thread, one that fails is undone alone, and a group whose transaction
 * breaks keeps none of its writes and runs none after the break. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/internal.h"

#define WRITERS 5

static char dir[TEMPDIR_LEN];
static store *s;

static void open_fresh(void)
{
    cr_assert_eq(ids_init(), RA_OK);
    tempdir_make(dir, "group");
    cr_assert_eq(store_open(dir, &s), RA_OK);
    db_conn *c = NULL;
    cr_assert_eq(store_begin(s, &c), RA_OK);
    cr_assert_eq(store_end(s, c, store_exec1(s, c, 0, "CREATE TABLE g (n INTEGER)", DB_NONE)),
                 RA_OK);
}

static void close_and_remove(void)
{
    store_close(s);
    s = NULL;
    tempdir_remove(dir);
}

TestSuite(store_group, .init = open_fresh, .fini = close_and_remove, .timeout = 60);

/* ---- the writes ------------------------------------------------------------------ */

enum { INSERT, INSERT_THEN_FAIL, BREAK_TRANSACTION };

typedef struct write {
    int n;            /* the row it inserts */
    int kind;         /* what it does */
    int rc;           /* what store_grouped returned */
    int seq;          /* when its work ran among the writes (from 1), 0: never */
    pthread_t ran_on; /* the thread that ran its work */
    pthread_t thread;
} write;

static atomic_int runs; /* works of writes run so far */

/* The first write holds its group open until released, so that the others
 * queue for the next group. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open;

static int gate_work(store *st, db_conn *c, void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&gate_lock);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    return store_exec1(st, c, 1, "INSERT INTO g (n) VALUES (0)", DB_NONE);
}

static int write_work(store *st, db_conn *c, void *ctx)
{
    write *w = ctx;
    w->ran_on = pthread_self();
    w->seq = atomic_fetch_add(&runs, 1) + 1;
    if (w->kind == BREAK_TRANSACTION)
        return store_exec1(st, c, 0, "ROLLBACK", DB_NONE); /* as SQLite may on an I/O error */
    int rc = store_exec1(st, c, 1, "INSERT INTO g (n) VALUES (?)", DB_ARGS(db_int(w->n)));
    return rc == RA_OK && w->kind == INSERT_THEN_FAIL ? RA_ERR_INVALID : rc;
}

static void *gate_main(void *arg)
{
    *(int *)arg = store_grouped(s, gate_work, NULL);
    return NULL;
}

static void *write_main(void *arg)
{
    write *w = arg;
    w->rc = store_grouped(s, write_work, w);
    return NULL;
}

static int group_running(void)
{
    pthread_mutex_lock(&s->group_lock);
    int running = s->group_running;
    pthread_mutex_unlock(&s->group_lock);
    return running;
}

/* Writes waiting for the next group. */
static int waiting(void)
{
    int n = 0;
    pthread_mutex_lock(&s->group_lock);
    for (store_group_item *it = s->group_head; it != NULL; it = it->next)
        n++;
    pthread_mutex_unlock(&s->group_lock);
    return n;
}

/* Runs the gate's group, hands the writes over while it is open, then
 * opens it; returns the gate's result. */
static int run_behind_gate(write *w, int n)
{
    gate_open = 0;
    atomic_store(&runs, 0);
    int gate_rc = -1;
    pthread_t gate;
    cr_assert_eq(pthread_create(&gate, NULL, gate_main, &gate_rc), 0);
    for (int tries = 0; !group_running() && tries < 1000; tries++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    for (int i = 0; i < n; i++)
        cr_assert_eq(pthread_create(&w[i].thread, NULL, write_main, &w[i]), 0);
    for (int tries = 0; waiting() < n && tries < 5000; tries++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    cr_assert_eq(waiting(), n, "every write waits for the next group");
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
    pthread_join(gate, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(w[i].thread, NULL);
    return gate_rc;
}

static void count_read(store *st, db_stmt *stmt, void *ctx)
{
    *(int64_t *)ctx = st->driver->column_int64(stmt, 0);
}

static int64_t rows_with(int n)
{
    int64_t count = -1;
    cr_assert_eq(store_query(s, NULL, count_read, &count, 1, "SELECT COUNT(*) FROM g WHERE n = ?",
                             DB_ARGS(db_int(n))),
                 RA_OK);
    return count;
}

/* ---- the tests ----------------------------------------------------------------------- */

Test(store_group, writes_waiting_together_are_run_by_one_thread_and_a_failing_one_is_undone)
{
    write w[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        w[i] = (write){.n = i + 1, .kind = i == 2 ? INSERT_THEN_FAIL : INSERT, .rc = -1};
    cr_assert_eq(run_behind_gate(w, WRITERS), RA_OK);
    cr_assert_eq(rows_with(0), 1);
    for (int i = 0; i < WRITERS; i++) {
        cr_assert(pthread_equal(w[i].ran_on, w[0].ran_on), "write %d ran in the same group", i);
        if (i == 2) {
            cr_assert_eq(w[i].rc, RA_ERR_INVALID, "its own error");
            cr_assert_eq(rows_with(w[i].n), 0, "and its insert undone");
        } else {
            cr_assert_eq(w[i].rc, RA_OK);
            cr_assert_eq(rows_with(w[i].n), 1, "write %d kept", i);
        }
    }
}

Test(store_group, a_group_whose_transaction_breaks_keeps_none_and_runs_nothing_after)
{
    write w[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        w[i] = (write){.n = i + 1, .kind = i == 2 ? BREAK_TRANSACTION : INSERT, .rc = -1};
    cr_assert_eq(run_behind_gate(w, WRITERS), RA_OK);
    /* The group runs the writes in the order they came; the one that broke
     * it is the last that ran. */
    int ran = 0;
    for (int i = 0; i < WRITERS; i++) {
        cr_assert_neq(w[i].rc, RA_OK, "write %d: nothing of the group was kept", i);
        cr_assert_eq(rows_with(w[i].n), 0, "write %d left nothing", i);
        ran += w[i].seq > 0;
    }
    cr_assert_eq(w[2].seq, ran, "no write ran after the break");
    cr_assert_eq(rows_with(0), 1, "the gate's group before it is kept");
    /* the store goes on */
    write after = {.n = 9, .kind = INSERT};
    write_main(&after);
    cr_assert_eq(after.rc, RA_OK);
    cr_assert_eq(rows_with(9), 1);
}

/* Every write of the process goes through the one connection the writer
 * keeps (its pages and statements stay warm), not whichever is idle. */
Test(store_group, writes_use_the_writers_own_connection)
{
    db_conn *first = NULL, *again = NULL, *reader = NULL;
    cr_assert_eq(store_begin(s, &first), RA_OK);
    cr_assert_eq(store_end(s, first, RA_OK), RA_OK);
    cr_assert_eq(store_acquire(s, &reader), RA_OK, "a reader takes a pooled connection");
    cr_assert_neq(reader, first, "never the writer's");
    cr_assert_eq(store_begin(s, &again), RA_OK);
    cr_assert_eq(again, first);
    cr_assert_eq(store_end(s, again, RA_OK), RA_OK);
    store_release(s, reader);
}

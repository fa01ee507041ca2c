/* internal.h - what the domain files of src/store share: the store struct,
 * the connection pool, and small row-copy helpers. Not for use outside
 * src/store. */
#ifndef RAPORTAI_STORE_INTERNAL_H
#define RAPORTAI_STORE_INTERNAL_H

#include <pthread.h>
#include <string.h>

#include "store/db.h"
#include "store/store.h"

#define STORE_POOL_MAX 16
#define STORE_GROUP_MAX 64 /* writes committed together at most (store_grouped) */

/* THREAD SAFETY: the lock order is writer, then group_lock or lock (the
 * pool's); group_lock and lock are never held together, nor across a
 * statement. */
struct store {
    const db_driver *driver;
    char *path;           /* database file */
    pthread_mutex_t lock; /* guards the pool fields below */
    pthread_cond_t freed;
    db_conn *idle[STORE_POOL_MAX]; /* connections ready for use */
    int n_idle;
    int n_open; /* idle + in use */
    /* This process's one writer at a time: held from store_begin to
     * store_end and around store_write1, so the process's writers queue
     * here instead of polling SQLite's lock (its busy handler sleeps up to
     * 100 ms between tries; a writer could lose every try to others). Other
     * processes still meet the busy timeout. */
    pthread_mutex_t writer;
    db_conn *writer_conn;       /* every write's connection, under writer; NULL until the first */
    pthread_mutex_t group_lock; /* guards the group fields below */
    pthread_cond_t group_done;  /* a group was committed (or failed) */
    struct store_group_item *group_head, *group_tail; /* writes waiting for the next group */
    int group_running;                                /* a thread is running a group */
    store_result_renderer render;                     /* set once at start-up; NULL: none */
    void *render_ctx;
    store_limits limits;          /* set once at start-up; zeros: no caps */
    void (*auth_hook)(void *ctx); /* set once at start-up (store_set_auth_hook); NULL: none */
    void *auth_ctx;
};

/* Takes a connection (opening one if the pool is not full, else waiting for
 * one to be released). RA_ERR_IO when a new connection cannot be opened. */
int store_acquire(store *s, db_conn **out);
void store_release(store *s, db_conn *c);

/* Takes a connection and starts a write transaction on it (holding the
 * write lock). store_end commits when rc is RA_OK, else rolls back, and
 * gives the connection back; it returns rc, or the commit's error. Use:
 *     int rc = store_begin(s, &c);
 *     if (rc == RA_OK)
 *         rc = store_end(s, c, do_the_work_on(s, c, ...));  */
int store_begin(store *s, db_conn **out);
int store_end(store *s, db_conn *c, int rc);
/* store_end for a transaction that changed who may authenticate with an API
 * key (a key revoked or rotated; a user deactivated, suspended or given
 * another role; an organization deactivated): after the commit it calls
 * the auth hook, so this process forgets its keys at once. (The change's
 * own rows moved the auth generation, by migration 15's triggers, so that
 * the other processes see it: store_auth_generation.) */
int store_end_auth(store *s, db_conn *c, int rc);

/* A write that shares its transaction with others (store_grouped): on c,
 * within the transaction, returning RA_OK or an error. */
typedef int (*store_work_fn)(store *s, db_conn *c, void *ctx);

/* Within a write transaction on c: runs work inside a savepoint, so that a
 * work that fails is undone alone (the transaction keeps what came before).
 * Returns RA_OK, with *work_rc what work returned, while the transaction is
 * still usable; else the error that broke it (a savepoint SQLite could not
 * undo: it may have rolled the whole transaction back, which must then
 * end with store_end's rollback). */
int store_savepoint(store *s, db_conn *c, store_work_fn work, void *ctx, int *work_rc);

/* A write handed to store_grouped, on its thread's stack until done. */
typedef struct store_group_item {
    store_work_fn work;
    void *ctx;
    int rc;
    int done; /* rc is final (under group_lock) */
    struct store_group_item *next;
} store_group_item;

/* Group commit: runs work(s, c, ctx) in a write transaction together with
 * the writes other threads hand over at the same time, each in a savepoint
 * of its own (a write that fails is undone alone and gets its error), and
 * commits them with one commit: one fsync for the group instead of one per
 * write. The thread that finds no group running runs the writes waiting
 * (its own among them, at most STORE_GROUP_MAX) while the others wait for
 * their result; writes handed over meanwhile form the next group. Returns
 * work's result, or the error that kept the group from committing (then
 * nothing of it is in the database). A write is in the database when this
 * returns RA_OK and not before, as with store_begin and store_end; work
 * must not use another connection to write nor wait for another thread's
 * write. */
int store_grouped(store *s, store_work_fn work, void *ctx);

/* Runs one statement that returns no rows and expects exactly one changed
 * row when must_change is set (RA_ERR_NOT_FOUND otherwise). Its parameters
 * are args[0 .. n_args), written DB_ARGS(...) or DB_NONE (db.h). */
int store_exec1(store *s, db_conn *c, int must_change, const char *sql, const db_arg *args,
                size_t n_args);

/* store_exec1 on a pooled connection, outside any transaction, expecting a
 * changed row (RA_ERR_NOT_FOUND otherwise). */
int store_write1(store *s, const char *sql, const db_arg *args, size_t n_args);

/* Runs a query and calls row(s, st, ctx) for each row it returns. With c
 * NULL a pooled connection is used for the call. When must_find is set and
 * no row came back, returns RA_ERR_NOT_FOUND. */
typedef void (*store_row_fn)(store *s, db_stmt *st, void *ctx);
int store_query(store *s, db_conn *c, store_row_fn row, void *ctx, int must_find, const char *sql,
                const db_arg *args, size_t n_args);

/* Copies column col of the current row into a fixed array of size n,
 * truncating at n-1 bytes. */
void store_col(store *s, db_stmt *st, int col, char *dst, size_t n);
#define STORE_COL(s, st, col, field) store_col((s), (st), (col), (field), sizeof(field))

/* A store_row_fn reading the first column as an integer into the int64_t
 * given as ctx. */
void store_int64_read(store *s, db_stmt *st, void *ctx);

/* Copies src into a fixed array (truncating); src NULL gives "". */
void store_copy(char *dst, size_t n, const char *src);
#define STORE_COPY(field, src) store_copy((field), sizeof(field), (src))

/* Column col as a new string (caller frees), or NULL when it is NULL or
 * memory ran out. */
char *store_col_dup(store *s, db_stmt *st, int col);

/* The columns of an organization / a user row, unqualified (one table in
 * FROM), and the store_row_fn reading them into a store_org / store_user
 * given as ctx. */
#define STORE_ORG_COLUMNS                                                                          \
    "id, name, type, active, credits, created_at, pending, COALESCE(callback_url, ''),"            \
    " input_lang, output_lang, audio_retention_days, COALESCE(callback_secret_at, ''),"            \
    " COALESCE(callback_secret_by, ''), COALESCE(deactivated_at, ''),"                             \
    " COALESCE(deactivated_by, '')"
#define STORE_ORG_NCOLUMNS 15 /* columns selected after STORE_ORG_COLUMNS start here */
#define STORE_USER_COLUMNS                                                                         \
    "id, email, name, role, COALESCE(org_id, ''), active, created_at,"                             \
    " COALESCE(suspended_at, ''), COALESCE(suspended_by, '')"
#define STORE_USER_NCOLUMNS 9
void store_org_read(store *s, db_stmt *st, void *ctx);
void store_user_read(store *s, db_stmt *st, void *ctx);

/* The columns that hold a report's sections, where a table keeps them
 * (job_exams, report_revisions): "sec_" and the section's key
 * (core/sections.h), in report_section order, so column i of the list is
 * section i. */
#define STORE_SEC_COLUMNS                                                                          \
    "sec_findings, sec_conclusion, sec_impression, sec_technique, sec_clinical, sec_comparison"
_Static_assert(REPORT_SEC_COUNT == 6, "one column of STORE_SEC_COLUMNS per report section");

/* Within an open write transaction: adds amount to the organization's
 * balance and writes the ledger row (see store_credits_add). */
int store_credits_add_on(store *s, db_conn *c, const char *org_id, int64_t amount,
                         const char *reason, const char *actor, int64_t *balance_after);

/* Reads ledger rows selected as "amount, balance_after, reason, actor,
 * created_at" and hands each to ctx's function (a store_ledger_ctx). */
typedef struct store_ledger_ctx {
    void (*fn)(const store_ledger_row *row, void *ctx);
    void *ctx;
} store_ledger_ctx;
void store_ledger_row_fn(store *s, db_stmt *st, void *ctx);

/* The migrations, oldest first; version i+1 is migrations[i]. */
typedef struct store_migration {
    const char *name;
    const char *sql;
} store_migration;
extern const store_migration store_migrations[];
extern const int store_migration_count;

#endif

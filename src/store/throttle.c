/* throttle.c - attempts counted per key for the sign-in and registration
 * limits (see store.h; the policy is auth/throttle.h's). */
#include <string.h>

#include "core/err.h"
#include "store/internal.h"

static void throttle_row_read(store *s, db_stmt *st, void *ctx)
{
    store_throttle_row *r = ctx;
    r->attempts = s->driver->column_int64(st, 0);
    r->first_ms = s->driver->column_int64(st, 1);
    r->last_ms = s->driver->column_int64(st, 2);
    r->keep_until_ms = s->driver->column_int64(st, 3);
}

static int row_on(store *s, db_conn *c, const char *key, store_throttle_row *out)
{
    return store_query(s, c, throttle_row_read, out, 1,
                       "SELECT attempts, first_ms, last_ms, keep_until_ms FROM login_throttle"
                       " WHERE throttle_key = ?",
                       DB_ARGS(db_text(key)));
}

/* The rows of several keys, read by one query (a flood of refused attempts
 * costs one statement each). */
typedef struct keyed_rows {
    const char *const *keys;
    size_t n;
    store_throttle_row *rows;
} keyed_rows;

static void keyed_row_read(store *s, db_stmt *st, void *ctx)
{
    keyed_rows *k = ctx;
    const char *key = s->driver->column_text(st, 0);
    for (size_t i = 0; key != NULL && i < k->n; i++) {
        if (strcmp(k->keys[i], key) != 0)
            continue;
        k->rows[i].attempts = s->driver->column_int64(st, 1);
        k->rows[i].first_ms = s->driver->column_int64(st, 2);
        k->rows[i].last_ms = s->driver->column_int64(st, 3);
        k->rows[i].keep_until_ms = s->driver->column_int64(st, 4);
    }
}

_Static_assert(STORE_THROTTLE_KEYS_MAX == 4, "rows_on binds one placeholder per key");

/* The rows of keys into rows (zeroed for a key without one); at most
 * STORE_THROTTLE_KEYS_MAX keys: missing ones are bound as NULL, which
 * matches nothing. */
static int rows_on(store *s, db_conn *c, const char *const *keys, size_t n,
                   store_throttle_row *rows)
{
    const char *k[STORE_THROTTLE_KEYS_MAX] = {NULL};
    for (size_t i = 0; i < n; i++) {
        k[i] = keys[i];
        rows[i] = (store_throttle_row){0};
    }
    keyed_rows kr = {keys, n, rows};
    return store_query(s, c, keyed_row_read, &kr, 0,
                       "SELECT throttle_key, attempts, first_ms, last_ms, keep_until_ms"
                       " FROM login_throttle"
                       " WHERE throttle_key IN (?, ?, ?, ?)",
                       DB_ARGS(db_text(k[0]), db_text(k[1]), db_text(k[2]), db_text(k[3])));
}

static int put_on(store *s, db_conn *c, const char *key, const store_throttle_row *r)
{
    return store_exec1(s, c, 1,
                       "INSERT INTO login_throttle (throttle_key, attempts, first_ms, last_ms,"
                       " keep_until_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (throttle_key) DO"
                       " UPDATE SET attempts = excluded.attempts, first_ms = excluded.first_ms,"
                       " last_ms = excluded.last_ms, keep_until_ms = excluded.keep_until_ms",
                       DB_ARGS(db_text(key), db_int(r->attempts), db_int(r->first_ms),
                               db_int(r->last_ms), db_int(r->keep_until_ms)));
}

static int take_on(store *s, db_conn *c, const char *const *keys, size_t n, int64_t now_ms,
                   store_throttle_fn decide, void *ctx, int64_t *wait_ms)
{
    store_throttle_row rows[STORE_THROTTLE_KEYS_MAX];
    int rc = rows_on(s, c, keys, n, rows);
    if (rc != RA_OK)
        return rc;
    *wait_ms = decide(rows, n, now_ms, ctx);
    for (size_t i = 0; i < n && rc == RA_OK && *wait_ms <= 0; i++)
        if (rows[i].keep_until_ms != 0)
            rc = put_on(s, c, keys[i], &rows[i]);
    return rc;
}

int store_throttle_take(store *s, const char *const *keys, size_t n, int64_t now_ms,
                        store_throttle_fn decide, void *ctx, int64_t *wait_ms)
{
    if (n == 0 || n > STORE_THROTTLE_KEYS_MAX)
        return RA_ERR_INVALID;
    /* A refusal needs no write lock: decide on the rows as they are. */
    store_throttle_row rows[STORE_THROTTLE_KEYS_MAX];
    int rc = rows_on(s, NULL, keys, n, rows);
    if (rc != RA_OK)
        return rc;
    int64_t wait = decide(rows, n, now_ms, ctx);
    if (wait > 0) {
        *wait_ms = wait;
        return RA_OK;
    }
    db_conn *c = NULL;
    rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, take_on(s, c, keys, n, now_ms, decide, ctx, &wait));
    if (rc == RA_OK)
        *wait_ms = wait > 0 ? wait : 0;
    return rc;
}

static int give_back_on(store *s, db_conn *c, const char *const *keys, size_t n)
{
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK; i++)
        rc = store_exec1(s, c, 0,
                         "UPDATE login_throttle SET attempts = attempts - 1"
                         " WHERE throttle_key = ? AND attempts > 0",
                         DB_ARGS(db_text(keys[i])));
    return rc;
}

int store_throttle_give_back(store *s, const char *const *keys, size_t n)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, give_back_on(s, c, keys, n));
    return rc;
}

int store_throttle_put(store *s, const char *key, const store_throttle_row *row)
{
    db_conn *c = NULL;
    int rc = store_acquire(s, &c);
    if (rc != RA_OK)
        return rc;
    rc = put_on(s, c, key, row);
    store_release(s, c);
    return rc;
}

int store_throttle_forget(store *s, const char *key)
{
    int rc =
        store_write1(s, "DELETE FROM login_throttle WHERE throttle_key = ?", DB_ARGS(db_text(key)));
    return rc == RA_ERR_NOT_FOUND ? RA_OK : rc;
}

int store_throttle_get(store *s, const char *key, store_throttle_row *out)
{
    return row_on(s, NULL, key, out);
}

static void count_read(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

static int sweep_on(store *s, db_conn *c, int64_t now_ms, int64_t *removed)
{
    int rc = store_query(s, c, count_read, removed, 1,
                         "SELECT count(*) FROM login_throttle WHERE keep_until_ms < ?",
                         DB_ARGS(db_int(now_ms)));
    if (rc == RA_OK && *removed > 0)
        rc = store_exec1(s, c, 0, "DELETE FROM login_throttle WHERE keep_until_ms < ?",
                         DB_ARGS(db_int(now_ms)));
    return rc;
}

int store_throttle_sweep(store *s, int64_t now_ms, int64_t *removed)
{
    int64_t n = 0;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, sweep_on(s, c, now_ms, &n));
    if (rc == RA_OK && removed)
        *removed = n;
    return rc;
}

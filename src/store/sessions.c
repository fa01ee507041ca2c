/* sessions.c - web sessions (by token hash) and the count of failed
 * sign-ins per e-mail that slows and locks password guessing (see store.h). */
#include "core/err.h"
#include "store/internal.h"

#define SESSION_COLUMNS "id, user_id, path, created_ms, last_seen_ms, expires_ms"

static void session_row(store *s, db_stmt *st, void *ctx)
{
    store_session *ses = ctx;
    STORE_COL(s, st, 0, ses->id);
    STORE_COL(s, st, 1, ses->user_id);
    STORE_COL(s, st, 2, ses->path);
    ses->created_ms = s->driver->column_int64(st, 3);
    ses->last_seen_ms = s->driver->column_int64(st, 4);
    ses->expires_ms = s->driver->column_int64(st, 5);
}

int store_session_create(store *s, const char *token_hash, const char *user_id, const char *path,
                         int64_t now_ms, int64_t expires_ms, store_session *out)
{
    store_session ses = {0};
    ids_uuid(ses.id);
    STORE_COPY(ses.user_id, user_id);
    STORE_COPY(ses.path, path);
    ses.created_ms = ses.last_seen_ms = now_ms;
    ses.expires_ms = expires_ms;
    int rc = store_write1(s,
                          "INSERT INTO sessions (" SESSION_COLUMNS ", token_hash)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          DB_ARGS(db_text(ses.id), db_text(user_id), db_text(path), db_int(now_ms),
                                  db_int(now_ms), db_int(expires_ms), db_text(token_hash)));
    if (rc == RA_OK && out)
        *out = ses;
    return rc;
}

int store_session_by_hash(store *s, const char *token_hash, store_session *out)
{
    return store_query(s, NULL, session_row, out, 1,
                       "SELECT " SESSION_COLUMNS " FROM sessions WHERE token_hash = ?",
                       DB_ARGS(db_text(token_hash)));
}

int store_session_touch(store *s, const char *session_id, int64_t now_ms)
{
    return store_write1(s, "UPDATE sessions SET last_seen_ms = ? WHERE id = ?",
                        DB_ARGS(db_int(now_ms), db_text(session_id)));
}

int store_session_delete(store *s, const char *session_id)
{
    return store_write1(s, "DELETE FROM sessions WHERE id = ?", DB_ARGS(db_text(session_id)));
}

int store_session_sweep(store *s, int64_t now_ms, int64_t idle_before_ms)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c,
                       store_exec1(s, c, 0,
                                   "DELETE FROM sessions WHERE expires_ms <= ?"
                                   " OR last_seen_ms < ?",
                                   DB_ARGS(db_int(now_ms), db_int(idle_before_ms))));
    return rc;
}

/* ---- failed sign-ins ------------------------------------------------------ */

static void failures_row(store *s, db_stmt *st, void *ctx)
{
    store_signin_failures *f = ctx;
    f->failures = (int)s->driver->column_int64(st, 0);
    f->first_ms = s->driver->column_int64(st, 1);
    f->last_ms = s->driver->column_int64(st, 2);
    f->locked_until_ms = s->driver->column_int64(st, 3);
}

static int failures_get_on(store *s, db_conn *c, const char *email_key, store_signin_failures *out)
{
    return store_query(s, c, failures_row, out, 1,
                       "SELECT failures, first_failure_ms, last_failure_ms, locked_until_ms"
                       " FROM login_throttle WHERE email_key = ?",
                       DB_ARGS(db_text(email_key)));
}

int store_signin_failures_get(store *s, const char *email_key, store_signin_failures *out)
{
    return failures_get_on(s, NULL, email_key, out);
}

static int failure_on(store *s, db_conn *c, const char *email_key, int64_t now_ms,
                      int64_t window_ms, int lock_after, int64_t lock_ms,
                      store_signin_failures *out)
{
    store_signin_failures f = {0};
    int rc = failures_get_on(s, c, email_key, &f);
    if (rc != RA_OK && rc != RA_ERR_NOT_FOUND)
        return rc;
    if (rc == RA_ERR_NOT_FOUND || now_ms - f.first_ms > window_ms) {
        f.failures = 0;
        f.first_ms = now_ms;
        f.locked_until_ms = 0;
    }
    f.failures++;
    f.last_ms = now_ms;
    if (f.failures >= lock_after)
        f.locked_until_ms = now_ms + lock_ms;
    rc = store_exec1(s, c, 1,
                     "INSERT INTO login_throttle (email_key, failures, first_failure_ms,"
                     " last_failure_ms, locked_until_ms) VALUES (?, ?, ?, ?, ?)"
                     " ON CONFLICT (email_key) DO UPDATE SET failures = excluded.failures,"
                     " first_failure_ms = excluded.first_failure_ms,"
                     " last_failure_ms = excluded.last_failure_ms,"
                     " locked_until_ms = excluded.locked_until_ms",
                     DB_ARGS(db_text(email_key), db_int(f.failures), db_int(f.first_ms),
                             db_int(f.last_ms), db_int(f.locked_until_ms)));
    if (rc == RA_OK && out)
        *out = f;
    return rc;
}

int store_signin_failure(store *s, const char *email_key, int64_t now_ms, int64_t window_ms,
                         int lock_after, int64_t lock_ms, store_signin_failures *out)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c,
                       failure_on(s, c, email_key, now_ms, window_ms, lock_after, lock_ms, out));
    return rc;
}

int store_signin_clear(store *s, const char *email_key)
{
    int rc = store_write1(s, "DELETE FROM login_throttle WHERE email_key = ?",
                          DB_ARGS(db_text(email_key)));
    return rc == RA_ERR_NOT_FOUND ? RA_OK : rc;
}

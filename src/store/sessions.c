/* sessions.c - web sessions, known by their token's hash (see store.h). */
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

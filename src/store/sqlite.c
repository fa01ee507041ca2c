/* sqlite.c - the SQLite driver: the only file that calls sqlite3_*.
 *
 * Each connection runs in WAL mode with foreign keys on, synchronous=FULL
 * (the database holds jobs and credits: NORMAL could lose the last commits
 * on power loss) and a busy timeout, so serve and admin processes can share
 * one database file. */
#include <sqlite3.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#define BUSY_TIMEOUT_MS 10000

struct db_conn {
    sqlite3 *db;
};

struct db_stmt {
    sqlite3_stmt *st;
    sqlite3 *db;
};

/* Maps a (possibly extended) SQLite result code to ours. */
static int map_rc(int rc)
{
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return RA_ERR_EXISTS;
    switch (rc & 0xff) {
    case SQLITE_OK:
        return RA_OK;
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_DONE:
        return DB_DONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return RA_ERR_BUSY;
    case SQLITE_NOMEM:
        return RA_ERR_NOMEM;
    case SQLITE_CONSTRAINT: /* CHECK, NOT NULL, FOREIGN KEY */
        return RA_ERR_INVALID;
    default:
        return RA_ERR_DB;
    }
}

static int sq_exec(db_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return map_rc(rc);
}

static void sq_close(db_conn *c)
{
    if (c == NULL)
        return;
    sqlite3_close_v2(c->db);
    free(c);
}

static int sq_open(const char *path, db_conn **out)
{
    db_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RA_ERR_NOMEM;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: cannot open database: %s", sqlite3_errstr(rc));
        sq_close(c);
        return RA_ERR_IO;
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(c->db, 1);
    rc = sq_exec(c, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                    "PRAGMA synchronous=FULL;");
    if (rc != RA_OK) {
        sq_close(c);
        return rc;
    }
    *out = c;
    return RA_OK;
}

static int sq_prepare(db_conn *c, const char *sql, db_stmt **out)
{
    db_stmt *s = calloc(1, sizeof *s);
    if (s == NULL)
        return RA_ERR_NOMEM;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &s->st, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: prepare failed: %s", sqlite3_errmsg(c->db));
        free(s);
        return map_rc(rc);
    }
    s->db = c->db;
    *out = s;
    return RA_OK;
}

static int sq_bind_text(db_stmt *s, int idx, const char *value)
{
    int rc = value ? sqlite3_bind_text(s->st, idx, value, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(s->st, idx);
    return map_rc(rc);
}

static int sq_bind_int64(db_stmt *s, int idx, int64_t value)
{
    return map_rc(sqlite3_bind_int64(s->st, idx, value));
}

static int sq_step(db_stmt *s)
{
    int rc = map_rc(sqlite3_step(s->st));
    if (rc < 0 && rc != RA_ERR_EXISTS && rc != RA_ERR_BUSY)
        log_error("sqlite: step failed: %s", sqlite3_errmsg(s->db));
    return rc;
}

static const char *sq_column_text(db_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s->st, col);
    return t ? (const char *)t : "";
}

static int64_t sq_column_int64(db_stmt *s, int col)
{
    return sqlite3_column_int64(s->st, col);
}

static int sq_column_is_null(db_stmt *s, int col)
{
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static void sq_finalize(db_stmt *s)
{
    if (s == NULL)
        return;
    sqlite3_finalize(s->st);
    free(s);
}

static int64_t sq_changes(db_conn *c)
{
    return sqlite3_changes64(c->db);
}

static int sq_begin_write(db_conn *c)
{
    /* IMMEDIATE takes the write lock now, waiting under the busy timeout; a
     * deferred transaction that reads then writes fails at once instead. */
    return sq_exec(c, "BEGIN IMMEDIATE");
}

static const char *sq_errmsg(db_conn *c)
{
    return sqlite3_errmsg(c->db);
}

const db_driver db_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_int64 = sq_bind_int64,
    .step = sq_step,
    .column_text = sq_column_text,
    .column_int64 = sq_column_int64,
    .column_is_null = sq_column_is_null,
    .finalize = sq_finalize,
    .changes = sq_changes,
    .begin_write = sq_begin_write,
    .errmsg = sq_errmsg,
};

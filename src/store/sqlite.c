/* sqlite.c - the SQLite driver: the only file that calls sqlite3_*.
 *
 * Each connection runs in WAL mode with foreign keys on, synchronous=FULL
 * (the database holds jobs and credits: NORMAL could lose the last commits
 * on power loss) and a busy timeout, so serve and admin processes can share
 * one database file.
 *
 * Each connection keeps its last STMT_CACHE statements prepared: a
 * statement finalized goes back to its connection, reset and unbound, and
 * the next prepare of the same text takes it again instead of compiling
 * it (a poll's query costs more to compile than to run). The store uses a
 * connection from one thread at a time, so the cache needs no lock. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#define BUSY_TIMEOUT_MS 10000
#define STMT_CACHE 32 /* statements kept prepared per connection */

struct db_stmt {
    sqlite3_stmt *st;
    sqlite3 *db;
    int kept;   /* one of its connection's cache: finalize gives it back */
    int in_use; /* (kept) handed out by prepare, not yet finalized */
};

struct db_conn {
    sqlite3 *db;
    db_stmt kept[STMT_CACHE]; /* st NULL: an empty place */
    unsigned next_out;        /* the place the next statement may take */
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
    for (size_t i = 0; i < STMT_CACHE; i++)
        sqlite3_finalize(c->kept[i].st);
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

/* The place in c's cache a new statement takes: an empty one, else the
 * next one not handed out (its statement finalized); NULL when all are. */
static db_stmt *free_place(db_conn *c)
{
    for (size_t i = 0; i < STMT_CACHE; i++)
        if (c->kept[i].st == NULL)
            return &c->kept[i];
    for (size_t n = 0; n < STMT_CACHE; n++) {
        db_stmt *k = &c->kept[c->next_out++ % STMT_CACHE];
        if (!k->in_use) {
            sqlite3_finalize(k->st);
            k->st = NULL;
            return k;
        }
    }
    return NULL;
}

static int sq_prepare(db_conn *c, const char *sql, db_stmt **out)
{
    for (size_t i = 0; i < STMT_CACHE; i++) {
        db_stmt *k = &c->kept[i];
        if (k->st != NULL && !k->in_use && strcmp(sqlite3_sql(k->st), sql) == 0) {
            k->in_use = 1;
            *out = k;
            return RA_OK;
        }
    }
    db_stmt *s = free_place(c);
    int kept = s != NULL;
    if (s == NULL && (s = calloc(1, sizeof *s)) == NULL)
        return RA_ERR_NOMEM;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, kept ? SQLITE_PREPARE_PERSISTENT : 0, &s->st, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: prepare failed: %s", sqlite3_errmsg(c->db));
        s->st = NULL;
        if (!kept)
            free(s);
        return map_rc(rc);
    }
    s->db = c->db;
    s->kept = kept;
    s->in_use = 1;
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
    if (s->kept) {
        sqlite3_reset(s->st);
        sqlite3_clear_bindings(s->st);
        s->in_use = 0;
        return;
    }
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

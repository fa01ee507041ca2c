/* db.h - the database driver interface, private to src/store.
 *
 * The domain code in src/store speaks SQL through this small interface, with
 * '?' placeholders and bound parameters only. A driver is a table of function
 * pointers (db_driver); sqlite.c is the only file that calls sqlite3_*. A
 * PostgreSQL driver would implement the same table (rewriting '?' to $n).
 *
 * Results: RA_OK, DB_ROW / DB_DONE from db_step, or a negative code:
 * RA_ERR_EXISTS for a unique-constraint violation, RA_ERR_BUSY when the
 * database stayed locked past the busy timeout, RA_ERR_DB otherwise. */
#ifndef RAPORTAI_STORE_DB_H
#define RAPORTAI_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

enum { DB_ROW = 1, DB_DONE = 2 };

typedef struct db_driver {
    const char *name;
    int (*open)(const char *path, db_conn **out);
    void (*close)(db_conn *c);
    /* Runs one or more statements without parameters (migrations). */
    int (*exec)(db_conn *c, const char *sql);
    int (*prepare)(db_conn *c, const char *sql, db_stmt **out);
    int (*bind_text)(db_stmt *st, int idx, const char *value); /* NULL binds NULL */
    int (*bind_int64)(db_stmt *st, int idx, int64_t value);
    int (*step)(db_stmt *st);
    /* Column readers; text is "" for NULL and valid until the next step. */
    const char *(*column_text)(db_stmt *st, int col);
    int64_t (*column_int64)(db_stmt *st, int col);
    int (*column_is_null)(db_stmt *st, int col);
    void (*finalize)(db_stmt *st);
    /* Rows changed by the last statement on c. */
    int64_t (*changes)(db_conn *c);
    /* Starts a write transaction that takes the write lock at once. */
    int (*begin_write)(db_conn *c);
    const char *(*errmsg)(db_conn *c);
} db_driver;

extern const db_driver db_sqlite;

/* One bound parameter of a statement, made by db_text or db_int so that the
 * compiler checks each value's type against the kind it is bound as (a
 * pointer where a number is meant, or the reverse, does not compile). */
typedef struct db_arg {
    int is_text;
    const char *text; /* borrowed; NULL binds NULL */
    int64_t num;
} db_arg;

static inline db_arg db_text(const char *v)
{
    return (db_arg){.is_text = 1, .text = v};
}

static inline db_arg db_int(int64_t v)
{
    return (db_arg){.num = v};
}

/* The parameters of a statement, in order, as the two arguments (array,
 * count) the store's helpers take: DB_ARGS(db_text(id), db_int(n));
 * DB_NONE for a statement without any. */
#define DB_ARGS(...)                                                                               \
    ((const db_arg[]){__VA_ARGS__}), (sizeof((const db_arg[]){__VA_ARGS__}) / sizeof(db_arg))
#define DB_NONE NULL, 0

#endif

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

#include <stdarg.h>
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

/* Convenience over the driver, used by every domain file.
 * db_prepare_bind: prepares sql and binds args described by types, one
 * character per parameter: 's' const char * (NULL binds NULL), 'i' int64_t,
 * 'n' int. On error nothing is left prepared. */
int db_prepare_bind(const db_driver *d, db_conn *c, db_stmt **out, const char *sql,
                    const char *types, ...);
int db_prepare_bindv(const db_driver *d, db_conn *c, db_stmt **out, const char *sql,
                     const char *types, va_list ap);

#endif

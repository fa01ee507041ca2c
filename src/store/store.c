/* store.c - opening a data directory, the connection pool, the process's
 * one writer and group commit, migrations and the helpers the domain files
 * share (see store.h, internal.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "store/internal.h"

#define DB_FILE "raportai.db"

/* Prepares sql and binds args; on error nothing is left prepared. */
static int prepare_bind(const db_driver *d, db_conn *c, db_stmt **out, const char *sql,
                        const db_arg *args, size_t n_args)
{
    db_stmt *st = NULL;
    int rc = d->prepare(c, sql, &st);
    for (size_t i = 0; rc == RA_OK && i < n_args; i++)
        rc = args[i].is_text ? d->bind_text(st, (int)i + 1, args[i].text)
                             : d->bind_int64(st, (int)i + 1, args[i].num);
    if (rc != RA_OK) {
        d->finalize(st);
        return rc;
    }
    *out = st;
    return RA_OK;
}

int store_acquire(store *s, db_conn **out)
{
    pthread_mutex_lock(&s->lock);
    while (s->n_idle == 0 && s->n_open >= STORE_POOL_MAX)
        pthread_cond_wait(&s->freed, &s->lock);
    if (s->n_idle > 0) {
        *out = s->idle[--s->n_idle];
        pthread_mutex_unlock(&s->lock);
        return RA_OK;
    }
    s->n_open++;
    pthread_mutex_unlock(&s->lock);
    int rc = s->driver->open(s->path, out);
    if (rc != RA_OK) {
        pthread_mutex_lock(&s->lock);
        s->n_open--;
        pthread_cond_signal(&s->freed);
        pthread_mutex_unlock(&s->lock);
    }
    return rc;
}

void store_release(store *s, db_conn *c)
{
    pthread_mutex_lock(&s->lock);
    s->idle[s->n_idle++] = c;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

static int store_finish(store *s, db_conn *c, int rc)
{
    if (rc == RA_OK) {
        int commit = s->driver->exec(c, "COMMIT");
        if (commit == RA_OK)
            return RA_OK;
        rc = commit;
    }
    s->driver->exec(c, "ROLLBACK");
    return rc;
}

/* Takes the writer mutex and the writer's connection (taken from the pool
 * the first time and kept: its pages and statements stay warm from one
 * write to the next, where a connection another one wrote after must read
 * its pages again). On error the mutex is let go. */
static int writer_take(store *s, db_conn **out)
{
    pthread_mutex_lock(&s->writer);
    int rc = s->writer_conn != NULL ? RA_OK : store_acquire(s, &s->writer_conn);
    if (rc != RA_OK) {
        pthread_mutex_unlock(&s->writer);
        return rc;
    }
    *out = s->writer_conn;
    return RA_OK;
}

int store_begin(store *s, db_conn **out)
{
    db_conn *c = NULL;
    int rc = writer_take(s, &c);
    if (rc != RA_OK)
        return rc;
    rc = s->driver->begin_write(c);
    if (rc != RA_OK) {
        pthread_mutex_unlock(&s->writer);
        return rc;
    }
    *out = c;
    return RA_OK;
}

int store_end(store *s, db_conn *c, int rc)
{
    rc = store_finish(s, c, rc);
    pthread_mutex_unlock(&s->writer);
    return rc;
}

/* ---- group commit ---------------------------------------------------------------- */

int store_savepoint(store *s, db_conn *c, store_work_fn work, void *ctx, int *work_rc)
{
    int rc = store_exec1(s, c, 0, "SAVEPOINT part", DB_NONE);
    if (rc != RA_OK) {
        *work_rc = rc;
        return rc;
    }
    *work_rc = work(s, c, ctx);
    if (*work_rc != RA_OK)
        rc = store_exec1(s, c, 0, "ROLLBACK TO part", DB_NONE);
    if (rc == RA_OK)
        rc = store_exec1(s, c, 0, "RELEASE part", DB_NONE);
    return rc;
}

/* Runs the n writes from first in one transaction and commits it; each
 * item's rc is set (not done). */
static void group_run(store *s, store_group_item *first, int n)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    store_group_item *it = first;
    if (rc == RA_OK && n == 1) {
        it->rc = it->work(s, c, it->ctx); /* alone: the transaction is its own */
        rc = it->rc;
    } else {
        for (int i = 0; i < n && rc == RA_OK; i++, it = it->next)
            rc = store_savepoint(s, c, it->work, it->ctx, &it->rc);
    }
    if (c != NULL)
        rc = store_end(s, c, rc); /* commits what succeeded, or rolls all back */
    /* Nothing was kept: the writes that had succeeded (or never ran) get
     * the group's error; those that failed keep their own. */
    it = first;
    for (int i = 0; rc != RA_OK && i < n; i++, it = it->next)
        if (it->rc == RA_OK)
            it->rc = rc;
}

int store_grouped(store *s, store_work_fn work, void *ctx)
{
    store_group_item me = {.work = work, .ctx = ctx, .rc = RA_OK};
    pthread_mutex_lock(&s->group_lock);
    if (s->group_tail != NULL)
        s->group_tail->next = &me;
    else
        s->group_head = &me;
    s->group_tail = &me;
    while (!me.done) {
        if (s->group_running) {
            pthread_cond_wait(&s->group_done, &s->group_lock);
            continue;
        }
        /* Run the writes waiting (this one among them) as one group. */
        s->group_running = 1;
        store_group_item *first = s->group_head, *last = first;
        int n = 1;
        while (n < STORE_GROUP_MAX && last->next != NULL) {
            last = last->next;
            n++;
        }
        s->group_head = last->next;
        if (s->group_head == NULL)
            s->group_tail = NULL;
        pthread_mutex_unlock(&s->group_lock);
        group_run(s, first, n);
        pthread_mutex_lock(&s->group_lock);
        for (store_group_item *it = first, *next = NULL; n-- > 0; it = next) {
            next = it->next;
            it->done = 1; /* its thread may return once group_lock is let go */
        }
        s->group_running = 0;
        pthread_cond_broadcast(&s->group_done);
    }
    pthread_mutex_unlock(&s->group_lock);
    return me.rc;
}

int store_end_auth(store *s, db_conn *c, int rc)
{
    rc = store_end(s, c, rc);
    if (rc == RA_OK && s->auth_hook != NULL)
        s->auth_hook(s->auth_ctx);
    return rc;
}

void store_int64_read(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

int store_auth_generation(store *s, int64_t *out)
{
    return store_query(s, NULL, store_int64_read, out, 1,
                       "SELECT n FROM auth_generation WHERE id = 1", DB_NONE);
}

void store_set_auth_hook(store *s, void (*hook)(void *ctx), void *ctx)
{
    s->auth_hook = hook;
    s->auth_ctx = ctx;
}

int store_exec1(store *s, db_conn *c, int must_change, const char *sql, const db_arg *args,
                size_t n_args)
{
    const db_driver *d = s->driver;
    db_stmt *st = NULL;
    int rc = prepare_bind(d, c, &st, sql, args, n_args);
    if (rc != RA_OK)
        return rc;
    rc = d->step(st);
    if (rc == DB_DONE || rc == DB_ROW)
        rc = (must_change && d->changes(c) == 0) ? RA_ERR_NOT_FOUND : RA_OK;
    d->finalize(st);
    return rc;
}

int store_write1(store *s, const char *sql, const db_arg *args, size_t n_args)
{
    db_conn *c = NULL;
    int rc = writer_take(s, &c);
    if (rc != RA_OK)
        return rc;
    rc = store_exec1(s, c, 1, sql, args, n_args);
    pthread_mutex_unlock(&s->writer);
    return rc;
}

int store_query(store *s, db_conn *c, store_row_fn row, void *ctx, int must_find, const char *sql,
                const db_arg *args, size_t n_args)
{
    const db_driver *d = s->driver;
    db_conn *own = NULL;
    if (c == NULL) {
        int rc = store_acquire(s, &own);
        if (rc != RA_OK)
            return rc;
        c = own;
    }
    db_stmt *st = NULL;
    int rc = prepare_bind(d, c, &st, sql, args, n_args);
    int found = 0;
    while (rc == RA_OK) {
        int step = d->step(st);
        if (step == DB_ROW) {
            row(s, st, ctx);
            found++;
        } else {
            rc = step == DB_DONE ? RA_OK : step;
            break;
        }
    }
    d->finalize(st);
    if (own)
        store_release(s, own);
    if (rc == RA_OK && must_find && found == 0)
        rc = RA_ERR_NOT_FOUND;
    return rc;
}

void store_copy(char *dst, size_t n, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (len >= n)
        len = n - 1;
    if (len > 0)
        memcpy(dst, src, len);
    dst[len] = '\0';
}

void store_col(store *s, db_stmt *st, int col, char *dst, size_t n)
{
    store_copy(dst, n, s->driver->column_text(st, col));
}

char *store_col_dup(store *s, db_stmt *st, int col)
{
    if (s->driver->column_is_null(st, col))
        return NULL;
    return strdup(s->driver->column_text(st, col));
}

static int read_version(store *s, db_conn *c, int *out)
{
    const db_driver *d = s->driver;
    db_stmt *st = NULL;
    int rc = d->prepare(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &st);
    if (rc != RA_OK)
        return rc;
    rc = d->step(st);
    if (rc == DB_ROW) {
        *out = (int)d->column_int64(st, 0);
        rc = RA_OK;
    } else if (rc == DB_DONE) {
        rc = RA_ERR_DB;
    }
    d->finalize(st);
    return rc;
}

/* Applies migration number version (1-based) unless another process has
 * already done it; each runs in its own write transaction. */
static int apply_migration(store *s, db_conn *c, int version)
{
    const db_driver *d = s->driver;
    int rc = d->begin_write(c);
    if (rc != RA_OK)
        return rc;
    int current = 0;
    rc = read_version(s, c, &current);
    if (rc == RA_OK && current < version) {
        const store_migration *m = &store_migrations[version - 1];
        char now[TIME_ISO_LEN];
        time_now_iso(now);
        rc = d->exec(c, m->sql);
        if (rc == RA_OK)
            rc = store_exec1(s, c, 1,
                             "INSERT INTO schema_migrations (version, name, applied_at)"
                             " VALUES (?, ?, ?)",
                             DB_ARGS(db_int(version), db_text(m->name), db_text(now)));
        if (rc == RA_OK)
            log_info("store: migrated to version %d (%s)", version, m->name);
        else
            log_error(
                "store: migrating to version %d (%s) failed; the database stays at version %d",
                version, m->name, current);
    }
    return store_finish(s, c, rc);
}

static int migrate(store *s, int target)
{
    db_conn *c = NULL;
    int rc = store_acquire(s, &c);
    if (rc != RA_OK)
        return rc;
    rc = s->driver->exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                            " applied_at TEXT NOT NULL)");
    int current = 0;
    if (rc == RA_OK)
        rc = read_version(s, c, &current);
    if (rc == RA_OK && current > store_migration_count) {
        log_error("store: database is at schema version %d, newer than this build (%d)", current,
                  store_migration_count);
        rc = RA_ERR_REFUSED;
    }
    for (int v = current + 1; rc == RA_OK && v <= target; v++)
        rc = apply_migration(s, c, v);
    store_release(s, c);
    return rc;
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        return RA_OK;
    log_error("store: cannot create data directory: %s", strerror(errno));
    return RA_ERR_IO;
}

/* Makes the database file readable and writable by its owner only (0600),
 * whatever the umask and the data directory's mode: it is created so before
 * SQLite opens it, and one made earlier with a wider mode is narrowed, with
 * its -wal and -shm files (which SQLite creates with the database file's
 * mode from then on). RA_ERR_IO when the file can neither be opened nor
 * created; a mode that cannot be narrowed (another owner's file) is logged. */
static int owner_only(const char *db_path)
{
    int fd = open(db_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        log_error("store: cannot open the database file: %s", strerror(errno));
        return RA_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0)
        log_warn("store: cannot make the database file private (mode 0600): %s", strerror(errno));
    close(fd);
    const char *suffixes[] = {"-wal", "-shm"};
    for (size_t i = 0; i < 2; i++) {
        char side[4200];
        snprintf(side, sizeof side, "%s%s", db_path, suffixes[i]);
        if (stat(side, &st) == 0 && (st.st_mode & 077) != 0 && chmod(side, 0600) != 0)
            log_warn("store: cannot make %s private (mode 0600): %s", suffixes[i] + 1,
                     strerror(errno));
    }
    return RA_OK;
}

int store_open_at_version(const char *data_dir, int target_version, store **out)
{
    if (target_version < 0 || target_version > store_migration_count)
        return RA_ERR_INVALID;
    int rc = make_dir(data_dir);
    if (rc != RA_OK)
        return rc;
    store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return RA_ERR_NOMEM;
    size_t n = strlen(data_dir) + sizeof "/" DB_FILE;
    s->path = malloc(n);
    if (s->path == NULL) {
        free(s);
        return RA_ERR_NOMEM;
    }
    snprintf(s->path, n, "%s/%s", data_dir, DB_FILE);
    s->driver = &db_sqlite;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    pthread_mutex_init(&s->writer, NULL);
    pthread_mutex_init(&s->group_lock, NULL);
    pthread_cond_init(&s->group_done, NULL);
    rc = owner_only(s->path);
    if (rc == RA_OK)
        rc = migrate(s, target_version);
    if (rc != RA_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return RA_OK;
}

int store_open(const char *data_dir, store **out)
{
    return store_open_at_version(data_dir, store_migration_count, out);
}

void store_close(store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n_idle; i++)
        s->driver->close(s->idle[i]);
    s->driver->close(s->writer_conn);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->writer);
    pthread_mutex_destroy(&s->group_lock);
    pthread_cond_destroy(&s->group_done);
    free(s->path);
    free(s);
}

int store_latest_version(void)
{
    return store_migration_count;
}

int store_schema_version(store *s, int *out)
{
    db_conn *c = NULL;
    int rc = store_acquire(s, &c);
    if (rc != RA_OK)
        return rc;
    rc = read_version(s, c, out);
    store_release(s, c);
    return rc;
}

int store_ping(store *s)
{
    int version = 0;
    return store_schema_version(s, &version);
}

/* joblists.c - jobs as lists, for people watching them rather than for the
 * workers: an organization's External API jobs with their callback attempts
 * (the pilot view), every job of the platform filtered by state (the admin
 * console), and the queue's depth (see store.h). Read-only; no patient data
 * is read. */
#include <stdio.h>

#include "core/err.h"
#include "store/internal.h"

/* The job's own error, else its first failed exam's. */
#define FIRST_EXAM_ERROR(col)                                                                      \
    "(SELECT e." col " FROM job_exams e WHERE e.job_id = j.id AND e.error_code IS NOT NULL"        \
    " ORDER BY e.idx LIMIT 1)"

#define SUMMARY_COLUMNS                                                                            \
    "j.id, j.org_id, o.name, j.kind, j.status,"                                                    \
    " CASE WHEN j.key_id IS NULL THEN 'web' ELSE 'api' END, COALESCE(k.prefix, ''),"               \
    " j.created_at, COALESCE(j.started_at, ''), COALESCE(j.finished_at, ''), j.attempts,"          \
    " (SELECT COUNT(*) FROM job_exams e WHERE e.job_id = j.id),"                                   \
    " COALESCE(j.error_code, " FIRST_EXAM_ERROR(                                                   \
        "error_code") ", ''),"                                                                     \
                      " COALESCE(j.error_message, " FIRST_EXAM_ERROR(                              \
                          "error_message") ", ''),"                                                \
                                           " COALESCE(cb.url, ''), COALESCE(cb.status, '')"
#define SUMMARY_FROM                                                                               \
    " FROM jobs j JOIN organizations o ON o.id = j.org_id"                                         \
    " LEFT JOIN api_keys k ON k.id = j.key_id LEFT JOIN callbacks cb ON cb.job_id = j.id"
/* Each filter is on when its parameter is not NULL. */
#define SUMMARY_WHERE                                                                              \
    " WHERE (? IS NULL OR j.org_id = ?) AND (? = 0 OR j.key_id IS NOT NULL)"                       \
    " AND (? IS NULL OR j.status = ?)"

struct summary_ctx {
    void (*fn)(const store_job_summary *j, void *ctx);
    void *ctx;
};

static void summary_row(store *s, db_stmt *st, void *ctx)
{
    struct summary_ctx *sc = ctx;
    store_job_summary j;
    STORE_COL(s, st, 0, j.id);
    STORE_COL(s, st, 1, j.org_id);
    STORE_COL(s, st, 2, j.org_name);
    STORE_COL(s, st, 3, j.kind);
    STORE_COL(s, st, 4, j.status);
    STORE_COL(s, st, 5, j.source);
    STORE_COL(s, st, 6, j.key_prefix);
    STORE_COL(s, st, 7, j.created_at);
    STORE_COL(s, st, 8, j.started_at);
    STORE_COL(s, st, 9, j.finished_at);
    j.attempts = (int)s->driver->column_int64(st, 10);
    j.exam_count = s->driver->column_int64(st, 11);
    STORE_COL(s, st, 12, j.error_code);
    STORE_COL(s, st, 13, j.error_message);
    STORE_COL(s, st, 14, j.cb_url);
    STORE_COL(s, st, 15, j.cb_status);
    sc->fn(&j, sc->ctx);
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

int store_job_list(store *s, const store_job_filter *f,
                   void (*fn)(const store_job_summary *j, void *ctx), void *ctx, int64_t *total)
{
    struct summary_ctx sc = {fn, ctx};
    int64_t count = 0;
    int rc = RA_OK;
    if (total)
        rc = store_query(s, NULL, count_row, &count, 1, "SELECT COUNT(*) FROM jobs j" SUMMARY_WHERE,
                         DB_ARGS(db_text(f->org_id), db_text(f->org_id), db_int(f->api_only),
                                 db_text(f->status), db_text(f->status)));
    if (rc == RA_OK)
        rc = store_query(s, NULL, summary_row, &sc, 0,
                         "SELECT " SUMMARY_COLUMNS SUMMARY_FROM SUMMARY_WHERE
                         " ORDER BY j.created_ms DESC, j.id LIMIT ? OFFSET ?",
                         DB_ARGS(db_text(f->org_id), db_text(f->org_id), db_int(f->api_only),
                                 db_text(f->status), db_text(f->status), db_int(f->limit),
                                 db_int(f->offset)));
    if (rc == RA_OK && total)
        *total = count;
    return rc;
}

int store_job_queue_counts(store *s, int64_t *pending, int64_t *processing)
{
    int64_t waiting = 0, running = 0;
    int rc = store_query(s, NULL, count_row, &waiting, 1,
                         "SELECT COUNT(*) FROM jobs WHERE status = 'pending'", DB_NONE);
    if (rc == RA_OK)
        rc = store_query(s, NULL, count_row, &running, 1,
                         "SELECT COUNT(*) FROM jobs WHERE status = 'processing'", DB_NONE);
    if (rc == RA_OK) {
        *pending = waiting;
        *processing = running;
    }
    return rc;
}

struct attempt_ctx {
    void (*fn)(const store_callback_attempt *a, void *ctx);
    void *ctx;
};

static void attempt_row(store *s, db_stmt *st, void *ctx)
{
    struct attempt_ctx *ac = ctx;
    store_callback_attempt a;
    a.attempt = (int)s->driver->column_int64(st, 0);
    STORE_COL(s, st, 1, a.at);
    a.http_status = s->driver->column_int64(st, 2);
    STORE_COL(s, st, 3, a.error);
    ac->fn(&a, ac->ctx);
}

int store_callback_attempts_each(store *s, const char *job_id,
                                 void (*fn)(const store_callback_attempt *a, void *ctx), void *ctx)
{
    struct attempt_ctx ac = {fn, ctx};
    return store_query(s, NULL, attempt_row, &ac, 0,
                       "SELECT attempt, at, COALESCE(http_status, -1), COALESCE(error, '')"
                       " FROM callback_attempts WHERE job_id = ? ORDER BY attempt",
                       DB_ARGS(db_text(job_id)));
}

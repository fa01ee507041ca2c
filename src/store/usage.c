/* usage.c - what organizations used and paid, for their managers and for the
 * accounting console: reports and credits per member and month, each
 * organization's figures for one month, and the credit ledger a page at a
 * time (see store.h). Read-only.
 *
 * A job counts in the month it finished in (when its credits were charged):
 * its reports are its completed exams, its credits what it was charged.
 * Top-ups are the ledger's additions made by people; the reservations and
 * releases of jobs carry the actor JOB_ACTOR (jobs.c) and are left out. */
#include "core/err.h"
#include "store/internal.h"

#define JOB_ACTOR "report job" /* as jobs.c writes it */

#define COMPLETED_EXAMS                                                                            \
    "(SELECT COUNT(*) FROM job_exams e WHERE e.job_id = j.id AND e.status = 'completed')"

struct usage_ctx {
    void (*fn)(const store_usage_row *r, void *ctx);
    void *ctx;
};

static void usage_row(store *s, db_stmt *st, void *ctx)
{
    struct usage_ctx *uc = ctx;
    store_usage_row r;
    STORE_COL(s, st, 0, r.user_id);
    STORE_COL(s, st, 1, r.month);
    r.reports = s->driver->column_int64(st, 2);
    r.credits = s->driver->column_int64(st, 3);
    uc->fn(&r, uc->ctx);
}

int store_org_usage_each(store *s, const char *org_id, const char *since_month,
                         void (*fn)(const store_usage_row *r, void *ctx), void *ctx)
{
    struct usage_ctx uc = {fn, ctx};
    return store_query(s, NULL, usage_row, &uc, 0,
                       "SELECT who, month, SUM(reports), SUM(credits) FROM (SELECT"
                       " CASE WHEN j.key_id IS NULL THEN COALESCE(j.user_id, '') ELSE '' END"
                       " AS who, substr(j.finished_at, 1, 7) AS month, " COMPLETED_EXAMS
                       " AS reports, COALESCE(j.credits_used, 0) AS credits FROM jobs j"
                       " WHERE j.org_id = ? AND j.finished_at IS NOT NULL"
                       " AND j.finished_at >= ? AND (j.key_id IS NOT NULL OR"
                       " j.user_id IS NOT NULL)) AS finished GROUP BY who, month",
                       DB_ARGS(db_text(org_id), db_text(since_month)));
}

struct month_ctx {
    void (*fn)(const store_month_usage *u, void *ctx);
    void *ctx;
};

static void month_row(store *s, db_stmt *st, void *ctx)
{
    struct month_ctx *mc = ctx;
    store_month_usage u;
    store_org_read(s, st, &u.org);
    u.reports = s->driver->column_int64(st, STORE_ORG_NCOLUMNS);
    u.credits_used = s->driver->column_int64(st, STORE_ORG_NCOLUMNS + 1);
    u.top_ups = s->driver->column_int64(st, STORE_ORG_NCOLUMNS + 2);
    mc->fn(&u, mc->ctx);
}

int store_month_usage_each(store *s, const char *month,
                           void (*fn)(const store_month_usage *u, void *ctx), void *ctx)
{
    struct month_ctx mc = {fn, ctx};
    return store_query(s, NULL, month_row, &mc, 0,
                       "SELECT " STORE_ORG_COLUMNS ","
                       " (SELECT COALESCE(SUM(" COMPLETED_EXAMS "), 0) FROM jobs j"
                       "  WHERE j.org_id = organizations.id AND substr(j.finished_at, 1, 7) = ?),"
                       " (SELECT COALESCE(SUM(j.credits_used), 0) FROM jobs j"
                       "  WHERE j.org_id = organizations.id AND substr(j.finished_at, 1, 7) = ?),"
                       " (SELECT COALESCE(SUM(l.amount), 0) FROM credit_ledger l"
                       "  WHERE l.org_id = organizations.id AND l.amount > 0"
                       "  AND l.actor <> '" JOB_ACTOR "' AND substr(l.created_at, 1, 7) = ?)"
                       " FROM organizations ORDER BY name, id",
                       DB_ARGS(db_text(month), db_text(month), db_text(month)));
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

int store_ledger_page(store *s, const char *org_id, int64_t offset, int64_t limit,
                      void (*fn)(const store_ledger_row *row, void *ctx), void *ctx, int64_t *total)
{
    store_ledger_ctx lc = {fn, ctx};
    int64_t count = 0;
    int rc = store_query(s, NULL, count_row, &count, 1,
                         "SELECT COUNT(*) FROM credit_ledger WHERE org_id = ?",
                         DB_ARGS(db_text(org_id)));
    if (rc == RA_OK)
        rc = store_query(s, NULL, store_ledger_row_fn, &lc, 0,
                         "SELECT amount, balance_after, reason, actor, created_at"
                         " FROM credit_ledger WHERE org_id = ? ORDER BY id DESC"
                         " LIMIT ? OFFSET ?",
                         DB_ARGS(db_text(org_id), db_int(limit), db_int(offset)));
    if (rc == RA_OK && total)
        *total = count;
    return rc;
}

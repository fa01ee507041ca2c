/* lm_corpus.c - the material of the per-organization speech models (see
 * store.h, "speech model material"): how much English material each
 * organization has, the section texts of its English saved reports at their
 * latest revision, and its members' own English templates.
 *
 * Privacy by construction: the queries here select section texts and
 * template bodies only. A report's header (patient name and id, accession
 * number, exam name, author) never leaves the database through this file:
 * a revision keeps its sections in columns of their own (STORE_SEC_COLUMNS),
 * and only those columns are selected. */
#include "core/err.h"
#include "core/sections.h"
#include "store/internal.h"

/* English only: the local speech engine is English-only. */
#define LM_LANG "en"

/* ---- activity ---------------------------------------------------------------------- */

struct activity_ctx {
    void (*fn)(const store_lm_activity *a, void *ctx);
    void *ctx;
};

static void activity_row(store *s, db_stmt *st, void *ctx)
{
    struct activity_ctx *ac = ctx;
    store_lm_activity a;
    STORE_COL(s, st, 0, a.org_id);
    a.revisions = s->driver->column_int64(st, 1);
    a.templates = s->driver->column_int64(st, 2);
    STORE_COL(s, st, 3, a.templates_at);
    ac->fn(&a, ac->ctx);
}

int store_lm_activity_each(store *s, void (*fn)(const store_lm_activity *a, void *ctx), void *ctx)
{
    struct activity_ctx ac = {fn, ctx};
    return store_query(
        s, NULL, activity_row, &ac, 0,
        "SELECT org_id, SUM(revisions), SUM(templates), MAX(templates_at) FROM ("
        " SELECT r.org_id AS org_id, COUNT(*) AS revisions, 0 AS templates,"
        "  '' AS templates_at FROM reports r JOIN report_revisions v ON v.report_id = r.id"
        "  WHERE r.language = ? GROUP BY r.org_id"
        " UNION ALL"
        " SELECT org_id, 0, COUNT(*), MAX(updated_at) FROM user_templates"
        "  WHERE language = ? GROUP BY org_id)"
        " GROUP BY org_id ORDER BY org_id",
        DB_ARGS(db_text(LM_LANG), db_text(LM_LANG)));
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

int store_lm_templates_changed(store *s, const char *org_id, const char *since, int64_t *out)
{
    int64_t n = 0;
    int rc = store_query(
        s, NULL, count_row, &n, 1,
        "SELECT COUNT(*) FROM user_templates WHERE org_id = ? AND"
        " language = ? AND updated_at > ?",
        DB_ARGS(db_text(org_id), db_text(LM_LANG), db_text(since != NULL ? since : "")));
    if (rc == RA_OK)
        *out = n;
    return rc;
}

/* ---- texts ---------------------------------------------------------------------------- */

struct texts_ctx {
    void (*fn)(const char *const sections[REPORT_SEC_COUNT], void *ctx);
    void *ctx;
};

static void texts_row(store *s, db_stmt *st, void *ctx)
{
    struct texts_ctx *tc = ctx;
    const char *sections[REPORT_SEC_COUNT];
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        sections[i] = s->driver->column_text(st, i);
    tc->fn(sections, tc->ctx);
}

int store_lm_report_texts_each(store *s, const char *org_id, int64_t max_reports,
                               void (*fn)(const char *const sections[REPORT_SEC_COUNT], void *ctx),
                               void *ctx)
{
    struct texts_ctx tc = {fn, ctx};
    return store_query(s, NULL, texts_row, &tc, 0,
                       "SELECT " STORE_SEC_COLUMNS " FROM reports r JOIN report_revisions v"
                       " ON v.report_id = r.id AND v.revision = r.revision"
                       " WHERE r.org_id = ? AND r.language = ?"
                       " ORDER BY r.updated_at DESC, r.id LIMIT ?",
                       DB_ARGS(db_text(org_id), db_text(LM_LANG), db_int(max_reports)));
}

struct templates_ctx {
    void (*fn)(const char *format, const char *content, void *ctx);
    void *ctx;
};

static void templates_row(store *s, db_stmt *st, void *ctx)
{
    struct templates_ctx *tc = ctx;
    tc->fn(s->driver->column_text(st, 0), s->driver->column_text(st, 1), tc->ctx);
}

int store_lm_templates_each(store *s, const char *org_id,
                            void (*fn)(const char *format, const char *content, void *ctx),
                            void *ctx)
{
    struct templates_ctx tc = {fn, ctx};
    return store_query(s, NULL, templates_row, &tc, 0,
                       "SELECT format, content FROM user_templates WHERE org_id = ? AND"
                       " language = ? ORDER BY created_at, id",
                       DB_ARGS(db_text(org_id), db_text(LM_LANG)));
}

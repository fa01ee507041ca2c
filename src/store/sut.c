/* sut.c - the SUT exam catalog table (see store.h). */
#include "core/err.h"
#include "store/internal.h"

static void sut_row(store *s, db_stmt *st, void *ctx)
{
    store_sut_row *r = ctx;
    STORE_COL(s, st, 0, r->code);
    STORE_COL(s, st, 1, r->name);
    STORE_COL(s, st, 2, r->modality);
    STORE_COL(s, st, 3, r->body_part);
    STORE_COL(s, st, 4, r->source);
}

static int replace_on(store *s, db_conn *c, const store_sut_row *rows, size_t n)
{
    int rc = store_exec1(s, c, 0, "DELETE FROM sut_catalog", DB_NONE);
    for (size_t i = 0; rc == RA_OK && i < n; i++)
        rc = store_exec1(s, c, 1,
                         "INSERT INTO sut_catalog (code, name, modality, body_part,"
                         " source) VALUES (?, ?, ?, ?, ?)",
                         DB_ARGS(db_text(rows[i].code), db_text(rows[i].name),
                                 db_text(rows[i].modality), db_text(rows[i].body_part),
                                 db_text(rows[i].source)));
    return rc;
}

int store_sut_replace(store *s, const store_sut_row *rows, size_t n)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, replace_on(s, c, rows, n));
    return rc;
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

int store_sut_count(store *s, int64_t *out)
{
    return store_query(s, NULL, count_row, out, 1, "SELECT COUNT(*) FROM sut_catalog", DB_NONE);
}

int store_sut_get(store *s, const char *code, store_sut_row *out)
{
    return store_query(s, NULL, sut_row, out, 1,
                       "SELECT code, name, modality, body_part, source"
                       " FROM sut_catalog WHERE code = ?",
                       DB_ARGS(db_text(code)));
}

struct codes_ctx {
    void (*fn)(const char *code, void *ctx);
    void *ctx;
};

static void code_row(store *s, db_stmt *st, void *ctx)
{
    struct codes_ctx *cc = ctx;
    cc->fn(s->driver->column_text(st, 0), cc->ctx);
}

int store_sut_codes_for(store *s, const char *modality, const char *body_part,
                        void (*fn)(const char *code, void *ctx), void *ctx)
{
    struct codes_ctx cc = {fn, ctx};
    return store_query(s, NULL, code_row, &cc, 0,
                       "SELECT code FROM sut_catalog"
                       " WHERE modality = ? AND body_part = ? ORDER BY code",
                       DB_ARGS(db_text(modality), db_text(body_part)));
}

struct page_ctx {
    store_sut_row *rows;
    size_t max, n;
};

static void page_row(store *s, db_stmt *st, void *ctx)
{
    struct page_ctx *pc = ctx;
    if (pc->n < pc->max)
        sut_row(s, st, &pc->rows[pc->n++]);
}

int store_sut_page(store *s, const char *after_code, store_sut_row *rows, size_t max, size_t *n)
{
    struct page_ctx pc = {rows, max, 0};
    int rc = store_query(s, NULL, page_row, &pc, 0,
                         "SELECT code, name, modality, body_part,"
                         " source FROM sut_catalog WHERE code > ? ORDER BY code LIMIT ?",
                         DB_ARGS(db_text(after_code ? after_code : ""), db_int((int64_t)max)));
    if (rc == RA_OK)
        *n = pc.n;
    return rc;
}

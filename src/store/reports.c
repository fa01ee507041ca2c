/* reports.c - the web app's saved reports with their revisions, their
 * search, and the dashboard's figures (see store.h).
 *
 * A save writes the reports row (the latest summary) and one
 * report_revisions row in one transaction; a revision row is never changed
 * afterwards. A revision row holds what its save held, each in a column:
 * the report's fields (sut_code to language, as on the reports row) and the
 * texts of its sections (STORE_SEC_COLUMNS). The reports row's search_key holds the searchable
 * fields folded (core/text.h: text_fold, white space collapsed) between '|' marks: |patient
 * name|patient id|accession|exam name|sut code| A folded text holds only letters, digits and single
 * spaces, so neither a
 * '|' nor a LIKE wildcard can come from the data, and a LIKE pattern pins a
 * filter to its fields by the number of marks it demands on each side
 * (see field_pattern). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "store/internal.h"

#define KEY_FIELDS 5 /* patient name, patient id, accession, exam name, sut code */
#define KEY_MAX (64 * 1024)

/* ---- the search key -------------------------------------------------------------- */

/* Appends s folded, white space runs collapsed to one space, trimmed. */
static int append_folded(buf *b, const char *s)
{
    if (s == NULL || *s == '\0')
        return RA_OK;
    char *folded = text_fold(s);
    if (folded == NULL)
        return RA_ERR_INVALID;
    int rc = RA_OK, space = 0, any = 0;
    for (const char *p = folded; rc == RA_OK && *p; p++) {
        if (*p == ' ') {
            space = any;
            continue;
        }
        if (space)
            rc = buf_putc(b, ' ');
        if (rc == RA_OK)
            rc = buf_putc(b, *p);
        space = 0;
        any = 1;
    }
    free(folded);
    return rc;
}

/* The folded form of s as a new string ("" for NULL); NULL on invalid
 * UTF-8 or no memory. */
static char *folded_dup(const char *s)
{
    buf b;
    buf_init(&b, KEY_MAX);
    if (append_folded(&b, s) != RA_OK) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}

static char *search_key(const store_report_input *in)
{
    const char *fields[KEY_FIELDS] = {in->patient_name, in->patient_id, in->accession,
                                      in->exam_name, in->sut_code};
    buf b;
    buf_init(&b, KEY_MAX);
    int rc = buf_putc(&b, '|');
    for (int i = 0; rc == RA_OK && i < KEY_FIELDS; i++) {
        rc = append_folded(&b, fields[i]);
        if (rc == RA_OK)
            rc = buf_putc(&b, '|');
    }
    if (rc != RA_OK) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* A LIKE pattern matching text inside fields first..last (0-based) of a
 * search key: at least first+1 marks before the text and at least
 * KEY_FIELDS-last marks after it. NULL when text is absent or folds to
 * nothing (the filter is left out); *rc says RA_ERR_INVALID or
 * RA_ERR_NOMEM when it could not be built. */
static char *field_pattern(const char *text, int first, int last, int *rc)
{
    if (text == NULL || *text == '\0')
        return NULL;
    char *folded = folded_dup(text);
    if (folded == NULL) {
        *rc = RA_ERR_INVALID;
        return NULL;
    }
    if (*folded == '\0') {
        free(folded);
        return NULL;
    }
    buf b;
    buf_init(&b, KEY_MAX);
    int r = RA_OK;
    for (int i = 0; r == RA_OK && i <= first; i++)
        r = buf_puts(&b, "%|");
    if (r == RA_OK)
        r = buf_printf(&b, "%%%s%%", folded);
    for (int i = last; r == RA_OK && i < KEY_FIELDS; i++)
        r = buf_puts(&b, "|%");
    free(folded);
    if (r != RA_OK) {
        buf_release(&b);
        *rc = r;
        return NULL;
    }
    return buf_detach(&b);
}

/* ---- rows ------------------------------------------------------------------------- */

/* The columns of a report (read by report_row), with the fields and
 * revision number taken from table alias h: "r" for the report's row, "v"
 * for the report as revision v left it. */
#define REPORT_COLUMNS_OF(h)                                                                       \
    "r.id, r.org_id, r.user_id, COALESCE(u.name, ''), COALESCE(r.job_id, ''), " h ".revision,"     \
    " " h ".sut_code, " h ".exam_name, " h ".modality, " h ".patient_name, " h ".patient_id,"      \
    " " h ".accession, " h ".language, r.created_at, r.updated_at"
#define REPORT_COLUMNS REPORT_COLUMNS_OF("r")
#define REPORT_N_COLUMNS 15
#define REPORT_FROM " FROM reports r LEFT JOIN users u ON u.id = r.user_id"
#define IN_SCOPE " r.org_id = ? AND (? IS NULL OR r.user_id = ?)"

static void report_row(store *s, db_stmt *st, void *ctx)
{
    store_report *r = ctx;
    STORE_COL(s, st, 0, r->id);
    STORE_COL(s, st, 1, r->org_id);
    STORE_COL(s, st, 2, r->user_id);
    STORE_COL(s, st, 3, r->author);
    STORE_COL(s, st, 4, r->job_id);
    r->revision = (int)s->driver->column_int64(st, 5);
    STORE_COL(s, st, 6, r->sut_code);
    STORE_COL(s, st, 7, r->exam_name);
    STORE_COL(s, st, 8, r->modality);
    STORE_COL(s, st, 9, r->patient_name);
    STORE_COL(s, st, 10, r->patient_id);
    STORE_COL(s, st, 11, r->accession);
    STORE_COL(s, st, 12, r->language);
    STORE_COL(s, st, 13, r->created_at);
    STORE_COL(s, st, 14, r->updated_at);
}

static int get_on(store *s, db_conn *c, const char *report_id, const store_scope *scope,
                  store_report *out)
{
    return store_query(s, c, report_row, out, 1,
                       "SELECT " REPORT_COLUMNS REPORT_FROM " WHERE r.id = ? AND" IN_SCOPE,
                       DB_ARGS(db_text(report_id), db_text(scope->org_id), db_text(scope->user_id),
                               db_text(scope->user_id)));
}

int store_report_get(store *s, const char *report_id, const store_scope *scope, store_report *out)
{
    return get_on(s, NULL, report_id, scope, out);
}

#define S(x) ((x) ? (x) : "")

static int insert_revision_on(store *s, db_conn *c, const char *report_id, int revision,
                              const char *user_id, const store_report_input *in, const char *now)
{
    const char *const *sec = in->sections;
    return store_exec1(
        s, c, 1,
        "INSERT INTO report_revisions (report_id, revision, user_id, created_at, sut_code,"
        " exam_name, modality, patient_name, patient_id, accession, language, " STORE_SEC_COLUMNS
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        DB_ARGS(db_text(report_id), db_int((int64_t)revision), db_text(user_id), db_text(now),
                db_text(S(in->sut_code)), db_text(S(in->exam_name)), db_text(S(in->modality)),
                db_text(S(in->patient_name)), db_text(S(in->patient_id)), db_text(S(in->accession)),
                db_text(S(in->language)), db_text(S(sec[0])), db_text(S(sec[1])),
                db_text(S(sec[2])), db_text(S(sec[3])), db_text(S(sec[4])), db_text(S(sec[5]))));
}

static int create_on(store *s, db_conn *c, const char *org_id, const char *user_id,
                     const store_report_input *in, const char *key, store_report *out)
{
    char id[UUID_LEN], now[TIME_ISO_LEN];
    ids_uuid(id);
    time_now_iso(now);
    int rc = store_exec1(
        s, c, 1,
        "INSERT INTO reports (id, org_id, user_id, job_id, revision, sut_code, exam_name,"
        " modality, patient_name, patient_id, accession, language, search_key, created_at,"
        " created_ms, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        DB_ARGS(db_text(id), db_text(org_id), db_text(user_id), db_text(in->job_id),
                db_text(S(in->sut_code)), db_text(S(in->exam_name)), db_text(S(in->modality)),
                db_text(S(in->patient_name)), db_text(S(in->patient_id)), db_text(S(in->accession)),
                db_text(S(in->language)), db_text(key), db_text(now), db_int(time_now_ms()),
                db_text(now)));
    if (rc == RA_OK)
        rc = insert_revision_on(s, c, id, 1, user_id, in, now);
    store_scope scope = {org_id, NULL};
    if (rc == RA_OK)
        rc = get_on(s, c, id, &scope, out);
    return rc;
}

int store_report_create(store *s, const char *org_id, const char *user_id,
                        const store_report_input *in, store_report *out)
{
    char *key = search_key(in);
    if (key == NULL)
        return RA_ERR_INVALID;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, create_on(s, c, org_id, user_id, in, key, out));
    free(key);
    return rc;
}

static int revise_on(store *s, db_conn *c, const char *report_id, const store_scope *scope,
                     const char *user_id, const store_report_input *in, const char *key,
                     store_report *out)
{
    store_report now_row;
    int rc = get_on(s, c, report_id, scope, &now_row);
    if (rc != RA_OK)
        return rc;
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    int next = now_row.revision + 1;
    if (s->limits.revisions_per_report > 0 && next > s->limits.revisions_per_report)
        return RA_ERR_REFUSED;
    rc = insert_revision_on(s, c, report_id, next, user_id, in, now);
    if (rc == RA_OK)
        rc = store_exec1(
            s, c, 1,
            "UPDATE reports SET revision = ?, sut_code = ?, exam_name = ?, modality = ?,"
            " patient_name = ?, patient_id = ?, accession = ?, language = ?, search_key = ?,"
            " updated_at = ? WHERE id = ? AND revision = ?",
            DB_ARGS(db_int((int64_t)next), db_text(S(in->sut_code)), db_text(S(in->exam_name)),
                    db_text(S(in->modality)), db_text(S(in->patient_name)),
                    db_text(S(in->patient_id)), db_text(S(in->accession)), db_text(S(in->language)),
                    db_text(key), db_text(now), db_text(report_id),
                    db_int((int64_t)now_row.revision)));
    if (rc == RA_OK)
        rc = get_on(s, c, report_id, scope, out);
    return rc;
}

int store_report_revise(store *s, const char *report_id, const store_scope *scope,
                        const char *user_id, const store_report_input *in, store_report *out)
{
    char *key = search_key(in);
    if (key == NULL)
        return RA_ERR_INVALID;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, revise_on(s, c, report_id, scope, user_id, in, key, out));
    free(key);
    return rc;
}

/* ---- revisions ---------------------------------------------------------------------- */

#define REVISION_COLUMNS "v.revision, v.user_id, COALESCE(vu.name, ''), v.created_at"
#define REVISION_N_COLUMNS 4
#define REVISION_FROM " FROM report_revisions v LEFT JOIN users vu ON vu.id = v.user_id"

/* Reads REVISION_COLUMNS from column first on. */
static void revision_cols(store *s, db_stmt *st, int first, store_revision *r)
{
    r->revision = (int)s->driver->column_int64(st, first);
    STORE_COL(s, st, first + 1, r->user_id);
    STORE_COL(s, st, first + 2, r->author);
    STORE_COL(s, st, first + 3, r->created_at);
}

/* A revision read whole: the report as it left it (REPORT_COLUMNS_OF("v")),
 * REVISION_COLUMNS, then its sections (STORE_SEC_COLUMNS). */
static void revision_row_whole(store *s, db_stmt *st, void *ctx)
{
    store_revision *r = ctx;
    report_row(s, st, &r->shown);
    revision_cols(s, st, REPORT_N_COLUMNS, r);
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        free(r->sections[sec]);
        r->sections[sec] =
            strdup(s->driver->column_text(st, REPORT_N_COLUMNS + REVISION_N_COLUMNS + sec));
    }
}

void store_revision_release(store_revision *r)
{
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        free(r->sections[sec]);
        r->sections[sec] = NULL;
    }
}

int store_report_revision(store *s, const char *report_id, int n, store_revision *out)
{
    store_revision r = {.revision = 0};
    int rc = store_query(
        s, NULL, revision_row_whole, &r, 1,
        "SELECT " REPORT_COLUMNS_OF(
            "v") ", " REVISION_COLUMNS ", " STORE_SEC_COLUMNS REVISION_FROM
                 " JOIN reports r ON r.id = v.report_id LEFT JOIN users u ON u.id = r.user_id"
                 " WHERE v.report_id = ? AND (v.revision = ? OR (? = 0 AND"
                 " v.revision = (SELECT MAX(revision) FROM report_revisions"
                 " WHERE report_id = ?)))",
        DB_ARGS(db_text(report_id), db_int((int64_t)n), db_int((int64_t)n), db_text(report_id)));
    for (int sec = 0; rc == RA_OK && sec < REPORT_SEC_COUNT; sec++)
        if (r.sections[sec] == NULL)
            rc = RA_ERR_NOMEM;
    if (rc != RA_OK) {
        store_revision_release(&r);
        return rc;
    }
    *out = r;
    return RA_OK;
}

struct revisions_ctx {
    void (*fn)(const store_revision *r, void *ctx);
    void *ctx;
};

static void revisions_row(store *s, db_stmt *st, void *ctx)
{
    struct revisions_ctx *rc = ctx;
    store_revision r = {.revision = 0};
    revision_cols(s, st, 0, &r);
    rc->fn(&r, rc->ctx);
}

int store_report_revisions_each(store *s, const char *report_id,
                                void (*fn)(const store_revision *r, void *ctx), void *ctx)
{
    struct revisions_ctx rc = {fn, ctx};
    return store_query(s, NULL, revisions_row, &rc, 0,
                       "SELECT " REVISION_COLUMNS REVISION_FROM " WHERE v.report_id = ?"
                       " ORDER BY v.revision",
                       DB_ARGS(db_text(report_id)));
}

/* ---- search ------------------------------------------------------------------------ */

#define SEARCH_WHERE                                                                               \
    " WHERE" IN_SCOPE " AND (? IS NULL OR r.search_key LIKE ?)"                                    \
    " AND (? IS NULL OR r.search_key LIKE ?) AND (? IS NULL OR r.search_key LIKE ?)"               \
    " AND (? IS NULL OR r.search_key LIKE ?) AND (? IS NULL OR r.modality = ?)"                    \
    " AND (? IS NULL OR substr(r.created_at, 1, 10) >= ?)"                                         \
    " AND (? IS NULL OR substr(r.created_at, 1, 10) <= ?)"
#define SEARCH_ARGS(scope, p, modality, from, to)                                                  \
    db_text((scope)->org_id), db_text((scope)->user_id), db_text((scope)->user_id), db_text(p[0]), \
        db_text(p[0]), db_text(p[1]), db_text(p[1]), db_text(p[2]), db_text(p[2]), db_text(p[3]),  \
        db_text(p[3]), db_text(modality), db_text(modality), db_text(from), db_text(from),         \
        db_text(to), db_text(to)

struct search_ctx {
    void (*fn)(const store_report *r, void *ctx);
    void *ctx;
};

static void search_row(store *s, db_stmt *st, void *ctx)
{
    struct search_ctx *sc = ctx;
    store_report r;
    report_row(s, st, &r);
    sc->fn(&r, sc->ctx);
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

static const char *or_null(const char *s)
{
    return (s != NULL && *s != '\0') ? s : NULL;
}

static int run_search(store *s, const store_scope *scope, const store_report_filter *f,
                      char *const p[4], struct search_ctx *sc, int64_t *total)
{
    const char *modality = or_null(f->modality), *from = or_null(f->from), *to = or_null(f->to);
    int64_t n = 0;
    int rc = store_query(s, NULL, count_row, &n, 1, "SELECT COUNT(*) FROM reports r" SEARCH_WHERE,
                         DB_ARGS(SEARCH_ARGS(scope, p, modality, from, to)));
    if (rc == RA_OK && n > 0 && f->limit > 0)
        rc = store_query(s, NULL, search_row, sc, 0,
                         "SELECT " REPORT_COLUMNS REPORT_FROM SEARCH_WHERE
                         " ORDER BY r.created_ms DESC, r.id LIMIT ? OFFSET ?",
                         DB_ARGS(SEARCH_ARGS(scope, p, modality, from, to), db_int(f->limit),
                                 db_int(f->offset)));
    if (rc == RA_OK)
        *total = n;
    return rc;
}

int store_report_search(store *s, const store_scope *scope, const store_report_filter *f,
                        void (*fn)(const store_report *r, void *ctx), void *ctx, int64_t *total)
{
    int rc = RA_OK;
    /* q: fields 0-3; patient: 0-1; accession: 2; exam: 3-4 */
    char *p[4] = {field_pattern(f->q, 0, 3, &rc), field_pattern(f->patient, 0, 1, &rc),
                  field_pattern(f->accession, 2, 2, &rc), field_pattern(f->exam, 3, 4, &rc)};
    struct search_ctx sc = {fn, ctx};
    if (rc == RA_OK)
        rc = run_search(s, scope, f, p, &sc, total);
    for (int i = 0; i < 4; i++)
        free(p[i]);
    return rc;
}

/* ---- the dashboard ------------------------------------------------------------------- */

int store_dashboard_get(store *s, const store_scope *scope, const char *today_from,
                        const char *week_from, store_dashboard *out)
{
    store_dashboard d = {0};
    int rc = store_query(s, NULL, count_row, &d.reports_today, 1,
                         "SELECT COUNT(*) FROM reports r WHERE" IN_SCOPE " AND r.created_at >= ?",
                         DB_ARGS(db_text(scope->org_id), db_text(scope->user_id),
                                 db_text(scope->user_id), db_text(today_from)));
    if (rc == RA_OK)
        rc = store_query(s, NULL, count_row, &d.reports_week, 1,
                         "SELECT COUNT(*) FROM reports r WHERE" IN_SCOPE " AND r.created_at >= ?",
                         DB_ARGS(db_text(scope->org_id), db_text(scope->user_id),
                                 db_text(scope->user_id), db_text(week_from)));
    if (rc == RA_OK)
        rc = store_query(
            s, NULL, count_row, &d.jobs_in_progress, 1,
            "SELECT COUNT(*) FROM jobs r WHERE" IN_SCOPE
            " AND r.status IN ('pending', 'processing')",
            DB_ARGS(db_text(scope->org_id), db_text(scope->user_id), db_text(scope->user_id)));
    if (rc == RA_OK)
        *out = d;
    return rc;
}

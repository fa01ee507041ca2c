/* macros.c - voice macros of organizations and users (see store.h): one
 * row per macro, owned by a user (user_id) or by the organization as a
 * whole (user_id NULL). Reads are always pinned to what one user sees (the
 * organization's macros and their own), changes to the exact owner, so
 * another organization's or another member's macro answers
 * RA_ERR_NOT_FOUND exactly like an unknown id. A name is unique per owner
 * and section through the unique index of migration 5; the per-owner count
 * is checked in the transaction that inserts. */
#include <stdlib.h>

#include "core/err.h"
#include "store/internal.h"

#define MACRO_COLUMNS                                                                              \
    "id, org_id, COALESCE(user_id, ''), name, name_fold, section, created_at, updated_at, text"
/* The macros user ? (bound twice; NULL: nobody) of the organization sees. */
#define VISIBLE_TO " org_id = ? AND (user_id IS NULL OR user_id = ?)"

static void macro_row(store *s, db_stmt *st, void *ctx)
{
    store_macro *m = ctx;
    STORE_COL(s, st, 0, m->id);
    STORE_COL(s, st, 1, m->org_id);
    STORE_COL(s, st, 2, m->user_id);
    STORE_COL(s, st, 3, m->name);
    STORE_COL(s, st, 4, m->name_fold);
    STORE_COL(s, st, 5, m->section);
    STORE_COL(s, st, 6, m->created_at);
    STORE_COL(s, st, 7, m->updated_at);
    free(m->text);
    m->text = store_col_dup(s, st, 8);
}

void store_macro_release(store_macro *m)
{
    if (m == NULL)
        return;
    free(m->text);
    m->text = NULL;
}

static int get_on(store *s, db_conn *c, const char *id, const char *org_id, const char *user_id,
                  store_macro *out)
{
    store_macro m = {.text = NULL};
    int rc = store_query(s, c, macro_row, &m, 1,
                         "SELECT " MACRO_COLUMNS " FROM macros WHERE id = ? AND" VISIBLE_TO,
                         DB_ARGS(db_text(id), db_text(org_id), db_text(user_id)));
    if (rc == RA_OK && m.text == NULL)
        rc = RA_ERR_NOMEM;
    if (rc != RA_OK) {
        store_macro_release(&m);
        return rc;
    }
    *out = m;
    return RA_OK;
}

int store_macro_get(store *s, const char *id, const char *org_id, const char *user_id,
                    store_macro *out)
{
    return get_on(s, NULL, id, org_id, user_id, out);
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

static const char *section_of(const store_macro_input *in)
{
    return in->section ? in->section : "";
}

static int create_on(store *s, db_conn *c, const char *org_id, const char *user_id,
                     const store_macro_input *in, store_macro *out)
{
    int64_t n = 0;
    int rc = store_query(s, c, count_row, &n, 1,
                         "SELECT COUNT(*) FROM macros WHERE org_id = ? AND"
                         " COALESCE(user_id, '') = ?",
                         DB_ARGS(db_text(org_id), db_text(user_id ? user_id : "")));
    if (rc == RA_OK && n >= STORE_MACROS_MAX)
        rc = RA_ERR_TOO_LARGE;
    char id[UUID_LEN], now[TIME_ISO_LEN];
    ids_uuid(id);
    time_now_iso(now);
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1,
                         "INSERT INTO macros (id, org_id, user_id, name, name_fold,"
                         " section, text, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         DB_ARGS(db_text(id), db_text(org_id), db_text(user_id), db_text(in->name),
                                 db_text(in->name_fold), db_text(section_of(in)), db_text(in->text),
                                 db_text(now), db_text(now)));
    return rc == RA_OK ? get_on(s, c, id, org_id, user_id, out) : rc;
}

int store_macro_create(store *s, const char *org_id, const char *user_id,
                       const store_macro_input *in, store_macro *out)
{
    store_macro m = {.text = NULL};
    db_conn *c;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, create_on(s, c, org_id, user_id, in, &m));
    if (rc != RA_OK) {
        store_macro_release(&m); /* read before a commit that failed */
        return rc;
    }
    *out = m;
    return RA_OK;
}

int store_macro_update(store *s, const char *id, const char *org_id, const char *owner_id,
                       const store_macro_input *in, store_macro *out)
{
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    int rc = store_write1(s,
                          "UPDATE macros SET name = ?, name_fold = ?, section = ?, text = ?,"
                          " updated_at = ? WHERE id = ? AND org_id = ? AND"
                          " COALESCE(user_id, '') = ?",
                          DB_ARGS(db_text(in->name), db_text(in->name_fold),
                                  db_text(section_of(in)), db_text(in->text), db_text(now),
                                  db_text(id), db_text(org_id), db_text(owner_id ? owner_id : "")));
    return rc == RA_OK ? get_on(s, NULL, id, org_id, owner_id, out) : rc;
}

int store_macro_delete(store *s, const char *id, const char *org_id, const char *owner_id)
{
    return store_write1(s,
                        "DELETE FROM macros WHERE id = ? AND org_id = ? AND"
                        " COALESCE(user_id, '') = ?",
                        DB_ARGS(db_text(id), db_text(org_id), db_text(owner_id ? owner_id : "")));
}

struct each_ctx {
    void (*fn)(const store_macro *m, void *ctx);
    void *ctx;
    int nomem; /* a row's text could not be copied */
};

static void each_row(store *s, db_stmt *st, void *ctx)
{
    struct each_ctx *ec = ctx;
    store_macro m = {.text = NULL};
    macro_row(s, st, &m);
    if (m.text != NULL)
        ec->fn(&m, ec->ctx);
    else
        ec->nomem = 1;
    store_macro_release(&m);
}

int store_macro_each(store *s, const char *org_id, const char *user_id,
                     void (*fn)(const store_macro *m, void *ctx), void *ctx)
{
    struct each_ctx ec = {fn, ctx, 0};
    int rc = store_query(s, NULL, each_row, &ec, 0,
                         "SELECT " MACRO_COLUMNS " FROM macros WHERE" VISIBLE_TO
                         " ORDER BY user_id IS NULL, name_fold, section, created_at",
                         DB_ARGS(db_text(org_id), db_text(user_id)));
    return rc == RA_OK && ec.nomem ? RA_ERR_NOMEM : rc;
}

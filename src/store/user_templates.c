/* user_templates.c - the web app's own report templates (see store.h): one
 * row per template, always read and written within its owner's scope (the
 * organization and the user), so another user's id answers
 * RA_ERR_NOT_FOUND exactly like an unknown one. The one read across owners
 * is store_template_override: the user's own, else an active manager's
 * (the organization's), template that replaces the library's in a job. */
#include <stdlib.h>

#include "core/err.h"
#include "store/internal.h"

#define TEMPLATE_COLUMNS "id, name, language, format, modality, body_part, created_at, updated_at"

static void template_row(store *s, db_stmt *st, void *ctx)
{
    store_template *t = ctx;
    STORE_COL(s, st, 0, t->id);
    STORE_COL(s, st, 1, t->name);
    STORE_COL(s, st, 2, t->language);
    STORE_COL(s, st, 3, t->format);
    STORE_COL(s, st, 4, t->modality);
    STORE_COL(s, st, 5, t->body_part);
    STORE_COL(s, st, 6, t->created_at);
    STORE_COL(s, st, 7, t->updated_at);
}

static void template_row_content(store *s, db_stmt *st, void *ctx)
{
    store_template *t = ctx;
    template_row(s, st, t);
    free(t->content);
    t->content = store_col_dup(s, st, 8);
}

void store_template_release(store_template *t)
{
    free(t->content);
    t->content = NULL;
}

int store_template_get(store *s, const char *id, const char *org_id, const char *user_id,
                       store_template *out)
{
    store_template t = {.content = NULL};
    int rc = store_query(s, NULL, template_row_content, &t, 1,
                         "SELECT " TEMPLATE_COLUMNS ", content FROM user_templates"
                         " WHERE id = ? AND org_id = ? AND user_id = ?",
                         DB_ARGS(db_text(id), db_text(org_id), db_text(user_id)));
    if (rc == RA_OK && t.content == NULL)
        rc = RA_ERR_NOMEM;
    if (rc != RA_OK) {
        store_template_release(&t);
        return rc;
    }
    *out = t;
    return RA_OK;
}

int store_template_create(store *s, const char *org_id, const char *user_id,
                          const store_template_input *in, store_template *out)
{
    char id[UUID_LEN], now[TIME_ISO_LEN];
    ids_uuid(id);
    time_now_iso(now);
    /* one statement: the count and the insert cannot be split by another
     * creation */
    int cap = s->limits.templates_per_user;
    int rc = store_write1(s,
                          "INSERT INTO user_templates (id, org_id, user_id, name, language,"
                          " format, modality, body_part, content, created_at, updated_at)"
                          " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                          " WHERE ? <= 0 OR (SELECT COUNT(*) FROM user_templates"
                          " WHERE user_id = ?) < ?",
                          DB_ARGS(db_text(id), db_text(org_id), db_text(user_id), db_text(in->name),
                                  db_text(in->language), db_text(in->format),
                                  db_text(in->modality ? in->modality : ""),
                                  db_text(in->body_part ? in->body_part : ""), db_text(in->content),
                                  db_text(now), db_text(now), db_int(cap), db_text(user_id),
                                  db_int(cap)));
    if (rc == RA_ERR_NOT_FOUND)
        return RA_ERR_REFUSED;
    return rc == RA_OK ? store_template_get(s, id, org_id, user_id, out) : rc;
}

int store_template_update(store *s, const char *id, const char *org_id, const char *user_id,
                          const store_template_input *in, store_template *out)
{
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    int rc = store_write1(s,
                          "UPDATE user_templates SET name = ?, language = ?, format = ?,"
                          " modality = ?, body_part = ?, content = ?, updated_at = ?"
                          " WHERE id = ? AND org_id = ? AND user_id = ?",
                          DB_ARGS(db_text(in->name), db_text(in->language), db_text(in->format),
                                  db_text(in->modality ? in->modality : ""),
                                  db_text(in->body_part ? in->body_part : ""), db_text(in->content),
                                  db_text(now), db_text(id), db_text(org_id), db_text(user_id)));
    return rc == RA_OK ? store_template_get(s, id, org_id, user_id, out) : rc;
}

int store_template_delete(store *s, const char *id, const char *org_id, const char *user_id)
{
    return store_write1(s,
                        "DELETE FROM user_templates WHERE id = ? AND org_id = ? AND"
                        " user_id = ?",
                        DB_ARGS(db_text(id), db_text(org_id), db_text(user_id)));
}

struct each_ctx {
    void (*fn)(const store_template *t, void *ctx);
    void *ctx;
};

static void each_row(store *s, db_stmt *st, void *ctx)
{
    struct each_ctx *ec = ctx;
    store_template t = {.content = NULL};
    template_row(s, st, &t);
    ec->fn(&t, ec->ctx);
}

int store_template_each(store *s, const char *org_id, const char *user_id,
                        void (*fn)(const store_template *t, void *ctx), void *ctx)
{
    struct each_ctx ec = {fn, ctx};
    return store_query(s, NULL, each_row, &ec, 0,
                       "SELECT " TEMPLATE_COLUMNS " FROM user_templates WHERE org_id = ? AND"
                       " user_id = ? ORDER BY name, created_at",
                       DB_ARGS(db_text(org_id), db_text(user_id)));
}

int store_template_override(store *s, const char *org_id, const char *user_id, const char *modality,
                            const char *body_part, const char *language, store_template *out)
{
    store_template t = {.content = NULL};
    const char *uid = user_id != NULL ? user_id : "";
    int rc = store_query(s, NULL, template_row_content, &t, 1,
                         "SELECT t.id, t.name, t.language, t.format, t.modality, t.body_part,"
                         " t.created_at, t.updated_at, t.content"
                         " FROM user_templates t JOIN users u ON u.id = t.user_id"
                         " WHERE t.org_id = ? AND upper(t.modality) = upper(?)"
                         " AND t.body_part = ? AND t.language = ? AND t.body_part <> ''"
                         " AND (t.user_id = ? OR (u.role = 'manager' AND u.active = 1))"
                         " ORDER BY t.user_id = ? DESC, t.updated_at DESC, t.id LIMIT 1",
                         DB_ARGS(db_text(org_id), db_text(modality), db_text(body_part),
                                 db_text(language), db_text(uid), db_text(uid)));
    if (rc == RA_OK && t.content == NULL)
        rc = RA_ERR_NOMEM;
    if (rc != RA_OK) {
        store_template_release(&t);
        return rc;
    }
    *out = t;
    return RA_OK;
}

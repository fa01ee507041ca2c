/* orgs.c - what an organization's managers and the platform's admins change
 * about organizations and their people: members (role, active, password),
 * settings, the list of organizations with their state, and finding users
 * (see store.h). Every change that touches more than one row is one
 * transaction, and every member operation is scoped to the organization, so
 * a user of another organization is simply not found. */
#include <stdlib.h>

#include "core/err.h"
#include "core/text.h"
#include "store/internal.h"

/* ---- members ----------------------------------------------------------------- */

struct user_each_ctx {
    void (*fn)(const store_user *u, void *ctx);
    void *ctx;
};

static void member_each_row(store *s, db_stmt *st, void *ctx)
{
    struct user_each_ctx *uc = ctx;
    store_user u;
    store_user_read(s, st, &u);
    uc->fn(&u, uc->ctx);
}

int store_org_members_each(store *s, const char *org_id, void (*fn)(const store_user *u, void *ctx),
                           void *ctx)
{
    struct user_each_ctx uc = {fn, ctx};
    return store_query(s, NULL, member_each_row, &uc, 0,
                       "SELECT " STORE_USER_COLUMNS " FROM users WHERE org_id = ?"
                       " ORDER BY name, email_key",
                       DB_ARGS(db_text(org_id)));
}

static int member_on(store *s, db_conn *c, const char *org_id, const char *user_id, store_user *out)
{
    return store_query(s, c, store_user_read, out, 1,
                       "SELECT " STORE_USER_COLUMNS " FROM users WHERE id = ? AND org_id = ?",
                       DB_ARGS(db_text(user_id), db_text(org_id)));
}

int store_member_get(store *s, const char *org_id, const char *user_id, store_user *out)
{
    return member_on(s, NULL, org_id, user_id, out);
}

struct member_change {
    const char *org_id, *user_id, *role;
    int active;
    store_user after;
};

static int member_update_on(store *s, db_conn *c, struct member_change *m)
{
    int rc = member_on(s, c, m->org_id, m->user_id, &m->after);
    if (rc == RA_OK && m->active == 1 && m->after.suspended_at[0] != '\0')
        return RA_ERR_REFUSED; /* the platform's suspension is not the manager's to lift */
    if (rc == RA_OK && m->role != NULL)
        rc = store_exec1(s, c, 1, "UPDATE users SET role = ? WHERE id = ?",
                         DB_ARGS(db_text(m->role), db_text(m->user_id)));
    if (rc == RA_OK && m->active >= 0)
        rc = store_exec1(s, c, 1, "UPDATE users SET active = ? WHERE id = ?",
                         DB_ARGS(db_int(m->active ? 1 : 0), db_text(m->user_id)));
    if (rc == RA_OK && m->active == 0)
        rc = store_exec1(s, c, 0, "DELETE FROM sessions WHERE user_id = ?",
                         DB_ARGS(db_text(m->user_id)));
    if (rc == RA_OK)
        rc = member_on(s, c, m->org_id, m->user_id, &m->after);
    return rc;
}

int store_member_update(store *s, const char *org_id, const char *user_id, const char *role,
                        int active, store_user *out)
{
    struct member_change m = {.org_id = org_id, .user_id = user_id, .role = role, .active = active};
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, member_update_on(s, c, &m));
    if (rc == RA_OK && out)
        *out = m.after;
    return rc;
}

static int member_password_on(store *s, db_conn *c, const char *org_id, const char *user_id,
                              const char *password_hash, const char *keep_session_id)
{
    store_user u;
    int rc = member_on(s, c, org_id, user_id, &u);
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1, "UPDATE users SET password_hash = ? WHERE id = ?",
                         DB_ARGS(db_text(password_hash), db_text(user_id)));
    if (rc == RA_OK)
        rc =
            store_exec1(s, c, 0, "DELETE FROM sessions WHERE user_id = ? AND id <> ?",
                        DB_ARGS(db_text(user_id), db_text(keep_session_id ? keep_session_id : "")));
    return rc;
}

int store_member_set_password(store *s, const char *org_id, const char *user_id,
                              const char *password_hash, const char *keep_session_id)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c,
                       member_password_on(s, c, org_id, user_id, password_hash, keep_session_id));
    return rc;
}

/* ---- settings ---------------------------------------------------------------- */

int store_org_set_settings(store *s, const char *org_id, const char *callback_url,
                           const char *input_lang, const char *output_lang,
                           int audio_retention_days, store_org *out)
{
    int rc = store_write1(s,
                          "UPDATE organizations SET callback_url = ?, input_lang = ?,"
                          " output_lang = ?, audio_retention_days = ? WHERE id = ?",
                          DB_ARGS(db_text(callback_url && *callback_url ? callback_url : NULL),
                                  db_text(input_lang), db_text(output_lang),
                                  db_int(audio_retention_days), db_text(org_id)));
    if (rc == RA_OK && out)
        rc = store_org_get(s, org_id, out);
    return rc;
}

/* ---- the signing secret of the organization's callbacks ----------------------- */

struct secret_change {
    const char *org_id, *secret, *actor;
    store_secret_change change;
    store_org after;
};

static int set_secret_on(store *s, db_conn *c, struct secret_change *sc)
{
    int rc = store_query(s, c, store_org_read, &sc->after, 1,
                         "SELECT " STORE_ORG_COLUMNS " FROM organizations WHERE id = ?",
                         DB_ARGS(db_text(sc->org_id)));
    if (rc != RA_OK)
        return rc;
    int has = sc->after.callback_secret_at[0] != '\0';
    if (sc->change == STORE_SECRET_CREATE && has)
        return RA_ERR_EXISTS;
    if (sc->change == STORE_SECRET_ROTATE && !has)
        return RA_ERR_REFUSED;
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    rc = store_exec1(
        s, c, 1,
        "UPDATE organizations SET callback_secret = ?, callback_secret_at = ?,"
        " callback_secret_by = ? WHERE id = ?",
        DB_ARGS(db_text(sc->secret), db_text(now), db_text(sc->actor), db_text(sc->org_id)));
    if (rc == RA_OK) {
        STORE_COPY(sc->after.callback_secret_at, now);
        STORE_COPY(sc->after.callback_secret_by, sc->actor);
    }
    return rc;
}

int store_org_set_callback_secret(store *s, const char *org_id, store_secret_change change,
                                  const char *secret, const char *actor, store_org *out)
{
    if (secret == NULL || strlen(secret) != STORE_CALLBACK_SECRET_LEN || actor == NULL)
        return RA_ERR_INVALID;
    struct secret_change sc = {
        .org_id = org_id, .secret = secret, .actor = actor, .change = change};
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, set_secret_on(s, c, &sc));
    if (rc == RA_OK && out)
        *out = sc.after;
    return rc;
}

/* ---- organizations for the admin ------------------------------------------------ */

struct org_each_ctx {
    void (*fn)(const store_org_summary *o, void *ctx);
    void *ctx;
};

static void org_each_row(store *s, db_stmt *st, void *ctx)
{
    struct org_each_ctx *oc = ctx;
    store_org_summary o;
    store_org_read(s, st, &o.org);
    o.members = s->driver->column_int64(st, STORE_ORG_NCOLUMNS);
    oc->fn(&o, oc->ctx);
}

int store_org_each(store *s, void (*fn)(const store_org_summary *o, void *ctx), void *ctx)
{
    struct org_each_ctx oc = {fn, ctx};
    return store_query(s, NULL, org_each_row, &oc, 0,
                       "SELECT " STORE_ORG_COLUMNS ", (SELECT COUNT(*) FROM users u"
                       " WHERE u.org_id = organizations.id) FROM organizations"
                       " ORDER BY created_at DESC, id",
                       DB_NONE);
}

static int change_state_on(store *s, db_conn *c, const char *org_id, store_org_change change,
                           const char *actor, store_org *out)
{
    store_org o;
    int rc = store_query(s, c, store_org_read, &o, 1,
                         "SELECT " STORE_ORG_COLUMNS " FROM organizations WHERE id = ?",
                         DB_ARGS(db_text(org_id)));
    if (rc != RA_OK)
        return rc;
    if ((change == STORE_ORG_APPROVE && !o.pending) || (change == STORE_ORG_ACTIVATE && o.pending))
        return RA_ERR_EXISTS;
    int active = change != STORE_ORG_DEACTIVATE;
    int recorded = !active && !o.active && !o.pending && o.deactivated_at[0] != '\0';
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    if (!active && !recorded) {
        STORE_COPY(o.deactivated_at, now);
        STORE_COPY(o.deactivated_by, actor);
    } else if (active) {
        o.deactivated_at[0] = o.deactivated_by[0] = '\0';
    }
    rc = store_exec1(s, c, 1,
                     "UPDATE organizations SET active = ?, pending = 0, deactivated_at = ?,"
                     " deactivated_by = ? WHERE id = ?",
                     DB_ARGS(db_int(active), db_text(active ? NULL : o.deactivated_at),
                             db_text(active ? NULL : o.deactivated_by), db_text(org_id)));
    if (rc == RA_OK && !active)
        rc = store_exec1(s, c, 0,
                         "DELETE FROM sessions WHERE user_id IN"
                         " (SELECT id FROM users WHERE org_id = ?)",
                         DB_ARGS(db_text(org_id)));
    if (rc == RA_OK) {
        o.active = active;
        o.pending = 0;
        *out = o;
    }
    return rc;
}

int store_org_change_state(store *s, const char *org_id, store_org_change change, const char *actor,
                           store_org *out)
{
    if (change == STORE_ORG_DEACTIVATE && (actor == NULL || actor[0] == '\0'))
        return RA_ERR_INVALID;
    store_org o;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, change_state_on(s, c, org_id, change, actor, &o));
    if (rc == RA_OK && out)
        *out = o;
    return rc;
}

/* ---- stale registrations ---------------------------------------------------------- */

/* A pending organization created before ? that nothing but its one manager
 * refers to. Kept in step with the tables that refer to organizations. */
#define STALE_PENDING                                                                              \
    "o.pending = 1 AND o.created_at < ?"                                                           \
    " AND NOT EXISTS (SELECT 1 FROM credit_ledger x WHERE x.org_id = o.id)"                        \
    " AND NOT EXISTS (SELECT 1 FROM api_keys x WHERE x.org_id = o.id)"                             \
    " AND NOT EXISTS (SELECT 1 FROM jobs x WHERE x.org_id = o.id)"                                 \
    " AND NOT EXISTS (SELECT 1 FROM reports x WHERE x.org_id = o.id)"                              \
    " AND NOT EXISTS (SELECT 1 FROM user_templates x WHERE x.org_id = o.id)"                       \
    " AND NOT EXISTS (SELECT 1 FROM macros x WHERE x.org_id = o.id)"                               \
    " AND (SELECT count(*) FROM users u WHERE u.org_id = o.id) <= 1"                               \
    " AND NOT EXISTS (SELECT 1 FROM sessions x JOIN users u ON u.id = x.user_id"                   \
    "  WHERE u.org_id = o.id)"

#define SWEEP_BATCH 100

typedef struct stale_ids {
    char ids[SWEEP_BATCH][UUID_LEN];
    int n;
} stale_ids;

static void stale_id_row(store *s, db_stmt *st, void *ctx)
{
    stale_ids *b = ctx;
    if (b->n < SWEEP_BATCH)
        STORE_COL(s, st, 0, b->ids[b->n++]);
}

/* Deletes one stale registration; RA_ERR_NOT_FOUND when it is no longer
 * stale (approved, or given something, since it was listed). */
static int delete_stale_on(store *s, db_conn *c, const char *org_id, const char *created_before)
{
    int rc = store_exec1(s, c, 0,
                         "DELETE FROM users WHERE org_id = ? AND org_id IN"
                         " (SELECT o.id FROM organizations o WHERE " STALE_PENDING ")",
                         DB_ARGS(db_text(org_id), db_text(created_before)));
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1,
                         "DELETE FROM organizations WHERE id = ? AND id IN"
                         " (SELECT o.id FROM organizations o WHERE " STALE_PENDING ")",
                         DB_ARGS(db_text(org_id), db_text(created_before)));
    return rc;
}

int store_org_sweep_pending(store *s, const char *created_before, int64_t *removed)
{
    stale_ids *b = calloc(1, sizeof *b);
    if (b == NULL)
        return RA_ERR_NOMEM;
    int rc = store_query(s, NULL, stale_id_row, b, 0,
                         "SELECT o.id FROM organizations o WHERE " STALE_PENDING
                         " ORDER BY o.created_at LIMIT ?",
                         DB_ARGS(db_text(created_before), db_int(SWEEP_BATCH)));
    int64_t n = 0;
    for (int i = 0; i < b->n; i++) {
        db_conn *c = NULL;
        int one = store_begin(s, &c);
        if (one == RA_OK)
            one = store_end(s, c, delete_stale_on(s, c, b->ids[i], created_before));
        n += one == RA_OK;
        if (one != RA_OK && one != RA_ERR_NOT_FOUND && rc == RA_OK)
            rc = one;
    }
    free(b);
    if (removed)
        *removed = n;
    return rc;
}

/* ---- finding users ---------------------------------------------------------------- */

struct user_search_ctx {
    void (*fn)(const store_user_row *u, void *ctx);
    void *ctx;
};

static void user_search_row(store *s, db_stmt *st, void *ctx)
{
    struct user_search_ctx *uc = ctx;
    store_user_row r;
    store_user_read(s, st, &r.user);
    STORE_COL(s, st, STORE_USER_NCOLUMNS, r.org_name);
    uc->fn(&r, uc->ctx);
}

static void count_row(store *s, db_stmt *st, void *ctx)
{
    *(int64_t *)ctx = s->driver->column_int64(st, 0);
}

/* "%query%" for LIKE, lowercased, with %, _ and the escape \ escaped. NULL
 * when out of memory or the query is not UTF-8. */
static char *like_pattern(const char *query)
{
    char *lower = text_lower(query ? query : "");
    if (lower == NULL)
        return NULL;
    size_t n = strlen(lower);
    char *out = malloc(2 * n + 3);
    if (out != NULL) {
        char *p = out;
        *p++ = '%';
        for (const char *q = lower; *q; q++) {
            if (*q == '%' || *q == '_' || *q == '\\')
                *p++ = '\\';
            *p++ = *q;
        }
        *p++ = '%';
        *p = '\0';
    }
    free(lower);
    return out;
}

#define USER_MATCH                                                                                 \
    " FROM users WHERE (email_key LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\')"

int store_user_search(store *s, const char *query, int64_t offset, int64_t limit,
                      void (*fn)(const store_user_row *u, void *ctx), void *ctx, int64_t *total)
{
    char *pattern = like_pattern(query);
    if (pattern == NULL)
        return RA_ERR_INVALID;
    struct user_search_ctx uc = {fn, ctx};
    int64_t count = 0;
    int rc = store_query(s, NULL, count_row, &count, 1, "SELECT COUNT(*)" USER_MATCH,
                         DB_ARGS(db_text(pattern), db_text(pattern)));
    if (rc == RA_OK)
        rc =
            store_query(s, NULL, user_search_row, &uc, 0,
                        "SELECT " STORE_USER_COLUMNS ", COALESCE((SELECT o.name FROM"
                        " organizations o WHERE o.id = users.org_id), '')" USER_MATCH
                        " ORDER BY email_key LIMIT ? OFFSET ?",
                        DB_ARGS(db_text(pattern), db_text(pattern), db_int(limit), db_int(offset)));
    free(pattern);
    if (rc == RA_OK && total)
        *total = count;
    return rc;
}

/* accounts.c - organizations, users and the credit ledger (see store.h). */
#include <stdlib.h>

#include "core/err.h"
#include "core/text.h"
#include "store/internal.h"

void store_org_read(store *s, db_stmt *st, void *ctx)
{
    store_org *o = ctx;
    STORE_COL(s, st, 0, o->id);
    STORE_COL(s, st, 1, o->name);
    STORE_COL(s, st, 2, o->type);
    o->active = (int)s->driver->column_int64(st, 3);
    o->credits = s->driver->column_int64(st, 4);
    STORE_COL(s, st, 5, o->created_at);
    o->pending = (int)s->driver->column_int64(st, 6);
    STORE_COL(s, st, 7, o->callback_url);
    STORE_COL(s, st, 8, o->input_lang);
    STORE_COL(s, st, 9, o->output_lang);
    o->audio_retention_days = (int)s->driver->column_int64(st, 10);
    STORE_COL(s, st, 11, o->callback_secret_at);
    STORE_COL(s, st, 12, o->callback_secret_by);
    STORE_COL(s, st, 13, o->deactivated_at);
    STORE_COL(s, st, 14, o->deactivated_by);
}

void store_user_read(store *s, db_stmt *st, void *ctx)
{
    store_user *u = ctx;
    STORE_COL(s, st, 0, u->id);
    STORE_COL(s, st, 1, u->email);
    STORE_COL(s, st, 2, u->name);
    STORE_COL(s, st, 3, u->role);
    STORE_COL(s, st, 4, u->org_id);
    u->active = (int)s->driver->column_int64(st, 5);
    STORE_COL(s, st, 6, u->created_at);
    STORE_COL(s, st, 7, u->suspended_at);
    STORE_COL(s, st, 8, u->suspended_by);
}

int store_user_may_sign_in(const store_user *u)
{
    return u->active && u->suspended_at[0] == '\0';
}

int store_credits_add_on(store *s, db_conn *c, const char *org_id, int64_t amount,
                         const char *reason, const char *actor, int64_t *balance_after)
{
    store_org org;
    int rc = store_query(s, c, store_org_read, &org, 1,
                         "SELECT " STORE_ORG_COLUMNS " FROM organizations WHERE id = ?",
                         DB_ARGS(db_text(org_id)));
    if (rc != RA_OK)
        return rc;
    if (amount < 0 ? org.credits < -amount : org.credits > INT64_MAX - amount)
        return RA_ERR_BALANCE;
    int64_t balance = org.credits + amount;
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    rc = store_exec1(s, c, 1, "UPDATE organizations SET credits = ? WHERE id = ?",
                     DB_ARGS(db_int(balance), db_text(org_id)));
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1,
                         "INSERT INTO credit_ledger (org_id, amount, balance_after, reason,"
                         " actor, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                         DB_ARGS(db_text(org_id), db_int(amount), db_int(balance), db_text(reason),
                                 db_text(actor), db_text(now)));
    if (rc == RA_OK && balance_after)
        *balance_after = balance;
    return rc;
}

static int org_insert_on(store *s, db_conn *c, const char *name, const char *type, int64_t credits,
                         const char *actor, store_org *out)
{
    store_org o = {0};
    ids_uuid(o.id);
    time_now_iso(o.created_at);
    STORE_COPY(o.name, name);
    STORE_COPY(o.type, type);
    o.active = 1;
    STORE_COPY(o.input_lang, "tr");
    STORE_COPY(o.output_lang, "tr");
    int rc =
        store_exec1(s, c, 1,
                    "INSERT INTO organizations (id, name, type, active, credits,"
                    " created_at) VALUES (?, ?, ?, 1, 0, ?)",
                    DB_ARGS(db_text(o.id), db_text(name), db_text(type), db_text(o.created_at)));
    if (rc == RA_OK && credits > 0)
        rc = store_credits_add_on(s, c, o.id, credits, "opening balance", actor, &o.credits);
    if (rc == RA_OK && out)
        *out = o;
    return rc;
}

int store_org_create(store *s, const char *name, const char *type, int64_t credits,
                     const char *actor, store_org *out)
{
    if (credits < 0)
        return RA_ERR_INVALID;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, org_insert_on(s, c, name, type, credits, actor, out));
    return rc;
}

static int user_insert_on(store *s, db_conn *c, const char *email, const char *email_key,
                          const char *name, const char *role, const char *org_id,
                          const char *password_hash, store_user *u);

/* An organization and its manager; a pending one waits for approval. */
static int org_with_manager_on(store *s, db_conn *c, int pending, const char *org_name,
                               const char *type, const char *name, const char *email,
                               const char *email_key, const char *password_hash, store_org *org,
                               store_user *manager)
{
    int rc = org_insert_on(s, c, org_name, type, 0, email, org);
    if (rc == RA_OK && pending)
        rc = store_exec1(s, c, 1,
                         "UPDATE organizations SET active = 0, pending = 1"
                         " WHERE id = ?",
                         DB_ARGS(db_text(org->id)));
    if (rc == RA_OK)
        rc = user_insert_on(s, c, email, email_key, name, "manager", org->id, password_hash,
                            manager);
    org->active = !pending;
    org->pending = pending;
    return rc;
}

static int org_with_manager(store *s, int pending, const char *org_name, const char *type,
                            const char *name, const char *email, const char *password_hash,
                            store_org *org, store_user *manager)
{
    char *email_key = text_lower(email);
    if (email_key == NULL)
        return RA_ERR_INVALID;
    store_org o = {0};
    store_user u = {0};
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c,
                       org_with_manager_on(s, c, pending, org_name, type, name, email, email_key,
                                           password_hash, &o, &u));
    free(email_key);
    if (rc == RA_OK && org)
        *org = o;
    if (rc == RA_OK && manager)
        *manager = u;
    return rc;
}

int store_org_register(store *s, const char *org_name, const char *type, const char *name,
                       const char *email, const char *password_hash, store_org *org,
                       store_user *manager)
{
    return org_with_manager(s, 1, org_name, type, name, email, password_hash, org, manager);
}

int store_org_create_with_manager(store *s, const char *org_name, const char *type,
                                  const char *name, const char *email, const char *password_hash,
                                  store_org *org, store_user *manager)
{
    return org_with_manager(s, 0, org_name, type, name, email, password_hash, org, manager);
}

int store_org_get(store *s, const char *org_id, store_org *out)
{
    return store_query(s, NULL, store_org_read, out, 1,
                       "SELECT " STORE_ORG_COLUMNS " FROM organizations WHERE id = ?",
                       DB_ARGS(db_text(org_id)));
}

/* Inserts the user; an individual without org_id gets a personal account. */
static int user_insert_on(store *s, db_conn *c, const char *email, const char *email_key,
                          const char *name, const char *role, const char *org_id,
                          const char *password_hash, store_user *u)
{
    int rc = RA_OK;
    if (org_id == NULL && strcmp(role, "individual") == 0) {
        store_org personal;
        rc = org_insert_on(s, c, name, "personal", 0, email, &personal);
        STORE_COPY(u->org_id, personal.id);
    } else if (org_id != NULL) {
        store_org org;
        rc = store_query(s, c, store_org_read, &org, 1,
                         "SELECT " STORE_ORG_COLUMNS " FROM organizations WHERE id = ?",
                         DB_ARGS(db_text(org_id)));
        STORE_COPY(u->org_id, org_id);
    }
    if (rc != RA_OK)
        return rc;
    ids_uuid(u->id);
    time_now_iso(u->created_at);
    STORE_COPY(u->email, email);
    STORE_COPY(u->name, name);
    STORE_COPY(u->role, role);
    u->active = 1;
    return store_exec1(s, c, 1,
                       "INSERT INTO users (id, email, email_key, name, role, org_id,"
                       " password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                       DB_ARGS(db_text(u->id), db_text(email), db_text(email_key), db_text(name),
                               db_text(role), db_text(u->org_id[0] ? u->org_id : NULL),
                               db_text(password_hash), db_text(u->created_at)));
}

int store_user_create(store *s, const char *email, const char *name, const char *role,
                      const char *org_id, const char *password_hash, store_user *out)
{
    char *email_key = text_lower(email);
    if (email_key == NULL)
        return RA_ERR_INVALID;
    store_user u = {0};
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(
            s, c, user_insert_on(s, c, email, email_key, name, role, org_id, password_hash, &u));
    if (rc == RA_OK && out)
        *out = u;
    free(email_key);
    return rc;
}

int store_user_by_email(store *s, const char *email, store_user *out)
{
    char *email_key = text_lower(email);
    if (email_key == NULL)
        return RA_ERR_NOT_FOUND;
    int rc = store_query(s, NULL, store_user_read, out, 1,
                         "SELECT " STORE_USER_COLUMNS " FROM users WHERE email_key = ?",
                         DB_ARGS(db_text(email_key)));
    free(email_key);
    return rc;
}

int store_user_get(store *s, const char *user_id, store_user *out)
{
    return store_query(s, NULL, store_user_read, out, 1,
                       "SELECT " STORE_USER_COLUMNS " FROM users WHERE id = ?",
                       DB_ARGS(db_text(user_id)));
}

int store_user_set_role(store *s, const char *user_id, const char *role)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c,
                            store_exec1(s, c, 1, "UPDATE users SET role = ? WHERE id = ?",
                                        DB_ARGS(db_text(role), db_text(user_id))));
    return rc;
}

static int user_set_active_on(store *s, db_conn *c, const char *user_id, int active)
{
    int rc = store_exec1(s, c, 1, "UPDATE users SET active = ? WHERE id = ?",
                         DB_ARGS(db_int(active ? 1 : 0), db_text(user_id)));
    if (rc == RA_OK && !active)
        rc = store_exec1(s, c, 0, "DELETE FROM sessions WHERE user_id = ?",
                         DB_ARGS(db_text(user_id)));
    return rc;
}

int store_user_set_active(store *s, const char *user_id, int active)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, user_set_active_on(s, c, user_id, active));
    return rc;
}

static int user_set_suspended_on(store *s, db_conn *c, const char *user_id, int suspended,
                                 const char *actor, store_user *u)
{
    int rc = store_query(s, c, store_user_read, u, 1,
                         "SELECT " STORE_USER_COLUMNS " FROM users WHERE id = ?",
                         DB_ARGS(db_text(user_id)));
    if (rc != RA_OK)
        return rc;
    if ((u->suspended_at[0] != '\0') == (suspended != 0))
        return RA_ERR_EXISTS;
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    rc = store_exec1(s, c, 1, "UPDATE users SET suspended_at = ?, suspended_by = ? WHERE id = ?",
                     DB_ARGS(db_text(suspended ? now : NULL), db_text(suspended ? actor : NULL),
                             db_text(user_id)));
    if (rc == RA_OK && suspended)
        rc = store_exec1(s, c, 0, "DELETE FROM sessions WHERE user_id = ?",
                         DB_ARGS(db_text(user_id)));
    if (rc == RA_OK) {
        STORE_COPY(u->suspended_at, suspended ? now : "");
        STORE_COPY(u->suspended_by, suspended ? actor : "");
    }
    return rc;
}

int store_user_set_suspended(store *s, const char *user_id, int suspended, const char *actor,
                             store_user *out)
{
    if (suspended && (actor == NULL || actor[0] == '\0'))
        return RA_ERR_INVALID;
    store_user u;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, user_set_suspended_on(s, c, user_id, suspended, actor, &u));
    if (rc == RA_OK && out)
        *out = u;
    return rc;
}

static void hash_row(store *s, db_stmt *st, void *ctx)
{
    store_col(s, st, 0, ctx, STORE_PASSWORD_HASH_MAX);
}

int store_user_password(store *s, const char *user_id, char hash[STORE_PASSWORD_HASH_MAX])
{
    char found[STORE_PASSWORD_HASH_MAX] = "";
    int rc = store_query(s, NULL, hash_row, found, 1,
                         "SELECT password_hash FROM users WHERE id = ?", DB_ARGS(db_text(user_id)));
    if (rc == RA_OK)
        memcpy(hash, found, sizeof found);
    return rc;
}

int store_user_set_password(store *s, const char *user_id, const char *password_hash)
{
    return store_write1(s, "UPDATE users SET password_hash = ? WHERE id = ?",
                        DB_ARGS(db_text(password_hash), db_text(user_id)));
}

int store_credits_add(store *s, const char *org_id, int64_t amount, const char *reason,
                      const char *actor, int64_t *balance_after)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c,
                       store_credits_add_on(s, c, org_id, amount, reason, actor, balance_after));
    return rc;
}

void store_ledger_row_fn(store *s, db_stmt *st, void *ctx)
{
    store_ledger_ctx *lc = ctx;
    store_ledger_row r;
    r.amount = s->driver->column_int64(st, 0);
    r.balance_after = s->driver->column_int64(st, 1);
    STORE_COL(s, st, 2, r.reason);
    STORE_COL(s, st, 3, r.actor);
    STORE_COL(s, st, 4, r.created_at);
    lc->fn(&r, lc->ctx);
}

int store_ledger_each(store *s, const char *org_id,
                      void (*fn)(const store_ledger_row *row, void *ctx), void *ctx)
{
    store_ledger_ctx lc = {fn, ctx};
    return store_query(s, NULL, store_ledger_row_fn, &lc, 0,
                       "SELECT amount, balance_after, reason, actor, created_at"
                       " FROM credit_ledger WHERE org_id = ? ORDER BY id",
                       DB_ARGS(db_text(org_id)));
}

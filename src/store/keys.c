/* keys.c - API key records: only the SHA-256 of a key is stored, with its
 * displayable prefix and usage (see store.h). */
#include "core/err.h"
#include "store/internal.h"

#define KEY_COLUMNS                                                                                \
    "k.id, k.prefix, k.label, k.org_id, k.user_id, u.email, k.created_at,"                         \
    " COALESCE(k.last_used_at, ''), k.use_count, COALESCE(k.revoked_at, ''),"                      \
    " COALESCE(k.expires_at, ''), COALESCE(k.expires_ms, 0), COALESCE(k.replaced_by, '')"
#define KEY_FROM " FROM api_keys k JOIN users u ON u.id = k.user_id"

static void key_row(store *s, db_stmt *st, void *ctx)
{
    store_key *k = ctx;
    STORE_COL(s, st, 0, k->id);
    STORE_COL(s, st, 1, k->prefix);
    STORE_COL(s, st, 2, k->label);
    STORE_COL(s, st, 3, k->org_id);
    STORE_COL(s, st, 4, k->user_id);
    STORE_COL(s, st, 5, k->user_email);
    STORE_COL(s, st, 6, k->created_at);
    STORE_COL(s, st, 7, k->last_used_at);
    k->use_count = s->driver->column_int64(st, 8);
    STORE_COL(s, st, 9, k->revoked_at);
    STORE_COL(s, st, 10, k->expires_at);
    k->expires_ms = s->driver->column_int64(st, 11);
    STORE_COL(s, st, 12, k->replaced_by);
}

int store_key_is_live(const store_key *key, int64_t now_ms)
{
    return key->revoked_at[0] == '\0' && (key->expires_ms == 0 || now_ms < key->expires_ms);
}

int store_key_create(store *s, const char *hash_hex, const char *prefix, const char *label,
                     const char *org_id, const char *user_id, store_key *out)
{
    char id[UUID_LEN], now[TIME_ISO_LEN];
    ids_uuid(id);
    time_now_iso(now);
    /* one statement: the count and the insert cannot be split by another
     * creation */
    int cap = s->limits.keys_per_org;
    int rc = store_write1(
        s,
        "INSERT INTO api_keys (id, key_hash, prefix, label, org_id, user_id,"
        " created_at, use_count) SELECT ?, ?, ?, ?, ?, ?, ?, 0"
        " WHERE ? <= 0 OR (SELECT COUNT(*) FROM api_keys WHERE org_id = ?"
        " AND revoked_at IS NULL AND (COALESCE(expires_ms, 0) = 0 OR expires_ms > ?)) < ?",
        DB_ARGS(db_text(id), db_text(hash_hex), db_text(prefix), db_text(label), db_text(org_id),
                db_text(user_id), db_text(now), db_int(cap), db_text(org_id), db_int(time_now_ms()),
                db_int(cap)));
    if (rc == RA_ERR_NOT_FOUND)
        return RA_ERR_REFUSED;
    if (rc == RA_OK && out)
        rc = store_query(s, NULL, key_row, out, 1, "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.id = ?",
                         DB_ARGS(db_text(id)));
    return rc;
}

int store_key_by_hash(store *s, const char *hash_hex, store_key *out)
{
    return store_query(s, NULL, key_row, out, 1,
                       "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.key_hash = ?",
                       DB_ARGS(db_text(hash_hex)));
}

static void key_auth_row(store *s, db_stmt *st, void *ctx)
{
    store_key_auth *a = ctx;
    key_row(s, st, &a->key);
    STORE_COL(s, st, 13, a->role);
    STORE_COL(s, st, 14, a->user_org_id);
    a->user_may_use = (int)s->driver->column_int64(st, 15);
    a->org_active = (int)s->driver->column_int64(st, 16);
}

int store_key_auth_by_hash(store *s, const char *hash_hex, store_key_auth *out)
{
    return store_query(s, NULL, key_auth_row, out, 1,
                       "SELECT " KEY_COLUMNS ", u.role, COALESCE(u.org_id, ''),"
                       " u.active <> 0 AND u.suspended_at IS NULL, o.active" KEY_FROM
                       " JOIN organizations o ON o.id = k.org_id WHERE k.key_hash = ?",
                       DB_ARGS(db_text(hash_hex)));
}

static int add_uses_on(store *s, db_conn *c, const store_key_use *uses, size_t n)
{
    int rc = RA_OK;
    for (size_t i = 0; rc == RA_OK && i < n; i++) {
        char last[TIME_ISO_LEN];
        time_format_iso_ms(uses[i].last_ms, last);
        rc = store_exec1(
            s, c, 0,
            "UPDATE api_keys SET use_count = use_count + ?,"
            " last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ?"
            " THEN ? ELSE last_used_at END WHERE id = ?",
            DB_ARGS(db_int(uses[i].count), db_text(last), db_text(last), db_text(uses[i].key_id)));
    }
    return rc;
}

int store_key_add_uses(store *s, const store_key_use *uses, size_t n)
{
    if (n == 0)
        return RA_OK;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, add_uses_on(s, c, uses, n));
    return rc;
}

int store_org_credits(store *s, const char *org_id, int64_t *credits)
{
    return store_query(s, NULL, store_int64_read, credits, 1,
                       "SELECT credits FROM organizations WHERE id = ?", DB_ARGS(db_text(org_id)));
}

struct key_each_ctx {
    void (*fn)(const store_key *key, void *ctx);
    void *ctx;
};

static void key_each_row(store *s, db_stmt *st, void *ctx)
{
    struct key_each_ctx *kc = ctx;
    store_key k;
    key_row(s, st, &k);
    kc->fn(&k, kc->ctx);
}

int store_key_each(store *s, const char *org_id, void (*fn)(const store_key *key, void *ctx),
                   void *ctx)
{
    struct key_each_ctx kc = {fn, ctx};
    return store_query(s, NULL, key_each_row, &kc, 0,
                       "SELECT " KEY_COLUMNS KEY_FROM
                       " WHERE k.org_id = ? ORDER BY k.created_at DESC, k.id",
                       DB_ARGS(db_text(org_id)));
}

struct prefix_ctx {
    store_key key;
    int matches;
};

static void prefix_row(store *s, db_stmt *st, void *ctx)
{
    struct prefix_ctx *pc = ctx;
    if (pc->matches++ == 0)
        key_row(s, st, &pc->key);
}

static int revoke_on(store *s, db_conn *c, const char *prefix, store_key *out)
{
    struct prefix_ctx pc = {.matches = 0};
    int rc =
        store_query(s, c, prefix_row, &pc, 1, "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.prefix = ?",
                    DB_ARGS(db_text(prefix)));
    if (rc != RA_OK)
        return rc;
    if (pc.matches > 1)
        return RA_ERR_AMBIGUOUS;
    if (pc.key.revoked_at[0] != '\0')
        return RA_ERR_EXISTS;
    time_now_iso(pc.key.revoked_at);
    rc = store_exec1(s, c, 1, "UPDATE api_keys SET revoked_at = ? WHERE id = ?",
                     DB_ARGS(db_text(pc.key.revoked_at), db_text(pc.key.id)));
    if (rc == RA_OK && out)
        *out = pc.key;
    return rc;
}

int store_key_revoke_by_prefix(store *s, const char *prefix, store_key *out)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, revoke_on(s, c, prefix, out));
    return rc;
}

/* ---- the organization workspace ---------------------------------------------- */

static int key_of_org(store *s, db_conn *c, const char *org_id, const char *key_id, store_key *out)
{
    return store_query(s, c, key_row, out, 1,
                       "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.id = ? AND k.org_id = ?",
                       DB_ARGS(db_text(key_id), db_text(org_id)));
}

int store_key_get(store *s, const char *org_id, const char *key_id, store_key *out)
{
    return key_of_org(s, NULL, org_id, key_id, out);
}

static int set_label_on(store *s, db_conn *c, const char *org_id, const char *key_id,
                        const char *label, store_key *out)
{
    store_key k;
    int rc = key_of_org(s, c, org_id, key_id, &k);
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1, "UPDATE api_keys SET label = ? WHERE id = ?",
                         DB_ARGS(db_text(label), db_text(key_id)));
    if (rc == RA_OK)
        rc = key_of_org(s, c, org_id, key_id, out);
    return rc;
}

int store_key_set_label(store *s, const char *org_id, const char *key_id, const char *label,
                        store_key *out)
{
    store_key k;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, set_label_on(s, c, org_id, key_id, label, &k));
    if (rc == RA_OK && out)
        *out = k;
    return rc;
}

static int revoke_id_on(store *s, db_conn *c, const char *org_id, const char *key_id,
                        store_key *out)
{
    store_key k;
    int rc = key_of_org(s, c, org_id, key_id, &k);
    if (rc == RA_OK && k.revoked_at[0] != '\0')
        rc = RA_ERR_EXISTS;
    if (rc == RA_OK) {
        time_now_iso(k.revoked_at);
        rc = store_exec1(s, c, 1, "UPDATE api_keys SET revoked_at = ? WHERE id = ?",
                         DB_ARGS(db_text(k.revoked_at), db_text(key_id)));
    }
    if (rc == RA_OK)
        *out = k;
    return rc;
}

int store_key_revoke(store *s, const char *org_id, const char *key_id, store_key *out)
{
    store_key k;
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, revoke_id_on(s, c, org_id, key_id, &k));
    if (rc == RA_OK && out)
        *out = k;
    return rc;
}

struct rotation {
    const char *org_id, *key_id, *hash_hex, *prefix, *user_id;
    int64_t expires_ms;
    store_key new_key, old_key;
};

static int rotate_on(store *s, db_conn *c, struct rotation *r)
{
    int rc = key_of_org(s, c, r->org_id, r->key_id, &r->old_key);
    if (rc != RA_OK)
        return rc;
    if (r->old_key.revoked_at[0] != '\0' || r->old_key.replaced_by[0] != '\0' ||
        r->old_key.expires_ms != 0)
        return RA_ERR_EXISTS;
    char id[UUID_LEN], now[TIME_ISO_LEN], expires[TIME_ISO_LEN];
    ids_uuid(id);
    time_now_iso(now);
    time_format_iso((time_t)(r->expires_ms / 1000), expires);
    rc = store_exec1(s, c, 1,
                     "INSERT INTO api_keys (id, key_hash, prefix, label, org_id,"
                     " user_id, created_at, use_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                     DB_ARGS(db_text(id), db_text(r->hash_hex), db_text(r->prefix),
                             db_text(r->old_key.label), db_text(r->org_id), db_text(r->user_id),
                             db_text(now)));
    if (rc == RA_OK)
        rc = store_exec1(
            s, c, 1,
            "UPDATE api_keys SET expires_at = ?, expires_ms = ?,"
            " replaced_by = ? WHERE id = ?",
            DB_ARGS(db_text(expires), db_int(r->expires_ms), db_text(id), db_text(r->key_id)));
    if (rc == RA_OK)
        rc = key_of_org(s, c, r->org_id, id, &r->new_key);
    if (rc == RA_OK)
        rc = key_of_org(s, c, r->org_id, r->key_id, &r->old_key);
    return rc;
}

int store_key_rotate(store *s, const char *org_id, const char *key_id, const char *hash_hex,
                     const char *prefix, const char *user_id, int64_t expires_ms,
                     store_key *new_key, store_key *old_key)
{
    struct rotation r = {.org_id = org_id,
                         .key_id = key_id,
                         .hash_hex = hash_hex,
                         .prefix = prefix,
                         .user_id = user_id,
                         .expires_ms = expires_ms};
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end_auth(s, c, rotate_on(s, c, &r));
    if (rc == RA_OK && new_key)
        *new_key = r.new_key;
    if (rc == RA_OK && old_key)
        *old_key = r.old_key;
    return rc;
}

/* keys.c - API key records: only the SHA-256 of a key is stored, with its
 * displayable prefix and usage (see store.h). */
#include "core/err.h"
#include "store/internal.h"

#define KEY_COLUMNS                                                             \
    "k.id, k.prefix, k.label, k.org_id, k.user_id, u.email, k.created_at,"       \
    " COALESCE(k.last_used_at, ''), k.use_count, COALESCE(k.revoked_at, '')"
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
}

int store_key_create(store *s, const char *hash_hex, const char *prefix, const char *label,
                     const char *org_id, const char *user_id, store_key *out)
{
    char id[UUID_LEN], now[TIME_ISO_LEN];
    ids_uuid(id);
    time_now_iso(now);
    int rc = store_write1(s, "INSERT INTO api_keys (id, key_hash, prefix, label, org_id, user_id,"
                             " created_at, use_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                          "sssssss", id, hash_hex, prefix, label, org_id, user_id, now);
    if (rc == RA_OK && out)
        rc = store_query(s, NULL, key_row, out, 1, "SELECT " KEY_COLUMNS KEY_FROM
                         " WHERE k.id = ?", "s", id);
    return rc;
}

int store_key_by_hash(store *s, const char *hash_hex, store_key *out)
{
    return store_query(s, NULL, key_row, out, 1,
                       "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.key_hash = ?", "s", hash_hex);
}

int store_key_touch(store *s, const char *key_id)
{
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    return store_write1(s, "UPDATE api_keys SET last_used_at = ?, use_count = use_count + 1"
                           " WHERE id = ?", "ss", now, key_id);
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

int store_key_each(store *s, const char *org_id,
                   void (*fn)(const store_key *key, void *ctx), void *ctx)
{
    struct key_each_ctx kc = {fn, ctx};
    return store_query(s, NULL, key_each_row, &kc, 0, "SELECT " KEY_COLUMNS KEY_FROM
                       " WHERE k.org_id = ? ORDER BY k.created_at DESC, k.id", "s", org_id);
}

struct prefix_ctx {
    store_key key;
    int       matches;
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
    int rc = store_query(s, c, prefix_row, &pc, 1,
                         "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.prefix = ?", "s", prefix);
    if (rc != RA_OK)
        return rc;
    if (pc.matches > 1)
        return RA_ERR_AMBIGUOUS;
    if (pc.key.revoked_at[0] != '\0')
        return RA_ERR_EXISTS;
    time_now_iso(pc.key.revoked_at);
    rc = store_exec1(s, c, 1, "UPDATE api_keys SET revoked_at = ? WHERE id = ?", "ss",
                     pc.key.revoked_at, pc.key.id);
    if (rc == RA_OK && out)
        *out = pc.key;
    return rc;
}

int store_key_revoke_by_prefix(store *s, const char *prefix, store_key *out)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, revoke_on(s, c, prefix, out));
    return rc;
}

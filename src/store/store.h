/* store.h - the storage interface every other part uses.
 *
 * One opaque `store` holds the database of a data directory. Callers see only
 * domain operations (organizations, users, keys, credits, the SUT catalog);
 * which database sits underneath is the driver's business (db.h). Today the
 * driver is SQLite; a PostgreSQL driver implements db.h later and nothing
 * above this header changes.
 *
 * Errors: every function returns RA_OK or a negative code from core/err.h.
 * Outputs are written only on success. Strings in the row structs are fixed
 * arrays owned by the struct, so rows can be copied and dropped freely.
 *
 * THREAD SAFETY: a store may be used from any number of threads at once; each
 * call takes a connection from an internal pool for its duration. Several
 * processes (serve and admin) may open the same data directory at once. */
#ifndef RAPORTAI_STORE_STORE_H
#define RAPORTAI_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ids.h"
#include "core/timeutil.h"

typedef struct store store;

#define STORE_NAME_MAX   200  /* characters in an organization or user name */
#define STORE_EMAIL_MAX  254  /* bytes in an e-mail address */
#define STORE_LABEL_MAX  100  /* characters in an API key label */
#define STORE_REASON_MAX 200  /* characters in a ledger reason */

/* Opens (creating when needed) the database in data_dir, which is created
 * too, and applies every pending migration. */
int store_open(const char *data_dir, store **out);
/* As store_open but migrates only up to target_version (for tests of
 * upgrades from older databases). */
int store_open_at_version(const char *data_dir, int target_version, store **out);
void store_close(store *s);
/* The schema version the database is at, and the newest this build knows. */
int store_schema_version(store *s, int *out);
int store_latest_version(void);
/* RA_OK when the database answers a trivial query. */
int store_ping(store *s);

/* ---- organizations ------------------------------------------------------ */
typedef struct store_org {
    char    id[UUID_LEN];
    char    name[STORE_NAME_MAX * 4 + 1];
    char    type[24];      /* hospital, imaging_center, teleradiology, personal */
    int     active;
    int64_t credits;       /* spendable balance, never negative */
    char    created_at[TIME_ISO_LEN];
} store_org;

/* Creates an organization with the given opening balance (a ledger entry
 * "opening balance" when credits > 0). */
int store_org_create(store *s, const char *name, const char *type, int64_t credits,
                     const char *actor, store_org *out);
int store_org_get(store *s, const char *org_id, store_org *out);

/* ---- users -------------------------------------------------------------- */
typedef struct store_user {
    char id[UUID_LEN];
    char email[STORE_EMAIL_MAX + 1];
    char name[STORE_NAME_MAX * 4 + 1];
    char role[16];
    char org_id[UUID_LEN];   /* "" for admin and accounting */
    int  active;
    char created_at[TIME_ISO_LEN];
} store_user;

/* Creates a user. password_hash is an argon2id string (auth/password.h).
 * RA_ERR_EXISTS when the e-mail is taken, compared case-insensitively;
 * RA_ERR_NOT_FOUND when org_id names no organization. */
int store_user_create(store *s, const char *email, const char *name, const char *role,
                      const char *org_id, const char *password_hash, store_user *out);
/* Finds a user by e-mail, case-insensitively. */
int store_user_by_email(store *s, const char *email, store_user *out);
int store_user_get(store *s, const char *user_id, store_user *out);
int store_user_set_role(store *s, const char *user_id, const char *role);
int store_user_set_active(store *s, const char *user_id, int active);

/* ---- credits ------------------------------------------------------------- */
/* Adds amount (negative for a deduction) to the organization's balance and
 * records it in the ledger with reason and actor, in one transaction.
 * RA_ERR_BALANCE when the balance would become negative (nothing changes). */
int store_credits_add(store *s, const char *org_id, int64_t amount, const char *reason,
                      const char *actor, int64_t *balance_after);

typedef struct store_ledger_row {
    int64_t amount;
    int64_t balance_after;
    char    reason[STORE_REASON_MAX * 4 + 1];
    char    actor[STORE_EMAIL_MAX + 16];
    char    created_at[TIME_ISO_LEN];
} store_ledger_row;
/* Calls fn for each ledger row of the organization, oldest first. */
int store_ledger_each(store *s, const char *org_id,
                      void (*fn)(const store_ledger_row *row, void *ctx), void *ctx);

/* ---- API keys ----------------------------------------------------------- */
#define STORE_KEY_PREFIX_LEN 12
typedef struct store_key {
    char    id[UUID_LEN];
    char    prefix[STORE_KEY_PREFIX_LEN + 1];
    char    label[STORE_LABEL_MAX * 4 + 1];
    char    org_id[UUID_LEN];
    char    user_id[UUID_LEN];          /* the manager who created it */
    char    user_email[STORE_EMAIL_MAX + 1];
    char    created_at[TIME_ISO_LEN];
    char    last_used_at[TIME_ISO_LEN]; /* "" when never used */
    int64_t use_count;
    char    revoked_at[TIME_ISO_LEN];   /* "" while valid */
} store_key;

/* Records a new key by the hex SHA-256 of the whole key. */
int store_key_create(store *s, const char *hash_hex, const char *prefix, const char *label,
                     const char *org_id, const char *user_id, store_key *out);
/* Finds a key by hash, revoked or not. */
int store_key_by_hash(store *s, const char *hash_hex, store_key *out);
/* Counts one use now. */
int store_key_touch(store *s, const char *key_id);
/* Calls fn for each key of the organization, newest first. */
int store_key_each(store *s, const char *org_id,
                   void (*fn)(const store_key *key, void *ctx), void *ctx);
/* Revokes the one key whose prefix is given. RA_ERR_NOT_FOUND when none
 * matches, RA_ERR_AMBIGUOUS when several do, RA_ERR_EXISTS when it was
 * already revoked; nothing changes on error. */
int store_key_revoke_by_prefix(store *s, const char *prefix, store_key *out);

/* ---- SUT exam catalog --------------------------------------------------- */
#define STORE_SUT_CODE_MAX 7
typedef struct store_sut_row {
    char code[STORE_SUT_CODE_MAX + 1]; /* digits only, 5 to 7 */
    char name[1024];                   /* procedure name; "" when unknown */
    char modality[8];                  /* "CT", "MR", ...; "" when unknown */
    char body_part[32];                /* "brain", ...; "" when unknown */
    char source[256];                  /* where the entry comes from */
} store_sut_row;

/* Replaces the whole catalog with rows, atomically: readers see the old list
 * or the new one, never a mixture. RA_ERR_EXISTS on a duplicate code. */
int store_sut_replace(store *s, const store_sut_row *rows, size_t n);
int store_sut_count(store *s, int64_t *out);
int store_sut_get(store *s, const char *code, store_sut_row *out);
/* Calls fn with each code whose modality and body part match, in order. */
int store_sut_codes_for(store *s, const char *modality, const char *body_part,
                        void (*fn)(const char *code, void *ctx), void *ctx);

#endif

/* password.h - password hashing with argon2id (libsodium).
 *
 * One hash takes tens of milliseconds of CPU and 64 MiB of memory, and
 * these functions block for that long: callers that must stay quick run
 * them on a pool with few threads (serve's hashing pool, docs/architecture.md),
 * which also bounds the memory hashing takes. */
#ifndef RAPORTAI_AUTH_PASSWORD_H
#define RAPORTAI_AUTH_PASSWORD_H

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 1024

/* RA_OK when pw is acceptable (valid UTF-8, PASSWORD_MIN_LEN to
 * PASSWORD_MAX_LEN bytes, not all blank); RA_ERR_INVALID otherwise. */
int password_check_policy(const char *pw);
/* Writes the argon2id string of pw. RA_ERR_NOMEM when memory runs out. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* RA_OK when pw matches hash, RA_ERR_INVALID when it does not. */
int password_verify(const char *hash, const char *pw);

#endif

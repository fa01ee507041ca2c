/* apikey.h - External API keys: generation, format check, hashing.
 *
 * A key is "rapi_", 32 random base62 characters (about 190 bits) and a
 * 6-character base62 CRC32 of everything before it, so a secret scanner - or
 * our own server, before touching the database - can tell a real key from a
 * typo. Only the SHA-256 of the whole key is stored; its first 12 characters
 * ("rapi_" included) are the displayable prefix. */
#ifndef RAPORTAI_AUTH_APIKEY_H
#define RAPORTAI_AUTH_APIKEY_H

#include <stddef.h>
#include <stdint.h>

#define APIKEY_MARK "rapi_"
#define APIKEY_RANDOM_LEN 32
#define APIKEY_CHECK_LEN 6
#define APIKEY_LEN (5 + APIKEY_RANDOM_LEN + APIKEY_CHECK_LEN)
#define APIKEY_PREFIX_LEN 12
#define APIKEY_HASH_HEX 65 /* 64 hex characters and the NUL */

/* Writes a new random key. Cannot fail (ids_init must have run). */
void apikey_generate(char out[APIKEY_LEN + 1]);
/* RA_OK when key has the right length, mark, alphabet and checksum;
 * RA_ERR_INVALID otherwise. Constant work for any input of the right
 * length; never touches the database. */
int apikey_check(const char *key);
/* Lowercase hex SHA-256 of the key. */
void apikey_hash(const char *key, char out[APIKEY_HASH_HEX]);
/* The first APIKEY_PREFIX_LEN characters. */
void apikey_prefix(const char *key, char out[APIKEY_PREFIX_LEN + 1]);
/* CRC-32 (IEEE 802.3) of n bytes; exposed for tests. */
uint32_t apikey_crc32(const void *data, size_t n);

#endif

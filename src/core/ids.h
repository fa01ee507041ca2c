/* ids.h - random identifiers: UUIDs, hex tokens and base62 strings.
 *
 * All randomness comes from libsodium's CSPRNG (randombytes_buf), so ids and
 * secrets are unpredictable. Call ids_init() once before any other function. */
#ifndef RAPORTAI_CORE_IDS_H
#define RAPORTAI_CORE_IDS_H

#include <stddef.h>
#include <stdint.h>

#define UUID_LEN 37 /* 36 characters and the NUL */

/* Initialises the random source. RA_ERR_IO if it cannot be opened. */
int ids_init(void);
/* Writes a random (version 4) UUID in lowercase. Cannot fail after ids_init. */
void ids_uuid(char out[UUID_LEN]);
/* Writes nbytes random bytes as 2*nbytes lowercase hex plus NUL. */
void ids_hex(char *out, size_t nbytes);
/* Writes n random base62 characters plus NUL (uniform, no modulo bias). */
void ids_base62(char *out, size_t n);
/* Writes value in base62 as exactly width characters (left-padded with '0'),
 * plus NUL. */
void ids_base62_u32(uint32_t value, char *out, size_t width);
/* Lowercase hex of n bytes into out (2n characters and a NUL). */
void ids_to_hex(const unsigned char *in, size_t n, char *out);
/* True when s is a well-formed lowercase or uppercase UUID. */
int ids_is_uuid(const char *s);

#endif

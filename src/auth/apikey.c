/* apikey.c - API key generation, checksum and hashing (see apikey.h). */
#include "auth/apikey.h"

#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/ids.h"

uint32_t apikey_crc32(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void apikey_generate(char out[APIKEY_LEN + 1])
{
    const size_t body = 5 + APIKEY_RANDOM_LEN;
    memcpy(out, APIKEY_MARK, 5);
    ids_base62(out + 5, APIKEY_RANDOM_LEN);
    ids_base62_u32(apikey_crc32(out, body), out + body, APIKEY_CHECK_LEN);
}

static int is_base62(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int apikey_check(const char *key)
{
    const size_t body = 5 + APIKEY_RANDOM_LEN;
    if (key == NULL || strlen(key) != APIKEY_LEN || memcmp(key, APIKEY_MARK, 5) != 0)
        return RA_ERR_INVALID;
    for (size_t i = 5; i < APIKEY_LEN; i++)
        if (!is_base62(key[i]))
            return RA_ERR_INVALID;
    char check[APIKEY_CHECK_LEN + 1];
    ids_base62_u32(apikey_crc32(key, body), check, APIKEY_CHECK_LEN);
    return memcmp(check, key + body, APIKEY_CHECK_LEN) == 0 ? RA_OK : RA_ERR_INVALID;
}

void apikey_hash(const char *key, char out[APIKEY_HASH_HEX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)key, strlen(key));
    ids_to_hex(digest, sizeof digest, out);
}

void apikey_prefix(const char *key, char out[APIKEY_PREFIX_LEN + 1])
{
    size_t n = strlen(key);
    if (n > APIKEY_PREFIX_LEN)
        n = APIKEY_PREFIX_LEN;
    memcpy(out, key, n);
    out[n] = '\0';
}

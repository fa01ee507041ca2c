/* ids.c - random identifiers (see ids.h). Owns the libsodium CSPRNG calls. */
#include "core/ids.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "core/err.h"

static const char base62_alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int ids_init(void)
{
    return sodium_init() < 0 ? RA_ERR_IO : RA_OK;
}

void ids_to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void ids_uuid(char out[UUID_LEN])
{
    unsigned char b[16];
    char hex[33];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    ids_to_hex(b, sizeof b, hex);
    memcpy(out, hex, 8);
    out[8] = '-';
    memcpy(out + 9, hex + 8, 4);
    out[13] = '-';
    memcpy(out + 14, hex + 12, 4);
    out[18] = '-';
    memcpy(out + 19, hex + 16, 4);
    out[23] = '-';
    memcpy(out + 24, hex + 20, 12);
    out[36] = '\0';
}

void ids_hex(char *out, size_t nbytes)
{
    unsigned char b[64];
    while (nbytes > 0) {
        size_t n = nbytes < sizeof b ? nbytes : sizeof b;
        randombytes_buf(b, n);
        ids_to_hex(b, n, out);
        out += 2 * n;
        nbytes -= n;
    }
    *out = '\0';
}

void ids_base62(char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = base62_alphabet[randombytes_uniform(62)];
    out[n] = '\0';
}

void ids_base62_u32(uint32_t value, char *out, size_t width)
{
    for (size_t i = width; i > 0; i--) {
        out[i - 1] = base62_alphabet[value % 62];
        value /= 62;
    }
    out[width] = '\0';
}

int ids_is_uuid(const char *s)
{
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return s[36] == '\0';
}

/* verify.c - checks a RaportAI callback signature with libsodium.
 *
 * Build: cc -std=c17 -Wall -Wextra -O2 verify.c -o verify \
 *            $(pkg-config --cflags --libs libsodium)
 * Run:   ./verify HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE
 * Exits 0 when the signature is valid and the timestamp is fresh, 1 otherwise.
 *
 * The signature is the lowercase hex HMAC-SHA256, keyed with the job's
 * hmacSecret (its characters as they are, not hex-decoded), of
 * timestamp + "." + the raw body bytes. */
#define _GNU_SOURCE /* strptime and timegm on glibc; BSD and macOS have them anyway */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_AGE_S 300          /* reject timestamps more than 5 minutes off */
#define MAX_BODY (1024 * 1024) /* a callback body is far smaller */

/* Parses "2026-11-28T21:05:18.123Z" (UTC); returns -1 when malformed. */
static time_t parse_timestamp(const char *ts)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm);
    if (rest == NULL)
        return -1;
    if (*rest == '.') {
        rest++;
        while (*rest >= '0' && *rest <= '9')
            rest++;
    }
    if (strcmp(rest, "Z") != 0)
        return -1;
    return timegm(&tm);
}

/* Returns 1 when signature_hex is the HMAC of timestamp "." body under
 * secret and the timestamp is within MAX_AGE_S of now, 0 otherwise. */
static int callback_is_valid(const char *secret, const char *timestamp,
                             const unsigned char *body, size_t body_len,
                             const char *signature_hex, time_t now)
{
    time_t sent = parse_timestamp(timestamp);
    if (sent == -1 || sent < now - MAX_AGE_S || sent > now + MAX_AGE_S)
        return 0;

    unsigned char given[crypto_auth_hmacsha256_BYTES];
    size_t given_len = 0;
    const char *end = NULL;
    size_t hex_len = strlen(signature_hex);
    if (hex_len != 2 * sizeof given ||
        sodium_hex2bin(given, sizeof given, signature_hex, hex_len, NULL, &given_len,
                       &end) != 0 ||
        given_len != sizeof given || *end != '\0')
        return 0;

    unsigned char expected[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    const unsigned char *key = (const unsigned char *)secret;
    const unsigned char *stamp = (const unsigned char *)timestamp;
    crypto_auth_hmacsha256_init(&st, key, strlen(secret));
    crypto_auth_hmacsha256_update(&st, stamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, body, body_len);
    crypto_auth_hmacsha256_final(&st, expected);
    return sodium_memcmp(expected, given, sizeof expected) == 0; /* constant time */
}

/* Reads the whole file into a new buffer; NULL on failure. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = malloc(MAX_BODY);
    size_t n = buf ? fread(buf, 1, MAX_BODY, f) : 0;
    int bad = buf == NULL || ferror(f) || !feof(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE\n",
                argv[0]);
        return 1;
    }
    if (sodium_init() < 0)
        return 1;
    size_t body_len = 0;
    unsigned char *body = read_file(argv[4], &body_len);
    if (body == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[4]);
        return 1;
    }
    int ok = callback_is_valid(argv[1], argv[2], body, body_len, argv[3], time(NULL));
    free(body);
    puts(ok ? "valid" : "invalid");
    return ok ? 0 : 1;
}

/* url.h - URLs httpc sends to: their parts as curl reads them (for
 * callers with rules of their own, such as callback URLs, webhook.h), the
 * check a configured server's URL must pass, and its origin, the only part
 * of a URL that sentences and logs may show (a path or query may hold a
 * key).
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); the err buffer (may be
 * NULL, errlen 0) receives one sentence on failure.
 *
 * THREAD SAFETY. Every function may be called from any thread at once,
 * after httpc_global_init. */
#ifndef RAPORTAI_HTTPC_URL_H
#define RAPORTAI_HTTPC_URL_H

#include <stddef.h>

#define HTTPC_MAX_URL_LEN 2048
#define HTTPC_ORIGIN_LEN 300 /* room for an origin in a sentence (a longer one is cut) */

/* The parts of a URL a check looks at, as curl reads them. */
typedef struct httpc_url_parts {
    char scheme[41];                  /* "https", "ftp" (compare without case); cut to fit */
    char host[HTTPC_MAX_URL_LEN + 1]; /* as curl normalises it ("127.0.0.1" for
                                         "2130706433", "[::1]" for an IPv6 address);
                                         "" when none */
    char port[8];                     /* "8443"; "" when the URL gives none */
    int has_credentials;              /* a user name, password or login options */
    int has_fragment_or_zone;         /* a #fragment, or an IPv6 zone id */
} httpc_url_parts;

/* Reads url, an absolute URL of any scheme, into *out (zeroed first).
 * RA_ERR_INVALID when curl cannot read it ("The URL is not valid."; callers
 * with their own wording replace it), RA_ERR_NOMEM. Checks nothing else:
 * see httpc_check_url. */
int httpc_url_parse(const char *url, httpc_url_parts *out, char *err, size_t errlen);

/* Checks a configured server URL: an absolute http:// or https:// URL with a
 * host, at most HTTPC_MAX_URL_LEN bytes of printable ASCII, without user
 * name or password (keys go in headers, not URLs), fragment or IPv6 zone.
 * RA_ERR_INVALID (err says why, without repeating the URL), RA_ERR_NOMEM. */
int httpc_check_url(const char *url, char *err, size_t errlen);

/* The URL's "scheme://host[:port]", for sentences and logs (a path or query
 * may hold secrets, so they are left out). Writes "?" when the URL cannot
 * be parsed. Cannot fail otherwise. */
void httpc_url_origin(const char *url, char *out, size_t outlen);

#endif

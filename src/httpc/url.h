/* url.h - URLs of the servers httpc talks to: the check a configured
 * server's URL must pass, and its origin, the only part of a URL that
 * sentences and logs may show (a path or query may hold a key).
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
#define HTTPC_ORIGIN_LEN 300 /* room for any origin httpc_url_origin writes in full */

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

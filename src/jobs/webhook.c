/* webhook.c - what is about callbacks (see webhook.h): which addresses a
 * callback may reach, the callback URL check, the signature (libsodium
 * crypto_auth_hmacsha256_*), one delivery attempt through httpc and the
 * retry schedule.
 *
 * The SSRF guard has two layers. webhook_check_url refuses a URL whose host
 * is written as a non-public IP address; the real guard is
 * public_address_only, the address policy httpc applies to the resolved
 * address curl is about to connect to, which refuses a non-public one
 * before any socket exists. The address tables below follow the IANA
 * special-purpose registries. */
#include "jobs/webhook.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/err.h"
#include "core/text.h"
#include "httpc/httpc.h"
#include "httpc/url.h"

#define USER_AGENT "RaportAI-Webhook/1"

_Static_assert(WEBHOOK_MAX_URL_LEN <= HTTPC_MAX_URL_LEN, "httpc sends every callback URL");

/* ---- Address classification ------------------------------------------- */

typedef struct v4_range {
    uint32_t net;       /* network address, host byte order */
    unsigned bits;      /* prefix length */
    const char *reason; /* why a callback may not go there */
} v4_range;

/* First match wins, so the narrow ranges come before the wide ones. */
/* clang-format off */
static const v4_range v4_refused[] = {
    {0x00000000u, 8,  "unspecified"},
    {0x0A000000u, 8,  "private"},
    {0x64400000u, 10, "shared (CGNAT)"},
    {0x7F000000u, 8,  "loopback"},
    {0xA9FEA9FEu, 32, "cloud metadata"},
    {0xA9FE0000u, 16, "link-local"},
    {0xAC100000u, 12, "private"},
    {0xC0000000u, 24, "IETF protocol assignments"},
    {0xC0000200u, 24, "documentation"},
    {0xC0586300u, 24, "6to4 relay anycast"},
    {0xC0A80000u, 16, "private"},
    {0xC6120000u, 15, "benchmarking"},
    {0xC6336400u, 24, "documentation"},
    {0xCB007100u, 24, "documentation"},
    {0xE0000000u, 4,  "multicast"},
    {0xFFFFFFFFu, 32, "broadcast"},
    {0xF0000000u, 4,  "reserved"},
};
/* clang-format on */

/* What to do with an IPv6 address that falls in a range. */
typedef enum { V6_REFUSE, V6_ALLOW, V6_EMBEDDED_LAST, V6_EMBEDDED_6TO4 } v6_action;

typedef struct v6_range {
    uint8_t net[16];
    unsigned bits;
    v6_action action;
    const char *reason;
} v6_range;

/* First match wins; an address in none of them is "reserved". Only global
 * unicast (2000::/3) is allowed, minus its special ranges; the forms that
 * carry an IPv4 address are judged by that address. */
static const v6_range v6_ranges[] = {
    {{0}, 128, V6_REFUSE, "unspecified"},
    {{[15] = 1}, 128, V6_REFUSE, "loopback"},
    {{[10] = 0xff, [11] = 0xff}, 96, V6_EMBEDDED_LAST, "IPv4-mapped"},
    {{0}, 96, V6_REFUSE, "IPv4-compatible (deprecated)"},
    {{0x00, 0x64, 0xff, 0x9b}, 96, V6_EMBEDDED_LAST, "NAT64"},
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, V6_REFUSE, "local-use NAT64"},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, V6_REFUSE, "documentation"},
    {{0x20, 0x01}, 23, V6_REFUSE, "IETF protocol assignments (Teredo)"},
    {{0x20, 0x02}, 16, V6_EMBEDDED_6TO4, "6to4"},
    {{0x3f, 0xff}, 20, V6_REFUSE, "documentation"},
    {{0x20}, 3, V6_ALLOW, "public"},
    {{0xfc}, 7, V6_REFUSE, "private (unique local)"},
    {{0xfe, 0x80}, 10, V6_REFUSE, "link-local"},
    {{0xfe, 0xc0}, 10, V6_REFUSE, "site-local (deprecated)"},
    {{0xff}, 8, V6_REFUSE, "multicast"},
};

static int v4_is_public(uint32_t a, const char **reason)
{
    for (size_t i = 0; i < sizeof v4_refused / sizeof v4_refused[0]; i++) {
        const v4_range *r = &v4_refused[i];
        uint32_t mask = r->bits == 0 ? 0 : 0xFFFFFFFFu << (32 - r->bits);
        if ((a & mask) == r->net) {
            *reason = r->reason;
            return 0;
        }
    }
    *reason = "public";
    return 1;
}

static int v6_in_range(const uint8_t *a, const v6_range *r)
{
    unsigned whole = r->bits / 8, rest = r->bits % 8;
    if (memcmp(a, r->net, whole) != 0)
        return 0;
    if (rest == 0)
        return 1;
    uint8_t mask = (uint8_t)(0xFFu << (8 - rest));
    return (a[whole] & mask) == (r->net[whole] & mask);
}

static uint32_t v4_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int v6_is_public(const uint8_t *a, const char **reason)
{
    for (size_t i = 0; i < sizeof v6_ranges / sizeof v6_ranges[0]; i++) {
        const v6_range *r = &v6_ranges[i];
        if (!v6_in_range(a, r))
            continue;
        switch (r->action) {
        case V6_EMBEDDED_LAST:
            return v4_is_public(v4_at(a + 12), reason);
        case V6_EMBEDDED_6TO4:
            return v4_is_public(v4_at(a + 2), reason);
        case V6_ALLOW:
            *reason = r->reason;
            return 1;
        case V6_REFUSE:
            break;
        }
        *reason = r->reason;
        return 0;
    }
    *reason = "reserved";
    return 0;
}

int webhook_addr_is_public(const struct sockaddr *addr, const char **reason)
{
    const char *why = "not an internet address";
    int ok = 0;
    if (addr && addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)addr;
        ok = v4_is_public(ntohl(in->sin_addr.s_addr), &why);
    } else if (addr && addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)addr;
        ok = v6_is_public(in6->sin6_addr.s6_addr, &why);
    }
    if (reason)
        *reason = why;
    return ok;
}

void webhook_policy_init(webhook_policy *p, int allow_http_and_loopback)
{
    p->allow_http_and_loopback = allow_http_and_loopback ? 1 : 0;
    p->timeout_s = WEBHOOK_DEFAULT_TIMEOUT_S;
    p->max_response_bytes = WEBHOOK_DEFAULT_MAX_RESPONSE;
}

/* ---- URL check ---------------------------------------------------------- */

/* Refuses a host written as an IP address that is not public. Names pass:
 * they are judged at delivery, on the address actually connected. */
static int check_literal_host(const char *host, char *err, size_t errlen)
{
    char bare[64];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof bare) {
        memcpy(bare, host + 1, n - 2);
        bare[n - 2] = '\0';
    } else if (n < sizeof bare) {
        memcpy(bare, host, n + 1);
    } else {
        return RA_OK;
    }
    struct sockaddr_in in = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    const struct sockaddr *sa = NULL;
    if (inet_pton(AF_INET, bare, &in.sin_addr) == 1)
        sa = (const struct sockaddr *)&in;
    else if (inet_pton(AF_INET6, bare, &in6.sin6_addr) == 1)
        sa = (const struct sockaddr *)&in6;
    const char *why = NULL;
    if (sa && !webhook_addr_is_public(sa, &why))
        return ra_fail(err, errlen, RA_ERR_INVALID, "The callback address %s is not public (%s).",
                       bare, why);
    return RA_OK;
}

/* Checks the URL's parts as curl read them. RA_OK or RA_ERR_INVALID with
 * err written. */
static int check_parts(const httpc_url_parts *u, int no_authority, const webhook_policy *p,
                       char *err, size_t errlen)
{
    if (strcasecmp(u->scheme, "https") != 0 && strcasecmp(u->scheme, "http") != 0)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The callback URL must use https.");
    if (u->host[0] == '\0' || no_authority)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The callback URL has no host.");
    if (u->has_credentials)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The callback URL must not carry a user name or password.");
    if (u->has_fragment_or_zone)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The callback URL must not have a fragment or an IPv6 zone.");
    if (p->allow_http_and_loopback)
        return RA_OK;
    int rc = check_literal_host(u->host, err, errlen);
    if (rc == RA_OK && strcasecmp(u->scheme, "https") != 0)
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "The callback URL must use https.");
    return rc;
}

int webhook_check_url(const char *url, const webhook_policy *p, char *err, size_t errlen)
{
    if (!url || !p)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The callback URL is missing.");
    size_t len = strlen(url);
    if (!text_is_token(url, len))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The callback URL must be printable ASCII without spaces "
                       "(write an international host name in its xn-- form).");
    if (len == 0 || len > WEBHOOK_MAX_URL_LEN)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The callback URL must be 1 to %d characters long.", WEBHOOK_MAX_URL_LEN);
    if (strchr(url, '#'))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The callback URL must not have a fragment or an IPv6 zone.");
    /* curl forgives "https:/host" and "https:///host"; a callback URL may not. */
    static const char scheme_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789+-.";
    const char *sep = url + strspn(url, scheme_chars);
    if (sep == url || strncmp(sep, "://", 3) != 0)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The callback URL is not a valid absolute https URL.");
    int no_authority = sep[3] == '\0' || sep[3] == '/' || sep[3] == '?';
    httpc_url_parts parts;
    int rc = httpc_url_parse(url, &parts, err, errlen);
    if (rc == RA_ERR_INVALID)
        return ra_fail(err, errlen, rc, "The callback URL is not a valid absolute https URL.");
    return rc != RA_OK ? rc : check_parts(&parts, no_authority, p, err, errlen);
}

/* ---- Signature ------------------------------------------------------------ */

void webhook_sign(const char *secret, const char *timestamp, const char *body, size_t body_len,
                  char out[WEBHOOK_SIGNATURE_HEX])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    if (body_len > 0)
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, WEBHOOK_SIGNATURE_HEX, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
}

/* ---- One POST ------------------------------------------------------------- */

/* addr's numeric text ("10.0.0.5", "::1"); "?" when it has none. */
static void address_text(const struct sockaddr *addr, char *out, size_t outlen)
{
    const void *raw = NULL;
    if (addr->sa_family == AF_INET)
        raw = &((const struct sockaddr_in *)(const void *)addr)->sin_addr;
    else if (addr->sa_family == AF_INET6)
        raw = &((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr;
    if (raw == NULL || inet_ntop(addr->sa_family, raw, out, (socklen_t)outlen) == NULL)
        snprintf(out, outlen, "?");
}

/* httpc's address policy for callbacks: public addresses only (see
 * webhook_addr_is_public), checked on each address curl is about to
 * connect to. */
static int public_address_only(const struct sockaddr *addr, char *err, size_t errlen)
{
    const char *why = NULL;
    if (webhook_addr_is_public(addr, &why))
        return RA_OK;
    char text[INET6_ADDRSTRLEN];
    address_text(addr, text, sizeof text);
    return ra_fail(err, errlen, RA_ERR_REFUSED,
                   "The callback address %s is not public (%s); refused before connecting.", text,
                   why);
}

/* Says why an attempt without a 2xx failed, in res->error. why is httpc's
 * sentence, kept when no request reached an address (the policy refused
 * it, or httpc could not make the request). */
static void explain_failure(int rc, const httpc_response *resp, const char *why, long timeout_s,
                            webhook_result *res)
{
    char *e = res->error;
    size_t n = sizeof res->error;
    long st = resp->status;
    if (st == 0 && (rc == RA_ERR_REFUSED || rc == RA_ERR_INVALID))
        ra_fail(e, n, rc, "%s", why);
    else if (st >= 300 && st < 400)
        ra_fail(e, n, rc,
                "The receiver answered HTTP %ld, a redirect, and redirects are not followed.", st);
    else if (st > 0)
        ra_fail(e, n, rc, "The receiver answered HTTP %ld.", st);
    else if (resp->timed_out)
        ra_fail(e, n, rc, "The receiver did not answer within %ld s.", timeout_s);
    else if (resp->transfer_error[0] != '\0')
        ra_fail(e, n, rc, "The request failed: %s.", resp->transfer_error);
    else
        ra_fail(e, n, rc, "The receiver sent no HTTP answer.");
}

/* Fills res from the outcome of httpc_post: any 2xx is a delivery, even
 * one whose answer was cut or broke off. */
static void judge_attempt(int rc, const httpc_response *resp, const char *why,
                          const httpc_request *req, webhook_result *res)
{
    long st = resp->status;
    res->http_status = st;
    if (st == 429 || st == 503)
        res->retry_after_s = resp->retry_after_s;
    res->delivered = st >= 200 && st < 300;
    if (rc == RA_ERR_TOO_LARGE && res->delivered)
        ra_fail(res->error, sizeof res->error, rc,
                "Delivered; the answer was longer than %zu bytes and the rest was not read.",
                req->max_response);
    else if (rc == RA_ERR_TOO_LARGE)
        ra_fail(res->error, sizeof res->error, rc,
                "The receiver answered HTTP %ld with more than %zu bytes; the rest was not read.",
                st, req->max_response);
    else if (!res->delivered)
        explain_failure(rc, resp, why, req->timeout_ms / 1000, res);
}

/* True when s is 1..WEBHOOK_MAX_TIMESTAMP_LEN printable ASCII characters. */
static int header_safe(const char *s)
{
    size_t len = strlen(s);
    return len > 0 && len <= WEBHOOK_MAX_TIMESTAMP_LEN && text_is_token(s, len);
}

static int signature_ok(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == WEBHOOK_SIGNATURE_HEX - 1 && s[n] == '\0';
}

int webhook_post(const char *url, const char *body, size_t body_len, const char *timestamp,
                 const char *signature, const webhook_policy *p, webhook_result *res)
{
    if (!url || (!body && body_len) || !timestamp || !signature || !p || !res ||
        !header_safe(timestamp) || !signature_ok(signature))
        return RA_ERR_INVALID;
    webhook_result out = {.retry_after_s = -1};
    int rc = webhook_check_url(url, p, out.error, sizeof out.error);
    if (rc == RA_ERR_INVALID) {
        *res = out;
        return RA_OK;
    }
    if (rc != RA_OK)
        return rc;
    char stamp_line[WEBHOOK_MAX_TIMESTAMP_LEN + 32], signature_line[WEBHOOK_SIGNATURE_HEX + 32];
    snprintf(stamp_line, sizeof stamp_line, "X-RaportAI-Timestamp: %s", timestamp);
    snprintf(signature_line, sizeof signature_line, "X-RaportAI-Signature: %s", signature);
    const char *headers[] = {"User-Agent: " USER_AGENT, stamp_line, signature_line, NULL};
    int guarded = !p->allow_http_and_loopback;
    httpc_request req = {
        .url = url,
        .what = "callback receiver",
        .headers = headers,
        .json = body ? body : "",
        .json_len = body_len,
        .timeout_ms = (p->timeout_s > 0 ? p->timeout_s : WEBHOOK_DEFAULT_TIMEOUT_S) * 1000,
        .max_response =
            p->max_response_bytes ? p->max_response_bytes : WEBHOOK_DEFAULT_MAX_RESPONSE,
        .https_only = guarded,
        .addr_policy = guarded ? public_address_only : NULL,
    };
    httpc_response resp;
    char why[sizeof out.error] = "";
    rc = httpc_post(&req, &resp, why, sizeof why);
    if (rc == RA_ERR_NOMEM && resp.status == 0) { /* no attempt was made */
        httpc_response_release(&resp);
        return rc;
    }
    judge_attempt(rc, &resp, why, &req, &out);
    httpc_response_release(&resp);
    *res = out;
    return RA_OK;
}

/* ---- Retry schedule ----------------------------------------------------- */

/* Seconds before retry 1..9: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
static const long retry_schedule[] = {5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400};

_Static_assert(sizeof retry_schedule / sizeof retry_schedule[0] == WEBHOOK_MAX_ATTEMPTS - 1,
               "one delay per retry");

long webhook_retry_delay(int attempt, long retry_after_s)
{
    if (attempt <= 0)
        return 0;
    if (attempt >= WEBHOOK_MAX_ATTEMPTS)
        return -1;
    long base = retry_schedule[attempt - 1];
    long spread = base / 10;
    long delay = base - spread + (long)randombytes_uniform((uint32_t)(2 * spread + 1));
    long asked =
        retry_after_s < WEBHOOK_MAX_RETRY_AFTER_S ? retry_after_s : WEBHOOK_MAX_RETRY_AFTER_S;
    return asked > delay ? asked : delay;
}

/* webhook.c - one signed callback delivery attempt and the retry schedule
 * (see webhook.h). Owns every libcurl call (curl_*) and the callback HMAC
 * (libsodium crypto_auth_hmacsha256_*).
 *
 * The SSRF guard has two layers. webhook_check_url refuses a URL whose host
 * is written as a non-public IP address; the real guard is open_socket_cb,
 * which curl calls with the resolved address it is about to connect to and
 * which refuses a non-public one by not opening the socket at all. The
 * address tables below follow the IANA special-purpose registries. */
#include "jobs/webhook.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/err.h"
#include "core/text.h"
#include "httpc/httpc.h"

#define USER_AGENT "RaportAI-Webhook/1"
#define MAX_CONNECT_S 10L
#define MAX_HEADER_BYTES (32u * 1024u)
#define RETRY_AFTER_LEN 64

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

/* ---- Small helpers ----------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void webhook_policy_init(webhook_policy *p, int allow_http_and_loopback)
{
    p->allow_http_and_loopback = allow_http_and_loopback ? 1 : 0;
    p->timeout_s = WEBHOOK_DEFAULT_TIMEOUT_S;
    p->max_response_bytes = WEBHOOK_DEFAULT_MAX_RESPONSE;
}

int webhook_global_init(void)
{
    if (sodium_init() < 0)
        return RA_ERR_IO;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? RA_OK : RA_ERR_IO;
}

void webhook_global_cleanup(void)
{
    curl_global_cleanup();
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
    if (sa && !webhook_addr_is_public(sa, &why)) {
        set_err(err, errlen, "The callback address %s is not public (%s).", bare, why);
        return RA_ERR_INVALID;
    }
    return RA_OK;
}

/* True when curl_url_get finds the part (user, password, ...) in u. */
static int has_part(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    CURLUcode uc = curl_url_get(u, part, &v, 0);
    int present = uc == CURLUE_OK && v && v[0];
    curl_free(v);
    return present;
}

/* Checks the parsed URL's parts. Returns RA_OK, RA_ERR_INVALID with err
 * written, or RA_ERR_NOMEM. */
static int check_parts(CURLU *u, int no_authority, const webhook_policy *p, char *err,
                       size_t errlen)
{
    char *scheme = NULL, *host = NULL;
    int rc = RA_ERR_INVALID;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0)) {
        set_err(err, errlen, "The callback URL must use https.");
        goto done;
    }
    CURLUcode uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (uc == CURLUE_OUT_OF_MEMORY) {
        rc = RA_ERR_NOMEM;
        goto done;
    }
    if (uc != CURLUE_OK || !host[0] || no_authority) {
        set_err(err, errlen, "The callback URL has no host.");
        goto done;
    }
    if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD) ||
        has_part(u, CURLUPART_OPTIONS)) {
        set_err(err, errlen, "The callback URL must not carry a user name or password.");
        goto done;
    }
    if (has_part(u, CURLUPART_FRAGMENT) || has_part(u, CURLUPART_ZONEID)) {
        set_err(err, errlen, "The callback URL must not have a fragment or an IPv6 zone.");
        goto done;
    }
    if (!p->allow_http_and_loopback && check_literal_host(host, err, errlen) != RA_OK)
        goto done;
    if (strcasecmp(scheme, "https") != 0 && !p->allow_http_and_loopback) {
        set_err(err, errlen, "The callback URL must use https.");
        goto done;
    }
    rc = RA_OK;
done:
    curl_free(scheme);
    curl_free(host);
    return rc;
}

int webhook_check_url(const char *url, const webhook_policy *p, char *err, size_t errlen)
{
    if (!url || !p) {
        set_err(err, errlen, "The callback URL is missing.");
        return RA_ERR_INVALID;
    }
    size_t len = strlen(url);
    if (!text_is_token(url, len)) {
        set_err(err, errlen,
                "The callback URL must be printable ASCII without spaces "
                "(write an international host name in its xn-- form).");
        return RA_ERR_INVALID;
    }
    if (len == 0 || len > WEBHOOK_MAX_URL_LEN) {
        set_err(err, errlen, "The callback URL must be 1 to %d characters long.",
                WEBHOOK_MAX_URL_LEN);
        return RA_ERR_INVALID;
    }
    if (strchr(url, '#')) {
        set_err(err, errlen, "The callback URL must not have a fragment or an IPv6 zone.");
        return RA_ERR_INVALID;
    }
    /* curl forgives "https:/host" and "https:///host"; a callback URL may not. */
    static const char scheme_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789+-.";
    const char *sep = url + strspn(url, scheme_chars);
    if (sep == url || strncmp(sep, "://", 3) != 0) {
        set_err(err, errlen, "The callback URL is not a valid absolute https URL.");
        return RA_ERR_INVALID;
    }
    int no_authority = sep[3] == '\0' || sep[3] == '/' || sep[3] == '?';
    CURLU *u = curl_url();
    if (!u)
        return RA_ERR_NOMEM;
    int rc = RA_ERR_INVALID;
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    if (uc == CURLUE_OUT_OF_MEMORY)
        rc = RA_ERR_NOMEM;
    else if (uc != CURLUE_OK)
        set_err(err, errlen, "The callback URL is not a valid absolute https URL.");
    else
        rc = check_parts(u, no_authority, p, err, errlen);
    curl_url_cleanup(u);
    return rc;
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

/* State the curl callbacks share with webhook_post; lives on its stack. */
typedef struct post_ctx {
    int allow_any; /* development switch: no address check */
    int refused;   /* an address was refused */
    char refused_addr[INET6_ADDRSTRLEN];
    const char *refused_reason;
    size_t max_body;                   /* the most body bytes read */
    size_t body_bytes;                 /* body bytes seen so far */
    int too_big;                       /* the body passed max_body */
    size_t header_bytes;               /* header bytes seen so far */
    char retry_after[RETRY_AFTER_LEN]; /* last Retry-After value, "" if none */
} post_ctx;

static void note_refused(post_ctx *ctx, const struct curl_sockaddr *a, const char *why)
{
    const void *raw = NULL;
    if (a->family == AF_INET)
        raw = &((const struct sockaddr_in *)(const void *)&a->addr)->sin_addr;
    else if (a->family == AF_INET6)
        raw = &((const struct sockaddr_in6 *)(const void *)&a->addr)->sin6_addr;
    if (!raw || !inet_ntop(a->family, raw, ctx->refused_addr, sizeof ctx->refused_addr))
        memcpy(ctx->refused_addr, "?", 2);
    ctx->refused = 1;
    ctx->refused_reason = why;
}

/* curl calls this with the address it is about to connect to, after DNS and
 * for every address it tries; refusing here means no socket exists. */
static curl_socket_t open_socket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    post_ctx *ctx = clientp;
    if (purpose != CURLSOCKTYPE_IPCXN)
        return CURL_SOCKET_BAD;
    size_t need = a->family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    const char *why = "not an internet address";
    int ok = (a->family == AF_INET || a->family == AF_INET6) && a->addrlen >= need;
    if (ok && !ctx->allow_any)
        ok = webhook_addr_is_public(&a->addr, &why);
    if (!ok) {
        note_refused(ctx, a, why);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *clientp)
{
    post_ctx *ctx = clientp;
    size_t n = size * nmemb;
    (void)data;
    if (n > ctx->max_body - ctx->body_bytes) {
        ctx->too_big = 1;
        return 0; /* Anything but n aborts the transfer. */
    }
    ctx->body_bytes += n;
    return n;
}

static size_t header_cb(char *line, size_t size, size_t nmemb, void *clientp)
{
    post_ctx *ctx = clientp;
    size_t n = size * nmemb;
    static const char name[] = "retry-after:";
    ctx->header_bytes += n;
    if (ctx->header_bytes > MAX_HEADER_BYTES)
        return 0;
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        ctx->retry_after[0] = '\0'; /* A new response starts. */
    } else if (n > sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0) {
        size_t i = sizeof name - 1, end = n;
        while (i < end && (line[i] == ' ' || line[i] == '\t'))
            i++;
        while (end > i && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ' ||
                           line[end - 1] == '\t'))
            end--;
        size_t len = end - i < RETRY_AFTER_LEN - 1 ? end - i : RETRY_AFTER_LEN - 1;
        memcpy(ctx->retry_after, line + i, len);
        ctx->retry_after[len] = '\0';
    }
    return n;
}

/* Builds the request headers; NULL when out of memory. */
static struct curl_slist *build_headers(const char *timestamp, const char *signature)
{
    char line[128];
    struct curl_slist *list = NULL, *next = NULL;
    const char *fixed[] = {"Content-Type: application/json", "Expect:"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        next = curl_slist_append(list, fixed[i]);
        if (!next)
            goto fail;
        list = next;
    }
    snprintf(line, sizeof line, "X-RaportAI-Timestamp: %s", timestamp);
    next = curl_slist_append(list, line);
    if (!next)
        goto fail;
    list = next;
    snprintf(line, sizeof line, "X-RaportAI-Signature: %s", signature);
    next = curl_slist_append(list, line);
    if (!next)
        goto fail;
    return next;
fail:
    curl_slist_free_all(list);
    return NULL;
}

typedef struct long_opt {
    CURLoption opt;
    long value;
} long_opt;

/* The fixed part of the configuration; each value is a long, as curl wants. */
static const long_opt fixed_opts[] = {
    {CURLOPT_NOSIGNAL, 1L},
    {CURLOPT_NOPROGRESS, 1L},
    {CURLOPT_FOLLOWLOCATION, 0L},
    {CURLOPT_MAXREDIRS, 0L},
    {CURLOPT_SSL_VERIFYPEER, 1L},
    {CURLOPT_SSL_VERIFYHOST, 2L},
    {CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2},
    {CURLOPT_FORBID_REUSE, 1L},
    {CURLOPT_FRESH_CONNECT, 1L},
    {CURLOPT_POST, 1L},
    {CURLOPT_NETRC, (long)CURL_NETRC_IGNORED},
};

/* Configures h for one guarded POST. Returns the first curl error. */
static CURLcode set_options(CURL *h, const char *url, const char *body, size_t body_len,
                            struct curl_slist *hdrs, post_ctx *ctx, const webhook_policy *p)
{
    CURLcode c = CURLE_OK;
    long timeout = p->timeout_s > 0 ? p->timeout_s : WEBHOOK_DEFAULT_TIMEOUT_S;
    const char *protos = p->allow_http_and_loopback ? "http,https" : "https";
    for (size_t i = 0; c == CURLE_OK && i < sizeof fixed_opts / sizeof fixed_opts[0]; i++)
        c = curl_easy_setopt(h, fixed_opts[i].opt, fixed_opts[i].value);
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (c == CURLE_OK)                                                                         \
            c = curl_easy_setopt(h, opt, val);                                                     \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, protos);
    SET(CURLOPT_REDIR_PROTOCOLS_STR, protos);
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_TIMEOUT, timeout);
    SET(CURLOPT_CONNECTTIMEOUT, timeout < MAX_CONNECT_S ? timeout : MAX_CONNECT_S);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ctx->max_body);
    SET(CURLOPT_USERAGENT, USER_AGENT);
    SET(CURLOPT_HTTPHEADER, hdrs);
    SET(CURLOPT_POSTFIELDS, body);
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    SET(CURLOPT_OPENSOCKETFUNCTION, open_socket_cb);
    SET(CURLOPT_OPENSOCKETDATA, ctx);
    SET(CURLOPT_WRITEFUNCTION, write_cb);
    SET(CURLOPT_WRITEDATA, ctx);
    SET(CURLOPT_HEADERFUNCTION, header_cb);
    SET(CURLOPT_HEADERDATA, ctx);
#undef SET
    return c;
}

/* Says why a transfer that got no 2xx failed, from what curl and the
 * callbacks saw. */
static void explain_failure(CURLcode cc, const char *errbuf, const post_ctx *ctx, long timeout,
                            webhook_result *res)
{
    char *e = res->error;
    size_t n = sizeof res->error;
    long st = res->http_status;
    if (ctx->refused && st == 0)
        set_err(e, n, "The callback address %s is not public (%s); refused before connecting.",
                ctx->refused_addr, ctx->refused_reason);
    else if (st >= 300 && st < 400)
        set_err(e, n,
                "The receiver answered HTTP %ld, a redirect, and redirects are not "
                "followed.",
                st);
    else if (st > 0)
        set_err(e, n, "The receiver answered HTTP %ld.", st);
    else if (cc == CURLE_OPERATION_TIMEDOUT)
        set_err(e, n, "The receiver did not answer within %ld s.", timeout);
    else if (cc != CURLE_OK)
        set_err(e, n, "The request failed: %s.", errbuf[0] ? errbuf : curl_easy_strerror(cc));
    else
        set_err(e, n, "The receiver sent no HTTP answer.");
}

static void fill_result(CURL *h, CURLcode cc, const char *errbuf, const post_ctx *ctx,
                        const webhook_policy *p, webhook_result *res)
{
    long status = 0;
    if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status < 100)
        status = 0;
    res->http_status = status;
    if (status == 429 || status == 503)
        res->retry_after_s = httpc_parse_retry_after(ctx->retry_after, WEBHOOK_MAX_RETRY_AFTER_S);
    if (status >= 200 && status < 300) {
        res->delivered = 1;
        if (ctx->too_big || cc == CURLE_FILESIZE_EXCEEDED)
            set_err(res->error, sizeof res->error,
                    "Delivered; the answer was longer than %zu "
                    "bytes and the rest was not read.",
                    ctx->max_body);
        return;
    }
    if (ctx->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        set_err(res->error, sizeof res->error,
                "The receiver answered HTTP %ld with more than "
                "%zu bytes; the rest was not read.",
                status, ctx->max_body);
        return;
    }
    explain_failure(cc, errbuf, ctx, p->timeout_s > 0 ? p->timeout_s : WEBHOOK_DEFAULT_TIMEOUT_S,
                    res);
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
    post_ctx ctx = {.allow_any = p->allow_http_and_loopback,
                    .max_body = p->max_response_bytes ? p->max_response_bytes
                                                      : WEBHOOK_DEFAULT_MAX_RESPONSE};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = build_headers(timestamp, signature);
    CURL *h = curl_easy_init();
    rc = RA_ERR_NOMEM;
    if (!hdrs || !h)
        goto done;
    CURLcode cc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (cc == CURLE_OK)
        cc = set_options(h, url, body ? body : "", body_len, hdrs, &ctx, p);
    if (cc == CURLE_OUT_OF_MEMORY)
        goto done;
    if (cc != CURLE_OK) {
        set_err(out.error, sizeof out.error, "The HTTP client could not be configured: %s.",
                curl_easy_strerror(cc));
    } else {
        cc = curl_easy_perform(h);
        fill_result(h, cc, errbuf, &ctx, p, &out);
    }
    *res = out;
    rc = RA_OK;
done:
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
    return rc;
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

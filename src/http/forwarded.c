/* forwarded.c - the trusted proxies' list, X-Forwarded-For read from the
 * right and X-Forwarded-Proto (see forwarded.h). Pure text functions. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "http/forwarded.h"

#define ENTRY_MAX 64 /* longer than any address with brackets and a port */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* True when the n bytes at s are 1 to 5 digits (a port). */
static int is_port(const char *s, size_t n)
{
    if (n == 0 || n > 5)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The address part of an entry without blanks: brackets and a port
 * removed. Writes it into host; RA_ERR_INVALID when the shape is wrong. */
static int strip_port(const char *s, size_t n, char *host, int *v6_only)
{
    const char *start = s;
    size_t len = n;
    *v6_only = 0;
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (close == NULL)
            return RA_ERR_INVALID;
        size_t after = n - (size_t)(close + 1 - s);
        if (after > 0 && (close[1] != ':' || !is_port(close + 2, after - 1)))
            return RA_ERR_INVALID;
        start = s + 1;
        len = (size_t)(close - start);
        *v6_only = 1;
    } else {
        const char *colon = memchr(s, ':', n);
        /* One colon: IPv4 with a port. More: a bare IPv6 address. */
        if (colon != NULL && memchr(colon + 1, ':', n - (size_t)(colon + 1 - s)) == NULL) {
            if (!is_port(colon + 1, n - (size_t)(colon + 1 - s)))
                return RA_ERR_INVALID;
            len = (size_t)(colon - s);
        }
    }
    if (len == 0 || len >= ENTRY_MAX)
        return RA_ERR_INVALID;
    memcpy(host, start, len);
    host[len] = '\0';
    return RA_OK;
}

int http_addr_canonical(const char *s, size_t n, char *out, size_t outlen)
{
    if (outlen > 0)
        out[0] = '\0';
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    char host[ENTRY_MAX];
    int v6_only = 0;
    if (n == 0 || n >= ENTRY_MAX || strip_port(s, n, host, &v6_only) != RA_OK)
        return RA_ERR_INVALID;
    struct in_addr a4;
    struct in6_addr a6;
    char text[HTTP_ADDR_LEN];
    if (!v6_only && inet_pton(AF_INET, host, &a4) == 1)
        inet_ntop(AF_INET, &a4, text, sizeof text);
    else if (inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_V4MAPPED(&a6))
        inet_ntop(AF_INET, &a6.s6_addr[12], text, sizeof text);
    else if (inet_pton(AF_INET6, host, &a6) == 1)
        inet_ntop(AF_INET6, &a6, text, sizeof text);
    else
        return RA_ERR_INVALID;
    if (strlen(text) >= outlen)
        return RA_ERR_INVALID;
    snprintf(out, outlen, "%s", text);
    return RA_OK;
}

int http_proxies_parse(const char *list, http_proxies *out, char *err, size_t errlen)
{
    out->n = 0;
    if (list == NULL)
        return RA_OK;
    const char *p = list;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        int blank = 1;
        for (size_t i = 0; i < n; i++)
            blank = blank && is_blank(p[i]);
        if (!blank || p[n] == ',') {
            if (out->n == HTTP_PROXIES_MAX) {
                out->n = 0;
                return ra_fail(err, errlen, RA_ERR_INVALID, "more than %d trusted proxies",
                               HTTP_PROXIES_MAX);
            }
            if (http_addr_canonical(p, n, out->addr[out->n], HTTP_ADDR_LEN) != RA_OK) {
                out->n = 0;
                return ra_fail(err, errlen, RA_ERR_INVALID, "'%.*s' is not an IPv4 or IPv6 address",
                               (int)(n > 64 ? 64 : n), p);
            }
            out->n++;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return RA_OK;
}

int http_proxies_trusts(const http_proxies *p, const char *addr)
{
    if (p == NULL || addr == NULL || addr[0] == '\0')
        return 0;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->addr[i], addr) == 0)
            return 1;
    return 0;
}

int http_forwarded_for(const http_proxies *p, const char *const *values, size_t n, char *out,
                       size_t outlen)
{
    int seen = 0;
    if (outlen > 0)
        out[0] = '\0';
    for (size_t v = n; v > 0; v--) {
        const char *s = values[v - 1];
        size_t end = strlen(s);
        /* Entries from the right: each is s[start, end). */
        for (;;) {
            size_t start = end;
            while (start > 0 && s[start - 1] != ',')
                start--;
            if (++seen > HTTP_FORWARDED_MAX)
                return RA_ERR_INVALID;
            char addr[HTTP_ADDR_LEN];
            if (http_addr_canonical(s + start, end - start, addr, sizeof addr) != RA_OK)
                return RA_ERR_INVALID;
            if (!http_proxies_trusts(p, addr)) {
                snprintf(out, outlen, "%s", addr);
                return RA_OK;
            }
            if (start == 0)
                break;
            end = start - 1;
        }
    }
    return RA_ERR_INVALID;
}

int http_forwarded_https(const char *proto)
{
    if (proto == NULL)
        return 0;
    const char *last = strrchr(proto, ',');
    const char *s = last ? last + 1 : proto;
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    return n == 5 && strncasecmp(s, "https", 5) == 0;
}

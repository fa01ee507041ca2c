/* forwarded.h - trusted proxies and what they forward: the client's address
 * from X-Forwarded-For and the scheme from X-Forwarded-Proto. Pure functions
 * of text; the server (server.c) applies them to a request whose connected
 * peer is a trusted proxy, and ignores both headers from anyone else.
 *
 * The rule for X-Forwarded-For: each proxy appends the address it received
 * the request from, so only the right end of the list is written by proxies
 * we trust; anything to its left may have been forged by the client. The
 * client's address is therefore the right-most entry that is not itself a
 * trusted proxy. Entries are IPv4 or IPv6 addresses, optionally in brackets
 * ("[2001:db8::1]") or with a port ("192.0.2.1:4711", "[2001:db8::1]:4711"),
 * with spaces or tabs around them; an IPv4-mapped IPv6 address counts as its
 * IPv4 address. Several X-Forwarded-For headers read as one list joined in
 * their order. */
#ifndef RAPORTAI_HTTP_FORWARDED_H
#define RAPORTAI_HTTP_FORWARDED_H

#include <stddef.h>

#define HTTP_PROXIES_MAX 32   /* trusted proxy addresses */
#define HTTP_FORWARDED_MAX 32 /* X-Forwarded-For entries looked at, from the right */
#define HTTP_ADDR_LEN 46      /* an address's text with its NUL (INET6_ADDRSTRLEN) */

/* The trusted proxies: canonical address texts. */
typedef struct http_proxies {
    int n;
    char addr[HTTP_PROXIES_MAX][HTTP_ADDR_LEN];
} http_proxies;

/* Parses "ADDR[,ADDR...]" (IPv4 or IPv6, spaces allowed around each) into
 * out; NULL or "" gives none. RA_ERR_INVALID with err naming the bad entry
 * (or saying there are more than HTTP_PROXIES_MAX); out is then empty. */
int http_proxies_parse(const char *list, http_proxies *out, char *err, size_t errlen);
/* True when addr (canonical text, as http_client_addr gives it) is a
 * trusted proxy. */
int http_proxies_trusts(const http_proxies *p, const char *addr);

/* The canonical text of one address written as described above (the n
 * bytes at s, with spaces, brackets and a port allowed). RA_ERR_INVALID when
 * it is not an address (out is then ""). */
int http_addr_canonical(const char *s, size_t n, char *out, size_t outlen);

/* The client's address behind the trusted proxies p, from the
 * X-Forwarded-For header values in order (n of them): the right-most entry
 * that is not a trusted proxy. RA_ERR_INVALID (out "") when there is no
 * entry, when that entry is not an address, or when the
 * HTTP_FORWARDED_MAX right-most entries are all trusted proxies: the caller
 * then goes by the connected peer. */
int http_forwarded_for(const http_proxies *p, const char *const *values, size_t n, char *out,
                       size_t outlen);

/* True when the X-Forwarded-Proto value (NULL: none) says https: its
 * right-most entry, the one our own proxy wrote, in any case. */
int http_forwarded_https(const char *proto);

#endif

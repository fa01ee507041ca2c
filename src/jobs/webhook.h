/* webhook.h - signed callbacks (webhooks): which URLs and addresses a
 * callback may go to, the signature, one delivery attempt and the retry
 * schedule.
 *
 * This module owns the callback HMAC (libsodium crypto_auth_hmacsha256_*)
 * and the SSRF rules; the POST itself goes through the one outbound client,
 * httpc (httpc/httpc.h), with those rules as its address policy. It knows
 * nothing of jobs, queues or storage: the dispatcher asks it to sign a
 * body, to POST it once, and how long to wait before the next try;
 * persisting attempts is the caller's job.
 *
 * SECURITY. Unless the development switch allow_http_and_loopback is set,
 * a callback goes only to https URLs and only to public addresses. The
 * address check runs on the address curl is about to connect to (httpc's
 * address policy, after DNS), so a name that resolves to a private
 * address - or that changes its answer between check and use (DNS
 * rebinding) - is refused before any connection is made. Redirects are
 * never followed (3xx is a failure), proxies from the environment are
 * ignored, TLS peers are verified, and time and response size are bounded
 * (httpc.h).
 *
 * THREAD SAFETY. After ids_init (libsodium) and httpc_global_init at
 * start-up, every function may be called from any thread at once: each
 * webhook_post is its own httpc request, with no shared state. */
#ifndef RAPORTAI_JOBS_WEBHOOK_H
#define RAPORTAI_JOBS_WEBHOOK_H

#include <stddef.h>

struct sockaddr;

#define WEBHOOK_DEFAULT_TIMEOUT_S 20L
#define WEBHOOK_DEFAULT_MAX_RESPONSE (64u * 1024u)
#define WEBHOOK_MAX_URL_LEN 2048
#define WEBHOOK_MAX_TIMESTAMP_LEN 64
#define WEBHOOK_SIGNATURE_HEX 65 /* 64 lowercase hex characters and the NUL */
#define WEBHOOK_MAX_RETRY_AFTER_S 86400L
#define WEBHOOK_MAX_ATTEMPTS 10 /* the first try plus nine retries */

typedef struct webhook_policy {
    int allow_http_and_loopback; /* development switch RAPORTAI_ALLOW_HTTP_CALLBACKS=1:
                                    http:// and loopback/private targets allowed */
    long timeout_s;              /* whole-request time limit; 0 means the default, 20 */
    size_t max_response_bytes;   /* read at most this much of the answer's body;
                                    0 means the default, 64 KB */
} webhook_policy;

/* Fills p with the defaults (20 s, 64 KB) and the given development switch.
 * Cannot fail. */
void webhook_policy_init(webhook_policy *p, int allow_http_and_loopback);

/* Checks a callback URL at submission. RA_OK for an absolute https URL with
 * a host (or http when the policy allows it), at most WEBHOOK_MAX_URL_LEN
 * bytes of printable ASCII (an internationalised host must be given in its
 * xn-- form), with no userinfo, no fragment and no IPv6 zone id. A host
 * written as an IP address must be public unless the policy allows
 * loopback. Names are not resolved here: that check happens at delivery, on
 * the address actually connected. On refusal returns RA_ERR_INVALID and
 * writes one sentence into err (which may be NULL when errlen is 0); the
 * sentence never repeats the URL. RA_ERR_NOMEM when memory runs out. */
int webhook_check_url(const char *url, const webhook_policy *p, char *err, size_t errlen);

/* Writes the lowercase hex HMAC-SHA256, keyed with the bytes of secret,
 * over timestamp + "." + body (body_len bytes; body may be NULL when
 * body_len is 0). Cannot fail. */
void webhook_sign(const char *secret, const char *timestamp, const char *body, size_t body_len,
                  char out[WEBHOOK_SIGNATURE_HEX]);

typedef struct webhook_result {
    int delivered;      /* 1 when the receiver answered 2xx */
    long http_status;   /* 0 when there was no HTTP answer */
    long retry_after_s; /* from Retry-After on 429/503 (seconds or HTTP date), else -1 */
    char error[256];    /* why it failed, one sentence, "" when delivered (except the
                           note that an over-long answer was cut); never holds the
                           secret, the signature, the body or the URL's path */
} webhook_result;

/* POSTs body (body_len bytes of JSON) to url once, with the headers
 * Content-Type: application/json, X-RaportAI-Timestamp: timestamp (ISO 8601
 * UTC, passed in), X-RaportAI-Signature: signature (64 lowercase hex) and
 * User-Agent: RaportAI-Webhook/1. See SECURITY above for what is refused.
 *
 * Returns RA_OK with *res filled whatever the outcome: delivered, an HTTP
 * error, a timeout, a refused address or a URL the policy refuses (each an
 * undelivered attempt with error saying why). A 2xx whose body passes
 * max_response_bytes still counts as delivered; the rest of the body is not
 * read and error says so. Returns RA_ERR_INVALID (res untouched) when an
 * argument is NULL or the timestamp or signature is malformed (they become
 * headers, so CR, LF and non-ASCII are refused), RA_ERR_NOMEM (res
 * untouched) when memory runs out before an answer came. Blocks for at
 * most about timeout_s seconds. */
int webhook_post(const char *url, const char *body, size_t body_len, const char *timestamp,
                 const char *signature, const webhook_policy *p, webhook_result *res);

/* The delay in seconds before retry number attempt (1 = the first retry
 * after the initial failure), in the style of Standard Webhooks: 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, each with +-10% uniform jitter
 * from libsodium's CSPRNG. When retry_after_s is larger than that delay it
 * is used instead, capped at WEBHOOK_MAX_RETRY_AFTER_S. Returns -1 (give
 * up) for attempt >= WEBHOOK_MAX_ATTEMPTS, and 0 (at once) for attempt <= 0,
 * the initial try. Cannot fail. */
long webhook_retry_delay(int attempt, long retry_after_s);

/* Returns 1 when addr (AF_INET or AF_INET6) is a public unicast address a
 * callback may go to, 0 otherwise (loopback, private, link-local with the
 * metadata address, CGNAT, multicast, unspecified, broadcast, benchmarking,
 * documentation, reserved, and the IPv4-mapped, IPv4-compatible, NAT64 and
 * 6to4 forms of those; Teredo and other IETF protocol ranges are refused
 * outright). When reason is not NULL it receives a short static name of the
 * range ("loopback", "private", ...), or "public". Exposed for tests. */
int webhook_addr_is_public(const struct sockaddr *addr, const char **reason);

#endif

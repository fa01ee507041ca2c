/* retry.h - one request to a configured server, repeated while its
 * outcome is worth another attempt: exponential backoff with jitter,
 * honouring Retry-After, within a bounded number of attempts and a total
 * deadline, cancellable between attempts.
 *
 * Errors and sentences as httpc.h. THREAD SAFETY. As httpc_post. */
#ifndef RAPORTAI_HTTPC_RETRY_H
#define RAPORTAI_HTTPC_RETRY_H

#include "httpc/httpc.h"

/* How httpc_post_retry repeats a request. Zeroed fields take the defaults. */
typedef struct httpc_retry_policy {
    int max_attempts;   /* the first try included; 0: 4 */
    long base_delay_ms; /* the wait before the second attempt, doubled before each next
                           one, with +-20% jitter; 0: 1000 */
    long max_delay_ms;  /* the longest single wait, a Retry-After included; 0: 30000 */
    long deadline_ms;   /* the whole call, attempts and waits together: an attempt's
                           time limit is cut to what is left, and no wait runs past
                           it; 0: max_attempts times the request's timeout, plus the
                           waits */
} httpc_retry_policy;

/* True when an outcome of httpc_post is worth another attempt: no answer
 * (RA_ERR_UNAVAILABLE), or HTTP 408, 429 or 5xx other than 501 and 505. */
int httpc_retryable(int rc, long status);

/* httpc_post repeated while httpc_retryable says so, within policy (NULL:
 * the defaults). Waits between attempts double from base_delay_ms with
 * jitter; a longer Retry-After wins, up to max_delay_ms. Each retry is
 * logged at warn level (server origin, status or timeout, attempt, wait).
 * Returns as httpc_post for the last attempt, except that a retryable
 * outcome that outlasts the attempts or the deadline gives
 * RA_ERR_UNAVAILABLE ("the server stays down"), with the last answer's
 * status (if any) in resp->status. */
int httpc_post_retry(const httpc_request *req, const httpc_retry_policy *policy,
                     httpc_response *resp, char *err, size_t errlen);

#endif

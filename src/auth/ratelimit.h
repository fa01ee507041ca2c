/* ratelimit.h - requests per rolling minute, per API key.
 *
 * An exact sliding window: each key keeps the times of its requests in the
 * last 60 seconds (at most `limit` of them), so "N per rolling minute" holds
 * for every window, not just on average. Only authenticated keys get an
 * entry, so a flood of bad keys never touches a good key's budget, and idle
 * entries are dropped so the table stays small.
 *
 * THREAD SAFETY: ratelimit_hit may be called from any thread. */
#ifndef RAPORTAI_AUTH_RATELIMIT_H
#define RAPORTAI_AUTH_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_WINDOW_MS 60000
#define RATELIMIT_MAX 100000 /* the largest limit accepted */

typedef struct ratelimit ratelimit;

typedef struct ratelimit_result {
    int allowed;        /* 1 when the request may go on (it was counted) */
    unsigned limit;     /* requests per window */
    unsigned remaining; /* requests still allowed in the current window */
    unsigned reset_s;   /* seconds until the oldest counted request leaves
                           the window and the budget grows again */
} ratelimit_result;

/* RA_ERR_INVALID unless 1 <= limit <= RATELIMIT_MAX; RA_ERR_NOMEM. */
int ratelimit_new(unsigned limit, ratelimit **out);
void ratelimit_free(ratelimit *rl);
/* Counts one request by key at now_ms (a monotonic clock) when the budget
 * allows it. On out of memory the request is allowed and not counted: a
 * limiter must not take the service down. */
void ratelimit_hit(ratelimit *rl, const char *key, int64_t now_ms, ratelimit_result *out);

#endif

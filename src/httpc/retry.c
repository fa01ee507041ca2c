/* retry.c - httpc_post repeated with backoff and jitter, honouring
 * Retry-After, within a bounded number of attempts and a deadline (see
 * retry.h). No curl calls: each attempt is one httpc_post. */
#include "httpc/retry.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "httpc/url.h"

#define SLEEP_SLICE_MS 50

#define DEFAULT_ATTEMPTS 4
#define DEFAULT_BASE_DELAY_MS 1000L
#define DEFAULT_MAX_DELAY_MS 30000L

int httpc_retryable(int rc, long status)
{
    if (rc == RA_ERR_UNAVAILABLE)
        return 1;
    if (rc != RA_ERR_REFUSED)
        return 0;
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
}

/* Sleeps ms, in slices, returning 1 at once when cancel becomes non-zero. */
static int sleep_cancellable(long ms, const atomic_int *cancel)
{
    int64_t until = time_mono_ms() + ms;
    for (;;) {
        if (cancel != NULL && atomic_load(cancel))
            return 1;
        int64_t left = until - time_mono_ms();
        if (left <= 0)
            return 0;
        long slice = left < SLEEP_SLICE_MS ? (long)left : SLEEP_SLICE_MS;
        struct timespec ts = {slice / 1000, (slice % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* The wait before attempt `attempt + 1`: base doubled attempt-1 times, +-20%
 * jitter; a longer Retry-After wins; both capped at max_ms. */
static long backoff_ms(const httpc_retry_policy *p, int attempt, long retry_after_s)
{
    long d = p->base_delay_ms;
    for (int i = 1; i < attempt && d < p->max_delay_ms; i++)
        d *= 2;
    if (d > p->max_delay_ms)
        d = p->max_delay_ms;
    long spread = d / 5;
    d = d - spread + (long)randombytes_uniform((uint32_t)(2 * spread + 1));
    if (retry_after_s >= 0 && retry_after_s * 1000 > d)
        d = retry_after_s > p->max_delay_ms / 1000 ? p->max_delay_ms : retry_after_s * 1000;
    return d > p->max_delay_ms ? p->max_delay_ms : d;
}

/* The policy with its defaults filled in. */
static httpc_retry_policy complete_policy(const httpc_retry_policy *given, long timeout_ms)
{
    httpc_retry_policy p = given != NULL ? *given : (httpc_retry_policy){0};
    if (p.max_attempts <= 0)
        p.max_attempts = DEFAULT_ATTEMPTS;
    if (p.base_delay_ms <= 0)
        p.base_delay_ms = DEFAULT_BASE_DELAY_MS;
    if (p.max_delay_ms <= 0)
        p.max_delay_ms = DEFAULT_MAX_DELAY_MS;
    if (p.base_delay_ms > p.max_delay_ms)
        p.base_delay_ms = p.max_delay_ms;
    if (p.deadline_ms <= 0)
        p.deadline_ms = (long)p.max_attempts * (timeout_ms + p.max_delay_ms);
    return p;
}

/* Says what happened to the last attempt and that we gave up. */
static int give_up(const char *last, int attempts, int64_t started, char *err, size_t errlen)
{
    return ra_fail(err, errlen, RA_ERR_UNAVAILABLE, "%s Gave up after %d attempt%s in %.1f s.",
                   last, attempts, attempts == 1 ? "" : "s",
                   (double)(time_mono_ms() - started) / 1000.0);
}

int httpc_post_retry(const httpc_request *req, const httpc_retry_policy *policy,
                     httpc_response *resp, char *err, size_t errlen)
{
    long timeout = req != NULL && req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    httpc_retry_policy p = complete_policy(policy, timeout);
    int64_t started = time_mono_ms();
    char last[512] = "";
    char origin[HTTPC_ORIGIN_LEN];
    httpc_request one = req != NULL ? *req : (httpc_request){0};
    httpc_url_origin(one.url, origin, sizeof origin);
    *resp = (httpc_response){.retry_after_s = -1};
    for (int attempt = 1;; attempt++) {
        long left = p.deadline_ms - (long)(time_mono_ms() - started);
        one.timeout_ms = timeout < left ? timeout : left;
        httpc_response_release(resp);
        int rc = httpc_post(req != NULL ? &one : NULL, resp, last, sizeof last);
        resp->attempts = attempt;
        if (!httpc_retryable(rc, resp->status)) {
            if (rc != RA_OK)
                ra_fail(err, errlen, rc, "%s", last);
            return rc;
        }
        long wait = backoff_ms(&p, attempt, resp->retry_after_s);
        if (attempt >= p.max_attempts || (long)(time_mono_ms() - started) + wait >= p.deadline_ms)
            return give_up(last, attempt, started, err, errlen);
        char how[48];
        if (resp->status != 0)
            snprintf(how, sizeof how, "HTTP %ld", resp->status);
        else
            snprintf(how, sizeof how, "%s", resp->timed_out ? "no answer in time" : "unreachable");
        log_warn("http client: %s at %s: %s (attempt %d of %d); retrying in %.1f s",
                 req->what ? req->what : "server", origin, how, attempt, p.max_attempts,
                 (double)wait / 1000.0);
        if (sleep_cancellable(wait, req->cancel))
            return ra_fail(err, errlen, RA_ERR_CANCELLED,
                           "The request to the %s at %s was cancelled.",
                           req->what ? req->what : "server", origin);
    }
}

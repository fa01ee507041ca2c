/* callbacks.c - the callback queue: one row per job with a callbackUrl, its
 * attempts recorded, surviving restarts (see store.h).
 *
 * A claimed callback is held (held_until_ms) until its attempt is recorded,
 * or until the hold runs out when the process died mid-delivery; the held
 * callbacks of an organization are its deliveries in flight, which the
 * per-organization limit counts, across every process sharing the
 * database. */
#include <stdlib.h>

#include "core/err.h"
#include "core/job_state.h"
#include "store/internal.h"

struct due_callback {
    char job_id[UUID_LEN];
    char *url;
    int attempts;
};

static void due_row(store *s, db_stmt *st, void *ctx)
{
    struct due_callback *d = ctx;
    STORE_COL(s, st, 0, d->job_id);
    free(d->url);
    d->url = store_col_dup(s, st, 1);
    d->attempts = (int)s->driver->column_int64(st, 2);
}

static int claim_on(store *s, db_conn *c, int64_t now_ms, int64_t hold_ms, int per_org,
                    struct due_callback *due)
{
    int rc = store_query(s, c, due_row, due, 1,
                         "SELECT cb.job_id, cb.url, cb.attempts FROM callbacks cb"
                         " JOIN jobs j ON j.id = cb.job_id"
                         " WHERE cb.status = 'pending' AND cb.next_attempt_ms <= ?"
                         " AND (? <= 0 OR j.org_id NOT IN (SELECT hj.org_id FROM callbacks h"
                         "  JOIN jobs hj ON hj.id = h.job_id"
                         "  WHERE h.held_until_ms > ? AND h.status = 'pending'"
                         "  GROUP BY hj.org_id HAVING COUNT(*) >= ?))"
                         " ORDER BY cb.next_attempt_ms LIMIT 1",
                         DB_ARGS(db_int(now_ms), db_int(per_org), db_int(now_ms), db_int(per_org)));
    if (rc == RA_OK && due->url == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = store_exec1(
            s, c, 1,
            "UPDATE callbacks SET next_attempt_ms = ?, held_until_ms = ?"
            " WHERE job_id = ?",
            DB_ARGS(db_int(now_ms + hold_ms), db_int(now_ms + hold_ms), db_text(due->job_id)));
    return rc;
}

int store_callback_claim(store *s, int64_t now_ms, int64_t hold_ms, int per_org,
                         char job_id[UUID_LEN], char **url, int *attempt)
{
    struct due_callback due = {.url = NULL};
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c, claim_on(s, c, now_ms, hold_ms, per_org, &due));
    if (rc != RA_OK) {
        free(due.url);
        return rc;
    }
    store_copy(job_id, UUID_LEN, due.job_id);
    *url = due.url;
    *attempt = due.attempts + 1;
    return RA_OK;
}

static int record_on(store *s, db_conn *c, const char *job_id, int attempt, int delivered,
                     long http_status, const char *error, int64_t next_ms)
{
    char now[TIME_ISO_LEN];
    time_now_iso(now);
    int64_t status = http_status > 0 ? http_status : -1;
    int rc = store_exec1(s, c, 1,
                         "INSERT INTO callback_attempts (job_id, attempt, at,"
                         " http_status, error) VALUES (?, ?, ?, NULLIF(?, -1), ?)",
                         DB_ARGS(db_text(job_id), db_int(attempt), db_text(now), db_int(status),
                                 db_text(delivered ? NULL : error)));
    callback_state state = delivered     ? CALLBACK_DELIVERED
                           : next_ms < 0 ? CALLBACK_FAILED
                                         : CALLBACK_PENDING;
    if (rc == RA_OK)
        rc = store_exec1(s, c, 1,
                         "UPDATE callbacks SET status = ?, attempts = ?, next_attempt_ms = ?,"
                         " held_until_ms = NULL, last_http_status = NULLIF(?, -1), last_error = ?, "
                         "last_attempt_at = ?,"
                         " delivered_at = ? WHERE job_id = ?",
                         DB_ARGS(db_text(callback_state_text(state)), db_int(attempt),
                                 db_int(next_ms < 0 ? (int64_t)0 : next_ms), db_int(status),
                                 db_text(delivered ? NULL : error), db_text(now),
                                 db_text(delivered ? now : NULL), db_text(job_id)));
    return rc;
}

int store_callback_record(store *s, const char *job_id, int attempt, int delivered,
                          long http_status, const char *error, int64_t next_ms)
{
    db_conn *c = NULL;
    int rc = store_begin(s, &c);
    if (rc == RA_OK)
        rc = store_end(s, c,
                       record_on(s, c, job_id, attempt, delivered, http_status, error, next_ms));
    return rc;
}

/* sweep.c - serve's sweeper (see cli.h): a thread that deletes what only
 * ages, at start and then every interval: the counts of the sign-in and
 * registration limits past their keep time (THROTTLE_KEEP_MS after their
 * last failure; a known address SIGNIN_KNOWN_MS after its sign-in), and
 * registrations left pending for REGISTRATION_PENDING_MAX_MS
 * (auth/throttle.h). Each sweep is a few short transactions. */
#include <pthread.h>
#include <stdlib.h>

#include "auth/throttle.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"

struct cli_sweeper {
    store *store;
    int64_t every_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

static void sweep_once(store *s)
{
    int64_t now = time_now_ms(), counts = 0, pending = 0;
    char before[TIME_ISO_LEN];
    int rc = store_throttle_sweep(s, now, &counts);
    if (rc != RA_OK)
        log_warn("sweep: cannot delete old sign-in and registration counts: %s", ra_strerror(rc));
    time_format_iso((time_t)((now - REGISTRATION_PENDING_MAX_MS) / 1000), before);
    rc = store_org_sweep_pending(s, before, &pending);
    if (rc != RA_OK)
        log_warn("sweep: cannot delete stale registrations: %s", ra_strerror(rc));
    if (counts > 0 || pending > 0)
        log_info("sweep: deleted %lld old sign-in and registration counts and %lld registrations "
                 "pending since before %s",
                 (long long)counts, (long long)pending, before);
}

static void *sweeper(void *arg)
{
    cli_sweeper *sw = arg;
    pthread_mutex_lock(&sw->lock);
    while (!sw->stopping) {
        pthread_mutex_unlock(&sw->lock);
        sweep_once(sw->store);
        pthread_mutex_lock(&sw->lock);
        struct timespec until = time_deadline_ms(sw->every_ms);
        while (!sw->stopping && pthread_cond_timedwait(&sw->wake, &sw->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&sw->lock);
    return NULL;
}

int cli_sweeper_start(store *s, int64_t every_ms, cli_sweeper **out)
{
    cli_sweeper *sw = calloc(1, sizeof *sw);
    if (sw == NULL)
        return RA_ERR_NOMEM;
    sw->store = s;
    sw->every_ms = every_ms;
    pthread_mutex_init(&sw->lock, NULL);
    pthread_cond_init(&sw->wake, NULL);
    if (pthread_create(&sw->thread, NULL, sweeper, sw) != 0) {
        pthread_cond_destroy(&sw->wake);
        pthread_mutex_destroy(&sw->lock);
        free(sw);
        return RA_ERR_IO;
    }
    *out = sw;
    return RA_OK;
}

void cli_sweeper_stop(cli_sweeper *sw)
{
    if (sw == NULL)
        return;
    pthread_mutex_lock(&sw->lock);
    sw->stopping = 1;
    pthread_cond_signal(&sw->wake);
    pthread_mutex_unlock(&sw->lock);
    pthread_join(sw->thread, NULL);
    pthread_cond_destroy(&sw->wake);
    pthread_mutex_destroy(&sw->lock);
    free(sw);
}

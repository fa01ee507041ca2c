/* lm_refresh.c - the refresher of per-organization speech models (see
 * lm_refresh.h): when an organization's model is due, and the thread that
 * looks every poll interval and builds the models that are.
 *
 * THREAD SAFETY: r->lock guards r->stopping and the wake-up; the build
 * itself runs without it (the store and the asr builders are thread-safe). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "jobs/lm_refresh.h"

struct lm_refresher {
    lm_refresh_config cfg; /* its data_dir points to owned_data_dir */
    char *owned_data_dir;
    asr_corpus *base;     /* the shared base corpus, read once */
    uint64_t fingerprint; /* of base */
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

/* ---- when to build ---------------------------------------------------------------- */

int64_t lm_new_material(const lm_record *last, const store_lm_activity *now,
                        int64_t templates_changed)
{
    int64_t revisions = now->revisions - last->revisions;
    int64_t deleted = last->templates - now->templates;
    return (revisions > 0 ? revisions : 0) + (templates_changed > 0 ? templates_changed : 0) +
           (deleted > 0 ? deleted : 0);
}

int lm_build_due(const lm_refresh_config *cfg, const lm_record *last, int64_t new_material,
                 uint64_t base, int64_t now_ms)
{
    if (cfg->min_new <= 0)
        return 0;
    if (last->attempt_ms > 0 && now_ms - last->attempt_ms < cfg->min_interval_ms)
        return 0;
    if (new_material >= cfg->min_new)
        return 1;
    return last->built_ms > 0 && last->base != base; /* a model of an older base */
}

/* ---- one organization -------------------------------------------------------------- */

/* Creates dir and its parents up to data_dir/asr (mode 0700). */
static int make_org_dir(const char *data_dir, const char *dir)
{
    char path[LM_PATH_MAX];
    const char *steps[] = {"asr", "asr/org"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", data_dir, steps[i]);
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return RA_ERR_IO;
    }
    return mkdir(dir, 0700) == 0 || errno == EEXIST ? RA_OK : RA_ERR_IO;
}

/* Builds the model into the .new files and renames them into place:
 * the dictionary first, so a worker that sees the new LM finds its words. */
static int build_files(lm_refresher *r, const char *org_id, const lm_org_paths *p,
                       lm_corpus_stats *cs, asr_build_stats *bs, char *err, size_t errlen)
{
    char lm_new[LM_PATH_MAX + 40], dict_new[LM_PATH_MAX + 40];
    snprintf(lm_new, sizeof lm_new, "%s.new", p->lm);
    snprintf(dict_new, sizeof dict_new, "%s.new", p->dict);
    asr_corpus *corpus = NULL;
    int rc = make_org_dir(r->cfg.data_dir, p->dir);
    if (rc != RA_OK)
        ra_fail(err, errlen, rc, "Cannot create %s.", p->dir);
    if (rc == RA_OK)
        rc = lm_org_corpus(&r->cfg, r->base, org_id, &corpus, cs);
    if (rc == RA_OK)
        rc = asr_model_build(&r->cfg.sources, corpus, lm_new, dict_new, bs, err, errlen);
    asr_corpus_free(corpus);
    if (rc == RA_OK && (rename(dict_new, p->dict) != 0 || rename(lm_new, p->lm) != 0))
        rc = ra_fail(err, errlen, RA_ERR_IO, "Cannot rename the new model into %s.", p->dir);
    if (rc != RA_OK) {
        remove(lm_new);
        remove(dict_new);
    }
    return rc;
}

/* Builds org's model now, recording it (or the failed attempt). */
static void build_org(lm_refresher *r, const store_lm_activity *a, const lm_org_paths *p,
                      lm_record *rec, int64_t now_ms)
{
    char at[TIME_ISO_LEN], err[512] = "";
    time_now_iso(at); /* before the material is read: later saves count as new */
    lm_corpus_stats cs = {0};
    asr_build_stats bs;
    memset(&bs, 0, sizeof bs);
    rec->attempt_ms = now_ms;
    int rc = build_files(r, a->org_id, p, &cs, &bs, err, sizeof err);
    if (rc == RA_OK) {
        rec->built_ms = now_ms;
        snprintf(rec->built_at, sizeof rec->built_at, "%s", at);
        rec->revisions = a->revisions;
        rec->templates = a->templates;
        snprintf(rec->templates_at, sizeof rec->templates_at, "%s", a->templates_at);
        rec->base = r->fingerprint;
        rec->reports = cs.reports;
        rec->sentences = (int64_t)bs.lm.sentences;
        rec->vocabulary = (int64_t)bs.lm.vocabulary;
        rec->seconds = bs.seconds;
        log_info("lm: speech model of organization %s built: %lld reports, %lld own templates,"
                 " %zu words, %.2f s",
                 a->org_id, (long long)cs.reports, (long long)cs.templates, bs.lm.vocabulary,
                 bs.seconds);
        if (cs.skipped > 0)
            log_info("lm: organization %s: %lld older reports left out (text limit)", a->org_id,
                     (long long)cs.skipped);
    } else {
        log_warn("lm: the speech model of organization %s was not built: %s", a->org_id,
                 err[0] ? err : ra_strerror(rc));
    }
    if (lm_record_write(p->record, rec) != RA_OK)
        log_warn("lm: cannot write %s", p->record);
}

/* Looks at one organization and builds its model when due; 1 when built. */
static int refresh_org(lm_refresher *r, const store_lm_activity *a, int64_t now_ms)
{
    lm_org_paths p;
    if (lm_org_paths_get(r->cfg.data_dir, a->org_id, &p) != RA_OK)
        return 0;
    lm_record rec;
    memset(&rec, 0, sizeof rec);
    int rc = lm_record_read(p.record, &rec);
    if (rc != RA_OK && rc != RA_ERR_NOT_FOUND)
        log_warn("lm: %s is unreadable (%s): the model is built afresh", p.record, ra_strerror(rc));
    if (rc != RA_OK)
        memset(&rec, 0, sizeof rec);
    int64_t changed = 0;
    int same_templates =
        rec.templates == a->templates && strcmp(rec.templates_at, a->templates_at) == 0;
    if (!same_templates &&
        store_lm_templates_changed(r->cfg.store, a->org_id, rec.built_at, &changed) != RA_OK)
        return 0;
    if (!lm_build_due(&r->cfg, &rec, lm_new_material(&rec, a, changed), r->fingerprint, now_ms))
        return 0;
    build_org(r, a, &p, &rec, now_ms);
    return rec.built_ms == now_ms;
}

/* ---- every organization -------------------------------------------------------------- */

typedef struct activity_list {
    store_lm_activity *items;
    size_t n, cap;
    int nomem;
} activity_list;

static void collect(const store_lm_activity *a, void *ctx)
{
    activity_list *l = ctx;
    store_lm_activity *p = ra_array_reserve(l->items, l->n, &l->cap, sizeof *p, 16);
    if (p == NULL) {
        l->nomem = 1;
        return;
    }
    l->items = p;
    l->items[l->n++] = *a;
}

static int is_stopping(lm_refresher *r)
{
    pthread_mutex_lock(&r->lock);
    int stop = r->stopping;
    pthread_mutex_unlock(&r->lock);
    return stop;
}

int lm_refresher_run(lm_refresher *r, int64_t now_ms, int *built)
{
    activity_list l = {0};
    int rc = store_lm_activity_each(r->cfg.store, collect, &l);
    if (rc == RA_OK && l.nomem)
        rc = RA_ERR_NOMEM;
    int n = 0;
    for (size_t i = 0; rc == RA_OK && i < l.n && !is_stopping(r); i++)
        n += refresh_org(r, &l.items[i], now_ms);
    free(l.items);
    if (rc != RA_OK)
        log_warn("lm: cannot list the organizations' material: %s", ra_strerror(rc));
    if (built != NULL)
        *built = n;
    return rc;
}

/* ---- the thread ---------------------------------------------------------------------- */

int lm_refresher_new(const lm_refresh_config *cfg, lm_refresher **out, char *err, size_t errlen)
{
    lm_refresher *r = calloc(1, sizeof *r);
    if (r == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    r->cfg = *cfg;
    int rc = RA_OK;
    if (cfg->data_dir != NULL && (r->owned_data_dir = strdup(cfg->data_dir)) == NULL)
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    r->cfg.data_dir = r->owned_data_dir;
    if (rc == RA_OK)
        rc = lm_base_corpus(&r->cfg, &r->base, &r->fingerprint, err, errlen);
    if (rc != RA_OK) {
        free(r->owned_data_dir);
        free(r);
        return rc;
    }
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    *out = r;
    return RA_OK;
}

/* Waits up to ms or until stopping. */
static void wait_ms(lm_refresher *r, int64_t ms)
{
    struct timespec until = time_deadline_ms(ms);
    pthread_mutex_lock(&r->lock);
    if (!r->stopping)
        pthread_cond_timedwait(&r->wake, &r->lock, &until);
    pthread_mutex_unlock(&r->lock);
}

static void *refresher_main(void *arg)
{
    lm_refresher *r = arg;
    while (!is_stopping(r)) {
        lm_refresher_run(r, time_now_ms(), NULL);
        wait_ms(r, r->cfg.poll_ms > 0 ? r->cfg.poll_ms : LM_REFRESH_DEFAULT_POLL_S * 1000);
    }
    return NULL;
}

int lm_refresher_start(lm_refresher *r)
{
    if (pthread_create(&r->thread, NULL, refresher_main, r) != 0)
        return RA_ERR_IO;
    r->started = 1;
    log_info("lm: organization speech models: rebuilt after %d new reports or template "
             "changes, at most every %lld min",
             r->cfg.min_new, (long long)(r->cfg.min_interval_ms / 60000));
    return RA_OK;
}

void lm_refresher_free(lm_refresher *r)
{
    if (r == NULL)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = 1;
    pthread_cond_broadcast(&r->wake);
    pthread_mutex_unlock(&r->lock);
    if (r->started)
        pthread_join(r->thread, NULL);
    asr_corpus_free(r->base);
    free(r->owned_data_dir);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

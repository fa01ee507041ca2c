/* lm_refresh.h - speech models of each organization's own: the radiology
 * language model and dictionary of the local (English) speech engine,
 * rebuilt per organization from what it writes, and chosen by the workers
 * for that organization's jobs.
 *
 * An organization's model is estimated from
 *   - the shared base corpus: the shipped dictation phrases
 *     (data/asr/radiology-en.txt) and the English templates of the library,
 *     exactly what the shared model of `raportai serve` is built from;
 *   - the section texts of its English saved reports at their latest
 *     revision (the most recent LM_REFRESH_MAX_REPORTS), each report one
 *     dictation in spoken order ("clinical information colon ... findings
 *     colon ..."), normalised to spoken form (asr_normalize);
 *   - its members' own English templates.
 * Patient names and ids, accession numbers and exam names never enter the
 * corpus: only section texts and template bodies are read (store.h, "speech
 * model material"). What a radiologist typed INTO a section (a name in the
 * findings, say) does enter it, as a word of the model; the model therefore
 * stays in the organization's own folder on the hospital's machine, is used
 * only for that organization's jobs, and is never shared.
 *
 * Files, per organization (org_id is a UUID, checked before it becomes a
 * path), in DATA/asr/org/<org_id>/:
 *     radiology-en.lm    the ARPA trigram model
 *     radiology-en.dict  its pronunciation dictionary
 *     build.txt          what the last build was made from: counts and times,
 *                        no text (see lm_record)
 * A build writes radiology-en.{lm,dict}.new, then renames the dictionary and
 * then the LM over the old ones, so a reader never sees half a file and a
 * worker that sees a new LM also finds its dictionary.
 *
 * Rebuilds. A refresher thread looks every poll interval at how much
 * English material each organization gained since its last build (new
 * report revisions plus templates created, changed or deleted) and rebuilds
 * its model when that reaches min_new, at most once per min_interval per
 * organization (failed attempts count). A model built on another base corpus
 * (the library or the phrases changed since) is rebuilt once the interval
 * allows, even without new material.
 *
 * THREAD SAFETY: lm_refresh_start/stop from one thread; lm_org_select from
 * any worker with its own engine; everything else is reentrant. */
#ifndef RAPORTAI_JOBS_LM_REFRESH_H
#define RAPORTAI_JOBS_LM_REFRESH_H

#include <stddef.h>
#include <stdint.h>

#include "asr/asr.h"
#include "asr/model.h"
#include "store/store.h"
#include "templates/templates.h"

#define LM_REFRESH_DEFAULT_MIN_NEW 20 /* new revisions or template changes */
#define LM_REFRESH_DEFAULT_MINUTES 30 /* between two builds of one organization */
#define LM_REFRESH_DEFAULT_POLL_S 60
#define LM_REFRESH_MAX_REPORTS 5000      /* most recent reports in one build */
#define LM_REFRESH_MAX_BYTES (16u << 20) /* of report text in one build */

typedef struct lm_refresh_config {
    store *store;              /* borrowed */
    const char *data_dir;      /* models go to data_dir/asr/org/<org_id>/ */
    asr_model_sources sources; /* the base corpus and the build's material
                                  (asr/model.h); its pointers outlive the
                                  refresher */
    int min_new;               /* material that triggers a build; <= 0: never */
    int64_t min_interval_ms;   /* between two builds (or attempts) of one org */
    int64_t poll_ms;           /* how often the thread looks */
    int64_t max_reports;       /* 0: LM_REFRESH_MAX_REPORTS */
    size_t max_bytes;          /* 0: LM_REFRESH_MAX_BYTES */
} lm_refresh_config;

/* ---- files ---------------------------------------------------------------------- */

#define LM_PATH_MAX 4400

typedef struct lm_org_paths {
    char dir[LM_PATH_MAX];
    char lm[LM_PATH_MAX + 32], dict[LM_PATH_MAX + 32], record[LM_PATH_MAX + 32];
} lm_org_paths;

/* The file names of org_id's model under data_dir. RA_ERR_INVALID when
 * org_id is not a UUID (nothing written), RA_ERR_TOO_LARGE for a data_dir
 * too long. */
int lm_org_paths_get(const char *data_dir, const char *org_id, lm_org_paths *out);

/* build.txt: one "name value" a line. Counts and times only, no text. */
typedef struct lm_record {
    int64_t built_ms;                /* the last successful build; 0 never */
    int64_t attempt_ms;              /* the last build started, successful or not */
    char built_at[TIME_ISO_LEN];     /* when its material was read (ISO 8601) */
    int64_t revisions;               /* store_lm_activity.revisions it saw */
    int64_t templates;               /* store_lm_activity.templates it saw */
    char templates_at[TIME_ISO_LEN]; /* store_lm_activity.templates_at it saw */
    uint64_t base;                   /* fingerprint of its base corpus */
    int64_t reports;                 /* reports in the corpus */
    int64_t sentences, vocabulary;   /* of the model */
    double seconds;                  /* build time */
} lm_record;

/* Reads path into *out; a missing file gives RA_ERR_NOT_FOUND, a line it
 * does not know is skipped, a bad value is RA_ERR_FORMAT. */
int lm_record_read(const char *path, lm_record *out);
/* Writes r at path atomically (a temporary file renamed). RA_ERR_IO. */
int lm_record_write(const char *path, const lm_record *r);

/* ---- what a build is made of ---------------------------------------------------- */

/* The shared base corpus (phrase file when readable, then the library's
 * English templates) and its fingerprint (of its sentences and the
 * lexicon's bytes). RA_ERR_IO for an unreadable phrase file, RA_ERR_NOMEM. */
int lm_base_corpus(const lm_refresh_config *cfg, asr_corpus **out, uint64_t *fingerprint, char *err,
                   size_t errlen);

typedef struct lm_corpus_stats {
    int64_t reports;   /* reports whose text was added */
    int64_t templates; /* own templates added */
    int64_t skipped;   /* reports left out over max_bytes */
} lm_corpus_stats;

/* The corpus of org_id's model: base's sentences, then its English reports'
 * section texts, then its own English templates (see the top). stats may be
 * NULL. RA_ERR_DB and the like from the store, RA_ERR_NOMEM. */
int lm_org_corpus(const lm_refresh_config *cfg, const asr_corpus *base, const char *org_id,
                  asr_corpus **out, lm_corpus_stats *stats);

/* ---- when to build ------------------------------------------------------------- */

/* The material org gained since the build of `last`: report revisions saved
 * since, plus templates_changed (created or changed since, from
 * store_lm_templates_changed) and templates deleted since. */
int64_t lm_new_material(const lm_record *last, const store_lm_activity *now,
                        int64_t templates_changed);
/* 1 when an organization whose last build is `last` (zeroed: none) should
 * be built at now_ms, having gained new_material since, the base corpus
 * now being `base`; 0 otherwise. */
int lm_build_due(const lm_refresh_config *cfg, const lm_record *last, int64_t new_material,
                 uint64_t base, int64_t now_ms);

/* ---- the refresher -------------------------------------------------------------- */

typedef struct lm_refresher lm_refresher;

/* Makes a refresher (reads the base corpus; no thread yet). cfg and its
 * strings are copied; store and templates must outlive the refresher. */
int lm_refresher_new(const lm_refresh_config *cfg, lm_refresher **out, char *err, size_t errlen);
/* One look at every organization, building those due at now_ms; *built
 * (may be NULL) counts the models built. Failures of one organization are
 * logged and leave the others be; RA_OK unless the store cannot list them. */
int lm_refresher_run(lm_refresher *r, int64_t now_ms, int *built);
/* Runs lm_refresher_run at once and then every cfg->poll_ms on a thread of
 * its own, until lm_refresher_free. RA_ERR_IO when the thread cannot start. */
int lm_refresher_start(lm_refresher *r);
/* Stops the thread (a build in progress finishes first) and frees r; NULL
 * is ignored. */
void lm_refresher_free(lm_refresher *r);

/* ---- choosing the model of a job ------------------------------------------------ */

/* Makes the local engine e decode the next job of organization org_id
 * (job_id for the log) with that organization's model when it has one
 * under data_dir, else with the engine's own (shared) model; never another
 * organization's. A model that cannot be loaded is logged and the shared
 * one used. Says which at debug level. Another engine is left alone.
 * Returns 1 when the organization's own model was selected, else 0. */
int lm_org_select(asr_engine *e, const char *data_dir, const char *org_id, const char *job_id);

#endif

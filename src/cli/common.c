/* common.c - what the subcommands share: locating the shipped files,
 * opening the data directory, building the speech model. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"

void cli_share_dir(const char *value, char *out, size_t n)
{
    if (value != NULL && *value != '\0') {
        snprintf(out, n, "%s", value);
        return;
    }
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        snprintf(out, n, ".");
        return;
    }
    exe[len] = '\0';
    /* build/raportai -> build -> the project folder */
    char *dir = dirname(exe);
    snprintf(out, n, "%s/..", dir);
}

static int seed_catalog(store *s, const char *share_dir)
{
    int64_t count = 0;
    int rc = store_sut_count(s, &count);
    if (rc != RA_OK || count > 0)
        return rc;
    store_sut_row *rows = NULL;
    size_t n = 0;
    char err[512] = "";
    rc = catalog_load_known(share_dir, &rows, &n, err, sizeof err);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai: cannot load the shipped SUT codes: %s\n", err);
        return rc;
    }
    rc = store_sut_replace(s, rows, n);
    free(rows);
    return rc;
}

int cli_open_store(const char *data_dir, const char *share_dir, store **out)
{
    store *s = NULL;
    int rc = store_open(data_dir, &s);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai: cannot open the data directory %s: %s\n", data_dir,
                ra_strerror(rc));
        return rc;
    }
    rc = seed_catalog(s, share_dir);
    if (rc != RA_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return RA_OK;
}

asr_background *cli_load_background(const char *model_dir)
{
    char path[4200], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", model_dir ? model_dir : ASR_DEFAULT_MODEL_DIR,
             ASR_BACKGROUND_FILE);
    asr_background *bg = NULL;
    if (asr_background_load(path, ASR_BACKGROUND_WORDS, ASR_BACKGROUND_MASS, &bg, err,
                            sizeof err) != RA_OK)
        log_warn("speech model: %s: everyday words outside the radiology corpus will not be "
                 "recognised",
                 err);
    return bg;
}

int cli_build_speech_model(const char *share_dir, const char *model_dir, const char *data_dir,
                           const tmpl_library *lib, const asr_background *bg, char *lm,
                           size_t lm_len, char *dict, size_t dict_len, asr_build_stats *stats,
                           char *err, size_t errlen)
{
    char phrases[4200], lexicon[4200], base[4200], asr_dir[4200];
    snprintf(phrases, sizeof phrases, "%s/%s", share_dir, ASR_DEFAULT_PHRASES);
    snprintf(lexicon, sizeof lexicon, "%s/%s", share_dir, ASR_DEFAULT_LEXICON);
    snprintf(base, sizeof base, "%s/cmudict-en-us.dict",
             model_dir ? model_dir : ASR_DEFAULT_MODEL_DIR);
    snprintf(asr_dir, sizeof asr_dir, "%s/asr", data_dir);
    if (mkdir(asr_dir, 0700) != 0 && errno != EEXIST)
        return ra_fail(err, errlen, RA_ERR_IO, "cannot create %s: %s", asr_dir, strerror(errno));
    snprintf(lm, lm_len, "%s/radiology-en.lm", asr_dir);
    snprintf(dict, dict_len, "%s/radiology-en.dict", asr_dir);
    asr_corpus *corpus = NULL;
    int missing = 0;
    int rc = asr_corpus_new(&corpus);
    if (rc == RA_OK)
        rc = asr_corpus_add_base(corpus, phrases, lib, &missing, err, errlen);
    if (rc == RA_OK && missing)
        log_warn("speech model: %s is missing: the model is built from the templates alone",
                 phrases);
    const char *lexicon_used = access(lexicon, R_OK) == 0 ? lexicon : NULL;
    if (lexicon_used == NULL)
        log_warn("speech model: %s is missing: abbreviations are pronounced by letter-to-sound",
                 lexicon);
    if (rc == RA_OK)
        rc = asr_domain_build(corpus, bg, base, lexicon_used, lm, dict, stats, err, errlen);
    asr_corpus_free(corpus);
    return rc;
}

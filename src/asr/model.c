/* model.c - the radiology models' sources and the shared model's build
 * (see model.h). */
#include "asr/model.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

/* Writes "dir/name" into out (len bytes); RA_ERR_TOO_LARGE when it does not fit. */
static int join_path(char *out, size_t len, const char *dir, const char *name, char *err,
                     size_t errlen)
{
    int n = snprintf(out, len, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < len
               ? RA_OK
               : ra_fail(err, errlen, RA_ERR_TOO_LARGE, "The path %s/%s is too long.", dir, name);
}

int asr_model_sources_shipped(const char *share_dir, const char *model_dir, const tmpl_library *lib,
                              const asr_background *bg, asr_model_sources *out, char *err,
                              size_t errlen)
{
    asr_model_sources s = {.templates = lib, .background = bg};
    int rc = join_path(s.phrases, sizeof s.phrases, share_dir, ASR_DEFAULT_PHRASES, err, errlen);
    if (rc == RA_OK)
        rc = join_path(s.lexicon, sizeof s.lexicon, share_dir, ASR_DEFAULT_LEXICON, err, errlen);
    if (rc == RA_OK)
        rc = join_path(s.base_dict, sizeof s.base_dict,
                       model_dir != NULL ? model_dir : ASR_DEFAULT_MODEL_DIR, "cmudict-en-us.dict",
                       err, errlen);
    if (rc != RA_OK)
        return rc;
    if (access(s.phrases, R_OK) != 0)
        log_warn("speech model: %s is missing: the model is built from the templates alone",
                 s.phrases);
    if (access(s.lexicon, R_OK) != 0) {
        log_warn("speech model: %s is missing: abbreviations are pronounced by letter-to-sound",
                 s.lexicon);
        s.lexicon[0] = '\0';
    }
    *out = s;
    return RA_OK;
}

int asr_model_base_corpus(const asr_model_sources *src, asr_corpus **out, char *err, size_t errlen)
{
    asr_corpus *c = NULL;
    int missing = 0;
    int rc = asr_corpus_new(&c);
    if (rc == RA_OK)
        rc = asr_corpus_add_base(c, src->phrases, src->templates, &missing, err, errlen);
    if (rc != RA_OK) {
        asr_corpus_free(c);
        return rc;
    }
    *out = c;
    return RA_OK;
}

int asr_model_build(const asr_model_sources *src, const asr_corpus *c, const char *lm_path,
                    const char *dict_path, asr_build_stats *stats, char *err, size_t errlen)
{
    return asr_domain_build(c, src->background, src->base_dict[0] ? src->base_dict : NULL,
                            src->lexicon[0] ? src->lexicon : NULL, lm_path, dict_path, stats, err,
                            errlen);
}

int asr_model_build_shared(const asr_model_sources *src, const char *data_dir,
                           asr_model_files *files, asr_build_stats *stats, char *err, size_t errlen)
{
    char asr_dir[ASR_MODEL_PATH_MAX];
    int rc = join_path(asr_dir, sizeof asr_dir, data_dir, "asr", err, errlen);
    if (rc != RA_OK)
        return rc;
    if (mkdir(asr_dir, 0700) != 0 && errno != EEXIST)
        return ra_fail(err, errlen, RA_ERR_IO, "cannot create %s: %s", asr_dir, strerror(errno));
    snprintf(files->lm, sizeof files->lm, "%s/radiology-en.lm", asr_dir);
    snprintf(files->dict, sizeof files->dict, "%s/radiology-en.dict", asr_dir);
    asr_corpus *corpus = NULL;
    rc = asr_model_base_corpus(src, &corpus, err, errlen);
    if (rc == RA_OK)
        rc = asr_model_build(src, corpus, files->lm, files->dict, stats, err, errlen);
    asr_corpus_free(corpus);
    return rc;
}

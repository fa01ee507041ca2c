/* model.h - where the radiology speech models come from and the shared
 * one's build: the shipped dictation phrases, our lexicon, the acoustic
 * model's cmudict, the template library's English templates and the
 * generic model's everyday words (asr_model_sources), read the same way
 * for the shared model that `serve` and `transcribe` build at start and
 * for each organization's model (jobs/lm_refresh.h), which adds that
 * organization's reports to the same base corpus.
 *
 * THREAD SAFETY: sources are read-only once filled; the builds write only
 * the files they are given. */
#ifndef RAPORTAI_ASR_MODEL_H
#define RAPORTAI_ASR_MODEL_H

#include <stddef.h>

#include "asr/asr.h"

#define ASR_MODEL_PATH_MAX 4200

/* The material of a radiology model. The paths are the struct's own; the
 * pointers are borrowed and must outlive every use. */
typedef struct asr_model_sources {
    char phrases[ASR_MODEL_PATH_MAX];   /* dictation phrases; an unreadable file is skipped */
    char lexicon[ASR_MODEL_PATH_MAX];   /* our pronunciations; "": letter-to-sound alone */
    char base_dict[ASR_MODEL_PATH_MAX]; /* cmudict; "": ASR_DEFAULT_BASE_DICT */
    const tmpl_library *templates;      /* English templates join the corpus; NULL: none */
    const asr_background *background;   /* everyday words; NULL: none */
} asr_model_sources;

/* The shipped sources: share_dir/ASR_DEFAULT_PHRASES, share_dir/
 * ASR_DEFAULT_LEXICON when it can be read (a warning is logged for either
 * missing), model_dir's cmudict-en-us.dict (model_dir NULL:
 * ASR_DEFAULT_MODEL_DIR), lib and bg. RA_ERR_TOO_LARGE for a path too long
 * (err says which). */
int asr_model_sources_shipped(const char *share_dir, const char *model_dir, const tmpl_library *lib,
                              const asr_background *bg, asr_model_sources *out, char *err,
                              size_t errlen);

/* The base corpus of src (asr_corpus_add_base: its phrases and English
 * templates), new in *out (free with asr_corpus_free). RA_ERR_NOMEM and the
 * errors of asr_corpus_add_base. */
int asr_model_base_corpus(const asr_model_sources *src, asr_corpus **out, char *err, size_t errlen);

/* Builds corpus c into the LM at lm_path and the dictionary at dict_path
 * with src's background, cmudict and lexicon (asr_domain_build). */
int asr_model_build(const asr_model_sources *src, const asr_corpus *c, const char *lm_path,
                    const char *dict_path, asr_build_stats *stats, char *err, size_t errlen);

/* The files of the shared radiology model. */
typedef struct asr_model_files {
    char lm[ASR_MODEL_PATH_MAX + 32];
    char dict[ASR_MODEL_PATH_MAX + 32];
} asr_model_files;

/* Builds the shared radiology model of src into data_dir/asr/radiology-en.lm
 * and .dict (data_dir/asr is created when missing; data_dir must exist),
 * their paths into *files; stats may be NULL. RA_ERR_IO when data_dir/asr
 * cannot be created, RA_ERR_TOO_LARGE for a data_dir too long, the errors
 * of asr_model_build; err says why. */
int asr_model_build_shared(const asr_model_sources *src, const char *data_dir,
                           asr_model_files *files, asr_build_stats *stats, char *err,
                           size_t errlen);

#endif

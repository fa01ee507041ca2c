/* test_model.c - unit tests of src/asr/model: the radiology models' sources
 * as shipped (the repository's phrases and lexicon; tests run from the
 * repository root) and the shared model's build into a data directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/tempdir.h"
#include "asr/model.h"
#include "core/err.h"

static char dir[TEMPDIR_LEN];

static void make_dir(void)
{
    tempdir_make(dir, "asr-model");
}

static void rm_dir(void)
{
    tempdir_remove(dir);
}

TestSuite(asr_model, .init = make_dir, .fini = rm_dir);

Test(asr_model, the_shipped_sources_and_a_missing_lexicon)
{
    asr_model_sources s;
    char err[256] = "";
    cr_assert_eq(asr_model_sources_shipped(".", "/models/en-us", NULL, NULL, &s, err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_str_eq(s.phrases, "./" ASR_DEFAULT_PHRASES);
    cr_assert_str_eq(s.lexicon, "./" ASR_DEFAULT_LEXICON);
    cr_assert_str_eq(s.base_dict, "/models/en-us/cmudict-en-us.dict");
    /* Elsewhere the lexicon is missing: letter-to-sound alone, not a path
     * that cannot be read. */
    cr_assert_eq(asr_model_sources_shipped(dir, NULL, NULL, NULL, &s, err, sizeof err), RA_OK);
    cr_assert_str_eq(s.lexicon, "");
    cr_assert_str_eq(s.base_dict, ASR_DEFAULT_MODEL_DIR "/cmudict-en-us.dict");
}

Test(asr_model, a_path_too_long_is_refused_by_name)
{
    char *long_dir = malloc(ASR_MODEL_PATH_MAX + 1);
    cr_assert_not_null(long_dir);
    memset(long_dir, 'a', ASR_MODEL_PATH_MAX);
    long_dir[ASR_MODEL_PATH_MAX] = '\0';
    asr_model_sources s;
    char err[256] = "";
    cr_assert_eq(asr_model_sources_shipped(long_dir, NULL, NULL, NULL, &s, err, sizeof err),
                 RA_ERR_TOO_LARGE);
    cr_assert_eq(strncmp(err, "The path ", 9), 0, "%s", err);
    free(long_dir);
}

Test(asr_model, the_shared_model_is_built_into_the_data_directory)
{
    asr_model_sources s;
    char err[256] = "";
    cr_assert_eq(asr_model_sources_shipped(".", NULL, NULL, NULL, &s, err, sizeof err), RA_OK);
    asr_model_files files;
    asr_build_stats stats;
    cr_assert_eq(asr_model_build_shared(&s, dir, &files, &stats, err, sizeof err), RA_OK, "%s",
                 err);
    char want[128];
    snprintf(want, sizeof want, "%s/asr/radiology-en.lm", dir);
    cr_assert_str_eq(files.lm, want);
    cr_assert_eq(access(files.lm, R_OK), 0);
    cr_assert_eq(access(files.dict, R_OK), 0);
    cr_assert_gt(stats.lm.sentences, 100, "the shipped phrases: %zu", stats.lm.sentences);
    /* No data directory: the asr folder cannot be made. */
    snprintf(want, sizeof want, "%s/missing", dir);
    cr_assert_eq(asr_model_build_shared(&s, want, &files, NULL, err, sizeof err), RA_ERR_IO);
}

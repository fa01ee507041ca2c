/* test_models.c - unit tests of asr_local_use_model (src/asr/local.c):
 * one local engine decoding with several models in turn, as a worker does
 * for organizations with models of their own. English dictation is
 * synthesised at test time with espeak-ng and sox. Models: the shared one
 * (the shipped phrases) and two "organization" models, each the shared
 * corpus plus sentences with a rare word the other lacks. Tests run from the
 * repository root. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/tempdir.h"
#include "../support/tts.h"
#include "asr/asr.h"
#include "core/err.h"

static char dir[TEMPDIR_LEN];
static char shared_lm[128], shared_dict[128], a_lm[128], a_dict[128], b_lm[128], b_dict[128];

/* The rare words: in neither the shipped phrases nor the other model. */
#define WORD_A "xanthogranulomatous"
#define WORD_B "angiomyolipoma"
#define SAY_A "there is " WORD_A " cholecystitis period"

static void rm_dir(void)
{
    tempdir_remove(dir);
}

static int16_t *speak(const char *text, size_t *n)
{
    return tts_speak(dir, text, 150, false, n);
}

/* The shipped phrases plus `extra` written five times, built into lm/dict. */
static void build(const char *extra, char *lm, char *dict, const char *name)
{
    snprintf(lm, 128, "%s/%s.arpa", dir, name);
    snprintf(dict, 128, "%s/%s.dict", dir, name);
    asr_corpus *c = NULL;
    char err[256] = "";
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_file(c, ASR_DEFAULT_PHRASES, err, sizeof err), RA_OK, "%s", err);
    for (int i = 0; extra != NULL && i < 5; i++)
        cr_assert_eq(asr_corpus_add_text(c, extra, "txt"), RA_OK);
    cr_assert_eq(
        asr_domain_build(c, NULL, NULL, ASR_DEFAULT_LEXICON, lm, dict, NULL, err, sizeof err),
        RA_OK, "%s", err);
    asr_corpus_free(c);
}

static void setup(void)
{
    tempdir_make(dir, "asr-models");
    build(NULL, shared_lm, shared_dict, "shared");
    build("There is " WORD_A " cholecystitis.\nFindings: " WORD_A " change of the gallbladder.",
          a_lm, a_dict, "a");
    build("There is a renal " WORD_B ".\nImpression: " WORD_B " of the left kidney.", b_lm, b_dict,
          "b");
}

TestSuite(asr_models, .init = setup, .fini = rm_dir, .timeout = 120);

static asr_engine *shared_engine(void)
{
    asr_local_config cfg = {.lm_path = shared_lm, .dict_path = shared_dict};
    asr_engine *e = NULL;
    char err[256] = "";
    cr_assert_eq(asr_local_new(&cfg, &e, err, sizeof err), RA_OK, "%s", err);
    return e;
}

static void use(asr_engine *e, const char *lm, const char *dict)
{
    char err[512] = "";
    cr_assert_eq(asr_local_use_model(e, lm, dict, err, sizeof err), RA_OK, "%s", err);
}

static char *transcribe(asr_engine *e, const int16_t *pcm, size_t n)
{
    char *text = NULL, err[256] = "";
    cr_assert_eq(e->transcribe(e, pcm, n, "en", &text, err, sizeof err), RA_OK, "%s", err);
    return text;
}

/* True when the file at path has a line starting with word and a space or
 * tab (a dictionary entry). */
static int file_has_entry(const char *path, const char *word)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp);
    char line[1024];
    int found = 0;
    size_t n = strlen(word);
    while (!found && fgets(line, sizeof line, fp) != NULL)
        found = strncmp(line, word, n) == 0 && (line[n] == ' ' || line[n] == '\t');
    fclose(fp);
    return found;
}

Test(asr_models, the_models_differ_as_built)
{
    cr_assert(!file_has_entry(shared_dict, WORD_A));
    cr_assert(!file_has_entry(shared_dict, WORD_B));
    cr_assert(file_has_entry(a_dict, WORD_A));
    cr_assert(!file_has_entry(a_dict, WORD_B));
    cr_assert(file_has_entry(b_dict, WORD_B));
    cr_assert(!file_has_entry(b_dict, WORD_A));
}

Test(asr_models, a_model_recognises_its_words_and_only_while_selected)
{
    size_t n;
    int16_t *pcm = speak(SAY_A, &n);
    asr_engine *e = shared_engine();
    char *before = transcribe(e, pcm, n);
    cr_assert(!tts_has_word(before, WORD_A), "the shared model cannot know it: %s", before);
    use(e, a_lm, a_dict);
    char *with_a = transcribe(e, pcm, n);
    cr_assert(tts_has_word(with_a, WORD_A), "model A missed its word: %s", with_a);
    use(e, b_lm, b_dict);
    char *with_b = transcribe(e, pcm, n);
    cr_assert(!tts_has_word(with_b, WORD_A), "model B heard A's word: %s", with_b);
    use(e, NULL, NULL);
    char *after = transcribe(e, pcm, n);
    cr_assert_str_eq(after, before, "back on its own model the engine hears as before");
    use(e, a_lm, a_dict);
    char *again = transcribe(e, pcm, n);
    cr_assert_str_eq(again, with_a, "a cached model decodes as when first loaded");
    cr_assert_eq(asr_local_models_loaded(e), 2);
    free(before);
    free(with_a);
    free(with_b);
    free(after);
    free(again);
    e->free(e);
    free(pcm);
}

Test(asr_models, switching_matches_a_fresh_engine)
{
    size_t n;
    int16_t *pcm = speak("findings colon there is a small left pleural effusion period", &n);
    asr_engine *fresh = shared_engine();
    char *expected = transcribe(fresh, pcm, n);
    fresh->free(fresh);
    asr_local_config cfg = {.lm_path = b_lm, .dict_path = b_dict};
    asr_engine *b_only = NULL;
    char err[256] = "";
    cr_assert_eq(asr_local_new(&cfg, &b_only, err, sizeof err), RA_OK, "%s", err);
    char *expected_b = transcribe(b_only, pcm, n);
    b_only->free(b_only);

    asr_engine *e = shared_engine();
    use(e, a_lm, a_dict);
    free(transcribe(e, pcm, n));
    use(e, b_lm, b_dict);
    char *got_b = transcribe(e, pcm, n);
    cr_assert_str_eq(got_b, expected_b, "B through switching equals an engine made with B");
    use(e, NULL, NULL);
    char *got = transcribe(e, pcm, n);
    cr_assert_str_eq(got, expected);
    free(expected);
    free(expected_b);
    free(got_b);
    free(got);
    e->free(e);
    free(pcm);
}

/* Copies src to dst with cp. */
static void copy(const char *src, const char *dst)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, dst);
    cr_assert_eq(system(cmd), 0);
}

Test(asr_models, the_cache_is_bounded)
{
    asr_engine *e = shared_engine();
    for (int i = 0; i < ASR_LOCAL_MODELS_MAX + 2; i++) {
        char lm[160], dict[160];
        snprintf(lm, sizeof lm, "%s/copy%d.arpa", dir, i);
        snprintf(dict, sizeof dict, "%s/copy%d.dict", dir, i);
        copy(i % 2 ? a_lm : b_lm, lm);
        copy(i % 2 ? a_dict : b_dict, dict);
        use(e, lm, dict);
        int expected = i + 1 < ASR_LOCAL_MODELS_MAX ? i + 1 : ASR_LOCAL_MODELS_MAX;
        cr_assert_eq(asr_local_models_loaded(e), expected);
    }
    use(e, NULL, NULL);
    cr_assert_eq(asr_local_models_loaded(e), ASR_LOCAL_MODELS_MAX, "kept for the next job");
    e->free(e);
}

Test(asr_models, a_rebuilt_model_is_loaded_again)
{
    size_t n;
    int16_t *pcm = speak(SAY_A, &n);
    char lm[160], dict[160], tmp[170];
    snprintf(lm, sizeof lm, "%s/org.arpa", dir);
    snprintf(dict, sizeof dict, "%s/org.dict", dir);
    copy(b_lm, lm);
    copy(b_dict, dict);
    asr_engine *e = shared_engine();
    use(e, lm, dict);
    char *first = transcribe(e, pcm, n);
    cr_assert(!tts_has_word(first, WORD_A), "%s", first);
    /* The refresher's way: new files renamed over the old ones. */
    snprintf(tmp, sizeof tmp, "%s.new", dict);
    copy(a_dict, tmp);
    cr_assert_eq(rename(tmp, dict), 0);
    snprintf(tmp, sizeof tmp, "%s.new", lm);
    copy(a_lm, tmp);
    cr_assert_eq(rename(tmp, lm), 0);
    use(e, lm, dict);
    char *second = transcribe(e, pcm, n);
    cr_assert(tts_has_word(second, WORD_A), "the rebuilt model was not used: %s", second);
    cr_assert_eq(asr_local_models_loaded(e), 1, "the same slot, reloaded");
    free(first);
    free(second);
    e->free(e);
    free(pcm);
}

static int fake_supports(asr_engine *e, const char *lang)
{
    (void)e;
    (void)lang;
    return 1;
}

Test(asr_models, failures_fall_back_to_the_engines_own_model)
{
    size_t n;
    int16_t *pcm = speak(SAY_A, &n);
    asr_engine *e = shared_engine();
    char *own = transcribe(e, pcm, n);
    char err[512] = "", missing[160], bad[160];
    snprintf(missing, sizeof missing, "%s/missing.arpa", dir);
    snprintf(bad, sizeof bad, "%s/bad.arpa", dir);
    FILE *fp = fopen(bad, "w");
    cr_assert_not_null(fp);
    fputs("this is not an ARPA file\n", fp);
    fclose(fp);

    use(e, a_lm, a_dict);
    cr_assert_eq(asr_local_use_model(e, missing, a_dict, err, sizeof err), RA_ERR_NOT_FOUND);
    cr_assert(strstr(err, "missing") != NULL, "%s", err);
    char *text = transcribe(e, pcm, n);
    cr_assert_str_eq(text, own, "decoded with the engine's own model after the failure");
    free(text);

    use(e, a_lm, a_dict);
    err[0] = '\0';
    cr_assert_eq(asr_local_use_model(e, bad, a_dict, err, sizeof err), RA_ERR_IO);
    cr_assert(strstr(err, "could not load") != NULL, "%s", err);
    text = transcribe(e, pcm, n);
    cr_assert_str_eq(text, own);
    free(text);

    cr_assert_eq(asr_local_use_model(e, a_lm, NULL, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_local_use_model(e, NULL, a_dict, err, sizeof err), RA_ERR_INVALID);
    asr_engine other = {.name = "openai", .supports = fake_supports};
    cr_assert_eq(asr_local_use_model(&other, a_lm, a_dict, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_local_use_model(NULL, NULL, NULL, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_local_models_loaded(&other), 0);

    use(e, a_lm, a_dict);
    text = transcribe(e, pcm, n);
    cr_assert(tts_has_word(text, WORD_A), "a good model still loads after failures: %s", text);
    free(text);
    free(own);
    e->free(e);
    free(pcm);
}

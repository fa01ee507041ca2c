/* test_dict.c - unit tests of the pronunciation dictionary builder
 * (src/asr/dict.c) and espeak-ng letter-to-sound (src/asr/g2p.c): the
 * lexicon wins over cmudict ("ct" is S IY T IY, never "court"), cmudict
 * variants are all kept, letter-digit words are spelled, the rest comes
 * from espeak-ng, and no phone outside the acoustic model's set is ever
 * written. The model's phone set is read here from cmudict itself, not
 * taken from the code under test. Tests run from the repository root. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/err.h"

/* The phones cmudict-en-us uses: the acoustic model's phone set. */
static asr_strmap model_phones;

static void load_model_phones(void)
{
    FILE *fp = fopen(ASR_DEFAULT_BASE_DICT, "r");
    cr_assert_not_null(fp);
    asr_strmap_init(&model_phones);
    char line[1024];
    while (fgets(line, sizeof line, fp) != NULL) {
        char *save = NULL, *t = strtok_r(line, " \t\n", &save);
        size_t id;
        for (t = strtok_r(NULL, " \t\n", &save); t != NULL; t = strtok_r(NULL, " \t\n", &save))
            cr_assert_eq(asr_strmap_add(&model_phones, t, strlen(t), &id), RA_OK);
    }
    fclose(fp);
}

static void assert_model_phones(const char *phones, const char *what)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", phones);
    char *save = NULL;
    int n = 0;
    for (char *t = strtok_r(copy, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save), n++)
        cr_assert_geq(asr_strmap_find(&model_phones, t), 0, "%s: phone %s is not in the model",
                      what, t);
    cr_assert_gt(n, 0, "%s: no phones", what);
}

/* A written dictionary, read back: word (with "(n)") -> phones. */
typedef struct dict_file {
    asr_strmap words;
    char **phones;
} dict_file;

static void dict_load(dict_file *d, const char *path)
{
    asr_strmap_init(&d->words);
    d->phones = NULL;
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp);
    char line[1024];
    while (fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        cr_assert_not_null(sp, "line without phones: %s", line);
        size_t id, before = d->words.count;
        cr_assert_eq(asr_strmap_add(&d->words, line, (size_t)(sp - line), &id), RA_OK);
        cr_assert_eq(d->words.count, before + 1, "duplicate entry %s", line);
        d->phones = realloc(d->phones, d->words.count * sizeof *d->phones);
        d->phones[id] = strdup(sp + 1);
        assert_model_phones(sp + 1, line);
    }
    fclose(fp);
}

static const char *dict_get(const dict_file *d, const char *word)
{
    long id = asr_strmap_find(&d->words, word);
    return id >= 0 ? d->phones[id] : NULL;
}

static void dict_release(dict_file *d)
{
    for (size_t i = 0; i < d->words.count; i++)
        free(d->phones[i]);
    free(d->phones);
    asr_strmap_release(&d->words);
}

static char out_path[] = "/tmp/raportai-asr-dict-XXXXXX";

static void make_out(void)
{
    int fd = mkstemp(out_path);
    cr_assert_geq(fd, 0);
    close(fd);
}

/* ---- tests -------------------------------------------------------------- */

Test(asr_dict, sources_in_order, .init = load_model_phones)
{
    const char *words[] = {"ct",
                           "mr",
                           "mri",
                           "the",
                           "hyperintensities",
                           "cholelithiasis",
                           "hepatosplenomegaly",
                           "spondylolisthesis",
                           "t12",
                           "x7",
                           "b12",
                           "fibroadenomatous",
                           "zygapophyseal",
                           "the",
                           "",
                           "ct"};
    make_out();
    asr_dict_stats st;
    char err[256] = "";
    cr_assert_eq(asr_dict_build_stats(words, sizeof words / sizeof words[0], NULL,
                                      ASR_DEFAULT_LEXICON, out_path, &st, err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_eq(st.words, 13);
    cr_assert_eq(st.lexicon, 8); /* ct mr mri hyperintensities cholelithiasis ... t12 */
    cr_assert_eq(st.cmudict, 1); /* the */
    cr_assert_eq(st.spelled, 2); /* x7 b12 */
    cr_assert_eq(st.espeak, 2);  /* fibroadenomatous zygapophyseal */
    cr_assert_eq(st.missing, 0);
    dict_file d;
    dict_load(&d, out_path);
    unlink(out_path);
    cr_assert_str_eq(dict_get(&d, "ct"), "S IY T IY");
    cr_assert_null(dict_get(&d, "ct(2)"), "ct must not keep cmudict's \"court\"");
    cr_assert_str_eq(dict_get(&d, "mr"), "EH M AA R");
    cr_assert_null(dict_get(&d, "mr(2)"));
    cr_assert_str_eq(dict_get(&d, "mri"), "EH M AA R AY");
    cr_assert_str_eq(dict_get(&d, "the"), "DH AH");
    cr_assert_str_eq(dict_get(&d, "the(2)"), "DH IY");
    cr_assert_str_eq(dict_get(&d, "t12"), "T IY T W EH L V");
    cr_assert_str_eq(dict_get(&d, "x7"), "EH K S S EH V AH N");
    cr_assert_str_eq(dict_get(&d, "b12"), "B IY T W EH L V");
    const char *hard[] = {"hyperintensities",  "cholelithiasis",   "hepatosplenomegaly",
                          "spondylolisthesis", "fibroadenomatous", "zygapophyseal"};
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++)
        cr_assert_not_null(dict_get(&d, hard[i]), "%s has no pronunciation", hard[i]);
    cr_assert_eq(d.words.count, 14); /* 13 words and the(2) */
    dict_release(&d);
    asr_strmap_release(&model_phones);
}

Test(asr_dict, espeak_letter_to_sound, .init = load_model_phones)
{
    char *p = NULL;
    char err[256] = "";
    cr_assert_eq(asr_g2p("cholelithiasis", &p, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(p, "K OW L IH TH IH AA S IY Z");
    free(p);
    cr_assert_eq(asr_g2p("ct", &p, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(p, "S IY T IY", "espeak-ng spells ct out too");
    free(p);
    cr_assert_eq(asr_g2p("hyperintensities", &p, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(p, "HH AY P ER IH N T EH N S IH T IY Z", "ER then R written once");
    free(p);
    p = (char *)"unchanged";
    cr_assert_eq(asr_g2p("", &p, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_g2p("t1", &p, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_g2p("Upper", &p, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(p, "unchanged");
    asr_strmap_release(&model_phones);
}

Test(asr_dict, mapping_stays_in_the_phone_set, .init = load_model_phones, .timeout = 60)
{
    /* Every 97th cmudict word and the radiology vocabulary: whatever
     * espeak-ng says, the mapped phones are the model's. */
    FILE *fp = fopen(ASR_DEFAULT_BASE_DICT, "r");
    cr_assert_not_null(fp);
    char line[1024];
    size_t i = 0, tried = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, " (\t\n")] = '\0';
        if (i++ % 97 != 0 || strspn(line, "abcdefghijklmnopqrstuvwxyz'") != strlen(line))
            continue;
        char *p = NULL, err[256];
        cr_assert_eq(asr_g2p(line, &p, err, sizeof err), RA_OK, "%s: %s", line, err);
        assert_model_phones(p, line);
        free(p);
        tried++;
    }
    fclose(fp);
    cr_assert_gt(tried, 1000);
    for (size_t k = 0; k < ASR_NPHONES; k++)
        cr_assert_geq(asr_strmap_find(&model_phones, asr_phones[k]), 0);
    cr_assert_eq(model_phones.count, ASR_NPHONES, "cmudict uses exactly the 39 phones");
    cr_assert(asr_phone_valid("AA") && asr_phone_valid("ZH"));
    cr_assert(!asr_phone_valid("SIL") && !asr_phone_valid("aa") && !asr_phone_valid("AX") &&
              !asr_phone_valid(""));
    asr_strmap_release(&model_phones);
}

Test(asr_dict, shipped_lexicon_and_radiology_vocabulary, .init = load_model_phones, .timeout = 60)
{
    asr_corpus *c = NULL;
    char err[256] = "";
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_file(c, ASR_DEFAULT_PHRASES, err, sizeof err), RA_OK, "%s", err);
    char **w = NULL;
    size_t n = 0;
    cr_assert_eq(asr_lm_vocabulary(asr_corpus_sentences(c), asr_corpus_count(c), NULL, &w, &n),
                 RA_OK);
    make_out();
    asr_dict_stats st;
    cr_assert_eq(asr_dict_build_stats((const char *const *)w, n, NULL, ASR_DEFAULT_LEXICON,
                                      out_path, &st, err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_eq(st.words, n);
    cr_assert_eq(st.missing, 0);
    cr_assert_eq(st.lexicon + st.cmudict + st.spelled + st.espeak, n);
    cr_assert_gt(st.lexicon, 50);
    dict_file d;
    dict_load(&d, out_path); /* checks every phone */
    unlink(out_path);
    for (size_t i = 0; i < n; i++)
        cr_assert_not_null(dict_get(&d, w[i]), "%s missing", w[i]);
    dict_release(&d);
    asr_words_free(w, n);
    asr_corpus_free(c);
    asr_strmap_release(&model_phones);
}

Test(asr_dict, bad_inputs)
{
    char lex[] = "/tmp/raportai-asr-lex-XXXXXX";
    int fd = mkstemp(lex);
    cr_assert_geq(fd, 0);
    FILE *fp = fdopen(fd, "w");
    fputs("# comment\nct S IY T IY\n\nzz Z IY Z IY\nqq K Y UW Q\n", fp);
    fclose(fp);
    const char *words[] = {"ct"};
    char err[256] = "";
    make_out();
    cr_assert_eq(asr_dict_build(words, 1, NULL, lex, out_path, err, sizeof err), RA_ERR_FORMAT);
    cr_assert(strstr(err, "line 5") != NULL, "the bad line is named: %s", err);
    fp = fopen(lex, "w");
    fputs("ct\n", fp);
    fclose(fp);
    cr_assert_eq(asr_dict_build(words, 1, NULL, lex, out_path, err, sizeof err), RA_ERR_FORMAT);
    unlink(lex);
    cr_assert_eq(asr_dict_build(words, 1, "/nonexistent.dict", NULL, out_path, err, sizeof err),
                 RA_ERR_NOT_FOUND);
    cr_assert_eq(asr_dict_build(words, 1, NULL, NULL, "/nonexistent-dir/out.dict", err, sizeof err),
                 RA_ERR_IO);
    unlink(out_path);
}

/* test_lm.c - unit tests of the radiology language model estimator
 * (src/asr/lm.c): the ARPA file parses and is consistent, modified
 * Kneser-Ney values on a corpus small enough to work out by hand, every
 * history's distribution sums to one after backoff (on the shipped
 * radiology corpus too), failures leave nothing behind, and pocketsphinx
 * loads the result; the background of everyday words (src/asr/background.c)
 * read from the generic model and mixed into the unigrams. The ARPA reader
 * here is the test's own, independent of the writer. Tests run from the
 * repository root. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/tempdir.h"
#include "asr/asr.h"
#include "asr/internal.h"
#include "core/err.h"

/* ---- a small ARPA reader ------------------------------------------------ */

typedef struct arpa {
    asr_strmap grams;   /* "w1 w2 w3" -> index */
    double *logp;       /* per index */
    double *bow;        /* per index; 0 when absent */
    size_t declared[4]; /* "ngram k=" counts */
    size_t read[4];     /* entries read per order */
    asr_strmap vocab;   /* unigrams */
} arpa;

static void arpa_release(arpa *a)
{
    asr_strmap_release(&a->grams);
    asr_strmap_release(&a->vocab);
    free(a->logp);
    free(a->bow);
}

/* Adds one n-gram line ("logp w1 .. wk [bow]") of order k. */
static void arpa_entry(arpa *a, char *line, int k)
{
    char *save = NULL, *tok[6];
    int n = 0;
    for (char *t = strtok_r(line, " \t", &save); t != NULL && n < 6;
         t = strtok_r(NULL, " \t", &save))
        tok[n++] = t;
    cr_assert(n == k + 1 || n == k + 2, "order %d line with %d fields", k, n);
    char key[512] = "";
    for (int i = 1; i <= k; i++) {
        strncat(key, tok[i], sizeof key - strlen(key) - 2);
        if (i < k)
            strncat(key, " ", sizeof key - strlen(key) - 1);
    }
    size_t id, before = a->grams.count;
    cr_assert_eq(asr_strmap_add(&a->grams, key, strlen(key), &id), RA_OK);
    cr_assert_eq(a->grams.count, before + 1, "duplicate n-gram %s", key);
    a->logp = realloc(a->logp, a->grams.count * sizeof *a->logp);
    a->bow = realloc(a->bow, a->grams.count * sizeof *a->bow);
    char *end;
    a->logp[id] = strtod(tok[0], &end);
    cr_assert(*end == '\0' && a->logp[id] <= 0, "bad probability %s", tok[0]);
    a->bow[id] = n == k + 2 ? strtod(tok[k + 1], &end) : 0.0;
    cr_assert(*end == '\0', "bad backoff %s", tok[k + 1]);
    if (k == 1)
        cr_assert_eq(asr_strmap_add(&a->vocab, tok[1], strlen(tok[1]), &id), RA_OK);
    a->read[k]++;
}

static void arpa_load(arpa *a, const char *path)
{
    memset(a, 0, sizeof *a);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "cannot open %s", path);
    char line[1024];
    int section = -1, ended = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        int k;
        size_t count;
        if (line[0] == '\0' || line[0] == '#')
            continue;
        cr_assert(!ended, "text after \\end\\");
        if (strcmp(line, "\\data\\") == 0)
            section = 0;
        else if (strcmp(line, "\\end\\") == 0)
            ended = 1;
        else if (line[0] == '\\' && line[2] == '-' && (k = line[1] - '0') >= 1 && k <= 3)
            section = k;
        else if (section == 0 && strncmp(line, "ngram ", 6) == 0) {
            k = line[6] - '0';
            count = strtoul(line + 8, NULL, 10);
            cr_assert(k >= 1 && k <= 3 && line[7] == '=');
            a->declared[k] = count;
        } else {
            cr_assert(section >= 1, "unexpected line %s", line);
            arpa_entry(a, line, section);
        }
    }
    fclose(fp);
    cr_assert(ended, "no \\end\\");
    for (int k = 1; k <= 3; k++)
        cr_assert_eq(a->read[k], a->declared[k], "order %d: %zu read, %zu declared", k, a->read[k],
                     a->declared[k]);
}

static long arpa_find(const arpa *a, const char *key)
{
    return asr_strmap_find(&a->grams, key);
}

/* log10 p(w | h) by the ARPA backoff rule; h is "" or "u" or "u v". */
static double arpa_logp(const arpa *a, const char *h, const char *w)
{
    char key[512];
    snprintf(key, sizeof key, "%s%s%s", h, *h ? " " : "", w);
    long id = arpa_find(a, key);
    if (id >= 0)
        return a->logp[id];
    cr_assert(*h != '\0', "unigram %s missing", w);
    long hid = arpa_find(a, h);
    double bow = hid >= 0 ? a->bow[hid] : 0.0;
    const char *sp = strchr(h, ' ');
    return bow + arpa_logp(a, sp != NULL ? sp + 1 : "", w);
}

/* Sum over the vocabulary (without <s>) of p(w | h). */
static double arpa_sum(const arpa *a, const char *h)
{
    double sum = 0;
    for (size_t i = 0; i < a->vocab.count; i++)
        if (strcmp(a->vocab.keys[i], "<s>") != 0)
            sum += pow(10.0, arpa_logp(a, h, a->vocab.keys[i]));
    return sum;
}

/* Checks that every history in the file (each n-gram of order 1 and 2 but
 * </s>) has a distribution summing to one, and that the prefix and suffix of
 * every n-gram exist (the ARPA backoff invariant). */
static void arpa_check_sums(const arpa *a, size_t stride)
{
    size_t histories = 0;
    for (size_t i = 0; i < a->grams.count; i += 1) {
        const char *g = a->grams.keys[i];
        const char *sp = strchr(g, ' ');
        if (sp != NULL) {
            char prefix[512];
            snprintf(prefix, sizeof prefix, "%.*s", (int)(strrchr(g, ' ') - g), g);
            cr_assert_geq(arpa_find(a, prefix), 0, "prefix of %s missing", g);
            cr_assert_geq(arpa_find(a, sp + 1), 0, "suffix of %s missing", g);
        }
        int order = 1 + (sp != NULL) + (sp != NULL && strchr(sp + 1, ' ') != NULL);
        const char *last = strrchr(g, ' ') != NULL ? strrchr(g, ' ') + 1 : g;
        if (order == 3 || strcmp(last, "</s>") == 0 || i % stride != 0)
            continue;
        double s = arpa_sum(a, g);
        cr_assert(fabs(s - 1.0) < 1e-4, "p(. | %s) sums to %.6f", g, s);
        histories++;
    }
    cr_assert_gt(histories, 0);
    double s0 = arpa_sum(a, "");
    cr_assert(fabs(s0 - 1.0) < 1e-4, "unigrams sum to %.6f", s0);
}

/* A fresh temporary directory per test (each test runs in its own
 * process); tmp_cleanup removes it and checks what was left in it. */
static char tmp_dir[TEMPDIR_LEN];

static char *tmp_path(const char *name)
{
    if (tmp_dir[0] == '\0')
        tempdir_make(tmp_dir, "asr-lm");
    size_t n = strlen(tmp_dir) + strlen(name) + 2;
    char *p = malloc(n);
    cr_assert_not_null(p);
    snprintf(p, n, "%s/%s", tmp_dir, name);
    return p;
}

static void tmp_cleanup(size_t expected_files)
{
    DIR *d = opendir(tmp_dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        snprintf(path, sizeof path, "%s/%s", tmp_dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(tmp_dir);
    cr_assert_eq(n, expected_files, "%zu files in the directory, %zu expected", n, expected_files);
}

static double logp_of(const arpa *a, const char *key)
{
    long id = arpa_find(a, key);
    cr_assert_geq(id, 0, "%s missing", key);
    return a->logp[id];
}

static double bow_of(const arpa *a, const char *key)
{
    long id = arpa_find(a, key);
    cr_assert_geq(id, 0, "%s missing", key);
    return a->bow[id];
}

/* ---- tests -------------------------------------------------------------- */

Test(asr_lm, kneser_ney_by_hand)
{
    /* <s> a b </s>, <s> a c </s>, <s> b c </s>.
     * Unigrams use continuation counts: a follows {<s>}, b {<s>, a}, c {a, b},
     * </s> {b, c}: 7 bigram types, so p(a) = 1/7 although a occurs most.
     * Bigram level: (<s> a) 2 and (<s> b) 1 keep raw counts; (a b) (a c)
     * (b </s>) (b c) 1 and (c </s>) 2 are continuation counts. Count-of-counts
     * n1 = 5, n2 = 2, n3 = 0: Y = 5/9, D1 = 1 - 2Y n2/n1 = 5/9, and with no
     * n3 the code uses D2 = D1 + 0.5, D3 = D2 + 0.5.
     * History <s>: total 3, gamma = (D2 + D1)/3 = 0.537037;
     *   p(a|<s>) = (2 - D2)/3 + gamma/7 = 0.391534,
     *   p(b|<s>) = (1 - D1)/3 + 2 gamma/7 = 0.301587.
     * History a: total 2, gamma = 2 D1/2 = 5/9; p(b|a) = (1 - D1)/2 + 5/9 * 2/7
     *   = 0.380952.
     * Trigrams all occur once: n2 = 0, so D = 0.5, 1, 1.5. History (<s> a):
     *   total 2, gamma = 0.5; p(b|<s> a) = 0.5/2 + 0.5 p(b|a) = 0.440476. */
    const char *s[] = {"a b", "a c", "b c", "", "  ..."};
    char *path = tmp_path("tiny.arpa");
    asr_lm_stats st;
    char err[256] = "";
    cr_assert_eq(asr_lm_build_stats(s, 5, NULL, path, &st, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(st.sentences, 3);
    cr_assert_eq(st.tokens, 6);
    cr_assert_eq(st.vocabulary, 3);
    cr_assert_eq(st.ngrams[0], 5);
    cr_assert_eq(st.ngrams[1], 7);
    cr_assert_eq(st.ngrams[2], 6);
    cr_assert_float_eq(st.discount[1][0], 5.0 / 9, 1e-9);
    cr_assert_float_eq(st.discount[2][0], 0.5, 1e-9);
    arpa a;
    arpa_load(&a, path);
    cr_assert_float_eq(logp_of(&a, "<s>"), -99.0, 1e-9);
    cr_assert_float_eq(logp_of(&a, "a"), log10(1.0 / 7), 1e-6);
    cr_assert_float_eq(logp_of(&a, "b"), log10(2.0 / 7), 1e-6);
    cr_assert_float_eq(logp_of(&a, "</s>"), log10(2.0 / 7), 1e-6);
    cr_assert_float_eq(bow_of(&a, "<s>"), log10(0.537037), 1e-5);
    cr_assert_float_eq(logp_of(&a, "<s> a"), log10(0.391534), 1e-5);
    cr_assert_float_eq(logp_of(&a, "<s> b"), log10(0.301587), 1e-5);
    cr_assert_float_eq(logp_of(&a, "a b"), log10(0.380952), 1e-5);
    cr_assert_float_eq(bow_of(&a, "<s> a"), log10(0.5), 1e-6);
    cr_assert_float_eq(logp_of(&a, "<s> a b"), log10(0.440476), 1e-5);
    /* "a b c" never occurs, so p(c | a b) backs off: bow(a b) p(c | b). */
    cr_assert_float_eq(arpa_logp(&a, "a b", "c"), bow_of(&a, "a b") + arpa_logp(&a, "b", "c"),
                       1e-9);
    arpa_check_sums(&a, 1);
    arpa_release(&a);
    free(path);
    tmp_cleanup(1);
}

Test(asr_lm, written_text_is_normalised)
{
    const char *s[] = {"FINDINGS: 12 x 8 mm nodule.", "findings colon normal period"};
    char *path = tmp_path("norm.arpa");
    char err[256] = "";
    cr_assert_eq(asr_lm_build(s, 2, path, err, sizeof err), RA_OK, "%s", err);
    arpa a;
    arpa_load(&a, path);
    const char *words[] = {"findings",    "colon",  "twelve", "by",    "eight",
                           "millimeters", "nodule", "period", "normal"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        cr_assert_geq(asr_strmap_find(&a.vocab, words[i]), 0, "%s missing", words[i]);
    cr_assert_eq(a.vocab.count, 11); /* the nine words, <s> and </s> */
    cr_assert_geq(arpa_find(&a, "<s> findings colon"), 0);
    cr_assert_geq(arpa_find(&a, "nodule period </s>"), 0);
    arpa_check_sums(&a, 1);
    arpa_release(&a);
    free(path);
    tmp_cleanup(1);
}

Test(asr_lm, radiology_corpus_normalises, .timeout = 60)
{
    asr_corpus *c = NULL;
    char err[256] = "";
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_file(c, ASR_DEFAULT_PHRASES, err, sizeof err), RA_OK, "%s", err);
    char *path = tmp_path("radiology.arpa");
    asr_lm_stats st;
    cr_assert_eq(asr_lm_build_stats(asr_corpus_sentences(c), asr_corpus_count(c), NULL, path, &st,
                                    err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_geq(st.vocabulary, 800);
    for (int k = 1; k < 3; k++)
        for (int j = 0; j < 3; j++)
            cr_assert(st.discount[k][j] > 0 && st.discount[k][j] < j + 1,
                      "discount D%d of order %d is %f", j + 1, k + 1, st.discount[k][j]);
    arpa a;
    arpa_load(&a, path);
    cr_assert_eq(a.declared[1], st.ngrams[0]);
    cr_assert_eq(a.declared[2], st.ngrams[1]);
    cr_assert_eq(a.declared[3], st.ngrams[2]);
    arpa_check_sums(&a, 13); /* every 13th history keeps the test fast */
    arpa_release(&a);
    asr_corpus_free(c);
    free(path);
    tmp_cleanup(1);
}

Test(asr_lm, failures_leave_nothing)
{
    const char *empty[] = {"", " . , "};
    char *path = tmp_path("empty.arpa");
    char err[256] = "";
    cr_assert_eq(asr_lm_build(empty, 2, path, err, sizeof err), RA_ERR_INVALID);
    cr_assert_neq(err[0], '\0');
    cr_assert_eq(asr_lm_build(NULL, 0, path, NULL, 0), RA_ERR_INVALID);
    const char *one[] = {"normal"};
    cr_assert_eq(asr_lm_build(one, 1, "/nonexistent-dir/x.arpa", err, sizeof err), RA_ERR_IO);
    cr_assert(strstr(err, "/nonexistent-dir/x.arpa") != NULL, "%s", err);
    free(path);
    tmp_cleanup(0);
}

Test(asr_lm, vocabulary_sorted_unique)
{
    const char *s[] = {"b a", "A c.", "", "b"};
    char **w = NULL;
    size_t n = 0;
    cr_assert_eq(asr_lm_vocabulary(s, 4, NULL, &w, &n), RA_OK);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(w[0], "a");
    cr_assert_str_eq(w[1], "b");
    cr_assert_str_eq(w[2], "c");
    cr_assert_str_eq(w[3], "period");
    asr_words_free(w, n);
    cr_assert_eq(asr_lm_vocabulary(s + 2, 1, NULL, &w, &n), RA_OK);
    cr_assert_eq(n, 0);
    asr_words_free(w, n);
}

Test(asr_lm, background_mixes_into_the_unigrams)
{
    /* The corpus of kneser_ney_by_hand (unigrams a 1/7, b 2/7, c 2/7,
     * </s> 2/7; bigram history a: gamma 5/9, D1 5/9) with a background of
     * "b" (0.25) and "zebra" (0.75) at mass 0.1:
     *   p(a) = 0.9/7, p(b) = 0.9 * 2/7 + 0.1 * 0.25, p(zebra) = 0.075,
     *   p(b|a) = (1 - D1)/2 + 5/9 p(b) = 0.222222 + 5/9 * 0.282143. */
    const char *s[] = {"a b", "a c", "b c", "", "  ..."};
    char *words[] = {"b", "zebra"};
    double probs[] = {0.25, 0.75};
    asr_background bg = {.words = words, .probs = probs, .n = 2, .mass = 0.1};
    char *path = tmp_path("mixed.arpa");
    asr_lm_stats st;
    char err[256] = "";
    cr_assert_eq(asr_lm_build_stats(s, 5, &bg, path, &st, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(st.vocabulary, 4);
    cr_assert_eq(st.background, 1, "only zebra is new");
    cr_assert_eq(st.ngrams[0], 6);
    cr_assert_eq(st.ngrams[1], 7, "the background adds no bigrams");
    arpa a;
    arpa_load(&a, path);
    cr_assert_float_eq(logp_of(&a, "a"), log10(0.9 / 7), 1e-6);
    cr_assert_float_eq(logp_of(&a, "b"), log10(0.9 * 2 / 7 + 0.025), 1e-6);
    cr_assert_float_eq(logp_of(&a, "zebra"), log10(0.075), 1e-6);
    cr_assert_float_eq(bow_of(&a, "zebra"), 0.0, 1e-12, "zebra is never a history");
    cr_assert_float_eq(logp_of(&a, "a b"), log10((1 - 5.0 / 9) / 2 + 5.0 / 9 * 0.282143), 1e-5);
    arpa_check_sums(&a, 1);
    arpa_release(&a);
    char **w = NULL;
    size_t n = 0;
    cr_assert_eq(asr_lm_vocabulary(s, 5, &bg, &w, &n), RA_OK);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(w[3], "zebra");
    asr_words_free(w, n);
    free(path);
    tmp_cleanup(1);
}

Test(asr_background, reads_the_generic_models_frequent_words, .timeout = 60)
{
    asr_background *bg = NULL;
    char err[256] = "";
    cr_assert_eq(asr_background_load(ASR_DEFAULT_MODEL_DIR "/" ASR_BACKGROUND_FILE, 300, 0.05, &bg,
                                     err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_eq(bg->n, 300);
    cr_assert_float_eq(bg->mass, 0.05, 1e-12);
    double sum = 0;
    int the = 0, rare = 0;
    for (size_t i = 0; i < bg->n; i++) {
        sum += bg->probs[i];
        cr_assert(i == 0 || bg->probs[i] <= bg->probs[i - 1], "not most frequent first at %zu", i);
        cr_assert_eq(strspn(bg->words[i], "abcdefghijklmnopqrstuvwxyz'"), strlen(bg->words[i]),
                     "%s is not a plain lower-case word", bg->words[i]);
        the |= strcmp(bg->words[i], "the") == 0;
        rare |= strcmp(bg->words[i], "zygomaticus") == 0;
    }
    cr_assert_float_eq(sum, 1.0, 1e-9);
    cr_assert(the, "\"the\" is among the most frequent English words");
    cr_assert(!rare, "a rare word is not");
    asr_background_free(bg);
    asr_background_free(NULL);
}

Test(asr_background, refuses_bad_settings_and_unreadable_models, .timeout = 60)
{
    const char *model = ASR_DEFAULT_MODEL_DIR "/" ASR_BACKGROUND_FILE;
    asr_background *bg = (asr_background *)1;
    char err[256] = "";
    cr_assert_eq(asr_background_load(model, 0, 0.05, &bg, err, sizeof err), RA_ERR_INVALID);
    cr_assert_null(bg);
    cr_assert(strstr(err, "mass between 0 and 1") != NULL, "%s", err);
    cr_assert_eq(asr_background_load(model, 10, 0.0, &bg, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_background_load(model, 10, 1.0, &bg, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_background_load(model, 10, NAN, &bg, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(asr_background_load("/nonexistent/en-us.lm.bin", 10, 0.05, &bg, err, sizeof err),
                 RA_ERR_IO);
    cr_assert_null(bg);
    cr_assert(strstr(err, "/nonexistent/en-us.lm.bin") != NULL, "%s", err);
    char *junk = tmp_path("junk.lm.bin");
    FILE *fp = fopen(junk, "w");
    cr_assert_not_null(fp);
    fputs("not a language model\n", fp);
    fclose(fp);
    cr_assert_eq(asr_background_load(junk, 10, 0.05, &bg, err, sizeof err), RA_ERR_IO);
    cr_assert_null(bg);
    free(junk);
    tmp_cleanup(1);
}

Test(asr_lm, pocketsphinx_loads_it, .timeout = 60)
{
    const char *s[] = {"findings colon no acute intracranial hemorrhage period",
                       "impression colon normal head ct period"};
    char *lm = tmp_path("small.arpa"), *dict = tmp_path("small.dict");
    char err[256] = "";
    char **w = NULL;
    size_t n = 0;
    cr_assert_eq(asr_lm_build(s, 2, lm, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(asr_lm_vocabulary(s, 2, NULL, &w, &n), RA_OK);
    cr_assert_eq(
        asr_dict_build((const char *const *)w, n, NULL, ASR_DEFAULT_LEXICON, dict, err, sizeof err),
        RA_OK, "%s", err);
    asr_words_free(w, n);
    asr_local_config cfg = {.lm_path = lm, .dict_path = dict};
    asr_engine *e = NULL;
    cr_assert_eq(asr_local_new(&cfg, &e, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(e->name, "local");
    e->free(e);
    free(lm);
    free(dict);
    tmp_cleanup(2);
}

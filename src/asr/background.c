/* background.c - the background vocabulary of the radiology language model:
 * the most frequent words of pocketsphinx's generic English model
 * (en-us.lm.bin) with their unigram probabilities. Mixed into the radiology
 * model's unigrams (lm.c), it lets the decoder recognise everyday words the
 * radiology corpus never used ("the patient fell from a ladder") instead of
 * forcing each onto the nearest radiology word. Owns the sphinxbase n-gram
 * calls (ngram_*, logmath_*). */
#include <math.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/err.h"

typedef struct bg_entry {
    const char *word; /* the generic model's string, valid while it is open */
    double prob;
} bg_entry;

static int cmp_prob_desc(const void *a, const void *b)
{
    const bg_entry *x = a, *y = b;
    if (x->prob != y->prob)
        return x->prob < y->prob ? 1 : -1;
    return strcmp(x->word, y->word); /* ties in a fixed order: builds are deterministic */
}

/* A word a radiologist could say as itself: lower-case letters, with
 * apostrophes inside ("patient's"); not <s>, </s>, <UNK> or "a." forms. */
static int bg_word_ok(const char *w)
{
    size_t n = strlen(w);
    if (n == 0 || n >= ASR_MAX_WORD || w[0] == '\'' || w[n - 1] == '\'')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '\''))
            return 0;
    return 1;
}

/* The generic model's unigrams that bg_word_ok accepts, into *out (an array
 * of *n entries, strings owned by lm). Word ids are 0 .. unigrams - 1. */
static int bg_unigrams(ngram_model_t *lm, logmath_t *lmath, bg_entry **out, size_t *n)
{
    uint32 const *counts = ngram_model_get_counts(lm);
    size_t count = counts != NULL ? counts[0] : 0;
    bg_entry *v = calloc(count > 0 ? count : 1, sizeof *v);
    if (v == NULL)
        return RA_ERR_NOMEM;
    size_t k = 0;
    for (size_t wid = 0; wid < count; wid++) {
        const char *w = ngram_word(lm, (int32)wid);
        int32 used = 0;
        if (w == NULL || !bg_word_ok(w))
            continue;
        v[k].word = w;
        v[k].prob = logmath_exp(lmath, ngram_ng_prob(lm, (int32)wid, NULL, 0, &used));
        k++;
    }
    *out = v;
    *n = k;
    return RA_OK;
}

static int bg_keep(asr_background *bg, const bg_entry *v, size_t n)
{
    bg->words = calloc(n > 0 ? n : 1, sizeof *bg->words);
    bg->probs = calloc(n > 0 ? n : 1, sizeof *bg->probs);
    if (bg->words == NULL || bg->probs == NULL)
        return RA_ERR_NOMEM;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].prob;
    for (size_t i = 0; i < n; i++) {
        bg->words[i] = strdup(v[i].word);
        if (bg->words[i] == NULL)
            return RA_ERR_NOMEM;
        bg->probs[i] = v[i].prob / total;
        bg->n++;
    }
    return RA_OK;
}

int asr_background_load(const char *generic_lm, size_t max_words, double mass, asr_background **out,
                        char *err, size_t errlen)
{
    *out = NULL;
    if (max_words == 0 || !(mass > 0 && mass < 1))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The background vocabulary needs at least one word and a mass "
                       "between 0 and 1.");
    asr_sphinx_quiet();
    logmath_t *lmath = logmath_init(1.0001, 0, 0);
    ngram_model_t *lm =
        lmath != NULL ? ngram_model_read(NULL, generic_lm, NGRAM_AUTO, lmath) : NULL;
    asr_background *bg = calloc(1, sizeof *bg);
    bg_entry *v = NULL;
    size_t n = 0;
    int rc = RA_OK;
    if (lmath == NULL || bg == NULL)
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    else if (lm == NULL)
        rc = ra_fail(err, errlen, RA_ERR_IO, "cannot read the generic language model %s",
                     generic_lm);
    if (rc == RA_OK && bg_unigrams(lm, lmath, &v, &n) != RA_OK)
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    if (rc == RA_OK && n == 0)
        rc = ra_fail(err, errlen, RA_ERR_FORMAT, "%s has no words to use", generic_lm);
    if (rc == RA_OK) {
        qsort(v, n, sizeof *v, cmp_prob_desc);
        bg->mass = mass;
        if (bg_keep(bg, v, n < max_words ? n : max_words) != RA_OK)
            rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    }
    free(v);
    if (lm != NULL)
        ngram_model_free(lm);
    if (lmath != NULL)
        logmath_free(lmath);
    if (rc != RA_OK) {
        asr_background_free(bg);
        return rc;
    }
    *out = bg;
    return RA_OK;
}

void asr_background_free(asr_background *bg)
{
    if (bg == NULL)
        return;
    if (bg->words != NULL)
        for (size_t i = 0; i < bg->n; i++)
            free(bg->words[i]);
    free(bg->words);
    free(bg->probs);
    free(bg);
}

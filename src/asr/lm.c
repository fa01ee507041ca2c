/* lm.c - the radiology language model: a trigram model estimated from
 * sentences with interpolated modified Kneser-Ney smoothing (Chen and
 * Goodman, 1998) and written as an ARPA file that pocketsphinx loads.
 *
 * The interpolated model is stored in backoff form: an n-gram's stored
 * probability already includes its interpolated lower-order share, and the
 * backoff weight of a history is its interpolation weight gamma, so that
 * for every history the probabilities of seen and unseen words sum to one.
 * Lower orders use continuation counts (how many distinct words precede an
 * n-gram), except n-grams starting with <s>, which nothing can precede and
 * which keep their raw counts.
 *
 * A background of everyday words (background.c) may receive a share of the
 * unigram probability; the higher orders interpolate with the mixed
 * unigrams, so every history still sums to one. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"

#define LM_BOS 0u /* <s> before sorting */
#define LM_EOS 1u /* </s> before sorting */
#define LM_NO_BOW (-1.0)

typedef struct lm_gram {
    uint32_t w[3];  /* word ids; unused positions 0 */
    uint32_t count; /* raw count, then the count this order's estimate uses */
    double prob;    /* interpolated probability */
    double bow;     /* backoff weight as a history, or LM_NO_BOW */
} lm_gram;

typedef struct lm_array {
    lm_gram *v;
    size_t n, cap;
} lm_array;

typedef struct lm_model {
    asr_strmap vocab;   /* word -> id while counting; <s> and </s> first */
    const char **names; /* id -> word after lm_renumber (strings of vocab) */
    lm_array uni, bi, tri;
    uint32_t bos, eos; /* ids of <s> and </s> after sorting */
    size_t tokens, sentences;
    size_t corpus_vocab;      /* vocab.count before the background's words joined */
    const asr_background *bg; /* borrowed; NULL: none */
    double *bg_prob;          /* per word id: its background probability */
    double d[3][3];           /* discounts per order: D1, D2, D3+ */
} lm_model;

static int lm_push(lm_array *a, uint32_t w0, uint32_t w1, uint32_t w2)
{
    lm_gram *v = ra_array_reserve(a->v, a->n, &a->cap, sizeof *v, 1024);
    if (v == NULL)
        return RA_ERR_NOMEM;
    a->v = v;
    lm_gram g = {{w0, w1, w2}, 1, 0.0, LM_NO_BOW};
    a->v[a->n++] = g;
    return RA_OK;
}

static void lm_free(lm_model *m)
{
    asr_strmap_release(&m->vocab);
    free(m->names);
    free(m->uni.v);
    free(m->bi.v);
    free(m->tri.v);
    free(m->bg_prob);
}

/* Adds the bigrams and trigrams of one normalised sentence. */
static int lm_add_sentence(lm_model *m, const char *s)
{
    uint32_t h1 = LM_BOS, h2 = LM_BOS; /* the previous word and the one before */
    int have_h2 = 0, rc = RA_OK;
    size_t words = 0;
    while (rc == RA_OK) {
        while (*s == ' ')
            s++;
        size_t len = strcspn(s, " ");
        size_t id = LM_EOS;
        if (len > 0)
            rc = asr_strmap_add(&m->vocab, s, len, &id);
        if (rc == RA_OK)
            rc = lm_push(&m->bi, h1, (uint32_t)id, 0);
        if (rc == RA_OK && have_h2)
            rc = lm_push(&m->tri, h2, h1, (uint32_t)id);
        if (len == 0 || rc != RA_OK)
            break;
        words++;
        h2 = h1;
        h1 = (uint32_t)id;
        have_h2 = 1;
        s += len;
    }
    if (rc == RA_OK && words == 0) {
        m->bi.n--; /* an empty sentence: drop its lone "<s> </s>" */
    } else if (rc == RA_OK) {
        m->tokens += words;
        m->sentences++;
    }
    return rc;
}

/* Adds the background's words to the vocabulary and records each word's
 * background probability by its (unsorted) id. */
static int lm_add_background(lm_model *m)
{
    const asr_background *bg = m->bg;
    int rc = RA_OK;
    size_t *ids = malloc((bg->n > 0 ? bg->n : 1) * sizeof *ids);
    if (ids == NULL)
        return RA_ERR_NOMEM;
    for (size_t i = 0; i < bg->n && rc == RA_OK; i++)
        rc = asr_strmap_add(&m->vocab, bg->words[i], strlen(bg->words[i]), &ids[i]);
    if (rc == RA_OK) {
        m->bg_prob = calloc(m->vocab.count, sizeof *m->bg_prob);
        rc = m->bg_prob != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    for (size_t i = 0; i < bg->n && rc == RA_OK; i++)
        m->bg_prob[ids[i]] += bg->probs[i];
    free(ids);
    return rc;
}

static int lm_collect(lm_model *m, const char *const *sentences, size_t n)
{
    size_t id;
    int rc = asr_strmap_add(&m->vocab, "<s>", 3, &id);
    if (rc == RA_OK)
        rc = asr_strmap_add(&m->vocab, "</s>", 4, &id);
    for (size_t i = 0; i < n && rc == RA_OK; i++) {
        char *spoken = NULL;
        rc = asr_normalize(sentences[i], &spoken);
        if (rc == RA_OK)
            rc = lm_add_sentence(m, spoken);
        free(spoken);
    }
    m->corpus_vocab = m->vocab.count;
    if (rc == RA_OK && m->bg != NULL && m->tokens > 0)
        rc = lm_add_background(m);
    return rc;
}

/* ---- sorting ------------------------------------------------------------ */

static int cmp_word_ids(const void *a, const void *b, void *vocab)
{
    char *const *keys = ((const asr_strmap *)vocab)->keys;
    return strcmp(keys[*(const uint32_t *)a], keys[*(const uint32_t *)b]);
}

static int cmp_gram(const void *a, const void *b)
{
    const lm_gram *x = a, *y = b;
    for (int k = 0; k < 3; k++)
        if (x->w[k] != y->w[k])
            return x->w[k] < y->w[k] ? -1 : 1;
    return 0;
}

/* Sorts a and merges equal n-grams, summing their counts. */
static void lm_sort_unique(lm_array *a)
{
    if (a->n == 0)
        return;
    qsort(a->v, a->n, sizeof *a->v, cmp_gram);
    size_t o = 0;
    for (size_t i = 1; i < a->n; i++) {
        if (cmp_gram(&a->v[o], &a->v[i]) == 0)
            a->v[o].count += a->v[i].count;
        else
            a->v[++o] = a->v[i];
    }
    a->n = o + 1;
}

/* Renumbers words in strcmp order (so the file comes out sorted), makes
 * the unigram list and the id -> word table. */
static int lm_renumber(lm_model *m)
{
    size_t nv = m->vocab.count;
    uint32_t *order = malloc(nv * sizeof *order), *rank = malloc(nv * sizeof *rank);
    int rc = (order != NULL && rank != NULL) ? RA_OK : RA_ERR_NOMEM;
    for (size_t i = 0; i < nv && rc == RA_OK; i++)
        order[i] = (uint32_t)i;
    if (rc == RA_OK) {
        qsort_r(order, nv, sizeof *order, cmp_word_ids, &m->vocab);
        for (size_t i = 0; i < nv; i++)
            rank[order[i]] = (uint32_t)i;
        lm_array *arrays[] = {&m->bi, &m->tri};
        for (int a = 0; a < 2; a++)
            for (size_t i = 0; i < arrays[a]->n; i++)
                for (int k = 0; k < 2 + a; k++)
                    arrays[a]->v[i].w[k] = rank[arrays[a]->v[i].w[k]];
        m->bos = rank[LM_BOS];
        m->eos = rank[LM_EOS];
    }
    for (size_t i = 0; i < nv && rc == RA_OK; i++) {
        rc = lm_push(&m->uni, (uint32_t)i, 0, 0);
        if (rc == RA_OK)
            m->uni.v[i].count = 0;
    }
    if (rc == RA_OK) {
        m->names = malloc(nv * sizeof *m->names);
        rc = m->names != NULL ? RA_OK : RA_ERR_NOMEM;
        for (size_t i = 0; i < nv && rc == RA_OK; i++)
            m->names[i] = m->vocab.keys[order[i]];
    }
    if (rc == RA_OK && m->bg_prob != NULL) {
        double *by_rank = malloc(nv * sizeof *by_rank);
        rc = by_rank != NULL ? RA_OK : RA_ERR_NOMEM;
        for (size_t i = 0; i < nv && rc == RA_OK; i++)
            by_rank[i] = m->bg_prob[order[i]];
        if (rc == RA_OK) {
            free(m->bg_prob);
            m->bg_prob = by_rank;
        }
    }
    free(order);
    free(rank);
    return rc;
}

/* The entry of a whose first `order` words are w, or NULL. */
static lm_gram *lm_find(const lm_array *a, const uint32_t *w, int order)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = 0;
        for (int k = 0; k < order && c == 0; k++)
            c = a->v[mid].w[k] < w[k] ? -1 : a->v[mid].w[k] > w[k] ? 1 : 0;
        if (c == 0)
            return &a->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- estimation --------------------------------------------------------- */

/* Replaces the raw counts of bigrams not starting with <s> by continuation
 * counts (distinct preceding words, from the trigrams), and sets unigram
 * counts to the number of distinct words preceding each word. */
static void lm_continuation_counts(lm_model *m)
{
    for (size_t i = 0; i < m->bi.n; i++)
        if (m->bi.v[i].w[0] != m->bos)
            m->bi.v[i].count = 0;
    for (size_t i = 0; i < m->tri.n; i++) {
        lm_gram *b = lm_find(&m->bi, &m->tri.v[i].w[1], 2);
        if (b != NULL && b->w[0] != m->bos)
            b->count++;
    }
    for (size_t i = 0; i < m->bi.n; i++)
        m->uni.v[m->bi.v[i].w[1]].count++;
}

/* Modified Kneser-Ney discounts from the count-of-counts of a, clamped so
 * that every seen n-gram keeps some probability; defaults when the corpus is
 * too small to estimate them. */
static void lm_discounts(const lm_array *a, double d[3])
{
    double n[5] = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].count >= 1 && a->v[i].count <= 4)
            n[a->v[i].count]++;
    d[0] = 0.5;
    d[1] = 1.0;
    d[2] = 1.5;
    if (n[1] == 0 || n[2] == 0)
        return;
    double y = n[1] / (n[1] + 2 * n[2]);
    d[0] = 1 - 2 * y * n[2] / n[1];
    d[1] = n[3] > 0 ? 2 - 3 * y * n[3] / n[2] : d[0] + 0.5;
    d[2] = n[3] > 0 && n[4] > 0 ? 3 - 4 * y * n[4] / n[3] : d[1] + 0.5;
    const double lo[3] = {0.05, 0.1, 0.15}, hi[3] = {0.95, 1.9, 2.85};
    for (int k = 0; k < 3; k++)
        d[k] = d[k] < lo[k] ? lo[k] : d[k] > hi[k] ? hi[k] : d[k];
}

static double lm_discount(const double d[3], uint32_t c)
{
    return c == 0 ? 0.0 : c == 1 ? d[0] : c == 2 ? d[1] : d[2];
}

static void lm_estimate_unigrams(lm_model *m)
{
    double total = 0;
    for (size_t i = 0; i < m->uni.n; i++)
        total += m->uni.v[i].count;
    for (size_t i = 0; i < m->uni.n; i++)
        m->uni.v[i].prob = m->uni.v[i].count / total;
    if (m->bg_prob == NULL)
        return;
    for (size_t i = 0; i < m->uni.n; i++)
        m->uni.v[i].prob = (1 - m->bg->mass) * m->uni.v[i].prob + m->bg->mass * m->bg_prob[i];
}

/* The interpolated lower-order probability of the last order-1 words of g. */
static double lm_lower_prob(const lm_model *m, const lm_gram *g, int order)
{
    if (order == 2)
        return m->uni.v[g->w[1]].prob;
    const lm_gram *b = lm_find(&m->bi, &g->w[1], 2);
    return b != NULL ? b->prob : 0.0;
}

/* Estimates the n-grams of one order (2 or 3), history run by history run,
 * and stores each history's interpolation weight as its backoff weight. */
static void lm_estimate_order(lm_model *m, lm_array *a, int order, const double d[3])
{
    size_t i = 0;
    while (i < a->n) {
        size_t j = i;
        double total = 0, discounted = 0;
        while (j < a->n &&
               memcmp(a->v[j].w, a->v[i].w, (size_t)(order - 1) * sizeof(uint32_t)) == 0) {
            total += a->v[j].count;
            discounted += lm_discount(d, a->v[j].count);
            j++;
        }
        double gamma = discounted / total;
        for (size_t k = i; k < j; k++) {
            lm_gram *g = &a->v[k];
            g->prob =
                (g->count - lm_discount(d, g->count)) / total + gamma * lm_lower_prob(m, g, order);
        }
        lm_gram *hist = order == 2 ? &m->uni.v[a->v[i].w[0]] : lm_find(&m->bi, a->v[i].w, 2);
        if (hist != NULL)
            hist->bow = gamma;
        i = j;
    }
}

/* ---- ARPA output -------------------------------------------------------- */

static void lm_write_grams(FILE *fp, const lm_model *m, const lm_array *a, int order)
{
    fprintf(fp, "\n\\%d-grams:\n", order);
    for (size_t i = 0; i < a->n; i++) {
        const lm_gram *g = &a->v[i];
        if (order == 1 && g->w[0] == m->bos)
            fprintf(fp, "-99");
        else
            fprintf(fp, "%.7f", log10(g->prob));
        for (int k = 0; k < order; k++)
            fprintf(fp, " %s", m->names[g->w[k]]);
        if (g->bow != LM_NO_BOW)
            fprintf(fp, " %.7f", log10(g->bow));
        fputc('\n', fp);
    }
}

static int lm_write(const lm_model *m, const char *path, char *err, size_t errlen)
{
    asr_out o;
    int rc = asr_out_open(&o, path, err, errlen);
    if (rc != RA_OK)
        return rc;
    fprintf(o.fp,
            "# Radiology trigram model written by RaportAI (asr/lm.c): interpolated\n"
            "# modified Kneser-Ney, %zu sentences, %zu words, vocabulary %zu (%zu of\n"
            "# them from the background, which has %.3f of the unigram probability).\n",
            m->sentences, m->tokens, m->vocab.count - 2, m->vocab.count - m->corpus_vocab,
            m->bg_prob != NULL ? m->bg->mass : 0.0);
    fprintf(o.fp, "\n\\data\\\nngram 1=%zu\nngram 2=%zu\nngram 3=%zu\n", m->uni.n, m->bi.n,
            m->tri.n);
    lm_write_grams(o.fp, m, &m->uni, 1);
    lm_write_grams(o.fp, m, &m->bi, 2);
    lm_write_grams(o.fp, m, &m->tri, 3);
    fprintf(o.fp, "\n\\end\\\n");
    return asr_out_commit(&o, err, errlen);
}

/* ---- public ------------------------------------------------------------- */

static void lm_fill_stats(const lm_model *m, asr_lm_stats *st)
{
    memset(st, 0, sizeof *st);
    st->sentences = m->sentences;
    st->tokens = m->tokens;
    st->vocabulary = m->vocab.count - 2;
    st->background = m->vocab.count - m->corpus_vocab;
    st->ngrams[0] = m->uni.n;
    st->ngrams[1] = m->bi.n;
    st->ngrams[2] = m->tri.n;
    memcpy(st->discount, m->d, sizeof st->discount);
}

int asr_lm_build_stats(const char *const *sentences, size_t n, const asr_background *bg,
                       const char *arpa_path, asr_lm_stats *stats, char *err, size_t errlen)
{
    lm_model m;
    memset(&m, 0, sizeof m);
    asr_strmap_init(&m.vocab);
    m.bg = bg;
    int rc = lm_collect(&m, sentences, n);
    if (rc == RA_OK && m.tokens == 0)
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "The corpus has no words to build a model from.");
    else if (rc == RA_OK)
        rc = lm_renumber(&m);
    if (rc == RA_OK) {
        lm_sort_unique(&m.bi);
        lm_sort_unique(&m.tri);
        lm_discounts(&m.tri, m.d[2]);
        lm_continuation_counts(&m);
        lm_discounts(&m.bi, m.d[1]);
        lm_estimate_unigrams(&m);
        lm_estimate_order(&m, &m.bi, 2, m.d[1]);
        lm_estimate_order(&m, &m.tri, 3, m.d[2]);
        rc = lm_write(&m, arpa_path, err, errlen);
    } else if (rc == RA_ERR_NOMEM) {
        ra_fail(err, errlen, rc, "Out of memory while building the language model.");
    }
    if (rc == RA_OK && stats != NULL)
        lm_fill_stats(&m, stats);
    lm_free(&m);
    return rc;
}

int asr_lm_build(const char *const *sentences, size_t n, const char *arpa_path, char *err,
                 size_t errlen)
{
    return asr_lm_build_stats(sentences, n, NULL, arpa_path, NULL, err, errlen);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int asr_lm_vocabulary(const char *const *sentences, size_t n, const asr_background *bg,
                      char ***words, size_t *nwords)
{
    asr_strmap map;
    asr_strmap_init(&map);
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK; i++) {
        char *spoken = NULL;
        rc = asr_normalize(sentences[i], &spoken);
        for (const char *s = spoken; rc == RA_OK && *s != '\0';) {
            size_t len = strcspn(s, " "), id;
            if (len > 0)
                rc = asr_strmap_add(&map, s, len, &id);
            s += len + (s[len] == ' ');
        }
        free(spoken);
    }
    for (size_t i = 0; bg != NULL && map.count > 0 && i < bg->n && rc == RA_OK; i++) {
        size_t id;
        rc = asr_strmap_add(&map, bg->words[i], strlen(bg->words[i]), &id);
    }
    if (rc != RA_OK) {
        asr_strmap_release(&map);
        return rc;
    }
    if (map.count > 0)
        qsort(map.keys, map.count, sizeof *map.keys, cmp_str);
    *words = map.keys;
    *nwords = map.count;
    free(map.slots);
    if (map.count == 0) {
        free(map.keys);
        *words = NULL;
    }
    return RA_OK;
}

void asr_words_free(char **words, size_t n)
{
    if (words == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

/* corpus.c - asr_corpus: the sentences a radiology language model is
 * estimated from, gathered from phrase files, template bodies and other
 * text, each normalised to spoken form (see asr.h).
 *
 * Every line is added twice over: as dictated with spoken punctuation
 * ("findings colon there is no effusion period the heart is normal
 * period"), and in the natural form of a radiologist who marks sentences
 * and headings by pausing instead: cut into its sentences at the spoken
 * sentence ends and at the colon after a heading, without the remaining
 * spoken punctuation, each sentence a unit of its own ("findings", "there
 * is no effusion", "the heart is normal"). Without them the model had
 * hardly seen a heading said alone or a sentence ending without "period". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"

struct asr_corpus {
    char **sentences; /* owned, spoken form, never empty */
    size_t count;
    size_t cap;
};

int asr_corpus_new(asr_corpus **out)
{
    asr_corpus *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RA_ERR_NOMEM;
    *out = c;
    return RA_OK;
}

void asr_corpus_free(asr_corpus *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->count; i++)
        free(c->sentences[i]);
    free(c->sentences);
    free(c);
}

size_t asr_corpus_count(const asr_corpus *c)
{
    return c->count;
}

const char *const *asr_corpus_sentences(const asr_corpus *c)
{
    return (const char *const *)c->sentences;
}

/* Adds sentence s (taken over, freed on failure). */
static int corpus_take(asr_corpus *c, char *s)
{
    char **p = ra_array_reserve(c->sentences, c->count, &c->cap, sizeof *p, 64);
    if (p == NULL) {
        free(s);
        return RA_ERR_NOMEM;
    }
    c->sentences = p;
    c->sentences[c->count++] = s;
    return RA_OK;
}

/* ---- the natural form ----------------------------------------------------- */

#define CORPUS_HEADING_WORDS 3 /* words of a heading before its spoken colon */

/* One word of a spoken line. */
typedef struct corpus_word {
    const char *w;
    size_t n;
} corpus_word;

static int cw_is(const corpus_word *w, const char *s)
{
    return strlen(s) == w->n && memcmp(w->w, s, w->n) == 0;
}

/* How many words at w[0..n) say a sentence end ("period", "question mark",
 * "new line", ...): 0 for none. */
static size_t corpus_end_words(const corpus_word *w, size_t n)
{
    asr_mark kind;
    size_t k = asr_spoken_mark(w[0].w, w[0].n, n > 1 ? w[1].w : NULL, n > 1 ? w[1].n : 0, &kind);
    return kind == ASR_MARK_END ? k : 0;
}

/* True when "colon" after the k words of the sentence at w is spoken
 * punctuation: it ends a heading ("findings colon", "clinical information
 * colon"), of at most CORPUS_HEADING_WORDS words not starting with an
 * article ("the colon is normal" is the organ). */
static int corpus_heading_colon(const corpus_word *w, size_t k)
{
    static const char *const articles[] = {"the", "a", "an", "there", "no", "this", "these"};
    if (k == 0 || k > CORPUS_HEADING_WORDS)
        return 0;
    for (size_t i = 0; i < sizeof articles / sizeof *articles; i++)
        if (cw_is(&w[0], articles[i]))
            return 0;
    return 1;
}

/* Adds the words w[0..n) as one sentence unless there are none. */
static int corpus_add_words(asr_corpus *c, const corpus_word *w, size_t n)
{
    if (n == 0)
        return RA_OK;
    buf b;
    buf_init(&b, ASR_MAX_TEXT);
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK; i++) {
        if (i > 0)
            rc = buf_putc(&b, ' ');
        if (rc == RA_OK)
            rc = buf_append(&b, w[i].w, w[i].n);
    }
    char *s = rc == RA_OK ? buf_detach(&b) : NULL;
    buf_release(&b);
    if (s == NULL)
        return rc == RA_OK ? RA_ERR_NOMEM : rc;
    return corpus_take(c, s);
}

/* Splits spoken into words; *n receives the count. NULL when out of
 * memory. */
static corpus_word *corpus_words(const char *spoken, size_t *n)
{
    size_t cap = 1;
    for (const char *p = spoken; *p != '\0'; p++)
        cap += *p == ' ';
    corpus_word *w = malloc(cap * sizeof *w);
    if (w == NULL)
        return NULL;
    *n = 0;
    for (const char *p = spoken; *p != '\0';) {
        size_t len = strcspn(p, " ");
        if (len > 0)
            w[(*n)++] = (corpus_word){p, len};
        p += len;
        p += strspn(p, " ");
    }
    return w;
}

/* Adds the natural form of the spoken line (see the top of the file), unless
 * it is the line itself (a line with no spoken punctuation). */
static int corpus_add_natural(asr_corpus *c, const char *spoken)
{
    size_t n = 0;
    corpus_word *w = corpus_words(spoken, &n);
    if (w == NULL)
        return RA_ERR_NOMEM;
    corpus_word *out = malloc((n > 0 ? n : 1) * sizeof *out);
    int rc = out != NULL ? RA_OK : RA_ERR_NOMEM;
    size_t k = 0, dropped = 0;
    for (size_t i = 0; i < n && rc == RA_OK;) {
        size_t end = corpus_end_words(&w[i], n - i);
        if (end == 0 && cw_is(&w[i], "colon") && corpus_heading_colon(out, k))
            end = 1;
        if (end > 0 || cw_is(&w[i], "comma")) {
            if (end > 0)
                rc = corpus_add_words(c, out, k);
            k = end > 0 ? 0 : k;
            dropped += end > 0 ? end : 1;
            i += end > 0 ? end : 1;
            continue;
        }
        out[k++] = w[i++];
    }
    if (rc == RA_OK && dropped > 0)
        rc = corpus_add_words(c, out, k);
    free(out);
    free(w);
    return rc;
}

/* Normalises one line and adds it, and its natural form, unless it comes
 * out empty. */
static int corpus_add_line(asr_corpus *c, const char *line)
{
    char *spoken = NULL;
    int rc = asr_normalize(line, &spoken);
    if (rc != RA_OK)
        return rc;
    if (spoken[0] == '\0') {
        free(spoken);
        return RA_OK;
    }
    rc = corpus_take(c, spoken);
    return rc == RA_OK ? corpus_add_natural(c, spoken) : rc;
}

int asr_corpus_add_text(asr_corpus *c, const char *content, const char *format)
{
    char *text = NULL;
    int rc = asr_text_from_markup(content, format, &text);
    if (rc != RA_OK)
        return rc;
    char *line = text;
    while (line != NULL && rc == RA_OK) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        rc = corpus_add_line(c, line);
        line = nl != NULL ? nl + 1 : NULL;
    }
    free(text);
    return rc;
}

int asr_corpus_add_file(asr_corpus *c, const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return ra_fail(err, errlen, errno == ENOENT ? RA_ERR_NOT_FOUND : RA_ERR_IO,
                       "Cannot open the phrase file %s.", path);
    char *line = NULL;
    size_t cap = 0;
    int rc;
    for (;;) {
        rc = asr_read_line(fp, &line, &cap);
        if (rc <= 0)
            break;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        rc = *p == '#' ? RA_OK : corpus_add_line(c, p);
        if (rc != RA_OK)
            break;
    }
    if (rc == RA_OK && ferror(fp))
        rc = RA_ERR_IO;
    fclose(fp);
    free(line);
    if (rc == RA_ERR_TOO_LARGE)
        rc = RA_ERR_IO;
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "Cannot read the phrase file %s: %s.", path,
                       ra_strerror(rc));
    return RA_OK;
}

int asr_corpus_add_templates(asr_corpus *c, const tmpl_library *lib)
{
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        if (strcmp(t->language, "en") != 0)
            continue;
        int rc = asr_corpus_add_text(c, t->content, t->format);
        if (rc != RA_OK)
            return rc;
    }
    return RA_OK;
}

int asr_corpus_add_base(asr_corpus *c, const char *phrases, const tmpl_library *lib,
                        int *phrases_missing, char *err, size_t errlen)
{
    int rc = RA_OK;
    *phrases_missing = phrases == NULL || access(phrases, R_OK) != 0;
    if (!*phrases_missing)
        rc = asr_corpus_add_file(c, phrases, err, errlen);
    if (rc == RA_OK && lib != NULL)
        rc = asr_corpus_add_templates(c, lib);
    return rc;
}

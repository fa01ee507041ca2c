/* sentences.c - asr_sentences: the local engine's transcript from its word
 * segments. Dictation that does not speak its punctuation marks sentences
 * and headings by pauses ("Chest CT with contrast. [pause] Findings.
 * [pause] There is ..."); this file turns the pauses between recognised
 * words into sentence ends and capitals, writes the unambiguous
 * abbreviations in capitals, and leaves every word in spoken form (see
 * asr.h). Pure: no decoder, no I/O.
 *
 * The pause threshold, PAUSE_* below, was measured with bench/wer_voices.py
 * --pauses, which decodes the natural dictations of bench/natural-tune.txt
 * said by six synthetic voices and lists the gaps between consecutive
 * recognised words where the text has a sentence end and where it has
 * none (figures of 2026-12-07, the radiology model):
 *   - inside sentences the gap is 0 ms at the median for every voice, 48 to
 *     188 ms at the 99th percentile; the longest, 168 to 236 ms, are the
 *     pauses festival and flite kal16 make at commas;
 *   - at sentence ends read by the voices themselves, espeak-ng pauses 246
 *     ms (10th percentile; 266 median), festival 168 (334), flite kal16
 *     176 (206); flite slt, rms and awb only 30 to 100 ms, no more than
 *     between words, so no threshold finds those;
 *   - the pause grows with the speaker's slowness: espeak-ng at 130, 175
 *     and 230 words a minute has a median word of 434, 336 and 256 ms and
 *     pauses at sentence ends of 464, 266 and 148 ms (median). The median
 *     gap between words, 0 ms, says nothing of the rate; the median word
 *     length does;
 *   - with the pauses of dictation (each sentence said on its own, 0.35 to
 *     0.9 s between them) the gaps at sentence ends are 434 ms and more
 *     (10th percentile) and the voice activity detector closes an
 *     utterance at 83 to 97 % of them.
 * Over the voices' own readings, every threshold of k times the median
 * word found sentence ends with the same precision, 91 to 92 %, which
 * recognition errors and alignment bound; recall fell with k and with the
 * lower bound (k 0.5: 78 % from 150 ms, 67 % from 200 ms; k 0.8: 44 %).
 * The rule keeps 0.6 of the median word (about 200 ms for these voices,
 * 260 for the slow one), never below 200 ms: above every gap measured
 * inside a sentence but the comma pauses at 236 ms, and above the pauses
 * inside real speech that no voice makes (closures, breaths), which a
 * lower bound would turn into sentence ends. It is never above 450 ms, so
 * a slow speaker's half-second pause still ends a sentence. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"

#define PAUSE_MIN_MS 200   /* never a sentence end below this */
#define PAUSE_MAX_MS 450   /* always long enough from this */
#define PAUSE_PER_WORD 0.6 /* times the median word length */

/* Words no English sentence ends with: a pause after them is hesitation. */
static const char *const no_end[] = {
    "a",   "an",   "and", "are",  "as",  "at",   "be",   "but",       "by",
    "for", "from", "in",  "into", "is",  "no",   "of",   "measuring", "on",
    "or",  "than", "the", "to",   "was", "were", "with", "without",
};

/* Abbreviations written in capitals: none of them is also a common word in
 * dictation ("mr" is "Mr", "us" is "us", so they stay as they are). */
static const char *const capitals[] = {
    "adc", "ct", "cta", "dwi", "flair", "mra", "mrcp", "mri", "pet", "stir",
};

/* A word, its length without a variant mark, and its time. */
typedef struct sent_word {
    const char *w;
    size_t len;
    const asr_seg *seg;
} sent_word;

static int word_is(const sent_word *w, const char *s)
{
    return w != NULL && strlen(s) == w->len && memcmp(w->w, s, w->len) == 0;
}

static int word_in(const sent_word *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (word_is(w, list[i]))
            return 1;
    return 0;
}

/* True for a filler or noise: "<sil>", "<s>", "</s>", "[NOISE]", "++UM++". */
static int seg_is_filler(const asr_seg *s)
{
    return s->word[0] == '<' || s->word[0] == '[' || s->word[0] == '+' || s->word[0] == '\0';
}

/* The length of s without a variant mark "(2)". */
static size_t base_len(const char *s)
{
    size_t n = strlen(s);
    if (n > 2 && s[n - 1] == ')') {
        size_t i = n - 2;
        while (i > 0 && isdigit((unsigned char)s[i]))
            i--;
        if (s[i] == '(' && i < n - 2)
            return i;
    }
    return n;
}

/* True when w[i] ends spoken punctuation or layout ("period", "full stop",
 * "new line", "colon", ...): the word before a pause. */
static int ends_spoken_mark(const sent_word *w, size_t i)
{
    asr_mark kind;
    return asr_spoken_mark(w[i].w, w[i].len, NULL, 0, &kind) == 1 ||
           (i > 0 && asr_spoken_mark(w[i - 1].w, w[i - 1].len, w[i].w, w[i].len, &kind) == 2);
}

/* True when w[i] starts spoken punctuation or layout: the word after a
 * pause. "colon" there is the organ ("Colon is unremarkable"). */
static int starts_spoken_mark(const sent_word *w, size_t i, size_t n)
{
    asr_mark kind;
    const sent_word *next = i + 1 < n ? &w[i + 1] : NULL;
    size_t k = asr_spoken_mark(w[i].w, w[i].len, next != NULL ? next->w : NULL,
                               next != NULL ? next->len : 0, &kind);
    return k > 0 && kind != ASR_MARK_COLON;
}

/* Collects the words of segs (fillers left out) into *out (caller frees). */
static int collect_words(const asr_seg *segs, size_t n, sent_word **out, size_t *nw)
{
    sent_word *w = malloc((n > 0 ? n : 1) * sizeof *w);
    if (w == NULL)
        return RA_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (seg_is_filler(&segs[i]))
            continue;
        w[k++] = (sent_word){segs[i].word, base_len(segs[i].word), &segs[i]};
    }
    *out = w;
    *nw = k;
    return RA_OK;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The median length of the words of segs, in ms; 0 without words. */
static long median_word_ms(const asr_seg *segs, size_t n)
{
    long *len = malloc((n > 0 ? n : 1) * sizeof *len);
    if (len == NULL)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!seg_is_filler(&segs[i]))
            len[k++] = segs[i].end_ms - segs[i].start_ms;
    qsort(len, k, sizeof *len, cmp_long);
    long m = k > 0 ? len[k / 2] : 0;
    free(len);
    return m;
}

/* PAUSE_PER_WORD times the median word, within [PAUSE_MIN_MS,
 * PAUSE_MAX_MS] (see the top of the file). */
long asr_sentence_pause_ms(const asr_seg *segs, size_t n)
{
    long t = (long)(PAUSE_PER_WORD * (double)median_word_ms(segs, n));
    return t < PAUSE_MIN_MS ? PAUSE_MIN_MS : t > PAUSE_MAX_MS ? PAUSE_MAX_MS : t;
}

/* True when a sentence ends after w[i] (i + 1 < n: before w[i + 1]). */
static int sentence_ends(const sent_word *w, size_t i, size_t n, long pause_ms)
{
    if (word_in(&w[i], no_end, sizeof no_end / sizeof *no_end) || ends_spoken_mark(w, i))
        return 0;
    if (i + 1 == n)
        return 1;
    if (starts_spoken_mark(w, i + 1, n))
        return 0;
    return w[i + 1].seg->utt != w[i].seg->utt ||
           w[i + 1].seg->start_ms - w[i].seg->end_ms >= pause_ms;
}

/* True for a spine level or MR sequence: c, t, l or s and one or two
 * digits ("l4", "s1", "t12", "t2"). */
static int is_level(const sent_word *w)
{
    return (w->len == 2 || w->len == 3) && strchr("ctls", w->w[0]) != NULL &&
           isdigit((unsigned char)w->w[1]) && (w->len == 2 || isdigit((unsigned char)w->w[2]));
}

/* Appends w as written: in capitals when an abbreviation or level, with a
 * capital first letter when cap. */
static int put_word(buf *b, const sent_word *w, int cap)
{
    size_t at = b->len;
    int rc = buf_append(b, w->w, w->len);
    if (rc != RA_OK)
        return rc;
    int all = word_in(w, capitals, sizeof capitals / sizeof *capitals) || is_level(w);
    for (size_t i = 0; i < w->len; i++)
        if (all || (cap && i == 0))
            b->data[at + i] = (char)toupper((unsigned char)b->data[at + i]);
    return RA_OK;
}

static int write_sentences(const sent_word *w, size_t n, long pause_ms, buf *b)
{
    int rc = RA_OK, cap = 1;
    for (size_t i = 0; i < n && rc == RA_OK; i++) {
        rc = put_word(b, &w[i], cap);
        cap = sentence_ends(w, i, n, pause_ms);
        if (rc == RA_OK && cap)
            rc = buf_putc(b, '.');
        if (rc == RA_OK && i + 1 < n)
            rc = buf_putc(b, ' ');
    }
    return rc;
}

int asr_sentences(const asr_seg *segs, size_t n, char **out)
{
    sent_word *w = NULL;
    size_t nw = 0;
    int rc = collect_words(segs, n, &w, &nw);
    if (rc != RA_OK)
        return rc;
    buf b;
    buf_init(&b, (size_t)64 << 20);
    rc = write_sentences(w, nw, asr_sentence_pause_ms(segs, n), &b);
    char *s = rc == RA_OK ? buf_detach(&b) : NULL;
    buf_release(&b);
    free(w);
    if (s == NULL)
        return rc == RA_OK || rc == RA_ERR_TOO_LARGE ? RA_ERR_NOMEM : rc;
    *out = s;
    return RA_OK;
}

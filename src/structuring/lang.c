/* lang.c - the registry of dictation languages (see lang.h), the lists all
 * languages share, the pattern matchers and the reader of numbers said in
 * words. The languages' own words are in lang_<code>.c.
 *
 * The first bytes each language's phrases and number words can start with
 * are worked out once (the first time they are asked for, under
 * pthread_once; the tables never change), so that a word that starts none
 * of them is passed over without reading the lists: the structurer asks
 * about every word of a dictation. */
#include "structuring/lang.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/lang.h"

extern const report_lang report_lang_tr;
extern const report_lang report_lang_en;
extern const report_lang report_lang_ru;
extern const report_lang report_lang_az;
extern const report_lang report_lang_fr;
extern const report_lang report_lang_de;

/* Indexed by lang_id (core/lang.h); each table's code is its language's
 * code in the registry (a unit test checks). */
static const report_lang *const langs[LANG_COUNT] = {
    [LANG_TR] = &report_lang_tr, [LANG_EN] = &report_lang_en, [LANG_RU] = &report_lang_ru,
    [LANG_AZ] = &report_lang_az, [LANG_FR] = &report_lang_fr, [LANG_DE] = &report_lang_de,
};

const char *const report_modality_values[REPORT_MODALITIES] = {
    "PT", "NM", "MG", "MR", "CT", "US", "DXA", "XA", "RF", "XR",
};

const char *const report_body_values[REPORT_BODY_PARTS] = {
    "obstetric", "breast",  "thyroid", "brain", "cervical_spine", "thoracic_spine", "lumbar_spine",
    "chest",     "abdomen", "pelvis",  "knee",  "shoulder",       "extremity",
};

const char report_abbrevs[] = "e.g|i.e|vs|dr|cf|etc|approx|yak|örn|orn|bkz|prof|z.b|bzw|ca|vgl|"
                              "ggf|u.a|v.a|evtl|max|min|p.ex|env|т.е|т.к|т.д|т.п|напр|см|др|"
                              "мин|макс|məs|və s";

const char report_acronyms[] =
    "ct|bt|mr|mri|mrg|mra|mrcp|cta|bta|usg|pet|flair|dwi|adc|stir|swi|hu|pa|ap|mlo|ekg|ecg|"
    "spect|mrt|kt|usm|irm|tdm|tep|hws|bws|lws|кт|мрт|мскт|узи|пэт|экг|кта|мра";

const report_lang *report_lang_get(const char *code)
{
    int i = lang_index(code);
    return i >= 0 && strcmp(lang_codes[i], code) == 0 ? langs[i] : NULL;
}

size_t report_lang_count(void)
{
    return LANG_COUNT;
}

const report_lang *report_lang_at(size_t i)
{
    return i < report_lang_count() ? langs[i] : NULL;
}

/* ---- patterns ----------------------------------------------------------- */

/* True when the pattern [p, p + plen) matches the word [w, w + wlen). */
static int pattern_match(const char *p, size_t plen, const char *w, size_t wlen)
{
    if (plen > 1 && p[plen - 1] == '*')
        return wlen >= plen - 1 && memcmp(w, p, plen - 1) == 0;
    if (plen > 1 && p[0] == '*')
        return wlen >= plen - 1 && memcmp(w + wlen - (plen - 1), p + 1, plen - 1) == 0;
    return wlen == plen && memcmp(w, p, plen) == 0;
}

int report_word_in(const char *w, const char *list)
{
    size_t wlen = w != NULL ? strlen(w) : 0;
    if (list == NULL || wlen == 0)
        return 0;
    for (const char *p = list;;) {
        size_t n = strcspn(p, "|");
        if (n > 0 && pattern_match(p, n, w, wlen))
            return 1;
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

/* End of the span of k space-separated pattern words from p (before end),
 * and in *got how many there were (fewer when the alternative ends). */
static const char *span_end(const char *p, const char *end, size_t k, size_t *got)
{
    const char *q = p;
    *got = 0;
    while (*got < k && q < end) {
        while (q < end && *q != ' ')
            q++;
        (*got)++;
        if (*got < k && q < end)
            q++;
    }
    return q;
}

/* Words used by the alternative [a, end) at word i, or 0. */
static size_t alt_len(const char *a, const char *end, report_word_at word, const void *ctx,
                      size_t i)
{
    size_t k = 0;
    for (const char *p = a; p < end; k++) {
        const char *w = word(ctx, i + k);
        size_t wlen = strlen(w), subs = 1, got = 0;
        if (wlen == 0)
            return 0;
        for (const char *s = w; *s != '\0'; s++)
            subs += *s == ' ';
        const char *q = span_end(p, end, subs, &got);
        int starts = got < subs && q[-1] == '*' && wlen > (size_t)(q - p - 1) &&
                     memcmp(w, p, (size_t)(q - p - 1)) == 0;
        if (got < subs ? !starts : !pattern_match(p, (size_t)(q - p), w, wlen))
            return 0;
        p = q < end ? q + 1 : q;
    }
    return k;
}

size_t report_alts_len(const char *alts, report_word_at word, const void *ctx, size_t i)
{
    size_t best = 0;
    if (alts == NULL)
        return 0;
    const char *first = word(ctx, i);
    if (*first == '\0')
        return 0;
    for (const char *a = alts; *a != '\0';) {
        const char *end = a + strcspn(a, "|");
        if (*a == '*' || *a == *first) {
            size_t k = alt_len(a, end, word, ctx, i);
            best = k > best ? k : best;
        }
        a = *end == '|' ? end + 1 : end;
    }
    return best;
}

/* ---- first bytes ---------------------------------------------------------- */

typedef struct byte_set {
    uint32_t bits[8];
} byte_set;

static void byte_set_add(byte_set *set, unsigned char b)
{
    set->bits[b >> 5] |= 1u << (b & 31);
}

static int byte_set_has(const byte_set *set, unsigned char b)
{
    return (set->bits[b >> 5] >> (b & 31)) & 1u;
}

static void phrase_set_add(report_phrase_set *set, size_t p)
{
    set->bits[p / 64] |= (uint64_t)1 << (p % 64);
}

int report_phrase_set_has(const report_phrase_set *set, size_t p)
{
    return p >= REPORT_PHRASES_INDEXED || ((set->bits[p / 64] >> (p % 64)) & 1u);
}

/* The first bytes of the language at the same index of langs. */
typedef struct first_bytes {
    byte_set number;                /* of every number word (nw_lists') */
    report_phrase_set by_byte[256]; /* the phrases a word starting with each byte may start */
} first_bytes;

static first_bytes firsts[LANG_COUNT];
static pthread_once_t firsts_once = PTHREAD_ONCE_INIT;

/* Adds to set the first byte of each item of list (items end at one of
 * seps); an item starting with '*' may start with any byte. */
static void add_firsts(byte_set *set, const char *list, const char *seps)
{
    for (const char *p = list; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, seps);
        if (n > 0 && *p == '*')
            memset(set->bits, 0xff, sizeof set->bits);
        else if (n > 0)
            byte_set_add(set, (unsigned char)*p);
        p += n + (p[n] != '\0');
    }
}

static size_t nw_lists(const report_lang *L, const char **out);

static void firsts_make(void)
{
    for (size_t l = 0; l < LANG_COUNT; l++) {
        const report_lang *L = langs[l];
        first_bytes *f = &firsts[l];
        const char *lists[48];
        size_t nl = nw_lists(L, lists);
        for (size_t k = 0; k < nl; k++)
            add_firsts(&f->number, lists[k], "| ");
        for (size_t p = 0; p < L->n_phrases && p < REPORT_PHRASES_INDEXED; p++) {
            byte_set starts = {{0}}; /* report_alts_len's alternatives: '|' separated */
            add_firsts(&starts, L->phrases[p].words, "|");
            for (int b = 1; b < 256; b++) /* byte 0, an empty word, starts nothing */
                if (byte_set_has(&starts, (unsigned char)b))
                    phrase_set_add(&f->by_byte[b], p);
        }
    }
}

/* The first bytes of L, or NULL for a table not in the registry. */
static const first_bytes *firsts_of(const report_lang *L)
{
    pthread_once(&firsts_once, firsts_make);
    for (size_t l = 0; l < LANG_COUNT; l++)
        if (langs[l] == L)
            return &firsts[l];
    return NULL;
}

report_phrase_set report_phrases_may_start(const report_lang *L, const char *w)
{
    const first_bytes *f = firsts_of(L);
    if (f == NULL) {
        report_phrase_set all;
        memset(&all, 0xff, sizeof all);
        return all;
    }
    return f->by_byte[w != NULL ? (unsigned char)*w : 0];
}

/* False when w (a word's folded text) cannot begin a number of L. */
static int number_may_start(const report_lang *L, const char *w)
{
    const first_bytes *f = firsts_of(L);
    w += strspn(w, " ");
    return f == NULL || (*w != '\0' && byte_set_has(&f->number, (unsigned char)*w));
}

/* ---- numbers in words --------------------------------------------------- */

#define NW_MAX_ATOMS 32

/* One number word: a piece of one of the caller's words. */
typedef struct nw_atom {
    const char *s;
    size_t len;
    size_t word; /* the index of the caller's word it is part of */
    int last;    /* it ends that word */
} nw_atom;

typedef struct nw_reader {
    const report_lang *L;
    nw_atom atom[NW_MAX_ATOMS];
    size_t n;
} nw_reader;

/* The lists that hold a language's number words. */
static size_t nw_lists(const report_lang *L, const char **out)
{
    size_t n = 0;
    for (int d = 0; d < 10; d++) {
        const char *t[4] = {L->ones[d], L->teens[d], L->tens[d], L->hundreds[d]};
        for (int k = 0; k < 4; k++) {
            if (t[k] != NULL)
                out[n++] = t[k];
        }
    }
    if (L->hundred != NULL)
        out[n++] = L->hundred;
    if (L->and_word != NULL)
        out[n++] = L->and_word;
    return n;
}

/* Length of the longest number word of L (a word of any alternative) that
 * [s, s + len) starts with, or 0. */
static size_t nw_longest_prefix(const report_lang *L, const char *s, size_t len)
{
    const char *lists[48];
    size_t nl = nw_lists(L, lists), best = 0;
    for (size_t l = 0; l < nl; l++) {
        for (const char *p = lists[l]; *p != '\0';) {
            size_t n = strcspn(p, "| ");
            if (n > best && n <= len && memcmp(p, s, n) == 0)
                best = n;
            p += n + (p[n] != '\0');
        }
    }
    return best;
}

static int nw_push(nw_reader *r, const char *s, size_t len, size_t word, int last)
{
    if (r->n == NW_MAX_ATOMS)
        return 0;
    r->atom[r->n++] = (nw_atom){s, len, word, last};
    return 1;
}

/* Adds the atoms of the sub-word [s, s + len) of word k: itself, or where
 * the language glues numbers and the whole of it is number words, those.
 * Returns 0, adding nothing, when it is no number word (reading stops
 * there: no list would match it). */
static int nw_add_piece(nw_reader *r, const char *s, size_t len, size_t k, int last)
{
    size_t full = nw_longest_prefix(r->L, s, len);
    if (full == len)
        return nw_push(r, s, len, k, last);
    if (!r->L->glued)
        return 0;
    size_t p = 0;
    while (p < len && (full = nw_longest_prefix(r->L, s + p, len - p)) > 0)
        p += full;
    if (p < len)
        return 0;
    for (p = 0; p < len; p += full) {
        full = nw_longest_prefix(r->L, s + p, len - p);
        if (!nw_push(r, s + p, full, k, last && p + full == len))
            return 0;
    }
    return 1;
}

static void nw_atomize(nw_reader *r, const char *const *words, size_t n)
{
    for (size_t k = 0; k < n && k < REPORT_NUMBER_MAX_WORDS; k++) {
        const char *w = words[k];
        if (*w == '\0')
            return;
        while (*w != '\0') {
            size_t len = strcspn(w, " ");
            if (len > 0 && !nw_add_piece(r, w, len, k, w[len] == '\0'))
                return;
            w += len + (w[len] == ' ');
        }
    }
}

/* Atoms used by the alternative [a, end) (words separated by spaces) at
 * atom i, or 0. */
static size_t nw_alt_len(const nw_reader *r, const char *a, const char *end, size_t i)
{
    size_t k = 0;
    while (a < end) {
        size_t n = strcspn(a, " |");
        if (i + k >= r->n || r->atom[i + k].len != n || memcmp(r->atom[i + k].s, a, n) != 0)
            return 0;
        k++;
        a += n;
        a += a < end && *a == ' ';
    }
    return k;
}

/* Atoms used by the longest alternative of list at atom i, or 0. */
static size_t nw_list_len(const nw_reader *r, const char *list, size_t i)
{
    size_t best = 0;
    for (const char *a = list; a != NULL && *a != '\0';) {
        const char *end = a + strcspn(a, "|");
        size_t k = nw_alt_len(r, a, end, i);
        best = k > best ? k : best;
        a = *end == '|' ? end + 1 : end;
    }
    return best;
}

/* The entry of table (10 lists) with the longest match at atom i, from
 * index lo on; -1 when none. *len gets its atoms. */
static int nw_entry(const nw_reader *r, const char *const *table, int lo, size_t i, size_t *len)
{
    int best = -1;
    *len = 0;
    for (int d = lo; d < 10; d++) {
        size_t k = nw_list_len(r, table[d], i);
        if (k > *len) {
            *len = k;
            best = d;
        }
    }
    return best;
}

/* Reads the hundreds at atom *a into *v. */
static void nw_hundreds(const nw_reader *r, size_t *a, unsigned *v)
{
    const report_lang *L = r->L;
    size_t len = 0, hl = 0;
    int h = nw_entry(r, L->hundreds, 1, *a, &len);
    if (h >= 1) {
        *v = 100u * (unsigned)h;
        *a += len;
        return;
    }
    int d = nw_entry(r, L->ones, 1, *a, &len);
    if (d >= 1 && (hl = nw_list_len(r, L->hundred, *a + len)) > 0) {
        *v = 100u * (unsigned)d;
        *a += len + hl;
    } else if ((hl = nw_list_len(r, L->hundred, *a)) > 0) {
        *v = 100;
        *a += hl;
    }
}

/* Atoms of and_word at atom a when what follows it is a number word of the
 * kinds asked for (ones 1..9, teens, tens 20..90); else 0. */
static size_t nw_and(const nw_reader *r, size_t a, int ones, int teens, int tens)
{
    size_t k = nw_list_len(r, r->L->and_word, a), len = 0;
    if (k == 0)
        return 0;
    int ok = (ones && nw_entry(r, r->L->ones, 1, a + k, &len) >= 1) ||
             (teens && nw_entry(r, r->L->teens, 0, a + k, &len) >= 0) ||
             (tens && nw_entry(r, r->L->tens, 2, a + k, &len) >= 2);
    return ok ? k : 0;
}

/* Reads what comes below a hundred at atom *a into *v. */
static void nw_below_hundred(const nw_reader *r, size_t *a, unsigned *v)
{
    const report_lang *L = r->L;
    size_t len = 0, k = 0;
    int t = nw_entry(r, L->tens, 1, *a, &len);
    if (t >= 1) {
        *v += 10u * (unsigned)t;
        *a += len;
        *a += nw_and(r, *a, 1, L->ten_teen, 0);
        int teen = L->ten_teen ? nw_entry(r, L->teens, 0, *a, &len) : -1;
        int d = teen < 0 ? nw_entry(r, L->ones, 1, *a, &len) : -1;
        if (teen >= 0 || d >= 1) {
            *v += teen >= 0 ? 10u + (unsigned)teen : (unsigned)d;
            *a += len;
        }
        return;
    }
    int teen = nw_entry(r, L->teens, 0, *a, &len);
    if (teen >= 0) {
        *v += 10u + (unsigned)teen;
        *a += len;
        return;
    }
    int d = nw_entry(r, L->ones, 1, *a, &len);
    if (d < 1)
        return;
    *v += (unsigned)d;
    *a += len;
    if (L->ones_first && (k = nw_and(r, *a, 0, 0, 1)) > 0) {
        t = nw_entry(r, L->tens, 2, *a + k, &len);
        *v += 10u * (unsigned)t;
        *a += k + len;
    }
}

size_t report_number_read(const report_lang *L, const char *const *words, size_t n, unsigned *value)
{
    /* A number's first word is one of L's number words (nw_alt_len
     * compares whole words), so it starts with one of their first bytes. */
    if (n == 0 || !number_may_start(L, words[0]))
        return 0;
    nw_reader r = {.L = L, .n = 0};
    nw_atomize(&r, words, n);
    if (r.n == 0)
        return 0;
    size_t a = 0, len = 0;
    unsigned v = 0;
    nw_hundreds(&r, &a, &v);
    if (a > 0)
        a += nw_and(&r, a, 1, 1, 1);
    nw_below_hundred(&r, &a, &v);
    if (a == 0 && nw_entry(&r, L->ones, 0, 0, &len) == 0)
        a = len;
    if (a == 0 || !r.atom[a - 1].last)
        return 0;
    *value = v;
    return r.atom[a - 1].word + 1;
}

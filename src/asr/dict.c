/* dict.c - the pronunciation dictionary for a language model's vocabulary
 * (asr_dict_build): our lexicon first (abbreviations and letters, which
 * cmudict gets wrong: "ct" is not "court"), then every cmudict variant, then
 * letter-digit words spelled out, then espeak-ng's letter-to-sound (g2p.c).
 * Every phone written is one of the acoustic model's 39. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "asr/g2p.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#define DICT_MAX_PRON 1024 /* bytes of one word's pronunciations */

enum { SRC_NONE, SRC_LEXICON, SRC_CMUDICT };

/* The words asked for and what is known about each. */
typedef struct dict_words {
    asr_strmap map; /* word -> index */
    buf *prons;     /* per index: pronunciations, one per line */
    int *source;    /* per index: SRC_* */
} dict_words;

static void dict_words_release(dict_words *d)
{
    for (size_t i = 0; d->prons != NULL && i < d->map.count; i++)
        buf_release(&d->prons[i]);
    free(d->prons);
    free(d->source);
    asr_strmap_release(&d->map);
}

static int dict_words_init(dict_words *d, const char *const *words, size_t n)
{
    asr_strmap_init(&d->map);
    d->prons = NULL;
    d->source = NULL;
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK; i++) {
        size_t id, len = strlen(words[i]);
        if (len > 0 && len <= ASR_MAX_WORD)
            rc = asr_strmap_add(&d->map, words[i], len, &id);
    }
    size_t count = d->map.count ? d->map.count : 1;
    d->prons = rc == RA_OK ? calloc(count, sizeof *d->prons) : NULL;
    d->source = rc == RA_OK ? calloc(count, sizeof *d->source) : NULL;
    if (d->prons == NULL || d->source == NULL)
        rc = RA_ERR_NOMEM;
    for (size_t i = 0; rc == RA_OK && i < d->map.count; i++)
        buf_init(&d->prons[i], DICT_MAX_PRON);
    return rc;
}

/* Splits a dictionary line into its word (lowercased, "(2)" variant mark
 * removed, NUL-terminated in place) and its phones. Returns 0 for a blank
 * or comment line. */
static int dict_split_line(char *line, char **word, char **phones)
{
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '#' || (p[0] == ';' && p[1] == ';'))
        return 0;
    *word = p;
    while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
    char *end = p;
    while (*p == ' ' || *p == '\t')
        p++;
    *end = '\0';
    *phones = p;
    char *paren = strchr(*word, '(');
    if (paren != NULL && paren != *word)
        *paren = '\0';
    for (char *w = *word; *w != '\0'; w++)
        if (*w >= 'A' && *w <= 'Z')
            *w = (char)(*w - 'A' + 'a');
    return 1;
}

/* Appends phones (whitespace-separated, stress digits dropped) as one
 * pronunciation line. RA_ERR_FORMAT when a phone is not in the model. */
static int dict_add_pron(buf *b, const char *phones)
{
    size_t start = b->len;
    int rc = RA_OK, count = 0;
    while (*phones != '\0' && rc == RA_OK) {
        size_t n = strcspn(phones, " \t");
        char ph[8];
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof ph - 1; i++)
            if (phones[i] < '0' || phones[i] > '9')
                ph[k++] = phones[i];
        ph[k] = '\0';
        if (n > 0 && (k >= sizeof ph - 1 || !asr_phone_valid(ph)))
            rc = RA_ERR_FORMAT;
        if (n > 0 && rc == RA_OK) {
            rc = buf_printf(b, "%s%s", count > 0 ? " " : "", ph);
            count++;
        }
        phones += n;
        phones += strspn(phones, " \t");
    }
    if (rc == RA_OK && count == 0)
        rc = RA_ERR_FORMAT;
    if (rc == RA_OK)
        rc = buf_putc(b, '\n');
    if (rc != RA_OK) {
        b->len = start;
        if (b->data != NULL)
            b->data[start] = '\0';
    }
    return rc;
}

/* Reads a dictionary file, adding the pronunciations of wanted words that
 * do not already have some from an earlier source. strict: a bad line is an
 * error naming it (our lexicon); otherwise it is skipped (cmudict). */
static int dict_read(dict_words *d, const char *path, int source, int strict, char *err,
                     size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return ra_fail(err, errlen, errno == ENOENT ? RA_ERR_NOT_FOUND : RA_ERR_IO,
                       "Cannot open the pronunciation file %s.", path);
    char *line = NULL, *word, *phones;
    size_t cap = 0, lineno = 0;
    int rc = RA_OK;
    while (rc == RA_OK) {
        int got = asr_read_line(fp, &line, &cap);
        lineno++;
        if (got <= 0) {
            rc = got == 0 ? RA_OK : got;
            break;
        }
        if (!dict_split_line(line, &word, &phones))
            continue;
        long id = asr_strmap_find(&d->map, word);
        if (strict && id < 0) {
            buf check; /* our lexicon is checked whole, used or not */
            buf_init(&check, DICT_MAX_PRON);
            rc = dict_add_pron(&check, phones);
            buf_release(&check);
        }
        if (rc != RA_OK || id < 0 || (d->source[id] != SRC_NONE && d->source[id] != source))
            continue;
        rc = dict_add_pron(&d->prons[id], phones);
        if (rc == RA_OK)
            d->source[id] = source;
        else if ((rc == RA_ERR_FORMAT || rc == RA_ERR_TOO_LARGE) && !strict)
            rc = RA_OK;
    }
    fclose(fp);
    free(line);
    if (rc == RA_ERR_FORMAT)
        return ra_fail(err, errlen, rc, "%s line %zu: not \"word PHONE ...\" with ARPAbet phones.",
                       path, lineno);
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc == RA_ERR_NOMEM ? rc : RA_ERR_IO, "Cannot read %s: %s.",
                       path, ra_strerror(rc));
    return RA_OK;
}

/* ---- spelled words ------------------------------------------------------ */

static const char *const letter_names[26] = {
    "EY",
    "B IY",
    "S IY",
    "D IY",
    "IY",
    "EH F",
    "JH IY",
    "EY CH",
    "AY",
    "JH EY",
    "K EY",
    "EH L",
    "EH M",
    "EH N",
    "OW",
    "P IY",
    "K Y UW",
    "AA R",
    "EH S",
    "T IY",
    "Y UW",
    "V IY",
    "D AH B AH L Y UW",
    "EH K S",
    "W AY",
    "Z IY",
};

static const char *const number_names[20] = {
    "Z IY R OW",     "W AH N",          "T UW",
    "TH R IY",       "F AO R",          "F AY V",
    "S IH K S",      "S EH V AH N",     "EY T",
    "N AY N",        "T EH N",          "IH L EH V AH N",
    "T W EH L V",    "TH ER T IY N",    "F AO R T IY N",
    "F IH F T IY N", "S IH K S T IY N", "S EH V AH N T IY N",
    "EY T IY N",     "N AY N T IY N",
};

static const char *const tens_names[10] = {
    "",
    "",
    "T W EH N T IY",
    "TH ER D IY",
    "F AO R T IY",
    "F IH F T IY",
    "S IH K S T IY",
    "S EH V AH N T IY",
    "EY T IY",
    "N AY N T IY",
};

/* Appends the spoken digits at d (n of them): a number below 100, else
 * digit by digit. */
static int spell_digits(buf *b, const char *d, size_t n)
{
    int rc = RA_OK;
    if (n <= 2 && !(n == 2 && d[0] == '0')) {
        int v = n == 1 ? d[0] - '0' : (d[0] - '0') * 10 + (d[1] - '0');
        if (v < 20)
            return buf_printf(b, " %s", number_names[v]);
        rc = buf_printf(b, " %s", tens_names[v / 10]);
        if (rc == RA_OK && v % 10 != 0)
            rc = buf_printf(b, " %s", number_names[v % 10]);
        return rc;
    }
    for (size_t i = 0; i < n && rc == RA_OK; i++)
        rc = buf_printf(b, " %s", number_names[d[i] - '0']);
    return rc;
}

/* Spells a word of letters and digits ("t12" -> T IY T W EH L V): letters
 * by name, digit runs as numbers. RA_ERR_INVALID for other words. */
static int dict_spell(const char *w, buf *b)
{
    size_t n = strlen(w);
    if (strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789") != n || strpbrk(w, "0123456789") == NULL)
        return RA_ERR_INVALID;
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK;) {
        if (w[i] >= 'a' && w[i] <= 'z') {
            rc = buf_printf(b, " %s", letter_names[w[i] - 'a']);
            i++;
        } else {
            size_t k = strspn(w + i, "0123456789");
            rc = spell_digits(b, w + i, k);
            i += k;
        }
    }
    return rc;
}

/* ---- output ------------------------------------------------------------- */

/* Finds the pronunciations of words without one: spelled or letter-to-sound.
 * When espeak-ng cannot start, the words it would pronounce stay missing
 * (logged once). */
static int dict_fill_missing(dict_words *d, asr_dict_stats *st)
{
    char msg[256];
    int started = 0, failed = 0, rc = RA_OK;
    buf b;
    buf_init(&b, DICT_MAX_PRON);
    for (size_t i = 0; i < d->map.count && rc == RA_OK; i++) {
        if (d->source[i] != SRC_NONE)
            continue;
        buf_release(&b);
        rc = dict_spell(d->map.keys[i], &b);
        size_t *counter = &st->spelled;
        if (rc == RA_ERR_INVALID) {
            buf_release(&b);
            if (!started && !failed) {
                started = g2p_begin(msg, sizeof msg) == RA_OK;
                failed = !started;
                if (failed)
                    log_warn("asr: %s Words without a pronunciation are left out.", msg);
            }
            rc = started ? g2p_word(d->map.keys[i], &b) : RA_ERR_INVALID;
            counter = &st->espeak;
        }
        if (rc == RA_OK)
            rc = dict_add_pron(&d->prons[i], buf_str(&b) + (buf_str(&b)[0] == ' '));
        if (rc == RA_OK)
            (*counter)++;
        if (rc == RA_ERR_INVALID || rc == RA_ERR_FORMAT || rc == RA_ERR_TOO_LARGE)
            rc = RA_OK; /* no usable pronunciation: counted as missing below */
    }
    if (started)
        g2p_end();
    buf_release(&b);
    return rc;
}

/* Writes "word PH ..." and "word(2) PH ..." lines for every pronounced word. */
static int dict_write(const dict_words *d, const char *path, char *err, size_t errlen)
{
    asr_out o;
    int rc = asr_out_open(&o, path, err, errlen);
    if (rc != RA_OK)
        return rc;
    for (size_t i = 0; i < d->map.count; i++) {
        const char *p = buf_str(&d->prons[i]);
        for (int variant = 1; *p != '\0'; variant++) {
            size_t n = strcspn(p, "\n");
            if (variant == 1)
                fprintf(o.fp, "%s %.*s\n", d->map.keys[i], (int)n, p);
            else
                fprintf(o.fp, "%s(%d) %.*s\n", d->map.keys[i], variant, (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
    return asr_out_commit(&o, err, errlen);
}

int asr_dict_build_stats(const char *const *words, size_t n, const char *base_dict,
                         const char *lexicon_path, const char *out_path, asr_dict_stats *stats,
                         char *err, size_t errlen)
{
    asr_dict_stats st;
    memset(&st, 0, sizeof st);
    dict_words d;
    int rc = dict_words_init(&d, words, n);
    if (rc == RA_OK && lexicon_path != NULL)
        rc = dict_read(&d, lexicon_path, SRC_LEXICON, 1, err, errlen);
    if (rc == RA_OK)
        rc = dict_read(&d, base_dict != NULL ? base_dict : ASR_DEFAULT_BASE_DICT, SRC_CMUDICT, 0,
                       err, errlen);
    for (size_t i = 0; rc == RA_OK && i < d.map.count; i++) {
        st.lexicon += d.source[i] == SRC_LEXICON;
        st.cmudict += d.source[i] == SRC_CMUDICT;
    }
    if (rc == RA_OK)
        rc = dict_fill_missing(&d, &st);
    if (rc == RA_OK) {
        st.words = d.map.count;
        st.missing = st.words - st.lexicon - st.cmudict - st.spelled - st.espeak;
        rc = dict_write(&d, out_path, err, errlen);
    }
    if (rc == RA_ERR_NOMEM)
        ra_fail(err, errlen, rc, "Out of memory while building the dictionary.");
    if (rc == RA_OK && stats != NULL)
        *stats = st;
    dict_words_release(&d);
    return rc;
}

int asr_dict_build(const char *const *words, size_t n, const char *base_dict,
                   const char *lexicon_path, const char *out_path, char *err, size_t errlen)
{
    return asr_dict_build_stats(words, n, base_dict, lexicon_path, out_path, NULL, err, errlen);
}

/* norm.c - asr_normalize: written or dictated text to the spoken form that
 * language models and transcripts use (see asr.h): lowercase words,
 * numbers spelled out, written punctuation as the words radiologists say. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

/* The state of one normalisation: the output and what came last. */
typedef struct norm {
    buf out;
    int rc;          /* first error, RA_OK while all is well */
    int prev_number; /* the last thing emitted was a number */
} norm;

static void emit(norm *n, const char *word, size_t len)
{
    if (n->rc != RA_OK || len == 0)
        return;
    if (n->out.len > 0)
        n->rc = buf_putc(&n->out, ' ');
    if (n->rc == RA_OK)
        n->rc = buf_append(&n->out, word, len);
    n->prev_number = 0;
}

static void emit_s(norm *n, const char *word)
{
    emit(n, word, strlen(word));
}

/* ---- numbers ------------------------------------------------------------ */

static const char *const ones[] = {"zero",    "one",     "two",       "three",    "four",
                                   "five",    "six",     "seven",     "eight",    "nine",
                                   "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                   "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {"",      "",      "twenty",  "thirty", "forty",
                                   "fifty", "sixty", "seventy", "eighty", "ninety"};

/* Appends the words of 1 <= v <= 999 to b, each followed by a space. */
static int words_below_thousand(buf *b, unsigned v)
{
    int rc = RA_OK;
    if (v >= 100)
        rc = buf_printf(b, "%s hundred ", ones[v / 100]);
    v %= 100;
    if (rc == RA_OK && v >= 20) {
        rc = buf_printf(b, "%s ", tens[v / 10]);
        v %= 10;
        if (rc == RA_OK && v > 0)
            rc = buf_printf(b, "%s ", ones[v]);
    } else if (rc == RA_OK && v > 0) {
        rc = buf_printf(b, "%s ", ones[v]);
    }
    return rc;
}

/* Appends the words of the digit string d (n digits) to b, each followed by
 * a space: a cardinal up to 999999999, digit by digit when longer or when it
 * starts with a zero ("05" -> "zero five"). */
static int number_words(buf *b, const char *d, size_t n)
{
    static const char *const scale[] = {"million", "thousand", ""};
    if (n > 9 || (n > 1 && d[0] == '0')) {
        int rc = RA_OK;
        for (size_t i = 0; i < n && rc == RA_OK; i++)
            rc = buf_printf(b, "%s ", ones[d[i] - '0']);
        return rc;
    }
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned long)(d[i] - '0');
    if (v == 0)
        return buf_puts(b, "zero ");
    unsigned long div[] = {1000000ul, 1000ul, 1ul};
    int rc = RA_OK;
    for (int k = 0; k < 3 && rc == RA_OK; k++) {
        unsigned part = (unsigned)((v / div[k]) % 1000);
        if (part == 0)
            continue;
        rc = words_below_thousand(b, part);
        if (rc == RA_OK && scale[k][0] != '\0')
            rc = buf_printf(b, "%s ", scale[k]);
    }
    return rc;
}

/* Turns the last word of b (words each followed by a space) into its
 * ordinal: "twenty one " -> "twenty first ". */
static int make_ordinal(buf *b)
{
    static const char *const irregular[][2] = {
        {"one", "first"},    {"two", "second"}, {"three", "third"},    {"five", "fifth"},
        {"eight", "eighth"}, {"nine", "ninth"}, {"twelve", "twelfth"},
    };
    if (b->len < 2)
        return RA_OK;
    size_t end = b->len - 1, start = end;
    while (start > 0 && b->data[start - 1] != ' ')
        start--;
    char last[16];
    size_t len = end - start;
    if (len >= sizeof last)
        return RA_OK;
    memcpy(last, b->data + start, len);
    last[len] = '\0';
    b->len = start;
    b->data[start] = '\0';
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
        if (strcmp(last, irregular[i][0]) == 0)
            return buf_printf(b, "%s ", irregular[i][1]);
    if (len > 2 && strcmp(last + len - 2, "ty") == 0)
        return buf_printf(b, "%.*stieth ", (int)(len - 2), last);
    return buf_printf(b, "%sth ", last);
}

/* Emits a number: integer digits, an optional fraction (read digit by
 * digit after "point"), as an ordinal when ordinal is set. */
static void emit_number(norm *n, const char *d, size_t nd, const char *frac, size_t nf, int ordinal)
{
    buf b;
    buf_init(&b, 1024);
    int rc = number_words(&b, d, nd);
    if (rc == RA_OK && ordinal && nf == 0)
        rc = make_ordinal(&b);
    if (rc == RA_OK && nf > 0) {
        rc = buf_puts(&b, "point ");
        for (size_t i = 0; i < nf && rc == RA_OK; i++)
            rc = buf_printf(&b, "%s ", ones[frac[i] - '0']);
    }
    if (rc != RA_OK) {
        n->rc = rc;
    } else {
        emit(n, b.data, b.len - 1); /* without the trailing space */
        n->prev_number = 1;
    }
    buf_release(&b);
}

/* ---- words -------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The spoken form of a unit or abbreviation written as a word, or NULL. */
static const char *word_spoken(const char *w)
{
    static const char *const map[][2] = {
        {"mm", "millimeters"}, {"cm", "centimeters"}, {"ml", "milliliters"},
        {"vs", "versus"},      {"mg", "milligrams"},  {"kg", "kilograms"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(w, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* Emits a run of letters and apostrophes (lowercased); apostrophes at
 * either end are dropped. next_is_number tells whether a number follows, so
 * that "x" between numbers becomes "by". */
static void emit_letters(norm *n, const char *s, size_t len, int next_is_number)
{
    char w[ASR_MAX_WORD + 1];
    while (len > 0 && *s == '\'')
        s++, len--;
    while (len > 0 && s[len - 1] == '\'')
        len--;
    if (len == 0 || len > ASR_MAX_WORD)
        return;
    for (size_t i = 0; i < len; i++)
        w[i] = lower(s[i]);
    w[len] = '\0';
    if (strcmp(w, "x") == 0 && n->prev_number && next_is_number) {
        emit_s(n, "by");
        return;
    }
    const char *spoken = word_spoken(w);
    emit_s(n, spoken != NULL ? spoken : w);
}

/* True when s (len bytes) is an ordinal suffix. */
static int is_ordinal_suffix(const char *s, size_t len)
{
    if (len != 2)
        return 0;
    char a = lower(s[0]), b = lower(s[1]);
    return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
           (a == 't' && b == 'h');
}

/* Emits one ASCII word token: letters, digits, apostrophes and decimal
 * points. "t1", "l4", "c5" (at most three letters, then an integer) stay
 * one word; other mixes split into letter and number runs ("12mm", "12x8",
 * "1st"). next_is_number: a number follows this token in the text. */
static void emit_token(norm *n, const char *s, size_t len, int next_is_number)
{
    size_t nl = 0;
    while (nl < len && (is_alpha(s[nl]) || s[nl] == '\''))
        nl++;
    if (nl > 0 && nl <= 3 && nl < len) {
        size_t k = nl;
        while (k < len && is_digit(s[k]))
            k++;
        if (k == len && k - nl <= 2 && s[0] != '\'') {
            char w[8];
            for (size_t i = 0; i < len; i++)
                w[i] = lower(s[i]);
            emit(n, w, len);
            return;
        }
    }
    size_t i = 0;
    while (i < len && n->rc == RA_OK) {
        size_t j = i;
        if (is_digit(s[i])) {
            while (j < len && is_digit(s[j]))
                j++;
            size_t f = j, fe = j;
            if (j + 1 < len && s[j] == '.' && is_digit(s[j + 1])) {
                f = j + 1;
                for (fe = f; fe < len && is_digit(s[fe]);)
                    fe++;
            }
            size_t after = fe;
            while (after < len && is_alpha(s[after]))
                after++;
            int ord = is_ordinal_suffix(s + fe, after - fe);
            emit_number(n, s + i, j - i, s + f, fe - f, ord);
            j = ord ? after : fe;
        } else if (s[i] == '.') {
            j = i + 1;
        } else {
            while (j < len && (is_alpha(s[j]) || s[j] == '\''))
                j++;
            emit_letters(n, s + i, j - i, j < len ? is_digit(s[j]) : next_is_number);
        }
        i = j;
    }
}

/* ---- the scanner -------------------------------------------------------- */

/* True for bytes that belong to a word: ASCII letters, digits, apostrophes
 * and any byte of a non-ASCII character. */
static int word_byte(char c)
{
    return is_alpha(c) || is_digit(c) || c == '\'' || (unsigned char)c >= 0x80;
}

/* The length of the word starting at s: word bytes, a '.' or ',' between
 * digits ("3.5", "1,000"), and "bi-rads". */
static size_t word_length(const char *s)
{
    size_t i = 0;
    for (;;) {
        while (word_byte(s[i]))
            i++;
        if ((s[i] == '.' || s[i] == ',') && i > 0 && is_digit(s[i - 1]) && is_digit(s[i + 1])) {
            i++;
            continue;
        }
        if (s[i] == '-' && i == 2 && strncasecmp(s, "bi-rads", 7) == 0) {
            i++;
            continue;
        }
        return i;
    }
}

/* Copies a word without thousands separators ("1,000" -> "1000"), with
 * typographic apostrophes made ASCII; non-ASCII letters are folded. */
static void emit_raw_word(norm *n, const char *s, size_t len, int next_is_number)
{
    char *w = malloc(len + 1);
    if (w == NULL) {
        n->rc = RA_ERR_NOMEM;
        return;
    }
    size_t o = 0, nonascii = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ',' || s[i] == '-')
            continue;
        if (i + 2 < len && memcmp(s + i, "\xE2\x80\x99", 3) == 0) {
            w[o++] = '\'';
            i += 2;
            continue;
        }
        nonascii += (unsigned char)s[i] >= 0x80;
        w[o++] = s[i];
    }
    w[o] = '\0';
    if (nonascii == 0) {
        emit_token(n, w, o, next_is_number);
    } else {
        char *folded = text_fold(w);
        for (char *p = folded; p != NULL && *p != '\0';) {
            size_t k = 0;
            while (p[k] != '\0' && p[k] != ' ')
                k++;
            size_t a = 0;
            while (a < k && (is_alpha(p[a]) || is_digit(p[a])))
                a++;
            if (a == k && k > 0)
                emit_token(n, p, k, next_is_number);
            p += k;
            while (*p == ' ')
                p++;
        }
        free(folded);
    }
    free(w);
}

/* The spoken word for punctuation character c at s, or NULL. A '.' counts
 * only where a sentence ends (followed by space, end, a quote or bracket). */
static const char *punct_word(const char *s)
{
    char next = s[1];
    int ends = next == '\0' || next == ' ' || next == '\n' || next == '\t' || next == '\r' ||
               next == ')' || next == ']' || next == '"' || next == '\'';
    switch (*s) {
    case '.':
        return ends ? "period" : NULL;
    case ',':
        return "comma";
    case ':':
        return "colon";
    case ';':
        return "semicolon";
    case '?':
        return "question mark";
    case '%':
        return "percent";
    case '+':
        return "plus";
    case '&':
        return "and";
    default:
        return NULL;
    }
}

static int mark_word_is(const char *w, size_t n, const char *s)
{
    return w != NULL && strlen(s) == n && memcmp(w, s, n) == 0;
}

size_t asr_spoken_mark(const char *w, size_t n, const char *next, size_t nn, asr_mark *kind)
{
    static const char *const ends[] = {"period", "semicolon", "newline"};
    *kind = ASR_MARK_END;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (mark_word_is(w, n, ends[i]))
            return 1;
    if (mark_word_is(w, n, "comma") || mark_word_is(w, n, "colon")) {
        *kind = mark_word_is(w, n, "comma") ? ASR_MARK_COMMA : ASR_MARK_COLON;
        return 1;
    }
    if ((mark_word_is(w, n, "question") && mark_word_is(next, nn, "mark")) ||
        (mark_word_is(w, n, "full") && mark_word_is(next, nn, "stop")) ||
        ((mark_word_is(w, n, "new") || mark_word_is(w, n, "next")) &&
         (mark_word_is(next, nn, "line") || mark_word_is(next, nn, "paragraph"))))
        return 2;
    return 0;
}

/* The last word emitted, for collapsing repeated punctuation words. */
static const char *last_word(const norm *n)
{
    const char *s = buf_str(&n->out);
    const char *sp = strrchr(s, ' ');
    return sp != NULL ? sp + 1 : s;
}

static int starts_number(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return is_digit(*s);
}

int asr_normalize(const char *text, char **out)
{
    norm n;
    buf_init(&n.out, 4 * (size_t)ASR_MAX_TEXT);
    n.rc = RA_OK;
    n.prev_number = 0;
    const char *s = text;
    while (*s != '\0' && n.rc == RA_OK) {
        if (s[0] == '{' && s[1] == '{') {
            const char *close = strstr(s + 2, "}}");
            if (close != NULL && close - s < 64) {
                s = close + 2;
                continue;
            }
        }
        size_t len = word_length(s);
        if (len > 0) {
            emit_raw_word(&n, s, len, starts_number(s + len));
            s += len;
            continue;
        }
        const char *p = punct_word(s);
        if (p != NULL && n.out.len > 0 && strcmp(last_word(&n), p) != 0)
            emit_s(&n, p);
        s++;
    }
    if (n.rc != RA_OK) {
        buf_release(&n.out);
        return n.rc;
    }
    char *res = buf_detach(&n.out);
    if (res == NULL)
        return RA_ERR_NOMEM;
    *out = res;
    return RA_OK;
}

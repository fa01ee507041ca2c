/* structure.c - the rules structurer (see structure.h): the tokenizer; the
 * walk that decides what each word is; and the writer that lays the text
 * out into one buffer per section. Language-neutral: every word it knows
 * comes from the language's table (structuring/lang.h, lang_<code>.c). */
#include "structuring/structure.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/text.h"
#include "structuring/lang.h"
#include "structuring/macros.h"

#define ST_SENTENCE_LOOKAHEAD 60 /* words scanned for a sentence's verb */
#define ST_MAX_DIMENSIONS 4      /* "a x b x c" */
#define ST_NUM_TEXT 64           /* bytes of one rendered measurement */
#define ST_TITLE_MAX_WORDS 10    /* words of an exam title before the first heading */
#define ST_TITLE_MISHEARD 2      /* words a misheard modality of a title may have become */
#define ST_TITLE_OWN_WORDS 3     /* a title's words that are no exam words ("arthrogram") */

/* ---- small helpers ------------------------------------------------------ */

/* Writes c as UTF-8 into out (at least 4 bytes); returns the byte count. */
static size_t st_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The uppercase of lowercase letter c: ASCII (with the Turkic dotted capital
 * I when turkic), Latin-1, Latin Extended-A, Azerbaijani schwa, Cyrillic.
 * Anything else is returned unchanged. */
static uint32_t st_upper(uint32_t c, int turkic)
{
    if (c >= 'a' && c <= 'z')
        return turkic && c == 'i' ? 0x130 : c - 32;
    if (c == 0x131)
        return 'I';
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && (c & 1))
        return c - 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !(c & 1))
        return c - 1;
    if (c == 0x259)
        return 0x18F;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

static int st_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int st_is_space(unsigned char c)
{
    return c <= 0x20 || c == 0x7F;
}

const char *report_lang_normalize(const char *lang)
{
    const char *code = lang_code(lang);
    for (size_t i = 0; code != NULL && i < report_lang_count(); i++) {
        if (strcmp(code, report_lang_at(i)->code) == 0)
            return report_lang_at(i)->code;
    }
    return NULL;
}

/* ---- tokens ------------------------------------------------------------- */

enum { TK_WORD, TK_PUNCT, TK_BREAK };

typedef struct st_tok {
    const char *raw;     /* the word's bytes in the transcript (TK_WORD) */
    size_t len;          /* its length */
    size_t fold;         /* offset of its folded form in st_ctx.folds */
    unsigned char kind;  /* TK_* */
    char arg;            /* TK_PUNCT: the character; TK_BREAK: 1 line, 2 paragraph */
    unsigned char glued; /* typed with no space before it ("(" of "alert(1)") */
} st_tok;

typedef struct st_ctx {
    const report_lang *lang;
    const report_macro_set *macros; /* voice macros (structuring/macros.h), or NULL */
    st_tok *tok;
    size_t ntok, captok;
    buf folds;                      /* folded words, each NUL-terminated */
    buf out[REPORT_SEC_COUNT];      /* the text of each section so far */
    int cap_next[REPORT_SEC_COUNT]; /* the next word starts a sentence */
    int join;                       /* the last thing written was a hyphen or slash */
    int sec;                        /* the section being written */
    int sentence_start;             /* the next word starts a sentence */
} st_ctx;

static int st_push(st_ctx *c, st_tok t)
{
    st_tok *p = ra_array_reserve(c->tok, c->ntok, &c->captok, sizeof *p, 256);
    if (p == NULL)
        return RA_ERR_NOMEM;
    c->tok = p;
    c->tok[c->ntok++] = t;
    return RA_OK;
}

/* Appends the folded form of the n bytes at w to c->folds (trimmed,
 * NUL-terminated) and sets *off to where it starts. ASCII words are folded
 * here; others through text_fold. */
static int st_fold_word(st_ctx *c, const char *w, size_t n, size_t *off)
{
    char small[128];
    char *tmp = n < sizeof small ? small : malloc(n + 1);
    if (tmp == NULL)
        return RA_ERR_NOMEM;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)w[i];
        ascii &= ch < 0x80;
        int alnum = (ch >= 'a' && ch <= 'z') || st_is_digit((char)ch);
        tmp[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : alnum || ch >= 0x80 ? (char)ch : ' ';
    }
    tmp[n] = '\0';
    char *folded = ascii ? tmp : text_fold(tmp);
    int rc = folded != NULL ? RA_OK : RA_ERR_NOMEM;
    if (rc == RA_OK) {
        const char *s = folded;
        size_t len = strlen(s);
        while (len > 0 && *s == ' ')
            s++, len--;
        while (len > 0 && s[len - 1] == ' ')
            len--;
        *off = c->folds.len;
        rc = buf_append(&c->folds, s, len);
        if (rc == RA_OK)
            rc = buf_putc(&c->folds, '\0');
    }
    if (folded != tmp)
        free(folded);
    if (tmp != small)
        free(tmp);
    return rc;
}

static int st_add_word(st_ctx *c, const char *w, size_t n, int glued)
{
    st_tok t = {w, n, 0, TK_WORD, 0, (unsigned char)glued};
    int rc = st_fold_word(c, w, n, &t.fold);
    return rc == RA_OK ? st_push(c, t) : rc;
}

static int st_add_mark(st_ctx *c, unsigned char kind, char arg, int glued)
{
    st_tok t = {NULL, 0, 0, kind, arg, (unsigned char)glued};
    return st_push(c, t);
}

static int st_is_abbrev(const char *w, size_t n)
{
    char low[16];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = w[i] >= 'A' && w[i] <= 'Z' ? (char)(w[i] + 32) : w[i];
    low[n] = '\0';
    return report_word_in(low, report_abbrevs);
}

/* True when the punctuation at q (inside the word [w, end), current piece
 * starting at seg) is a token of its own rather than part of the word:
 * decimal separators and times stay ("2.5", "2,5", "12:30"), a '.' inside a
 * word stays ("e.g"), and so does the '.' of a known abbreviation. */
static int st_splits(const char *w, const char *end, const char *seg, const char *q)
{
    char ch = *q;
    if (strchr(",;:?!().", ch) == NULL)
        return 0;
    int between_digits = q > w && q + 1 < end && st_is_digit(q[-1]) && st_is_digit(q[1]);
    if ((ch == ',' || ch == ':' || ch == '.') && between_digits)
        return 0;
    if (ch == '.') {
        unsigned char next = q + 1 < end ? (unsigned char)q[1] : 0;
        int leading = q == seg && !st_is_digit((char)next); /* ".5" stays */
        if (next != 0 && !leading && strchr(",;:?!().\"'", (char)next) == NULL)
            return 0;
        if (st_is_abbrev(seg, (size_t)(q - seg)))
            return 0;
    }
    return 1;
}

/* Splits the whitespace-free run [w, end) into words and punctuation. */
static int st_split_run(st_ctx *c, const char *w, const char *end)
{
    int rc = RA_OK;
    const char *seg = w;
    for (const char *q = w; q < end && rc == RA_OK; q++) {
        if (!st_splits(w, end, seg, q))
            continue;
        if (q > seg)
            rc = st_add_word(c, seg, (size_t)(q - seg), seg > w);
        if (rc == RA_OK)
            rc = st_add_mark(c, TK_PUNCT, *q, q > w);
        seg = q + 1;
    }
    if (rc == RA_OK && seg < end)
        rc = st_add_word(c, seg, (size_t)(end - seg), seg > w);
    return rc;
}

/* Cuts s into tokens: words, typed punctuation, and line breaks (a
 * whitespace run with one newline is a line break, with two a paragraph). */
static int st_tokenize(st_ctx *c, const char *s)
{
    int rc = RA_OK;
    const char *p = s;
    while (*p != '\0' && rc == RA_OK) {
        if (st_is_space((unsigned char)*p)) {
            int nl = 0;
            for (; *p != '\0' && st_is_space((unsigned char)*p); p++)
                nl += *p == '\n';
            if (nl > 0)
                rc = st_add_mark(c, TK_BREAK, (char)(nl > 1 ? 2 : 1), 0);
            continue;
        }
        const char *end = p;
        while (*end != '\0' && !st_is_space((unsigned char)*end))
            end++;
        rc = st_split_run(c, p, end);
        p = end;
    }
    return rc;
}

/* The folded word at token i, or "" past the end or for a non-word. */
static const char *st_word(const st_ctx *c, size_t i)
{
    if (i >= c->ntok || c->tok[i].kind != TK_WORD)
        return "";
    return c->folds.data + c->tok[i].fold;
}

/* st_word for the matchers of structuring/lang.h. */
static const char *st_word_at(const void *ctx, size_t i)
{
    return st_word(ctx, i);
}

/* The last folded word part of the word before token i ("follow-up" ->
 * "up"), or "". */
static const char *st_prev_word(const st_ctx *c, size_t i)
{
    if (i == 0)
        return "";
    const char *w = st_word(c, i - 1);
    const char *sp = strrchr(w, ' ');
    return sp != NULL ? sp + 1 : w;
}

/* The first folded word part of the word at token i ("d'examen" -> "d")
 * in the n bytes of out, or "". */
static const char *st_next_word(const st_ctx *c, size_t i, char *out, size_t n)
{
    const char *w = st_word(c, i);
    size_t len = strcspn(w, " ");
    if (w[len] == '\0' || len >= n)
        return w;
    memcpy(out, w, len);
    out[len] = '\0';
    return out;
}

/* ---- phrases ------------------------------------------------------------ */

/* The longest phrase of the language matching at i whose action is (or,
 * with !section, is not) REPORT_ACT_SECTION; *n gets its length. NULL if
 * none. */
static const report_phrase *st_match(const st_ctx *c, size_t i, int section, size_t *n)
{
    const report_phrase *best = NULL;
    size_t best_n = 0;
    if (*st_word(c, i) == '\0') {
        *n = 0;
        return NULL;
    }
    report_phrase_set may = report_phrases_may_start(c->lang, st_word(c, i));
    for (size_t p = 0; p < c->lang->n_phrases; p++) {
        const report_phrase *ph = &c->lang->phrases[p];
        if ((ph->act == REPORT_ACT_SECTION) != section || !report_phrase_set_has(&may, p))
            continue;
        size_t k = report_alts_len(ph->words, st_word_at, c, i);
        if (k > best_n) {
            best = ph;
            best_n = k;
        }
    }
    *n = best_n;
    return best;
}

/* Tokens of a colon at i (typed ':' or a spoken one), or 0. */
static size_t st_colon_at(const st_ctx *c, size_t i)
{
    if (i < c->ntok && c->tok[i].kind == TK_PUNCT && c->tok[i].arg == ':')
        return 1;
    size_t n = 0;
    const report_phrase *ph = st_match(c, i, 0, &n);
    return ph != NULL && ph->act == REPORT_ACT_PUNCT && ph->arg == ':' ? n : 0;
}

/* True when a line break, typed or spoken, is at i. */
static int st_break_at(const st_ctx *c, size_t i)
{
    if (i < c->ntok && c->tok[i].kind == TK_BREAK)
        return 1;
    size_t n = 0;
    const report_phrase *ph = st_match(c, i, 0, &n);
    return ph != NULL && ph->act == REPORT_ACT_BREAK;
}

/* True when token i ends a sentence: typed . ? ! or a break, or the spoken
 * period or line break. */
static int st_ends_sentence(const st_ctx *c, size_t i)
{
    const st_tok *t = &c->tok[i];
    if (t->kind == TK_BREAK)
        return 1;
    if (t->kind == TK_PUNCT)
        return strchr(".?!", t->arg) != NULL;
    size_t n = 0;
    const report_phrase *ph = st_match(c, i, 0, &n);
    return ph != NULL &&
           (ph->act == REPORT_ACT_BREAK || (ph->act == REPORT_ACT_PUNCT && strchr(".?!", ph->arg)));
}

/* True when the sentence that goes on at token i ends (before a . ? ! or a
 * line break, spoken or typed, or a section word) with a word of list: a
 * Turkish predicate such as "uyumludur". */
static int st_sentence_ends_with(const st_ctx *c, size_t i, const char *list)
{
    const char *last = "";
    size_t n = 0;
    for (size_t k = 0; k < ST_SENTENCE_LOOKAHEAD && i + k < c->ntok; k++) {
        if (st_ends_sentence(c, i + k) || st_match(c, i + k, 1, &n) != NULL)
            return report_word_in(last, list);
        if (c->tok[i + k].kind == TK_WORD)
            last = st_word(c, i + k);
    }
    return i + ST_SENTENCE_LOOKAHEAD >= c->ntok && report_word_in(last, list);
}

static int st_is_preamble(int sec)
{
    return sec == REPORT_SEC_KLINIK || sec == REPORT_SEC_TEKNIK || sec == REPORT_SEC_KARSILASTIRMA;
}

/* True when a heading of section sec here belongs to a report's opening:
 * findings right after a preamble section, or a preamble section or
 * findings before any findings or conclusion were written ("Comparison
 * with the CT from last year."). Such a heading may open with a word of
 * the language's joins. */
static int st_opens_report(const st_ctx *c, int sec)
{
    if (sec == REPORT_SEC_SONUC || sec == REPORT_SEC_IZLENIM)
        return 0;
    if (sec == REPORT_SEC_BULGULAR && st_is_preamble(c->sec))
        return 1;
    return c->out[REPORT_SEC_BULGULAR].len == 0 && c->out[REPORT_SEC_SONUC].len == 0 &&
           c->out[REPORT_SEC_IZLENIM].len == 0;
}

/* Whether section phrase ph at token i (its words ending before j), with no
 * colon or break after it, reads as a heading (see structure.h). */
static int st_heading_plausible(const st_ctx *c, const report_phrase *ph, size_t i, size_t j)
{
    char part[64];
    const char *next = st_next_word(c, j, part, sizeof part);
    if (report_word_in(next, c->lang->stops) || report_word_in(next, ph->not_before) ||
        report_word_in(st_prev_word(c, i), ph->not_after))
        return 0;
    if (report_word_in(next, c->lang->joins) && !st_opens_report(c, ph->arg))
        return 0;
    if (ph->arg == REPORT_SEC_BULGULAR && st_sentence_ends_with(c, j, c->lang->conclusive))
        return 0;
    if (c->sentence_start)
        return 1;
    if (report_word_in(st_prev_word(c, i), c->lang->qualifiers))
        return 0;
    return (ph->flags & REPORT_PH_STRONG) || (st_is_preamble(c->sec) && ph->arg != c->sec);
}

/* ---- writing ------------------------------------------------------------ */

static buf *st_cur(st_ctx *c)
{
    return &c->out[c->sec];
}

static char st_last(const buf *b)
{
    return b->len > 0 ? b->data[b->len - 1] : '\0';
}

static void st_trim_spaces(buf *b)
{
    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
}

/* Writes the n-byte word w, with a space before it where one belongs and its
 * first letter uppercased when it starts a sentence. */
static int st_put_word(st_ctx *c, const char *w, size_t n)
{
    buf *b = st_cur(c);
    int rc = RA_OK;
    char last = st_last(b);
    if (b->len > 0 && !c->join && last != '\n' && last != '(')
        rc = buf_putc(b, ' ');
    c->join = 0;
    if (rc == RA_OK && c->cap_next[c->sec] && n > 0) {
        size_t k;
        char up[4];
        uint32_t ch = text_decode((const char *)w, &k);
        rc = buf_append(b, up, st_encode(st_upper(ch, c->lang->turkic), up));
        w += k;
        n -= k;
    }
    c->cap_next[c->sec] = 0;
    return rc == RA_OK ? buf_append(b, w, n) : rc;
}

/* Writes sentence punctuation p (. , : ; ? !): never at the start of a
 * section or line, never twice, a weaker mark replaced by a stronger. */
static int st_put_mark(st_ctx *c, char p)
{
    buf *b = st_cur(c);
    st_trim_spaces(b);
    char last = st_last(b);
    int end = strchr(".?!", p) != NULL;
    if (end) {
        c->cap_next[c->sec] = 1;
        c->sentence_start = 1;
    }
    if (b->len == 0 || last == '\n' || last == '(')
        return RA_OK;
    if (strchr(".,:;?!", last) != NULL) {
        int last_end = strchr(".?!", last) != NULL;
        if (last == p || (!end && last_end))
            return RA_OK;
        b->data[b->len - 1] = p;
        return RA_OK;
    }
    return buf_putc(b, p);
}

static int st_put_punct(st_ctx *c, char p)
{
    buf *b = st_cur(c);
    int rc = RA_OK;
    if (strchr(".,:;?!", p) != NULL) {
        c->join = 0;
        if (strchr(".?!", p) == NULL)
            c->sentence_start = 0;
        return st_put_mark(c, p);
    }
    if (p == '(') {
        char last = st_last(b);
        if (b->len > 0 && !c->join && last != '\n' && last != '(')
            rc = buf_putc(b, ' ');
        c->join = 0;
        return rc == RA_OK ? buf_putc(b, '(') : rc;
    }
    st_trim_spaces(b);
    if (b->len == 0 || st_last(b) == '\n')
        return RA_OK;
    c->join = p == '-' || p == '/';
    return buf_putc(b, p);
}

/* Ends the line (paragraph: leaves one blank line); nothing at the start of
 * a section, and never more than one blank line. */
static int st_put_break(st_ctx *c, int paragraph)
{
    buf *b = st_cur(c);
    int rc = RA_OK;
    st_trim_spaces(b);
    c->join = 0;
    c->cap_next[c->sec] = 1;
    c->sentence_start = 1;
    if (b->len == 0)
        return RA_OK;
    int nl = st_last(b) == '\n';
    if (nl && b->len > 1 && b->data[b->len - 2] == '\n')
        return RA_OK;
    if (!nl)
        rc = buf_putc(b, '\n');
    if (rc == RA_OK && (paragraph || nl))
        rc = buf_putc(b, '\n');
    return rc;
}

/* Continues in section sec, on a new line when it already has text. */
static int st_switch(st_ctx *c, int sec)
{
    c->sec = sec;
    c->cap_next[sec] = 1;
    c->sentence_start = 1;
    c->join = 0;
    buf *b = st_cur(c);
    st_trim_spaces(b);
    return b->len > 0 && st_last(b) != '\n' ? buf_putc(b, '\n') : RA_OK;
}

/* The n bytes at w in capitals into out (outsz bytes) when every letter is
 * lowercase and it is an abbreviation of report_acronyms or a spine level
 * ("l4", "t12"); returns the bytes written, 0 when it is none. */
static size_t st_acronym(const char *w, size_t n, char *out, size_t outsz)
{
    char low[32];
    size_t o = 0, letters = 0;
    if (n == 0 || n >= sizeof low || 4 * n >= outsz)
        return 0;
    memcpy(low, w, n);
    low[n] = '\0';
    for (size_t k = 0; k < n;) {
        size_t len = 0;
        uint32_t ch = text_decode(w + k, &len);
        uint32_t up = st_upper(ch, 0);
        if (up == ch && !st_is_digit(w[k]))
            return 0;
        letters += !st_is_digit(w[k]);
        o += st_encode(up, out + o);
        k += len;
    }
    int level = (n == 2 || n == 3) && strchr("lcts", low[0]) != NULL && st_is_digit(low[1]) &&
                (n == 2 || st_is_digit(low[2]));
    return letters > 0 && (level || report_word_in(low, report_acronyms)) ? o : 0;
}

/* Writes the word at token i: known abbreviations in capitals ("bt'de" ->
 * "BT'de", "l4" -> "L4", "мрт" -> "МРТ"), anything else as it was typed. */
static int st_put_token_word(st_ctx *c, size_t i)
{
    const st_tok *t = &c->tok[i];
    char up[128];
    size_t stem = 0;
    while (stem < t->len && t->raw[stem] != '\'')
        stem++;
    size_t n = st_acronym(t->raw, stem, up, sizeof up);
    if (n > 0) {
        int rc = st_put_word(c, up, n);
        return rc == RA_OK ? buf_append(st_cur(c), t->raw + stem, t->len - stem) : rc;
    }
    return st_put_word(c, t->raw, t->len);
}

/* ---- measurements ------------------------------------------------------- */

/* True when token i is a number in digits: 12, 2.5, 2,5. *dec is set when
 * it has a decimal part. */
static int st_digits_at(const st_ctx *c, size_t i, int *dec)
{
    if (i >= c->ntok || c->tok[i].kind != TK_WORD)
        return 0;
    const st_tok *t = &c->tok[i];
    size_t k = 0, seps = 0;
    for (; k < t->len; k++) {
        int sep = (t->raw[k] == '.' || t->raw[k] == ',') && k > 0 && k + 1 < t->len;
        if (!st_is_digit(t->raw[k]) && !sep)
            return 0;
        seps += (size_t)sep;
    }
    *dec = seps > 0;
    return t->len > 0 && t->len <= 12 && seps <= 1;
}

/* Reads a number in words (0 to 999) at token i (report_number_read);
 * returns the tokens used (0 when there is none) and sets *value. */
static size_t st_number_words(const st_ctx *c, size_t i, unsigned *value)
{
    const char *words[REPORT_NUMBER_MAX_WORDS];
    size_t n = 0;
    for (; n < REPORT_NUMBER_MAX_WORDS && i + n < c->ntok; n++)
        words[n] = st_word(c, i + n);
    return report_number_read(c->lang, words, n, value);
}

/* Reads the integer part of a number at i (digits or words) into out;
 * returns the tokens used or 0. */
static size_t st_integer(const st_ctx *c, size_t i, char *out, size_t outsz, int *words, int *dec)
{
    unsigned v = 0;
    int d = 0;
    if (st_digits_at(c, i, &d)) {
        snprintf(out, outsz, "%.*s", (int)c->tok[i].len, c->tok[i].raw);
        *dec |= d;
        return 1;
    }
    size_t n = st_number_words(c, i, &v);
    if (n > 0) {
        snprintf(out, outsz, "%u", v);
        *words = 1;
    }
    return n;
}

/* Reads the digits after a spoken decimal separator at i ("beş", "zero
 * five", "25", "onda beş", "пять десятых") into frac; returns the tokens
 * used or 0. */
static size_t st_fraction(const st_ctx *c, size_t i, char *frac, size_t fracsz, int *words)
{
    size_t k = i + report_alts_len(c->lang->frac_before, st_word_at, c, i), f = 0;
    unsigned v = 0;
    int fd = 0;
    frac[0] = '\0';
    while (f < 8 && f + 1 < fracsz && report_word_in(st_word(c, k), c->lang->ones[0])) {
        frac[f++] = '0';
        frac[f] = '\0';
        k++;
    }
    size_t n = st_number_words(c, k, &v);
    if (st_digits_at(c, k, &fd) && !fd) {
        snprintf(frac + f, fracsz - f, "%.*s", (int)c->tok[k].len, c->tok[k].raw);
        k++;
    } else if (n > 0) {
        snprintf(frac + f, fracsz - f, "%u", v);
        k += n;
        *words = 1;
    }
    if (frac[0] == '\0')
        return 0;
    return k + report_alts_len(c->lang->frac_after, st_word_at, c, k) - i;
}

/* Reads a number at i (digits or words, with an optional spoken decimal
 * part or half) into out; returns the tokens used or 0. *words is set when
 * a number word was used, *dec when there is a decimal part. */
static size_t st_value(const st_ctx *c, size_t i, char *out, size_t outsz, int *words, int *dec)
{
    int d = 0;
    size_t j = i + st_integer(c, i, out, outsz, words, &d);
    if (j == i)
        return 0;
    *dec |= d;
    size_t used = strlen(out);
    size_t half = d ? 0 : report_alts_len(c->lang->half, st_word_at, c, j);
    if (half > 0) {
        snprintf(out + used, outsz - used, "%c5", c->lang->half_sep);
        *dec = 1;
        return j + half - i;
    }
    const char *w = st_word(c, j);
    char sep = report_word_in(w, c->lang->dec_point)   ? '.'
               : report_word_in(w, c->lang->dec_comma) ? ','
                                                       : 0;
    if (sep == 0 || d)
        return j - i;
    char frac[24];
    size_t k = st_fraction(c, j + 1, frac, sizeof frac, words);
    if (k == 0)
        return j - i;
    snprintf(out + used, outsz - used, "%c%s", sep, frac);
    *dec = 1;
    return j + 1 + k - i;
}

/* The unit at token i, or NULL; *suffix gets the suffix after a unit stem
 * ("lik" of "santimetrelik"), else "". */
static const report_unit *st_unit_at(const st_ctx *c, size_t i, const char **suffix)
{
    const char *w = st_word(c, i);
    *suffix = "";
    if (*w == '\0' || strchr(w, ' ') != NULL)
        return NULL;
    for (size_t u = 0; u < c->lang->n_units; u++) {
        const report_unit *unit = &c->lang->units[u];
        size_t n = strlen(unit->words);
        if (unit->stem && strncmp(w, unit->words, n) == 0) {
            *suffix = w + n;
            return unit;
        }
        if (!unit->stem && report_word_in(w, unit->words))
            return unit;
    }
    return NULL;
}

/* True when a decimal separator between tokens i and j is said with a
 * word that is also a spoken command of the language (Turkish "nokta",
 * German "Komma"): such a number in words needs a unit to be a number
 * ("iki nokta" is a colon). English "point" is no command. */
static int st_separator_is_command(const st_ctx *c, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++) {
        const char *w = st_word(c, k);
        size_t n = 0;
        if ((report_word_in(w, c->lang->dec_point) || report_word_in(w, c->lang->dec_comma)) &&
            st_match(c, k, 0, &n) != NULL)
            return 1;
    }
    return 0;
}

/* True when a range word ("to", "до", "bis") at j is followed by a number
 * with a unit: the number before it is a measurement too. */
static int st_range_to_unit(const st_ctx *c, size_t j)
{
    char v[ST_NUM_TEXT];
    int words = 0, dec = 0;
    const char *suffix = "";
    if (!report_word_in(st_word(c, j), c->lang->range))
        return 0;
    size_t k = st_value(c, j + 1, v, sizeof v, &words, &dec);
    return k > 0 && st_unit_at(c, j + 1 + k, &suffix) != NULL;
}

/* Reads a measurement at i into out ("12 x 8 mm", "2.5 cm'lik", "2.5");
 * returns the tokens used, or 0 when there is no measurement. */
static size_t st_measure(const st_ctx *c, size_t i, char *out, size_t outsz)
{
    int words = 0, dec = 0;
    char v[ST_NUM_TEXT];
    size_t j = i + st_value(c, i, v, sizeof v, &words, &dec);
    if (j == i)
        return 0;
    snprintf(out, outsz, "%s", v);
    int dims = 1;
    while (dims < ST_MAX_DIMENSIONS && report_word_in(st_word(c, j), c->lang->by)) {
        size_t k = st_value(c, j + 1, v, sizeof v, &words, &dec);
        if (k == 0)
            break;
        size_t used = strlen(out);
        snprintf(out + used, outsz - used, " x %s", v);
        j += 1 + k;
        dims++;
    }
    const char *suffix = "";
    const report_unit *u = st_unit_at(c, j, &suffix);
    if (u == NULL && dims == 1 && st_range_to_unit(c, j))
        return j - i; /* "from fourteen to six millimeters": 14, the unit said once */
    if (u == NULL)
        return (!words || (dec && !st_separator_is_command(c, i, j))) && (dec || dims > 1) ? j - i
                                                                                           : 0;
    /* "deux centimètres et demi": the half after the unit. */
    size_t half =
        dims == 1 && !dec && !*suffix ? report_alts_len(c->lang->half, st_word_at, c, j + 1) : 0;
    size_t used = strlen(out);
    if (half > 0) {
        snprintf(out + used, outsz - used, "%c5", c->lang->half_sep);
        used = strlen(out);
    }
    char mark[2] = {*suffix ? c->lang->suffix_mark : '\0', '\0'};
    if (u->out != NULL)
        snprintf(out + used, outsz - used, " %s%s%s", u->out, mark, suffix);
    else /* a word kept as dictated: "21 weeks" */
        snprintf(out + used, outsz - used, " %.*s", (int)c->tok[j].len, c->tok[j].raw);
    return j + 1 + half - i;
}

/* ---- the walk ----------------------------------------------------------- */

/* Takes a heading at *i when there is one: switches section and steps past
 * the section words and a colon after them. *taken tells whether it did. */
static int st_heading(st_ctx *c, size_t *i, int *taken)
{
    size_t n = 0;
    const report_phrase *ph = st_match(c, *i, 1, &n);
    *taken = 0;
    if (ph == NULL)
        return RA_OK;
    size_t j = *i + n;
    size_t colon = st_colon_at(c, j);
    if (colon == 0 && !st_break_at(c, j) && !st_heading_plausible(c, ph, *i, j))
        return RA_OK;
    *taken = 1;
    *i = j + colon;
    return st_switch(c, ph->arg);
}

/* The spoken command at i, honouring its guards, or NULL; *n its length. */
static const report_phrase *st_command(const st_ctx *c, size_t i, size_t *n)
{
    const report_phrase *ph = st_match(c, i, 0, n);
    if (ph == NULL)
        return NULL;
    if ((ph->flags & REPORT_PH_NO_START) && c->sentence_start)
        return NULL;
    char part[64];
    if (report_word_in(st_prev_word(c, i), ph->not_after) ||
        report_word_in(st_next_word(c, i + *n, part, sizeof part), ph->not_before))
        return NULL;
    return ph;
}

/* ---- voice macros (structuring/macros.h) -------------------------------------- */

/* The macro at token i, if any: its text and *n, the tokens it spans. */
static const char *st_macro_at(const st_ctx *c, size_t i, size_t *n)
{
    const char *words[1 + REPORT_MACRO_NAME_WORDS];
    size_t k = 0;
    for (; k < sizeof words / sizeof words[0] && i + k < c->ntok; k++)
        words[k] = st_word(c, i + k);
    const char *text = NULL;
    return report_macro_match(c->macros, words, k, c->sec, n, &text) ? text : NULL;
}

/* Writes a macro's text (finished lines) as sentences of their own: the
 * sentence before it ends, and the next word starts a new one. */
static int st_put_macro(st_ctx *c, const char *text)
{
    buf *b = st_cur(c);
    st_trim_spaces(b);
    char last = st_last(b);
    int rc = RA_OK;
    if (b->len > 0 && strchr(",;", last) != NULL)
        b->data[b->len - 1] = '.';
    else if (b->len > 0 && strchr(".?!:\n(", last) == NULL)
        rc = buf_putc(b, '.');
    if (rc == RA_OK && b->len > 0 && st_last(b) != '\n')
        rc = buf_putc(b, ' ');
    if (rc == RA_OK)
        rc = buf_puts(b, text);
    if (rc == RA_OK && strchr(".?!:", st_last(b)) == NULL)
        rc = buf_putc(b, '.');
    c->cap_next[c->sec] = 1;
    c->sentence_start = 1;
    c->join = 0;
    return rc;
}

/* Handles the word at *i and steps past what it used. */
static int st_step_word(st_ctx *c, size_t *i)
{
    int taken = 0;
    int rc = st_heading(c, i, &taken);
    if (rc != RA_OK || taken)
        return rc;
    size_t used = 0;
    const char *macro = st_macro_at(c, *i, &used);
    if (macro != NULL) {
        *i += used;
        return st_put_macro(c, macro);
    }
    char num[ST_NUM_TEXT * ST_MAX_DIMENSIONS + 32];
    size_t n = st_measure(c, *i, num, sizeof num);
    if (n > 0) {
        *i += n;
        c->sentence_start = 0;
        return st_put_word(c, num, strlen(num));
    }
    const report_phrase *ph = st_command(c, *i, &n);
    if (ph != NULL) {
        *i += n;
        return ph->act == REPORT_ACT_BREAK ? st_put_break(c, ph->arg == 2)
                                           : st_put_punct(c, ph->arg);
    }
    c->sentence_start = 0;
    return st_put_token_word(c, (*i)++);
}

/* True when the word at i carries a sentence on ("is", "with", "at"): no
 * word of a title. */
static int st_word_carries(const st_ctx *c, size_t i)
{
    const char *w = st_word(c, i);
    return report_word_in(w, c->lang->stops) || report_word_in(w, c->lang->joins);
}

/* True when a body-part word of the language is at i. */
static int st_body_word(const st_ctx *c, size_t i)
{
    for (int b = 0; b < REPORT_BODY_PARTS; b++) {
        if (report_alts_len(c->lang->body[b], st_word_at, c, i) > 0)
            return 1;
    }
    return 0;
}

/* Tokens at i of a word list entry of the language's exam words: a
 * modality (*modality set), a body part or another title word; 0 if none. */
static size_t st_title_word(const st_ctx *c, size_t i, int *modality)
{
    const report_lang *L = c->lang;
    size_t best = 0, k = 0;
    for (int m = 0; m < REPORT_MODALITIES; m++) {
        k = report_alts_len(L->modality[m], st_word_at, c, i);
        best = k > best ? k : best;
    }
    *modality = best > 0;
    for (int b = 0; best == 0 && b < REPORT_BODY_PARTS; b++) {
        k = report_alts_len(L->body[b], st_word_at, c, i);
        best = k > best ? k : best;
    }
    return best > 0 ? best : (size_t)report_word_in(st_word(c, i), L->title_words);
}

/* True when a sentence-ending mark or a colon, typed or spoken, is at i;
 * *n gets its tokens. */
static int st_title_mark_at(const st_ctx *c, size_t i, size_t *n)
{
    const st_tok *t = &c->tok[i];
    *n = 1;
    if (t->kind == TK_BREAK || (t->kind == TK_PUNCT && strchr(".:", t->arg) != NULL))
        return 1;
    const report_phrase *ph = t->kind == TK_WORD ? st_match(c, i, 0, n) : NULL;
    return ph != NULL && (ph->act == REPORT_ACT_BREAK || strchr(".:", ph->arg) != NULL);
}

/* True when a section heading that starts a report (findings, technique,
 * clinical information, comparison) is at i, after a mark or not. */
static int st_report_heading_at(const st_ctx *c, size_t i)
{
    size_t n = 0;
    if (i < c->ntok && st_title_mark_at(c, i, &n))
        i += n;
    const report_phrase *ph = st_match(c, i, 1, &n);
    return ph != NULL && ph->arg != REPORT_SEC_SONUC && ph->arg != REPORT_SEC_IZLENIM;
}

/* The tokens of an exam title at the start of the transcript, 0 when it
 * does not start with one. A title is at most ST_TITLE_MAX_WORDS words of
 * the language's exam words (modalities, body parts, title words), one at
 * least a modality or body part, that a section heading follows ("beyin bt
 * bulgular ...") or that ends as a sentence of its own ("Head CT without
 * contrast. There is ..."). A
 * title whose modality the speech engine misheard as up to
 * ST_TITLE_MISHEARD other words counts when a heading that starts a report
 * follows ("Lumbar is tear. Findings. ..."), and so does a title with a
 * modality and up to ST_TITLE_OWN_WORDS words of its own that carry no
 * sentence ("MR arthrogram of the left shoulder technique ...", "Scrotal
 * ultrasound indication ..."). The heading is not part of
 * the title's tokens; *headed is set when the title runs straight into a
 * section word, which must then be taken as its heading. */
static size_t st_title_len(const st_ctx *c, int *headed)
{
    size_t i = 0, words = 0, closed = SIZE_MAX, n = 0, own = 0; /* closed: just after a mark */
    int modality = 0, named = 0;
    *headed = 0;
    while (i < c->ntok && words <= ST_TITLE_MAX_WORDS) {
        if (st_title_mark_at(c, i, &n)) {
            i += n;
            closed = i;
            continue;
        }
        if (c->tok[i].kind != TK_WORD || st_match(c, i, 1, &n) != NULL || closed == i)
            break;
        int mod = 0;
        n = st_title_word(c, i, &mod);
        if (n == 0 && (own == ST_TITLE_OWN_WORDS || st_word_carries(c, i)))
            break;
        own += n == 0;
        n += n == 0;
        modality |= mod;
        named |= mod || st_body_word(c, i);
        words += n;
        i += n;
    }
    if (!named || words > ST_TITLE_MAX_WORDS || words == 0 || (own > 0 && !modality))
        return 0;
    if (own > 0) /* "MR arthrogram of the left shoulder technique ...": a report follows */
        return st_report_heading_at(c, i) ? (*headed = closed != i, i) : 0;
    if (closed == i && i < c->ntok)
        return i;
    if (i < c->ntok && st_match(c, i, 1, &n) != NULL) {
        *headed = 1;
        return i;
    }
    for (size_t k = i + 1; k <= i + ST_TITLE_MISHEARD && k < c->ntok; k++) {
        if (c->tok[k - 1].kind != TK_WORD)
            break;
        if (st_report_heading_at(c, k))
            return k;
    }
    return 0;
}

static int st_walk(st_ctx *c)
{
    int rc = RA_OK;
    c->sentence_start = 1;
    for (int s = 0; s < REPORT_SEC_COUNT; s++)
        c->cap_next[s] = 1;
    int headed = 0;
    size_t i = st_title_len(c, &headed);
    if (i > 0) {
        int taken = 0;
        rc = st_heading(c, &i, &taken);
        i = taken || !headed ? i : 0;
        c->sentence_start = 1;
    }
    for (; i < c->ntok && rc == RA_OK;) {
        const st_tok *t = &c->tok[i];
        /* Typed text keeps its own spacing ("alert(1)"), except after
         * sentence punctuation, which gets its space. */
        char last = st_last(st_cur(c));
        if (t->glued && last != '\0' && strchr(".,:;?!", last) == NULL)
            c->join = 1;
        if (t->kind == TK_PUNCT) {
            rc = st_put_punct(c, t->arg);
            i++;
        } else if (t->kind == TK_BREAK) {
            rc = st_put_break(c, t->arg == 2);
            i++;
        } else {
            rc = st_step_word(c, &i);
        }
    }
    return rc;
}

/* ---- finishing ---------------------------------------------------------- */

/* The finished text of a section: every line ending in . ? ! or : (a line
 * without one gets a period; the last line's , ; : or - becomes one),
 * trailing blank lines removed. NULL in *out when there is no text. */
static int st_finish(const buf *in, char **out)
{
    const char *s = buf_str(in);
    size_t n = in->len;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    *out = NULL;
    if (n == 0)
        return RA_OK;
    buf b;
    buf_init(&b, 2 * n + 2);
    int rc = RA_OK;
    for (size_t p = 0; p < n && rc == RA_OK;) {
        size_t e = p;
        while (e < n && s[e] != '\n')
            e++;
        size_t len = e - p;
        int last_line = e == n;
        char end = len > 0 ? s[e - 1] : '\0';
        if (len > 0 && strchr(",;:", end) != NULL && (last_line || end != ':'))
            len--;
        rc = buf_append(&b, s + p, len);
        if (rc == RA_OK && len > 0 && (strchr(".?!", s[p + len - 1]) == NULL) &&
            !(s[p + len - 1] == ':' && !last_line))
            rc = buf_putc(&b, '.');
        if (rc == RA_OK && !last_line)
            rc = buf_putc(&b, '\n');
        p = e + 1;
    }
    if (rc == RA_OK) {
        *out = buf_detach(&b);
        rc = *out != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    buf_release(&b);
    return rc;
}

static void st_ctx_release(st_ctx *c)
{
    free(c->tok);
    buf_release(&c->folds);
    for (int s = 0; s < REPORT_SEC_COUNT; s++)
        buf_release(&c->out[s]);
}

int report_structure(const char *transcript, const char *lang, report_sections *out)
{
    return report_structure_macros(transcript, lang, NULL, out);
}

int report_structure_macros(const char *transcript, const char *lang,
                            const report_macro_set *macros, report_sections *out)
{
    const char *code = report_lang_normalize(lang);
    if (transcript == NULL || out == NULL || code == NULL)
        return RA_ERR_INVALID;
    size_t len = strlen(transcript);
    if (len > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(transcript, len))
        return RA_ERR_INVALID;
    st_ctx c = {.lang = report_lang_get(code), .macros = macros};
    report_sections res = {{NULL}};
    buf_init(&c.folds, 2 * len + 64);
    for (int s = 0; s < REPORT_SEC_COUNT; s++)
        buf_init(&c.out[s], 4 * len + 1024);
    int rc = st_tokenize(&c, transcript);
    if (rc == RA_OK)
        rc = st_walk(&c);
    for (int s = 0; s < REPORT_SEC_COUNT && rc == RA_OK; s++)
        rc = st_finish(&c.out[s], &res.text[s]);
    if (rc == RA_OK)
        *out = res;
    else
        report_sections_release(&res);
    st_ctx_release(&c);
    return rc;
}

/* split.c - multi-exam splitting (see split.h): the tokenizer that keeps
 * each word's place in the transcript, the cue finder and the walk that
 * cuts the transcript and hands each piece to its exam. Language-neutral:
 * the modality, body-part, transition and punctuation words come from the
 * language's table (report/lang.h, lang_<code>.c). */
#include "report/split.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "report/lang.h"
#include "report/structure.h"

#define SP_PAIR_WINDOW 4       /* modality and body part at most this far apart */
#define SP_CUT_BACK 5          /* a cut moves back to its sentence start this far */
#define SP_MERGE_WINDOW 6      /* a transition takes a cue this close after it */
#define SP_REF_WINDOW 3        /* words after a cue checked for a back-reference */
#define SP_ACCESSION_MAX 64    /* characters of an accession we compare */
#define SP_ACCESSION_TOKENS 12 /* words an accession may be spoken in */

/* ---- tokens ------------------------------------------------------------- */

typedef struct sp_tok {
    size_t start, end;               /* bytes of the whole typed word in the transcript */
    size_t fold;                     /* offset of this folded word in sp_ctx.folds */
    size_t flen;                     /* its length */
    unsigned char first;             /* the first folded word of its typed word */
    unsigned char sent;              /* starts a sentence */
    signed char mod;                 /* the modality named from here, or -1 */
    signed char body;                /* the body part named from here, or -1 */
    unsigned char mod_len, body_len; /* their words */
} sp_tok;

typedef struct sp_exam {
    char *name;                    /* folded name words, or NULL */
    int mod;                       /* index in report_modality_values, or -1 */
    int body;                      /* index in report_body_values, or -1 */
    char acc[SP_ACCESSION_MAX];    /* accession letters and digits, folded */
    char digits[SP_ACCESSION_MAX]; /* its digits */
} sp_exam;

enum { CUE_EXAM, CUE_ORDINAL, CUE_NEXT };

typedef struct sp_cue {
    size_t start, end; /* tokens */
    int kind;          /* CUE_* */
    uint64_t mask;     /* CUE_EXAM: the exams it may name */
    int ordinal;       /* CUE_ORDINAL: 1-based */
    size_t drop_end;   /* transitions: tokens dropped from start up to here */
} sp_cue;

typedef struct sp_ctx {
    const char *text;
    const report_lang *lang;
    sp_tok *tok;
    size_t ntok, captok;
    buf folds;
    sp_exam *exams;
    size_t n;
    sp_cue *cues;
    size_t ncue, capcue;
} sp_ctx;

static const char *sp_word(const sp_ctx *c, size_t i)
{
    return i < c->ntok ? c->folds.data + c->tok[i].fold : "";
}

/* sp_word for the matchers of report/lang.h. */
static const char *sp_word_at(const void *ctx, size_t i)
{
    return sp_word(ctx, i);
}

/* Tokens matched at i by the longest alternative of alts (report/lang.h),
 * or 0. */
static size_t sp_alts_at(const sp_ctx *c, const char *alts, size_t i)
{
    return report_alts_len(alts, sp_word_at, c, i);
}

/* The first of the n alternatives lists (in order) matching at i, or -1;
 * *len its tokens. */
static int sp_rule_at(const sp_ctx *c, const char *const *rules, size_t n, size_t i, size_t *len)
{
    for (size_t r = 0; r < n; r++) {
        *len = sp_alts_at(c, rules[r], i);
        if (*len > 0)
            return (int)r;
    }
    return -1;
}

/* The spoken punctuation or layout phrase at i (the longest, honouring its
 * guards): what it writes in *mark ('.' for a line break) and its tokens;
 * 0 when there is none. */
static size_t sp_spoken_at(const sp_ctx *c, size_t i, char *mark)
{
    const report_lang *L = c->lang;
    size_t best = 0;
    for (size_t p = 0; p < L->n_phrases; p++) {
        const report_phrase *ph = &L->phrases[p];
        size_t k = ph->act != REPORT_ACT_SECTION ? sp_alts_at(c, ph->words, i) : 0;
        if (k <= best || (i > 0 && report_word_in(sp_word(c, i - 1), ph->not_after)) ||
            report_word_in(sp_word(c, i + k), ph->not_before))
            continue;
        best = k;
        *mark = ph->act == REPORT_ACT_BREAK ? '.' : ph->arg;
    }
    return best;
}

/* Tokens of a spoken sentence end (. ? ! or a line break) at i, or 0. */
static size_t sp_ender_at(const sp_ctx *c, size_t i)
{
    char mark = 0;
    size_t n = sp_spoken_at(c, i, &mark);
    return n > 0 && strchr(".?!", mark) != NULL ? n : 0;
}

/* Tokens of a spoken colon at i, or 0. */
static size_t sp_colon_at(const sp_ctx *c, size_t i)
{
    char mark = 0;
    size_t n = sp_spoken_at(c, i, &mark);
    return n > 0 && mark == ':' ? n : 0;
}

static int sp_push_tok(sp_ctx *c, sp_tok t)
{
    sp_tok *p = ra_array_reserve(c->tok, c->ntok, &c->captok, sizeof *p, 256);
    if (p == NULL)
        return RA_ERR_NOMEM;
    c->tok = p;
    c->tok[c->ntok++] = t;
    return RA_OK;
}

/* The folded form of the n bytes at w (see text_fold): short ASCII words
 * are folded here into small (smallsz bytes), others into a new string.
 * NULL when out of memory; free the result unless it is small. */
static char *sp_fold(const char *w, size_t n, char *small, size_t smallsz)
{
    int ascii = n < smallsz;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)w[i] < 0x80;
    if (!ascii) {
        char *raw = strndup(w, n);
        char *f = raw != NULL ? text_fold(raw) : NULL;
        free(raw);
        return f;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = w[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        small[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : alnum ? ch : ' ';
    }
    small[n] = '\0';
    return small;
}

/* Folds the typed word [start, end) and adds one token per folded word. */
static int sp_add_word(sp_ctx *c, size_t start, size_t end, int sent)
{
    char small[128];
    char *f = sp_fold(c->text + start, end - start, small, sizeof small);
    int rc = f != NULL ? RA_OK : RA_ERR_NOMEM;
    int first = 1;
    for (char *p = f; rc == RA_OK && *p != '\0';) {
        size_t n = strcspn(p, " ");
        if (n > 0) {
            sp_tok t = {
                start, end, c->folds.len, n, (unsigned char)first, (unsigned char)sent, -1, -1,
                0,     0};
            rc = buf_append(&c->folds, p, n);
            if (rc == RA_OK)
                rc = buf_putc(&c->folds, '\0');
            if (rc == RA_OK)
                rc = sp_push_tok(c, t);
            first = sent = 0;
        }
        p += n;
        p += *p == ' ';
    }
    if (f != small)
        free(f);
    return rc;
}

/* Cuts the transcript into folded words that remember where they were
 * typed; a word after a typed . ? ! or a newline starts a sentence. */
static int sp_tokenize(sp_ctx *c)
{
    int rc = RA_OK, sent = 1;
    size_t p = 0;
    const char *s = c->text;
    while (s[p] != '\0' && rc == RA_OK) {
        if ((unsigned char)s[p] <= 0x20) {
            sent |= s[p] == '\n';
            p++;
            continue;
        }
        size_t e = p;
        while (s[e] != '\0' && (unsigned char)s[e] > 0x20)
            e++;
        rc = sp_add_word(c, p, e, sent);
        sent = strchr(".?!", s[e - 1]) != NULL;
        p = e;
    }
    return rc;
}

/* Marks the words after a spoken sentence end ("nokta", "new line") as
 * sentence starts; "iki nokta" is a colon and does not end a sentence. */
static void sp_mark_spoken_ends(sp_ctx *c)
{
    for (size_t i = 0; i < c->ntok; i++) {
        char mark = 0;
        size_t n = sp_spoken_at(c, i, &mark);
        if (n == 0)
            continue;
        if (strchr(".?!", mark) != NULL && i + n < c->ntok)
            c->tok[i + n].sent = 1;
        i += n - 1;
    }
}

/* Notes at each word the modality and body part named from there. */
static void sp_classify(sp_ctx *c)
{
    for (size_t i = 0; i < c->ntok; i++) {
        size_t len = 0;
        sp_tok *t = &c->tok[i];
        t->mod = (signed char)sp_rule_at(c, c->lang->modality, REPORT_MODALITIES, i, &len);
        t->mod_len = (unsigned char)len;
        t->body = (signed char)sp_rule_at(c, c->lang->body, REPORT_BODY_PARTS, i, &len);
        t->body_len = (unsigned char)len;
    }
}

/* ---- exams -------------------------------------------------------------- */

/* The index of value in values (case-insensitive), or -1. */
static int sp_value_index(const char *const *values, size_t n, const char *value)
{
    for (size_t r = 0; value != NULL && r < n; r++) {
        if (strcasecmp(values[r], value) == 0)
            return (int)r;
    }
    return -1;
}

/* What a text names (body: a body part, else a modality), in the words of
 * any language: the first value in order that any of its words names (so
 * "BT Anjiyografi" is CT). -1 when none does. */
static int sp_infer(const char *text, int body, int *rc)
{
    if (text == NULL || *rc != RA_OK)
        return -1;
    sp_ctx t = {.text = text};
    buf_init(&t.folds, 2 * strlen(text) + 64);
    *rc = sp_tokenize(&t);
    size_t n = body ? REPORT_BODY_PARTS : REPORT_MODALITIES;
    int found = -1;
    for (size_t r = 0; r < n && found < 0 && *rc == RA_OK; r++) {
        for (size_t l = 0; l < report_lang_count() && found < 0; l++) {
            const report_lang *L = report_lang_at(l);
            const char *alts = body ? L->body[r] : L->modality[r];
            for (size_t i = 0; i < t.ntok && found < 0; i++)
                found = sp_alts_at(&t, alts, i) > 0 ? (int)r : -1;
        }
    }
    free(t.tok);
    buf_release(&t.folds);
    return found;
}

/* Keeps the folded letters and digits of an accession in acc, its digits in
 * digits (both NUL-terminated, cut at SP_ACCESSION_MAX - 1). */
static int sp_accession(const char *accession, char *acc, char *digits)
{
    acc[0] = digits[0] = '\0';
    if (accession == NULL)
        return RA_OK;
    if (!text_is_utf8(accession, strlen(accession)))
        return RA_ERR_INVALID;
    char *f = text_fold(accession);
    if (f == NULL)
        return RA_ERR_NOMEM;
    size_t a = 0, d = 0;
    for (const char *p = f; *p != '\0' && a + 1 < SP_ACCESSION_MAX; p++) {
        if (*p == ' ')
            continue;
        acc[a++] = *p;
        if (*p >= '0' && *p <= '9')
            digits[d++] = *p;
    }
    acc[a] = '\0';
    digits[d] = '\0';
    free(f);
    return RA_OK;
}

static int sp_exam_init(sp_exam *e, const report_exam_hint *h)
{
    int rc = RA_OK;
    if (h->exam_name != NULL && !text_is_utf8(h->exam_name, strlen(h->exam_name)))
        return RA_ERR_INVALID;
    if (h->body_part != NULL && !text_is_utf8(h->body_part, strlen(h->body_part)))
        return RA_ERR_INVALID;
    e->mod = sp_value_index(report_modality_values, REPORT_MODALITIES, h->modality);
    if (e->mod < 0 && h->modality != NULL && text_is_utf8(h->modality, strlen(h->modality)))
        e->mod = sp_infer(h->modality, 0, &rc);
    if (e->mod < 0)
        e->mod = sp_infer(h->exam_name, 0, &rc);
    e->body = sp_value_index(report_body_values, REPORT_BODY_PARTS, h->body_part);
    if (e->body < 0)
        e->body = sp_infer(h->body_part, 1, &rc);
    if (e->body < 0)
        e->body = sp_infer(h->exam_name, 1, &rc);
    if (rc == RA_OK && h->exam_name != NULL) {
        e->name = text_fold(h->exam_name);
        rc = e->name != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    return rc == RA_OK ? sp_accession(h->accession, e->acc, e->digits) : rc;
}

/* ---- cues --------------------------------------------------------------- */

/* True when the folded name's words are at i; *len gets their count. */
static int sp_name_at(const sp_ctx *c, const char *name, size_t i, size_t *len)
{
    size_t k = 0;
    for (const char *w = name; *w != '\0'; k++) {
        while (*w == ' ')
            w++;
        if (*w == '\0')
            break;
        size_t n = strcspn(w, " ");
        const char *t = sp_word(c, i + k);
        if (strlen(t) != n || memcmp(t, w, n) != 0)
            return 0;
        w += n;
    }
    *len = k;
    return k > 0;
}

/* The exams whose accession is spoken at i; *len gets the words used. */
static uint64_t sp_accession_at(const sp_ctx *c, size_t i, size_t *len)
{
    uint64_t mask = 0;
    for (size_t e = 0; e < c->n; e++) {
        const char *keys[2] = {c->exams[e].acc, c->exams[e].digits};
        for (int k = 0; k < 2 && !(mask >> e & 1); k++) {
            size_t klen = strlen(keys[k]), got = 0, j = 0;
            if (klen < 3 || (k == 1 && (sp_word(c, i)[0] < '0' || sp_word(c, i)[0] > '9')))
                continue;
            while (got < klen && j < SP_ACCESSION_TOKENS && i + j < c->ntok) {
                const char *w = sp_word(c, i + j++);
                size_t wl = strlen(w);
                if (got + wl > klen || memcmp(keys[k] + got, w, wl) != 0)
                    break;
                got += wl;
            }
            if (got == klen) {
                mask |= (uint64_t)1 << e;
                *len = j;
            }
        }
    }
    return mask;
}

/* The exams with modality m and body part b (-1: any). */
static uint64_t sp_exams_with(const sp_ctx *c, int m, int b)
{
    uint64_t mask = 0;
    for (size_t e = 0; e < c->n; e++) {
        if ((m < 0 || c->exams[e].mod == m) && (b < 0 || c->exams[e].body == b))
            mask |= (uint64_t)1 << e;
    }
    return mask;
}

/* A modality word and a body-part word close together at i: the exams
 * having both; *len gets the words from i to the end of the second. */
static uint64_t sp_pair_at(const sp_ctx *c, size_t i, size_t *len)
{
    const sp_tok *t = &c->tok[i];
    int m = t->mod, b = m < 0 ? t->body : -1;
    size_t l1 = m >= 0 ? t->mod_len : t->body_len;
    if (m < 0 && b < 0)
        return 0;
    for (size_t j = i + l1; j < i + l1 + SP_PAIR_WINDOW && j < c->ntok; j++) {
        const sp_tok *u = &c->tok[j];
        int other = m >= 0 ? u->body : u->mod;
        if (other < 0)
            continue;
        uint64_t mask = m >= 0 ? sp_exams_with(c, m, other) : sp_exams_with(c, other, b);
        if (mask != 0)
            *len = j + (m >= 0 ? u->body_len : u->mod_len) - i;
        return mask;
    }
    return 0;
}

/* The modality word alone at the start of a sentence, right after a
 * transition (lead), or ending a sentence as a spoken exam title does
 * ("... lumbar mr period findings"), when exactly one exam has that
 * modality. */
static uint64_t sp_modality_at(const sp_ctx *c, size_t i, int lead, size_t *len)
{
    int m = c->tok[i].mod;
    *len = c->tok[i].mod_len;
    size_t after = i + *len;
    int ends_sentence =
        m >= 0 && after < c->ntok && (c->tok[after].sent || sp_ender_at(c, after) > 0);
    if (!c->tok[i].sent && !lead && !ends_sentence)
        return 0;
    uint64_t mask = m >= 0 ? sp_exams_with(c, m, -1) : 0;
    return mask != 0 && (mask & (mask - 1)) == 0 ? mask : 0;
}

/* A body-part word alone, when exactly one exam has that body part, right
 * after a transition (lead: "ikinci tetkik diz ...") or as a title of its
 * own: at the start of a sentence and, after the language's title words,
 * followed by a colon or a sentence end ("Lumbar spine: ...", "diz nokta
 * ..."). Elsewhere a body part is only a word (an abdominal CT speaks of the
 * lung bases). */
static uint64_t sp_body_at(const sp_ctx *c, size_t i, int lead, size_t *len)
{
    int b = c->tok[i].body;
    if (b < 0 || (!lead && !c->tok[i].sent))
        return 0;
    size_t after = i + c->tok[i].body_len;
    while (!lead && after < c->ntok && after < i + SP_PAIR_WINDOW && !c->tok[after].sent &&
           report_word_in(sp_word(c, after), c->lang->title_words))
        after++;
    const sp_tok *last = &c->tok[after - 1];
    int typed_colon = c->text[last->end - 1] == ':' && (after == c->ntok || c->tok[after].first);
    int titled = after < c->ntok && (typed_colon || c->tok[after].sent ||
                                     sp_colon_at(c, after) > 0 || sp_ender_at(c, after) > 0);
    if (!lead && !titled)
        return 0;
    uint64_t mask = sp_exams_with(c, -1, b);
    *len = lead ? c->tok[i].body_len : after - i;
    return mask != 0 && (mask & (mask - 1)) == 0 ? mask : 0;
}

/* True when the cue at [i, end) refers to another or earlier exam rather
 * than starting one ("önceki beyin bt", "mr ile korelasyon önerilir"). */
static int sp_is_reference(const sp_ctx *c, size_t i, size_t end, int check_before)
{
    if (check_before && i > 0 && sp_alts_at(c, c->lang->ref_before, i - 1) > 0)
        return 1;
    for (size_t k = end; k < end + SP_REF_WINDOW && k < c->ntok; k++) {
        if (k > end && c->tok[k].sent)
            break;
        if (sp_alts_at(c, c->lang->ref_after, k) > 0)
            return 1;
    }
    return 0;
}

/* The exams named at i by name, accession, pair or modality (lead: right
 * after a transition); 0 if none. */
static uint64_t sp_exam_cue_at(const sp_ctx *c, size_t i, int lead, size_t *len)
{
    uint64_t mask = sp_accession_at(c, i, len);
    if (mask != 0)
        return mask;
    size_t best = 0, l = 0;
    for (size_t e = 0; e < c->n; e++) {
        if (c->exams[e].name != NULL && sp_name_at(c, c->exams[e].name, i, &l) && l >= best) {
            mask = l > best ? 0 : mask;
            mask |= (uint64_t)1 << e;
            best = l;
        }
    }
    if (mask == 0)
        mask = sp_pair_at(c, i, &best);
    if (mask == 0)
        mask = sp_modality_at(c, i, lead, &best);
    if (mask == 0)
        mask = sp_body_at(c, i, lead, &best);
    if (mask == 0 || sp_is_reference(c, i, i + best, 1))
        return 0;
    *len = best;
    return mask;
}

/* The number 1 .. 10 at i, in digits or words; 0 when there is none. *len
 * gets its tokens. */
static int sp_small_number(const sp_ctx *c, size_t i, size_t *len)
{
    const char *w = sp_word(c, i);
    const char *words[REPORT_NUMBER_MAX_WORDS];
    size_t n = 0;
    unsigned v = 0;
    if (w[0] >= '0' && w[0] <= '9') {
        v = strcmp(w, "10") == 0 ? 10 : w[1] == '\0' ? (unsigned)(w[0] - '0') : 0;
        *len = 1;
        return (int)v;
    }
    for (; n < REPORT_NUMBER_MAX_WORDS && i + n < c->ntok; n++)
        words[n] = sp_word(c, i + n);
    *len = report_number_read(c->lang, words, n, &v);
    return *len > 0 && v <= 10 ? (int)v : 0;
}

/* A spoken transition at i: *kind CUE_ORDINAL (with *ordinal) or CUE_NEXT;
 * returns its words, or 0. */
static size_t sp_transition_at(const sp_ctx *c, size_t i, int *kind, int *ordinal)
{
    const report_lang *L = c->lang;
    size_t n = 0, k = 0;
    for (int o = 0; o < 10 && n == 0; o++) {
        n = sp_alts_at(c, L->ordinals[o], i);
        *ordinal = o + 1;
    }
    *kind = CUE_ORDINAL;
    if (n == 0) {
        n = sp_alts_at(c, L->next, i);
        *kind = CUE_NEXT;
    }
    if (n > 0 && (k = sp_alts_at(c, L->nouns, i + n)) > 0)
        return sp_is_reference(c, i, i + n + k, 0) ? 0 : n + k;
    if ((n = sp_alts_at(c, L->nouns, i)) > 0 && (k = sp_alts_at(c, L->next_after, i + n)) > 0) {
        *kind = CUE_NEXT;
        return sp_is_reference(c, i, i + n + k, 0) ? 0 : n + k;
    }
    n = sp_alts_at(c, L->number_of, i);
    int v = n > 0 ? sp_small_number(c, i + n, &k) : 0;
    if (v < 1)
        return 0;
    *kind = CUE_ORDINAL;
    *ordinal = v;
    return n + k;
}

static int sp_push_cue(sp_ctx *c, sp_cue q)
{
    sp_cue *p = ra_array_reserve(c->cues, c->ncue, &c->capcue, sizeof *p, 16);
    if (p == NULL)
        return RA_ERR_NOMEM;
    c->cues = p;
    c->cues[c->ncue++] = q;
    return RA_OK;
}

/* Finds every cue, left to right, none overlapping. A transition also
 * drops a spoken colon or period right after it. */
static int sp_find_cues(sp_ctx *c)
{
    int rc = RA_OK;
    for (size_t i = 0; i < c->ntok && rc == RA_OK;) {
        sp_cue q = {i, i, CUE_EXAM, 0, 0, i};
        size_t len = sp_transition_at(c, i, &q.kind, &q.ordinal);
        if (len > 0) {
            q.end = i + len;
            size_t extra = sp_colon_at(c, q.end);
            if (extra == 0)
                extra = sp_ender_at(c, q.end);
            q.drop_end = q.end + extra;
            q.end = q.drop_end;
        } else {
            int lead = c->ncue > 0 && c->cues[c->ncue - 1].kind != CUE_EXAM &&
                       c->cues[c->ncue - 1].end == i;
            q.kind = CUE_EXAM;
            q.mask = sp_exam_cue_at(c, i, lead, &len);
            q.end = i + len;
        }
        if (len == 0) {
            i++;
            continue;
        }
        rc = sp_push_cue(c, q);
        i = q.end;
    }
    return rc;
}

/* ---- cutting ------------------------------------------------------------ */

/* One piece of the transcript for one exam: tokens [start, end), without
 * the dropped tokens [drop_start, drop_end). */
typedef struct sp_piece {
    size_t start, drop_start, drop_end;
    int exam;
} sp_piece;

static int sp_first_unused(const sp_ctx *c, const int *used, int cur, uint64_t mask)
{
    for (size_t e = 0; e < c->n; e++) {
        if ((mask >> e & 1) && !used[e] && (int)e != cur)
            return (int)e;
    }
    return -1;
}

/* The exam a cue hands the dictation to, given the current exam cur. */
static int sp_resolve(const sp_ctx *c, const sp_cue *q, const int *used, int cur)
{
    uint64_t all = c->n == 64 ? UINT64_MAX : ((uint64_t)1 << c->n) - 1;
    int e;
    if (q->kind == CUE_EXAM) {
        if (cur >= 0 && (q->mask >> cur & 1))
            return cur;
        e = sp_first_unused(c, used, cur, q->mask);
        for (size_t k = 0; e < 0 && k < c->n; k++)
            e = (q->mask >> k & 1) ? (int)k : -1;
        return e;
    }
    if (q->kind == CUE_ORDINAL && (size_t)q->ordinal <= c->n && !used[q->ordinal - 1] &&
        q->ordinal - 1 != cur)
        return q->ordinal - 1;
    e = sp_first_unused(c, used, cur, all);
    return e >= 0 ? e : (int)((size_t)(cur + 1) % c->n);
}

/* Votes of the words in tokens [0, end) for each exam: a modality or body
 * part word that only one exam has counts for it. The exam with the most
 * votes, or 0 when none has more than every other. */
static int sp_vote(const sp_ctx *c, size_t end)
{
    size_t votes[REPORT_SPLIT_MAX_EXAMS] = {0};
    for (size_t i = 0; i < end; i++) {
        int m = c->tok[i].mod, b = c->tok[i].body;
        uint64_t mm = m >= 0 ? sp_exams_with(c, m, -1) : 0;
        uint64_t mb = b >= 0 ? sp_exams_with(c, -1, b) : 0;
        for (size_t e = 0; e < c->n; e++) {
            votes[e] += mm == (uint64_t)1 << e;
            votes[e] += mb == (uint64_t)1 << e;
        }
    }
    size_t best = 0;
    int tie = 1;
    for (size_t e = 1; e < c->n; e++) {
        if (votes[e] > votes[best]) {
            best = e;
            tie = 0;
        } else if (votes[e] == votes[best]) {
            tie = 1;
        }
    }
    return c->n > 1 && !tie && votes[best] > 0 ? (int)best : 0;
}

/* Where a cut for the cue at start goes: back to its sentence start when
 * that is close and after floor, else at the cue (on a typed-word start). */
static size_t sp_cut_at(const sp_ctx *c, size_t start, size_t floor)
{
    size_t s = start;
    while (s > floor && !c->tok[s].sent && start - s < SP_CUT_BACK)
        s--;
    if (!c->tok[s].sent || s < floor)
        s = start;
    while (s > floor && !c->tok[s].first)
        s--;
    return s;
}

/* Decides the pieces: the head (before the first cut) for the exam its
 * words vote for, then one piece per cue that changes exam. A transition
 * immediately followed by an exam cue takes that cue's exams. */
static int sp_pieces(sp_ctx *c, sp_piece *pieces, size_t *np)
{
    int used[REPORT_SPLIT_MAX_EXAMS] = {0};
    int cur = -1;
    size_t n = 0, floor = 0;
    if (c->ncue == 0 || c->cues[0].start > 0) {
        cur = sp_vote(c, c->ncue > 0 ? c->cues[0].start : c->ntok);
        pieces[n++] = (sp_piece){0, 0, 0, cur};
        used[cur] = 1;
    }
    for (size_t k = 0; k < c->ncue; k++) {
        sp_cue q = c->cues[k];
        if (q.kind != CUE_EXAM && k + 1 < c->ncue && c->cues[k + 1].kind == CUE_EXAM &&
            c->cues[k + 1].start <= q.end + SP_MERGE_WINDOW) {
            q.kind = CUE_EXAM;
            q.mask = c->cues[++k].mask;
        }
        int e = sp_resolve(c, &q, used, cur);
        int drop = q.drop_end > q.start;
        if (e == cur && !drop)
            continue;
        size_t cut = e == cur ? q.start : sp_cut_at(c, q.start, floor);
        pieces[n++] = (sp_piece){cut, q.start, q.drop_end, e};
        floor = q.end;
        cur = e;
        used[e] = 1;
    }
    *np = n;
    return RA_OK;
}

/* Appends the bytes [from, to) of the transcript, trimmed, to b. */
static int sp_append_trimmed(const sp_ctx *c, buf *b, size_t from, size_t to)
{
    while (from < to && (unsigned char)c->text[from] <= 0x20)
        from++;
    while (to > from && (unsigned char)c->text[to - 1] <= 0x20)
        to--;
    if (from == to)
        return RA_OK;
    int rc = b->len > 0 && b->data[b->len - 1] != '\n' ? buf_putc(b, ' ') : RA_OK;
    return rc == RA_OK ? buf_append(b, c->text + from, to - from) : rc;
}

/* Byte offset where token i starts, or the end of the text. */
static size_t sp_byte(const sp_ctx *c, size_t i)
{
    return i < c->ntok ? c->tok[i].start : strlen(c->text);
}

/* Byte offset just after the typed word of the token before i. */
static size_t sp_byte_end(const sp_ctx *c, size_t i)
{
    return i > 0 && i <= c->ntok ? c->tok[i - 1].end : 0;
}

/* Writes piece k (ending where piece k+1 starts) into its exam's buffer. */
static int sp_emit_piece(const sp_ctx *c, const sp_piece *p, size_t k, size_t np, buf *out)
{
    buf *b = &out[p[k].exam];
    size_t end = k + 1 < np ? sp_byte(c, p[k + 1].start) : strlen(c->text);
    int rc = RA_OK;
    if (b->len > 0)
        rc = buf_putc(b, '\n');
    if (rc == RA_OK && p[k].drop_end > p[k].drop_start) {
        rc = sp_append_trimmed(c, b, sp_byte(c, p[k].start), sp_byte(c, p[k].drop_start));
        if (rc == RA_OK)
            rc = sp_append_trimmed(c, b, sp_byte_end(c, p[k].drop_end), end);
    } else if (rc == RA_OK) {
        rc = sp_append_trimmed(c, b, sp_byte(c, p[k].start), end);
    }
    if (rc == RA_OK && b->len > 0 && b->data[b->len - 1] == '\n')
        b->data[--b->len] = '\0';
    return rc;
}

static int sp_cut(sp_ctx *c, char **parts)
{
    buf out[REPORT_SPLIT_MAX_EXAMS];
    sp_piece *pieces = malloc((c->ncue + 1) * sizeof *pieces);
    size_t np = 0;
    int rc = pieces != NULL ? RA_OK : RA_ERR_NOMEM;
    for (size_t e = 0; e < c->n; e++)
        buf_init(&out[e], strlen(c->text) + 2 * c->ncue + 4);
    if (rc == RA_OK)
        rc = sp_pieces(c, pieces, &np);
    for (size_t k = 0; k < np && rc == RA_OK; k++)
        rc = sp_emit_piece(c, pieces, k, np, out);
    char *res[REPORT_SPLIT_MAX_EXAMS] = {NULL};
    for (size_t e = 0; e < c->n && rc == RA_OK; e++) {
        res[e] = buf_detach(&out[e]);
        rc = res[e] != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    for (size_t e = 0; e < c->n; e++) {
        if (rc == RA_OK)
            parts[e] = res[e];
        else
            free(res[e]);
        buf_release(&out[e]);
    }
    free(pieces);
    return rc;
}

/* ---- entry -------------------------------------------------------------- */

static int sp_whole(const char *s, char **parts)
{
    size_t a = 0, b = strlen(s);
    while (a < b && (unsigned char)s[a] <= 0x20)
        a++;
    while (b > a && (unsigned char)s[b - 1] <= 0x20)
        b--;
    parts[0] = strndup(s + a, b - a);
    return parts[0] != NULL ? RA_OK : RA_ERR_NOMEM;
}

int report_split(const char *transcript, const char *lang, const report_exam_hint *exams, size_t n,
                 char **parts)
{
    const char *code = report_lang_normalize(lang);
    if (transcript == NULL || exams == NULL || parts == NULL || n == 0 ||
        n > REPORT_SPLIT_MAX_EXAMS || code == NULL)
        return RA_ERR_INVALID;
    size_t len = strlen(transcript);
    if (len > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(transcript, len))
        return RA_ERR_INVALID;
    if (n == 1)
        return sp_whole(transcript, parts);
    sp_ctx c = {.text = transcript, .lang = report_lang_get(code), .n = n};
    buf_init(&c.folds, 2 * len + 64);
    c.exams = calloc(n, sizeof *c.exams);
    int rc = c.exams != NULL ? RA_OK : RA_ERR_NOMEM;
    for (size_t e = 0; e < n && rc == RA_OK; e++)
        rc = sp_exam_init(&c.exams[e], &exams[e]);
    if (rc == RA_OK)
        rc = sp_tokenize(&c);
    if (rc == RA_OK) {
        sp_mark_spoken_ends(&c);
        sp_classify(&c);
        rc = sp_find_cues(&c);
    }
    if (rc == RA_OK)
        rc = sp_cut(&c, parts);
    for (size_t e = 0; c.exams != NULL && e < n; e++)
        free(c.exams[e].name);
    free(c.exams);
    free(c.tok);
    free(c.cues);
    buf_release(&c.folds);
    return rc;
}

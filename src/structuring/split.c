/* split.c - multi-exam splitting (see split.h): the cue finder, the walk
 * that cuts the transcript and hands each piece to its exam, and the check
 * of a split against the anatomy each part speaks of. Language-neutral:
 * the modality, body-part, anatomy, transition and punctuation words come
 * from the language's table (structuring/lang.h, lang_<code>.c); the words
 * themselves from structuring/words.h. */
#include "structuring/split.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "structuring/anatomy.h"
#include "structuring/lang.h"
#include "structuring/structure.h"
#include "structuring/words.h"

#define SP_PAIR_WINDOW 4       /* modality and body part at most this far apart */
#define SP_CUT_BACK 5          /* a cut moves back to its sentence start this far */
#define SP_MERGE_WINDOW 6      /* a transition takes a cue this close after it */
#define SP_REF_WINDOW 3        /* words after a cue checked for a back-reference */
#define SP_REF_SENTENCE 12     /* ... to the sentence's end, in a text with sentences */
#define SP_ACCESSION_MAX 64    /* characters of an accession we compare */
#define SP_ACCESSION_TOKENS 12 /* words an accession may be spoken in */
#define SP_MISHEARD 2          /* words a misheard modality may have become */
#define SP_NAME_TITLE 6        /* words of a title of an exam's name words */
#define SP_DOMINANT 2          /* places of another exam's anatomy that doubt a part */
#define SP_OPENING 6           /* words of a dictation that names no exam read for votes */
#define SP_LEAD_WORDS 2        /* words a transition may open with ("now the") */

/* ---- words -------------------------------------------------------------- */

/* What the splitter knows of one word besides structuring/words.h's record. */
typedef struct sp_cls {
    signed char mod;                 /* the modality named from here, or -1 */
    signed char body;                /* the body part named from here, or -1 */
    unsigned char mod_len, body_len; /* their words */
    uint32_t anat;                   /* body parts whose anatomy is named from here */
} sp_cls;

typedef struct sp_exam {
    char *name;                    /* folded name words, or NULL */
    char *name2;                   /* folded name of its matched template, or NULL */
    int mod;                       /* index in report_modality_values, or -1 */
    int body;                      /* index in report_body_values, or -1 */
    char acc[SP_ACCESSION_MAX];    /* accession letters and digits, folded */
    char digits[SP_ACCESSION_MAX]; /* its digits */
} sp_exam;

enum { CUE_EXAM, CUE_ORDINAL, CUE_NEXT };

typedef struct sp_cue {
    size_t start, end; /* words */
    int kind;          /* CUE_* */
    uint64_t mask;     /* CUE_EXAM: the exams it may name */
    int ordinal;       /* CUE_ORDINAL: 1-based */
    size_t drop_end;   /* transitions: words dropped from start up to here */
    int weak;          /* CUE_EXAM: named by name words, a modality or a body part alone */
} sp_cue;

typedef struct sp_ctx {
    const char *text;
    const report_lang *lang;
    report_words words; /* the transcript's words */
    sp_cls *cls;        /* one per word */
    size_t ntok;        /* words.n */
    int marked;         /* the text has sentence ends (a speech engine's pauses) */
    sp_exam *exams;
    size_t n;
    sp_cue *cues;
    size_t ncue, capcue;
} sp_ctx;

static const char *sp_word(const sp_ctx *c, size_t i)
{
    return report_words_at(&c->words, i);
}

/* The record of word i (i < c->ntok). */
static report_word *sp_at(const sp_ctx *c, size_t i)
{
    return &c->words.w[i];
}

/* The first word of the sentence of word i. */
static size_t sp_sentence_start(const sp_ctx *c, size_t i)
{
    while (i > 0 && !sp_at(c, i)->sent)
        i--;
    return i;
}

/* Tokens matched at i by the longest alternative of alts (structuring/lang.h),
 * or 0. */
static size_t sp_alts_at(const sp_ctx *c, const char *alts, size_t i)
{
    return report_alts_len(alts, report_words_at, &c->words, i);
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
            sp_at(c, i + n)->sent = 1;
        i += n - 1;
    }
}

/* Two modality words in a row name one modality, the first: "CT
 * angiography" is a CT, "PET CT" a PET, "Doppler ultrasound" an
 * ultrasound. */
static void sp_join_modalities(sp_ctx *c)
{
    for (size_t i = 0; i < c->ntok; i++) {
        sp_cls *t = &c->cls[i];
        size_t j = i + t->mod_len;
        if (t->mod < 0 || j >= c->ntok || c->cls[j].mod < 0 || sp_at(c, j)->sent)
            continue;
        t->mod_len = (unsigned char)(t->mod_len + c->cls[j].mod_len);
        c->cls[j].mod = -1;
    }
}

/* Notes at each word the modality, body part and anatomy named from
 * there. */
static int sp_classify(sp_ctx *c)
{
    c->cls = calloc(c->ntok > 0 ? c->ntok : 1, sizeof *c->cls);
    if (c->cls == NULL)
        return RA_ERR_NOMEM;
    for (size_t i = 0; i < c->ntok; i++) {
        size_t len = 0;
        sp_cls *t = &c->cls[i];
        t->mod = (signed char)sp_rule_at(c, c->lang->modality, REPORT_MODALITIES, i, &len);
        t->mod_len = (unsigned char)len;
        t->body = (signed char)sp_rule_at(c, c->lang->body, REPORT_BODY_PARTS, i, &len);
        t->body_len = (unsigned char)len;
        t->anat = report_anatomy_at(c->lang, report_words_at, &c->words, i, &len);
    }
    sp_join_modalities(c);
    return RA_OK;
}

/* The words of a section heading said at i as a heading: not followed by a
 * word that carries a sentence on ("findings are"), its section in
 * *section (report_section); 0 when there is none. With !any only the
 * sections that start a report count (findings, technique, clinical
 * information, comparison), not a conclusion or impression. */
static size_t sp_heading_of(const sp_ctx *c, size_t i, int any, int *section)
{
    const report_lang *L = c->lang;
    for (size_t p = 0; p < L->n_phrases; p++) {
        const report_phrase *ph = &L->phrases[p];
        int closing = ph->arg == REPORT_SEC_SONUC || ph->arg == REPORT_SEC_IZLENIM;
        if (ph->act != REPORT_ACT_SECTION || (closing && !any))
            continue;
        size_t k = sp_alts_at(c, ph->words, i);
        const char *next = sp_word(c, i + k);
        if (k > 0 && !report_word_in(next, L->stops) && !report_word_in(next, ph->not_before)) {
            *section = ph->arg;
            return k;
        }
    }
    return 0;
}

/* sp_heading_of without the section. */
static size_t sp_heading_len(const sp_ctx *c, size_t i, int any)
{
    int section;
    return sp_heading_of(c, i, any, &section);
}

static int sp_heading_at(const sp_ctx *c, size_t i, int any)
{
    return sp_heading_len(c, i, any) > 0;
}

/* True when a heading that opens a report (see sp_heading_len) is said at
 * i as a sentence of its own or before a colon, written or spoken
 * ("Findings. There is ...", "findings colon"; not "Findings are
 * consistent with ...", "Bulgular sağ alt lob embolisi ile uyumludur"). */
static int sp_heading_alone_at(const sp_ctx *c, size_t i)
{
    size_t k = sp_heading_len(c, i, 0);
    if (k == 0 || !sp_at(c, i)->sent)
        return 0;
    size_t end = sp_at(c, i + k - 1)->end;
    return i + k == c->ntok || sp_at(c, i + k)->sent || sp_colon_at(c, i + k) > 0 ||
           c->text[end] == ':';
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
    report_words ws;
    *rc = report_words_read(text, &ws);
    size_t n = body ? REPORT_BODY_PARTS : REPORT_MODALITIES;
    int found = -1;
    for (size_t r = 0; r < n && found < 0 && *rc == RA_OK; r++) {
        for (size_t l = 0; l < report_lang_count() && found < 0; l++) {
            const report_lang *L = report_lang_at(l);
            const char *alts = body ? L->body[r] : L->modality[r];
            for (size_t i = 0; i < ws.n && found < 0; i++)
                found = report_alts_len(alts, report_words_at, &ws, i) > 0 ? (int)r : -1;
        }
    }
    report_words_release(&ws);
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

/* The folded form of a name (NULL stays NULL) into *out. */
static int sp_fold_name(const char *name, char **out)
{
    *out = NULL;
    if (name == NULL)
        return RA_OK;
    if (!text_is_utf8(name, strlen(name)))
        return RA_ERR_INVALID;
    *out = text_fold(name);
    return *out != NULL ? RA_OK : RA_ERR_NOMEM;
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
    if (rc == RA_OK)
        rc = sp_fold_name(h->exam_name, &e->name);
    if (rc == RA_OK)
        rc = sp_fold_name(h->template_name, &e->name2);
    return rc == RA_OK ? sp_accession(h->accession, e->acc, e->digits) : rc;
}

/* Reads the n hints into exams (zeroed first; release with sp_exams_free
 * whatever the result). */
static int sp_exams_init(sp_exam *exams, const report_exam_hint *hints, size_t n)
{
    int rc = RA_OK;
    memset(exams, 0, n * sizeof *exams);
    for (size_t e = 0; e < n && rc == RA_OK; e++)
        rc = sp_exam_init(&exams[e], &hints[e]);
    return rc;
}

static void sp_exams_free(sp_exam *exams, size_t n)
{
    for (size_t e = 0; exams != NULL && e < n; e++) {
        free(exams[e].name);
        free(exams[e].name2);
    }
    free(exams);
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

/* The exams whose name or template name is said at i (the longest);
 * *len gets its words. */
static uint64_t sp_names_at(const sp_ctx *c, size_t i, size_t *len)
{
    uint64_t mask = 0;
    size_t best = 0, l = 0;
    for (size_t e = 0; e < c->n; e++) {
        const char *names[2] = {c->exams[e].name, c->exams[e].name2};
        for (int k = 0; k < 2; k++) {
            if (names[k] == NULL || !sp_name_at(c, names[k], i, &l) || l < best)
                continue;
            mask = l > best ? 0 : mask;
            mask |= (uint64_t)1 << e;
            best = l;
        }
    }
    *len = best;
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

/* The exams whose body part is in the mask of body parts. */
static uint64_t sp_exams_of_parts(const sp_ctx *c, uint32_t parts)
{
    uint64_t mask = 0;
    for (size_t e = 0; e < c->n; e++) {
        if (c->exams[e].body >= 0 && (parts >> c->exams[e].body & 1))
            mask |= (uint64_t)1 << e;
    }
    return mask;
}

static int sp_single(uint64_t mask)
{
    return mask != 0 && (mask & (mask - 1)) == 0;
}

static uint64_t sp_all(const sp_ctx *c)
{
    return c->n == 64 ? UINT64_MAX : ((uint64_t)1 << c->n) - 1;
}

/* True when every word in [from, to) is a title word of the language
 * (the words of an exam title besides its modality and body part: "of",
 * "the", "with", "contrast"). The body-part word closing a pair is not
 * counted. */
static int sp_title_between(const sp_ctx *c, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        if (c->cls[k].body < 0 && !report_word_in(sp_word(c, k), c->lang->title_words))
            return 0;
    }
    return 1;
}

/* True when the words in [from, to) are not those of an exam title: a
 * word that is no title word refers to another exam ("... breast mass,
 * see ultrasound"; not "CT with contrast of the chest"), or more than one
 * is no title word ("memede düzgün sınırlı kitle, ultrasonografi ...": a
 * sentence; one may be: "qarın boşluğunun ultrasəs"). */
static int sp_sentence_between(const sp_ctx *c, size_t from, size_t to)
{
    const report_lang *L = c->lang;
    size_t others = 0;
    for (size_t k = from; k < to; k++) {
        const char *w = sp_word(c, k);
        if (report_word_in(w, L->title_words))
            continue;
        if (report_word_in(w, L->ref_before) || report_word_in(w, L->ref_after) || ++others > 1)
            return 1;
    }
    return 0;
}

/* A modality word and a body-part word close together in one sentence at
 * i, with only the words of a title between them (sp_sentence_between),
 * no section heading and no other body part: the exams
 * having both; *len gets the words from i to the end of the second.
 * ("... in pregnancy impression cholelithiasis obstetric ultrasound": the
 * ultrasound is the obstetric one, not the pregnancy's before the heading.) */
static uint64_t sp_pair_at(const sp_ctx *c, size_t i, size_t *len)
{
    const sp_cls *t = &c->cls[i];
    int m = t->mod, b = m < 0 ? t->body : -1;
    size_t l1 = m >= 0 ? t->mod_len : t->body_len;
    if (m < 0 && b < 0)
        return 0;
    for (size_t j = i + l1; j < i + l1 + SP_PAIR_WINDOW && j < c->ntok && !sp_at(c, j)->sent; j++) {
        const sp_cls *u = &c->cls[j];
        int other = m >= 0 ? u->body : u->mod;
        if (sp_heading_at(c, j, 1) || (m < 0 && u->body >= 0 && u->body != b))
            return 0;
        if (other < 0)
            continue;
        if (sp_sentence_between(c, i + l1, j))
            return 0;
        uint64_t mask = m >= 0 ? sp_exams_with(c, m, other) : sp_exams_with(c, other, b);
        /* "... intracranial finding ct of the chest": the modality opens
         * the next title, not this one ("head ct no intracranial ..." keeps
         * it: nothing but title words between head and ct). */
        size_t next_len = 0;
        if (mask != 0 && m < 0 && !sp_title_between(c, i + l1, j) &&
            sp_pair_at(c, j, &next_len) != 0 && sp_title_between(c, j + u->mod_len, j + next_len))
            return 0;
        if (mask != 0)
            *len = j + (m >= 0 ? u->body_len : u->mod_len) - i;
        return mask;
    }
    return 0;
}

/* True when word i opens its sentence, but for title and lead words
 * before it ("Left shoulder.", "Noncontrast head CT.", "Now the pelvis."). */
static int sp_opens_sentence(const sp_ctx *c, size_t i)
{
    size_t k = i;
    while (k > 0 && !sp_at(c, k)->sent && i - k < SP_PAIR_WINDOW &&
           (report_word_in(sp_word(c, k - 1), c->lang->title_words) ||
            report_word_in(sp_word(c, k - 1), c->lang->lead)))
        k--;
    return sp_at(c, k)->sent;
}

/* True when a body part close after the modality word at i (same
 * sentence) names an exam of modality m that is not one of the job's
 * ("CT of the chest is recommended" with a chest X-ray and a brain CT). */
static int sp_names_other_exam(const sp_ctx *c, size_t i, int m)
{
    for (size_t j = i + c->cls[i].mod_len; j < i + SP_PAIR_WINDOW && j < c->ntok; j++) {
        if (sp_at(c, j)->sent)
            break;
        if (c->cls[j].body >= 0)
            return sp_exams_with(c, m, c->cls[j].body) == 0;
    }
    return 0;
}

/* True when a section heading that starts a report follows at k, after at
 * most one spoken or typed sentence end or colon. */
static int sp_report_starts_at(const sp_ctx *c, size_t k)
{
    if (k >= c->ntok)
        return 0;
    size_t mark = sp_ender_at(c, k);
    if (mark == 0)
        mark = sp_colon_at(c, k);
    return sp_heading_at(c, k + mark, 0);
}

/* True when the words of i's sentence before i are those of a title or a
 * transition (title, lead and "next" words, body parts, modalities:
 * "Lumbar MR.", "Next, the MRI."; not "... better characterized on CT.",
 * nor "... with acute by and afraid are CT.", a misheard "infarct"). */
static int sp_title_before(const sp_ctx *c, size_t i)
{
    const report_lang *L = c->lang;
    for (size_t k = i; k > 0 && !sp_at(c, k)->sent; k--) {
        const char *w = sp_word(c, k - 1);
        if (i - k >= SP_PAIR_WINDOW ||
            (!report_word_in(w, L->title_words) && !report_word_in(w, L->lead) &&
             !report_word_in(w, L->next) && c->cls[k - 1].body < 0 && c->cls[k - 1].mod < 0))
            return 0;
    }
    return 1;
}

/* True when a comparison heading is said at i (sp_heading_of). */
static int sp_comparison_at(const sp_ctx *c, size_t i)
{
    int section = -1;
    return sp_heading_of(c, i, 0, &section) > 0 && section == REPORT_SEC_KARSILASTIRMA;
}

/* True when the sentence of word i is said under a comparison heading,
 * opening it or alone in the sentence before ("Comparison. Baseline PET
 * CT. Findings. ...": the exam compared with, not a title). */
static int sp_under_comparison(const sp_ctx *c, size_t i)
{
    size_t s = sp_sentence_start(c, i);
    if (sp_comparison_at(c, s))
        return 1;
    size_t p = s > 0 ? sp_sentence_start(c, s - 1) : s;
    return p < s && sp_heading_alone_at(c, p) && sp_comparison_at(c, p);
}

/* The modality word alone at the start of a sentence, right after a
 * transition (lead), or ending a sentence that is an exam title
 * (sp_title_before) or is followed by a heading that starts a report ("...
 * to the are mr period findings"; not "... better characterized on CT."),
 * when exactly one exam has that modality and no body part said with it
 * names another. */
static uint64_t sp_modality_at(const sp_ctx *c, size_t i, int lead, size_t *len)
{
    int m = c->cls[i].mod;
    *len = c->cls[i].mod_len;
    size_t after = i + *len;
    int ends_sentence =
        m >= 0 && after < c->ntok &&
        (sp_title_before(c, i) || (sp_report_starts_at(c, after) && !sp_under_comparison(c, i))) &&
        (sp_at(c, after)->sent || sp_ender_at(c, after) > 0);
    if ((!sp_opens_sentence(c, i) && !lead && !ends_sentence) || sp_names_other_exam(c, i, m))
        return 0;
    uint64_t mask = m >= 0 ? sp_exams_with(c, m, -1) : 0;
    return sp_single(mask) ? mask : 0;
}

/* True when what is said at k closes an exam title: a colon (typed after
 * the word before k, or spoken), a sentence end, or a section heading. */
static int sp_title_closes_at(const sp_ctx *c, size_t k)
{
    const report_word *last = sp_at(c, k - 1);
    int typed_colon = c->text[last->end - 1] == ':' && (k == c->ntok || sp_at(c, k)->first);
    if (typed_colon)
        return 1;
    return k < c->ntok && (sp_at(c, k)->sent || sp_colon_at(c, k) > 0 || sp_ender_at(c, k) > 0 ||
                           sp_heading_at(c, k, 1));
}

/* The exams with the word w among the words of their name or their
 * template's name. */
static uint64_t sp_exams_naming(const sp_ctx *c, const char *w)
{
    uint64_t mask = 0;
    size_t wl = strlen(w);
    for (size_t e = 0; e < c->n; e++) {
        const char *names[2] = {c->exams[e].name, c->exams[e].name2};
        for (int k = 0; k < 2 && names[k] != NULL && !(mask >> e & 1); k++) {
            for (const char *p = names[k]; *p != '\0';) {
                size_t n = strcspn(p, " ");
                if (n == wl && memcmp(p, w, n) == 0)
                    mask |= (uint64_t)1 << e;
                p += n + (p[n] == ' ');
            }
        }
    }
    return mask;
}

/* True when w only carries a sentence (a lead, joining or qualifying
 * word: "the", "and", "with"): no name word that tells exams apart. */
static int sp_function_word(const sp_ctx *c, const char *w)
{
    const report_lang *L = c->lang;
    return report_word_in(w, L->lead) || report_word_in(w, L->joins) ||
           report_word_in(w, L->qualifiers);
}

/* True when a lead word that is no qualifier opens the sentence of word i
 * ("Now the right.", "Then the left."; not "The right."). */
static int sp_led(const sp_ctx *c, size_t i)
{
    size_t k = sp_sentence_start(c, i);
    return k < i && report_word_in(sp_word(c, k), c->lang->lead) &&
           !report_word_in(sp_word(c, k), c->lang->qualifiers);
}

/* True when the body-part word i names a part that its body-part value
 * does not tell apart: under "extremity", the one value of distinct parts
 * ("hand", "wrist"), or a value no exam has ("cervical" of "cervical
 * length" among obstetric scans); "head" and "brain" are one part whatever
 * the exams' names say. */
static int sp_body_word_apart(const sp_ctx *c, size_t i)
{
    int b = c->cls[i].body;
    return b >= 0 && (sp_exams_with(c, -1, b) == 0 ||
                      b == sp_value_index(report_body_values, REPORT_BODY_PARTS, "extremity"));
}

/* The exams a word of a title at k may belong to (*step gets its
 * words; *named tells whether their names said so): by the exams' name
 * words for a word that tells parts apart (no modality, no function word,
 * a body part only as sp_body_word_apart says), else by the modality or
 * body part it names; every exam for a title or function word, none for
 * any other word. */
static uint64_t sp_title_word_exams(const sp_ctx *c, size_t k, size_t *step, int *named)
{
    const sp_cls *t = &c->cls[k];
    const char *w = sp_word(c, k);
    int parts_apart =
        t->mod < 0 && !sp_function_word(c, w) && (t->body < 0 || sp_body_word_apart(c, k));
    uint64_t m = parts_apart ? sp_exams_naming(c, w) : 0;
    *step = 1;
    *named = m != 0;
    if (m != 0)
        return m;
    if (t->mod >= 0) {
        *step = t->mod_len;
        return sp_exams_with(c, t->mod, -1);
    }
    if (t->body >= 0) {
        *step = t->body_len;
        return sp_exams_with(c, -1, t->body);
    }
    return report_word_in(w, c->lang->title_words) || sp_function_word(c, w) ? sp_all(c) : 0;
}

/* A title made of the words of one exam's name where several exams share
 * a body part or a modality ("Right hand." and "Right wrist." for a hand, a
 * wrist and an elbow radiograph; "Now the left knee."; "Moving on to the
 * cervical length."; "Follow up obstetric ultrasound."): a modality, body
 * part or anatomy word (or none after a transition or a lead word: "Now
 * the right.", not "Without contrast.") with title words and name words
 * (sp_title_word_exams; a title word of another exam's name says nothing:
 * "face" of "bassin de face" in "Hanche gauche face et profil.") that
 * together fit exactly one exam, right after a transition (lead), or at a
 * sentence start closed as a title (sp_title_closes_at), or in a run
 * without sentence marks before a section heading. *len gets its words. */
static uint64_t sp_name_title_at(const sp_ctx *c, size_t i, int lead, size_t *len)
{
    int sent = sp_opens_sentence(c, i);
    if (!lead && !sent && (c->marked || (i > 0 && sp_function_word(c, sp_word(c, i - 1)))))
        return 0;
    uint64_t mask = sp_all(c);
    int named = 0, part = 0;
    size_t k = i;
    while (k < c->ntok && k < i + SP_NAME_TITLE && (k == i || !sp_at(c, k)->sent)) {
        size_t step = 1;
        int by_name = 0;
        const sp_cls *t = &c->cls[k];
        uint64_t m = sp_title_word_exams(c, k, &step, &by_name);
        if ((m & mask) == 0 && by_name && report_word_in(sp_word(c, k), c->lang->title_words))
            m = mask, by_name = 0; /* "Hanche gauche face et profil.": "face" of the other name */
        if ((m & mask) == 0)
            break;
        part |= t->mod >= 0 || t->body >= 0 || t->anat != 0;
        named |= by_name;
        mask &= m;
        k += step;
    }
    if (!named || !(part || lead || sp_led(c, i)) || !sp_single(mask))
        return 0;
    *len = k - i;
    if (lead)
        return mask;
    if (c->marked || sent)
        return sp_title_closes_at(c, k) ? mask : 0;
    return k < c->ntok && sp_heading_at(c, k, 1) ? mask : 0;
}

/* A body-part word alone, when exactly one exam has that body part:
 * - right after a transition (lead: "ikinci tetkik diz ...");
 * - as a title of its own: at a sentence start and, after the language's
 *   title and modality words, followed by a colon, a sentence end or a
 *   section heading ("Lumbar spine: ...", "diz nokta ...", "Knee MRI.
 *   Findings ...");
 * - as a title the speech engine misheard a word of (SP_MISHEARD words
 *   that are neither: "Lumbar is tear. Findings ..."), when a section that
 *   starts a report follows;
 * - in a run without sentence marks, as such a title before a section
 *   heading ("... normal head ct lumbar spine findings there is ..."),
 *   unless the word before it makes it part of a sentence ("the", "of",
 *   "prior", "in": "... physiologic in pregnancy impression ..."). Where a sentence mark comes
 * between them, the body part ends the sentence it did not open ("... with mild surrounding
 * abdomen. Impression."): a word of that sentence, not a title. Elsewhere a body part is only a
 * word (an abdominal CT speaks of the lung bases). */
static uint64_t sp_body_at(const sp_ctx *c, size_t i, int lead, size_t *len)
{
    const report_lang *L = c->lang;
    int b = c->cls[i].body;
    uint64_t mask = b >= 0 ? sp_exams_with(c, -1, b) : 0;
    if (!sp_single(mask))
        return 0;
    *len = c->cls[i].body_len;
    if (lead)
        return mask;
    int sent = sp_opens_sentence(c, i);
    if (!sent && i > 0 &&
        (report_word_in(sp_word(c, i - 1), L->qualifiers) ||
         report_word_in(sp_word(c, i - 1), L->ref_before) ||
         report_word_in(sp_word(c, i - 1), L->joins)))
        return 0;
    size_t after = i + *len;
    while (after < c->ntok && after < i + SP_PAIR_WINDOW && !sp_at(c, after)->sent &&
           (report_word_in(sp_word(c, after), L->title_words) || c->cls[after].mod >= 0 ||
            c->cls[after].body == b)) /* "Головной мозг.": two words of one part */
        after++;
    *len = after - i;
    if (sent ? sp_title_closes_at(c, after)
             : after < c->ntok && !sp_at(c, after)->sent && sp_heading_at(c, after, 1))
        return mask;
    for (size_t k = after + 1; sent && k <= after + SP_MISHEARD && k < c->ntok; k++) {
        if (sp_report_starts_at(c, k)) {
            *len = k - i;
            return mask;
        }
        if (sp_at(c, k)->sent)
            break;
    }
    return 0;
}

/* True when the cue at [i, end) refers to another or earlier exam rather
 * than starting one ("önceki beyin bt", "mr ile korelasyon önerilir",
 * "Follow up pelvic ultrasound in six to eight weeks is recommended.": in a
 * text with sentences, up to the sentence's end). */
static int sp_is_reference(const sp_ctx *c, size_t i, size_t end, int check_before)
{
    if (check_before && i > 0 && !sp_at(c, i)->sent &&
        sp_alts_at(c, c->lang->ref_before, i - 1) > 0)
        return 1;
    size_t window = c->marked ? SP_REF_SENTENCE : SP_REF_WINDOW;
    for (size_t k = end; k < end + window && k < c->ntok; k++) {
        if (sp_at(c, k)->sent) /* the next sentence says nothing of this one */
            break;
        if (sp_alts_at(c, c->lang->ref_after, k) > 0)
            return 1;
    }
    return 0;
}

/* True when the sentence goes on from word i, in a text with sentences,
 * to say the exam named before i alone was seen or described ("Der
 * sonographisch beschriebene Knoten ...", "Ultrasonografide izlenen
 * lezyon ..."): a report referring back to an exam already read. */
static int sp_refers_back(const sp_ctx *c, size_t i)
{
    for (size_t k = i; c->marked && k < i + SP_REF_SENTENCE && k < c->ntok; k++) {
        if (sp_at(c, k)->sent)
            break;
        if (sp_alts_at(c, c->lang->ref_seen, k) > 0)
            return 1;
    }
    return 0;
}

/* The exams named at i by accession, name, a title of name words, pair,
 * modality or body part (lead: right after a transition); 0 if none. *weak
 * tells whether a title of name words, a modality or a body part alone
 * named them. */
static uint64_t sp_exam_cue_at(const sp_ctx *c, size_t i, int lead, size_t *len, int *weak)
{
    uint64_t mask = sp_accession_at(c, i, len);
    if (mask != 0)
        return mask;
    size_t best = 0;
    mask = sp_names_at(c, i, &best);
    *weak = mask == 0 && (mask = sp_name_title_at(c, i, lead, &best)) != 0;
    if (mask == 0)
        mask = sp_pair_at(c, i, &best);
    *weak |= mask == 0;
    if (mask == 0)
        mask = sp_modality_at(c, i, lead, &best);
    if (mask == 0)
        mask = sp_body_at(c, i, lead, &best);
    if (mask == 0 || sp_is_reference(c, i, i + best, 1) || (*weak && sp_refers_back(c, i + best)))
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

/* "Exam two.", and "Exam number two." with "number" misheard ("Exam
 * lumbar two.", "Exam non for two."): a sentence of a noun, at most
 * SP_MISHEARD words and the number of one of the exams, nothing else. Its
 * number (*len its words), or 0. A sentence so short says which exam
 * follows, whatever became of the word in between. */
static int sp_number_sentence_at(const sp_ctx *c, size_t i, size_t *len)
{
    size_t n = sp_at(c, i)->sent ? sp_alts_at(c, c->lang->nouns, i) : 0;
    for (size_t m = 0; n > 0 && m <= SP_MISHEARD; m++) {
        size_t j = i + n + m, k = 0;
        if (j >= c->ntok || (m > 0 && sp_at(c, j - 1)->sent))
            return 0;
        int v = sp_small_number(c, j, &k);
        if (v >= 1 && (size_t)v <= c->n && (j + k == c->ntok || sp_at(c, j + k)->sent)) {
            *len = n + m + k;
            return v;
        }
    }
    return 0;
}

/* Where a transition at i starts: at the words that open it in its
 * sentence ("Now the second exam."), when only such words (none of them
 * before floor) are before it. */
static size_t sp_transition_lead(const sp_ctx *c, size_t i, size_t floor)
{
    size_t k = i;
    while (k > floor && i - k < SP_LEAD_WORDS && !sp_at(c, k)->sent &&
           report_word_in(sp_word(c, k - 1), c->lang->lead))
        k--;
    return sp_at(c, k)->sent ? k : i;
}

/* True when words [i, i + n) are a sentence of their own, but for the
 * language's lead words before them ("Now the third."). */
static int sp_alone_in_sentence(const sp_ctx *c, size_t i, size_t n)
{
    return sp_at(c, sp_transition_lead(c, i, 0))->sent &&
           (i + n == c->ntok || sp_at(c, i + n)->sent);
}

/* The n words at i and the lead words after them, when an exam cue follows
 * them in the sentence: a transition carried on to the exam it names ("is
 * the" of "The third exam is the elbow.", "Moving on to the" of "Moving on
 * to the cervical length."); 0 otherwise. */
static size_t sp_carried_to_exam(const sp_ctx *c, size_t i, size_t n)
{
    size_t len = 0;
    int weak = 0;
    if (n == 0)
        return 0;
    for (size_t k = 0; k < SP_LEAD_WORDS && i + n < c->ntok && !sp_at(c, i + n)->sent &&
                       report_word_in(sp_word(c, i + n), c->lang->lead);
         k++)
        n++;
    return i + n < c->ntok && !sp_at(c, i + n)->sent && sp_exam_cue_at(c, i + n, 1, &len, &weak)
               ? n
               : 0;
}

/* The copula after a transition's noun at i, carried on to the exam it
 * names (sp_carried_to_exam); 0 when there is none. */
static size_t sp_copula_at(const sp_ctx *c, size_t i)
{
    if (i >= c->ntok || sp_at(c, i)->sent)
        return 0;
    return sp_carried_to_exam(c, i, sp_alts_at(c, c->lang->copula, i));
}

/* A spoken transition at i: *kind CUE_ORDINAL (with *ordinal) or CUE_NEXT,
 * *keep whether its words stay in the text as its exam's title ("Moving on
 * to the cervical length."; not "Next exam."); returns its words, or 0. */
static size_t sp_transition_at(const sp_ctx *c, size_t i, int *kind, int *ordinal, int *keep)
{
    const report_lang *L = c->lang;
    size_t n = sp_alts_at(c, L->onward, i), k = 0;
    *kind = CUE_NEXT;
    *keep = n > 0 && sp_at(c, sp_transition_lead(c, i, 0))->sent &&
            (n = sp_carried_to_exam(c, i, n)) > 0;
    if (*keep)
        return n;
    n = 0;
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
        return sp_is_reference(c, i, i + n + k, 0) ? 0 : n + k + sp_copula_at(c, i + n + k);
    if (n > 0 && sp_alone_in_sentence(c, i, n))
        return n; /* "Next.", "Далее.", "Теперь третье." */
    if ((n = sp_alts_at(c, L->nouns, i)) > 0 && (k = sp_alts_at(c, L->next_after, i + n)) > 0) {
        *kind = CUE_NEXT;
        return sp_is_reference(c, i, i + n + k, 0) ? 0 : n + k + sp_copula_at(c, i + n + k);
    }
    n = sp_alts_at(c, L->number_of, i);
    int v = n > 0 ? sp_small_number(c, i + n, &k) : 0;
    if (v < 1 && (v = sp_number_sentence_at(c, i, &k)) > 0)
        n = 0;
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
 * drops a spoken colon or period right after it, unless it stays as a title. */
static int sp_find_cues(sp_ctx *c)
{
    int rc = RA_OK;
    for (size_t i = 0; i < c->ntok && rc == RA_OK;) {
        sp_cue q = {i, i, CUE_EXAM, 0, 0, i, 0};
        int keep = 0;
        size_t len = sp_transition_at(c, i, &q.kind, &q.ordinal, &keep);
        if (len > 0) {
            q.start = sp_transition_lead(c, i, c->ncue > 0 ? c->cues[c->ncue - 1].end : 0);
            q.end = i + len;
            size_t extra = 0;
            if (!keep && (extra = sp_colon_at(c, q.end)) == 0)
                extra = sp_ender_at(c, q.end);
            q.end += extra;
            q.drop_end = keep ? q.start : q.end;
        } else {
            int lead = c->ncue > 0 && c->cues[c->ncue - 1].kind != CUE_EXAM &&
                       c->cues[c->ncue - 1].end == i;
            q.kind = CUE_EXAM;
            q.mask = sp_exam_cue_at(c, i, lead, &len, &q.weak);
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

#define SP_UNKNOWN (-1) /* the head's exam, not known yet */
#define SP_NOBODY (-2)  /* a piece no exam may have: the split is unsure of it */

/* One piece of the transcript for one exam: words [start, end), without
 * the dropped words [drop_start, drop_end). */
typedef struct sp_piece {
    size_t start, drop_start, drop_end;
    int exam; /* or SP_NOBODY (SP_UNKNOWN only while the pieces are handed out) */
} sp_piece;

/* The pieces decided, and the exams the split is unsure of. */
typedef struct sp_plan {
    sp_piece *pieces;
    size_t np;
    uint64_t unsure;
} sp_plan;

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
    e = sp_first_unused(c, used, cur, sp_all(c));
    return e >= 0 ? e : cur >= 0 ? (int)((size_t)(cur + 1) % c->n) : 0;
}

/* The votes of the words [from, to) for each exam: a body-part or anatomy
 * word that points at exactly one exam counts for it (a body-part word the
 * exams' names tell apart, sp_body_word_apart, by their names: "hand" for
 * the hand radiograph). A modality word does not: reports name other
 * modalities ("MR is recommended"). */
static void sp_votes(const sp_ctx *c, size_t from, size_t to, size_t *votes)
{
    memset(votes, 0, c->n * sizeof *votes);
    for (size_t i = from; i < to; i++) {
        const sp_cls *t = &c->cls[i];
        uint64_t named = sp_body_word_apart(c, i) ? sp_exams_naming(c, sp_word(c, i)) : 0;
        uint64_t pointed[2] = {named != 0     ? named
                               : t->body >= 0 ? sp_exams_with(c, -1, t->body)
                                              : 0,
                               sp_exams_of_parts(c, t->anat)};
        for (int k = 0; k < 2; k++) {
            for (size_t e = 0; sp_single(pointed[k]) && e < c->n; e++)
                votes[e] += pointed[k] == (uint64_t)1 << e;
        }
    }
}

/* The exams with votes. */
static uint64_t sp_voted(const sp_ctx *c, const size_t *votes)
{
    uint64_t mask = 0;
    for (size_t e = 0; e < c->n; e++)
        mask |= votes[e] > 0 ? (uint64_t)1 << e : 0;
    return mask;
}

/* Where a cut for the cue q goes: back over the title, transition and
 * joining words before it ("noncontrast head ct", "şimdi lomber mr", "при
 * УЗИ малого таза") to its sentence start when that is close and after
 * floor, else at the cue (on a typed-word start); when the first cue, of
 * more than one word, closes the sentence the dictation opens with, that
 * sentence is the title whatever its words ("Transabdominal and
 * transvaginal pelvic ultrasound."; not "... mass, see ultrasound."). Other
 * words before a cue stay with the text they end ("... likely
 * demyelinating and cervical spine mri": "likely demyelinating" is the last
 * exam's). */
static size_t sp_cut_at(const sp_ctx *c, const sp_cue *q, size_t floor)
{
    size_t start = q->start, s = start;
    int title_sentence =
        floor == 0 && q->kind == CUE_EXAM && q->end - q->start > 1 && sp_title_closes_at(c, q->end);
    while (s > floor && !sp_at(c, s)->sent && start - s < SP_CUT_BACK &&
           (title_sentence || report_word_in(sp_word(c, s - 1), c->lang->title_words) ||
            report_word_in(sp_word(c, s - 1), c->lang->lead) ||
            report_word_in(sp_word(c, s - 1), c->lang->joins)))
        s--;
    if (!sp_at(c, s)->sent || s < floor)
        s = start;
    while (s > floor && !sp_at(c, s)->first)
        s--;
    return s;
}

/* True when one of the first SP_OPENING words points at exactly one exam
 * (sp_votes): the dictation opens speaking of that exam's anatomy. */
static int sp_opens_with_votes(const sp_ctx *c)
{
    size_t votes[REPORT_SPLIT_MAX_EXAMS];
    size_t end = c->ntok < SP_OPENING ? c->ntok : SP_OPENING;
    sp_votes(c, 0, end, votes);
    return sp_voted(c, votes) != 0;
}

/* The exams the exam cue right after the first cue, a transition, names
 * ("Next exam. Thorax CT."); 0 when none follows it. */
static uint64_t sp_named_after_first(const sp_ctx *c)
{
    if (c->ncue < 2 || c->cues[0].kind == CUE_EXAM || c->cues[1].kind != CUE_EXAM ||
        c->cues[1].start > c->cues[0].end + SP_MERGE_WINDOW)
        return 0;
    return c->cues[1].mask;
}

/* The exam the head (the words before the first cue) belongs to, from
 * what comes before any cue is resolved: the transition that ends it ("...
 * next exam": the first exam; "... third exam": the second) unless its
 * votes point elsewhere or the transition goes on to name that very exam,
 * else its votes when they point at one exam only.
 * SP_UNKNOWN when that does not tell (sp_head_after decides); SP_NOBODY
 * when there is no cue at all and the dictation does not open speaking of
 * one exam (a dictation that names none of several exams is handed to one
 * only when its first words are that exam's). */
static int sp_head_before(const sp_ctx *c, const size_t *votes)
{
    uint64_t voted = sp_voted(c, votes);
    int owner = SP_UNKNOWN;
    if (c->ncue > 0 && c->cues[0].kind == CUE_NEXT)
        owner = 0;
    else if (c->ncue > 0 && c->cues[0].kind == CUE_ORDINAL && c->cues[0].ordinal >= 2 &&
             (size_t)c->cues[0].ordinal <= c->n)
        owner = c->cues[0].ordinal - 2;
    if (owner >= 0 && sp_named_after_first(c) == (uint64_t)1 << owner)
        owner = SP_UNKNOWN; /* "... Next exam. [the owner's title]": not the owner's */
    if (owner < 0 && c->ncue == 0 && !sp_opens_with_votes(c))
        return SP_NOBODY; /* no exam named at all: no boundary is known */
    if (owner < 0)
        return sp_single(voted) ? __builtin_ctzll(voted) : SP_UNKNOWN;
    return voted == 0 || voted == (uint64_t)1 << owner ? owner : SP_UNKNOWN;
}

/* True when words [0, end) end a sentence and read as a report, not as a
 * preamble or a transition not understood: they hold a section heading or
 * more than one sentence ("Findings normal.", "No acute bleed. Normal
 * study."; not "Sonuncu müayinədən başlayıram."). */
static int sp_reads_as_report(const sp_ctx *c, size_t end)
{
    if (end < c->ntok && !sp_at(c, end)->sent)
        return 0;
    for (size_t i = 0; i < end; i++) {
        if ((i > 0 && sp_at(c, i)->sent) || sp_heading_at(c, i, 1))
            return 1;
    }
    return 0;
}

/* The exam the head (words [0, end)) belongs to once the cues have handed
 * out the rest (used[e]: exam e has a piece; first: the exam of the first
 * piece after the head): the one exam left without a piece, when the head
 * has no votes for another and is dictation, not a few stray words (it
 * votes for that exam, is SP_OPENING words long or reads as a report:
 * "transabdominal and transvaginal pelvic ultrasound" in a run is no report
 * of its own, nor is "Sonuncu müayinədən başlayıram." one); the
 * exam whose title follows, when every exam has a piece and the head
 * speaks of none (a preamble: "clinical information back pain. lumbar
 * spine mri ..."). SP_NOBODY otherwise. */
static int sp_head_after(const sp_ctx *c, size_t end, const size_t *votes, const int *used,
                         int first)
{
    uint64_t unused = 0, voted = sp_voted(c, votes);
    for (size_t e = 0; e < c->n; e++)
        unused |= used[e] ? 0 : (uint64_t)1 << e;
    int dictation = voted != 0 || end >= SP_OPENING || sp_reads_as_report(c, end);
    if (sp_single(unused) && (voted & ~unused) == 0 && dictation)
        return __builtin_ctzll(unused);
    if (unused == 0 && voted == 0 && first >= 0)
        return first;
    return SP_NOBODY;
}

/* The exams a transition q followed by an exam cue naming mask hands the
 * dictation to: those of mask the transition also names ("second exam. ct
 * angiography ..." between two brain CTs: the second; "next exam": one
 * that is not the current exam cur), else mask. */
static uint64_t sp_merged_mask(const sp_ctx *c, const sp_cue *q, uint64_t mask, int cur)
{
    uint64_t named = 0;
    if (q->kind == CUE_ORDINAL && (size_t)q->ordinal <= c->n)
        named = mask & (uint64_t)1 << (q->ordinal - 1);
    else if (q->kind == CUE_NEXT && cur >= 0)
        named = mask & ~((uint64_t)1 << cur);
    return named != 0 ? named : mask;
}

/* The exam a transition q (no exam named after it) hands the words up to
 * the next cue (end) to: e, the one it names, unless those words point at
 * one other exam only, that has no part yet (a misheard ordinal: "third
 * exam" heard for "first exam" before the chest findings). */
static int sp_transition_by_anatomy(const sp_ctx *c, const sp_cue *q, size_t end, const int *used,
                                    int e)
{
    size_t votes[REPORT_SPLIT_MAX_EXAMS];
    sp_votes(c, q->end, end, votes);
    uint64_t voted = sp_voted(c, votes);
    if (!sp_single(voted))
        return e;
    int v = __builtin_ctzll(voted);
    return v != e && !used[v] ? v : e;
}

/* Hands the pieces out: the head (before the first cut, see
 * sp_head_before and sp_head_after), then one piece per cue that changes
 * exam. A transition immediately followed by an exam cue takes that cue's
 * exams. When the head's exam cannot be told, it is SP_NOBODY's
 * (sp_settle_head decides what follows from that); a
 * modality or body part alone naming an exam that had its piece already
 * makes it unsure of that exam and the current one (an exam dictated in
 * two pieces is named again by its title). */
static void sp_pieces(sp_ctx *c, sp_plan *plan)
{
    int used[REPORT_SPLIT_MAX_EXAMS] = {0};
    size_t votes[REPORT_SPLIT_MAX_EXAMS];
    size_t n = 0, floor = 0;
    size_t head_end = c->ncue > 0 ? sp_cut_at(c, &c->cues[0], 0) : c->ntok;
    int cur = SP_UNKNOWN, head = head_end > 0;
    sp_votes(c, 0, head_end, votes);
    if (head) {
        cur = sp_head_before(c, votes);
        plan->pieces[n++] = (sp_piece){0, 0, 0, cur};
        if (cur >= 0)
            used[cur] = 1;
    }
    for (size_t k = 0; k < c->ncue; k++) {
        sp_cue q = c->cues[k];
        if (q.kind != CUE_EXAM && k + 1 < c->ncue && c->cues[k + 1].kind == CUE_EXAM &&
            c->cues[k + 1].start <= q.end + SP_MERGE_WINDOW) {
            q.mask = sp_merged_mask(c, &q, c->cues[++k].mask, cur);
            q.kind = CUE_EXAM;
            q.weak = 0;
        }
        int e = sp_resolve(c, &q, used, cur);
        if (q.kind != CUE_EXAM)
            e = sp_transition_by_anatomy(c, &q, k + 1 < c->ncue ? c->cues[k + 1].start : c->ntok,
                                         used, e);
        int drop = q.drop_end > q.start;
        if (e == cur && !drop)
            continue;
        if (used[e] && q.weak) /* "... better characterized on [misheard]. CT. ..." */
            plan->unsure |= (uint64_t)1 << e | (cur >= 0 ? (uint64_t)1 << cur : 0);
        size_t cut = e == cur ? q.start : sp_cut_at(c, &q, floor);
        plan->pieces[n++] = (sp_piece){cut, q.start, q.drop_end, e};
        floor = q.end;
        cur = e;
        used[e] = 1;
    }
    plan->np = n;
    if (head && plan->pieces[0].exam == SP_UNKNOWN)
        plan->pieces[0].exam =
            sp_head_after(c, head_end, votes, used, n > 1 ? plan->pieces[1].exam : -1);
    if (n > 1 && plan->pieces[0].exam == plan->pieces[1].exam &&
        plan->pieces[1].drop_end == plan->pieces[1].drop_start) { /* one piece, not two */
        memmove(&plan->pieces[1], &plan->pieces[2], (n - 2) * sizeof *plan->pieces);
        plan->np = n - 1;
    }
}

/* ---- boundaries the titles did not show --------------------------------- */

/* True when a conclusion or impression heading opens the sentence at i
 * (anywhere: is said at i, in a text without sentence marks), not between
 * words that make it a plain word ("no impression on the cord"). */
static int sp_closing_at(const sp_ctx *c, size_t i, int anywhere)
{
    const report_lang *L = c->lang;
    for (size_t p = 0; p < L->n_phrases && (anywhere || sp_at(c, i)->sent); p++) {
        const report_phrase *ph = &L->phrases[p];
        int closing = ph->arg == REPORT_SEC_SONUC || ph->arg == REPORT_SEC_IZLENIM;
        size_t k = ph->act == REPORT_ACT_SECTION && closing ? sp_alts_at(c, ph->words, i) : 0;
        if (k == 0)
            continue;
        if (i + k < c->ntok && sp_at(c, i + k)->sent)
            return 1; /* "Conclusion. No acute ..." */
        const char *next = sp_word(c, i + k);
        if (!(i > 0 && report_word_in(sp_word(c, i - 1), L->qualifiers)) &&
            !report_word_in(next, L->joins) && !report_word_in(next, ph->not_before))
            return 1;
    }
    return 0;
}

/* True when word i speaks of body part b (its anatomy or its name). */
static int sp_speaks_of(const sp_ctx *c, size_t i, int b)
{
    return (c->cls[i].anat >> b & 1) || c->cls[i].body == b;
}

/* True when word i speaks of body part b and not of body part other
 * ("L4" of the lumbar spine; not "disc", a word of every spine). */
static int sp_speaks_only_of(const sp_ctx *c, size_t i, int b, int other)
{
    return sp_speaks_of(c, i, b) && !sp_speaks_of(c, i, other);
}

/* True when the sentence at i (ending before the next sentence or to)
 * speaks of body part b and not only as it speaks of other. */
static int sp_sentence_speaks_of(const sp_ctx *c, size_t i, size_t to, int b, int other)
{
    for (size_t k = i; k < to && (k == i || !sp_at(c, k)->sent); k++) {
        if (sp_speaks_only_of(c, k, b, other))
            return 1;
    }
    return 0;
}

/* True when the sentence at i speaks of body part b (and not only as of other) before it has said
 * SP_PAIR_WINDOW words of substance (not joining, qualifying, title or
 * the language's most common words), as a report or a transition opens
 * ("The thyroid is normal", "Moving on to the abdomen"; not "Follow up
 * radiograph in six weeks to the abdomen ...", a misheard end of the
 * report before). */
static int sp_sentence_opens_with(const sp_ctx *c, size_t i, size_t to, int b, int other)
{
    const report_lang *L = c->lang;
    size_t said = 0;
    for (size_t k = i; k < to && (k == i || !sp_at(c, k)->sent) && said < SP_PAIR_WINDOW; k++) {
        if (sp_speaks_only_of(c, k, b, other))
            return 1;
        const char *w = sp_word(c, k);
        said += !report_word_in(w, L->joins) && !report_word_in(w, L->qualifiers) &&
                !report_word_in(w, L->stops) && !report_word_in(w, L->lead) &&
                !report_word_in(w, L->title_words);
    }
    return 0;
}

/* Where in words [from, to) (one exam's piece, of body part bf) the
 * dictation of an exam of body part be begins whose title was not heard:
 * the first sentence after which the piece speaks of be and never of bf
 * again, before which it spoke of bf and closed with a conclusion or
 * impression, and which goes on to a conclusion or impression of its own
 * (two reports in a row: "... Impression. Hepatic steatosis. [misheard
 * title] The thyroid is normal ... Impression. Benign thyroid nodule."),
 * or which is a heading that opens a report, alone ("... Impression. Small
 * T8 T9 disc protrusion. Else spine. Findings. ... L4 on L5 ...": the
 * misheard title stays where it was said, no sentence is moved on a
 * guess). Words speak of a part here only when they do not speak of the
 * other as well ("disc" is every spine's). 0 when there is none, or when
 * that sentence does not open speaking of be (where the boundary is inside
 * it, no cut is sure). */
static size_t sp_shift_at(const sp_ctx *c, size_t from, size_t to, int bf, int be)
{
    size_t head_f = 0, cut = 0, tail_e = 0;
    int head_closed = 0, tail_closed = 0, opened = 0;
    for (size_t i = from; i < to; i++) {
        if (cut == 0 && i > from && sp_at(c, i)->sent && head_f > 0 && head_closed &&
            ((opened = sp_heading_alone_at(c, i)) || sp_sentence_speaks_of(c, i, to, be, bf)))
            cut = i;
        int f = sp_speaks_only_of(c, i, bf, be);
        int e = sp_speaks_only_of(c, i, be, bf);
        if (cut == 0) {
            head_f += (size_t)f;
            head_closed |= sp_closing_at(c, i, 0);
        } else if (f) {
            return 0; /* it speaks of its own exam again: no boundary */
        } else {
            tail_e += (size_t)e;
            tail_closed |= sp_closing_at(c, i, 0);
        }
    }
    return cut > 0 && tail_e >= SP_DOMINANT && tail_closed &&
                   (opened || sp_sentence_opens_with(c, cut, to, be, bf))
               ? cut
               : 0;
}

/* For each exam no cue named (body part known), the piece of another body
 * part that holds its dictation after a missed title, cut there
 * (sp_shift_at). plan->pieces has room for c->n more pieces. */
static void sp_anatomy_shifts(sp_ctx *c, sp_plan *plan)
{
    int used[REPORT_SPLIT_MAX_EXAMS] = {0};
    for (size_t k = 0; k < plan->np; k++)
        used[plan->pieces[k].exam >= 0 ? plan->pieces[k].exam : 0] |= plan->pieces[k].exam >= 0;
    for (size_t e = 0; e < c->n; e++) {
        int be = c->exams[e].body;
        for (size_t k = 0; !used[e] && be >= 0 && k < plan->np; k++) {
            sp_piece *p = &plan->pieces[k];
            int bf = p->exam >= 0 ? c->exams[p->exam].body : -1;
            size_t to = k + 1 < plan->np ? plan->pieces[k + 1].start : c->ntok;
            size_t from = p->drop_end > p->start ? p->drop_end : p->start;
            size_t cut = bf >= 0 && bf != be ? sp_shift_at(c, from, to, bf, be) : 0;
            if (cut == 0)
                continue;
            memmove(p + 2, p + 1, (plan->np - k - 1) * sizeof *p);
            p[1] = (sp_piece){cut, cut, cut, (int)e};
            plan->np++;
            used[e] = 1;
        }
    }
}

/* The head no exam could be given (SP_NOBODY, see sp_head_before and
 * sp_head_after): when it speaks of exactly two exams that have no piece,
 * split where the dictation of one gives way to the other's (sp_shift_at:
 * "... Impression. No thoracic spine fracture. [L-spine misheard] There is
 * a burst fracture of L1 ..."); else the split is unsure of the exams
 * without a piece and of those it speaks of. */
static void sp_settle_head(const sp_ctx *c, sp_plan *plan)
{
    if (plan->np == 0 || plan->pieces[0].exam != SP_NOBODY)
        return;
    int used[REPORT_SPLIT_MAX_EXAMS] = {0};
    size_t votes[REPORT_SPLIT_MAX_EXAMS];
    size_t end = plan->np > 1 ? plan->pieces[1].start : c->ntok;
    for (size_t k = 1; k < plan->np; k++)
        used[plan->pieces[k].exam >= 0 ? plan->pieces[k].exam : 0] |= plan->pieces[k].exam >= 0;
    sp_votes(c, 0, end, votes);
    uint64_t voted = sp_voted(c, votes);
    int two = voted != 0 && sp_single(voted & (voted - 1));
    int a = two ? __builtin_ctzll(voted) : 0, b = two ? 63 - __builtin_clzll(voted) : 0;
    for (int k = 0; two && !used[a] && !used[b] && k < 2; k++) {
        int f = k == 0 ? a : b, e = k == 0 ? b : a;
        int bf = c->exams[f].body, be = c->exams[e].body;
        size_t cut = bf >= 0 && be >= 0 && bf != be ? sp_shift_at(c, 0, end, bf, be) : 0;
        if (cut == 0)
            continue;
        memmove(&plan->pieces[2], &plan->pieces[1], (plan->np - 1) * sizeof *plan->pieces);
        plan->pieces[0].exam = f;
        plan->pieces[1] = (sp_piece){cut, cut, cut, e};
        plan->np++;
        return;
    }
    for (size_t e = 0; e < c->n; e++)
        plan->unsure |= !used[e] || votes[e] > 0 ? (uint64_t)1 << e : 0;
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

/* Byte offset where word i starts, or the end of the text. */
static size_t sp_byte(const sp_ctx *c, size_t i)
{
    return i < c->ntok ? sp_at(c, i)->start : strlen(c->text);
}

/* Byte offset just after the typed word of the word before i. */
static size_t sp_byte_end(const sp_ctx *c, size_t i)
{
    return i > 0 && i <= c->ntok ? sp_at(c, i - 1)->end : 0;
}

/* Writes piece k (ending where piece k+1 starts) into its exam's buffer. */
static int sp_emit_piece(const sp_ctx *c, const sp_piece *p, size_t k, size_t np, buf *out)
{
    if (p[k].exam < 0)
        return RA_OK;
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

/* Cuts the transcript as planned: parts[e] for every exam ("" for an exam
 * the split is unsure of), outcomes[e] what the split found. */
static int sp_cut(sp_ctx *c, char **parts, report_split_outcome *outcomes)
{
    buf out[REPORT_SPLIT_MAX_EXAMS];
    sp_plan plan = {malloc((c->ncue + 1 + c->n) * sizeof *plan.pieces), 0, 0};
    int rc = plan.pieces != NULL ? RA_OK : RA_ERR_NOMEM;
    for (size_t e = 0; e < c->n; e++)
        buf_init(&out[e], strlen(c->text) + 2 * c->ncue + 4);
    if (rc == RA_OK) {
        sp_pieces(c, &plan);
        sp_anatomy_shifts(c, &plan);
        sp_settle_head(c, &plan);
    }
    for (size_t k = 0; k < plan.np && rc == RA_OK; k++)
        rc = sp_emit_piece(c, plan.pieces, k, plan.np, out);
    char *res[REPORT_SPLIT_MAX_EXAMS] = {NULL};
    for (size_t e = 0; e < c->n && rc == RA_OK; e++) {
        if (plan.unsure >> e & 1)
            out[e].len = 0;
        res[e] = out[e].len > 0 ? buf_detach(&out[e]) : strdup("");
        rc = res[e] != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    for (size_t e = 0; e < c->n; e++) {
        if (rc == RA_OK) {
            parts[e] = res[e];
            outcomes[e] = (plan.unsure >> e & 1) ? REPORT_SPLIT_UNSURE
                          : res[e][0] != '\0'    ? REPORT_SPLIT_PLACED
                                                 : REPORT_SPLIT_ABSENT;
        } else {
            free(res[e]);
        }
        buf_release(&out[e]);
    }
    free(plan.pieces);
    return rc;
}

/* ---- checking a split ----------------------------------------------------- */

/* Reads c->text into c->words, marks its spoken sentence ends and
 * classifies its words into c->cls (both c's, freed by the caller). */
static int sp_read(sp_ctx *c)
{
    int rc = report_words_read(c->text, &c->words);
    c->ntok = c->words.n;
    if (rc == RA_OK) {
        sp_mark_spoken_ends(c);
        for (size_t i = 1; i < c->ntok && !c->marked; i++)
            c->marked = sp_at(c, i)->sent;
        rc = sp_classify(c);
    }
    return rc;
}

/* Whether part f (placed, of body part bf) holds what must make the split
 * unsure of exams f and e (body part be): anatomy of e's body part when e
 * has no dictation of its own (a boundary was missed) or when the part
 * holds two reports (two_reports, sp_part_shape), or more anatomy of e's
 * than of its own, at SP_DOMINANT places at least (a part handed to the
 * wrong exam); with two reports in it, also when e has no dictation of its
 * own whatever the anatomy. */
static int sp_part_doubts(const char *part, const char *lang, int bf, int be, int e_placed,
                          int two_reports, int *rc)
{
    report_anatomy_found other, own;
    *rc = report_anatomy_scan(part, lang, (uint32_t)1 << be, bf, &other);
    if (*rc != RA_OK)
        return 0;
    if (other.hits[be] == 0)
        return two_reports && !e_placed;
    if (!e_placed || two_reports)
        return 1;
    *rc = report_anatomy_scan(part, lang, (uint32_t)1 << bf, REPORT_ANATOMY_NONE, &own);
    return *rc == RA_OK && other.hits[be] >= SP_DOMINANT && other.hits[be] > own.hits[bf];
}

/* What a placed part shows of the reports in it. */
typedef struct sp_part_shape {
    int two_reports; /* it closes twice with a conclusion or impression, or a
                      * heading that opens a report (findings, technique,
                      * clinical information, comparison) opens a sentence
                      * after its closing: two reports in a row ("Impression.
                      * ... [transition not heard] Findings. ...") */
    uint32_t names;  /* the modalities it names other than as a mention of
                      * another exam ("... ultrasound is recommended") */
} sp_part_shape;

/* Reads part (in L) for sp_part_shape. In a text without sentence marks
 * only the closings count, anywhere: "impression no acute findings" has
 * no heading after its closing. */
static int sp_part_shape_of(const char *part, const report_lang *L, sp_part_shape *shape)
{
    sp_ctx t = {.text = part, .lang = L};
    size_t closings = 0;
    int rc = sp_read(&t);
    *shape = (sp_part_shape){0, 0};
    for (size_t i = 0; rc == RA_OK && i < t.ntok; i++) {
        int opens = t.marked && closings > 0 && sp_heading_alone_at(&t, i);
        closings += (size_t)sp_closing_at(&t, i, !t.marked);
        shape->two_reports |= closings > 1 || opens;
        if (t.cls[i].mod >= 0 && !sp_is_reference(&t, i, i + t.cls[i].mod_len, 1))
            shape->names |= (uint32_t)1 << t.cls[i].mod;
    }
    free(t.cls);
    report_words_release(&t.words);
    return rc;
}

/* Whether placed part f (of shape) must make the split unsure of exams f
 * and e: for exams of two body parts, e's anatomy in it or two reports in
 * it (sp_part_doubts: "Brain MRI. ... Impression. ... [a missed 'Back to the
 * first.'] Findings. Small hiatal hernia."); for two of one body part (or
 * e's unknown), when e has no dictation of its own, two reports in it or
 * e's modality named in it (its title: "Mammography. ... Breast
 * ultrasound. ..."). A part with two reports is never right for f alone
 * (sp_doubts). */
static int sp_pair_doubts(const sp_exam *ex, size_t f, size_t e, const char *lang,
                          char *const *parts, const report_split_outcome *outcomes,
                          const sp_part_shape *shape, int *rc)
{
    int placed = outcomes[e] == REPORT_SPLIT_PLACED;
    if (ex[e].body >= 0 && ex[f].body >= 0 && ex[e].body != ex[f].body)
        return sp_part_doubts(parts[f], lang, ex[f].body, ex[e].body, placed, shape->two_reports,
                              rc);
    return !placed && (shape->two_reports || (ex[e].mod >= 0 && ex[e].mod != ex[f].mod &&
                                              (shape->names >> ex[e].mod & 1)));
}

/* The exams the split must be unsure of (see report_split_verify). */
static int sp_doubts(const sp_exam *ex, size_t n, const char *lang, char *const *parts,
                     const report_split_outcome *outcomes, uint64_t *unsure)
{
    const report_lang *L = report_lang_get(report_lang_normalize(lang));
    int rc = RA_OK;
    for (size_t f = 0; f < n && rc == RA_OK; f++) {
        sp_part_shape shape;
        if (outcomes[f] != REPORT_SPLIT_PLACED)
            continue;
        if ((rc = sp_part_shape_of(parts[f], L, &shape)) != RA_OK)
            break;
        *unsure |= shape.two_reports ? (uint64_t)1 << f : 0;
        for (size_t e = 0; e < n && rc == RA_OK; e++) {
            if (e != f && sp_pair_doubts(ex, f, e, lang, parts, outcomes, &shape, &rc))
                *unsure |= (uint64_t)1 << e | (uint64_t)1 << f;
        }
    }
    return rc;
}

int report_split_body_parts(const report_exam_hint *exams, size_t n, int *bodies)
{
    sp_exam *ex = calloc(n > 0 ? n : 1, sizeof *ex);
    int rc = ex != NULL ? sp_exams_init(ex, exams, n) : RA_ERR_NOMEM;
    for (size_t e = 0; e < n && rc == RA_OK; e++)
        bodies[e] = ex[e].body;
    sp_exams_free(ex, n);
    return rc;
}

int report_split_verify(const char *lang, const report_exam_hint *exams, size_t n, char **parts,
                        report_split_outcome *outcomes)
{
    if (report_lang_normalize(lang) == NULL || exams == NULL || parts == NULL || outcomes == NULL ||
        n == 0 || n > REPORT_SPLIT_MAX_EXAMS)
        return RA_ERR_INVALID;
    sp_exam *ex = calloc(n, sizeof *ex);
    uint64_t unsure = 0;
    int rc = ex != NULL ? sp_exams_init(ex, exams, n) : RA_ERR_NOMEM;
    if (rc == RA_OK && n > 1)
        rc = sp_doubts(ex, n, lang, parts, outcomes, &unsure);
    for (size_t e = 0; e < n && rc == RA_OK; e++) {
        if (!(unsure >> e & 1))
            continue;
        char *none = strdup("");
        if (none == NULL) {
            rc = RA_ERR_NOMEM;
            break;
        }
        free(parts[e]);
        parts[e] = none;
        outcomes[e] = REPORT_SPLIT_UNSURE;
    }
    sp_exams_free(ex, n);
    return rc;
}

/* ---- entry -------------------------------------------------------------- */

static int sp_whole(const char *s, char **parts, report_split_outcome *outcomes)
{
    size_t a = 0, b = strlen(s);
    while (a < b && (unsigned char)s[a] <= 0x20)
        a++;
    while (b > a && (unsigned char)s[b - 1] <= 0x20)
        b--;
    parts[0] = strndup(s + a, b - a);
    outcomes[0] = b > a ? REPORT_SPLIT_PLACED : REPORT_SPLIT_ABSENT;
    return parts[0] != NULL ? RA_OK : RA_ERR_NOMEM;
}

/* Reads the transcript and the exams into c and cuts it into parts. */
static int sp_run(sp_ctx *c, const report_exam_hint *exams, char **parts,
                  report_split_outcome *outcomes)
{
    c->exams = calloc(c->n, sizeof *c->exams);
    int rc = c->exams != NULL ? sp_exams_init(c->exams, exams, c->n) : RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = sp_read(c);
    if (rc == RA_OK)
        rc = sp_find_cues(c);
    if (rc == RA_OK)
        rc = sp_cut(c, parts, outcomes);
    return rc;
}

int report_split(const char *transcript, const char *lang, const report_exam_hint *exams, size_t n,
                 char **parts, report_split_outcome *outcomes)
{
    const char *code = report_lang_normalize(lang);
    if (transcript == NULL || exams == NULL || parts == NULL || outcomes == NULL || n == 0 ||
        n > REPORT_SPLIT_MAX_EXAMS || code == NULL)
        return RA_ERR_INVALID;
    size_t len = strlen(transcript);
    if (len > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(transcript, len))
        return RA_ERR_INVALID;
    if (n == 1)
        return sp_whole(transcript, parts, outcomes);
    sp_ctx c = {.text = transcript, .lang = report_lang_get(code), .n = n};
    int rc = sp_run(&c, exams, parts, outcomes);
    if (rc == RA_OK && (rc = report_split_verify(code, exams, n, parts, outcomes)) != RA_OK) {
        for (size_t e = 0; e < n; e++) /* written: taken back */
            free(parts[e]);
    }
    sp_exams_free(c.exams, n);
    free(c.cls);
    free(c.cues);
    report_words_release(&c.words);
    return rc;
}

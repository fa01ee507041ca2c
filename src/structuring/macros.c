/* macros.c - voice macros (see macros.h): the macro word and the body-part
 * words of each language, folding names, the set of one dictation's
 * macros (user, organization and the library's built-in ones), and the
 * longest-name match the structurer asks for at a macro word.
 *
 * A set holds its user and organization entries, each owning a copy of its
 * text, and borrows the built-in ones: those of a template library are
 * made once (report_macro_builtins: per language, the templates whose
 * normal texts were laid out and the names that say them), not per
 * dictation, and a set points at its language's. */
#include "structuring/macros.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/text.h"

#define MC_MAX_TOKENS (1 + REPORT_MACRO_NAME_WORDS) /* tokens a match looks at */
#define MC_JOINED_MAX 1024                          /* bytes of the joined name words */
#define MC_SPOKEN_MAX 256                           /* bytes of a listed spoken name */

/* ---- language tables -------------------------------------------------------------- */

/* The words of one language: its macro word, its words for "normal" ('|'
 * separated, the first the one listed), and its words for each body part
 * of the catalog (catalog_infer_body_part's values). Written as people
 * write them; folded when used. */
typedef struct mc_lang {
    const char *macro;
    const char *normal;
} mc_lang;

/* Indexed by lang_id (core/lang.h): every language of the registry has its
 * row (a unit test checks). */
static const mc_lang mc_langs[LANG_COUNT] = {
    [LANG_TR] = {"makro", "normal"},
    [LANG_EN] = {"macro", "normal"},
    [LANG_RU] = {"макрос", "норма|нормальный|нормальная|normal"},
    [LANG_AZ] = {"makro", "normal"},
    [LANG_FR] = {"macro", "normal|normale"},
    [LANG_DE] = {"Makro", "normal"},
};

/* The language of row L of mc_langs. */
static lang_id mc_lang_id(const mc_lang *L)
{
    return (lang_id)(L - mc_langs);
}

/* The registry's code of row L of mc_langs ("tr"). */
static const char *mc_code(const mc_lang *L)
{
    return lang_codes[mc_lang_id(L)];
}

typedef struct mc_body {
    lang_id lang;
    const char *body_part;
    const char *words; /* '|' separated, the first the one listed */
} mc_body;

static const mc_body mc_bodies[] = {
    {LANG_TR, "brain", "beyin|kafa|kranial"},
    {LANG_TR, "chest", "toraks|akciğer|göğüs"},
    {LANG_TR, "abdomen", "batın|tüm batın|karın|abdomen"},
    {LANG_TR, "pelvis", "pelvis|pelvik"},
    {LANG_TR, "lumbar_spine", "lomber|lomber omurga|bel"},
    {LANG_TR, "cervical_spine", "servikal|servikal omurga|boyun"},
    {LANG_TR, "thoracic_spine", "torakal|torakal omurga|dorsal"},
    {LANG_TR, "knee", "diz"},
    {LANG_TR, "shoulder", "omuz"},
    {LANG_TR, "thyroid", "tiroid"},
    {LANG_TR, "breast", "meme|mamografi"},
    {LANG_TR, "obstetric", "obstetrik|gebelik"},
    {LANG_TR, "extremity", "ekstremite"},
    {LANG_EN, "brain", "brain|head"},
    {LANG_EN, "chest", "chest|thorax|lung|lungs"},
    {LANG_EN, "abdomen", "abdomen|abdominal"},
    {LANG_EN, "pelvis", "pelvis|pelvic"},
    {LANG_EN, "lumbar_spine", "lumbar|lumbar spine|l spine"},
    {LANG_EN, "cervical_spine", "cervical|cervical spine|c spine"},
    {LANG_EN, "thoracic_spine", "thoracic spine|t spine"},
    {LANG_EN, "knee", "knee"},
    {LANG_EN, "shoulder", "shoulder"},
    {LANG_EN, "thyroid", "thyroid"},
    {LANG_EN, "breast", "breast|breasts|mammography|mammogram"},
    {LANG_EN, "obstetric", "obstetric|pregnancy"},
    {LANG_EN, "extremity", "extremity"},
    {LANG_RU, "brain", "головной мозг|мозг|голова"},
    {LANG_RU, "chest", "грудная клетка|лёгкие|органы грудной клетки"},
    {LANG_RU, "abdomen", "брюшная полость|живот"},
    {LANG_RU, "pelvis", "малый таз|таз"},
    {LANG_RU, "lumbar_spine", "поясничный отдел|поясница"},
    {LANG_RU, "cervical_spine", "шейный отдел|шея"},
    {LANG_RU, "thoracic_spine", "грудной отдел"},
    {LANG_RU, "knee", "колено|коленный сустав"},
    {LANG_RU, "shoulder", "плечо|плечевой сустав"},
    {LANG_RU, "thyroid", "щитовидная железа"},
    {LANG_RU, "breast", "молочная железа|молочные железы|маммография"},
    {LANG_RU, "obstetric", "беременность"},
    {LANG_RU, "extremity", "конечность"},
    {LANG_AZ, "brain", "beyin|baş"},
    {LANG_AZ, "chest", "döş qəfəsi|ağciyər|döş"},
    {LANG_AZ, "abdomen", "qarın|qarın boşluğu"},
    {LANG_AZ, "pelvis", "çanaq"},
    {LANG_AZ, "lumbar_spine", "bel"},
    {LANG_AZ, "cervical_spine", "boyun"},
    {LANG_AZ, "thoracic_spine", "döş fəqərələri"},
    {LANG_AZ, "knee", "diz"},
    {LANG_AZ, "shoulder", "çiyin"},
    {LANG_AZ, "thyroid", "qalxanabənzər vəz|tiroid"},
    {LANG_AZ, "breast", "süd vəzi|mammoqrafiya"},
    {LANG_AZ, "obstetric", "hamiləlik"},
    {LANG_AZ, "extremity", "ətraf"},
    {LANG_FR, "brain", "cerveau|crâne|encéphale"},
    {LANG_FR, "chest", "thorax|poumons|poumon"},
    {LANG_FR, "abdomen", "abdomen|abdominal"},
    {LANG_FR, "pelvis", "pelvis|bassin"},
    {LANG_FR, "lumbar_spine", "rachis lombaire|lombaire"},
    {LANG_FR, "cervical_spine", "rachis cervical|cervical"},
    {LANG_FR, "thoracic_spine", "rachis dorsal|rachis thoracique"},
    {LANG_FR, "knee", "genou"},
    {LANG_FR, "shoulder", "épaule"},
    {LANG_FR, "thyroid", "thyroïde"},
    {LANG_FR, "breast", "sein|seins|mammographie"},
    {LANG_FR, "obstetric", "obstétrique|grossesse"},
    {LANG_FR, "extremity", "membre"},
    {LANG_DE, "brain", "Gehirn|Schädel|Kopf"},
    {LANG_DE, "chest", "Thorax|Lunge|Brustkorb"},
    {LANG_DE, "abdomen", "Abdomen|Bauch"},
    {LANG_DE, "pelvis", "Becken"},
    {LANG_DE, "lumbar_spine", "LWS|Lendenwirbelsäule"},
    {LANG_DE, "cervical_spine", "HWS|Halswirbelsäule"},
    {LANG_DE, "thoracic_spine", "BWS|Brustwirbelsäule"},
    {LANG_DE, "knee", "Knie"},
    {LANG_DE, "shoulder", "Schulter"},
    {LANG_DE, "thyroid", "Schilddrüse"},
    {LANG_DE, "breast", "Brust|Mamma|Mammographie"},
    {LANG_DE, "obstetric", "Schwangerschaft"},
    {LANG_DE, "extremity", "Extremität"},
};

/* The table of lang: "tr", "TR", "tr-TR", "de_DE" and the like. The
 * structurer may not serve every language here yet; a set for one it does
 * not serve is simply never asked. */
static const mc_lang *mc_lang_of(const char *lang)
{
    int i = lang_index(lang);
    return i >= 0 ? &mc_langs[i] : NULL;
}

const char *report_macro_word(const char *lang)
{
    static const char *const folded[LANG_COUNT] = {
        [LANG_TR] = "makro", [LANG_EN] = "macro", [LANG_RU] = "макрос",
        [LANG_AZ] = "makro", [LANG_FR] = "macro", [LANG_DE] = "makro",
    };
    const mc_lang *L = mc_lang_of(lang);
    return L != NULL ? folded[mc_lang_id(L)] : NULL;
}

/* ---- folding ------------------------------------------------------------------------ */

char *report_macro_fold(const char *name)
{
    if (name == NULL)
        return NULL;
    char *folded = text_fold(name);
    if (folded == NULL)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (const char *p = folded; *p != '\0'; p++) {
        if (*p == ' ') {
            space = o > 0;
            continue;
        }
        if (space)
            folded[o++] = ' ';
        folded[o++] = *p;
        space = 0;
    }
    folded[o] = '\0';
    return folded;
}

size_t report_macro_words(const char *folded)
{
    size_t n = 0;
    for (const char *p = folded; p != NULL && *p != '\0'; p++)
        n += (p == folded || p[-1] == ' ') && *p != ' ';
    return n;
}

int report_macro_has_macro_word(const char *folded)
{
    for (size_t i = 0; folded != NULL && i < LANG_COUNT; i++) {
        const char *w = report_macro_word(lang_codes[i]);
        size_t n = strlen(w);
        if (strncmp(folded, w, n) == 0 && (folded[n] == ' ' || folded[n] == '\0'))
            return 1;
    }
    return 0;
}

/* Lays text out as the report writes it (see report_macros_add): a new
 * string, or NULL (*rc RA_ERR_INVALID for a blank text, else NOMEM). */
static char *mc_layout(const char *text, int *rc)
{
    buf b;
    buf_init(&b, REPORT_MACRO_TEXT_MAX + 1);
    size_t blank = 0; /* line ends written in a row */
    *rc = RA_OK;
    for (const char *p = text; *rc == RA_OK && *p != '\0'; p++) {
        char ch = *p;
        if (ch == '\r')
            continue;
        if ((unsigned char)ch < 0x20 && ch != '\n')
            ch = ' '; /* tabs and any other control character */
        if (ch == '\n' || ch == ' ') {
            while (b.len > 0 && b.data[b.len - 1] == ' ')
                b.data[--b.len] = '\0';
        }
        if (ch == '\n') {
            if (b.len > 0 && blank < 2)
                *rc = buf_putc(&b, '\n');
            blank++;
            continue;
        }
        if (ch == ' ' && (b.len == 0 || b.data[b.len - 1] == '\n'))
            continue; /* leading spaces of a line */
        *rc = buf_putc(&b, ch);
        blank = 0;
    }
    while (*rc == RA_OK && b.len > 0 && strchr(" \n", b.data[b.len - 1]) != NULL)
        b.data[--b.len] = '\0';
    if (*rc == RA_OK && b.len == 0)
        *rc = RA_ERR_INVALID;
    char *out = *rc == RA_OK ? buf_detach(&b) : NULL;
    if (*rc == RA_OK && out == NULL)
        *rc = RA_ERR_NOMEM;
    buf_release(&b);
    return out;
}

/* ---- the set ---------------------------------------------------------------------------- */

enum { MC_TEXT, MC_TEMPLATE, MC_BODY };

/* A template of the library with its normal texts laid out. */
typedef struct mc_tmpl {
    const tmpl *t;
    char *normal[REPORT_SEC_COUNT]; /* owned; NULL when absent */
} mc_tmpl;

typedef struct mc_entry {
    char *fold; /* the name's words after the macro word; owned */
    report_macro_scope scope;
    int kind;              /* MC_* */
    int section;           /* MC_TEXT: REPORT_SEC_* or -1 for every section */
    char *text;            /* MC_TEXT: owned */
    size_t tmpl_idx;       /* MC_TEMPLATE: index into its mc_builtin's tmpls */
    const char *body_part; /* MC_BODY: the catalog's value */
} mc_entry;

/* A growable array of entries, each owning what it points to. */
typedef struct mc_entries {
    mc_entry *v;
    size_t n, cap;
} mc_entries;

/* The built-in macros of one language: its templates with normal text in
 * the library's order, laid out, and the entries that name them (by
 * template name, MC_TEMPLATE; by body part, MC_BODY). */
typedef struct mc_builtin {
    int has_templates; /* the library has templates in the language (normal text or not) */
    mc_tmpl *tmpls;
    size_t ntmpls;
    mc_entries names;
} mc_builtin;

struct report_macro_builtins {
    mc_builtin lang[LANG_COUNT]; /* indexed by lang_id */
};

struct report_macro_set {
    const mc_lang *lang;
    const char *word;          /* the folded macro word */
    mc_entries own;            /* user and organization macros */
    const mc_builtin *builtin; /* borrowed (report_macros_use_builtins), or NULL */
    int exam_idx;              /* the exam's template in builtin->tmpls, or -1 */
    const char *exam_modality; /* the exam's template's modality, or NULL */
};

int report_macros_new(const char *lang, report_macro_set **out)
{
    const mc_lang *L = mc_lang_of(lang);
    if (L == NULL || out == NULL)
        return RA_ERR_INVALID;
    report_macro_set *set = calloc(1, sizeof *set);
    if (set == NULL)
        return RA_ERR_NOMEM;
    set->lang = L;
    set->word = report_macro_word(mc_code(L));
    set->exam_idx = -1;
    *out = set;
    return RA_OK;
}

static void mc_entries_release(mc_entries *es)
{
    for (size_t i = 0; i < es->n; i++) {
        free(es->v[i].fold);
        free(es->v[i].text);
    }
    free(es->v);
    *es = (mc_entries){NULL, 0, 0};
}

void report_macros_free(report_macro_set *set)
{
    if (set == NULL)
        return;
    mc_entries_release(&set->own);
    free(set);
}

/* Appends e (taking what it owns, freed here on error). */
static int mc_push(mc_entries *es, mc_entry e)
{
    mc_entry *p = ra_array_reserve(es->v, es->n, &es->cap, sizeof *p, 32);
    if (p == NULL) {
        free(e.fold);
        free(e.text);
        return RA_ERR_NOMEM;
    }
    es->v = p;
    es->v[es->n++] = e;
    return RA_OK;
}

int report_macros_add(report_macro_set *set, report_macro_scope scope, const char *name,
                      int section, const char *text)
{
    if (set == NULL || name == NULL || text == NULL ||
        (scope != REPORT_MACRO_USER && scope != REPORT_MACRO_ORG) || section < -1 ||
        section >= REPORT_SEC_COUNT)
        return RA_ERR_INVALID;
    size_t len = strlen(text);
    if (len > REPORT_MACRO_TEXT_MAX || !text_is_utf8(text, len))
        return RA_ERR_INVALID;
    char *fold = report_macro_fold(name);
    if (fold == NULL)
        return text_is_utf8(name, strlen(name)) ? RA_ERR_NOMEM : RA_ERR_INVALID;
    size_t words = report_macro_words(fold);
    if (words == 0 || words > REPORT_MACRO_NAME_WORDS) {
        free(fold);
        return RA_ERR_INVALID;
    }
    int rc = RA_OK;
    char *laid = mc_layout(text, &rc);
    if (laid == NULL) {
        free(fold);
        return rc;
    }
    mc_entry e = {.fold = fold, .scope = scope, .kind = MC_TEXT, .section = section, .text = laid};
    return mc_push(&set->own, e);
}

/* ---- built-in macros ---------------------------------------------------------------------- */

static int mc_lang_has_templates(const tmpl_library *lib, const char *code)
{
    for (size_t i = 0; code != NULL && i < tmpl_library_count(lib); i++)
        if (strcmp(tmpl_library_at(lib, i)->language, code) == 0)
            return 1;
    return 0;
}

static int mc_has_normal(const tmpl *t)
{
    for (int s = 0; s < REPORT_SEC_COUNT; s++)
        if (t->normal[s] != NULL && t->normal[s][0] != '\0')
            return 1;
    return 0;
}

/* Adds t to b's templates with its normal texts laid out. */
static int mc_tmpl_add(mc_builtin *b, const tmpl *t)
{
    mc_tmpl *p = realloc(b->tmpls, (b->ntmpls + 1) * sizeof *p);
    if (p == NULL)
        return RA_ERR_NOMEM;
    b->tmpls = p;
    mc_tmpl *c = &b->tmpls[b->ntmpls];
    memset(c, 0, sizeof *c);
    c->t = t;
    b->ntmpls++;
    int rc = RA_OK;
    for (int s = 0; s < REPORT_SEC_COUNT && rc != RA_ERR_NOMEM; s++)
        if (t->normal[s] != NULL)
            c->normal[s] = mc_layout(t->normal[s], &rc); /* a blank one stays NULL */
    return rc == RA_ERR_NOMEM ? rc : RA_OK;
}

/* Adds to b the entry "<normal word> <rest>" for each of L's words for
 * normal; rest (folded, may be "") says what it names. */
static int mc_add_normal_names(mc_builtin *b, const mc_lang *L, const char *rest, int kind,
                               size_t idx, const char *body_part)
{
    int rc = RA_OK;
    const char *w = L->normal;
    while (rc == RA_OK && *w != '\0') {
        size_t n = strcspn(w, "|");
        char raw[MC_JOINED_MAX];
        int len = snprintf(raw, sizeof raw, "%.*s%s%s", (int)n, w, *rest ? " " : "", rest);
        w += n + (w[n] == '|');
        if (len < 0 || (size_t)len >= sizeof raw)
            continue; /* a name far too long to say */
        char *fold = report_macro_fold(raw);
        if (fold == NULL)
            return RA_ERR_NOMEM;
        if (report_macro_words(fold) > REPORT_MACRO_NAME_WORDS) {
            free(fold);
        } else {
            mc_entry e = {.fold = fold,
                          .scope = REPORT_MACRO_BUILTIN,
                          .kind = kind,
                          .section = -1,
                          .tmpl_idx = idx,
                          .body_part = body_part};
            rc = mc_push(&b->names, e);
        }
    }
    return rc;
}

/* True when b holds a template of body part bp. */
static int mc_builtin_has_body(const mc_builtin *b, const char *bp)
{
    for (size_t i = 0; i < b->ntmpls; i++)
        if (strcmp(b->tmpls[i].t->body_part, bp) == 0)
            return 1;
    return 0;
}

static int mc_add_builtin_names(mc_builtin *b, const mc_lang *L)
{
    int rc = RA_OK;
    for (size_t i = 0; rc == RA_OK && i < b->ntmpls; i++) {
        char *name = report_macro_fold(b->tmpls[i].t->name);
        if (name == NULL)
            return RA_ERR_NOMEM;
        rc = mc_add_normal_names(b, L, name, MC_TEMPLATE, i, NULL);
        free(name);
    }
    for (size_t k = 0; rc == RA_OK && k < sizeof mc_bodies / sizeof mc_bodies[0]; k++) {
        const mc_body *B = &mc_bodies[k];
        if (B->lang != mc_lang_id(L) || !mc_builtin_has_body(b, B->body_part))
            continue;
        for (const char *w = B->words; rc == RA_OK && *w != '\0';) {
            size_t n = strcspn(w, "|");
            char word[MC_SPOKEN_MAX];
            snprintf(word, sizeof word, "%.*s", (int)n, w);
            rc = mc_add_normal_names(b, L, word, MC_BODY, 0, B->body_part);
            w += n + (w[n] == '|');
        }
    }
    return rc;
}

/* b for language L from lib. */
static int mc_builtin_make(mc_builtin *b, const mc_lang *L, const tmpl_library *lib)
{
    const char *code = mc_code(L);
    b->has_templates = mc_lang_has_templates(lib, code);
    int rc = RA_OK;
    for (size_t i = 0; rc == RA_OK && i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        if (strcmp(t->language, code) == 0 && mc_has_normal(t))
            rc = mc_tmpl_add(b, t);
    }
    return rc == RA_OK ? mc_add_builtin_names(b, L) : rc;
}

void report_macro_builtins_free(report_macro_builtins *b)
{
    if (b == NULL)
        return;
    for (size_t l = 0; l < LANG_COUNT; l++) {
        mc_builtin *B = &b->lang[l];
        for (size_t i = 0; i < B->ntmpls; i++)
            for (int s = 0; s < REPORT_SEC_COUNT; s++)
                free(B->tmpls[i].normal[s]);
        free(B->tmpls);
        mc_entries_release(&B->names);
    }
    free(b);
}

int report_macro_builtins_new(const tmpl_library *lib, report_macro_builtins **out)
{
    if (lib == NULL || out == NULL)
        return RA_ERR_INVALID;
    report_macro_builtins *b = calloc(1, sizeof *b);
    if (b == NULL)
        return RA_ERR_NOMEM;
    int rc = RA_OK;
    for (size_t l = 0; rc == RA_OK && l < LANG_COUNT; l++)
        rc = mc_builtin_make(&b->lang[l], &mc_langs[l], lib);
    if (rc != RA_OK) {
        report_macro_builtins_free(b);
        return rc;
    }
    *out = b;
    return RA_OK;
}

void report_macros_use_builtins(report_macro_set *set, const report_macro_builtins *b,
                                const tmpl *exam, const char *fallback_lang)
{
    if (set == NULL)
        return;
    const mc_builtin *B = b != NULL ? &b->lang[mc_lang_id(set->lang)] : NULL;
    if (B != NULL && !B->has_templates) {
        const mc_lang *F = mc_lang_of(fallback_lang);
        B = F != NULL ? &b->lang[mc_lang_id(F)] : NULL;
    }
    set->builtin = B;
    set->exam_idx = -1;
    set->exam_modality = exam != NULL ? exam->modality : NULL;
    for (size_t i = 0; B != NULL && exam != NULL && i < B->ntmpls; i++)
        if (B->tmpls[i].t == exam)
            set->exam_idx = (int)i;
}

/* ---- matching ------------------------------------------------------------------------------ */

/* The normal text for sec of the best built-in template of body part bp:
 * the exam's, then one of the exam's modality, then the first in the
 * library's order. */
static const char *mc_body_text(const report_macro_set *set, const char *bp, int sec)
{
    const char *modality = set->exam_modality;
    const char *first = NULL, *same_modality = NULL;
    for (size_t i = 0; i < set->builtin->ntmpls; i++) {
        const mc_tmpl *c = &set->builtin->tmpls[i];
        if (strcmp(c->t->body_part, bp) != 0 || c->normal[sec] == NULL)
            continue;
        if ((int)i == set->exam_idx)
            return c->normal[sec];
        if (same_modality == NULL && modality != NULL && strcmp(c->t->modality, modality) == 0)
            same_modality = c->normal[sec];
        if (first == NULL)
            first = c->normal[sec];
    }
    return same_modality != NULL ? same_modality : first;
}

/* The text entry e inserts in section sec, or NULL when it has none. */
static const char *mc_entry_text(const report_macro_set *set, const mc_entry *e, int sec)
{
    switch (e->kind) {
    case MC_TEXT:
        return e->section < 0 || e->section == sec ? e->text : NULL;
    case MC_TEMPLATE:
        return set->builtin->tmpls[e->tmpl_idx].normal[sec];
    default:
        return mc_body_text(set, e->body_part, sec);
    }
}

/* How strongly e binds among entries of equal length: lower is stronger.
 * Within a rank the exam's own template goes first (then the order of the
 * entries). */
static int mc_rank(const report_macro_set *set, const mc_entry *e)
{
    int rank = 2 * (int)e->scope + (e->kind == MC_TEXT && e->section < 0);
    int exam = e->kind == MC_TEMPLATE && (int)e->tmpl_idx == set->exam_idx;
    return 2 * rank + !exam;
}

/* Joins the tokens (each collapsed to single spaces) into out; ends[k] gets
 * the length after k+1 tokens. Returns how many tokens fit. */
static size_t mc_join(const char *const *words, size_t n, char *out, size_t outsz, size_t *ends)
{
    size_t o = 0, k = 0;
    out[0] = '\0';
    for (; k < n && k < REPORT_MACRO_NAME_WORDS; k++) {
        const char *w = words[k];
        if (w == NULL || *w == '\0')
            break;
        size_t start = o;
        if (o > 0 && o + 1 < outsz)
            out[o++] = ' ';
        for (const char *p = w; *p != '\0'; p++) {
            if (*p == ' ' && (o == 0 || out[o - 1] == ' '))
                continue;
            if (o + 1 >= outsz) {
                out[start] = '\0';
                return k;
            }
            out[o++] = *p;
        }
        while (o > 0 && out[o - 1] == ' ')
            o--;
        out[o] = '\0';
        ends[k] = o;
    }
    return k;
}

/* Tokens of words (after the macro word) that e's name spans, or 0. */
static size_t mc_tokens(const mc_entry *e, const char *joined, const size_t *ends, size_t ntok)
{
    size_t len = strlen(e->fold), k = 0;
    while (k < ntok && ends[k] < len)
        k++;
    if (k == ntok || ends[k] != len || memcmp(joined, e->fold, len) != 0)
        return 0;
    return k + 1;
}

int report_macro_match(const report_macro_set *set, const char *const *words, size_t n, int sec,
                       size_t *used, const char **text)
{
    if (set == NULL || words == NULL || n < 2 || sec < 0 || sec >= REPORT_SEC_COUNT ||
        words[0] == NULL || strcmp(words[0], set->word) != 0)
        return 0;
    char joined[MC_JOINED_MAX];
    size_t ends[REPORT_MACRO_NAME_WORDS];
    size_t ntok = mc_join(words + 1, n - 1, joined, sizeof joined, ends);
    /* The user's and organization's macros, then the built-in ones. */
    const mc_entries *lists[2] = {&set->own, set->builtin ? &set->builtin->names : NULL};
    /* The longest name first, whether or not it has text here... */
    size_t longest = 0;
    for (int l = 0; l < 2 && lists[l] != NULL; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            size_t k = mc_tokens(&lists[l]->v[i], joined, ends, ntok);
            longest = k > longest ? k : longest;
        }
    /* ... then the strongest macro of that name with text for sec. */
    const mc_entry *best = NULL;
    const char *best_text = NULL;
    for (int l = 0; longest > 0 && l < 2 && lists[l] != NULL; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            const mc_entry *e = &lists[l]->v[i];
            if (mc_tokens(e, joined, ends, ntok) != longest)
                continue;
            const char *t = mc_entry_text(set, e, sec);
            if (t != NULL && (best == NULL || mc_rank(set, e) < mc_rank(set, best))) {
                best = e;
                best_text = t;
            }
        }
    if (best == NULL)
        return 0;
    *used = longest + 1;
    *text = best_text;
    return 1;
}

/* ---- listing --------------------------------------------------------------------------------- */

void report_macros_builtin_each(const tmpl_library *lib, const char *lang,
                                void (*fn)(const char *spoken, const tmpl *t, void *ctx), void *ctx)
{
    const mc_lang *L = mc_lang_of(lang);
    if (L == NULL || lib == NULL)
        return;
    size_t nnormal = strcspn(L->normal, "|");
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        if (strcmp(t->language, mc_code(L)) != 0 || !mc_has_normal(t))
            continue;
        char spoken[MC_SPOKEN_MAX];
        for (size_t b = 0; b < sizeof mc_bodies / sizeof mc_bodies[0]; b++) {
            const mc_body *B = &mc_bodies[b];
            if (B->lang != mc_lang_id(L) || strcmp(B->body_part, t->body_part) != 0)
                continue;
            snprintf(spoken, sizeof spoken, "%s %.*s %.*s", L->macro, (int)nnormal, L->normal,
                     (int)strcspn(B->words, "|"), B->words);
            fn(spoken, t, ctx);
            break;
        }
        int fits = snprintf(spoken, sizeof spoken, "%s %.*s %s", L->macro, (int)nnormal, L->normal,
                            t->name);
        if (fits > 0 && (size_t)fits < sizeof spoken)
            fn(spoken, t, ctx);
    }
}

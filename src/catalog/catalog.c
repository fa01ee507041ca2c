/* catalog.c - the SUT exam catalog (see catalog.h): code normalization,
 * modality and body-part inference from procedure names, and turning the
 * table read from an EK-2B file (catalog_csv.c, catalog_xlsx.c) into
 * store_sut_row rows. */
#include "catalog/catalog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_table.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/text.h"

#define CATALOG_MAX_TOKENS 64
#define CATALOG_HEADER_ROWS 20 /* the header row is looked for this far */
#define CATALOG_GUESS_ROWS 200 /* rows sampled when there is no header */

int catalog_normalize_code(const char *raw, char out[STORE_SUT_CODE_MAX + 1])
{
    char digits[STORE_SUT_CODE_MAX + 1];
    size_t n = 0;
    if (raw == NULL)
        return RA_ERR_INVALID;
    while (*raw == ' ' || (*raw >= '\t' && *raw <= '\r'))
        raw++;
    const char *end = raw + strlen(raw);
    while (end > raw && (end[-1] == ' ' || (end[-1] >= '\t' && end[-1] <= '\r')))
        end--;
    for (const char *p = raw; p < end; p++) {
        if (*p == '.' && p > raw && p + 1 < end && p[1] >= '0' && p[1] <= '9')
            continue;
        if (*p < '0' || *p > '9' || n == STORE_SUT_CODE_MAX)
            return RA_ERR_INVALID;
        digits[n++] = *p;
    }
    if (n < 5)
        return RA_ERR_INVALID;
    memcpy(out, digits, n);
    out[n] = '\0';
    return RA_OK;
}

/* ---- inference ---------------------------------------------------------- */

/* A rule: the value, and its alternatives separated by '|'. An alternative
 * is space-separated words matched against consecutive tokens. A word "abc*"
 * matches tokens starting with abc, "*abc" tokens ending with abc, anything
 * else the whole token. Words are in folded form (see text_fold):
 * lowercase ASCII, Turkish letters without their marks. */
typedef struct catalog_rule {
    const char *value;
    const char *alternatives;
} catalog_rule;

/* Order matters: PET/BT is PT, MR anjiyografi is MR, and the generic
 * "...grafi" (plain radiography) comes last. */
static const catalog_rule modality_rules[] = {
    {"PT", "pet|pozitron*|positron*"},
    {"NM", "sintigra*|scintigra*|spect"},
    {"MG", "mamogra*|mammogra*|tomosentez*"},
    {"MR", "mr|mrg|mri|mra|mrcp|manyetik rezonans*|magnetic resonance"},
    {"CT", "bt|ct|bta|cta|bilgisayarli tomografi*|tomografi*|tomograph*"},
    {"US", "usg|us|ultrason*|ultrasound*|doppler*|sonogra*|ekokardiyogra*|ekokardiogra*|"
           "echocardiogra*"},
    {"DXA", "dansitometri*|densitometr*|dexa|dxa"},
    {"XA", "anjiyo*|anjio*|angio*|dsa|arteriyogra*|arteriogra*"},
    {"RF", "floroskopi*|fluoroskopi*|fluoroscop*|skopi*"},
    {"XR", "*grafi|*grafisi|*grafileri|*grafiler|rontgen*|radiogra*|x ray*|xray*"},
};

/* Priority order as documented in catalog.h. */
static const catalog_rule body_rules[] = {
    {"obstetric", "obstetri*|gebelik*|fetal*|fetus*|pregnan*|trimester*|biyofizik*|biophysical*"},
    {"breast", "meme*|breast*|mamogra*|mammogra*"},
    {"thyroid", "tiroid*|tiroit*|thyroid*"},
    {"brain", "beyin|beyn*|kranial*|kraniyal*|brain|cranial|kafa*"},
    {"cervical_spine", "servikal*|cervical*|boyun vertebra*|boyun omurga*"},
    {"thoracic_spine",
     "torakal*|dorsal vertebra*|dorsal omurga*|thoracic spine|thoracic vertebra*"},
    {"lumbar_spine", "lomber*|lumbar*|lumbosakral*|lumbosacral*"},
    {"chest", "toraks*|akciger*|gogus*|chest|thorax|thoracic|lung*"},
    {"abdomen", "batin*|abdom*|karin*|karn*"},
    {"pelvis", "pelvis*|pelvik*|pelvic*"},
    {"knee", "diz*|knee*"},
    {"shoulder", "omuz*|shoulder*|skapula*|scapula*"},
    {"extremity", "el|eli|ayak*|bilek*|bilegi|dirsek*|kol|bacak*|parmak*|ekstremite*"},
    {"extremity", "humerus*|femur*|tibia*|fibula*|extremit*|hand*|foot|feet|wrist*|ankle*"},
    {"extremity", "elbow*|forearm*|onkol*|uyluk*|thigh*|arm|leg|legs|finger*|toe|toes"},
};

typedef struct catalog_token {
    const char *s;
    size_t len;
} catalog_token;

static size_t catalog_tokens(const char *s, catalog_token *tok, size_t max)
{
    size_t n = 0;
    while (*s != '\0' && n < max) {
        while (*s == ' ')
            s++;
        size_t len = strcspn(s, " ");
        if (len > 0)
            tok[n++] = (catalog_token){s, len};
        s += len;
    }
    return n;
}

static int catalog_word_match(const char *w, size_t wlen, const catalog_token *t)
{
    if (w[wlen - 1] == '*')
        return t->len >= wlen - 1 && memcmp(t->s, w, wlen - 1) == 0;
    if (w[0] == '*')
        return t->len >= wlen - 1 && memcmp(t->s + t->len - (wlen - 1), w + 1, wlen - 1) == 0;
    return t->len == wlen && memcmp(t->s, w, wlen) == 0;
}

/* True when the words of one alternative (len bytes at w) match the tokens
 * starting at tok[0]. */
static int catalog_words_match(const char *w, size_t len, const catalog_token *tok, size_t ntok)
{
    const char *end = w + len;
    for (size_t i = 0; w < end; i++) {
        size_t wlen = strcspn(w, " |");
        if (i == ntok || !catalog_word_match(w, wlen, &tok[i]))
            return 0;
        w += wlen;
        w += w < end && *w == ' ';
    }
    return 1;
}

/* True when one of the alternatives matches the tokens starting at tok[0]. */
static int catalog_rule_match(const char *alternatives, const catalog_token *tok, size_t ntok)
{
    for (const char *a = alternatives;; a++) {
        size_t len = strcspn(a, "|");
        if (catalog_words_match(a, len, tok, ntok))
            return 1;
        a += len;
        if (*a == '\0')
            return 0;
    }
}

static const char *catalog_infer(const char *name, const catalog_rule *rules, size_t nrules)
{
    if (name == NULL)
        return NULL;
    char *folded = text_fold(name);
    if (folded == NULL)
        return NULL;
    catalog_token tok[CATALOG_MAX_TOKENS];
    size_t ntok = catalog_tokens(folded, tok, CATALOG_MAX_TOKENS);
    const char *found = NULL;
    for (size_t r = 0; r < nrules && found == NULL; r++) {
        for (size_t i = 0; i < ntok && found == NULL; i++) {
            if (catalog_rule_match(rules[r].alternatives, tok + i, ntok - i))
                found = rules[r].value;
        }
    }
    free(folded);
    return found;
}

const char *catalog_infer_modality(const char *procedure_name)
{
    return catalog_infer(procedure_name, modality_rules,
                         sizeof modality_rules / sizeof modality_rules[0]);
}

const char *catalog_infer_body_part(const char *procedure_name)
{
    return catalog_infer(procedure_name, body_rules, sizeof body_rules / sizeof body_rules[0]);
}

/* ---- from table to rows ------------------------------------------------- */

enum { COL_CODE, COL_NAME, COL_MODALITY, COL_BODY, COL_SOURCE, COL_COUNT };

typedef struct catalog_cols {
    long col[COL_COUNT]; /* column of each role, -1 when absent */
    size_t first;        /* first data row */
} catalog_cols;

/* Copies src into dst (size bytes), trimmed, with whitespace runs collapsed to
 * one space, cut on a character boundary if it does not fit. */
static void catalog_copy_collapsed(char *dst, size_t size, const char *src)
{
    size_t o = 0;
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p != '\0'; p++) {
        if (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
            space = o > 0;
            continue;
        }
        size_t k = 1; /* the whole character must fit, with a space before it */
        while ((p[k] & 0xC0) == 0x80)
            k++;
        if (o + (size_t)space + k + 1 > size)
            break;
        if (space)
            dst[o++] = ' ';
        space = 0;
        memcpy(dst + o, p, k);
        o += k;
        p += k - 1;
    }
    dst[o] = '\0';
}

/* Which role a header cell names, or -1. The cell is folded as procedure
 * names are ("İŞLEM ADI" and "ISLEM ADI" -> "islem adi", "body_part" ->
 * "body part"). */
static int catalog_header_role(const char *cell)
{
    static const struct {
        const char *text;
        int role;
    } exact[] = {
        {"modality", COL_MODALITY}, {"modalite", COL_MODALITY}, {"body part", COL_BODY},
        {"bolge", COL_BODY},        {"source", COL_SOURCE},     {"kaynak", COL_SOURCE},
    };
    char key[64];
    char *folded = text_fold(cell);
    if (folded == NULL)
        return -1;
    catalog_copy_collapsed(key, sizeof key, folded);
    int role = -1;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0] && role < 0; i++) {
        if (strcmp(key, exact[i].text) == 0)
            role = exact[i].role;
    }
    if (role < 0 && (strstr(folded, "kod") != NULL || strstr(folded, "code") != NULL))
        role = COL_CODE;
    else if (role < 0 && (strstr(folded, "adi") != NULL || strstr(folded, "name") != NULL))
        role = COL_NAME;
    free(folded);
    return role;
}

/* Looks for a row naming both a code and a name column among the first rows;
 * the first cell naming a role wins. */
static int catalog_find_header(const catalog_table *t, catalog_cols *c)
{
    for (size_t r = 0; r < t->n && r < CATALOG_HEADER_ROWS; r++) {
        for (int k = 0; k < COL_COUNT; k++)
            c->col[k] = -1;
        const catalog_trow *row = &t->rows[r];
        for (size_t j = 0; j < row->n; j++) {
            int role = catalog_header_role(row->cells[j].text);
            if (role >= 0 && c->col[role] < 0)
                c->col[role] = (long)row->cells[j].col;
        }
        if (c->col[COL_CODE] >= 0 && c->col[COL_NAME] >= 0) {
            c->first = r + 1;
            return 1;
        }
    }
    return 0;
}

static int catalog_has_letter(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            return 1;
    }
    return 0;
}

/* Without a header: the first column whose non-empty cells are mostly codes,
 * and the next column holding text on a row with a code. */
static int catalog_guess_columns(const catalog_table *t, catalog_cols *c)
{
    char code[STORE_SUT_CODE_MAX + 1];
    size_t rows = t->n < CATALOG_GUESS_ROWS ? t->n : CATALOG_GUESS_ROWS;
    for (int k = 0; k < COL_COUNT; k++)
        c->col[k] = -1;
    c->first = 0;
    for (size_t col = 0; col < CATALOG_MAX_COLS && c->col[COL_CODE] < 0; col++) {
        size_t filled = 0, codes = 0;
        for (size_t r = 0; r < rows; r++) {
            const char *cell = catalog_table_cell(t, r, col);
            filled += cell != NULL;
            codes += cell != NULL && catalog_normalize_code(cell, code) == RA_OK;
        }
        if (codes > 0 && codes * 2 > filled)
            c->col[COL_CODE] = (long)col;
    }
    if (c->col[COL_CODE] < 0)
        return 0;
    for (size_t col = (size_t)c->col[COL_CODE] + 1; col < CATALOG_MAX_COLS; col++) {
        for (size_t r = 0; r < rows; r++) {
            const char *cell = catalog_table_cell(t, r, col);
            const char *key = catalog_table_cell(t, r, (size_t)c->col[COL_CODE]);
            if (cell != NULL && catalog_has_letter(cell) && key != NULL &&
                catalog_normalize_code(key, code) == RA_OK) {
                c->col[COL_NAME] = (long)col;
                return 1;
            }
        }
    }
    return 1;
}

/* One bit per possible code: 10^5 five-digit, 10^6 six-digit, 10^7
 * seven-digit codes ("01234" and "1234" are different codes). */
#define CATALOG_SEEN_BITS (100000u + 1000000u + 10000000u)

/* Marks code as seen; returns 1 when it already was. */
static int catalog_seen(unsigned char *seen, const char *code)
{
    size_t len = strlen(code), value = 0;
    for (size_t i = 0; i < len; i++)
        value = value * 10 + (size_t)(code[i] - '0');
    size_t bit = value + (len == 6 ? 100000u : len == 7 ? 1100000u : 0);
    int was = (seen[bit / 8] >> (bit % 8)) & 1;
    seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
    return was;
}

typedef struct catalog_rows {
    store_sut_row *v;
    size_t n, cap;
} catalog_rows;

static store_sut_row *catalog_rows_push(catalog_rows *rows)
{
    store_sut_row *p = ra_array_reserve(rows->v, rows->n, &rows->cap, sizeof *p, 64);
    if (p == NULL)
        return NULL;
    rows->v = p;
    store_sut_row *row = &rows->v[rows->n++];
    memset(row, 0, sizeof *row);
    return row;
}

/* An explicit modality or body part when the cell has one, else the inferred
 * value. RA_ERR_FORMAT when the explicit value does not fit in size bytes. */
static int catalog_set_field(char *dst, size_t size, const char *cell, const char *inferred)
{
    char tmp[64];
    catalog_copy_collapsed(tmp, sizeof tmp, cell != NULL ? cell : "");
    const char *value = tmp[0] != '\0' ? tmp : inferred != NULL ? inferred : "";
    size_t len = strlen(value);
    if (len >= size)
        return RA_ERR_FORMAT;
    memcpy(dst, value, len + 1);
    return RA_OK;
}

static const char *catalog_cell_of(const catalog_table *t, size_t r, const catalog_cols *c,
                                   int role)
{
    return c->col[role] < 0 ? NULL : catalog_table_cell(t, r, (size_t)c->col[role]);
}

/* Fills row (whose code is set) from data row r of t. */
static int catalog_fill(const catalog_table *t, size_t r, const catalog_cols *c, const char *source,
                        store_sut_row *row)
{
    const char *name = catalog_cell_of(t, r, c, COL_NAME);
    const char *own_source = catalog_cell_of(t, r, c, COL_SOURCE);
    catalog_copy_collapsed(row->name, sizeof row->name, name != NULL ? name : "");
    catalog_copy_collapsed(row->source, sizeof row->source, own_source != NULL ? own_source : "");
    if (row->source[0] == '\0')
        catalog_copy_collapsed(row->source, sizeof row->source, source);
    int rc = catalog_set_field(row->modality, sizeof row->modality,
                               catalog_cell_of(t, r, c, COL_MODALITY),
                               catalog_infer_modality(row->name));
    if (rc == RA_OK)
        rc = catalog_set_field(row->body_part, sizeof row->body_part,
                               catalog_cell_of(t, r, c, COL_BODY),
                               catalog_infer_body_part(row->name));
    return rc;
}

/* Turns the table read from where ("x.csv", "sheet \"S\" of x.xlsx") into
 * rows: valid codes only, first occurrence of each code. */
static int catalog_table_rows(const catalog_table *t, const char *where, const char *source,
                              store_sut_row **rows, size_t *n, char *err, size_t errlen)
{
    catalog_cols c;
    catalog_rows out = {NULL, 0, 0};
    if (!catalog_find_header(t, &c) && !catalog_guess_columns(t, &c))
        return ra_fail(err, errlen, RA_ERR_FORMAT, "no SUT code column found in %s", where);
    unsigned char *seen = calloc(CATALOG_SEEN_BITS / 8 + 1, 1);
    int rc = seen != NULL ? RA_OK : RA_ERR_NOMEM;
    for (size_t r = c.first; r < t->n && rc == RA_OK; r++) {
        char code[STORE_SUT_CODE_MAX + 1];
        const char *cell = catalog_cell_of(t, r, &c, COL_CODE);
        if (cell == NULL || catalog_normalize_code(cell, code) != RA_OK || catalog_seen(seen, code))
            continue;
        store_sut_row *row = catalog_rows_push(&out);
        if (row == NULL) {
            rc = RA_ERR_NOMEM;
            break;
        }
        memcpy(row->code, code, sizeof code);
        rc = catalog_fill(t, r, &c, source, row);
        if (rc != RA_OK)
            rc = ra_fail(err, errlen, rc,
                         "row %zu of %s (code %s): the modality or body part is "
                         "longer than a known value",
                         r + 1, where, code);
    }
    if (rc == RA_ERR_NOMEM)
        rc = ra_fail(err, errlen, rc, "out of memory reading %s", where);
    if (rc == RA_OK && out.n == 0)
        rc = ra_fail(err, errlen, RA_ERR_FORMAT,
                     "no row of %s has a valid SUT code (5 to 7 digits)", where);
    if (rc == RA_OK) {
        *rows = out.v;
        *n = out.n;
        out.v = NULL;
    }
    free(out.v);
    free(seen);
    return rc;
}

int catalog_parse_bytes(const char *data, size_t len, const char *file, const char *source,
                        store_sut_row **rows, size_t *n, char *err, size_t errlen)
{
    char where[320];
    catalog_table t;
    catalog_table_init(&t);
    int rc;
    if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        char sheet[128] = "";
        rc = catalog_xlsx_read(data, len, file, &t, sheet, sizeof sheet, err, errlen);
        snprintf(where, sizeof where, "sheet \"%s\" of %s", sheet, file);
    } else {
        rc = catalog_csv_read(data, len, file, &t, err, errlen);
        snprintf(where, sizeof where, "%s", file);
    }
    if (rc == RA_OK)
        rc = catalog_table_rows(&t, where, source != NULL ? source : "", rows, n, err, errlen);
    catalog_table_release(&t);
    return rc;
}

int catalog_parse_file(const char *path, const char *source, store_sut_row **rows, size_t *n,
                       char *err, size_t errlen)
{
    char *data = NULL;
    size_t len = 0;
    const char *file = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    int rc = file_read_all(path, CATALOG_MAX_FILE_BYTES, &data, &len, err, errlen);
    if (rc != RA_OK)
        return rc;
    rc = catalog_parse_bytes(data, len, file, source, rows, n, err, errlen);
    free(data);
    return rc;
}

int catalog_load_known(const char *share_dir, store_sut_row **rows, size_t *n, char *err,
                       size_t errlen)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/data/sut/known-codes.csv", share_dir);
    if (k < 0 || (size_t)k >= sizeof path)
        return ra_fail(err, errlen, RA_ERR_INVALID, "the share directory path is too long");
    return catalog_parse_file(path, "RaportAI shipped list: data/sut/known-codes.csv", rows, n, err,
                              errlen);
}

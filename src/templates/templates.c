/* templates.c - the built-in template library (see templates.h): reads
 * manifest.tsv, the template files it lists and their .normal sidecars
 * (normal text per section), checks each one, and keeps them immutable for
 * the life of the library. Placeholder scanning lives here too; display
 * names are in tmpl_name.c. */
#include "templates/templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/sections.h"
#include "core/text.h"

#define TMPL_MANIFEST "manifest.tsv"
#define TMPL_MANIFEST_HEADER "file\tname\tmodality\tbody_part\tlanguage"
#define TMPL_FIELDS 5

struct tmpl_library {
    tmpl *items;
    size_t n, cap;
};

unsigned tmpl_scan_placeholders(const char *content)
{
    unsigned bits = 0;
    char plain[48], escaped[48];
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        const char *name = report_section_placeholder(sec);
        snprintf(plain, sizeof plain, "{{%s}}", name);
        snprintf(escaped, sizeof escaped, "\\{\\{%s\\}\\}", name);
        if (strstr(content, plain) != NULL || strstr(content, escaped) != NULL)
            bits |= TMPL_PH(sec);
    }
    return bits;
}

/* ---- normal text (.normal sidecars) ------------------------------------- */

/* Appends "\n" + text to *slot, or sets it when it is NULL. */
static int tmpl_normal_append(char **slot, const char *text)
{
    size_t old = *slot != NULL ? strlen(*slot) : 0, add = strlen(text);
    char *p = realloc(*slot, old + add + 2);
    if (p == NULL)
        return RA_ERR_NOMEM;
    if (old > 0)
        p[old++] = '\n';
    memcpy(p + old, text, add + 1);
    *slot = p;
    return RA_OK;
}

/* Checks one "KEY<TAB>text" line and adds its text to normal[]. *last is
 * the section of the previous text line (-1 at first); first_line[] the line
 * each section began on. */
static int tmpl_normal_line(char *line, size_t lineno, unsigned allowed, char **normal, int *last,
                            size_t *first_line, char *why, size_t whylen)
{
    char *tab = strchr(line, '\t');
    if (tab == NULL)
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "line %zu: expected KEY<TAB>text (KEY one of BULGULAR, SONUC, "
                       "IZLENIM, TEKNIK, KLINIK, KARSILASTIRMA)",
                       lineno);
    *tab = '\0';
    char *text = tab + 1;
    while (*text == ' ')
        text++;
    for (size_t n = strlen(text); n > 0 && text[n - 1] == ' '; n--)
        text[n - 1] = '\0';
    int idx = -1;
    if (report_section_from_placeholder(line, strlen(line), &idx) != RA_OK)
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "line %zu: unknown section \"%.40s\" (use BULGULAR, SONUC, "
                       "IZLENIM, TEKNIK, KLINIK or KARSILASTIRMA)",
                       lineno, line);
    if (!(allowed & TMPL_PH(idx)))
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "line %zu: the template has no {{%s}} placeholder for this "
                       "text",
                       lineno, line);
    if (text[0] == '\0')
        return ra_fail(why, whylen, RA_ERR_FORMAT, "line %zu: the text for %s is empty", lineno,
                       line);
    if (text_has_control(text))
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "line %zu: the text for %s contains a tab or another control "
                       "character",
                       lineno, line);
    if (normal[idx] != NULL && *last != idx)
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "line %zu: %s was already given on line %zu; continue a "
                       "section only on consecutive lines",
                       lineno, line, first_line[idx]);
    if (normal[idx] == NULL)
        first_line[idx] = lineno;
    *last = idx;
    int rc = tmpl_normal_append(&normal[idx], text);
    if (rc != RA_OK)
        return ra_fail(why, whylen, rc, "out of memory");
    return RA_OK;
}

int tmpl_parse_normal(const char *text, size_t len, unsigned allowed,
                      char *normal[REPORT_SEC_COUNT], char *why, size_t whylen)
{
    size_t first_line[REPORT_SEC_COUNT] = {0}, lineno = 0;
    int last = -1, rc = RA_OK;
    char *copy = NULL;
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        normal[i] = NULL;
    if (strlen(text) != len || !text_is_utf8(text, len))
        return ra_fail(why, whylen, RA_ERR_FORMAT, "is not UTF-8 text");
    if ((copy = strdup(text)) == NULL)
        return ra_fail(why, whylen, RA_ERR_NOMEM, "out of memory");
    for (char *line = copy, *next; line != NULL && rc == RA_OK; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (n > 0 && line[0] != '#')
            rc = tmpl_normal_line(line, lineno, allowed, normal, &last, first_line, why, whylen);
    }
    free(copy);
    for (int i = 0; rc != RA_OK && i < REPORT_SEC_COUNT; i++) {
        free(normal[i]);
        normal[i] = NULL;
    }
    return rc;
}

/* Reads the sidecar of template file rel (same path, extension ".normal"),
 * if there is one, into t->normal. A missing sidecar is no error. */
static int tmpl_read_normal(const char *dir, const char *rel, tmpl *t, char *why, size_t whylen)
{
    char side[512], path[4096], inner[640], *text = NULL;
    size_t len = 0;
    struct stat st;
    const char *dot = strrchr(rel, '.');
    snprintf(side, sizeof side, "%.*s.normal", (int)(dot - rel), rel);
    snprintf(path, sizeof path, "%s/%s", dir, side);
    if (stat(path, &st) != 0)
        return RA_OK;
    int rc = file_read_all(path, TMPL_MAX_FILE_BYTES, &text, &len, why, whylen);
    if (rc == RA_OK)
        rc = tmpl_parse_normal(text, len, t->placeholders, t->normal, inner, sizeof inner);
    if (rc != RA_OK && text != NULL)
        rc = ra_fail(why, whylen, rc, "%s %s", side, inner);
    free(text);
    return rc;
}

/* ---- checks on manifest fields ------------------------------------------ */

/* A relative path inside the library: parts of letters, digits, '-', '_' and
 * '.', none empty or starting with '.'. */
static int tmpl_path_ok(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > 255 || p[n - 1] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        int part_start = i == 0 || p[i - 1] == '/';
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if ((part_start && (c == '.' || c == '/')) || (!alnum && strchr("-_./", c) == NULL))
            return 0;
    }
    return 1;
}

static const char *tmpl_format_of(const char *path)
{
    static const struct {
        const char *ext, *format;
    } fmts[] = {
        {".txt", "txt"},
        {".rtf", "rtf"},
        {".html", "html"},
        {".htm", "html"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot != NULL && i < sizeof fmts / sizeof fmts[0]; i++) {
        if (strcasecmp(dot, fmts[i].ext) == 0)
            return fmts[i].format;
    }
    return NULL;
}

/* True when s is 1 to max characters, each from the set chars or a letter
 * in the range lo..hi. */
static int tmpl_word_ok(const char *s, size_t max, char lo, char hi, const char *chars)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if ((s[i] < lo || s[i] > hi) && strchr(chars, s[i]) == NULL)
            return 0;
    }
    return n >= 1 && n <= max;
}

/* "tr/bt-beyin.txt" -> "tr-bt-beyin": no extension, lowercase, '/' and '.'
 * become '-'. */
static char *tmpl_slug(const char *path)
{
    const char *dot = strrchr(path, '.');
    size_t n = (size_t)(dot - path);
    char *id = malloc(n + 1);
    if (id == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = path[i];
        id[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (c == '/' || c == '.') ? '-' : c;
    }
    id[n] = '\0';
    return id;
}

/* ---- loading ------------------------------------------------------------ */

static void tmpl_release(tmpl *t)
{
    free(t->id);
    free(t->name);
    free(t->modality);
    free(t->body_part);
    free(t->language);
    free(t->format);
    free(t->content);
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        free(t->normal[i]);
}

void tmpl_library_free(tmpl_library *lib)
{
    if (lib == NULL)
        return;
    for (size_t i = 0; i < lib->n; i++)
        tmpl_release(&lib->items[i]);
    free(lib->items);
    free(lib);
}

/* Checks the fields of one manifest line; on failure writes why into why. */
static int tmpl_check_fields(char *const *f, char *why, size_t whylen)
{
    if (!tmpl_path_ok(f[0]))
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "file \"%s\" must be a relative path inside the library "
                       "(letters, digits, '-', '_', '.', '/'; no \"..\")",
                       f[0]);
    if (tmpl_format_of(f[0]) == NULL)
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "%s has an unknown format (use .txt, .rtf, .html or .htm)", f[0]);
    if (f[1][0] == '\0')
        return ra_fail(why, whylen, RA_ERR_FORMAT, "the name is empty");
    if (!tmpl_word_ok(f[2], 7, 'A', 'Z', ""))
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "modality \"%s\" must be 1-7 capital letters (CT, MR, ...)", f[2]);
    if (!tmpl_word_ok(f[3], 31, 'a', 'z', "_"))
        return ra_fail(why, whylen, RA_ERR_FORMAT, "body_part \"%s\" must be 1-31 of a-z and _",
                       f[3]);
    if (!tmpl_word_ok(f[4], 2, 'a', 'z', "") || strlen(f[4]) != 2)
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "language \"%s\" must be a two-letter code (tr, en)", f[4]);
    return RA_OK;
}

/* Reads and checks the content of template file rel (format fmt). */
static int tmpl_read_content(const char *dir, const char *rel, const char *fmt, char **content,
                             char *why, size_t whylen)
{
    char path[4096], *text = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    int rc = file_read_all(path, TMPL_MAX_FILE_BYTES, &text, &len, why, whylen);
    if (rc != RA_OK)
        return rc;
    if (strlen(text) != len)
        rc = ra_fail(why, whylen, RA_ERR_FORMAT, "%s contains a NUL byte; it is not a text file",
                     rel);
    else if (!text_is_utf8(text, len))
        rc = ra_fail(why, whylen, RA_ERR_FORMAT, "%s is not valid UTF-8", rel);
    else if (strcmp(fmt, "rtf") == 0 && strncmp(text, "{\\rtf", 5) != 0)
        rc = ra_fail(why, whylen, RA_ERR_FORMAT, "%s does not start with {\\rtf; it is not RTF",
                     rel);
    else if (strcmp(fmt, "rtf") == 0 && strspn(text, "\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@"
                                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                                     "abcdefghijklmnopqrstuvwxyz{|}~") != len)
        rc = ra_fail(why, whylen, RA_ERR_FORMAT,
                     "%s is not pure ASCII; write non-ASCII letters in RTF as "
                     "\\uN? (ş is \\u351?)",
                     rel);
    else if (tmpl_scan_placeholders(text) == 0)
        rc = ra_fail(why, whylen, RA_ERR_FORMAT,
                     "%s has no placeholder such as {{BULGULAR}} or {{SONUC}}", rel);
    if (rc == RA_OK)
        *content = text;
    else
        free(text);
    return rc;
}

/* Checks one manifest line's fields, reads its file and appends it to lib. */
static int tmpl_load_entry(tmpl_library *lib, const char *dir, char *const *f, char *why,
                           size_t whylen)
{
    tmpl t = {0};
    int rc = tmpl_check_fields(f, why, whylen);
    if (rc != RA_OK)
        return rc;
    t.id = tmpl_slug(f[0]);
    if (t.id == NULL) {
        rc = RA_ERR_NOMEM;
    } else if (tmpl_library_find(lib, t.id) != NULL) {
        rc = ra_fail(why, whylen, RA_ERR_EXISTS, "duplicate template id \"%s\" (from %s)", t.id,
                     f[0]);
    }
    if (rc == RA_OK)
        rc = tmpl_read_content(dir, f[0], tmpl_format_of(f[0]), &t.content, why, whylen);
    if (rc == RA_OK) {
        t.name = tmpl_normalize_name(f[1]);
        t.modality = strdup(f[2]);
        t.body_part = strdup(f[3]);
        t.language = strdup(f[4]);
        t.format = strdup(tmpl_format_of(f[0]));
        t.placeholders = tmpl_scan_placeholders(t.content);
        if (!t.name || !t.modality || !t.body_part || !t.language || !t.format)
            rc = RA_ERR_NOMEM;
    }
    if (rc == RA_OK)
        rc = tmpl_read_normal(dir, f[0], &t, why, whylen);
    if (rc == RA_OK) {
        tmpl *p = ra_array_reserve(lib->items, lib->n, &lib->cap, sizeof *p, 16);
        rc = p != NULL ? RA_OK : RA_ERR_NOMEM;
        if (p != NULL)
            lib->items = p;
    }
    if (rc == RA_OK)
        lib->items[lib->n++] = t;
    else
        tmpl_release(&t);
    if (rc == RA_ERR_NOMEM)
        rc = ra_fail(why, whylen, rc, "out of memory");
    return rc;
}

/* Splits a manifest line into its tab-separated fields and loads it. */
static int tmpl_manifest_line(tmpl_library *lib, const char *dir, char *line, char *why,
                              size_t whylen)
{
    char *f[TMPL_FIELDS + 1];
    size_t n = 0;
    for (char *p = line; p != NULL && n <= TMPL_FIELDS;) {
        f[n++] = p;
        p = strchr(p, '\t');
        if (p != NULL)
            *p++ = '\0';
    }
    if (n != TMPL_FIELDS)
        return ra_fail(why, whylen, RA_ERR_FORMAT,
                       "expected %d tab-separated fields (file, name, modality, "
                       "body_part, language)",
                       TMPL_FIELDS);
    return tmpl_load_entry(lib, dir, f, why, whylen);
}

static int tmpl_parse_manifest(tmpl_library *lib, const char *dir, const char *mpath, char *text,
                               char *err, size_t errlen)
{
    char why[768] = "";
    size_t lineno = 0;
    int header = 0, rc = RA_OK;
    for (char *line = text, *next; line != NULL && rc == RA_OK; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        if (header) {
            rc = tmpl_manifest_line(lib, dir, line, why, sizeof why);
        } else if (strcmp(line, TMPL_MANIFEST_HEADER) != 0) {
            rc = ra_fail(why, sizeof why, RA_ERR_FORMAT,
                         "the header must be the tab-separated names file, "
                         "name, modality, body_part, language");
        }
        header = 1;
        if (rc != RA_OK)
            rc = ra_fail(err, errlen, rc, "%s line %zu: %s", mpath, lineno, why);
    }
    if (rc == RA_OK && lib->n == 0)
        rc = ra_fail(err, errlen, RA_ERR_FORMAT, "%s lists no templates", mpath);
    return rc;
}

/* Makes the library's names unique (tmpl_unique_names). */
static int tmpl_unique_library_names(tmpl_library *lib)
{
    char **names = malloc((lib->n + 1) * sizeof *names);
    if (names == NULL)
        return RA_ERR_NOMEM;
    for (size_t i = 0; i < lib->n; i++)
        names[i] = lib->items[i].name;
    int rc = tmpl_unique_names(names, lib->n);
    for (size_t i = 0; i < lib->n; i++)
        lib->items[i].name = names[i];
    free(names);
    return rc;
}

int tmpl_library_load(const char *templates_dir, tmpl_library **out, char *err, size_t errlen)
{
    char mpath[4096], *text = NULL;
    size_t len = 0;
    tmpl_library *lib = calloc(1, sizeof *lib);
    int rc = lib != NULL ? RA_OK : RA_ERR_NOMEM;
    snprintf(mpath, sizeof mpath, "%s/%s", templates_dir, TMPL_MANIFEST);
    if (rc == RA_OK)
        rc = file_read_all(mpath, TMPL_MAX_FILE_BYTES, &text, &len, err, errlen);
    if (rc == RA_OK && (strlen(text) != len || !text_is_utf8(text, len)))
        rc = ra_fail(err, errlen, RA_ERR_FORMAT, "%s is not UTF-8 text", mpath);
    if (rc == RA_OK)
        rc = tmpl_parse_manifest(lib, templates_dir, mpath, text, err, errlen);
    if (rc == RA_OK)
        rc = tmpl_unique_library_names(lib);
    if (rc == RA_ERR_NOMEM)
        rc = ra_fail(err, errlen, rc, "out of memory loading %s", mpath);
    if (rc == RA_OK) {
        *out = lib;
        lib = NULL;
    }
    free(text);
    tmpl_library_free(lib);
    return rc;
}

size_t tmpl_library_count(const tmpl_library *lib)
{
    return lib->n;
}

const tmpl *tmpl_library_at(const tmpl_library *lib, size_t i)
{
    return i < lib->n ? &lib->items[i] : NULL;
}

const tmpl *tmpl_library_find(const tmpl_library *lib, const char *id)
{
    for (size_t i = 0; i < lib->n; i++) {
        if (strcmp(lib->items[i].id, id) == 0)
            return &lib->items[i];
    }
    return NULL;
}

const tmpl *tmpl_library_match(const tmpl_library *lib, const char *modality, const char *body_part,
                               const char *lang)
{
    if (modality == NULL || body_part == NULL || lang == NULL || !modality[0] || !body_part[0])
        return NULL;
    for (size_t i = 0; i < lib->n; i++) {
        const tmpl *t = &lib->items[i];
        if (strcasecmp(t->modality, modality) == 0 && strcmp(t->body_part, body_part) == 0 &&
            strcmp(t->language, lang) == 0)
            return t;
    }
    return NULL;
}

/* templates.c - the built-in template library (see templates.h): reads
 * manifest.tsv and the template files it lists, checks each one, and keeps
 * them immutable for the life of the library. Placeholder scanning lives
 * here too; display names are in tmpl_name.c. */
#include "report/templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/text.h"
#include "report/report_util.h"

#define TMPL_MANIFEST "manifest.tsv"
#define TMPL_MANIFEST_HEADER "file\tname\tmodality\tbody_part\tlanguage"
#define TMPL_FIELDS 5

struct tmpl_library {
    tmpl *items;
    size_t n, cap;
};

static const struct {
    unsigned bit;
    const char *name;
} tmpl_ph[] = {
    {TMPL_PH_BULGULAR, "BULGULAR"}, {TMPL_PH_SONUC, "SONUC"},
    {TMPL_PH_IZLENIM, "IZLENIM"},   {TMPL_PH_TEKNIK, "TEKNIK"},
    {TMPL_PH_KLINIK, "KLINIK"},     {TMPL_PH_KARSILASTIRMA, "KARSILASTIRMA"},
};

unsigned tmpl_scan_placeholders(const char *content)
{
    unsigned bits = 0;
    char plain[48], escaped[48];
    for (size_t i = 0; i < sizeof tmpl_ph / sizeof tmpl_ph[0]; i++) {
        snprintf(plain, sizeof plain, "{{%s}}", tmpl_ph[i].name);
        snprintf(escaped, sizeof escaped, "\\{\\{%s\\}\\}", tmpl_ph[i].name);
        if (strstr(content, plain) != NULL || strstr(content, escaped) != NULL)
            bits |= tmpl_ph[i].bit;
    }
    return bits;
}

const char *tmpl_placeholder_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof tmpl_ph / sizeof tmpl_ph[0]; i++) {
        if (tmpl_ph[i].bit == bit)
            return tmpl_ph[i].name;
    }
    return NULL;
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
        report_errf(why, whylen,
                    "file \"%s\" must be a relative path inside the library "
                    "(letters, digits, '-', '_', '.', '/'; no \"..\")",
                    f[0]);
    else if (tmpl_format_of(f[0]) == NULL)
        report_errf(why, whylen, "%s has an unknown format (use .txt, .rtf, .html or .htm)", f[0]);
    else if (f[1][0] == '\0')
        report_errf(why, whylen, "the name is empty");
    else if (!tmpl_word_ok(f[2], 7, 'A', 'Z', ""))
        report_errf(why, whylen, "modality \"%s\" must be 1-7 capital letters (CT, MR, ...)", f[2]);
    else if (!tmpl_word_ok(f[3], 31, 'a', 'z', "_"))
        report_errf(why, whylen, "body_part \"%s\" must be 1-31 of a-z and _", f[3]);
    else if (!tmpl_word_ok(f[4], 2, 'a', 'z', "") || strlen(f[4]) != 2)
        report_errf(why, whylen, "language \"%s\" must be a two-letter code (tr, en)", f[4]);
    else
        return RA_OK;
    return RA_ERR_FORMAT;
}

/* Reads and checks the content of template file rel (format fmt). */
static int tmpl_read_content(const char *dir, const char *rel, const char *fmt, char **content,
                             char *why, size_t whylen)
{
    char path[4096], *text = NULL;
    size_t len = 0;
    int rc = RA_ERR_FORMAT;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    int read = report_read_file(path, TMPL_MAX_FILE_BYTES, &text, &len, why, whylen);
    if (read != RA_OK)
        return read;
    if (strlen(text) != len)
        report_errf(why, whylen, "%s contains a NUL byte; it is not a text file", rel);
    else if (!text_is_utf8(text, len))
        report_errf(why, whylen, "%s is not valid UTF-8", rel);
    else if (strcmp(fmt, "rtf") == 0 && strncmp(text, "{\\rtf", 5) != 0)
        report_errf(why, whylen, "%s does not start with {\\rtf; it is not RTF", rel);
    else if (strcmp(fmt, "rtf") == 0 && strspn(text, "\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@"
                                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                                     "abcdefghijklmnopqrstuvwxyz{|}~") != len)
        report_errf(why, whylen,
                    "%s is not pure ASCII; write non-ASCII letters in RTF as "
                    "\\uN? (ş is \\u351?)",
                    rel);
    else if (tmpl_scan_placeholders(text) == 0)
        report_errf(why, whylen, "%s has no placeholder such as {{BULGULAR}} or {{SONUC}}", rel);
    else
        rc = RA_OK;
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
        report_errf(why, whylen, "duplicate template id \"%s\" (from %s)", t.id, f[0]);
        rc = RA_ERR_EXISTS;
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
    if (rc == RA_OK && lib->n == lib->cap) {
        size_t cap = lib->cap ? lib->cap * 2 : 16;
        tmpl *p = realloc(lib->items, cap * sizeof *p);
        rc = p != NULL ? RA_OK : RA_ERR_NOMEM;
        if (p != NULL) {
            lib->items = p;
            lib->cap = cap;
        }
    }
    if (rc == RA_OK)
        lib->items[lib->n++] = t;
    else
        tmpl_release(&t);
    if (rc == RA_ERR_NOMEM)
        report_errf(why, whylen, "out of memory");
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
    if (n != TMPL_FIELDS) {
        report_errf(why, whylen,
                    "expected %d tab-separated fields (file, name, modality, "
                    "body_part, language)",
                    TMPL_FIELDS);
        return RA_ERR_FORMAT;
    }
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
            report_errf(why, sizeof why,
                        "the header must be the tab-separated names file, "
                        "name, modality, body_part, language");
            rc = RA_ERR_FORMAT;
        }
        header = 1;
        if (rc != RA_OK)
            report_errf(err, errlen, "%s line %zu: %s", mpath, lineno, why);
    }
    if (rc == RA_OK && lib->n == 0) {
        report_errf(err, errlen, "%s lists no templates", mpath);
        rc = RA_ERR_FORMAT;
    }
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
        rc = report_read_file(mpath, TMPL_MAX_FILE_BYTES, &text, &len, err, errlen);
    if (rc == RA_OK && (strlen(text) != len || !text_is_utf8(text, len))) {
        report_errf(err, errlen, "%s is not UTF-8 text", mpath);
        rc = RA_ERR_FORMAT;
    }
    if (rc == RA_OK)
        rc = tmpl_parse_manifest(lib, templates_dir, mpath, text, err, errlen);
    if (rc == RA_OK)
        rc = tmpl_unique_library_names(lib);
    if (rc == RA_ERR_NOMEM)
        report_errf(err, errlen, "out of memory loading %s", mpath);
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

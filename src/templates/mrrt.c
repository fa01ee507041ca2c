/* mrrt.c - IHE MRRT report templates to our own (see mrrt.h).
 *
 * libxml2's HTML parser reads the document (in recovery mode, so the XML in
 * <script type="text/xml"> stays one text node up to </script>). The text
 * of template_attributes goes through the same forgiving parser, because
 * RadReport writes it as an HTML comment with unclosed <code> tags, which an
 * XML parser refuses. A walk over <body> then finds the top-level sections
 * and writes our HTML into a bounded buffer. The parser never touches the
 * network and expands no external entities. */
#include "templates/mrrt.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/sections.h"
#include "core/text.h"
#include "templates/templates.h"

#define MRRT_MAX_DEPTH 64 /* deeper markup is dropped */
#define MRRT_PARSE                                                                                 \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)
#define MRRT_EMPTY_FIELD "___"

/* ---- section names ------------------------------------------------------------------ */

/* Folded names (text_fold, spaces collapsed) of the MRRT sections that get
 * a report section's placeholder; a longer name starting with one of them
 * and a space counts too ("impression and recommendations"). */
static const struct {
    const char *name;
    report_section sec;
} mrrt_names[] = {
    {"findings", REPORT_SEC_BULGULAR},
    {"finding", REPORT_SEC_BULGULAR},
    {"observations", REPORT_SEC_BULGULAR},
    {"observation", REPORT_SEC_BULGULAR},
    {"bulgular", REPORT_SEC_BULGULAR},
    {"conclusions", REPORT_SEC_SONUC},
    {"conclusion", REPORT_SEC_SONUC},
    {"summary", REPORT_SEC_SONUC},
    {"sonuc", REPORT_SEC_SONUC},
    {"impressions", REPORT_SEC_IZLENIM},
    {"impression", REPORT_SEC_IZLENIM},
    {"izlenim", REPORT_SEC_IZLENIM},
    {"technique", REPORT_SEC_TEKNIK},
    {"techniques", REPORT_SEC_TEKNIK},
    {"procedure", REPORT_SEC_TEKNIK},
    {"procedures", REPORT_SEC_TEKNIK},
    {"protocol", REPORT_SEC_TEKNIK},
    {"teknik", REPORT_SEC_TEKNIK},
    {"clinical information", REPORT_SEC_KLINIK},
    {"clinical history", REPORT_SEC_KLINIK},
    {"clinical indication", REPORT_SEC_KLINIK},
    {"clinical indications", REPORT_SEC_KLINIK},
    {"history", REPORT_SEC_KLINIK},
    {"indication", REPORT_SEC_KLINIK},
    {"indications", REPORT_SEC_KLINIK},
    {"reason for exam", REPORT_SEC_KLINIK},
    {"reason for examination", REPORT_SEC_KLINIK},
    {"klinik bilgi", REPORT_SEC_KLINIK},
    {"klinik", REPORT_SEC_KLINIK},
    {"comparison", REPORT_SEC_KARSILASTIRMA},
    {"comparisons", REPORT_SEC_KARSILASTIRMA},
    {"prior studies", REPORT_SEC_KARSILASTIRMA},
    {"prior examinations", REPORT_SEC_KARSILASTIRMA},
    {"karsilastirma", REPORT_SEC_KARSILASTIRMA},
};

/* Collapses runs of spaces in place and trims. */
static void mrrt_collapse(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (s[i] == ' ' && (o == 0 || s[o - 1] == ' '))
            continue;
        s[o++] = s[i];
    }
    while (o > 0 && s[o - 1] == ' ')
        o--;
    s[o] = '\0';
}

/* The TMPL_PH bit a section called name gets, or 0. */
static unsigned mrrt_section_bit(const char *name)
{
    char *folded = name != NULL ? text_fold(name) : NULL;
    unsigned bit = 0;
    if (folded == NULL)
        return 0;
    mrrt_collapse(folded);
    for (size_t i = 0; i < sizeof mrrt_names / sizeof mrrt_names[0] && bit == 0; i++) {
        size_t n = strlen(mrrt_names[i].name);
        if (strncmp(folded, mrrt_names[i].name, n) == 0 && (folded[n] == '\0' || folded[n] == ' '))
            bit = TMPL_PH(mrrt_names[i].sec);
    }
    free(folded);
    return bit;
}

/* ---- small libxml2 helpers ------------------------------------------------------------ */

static int mrrt_is(const xmlNode *n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE &&
           xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

static int mrrt_is_any(const xmlNode *n, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (mrrt_is(n, names[i]))
            return 1;
    return 0;
}

/* Attribute name of n as a new string (free with xmlFree), or NULL. */
static char *mrrt_attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* True when attribute name of n is present and equals value (no case). */
static int mrrt_attr_is(const xmlNode *n, const char *name, const char *value)
{
    char *v = mrrt_attr(n, name);
    int same = v != NULL && strcasecmp(v, value) == 0;
    xmlFree(v);
    return same;
}

/* The text under n, as a new string (free with xmlFree). */
static char *mrrt_text(const xmlNode *n)
{
    return (char *)xmlNodeGetContent(n);
}

static const char *const mrrt_skipped[] = {
    "script", "style", "head",   "title", "meta",   "link",  "img",   "noscript", "iframe",
    "object", "embed", "button", "svg",   "canvas", "video", "audio", NULL};
static const char *const mrrt_blocks[] = {
    "p",   "div",    "ul",       "ol",       "table",   "tr",    "blockquote", "dl",     "dt",
    "dd",  "form",   "fieldset", "template", "article", "aside", "main",       "figure", "footer",
    "nav", "legend", "caption",  "pre",      "hr",      "thead", "tbody",      "tfoot",  NULL};
static const char *const mrrt_headings[] = {"header", "h1", "h2", "h3", "h4", "h5", "h6", NULL};

/* ---- writing our HTML ------------------------------------------------------------------- */

typedef struct mrrt_conv {
    buf out;
    int rc;            /* the first failure while writing */
    int line_start;    /* nothing written on the current line yet */
    int space;         /* whitespace seen since the last character written */
    unsigned used;     /* placeholders given to sections */
    unsigned slot;     /* placeholder bit (one) of the section being written, until placed */
    size_t n_sections; /* top-level sections seen */
} mrrt_conv;

static void conv_raw(mrrt_conv *c, const char *s)
{
    if (c->rc == RA_OK)
        c->rc = buf_puts(&c->out, s);
}

static void conv_break(mrrt_conv *c)
{
    if (!c->line_start)
        conv_raw(c, "<br>\n");
    c->line_start = 1;
    c->space = 0;
}

/* Writes text escaped for HTML as the sanitiser writes text (& < > only; a
 * quote needs no escape outside an attribute; U+FDD0 and U+FDD1 as U+FFFD;
 * no control characters),
 * whitespace collapsed; braces
 * as character references so that no source text can read as a
 * placeholder. */
static void conv_text(mrrt_conv *c, const char *s)
{
    for (const char *p = s; p != NULL && *p != '\0' && c->rc == RA_OK; p++) {
        if (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
            c->space = 1;
            continue;
        }
        if ((unsigned char)*p < 0x20)
            continue; /* other control characters: HTML has none, the sanitiser drops them */
        if (c->space && !c->line_start)
            conv_raw(c, " ");
        c->space = 0;
        c->line_start = 0;
        switch (*p) {
        case '&':
            conv_raw(c, "&amp;");
            break;
        case '<':
            conv_raw(c, "&lt;");
            break;
        case '>':
            conv_raw(c, "&gt;");
            break;
        case '{':
            conv_raw(c, "&#123;");
            break;
        case '}':
            conv_raw(c, "&#125;");
            break;
        case '\xEF':
            /* U+FDD0 and U+FDD1, the sanitiser's stand-ins for braces, are
             * written as it writes them: U+FFFD. */
            if (p[1] == '\xB7' && (p[2] == '\x90' || p[2] == '\x91')) {
                conv_raw(c, "\xEF\xBF\xBD");
                p += 2;
                break;
            }
            c->rc = c->rc == RA_OK ? buf_putc(&c->out, *p) : c->rc;
            break;
        default:
            c->rc = c->rc == RA_OK ? buf_putc(&c->out, *p) : c->rc;
        }
    }
}

/* Writes the pending placeholder of the section on a line of its own. */
static void conv_placeholder(mrrt_conv *c)
{
    char ph[32];
    if (c->slot == 0)
        return;
    snprintf(ph, sizeof ph, "{{%s}}", report_section_placeholder(__builtin_ctz(c->slot)));
    conv_break(c);
    conv_raw(c, ph);
    c->line_start = 0;
    c->slot = 0;
}

static void conv_children(mrrt_conv *c, const xmlNode *n, const xmlNode *skip, int depth);

static void conv_input(mrrt_conv *c, const xmlNode *n)
{
    char *type = mrrt_attr(n, "type");
    static const char *const hidden[] = {"hidden", "submit", "button", "reset", "image", "file"};
    int skip = 0,
        box = type != NULL && (strcasecmp(type, "checkbox") == 0 || strcasecmp(type, "radio") == 0);
    for (size_t i = 0; type != NULL && i < sizeof hidden / sizeof hidden[0]; i++)
        skip |= strcasecmp(type, hidden[i]) == 0;
    xmlFree(type);
    if (skip)
        return;
    if (box) {
        char *checked = mrrt_attr(n, "checked");
        conv_text(c, checked != NULL ? "[x]" : "[ ]");
        c->space = 1;
        xmlFree(checked);
        return;
    }
    char *value = mrrt_attr(n, "value");
    conv_text(c,
              value != NULL && strspn(value, " \t\r\n") < strlen(value) ? value : MRRT_EMPTY_FIELD);
    xmlFree(value);
}

/* Calls fn for each <option> under n (inside <optgroup>s too). */
static void conv_options(const xmlNode *n, void (*fn)(const xmlNode *opt, void *ctx), void *ctx)
{
    for (const xmlNode *k = n->children; k != NULL; k = k->next) {
        if (mrrt_is(k, "option"))
            fn(k, ctx);
        else if (mrrt_is(k, "optgroup"))
            conv_options(k, fn, ctx);
    }
}

typedef struct select_pick {
    mrrt_conv *c;
    const xmlNode *first;
    int selected; /* options written */
} select_pick;

static void pick_selected(const xmlNode *opt, void *ctx)
{
    select_pick *sp = ctx;
    char *sel = mrrt_attr(opt, "selected");
    if (sp->first == NULL)
        sp->first = opt;
    if (sel != NULL) {
        char *text = mrrt_text(opt);
        if (sp->selected++ > 0)
            conv_text(sp->c, ",");
        conv_text(sp->c, text);
        xmlFree(text);
    }
    xmlFree(sel);
}

/* A select as its selected options, else its first (what a browser shows). */
static void conv_select(mrrt_conv *c, const xmlNode *n)
{
    select_pick sp = {c, NULL, 0};
    conv_options(n, pick_selected, &sp);
    if (sp.selected > 0)
        return;
    char *text = sp.first != NULL ? mrrt_text(sp.first) : NULL;
    conv_text(c, text != NULL && strspn(text, " \t\r\n") < strlen(text) ? text : MRRT_EMPTY_FIELD);
    xmlFree(text);
}

/* The first textarea of a section that has a placeholder becomes it; any
 * other keeps its text. */
static void conv_textarea(mrrt_conv *c, const xmlNode *n)
{
    if (c->slot != 0) {
        conv_placeholder(c);
        conv_break(c);
        return;
    }
    char *text = mrrt_text(n);
    conv_text(c, text != NULL && strspn(text, " \t\r\n") < strlen(text) ? text : MRRT_EMPTY_FIELD);
    xmlFree(text);
}

/* The section's <header> (a direct child), or NULL. */
static const xmlNode *section_header(const xmlNode *sec)
{
    for (const xmlNode *k = sec->children; k != NULL; k = k->next)
        if (mrrt_is_any(k, mrrt_headings))
            return k;
    return NULL;
}

/* Writes the heading of a section in bold: its header's text, else its
 * data-section-name; with a colon when with_colon. */
static void conv_heading(mrrt_conv *c, const xmlNode *sec, const xmlNode *header, int with_colon)
{
    char *text = header != NULL ? mrrt_text(header) : NULL;
    if (text == NULL || strspn(text, " \t\r\n") == strlen(text)) {
        xmlFree(text);
        text = mrrt_attr(sec, "data-section-name");
    }
    conv_break(c);
    conv_raw(c, "<b>");
    conv_text(c, text != NULL ? text : "Section");
    size_t n = text != NULL ? strlen(text) : 0;
    while (n > 0 && strchr(" \t\r\n", text[n - 1]) != NULL)
        n--;
    if (with_colon && (n == 0 || text[n - 1] != ':'))
        conv_text(c, ":");
    conv_raw(c, "</b>");
    conv_break(c);
    xmlFree(text);
}

static void conv_element(mrrt_conv *c, const xmlNode *n, int depth)
{
    if (mrrt_is_any(n, mrrt_skipped) || mrrt_is(n, "option"))
        return;
    if (mrrt_is(n, "br")) {
        conv_break(c);
    } else if (mrrt_is(n, "section")) {
        const xmlNode *header = section_header(n);
        conv_heading(c, n, header, 0);
        conv_children(c, n, header, depth + 1);
        conv_break(c);
    } else if (mrrt_is_any(n, mrrt_headings)) {
        conv_break(c);
        conv_raw(c, "<b>");
        conv_children(c, n, NULL, depth + 1);
        conv_raw(c, "</b>");
        conv_break(c);
    } else if (mrrt_is(n, "input")) {
        conv_input(c, n);
    } else if (mrrt_is(n, "select")) {
        conv_select(c, n);
    } else if (mrrt_is(n, "textarea")) {
        conv_textarea(c, n);
    } else if (mrrt_is(n, "b") || mrrt_is(n, "strong") || mrrt_is(n, "i") || mrrt_is(n, "em")) {
        int bold = mrrt_is(n, "b") || mrrt_is(n, "strong");
        if (c->space && !c->line_start)
            conv_raw(c, " ");
        c->space = 0;
        conv_raw(c, bold ? "<b>" : "<i>");
        conv_children(c, n, NULL, depth + 1);
        conv_raw(c, bold ? "</b>" : "</i>");
    } else if (mrrt_is(n, "li")) {
        conv_break(c);
        conv_text(c, "- ");
        conv_children(c, n, NULL, depth + 1);
        conv_break(c);
    } else if (mrrt_is_any(n, mrrt_blocks)) {
        conv_break(c);
        conv_children(c, n, NULL, depth + 1);
        conv_break(c);
    } else {
        if (mrrt_is(n, "td") || mrrt_is(n, "th"))
            c->space = 1;
        conv_children(c, n, NULL, depth + 1);
    }
}

static void conv_children(mrrt_conv *c, const xmlNode *n, const xmlNode *skip, int depth)
{
    if (depth > MRRT_MAX_DEPTH)
        return;
    for (const xmlNode *k = n->children; k != NULL && c->rc == RA_OK; k = k->next) {
        if (k == skip)
            continue;
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
            conv_text(c, (const char *)k->content);
        else if (k->type == XML_ELEMENT_NODE)
            conv_element(c, k, depth);
    }
}

/* A top-level section: a paragraph with its heading, its content, and its
 * placeholder when its name is a report section not yet given out. */
static void conv_top_section(mrrt_conv *c, const xmlNode *sec)
{
    const xmlNode *header = section_header(sec);
    char *name = mrrt_attr(sec, "data-section-name");
    unsigned bit = mrrt_section_bit(name);
    if (bit == 0 && header != NULL) {
        char *text = mrrt_text(header);
        bit = mrrt_section_bit(text);
        xmlFree(text);
    }
    xmlFree(name);
    c->slot = bit & ~c->used;
    c->used |= c->slot;
    c->n_sections++;
    conv_raw(c, "<p>");
    c->line_start = 1;
    conv_heading(c, sec, header, 1);
    conv_children(c, sec, header, 1);
    conv_placeholder(c);
    if (c->rc == RA_OK && c->out.len >= 5 && strcmp(c->out.data + c->out.len - 5, "<br>\n") == 0)
        c->out.data[c->out.len -= 5] = '\0'; /* no empty line at the end */
    conv_raw(c, "</p>\n");
    c->line_start = 1;
    c->space = 0;
}

/* Finds the sections that no other section holds, in document order. */
static void conv_find_sections(mrrt_conv *c, const xmlNode *n, int depth)
{
    for (const xmlNode *k = n->children; k != NULL && depth <= MRRT_MAX_DEPTH; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || mrrt_is(k, "script") || mrrt_is(k, "style"))
            continue;
        if (mrrt_is(k, "section"))
            conv_top_section(c, k);
        else
            conv_find_sections(c, k, depth + 1);
    }
}

/* ---- metadata ------------------------------------------------------------------------- */

typedef struct mrrt_meta {
    char *title;       /* <title> */
    char *dc_title;    /* <meta name="dcterms.title"> */
    char *dc_language; /* <meta name="dcterms.language"> */
    char *html_lang;   /* <html lang> */
    char *attributes;  /* the text of <script type="text/xml"> */
} mrrt_meta;

static void meta_release(mrrt_meta *m)
{
    xmlFree(m->title);
    xmlFree(m->dc_title);
    xmlFree(m->dc_language);
    xmlFree(m->html_lang);
    xmlFree(m->attributes);
}

/* Keeps the first value of each field: *slot takes v, or v is freed. */
static void meta_keep(char **slot, char *v)
{
    if (*slot == NULL && v != NULL && strspn(v, " \t\r\n") < strlen(v))
        *slot = v;
    else
        xmlFree(v);
}

static void meta_collect(mrrt_meta *m, const xmlNode *n, int depth)
{
    for (const xmlNode *k = n->children; k != NULL && depth <= MRRT_MAX_DEPTH; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || mrrt_is(k, "body"))
            continue;
        if (mrrt_is(k, "title"))
            meta_keep(&m->title, mrrt_text(k));
        else if (mrrt_is(k, "meta") && mrrt_attr_is(k, "name", "dcterms.title"))
            meta_keep(&m->dc_title, mrrt_attr(k, "content"));
        else if (mrrt_is(k, "meta") && mrrt_attr_is(k, "name", "dcterms.language"))
            meta_keep(&m->dc_language, mrrt_attr(k, "content"));
        else if (mrrt_is(k, "script") && mrrt_attr_is(k, "type", "text/xml"))
            meta_keep(&m->attributes, mrrt_text(k));
        else
            meta_collect(m, k, depth + 1);
    }
}

/* ---- guessing modality and body part --------------------------------------------------- */

typedef struct mrrt_guess {
    const char *modality, *body_part;
} mrrt_guess;

static void guess_from(mrrt_guess *g, const char *text, int modality, int body)
{
    if (text == NULL)
        return;
    if (modality && g->modality == NULL)
        g->modality = catalog_infer_modality(text);
    if (body && g->body_part == NULL)
        g->body_part = catalog_infer_body_part(text);
}

/* Guesses from the code meanings of the <term>s under n. Pass 0: terms
 * typed as modality or body part; pass 1: any term outside
 * <coded_content> (whose terms describe single fields). */
static void guess_terms(mrrt_guess *g, const xmlNode *n, int pass, int depth)
{
    for (const xmlNode *k = n->children; k != NULL && depth <= MRRT_MAX_DEPTH; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || mrrt_is(k, "coded_content"))
            continue;
        if (!mrrt_is(k, "term")) {
            guess_terms(g, k, pass, depth + 1);
            continue;
        }
        char *type = mrrt_attr(k, "type");
        int modality = pass == 1 || (type != NULL && strcasestr(type, "modality") != NULL);
        int body = pass == 1 || (type != NULL && (strcasestr(type, "body") != NULL ||
                                                  strcasestr(type, "anatom") != NULL));
        xmlFree(type);
        for (const xmlNode *code = k->children; code != NULL; code = code->next) {
            char *meaning = mrrt_is(code, "code") ? mrrt_attr(code, "meaning") : NULL;
            guess_from(g, meaning, modality, body);
            xmlFree(meaning);
        }
    }
}

/* Parses the template_attributes text (in an HTML comment in RadReport's
 * files) with the forgiving parser; NULL when there is none. */
static htmlDocPtr parse_attributes(const char *text)
{
    if (text == NULL)
        return NULL;
    char *copy = strdup(text);
    if (copy == NULL)
        return NULL;
    for (char *p = copy; (p = strstr(p, "<!--")) != NULL;)
        memset(p, ' ', 4);
    for (char *p = copy; (p = strstr(p, "-->")) != NULL;)
        memset(p, ' ', 3);
    htmlDocPtr doc = htmlReadMemory(copy, (int)strlen(copy), NULL, "UTF-8", MRRT_PARSE);
    free(copy);
    return doc;
}

static void mrrt_guess_kind(const mrrt_meta *m, mrrt_guess *g)
{
    htmlDocPtr attrs = parse_attributes(m->attributes);
    if (attrs != NULL)
        guess_terms(g, (const xmlNode *)attrs, 0, 0);
    guess_from(g, m->dc_title, 1, 1);
    guess_from(g, m->title, 1, 1);
    if (attrs != NULL)
        guess_terms(g, (const xmlNode *)attrs, 1, 0);
    xmlFreeDoc(attrs);
}

/* ---- the result ------------------------------------------------------------------------- */

void mrrt_template_release(mrrt_template *t)
{
    free(t->name);
    free(t->language);
    free(t->modality);
    free(t->body_part);
    free(t->content);
    memset(t, 0, sizeof *t);
}

/* "en" from "en", "EN-us" or "en_GB"; "en" when lang is not such a code. */
static char *mrrt_language(const char *lang)
{
    char code[3] = "en";
    if (lang != NULL) {
        while (*lang == ' ')
            lang++;
        int ok = ((lang[0] | 0x20) >= 'a' && (lang[0] | 0x20) <= 'z') &&
                 ((lang[1] | 0x20) >= 'a' && (lang[1] | 0x20) <= 'z') &&
                 (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_' || lang[2] == ' ');
        if (ok) {
            code[0] = (char)(lang[0] | 0x20);
            code[1] = (char)(lang[1] | 0x20);
        }
    }
    return strdup(code);
}

/* Writes the converted body into c (title first) from the parsed doc. */
static int mrrt_write(mrrt_conv *c, htmlDocPtr doc, const char *name, char *err, size_t errlen)
{
    conv_raw(c, "<p><b>");
    conv_text(c, name);
    conv_raw(c, "</b></p>\n");
    c->line_start = 1;
    conv_find_sections(c, (const xmlNode *)doc, 0);
    if (c->rc == RA_ERR_TOO_LARGE)
        return ra_fail(err, errlen, c->rc, "the converted template would be larger than %u KiB",
                       MRRT_MAX_CONTENT_BYTES / 1024);
    if (c->rc != RA_OK)
        return ra_fail(err, errlen, c->rc, "out of memory converting the template");
    if (c->n_sections == 0)
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "the file holds no <section> elements; an IHE MRRT template "
                       "keeps its report sections in <section "
                       "data-section-name=\"...\">");
    if (c->used == 0)
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "none of its %zu sections is a report section (findings, "
                       "impression, conclusion, technique, clinical information or "
                       "comparison), so nothing could be dictated into it",
                       c->n_sections);
    return RA_OK;
}

/* Checks the raw bytes; on success *skip is the length of a UTF-8 BOM. */
static int mrrt_check_input(const char *html, size_t len, size_t *skip, char *err, size_t errlen)
{
    *skip = len >= 3 && memcmp(html, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t blank = *skip; /* html need not end with a NUL: count within len */
    while (blank < len && memchr(" \t\r\n", html[blank], 4) != NULL)
        blank++;
    if (blank == len)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "the file is empty");
    if (len > MRRT_MAX_BYTES)
        return ra_fail(err, errlen, RA_ERR_TOO_LARGE, "the file is larger than %u MiB",
                       MRRT_MAX_BYTES / (1024 * 1024));
    if (memchr(html, '\0', len) != NULL)
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "the file holds a NUL byte; it is not an HTML text file");
    if (!text_is_utf8(html, len))
        return ra_fail(err, errlen, RA_ERR_FORMAT, "the file is not UTF-8 text");
    return RA_OK;
}

int mrrt_convert(const char *html, size_t len, mrrt_template *out, char *err, size_t errlen)
{
    size_t skip = 0;
    int rc = mrrt_check_input(html, len, &skip, err, errlen);
    if (rc != RA_OK)
        return rc;
    htmlDocPtr doc = htmlReadMemory(html + skip, (int)(len - skip), NULL, "UTF-8", MRRT_PARSE);
    if (doc == NULL)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "the file could not be read as HTML");
    mrrt_meta meta = {0};
    meta_collect(&meta, (const xmlNode *)doc, 0);
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root != NULL)
        meta_keep(&meta.html_lang, mrrt_attr(root, "lang"));
    mrrt_guess g = {NULL, NULL};
    mrrt_guess_kind(&meta, &g);
    mrrt_template t = {0};
    t.name = tmpl_normalize_name(meta.dc_title ? meta.dc_title
                                 : meta.title  ? meta.title
                                               : "MRRT template");
    t.language = mrrt_language(meta.dc_language ? meta.dc_language : meta.html_lang);
    t.modality = strdup(g.modality ? g.modality : "");
    t.body_part = strdup(g.body_part ? g.body_part : "");
    mrrt_conv c = {.rc = RA_OK, .line_start = 1};
    buf_init(&c.out, MRRT_MAX_CONTENT_BYTES);
    rc = t.name && t.language && t.modality && t.body_part ? RA_OK : RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = mrrt_write(&c, doc, t.name, err, errlen);
    if (rc == RA_OK && (t.content = buf_detach(&c.out)) == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_ERR_NOMEM)
        rc = ra_fail(err, errlen, rc, "out of memory converting the template");
    if (rc == RA_OK) {
        t.placeholders = tmpl_scan_placeholders(t.content);
        *out = t;
    } else {
        mrrt_template_release(&t);
    }
    buf_release(&c.out);
    meta_release(&meta);
    xmlFreeDoc(doc);
    return rc;
}

int mrrt_convert_file(const char *path, mrrt_template *out, char *err, size_t errlen)
{
    char *data = NULL;
    size_t len = 0;
    int rc = file_read_all(path, MRRT_MAX_BYTES, &data, &len, err, errlen);
    if (rc == RA_OK)
        rc = mrrt_convert(data, len, out, err, errlen);
    free(data);
    return rc;
}

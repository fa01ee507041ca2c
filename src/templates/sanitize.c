/* sanitize.c - templates reduced to formatting (see sanitize.h): the list
 * of what was removed, the HTML sanitiser (libxml2's HTML parser, then our
 * own writer over the tree it builds, so only allowed markup is ever
 * written, in one unambiguous form) and the RTF one (a reader of RTF's
 * tokens with an allowlist of control words; RTF has no tags to balance,
 * only groups, words, symbols and text).
 *
 * Braces in HTML: before parsing, every literal { and } of the template
 * becomes a noncharacter, U+FDD0 or U+FDD1, which the writer turns back
 * into the brace; U+FDD0 and U+FDD1 the template holds itself, literally or
 * as numeric character references (read as libxml2 reads them), become
 * U+FFFD first. A brace in the parsed text therefore came from a character
 * reference and is written as one again, so a placeholder stays a
 * placeholder and text that was not one does not become one. (Were a
 * reference read differently, a brace would come out plain: a matter of
 * fidelity, never of safety, as every character is written escaped.)
 * The parser never touches the network and expands no external entities. */
#include "templates/sanitize.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

#define SAN_MORE "; and more"
#define SAN_NAME_MAX 32                /* characters of a name quoted in the list */
#define SAN_LBRACE "\xEF\xB7\x90"      /* U+FDD0 in UTF-8: a literal { while parsing */
#define SAN_RBRACE "\xEF\xB7\x91"      /* U+FDD1: a literal } */
#define SAN_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD, for a U+FDD0 or U+FDD1 of the template's */
#define HTML_PARSE_FLAGS                                                                           \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |           \
     HTML_PARSE_IGNORE_ENC)
#define HTML_MAX_DEPTH 300 /* libxml2 stops at 256 levels; a guard for the writer */
#define HTML_MAX_PASSES 4  /* parses of a template until it reads as it was written */
#define RTF_MAX_DEPTH 128  /* groups nested deeper are dropped */

typedef struct san {
    buf out;           /* the sanitised template */
    int rc;            /* first error; nothing more is written after one */
    char *removed;     /* the caller's list of what was removed, or NULL */
    size_t removedlen; /* its size */
    int more;          /* an item did not fit in the list */
} san;

/* ---- what was removed ------------------------------------------------------------ */

/* Adds "what is not allowed" to the list, once per distinct item. */
static void san_note(san *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void san_note(san *s, const char *fmt, ...)
{
    if (s->removed == NULL || s->removedlen == 0)
        return;
    char item[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(item, sizeof item, fmt, ap);
    va_end(ap);
    size_t used = strlen(s->removed);
    if (strstr(s->removed, item) != NULL)
        return;
    if (used == 0) {
        snprintf(s->removed, s->removedlen, "%s", item);
        return;
    }
    if (used + 2 + strlen(item) + sizeof SAN_MORE > s->removedlen) {
        s->more = 1;
        return;
    }
    snprintf(s->removed + used, s->removedlen - used, "; %s", item);
}

static void san_finish_notes(san *s)
{
    if (s->removed == NULL || !s->more)
        return;
    size_t used = strlen(s->removed);
    if (used + sizeof SAN_MORE <= s->removedlen)
        snprintf(s->removed + used, s->removedlen - used, "%s", SAN_MORE);
}

/* A name as the list quotes it: at most SAN_NAME_MAX characters, anything
 * but letters, digits and : _ . - shown as '?'. */
static const char *san_name(const char *name, char dst[SAN_NAME_MAX + 1])
{
    size_t i = 0;
    for (; name != NULL && name[i] != '\0' && i < SAN_NAME_MAX; i++) {
        char c = name[i];
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    strchr(":_.-", c) != NULL;
        dst[i] = plain ? c : '?';
    }
    dst[i] = '\0';
    return dst;
}

static void san_put(san *s, const char *data, size_t n)
{
    if (s->rc == RA_OK)
        s->rc = buf_append(&s->out, data, n);
}

static void san_puts(san *s, const char *text)
{
    san_put(s, text, strlen(text));
}

/* ---- HTML: what is allowed ---------------------------------------------------------- */

static const char *const html_kept[] = {
    "b",   "i",     "u",     "strong", "em", "sub", "sup", "p",       "br",      "hr",  "h1",
    "h2",  "h3",    "h4",    "h5",     "h6", "ul",  "ol",  "li",      "span",    "div", "table",
    "col", "thead", "tbody", "tfoot",  "tr", "th",  "td",  "caption", "colgroup"};

static const char *const html_void[] = {"br", "col", "hr"};

/* Dropped with everything they hold: their content is code, data or
 * controls, not report text. (Void elements that libxml2's HTML 4 tables do
 * not know, such as embed and source, are not listed: it reads what follows
 * them as their content, which is only unwrapped.) */
static const char *const html_dropped[] = {
    "script",  "style",    "iframe",   "frame",     "frameset", "object",   "applet", "noscript",
    "noembed", "noframes", "template", "svg",       "math",     "textarea", "select", "option",
    "title",   "head",     "xmp",      "plaintext", "canvas",   "audio",    "video",  "img",
    "input",   "button",   "meta",     "link",      "base",     "param"};

enum { AV_WORDS, AV_DIGITS, AV_WIDTH, AV_CHARS };

/* Allowed attributes and the values each may take: one of the words
 * (AV_WORDS, any case), 1 to max digits (AV_DIGITS, AV_WIDTH with an
 * optional %), or 1 to max letters, digits and the characters of extra
 * (AV_CHARS). */
static const struct {
    const char *name;
    int kind;
    const char *extra; /* AV_WORDS: the words, space-separated; AV_CHARS: more characters */
    size_t max;
} html_attrs[] = {
    {"class", AV_CHARS, "_- ", 200},
    {"lang", AV_CHARS, "-", 35},
    {"dir", AV_WORDS, "ltr rtl auto", 0},
    {"align", AV_WORDS, "left center right justify", 0},
    {"valign", AV_WORDS, "top middle bottom baseline", 0},
    {"colspan", AV_DIGITS, NULL, 3},
    {"rowspan", AV_DIGITS, NULL, 3},
    {"span", AV_DIGITS, NULL, 3},
    {"width", AV_WIDTH, NULL, 4},
    {"border", AV_DIGITS, NULL, 2},
    {"cellpadding", AV_DIGITS, NULL, 2},
    {"cellspacing", AV_DIGITS, NULL, 2},
    {"scope", AV_WORDS, "row col rowgroup colgroup", 0},
};

static const char *html_listed(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(list[i], name) == 0)
            return list[i];
    return NULL;
}

#define LISTED(list, name) html_listed(list, sizeof list / sizeof list[0], name)

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int html_word_in(const char *v, const char *words)
{
    size_t n = strlen(v);
    for (const char *w = words; *w != '\0';) {
        size_t k = strcspn(w, " ");
        if (k == n && n > 0 && strncasecmp(w, v, n) == 0)
            return 1;
        w += k + (w[k] == ' ');
    }
    return 0;
}

static int html_value_ok(size_t a, const char *v)
{
    size_t n = strlen(v), digits = strspn(v, "0123456789");
    switch (html_attrs[a].kind) {
    case AV_WORDS:
        return html_word_in(v, html_attrs[a].extra);
    case AV_DIGITS:
        return n > 0 && digits == n && n <= html_attrs[a].max;
    case AV_WIDTH:
        return digits > 0 && digits <= html_attrs[a].max &&
               (digits == n || (digits + 1 == n && v[digits] == '%'));
    default:
        if (n == 0 || n > html_attrs[a].max)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!is_alnum(v[i]) && strchr(html_attrs[a].extra, v[i]) == NULL)
                return 0;
        return 1;
    }
}

/* ---- HTML: the writer ------------------------------------------------------------------- */

/* Writes text escaped: & < > (and " in an attribute) as entities, braces
 * (which came from character references) as &#123; and &#125;, and the
 * stand-ins of literal braces as the braces. */
static void html_text(san *s, const char *t, int attribute)
{
    const char *special = attribute ? "&<>\"{}\xEF" : "&<>{}\xEF";
    while (t != NULL && *t != '\0' && s->rc == RA_OK) {
        size_t run = strcspn(t, special);
        san_put(s, t, run);
        t += run;
        if (*t == '\0')
            break;
        int lbrace = strncmp(t, SAN_LBRACE, 3) == 0, rbrace = strncmp(t, SAN_RBRACE, 3) == 0;
        const char *e = *t == '&'   ? "&amp;"
                        : *t == '<' ? "&lt;"
                        : *t == '>' ? "&gt;"
                        : *t == '"' ? "&quot;"
                        : *t == '{' ? "&#123;"
                        : *t == '}' ? "&#125;"
                        : lbrace    ? "{"
                        : rbrace    ? "}"
                                    : NULL;
        if (e != NULL)
            san_puts(s, e);
        else
            san_put(s, t, 1); /* another character that starts with 0xEF */
        t += lbrace || rbrace ? 3 : 1;
    }
}

static void html_attribute(san *s, xmlAttr *a, int keep)
{
    char name[SAN_NAME_MAX + 1];
    const char *aname = (const char *)a->name;
    size_t i = 0, n = sizeof html_attrs / sizeof html_attrs[0];
    while (i < n && strcasecmp(html_attrs[i].name, aname) != 0)
        i++;
    if (i == n || !keep) {
        san_note(s, "attribute %s is not allowed", san_name(aname, name));
        return;
    }
    xmlChar *value = xmlNodeGetContent((xmlNode *)a);
    if (value == NULL || !html_value_ok(i, (const char *)value)) {
        san_note(s, "attribute %s with this value is not allowed", html_attrs[i].name);
    } else {
        san_puts(s, " ");
        san_puts(s, html_attrs[i].name);
        san_puts(s, "=\"");
        html_text(s, (const char *)value, 1);
        san_puts(s, "\"");
    }
    xmlFree(value);
}

static void html_nodes(san *s, xmlNode *n, int depth);

static void html_element(san *s, xmlNode *n, int depth)
{
    char name[SAN_NAME_MAX + 1];
    const char *ename = (const char *)n->name;
    const char *kept = LISTED(html_kept, ename);
    if (strcmp(ename, "html") == 0 || strcmp(ename, "body") == 0) {
        /* The document's frame, ours or the template's: only its content. */
        for (xmlAttr *a = n->properties; a != NULL; a = a->next)
            html_attribute(s, a, 0);
        html_nodes(s, n->children, depth + 1);
        return;
    }
    if (kept == NULL) {
        san_note(s, "element <%s> is not allowed", san_name(ename, name));
        if (LISTED(html_dropped, ename) == NULL)
            html_nodes(s, n->children, depth + 1);
        return;
    }
    san_puts(s, "<");
    san_puts(s, kept);
    for (xmlAttr *a = n->properties; a != NULL; a = a->next)
        html_attribute(s, a, 1);
    san_puts(s, ">");
    if (LISTED(html_void, kept) != NULL)
        return;
    html_nodes(s, n->children, depth + 1);
    san_puts(s, "</");
    san_puts(s, kept);
    san_puts(s, ">");
}

static void html_nodes(san *s, xmlNode *n, int depth)
{
    if (depth > HTML_MAX_DEPTH) {
        san_note(s, "markup nested more than 250 levels deep is not allowed");
        return;
    }
    for (; n != NULL && s->rc == RA_OK; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
            html_text(s, (const char *)n->content, 0);
            break;
        case XML_ELEMENT_NODE:
            html_element(s, n, depth);
            break;
        case XML_PI_NODE:
            san_note(s, "a processing instruction is not allowed");
            break;
        case XML_COMMENT_NODE:
            san_note(s, "a comment is not allowed");
            break;
        case XML_CDATA_SECTION_NODE:
            san_note(s, "a CDATA section is not allowed");
            break;
        default:
            san_note(s, "markup of another kind is not allowed");
            break;
        }
    }
}

/* If a numeric character reference starts at p ("&#" and decimal digits,
 * or "&#x" and hex digits, then an optional ';', as libxml2 reads them),
 * returns the bytes it spans and sets *value; else 0. */
static size_t html_char_ref(const char *p, unsigned long *value)
{
    if (p[0] != '&' || p[1] != '#')
        return 0;
    int hex = p[2] == 'x' || p[2] == 'X';
    size_t i = 2 + (size_t)hex, start = i;
    unsigned long v = 0;
    for (;; i++) {
        int d = p[i] >= '0' && p[i] <= '9'          ? p[i] - '0'
                : hex && p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10
                : hex && p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10
                                                    : -1;
        if (d < 0)
            break;
        if (v < 0x110000)
            v = v * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (i == start)
        return 0;
    *value = v;
    return i + (p[i] == ';');
}

/* The parser's input: the template as the content of <body>, its braces
 * replaced by their stand-ins, and stand-ins of its own (written as
 * characters or references) by U+FFFD. */
static int html_input(const char *content, size_t n, buf *in)
{
    int rc = buf_puts(in, "<html><body>");
    for (size_t i = 0; i < n && rc == RA_OK;) {
        size_t run = strcspn(content + i, "{}&\xEF");
        rc = buf_append(in, content + i, run);
        i += run;
        if (i >= n || rc != RA_OK)
            break;
        unsigned long ref = 0;
        size_t len = html_char_ref(content + i, &ref);
        if (content[i] == '{' || content[i] == '}') {
            rc = buf_puts(in, content[i] == '{' ? SAN_LBRACE : SAN_RBRACE);
            len = 1;
        } else if (len > 0 && (ref == 0xFDD0 || ref == 0xFDD1)) {
            rc = buf_puts(in, SAN_REPLACEMENT);
        } else if (strncmp(content + i, SAN_LBRACE, 3) == 0 ||
                   strncmp(content + i, SAN_RBRACE, 3) == 0) {
            rc = buf_puts(in, SAN_REPLACEMENT);
            len = 3;
        } else {
            len = len > 0 ? len : 1;
            rc = buf_append(in, content + i, len);
        }
        i += len;
    }
    return rc;
}

static void html_pass(san *s, const char *content, size_t n)
{
    buf in;
    buf_init(&in, n * 3 + 64); /* a brace's stand-in takes 3 bytes */
    s->rc = html_input(content, n, &in);
    htmlParserCtxtPtr ctxt = s->rc == RA_OK ? htmlNewParserCtxt() : NULL;
    if (s->rc == RA_OK && ctxt == NULL)
        s->rc = RA_ERR_NOMEM;
    htmlDocPtr doc = NULL;
    if (s->rc == RA_OK) {
        doc = htmlCtxtReadMemory(ctxt, buf_str(&in), (int)in.len, NULL, "UTF-8", HTML_PARSE_FLAGS);
        if (doc == NULL)
            s->rc = RA_ERR_NOMEM;
        else if (ctxt->disableSAX) /* the parser stopped: libxml2's depth limit */
            san_note(s, "markup nested more than 250 levels deep is not allowed");
    }
    if (doc != NULL)
        html_nodes(s, xmlDocGetRootElement(doc), 0);
    xmlFreeDoc(doc);
    if (ctxt != NULL)
        htmlFreeParserCtxt(ctxt);
    buf_release(&in);
}

/* The parser closes some elements by itself when others open inside them
 * (a <p> at a <table>, <h1> or <ul>): a tree in which an element that is
 * not kept held such a child (<p><font><table>) is written in a form that
 * parses into another tree (the table after the paragraph). So the output
 * is parsed and written again until it reads as it was written: sanitising
 * the result changes nothing, and a template sanitised at save fills as
 * saved. The second pass settles every case found so far (fuzz_sanitize);
 * HTML_MAX_PASSES bounds the work. Notes of later passes join the list. */
static void html_sanitize(san *s, const char *content, size_t n)
{
    html_pass(s, content, n);
    for (int pass = 1; pass < HTML_MAX_PASSES && s->rc == RA_OK; pass++) {
        san again = {
            .rc = RA_OK, .removed = s->removed, .removedlen = s->removedlen, .more = s->more};
        buf_init(&again.out, TMPL_SANITIZE_MAX_OUTPUT_BYTES);
        html_pass(&again, buf_str(&s->out), s->out.len);
        int same = again.rc == RA_OK && again.out.len == s->out.len &&
                   (s->out.len == 0 || memcmp(again.out.data, s->out.data, s->out.len) == 0);
        s->rc = again.rc;
        s->more = again.more;
        if (again.rc == RA_OK && !same) {
            buf_release(&s->out);
            s->out = again.out;
        } else {
            buf_release(&again.out);
        }
        if (same)
            break;
    }
}

/* ---- RTF: what is allowed --------------------------------------------------------------- */

/* Control words kept (sorted for bsearch): formatting, layout, the font and
 * colour tables, the style sheet, document information, headers and
 * footers, old-style list numbering, special characters. */
/* clang-format off */
static const char *const rtf_kept[] = {
    "ab", "additive", "adeff", "adeflang", "adjustright", "aenddoc", "af", "afs", "ai", "alang",
    "ansi", "ansicpg", "aspalpha", "aspnum", "author", "b", "blue", "box", "brdrb", "brdrbar",
    "brdrbtw", "brdrcf", "brdrdash", "brdrdb", "brdrdot", "brdrhair", "brdrl", "brdrnone", "brdrr",
    "brdrs", "brdrsh", "brdrt", "brdrth", "brdrw", "brsp", "bullet", "buptim", "caps", "category",
    "cb", "cbpat", "cell", "cellx", "cf", "cfpat", "cgrid", "charrsid", "charscalex", "chcbpat",
    "chcfpat", "chshdng", "clbrdrb", "clbrdrl", "clbrdrr", "clbrdrt", "clcbpat", "clcfpat",
    "clftsWidth", "clmgf", "clmrg", "clpadb", "clpadfb", "clpadfl", "clpadfr", "clpadft", "clpadl",
    "clpadr", "clpadt", "clshdng", "clvertalb", "clvertalc", "clvertalt", "clvmgf", "clvmrg",
    "clwWidth", "colortbl", "cols", "colsx", "column", "comment", "company", "contextualspace",
    "cpg", "creatim", "cs", "cshade", "ctint", "dbch", "deff", "deflang", "deflangfe", "deftab",
    "delrsid", "dn", "doccomm", "ds", "dy", "edmins", "embo", "emdash", "emspace", "endash",
    "endnhere", "enspace", "expnd", "expndtw", "f", "faauto", "fbidi", "fbimajor", "fbiminor",
    "fcharset", "fdbmajor", "fdbminor", "fdecor", "fet", "fhimajor", "fhiminor", "fi", "flomajor",
    "flominor", "fmodern", "fnil", "fonttbl", "footer", "footerf", "footerl", "footerr", "footery",
    "fprq", "froman", "fs", "fscript", "fswiss", "ftech", "ftnbj", "green", "gutter", "header",
    "headerf", "headerl", "headerr", "headery", "hich", "highlight", "hr", "hyphhotz", "hyphpar",
    "i", "id", "ilvl", "impr", "info", "insrsid", "intbl", "irow", "irowband", "itap", "keep",
    "keepn", "kerning", "keywords", "landscape", "lang", "langfe", "langfenp", "langnp", "lastrow",
    "ldblquote", "li", "lin", "line", "linex", "listtext", "loch", "lquote", "ls", "ltrch",
    "ltrmark", "ltrpar", "ltrrow", "mac", "manager", "margb", "margbsxn", "margl", "marglsxn",
    "margr", "margrsxn", "margt", "margtsxn", "min", "mo", "nestcell", "nestrow", "nesttableprops",
    "nofchars", "nofcharsws", "nofpages", "nofwords", "nonesttables", "nooverflow", "noproof",
    "nosupersub", "nouicompat", "nowidctlpar", "operator", "outl", "outlinelevel", "page",
    "pagebb", "paperh", "paperw", "par", "pararsid", "pard", "pc", "pca", "pghsxn", "pgndec",
    "pgnrestart", "pgnstarts", "pgwsxn", "plain", "pnb", "pndec", "pnf", "pnfs", "pnhang", "pni",
    "pnindent", "pnlcltr", "pnlcrm", "pnlvl", "pnlvlblt", "pnlvlbody", "pnlvlcont", "pnqc", "pnql",
    "pnqr", "pnsp", "pnstart", "pntext", "pntxta", "pntxtb", "pnucltr", "pnucrm", "printim", "qc",
    "qd", "qj", "ql", "qmspace", "qr", "rdblquote", "red", "revtim", "ri", "rin", "row", "rquote",
    "rsid", "rsidroot", "rtf", "rtlch", "rtlmark", "rtlpar", "rtlrow", "s", "sa", "saauto",
    "sautoupd", "sb", "sbasedon", "sbauto", "sbknone", "scaps", "sec", "sect", "sectd",
    "sectdefaultcl", "sectlinegrid", "sectrsid", "shad", "shading", "shidden", "sl", "slink",
    "slmult", "slocked", "snext", "spriority", "sqformat", "ssemihidden", "strike", "striked",
    "stshfbi", "stshfdbch", "stshfhich", "stshfloch", "stylesheet", "styrsid", "sub", "subject",
    "sunhideused", "super", "tab", "tb", "tblind", "tblindtype", "tblrsid", "title", "titlepg",
    "tldot", "tleq", "tlhyph", "tlth", "tlul", "tqc", "tqdec", "tqr", "trautofit", "trbrdrb",
    "trbrdrh", "trbrdrl", "trbrdrr", "trbrdrt", "trbrdrv", "trftsWidth", "trftsWidthA",
    "trftsWidthB", "trgaph", "trhdr", "trkeep", "trleft", "trowd", "trpaddb", "trpaddfb",
    "trpaddfl", "trpaddfr", "trpaddft", "trpaddl", "trpaddr", "trpaddt", "trqc", "trql", "trqr",
    "trrh", "trwWidth", "trwWidthA", "trwWidthB", "ts", "tx", "u", "uc", "ul", "uld", "uldash",
    "uldashd", "uldb", "ulnone", "ulth", "ulw", "ulwave", "up", "vern", "version", "viewkind",
    "viewscale", "viewzk", "widctlpar", "widowctrl", "wrapdefault", "yr", "zwbo", "zwj", "zwnbo",
    "zwnj"
};
/* clang-format on */

/* Ignorable destinations (\*\name) kept: they hold names, formatting and
 * revision numbers only. */
static const char *const rtf_ignorable[] = {"defchp",         "defpap", "falt", "generator",
                                            "nesttableprops", "panose", "pn",   "rsidtbl"};

/* Destinations whose whole group is dropped: fields, objects, pictures,
 * shapes, binary data, remote templates and XML data. */
static const char *const rtf_dropped[] = {
    "bin",       "datafield", "datastore",  "do",        "field",    "fldinst", "fldrslt",
    "formfield", "mmath",     "nonshppict", "objclass",  "objdata",  "object",  "objname",
    "pict",      "result",    "shp",        "shpinst",   "shppict",  "shprslt", "shptxt",
    "sp",        "sv",        "template",   "themedata", "xmlnstbl", "xmlopen"};

static int rtf_compare(const void *key, const void *entry)
{
    return strcmp(key, *(const char *const *)entry);
}

static int rtf_listed(const char *const *list, size_t n, const char *word)
{
    return bsearch(word, list, n, sizeof *list, rtf_compare) != NULL;
}

#define RTF_LISTED(list, word) rtf_listed(list, sizeof list / sizeof list[0], word)

/* ---- RTF: the reader ----------------------------------------------------------------------- */

enum { RTF_TEXT, RTF_OPEN, RTF_CLOSE, RTF_WORD, RTF_SYMBOL };

typedef struct rtf_token {
    int kind;
    const char *start; /* the token's bytes, as written */
    size_t len;
    char word[SAN_NAME_MAX + 1]; /* RTF_WORD: the name (cut at SAN_NAME_MAX) */
    long long param;             /* RTF_WORD: the parameter, 0 when none */
    int ok;                      /* RTF_SYMBOL: a well-formed symbol (\'hh with two hex digits) */
} rtf_token;

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Reads the token at p (p < end) into *t; returns the byte after it. */
static const char *rtf_next(const char *p, const char *end, rtf_token *t)
{
    t->start = p;
    t->param = 0;
    t->ok = 1;
    if (*p == '{' || *p == '}') {
        t->kind = *p == '{' ? RTF_OPEN : RTF_CLOSE;
        t->len = 1;
        return p + 1;
    }
    if (*p != '\\') {
        const char *q = p;
        while (q < end && *q != '\\' && *q != '{' && *q != '}')
            q++;
        t->kind = RTF_TEXT;
        t->len = (size_t)(q - p);
        return q;
    }
    const char *q = p + 1;
    size_t n = 0;
    while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) {
        if (n < SAN_NAME_MAX)
            t->word[n++] = *q;
        q++;
    }
    t->word[n] = '\0';
    if (q > p + 1) {
        t->kind = RTF_WORD;
        int negative = q < end && *q == '-' && q + 1 < end && *(q + 1) >= '0' && *(q + 1) <= '9';
        q += negative;
        for (; q < end && *q >= '0' && *q <= '9'; q++)
            if (t->param < 1000000000LL)
                t->param = t->param * 10 + (*q - '0');
        t->param = negative ? -t->param : t->param;
        if (q < end && *q == ' ')
            q++;
        t->len = (size_t)(q - p);
        return q;
    }
    /* A control symbol: \ and one ASCII character (\'hh takes two more);
     * before a non-ASCII character or at the end, the \ alone. */
    t->kind = RTF_SYMBOL;
    t->len = q < end && (unsigned char)*q < 0x80 ? 2 : 1;
    if (t->len == 2 && *q == '\'') {
        t->ok = q + 2 < end && is_hex(q[1]) && is_hex(q[2]);
        t->len = t->ok ? 4 : 2;
    }
    return p + t->len;
}

/* Skips the n bytes of data of a \binN word, and then the rest of a UTF-8
 * character the data ended inside of, so what follows is text again;
 * returns the byte after, or end. */
static const char *rtf_past_bin(const char *p, const char *end, long long n)
{
    size_t left = (size_t)(end - p);
    p += left < (size_t)n ? left : (size_t)n;
    while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
        p++;
    return p;
}

/* Skips the rest of levels open groups (their closing braces included),
 * binary data of \bin words included; returns the byte after, or end. */
static const char *rtf_skip(const char *p, const char *end, int levels)
{
    rtf_token t;
    while (p < end && levels > 0) {
        p = rtf_next(p, end, &t);
        levels += t.kind == RTF_OPEN ? 1 : t.kind == RTF_CLOSE ? -1 : 0;
        if (t.kind == RTF_WORD && strcmp(t.word, "bin") == 0 && t.param > 0)
            p = rtf_past_bin(p, end, t.param);
    }
    return p;
}

typedef struct rtf_group {
    size_t start; /* where its { is in the output */
    int open;     /* the output before its { ended in a control word without delimiter */
    int tokens;   /* tokens read in it so far */
    int star;     /* it opened with \*: the next word names the destination */
} rtf_group;

typedef struct rtf_reader {
    san *s;
    const char *p, *end;
    rtf_group groups[RTF_MAX_DEPTH];
    int depth;
    int open; /* the output ends in a control word without its delimiter */
} rtf_reader;

/* Writes a token kept as it was. */
static void rtf_put(rtf_reader *r, const rtf_token *t)
{
    san_put(r->s, t->start, t->len);
    r->open = t->kind == RTF_WORD && t->start[t->len - 1] != ' ';
}

/* After something was dropped: when the output ends in a control word
 * without its delimiter, writes one (a space, which readers consume), so
 * what follows cannot join the word: "\b{\pict ...}old" must not become
 * "\bold", nor "\f{...}ield" a field. */
static void rtf_gap(rtf_reader *r)
{
    if (r->open)
        san_puts(r->s, " ");
    r->open = 0;
}

/* Drops the innermost open group, from its { to its }, of which levels
 * are still open in the input (1, or 2 when a nested { was just read; 0
 * when its } was). */
static void rtf_drop_group(rtf_reader *r, int levels)
{
    rtf_group *g = &r->groups[r->depth - 1];
    buf_truncate(&r->s->out, g->start);
    r->open = g->open;
    r->p = rtf_skip(r->p, r->end, levels);
    r->depth--;
    rtf_gap(r);
}

/* A control word not kept: dropped with its group when it names a
 * destination of rtf_dropped (unless that group is the outermost and the
 * word is not its first), else by itself; \binN takes its N bytes along. */
static void rtf_refuse_word(rtf_reader *r, const rtf_token *t)
{
    char name[SAN_NAME_MAX + 1];
    san_note(r->s, "control word \\%s is not allowed", san_name(t->word, name));
    if (strcmp(t->word, "bin") == 0 && t->param > 0)
        r->p = rtf_past_bin(r->p, r->end, t->param);
    if (RTF_LISTED(rtf_dropped, t->word) && r->depth > 0 &&
        (r->depth >= 2 || r->groups[r->depth - 1].tokens == 1))
        rtf_drop_group(r, 1);
    else
        rtf_gap(r);
}

static void rtf_word(rtf_reader *r, const rtf_token *t)
{
    rtf_group *g = r->depth > 0 ? &r->groups[r->depth - 1] : NULL;
    if (g != NULL && g->star) {
        g->star = 0;
        if (RTF_LISTED(rtf_ignorable, t->word)) {
            rtf_put(r, t);
        } else {
            char name[SAN_NAME_MAX + 1];
            san_note(r->s, "destination \\*\\%s is not allowed", san_name(t->word, name));
            rtf_drop_group(r, 1);
        }
        return;
    }
    if (RTF_LISTED(rtf_kept, t->word))
        rtf_put(r, t);
    else
        rtf_refuse_word(r, t);
}

static void rtf_symbol(rtf_reader *r, const rtf_token *t)
{
    rtf_group *g = r->depth > 0 ? &r->groups[r->depth - 1] : NULL;
    char c = t->len >= 2 ? t->start[1] : '\0';
    if (c == '*' && g != NULL && g->tokens == 1) {
        g->star = 1;
        rtf_put(r, t);
        return;
    }
    if ((c != '\0' && c != '*' && strchr("\\{}~-_|:\r\n", c) != NULL) || (c == '\'' && t->ok)) {
        rtf_put(r, t);
        return;
    }
    if (c == '\0')
        san_note(r->s, "a lone \\ is not allowed");
    else if (c > ' ' && c < 0x7F)
        san_note(r->s, "control symbol \\%c is not allowed", c);
    else
        san_note(r->s, "control symbol \\ with character %d is not allowed", c);
    rtf_gap(r);
}

/* A group opened by the { just read; one nested too deeply is dropped. */
static void rtf_open(rtf_reader *r, const rtf_token *t)
{
    if (r->depth == RTF_MAX_DEPTH) {
        san_note(r->s, "groups nested more than %d deep are not allowed", RTF_MAX_DEPTH);
        r->p = rtf_skip(r->p, r->end, 1);
        rtf_gap(r);
        return;
    }
    r->groups[r->depth++] =
        (rtf_group){.start = r->s->out.len, .open = r->open, .tokens = 0, .star = 0};
    rtf_put(r, t);
}

static void rtf_sanitize(san *s, const char *content, size_t n)
{
    rtf_reader r = {.s = s, .p = content, .end = content + n, .depth = 0, .open = 0};
    rtf_token t;
    while (r.p < r.end && s->rc == RA_OK) {
        r.p = rtf_next(r.p, r.end, &t);
        rtf_group *g = r.depth > 0 ? &r.groups[r.depth - 1] : NULL;
        if (g != NULL)
            g->tokens++;
        if (g != NULL && g->star && t.kind != RTF_WORD) {
            san_note(s, "a destination \\* without a name is not allowed");
            rtf_drop_group(&r, t.kind == RTF_OPEN ? 2 : t.kind == RTF_CLOSE ? 0 : 1);
        } else if (t.kind == RTF_OPEN) {
            rtf_open(&r, &t);
        } else if (t.kind == RTF_CLOSE && r.depth == 0) {
            san_note(s, "an unmatched } is not allowed");
            rtf_gap(&r);
        } else if (t.kind == RTF_WORD) {
            rtf_word(&r, &t);
        } else if (t.kind == RTF_SYMBOL) {
            rtf_symbol(&r, &t);
        } else {
            r.depth -= t.kind == RTF_CLOSE;
            rtf_put(&r, &t);
        }
    }
}

/* ---- the entry point ----------------------------------------------------------------------- */

int tmpl_sanitize(const char *content, const char *format, char **out, char *removed,
                  size_t removedlen)
{
    if (removed != NULL && removedlen > 0)
        removed[0] = '\0';
    if (content == NULL || out == NULL || format == NULL)
        return RA_ERR_INVALID;
    int html = strcasecmp(format, "html") == 0, rtf = strcasecmp(format, "rtf") == 0;
    if (!html && !rtf && strcasecmp(format, "txt") != 0)
        return RA_ERR_INVALID;
    size_t n = strlen(content);
    if (n > TMPL_SANITIZE_MAX_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(content, n))
        return RA_ERR_INVALID;
    san s = {.rc = RA_OK, .removed = removed, .removedlen = removedlen};
    buf_init(&s.out, TMPL_SANITIZE_MAX_OUTPUT_BYTES);
    if (html)
        html_sanitize(&s, content, n);
    else if (rtf)
        rtf_sanitize(&s, content, n);
    else
        san_put(&s, content, n);
    char *text = s.rc == RA_OK ? buf_detach(&s.out) : NULL;
    if (s.rc == RA_OK && text == NULL)
        s.rc = RA_ERR_NOMEM;
    buf_release(&s.out);
    if (s.rc != RA_OK) {
        if (removed != NULL && removedlen > 0)
            removed[0] = '\0';
        return s.rc;
    }
    san_finish_notes(&s);
    *out = text;
    return RA_OK;
}

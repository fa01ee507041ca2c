/* markup.c - asr_text_from_markup: the plain text of a TXT, RTF or HTML
 * template body, for the language-model corpus. Deliberately simple: it
 * keeps the words a radiologist would say and the line breaks, and drops
 * everything else (formatting, font tables, tags). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

/* Appends code point cp as UTF-8. */
static int put_utf8(buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return RA_OK;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_append(b, s, n);
}

/* ---- RTF ---------------------------------------------------------------- */

#define RTF_MAX_DEPTH 64

/* The state of an RTF walk: the output and the groups being skipped. */
typedef struct rtf {
    buf *out;
    const char *s;
    int depth;     /* current group depth */
    int skip_from; /* depth whose group is skipped, or 0 */
    int uc;        /* characters to skip after \uN */
    int pending;   /* fallback characters still to skip */
} rtf;

/* A Windows-1254 byte (the library's code page) as a code point; the Latin-1
 * value for the bytes that code page shares with it. */
static uint32_t cp1254(unsigned v)
{
    switch (v) {
    case 0xD0:
        return 0x011E;
    case 0xDD:
        return 0x0130;
    case 0xDE:
        return 0x015E;
    case 0xF0:
        return 0x011F;
    case 0xFD:
        return 0x0131;
    case 0xFE:
        return 0x015F;
    default:
        return v;
    }
}

/* True for destinations whose text is not document text. */
static int rtf_skipped_destination(const char *word, size_t n)
{
    static const char *const names[] = {
        "fonttbl",   "colortbl",     "stylesheet",        "info",    "pict",      "header",
        "footer",    "listtable",    "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
        "themedata", "latentstyles", "datastore",         "object",  "field",     "fldinst",
        "footnote",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], word, n) == 0)
            return 1;
    return 0;
}

static int rtf_emit(rtf *r, uint32_t cp)
{
    if (r->skip_from != 0)
        return RA_OK;
    if (r->pending > 0) {
        r->pending--;
        return RA_OK;
    }
    return put_utf8(r->out, cp);
}

/* Handles a control word or symbol at r->s (just after the backslash). */
static int rtf_control(rtf *r, int group_start)
{
    const char *s = r->s;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) {
        r->s = s + (*s != '\0');
        if (*s == '\'' && text_hex_value(s[1]) >= 0 && text_hex_value(s[2]) >= 0) {
            r->s = s + 3;
            return rtf_emit(r,
                            cp1254((unsigned)(text_hex_value(s[1]) * 16 + text_hex_value(s[2]))));
        }
        if (*s == '*' && group_start && r->skip_from == 0)
            r->skip_from = r->depth;
        if (*s == '\\' || *s == '{' || *s == '}')
            return rtf_emit(r, (uint32_t)*s);
        return (*s == '~' || *s == '\n' || *s == '\r') ? rtf_emit(r, ' ') : RA_OK;
    }
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
        n++;
    long num = 0;
    int neg = s[n] == '-', has_num = 0;
    size_t k = n + (size_t)neg;
    for (; s[k] >= '0' && s[k] <= '9' && k < n + 12; k++, has_num = 1)
        num = num * 10 + (s[k] - '0');
    num = neg ? -num : num;
    r->s = s + k + (s[k] == ' ');
    if (group_start && r->skip_from == 0 && rtf_skipped_destination(s, n))
        r->skip_from = r->depth;
    if ((n == 3 && memcmp(s, "par", 3) == 0) || (n == 4 && memcmp(s, "line", 4) == 0) ||
        (n == 3 && memcmp(s, "row", 3) == 0) || (n == 4 && memcmp(s, "page", 4) == 0))
        return rtf_emit(r, '\n');
    if ((n == 3 && memcmp(s, "tab", 3) == 0) || (n == 4 && memcmp(s, "cell", 4) == 0))
        return rtf_emit(r, ' ');
    if (n == 2 && memcmp(s, "uc", 2) == 0 && has_num)
        r->uc = (int)(num < 0 ? 0 : num > 8 ? 8 : num);
    if (n == 1 && s[0] == 'u' && has_num) {
        int rc = rtf_emit(r, (uint32_t)(num < 0 ? num + 65536 : num));
        r->pending = r->uc;
        return rc;
    }
    return RA_OK;
}

/* Skips a bare "{{NAME}}" placeholder at s; returns its length or 0. */
static size_t rtf_placeholder(const char *s)
{
    if (s[0] != '{' || s[1] != '{')
        return 0;
    size_t i = 2;
    while ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_')
        i++;
    return (i > 2 && s[i] == '}' && s[i + 1] == '}') ? i + 2 : 0;
}

static int rtf_text(const char *content, buf *out)
{
    rtf r = {out, content, 0, 0, 1, 0};
    int rc = RA_OK;
    int group_start = 0;
    while (*r.s != '\0' && rc == RA_OK) {
        char c = *r.s;
        size_t ph = rtf_placeholder(r.s);
        if (ph > 0) {
            r.s += ph;
            continue;
        }
        if (c == '{' || c == '}') {
            if (c == '}' && r.skip_from == r.depth)
                r.skip_from = 0;
            r.depth += c == '{' ? 1 : -1;
            if (r.depth < 0 || r.depth > RTF_MAX_DEPTH)
                return RA_OK; /* malformed: keep what was read */
            r.pending = 0;
            group_start = c == '{';
            r.s++;
            continue;
        }
        if (c == '\\') {
            r.s++;
            rc = rtf_control(&r, group_start);
        } else {
            r.s++;
            if (c != '\n' && c != '\r')
                rc = rtf_emit(&r, (unsigned char)c);
        }
        group_start = 0;
    }
    return rc;
}

/* ---- HTML --------------------------------------------------------------- */

/* Decodes the entity at s ('&'); returns its length, 0 when it is none. */
static size_t html_entity(const char *s, buf *out, int *rc)
{
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {
        {"amp;", '&'},  {"lt;", '<'},    {"gt;", '>'},    {"quot;", '"'},    {"apos;", '\''},
        {"nbsp;", ' '}, {"ouml;", 0xF6}, {"uuml;", 0xFC}, {"ccedil;", 0xE7},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        size_t n = strlen(named[i].name);
        if (strncmp(s + 1, named[i].name, n) == 0) {
            *rc = put_utf8(out, named[i].cp);
            return n + 1;
        }
    }
    if (s[1] != '#')
        return 0;
    int hex = s[2] == 'x' || s[2] == 'X';
    size_t i = hex ? 3 : 2;
    uint32_t cp = 0;
    for (; i < 12; i++) {
        int v = hex ? text_hex_value(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (v < 0)
            break;
        cp = cp * (hex ? 16 : 10) + (uint32_t)v;
    }
    if (s[i] != ';')
        return 0;
    *rc = put_utf8(out, cp);
    return i + 1;
}

/* True when the tag name at s (after '<' and an optional '/') breaks a line. */
static int html_block_tag(const char *s, size_t n)
{
    static const char *const names[] = {"br", "p",  "div", "li", "tr", "h1",    "h2", "h3",
                                        "h4", "h5", "h6",  "ul", "ol", "table", "hr"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncasecmp(names[i], s, n) == 0)
            return 1;
    return 0;
}

/* Handles the tag at s ('<'); returns where the text continues. */
static const char *html_tag(const char *s, buf *out, int *rc)
{
    if (strncmp(s, "<!--", 4) == 0) {
        const char *end = strstr(s + 4, "-->");
        return end != NULL ? end + 3 : s + strlen(s);
    }
    const char *name = s + 1 + (s[1] == '/');
    size_t n = 0;
    while ((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
           (name[n] >= '0' && name[n] <= '9'))
        n++;
    const char *end = strchr(s, '>');
    end = end != NULL ? end + 1 : s + strlen(s);
    if (s[1] != '/' && ((n == 6 && strncasecmp(name, "script", 6) == 0) ||
                        (n == 5 && strncasecmp(name, "style", 5) == 0))) {
        const char *close = strcasestr(end, n == 6 ? "</script" : "</style");
        if (close == NULL)
            return s + strlen(s);
        end = strchr(close, '>');
        return end != NULL ? end + 1 : close + strlen(close);
    }
    if (html_block_tag(name, n))
        *rc = buf_putc(out, '\n');
    return end;
}

static int html_text(const char *s, buf *out)
{
    int rc = RA_OK;
    while (*s != '\0' && rc == RA_OK) {
        if (*s == '<') {
            s = html_tag(s, out, &rc);
        } else if (*s == '&') {
            size_t n = html_entity(s, out, &rc);
            if (n == 0)
                rc = buf_putc(out, '&');
            s += n == 0 ? 1 : n;
        } else {
            rc = buf_putc(out, (*s == '\n' || *s == '\r') ? ' ' : *s);
            s++;
        }
    }
    return rc;
}

int asr_text_from_markup(const char *content, const char *format, char **out)
{
    buf b;
    buf_init(&b, 2 * (size_t)ASR_MAX_TEXT);
    int rc;
    if (strcmp(format, "txt") == 0)
        rc = buf_puts(&b, content);
    else if (strcmp(format, "rtf") == 0)
        rc = rtf_text(content, &b);
    else if (strcmp(format, "html") == 0)
        rc = html_text(content, &b);
    else
        return RA_ERR_INVALID;
    if (rc != RA_OK) {
        buf_release(&b);
        return rc == RA_ERR_TOO_LARGE ? RA_ERR_NOMEM : rc;
    }
    char *text = buf_detach(&b);
    if (text == NULL)
        return RA_ERR_NOMEM;
    *out = text;
    return RA_OK;
}

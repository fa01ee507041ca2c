/* fill.c - template filling and report rendering (see fill.h): the encoders
 * for TXT, RTF and HTML, the one-pass placeholder replacement, and the plain
 * text and HTML reports. Every template is sanitised (templates/sanitize.h)
 * before it is filled, so whatever a stored or sent template holds, only
 * formatting reaches a report. */
#include "templates/fill.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "templates/sanitize.h"
#include "templates/templates.h"

#define FILL_NAME_MAX 32 /* longest placeholder name looked at */

enum { FMT_TXT, FMT_RTF, FMT_HTML };

/* Writes c (above U+007F) as RTF: \uN? per UTF-16 unit, N signed. */
static int fill_rtf_unicode(buf *b, uint32_t c)
{
    uint32_t units[2] = {c, 0};
    int n = 1;
    if (c > 0xFFFF) {
        units[0] = 0xD800 + ((c - 0x10000) >> 10);
        units[1] = 0xDC00 + ((c - 0x10000) & 0x3FF);
        n = 2;
    }
    int rc = RA_OK;
    for (int i = 0; i < n && rc == RA_OK; i++) {
        long v = units[i] > 32767 ? (long)units[i] - 65536 : (long)units[i];
        rc = buf_printf(b, "\\u%ld?", v);
    }
    return rc;
}

/* Appends the n bytes of UTF-8 text at s to b as plain text, each newline
 * written as eol. */
static int fill_encode_txt(buf *b, const char *s, size_t n, const char *eol)
{
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK;) {
        size_t k = i;
        while (k < n && s[k] != '\n')
            k++;
        rc = buf_append(b, s + i, k - i);
        if (rc == RA_OK && k < n)
            rc = buf_puts(b, eol);
        i = k + 1;
    }
    return rc;
}

/* Appends the n bytes of UTF-8 text at s to b encoded for format fmt (RTF
 * or HTML) as a section's text (see fill.h). */
static int fill_encode(buf *b, const char *s, size_t n, int fmt)
{
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK;) {
        size_t k;
        uint32_t c = text_decode((const char *)s + i, &k);
        i += k;
        if (fmt == FMT_HTML) {
            const char *e = c == '&'    ? "&amp;"
                            : c == '<'  ? "&lt;"
                            : c == '>'  ? "&gt;"
                            : c == '"'  ? "&quot;"
                            : c == '\'' ? "&#39;"
                            : c == '\n' ? "<br>"
                                        : NULL;
            if (c == '\r')
                continue;
            rc = e != NULL ? buf_puts(b, e) : buf_append(b, s + i - k, k);
        } else if (c >= 0x80) {
            rc = fill_rtf_unicode(b, c);
        } else if (c == '\\' || c == '{' || c == '}') {
            char esc[2] = {'\\', (char)c};
            rc = buf_append(b, esc, 2);
        } else if (c == '\n' || c == '\t') {
            rc = buf_puts(b, c == '\n' ? "\\par\n" : "\\tab ");
        } else if (c >= 0x20 && c != 0x7F) {
            rc = buf_putc(b, (char)c);
        }
    }
    return rc;
}

static int fill_format(const char *format)
{
    static const char *const names[] = {"txt", "rtf", "html"};
    for (int i = 0; format != NULL && i < 3; i++) {
        if (strcasecmp(format, names[i]) == 0)
            return i;
    }
    return -1;
}

/* If a known placeholder starts at p ("{{NAME}}", or in RTF also
 * "\{\{NAME\}\}"), returns its section and sets *len to its bytes; else -1. */
static int fill_placeholder_at(const char *p, int fmt, size_t *len)
{
    const char *open = "{{", *close = "}}";
    if (fmt == FMT_RTF && strncmp(p, "\\{\\{", 4) == 0) {
        open = "\\{\\{";
        close = "\\}\\}";
    }
    size_t ol = strlen(open), cl = strlen(close);
    if (strncmp(p, open, ol) != 0)
        return -1;
    size_t n = 0;
    while (n < FILL_NAME_MAX && p[ol + n] >= 'A' && p[ol + n] <= 'Z')
        n++;
    if (n == 0 || strncmp(p + ol + n, close, cl) != 0)
        return -1;
    int sec = -1;
    if (report_section_from_placeholder(p + ol, n, &sec) != RA_OK)
        return -1;
    *len = ol + n + cl;
    return sec;
}

/* Encodes every section's text once for format fmt into enc[]; TXT
 * newlines become eol. */
static int fill_encode_sections(const report_sections *s, int fmt, const char *eol, buf *enc)
{
    int rc = RA_OK;
    for (int sec = 0; sec < REPORT_SEC_COUNT && rc == RA_OK; sec++) {
        const char *t = s != NULL && s->text[sec] != NULL ? s->text[sec] : "";
        size_t n = strlen(t);
        if (!text_is_utf8(t, n))
            rc = RA_ERR_INVALID;
        else if (fmt == FMT_TXT)
            rc = fill_encode_txt(&enc[sec], t, n, eol);
        else
            rc = fill_encode(&enc[sec], t, n, fmt);
    }
    return rc;
}

/* Copies the template into out, each known placeholder replaced by its
 * encoded section; in RTF the template's own non-ASCII characters become
 * \uN? escapes. */
static int fill_copy(buf *out, const char *tpl, int fmt, const buf *enc)
{
    int rc = RA_OK;
    for (const char *p = tpl; *p != '\0' && rc == RA_OK;) {
        size_t len = 0;
        int sec = fill_placeholder_at(p, fmt, &len);
        if (sec >= 0) {
            rc = buf_append(out, buf_str(&enc[sec]), enc[sec].len);
            p += len;
            continue;
        }
        size_t run = 1;
        if (fmt == FMT_RTF && (unsigned char)*p >= 0x80) {
            rc = fill_rtf_unicode(out, text_decode((const char *)p, &run));
        } else {
            while (p[run] != '\0' && p[run] != '{' && p[run] != '\\' &&
                   (fmt != FMT_RTF || (unsigned char)p[run] < 0x80))
                run++;
            rc = buf_append(out, p, run);
        }
        p += run;
    }
    return rc;
}

/* Fills a template that is already sanitised (see report_fill). */
static int fill_sanitized(const char *template_content, int fmt, const report_sections *s,
                          char **out)
{
    buf enc[REPORT_SEC_COUNT], res;
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++)
        buf_init(&enc[sec], REPORT_MAX_OUTPUT_BYTES);
    buf_init(&res, REPORT_MAX_OUTPUT_BYTES);
    const char *eol = strstr(template_content, "\r\n") != NULL ? "\r\n" : "\n";
    int rc = fill_encode_sections(s, fmt, eol, enc);
    if (rc == RA_OK)
        rc = fill_copy(&res, template_content, fmt, enc);
    char *text = rc == RA_OK ? buf_detach(&res) : NULL;
    if (rc == RA_OK && text == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        *out = text;
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++)
        buf_release(&enc[sec]);
    buf_release(&res);
    return rc;
}

/* The template checked and sanitised into *out (caller frees). */
static int fill_sanitize(const char *template_content, const char *format, char **out)
{
    if (template_content == NULL || fill_format(format) < 0)
        return RA_ERR_INVALID;
    size_t n = strlen(template_content);
    if (n > REPORT_MAX_TEMPLATE_BYTES)
        return RA_ERR_TOO_LARGE;
    if (!text_is_utf8(template_content, n))
        return RA_ERR_INVALID;
    return tmpl_sanitize(template_content, format, out, NULL, 0);
}

int report_fill(const char *template_content, const char *format, const report_sections *s,
                char **out)
{
    if (out == NULL)
        return RA_ERR_INVALID;
    char *clean = NULL;
    int rc = fill_sanitize(template_content, format, &clean);
    if (rc == RA_OK)
        rc = fill_sanitized(clean, fill_format(format), s, out);
    free(clean);
    return rc;
}

/* Renders the sections as text (html 0) or HTML (html 1) into *out. */
static int fill_render(const report_sections *s, const char *lang, int html, char **out)
{
    if (out == NULL)
        return RA_ERR_INVALID;
    buf b;
    buf_init(&b, REPORT_MAX_OUTPUT_BYTES);
    int rc = RA_OK;
    for (int k = 0; k < REPORT_SEC_COUNT && rc == RA_OK; k++) {
        report_section sec = report_reading_order[k];
        const char *t = s != NULL ? s->text[sec] : NULL;
        if (t == NULL || *t == '\0')
            continue;
        const char *title = report_section_title(sec, lang);
        if (!text_is_utf8(t, strlen(t))) {
            rc = RA_ERR_INVALID;
        } else if (html) {
            rc = buf_printf(&b, "%s<p><b>", b.len > 0 ? "\n" : "");
            if (rc == RA_OK)
                rc = fill_encode(&b, title, strlen(title), FMT_HTML);
            if (rc == RA_OK)
                rc = buf_puts(&b, ":</b><br>");
            if (rc == RA_OK)
                rc = fill_encode(&b, t, strlen(t), FMT_HTML);
            if (rc == RA_OK)
                rc = buf_puts(&b, "</p>");
        } else {
            rc = buf_printf(&b, "%s%s:\n%s", b.len > 0 ? "\n\n" : "", title, t);
        }
    }
    char *text = rc == RA_OK ? buf_detach(&b) : NULL;
    if (rc == RA_OK && text == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        *out = text;
    buf_release(&b);
    return rc;
}

int report_render_text(const report_sections *s, const char *lang, char **out)
{
    return fill_render(s, lang, 0, out);
}

int report_render_html(const report_sections *s, const char *lang, char **out)
{
    return fill_render(s, lang, 1, out);
}

int report_rtf_encode(buf *b, const char *s, size_t n)
{
    return fill_encode(b, s, n, FMT_RTF);
}

/* ---- an exam's report with its templates ----------------------------------------- */

/* When placeholders have a place for only one of conclusion and
 * impression, moves the other's text there (joined on a new line). */
static int fit_sections(report_sections *sec, unsigned placeholders)
{
    const int pairs[2][2] = {{REPORT_SEC_IZLENIM, REPORT_SEC_SONUC},
                             {REPORT_SEC_SONUC, REPORT_SEC_IZLENIM}};
    for (int i = 0; i < 2; i++) {
        int from = pairs[i][0], to = pairs[i][1];
        char *moved = sec->text[from];
        if (moved == NULL || (placeholders & TMPL_PH(from)) || !(placeholders & TMPL_PH(to)))
            continue;
        if (sec->text[to] != NULL) {
            size_t n = strlen(sec->text[to]) + strlen(moved) + 2;
            char *joined = malloc(n);
            if (joined == NULL)
                return RA_ERR_NOMEM;
            snprintf(joined, n, "%s\n%s", sec->text[to], moved);
            free(sec->text[to]);
            free(moved);
            sec->text[to] = joined;
        } else {
            sec->text[to] = moved;
        }
        sec->text[from] = NULL;
    }
    return RA_OK;
}

/* True when placeholders have a place for every section with text. */
static int covers(unsigned placeholders, const report_sections *sec)
{
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        if (sec->text[i] != NULL && sec->text[i][0] != '\0' && !(placeholders & TMPL_PH(i)))
            return 0;
    return 1;
}

/* Renders with the templates of choice, already sanitised. */
static int render_sanitized(const report_template_choice *choice, report_sections *sec,
                            const char *lang, report_rendered *out)
{
    const char *custom = choice->custom_content, *matched = choice->matched_content;
    const char *mformat = choice->matched_format ? choice->matched_format : "";
    unsigned mplaces = matched ? tmpl_scan_placeholders(matched) : 0;
    int rc = RA_OK;
    if (custom != NULL)
        rc = fit_sections(sec, tmpl_scan_placeholders(custom));
    else if (matched != NULL)
        rc = fit_sections(sec, mplaces);
    if (matched != NULL && !covers(mplaces, sec))
        matched = NULL;
    report_rendered r = {.template_used = custom ? "custom" : matched ? "matched" : "default"};
    if (rc == RA_OK && custom != NULL)
        rc = fill_sanitized(custom, fill_format(choice->custom_format), sec, &r.filled);
    if (rc == RA_OK)
        rc = matched && strcasecmp(mformat, "txt") == 0
                 ? fill_sanitized(matched, FMT_TXT, sec, &r.text)
                 : report_render_text(sec, lang, &r.text);
    if (rc == RA_OK)
        rc = matched && strcasecmp(mformat, "html") == 0
                 ? fill_sanitized(matched, FMT_HTML, sec, &r.html)
                 : report_render_html(sec, lang, &r.html);
    if (rc != RA_OK) {
        free(r.text);
        free(r.html);
        free(r.filled);
        return rc;
    }
    *out = r;
    return RA_OK;
}

int report_render_exam(const report_template_choice *choice, report_sections *sec, const char *lang,
                       report_rendered *out)
{
    if (choice == NULL || sec == NULL || out == NULL)
        return RA_ERR_INVALID;
    /* Sanitised first, so that which placeholders a template has is read
     * from what will be filled. */
    report_template_choice clean = {.custom_format = choice->custom_format,
                                    .matched_format = choice->matched_format};
    char *custom = NULL, *matched = NULL;
    int rc = RA_OK;
    if (choice->custom_content != NULL)
        rc = fill_sanitize(choice->custom_content, choice->custom_format, &custom);
    /* A matched template of another format is never filled. */
    int fill_matched = choice->matched_content != NULL && fill_format(choice->matched_format) >= 0;
    if (rc == RA_OK && fill_matched)
        rc = fill_sanitize(choice->matched_content, choice->matched_format, &matched);
    clean.custom_content = custom;
    clean.matched_content = fill_matched ? matched : choice->matched_content;
    if (rc == RA_OK)
        rc = render_sanitized(&clean, sec, lang, out);
    free(custom);
    free(matched);
    return rc;
}

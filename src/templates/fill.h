/* fill.h - template filling and report rendering: a report's sections put
 * into a template (TXT, RTF or HTML), and the plain report as text and
 * HTML. Produces the poll response's filledTemplate, reportText and
 * reportHtml.
 *
 * Encoding of a section's text where it is inserted:
 *   txt  - as it is; newlines as CR LF when the template uses CR LF.
 *   rtf  - \ { } escaped as \\ \{ \}; a newline as \par (followed by a line
 *          break, which RTF ignores); a tab as \tab; other control
 *          characters dropped; every non-ASCII character as \uN? with N the
 *          signed 16-bit UTF-16 unit (characters beyond U+FFFF as their two
 *          surrogates), so "ş" is \u351? and "İ" \u304?. The '?' is the
 *          fallback for readers without Unicode; it assumes the default
 *          \uc1, which word processors write. Non-ASCII characters in the
 *          template's own text are escaped the same way, so the result is
 *          pure ASCII.
 *   html - & < > " ' as &amp; &lt; &gt; &quot; &#39;; a newline as <br>; the
 *          template's own formatting (<b>, <i>, ...) is kept.
 *
 * Before it is filled, every template is sanitised (templates/sanitize.h):
 * an HTML or RTF template keeps only its formatting, whoever wrote it, so
 * no script, event handler, URL, field or object reaches a report. The
 * library's templates are already in that form and fill as they are.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written only
 * on success. THREAD SAFETY: may run on any thread at once. */
#ifndef RAPORTAI_TEMPLATES_FILL_H
#define RAPORTAI_TEMPLATES_FILL_H

#include "core/buf.h"
#include "core/sections.h"

#define REPORT_MAX_TEMPLATE_BYTES (1024u * 1024)    /* longer templates refused */
#define REPORT_MAX_OUTPUT_BYTES (32u * 1024 * 1024) /* a larger result is refused */

/* Fills template_content (UTF-8, at most REPORT_MAX_TEMPLATE_BYTES) of
 * format "txt", "rtf" or "html" (any case) with the sections of s: every
 * occurrence of {{BULGULAR}}, {{SONUC}}, {{IZLENIM}}, {{TEKNIK}}, {{KLINIK}}
 * and {{KARSILASTIRMA}} (and, in RTF, the escaped \{\{BULGULAR\}\} that word
 * processors write for typed braces) is replaced by that section's encoded
 * text, or by nothing when the section is absent. Any other {{X}} is left as
 * it is. The template is sanitised, then read once, left to right, so text
 * put in is never read again as a placeholder. *out (caller frees) is the
 * filled template.
 * Errors: RA_ERR_INVALID (NULL template, format or out; unknown format; a
 * template or section text that is not UTF-8), RA_ERR_TOO_LARGE (template
 * over its maximum, result over REPORT_MAX_OUTPUT_BYTES), RA_ERR_NOMEM.
 * s NULL counts as no sections. */
int report_fill(const char *template_content, const char *format, const report_sections *s,
                char **out);

/* The plain report: each section that has text, in report order (clinical
 * information, technique, comparison, findings, conclusion, impression), as
 * "TITLE:\nText", sections separated by one blank line, no newline at the
 * end; titles from report_section_title in lang. "" when every section is
 * empty. *out (caller frees). Errors: RA_ERR_INVALID (NULL out, text that is
 * not UTF-8), RA_ERR_TOO_LARGE, RA_ERR_NOMEM. */
int report_render_text(const report_sections *s, const char *lang, char **out);

/* The same report as HTML: "<p><b>TITLE:</b><br>Text</p>" per section, text
 * escaped as for an html template (newlines as <br>), paragraphs separated
 * by a newline. Same errors as report_render_text. */
int report_render_html(const report_sections *s, const char *lang, char **out);

/* The templates an exam's report may take, in the order they win
 * (docs/templates.md): one sent with the exam (custom), else the user's or
 * the organization's own template or the library's for the exam (matched),
 * else none. Every pointer is borrowed and may be NULL. */
typedef struct report_template_choice {
    const char *custom_content, *custom_format;   /* "txt", "rtf" or "html" */
    const char *matched_content, *matched_format; /* "txt", "rtf" or "html" */
} report_template_choice;

/* An exam's report as the poll response shows it. */
typedef struct report_rendered {
    const char *template_used; /* "custom", "matched" or "default" (static) */
    char *text;                /* reportText (caller frees) */
    char *html;                /* reportHtml (caller frees) */
    char *filled;              /* filledTemplate: the custom template filled, else NULL
                                  (caller frees) */
} report_rendered;

/* Renders an exam's sections with the templates of choice. First sec is
 * fitted to the template that decides where conclusion and impression go
 * (the custom one, else the matched one): when it has a place for only one
 * of the two, the other's text joins it (the guide pairs "{{SONUC}} —
 * Conclusion / impression") instead of being lost. The matched template is
 * then used only if it has a place for every section with text (else the
 * plain report loses nothing): a TXT one shapes the text, an HTML one the
 * HTML; the others are report_render_text and report_render_html in lang.
 * Both templates are sanitised first, so the placeholders counted are
 * those that will be filled. sec is changed by the fitting and stays the
 * caller's. On error nothing is written to *out. Errors as report_fill. */
int report_render_exam(const report_template_choice *choice, report_sections *sec, const char *lang,
                       report_rendered *out);

/* Appends the n bytes of UTF-8 text at s (which must be valid UTF-8: check
 * with text_is_utf8 first) to b encoded for RTF exactly as a section's text
 * is put into an rtf template (see above): pure ASCII, \uN? escapes,
 * newlines as \par. Errors from buf_append (RA_ERR_TOO_LARGE, RA_ERR_NOMEM);
 * b may then hold part of the text. */
int report_rtf_encode(buf *b, const char *s, size_t n);

#endif

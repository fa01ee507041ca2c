/* sanitize.h - a template reduced to formatting: no active content may
 * reach a report from an HTML or RTF template, whoever wrote it (a
 * radiologist's own template, one sent with an External API job, an MRRT
 * import, the library). Templates are sanitised when they are saved (a
 * template that would lose something is refused, naming what) and again
 * every time they are filled (templates/fill.h), so one saved before these
 * rules, or sent with a job, is filled only after sanitising.
 *
 * HTML. libxml2's HTML parser reads the template as the content of <body>;
 * the result is written anew from the parsed tree (and parsed and written
 * again until it reads as written, since the parser moves a block out of a
 * paragraph that an unwrapped element had held inside it), so what comes
 * out is only what is allowed below, in one unambiguous form that
 * sanitises to itself: lowercase tags, every element closed (except the
 * void br, col and hr), attribute values in double quotes, & < > escaped
 * in text and & < > " in values.
 *   elements kept:   b i u strong em sub sup p br hr h1-h6 ul ol li span
 *                    div table caption colgroup col thead tbody tfoot tr th
 *                    td
 *   dropped with what they hold: script style iframe frame frameset object
 *                    applet noscript noembed noframes template svg math
 *                    textarea select option title head xmp plaintext canvas
 *                    audio video img input button meta link base param
 *   any other element (a, font, form, embed, center, ...) loses its tags
 *                    and keeps its content, which is sanitised the same way;
 *   attributes kept: class (letters, digits, '_', '-', spaces), lang,
 *                    dir (ltr rtl auto), align (left center right justify),
 *                    valign (top middle bottom baseline), colspan, rowspan
 *                    and span (1 to 3 digits), width (1 to 4 digits, an
 *                    optional %), border, cellpadding and cellspacing (1 or
 *                    2 digits), scope (row col rowgroup colgroup); any
 *                    other attribute (on..., style, href, src, ...) and an
 *                    allowed one with any other value is dropped. So no
 *                    URL of any scheme can remain;
 *   comments and processing instructions are dropped (CDATA markup is not
 *   HTML: "<![CDATA[" comes out as text); markup nested more than about
 *   250 levels deep is cut off there, and what follows it with it.
 * Placeholders come out unchanged: a brace written as a brace stays one,
 * while one written as a character reference (&#123;, as the MRRT import
 * writes braces that are not placeholders) is written &#123; (&#125;), so
 * sanitising never makes a placeholder out of text. Text is UTF-8 as read;
 * entities such as &nbsp; come out as the characters they stand for. The
 * library's HTML templates and the MRRT import's output are already in
 * this form and come out byte for byte as they went in.
 *
 * RTF. Read token by token (groups, control words, control symbols, text)
 * and written back as it was, less what is not allowed:
 *   control words kept: formatting and layout (character, paragraph,
 *     section, table and document words such as \b \i \ul \par \pard \f
 *     \fs \cf \qc \ql \qr \tab \line \trowd \cellx \cell \row \u \uc), and
 *     the destinations \rtf \fonttbl \colortbl \stylesheet \info (with its
 *     fields), headers and footers, and the ignorable \*\generator
 *     \*\panose \*\falt \*\defchp \*\defpap \*\rsidtbl \*\pn
 *     \*\nesttableprops; sanitize.c holds the lists;
 *   control symbols kept: \\ \{ \} \~ \- \_ \| \: \'hh and \ before a line
 *     break;
 *   a group that is an ignorable destination (\*\...) not listed above, or
 *     whose content is a field, object, picture, shape, binary data or
 *     remote template (\field \fldinst \fldrslt \object \objdata \pict
 *     \shp \bin \result \template ...), is dropped with all it holds (in
 *     the outermost group, unless the word opens it, only the word itself
 *     is); \binN drops its N bytes of data;
 *   any other control word or symbol is dropped by itself, as RTF readers
 *     skip the words they do not know; so is an unmatched }.
 *   Where something is dropped right after a control word, a space ends
 *   the word, so what follows cannot join it ("\b{\pict ...}old" gives
 *   "\b old", never "\bold").
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); *out is written only on
 * success. THREAD SAFETY: any thread, once catalog_init() has initialised
 * libxml2. */
#ifndef RAPORTAI_TEMPLATES_SANITIZE_H
#define RAPORTAI_TEMPLATES_SANITIZE_H

#include <stddef.h>

#define TMPL_SANITIZE_MAX_BYTES (2u * 1024 * 1024)         /* a larger template is refused */
#define TMPL_SANITIZE_MAX_OUTPUT_BYTES (32u * 1024 * 1024) /* a larger result is refused */

/* Sanitises content (UTF-8, at most TMPL_SANITIZE_MAX_BYTES) of format
 * "txt", "rtf" or "html" (any case) as described above: *out (caller frees)
 * is the sanitised template; a TXT template, which is text and carries no
 * markup, is copied as it is. removed (may be NULL when removedlen is 0)
 * receives "" when nothing was removed, else what was, one distinct item
 * after another in the order met: "element <script> is not allowed;
 * attribute onclick is not allowed", ending "; and more" when they do not
 * all fit. Errors: RA_ERR_INVALID (NULL content or out, an unknown format,
 * text that is not UTF-8), RA_ERR_TOO_LARGE, RA_ERR_NOMEM. */
int tmpl_sanitize(const char *content, const char *format, char **out, char *removed,
                  size_t removedlen);

#endif

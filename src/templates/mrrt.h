/* mrrt.h - importing report templates written in the IHE MRRT form
 * (Management of Radiology Report Templates), the form in which RSNA's
 * RadReport library publishes its templates.
 *
 * An MRRT template is an HTML5 document: <head> holds the Dublin Core
 * metadata (<meta name="dcterms.title" ...>, dcterms.language, ...) and, in
 * <script type="text/xml">, the <template_attributes> with coded terms
 * (<term type="modality"><code meaning="computed tomography" .../></term>);
 * <body> holds the report as <section data-section-name="Findings"> elements
 * (optionally inside a <template> element), each with a <header> and
 * fields: <input>, <textarea> and <select> with their <label>s.
 *
 * mrrt_convert turns one into our own template: HTML with the product
 * guide's placeholders. A top-level section whose name is one of the report
 * sections (below) gets that placeholder in place of its first <textarea>,
 * or at its end when it has none; the other sections, nested sections and
 * every other field are kept as template text: a label as its text, an
 * input as its value ("___" when empty), a select as its selected option,
 * a checkbox or radio button as "[x]" or "[ ]". Text outside sections is
 * dropped, and so are scripts, styles, images and links' targets.
 *
 *   section name (data-section-name, else the header's text; case- and
 *   accent-insensitive, or a longer name starting with one)  placeholder
 *   findings, observations, bulgular                        {{BULGULAR}}
 *   conclusion, conclusions, summary, sonuc                 {{SONUC}}
 *   impression, impressions, izlenim                        {{IZLENIM}}
 *   technique, procedure, protocol, teknik                  {{TEKNIK}}
 *   clinical information, clinical history, history,
 *   indication(s), reason for exam, klinik bilgi            {{KLINIK}}
 *   comparison, comparisons, prior studies, karsilastirma   {{KARSILASTIRMA}}
 *
 * Each placeholder is given to the first section that names it. The
 * modality and body part are guessed with the SUT catalog's vocabulary
 * (catalog_infer_modality / catalog_infer_body_part) from the typed terms of
 * template_attributes, then the title, then every other term.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs written only on
 * success; err (may be NULL) receives one sentence for the user.
 *
 * THREAD SAFETY: any thread, once catalog_init() has initialised libxml2. */
#ifndef RAPORTAI_TEMPLATES_MRRT_H
#define RAPORTAI_TEMPLATES_MRRT_H

#include <stddef.h>

#define MRRT_MAX_BYTES (2u * 1024 * 1024)    /* a larger file is refused */
#define MRRT_MAX_CONTENT_BYTES (512u * 1024) /* a larger result is refused */

typedef struct mrrt_template {
    char *name;            /* display name (tmpl_normalize_name of the title) */
    char *language;        /* dcterms.language or <html lang>, two letters; "en" when absent */
    char *modality;        /* guessed ("CT", "MR", ...), "" when no guess */
    char *body_part;       /* guessed ("chest", ...), "" when no guess */
    char *content;         /* the template, HTML with our placeholders */
    unsigned placeholders; /* TMPL_PH bits of content; never 0 */
} mrrt_template;

/* Converts the len bytes of an MRRT document at html (UTF-8, a leading BOM
 * allowed) into *out (release it with mrrt_template_release). Refuses, with
 * a sentence saying why: an empty input, over MRRT_MAX_BYTES
 * (RA_ERR_TOO_LARGE), a NUL byte or invalid UTF-8, a document without
 * <section> elements, one none of whose sections is a report section, and a
 * result over MRRT_MAX_CONTENT_BYTES (RA_ERR_TOO_LARGE): RA_ERR_FORMAT
 * otherwise; RA_ERR_NOMEM. */
int mrrt_convert(const char *html, size_t len, mrrt_template *out, char *err, size_t errlen);

/* The same for the file at path; RA_ERR_IO when it cannot be read, and the
 * error names the file. */
int mrrt_convert_file(const char *path, mrrt_template *out, char *err, size_t errlen);

/* Frees the strings of t and clears it; a cleared t is ignored. */
void mrrt_template_release(mrrt_template *t);

#endif

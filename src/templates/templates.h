/* templates.h - the built-in report template library and template names.
 *
 * The library is a folder (data/templates) with a manifest, manifest.tsv:
 * tab-separated, '#' comment lines and blank lines allowed, first other line
 * the header "file<TAB>name<TAB>modality<TAB>body_part<TAB>language", then one
 * template per line. file is relative to the folder (letters, digits, '.',
 * '-', '_' and '/'; no ".." or hidden parts); its extension gives the format:
 * .txt -> "txt", .rtf -> "rtf", .html/.htm -> "html". Template text is UTF-8
 * (RTF files pure ASCII, non-ASCII letters escaped as \uN?) and uses the
 * product guide's placeholders, {{BULGULAR}} and so on.
 *
 * NORMAL TEXT. Next to a template file X.txt (or X.rtf, X.html) an optional
 * sidecar X.normal gives the text of a normal report, per section: UTF-8
 * lines "KEY<TAB>text", KEY a placeholder name (BULGULAR SONUC IZLENIM
 * TEKNIK KLINIK KARSILASTIRMA: report_section_placeholder's); '#' comment
 * lines and blank lines are skipped, a trailing CR is dropped. The same key
 * on consecutive lines continues that section on a new line (joined with
 * "\n"); a key given again after another key is an error. The text is plain
 * (never RTF or HTML, whatever the template's format), without control
 * characters, and a key must be a placeholder the template uses.
 * tmpl.normal[sec] is that text for report section sec (core/sections.h),
 * whose placeholder bit is TMPL_PH(sec); NULL when the sidecar does not
 * give it.
 *
 * Placeholders are written "{{NAME}}". Library RTF files use the same bare
 * form (RTF reads it as two nested groups around the word, so an unfilled
 * placeholder shows as the word); tmpl_scan_placeholders also recognises the
 * escaped "\{\{NAME\}\}" that word processors write for typed braces in RTF.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs written only on
 * success; an err buffer (may be NULL) receives one operator sentence.
 *
 * THREAD SAFETY: a loaded library is immutable and may be read from any
 * number of threads at once; free it only when no reader is left. */
#ifndef RAPORTAI_TEMPLATES_TEMPLATES_H
#define RAPORTAI_TEMPLATES_TEMPLATES_H

#include <stddef.h>

#include "core/sections.h"

/* The placeholder bit of report section sec (core/sections.h, whose
 * report_section_placeholder names it): a template's placeholders are a
 * set of these. */
#define TMPL_PH(sec) (1u << (sec))
#define TMPL_PH_ALL (TMPL_PH(REPORT_SEC_COUNT) - 1u)

#define TMPL_MAX_FILE_BYTES (1024u * 1024) /* a template or the manifest */
#define TMPL_NAME_MAX_CHARS 100            /* characters in a template name */

typedef struct tmpl {
    char *id;                       /* stable slug from the file path, e.g. "tr-bt-beyin" */
    char *name;                     /* normalized (tmpl_normalize_name), unique in the library */
    char *modality;                 /* "CT", "MR", ... */
    char *body_part;                /* "brain", ... (catalog_infer_body_part's values) */
    char *language;                 /* "tr", "en" */
    char *format;                   /* "txt", "rtf" or "html" */
    char *content;                  /* the template text, valid UTF-8 */
    unsigned placeholders;          /* TMPL_PH bits the content uses; never 0 */
    char *normal[REPORT_SEC_COUNT]; /* normal text per section (X.normal), or NULL */
} tmpl;

typedef struct tmpl_library tmpl_library; /* opaque, immutable after load */

/* Loads the library in templates_dir (its manifest.tsv, the files it lists
 * and their .normal sidecars). Fails, naming the manifest line, on a
 * malformed line, a missing or unsafe file path, an unknown format, a file
 * over TMPL_MAX_FILE_BYTES, text that is not UTF-8, an RTF file that is not
 * pure ASCII RTF, a template without placeholders, a bad .normal sidecar
 * (naming its line too), or a duplicate id: RA_ERR_IO, RA_ERR_FORMAT,
 * RA_ERR_EXISTS (duplicate id), RA_ERR_TOO_LARGE, RA_ERR_NOMEM. Names that
 * collide are made unique as tmpl_unique_names does. *out is freed with
 * tmpl_library_free. */
int tmpl_library_load(const char *templates_dir, tmpl_library **out, char *err, size_t errlen);
/* Frees the library and every template in it; NULL is ignored. */
void tmpl_library_free(tmpl_library *lib);
size_t tmpl_library_count(const tmpl_library *lib);
/* The i-th template in manifest order, or NULL past the end. The pointer
 * lives as long as the library. */
const tmpl *tmpl_library_at(const tmpl_library *lib, size_t i);
/* The template with this id, or NULL. */
const tmpl *tmpl_library_find(const tmpl_library *lib, const char *id);

/* MATCHING. The library's template for an exam of this modality ("CT";
 * compared without case) and body part ("brain", exactly) in language lang
 * ("tr"): the first such entry in manifest order, or NULL when there is none
 * (or modality or body_part is NULL or empty). There is deliberately no
 * fallback to a template of another language: a template's headings and
 * fixed text (technique, BI-RADS legend) are in its own language, and a
 * Turkish report under English headings is worse than the default layout,
 * whose titles follow the output language. An organization's or user's own
 * template, when there is one, comes before the library's (the caller, e.g.
 * the job pipeline, asks the store first; see docs/templates.md). */
const tmpl *tmpl_library_match(const tmpl_library *lib, const char *modality, const char *body_part,
                               const char *lang);

/* The TMPL_PH bits of the placeholders content uses. Cannot fail. */
unsigned tmpl_scan_placeholders(const char *content);

/* Parses the text of a .normal sidecar (see NORMAL TEXT above) into
 * normal[REPORT_SEC_COUNT] (new strings, caller frees each; entries not
 * given stay NULL). allowed is the TMPL_PH bits a key may name. On failure
 * returns RA_ERR_FORMAT (or RA_ERR_NOMEM), why holds "line N: reason",
 * and normal[] is left all NULL. */
int tmpl_parse_normal(const char *text, size_t len, unsigned allowed,
                      char *normal[REPORT_SEC_COUNT], char *why, size_t whylen);

/* Makes a safe display name from a file name or user text: last path
 * component, without a .txt/.rtf/.html/.htm extension (any case), markup
 * (<...>) removed, control characters and invalid UTF-8 bytes turned into
 * spaces, the characters < > : " / \ | ? * { } dropped, whitespace runs
 * collapsed, trimmed, at most TMPL_NAME_MAX_CHARS characters, "Template" when
 * nothing is left. raw NULL counts as "". Returns a new string (caller
 * frees); NULL only when out of memory. */
char *tmpl_normalize_name(const char *raw);

/* Makes the n names unique, comparing them without case (Turkish-aware
 * lowercase, with dotted and dotless i read alike, so "BT BEYİN", "bt beyin"
 * and "BT BEYIN" collide). Names are taken in order: one that collides with
 * an earlier (final) name becomes "Name (k)" with the smallest k >= 2 whose
 * result collides with no earlier final name and no name originally in the
 * array; the name is shortened so the result stays within
 * TMPL_NAME_MAX_CHARS characters. Replaced strings are freed and the array
 * entries (malloc'd, non-NULL) replaced in place. Example: "Brain CT",
 * "brain ct", "Brain CT (2)" -> "Brain CT", "brain ct (3)", "Brain CT (2)".
 * RA_ERR_NOMEM when memory runs out; entries renamed before that stay
 * renamed and every entry is still a valid string. */
int tmpl_unique_names(char **names, size_t n);

#endif

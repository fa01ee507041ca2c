/* export.h - a saved report as a file to download: plain text (TXT), Rich
 * Text (RTF), Word (DOCX) or PDF. Owns the cairo and pango calls (PDF) and
 * the DOCX package; the API handler of GET /api/v1/reports/{id}/export calls
 * export_render and sends the bytes with export_content_type.
 *
 * Every format holds the same document, in the report's language:
 *   header    - the organization's name (when there is one), the exam name,
 *               then one "Label: value" line each for SUT code, modality,
 *               patient name, patient id, accession number and date; a
 *               field with no text is left out;
 *   sections  - clinical information, technique, comparison, findings,
 *               conclusion, impression, in that order (report_reading_order
 *               of core/sections.h), each as a bold heading
 *               ("KLİNİK BİLGİ" / "CLINICAL INFORMATION", ...) and
 *               its text, a newline starting a new line or paragraph; a
 *               section with no text (NULL, "" or only white space) is left
 *               out;
 *   signature - "Raportör: <author>" / "Reporting radiologist: <author>", a
 *               line to sign on ("İmza" / "Signature") and the date; an
 *               empty author or date also leaves a line to write on.
 * The PDF is A4 in DejaVu Sans (fonts-dejavu-core), breaks pages by itself
 * (a heading is never left alone at a page's foot, the signature is never
 * split) and numbers them ("Sayfa 1 / 2" / "Page 1 of 2") beside the
 * patient's name and id; its metadata title is the exam name.
 *
 * Language: Turkish labels for "tr" (also "tr-TR", "TR", ...), English for
 * anything else, including NULL.
 * Date: an ISO 8601 UTC time ("2026-11-28T10:15:00Z", fractions and a
 * "+00:00" offset allowed) is shown as "28.11.2026 10:15 UTC" in Turkish and
 * "2026-11-28 10:15 UTC" in English, a bare "2026-11-28" as "28.11.2026" /
 * "2026-11-28"; any other text is shown as it is.
 * Text: every field is UTF-8; NULL counts as "". Carriage returns (CR LF, a
 * lone CR) become newlines, other control characters (except tab) and
 * U+FFFE/U+FFFF are dropped, leading and trailing white space is trimmed,
 * and in the header's one-line fields a newline or tab becomes a space.
 * Error sentences name the field, never its text (patient data stays out of
 * logs).
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written only
 * on success.
 * THREAD SAFETY: every function may run on any thread at once. A PDF is laid
 * out with its own pango font map, created and freed inside the call, so
 * concurrent renders share nothing but fontconfig's and cairo's internal
 * (locked) caches, which live for the whole process. */
#ifndef RAPORTAI_EXPORT_EXPORT_H
#define RAPORTAI_EXPORT_EXPORT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/sections.h"

#define EXPORT_MAX_INPUT_BYTES (4u * 1024 * 1024) /* all fields together; more refused */

/* A saved report, as the caller holds it: every pointer is borrowed for the
 * call only and may be NULL (counts as ""). */
typedef struct export_report {
    const char *exam_name;    /* "Beyin BT (kontrastsız)" */
    const char *sut_code;     /* "803910" */
    const char *modality;     /* "CT" */
    const char *patient_name; /* shown as given */
    const char *patient_id;
    const char *accession;                  /* accession number */
    const char *date;                       /* ISO 8601 UTC, see above */
    const char *author;                     /* the reporting radiologist's name */
    const char *organization;               /* "" for an individual's report */
    const char *language;                   /* "tr" or "en": decides every label */
    const char *sections[REPORT_SEC_COUNT]; /* indexed by report_section */
} export_report;

typedef enum export_format { EXPORT_TXT, EXPORT_RTF, EXPORT_DOCX, EXPORT_PDF } export_format;

/* The format named "txt", "rtf", "docx" or "pdf" (any case) into *out.
 * RA_ERR_INVALID for any other name or NULL; *out is then untouched. */
int export_format_parse(const char *name, export_format *out);

/* The file's media type for Content-Type: "text/plain; charset=utf-8",
 * "application/rtf", "application/vnd.openxmlformats-officedocument.
 * wordprocessingml.document" (one word) or "application/pdf". A static
 * string; "application/octet-stream" for a value out of range. */
const char *export_content_type(export_format f);

/* The file name extension without the dot: "txt", "rtf", "docx", "pdf". A
 * static string; "bin" for a value out of range. */
const char *export_extension(export_format f);

/* Renders report r as a file of format f and appends its bytes to out (an
 * empty out, the usual case, simply receives them; out's maximum caps the
 * file's size). TXT is UTF-8 with LF line ends and no byte order mark; RTF
 * is pure ASCII.
 * Errors: RA_ERR_INVALID (NULL r or out, f out of range, a field that is not
 * UTF-8), RA_ERR_TOO_LARGE (the fields together over EXPORT_MAX_INPUT_BYTES,
 * or the file over out's maximum), RA_ERR_NOMEM, RA_ERR_IO (libzip, cairo
 * or pango failed). On error err (when not NULL) holds a sentence saying why
 * and out is unchanged. */
int export_render(const export_report *r, export_format f, buf *out, char *err, size_t errlen);

#endif

/* facts.h - checks a written report against the dictation it came from: a
 * number, measurement or side (right, left, bilateral) in the report that
 * the dictation does not hold is a warning, so a structuring engine that
 * writes its own text (the `openai` engine) cannot slip an invented "12 mm"
 * or a swapped "left" past the radiologist unnoticed.
 *
 * What counts as a fact:
 *
 * - Numbers in digits, with "," or "." as decimal separator ("3,5" and
 *   "3.5" are the same number), with the unit that follows them or is
 *   attached ("12 mm", "12mm", "3,5 cm", "50%", "40 HU"); a unit after a
 *   chain of dimensions belongs to each ("12 x 8 mm": 12 mm and 8 mm).
 *   A number with a unit needs the same number with the same unit in the
 *   dictation; a number without one needs the number with any unit or none.
 * - Codes of letters and digits ("T2", "L4", "C5-C6", "S1"); a range
 *   "L4-5" is L4 and L5. Compared ignoring case.
 * - Laterality words, by meaning: right, left and bilateral, in tr, en, ru,
 *   az, fr and de ("sağ", "right", "правый", "droite", "rechts", ...). A
 *   side in the report needs that side in the dictation, in the
 *   dictation's own words (so a translation is checked too: "rechts" in a
 *   German report of a Turkish dictation needs "sağ"). Bilateral counts as
 *   both sides, and both sides count as bilateral.
 *
 * The dictation is read leniently, as a speech engine writes it: number
 * words ("twelve", "yirmi beş", "пять") count as their digits, a spoken
 * decimal ("two point five", "iki virgül beş") as the decimal number, a
 * letter before a number ("l four") as a code, and the rules engine's
 * rendering of the dictation (structuring/structure.h) is read as well. The
 * report is read strictly.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written
 * only on success. THREAD SAFETY: every function may run on any thread at
 * once (the tables are read-only once built, under pthread_once). */
#ifndef RAPORTAI_STRUCTURING_FACTS_H
#define RAPORTAI_STRUCTURING_FACTS_H

#include <stddef.h>

#include "structuring/structure.h"

#define REPORT_WARNINGS_MAX 20     /* per report; more are counted, not kept */
#define REPORT_WARNING_TEXT_MAX 64 /* bytes of a warning's text, with the NUL */

#define REPORT_WARN_NUMBER "UNSUPPORTED_NUMBER"
#define REPORT_WARN_LATERALITY "UNSUPPORTED_LATERALITY"
#define REPORT_WARN_OTHER_EXAM "OTHER_EXAM_ANATOMY" /* structuring/anatomy.h */

/* One fact of the report that the dictation lacks. */
typedef struct report_warning {
    const char *code;                   /* REPORT_WARN_*; static */
    report_section section;             /* where the report has it */
    char text[REPORT_WARNING_TEXT_MAX]; /* as the report writes it: "12 mm",
                                           "T2", "left"; no tab or newline */
} report_warning;

typedef struct report_warnings {
    size_t n;    /* kept in item[] */
    size_t more; /* found beyond REPORT_WARNINGS_MAX */
    report_warning item[REPORT_WARNINGS_MAX];
} report_warnings;

/* Checks every section of report (written in report_lang) against
 * dictation (spoken in dictation_lang) and writes each unsupported fact to
 * *out (overwritten), once per section, in the order the report has them.
 * Language codes as report_lang_normalize reads them; an unknown language
 * is read with every table. Errors: RA_ERR_INVALID (NULL argument, text
 * that is not UTF-8), RA_ERR_TOO_LARGE (a text over
 * REPORT_MAX_TRANSCRIPT_BYTES), RA_ERR_NOMEM. */
int report_facts_check(const char *dictation, const char *dictation_lang,
                       const report_sections *report, const char *report_lang,
                       report_warnings *out);

/* Adds the warning (code a static string; the len bytes of text as shown,
 * cut on a character boundary to fit, tabs and line breaks as spaces) to
 * *w unless the same one is there; past REPORT_WARNINGS_MAX it is counted
 * in w->more. Cannot fail. */
void report_warnings_add(report_warnings *w, const char *code, report_section section,
                         const char *text, size_t len);

#endif

/* sections.h - the sections of a radiology report: which there are and in
 * which order, their keys, their headings in each report language, and one
 * report's texts (report_sections).
 *
 * This is the vocabulary every part that handles a report shares: the
 * templates (placeholders and filling), the structuring engines, the
 * exports, the job pipeline and the API. It sits in core so that each of
 * them can use it without depending on another.
 *
 * THREAD SAFETY: the tables are read-only; every function may run on any
 * thread at once. Only report_sections_release writes, to the struct it is
 * given. */
#ifndef RAPORTAI_CORE_SECTIONS_H
#define RAPORTAI_CORE_SECTIONS_H

/* The sections, in the same order as the TMPL_PH_* bits of
 * templates/templates.h: section sec has placeholder bit (1u << sec). */
typedef enum report_section {
    REPORT_SEC_BULGULAR,
    REPORT_SEC_SONUC,
    REPORT_SEC_IZLENIM,
    REPORT_SEC_TEKNIK,
    REPORT_SEC_KLINIK,
    REPORT_SEC_KARSILASTIRMA,
    REPORT_SEC_COUNT
} report_section;

/* One report's sections. Each text is NULL (absent) or a malloc'd, finished,
 * non-empty UTF-8 text owned by the struct; release with
 * report_sections_release. Zero-initialise before first use. */
typedef struct report_sections {
    char *text[REPORT_SEC_COUNT];
} report_sections;

/* Frees every text and sets them to NULL; NULL s is ignored. */
void report_sections_release(report_sections *s);

/* True when no section has text (NULL s counts as empty). Cannot fail. */
int report_sections_empty(const report_sections *s);

/* The web API's name of section sec ("findings", "conclusion",
 * "impression", "technique", "clinical", "comparison"); NULL out of range. */
const char *report_section_key(int sec);
/* The section named key (as above) in *sec; RA_ERR_INVALID for any other
 * key (and NULL). */
int report_section_from_key(const char *key, int *sec);

/* The section's heading in lang, uppercase, without colon: "BULGULAR" /
 * "FINDINGS" / "ОПИСАНИЕ" / "TAPINTILAR" / "RÉSULTATS" / "BEFUND", "SONUÇ"
 * / "CONCLUSION" / "ЗАКЛЮЧЕНИЕ" / "NƏTİCƏ" / "CONCLUSION" / "BEURTEILUNG",
 * and so on. lang is read as report_lang_normalize reads it ("tr", "TR",
 * "tr-TR", "de_DE"); English for a language we have no headings for (and
 * for NULL). NULL for a sec out of range. Returns a static string. */
const char *report_section_title(report_section sec, const char *lang);

#endif

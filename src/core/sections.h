/* sections.h - the sections of a radiology report: the one table every part
 * that handles a report derives its sections from, and one report's texts
 * (report_sections).
 *
 * For each section the table gives its key (the web API's and the saved
 * reports' name, "findings"), its name in English prose for messages
 * ("clinical information"), its template placeholder ("BULGULAR" for
 * {{BULGULAR}}), its member in the openai engine's JSON answer
 * ("clinical_information"), and its heading in each report language
 * ("BULGULAR" / "FINDINGS" / ...). Two orders walk the sections besides
 * the enumeration's own: the order a report reads, and the order the
 * openai engine's schema lists them.
 *
 * Indexing: every array of REPORT_SEC_COUNT entries in the program
 * (report_sections.text, a template's normal texts, the stored sections of
 * an exam, an export's sections) is indexed by report_section; an order is
 * only a way to walk such an array.
 *
 * This is the vocabulary the templates (placeholders and filling), the
 * structuring engines, the exports, the store, the job pipeline and the API
 * share. It sits in core so that each of them can use it without depending
 * on another.
 *
 * THREAD SAFETY: the tables are read-only; every function may run on any
 * thread at once. Only report_sections_release writes, to the struct it is
 * given. */
#ifndef RAPORTAI_CORE_SECTIONS_H
#define RAPORTAI_CORE_SECTIONS_H

#include <stddef.h>

/* The sections. Section sec has template placeholder bit (1u << sec)
 * (TMPL_PH in templates/templates.h), and the store keeps its sections in
 * this order. */
typedef enum report_section {
    REPORT_SEC_BULGULAR,
    REPORT_SEC_SONUC,
    REPORT_SEC_IZLENIM,
    REPORT_SEC_TEKNIK,
    REPORT_SEC_KLINIK,
    REPORT_SEC_KARSILASTIRMA,
    REPORT_SEC_COUNT
} report_section;

/* The order a report reads: clinical information, technique, comparison,
 * findings, conclusion, impression. The plain report and its template-less
 * HTML, the exports, a saved revision's JSON and the per-organization
 * speech corpus follow it. */
extern const report_section report_reading_order[REPORT_SEC_COUNT];

/* The order the openai engine's schema lists its members and its prompt
 * names them: the reading order with impression before conclusion. */
extern const report_section report_answer_order[REPORT_SEC_COUNT];

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

/* The section's name in English prose, lowercase, for messages
 * ("findings", ..., "clinical information", "comparison"); NULL out of
 * range. */
const char *report_section_name(int sec);

/* The name of the section's template placeholder, without braces
 * ("BULGULAR", "SONUC", "IZLENIM", "TEKNIK", "KLINIK", "KARSILASTIRMA");
 * NULL out of range. */
const char *report_section_placeholder(int sec);
/* The section whose placeholder is the n bytes at name (exact, capitals)
 * in *sec; RA_ERR_INVALID for anything else (and NULL). */
int report_section_from_placeholder(const char *name, size_t n, int *sec);

/* The section's member in the openai engine's JSON answer ("findings",
 * "conclusion", "impression", "technique", "clinical_information",
 * "comparison"); NULL out of range. */
const char *report_section_member(int sec);

/* The section's heading in lang, uppercase, without colon: "BULGULAR" /
 * "FINDINGS" / "ОПИСАНИЕ" / "TAPINTILAR" / "RÉSULTATS" / "BEFUND", "SONUÇ"
 * / "CONCLUSION" / "ЗАКЛЮЧЕНИЕ" / "NƏTİCƏ" / "CONCLUSION" / "BEURTEILUNG",
 * and so on. lang is read as lang_index reads it ("tr", "TR", "tr-TR",
 * "de_DE"); English for any other language (and for NULL). NULL for a sec
 * out of range. Returns a static string. */
const char *report_section_title(report_section sec, const char *lang);

/* The other spellings of the section's heading that a report's plain text
 * is read by (the web app reads a report's text back into sections by its
 * headings: every language's, and these), '|' separated, uppercase:
 * headings without their accents ("SONUC", "KLINIK BILGI") and older or
 * shorter ones ("KLİNİK", "CLINICAL HISTORY"); "" when there are none, NULL
 * for a sec out of range. Returns a static string. */
const char *report_section_other_headings(int sec);

#endif

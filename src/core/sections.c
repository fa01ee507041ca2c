/* sections.c - the report's section table (see sections.h): one row per
 * section with its key, prose name, placeholder, answer member and
 * headings, the two orders that walk it, and releasing a report's texts. */
#include "core/sections.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/lang.h"

/* One row per section, indexed by report_section. titles[] follows
 * lang_codes (tr, en, ru, az, fr, de); a unit test checks that every
 * language has every heading. */
static const struct section_row {
    const char *key;                /* web API and saved reports */
    const char *name;               /* English prose, for messages */
    const char *placeholder;        /* {{...}} in templates */
    const char *member;             /* the openai engine's answer */
    const char *titles[LANG_COUNT]; /* headings, uppercase */
    const char *also;               /* other spellings read as its heading */
} section_rows[REPORT_SEC_COUNT] = {
    [REPORT_SEC_BULGULAR] = {"findings",
                             "findings",
                             "BULGULAR",
                             "findings",
                             {"BULGULAR", "FINDINGS", "ОПИСАНИЕ", "TAPINTILAR", "RÉSULTATS",
                              "BEFUND"},
                             ""},
    [REPORT_SEC_SONUC] = {"conclusion",
                          "conclusion",
                          "SONUC",
                          "conclusion",
                          {"SONUÇ", "CONCLUSION", "ЗАКЛЮЧЕНИЕ", "NƏTİCƏ", "CONCLUSION",
                           "BEURTEILUNG"},
                          "SONUC"},
    [REPORT_SEC_IZLENIM] = {"impression",
                            "impression",
                            "IZLENIM",
                            "impression",
                            {"İZLENİM", "IMPRESSION", "ВПЕЧАТЛЕНИЕ", "TƏƏSSÜRAT", "IMPRESSION",
                             "EINDRUCK"},
                            "IZLENIM"},
    [REPORT_SEC_TEKNIK] = {"technique",
                           "technique",
                           "TEKNIK",
                           "technique",
                           {"TEKNİK", "TECHNIQUE", "ТЕХНИКА", "TEXNİKA", "TECHNIQUE", "TECHNIK"},
                           "TEKNIK"},
    [REPORT_SEC_KLINIK] = {"clinical",
                           "clinical information",
                           "KLINIK",
                           "clinical_information",
                           {"KLİNİK BİLGİ", "CLINICAL INFORMATION", "КЛИНИЧЕСКИЕ ДАННЫЕ",
                            "KLİNİKİ MƏLUMAT", "RENSEIGNEMENTS CLINIQUES", "KLINISCHE ANGABEN"},
                           "KLINIK BILGI|KLİNİK|CLINICAL HISTORY"},
    [REPORT_SEC_KARSILASTIRMA] = {"comparison",
                                  "comparison",
                                  "KARSILASTIRMA",
                                  "comparison",
                                  {"KARŞILAŞTIRMA", "COMPARISON", "СРАВНЕНИЕ", "MÜQAYİSƏ",
                                   "COMPARAISON", "VERGLEICH"},
                                  "KARSILASTIRMA"},
};

const report_section report_reading_order[REPORT_SEC_COUNT] = {
    REPORT_SEC_KLINIK,   REPORT_SEC_TEKNIK, REPORT_SEC_KARSILASTIRMA,
    REPORT_SEC_BULGULAR, REPORT_SEC_SONUC,  REPORT_SEC_IZLENIM,
};

const report_section report_answer_order[REPORT_SEC_COUNT] = {
    REPORT_SEC_KLINIK,   REPORT_SEC_TEKNIK,  REPORT_SEC_KARSILASTIRMA,
    REPORT_SEC_BULGULAR, REPORT_SEC_IZLENIM, REPORT_SEC_SONUC,
};

void report_sections_release(report_sections *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < REPORT_SEC_COUNT; i++) {
        free(s->text[i]);
        s->text[i] = NULL;
    }
}

int report_sections_empty(const report_sections *s)
{
    for (int i = 0; s != NULL && i < REPORT_SEC_COUNT; i++) {
        if (s->text[i] != NULL && s->text[i][0] != '\0')
            return 0;
    }
    return 1;
}

/* The row of section sec, or NULL out of range. */
static const struct section_row *section_row(int sec)
{
    return sec >= 0 && sec < REPORT_SEC_COUNT ? &section_rows[sec] : NULL;
}

/* The section whose column field gives the n bytes at s, in *sec;
 * RA_ERR_INVALID when there is none (and for NULL s). */
static int section_find(const char *(*field)(int), const char *s, size_t n, int *sec)
{
    for (int i = 0; s != NULL && i < REPORT_SEC_COUNT; i++) {
        const char *known = field(i);
        if (strlen(known) == n && memcmp(known, s, n) == 0) {
            *sec = i;
            return RA_OK;
        }
    }
    return RA_ERR_INVALID;
}

const char *report_section_key(int sec)
{
    return section_row(sec) ? section_row(sec)->key : NULL;
}

int report_section_from_key(const char *key, int *sec)
{
    return section_find(report_section_key, key, key != NULL ? strlen(key) : 0, sec);
}

const char *report_section_name(int sec)
{
    return section_row(sec) ? section_row(sec)->name : NULL;
}

const char *report_section_placeholder(int sec)
{
    return section_row(sec) ? section_row(sec)->placeholder : NULL;
}

int report_section_from_placeholder(const char *name, size_t n, int *sec)
{
    return section_find(report_section_placeholder, name, n, sec);
}

const char *report_section_member(int sec)
{
    return section_row(sec) ? section_row(sec)->member : NULL;
}

const char *report_section_other_headings(int sec)
{
    return section_row(sec) ? section_row(sec)->also : NULL;
}

const char *report_section_title(report_section sec, const char *lang)
{
    const struct section_row *row = section_row((int)sec);
    int i = lang_index(lang);
    if (row == NULL)
        return NULL;
    return row->titles[i >= 0 ? i : LANG_EN];
}

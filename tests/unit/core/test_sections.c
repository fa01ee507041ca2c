/* test_sections.c - unit tests for src/core/sections: the sections' keys,
 * their headings in each language, and releasing a report's texts. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/sections.h"

Test(sections, keys_name_each_section_exactly)
{
    int sec = -1;
    cr_assert_eq(report_section_from_key("conclusion", &sec), RA_OK);
    cr_assert_eq(sec, REPORT_SEC_SONUC);
    cr_assert_eq(report_section_from_key("Conclusion", &sec), RA_ERR_INVALID);
    cr_assert_eq(report_section_from_key(NULL, &sec), RA_ERR_INVALID);
    cr_assert_str_eq(report_section_key(REPORT_SEC_KLINIK), "clinical");
    cr_assert_null(report_section_key(REPORT_SEC_COUNT));
}

Test(sections, titles_in_every_language_english_otherwise)
{
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "tr"), "BULGULAR");
    cr_assert_str_eq(report_section_title(REPORT_SEC_SONUC, "tr"), "SONUÇ");
    cr_assert_str_eq(report_section_title(REPORT_SEC_IZLENIM, "tr"), "İZLENİM");
    cr_assert_str_eq(report_section_title(REPORT_SEC_TEKNIK, "tr-TR"), "TEKNİK");
    cr_assert_str_eq(report_section_title(REPORT_SEC_KLINIK, "tr"), "KLİNİK BİLGİ");
    cr_assert_str_eq(report_section_title(REPORT_SEC_KARSILASTIRMA, "tr"), "KARŞILAŞTIRMA");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "en"), "FINDINGS");
    cr_assert_str_eq(report_section_title(REPORT_SEC_SONUC, "en"), "CONCLUSION");
    cr_assert_str_eq(report_section_title(REPORT_SEC_IZLENIM, "en"), "IMPRESSION");
    cr_assert_str_eq(report_section_title(REPORT_SEC_TEKNIK, "en"), "TECHNIQUE");
    cr_assert_str_eq(report_section_title(REPORT_SEC_KLINIK, "en"), "CLINICAL INFORMATION");
    cr_assert_str_eq(report_section_title(REPORT_SEC_KARSILASTIRMA, "en"), "COMPARISON");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "ru"), "ОПИСАНИЕ");
    cr_assert_str_eq(report_section_title(REPORT_SEC_SONUC, "ru"), "ЗАКЛЮЧЕНИЕ");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "az"), "TAPINTILAR");
    cr_assert_str_eq(report_section_title(REPORT_SEC_SONUC, "az"), "NƏTİCƏ");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "fr"), "RÉSULTATS");
    cr_assert_str_eq(report_section_title(REPORT_SEC_KLINIK, "fr"), "RENSEIGNEMENTS CLINIQUES");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "de"), "BEFUND");
    cr_assert_str_eq(report_section_title(REPORT_SEC_SONUC, "de-DE"), "BEURTEILUNG");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "xx"), "FINDINGS");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, NULL), "FINDINGS");
    /* The language is read as report_lang_normalize reads it. */
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "De"), "BEFUND");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "TR_tr"), "BULGULAR");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "tr-"), "FINDINGS");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, "tur"), "FINDINGS");
    cr_assert_str_eq(report_section_title(REPORT_SEC_BULGULAR, ""), "FINDINGS");
    cr_assert_null(report_section_title(REPORT_SEC_COUNT, "tr"));
    cr_assert_null(report_section_title((report_section)-1, "tr"));
}

Test(sections, release_frees_every_text_and_empty_reads_none)
{
    report_sections s = {{NULL}};
    cr_assert(report_sections_empty(&s));
    cr_assert(report_sections_empty(NULL));
    s.text[REPORT_SEC_TEKNIK] = strdup("");
    cr_assert(report_sections_empty(&s), "an empty text is no text");
    s.text[REPORT_SEC_IZLENIM] = strdup("Normal.");
    cr_assert(!report_sections_empty(&s));
    report_sections_release(&s);
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        cr_assert_null(s.text[i]);
    report_sections_release(NULL);
}

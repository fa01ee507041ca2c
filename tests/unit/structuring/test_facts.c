/* test_facts.c - unit tests of src/structuring/facts: numbers,
 * measurements, codes and sides of a report looked up in its dictation, in
 * the dictation's words (number words, spoken decimals, Turkish suffixes),
 * across languages for a translation, and the stored form of the warnings. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "structuring/facts.h"

/* Checks report text (all in findings) against dictation; returns the
 * warnings. */
static report_warnings check(const char *dictation, const char *dlang, const char *findings,
                             const char *rlang)
{
    report_sections s = {{NULL}};
    s.text[REPORT_SEC_BULGULAR] = (char *)findings;
    report_warnings w;
    memset(&w, 0x5a, sizeof w);
    int rc = report_facts_check(dictation, dlang, &s, rlang, &w);
    cr_assert_eq(rc, RA_OK, "rc %d", rc);
    return w;
}

/* The warnings' texts joined by "|", for one comparison. */
static void expect(const char *dictation, const char *dlang, const char *findings,
                   const char *rlang, const char *want)
{
    report_warnings w = check(dictation, dlang, findings, rlang);
    char got[1024] = "";
    size_t len = 0;
    for (size_t i = 0; i < w.n; i++)
        len += (size_t)snprintf(got + len, sizeof got - len, "%s%s", i ? "|" : "", w.item[i].text);
    cr_assert(strcmp(got, want) == 0, "report \"%s\" of \"%s\": expected \"%s\", got \"%s\"",
              findings, dictation, want, got);
}

Test(report_facts, the_same_measurements_pass)
{
    expect("lesion of 12 mm in segment 7", "en", "A 12 mm lesion in segment 7.", "en", "");
    expect("12 x 8 mm nodule", "en", "Nodule of 12 x 8 mm.", "en", "");
    expect("12x8mm nodule", "en", "Nodule of 12 x 8 mm.", "en", "");
    expect("3,5 cm kist", "tr", "3.5 cm kist.", "tr", "");
    expect("3.5 cm kist", "tr", "3,5 cm'lik kist.", "tr", "");
}

Test(report_facts, an_invented_measurement_is_flagged)
{
    expect("small nodule in the right lobe", "en", "A 12 mm nodule in the right lobe.", "en",
           "12 mm");
    report_warnings w = check("small nodule", "en", "A 12 mm nodule.", "en");
    cr_assert_eq(w.n, 1);
    cr_assert_str_eq(w.item[0].code, REPORT_WARN_NUMBER);
    cr_assert_eq(w.item[0].section, REPORT_SEC_BULGULAR);
    cr_assert_eq(w.more, 0);
}

Test(report_facts, a_changed_unit_or_number_is_flagged)
{
    expect("12 cm cyst", "en", "12 mm cyst.", "en", "12 mm");
    expect("12 x 8 mm", "en", "12 x 9 mm.", "en", "9 mm");
    expect("3,5 cm", "tr", "3,6 cm.", "tr", "3,6 cm");
    expect("lesion 12", "en", "Lesion 12 mm.", "en", "12 mm");
    expect("50 percent stenosis", "en", "50% stenosis, 70% elsewhere.", "en", "70%");
}

Test(report_facts, a_bare_number_needs_the_number_with_any_unit)
{
    expect("two lesions of 12 mm", "en", "12 lesions.", "en", "");
    expect("one lesion", "en", "3 lesions.", "en", "3");
}

Test(report_facts, number_words_and_spoken_decimals_count_as_digits)
{
    expect("twelve by eight millimeters nodule", "en", "12 x 8 mm nodule.", "en", "");
    expect("twenty five millimeters", "en", "25 mm.", "en", "");
    expect("two point five centimeters", "en", "2.5 cm.", "en", "");
    expect("yirmi beş milimetre", "tr", "25 mm.", "tr", "");
    expect("iki virgül beş santimetre kist", "tr", "2,5 cm kist.", "tr", "");
    expect("yüz yirmi hu", "tr", "120 HU.", "tr", "");
    expect("пять миллиметров", "ru", "5 мм.", "ru", "");
    expect("three lesions", "en", "3 lesions.", "en", "");
    /* "on" is ten in Turkish only */
    expect("lesion on the left", "en", "Lesion 10 on the left.", "en", "10");
}

Test(report_facts, codes_and_ranges)
{
    expect("disc herniation at l4 l5", "en", "Disc herniation at L4-L5.", "en", "");
    expect("herniation at L4-5", "en", "Herniation at L4-L5.", "en", "");
    expect("herniation at l four l five", "en", "Herniation at L4-L5.", "en", "");
    expect("hyperintense on t2", "en", "Hyperintense on T2 and T1.", "en", "T1");
    expect("disc at L4-L5", "en", "Disc at L5-S1.", "en", "S1");
    expect("L4'te bulging", "tr", "L4 düzeyinde bulging.", "tr", "");
}

Test(report_facts, an_invented_or_swapped_side_is_flagged)
{
    expect("nodule in the right lobe", "en", "Nodule in the left lobe.", "en", "left");
    expect("nodule in the lung", "en", "Nodule in the right lung.", "en", "right");
    expect("sağ böbrekte taş", "tr", "Sol böbrekte taş.", "tr", "Sol");
    expect("sağ böbrekte taş", "tr", "Sağ böbrekte taş.", "tr", "");
    expect("solunum artefaktı, sağlam kemik", "tr", "Solunum artefaktı, sağlam kemik.", "tr", "");
    expect("bilateral pleural effusion", "en", "Right and left pleural effusion.", "en", "");
    expect("right and left effusion", "en", "Bilateral effusion.", "en", "");
    expect("right effusion", "en", "Bilateral effusion.", "en", "Bilateral");
    expect("her iki böbrek normal", "tr", "Bilateral böbrekler normal.", "tr", "");
    expect("liver and spleen normal", "en", "Both the liver and the spleen are normal.", "en", "");
    expect("effusion", "en", "Effusion on both sides.", "en", "both sides");
    expect("böbrekler normal", "tr", "Her iki böbrek normal.", "tr", "Her iki");
}

Test(report_facts, a_translation_is_checked_by_meaning)
{
    expect("sağ böbrekte 12 mm taş", "tr", "A 12 mm stone in the right kidney.", "en", "");
    expect("sağ böbrekte 12 mm taş", "tr", "A 12 mm stone in the left kidney.", "en", "left");
    expect("sağ böbrekte taş", "tr", "Stein in der rechten Niere, 5 mm.", "de", "5 mm");
    expect("sağ böbrekte taş", "tr", "Камень в правой почке.", "ru", "");
    expect("sağ böbrekte taş", "tr", "Calcul du rein gauche.", "fr", "gauche");
    expect("правая почка", "ru", "Sağ böbrek.", "tr", "");
}

Test(report_facts, each_section_is_named_and_duplicates_are_kept_once)
{
    report_sections s = {{NULL}};
    s.text[REPORT_SEC_BULGULAR] = (char *)"12 mm nodule. Again 12 mm.";
    s.text[REPORT_SEC_SONUC] = (char *)"Left nodule of 12 mm.";
    report_warnings w;
    cr_assert_eq(report_facts_check("a nodule", "en", &s, "en", &w), RA_OK);
    cr_assert_eq(w.n, 3);
    cr_assert_eq(w.item[0].section, REPORT_SEC_BULGULAR);
    cr_assert_str_eq(w.item[0].text, "12 mm");
    cr_assert_eq(w.item[1].section, REPORT_SEC_SONUC);
    cr_assert_str_eq(w.item[1].code, REPORT_WARN_LATERALITY);
    cr_assert_str_eq(w.item[1].text, "Left");
    cr_assert_str_eq(w.item[2].text, "12 mm");
    cr_assert_eq(w.item[2].section, REPORT_SEC_SONUC);
    cr_assert_str_eq(w.item[0].code, REPORT_WARN_NUMBER);
    cr_assert_str_eq(w.item[2].code, REPORT_WARN_NUMBER);
    cr_assert_eq(w.more, 0);
}

Test(report_facts, many_warnings_are_counted_beyond_the_cap)
{
    char report[4096] = "";
    size_t len = 0;
    for (int i = 1; i <= REPORT_WARNINGS_MAX + 5; i++)
        len += (size_t)snprintf(report + len, sizeof report - len, "%d mm. ", 100 + i);
    report_warnings w = check("nothing measured", "en", report, "en");
    cr_assert_eq(w.n, REPORT_WARNINGS_MAX);
    cr_assert_eq(w.more, 5);
    cr_assert_str_eq(w.item[REPORT_WARNINGS_MAX - 1].text, "120 mm", "the first ones are kept");
}

Test(report_facts, a_supported_fact_is_no_warning)
{
    report_warnings w = check("12 mm", "en", "12 mm.", "en");
    cr_assert_eq(w.n, 0);
    cr_assert_eq(w.more, 0);
}

Test(report_facts, bad_input_is_refused_and_out_untouched)
{
    report_sections s = {{NULL}};
    report_warnings w = {.n = 7};
    cr_assert_eq(report_facts_check(NULL, "en", &s, "en", &w), RA_ERR_INVALID);
    cr_assert_eq(report_facts_check("x", "en", NULL, "en", &w), RA_ERR_INVALID);
    cr_assert_eq(report_facts_check("\xff", "en", &s, "en", &w), RA_ERR_INVALID);
    s.text[0] = (char *)"\xc3";
    cr_assert_eq(report_facts_check("x", "en", &s, "en", &w), RA_ERR_INVALID);
    cr_assert_eq(w.n, 7);
}

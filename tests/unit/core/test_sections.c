/* test_sections.c - unit tests for src/core/sections: the section table's
 * invariants (every section has a key, name, placeholder, answer member and
 * a heading in every language, each unique; the orders are permutations),
 * the lookups by key and placeholder, the headings in each language, and
 * releasing a report's texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/lang.h"
#include "core/sections.h"

typedef const char *(*section_text_fn)(int sec);

/* True when fn gives every section a non-empty text and no two the same. */
static int every_section_unique(section_text_fn fn)
{
    for (int i = 0; i < REPORT_SEC_COUNT; i++) {
        if (fn(i) == NULL || fn(i)[0] == '\0')
            return 0;
        for (int j = 0; j < i; j++)
            if (strcmp(fn(i), fn(j)) == 0)
                return 0;
    }
    return fn(-1) == NULL && fn(REPORT_SEC_COUNT) == NULL;
}

/* True when order holds every section exactly once. */
static int is_permutation(const report_section *order)
{
    unsigned seen = 0;
    for (int k = 0; k < REPORT_SEC_COUNT; k++) {
        if ((int)order[k] < 0 || order[k] >= REPORT_SEC_COUNT || (seen & (1u << order[k])))
            return 0;
        seen |= 1u << order[k];
    }
    return seen == (1u << REPORT_SEC_COUNT) - 1;
}

Test(sections, every_section_has_a_key_name_placeholder_and_member)
{
    cr_assert(every_section_unique(report_section_key));
    cr_assert(every_section_unique(report_section_name));
    cr_assert(every_section_unique(report_section_placeholder));
    cr_assert(every_section_unique(report_section_member));
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        const char *ph = report_section_placeholder(sec);
        cr_assert_eq(strspn(ph, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), strlen(ph),
                     "{{%s}}: a placeholder is ASCII capitals", ph);
        int back = -1;
        cr_assert_eq(report_section_from_key(report_section_key(sec), &back), RA_OK);
        cr_assert_eq(back, sec);
        cr_assert_eq(report_section_from_placeholder(ph, strlen(ph), &back), RA_OK);
        cr_assert_eq(back, sec);
    }
}

Test(sections, every_section_has_a_heading_in_every_language)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
            const char *title = report_section_title((report_section)sec, lang_codes[l]);
            cr_assert(title != NULL && title[0] != '\0', "%s: section %d", lang_codes[l], sec);
            for (int other = 0; other < sec; other++)
                cr_assert_str_neq(title, report_section_title((report_section)other, lang_codes[l]),
                                  "%s: two sections headed %s", lang_codes[l], title);
        }
    }
}

/* The section a heading (any language's, or another spelling) names, or -1;
 * fails the test when two sections share it. */
static int section_headed(const char *heading)
{
    int found = -1;
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        int here = 0;
        for (int l = 0; l < LANG_COUNT; l++)
            here |= strcmp(heading, report_section_title((report_section)sec, lang_codes[l])) == 0;
        const char *other = report_section_other_headings(sec);
        for (const char *p = other; *p != '\0';) {
            size_t n = strcspn(p, "|");
            here |= strlen(heading) == n && memcmp(p, heading, n) == 0;
            p += n + (p[n] == '|');
        }
        if (here) {
            cr_assert_eq(found, -1, "%s heads two sections", heading);
            found = sec;
        }
    }
    return found;
}

Test(sections, other_headings_name_one_section_each)
{
    cr_assert_str_eq(report_section_other_headings(REPORT_SEC_SONUC), "SONUC");
    cr_assert_str_eq(report_section_other_headings(REPORT_SEC_BULGULAR), "");
    cr_assert_null(report_section_other_headings(REPORT_SEC_COUNT));
    cr_assert_null(report_section_other_headings(-1));
    cr_assert_eq(section_headed("KLINIK BILGI"), REPORT_SEC_KLINIK);
    cr_assert_eq(section_headed("CLINICAL HISTORY"), REPORT_SEC_KLINIK);
    cr_assert_eq(section_headed("ОПИСАНИЕ"), REPORT_SEC_BULGULAR);
    cr_assert_eq(section_headed("NOTES"), -1);
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        const char *other = report_section_other_headings(sec);
        cr_assert_not_null(other);
        for (const char *p = other; *p != '\0';) {
            size_t n = strcspn(p, "|");
            char one[64];
            cr_assert(n > 0 && n < sizeof one, "section %d: an empty or long spelling", sec);
            snprintf(one, sizeof one, "%.*s", (int)n, p);
            cr_assert_eq(section_headed(one), sec, "%s", one);
            p += n + (p[n] == '|');
        }
        for (int l = 0; l < LANG_COUNT; l++)
            cr_assert_eq(section_headed(report_section_title((report_section)sec, lang_codes[l])),
                         sec);
    }
}

Test(sections, orders_are_permutations)
{
    cr_assert(is_permutation(report_reading_order));
    cr_assert(is_permutation(report_answer_order));
    cr_assert_eq(report_reading_order[0], REPORT_SEC_KLINIK);
    cr_assert_eq(report_reading_order[REPORT_SEC_COUNT - 1], REPORT_SEC_IZLENIM);
    cr_assert_eq(report_answer_order[REPORT_SEC_COUNT - 1], REPORT_SEC_SONUC,
                 "the openai schema lists impression before conclusion");
}

Test(sections, placeholders_and_members_by_name)
{
    int sec = -1;
    cr_assert_eq(report_section_from_placeholder("SONUCX", 5, &sec), RA_OK, "n bytes only");
    cr_assert_eq(sec, REPORT_SEC_SONUC);
    cr_assert_eq(report_section_from_placeholder("SONUC", 4, &sec), RA_ERR_INVALID);
    cr_assert_eq(report_section_from_placeholder("sonuc", 5, &sec), RA_ERR_INVALID);
    cr_assert_eq(report_section_from_placeholder(NULL, 0, &sec), RA_ERR_INVALID);
    cr_assert_str_eq(report_section_placeholder(REPORT_SEC_KARSILASTIRMA), "KARSILASTIRMA");
    cr_assert_str_eq(report_section_member(REPORT_SEC_KLINIK), "clinical_information");
    cr_assert_str_eq(report_section_name(REPORT_SEC_KLINIK), "clinical information");
}

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
    /* The language is read as lang_index reads it. */
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

/* test_macros.c - unit tests of src/structuring/macros and its use by the
 * structurer: the macro word in each language, built-in macros from the
 * library's normal text for the section they are spoken in, the exam's own
 * template and body-part choice, user > organization > built-in, longest
 * name wins, unknown names left as dictated, Turkish casing, layout of the
 * inserted text, and the refusals of report_macros_add. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "core/lang.h"
#include "structuring/macros.h"
#include "structuring/structure.h"
#include "templates/templates.h"

/* ---- a small library written for the tests --------------------------------------------- */

static char dir[TEMPDIR_LEN];
static tmpl_library *lib;
static report_macro_builtins *builtins; /* lib's, made once per test as the pipeline does */

static void put_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

#define TWO_SECTIONS "FINDINGS:\n{{BULGULAR}}\n\nCONCLUSION:\n{{SONUC}}\n"

static void setup(void)
{
    tempdir_make(dir, "macros");
    put_file("manifest.tsv", "file\tname\tmodality\tbody_part\tlanguage\n"
                             "bt-beyin.txt\tBT Beyin\tCT\tbrain\ttr\n"
                             "mr-beyin.txt\tMR Beyin\tMR\tbrain\ttr\n"
                             "mr-diz.txt\tDiz MR\tMR\tknee\ttr\n"
                             "ct-brain.txt\tBrain CT\tCT\tbrain\ten\n"
                             "xr-chest.txt\tChest X-ray\tXR\tchest\ten\n"
                             "kt-mozg.txt\tКТ головного мозга\tCT\tbrain\tru\n"
                             "bt-beyin-az.txt\tBeyin KT\tCT\tbrain\taz\n"
                             "tdm-genou.txt\tIRM genou\tMR\tknee\tfr\n"
                             "mrt-knie.txt\tMRT Knie\tMR\tknee\tde\n"
                             "us-batin.txt\tBatın USG\tUS\tabdomen\ttr\n");
    put_file("bt-beyin.txt", TWO_SECTIONS);
    put_file("bt-beyin.normal", "BULGULAR\tBT: beyin parankimi normaldir.\n"
                                "BULGULAR\tVentriküller normal genişliktedir.\n"
                                "SONUC\tNormal beyin BT.\n");
    put_file("mr-beyin.txt", TWO_SECTIONS);
    put_file("mr-beyin.normal", "BULGULAR\tMR: beyin normal.\nSONUC\tNormal beyin MR.\n");
    put_file("mr-diz.txt", "{{BULGULAR}}\n");
    put_file("mr-diz.normal", "BULGULAR\tDiz eklemi normaldir.\n");
    put_file("ct-brain.txt", TWO_SECTIONS);
    put_file("ct-brain.normal", "BULGULAR\tNo acute intracranial abnormality.\n"
                                "SONUC\tNormal CT of the brain.\n");
    put_file("xr-chest.txt", TWO_SECTIONS);
    put_file("xr-chest.normal", "BULGULAR\tThe lungs are clear.\n");
    put_file("kt-mozg.txt", TWO_SECTIONS);
    put_file("kt-mozg.normal", "BULGULAR\tВещество мозга без изменений.\n");
    put_file("bt-beyin-az.txt", TWO_SECTIONS);
    put_file("bt-beyin-az.normal", "BULGULAR\tBeyin parenximası normaldır.\n");
    put_file("tdm-genou.txt", TWO_SECTIONS);
    put_file("tdm-genou.normal", "BULGULAR\tGenou normal.\n");
    put_file("mrt-knie.txt", TWO_SECTIONS);
    put_file("mrt-knie.normal", "BULGULAR\tKniegelenk unauffällig.\n");
    put_file("us-batin.txt", "{{BULGULAR}}\n"); /* no normal text: no macro */
    char err[256] = "";
    int rc = tmpl_library_load(dir, &lib, err, sizeof err);
    cr_assert_eq(rc, RA_OK, "library: %s", err);
    cr_assert_eq(report_macro_builtins_new(lib, &builtins), RA_OK);
}

static void teardown(void)
{
    report_macro_builtins_free(builtins);
    tmpl_library_free(lib);
    tempdir_remove(dir);
}

TestSuite(report_macros, .init = setup, .fini = teardown);

static const tmpl *by_id(const char *id)
{
    const tmpl *t = tmpl_library_find(lib, id);
    cr_assert_not_null(t, "no template %s", id);
    return t;
}

/* A set for lang with the library's built-in macros and exam template
 * exam_id (NULL: none). */
static report_macro_set *new_set(const char *lang, const char *exam_id)
{
    report_macro_set *set = NULL;
    cr_assert_eq(report_macros_new(lang, &set), RA_OK, "set for %s", lang);
    report_macros_use_builtins(set, builtins, exam_id ? by_id(exam_id) : NULL, NULL);
    return set;
}

/* Structures in with set and checks findings and conclusion (NULL: none). */
static void expect2(const report_macro_set *set, const char *lang, const char *in,
                    const char *findings, const char *conclusion)
{
    report_sections s = {{NULL}};
    int rc = report_structure_macros(in, lang, set, &s);
    cr_assert_eq(rc, RA_OK, "rc %d for \"%s\"", rc, in);
    const char *want[2] = {findings, conclusion};
    for (int i = 0; i < 2; i++) {
        if (want[i] == NULL)
            cr_assert_null(s.text[i], "section %d: expected none, got \"%s\" (input \"%s\")", i,
                           s.text[i], in);
        else
            cr_assert(s.text[i] != NULL && strcmp(s.text[i], want[i]) == 0,
                      "section %d: expected \"%s\", got \"%s\" (input \"%s\")", i, want[i],
                      s.text[i] ? s.text[i] : "(null)", in);
    }
    report_sections_release(&s);
}

/* The text a spoken phrase (macro word included) inserts in section sec,
 * asked of report_macro_match directly; NULL when none. *used gets the
 * tokens taken. */
static const char *match(const report_macro_set *set, const char *phrase, int sec, size_t *used)
{
    static char folded[16][128];
    const char *words[16];
    size_t n = 0;
    char *f = report_macro_fold(phrase);
    cr_assert_not_null(f);
    for (const char *p = f; *p != '\0' && n < 16; n++) {
        size_t len = strcspn(p, " ");
        snprintf(folded[n], sizeof folded[n], "%.*s", (int)len, p);
        words[n] = folded[n];
        p += len + (p[len] == ' ');
    }
    free(f);
    const char *text = NULL;
    size_t u = 0;
    if (!report_macro_match(set, words, n, sec, &u, &text))
        return NULL;
    if (used != NULL)
        *used = u;
    return text;
}

#define BT_FINDINGS "BT: beyin parankimi normaldir.\nVentriküller normal genişliktedir."
#define MR_FINDINGS "MR: beyin normal."

/* ---- built-in macros: the library's normal text -------------------------------------------- */

Test(report_macros, turkish_normal_text_follows_the_section_it_is_spoken_in)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    expect2(set, "tr", "bulgular iki nokta makro normal beyin sonuç iki nokta makro normal beyin",
            BT_FINDINGS, "Normal beyin BT.");
    expect2(set, "tr", "sonuç iki nokta makro normal beyin bulgular iki nokta makro normal beyin",
            BT_FINDINGS, "Normal beyin BT.");
    report_macros_free(set);
}

Test(report_macros, before_any_heading_is_findings)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    expect2(set, "tr", "makro normal beyin", BT_FINDINGS, NULL);
    expect2(set, "tr", "makro normal beyin sonuç iki nokta akut patoloji yok", BT_FINDINGS,
            "Akut patoloji yok.");
    report_macros_free(set);
}

Test(report_macros, a_section_without_normal_text_leaves_the_words)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    cr_assert_null(match(set, "makro normal beyin", REPORT_SEC_IZLENIM, NULL));
    report_sections s = {{NULL}};
    cr_assert_eq(report_structure_macros("izlenim iki nokta makro normal beyin", "tr", set, &s),
                 RA_OK);
    cr_assert_str_eq(s.text[REPORT_SEC_IZLENIM], "Makro normal beyin.");
    report_sections_release(&s);
    /* The knee template has findings text only. */
    cr_assert_str_eq(match(set, "makro normal diz", REPORT_SEC_BULGULAR, NULL),
                     "Diz eklemi normaldir.");
    cr_assert_null(match(set, "makro normal diz", REPORT_SEC_SONUC, NULL));
    report_macros_free(set);
}

Test(report_macros, body_part_prefers_the_exam_then_its_modality_then_library_order)
{
    report_macro_set *set = new_set("tr", "mr-beyin");
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), MR_FINDINGS);
    report_macros_free(set);
    set = new_set("tr", "bt-beyin");
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS);
    report_macros_free(set);
    set = new_set("tr", "mr-diz"); /* an MR exam: the MR brain template */
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), MR_FINDINGS);
    report_macros_free(set);
    set = new_set("tr", NULL); /* no exam: the first brain template */
    cr_assert_str_eq(match(set, "makro normal kafa", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS);
    report_macros_free(set);
}

/* The built-in macros are made once and shared: sets of different exams
 * use them at the same time, each with its own exam's choice, and a set
 * moved to another exam, or to none, changes neither them nor the others. */
Test(report_macros, sets_share_the_built_in_macros_each_with_its_exam)
{
    report_macro_set *mr = new_set("tr", "mr-beyin");
    report_macro_set *bt = new_set("tr", "bt-beyin");
    cr_assert_str_eq(match(mr, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), MR_FINDINGS);
    cr_assert_str_eq(match(bt, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS);
    report_macros_use_builtins(mr, builtins, by_id("bt-beyin"), NULL);
    cr_assert_str_eq(match(mr, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS);
    report_macros_use_builtins(bt, builtins, by_id("mr-beyin"), NULL);
    cr_assert_str_eq(match(bt, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), MR_FINDINGS);
    cr_assert_str_eq(match(mr, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS,
                     "the other set's exam changed nothing here");
    report_macros_use_builtins(bt, NULL, NULL, NULL);
    cr_assert_null(match(bt, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), "none any more");
    cr_assert_str_eq(match(mr, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS);
    report_macros_free(bt);
    report_macros_free(mr);
    report_macro_builtins *none = NULL;
    cr_assert_eq(report_macro_builtins_new(NULL, &none), RA_ERR_INVALID);
    cr_assert_null(none);
}

Test(report_macros, a_template_by_its_name)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    size_t used = 0;
    cr_assert_str_eq(match(set, "makro normal mr beyin", REPORT_SEC_BULGULAR, &used), MR_FINDINGS);
    cr_assert_eq(used, 4);
    cr_assert_str_eq(match(set, "makro normal diz mr", REPORT_SEC_BULGULAR, NULL),
                     "Diz eklemi normaldir.");
    cr_assert_null(match(set, "makro normal", REPORT_SEC_BULGULAR, NULL),
                   "\"normal\" alone names nothing");
    /* A typed hyphen makes one token of two words. */
    expect2(set, "tr", "bulgular: makro normal bt-beyin", BT_FINDINGS, NULL);
    report_macros_free(set);
}

Test(report_macros, the_macro_word_and_body_parts_of_each_language)
{
    static const struct {
        const char *lang, *spoken, *want;
    } cases[] = {
        {"tr", "makro normal diz", "Diz eklemi normaldir."},
        {"tr", "MAKRO NORMAL BEYİN", BT_FINDINGS},
        {"en", "macro normal chest", "The lungs are clear."},
        {"en", "Macro Normal Brain", "No acute intracranial abnormality."},
        {"en", "macro normal head", "No acute intracranial abnormality."},
        {"ru", "макрос норма мозг", "Вещество мозга без изменений."},
        {"ru", "Макрос нормальный головной мозг", "Вещество мозга без изменений."},
        {"az", "makro normal beyin", "Beyin parenximası normaldır."},
        {"az", "Makro normal baş", "Beyin parenximası normaldır."},
        {"fr", "macro normal genou", "Genou normal."},
        {"fr", "Macro normale genou", "Genou normal."},
        {"de", "Makro normal Knie", "Kniegelenk unauffällig."},
        {"de-DE", "makro NORMAL knie", "Kniegelenk unauffällig."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        report_macro_set *set = new_set(cases[i].lang, NULL);
        const char *got = match(set, cases[i].spoken, REPORT_SEC_BULGULAR, NULL);
        cr_assert(got != NULL && strcmp(got, cases[i].want) == 0, "%s \"%s\": got \"%s\"",
                  cases[i].lang, cases[i].spoken, got ? got : "(none)");
        /* Another language's macro word is a plain word. */
        const char *other = strcmp(report_macro_word(cases[i].lang), "macro") == 0
                                ? "makro normal knee"
                                : "macro normal knee";
        cr_assert_null(match(set, other, REPORT_SEC_BULGULAR, NULL), "%s \"%s\"", cases[i].lang,
                       other);
        report_macros_free(set);
    }
}

Test(report_macros, whole_dictations_in_every_language_the_structurer_serves)
{
    static const struct {
        const char *lang, *in, *want;
    } cases[] = {
        {"tr", "bulgular iki nokta makro normal diz nokta", "Diz eklemi normaldir."},
        {"en", "findings colon macro normal chest period", "The lungs are clear."},
        {"en", "FINDINGS: Macro normal brain.", "No acute intracranial abnormality."},
        {"ru", "макрос норма мозг", "Вещество мозга без изменений."},
        {"az", "makro normal beyin", "Beyin parenximası normaldır."},
        {"fr", "macro normal genou", "Genou normal."},
        {"de", "Makro normal Knie", "Kniegelenk unauffällig."},
    };
    size_t served = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (report_lang_normalize(cases[i].lang) == NULL)
            continue; /* the structurer does not serve this language yet */
        served++;
        report_macro_set *set = new_set(cases[i].lang, NULL);
        expect2(set, cases[i].lang, cases[i].in, cases[i].want, NULL);
        report_macros_free(set);
    }
    cr_assert_geq(served, 3);
}

Test(report_macros, fallback_language_when_the_library_has_none_in_the_dictations)
{
    char dir2[TEMPDIR_LEN];
    tempdir_make(dir2, "macros2");
    char path[128];
    snprintf(path, sizeof path, "%s/manifest.tsv", dir2);
    FILE *f = fopen(path, "w");
    fputs("file\tname\tmodality\tbody_part\tlanguage\nc.txt\tChest CT\tCT\tchest\ten\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/c.txt", dir2);
    f = fopen(path, "w");
    fputs("{{BULGULAR}}", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/c.normal", dir2);
    f = fopen(path, "w");
    fputs("BULGULAR\tClear lungs.\n", f);
    fclose(f);
    tmpl_library *lib2 = NULL;
    cr_assert_eq(tmpl_library_load(dir2, &lib2, NULL, 0), RA_OK);
    report_macro_builtins *b2 = NULL;
    cr_assert_eq(report_macro_builtins_new(lib2, &b2), RA_OK);
    report_macro_set *set = NULL;
    cr_assert_eq(report_macros_new("fr", &set), RA_OK);
    report_macros_use_builtins(set, b2, NULL, NULL);
    cr_assert_null(match(set, "macro normal thorax", REPORT_SEC_BULGULAR, NULL));
    report_macros_use_builtins(set, b2, NULL, "en");
    cr_assert_str_eq(match(set, "macro normal thorax", REPORT_SEC_BULGULAR, NULL), "Clear lungs.",
                     "French words, the English template");
    report_macros_free(set);
    report_macro_builtins_free(b2);
    tmpl_library_free(lib2);
    tempdir_remove(dir2);
}

/* ---- user and organization macros ----------------------------------------------------------- */

Test(report_macros, longest_name_wins)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "normal", -1, "Kısa."), RA_OK);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_ORG, "diz", -1, "Diz."), RA_OK);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_ORG, "diz sağ", -1, "Sağ diz."), RA_OK);
    size_t used = 0;
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, &used), BT_FINDINGS,
                     "the built-in two-word name beats the user's one-word one");
    cr_assert_eq(used, 3);
    cr_assert_str_eq(match(set, "makro normal", REPORT_SEC_BULGULAR, &used), "Kısa.");
    cr_assert_null(match(set, "makro normal diz", REPORT_SEC_SONUC, NULL),
                   "the longest name has no conclusion text: nothing, not the shorter name");
    cr_assert_str_eq(match(set, "makro diz sağ", REPORT_SEC_BULGULAR, &used), "Sağ diz.");
    cr_assert_eq(used, 3);
    cr_assert_str_eq(match(set, "makro diz sol", REPORT_SEC_BULGULAR, &used), "Diz.");
    cr_assert_eq(used, 2);
    expect2(set, "tr", "bulgular iki nokta makro diz sol tarafta ödem yok",
            "Diz. Sol tarafta ödem yok.", NULL);
    report_macros_free(set);
}

Test(report_macros, user_beats_organization_beats_built_in)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), BT_FINDINGS);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_ORG, "Normal Beyin", -1, "Kurum metni."),
                 RA_OK);
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), "Kurum metni.");
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "normal beyin", -1, "Benim metnim."),
                 RA_OK);
    cr_assert_str_eq(match(set, "makro normal beyin", REPORT_SEC_BULGULAR, NULL), "Benim metnim.");
    report_macros_free(set);
}

Test(report_macros, a_section_text_beats_an_every_section_text_within_a_scope)
{
    report_macro_set *set = new_set("tr", NULL);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_ORG, "kontrol", -1, "Her yerde."), RA_OK);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_ORG, "kontrol", REPORT_SEC_SONUC, "Sonuçta."),
                 RA_OK);
    cr_assert_eq(
        report_macros_add(set, REPORT_MACRO_USER, "takip", REPORT_SEC_SONUC, "Kullanıcı sonucu."),
        RA_OK);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_ORG, "takip", -1, "Kurum takibi."), RA_OK);
    cr_assert_str_eq(match(set, "makro kontrol", REPORT_SEC_BULGULAR, NULL), "Her yerde.");
    cr_assert_str_eq(match(set, "makro kontrol", REPORT_SEC_SONUC, NULL), "Sonuçta.");
    cr_assert_str_eq(match(set, "makro takip", REPORT_SEC_SONUC, NULL), "Kullanıcı sonucu.");
    cr_assert_str_eq(match(set, "makro takip", REPORT_SEC_BULGULAR, NULL), "Kurum takibi.",
                     "the user's macro has no findings text: the organization's answers");
    expect2(set, "tr", "makro kontrol sonuç iki nokta makro kontrol", "Her yerde.", "Sonuçta.");
    report_macros_free(set);
}

Test(report_macros, unknown_names_are_left_as_dictated)
{
    report_macro_set *set = new_set("tr", "bt-beyin");
    expect2(set, "tr", "bulgular iki nokta hipofizde makro adenom izlendi nokta",
            "Hipofizde makro adenom izlendi.", NULL);
    expect2(set, "tr", "bulgular iki nokta lezyon yok makro", "Lezyon yok makro.", NULL);
    expect2(set, "tr", "bulgular iki nokta makro normal dizz nokta", "Makro normal dizz.", NULL);
    expect2(NULL, "tr", "bulgular iki nokta makro normal beyin", "Makro normal beyin.", NULL);
    report_macros_free(set);
}

Test(report_macros, turkish_casing_and_accents)
{
    report_macro_set *set = new_set("tr", NULL);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "İleri Kontrol Önerisi", -1,
                                   "Klinik korelasyon önerilir."),
                 RA_OK);
    static const char *const spoken[] = {
        "makro ileri kontrol önerisi",
        "MAKRO İLERİ KONTROL ÖNERİSİ",
        "Makro ILERI KONTROL ONERISI",
        "makro ıleri kontrol onerisi",
    };
    for (size_t i = 0; i < sizeof spoken / sizeof spoken[0]; i++)
        cr_assert_str_eq(match(set, spoken[i], REPORT_SEC_SONUC, NULL),
                         "Klinik korelasyon önerilir.", "\"%s\"", spoken[i]);
    expect2(set, "tr", "SONUÇ: MAKRO İLERİ KONTROL ÖNERİSİ", NULL, "Klinik korelasyon önerilir.");
    report_macros_free(set);
}

Test(report_macros, inserted_text_is_its_own_sentences)
{
    report_macro_set *set = new_set("tr", "mr-diz");
    expect2(set, "tr",
            "bulgular iki nokta sol frontalde lezyon yok makro normal diz sağda efüzyon yok nokta",
            "Sol frontalde lezyon yok. Diz eklemi normaldir. Sağda efüzyon yok.", NULL);
    expect2(set, "tr", "bulgular iki nokta lezyon yok virgül makro normal diz nokta",
            "Lezyon yok. Diz eklemi normaldir.", NULL);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "iki satır", -1,
                                   "  Satır bir.  \r\n\r\n\r\n\tSatır  iki  "),
                 RA_OK);
    expect2(set, "tr", "bulgular iki nokta makro iki satır", "Satır bir.\n\nSatır iki.", NULL);
    report_macros_free(set);
}

Test(report_macros, bad_macros_are_refused_and_change_nothing)
{
    report_macro_set *set = new_set("tr", NULL);
    char long_text[REPORT_MACRO_TEXT_MAX + 2];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_BUILTIN, "x", -1, "Y."), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "x", REPORT_SEC_COUNT, "Y."),
                 RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "x", -2, "Y."), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, " - ", -1, "Y."), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "a b c d e f g h i", -1, "Y."),
                 RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "x", -1, " \n\t "), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "x", -1, "\xff"), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "\xff", -1, "Y."), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "x", -1, long_text), RA_ERR_INVALID);
    cr_assert_eq(report_macros_add(NULL, REPORT_MACRO_USER, "x", -1, "Y."), RA_ERR_INVALID);
    cr_assert_null(match(set, "makro x", REPORT_SEC_BULGULAR, NULL));
    cr_assert_null(match(set, "makro a b c d e f g h i", REPORT_SEC_BULGULAR, NULL));
    cr_assert_eq(report_macros_add(set, REPORT_MACRO_USER, "a b c d e f g h", -1, "Sekiz."), RA_OK,
                 "eight words is the most");
    cr_assert_str_eq(match(set, "makro a b c d e f g h", REPORT_SEC_BULGULAR, NULL), "Sekiz.");
    report_macro_set *none = NULL;
    cr_assert_eq(report_macros_new("xx", &none), RA_ERR_INVALID);
    cr_assert_null(none);
    report_macros_free(set);
}

/* ---- names, words and listing --------------------------------------------------------------- */

Test(report_macros, folding_names_and_the_macro_word)
{
    char *f = report_macro_fold("  Normal  Diz-MR ");
    cr_assert_str_eq(f, "normal diz mr");
    free(f);
    f = report_macro_fold("BEYİN Işık");
    cr_assert_str_eq(f, "beyin isik");
    free(f);
    f = report_macro_fold("--");
    cr_assert_str_eq(f, "");
    free(f);
    cr_assert_null(report_macro_fold("\xff"));
    cr_assert_eq(report_macro_words("normal diz mr"), 3);
    cr_assert_eq(report_macro_words(""), 0);
    cr_assert(report_macro_has_macro_word("makro normal"));
    cr_assert(report_macro_has_macro_word("macro"));
    cr_assert(report_macro_has_macro_word("макрос x"));
    cr_assert(!report_macro_has_macro_word("makroadenom"));
    cr_assert(!report_macro_has_macro_word("normal makro"));
    cr_assert_str_eq(report_macro_word("TR-tr"), "makro");
    cr_assert_str_eq(report_macro_word("en_US"), "macro");
    cr_assert_str_eq(report_macro_word("ru"), "макрос");
    cr_assert_str_eq(report_macro_word("az"), "makro");
    cr_assert_str_eq(report_macro_word("fr"), "macro");
    cr_assert_str_eq(report_macro_word("de"), "makro");
    for (int i = 0; i < LANG_COUNT; i++) {
        /* every language of the registry has its words */
        cr_assert_not_null(report_macro_word(lang_codes[i]), "%s", lang_codes[i]);
        report_macro_set *set = NULL;
        cr_assert_eq(report_macros_new(lang_codes[i], &set), RA_OK, "%s", lang_codes[i]);
        report_macros_free(set);
    }
    cr_assert_null(report_macro_word("xx"));
    cr_assert_null(report_macro_word("tre"));
    cr_assert_null(report_macro_word(NULL));
}

struct listed {
    char spoken[16][256];
    const tmpl *t[16];
    size_t n;
};

static void collect(const char *spoken, const tmpl *t, void *ctx)
{
    struct listed *l = ctx;
    if (l->n < 16) {
        snprintf(l->spoken[l->n], sizeof l->spoken[l->n], "%s", spoken);
        l->t[l->n++] = t;
    }
}

Test(report_macros, listing_the_built_in_names)
{
    struct listed l = {.n = 0};
    report_macros_builtin_each(lib, "tr", collect, &l);
    cr_assert_eq(l.n, 6, "three Turkish templates with normal text, two names each: %zu", l.n);
    cr_assert_str_eq(l.spoken[0], "makro normal beyin");
    cr_assert_str_eq(l.spoken[1], "makro normal BT Beyin");
    cr_assert_str_eq(l.t[1]->id, "bt-beyin");
    cr_assert_str_eq(l.spoken[4], "makro normal diz");
    cr_assert_str_eq(l.spoken[5], "makro normal Diz MR");
    l.n = 0;
    report_macros_builtin_each(lib, "de", collect, &l);
    cr_assert_eq(l.n, 2);
    cr_assert_str_eq(l.spoken[0], "Makro normal Knie");
    l.n = 0;
    report_macros_builtin_each(lib, "xx", collect, &l);
    report_macros_builtin_each(NULL, "tr", collect, &l);
    cr_assert_eq(l.n, 0);
}

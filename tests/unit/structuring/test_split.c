/* test_split.c - unit tests of src/structuring/split: one dictation cut
 * into one part per exam by exam names, modality and body-part words,
 * accession numbers and spoken transitions, in Turkish and English and then
 * in all six languages (ordinals, "next exam", names); exams
 * dictated out of order; mentions of other exams that must not cut; and the
 * parts fed on to report_structure. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "structuring/split.h"
#include "structuring/structure.h"

#define MAXP 8

/* Splits in over the n exams and checks each part against want[i]: an
 * exam given text is placed, one given "" was not dictated (not one the
 * split is unsure of). */
static void expect_parts(const char *lang, const char *in, const report_exam_hint *ex, size_t n,
                         const char *const *want)
{
    char *parts[MAXP];
    report_split_outcome oc[MAXP];
    int rc = report_split(in, lang, ex, n, parts, oc);
    cr_assert_eq(rc, RA_OK, "rc %d", rc);
    for (size_t i = 0; i < n; i++) {
        cr_assert_not_null(parts[i]);
        cr_assert(strcmp(parts[i], want[i]) == 0, "part %zu: expected \"%s\", got \"%s\"", i,
                  want[i], parts[i]);
        cr_assert_eq(oc[i], want[i][0] ? REPORT_SPLIT_PLACED : REPORT_SPLIT_ABSENT,
                     "part %zu: outcome %d", i, oc[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
}

/* Splits in over the n exams and checks that the split is unsure of
 * exactly the exams of mask unsure (their parts ""), the others placed
 * with a part that holds want[i]. */
static void expect_unsure(const char *lang, const char *in, const report_exam_hint *ex, size_t n,
                          unsigned unsure, const char *const *want)
{
    char *parts[MAXP];
    report_split_outcome oc[MAXP];
    cr_assert_eq(report_split(in, lang, ex, n, parts, oc), RA_OK);
    for (size_t i = 0; i < n; i++) {
        if (unsure >> i & 1) {
            cr_assert_eq(oc[i], REPORT_SPLIT_UNSURE, "exam %zu: outcome %d, part \"%s\"", i, oc[i],
                         parts[i]);
            cr_assert_str_eq(parts[i], "");
        } else {
            cr_assert_eq(oc[i], REPORT_SPLIT_PLACED, "exam %zu: outcome %d", i, oc[i]);
            cr_assert(strstr(parts[i], want[i]) != NULL, "exam %zu: \"%s\" lacks \"%s\"", i,
                      parts[i], want[i]);
        }
        free(parts[i]);
    }
}

static const report_exam_hint brain_ct_lumbar_mr_tr[] = {
    {"Beyin BT", "CT", "brain", "ACC-2026-001", NULL},
    {"Lomber MR", "MR", "lumbar_spine", "ACC-2026-002", NULL},
};

Test(report_split, one_exam_takes_everything)
{
    report_exam_hint one = {"Beyin BT", NULL, NULL, NULL, NULL};
    const char *want[] = {"beyin bt bulgular normal lomber mr bulgular normal"};
    expect_parts("tr", "  beyin bt bulgular normal lomber mr bulgular normal \n", &one, 1, want);
    report_exam_hint none = {NULL, NULL, NULL, NULL, NULL};
    const char *empty[] = {""};
    expect_parts("en", "   ", &none, 1, empty);
}

Test(report_split, turkish_two_exams_in_order)
{
    const char *want[] = {
        "beyin bt bulgular iki nokta beyin parankimi normal nokta sonuç normal beyin bt nokta",
        "lomber mr bulgular iki nokta l4 l5 düzeyinde disk protrüzyonu nokta sonuç lomber disk "
        "hernisi nokta",
    };
    expect_parts("tr",
                 "beyin bt bulgular iki nokta beyin parankimi normal nokta sonuç normal beyin bt "
                 "nokta lomber mr bulgular iki nokta l4 l5 düzeyinde disk protrüzyonu nokta sonuç "
                 "lomber disk hernisi nokta",
                 brain_ct_lumbar_mr_tr, 2, want);
}

Test(report_split, exams_dictated_in_another_order)
{
    const char *want[] = {
        "beyin bt bulgular iki nokta akut patoloji yok nokta",
        "lomber mr bulgular iki nokta l4 l5 düzeyinde bulging nokta sonuç dejeneratif "
        "değişiklikler nokta",
    };
    expect_parts("tr",
                 "lomber mr bulgular iki nokta l4 l5 düzeyinde bulging nokta sonuç dejeneratif "
                 "değişiklikler nokta beyin bt bulgular iki nokta akut patoloji yok nokta",
                 brain_ct_lumbar_mr_tr, 2, want);
}

Test(report_split, turkish_transition_words_are_dropped)
{
    const char *want[] = {
        "beyin bt bulgular normal",
        "lomber mr bulgular iki nokta l4 l5 düzeyinde disk protrüzyonu nokta",
    };
    expect_parts("tr",
                 "lomber mr bulgular iki nokta l4 l5 düzeyinde disk protrüzyonu nokta ikinci "
                 "tetkik beyin bt bulgular normal",
                 brain_ct_lumbar_mr_tr, 2, want);
    /* Without a name after it, "diğer tetkik" goes to the exam not yet
     * dictated, and a colon right after the transition goes too. */
    const char *want2[] = {
        "beyin parankimi normal nokta",
        "l4 l5 düzeyinde bulging",
    };
    expect_parts("tr",
                 "beyin parankimi normal nokta diğer tetkik iki nokta l4 l5 düzeyinde bulging",
                 brain_ct_lumbar_mr_tr, 2, want2);
}

Test(report_split, english_next_exam)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", NULL, NULL, NULL, NULL},
        {"Lumbar Spine MR", NULL, NULL, NULL, NULL},
    };
    const char *want[] = {
        "findings the brain parenchyma is normal period impression normal period",
        "findings mild degenerative changes at l4 l5 period",
    };
    expect_parts("en",
                 "findings the brain parenchyma is normal period impression normal period next "
                 "exam colon findings mild degenerative changes at l4 l5 period",
                 ex, 2, want);
}

Test(report_split, english_of_the_forms_and_typed_text)
{
    static const report_exam_hint ex[] = {
        {"Lumbar Spine MR", "MR", "lumbar_spine", NULL, NULL},
        {"Brain CT", "CT", "brain", NULL, NULL},
    };
    const char *want[] = {
        "MRI of the lumbar spine: Mild disc bulge at L4-L5.",
        "CT of the brain: No acute hemorrhage.",
    };
    expect_parts("en",
                 "CT of the brain: No acute hemorrhage.\nMRI of the lumbar spine: Mild disc "
                 "bulge at L4-L5.",
                 ex, 2, want);
}

Test(report_split, accession_numbers)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", NULL, NULL, "ACC-2026-001", NULL},
        {"Brain MR", NULL, NULL, "ACC-2026-002", NULL},
    };
    const char *want[] = {
        "accession 2026 001 no acute hemorrhage",
        "accession 2026 002 no restricted diffusion period",
    };
    expect_parts("en",
                 "accession 2026 002 no restricted diffusion period accession 2026 001 no acute "
                 "hemorrhage",
                 ex, 2, want);
    const char *want2[] = {"ACC-2026-001 normal.", "ACC-2026-002 normal."};
    expect_parts("en", "ACC-2026-002 normal. ACC-2026-001 normal.", ex, 2, want2);
}

Test(report_split, an_earlier_exam_mentioned_does_not_cut)
{
    static const report_exam_hint ex[] = {
        {"Beyin BT", NULL, NULL, NULL, NULL},
        {"Beyin MR", NULL, NULL, NULL, NULL},
    };
    const char *want[] = {
        "",
        "beyin mr bulgular normal nokta önceki beyin bt ile karşılaştırıldığında değişiklik yok "
        "nokta",
    };
    expect_parts("tr",
                 "beyin mr bulgular normal nokta önceki beyin bt ile karşılaştırıldığında "
                 "değişiklik yok nokta",
                 ex, 2, want);
    static const report_exam_hint en[] = {
        {"Brain CT", NULL, NULL, NULL, NULL},
        {"Brain MRI", NULL, NULL, NULL, NULL},
    };
    const char *want_en[] = {
        "brain ct findings no hemorrhage period further evaluation with mri of the brain is "
        "recommended period",
        "",
    };
    expect_parts("en",
                 "brain ct findings no hemorrhage period further evaluation with mri of the brain "
                 "is recommended period",
                 en, 2, want_en);
}

Test(report_split, a_recommendation_does_not_cut)
{
    const char *want[] = {
        "beyin bt bulgular normal nokta mr ile korelasyon önerilir nokta",
        "",
    };
    expect_parts("tr", "beyin bt bulgular normal nokta mr ile korelasyon önerilir nokta",
                 brain_ct_lumbar_mr_tr, 2, want);
}

Test(report_split, body_words_alone_do_not_cut)
{
    /* Abdominal CT reports look at the lung bases: "akciğer" alone must not
     * move the text to the chest exam. */
    static const report_exam_hint ex[] = {
        {"Toraks BT", NULL, NULL, NULL, NULL},
        {"Abdomen BT", NULL, NULL, NULL, NULL},
    };
    const char *want[] = {
        "toraks bt bulgular akciğerlerde nodül yok nokta",
        "abdomen bt karaciğer normal nokta bazal akciğer kesitlerinde nodül izlenmedi nokta",
    };
    expect_parts("tr",
                 "toraks bt bulgular akciğerlerde nodül yok nokta abdomen bt karaciğer normal "
                 "nokta bazal akciğer kesitlerinde nodül izlenmedi nokta",
                 ex, 2, want);
}

Test(report_split, head_without_cue_goes_to_first_exam)
{
    const char *want[] = {
        "bulgular normal nokta",
        "lomber mr bulgular bulging",
    };
    expect_parts("tr", "bulgular normal nokta lomber mr bulgular bulging", brain_ct_lumbar_mr_tr, 2,
                 want);
}

Test(report_split, head_goes_to_the_exam_its_words_name)
{
    /* No cue before "beyin bt", but "lomber" and "disk" speak of the spine:
     * the head's body-part word votes for the lumbar exam. */
    const char *want[] = {
        "beyin bt bulgular normal",
        "bulgular lomber bölgede disk protrüzyonu nokta",
    };
    expect_parts("tr", "bulgular lomber bölgede disk protrüzyonu nokta beyin bt bulgular normal",
                 brain_ct_lumbar_mr_tr, 2, want);
}

Test(report_split, exam_not_found_is_empty)
{
    static const report_exam_hint ex[] = {
        {"Beyin BT", NULL, NULL, NULL, NULL},
        {"Diz MR", NULL, NULL, NULL, NULL},
        {"Lomber MR", NULL, NULL, NULL, NULL},
    };
    const char *want[] = {"beyin bt normal nokta", "", "lomber mr normal"};
    expect_parts("tr", "beyin bt normal nokta lomber mr normal", ex, 3, want);
}

Test(report_split, exam_dictated_in_two_pieces)
{
    const char *want[] = {
        "beyin bt bulgular normal nokta\nbeyin bt sonuç normal",
        "lomber mr bulgular bulging nokta",
    };
    expect_parts("tr",
                 "beyin bt bulgular normal nokta lomber mr bulgular bulging nokta beyin bt sonuç "
                 "normal",
                 brain_ct_lumbar_mr_tr, 2, want);
}

Test(report_split, modality_alone_at_sentence_start)
{
    const char *want[] = {
        "beyin parankimi normal nokta",
        "mr incelemede l4 l5 düzeyinde bulging izlendi",
    };
    expect_parts("tr", "beyin parankimi normal nokta mr incelemede l4 l5 düzeyinde bulging izlendi",
                 brain_ct_lumbar_mr_tr, 2, want);
    /* Mid-sentence it is only a word. */
    const char *want2[] = {"beyin parankimi normal mr gerekmez", ""};
    expect_parts("tr", "beyin parankimi normal mr gerekmez", brain_ct_lumbar_mr_tr, 2, want2);
}

Test(report_split, cut_moves_back_to_the_sentence_start)
{
    const char *want[] = {
        "beyin bt normal.",
        "Şimdi lomber mr: bulging.",
    };
    expect_parts("tr", "beyin bt normal. Şimdi lomber mr: bulging.", brain_ct_lumbar_mr_tr, 2,
                 want);
}

Test(report_split, ordinals_with_three_exams)
{
    static const report_exam_hint ex[] = {
        {"Toraks BT", NULL, NULL, NULL, NULL},
        {"Abdomen BT", NULL, NULL, NULL, NULL},
        {"Pelvis BT", NULL, NULL, NULL, NULL},
    };
    const char *want[] = {
        "akciğerler normal nokta",
        "karaciğer normal nokta",
        "mesane normal nokta",
    };
    expect_parts("tr",
                 "birinci tetkik akciğerler normal nokta üçüncü tetkik mesane normal nokta ikinci "
                 "tetkik karaciğer normal nokta",
                 ex, 3, want);
    static const report_exam_hint en[] = {
        {"Chest CT", NULL, NULL, NULL, NULL},
        {"Abdomen CT", NULL, NULL, NULL, NULL},
        {"Pelvis CT", NULL, NULL, NULL, NULL},
    };
    const char *want_en[] = {"lungs clear", "liver normal", "bladder normal"};
    expect_parts("en",
                 "exam number one lungs clear exam number three bladder normal second study "
                 "liver normal",
                 en, 3, want_en);
}

Test(report_split, hints_without_names)
{
    static const report_exam_hint ex[] = {
        {NULL, "US", "thyroid", NULL, NULL},
        {NULL, "XR", "chest", NULL, NULL},
    };
    const char *want[] = {
        "tiroid usg sağ lobda nodül",
        "akciğer grafisi normal nokta",
    };
    expect_parts("tr", "akciğer grafisi normal nokta tiroid usg sağ lobda nodül", ex, 2, want);
}

Test(report_split, names_infer_modality_and_body)
{
    static const report_exam_hint ex[] = {
        {"Tüm Batın USG", NULL, NULL, NULL, NULL},
        {"Akciğer Grafisi", NULL, NULL, NULL, NULL},
    };
    const char *want[] = {
        "Batın ultrasonunda karaciğer normal",
        "PA akciğer grafisinde sinüsler açık.",
    };
    expect_parts("tr", "PA akciğer grafisinde sinüsler açık. Batın ultrasonunda karaciğer normal",
                 ex, 2, want);
}

Test(report_split, split_then_structure)
{
    /* The PACS flow: one dictation, two exams, each part structured alone. */
    const char *dictation =
        "beyin bt bulgular iki nokta beyin parankiminde akut patoloji saptanmadı nokta sonuç "
        "normal beyin bt nokta ikinci tetkik lomber mr bulgular iki nokta l4 l5 düzeyinde "
        "bulging izlendi nokta sonuç iki nokta lomber spondiloz nokta";
    char *parts[2];
    report_split_outcome oc[2];
    cr_assert_eq(report_split(dictation, "tr", brain_ct_lumbar_mr_tr, 2, parts, oc), RA_OK);
    report_sections a = {{NULL}}, b = {{NULL}};
    cr_assert_eq(report_structure(parts[0], "tr", &a), RA_OK);
    cr_assert_eq(report_structure(parts[1], "tr", &b), RA_OK);
    cr_assert_str_eq(a.text[REPORT_SEC_BULGULAR], "Beyin parankiminde akut patoloji saptanmadı.");
    cr_assert_str_eq(a.text[REPORT_SEC_SONUC], "Normal beyin BT.");
    cr_assert_str_eq(b.text[REPORT_SEC_BULGULAR], "L4 L5 düzeyinde bulging izlendi.");
    cr_assert_str_eq(b.text[REPORT_SEC_SONUC], "Lomber spondiloz.");
    report_sections_release(&a);
    report_sections_release(&b);
    free(parts[0]);
    free(parts[1]);
}

Test(report_split, errors)
{
    char *parts[MAXP] = {NULL};
    report_split_outcome oc[MAXP];
    report_exam_hint ex[2] = {{"Beyin BT", NULL, NULL, NULL, NULL},
                              {"Lomber MR", NULL, NULL, NULL, NULL}};
    cr_assert_eq(report_split("x", "tr", ex, 0, parts, oc), RA_ERR_INVALID);
    cr_assert_eq(report_split("x", "tr", ex, REPORT_SPLIT_MAX_EXAMS + 1, parts, oc),
                 RA_ERR_INVALID);
    cr_assert_eq(report_split(NULL, "tr", ex, 2, parts, oc), RA_ERR_INVALID);
    cr_assert_eq(report_split("x", "xx", ex, 2, parts, oc), RA_ERR_INVALID);
    cr_assert_eq(report_split("x", "tr", NULL, 2, parts, oc), RA_ERR_INVALID);
    cr_assert_eq(report_split("x", "tr", ex, 2, NULL, oc), RA_ERR_INVALID);
    cr_assert_eq(report_split("x", "tr", ex, 2, parts, NULL), RA_ERR_INVALID);
    cr_assert_eq(report_split("bad \xC3\x28", "tr", ex, 2, parts, oc), RA_ERR_INVALID);
    ex[1].exam_name = "bad \xC3\x28";
    cr_assert_eq(report_split("x", "tr", ex, 2, parts, oc), RA_ERR_INVALID);
    cr_assert_null(parts[0]);
    size_t n = REPORT_MAX_TRANSCRIPT_BYTES + 1;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    cr_assert_eq(report_split(big, "tr", ex, 1, parts, oc), RA_ERR_TOO_LARGE);
    free(big);
}

Test(report_split, many_exams_and_a_large_transcript)
{
    /* 20 exams (the API's maximum) and a megabyte: bounded and complete. */
    report_exam_hint ex[20];
    for (int i = 0; i < 20; i++)
        ex[i] = (report_exam_hint){i % 2 ? "Lomber MR" : "Beyin BT", NULL, NULL, NULL, NULL};
    const char *chunk = "beyin bt normal nokta lomber mr normal nokta ";
    size_t clen = strlen(chunk), n = REPORT_MAX_TRANSCRIPT_BYTES / clen;
    char *big = malloc(n * clen + 1);
    cr_assert_not_null(big);
    for (size_t i = 0; i < n; i++)
        memcpy(big + i * clen, chunk, clen);
    big[n * clen] = '\0';
    char *parts[20];
    report_split_outcome oc[20];
    cr_assert_eq(report_split(big, "tr", ex, 20, parts, oc), RA_OK);
    size_t total = 0;
    for (int i = 0; i < 20; i++) {
        total += strlen(parts[i]);
        free(parts[i]);
    }
    cr_assert_gt(total, n * clen / 2);
    free(big);
}

Test(report_split, a_modality_word_ending_a_sentence_starts_its_exam)
{
    /* what a speech engine made of "... next exam lumbar mr. findings: ..." */
    const char *t = "brain ct findings colon no acute hemorrhage period to the are mr period "
                    "findings colon disc bulge at l4 l5 period";
    report_exam_hint exams[2] = {
        {.exam_name = "Brain CT", .modality = "CT", .body_part = "brain"},
        {.exam_name = "Lumbar MR", .modality = "MR", .body_part = "lumbar_spine"},
    };
    char *parts[2] = {0};
    report_split_outcome oc[2];
    cr_assert_eq(report_split(t, "en", exams, 2, parts, oc), RA_OK);
    cr_assert_not_null(strstr(parts[0], "hemorrhage"), "%s", parts[0]);
    cr_assert_null(strstr(parts[0], "l4"), "%s", parts[0]);
    cr_assert_not_null(strstr(parts[1], "disc bulge"), "%s", parts[1]);
    cr_assert_null(strstr(parts[1], "hemorrhage"), "%s", parts[1]);
    free(parts[0]);
    free(parts[1]);
}

/* ---- six languages ------------------------------------------------------ */

/* The catalog's exams (Turkish names, as the SUT list has them), whatever
 * the dictation's language. */
static const report_exam_hint brain_lumbar_chest[] = {
    {"Beyin BT", "CT", "brain", "ACC-1", NULL},
    {"Lomber MR", "MR", "lumbar_spine", "ACC-2", NULL},
    {"Akciğer Grafisi", "XR", "chest", "ACC-3", NULL},
};

/* The second and first exams dictated by ordinal, the third never named:
 * each ordinal takes its exam, transition words dropped, the third empty. */
static void expect_ordinals(const char *lang, const char *dictation, const char *first,
                            const char *second)
{
    const char *want[] = {first, second, ""};
    expect_parts(lang, dictation, brain_lumbar_chest, 3, want);
}

Test(report_split, ordinals_in_every_language_and_a_missing_exam)
{
    expect_ordinals("tr",
                    "ikinci tetkik bulgular fıtık nokta birinci tetkik iki nokta bulgular normal",
                    "bulgular normal", "bulgular fıtık nokta");
    expect_ordinals("en", "second exam findings hernia period first exam colon findings normal",
                    "findings normal", "findings hernia period");
    expect_ordinals("ru",
                    "второе исследование описание грыжа точка первое исследование двоеточие "
                    "описание норма",
                    "описание норма", "описание грыжа точка");
    expect_ordinals("az",
                    "ikinci müayinə tapıntılar yırtıq nöqtə birinci müayinə iki nöqtə tapıntılar "
                    "norma",
                    "tapıntılar norma", "tapıntılar yırtıq nöqtə");
    expect_ordinals("fr",
                    "deuxième examen résultats hernie point premier examen deux points résultats "
                    "normaux",
                    "résultats normaux", "résultats hernie point");
    expect_ordinals("de",
                    "zweite Untersuchung Befund Vorfall Punkt erste Untersuchung Doppelpunkt "
                    "Befund normal",
                    "Befund normal", "Befund Vorfall Punkt");
    /* Now the first is the one never named. */
    const char *want[] = {"", "fıtık", "yok nokta"};
    expect_parts("tr", "üçüncü tetkik yok nokta ikinci tetkik fıtık", brain_lumbar_chest, 3, want);
}

Test(report_split, next_exam_in_every_language)
{
    static const struct {
        const char *lang, *dictation, *first, *second;
    } cases[] = {
        {"tr", "bulgular normal nokta sonraki tetkik bulgular fıtık", "bulgular normal nokta",
         "bulgular fıtık"},
        {"en", "findings normal period next exam findings hernia", "findings normal period",
         "findings hernia"},
        {"ru", "описание норма точка следующее исследование описание грыжа", "описание норма точка",
         "описание грыжа"},
        {"az", "tapıntılar norma nöqtə növbəti müayinə tapıntılar yırtıq", "tapıntılar norma nöqtə",
         "tapıntılar yırtıq"},
        {"fr", "résultats normaux point l'examen suivant résultats hernie",
         "résultats normaux point", "résultats hernie"},
        {"de", "Befund normal Punkt nächste Untersuchung Befund Vorfall", "Befund normal Punkt",
         "Befund Vorfall"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *want[] = {cases[i].first, cases[i].second};
        expect_parts(cases[i].lang, cases[i].dictation, brain_ct_lumbar_mr_tr, 2, want);
    }
}

Test(report_split, exams_named_by_modality_and_body_in_any_order)
{
    /* Lumbar first, brain second; the chest X-ray is never mentioned. */
    static const struct {
        const char *lang, *lumbar, *brain;
    } cases[] = {
        {"tr", "lomber mr bulgular fıtık nokta", "beyin bt bulgular normal"},
        {"en", "mri of the lumbar spine findings hernia period", "ct of the brain findings normal"},
        {"ru", "мрт поясничного отдела описание грыжа точка", "кт головного мозга описание норма"},
        {"az", "bel mrt tapıntılar yırtıq nöqtə", "beyin kt tapıntılar norma"},
        {"fr", "IRM lombaire résultats hernie point", "scanner cérébral résultats normaux"},
        {"de", "MRT der LWS Befund Vorfall Punkt", "CT des Schädels Befund normal"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s %s", cases[i].lumbar, cases[i].brain);
        const char *want[] = {cases[i].brain, cases[i].lumbar, ""};
        expect_parts(cases[i].lang, text, brain_lumbar_chest, 3, want);
    }
}

Test(report_split, references_to_other_exams_in_every_language)
{
    static const struct {
        const char *lang, *text;
    } cases[] = {
        {"ru", "кт головного мозга описание норма точка по данным мрт без динамики"},
        {"fr", "scanner cérébral résultats normaux point un complément par IRM est recommandé"},
        {"de", "CT des Schädels Befund normal Punkt ergänzend MRT empfohlen"},
        {"az", "beyin kt tapıntılar norma nöqtə əvvəlki mrt ilə müqayisə edildi"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *want[] = {cases[i].text, ""};
        expect_parts(cases[i].lang, cases[i].text, brain_ct_lumbar_mr_tr, 2, want);
    }
}

Test(report_split, a_body_part_alone_names_an_exam_only_as_a_title)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"Knee MR", "MR", "knee", NULL, NULL},
    };
    const char *want[] = {"Brain: no bleed.", "Knee: normal menisci."};
    expect_parts("en", "Knee: normal menisci. Brain: no bleed.", ex, 2, want);
    const char *want2[] = {"", "knee normal menisci period"};
    expect_parts("en", "next exam knee normal menisci period", ex, 2, want2);
    const char *want3[] = {"diz iki nokta menisküsler normal nokta",
                           "beyin bt bulgular normal nokta"};
    static const report_exam_hint tr[] = {
        {"Diz MR", NULL, NULL, NULL, NULL},
        {"Beyin BT", NULL, NULL, NULL, NULL},
    };
    expect_parts("tr", "beyin bt bulgular normal nokta diz iki nokta menisküsler normal nokta", tr,
                 2, want3);
    /* Mid-sentence, or without a colon or sentence end, it is a word. */
    static const report_exam_hint ab[] = {
        {"Toraks BT", NULL, NULL, NULL, NULL},
        {"Abdomen BT", NULL, NULL, NULL, NULL},
    };
    const char *want4[] = {
        "", "abdomen bt bulgular karaciğer normal nokta akciğer bazalleri temiz nokta"};
    expect_parts("tr", "abdomen bt bulgular karaciğer normal nokta akciğer bazalleri temiz nokta",
                 ab, 2, want4);
}

Test(report_split, every_language_is_accepted)
{
    static const char *const langs[] = {"tr", "en", "ru", "az", "fr", "de", "de-DE", "RU"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        char *parts[2];
        report_split_outcome oc[2];
        cr_assert_eq(report_split("x", langs[i], brain_ct_lumbar_mr_tr, 2, parts, oc), RA_OK, "%s",
                     langs[i]);
        free(parts[0]);
        free(parts[1]);
    }
}

/* ---- evidence: text goes to an exam only when something says it is its -- */

static const report_exam_hint brain_lumbar_en[] = {
    {"Brain CT", "CT", "brain", NULL, NULL},
    {"Lumbar MR", "MR", "lumbar_spine", NULL, NULL},
};

Test(report_split, a_dictation_naming_no_exam_is_unsure)
{
    const char *none[] = {"", ""};
    /* Its words speak of the spine only, yet nothing names an exam. */
    expect_unsure("en",
                  "there is no acute hemorrhage impression normal lumbar spine there is a "
                  "disc herniation at l4 l5 impression disc herniation",
                  brain_lumbar_en, 2, 3u, none);
    /* One that opens speaking of one exam's anatomy is that exam's. */
    expect_parts("en", "No acute intracranial hemorrhage. Normal study.", brain_lumbar_en, 2,
                 (const char *const[]){"No acute intracranial hemorrhage. Normal study.", ""});
}

Test(report_split, a_missed_boundary_makes_both_exams_unsure)
{
    /* "lumbar spine" mid-run, no sentence mark and no heading after it: the
     * brain part would carry the lumbar findings. */
    const char *none[] = {"", ""};
    expect_unsure("en",
                  "head ct there is no acute hemorrhage impression normal head ct lumbar "
                  "spine there is a disc herniation at l4 l5 impression disc herniation",
                  brain_lumbar_en, 2, 3u, none);
}

Test(report_split, a_head_goes_to_the_one_exam_left)
{
    const char *want[] = {"No acute bleed. Normal study.",
                          "Lumbar spine MRI. Disc herniation at L4 L5."};
    expect_parts("en", "No acute bleed. Normal study. Lumbar spine MRI. Disc herniation at L4 L5.",
                 brain_lumbar_en, 2, want);
    /* A head that speaks of the exam named after it is that exam's. */
    const char *want2[] = {"", "Disc bulge at L3 L4. Lumbar spine MRI. Disc herniation at L4 L5."};
    expect_parts("en", "Disc bulge at L3 L4. Lumbar spine MRI. Disc herniation at L4 L5.",
                 brain_lumbar_en, 2, want2);
    /* Two exams left without a part: the head could be either's. */
    static const report_exam_hint three[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"Lumbar MR", "MR", "lumbar_spine", NULL, NULL},
        {"Knee MR", "MR", "knee", NULL, NULL},
    };
    expect_unsure("en", "No acute bleed. Normal study. Lumbar spine MRI. Disc herniation.", three,
                  3, 5u, (const char *const[]){"", "Disc herniation.", ""});
}

Test(report_split, a_preamble_goes_to_the_exam_whose_title_follows)
{
    const char *want[] = {"Brain CT. Normal.",
                          "Clinical information back pain. Lumbar spine MRI. Disc herniation."};
    expect_parts("en",
                 "Clinical information back pain. Lumbar spine MRI. Disc herniation. Next exam. "
                 "Brain CT. Normal.",
                 brain_lumbar_en, 2, want);
}

Test(report_split, a_body_part_title_survives_a_misheard_modality)
{
    const char *want[] = {"Brain CT. No bleed. Conclusion normal.",
                          "Lumbar is tear. Findings. Disc herniation at L4 L5."};
    expect_parts("en",
                 "Brain CT. No bleed. Conclusion normal. Lumbar is tear. Findings. Disc "
                 "herniation at L4 L5.",
                 brain_lumbar_en, 2, want);
    /* Without a heading after it, a short sentence opening with a body part
     * is a finding ("Lungs are clear."), not a title. */
    static const report_exam_hint ex[] = {
        {"Abdominal CT", "CT", "abdomen", NULL, NULL},
        {"Chest X-ray", "XR", "chest", NULL, NULL},
    };
    const char *want2[] = {"Abdominal CT. The liver is normal. Lungs are clear. Impression. No "
                           "acute abdominal process.",
                           "Chest X-ray. The heart is normal."};
    expect_parts("en",
                 "Abdominal CT. The liver is normal. Lungs are clear. Impression. No acute "
                 "abdominal process. Chest X-ray. The heart is normal.",
                 ex, 2, want2);
}

Test(report_split, a_title_in_a_run_before_a_heading_cuts)
{
    const char *want[] = {"brain ct findings no bleed conclusion no acute abnormality",
                          "lumbar spine findings disc herniation at l4 l5"};
    expect_parts("en",
                 "brain ct findings no bleed conclusion no acute abnormality lumbar spine "
                 "findings disc herniation at l4 l5",
                 brain_lumbar_en, 2, want);
    /* "the lumbar spine" is part of a sentence. */
    expect_unsure("en",
                  "brain ct findings no bleed conclusion normal the lumbar spine findings are "
                  "degenerative",
                  brain_lumbar_en, 2, 3u, (const char *const[]){"", ""});
}

Test(report_split, a_body_part_ending_a_sentence_before_a_heading_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"Chest CT", "CT", "chest", NULL, NULL},
        {"Abdominal CT", "CT", "abdomen", NULL, NULL},
        {"Brain MR", "MR", "brain", NULL, NULL},
    };
    /* "edema" heard as "abdomen": it ends a sentence it did not open, and
     * the heading after it opens the next. No cut there, so the impression
     * never reaches the abdominal exam; the brain report now speaks of the
     * abdomen, which has no dictation of its own, so both are unsure. */
    expect_unsure("en",
                  "Brain MRI. Findings. A lesion in the right occipital lobe with mild "
                  "surrounding abdomen. Impression. Solitary occipital lesion. Next exam. CT of "
                  "the chest. Findings. A cavitary mass in the right lower lobe.",
                  ex, 3, 6u,
                  (const char *const[]){"CT of the chest. Findings. A cavitary mass", "", ""});
}

Test(report_split, a_modality_belongs_to_the_title_it_is_closest_to)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"Chest CT", "CT", "chest", NULL, NULL},
    };
    /* "intracranial finding ct" is no title: "ct of the chest" is. */
    const char *want[] = {"head ct no acute intracranial finding",
                          "ct of the chest findings a mass in the left upper lobe"};
    expect_parts("en",
                 "head ct no acute intracranial finding ct of the chest findings a mass in the "
                 "left upper lobe",
                 ex, 2, want);
    /* "head ct" keeps its modality though a brain word follows it. */
    const char *want2[] = {"head ct no intracranial hemorrhage conclusion normal head",
                           "lumbar spine there is a disc herniation at l5 s1 conclusion disc "
                           "herniation"};
    expect_parts("en",
                 "lumbar spine there is a disc herniation at l5 s1 conclusion disc herniation "
                 "head ct no intracranial hemorrhage conclusion normal head",
                 brain_lumbar_en, 2, want2);
}

Test(report_split, synonyms_name_the_body_part)
{
    const char *want[] = {"Head CT. No bleed.", "L spine. Findings. Disc herniation at L4 L5."};
    expect_parts("en", "L spine. Findings. Disc herniation at L4 L5. Head CT. No bleed.",
                 brain_lumbar_en, 2, want);
}

Test(report_split, the_matched_template_name_names_the_exam)
{
    static const report_exam_hint ex[] = {
        {"Tetkik 7", NULL, NULL, NULL, "Knee MR"},
        {"Tetkik 8", NULL, NULL, NULL, "Shoulder MR"},
    };
    const char *want[] = {"knee mr torn meniscus", "shoulder mr intact cuff"};
    expect_parts("en", "shoulder mr intact cuff knee mr torn meniscus", ex, 2, want);
}

Test(report_split, another_exams_anatomy_in_a_part_is_checked)
{
    /* Any engine's split: a part holding the anatomy of an exam left without
     * a part, or more of another exam's anatomy than of its own, is doubted. */
    char *parts[2] = {strdup("No bleed. Disc herniation at L4 L5 with foraminal narrowing."),
                      strdup("")};
    report_split_outcome oc[2] = {REPORT_SPLIT_PLACED, REPORT_SPLIT_ABSENT};
    cr_assert_eq(report_split_verify("en", brain_lumbar_en, 2, parts, oc), RA_OK);
    cr_assert_eq(oc[0], REPORT_SPLIT_UNSURE);
    cr_assert_eq(oc[1], REPORT_SPLIT_UNSURE);
    cr_assert_str_eq(parts[0], "");
    free(parts[0]);
    free(parts[1]);
    char *p2[2] = {strdup("The ventricles are normal. Disc herniation at L4 L5, L5 S1."),
                   strdup("Disc bulge.")};
    report_split_outcome o2[2] = {REPORT_SPLIT_PLACED, REPORT_SPLIT_PLACED};
    cr_assert_eq(report_split_verify("en", brain_lumbar_en, 2, p2, o2), RA_OK);
    cr_assert_eq(o2[0], REPORT_SPLIT_UNSURE);
    cr_assert_eq(o2[1], REPORT_SPLIT_UNSURE);
    free(p2[0]);
    free(p2[1]);
    /* One passing mention, with the own anatomy more: no doubt. */
    char *p3[2] = {strdup("The ventricles and sulci are normal. No midline shift. Incidental "
                          "note of the cervical spine."),
                   strdup("Disc bulge at L4 L5.")};
    report_split_outcome o3[2] = {REPORT_SPLIT_PLACED, REPORT_SPLIT_PLACED};
    cr_assert_eq(report_split_verify("en", brain_lumbar_en, 2, p3, o3), RA_OK);
    cr_assert_eq(o3[0], REPORT_SPLIT_PLACED);
    cr_assert_eq(o3[1], REPORT_SPLIT_PLACED);
    cr_assert(strstr(p3[0], "ventricles") != NULL);
    free(p3[0]);
    free(p3[1]);
    cr_assert_eq(report_split_verify("xx", brain_lumbar_en, 2, p3, o3), RA_ERR_INVALID);
}

Test(report_split, an_ordinal_tells_apart_two_exams_of_one_body_part)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"Head CTA", "CT", "brain", NULL, NULL},
    };
    const char *want[] = {"Noncontrast head CT. No hemorrhage.",
                          "CT angiography of the head. Left MCA occlusion."};
    expect_parts("en",
                 "Noncontrast head CT. No hemorrhage. Now the second exam. CT angiography of the "
                 "head. Left MCA occlusion.",
                 ex, 2, want);
}

Test(report_split, a_title_may_open_with_a_side)
{
    static const report_exam_hint ex[] = {
        {"Knee MR", "MR", "knee", NULL, NULL},
        {"Shoulder MR", "MR", "shoulder", NULL, NULL},
    };
    const char *want[] = {"Right knee. There is a Baker cyst.",
                          "Left shoulder. The cuff is intact."};
    expect_parts("en", "Left shoulder. The cuff is intact. Right knee. There is a Baker cyst.", ex,
                 2, want);
    /* The word before a title in the sentence before it refers to nothing
     * ("... antérieur. Cheville gauche."). */
    static const report_exam_hint fr[] = {
        {"IRM du genou", "MR", "knee", NULL, NULL},
        {"IRM de la cheville", "MR", "extremity", NULL, NULL},
    };
    const char *want2[] = {"Genou droit. Rupture du ligament croisé antérieur.",
                           "Cheville gauche. Tendinopathie achilléenne."};
    expect_parts("fr",
                 "Genou droit. Rupture du ligament croisé antérieur. Cheville gauche. "
                 "Tendinopathie achilléenne.",
                 fr, 2, want2);
}

Test(report_split, a_heads_anatomy_outweighs_the_order_a_transition_implies)
{
    /* "Next exam" after a head implies the head was the first exam listed;
     * the head speaks of the lumbar spine, so it is the lumbar exam's. */
    const char *want[] = {"Normal study.", "Disc herniation at L4 L5."};
    expect_parts("en", "Disc herniation at L4 L5. Next exam. Normal study.", brain_lumbar_en, 2,
                 want);
}

Test(report_split, exams_of_one_body_part_are_checked_by_modality)
{
    static const report_exam_hint ex[] = {
        {"Mammography", "MG", "breast", NULL, NULL},
        {"Breast US", "US", "breast", NULL, NULL},
    };
    char *parts[2] = {strdup("Mammography. Grouped calcifications. Breast sonogram. No mass."),
                      strdup("")};
    report_split_outcome oc[2] = {REPORT_SPLIT_PLACED, REPORT_SPLIT_ABSENT};
    cr_assert_eq(report_split_verify("en", ex, 2, parts, oc), RA_OK);
    cr_assert_eq(oc[0], REPORT_SPLIT_UNSURE);
    cr_assert_eq(oc[1], REPORT_SPLIT_UNSURE);
    free(parts[0]);
    free(parts[1]);
    /* A recommendation of the other modality is a mention, not a title. */
    char *p2[2] = {strdup("Grouped calcifications. Targeted ultrasound is recommended."),
                   strdup("")};
    report_split_outcome o2[2] = {REPORT_SPLIT_PLACED, REPORT_SPLIT_ABSENT};
    cr_assert_eq(report_split_verify("en", ex, 2, p2, o2), RA_OK);
    cr_assert_eq(o2[0], REPORT_SPLIT_PLACED);
    cr_assert_eq(o2[1], REPORT_SPLIT_ABSENT);
    free(p2[0]);
    free(p2[1]);
}

Test(report_split, a_cut_moves_back_over_title_words_only)
{
    static const report_exam_hint ex[] = {
        {"Thoracic MR", "MR", "thoracic_spine", NULL, NULL},
        {"Cervical MR", "MR", "cervical_spine", NULL, NULL},
    };
    /* What a speech engine made of "... at T6, likely demyelinating.
     * [pause] Cervical spine MRI. ...": the last words of the thoracic
     * report stay with it. */
    const char *want[] = {"Thoracic spine MRI. Cord lesion at T6. Likely benign and",
                          "cervical spine MRI. Lesion at C3."};
    expect_parts("en",
                 "Thoracic spine MRI. Cord lesion at T6. Likely benign and cervical spine MRI. "
                 "Lesion at C3.",
                 ex, 2, want);
}

Test(report_split, a_second_report_after_a_missed_title_is_found_by_its_anatomy)
{
    static const report_exam_hint ex[] = {
        {"Chest X-ray", "XR", "chest", NULL, NULL},
        {"Abdominal US", "US", "abdomen", NULL, NULL},
    };
    /* "Chest film." was heard as "The old.": the second report is told by
     * its anatomy and by its own impression. */
    const char *want[] = {
        "A small left pleural effusion blunting the costophrenic angle. Impression. Small left "
        "pleural effusion.",
        "Abdominal ultrasound. The spleen is enlarged. The liver is normal. Impression. "
        "Splenomegaly. The old."};
    expect_parts("en",
                 "Abdominal ultrasound. The spleen is enlarged. The liver is normal. Impression. "
                 "Splenomegaly. The old. A small left pleural effusion blunting the costophrenic "
                 "angle. Impression. Small left pleural effusion.",
                 ex, 2, want);
    /* Another exam's anatomy at the end of a report, without a report of
     * its own after it, is no second report: the split stays unsure. */
    static const report_exam_hint ct[] = {
        {"Chest CT", "CT", "chest", NULL, NULL},
        {"Thyroid US", "US", "thyroid", NULL, NULL},
    };
    expect_unsure("en",
                  "Chest CT. The lungs are clear. Impression. No acute finding. Incidental "
                  "thyroid nodule. Thyroid ultrasound is recommended.",
                  ct, 2, 3u, (const char *const[]){"", ""});
}

Test(report_split, a_misheard_ordinal_gives_way_to_the_anatomy_after_it)
{
    static const report_exam_hint ex[] = {
        {"Chest CT", "CT", "chest", NULL, NULL},
        {"Abdominal US", "US", "abdomen", NULL, NULL},
        {"Thyroid US", "US", "thyroid", NULL, NULL},
    };
    /* "First exam" heard as "third exam". */
    const char *want[] = {"Ground glass opacities in both lungs. Impression. Pneumonia.",
                          "The liver is echogenic. Impression. Steatosis.",
                          "The thyroid is normal. Impression. Normal thyroid."};
    expect_parts("en",
                 "Third exam. Ground glass opacities in both lungs. Impression. Pneumonia. "
                 "Second exam. The liver is echogenic. Impression. Steatosis. Third exam. The "
                 "thyroid is normal. Impression. Normal thyroid.",
                 ex, 3, want);
}

Test(report_split, a_transition_that_names_the_first_exam_does_not_give_it_the_head)
{
    static const report_exam_hint ex[] = {
        {"Toraks BT", "CT", "chest", NULL, NULL},
        {"Tüm Batın USG", "US", "abdomen", NULL, NULL},
        {"Diz MR", "MR", "knee", NULL, NULL},
    };
    /* "Knee MRI" heard as "The anomaly": "Next exam." would make the head
     * the first exam's, but the first exam is the one it goes on to name.
     * The head could be either exam left. */
    expect_unsure("en",
                  "The anomaly. Findings. There is a partial tear of the ligament. Next exam. "
                  "Thorax CT. Findings. There is a small right pneumothorax.",
                  ex, 3, 6u,
                  (const char *const[]){"Thorax CT. Findings. There is a small", "", ""});
    /* With two exams the one left is the head's. */
    expect_parts("en",
                 "The anomaly. Findings. There is a partial tear of the ligament. Next exam. "
                 "Thorax CT. Findings. Normal.",
                 (const report_exam_hint[]){ex[0], ex[2]}, 2,
                 (const char *const[]){"Thorax CT. Findings. Normal.",
                                       "The anomaly. Findings. There is a partial tear of the "
                                       "ligament."});
}

Test(report_split, exam_number_survives_a_misheard_number)
{
    static const report_exam_hint ex[] = {
        {"Abdomen XR", "XR", "abdomen", NULL, NULL},
        {"Chest XR", "XR", "chest", NULL, NULL},
        {"Pelvis XR", "XR", "pelvis", NULL, NULL},
    };
    const char *want[] = {"No obstruction. Impression. Normal gas pattern.",
                          "The lungs are clear. Impression. Normal chest.",
                          "No fracture is seen. Impression. Normal."};
    /* "Exam number two" heard as "Exam lumbar two", "Exam non for one". */
    expect_parts("en",
                 "Exam lumbar two. The lungs are clear. Impression. Normal chest. "
                 "Exam non for one. No obstruction. Impression. Normal gas pattern. Exam number "
                 "three. No fracture is seen. Impression. Normal.",
                 ex, 3, want);
    /* Only a sentence that is nothing else: "Exam of the lumbar two views" is
     * no transition, and a number beyond the exams is none. */
    const char *none[] = {"", "", ""};
    expect_unsure("en", "Exam of the lumbar spine two views. No fracture.", ex, 3, 7u, none);
    expect_unsure("en", "Exam lumbar five. No fracture.", ex, 3, 7u, none);
}

Test(report_split, a_title_of_two_words_of_one_body_part)
{
    static const report_exam_hint ex[] = {
        {"КТ головного мозга", "CT", "brain", NULL, NULL},
        {"УЗИ брюшной полости", "US", "abdomen", NULL, NULL},
    };
    /* "Головной мозг." names the brain exam though each of its words is a
     * brain word on its own. */
    const char *want[] = {"Головной мозг. Очаговых изменений нет. Заключение. Норма.",
                          "Печень не увеличена. Заключение. Норма."};
    expect_parts("ru",
                 "Печень не увеличена. Заключение. Норма. Головной мозг. Очаговых изменений нет. "
                 "Заключение. Норма.",
                 ex, 2, want);
}

Test(report_split, a_noun_and_a_number_alone_in_a_sentence_is_a_transition)
{
    static const report_exam_hint ex[] = {
        {"Akciğer Grafisi", "XR", "chest", NULL, NULL},
        {"Diz Grafisi", "XR", "knee", NULL, NULL},
    };
    const char *want[] = {"The lungs are clear. Impression. Normal chest.",
                          "Left knee radiograph. A fracture of the lateral tibial plateau."};
    expect_parts("en",
                 "Exam two. Left knee radiograph. A fracture of the lateral tibial plateau. Exam "
                 "one. The lungs are clear. Impression. Normal chest.",
                 ex, 2, want);
    /* Inside a sentence, a number after "study" is no transition. */
    const char *want2[] = {"The lungs are clear compared with the study 2 years ago.", ""};
    expect_parts("en", "The lungs are clear compared with the study 2 years ago.", ex, 2, want2);
}

Test(report_split, a_transition_word_or_ordinal_alone_in_a_sentence_is_a_transition)
{
    static const report_exam_hint ex[] = {
        {"МРТ поясничного отдела", "MR", "lumbar_spine", NULL, NULL},
        {"МРТ грудного отдела", "MR", "thoracic_spine", NULL, NULL},
        {"МРТ шейного отдела", "MR", "cervical_spine", NULL, NULL},
    };
    /* "Теперь третье." (now the third), "Далее." (next) */
    const char *want[] = {"Поясничный лордоз выпрямлен.", "Высота тел грудных позвонков сохранена.",
                          "Грыжа диска C6 C7."};
    expect_parts("ru",
                 "Второе исследование. Высота тел грудных позвонков сохранена. Теперь третье. "
                 "Грыжа диска C6 C7. Далее. Поясничный лордоз выпрямлен.",
                 ex, 3, want);
    const char *want2[] = {"", "There is no hemorrhage.", "The lungs are clear."};
    static const report_exam_hint en[] = {
        {"Lumbar MR", "MR", "lumbar_spine", NULL, NULL},
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"Chest CT", "CT", "chest", NULL, NULL},
    };
    expect_parts("en", "Second exam. There is no hemorrhage. Next. The lungs are clear.", en, 3,
                 want2);
}

Test(report_split, a_cut_goes_back_over_a_joining_word_to_its_sentence_start)
{
    static const report_exam_hint ex[] = {
        {"УЗИ щитовидной железы", "US", "thyroid", NULL, NULL},
        {"УЗИ органов малого таза", "US", "pelvis", NULL, NULL},
    };
    /* "При УЗИ малого таза ..." (at ultrasound of the pelvis): "При"
     * belongs to the pelvis, not to a head of its own; "Щитовидная
     * железа." is a title. */
    const char *want[] = {"Щитовидная железа. Узел левой доли.",
                          "При УЗИ малого таза матка обычных размеров."};
    expect_parts("ru",
                 "При УЗИ малого таза матка обычных размеров. Щитовидная железа. Узел левой доли.",
                 ex, 2, want);
}

Test(report_split, titles_with_views_positions_and_synonyms)
{
    static const report_exam_hint ex[] = {
        {"Akciğer Grafisi", "XR", "chest", NULL, NULL},
        {"Direkt Batın Grafisi", "XR", "abdomen", NULL, NULL},
        {"Sakroiliak Eklem MR", "MR", "pelvis", NULL, NULL},
    };
    const char *want[] = {"Upright chest. There is free air under the diaphragm.",
                          "KUB. Dilated small bowel loops.",
                          "Sacroiliac joints. Findings. Bilateral bone marrow edema."};
    expect_parts("en",
                 "Upright chest. There is free air under the diaphragm. KUB. Dilated small bowel "
                 "loops. Sacroiliac joints. Findings. Bilateral bone marrow edema.",
                 ex, 3, want);
    const char *want2[] = {"Chest, single view. Both lungs are clear.", "", ""};
    expect_parts("en", "Chest, single view. Both lungs are clear.", ex, 3, want2);
}

Test(report_split, a_modality_the_other_exam_is_compared_with_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"Mamografi", "MG", "breast", NULL, NULL},
        {"Meme USG", "US", "breast", NULL, NULL},
    };
    /* "Mamografideki lezyonla uyumlu" (consistent with the lesion on the
     * mammogram) speaks of the other exam. */
    const char *want[] = {"Mamografi. Spiküler kitle izlendi. Sonuç. BI-RADS beş lezyon.",
                          "Meme ultrasonografisi. Hipoekoik kitle izlendi. Sonuç. Mamografideki "
                          "lezyonla uyumlu BI-RADS beş kitle."};
    expect_parts("tr",
                 "Mamografi. Spiküler kitle izlendi. Sonuç. BI-RADS beş lezyon. İkinci tetkik. "
                 "Meme ultrasonografisi. Hipoekoik kitle izlendi. Sonuç. Mamografideki lezyonla "
                 "uyumlu BI-RADS beş kitle.",
                 ex, 2, want);
}

Test(report_split, a_body_part_after_a_preposition_in_a_run_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"Obstetrik USG", "US", "obstetric", NULL, NULL},
        {"Tüm Batın USG", "US", "abdomen", NULL, NULL},
    };
    const char *want[] = {"obstetric ultrasound single live intrauterine fetus impression normal "
                          "fetal growth",
                          "abdominal ultrasound mild right hydronephrosis likely physiologic in "
                          "pregnancy impression cholelithiasis"};
    expect_parts("en",
                 "abdominal ultrasound mild right hydronephrosis likely physiologic in pregnancy "
                 "impression cholelithiasis obstetric ultrasound single live intrauterine fetus "
                 "impression normal fetal growth",
                 ex, 2, want);
}

Test(report_split, a_modality_tied_into_a_sentence_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"Abdominal CT", "CT", "abdomen", NULL, NULL},
        {"Abdominal US", "US", "abdomen", NULL, NULL},
    };
    /* "... better characterized on CT." ends a sentence, but "on" ties it
     * in: a mention of the other exam, not its title. */
    const char *want[] = {"CT abdomen. Findings. Enhancing liver lesion. Impression. Hepatoma.",
                          "Abdominal ultrasound. The liver is coarse. Impression. Known lesion, "
                          "better characterized on CT. Patent portal vein."};
    expect_parts("en",
                 "CT abdomen. Findings. Enhancing liver lesion. Impression. Hepatoma. Next study. "
                 "Abdominal ultrasound. The liver is coarse. Impression. Known lesion, better "
                 "characterized on CT. Patent portal vein.",
                 ex, 2, want);
    /* "Next, the MRI.": a qualifier does not tie it. */
    static const report_exam_hint shoulder[] = {
        {"Shoulder X-ray", "XR", "shoulder", NULL, NULL},
        {"Shoulder MR", "MR", "shoulder", NULL, NULL},
    };
    const char *want2[] = {"Right shoulder X-ray. No fracture. Impression. Cuff disease. Next, the",
                           "MRI. Massive supraspinatus tear. Impression. Cuff tear."};
    expect_parts("en",
                 "Right shoulder X-ray. No fracture. Impression. Cuff disease. Next, the MRI. "
                 "Massive supraspinatus tear. Impression. Cuff tear.",
                 shoulder, 2, want2);
}

Test(report_split, a_title_back_to_an_exam_already_dictated_by_its_modality_alone_is_unsure)
{
    static const report_exam_hint ex[] = {
        {"Abdominal CT", "CT", "abdomen", NULL, NULL},
        {"Abdominal US", "US", "abdomen", NULL, NULL},
    };
    /* "on" misheard as "bone" and a pause before "CT": the words after it
     * may be either exam's. */
    expect_unsure("en",
                  "CT abdomen. Findings. Enhancing liver lesion. Impression. Hepatoma. Next study. "
                  "Abdominal ultrasound. The liver is coarse. Impression. Known lesion, better "
                  "characterize bone. CT. Patent portal vein.",
                  ex, 2, 3u, (const char *const[]){"", ""});
}

Test(report_split, the_sentence_a_dictation_opens_with_is_the_title_it_ends_with)
{
    static const report_exam_hint ex[] = {
        {"Pelvic US", "US", "pelvis", NULL, NULL},
        {"Renal US", "US", "abdomen", NULL, NULL},
    };
    const char *want[] = {"Transabdominal and transvaginal pelvic ultrasound. The uterus is normal "
                          "in size. Impression. Normal pelvis.",
                          "Kidneys. The right kidney measures ten centimeters. No hydronephrosis. "
                          "Impression. Normal kidneys."};
    const char *said = "Transabdominal and transvaginal pelvic ultrasound. The uterus is normal in "
                       "size. Impression. Normal pelvis. Kidneys. The right kidney measures ten "
                       "centimeters. No hydronephrosis. Impression. Normal kidneys.";
    expect_parts("en", said, ex, 2, want);
    /* In a run, the words before the title are no report of their own:
     * they do not go to the exam left without a title. */
    expect_unsure("en",
                  "transabdominal and transvaginal pelvic ultrasound the uterus is normal in size "
                  "impression normal pelvis kidneys the right kidney measures ten centimeters no "
                  "hydronephrosis impression normal kidneys",
                  ex, 2, 3u, (const char *const[]){"", ""});
}

Test(report_split, two_reports_in_the_part_of_one_of_two_exams_of_one_body_part_are_unsure)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"CT Angiography Head", "CT", "brain", NULL, NULL},
    };
    expect_unsure("en",
                  "Noncontrast head CT. There is a hyperdense left middle cerebral artery. "
                  "Impression. Acute ischemia. CTA of the head. Occlusion of the left M1 "
                  "segment. Impression. Left M1 occlusion.",
                  ex, 2, 3u, (const char *const[]){"", ""});
    /* The modality heard as something else: two conclusions still tell. */
    static const report_exam_hint shoulder[] = {
        {"Shoulder X-ray", "XR", "shoulder", NULL, NULL},
        {"Shoulder MR", "MR", "shoulder", NULL, NULL},
    };
    expect_unsure("en",
                  "Right shoulder X-ray. Degenerative changes. Impression. Chronic cuff disease. "
                  "Next the anomaly. Full thickness supraspinatus tear. Impression. Massive tear.",
                  shoulder, 2, 3u, (const char *const[]){"", ""});
    expect_unsure("en",
                  "right shoulder x ray degenerative changes impression chronic cuff disease next "
                  "the anomaly full thickness supraspinatus tear impression massive tear",
                  shoulder, 2, 3u, (const char *const[]){"", ""});
}

Test(report_split, a_missed_title_is_found_only_where_a_sentence_opens_with_its_anatomy)
{
    static const report_exam_hint ex[] = {
        {"Chest X-ray", "XR", "chest", NULL, NULL},
        {"Abdominal X-ray", "XR", "abdomen", NULL, NULL},
    };
    /* "to document resolution" heard as "to the abdomen resolution", the
     * KUB title as "Of the": where the chest report ends is not known. */
    expect_unsure("en",
                  "Chest PA and lateral. Findings. Consolidation in the right middle lobe. "
                  "Impression. Right middle lobe pneumonia. Follow up radiograph in six weeks to "
                  "the abdomen resolution. Of the nonobstructing bowel gas pattern. Calcification "
                  "over the left renal shadow. Impression. Possible left renal calculus.",
                  ex, 2, 3u, (const char *const[]){"", ""});
    const char *want[] = {"Chest PA and lateral. Findings. Consolidation in the right middle lobe. "
                          "Impression. Right middle lobe pneumonia.",
                          "Moving on to the abdomen. Nonobstructive bowel gas pattern. "
                          "Calcification over the left renal shadow. Impression. Possible left "
                          "renal calculus."};
    expect_parts("en",
                 "Chest PA and lateral. Findings. Consolidation in the right middle lobe. "
                 "Impression. Right middle lobe pneumonia. Moving on to the abdomen. "
                 "Nonobstructive bowel gas pattern. Calcification over the left renal shadow. "
                 "Impression. Possible left renal calculus.",
                 ex, 2, want);
}

Test(report_split, a_modality_said_with_a_body_part_of_no_exam_of_the_job_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"Chest X-ray", "XR", "chest", NULL, NULL},
        {"Brain CT", "CT", "brain", NULL, NULL},
    };
    const char *want[] = {"Chest X-ray. Findings. Rounded opacity. Impression. Left upper zone "
                          "mass. CT of the chest is recommended.",
                          "Brain CT. Findings. Ring enhancing lesion. Impression. Metastasis."};
    expect_parts("en",
                 "Chest X-ray. Findings. Rounded opacity. Impression. Left upper zone mass. CT of "
                 "the chest is recommended. Next exam. Brain CT. Findings. Ring enhancing lesion. "
                 "Impression. Metastasis.",
                 ex, 2, want);
}

Test(report_split, a_body_part_and_a_modality_pair_across_title_words_only)
{
    static const report_exam_hint ex[] = {
        {"Mammography", "MG", "breast", NULL, NULL},
        {"Breast US", "US", "breast", NULL, NULL},
    };
    const char *want[] = {"Mammogram. Dense breasts. Impression. Indeterminate left breast mass, "
                          "see ultrasound.",
                          "Targeted ultrasound of the left breast. Irregular mass. Impression. "
                          "BI-RADS five."};
    expect_parts("en",
                 "Mammogram. Dense breasts. Impression. Indeterminate left breast mass, see "
                 "ultrasound. Next study. Targeted ultrasound of the left breast. Irregular mass. "
                 "Impression. BI-RADS five.",
                 ex, 2, want);
    /* A joint is a title word in every language ("oynağının": of the
     * joint). */
    static const report_exam_hint az[] = {
        {"Diz MRT", "MR", "knee", NULL, NULL},
        {"Çiyin MRT", "MR", "shoulder", NULL, NULL},
    };
    const char *want_az[] = {
        "Sol diz oynağının MRT müayinəsində bağ qırılıb. Nəticə. Bağ qırılması.",
        "Sağ çiyin oynağının MRT müayinəsində vətər qırılması var. Nəticə. "
        "Vətər qırılması."};
    expect_parts("az",
                 "Sağ çiyin oynağının MRT müayinəsində vətər qırılması var. Nəticə. Vətər "
                 "qırılması. Sol diz oynağının MRT müayinəsində bağ qırılıb. Nəticə. Bağ "
                 "qırılması.",
                 az, 2, want_az);
}

Test(report_split, two_modality_words_in_a_row_are_one_modality)
{
    static const report_exam_hint ex[] = {
        {"Head CTA", "CT", "brain", NULL, NULL},
        {"Cerebral Angiography", "XA", "brain", NULL, NULL},
    };
    const char *want[] = {"CT angiography of the head and neck. Aneurysm. Impression. Right MCA "
                          "aneurysm.",
                          "Catheter cerebral angiogram. Findings. The aneurysm is confirmed. "
                          "Impression. Confirmed aneurysm."};
    expect_parts("en",
                 "CT angiography of the head and neck. Aneurysm. Impression. Right MCA aneurysm. "
                 "Next study. Catheter cerebral angiogram. Findings. The aneurysm is confirmed. "
                 "Impression. Confirmed aneurysm.",
                 ex, 2, want);
}

Test(report_split, a_body_part_and_a_modality_with_a_sentence_between_are_no_title)
{
    static const report_exam_hint ex[] = {
        {"Mamografi", "MG", "breast", NULL, NULL},
        {"Meme USG", "US", "breast", NULL, NULL},
    };
    /* "memede düzgün sınırlı kitle, ultrasonografi ...": three words that
     * are no title words between them. */
    const char *want[] = {"Bilateral mamografide meme dokusu yoğun yapıdadır. Sonuç. Sağ memede "
                          "düzgün sınırlı kitle, ultrasonografi ile birlikte değerlendirilmiştir.",
                          "Ultrasonografide sağ memede hipoekoik lezyon izlendi. Sonuç. BI-RADS "
                          "üç."};
    expect_parts("tr",
                 "Bilateral mamografide meme dokusu yoğun yapıdadır. Sonuç. Sağ memede düzgün "
                 "sınırlı kitle, ultrasonografi ile birlikte değerlendirilmiştir. Ultrasonografide "
                 "sağ memede hipoekoik lezyon izlendi. Sonuç. BI-RADS üç.",
                 ex, 2, want);
}

Test(report_split, a_recommendation_to_the_end_of_its_sentence_and_a_transition_with_a_lead)
{
    static const report_exam_hint ex[] = {
        {"Abdominal US", "US", "abdomen", NULL, NULL},
        {"Pelvic US", "US", "pelvis", NULL, NULL},
    };
    const char *want[] = {"Abdominal ultrasound. The liver is enlarged. Impression. Hepatomegaly.",
                          "Now the pelvis. The uterus is normal. Impression. Ovarian cyst. Follow "
                          "up pelvic ultrasound in six to eight weeks is recommended."};
    expect_parts("en",
                 "Abdominal ultrasound. The liver is enlarged. Impression. Hepatomegaly. Now the "
                 "pelvis. The uterus is normal. Impression. Ovarian cyst. Follow up pelvic "
                 "ultrasound in six to eight weeks is recommended.",
                 ex, 2, want);
}

Test(report_split, a_modality_ending_a_sentence_of_other_words_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"CT Head", "CT", "brain", NULL, NULL},
        {"MRI Brain", "MR", "brain", NULL, NULL},
    };
    /* "infarct" heard as "afraid are CT". */
    const char *want[] = {"Head CT. Findings. No hemorrhage. Impression. Negative.",
                          "MRI of the brain. Findings. Restricted diffusion, consistent with acute "
                          "by and afraid are CT. No hemorrhage on SWI. Impression. Acute infarct."};
    expect_parts("en",
                 "MRI of the brain. Findings. Restricted diffusion, consistent with acute by and "
                 "afraid are CT. No hemorrhage on SWI. Impression. Acute infarct. Head CT. "
                 "Findings. No hemorrhage. Impression. Negative.",
                 ex, 2, want);
}

Test(report_split, a_report_heading_after_the_closing_of_a_part_is_a_second_report)
{
    /* "Back to the first." not understood: the abdominal report opens at
     * the heading after the brain MR's impression, and speaks of the abdomen
     * alone to its own conclusion; the words not understood stay where they
     * were said. */
    static const report_exam_hint ex[] = {
        {"CT Abdomen", "CT", "abdomen", NULL, NULL},
        {"MRI Brain", "MR", "brain", NULL, NULL},
    };
    const char *want[] = {
        "Findings. Gallbladder sludge. The liver is normal. Conclusion. Sludge.",
        "Brain MRI. Findings. A small pineal cyst. Impression. Incidental pineal cyst. Back to "
        "the first."};
    expect_parts("en",
                 "Brain MRI. Findings. A small pineal cyst. Impression. Incidental pineal cyst. "
                 "Back to the first. Findings. Gallbladder sludge. The liver is normal. "
                 "Conclusion. Sludge.",
                 ex, 2, want);
    /* The same with brain words after the heading: no boundary is sure. */
    expect_unsure("en",
                  "Brain MRI. Findings. A small pineal cyst. Impression. Incidental pineal cyst. "
                  "Back to the first. Findings. Gallbladder sludge. The ventricles are normal. "
                  "Conclusion. Sludge.",
                  ex, 2, 3u, (const char *const[]){"", ""});
    /* Two closings in a run: the abdominal part holds the pelvic report, and
     * the pelvic exam got only its last words. */
    static const report_exam_hint us[] = {
        {"Abdominal ultrasound", "US", "abdomen", NULL, NULL},
        {"Pelvic ultrasound", "US", "pelvis", NULL, NULL},
    };
    expect_unsure("en",
                  "abdominal ultrasound the liver and spleen are normal impression normal liver "
                  "then the other one the uterus is normal the left ovary holds a cyst "
                  "impression ovarian cyst repeat pelvic ultrasound in six weeks",
                  us, 2, 3u, (const char *const[]){"", ""});
}

Test(report_split, a_heading_word_inside_a_sentence_is_no_second_report)
{
    /* "no impression on the cord" in a run, "Bulgular ... uyumludur" (the
     * findings are consistent with) after the conclusion: one report each. */
    static const report_exam_hint ex[] = {
        {"Cervical MR", "MR", "cervical_spine", NULL, NULL},
        {"Lumbar MR", "MR", "lumbar_spine", NULL, NULL},
    };
    const char *want[] = {
        "cervical spine findings small bulges at c5 c6 with no impression on the cord impression "
        "mild spondylosis",
        "lumbar spine findings a disc protrusion at l4 l5 impression l4 l5 protrusion"};
    expect_parts("en",
                 "lumbar spine findings a disc protrusion at l4 l5 impression l4 l5 protrusion "
                 "cervical spine findings small bulges at c5 c6 with no impression on the cord "
                 "impression mild spondylosis",
                 ex, 2, want);
    static const report_exam_hint tr[] = {
        {"Toraks BT", "CT", "chest", NULL, NULL},
        {"Beyin BT", "CT", "brain", NULL, NULL},
    };
    const char *want_tr[] = {
        "Toraks BT. Sağ alt lob arter dallarında dolum defekti izlendi. Sonuç. Bulgular "
        "pulmoner emboli ile uyumludur.",
        "Beyin tomografisinde akut kanama izlenmedi. Sonuç. Normal."};
    expect_parts("tr",
                 "Toraks BT. Sağ alt lob arter dallarında dolum defekti izlendi. Sonuç. Bulgular "
                 "pulmoner emboli ile uyumludur. Beyin tomografisinde akut kanama izlenmedi. "
                 "Sonuç. Normal.",
                 tr, 2, want_tr);
}

Test(report_split, a_head_that_reads_as_no_report_is_not_given_to_the_exam_left)
{
    /* "Sonuncu müayinədən başlayıram." (I start with the last exam) is not
     * understood; it is no report of the abdominal ultrasound, the one exam
     * no cue named, which stays out at no charge. */
    static const report_exam_hint ex[] = {
        {"Döş qəfəsi rentgenoqrafiyası", "XR", "chest", NULL, NULL},
        {"Qarın boşluğu USM", "US", "abdomen", NULL, NULL},
        {"Beyin KT", "CT", "brain", NULL, NULL},
    };
    expect_unsure("az",
                  "Sonuncu müayinədən başlayıram. Beyin KT. Sağ gicgah payında hiperdens ocaq "
                  "var. Nəticə. Hematoma. Birinci müayinə. Ağciyər sahələri təmizdir.",
                  ex, 3, 2u, (const char *const[]){"Ağciyər sahələri təmizdir.", "", "Hematoma."});
}

Test(report_split, a_transition_may_open_with_finally)
{
    static const report_exam_hint ex[] = {
        {"Scanner cérébral", "CT", "brain", NULL, NULL},
        {"Radiographie thoracique", "XR", "chest", NULL, NULL},
    };
    const char *want[] = {"Pas d'hémorragie.", "Cœur de taille normale."};
    expect_parts("fr",
                 "Premier examen. Pas d'hémorragie. Enfin le deuxième. Cœur de taille normale.", ex,
                 2, want);
}

Test(report_split, a_modality_alone_said_to_be_seen_before_refers_back)
{
    /* The CT's findings open with the lesion "seen on ultrasound": no cut
     * back to the ultrasound, whose part would then be two pieces. */
    static const report_exam_hint ex[] = {
        {"Tüm Batın USG", "US", "abdomen", NULL, NULL},
        {"Kontrastlı Tüm Batın BT", "CT", "abdomen", NULL, NULL},
    };
    const char *want[] = {"Tüm batın USG. Karaciğerde otuz milimetre lezyon izlendi.",
                          "Ultrasonografide izlenen lezyon arteriyel fazda kontrastlanmaktadır. "
                          "Sonuç. Hepatoselüler karsinom ile uyumlu."};
    expect_parts("tr",
                 "Tüm batın USG. Karaciğerde otuz milimetre lezyon izlendi. Diğer tetkik. "
                 "Ultrasonografide izlenen lezyon arteriyel fazda kontrastlanmaktadır. Sonuç. "
                 "Hepatoselüler karsinom ile uyumlu.",
                 ex, 2, want);
    static const report_exam_hint de[] = {
        {"Sonographie Schilddrüse", "US", "thyroid", NULL, NULL},
        {"Szintigraphie Schilddrüse", "NM", "thyroid", NULL, NULL},
    };
    const char *want_de[] = {
        "Sonographie der Schilddrüse. Knoten rechts.",
        "Nun zur Szintigraphie. Der sonographisch beschriebene Knoten speichert vermindert."};
    expect_parts("de",
                 "Sonographie der Schilddrüse. Knoten rechts. Nun zur Szintigraphie. Der "
                 "sonographisch beschriebene Knoten speichert vermindert.",
                 de, 2, want_de);
}

Test(report_split, titles_of_name_words_tell_exams_of_one_body_part_apart)
{
    static const report_exam_hint arm[] = {
        {"XR HAND RIGHT 3 VIEWS", "XR", "extremity", NULL, NULL},
        {"XR WRIST RIGHT 3 VIEWS", "XR", "extremity", NULL, NULL},
        {"XR ELBOW RIGHT 2 VIEWS", "XR", "extremity", NULL, NULL},
    };
    /* Hand, wrist and elbow are all "extremity": the name words tell them
     * apart. "Normal right elbow." after a heading is no title. */
    const char *want[] = {
        "Right hand. Fracture of the fifth metacarpal. Impression. Boxer fracture.",
        "Right wrist. No fracture.", "Right elbow. No effusion. Impression. Normal right elbow."};
    expect_parts("en",
                 "Right hand. Fracture of the fifth metacarpal. Impression. Boxer fracture. Right "
                 "wrist. No fracture. Right elbow. No effusion. Impression. Normal right elbow.",
                 arm, 3, want);
    static const report_exam_hint knees[] = {
        {"XR KNEE LEFT 2 VIEWS", "XR", "knee", NULL, NULL},
        {"XR KNEE RIGHT 2 VIEWS", "XR", "knee", NULL, NULL},
    };
    /* Laterality in the names, dictated in the other order. */
    const char *want2[] = {"Now the left knee. Total knee arthroplasty in alignment.",
                           "Right knee. Mild medial narrowing. Impression. Osteoarthritis."};
    expect_parts(
        "en",
        "Right knee. Mild medial narrowing. Impression. Osteoarthritis. Now the left knee. "
        "Total knee arthroplasty in alignment.",
        knees, 2, want2);
    /* In a run without sentence marks, before a section heading. */
    const char *want3[] = {"left knee findings total knee arthroplasty",
                           "right knee findings mild medial narrowing"};
    expect_parts("en",
                 "right knee findings mild medial narrowing left knee findings total knee "
                 "arthroplasty",
                 knees, 2, want3);
    /* A knee said without its side names neither. */
    expect_unsure("en", "Knee. Mild medial narrowing. Impression. Osteoarthritis.", knees, 2, 3u,
                  want2);
}

Test(report_split, name_words_do_not_tell_apart_synonyms_modalities_or_function_words)
{
    static const report_exam_hint ex[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"Head CTA", "CT", "brain", NULL, NULL},
    };
    /* "head" is the brain whatever the second name says, and "CT" the
     * modality of both: the ordinal decides. */
    const char *want[] = {"Noncontrast head CT. No hemorrhage.",
                          "CT angiography of the head. Occlusion of the left MCA."};
    expect_parts("en",
                 "Noncontrast head CT. No hemorrhage. Now the second exam. CT angiography of the "
                 "head. Occlusion of the left MCA.",
                 ex, 2, want);
    static const report_exam_hint contrast[] = {
        {"CT CHEST WITHOUT CONTRAST", "CT", "chest", NULL, NULL},
        {"XR CHEST PA AND LATERAL", "XR", "chest", NULL, NULL},
    };
    /* Name words without a modality or body part are no title ("Without
     * contrast."), and "the" or "and" tell no exam apart. */
    const char *want2[] = {"CT chest without contrast. Without contrast. A nodule.", ""};
    expect_parts("en", "CT chest without contrast. Without contrast. A nodule.", contrast, 2,
                 want2);
    expect_unsure("en", "The chest. Clear lungs.", contrast, 2, 3u, want2);
    /* A word of one name only ("neck") tells two brain CTs apart. */
    static const report_exam_hint neck[] = {
        {"Brain CT", "CT", "brain", NULL, NULL},
        {"CT Angiography Head and Neck", "CT", "brain", NULL, NULL},
    };
    const char *want3[] = {"Noncontrast head CT. Impression. Acute ischemia.",
                           "CTA head and neck. Impression. Left M1 occlusion."};
    expect_parts("en",
                 "Noncontrast head CT. Impression. Acute ischemia. CTA head and neck. Impression. "
                 "Left M1 occlusion.",
                 neck, 2, want3);
}

Test(report_split, a_transition_carried_on_to_the_exam_it_names)
{
    static const report_exam_hint ex[] = {
        {"XR HAND RIGHT 3 VIEWS", "XR", "extremity", NULL, NULL},
        {"XR WRIST RIGHT 3 VIEWS", "XR", "extremity", NULL, NULL},
        {"XR ELBOW RIGHT 2 VIEWS", "XR", "extremity", NULL, NULL},
    };
    /* "The third exam is the elbow.": the copula and "the" go with the
     * transition. */
    const char *want[] = {"Right hand. No fracture.", "Right wrist. No fracture.",
                          "elbow. No effusion."};
    expect_parts("en",
                 "Right hand. No fracture. Right wrist. No fracture. The third exam is the elbow. "
                 "No effusion.",
                 ex, 3, want);
    static const report_exam_hint ob[] = {
        {"US OB FOLLOW UP SINGLE FETUS", "US", "obstetric", NULL, NULL},
        {"US CERVICAL LENGTH TRANSVAGINAL", "US", "obstetric", NULL, NULL},
    };
    /* "Moving on to the cervical length." stays as the title; "cervical" is
     * no body part of these exams but a word of the second one's name. */
    const char *want2[] = {"Follow up obstetric ultrasound. Single live fetus. Impression. Normal "
                           "growth.",
                           "Moving on to the cervical length. The cervix measures 36 mm. "
                           "Impression. Normal."};
    expect_parts("en",
                 "Follow up obstetric ultrasound. Single live fetus. Impression. Normal growth. "
                 "Moving on to the cervical length. The cervix measures 36 mm. Impression. Normal.",
                 ob, 2, want2);
    /* In a run the titles are no titles, but "hand" and "wrist" still vote
     * for their exams: the words before "third exam" are not the second
     * exam's alone. */
    expect_unsure("en",
                  "right hand fracture of the fifth metacarpal impression boxer fracture right "
                  "wrist no fracture the third exam is the elbow no effusion",
                  ex, 3, 3u, (const char *const[]){"", "", "no effusion"});
    /* Without an exam named after it, "is" stays a word of the sentence. */
    const char *want3[] = {"Right hand. No fracture.", "is normal.", ""};
    expect_parts("en", "Right hand. No fracture. The second exam is normal.", ex, 3, want3);
}

Test(report_split, a_misheard_title_before_a_heading_after_a_closing_opens_the_next_report)
{
    static const report_exam_hint ex[] = {
        {"MRI LUMBAR SPINE WITHOUT CONTRAST", "MR", "lumbar_spine", NULL, NULL},
        {"MRI THORACIC SPINE WITHOUT CONTRAST", "MR", "thoracic_spine", NULL, NULL},
    };
    /* "L-spine." heard as "Else spine.": the lumbar report opens at its
     * heading. "Small disc protrusion" speaks of every spine, so it is no
     * boundary of its own. */
    const char *want[] = {
        "Findings. Anterolisthesis of L4 on L5. Impression. Degenerative spondylolisthesis at L4 "
        "L5.",
        "On the MRI of the thoracic spine there is a protrusion at T8 T9. Impression. Small disc "
        "protrusion without cord compression. Else spine."};
    expect_parts(
        "en",
        "On the MRI of the thoracic spine there is a protrusion at T8 T9. Impression. "
        "Small disc protrusion without cord compression. Else spine. Findings. "
        "Anterolisthesis of L4 on L5. Impression. Degenerative spondylolisthesis at L4 L5.",
        ex, 2, want);
}

Test(report_split, a_modality_said_under_a_comparison_heading_is_no_title)
{
    static const report_exam_hint ex[] = {
        {"PET CT SKULL BASE TO MID THIGH FDG", "PT", "chest", NULL, NULL},
        {"CT HEAD WITHOUT CONTRAST", "CT", "brain", NULL, NULL},
    };
    /* "Baseline PET CT" heard as "on the eighty CT": the exam compared
     * with, though a findings heading follows it. */
    const char *want[] = {"PET CT restaging. Comparison. There is on the eighty CT. Findings. "
                          "The mediastinal mass has decreased. Impression. Complete response.",
                          "Head CT. No acute intracranial abnormality. Impression. Normal."};
    expect_parts("en",
                 "PET CT restaging. Comparison. There is on the eighty CT. Findings. The "
                 "mediastinal mass has decreased. Impression. Complete response. Head CT. No acute "
                 "intracranial abnormality. Impression. Normal.",
                 ex, 2, want);
    expect_parts("en",
                 "PET CT restaging. Comparison: there is on the eighty CT. Findings. The "
                 "mediastinal mass has decreased. Impression. Complete response. Head CT. No acute "
                 "intracranial abnormality. Impression. Normal.",
                 ex, 2,
                 (const char *const[]){"PET CT restaging. Comparison: there is on the eighty CT. "
                                       "Findings. The mediastinal mass has decreased. Impression. "
                                       "Complete response.",
                                       want[1]});
}

Test(report_split, transitions_carried_on_to_their_exam_in_other_languages)
{
    static const report_exam_hint de[] = {
        {"MRT Schulter rechts", "MR", "shoulder", NULL, NULL},
        {"MRT Knie links", "MR", "knee", NULL, NULL},
    };
    /* German "Kommen wir zum Knie." stays as the title; in "Die zweite
     * Untersuchung ist das Knie." the copula and article go with the
     * transition. */
    const char *want[] = {"Rotatorenmanschette intakt.",
                          "Kommen wir zum Knie. Innenmeniskusriss. Beurteilung. Riss."};
    expect_parts("de",
                 "Rotatorenmanschette intakt. Kommen wir zum Knie. Innenmeniskusriss. Beurteilung. "
                 "Riss.",
                 de, 2, want);
    const char *want2[] = {"Rotatorenmanschette intakt.", "Knie. Innenmeniskusriss."};
    expect_parts("de",
                 "Rotatorenmanschette intakt. Die zweite Untersuchung ist das Knie. "
                 "Innenmeniskusriss.",
                 de, 2, want2);
    static const report_exam_hint fr[] = {
        {"IRM epaule droite", "MR", "shoulder", NULL, NULL},
        {"IRM genou gauche", "MR", "knee", NULL, NULL},
    };
    const char *want3[] = {"Coiffe des rotateurs intacte.", "Passons au genou. Fissure meniscale."};
    expect_parts("fr", "Coiffe des rotateurs intacte. Passons au genou. Fissure meniscale.", fr, 2,
                 want3);
    static const report_exam_hint ru[] = {
        {"МРТ плечевого сустава", "MR", "shoulder", NULL, NULL},
        {"МРТ коленного сустава", "MR", "knee", NULL, NULL},
    };
    const char *want4[] = {"Вращательная манжета интактна.",
                           "Перейдём к коленному суставу. Разрыв мениска."};
    expect_parts("ru",
                 "Вращательная манжета интактна. Перейдём к коленному суставу. Разрыв мениска.", ru,
                 2, want4);
}

Test(report_split, a_title_of_name_words_with_views_of_the_other_name)
{
    static const report_exam_hint ex[] = {
        {"RADIOGRAPHIE DU BASSIN DE FACE", "XR", "pelvis", NULL, NULL},
        {"RADIOGRAPHIE DE LA HANCHE GAUCHE", "XR", "pelvis", NULL, NULL},
        {"RADIOGRAPHIE DU RACHIS LOMBAIRE", "XR", "lumbar_spine", NULL, NULL},
    };
    /* "Hanche gauche face et profil.": "hanche" (anatomy) and "gauche" name
     * the hip, "face" of the pelvis's name says nothing in it. "Deuxième
     * examen." counts the exams as dictated here, and the pelvis named
     * right after it wins over the list's order. */
    const char *want[] = {"Bassin de face. Pas de lésion osseuse.",
                          "Hanche gauche face et profil. Pincement de l'interligne. Conclusion. "
                          "Coxarthrose.",
                          ""};
    expect_parts("fr",
                 "Hanche gauche face et profil. Pincement de l'interligne. Conclusion. "
                 "Coxarthrose. Deuxième examen. Bassin de face. Pas de lésion osseuse.",
                 ex, 3, want);
    /* In a run the hip has no title, but the pelvis named after the
     * transition still keeps the words before it from the pelvis: unsure,
     * never the hip's report under the pelvis. */
    expect_unsure("fr",
                  "hanche gauche face et profil pincement de l'interligne conclusion coxarthrose "
                  "deuxième examen bassin de face pas de lésion osseuse",
                  ex, 3, 6u, (const char *const[]){"bassin de face pas de lésion osseuse", "", ""});
}

Test(report_split, a_side_alone_after_a_lead_word_and_an_abbreviated_modality_are_titles)
{
    static const report_exam_hint hands[] = {
        {"XR HAND LEFT 3 VIEWS", "XR", "extremity", NULL, NULL},
        {"XR HAND RIGHT 3 VIEWS", "XR", "extremity", NULL, NULL},
    };
    /* "Now the right.": a lead word opens it, so the side alone names the
     * exam; "The right." alone does not. */
    const char *want[] = {"Left hand. Erosions. Impression. Rheumatoid arthritis.",
                          "Now the right. Osteopenia. Impression. Milder changes."};
    expect_parts("en",
                 "Left hand. Erosions. Impression. Rheumatoid arthritis. Now the right. "
                 "Osteopenia. Impression. Milder changes.",
                 hands, 2, want);
    expect_unsure("en",
                  "Left hand. Erosions. Impression. Rheumatoid arthritis. The right. Osteopenia. "
                  "Impression. Milder changes.",
                  hands, 2, 3u, want);
    static const report_exam_hint kidneys[] = {
        {"US RENAL BILATERAL", "US", "abdomen", NULL, NULL},
        {"RF VOIDING CYSTOURETHROGRAM", "RF", "pelvis", NULL, NULL},
    };
    const char *want2[] = {"Renal ultrasound. Left hydronephrosis.",
                           "Then the VCUG. Left vesicoureteral reflux."};
    expect_parts(
        "en", "Renal ultrasound. Left hydronephrosis. Then the VCUG. Left vesicoureteral reflux.",
        kidneys, 2, want2);
}

Test(report_split, a_head_that_speaks_of_two_exams_in_turn_is_split_where_the_second_begins)
{
    static const report_exam_hint ex[] = {
        {"CT THORACIC SPINE WITHOUT CONTRAST", "CT", "thoracic_spine", NULL, NULL},
        {"CT LUMBAR SPINE WITHOUT CONTRAST", "CT", "lumbar_spine", NULL, NULL},
        {"XR PELVIS AP", "XR", "pelvis", NULL, NULL},
    };
    /* "L-spine." heard as "Ill spine.": the words before "Pelvis film."
     * speak of the thoracic spine to its impression, then of the lumbar
     * spine alone to its own. */
    const char *want[] = {
        "The spine. Findings. No acute thoracic spine fracture. Impression. No thoracic spine "
        "fracture. Ill spine.",
        "There is a burst fracture of L1. Fracture of the left L2 transverse process. Impression. "
        "L1 burst fracture.",
        "Pelvis film. No fracture."};
    expect_parts("en",
                 "The spine. Findings. No acute thoracic spine fracture. Impression. No thoracic "
                 "spine fracture. Ill spine. There is a burst fracture of L1. Fracture of the left "
                 "L2 transverse process. Impression. L1 burst fracture. Pelvis film. No fracture.",
                 ex, 3, want);
    /* Speaking of the thoracic spine again after the lumbar: no boundary. */
    expect_unsure(
        "en",
        "The spine. Findings. No acute thoracic spine fracture. Impression. No thoracic "
        "spine fracture. Ill spine. There is a burst fracture of L1. Fracture of the left "
        "L2 transverse process. Impression. L1 burst fracture, T12 intact. Pelvis film. "
        "No fracture.",
        ex, 3, 3u, want);
}

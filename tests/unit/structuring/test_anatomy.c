/* test_anatomy.c - unit tests of src/structuring/anatomy with the
 * anatomy lists of all six languages: which body part a dictated sentence
 * speaks of, read by an exam of another body part and by an exam of its
 * own; neighbours a report of the part commonly mentions (the lung bases
 * of an abdomen, the disc of every spine part) are no evidence; words that
 * look like anatomy and are not (Russian "легкой степени", "костного
 * мозга"); the place found, and the errors. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "structuring/anatomy.h"
#include "structuring/lang.h"

#define ALL_PARTS ((((uint32_t)1) << REPORT_BODY_PARTS) - 1)

/* The index of a body-part value ("lumbar_spine"). */
static int part(const char *name)
{
    for (int b = 0; b < REPORT_BODY_PARTS; b++) {
        if (strcmp(report_body_values[b], name) == 0)
            return b;
    }
    cr_assert_fail("no body part \"%s\"", name);
    return -1;
}

/* A sentence in lang read by an exam of body part own, and the body part it
 * speaks of for that exam: the one it names strictly most often (NULL: it
 * is evidence of no other body part). */
typedef struct anatomy_case {
    const char *lang;
    const char *text;
    const char *own;
    const char *speaks;
} anatomy_case;

static void expect_cases(const anatomy_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const anatomy_case *c = &cases[i];
        report_anatomy_found f;
        int rc = report_anatomy_scan(c->text, c->lang, ALL_PARTS, part(c->own), &f);
        cr_assert_eq(rc, RA_OK, "%s \"%s\": rc %d", c->lang, c->text, rc);
        if (c->speaks == NULL) {
            for (int b = 0; b < REPORT_BODY_PARTS; b++)
                cr_assert_eq(f.hits[b], 0, "%s \"%s\" read by %s: evidence of %s", c->lang, c->text,
                             c->own, report_body_values[b]);
            continue;
        }
        int want = part(c->speaks);
        cr_assert_gt(f.hits[want], 0, "%s \"%s\" read by %s: nothing of %s", c->lang, c->text,
                     c->own, c->speaks);
        for (int b = 0; b < REPORT_BODY_PARTS; b++) {
            if (b != want)
                cr_assert_lt(f.hits[b], f.hits[want], "%s \"%s\" read by %s: %s as much as %s",
                             c->lang, c->text, c->own, report_body_values[b], c->speaks);
        }
    }
}

#define EXPECT_CASES(cases) expect_cases((cases), sizeof(cases) / sizeof((cases)[0]))

Test(report_anatomy, turkish)
{
    static const anatomy_case cases[] = {
        {"tr", "L4 L5 düzeyinde disk protrüzyonu mevcuttur.", "brain", "lumbar_spine"},
        {"tr", "L4 L5 düzeyinde disk protrüzyonu mevcuttur.", "lumbar_spine", NULL},
        {"tr", "C5-C6 düzeyinde sol paramedian disk herniasyonu izlendi.", "lumbar_spine",
         "cervical_spine"},
        {"tr", "Akciğer bazalleri temiz.", "abdomen", NULL},
        {"tr", "Sağ akciğer üst lob apikal segmentte 6 mm nodül izlendi.", "abdomen", "chest"},
        {"tr", "Karaciğer boyutları normal, safra kesesi taşsızdır.", "chest", "abdomen"},
        {"tr", "Medial menisküs arka boynuzunda yırtık izlendi.", "shoulder", "knee"},
        {"tr", "Supraspinatus tendonunda kısmi kalınlıkta yırtık.", "knee", "shoulder"},
        {"tr", "Lateral ventriküller ve kortikal sulkuslar normal genişliktedir.", "cervical_spine",
         "brain"},
        {"tr", "Tek canlı intrauterin gebelik, fetal kalp atımı izlendi.", "pelvis", "obstetric"},
        {"tr", "Uterus ve her iki over normal görünümdedir.", "abdomen", "pelvis"},
        {"tr", "Tiroid sağ lobda 8 mm izoekoik nodül izlendi.", "breast", "thyroid"},
        {"tr", "Sağ meme üst dış kadranda BI-RADS 3 lezyon.", "thyroid", "breast"},
        {"tr", "Sağ ayak bileği lateral malleolde kırık hattı.", "knee", "extremity"},
        /* Words that begin like anatomy and are not: "dizilim" (no knee),
         * "belirgin" (no waist), "ayakta" and "elde" (no foot, no hand),
         * "konusunda" (no conus); "nokta" is a spoken full stop. */
        {"tr", "Lomber vertebral dizilim belirgin nokta", "lumbar_spine", NULL},
        {"tr", "Ayakta elde edilen görüntüler bu konusunda yeterlidir.", "brain", NULL},
    };
    EXPECT_CASES(cases);
}

Test(report_anatomy, english)
{
    static const anatomy_case cases[] = {
        {"en", "Disc protrusion at L4-L5.", "brain", "lumbar_spine"},
        {"en", "Disc protrusion at L4-L5.", "lumbar_spine", NULL},
        {"en", "The lung bases are clear.", "abdomen", NULL},
        {"en", "Small tear of the posterior horn of the medial meniscus.", "shoulder", "knee"},
        {"en", "The liver and spleen are normal in size.", "chest", "abdomen"},
    };
    EXPECT_CASES(cases);
}

Test(report_anatomy, russian)
{
    static const anatomy_case cases[] = {
        {"ru", "На уровне L4-L5 определяется протрузия межпозвонкового диска.", "brain",
         "lumbar_spine"},
        {"ru", "На уровне L4-L5 определяется протрузия межпозвонкового диска.", "lumbar_spine",
         NULL},
        {"ru", "В базальных отделах легких без очаговых изменений.", "abdomen", NULL},
        {"ru", "В S6 правого легкого определяется очаг 5 мм.", "abdomen", "chest"},
        {"ru", "Печень не увеличена, желчный пузырь без конкрементов.", "chest", "abdomen"},
        {"ru", "Разрыв заднего рога медиального мениска.", "shoulder", "knee"},
        {"ru", "Боковые желудочки не расширены, срединные структуры не смещены.", "cervical_spine",
         "brain"},
        {"ru", "Частичный разрыв сухожилия надостной мышцы.", "knee", "shoulder"},
        {"ru", "В правой доле щитовидной железы узел 8 мм.", "breast", "thyroid"},
        /* "Лёгкой степени" is mild, not of the lungs; "костного мозга" is
         * marrow, not brain. */
        {"ru", "Спондилоартроз лёгкой степени, лёгкие дегенеративные изменения.", "lumbar_spine",
         NULL},
        {"ru", "Отёк костного мозга в медиальном мыщелке бедренной кости.", "knee", NULL},
        {"ru", "Отёк костного мозга в медиальном мыщелке бедренной кости.", "brain", "knee"},
    };
    EXPECT_CASES(cases);
}

Test(report_anatomy, azerbaijani)
{
    static const anatomy_case cases[] = {
        {"az", "L4-L5 səviyyəsində disk protruziyası qeyd olunur.", "brain", "lumbar_spine"},
        {"az", "L4-L5 səviyyəsində disk protruziyası qeyd olunur.", "lumbar_spine", NULL},
        {"az", "Ağciyərlərin bazal hissələri təmizdir.", "abdomen", NULL},
        {"az", "Sağ ağciyərin yuxarı payında 6 mm ocaq.", "abdomen", "chest"},
        {"az", "Qaraciyər ölçüləri normaldır, öd kisəsində daş yoxdur.", "chest", "abdomen"},
        {"az", "Daxili meniskin arxa buynuzunda cırıq.", "shoulder", "knee"},
        {"az", "Qalxanabənzər vəzin sağ payında 8 mm düyün.", "breast", "thyroid"},
    };
    EXPECT_CASES(cases);
}

Test(report_anatomy, french)
{
    static const anatomy_case cases[] = {
        {"fr", "Protrusion discale L4-L5.", "brain", "lumbar_spine"},
        {"fr", "Protrusion discale L4-L5.", "lumbar_spine", NULL},
        {"fr", "Hernie discale C5-C6.", "lumbar_spine", "cervical_spine"},
        /* "Rachis" begins every spine part's name: still evidence of the
         * lumbar spine for a cervical exam. */
        {"fr", "Le rachis lombaire est de morphologie normale.", "cervical_spine", "lumbar_spine"},
        {"fr", "Les bases pulmonaires sont libres.", "abdomen", NULL},
        {"fr", "Nodule de 6 mm du lobe supérieur droit.", "abdomen", "chest"},
        {"fr", "Foie de taille normale, vésicule biliaire alithiasique.", "chest", "abdomen"},
        {"fr", "Le côlon est sans particularité.", "chest", "abdomen"},
        {"fr", "Fissure de la corne postérieure du ménisque médial.", "shoulder", "knee"},
        {"fr", "Tendinopathie du sus-épineux.", "knee", "shoulder"},
    };
    EXPECT_CASES(cases);
}

Test(report_anatomy, german)
{
    static const anatomy_case cases[] = {
        {"de", "Bandscheibenprotrusion in Höhe LWK 4/5.", "brain", "lumbar_spine"},
        {"de", "Bandscheibenprotrusion in Höhe LWK 4/5.", "lumbar_spine", NULL},
        {"de", "Bandscheibenvorfall HWK 5/6.", "lumbar_spine", "cervical_spine"},
        {"de", "Basale Lungenabschnitte frei.", "abdomen", NULL},
        {"de", "Rundherd im rechten Oberlappen von 6 mm.", "abdomen", "chest"},
        {"de", "Leber und Milz normal groß.", "chest", "abdomen"},
        {"de", "Riss im Hinterhorn des Innenmeniskus.", "shoulder", "knee"},
        {"de", "Partialruptur der Supraspinatussehne.", "knee", "shoulder"},
        {"de", "Die Seitenventrikel sind normal weit.", "cervical_spine", "brain"},
        {"de", "Knoten im rechten Schilddrüsenlappen.", "breast", "thyroid"},
    };
    EXPECT_CASES(cases);
}

/* The place is the typed word, the scan counts only the parts asked about,
 * and a text read for no exam speaks of every part it names. */
Test(report_anatomy, place_mask_and_no_exam)
{
    const char *text = "Kalp normal. Sağ böbrekte 5 mm taş.";
    int abdomen = part("abdomen"), chest = part("chest");
    report_anatomy_found f;
    cr_assert_eq(report_anatomy_scan(text, "tr", ALL_PARTS, chest, &f), RA_OK);
    cr_assert_eq(f.hits[abdomen], 1);
    const char *at = strstr(text, "böbrekte");
    cr_assert_eq(f.start[abdomen], (size_t)(at - text));
    cr_assert_eq(f.end[abdomen], (size_t)(at - text) + strlen("böbrekte"));
    cr_assert_eq(report_anatomy_scan(text, "tr", (uint32_t)1 << chest, REPORT_ANATOMY_NONE, &f),
                 RA_OK);
    for (int b = 0; b < REPORT_BODY_PARTS; b++)
        cr_assert_eq(f.hits[b], 0, "%s", report_body_values[b]);
    cr_assert_eq(
        report_anatomy_scan("Akciğer bazalleri temiz.", "tr", ALL_PARTS, REPORT_ANATOMY_NONE, &f),
        RA_OK);
    cr_assert(f.hits[chest] == 1 && f.hits[abdomen] == 1);
}

Test(report_anatomy, errors)
{
    report_anatomy_found f;
    cr_assert_eq(report_anatomy_scan("L4", "xx", ALL_PARTS, 0, &f), RA_ERR_INVALID);
    cr_assert_eq(report_anatomy_scan(NULL, "tr", ALL_PARTS, 0, &f), RA_ERR_INVALID);
    cr_assert_eq(report_anatomy_scan("L4", "tr", ALL_PARTS, 0, NULL), RA_ERR_INVALID);
    cr_assert_eq(report_anatomy_scan("\xff", "tr", ALL_PARTS, 0, &f), RA_ERR_INVALID);
}

Test(report_anatomy, a_report_speaking_of_another_exams_anatomy_is_warned)
{
    report_sections r = {{NULL}};
    r.text[REPORT_SEC_BULGULAR] = "The lungs are clear. The visualized liver is unremarkable.";
    r.text[REPORT_SEC_SONUC] = "No acute finding (liver, spleen).";
    report_warnings w = {0};
    int chest = part("chest"), abdomen = part("abdomen"), knee = part("knee");
    uint32_t others = (uint32_t)1 << abdomen | (uint32_t)1 << knee | (uint32_t)1 << chest;
    cr_assert_eq(report_anatomy_warn(&r, "en", chest, others, &w), RA_OK);
    cr_assert_eq(w.n, 2);
    cr_assert_str_eq(w.item[0].code, REPORT_WARN_OTHER_EXAM);
    cr_assert_eq(w.item[0].section, REPORT_SEC_BULGULAR);
    cr_assert_str_eq(w.item[0].text, "liver"); /* the first place, once per section */
    cr_assert_eq(w.item[1].section, REPORT_SEC_SONUC);
    cr_assert_str_eq(w.item[1].text, "liver"); /* without the punctuation around it */
    /* The same report read as the abdomen's: the lungs are the chest's. */
    report_warnings w2 = {0};
    cr_assert_eq(report_anatomy_warn(&r, "en", abdomen, others, &w2), RA_OK);
    cr_assert_eq(w2.n, 1);
    cr_assert_str_eq(w2.item[0].text, "lungs");
    /* Nothing of another exam: no warning; a full list counts the rest. */
    report_warnings w3 = {0};
    cr_assert_eq(report_anatomy_warn(&r, "en", chest, (uint32_t)1 << knee, &w3), RA_OK);
    cr_assert_eq(w3.n, 0);
    report_warnings full = {.n = REPORT_WARNINGS_MAX};
    cr_assert_eq(report_anatomy_warn(&r, "en", chest, others, &full), RA_OK);
    cr_assert_eq(full.more, 2);
    cr_assert_eq(report_anatomy_warn(NULL, "en", chest, others, &w3), RA_ERR_INVALID);
    cr_assert_eq(report_anatomy_warn(&r, "xx", chest, others, &w3), RA_ERR_INVALID);
}

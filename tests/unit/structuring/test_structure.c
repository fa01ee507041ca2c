/* test_structure.c - unit tests of src/structuring/structure: sections
 * from spoken and typed headings, where a section word is and is not a
 * heading, spoken punctuation and layout, decimal points and measurements,
 * capitalisation, and the error cases; in Turkish and English first, then
 * in Russian, Azerbaijani, French and German. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "structuring/structure.h"

/* Structures in and checks every section against want (NULL: absent), in
 * enum order: bulgular, sonuc, izlenim, teknik, klinik, karsilastirma. */
static void expect(const char *lang, const char *in, const char *bul, const char *son,
                   const char *izl, const char *tek, const char *kli, const char *kar)
{
    const char *want[REPORT_SEC_COUNT] = {bul, son, izl, tek, kli, kar};
    report_sections s = {{NULL}};
    int rc = report_structure(in, lang, &s);
    cr_assert_eq(rc, RA_OK, "rc %d for \"%s\"", rc, in);
    for (int i = 0; i < REPORT_SEC_COUNT; i++) {
        const char *title = report_section_title((report_section)i, "en");
        if (want[i] == NULL)
            cr_assert_null(s.text[i], "%s: expected none, got \"%s\" (input \"%s\")", title,
                           s.text[i], in);
        else
            cr_assert(s.text[i] != NULL && strcmp(s.text[i], want[i]) == 0,
                      "%s: expected \"%s\", got \"%s\" (input \"%s\")", title, want[i],
                      s.text[i] ? s.text[i] : "(null)", in);
    }
    report_sections_release(&s);
}

/* Only findings expected. */
static void expect_findings(const char *lang, const char *in, const char *want)
{
    expect(lang, in, want, NULL, NULL, NULL, NULL, NULL);
}

/* ---- sections ----------------------------------------------------------- */

Test(report_structure, turkish_brief_example)
{
    expect("tr",
           "bulgular iki nokta beyin parankiminde akut patoloji saptanmadı nokta sonuç normal "
           "beyin bt nokta",
           "Beyin parankiminde akut patoloji saptanmadı.", "Normal beyin BT.", NULL, NULL, NULL,
           NULL);
}

Test(report_structure, turkish_all_sections)
{
    expect("tr",
           "klinik bilgi iki nokta baş ağrısı nokta teknik iki nokta kontrastsız aksiyel "
           "kesitler nokta karşılaştırma iki nokta yok nokta bulgular iki nokta ventriküller "
           "normal genişlikte nokta sonuç iki nokta normal nokta izlenim iki nokta akut "
           "patoloji yok nokta",
           "Ventriküller normal genişlikte.", "Normal.", "Akut patoloji yok.",
           "Kontrastsız aksiyel kesitler.", "Baş ağrısı.", "Yok.");
}

Test(report_structure, english_all_sections)
{
    expect("en",
           "clinical history colon headache period technique colon axial images without "
           "contrast period comparison colon none period findings colon the ventricles are "
           "normal period conclusion colon normal period impression colon no acute "
           "abnormality period",
           "The ventricles are normal.", "Normal.", "No acute abnormality.",
           "Axial images without contrast.", "Headache.", "None.");
}

Test(report_structure, text_before_a_heading_is_findings)
{
    expect("tr", "beyin parankimi normal nokta sonuç normal", "Beyin parankimi normal.", "Normal.",
           NULL, NULL, NULL, NULL);
    expect_findings("en", "no acute intracranial abnormality",
                    "No acute intracranial abnormality.");
}

Test(report_structure, asr_without_any_punctuation)
{
    /* A speech engine's text: no periods, no colons. The preamble sections
     * end at the next section word; strong words cut mid-sentence. */
    expect("tr", "klinik bilgi baş ağrısı bulgular beyin parankimi normal sonuç normal beyin bt",
           "Beyin parankimi normal.", "Normal beyin BT.", NULL, NULL, "Baş ağrısı.", NULL);
    expect("en",
           "clinical history headache findings no acute hemorrhage impression normal ct of "
           "the head",
           "No acute hemorrhage.", NULL, "Normal CT of the head.", NULL, "Headache.", NULL);
}

Test(report_structure, typed_headings_pass_through)
{
    expect("en", "FINDINGS: Normal brain.\nIMPRESSION: Normal.", "Normal brain.", NULL, "Normal.",
           NULL, NULL, NULL);
    expect("tr", "KLİNİK BİLGİ: Travma.\nBULGULAR:\nKemik yapılar olağan.\nSONUÇ: Normal.",
           "Kemik yapılar olağan.", "Normal.", NULL, NULL, "Travma.", NULL);
    expect("tr", "Sonuç: normal", NULL, "Normal.", NULL, NULL, NULL, NULL);
}

Test(report_structure, windows_line_endings)
{
    expect("en", "Findings:\r\nNormal brain.\r\nImpression:\r\nNormal.\r\n", "Normal brain.", NULL,
           "Normal.", NULL, NULL, NULL);
}

Test(report_structure, section_word_mid_sentence_is_not_a_heading)
{
    expect_findings("en", "there are no findings of hemorrhage period",
                    "There are no findings of hemorrhage.");
    expect_findings("en", "findings of hemorrhage are absent period",
                    "Findings of hemorrhage are absent.");
    expect_findings("en", "the findings are consistent with pneumonia",
                    "The findings are consistent with pneumonia.");
    expect_findings("en", "this gives the impression of mass effect",
                    "This gives the impression of mass effect.");
    expect_findings("en", "no definite conclusion can be drawn",
                    "No definite conclusion can be drawn.");
}

Test(report_structure, english_preamble_words_in_prose)
{
    expect_findings("en",
                    "no indication of fracture period the technique is limited by motion period "
                    "clinical correlation is recommended",
                    "No indication of fracture. The technique is limited by motion. Clinical "
                    "correlation is recommended.");
}

Test(report_structure, section_word_followed_by_a_sentence_verb)
{
    /* At a sentence start too: "findings are", "history of", "comparison
     * with" continue a sentence. */
    expect("en", "impression colon pneumonia period findings are consistent with infection", NULL,
           NULL, "Pneumonia. Findings are consistent with infection.", NULL, NULL, NULL);
    expect_findings("en", "normal period history of trauma period", "Normal. History of trauma.");
    expect("en", "normal period history colon trauma period", "Normal.", NULL, NULL, NULL,
           "Trauma.", NULL);
}

Test(report_structure, turkish_guards)
{
    expect("tr",
           "sonuç iki nokta normal nokta klinik korelasyon önerilir nokta teknik olarak "
           "yeterli inceleme nokta",
           NULL, "Normal. Klinik korelasyon önerilir. Teknik olarak yeterli inceleme.", NULL, NULL,
           NULL, NULL);
    expect("tr", "sonuç iki nokta bulgular pnömoni ile uyumludur nokta", NULL,
           "Bulgular pnömoni ile uyumludur.", NULL, NULL, NULL, NULL);
    /* Without a colon: a findings sentence that only mentions "lehine"
     * mid-way is still under the heading; one that ends concluding is not. */
    expect_findings("tr", "bulgular enfarkt lehine difüzyon kısıtlanması izlenmedi",
                    "Enfarkt lehine difüzyon kısıtlanması izlenmedi.");
    expect("tr", "sonuç iki nokta normal nokta bulgular enfeksiyon lehine değerlendirildi",
           "Enfeksiyon lehine değerlendirildi.", "Normal.", NULL, NULL, NULL, NULL);
    expect("tr", "sonuç iki nokta normal nokta bulgular enfeksiyon lehine", NULL,
           "Normal. Bulgular enfeksiyon lehine.", NULL, NULL, NULL, NULL);
    expect("tr", "sonuç bulgular öncelikle enfeksiyonu düşündürür", NULL,
           "Bulgular öncelikle enfeksiyonu düşündürür.", NULL, NULL, NULL, NULL);
    expect("tr", "bu sonuç beklenen bir durumdur", "Bu sonuç beklenen bir durumdur.", NULL, NULL,
           NULL, NULL, NULL);
}

Test(report_structure, sonuc_olarak_is_a_heading)
{
    expect("tr", "sol böbrekte basit kist izlendi nokta sonuç olarak basit renal kist nokta",
           "Sol böbrekte basit kist izlendi.", "Basit renal kist.", NULL, NULL, NULL, NULL);
}

Test(report_structure, heading_with_newline_after_it)
{
    expect("tr", "bulgular yeni satır karaciğer normal boyutta nokta", "Karaciğer normal boyutta.",
           NULL, NULL, NULL, NULL, NULL);
    expect("en", "findings new line the liver is normal", "The liver is normal.", NULL, NULL, NULL,
           NULL, NULL);
}

Test(report_structure, section_named_twice_continues_on_a_new_line)
{
    expect("tr", "bulgular iki nokta a nokta sonuç iki nokta b nokta bulgular iki nokta c nokta",
           "A.\nC.", "B.", NULL, NULL, NULL, NULL);
}

Test(report_structure, empty_section_and_heading_at_end)
{
    expect("en", "findings colon normal period impression colon", "Normal.", NULL, NULL, NULL, NULL,
           NULL);
}

Test(report_structure, exam_title_before_first_heading_is_dropped)
{
    expect_findings("tr", "beyin bt bulgular iki nokta beyin parankimi normal",
                    "Beyin parankimi normal.");
    expect_findings("tr", "kontrastsız beyin bt nokta bulgular iki nokta normal", "Normal.");
    expect_findings("en", "ct of the brain without contrast findings colon normal", "Normal.");
    expect_findings("en", "Chest X-ray PA.\nFINDINGS: Clear lungs.", "Clear lungs.");
    expect("en", "mri of the lumbar spine impression colon mild spondylosis", NULL, NULL,
           "Mild spondylosis.", NULL, NULL, NULL);
}

Test(report_structure, text_that_is_no_title_is_kept)
{
    /* Findings words make it text; without a modality word it is no title;
     * without a heading after it, it stays. */
    expect("en", "no acute hemorrhage on ct impression normal", "No acute hemorrhage on CT.", NULL,
           "Normal.", NULL, NULL, NULL);
    expect("tr", "beyin bt normal sonuç normal", "Beyin BT normal.", "Normal.", NULL, NULL, NULL,
           NULL);
    expect("tr", "sağ böbrek bulgular iki nokta kist", "Sağ böbrek.\nKist.", NULL, NULL, NULL, NULL,
           NULL);
    expect_findings("tr", "beyin bt", "Beyin BT.");
}

/* ---- punctuation and layout --------------------------------------------- */

Test(report_structure, english_punctuation_words)
{
    expect_findings("en",
                    "the liver comma spleen and pancreas are normal semicolon no ascites "
                    "period is there free air question mark no",
                    "The liver, spleen and pancreas are normal; no ascites. Is there free "
                    "air? No.");
    expect_findings("en", "normal full stop stable", "Normal. Stable.");
}

Test(report_structure, turkish_punctuation_words)
{
    expect_findings("tr",
                    "karaciğer virgül dalak ve pankreas normal noktalı virgül asit yok nokta "
                    "serbest hava var mı soru işareti yok",
                    "Karaciğer, dalak ve pankreas normal; asit yok. Serbest hava var mı? Yok.");
}

Test(report_structure, new_line_and_new_paragraph)
{
    expect_findings("en", "line one new line line two new paragraph line three",
                    "Line one.\nLine two.\n\nLine three.");
    expect_findings("tr", "birinci satır yeni satır ikinci satır yeni paragraf üçüncü",
                    "Birinci satır.\nİkinci satır.\n\nÜçüncü.");
    /* At most one blank line; nothing at the start of a section. */
    expect_findings("en", "new line new paragraph a new paragraph new paragraph new line b",
                    "A.\n\nB.");
}

Test(report_structure, parentheses)
{
    expect_findings("tr", "kist parantez aç basit parantez kapat izlendi", "Kist (basit) izlendi.");
    expect_findings("en", "flair open parenthesis fluid attenuated close parenthesis images",
                    "FLAIR (fluid attenuated) images.");
}

Test(report_structure, hyphen_and_slash_join)
{
    expect_findings("en", "disc bulge at l4 hyphen l5 and l5 dash s1",
                    "Disc bulge at L4-L5 and L5-S1.");
    expect_findings("tr", "l4 tire l5 düzeyinde t2 eğik çizgi flair", "L4-L5 düzeyinde T2/FLAIR.");
}

Test(report_structure, tidy_spaces_and_repeated_marks)
{
    expect_findings("tr", "normal , beyin .", "Normal, beyin.");
    expect_findings("tr", "normal nokta nokta", "Normal.");
    expect_findings("tr", "normal virgül nokta stabil", "Normal. Stabil.");
    expect_findings("en", "normal period comma stable", "Normal. Stable.");
    expect_findings("en", "  lots   of    spaces   ", "Lots of spaces.");
}

Test(report_structure, every_line_ends_with_a_period)
{
    expect_findings("en", "liver normal\nspleen normal\n\nkidneys normal",
                    "Liver normal.\nSpleen normal.\n\nKidneys normal.");
    expect_findings("en", "Kidneys:\nnormal", "Kidneys:\nNormal.");
    expect_findings("en", "ends with a dangling mark,", "Ends with a dangling mark.");
    expect_findings("en", "Is it normal? Yes!", "Is it normal? Yes!");
}

Test(report_structure, colon_the_organ)
{
    expect_findings("en", "the sigmoid colon is normal period colon wall thickening is absent",
                    "The sigmoid colon is normal. Colon wall thickening is absent.");
    expect_findings("en", "diverticula in the descending colon period",
                    "Diverticula in the descending colon.");
    expect_findings("en", "liver colon normal", "Liver: normal.");
    expect("en", "findings colon colon is unremarkable", "Colon is unremarkable.", NULL, NULL, NULL,
           NULL, NULL);
}

Test(report_structure, period_the_word)
{
    expect_findings("en", "stable over a period of six months period",
                    "Stable over a period of 6 months.");
    expect_findings("en", "stable during the follow-up period period no change",
                    "Stable during the follow-up period. No change.");
}

Test(report_structure, nokta_the_word)
{
    expect_findings("tr", "nokta şeklinde kalsifikasyon izlendi nokta",
                    "Nokta şeklinde kalsifikasyon izlendi.");
    expect_findings("tr", "iki nokta şeklinde kalsifikasyon", "İki nokta şeklinde kalsifikasyon.");
}

Test(report_structure, turkish_capitalisation)
{
    expect_findings("tr", "hasta istanbul dan nokta ılık nokta çok nokta şüpheli nokta ödem",
                    "Hasta istanbul dan. Ilık. Çok. Şüpheli. Ödem.");
    expect_findings("tr", "istanbul", "İstanbul.");
    expect_findings("en", "i think so", "I think so.");
    expect_findings("en", "élan period ñandu", "Élan. Ñandu.");
}

Test(report_structure, abbreviations_in_capitals)
{
    expect_findings("tr", "beyin bt'de ve mr'da t2 flair ve dwi normal",
                    "Beyin BT'de ve MR'da T2 FLAIR ve DWI normal.");
    expect_findings("en", "ct and mri show l4 and s1 and c5 and t12",
                    "CT and MRI show L4 and S1 and C5 and T12.");
    /* Typed capitals and ordinary words are left alone. */
    expect_findings("en", "Ct of the head and a pet scan of the l",
                    "Ct of the head and a PET scan of the l.");
}

Test(report_structure, typed_spacing_is_kept_inside_a_run)
{
    expect_findings("en", "call alert(1) and f(x)", "Call alert(1) and f(x).");
    expect_findings("tr", "kist(basit) ve a,b ile normal ,beyin",
                    "Kist(basit) ve a, b ile normal, beyin.");
}

Test(report_structure, abbreviation_dot_does_not_end_a_sentence)
{
    expect_findings("en", "small nodes e.g. in the hilum. stable vs. smaller",
                    "Small nodes e.g. in the hilum. Stable vs. smaller.");
}

/* ---- numbers and measurements ------------------------------------------- */

Test(report_structure, by_and_units_in_digits)
{
    expect_findings("en", "a 12 by 8 millimeters nodule", "A 12 x 8 mm nodule.");
    expect_findings("en", "measuring 3 by 4 by 5 centimeters", "Measuring 3 x 4 x 5 cm.");
    expect_findings("en", "12 mm and 3 centimetres and 5 millimetre", "12 mm and 3 cm and 5 mm.");
    expect_findings("en", "12 x 8 mm", "12 x 8 mm.");
    expect_findings("tr", "12 çarpı 8 milimetre boyutunda", "12 x 8 mm boyutunda.");
}

Test(report_structure, number_words_with_units)
{
    expect_findings("en", "two point five centimeters", "2.5 cm.");
    expect_findings("en", "three by four millimeters", "3 x 4 mm.");
    expect_findings("en", "one hundred and twenty millimeters", "120 mm.");
    expect_findings("en", "zero point zero five millimeters", "0.05 mm.");
    expect_findings("en", "twenty five mm", "25 mm.");
    expect_findings("en", "fifteen cc", "15 cc.");
    expect_findings("tr", "yirmi beş milimetre", "25 mm.");
    expect_findings("tr", "iki yüz on iki milimetre", "212 mm.");
    expect_findings("tr", "yüz santimetre", "100 cm.");
}

Test(report_structure, turkish_decimal_nokta)
{
    expect_findings("tr", "sağ böbrekte iki nokta beş santimetre boyutunda kist",
                    "Sağ böbrekte 2.5 cm boyutunda kist.");
    expect_findings("tr", "üç nokta iki santimetrelik kitle", "3.2 cm'lik kitle.");
    expect_findings("tr", "iki virgül beş cm", "2,5 cm.");
    expect_findings("tr", "2 nokta 5 santimetre", "2.5 cm.");
    expect_findings("tr", "2 nokta 5", "2.5.");
    expect_findings("tr", "bir nokta yirmi beş santimetreden küçük", "1.25 cm'den küçük.");
}

Test(report_structure, turkish_unit_suffixes)
{
    expect_findings("tr", "üç santimetrelik kitle ve beş milimetrelik nodül",
                    "3 cm'lik kitle ve 5 mm'lik nodül.");
    expect_findings("tr", "dört santimlik", "4 cm'lik.");
}

Test(report_structure, numbers_without_a_unit_stay_words)
{
    expect_findings("tr", "bir adet nodül", "Bir adet nodül.");
    expect_findings("en", "two nodules and one cyst", "Two nodules and one cyst.");
    expect_findings("en", "a few millimeters", "A few millimeters.");
    expect_findings("en", "one by one", "One by one.");
    /* "iki nokta" before a word that is no number is the colon. */
    expect_findings("tr", "boyut iki nokta küçük", "Boyut: küçük.");
}

Test(report_structure, typed_numbers_pass_through)
{
    expect_findings("en", "2.5 cm lesion at 12:30, stable.", "2.5 cm lesion at 12:30, stable.");
    expect_findings("tr", "2,5 cm'lik lezyon", "2,5 cm'lik lezyon.");
    expect_findings("en", "a .5 cm focus...stable", "A .5 cm focus. Stable.");
    expect_findings("en", "...ok", "Ok.");
}

Test(report_structure, heading_colon_wins_over_a_decimal)
{
    /* Right after a section word "iki nokta" is read as its colon. */
    expect_findings("tr", "bulgular iki nokta beş milimetrelik nodül", "5 mm'lik nodül.");
}

/* ---- more Turkish and English ------------------------------------------- */

Test(report_structure, turkish_casing_of_section_words)
{
    expect("tr", "İZLENİM: normal", NULL, NULL, "Normal.", NULL, NULL, NULL);
    expect("tr", "IZLENIM iki nokta normal", NULL, NULL, "Normal.", NULL, NULL, NULL);
    expect("tr", "SONUÇ: normal\nKARŞILAŞTIRMA: yok", NULL, "Normal.", NULL, NULL, NULL, "Yok.");
    expect("tr", "sonuc iki nokta normal", NULL, "Normal.", NULL, NULL, NULL, NULL);
    expect("tr", "anamnez iki nokta travma nokta ön tanı iki nokta kırık", NULL, NULL, NULL, NULL,
           "Travma.\nKırık.", NULL);
    expect("tr", "yorum iki nokta normal", NULL, "Normal.", NULL, NULL, NULL, NULL);
}

Test(report_structure, turkish_half_and_line_start)
{
    expect_findings("tr", "iki buçuk santimetre", "2,5 cm.");
    expect_findings("tr", "iki tam onda beş santimetre", "2,5 cm.");
    expect_findings("tr", "beş milimetre", "5 mm.");
    expect_findings("tr", "bir satır başı iki", "Bir.\nİki.");
}

Test(report_structure, english_half)
{
    expect_findings("en", "two and a half centimeters", "2.5 cm.");
    expect_findings("en", "twelve by eight millimeters", "12 x 8 mm.");
}

Test(report_structure, exam_titles_ending_in_grafi)
{
    expect_findings("tr", "akciğer grafisi bulgular iki nokta sinüsler açık", "Sinüsler açık.");
    expect_findings("tr", "bilgisayarlı tomografi bulgular iki nokta normal", "Normal.");
}

/* ---- Russian ------------------------------------------------------------ */

Test(report_structure, russian_all_sections)
{
    expect("ru",
           "клинические данные двоеточие головная боль точка техника двоеточие нативное "
           "исследование точка сравнение двоеточие нет точка описание двоеточие желудочки не "
           "расширены точка заключение двоеточие норма точка впечатление двоеточие без патологии",
           "Желудочки не расширены.", "Норма.", "Без патологии.", "Нативное исследование.",
           "Головная боль.", "Нет.");
}

Test(report_structure, russian_section_words_and_casing)
{
    expect("ru", "ОПИСАНИЕ: Норма.\nЗАКЛЮЧЕНИЕ: Патологии не выявлено.", "Норма.",
           "Патологии не выявлено.", NULL, NULL, NULL, NULL);
    expect("ru", "Заключение Признаков патологии не выявлено", NULL,
           "Признаков патологии не выявлено.", NULL, NULL, NULL, NULL);
    expect("ru", "находки двоеточие киста точка в заключение норма", "Киста.", "Норма.", NULL, NULL,
           NULL, NULL);
    expect("ru", "анамнез двоеточие травма точка методика двоеточие мскт точка", NULL, NULL, NULL,
           "МСКТ.", "Травма.", NULL);
    /* No heading with a sentence around it. */
    expect_findings("ru", "создается впечатление о наличии кисты точка",
                    "Создается впечатление о наличии кисты.");
    expect_findings("ru", "описание не представлено точка", "Описание не представлено.");
}

Test(report_structure, russian_exam_title_is_dropped)
{
    expect("ru", "мскт головного мозга описание очаговых изменений нет заключение норма",
           "Очаговых изменений нет.", "Норма.", NULL, NULL, NULL, NULL);
}

Test(report_structure, russian_punctuation_and_layout)
{
    expect_findings("ru",
                    "печень запятая селезенка в норме точка с запятой асцита нет точка есть ли "
                    "газ вопросительный знак нет",
                    "Печень, селезенка в норме; асцита нет. Есть ли газ? Нет.");
    expect_findings("ru", "первая новая строка вторая новый абзац третья",
                    "Первая.\nВторая.\n\nТретья.");
    expect_findings("ru", "уровень l4 дефис l5 косая черта s1 открыть скобку норма закрыть скобку",
                    "Уровень L4-L5/S1 (норма).");
    /* "точка" the word. */
    expect_findings("ru", "точка окостенения сохранена точка", "Точка окостенения сохранена.");
    expect_findings("ru", "с точки зрения точка", "С точки зрения.");
}

Test(report_structure, russian_numbers_and_units)
{
    expect_findings("ru", "двенадцать на восемь миллиметров", "12 x 8 мм.");
    expect_findings("ru", "киста размером две целых пять десятых сантиметра",
                    "Киста размером 2,5 см.");
    expect_findings("ru", "киста два с половиной сантиметра", "Киста 2,5 см.");
    expect_findings("ru", "сто двадцать пять миллиметров", "125 мм.");
    expect_findings("ru", "два запятая пять см", "2,5 см.");
    expect_findings("ru", "два точка пять см", "2.5 см.");
    expect_findings("ru", "до двух сантиметров", "До 2 см.");
    expect_findings("ru", "два узла", "Два узла.");
}

Test(report_structure, russian_capitals_and_acronyms)
{
    expect_findings("ru", "по данным кт и мрт норма точка узи без особенностей",
                    "По данным КТ и МРТ норма. УЗИ без особенностей.");
}

/* ---- Azerbaijani -------------------------------------------------------- */

Test(report_structure, azerbaijani_all_sections)
{
    expect("az",
           "kliniki məlumat iki nöqtə baş ağrısı nöqtə texnika iki nöqtə kontrastsız nöqtə "
           "müqayisə iki nöqtə yoxdur nöqtə tapıntılar iki nöqtə patologiya yoxdur nöqtə nəticə "
           "iki nöqtə norma nöqtə təəssürat iki nöqtə sağlam",
           "Patologiya yoxdur.", "Norma.", "Sağlam.", "Kontrastsız.", "Baş ağrısı.", "Yoxdur.");
}

Test(report_structure, azerbaijani_section_words_and_casing)
{
    expect("az", "Nəticə: patologiya yoxdur", NULL, "Patologiya yoxdur.", NULL, NULL, NULL, NULL);
    expect("az", "NƏTİCƏ: Norma.\nMÜQAYİSƏ: yoxdur", NULL, "Norma.", NULL, NULL, NULL, "Yoxdur.");
    expect("az", "bulğular iki nöqtə kista nöqtə rəy iki nöqtə kista", "Kista.", "Kista.", NULL,
           NULL, NULL, NULL);
    expect_findings("az", "bu nəticə gözlənilən idi", "Bu nəticə gözlənilən idi.");
}

Test(report_structure, azerbaijani_punctuation_numbers_and_capitals)
{
    expect_findings("az", "nöqtə şəklində kalsifikat nöqtə", "Nöqtə şəklində kalsifikat.");
    expect_findings("az", "qaraciyər vergül dalaq normaldır nöqtəli vergül maye yoxdur",
                    "Qaraciyər, dalaq normaldır; maye yoxdur.");
    expect_findings("az", "ilk yeni sətir ikinci yeni abzas üçüncü", "İlk.\nİkinci.\n\nÜçüncü.");
    expect_findings("az", "beş millimetr", "5 mm.");
    expect_findings("az", "iyirmi beş millimetr", "25 mm.");
    expect_findings("az", "iki tam onda beş santimetrlik kista", "2,5 sm-lik kista.");
    expect_findings("az", "iki vergül beş sm", "2,5 sm.");
    expect_findings("az", "iki yarım santimetr", "2,5 sm.");
    expect_findings("az", "istanbul nöqtə ıslaq nöqtə əla", "İstanbul. Islaq. Əla.");
    expect_findings("az", "kt və mrt", "KT və MRT.");
}

/* ---- French ------------------------------------------------------------- */

Test(report_structure, french_all_sections)
{
    expect("fr",
           "renseignements cliniques deux points céphalées point technique deux points coupes "
           "axiales sans injection point comparaison deux points aucun point résultats deux "
           "points ventricules normaux point conclusion deux points normal point impression "
           "deux points rien",
           "Ventricules normaux.", "Normal.", "Rien.", "Coupes axiales sans injection.",
           "Céphalées.", "Aucun.");
}

Test(report_structure, french_section_words_and_casing)
{
    expect("fr", "RÉSULTATS : Absence d'anomalie.\nCONCLUSION : Normal.", "Absence d'anomalie.",
           "Normal.", NULL, NULL, NULL, NULL);
    expect("fr", "Au total : examen normal.", NULL, "Examen normal.", NULL, NULL, NULL, NULL);
    expect("fr", "constatations deux points kyste point en conclusion kyste simple", "Kyste.",
           "Kyste simple.", NULL, NULL, NULL, NULL);
    expect("fr", "IRM cérébrale résultats deux points normal", "Normal.", NULL, NULL, NULL, NULL,
           NULL);
    expect_findings("fr", "les résultats sont compatibles avec une pneumonie",
                    "Les résultats sont compatibles avec une pneumonie.");
    expect_findings("fr", "l'indication est claire point", "L'indication est claire.");
}

Test(report_structure, french_punctuation_and_guards)
{
    expect_findings("fr",
                    "foie virgule rate normaux point-virgule pas d'ascite point y a-t-il de "
                    "l'air point d'interrogation non",
                    "Foie, rate normaux; pas d'ascite. Y a-t-il de l'air? Non.");
    expect_findings("fr", "première à la ligne deuxième nouveau paragraphe troisième",
                    "Première.\nDeuxième.\n\nTroisième.");
    expect_findings("fr", "kyste ouvrir la parenthèse simple fermer la parenthèse",
                    "Kyste (simple).");
    expect_findings("fr", "L4 tiret L5 barre oblique S1", "L4-L5/S1.");
    expect_findings("fr", "au point de ponction pas d'hématome point",
                    "Au point de ponction pas d'hématome.");
}

Test(report_structure, french_numbers_and_units)
{
    expect_findings("fr", "douze millimètres", "12 mm.");
    expect_findings("fr", "nodule de douze sur huit millimètres", "Nodule de 12 x 8 mm.");
    expect_findings("fr", "deux virgule cinq centimètres", "2,5 cm.");
    expect_findings("fr", "soixante-dix-sept mm et quatre-vingt-dix-neuf mm", "77 mm et 99 mm.");
    expect_findings("fr", "vingt et un centimètres", "21 cm.");
    expect_findings("fr", "deux centimètres et demi", "2,5 cm.");
    expect_findings("fr", "un nodule", "Un nodule.");
}

/* ---- German ------------------------------------------------------------- */

Test(report_structure, german_all_sections)
{
    expect("de",
           "klinische Angaben Doppelpunkt Kopfschmerzen Punkt Technik Doppelpunkt native "
           "Schichten Punkt Vergleich Doppelpunkt keine Punkt Befund Doppelpunkt Ventrikel "
           "normal Punkt Beurteilung Doppelpunkt normal Punkt Eindruck Doppelpunkt unauffällig",
           "Ventrikel normal.", "Normal.", "Unauffällig.", "Native Schichten.", "Kopfschmerzen.",
           "Keine.");
}

Test(report_structure, german_section_words_and_casing)
{
    expect("de", "BEFUND: Leber unauffällig.\nBEURTEILUNG: Normalbefund.", "Leber unauffällig.",
           "Normalbefund.", NULL, NULL, NULL, NULL);
    expect("de", "Befunde: Leber unauffällig. Zusammenfassung: Normal.", "Leber unauffällig.",
           "Normal.", NULL, NULL, NULL, NULL);
    expect("de", "Fragestellung Doppelpunkt Blutung Punkt Voraufnahmen Doppelpunkt keine", NULL,
           NULL, NULL, NULL, "Blutung.", "Keine.");
    expect("de", "MRT des Schädels Befund Doppelpunkt normal", "Normal.", NULL, NULL, NULL, NULL,
           NULL);
    expect_findings("de", "der Befund ist unverändert Punkt", "Der Befund ist unverändert.");
    expect_findings("de", "zur Beurteilung der Lunge Punkt", "Zur Beurteilung der Lunge.");
    /* In a run without punctuation "Beurteilung keine ..." opens the
     * conclusion, as German reports write it; "eine Beurteilung" does not. */
    expect("de", "Neurokranium unauffällig Beurteilung keine intrakranielle Pathologie",
           "Neurokranium unauffällig.", "Keine intrakranielle Pathologie.", NULL, NULL, NULL, NULL);
    expect_findings("de", "eine Beurteilung kein Problem", "Eine Beurteilung kein Problem.");
}

Test(report_structure, german_punctuation_and_guards)
{
    expect_findings("de",
                    "Leber Komma Milz unauffällig Semikolon kein Aszites Punkt freie Luft "
                    "Fragezeichen nein",
                    "Leber, Milz unauffällig; kein Aszites. Freie Luft? Nein.");
    expect_findings("de", "erste neue Zeile zweite neuer Absatz dritte Absatz vierte",
                    "Erste.\nZweite.\n\nDritte.\n\nVierte.");
    expect_findings("de", "Zyste Klammer auf einfach Klammer zu", "Zyste (einfach).");
    expect_findings("de", "L4 Bindestrich L5 Schrägstrich S1", "L4-L5/S1.");
    expect_findings("de", "ein Punkt von Interesse Punkt", "Ein Punkt von Interesse.");
}

Test(report_structure, german_numbers_and_units)
{
    expect_findings("de", "zwölf Millimeter", "12 mm.");
    expect_findings("de", "zweiundzwanzig Zentimeter", "22 cm.");
    expect_findings("de", "hundertfünfundzwanzig mm", "125 mm.");
    expect_findings("de", "zwölf mal acht Millimeter großer Herd", "12 x 8 mm großer Herd.");
    expect_findings("de", "zwei Komma fünf Zentimeter", "2,5 cm.");
    expect_findings("de", "zwei einhalb Zentimeter", "2,5 cm.");
    expect_findings("de", "eine 2 cm große Zyste", "Eine 2 cm große Zyste.");
    expect_findings("de", "mrt und ct", "MRT und CT.");
}

/* ---- empty and errors --------------------------------------------------- */

Test(report_structure, empty_inputs)
{
    expect("tr", "", NULL, NULL, NULL, NULL, NULL, NULL);
    expect("tr", "   \n\n  ", NULL, NULL, NULL, NULL, NULL, NULL);
    expect("tr", "nokta virgül yeni satır", NULL, NULL, NULL, NULL, NULL, NULL);
    expect("en", "findings colon impression colon", NULL, NULL, NULL, NULL, NULL, NULL);
}

Test(report_structure, errors_leave_out_untouched)
{
    report_sections s = {{NULL}};
    char sentinel[] = "x";
    s.text[0] = sentinel;
    cr_assert_eq(report_structure("bad \xC3\x28", "tr", &s), RA_ERR_INVALID);
    cr_assert_eq(report_structure("ok", "xx", &s), RA_ERR_INVALID);
    cr_assert_eq(report_structure("ok", "tr-", &s), RA_ERR_INVALID);
    cr_assert_eq(report_structure("ok", NULL, &s), RA_ERR_INVALID);
    cr_assert_eq(report_structure(NULL, "tr", &s), RA_ERR_INVALID);
    cr_assert_eq(report_structure("ok", "tr", NULL), RA_ERR_INVALID);
    cr_assert_eq(s.text[0], sentinel);
    size_t n = REPORT_MAX_TRANSCRIPT_BYTES + 1;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    cr_assert_eq(report_structure(big, "tr", &s), RA_ERR_TOO_LARGE);
    cr_assert_eq(s.text[0], sentinel);
    free(big);
}

Test(report_structure, largest_transcript)
{
    /* A megabyte of dictation, words and commands mixed, in bounded time. */
    const char *chunk = "bulgular iki nokta karaciğer normal virgül iki nokta beş santimetre "
                        "kist nokta sonuç normal yeni satır ";
    size_t clen = strlen(chunk), n = REPORT_MAX_TRANSCRIPT_BYTES / clen;
    char *big = malloc(n * clen + 1);
    cr_assert_not_null(big);
    for (size_t i = 0; i < n; i++)
        memcpy(big + i * clen, chunk, clen);
    big[n * clen] = '\0';
    report_sections s = {{NULL}};
    clock_t t0 = clock();
    cr_assert_eq(report_structure(big, "tr", &s), RA_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    cr_assert_lt(secs, 10.0, "took %.2f s", secs);
    cr_assert_not_null(s.text[REPORT_SEC_BULGULAR]);
    const char *want = "Karaciğer normal, 2.5 cm kist.\nKaraciğer normal, 2.5 cm kist.\n";
    cr_assert_eq(strncmp(s.text[REPORT_SEC_BULGULAR], want, strlen(want)), 0, "%.80s",
                 s.text[REPORT_SEC_BULGULAR]);
    cr_assert_eq(strncmp(s.text[REPORT_SEC_SONUC], "Normal.\nNormal.\n", 16), 0);
    size_t lines = 0;
    for (const char *p = s.text[REPORT_SEC_SONUC]; *p != '\0'; p++)
        lines += *p == '\n';
    cr_assert_eq(lines + 1, n);
    report_sections_release(&s);
    free(big);
}

/* ---- helpers ------------------------------------------------------------ */

Test(report_structure, lang_normalize)
{
    cr_assert_str_eq(report_lang_normalize("tr"), "tr");
    cr_assert_str_eq(report_lang_normalize("TR"), "tr");
    cr_assert_str_eq(report_lang_normalize("tr-TR"), "tr");
    cr_assert_str_eq(report_lang_normalize("en_US"), "en");
    cr_assert_str_eq(report_lang_normalize("En"), "en");
    cr_assert_null(report_lang_normalize("t"));
    cr_assert_null(report_lang_normalize("tur"));
    cr_assert_null(report_lang_normalize("tr-"));
    cr_assert_str_eq(report_lang_normalize("ru"), "ru");
    cr_assert_str_eq(report_lang_normalize("AZ"), "az");
    cr_assert_str_eq(report_lang_normalize("fr-FR"), "fr");
    cr_assert_str_eq(report_lang_normalize("de_DE"), "de");
    cr_assert_null(report_lang_normalize("xx"));
    cr_assert_null(report_lang_normalize("es"));
    cr_assert_null(report_lang_normalize(""));
    cr_assert_null(report_lang_normalize(NULL));
}

Test(report_structure, sections_empty_and_release)
{
    report_sections s = {{NULL}};
    cr_assert(report_sections_empty(&s));
    cr_assert(report_sections_empty(NULL));
    s.text[REPORT_SEC_IZLENIM] = strdup("");
    cr_assert(report_sections_empty(&s));
    free(s.text[REPORT_SEC_IZLENIM]);
    s.text[REPORT_SEC_IZLENIM] = strdup("Normal.");
    cr_assert_not(report_sections_empty(&s));
    report_sections_release(&s);
    cr_assert_null(s.text[REPORT_SEC_IZLENIM]);
    report_sections_release(NULL);
}

/* ---- natural dictation: sentences and headings marked by pauses ---------- */

Test(report_structure, headings_said_alone_between_pauses)
{
    expect("en",
           "Chest CT with contrast. Findings. There is a five millimeter nodule in the right "
           "upper lobe. The heart size is normal. Impression. Small pulmonary nodule. Follow up "
           "CT in twelve months is recommended.",
           "There is a 5 mm nodule in the right upper lobe. The heart size is normal.", NULL,
           "Small pulmonary nodule. Follow up CT in 12 months is recommended.", NULL, NULL, NULL);
}

Test(report_structure, a_title_said_as_a_sentence_of_its_own_is_dropped)
{
    expect("en", "Head CT without contrast. There is no acute hemorrhage. Impression. Normal.",
           "There is no acute hemorrhage.", NULL, "Normal.", NULL, NULL, NULL);
    /* A body part alone, and a side, make a title too. */
    expect_findings("en", "Lumbar spine. There is a disc bulge at L4 L5.",
                    "There is a disc bulge at L4 L5.");
    expect_findings("en", "Right knee. The menisci are intact.", "The menisci are intact.");
    /* A modality misheard as other words: a report heading must follow. */
    expect_findings("en", "Lumbar is tear. Findings. Disc bulge.", "Disc bulge.");
    expect_findings("en", "Lumbar is tear. Disc bulge.", "Lumbar is tear. Disc bulge.");
    /* Not titles: a sentence that names the modality as its subject. */
    expect_findings("en", "CT shows no bleed.", "CT shows no bleed.");
    expect_findings("en", "Brain normal.", "Brain normal.");
}

Test(report_structure, headings_in_a_run_without_boundaries)
{
    /* A sentence ending in "normal" does not make "impression" a word. */
    expect("en",
           "findings the lungs are clear the heart is normal impression no acute "
           "cardiopulmonary disease",
           "The lungs are clear the heart is normal.", NULL, "No acute cardiopulmonary disease.",
           NULL, NULL, NULL);
    /* A long title runs into its first heading. */
    expect("en",
           "ct of the abdomen and pelvis with intravenous contrast indication pain findings the "
           "appendix is normal impression normal",
           "The appendix is normal.", NULL, "Normal.", NULL, "Pain.", NULL);
    /* "normal findings" are words; the guarded cases stay words. */
    expect_findings("en", "the study shows normal findings for age",
                    "The study shows normal findings for age.");
    expect_findings("en", "mass effect with impression on the ventricle",
                    "Mass effect with impression on the ventricle.");
}

Test(report_structure, durations_and_spoken_decimals_in_digits)
{
    expect_findings("en", "consistent with twenty one weeks and six days",
                    "Consistent with 21 weeks and 6 days.");
    expect_findings("en", "fetal heart rate is one hundred forty eight beats per minute",
                    "Fetal heart rate is 148 beats per minute.");
    expect_findings("en", "the ratio is one point three", "The ratio is 1.3.");
    /* Counts of things stay words; so do numbers before a decimal word
     * that is also a spoken command. */
    expect_findings("en", "two nodules", "Two nodules.");
    expect("tr", "bulgular iki nokta normal", "Normal.", NULL, NULL, NULL, NULL, NULL);
}

Test(report_structure, both_ends_of_a_range_with_one_unit)
{
    expect_findings("en", "decreased from fourteen to six millimeters",
                    "Decreased from 14 to 6 mm.");
    expect_findings("ru", "уменьшился с четырнадцати до шести миллиметров",
                    "Уменьшился с 14 до 6 мм.");
    /* Without a unit after it, "to" is a word. */
    expect_findings("en", "one to two lesions", "One to two lesions.");
    expect_findings("de", "seit sechs Monaten stabil", "Seit 6 Monaten stabil.");
}

Test(report_structure, findings_after_a_preamble_may_open_with_a_preposition)
{
    expect("en", "indication pain in the hip findings at the site of pain there is a fracture",
           "At the site of pain there is a fracture.", NULL, NULL, NULL, "Pain in the hip.", NULL);
    expect("ru", "сравнение с прошлым годом описание в правой почке киста", "В правой почке киста.",
           NULL, NULL, NULL, NULL, "С прошлым годом.");
    /* Elsewhere a preposition after it still makes it a word. */
    expect_findings("en", "the findings at this level are stable",
                    "The findings at this level are stable.");
}

Test(report_structure, a_title_with_words_of_its_own_before_a_report_heading)
{
    expect("en", "mr arthrogram of the left shoulder technique dilute gadolinium findings intact",
           "Intact.", NULL, NULL, "Dilute gadolinium.", NULL, NULL);
    expect("en", "Restaging PET CT. Findings. No new lesions.", "No new lesions.", NULL, NULL, NULL,
           NULL, NULL);
    /* Without a modality such words are content ("Knee pain" is clinical). */
    expect_findings("en", "Knee pain. Findings. Effusion.", "Knee pain.\nEffusion.");
}

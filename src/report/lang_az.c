/* lang_az.c - Azerbaijani for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. Folded
 * forms keep ə, x and q and lose the other marks ("müqayisə" ->
 * "muqayisə", "nöqtə" -> "noqtə"). Centimetres are written "sm", and a
 * suffix after a unit takes a hyphen ("5 sm-lik"), as Azerbaijani writes
 * them. */
#include "report/lang.h"

#define NOUN_NOQTE "səklində|tipli|formali|kimi|səkilli"

static const report_phrase phrases[] = {
    REPORT_SECTION("tapintilar", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("bulgular", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("təsvir", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("nəticə", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("nəticə olaraq", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("rəy", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("yekun", REPORT_SEC_SONUC, 0, NULL),
    REPORT_SECTION("yekun rəy", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("təəssurat", REPORT_SEC_IZLENIM, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("texnika", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("muayinə texnikasi", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("metodika", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("kliniki məlumat", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("kliniki məlumatlar", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinik məlumat", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("anamnez", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("gostəris", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("ilkin diaqnoz", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("muqayisə", REPORT_SEC_KARSILASTIRMA, 0, "edil*|ucun|məqsədilə"),
    {"noqtə", REPORT_ACT_PUNCT, '.', 0, NULL, NOUN_NOQTE},
    REPORT_PUNCT("vergul", ','),
    {"iki noqtə", REPORT_ACT_PUNCT, ':', 0, NULL, NOUN_NOQTE},
    REPORT_PUNCT("noqtəli vergul", ';'),
    REPORT_PUNCT("sual isarəsi", '?'),
    REPORT_PUNCT("nida isarəsi", '!'),
    REPORT_LINE("yeni sətir"),
    REPORT_LINE("yeni sətr"),
    REPORT_LINE("asagi sətir"),
    REPORT_PARAGRAPH("yeni abzas"),
    REPORT_PARAGRAPH("yeni paraqraf"),
    REPORT_PUNCT("motərizə ac", '('),
    REPORT_PUNCT("motərizəni ac", '('),
    REPORT_PUNCT("motərizə bagla", ')'),
    REPORT_PUNCT("motərizəni bagla", ')'),
    REPORT_PUNCT("tire", '-'),
    REPORT_PUNCT("defis", '-'),
    REPORT_PUNCT("cəp xətt", '/'),
    REPORT_PUNCT("cəp xətti", '/'),
};

static const report_unit units[] = {
    {"millimetr", "mm", 1}, {"milimetr", "mm", 1},  {"santimetr", "sm", 1},
    {"santim", "sm", 1},    {"millilitr", "ml", 1}, {"mm", "mm", 0},
    {"sm", "sm", 0},        {"cm", "cm", 0},        {"ml", "ml", 0},
};

const report_lang report_lang_az = {
    .code = "az",
    .turkic = 1,
    .titles = {"TAPINTILAR", "NƏTİCƏ", "TƏƏSSÜRAT", "TEXNİKA", "KLİNİKİ MƏLUMAT", "MÜQAYİSƏ"},
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "ilə|kimi|ucun|və|ya|deyil|deyildir|olaraq|uygun*|ehtimal*|gostərir|gostərdi|"
             "baximindan|səbəbindən",
    .qualifiers = "bu|o|bir|hec|diger|digər|oxsar|eyni|dəqiq|yeni|əlavə|butun|bəzi|uygun|"
                  "patoloji|radioloji|son|ilkin|hər",
    .conclusive = "uygun*|dusundur*|ehtimal*|lehinə*|mumkundur",
    .title_words = "və|ilə|sag|sol|ikitərəfli|kontrast*|kontrastsiz|muayinə*|orqanlari|"
                   "boslugu|fəqərə*|sutun*|vəzi*|pa|ap|lateral|kompyuter|maqnit|rezonans",
    .ones = {"sifir", "bir", "iki", "uc", "dord", "bes", "alti", "yeddi", "səkkiz", "doqquz"},
    .tens = {NULL, "on", "iyirmi", "otuz", "qirx", "əlli", "altmis", "yetmis", "səksən", "doxsan"},
    .hundred = "yuz",
    .dec_point = "noqtə",
    .dec_comma = "vergul|tam",
    .frac_before = "onda|yuzdə|mində",
    .half = "yarim",
    .half_sep = ',',
    .by = "x|vurulsun|carpi",
    .units = units,
    .n_units = sizeof units / sizeof units[0],
    .suffix_mark = '-',
    .modality = {"pet|pozitron*", "ssintiqrafiya*|sintiqrafiya*|spect",
                 "mamoqrafiya*|mammoqrafiya*", "mrt|mr|mri|maqnit rezonans*",
                 "kt|ct|kompyuter tomoqrafiya*|tomoqrafiya*",
                 "usm|usq|ultrasəs*|exoqrafiya*|doppler*|sonoqrafiya*", "densitometriya*|dexa|dxa",
                 "angioqrafiya*|anqioqrafiya*", "rentgenoskopiya*|floroskopiya*",
                 "rentgen*|*qrafiya|*qrafiyasi|*qrafiyada|*qramma"},
    .body = {"hamilə*|dol|dolun|fetal*", "sud vəzi*|sud vəzilər*|meme*", "qalxanabənzər*|tiroid*",
             "beyin*|beyn*|kəllə*|kranial*", "boyun*|servikal*", "dos fəqərə*|torakal*",
             "bel|beldə|bel fəqərə*|lumbal*|lomber*", "dos qəfəs*|agciyər*", "qarin*|abdominal*",
             "canaq*|kicik canaq*", "diz*", "ciyin*",
             "əl|əli|ayaq*|bilək*|dirsək*|qol|qic*|barmaq*"},
    .ordinals = {"birinci", "ikinci", "ucuncu", "dorduncu", "besinci", "altinci", "yeddinci",
                 "səkkizinci", "doqquzuncu", "onuncu"},
    .next = "digər|diger|novbəti|sonraki|o biri",
    .nouns = "muayinə*|tədqiqat*|hesabat*|cəkilis*",
    .ref_before = "əvvəlki|kohnə|kecmis",
    .ref_after = "muqayisə*|korrelyasiya*|tovsiyə*|qiymətləndiril*",
};

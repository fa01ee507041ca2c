/* lang_tr.c - Turkish for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. */
#include "report/lang.h"

#define NOUN_NOKTA "seklinde|tarzinda|halinde|gibi|biciminde"

static const report_phrase phrases[] = {
    REPORT_SECTION("bulgular", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("radyolojik bulgular", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("inceleme bulgulari", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("sonuc", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("sonuc olarak", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("sonuc ve oneriler", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("yorum", REPORT_SEC_SONUC, 0, "yapil*|edil*|icin|gerektir*"),
    REPORT_SECTION("izlenim", REPORT_SEC_IZLENIM, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("teknik", REPORT_SEC_TEKNIK, 0,
                   "nedenle*|sinirli*|yetersiz*|yeterli*|zorluk*|artefakt*|olarak"),
    REPORT_SECTION("inceleme teknigi", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("klinik bilgi", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinik bilgiler", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinik bulgular", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinik oyku", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("endikasyon", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("anamnez", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("on tani", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinik", REPORT_SEC_KLINIK, 0,
                   "korelasyon*|takip*|oneril*|degerlendirme*|tablo*|oneri*|acidan|izlem*"),
    REPORT_SECTION("karsilastirma", REPORT_SEC_KARSILASTIRMA, 0, "yapil*|amacli|amaciyla"),
    {"nokta", REPORT_ACT_PUNCT, '.', 0, NULL, NOUN_NOKTA},
    REPORT_PUNCT("virgul", ','),
    {"iki nokta", REPORT_ACT_PUNCT, ':', 0, NULL, NOUN_NOKTA},
    REPORT_PUNCT("iki nokta ust uste", ':'),
    REPORT_PUNCT("noktali virgul", ';'),
    REPORT_PUNCT("soru isareti", '?'),
    REPORT_PUNCT("unlem isareti", '!'),
    REPORT_LINE("yeni satir"),
    REPORT_LINE("alt satir"),
    REPORT_LINE("satir basi"),
    REPORT_PARAGRAPH("yeni paragraf"),
    REPORT_PUNCT("parantez ac", '('),
    REPORT_PUNCT("parantez kapat", ')'),
    REPORT_PUNCT("parantez kapa", ')'),
    REPORT_PUNCT("tire", '-'),
    REPORT_PUNCT("kisa cizgi", '-'),
    REPORT_PUNCT("egik cizgi", '/'),
    REPORT_PUNCT("slas", '/'),
};

static const report_unit units[] = {
    {"milimetre", "mm", 1}, {"santimetre", "cm", 1}, {"santim", "cm", 1}, {"mililitre", "ml", 1},
    {"mm", "mm", 0},        {"cm", "cm", 0},         {"ml", "ml", 0},     {"cc", "cc", 0},
};

const report_lang report_lang_tr = {
    .code = "tr",
    .turkic = 1,
    .titles = {"BULGULAR", "SONUÇ", "İZLENİM", "TEKNİK", "KLİNİK BİLGİ", "KARŞILAŞTIRMA"},
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "ile|olarak|icin|ve|veya|degil|degildir|acisindan|nedeniyle|uyumlu*|dusundur*",
    .qualifiers = "bu|su|o|bir|hicbir|herhangi|diger|benzer|ayni|kesin|yeni|ek|tum|bazi|uyumlu|"
                  "patolojik|radyolojik|ilgili|olan|son|nihai|ilk",
    .conclusive = "uyumlu*|dusundur*|lehine*|olabilir|olasidir|muhtemeldir",
    .title_words = "dorsal|omurga*|vertebra*|abdominopelvi*|diz*|sinus*|paranazal|orbita*|"
                   "temporal|hipofiz*|kalca*|renal|bobrek*|uriner|tum|yuz|kontrast*|ve|ile|sag|"
                   "sol|bilateral|tetkik*|inceleme*|pa|ap|lateral|iv|oral|dinamik|"
                   "multiparametri*|protokol*|dusuk|doz*|hrct|yuksek|rezolusyon*|x|ray|"
                   "bilgisayarli",
    .ones = {"sifir", "bir", "iki", "uc", "dort", "bes", "alti", "yedi", "sekiz", "dokuz"},
    .tens = {NULL, "on", "yirmi", "otuz", "kirk", "elli", "altmis", "yetmis", "seksen", "doksan"},
    .hundred = "yuz",
    .dec_point = "nokta",
    .dec_comma = "virgul|tam",
    .frac_before = "onda|yuzde|binde",
    .half = "bucuk",
    .half_sep = ',',
    .by = "carpi|x",
    .units = units,
    .n_units = sizeof units / sizeof units[0],
    .suffix_mark = '\'',
    .modality = {"pet|pozitron*", "sintigra*|spect", "mamogra*|mammogra*|tomosentez*",
                 "mr|mrg|mri|mra|mrcp|emar|manyetik rezonans*", "bt|ct|bta|cta|tomografi*",
                 "usg|ultrason*|doppler*|sonogra*|ekografi*", "dansitometri*|dexa|dxa",
                 "anjiyo*|anjio*|dsa|arteriyogra*", "floroskopi*|fluoroskopi*|skopi*",
                 "*grafi|*grafisi|*grafileri|*grafiler|rontgen*|x ray*|xray*|film|filmi"},
    .body = {"obstetri*|gebelik*|fetal*|fetus*", "meme*", "tiroid*|tiroit*",
             "beyin*|beyn*|kranial*|kraniyal*|intrakranial*|kafa*", "servikal*|boyun*",
             "torakal*|dorsal vertebra*|dorsal omurga*", "lomber*|lumbosakral*|bel",
             "toraks*|akciger*|gogus*", "batin*|abdom*|karin*|karn*", "pelvis*|pelvik*",
             "diz|dizde|dizin", "omuz*",
             "el|eli|ayak*|bilek*|dirsek*|kol|bacak*|parmak*|ekstremite*|humerus*|femur*|"
             "tibia*|fibula*"},
    .ordinals = {"birinci", "ikinci", "ucuncu", "dorduncu", "besinci", "altinci", "yedinci",
                 "sekizinci", "dokuzuncu", "onuncu"},
    .next = "diger|sonraki|siradaki|bir sonraki|ote*",
    .nouns = "tetkik*|inceleme*|cekim*|calisma*|rapor*",
    .ref_before = "onceki|eski|gecmis",
    .ref_after = "karsilastir*|korelasyon*|oneril*|degerlendirilme*|kiyas*",
};

/* lang_de.c - German for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers (written as one word,
 * "zweiundzwanzig") and units, exam words. Folded forms lose the umlaut
 * dots ("Schrägstrich" -> "schragstrich") and keep ß. */
#include "report/lang.h"

#define ARTICLE "ein|einen|einem|eines|der|dem|den|des|jeder|jedem|dies*|am|im|zum|vom"

/* Words after which "Befund" is a plain word ("unauffälliger Befund"); they
 * end sentences too often to guard every section word. */
#define BEFUND_AFTER "auffallig*|unauffallig*|pathologisch*|eingeschrankt*|erschwert*"

static const report_phrase phrases[] = {
    {"befund", REPORT_ACT_SECTION, REPORT_SEC_BULGULAR, 0, BEFUND_AFTER, NULL},
    {"befunde", REPORT_ACT_SECTION, REPORT_SEC_BULGULAR, 0, BEFUND_AFTER, NULL},
    REPORT_SECTION("befundbeschreibung", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("beurteilung", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("zusammenfassung", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("zusammenfassende beurteilung", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("fazit", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("eindruck", REPORT_SEC_IZLENIM, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("technik", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("untersuchungstechnik", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("methode", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("untersuchungsprotokoll", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("protokoll", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("klinische angaben", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinische angabe", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinische information", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinische informationen", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("klinik", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("fragestellung", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("anamnese", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("indikation", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("rechtfertigende indikation", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("vergleich", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("voraufnahmen", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("voraufnahme", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("vorbefunde", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("vorbefund", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("voruntersuchung", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("voruntersuchungen", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    {"punkt", REPORT_ACT_PUNCT, '.', 0, ARTICLE "|wichtig*|kritisch*|einzig*", "fur"},
    REPORT_PUNCT("komma", ','),
    REPORT_PUNCT("doppelpunkt", ':'),
    REPORT_PUNCT("semikolon", ';'),
    REPORT_PUNCT("strichpunkt", ';'),
    REPORT_PUNCT("fragezeichen", '?'),
    REPORT_PUNCT("ausrufezeichen", '!'),
    REPORT_LINE("neue zeile"),
    REPORT_LINE("nachste zeile"),
    REPORT_LINE("zeilenumbruch"),
    REPORT_PARAGRAPH("neuer absatz"),
    REPORT_PARAGRAPH("neuer abschnitt"),
    {"absatz", REPORT_ACT_BREAK, 2, 0, ARTICLE, NULL},
    REPORT_PUNCT("klammer auf", '('),
    REPORT_PUNCT("klammer offnen", '('),
    REPORT_PUNCT("klammer zu", ')'),
    REPORT_PUNCT("klammer schließen", ')'),
    REPORT_PUNCT("klammer schliessen", ')'),
    REPORT_PUNCT("bindestrich", '-'),
    REPORT_PUNCT("gedankenstrich", '-'),
    REPORT_PUNCT("schragstrich", '/'),
};

static const report_unit units[] = {
    {"millimeter*|mm", "mm", 0},
    {"zentimeter*|cm", "cm", 0},
    {"milliliter*|ml", "ml", 0},
    {"ccm", "ccm", 0},
};

const report_lang report_lang_de = {
    .code = "de",
    .titles = {"BEFUND", "BEURTEILUNG", "EINDRUCK", "TECHNIK", "KLINISCHE ANGABEN", "VERGLEICH"},
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "ist|sind|war|waren|wird|werden|wurde|wurden|von|vom|der|des|dem|den|mit|ohne|zu|"
             "zur|zum|bei|im|in|und|oder|nicht|kein*|zeigt|zeigen|spricht|sprechen|vereinbar|"
             "passt|passend|lasst|entspricht|entsprechen|ergibt|ergeben|bleibt|auf|fur|nach|als",
    .qualifiers = "der|die|das|dem|den|des|ein|eine|einen|einem|einer|eines|kein*|dies*|jen*|"
                  "zur|zum|vom|im|neue*|gleiche*|abschließend*|abschliessend*|weiter*|"
                  "vorliegend*|bildgebend*|sein*|ihr*|unser*",
    .title_words = "des|der|die|das|mit|ohne|und|kontrast*|km|kontrastmittel|nativ|rechts|links|"
                   "beidseits|re|li|untersuchung|in|zwei|ebenen|pa|ap|seitlich|iv|"
                   "wirbelsaule|nasennebenhohlen|nnh|orbita*|felsenbein*|niere*|nieren|sella|"
                   "hypophyse",
    .ones = {"null", "eins|ein|eine|einen|einem|einer", "zwei", "drei", "vier", "funf", "sechs",
             "sieben", "acht", "neun"},
    .teens = {"zehn", "elf", "zwolf", "dreizehn", "vierzehn", "funfzehn", "sechzehn", "siebzehn",
              "achtzehn", "neunzehn"},
    .tens = {NULL, NULL, "zwanzig", "dreißig|dreissig", "vierzig", "funfzig", "sechzig", "siebzig",
             "achtzig", "neunzig"},
    .hundred = "hundert",
    .and_word = "und",
    .glued = 1,
    .ones_first = 1,
    .dec_point = "punkt",
    .dec_comma = "komma",
    .half = "einhalb",
    .half_sep = ',',
    .by = "x|mal",
    .units = units,
    .n_units = sizeof units / sizeof units[0],
    .suffix_mark = '-',
    .modality = {"pet|positronen*", "szintigra*|spect", "mammogra*|tomosynthese*",
                 "mrt|mr|mri|mra|mrcp|kernspin*|magnetresonanz*",
                 "ct|cta|computertomogra*|tomogra*", "sonogra*|ultraschall*|doppler*|duplex*",
                 "dxa|dexa|densitometr*|osteodensitometr*", "angiogra*|dsa",
                 "durchleuchtung*|fluoroskop*", "rontgen*|roentgen*|radiogra*"},
    .body = {"schwangerschaft*|fetal*|fetus*|geburtshilf*", "mamma*|mammae", "schilddruse*",
             "schadel*|kopf*|gehirn*|hirn*|cerebral*|zerebral*|kranial*", "halswirbel*|hws|hals*",
             "brustwirbel*|bws", "lendenwirbel*|lws|lumbal*|lumbosakral*",
             "thorax*|lunge*|lungen*|brustkorb*", "abdomen*|abdominal*|bauch*|oberbauch*",
             "becken*|pelvin*", "knie*", "schulter*",
             "hand|hande|handgelenk*|fuß*|fuss*|sprunggelenk*|ellenbogen*|unterarm*|oberarm*|"
             "unterschenkel*|oberschenkel*|finger*|zeh*|extremitat*"},
    .ordinals = {"erste|ersten|erster|erstes", "zweite|zweiten|zweiter|zweites",
                 "dritte|dritten|dritter|drittes", "vierte|vierten|vierter|viertes",
                 "funfte|funften|funfter|funftes", "sechste|sechsten|sechster|sechstes",
                 "siebte|siebten|siebter|siebtes|siebente", "achte|achten|achter|achtes",
                 "neunte|neunten|neunter|neuntes", "zehnte|zehnten|zehnter|zehntes"},
    .next = "nachste|nachsten|nachster|nachstes|folgende|folgenden|andere|anderen",
    .nouns = "untersuchung|untersuchungen|aufnahme|aufnahmen|studie|befund",
    .number_of = "untersuchung nummer|untersuchung nr",
    .ref_before = "vorherig*|vorangegangen*|fruher*|alte*|alten|mit|mittels|per",
    .ref_after = "vergleich*|verglichen|korrelation*|empfohlen|empfehl*|angeraten|indiziert",
};

/* lang_en.c - English for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. */
#include "report/lang.h"

#define ORGAN_BEFORE                                                                               \
    "the|a|an|sigmoid|ascending|descending|transverse|right|left|distal|proximal|redundant|"       \
    "entire|whole|of|rectosigmoid|and|or|mid|spastic|its|this|that"
#define ORGAN_AFTER                                                                                \
    "is|are|was|were|wall|walls|appears|appear|shows|show|demonstrates|contains|and|or|"           \
    "with|without|cancer|carcinoma|mass|masses|polyp*|diverticul*|segment*|loop*|lumen|"           \
    "mucosa*|has|have|which|that"

static const report_phrase phrases[] = {
    REPORT_SECTION("findings", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("imaging findings", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("conclusion", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("conclusions", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("in conclusion", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("impression", REPORT_SEC_IZLENIM, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("impressions", REPORT_SEC_IZLENIM, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("technique", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("clinical information", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("clinical history", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("clinical indication", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("clinical details", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("history", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("indication", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("indications", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("comparison", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("comparisons", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    {"period", REPORT_ACT_PUNCT, '.', 0,
     "a|the|this|that|each|any|same|short|long|time|menstrual|postoperative|waiting|up", "of"},
    REPORT_PUNCT("full stop", '.'),
    REPORT_PUNCT("comma", ','),
    {"colon", REPORT_ACT_PUNCT, ':', REPORT_PH_NO_START, ORGAN_BEFORE, ORGAN_AFTER},
    REPORT_PUNCT("semicolon", ';'),
    REPORT_PUNCT("semi colon", ';'),
    REPORT_PUNCT("question mark", '?'),
    REPORT_PUNCT("exclamation mark", '!'),
    REPORT_PUNCT("exclamation point", '!'),
    REPORT_LINE("new line"),
    REPORT_LINE("newline"),
    REPORT_LINE("next line"),
    REPORT_PARAGRAPH("new paragraph"),
    REPORT_PARAGRAPH("next paragraph"),
    REPORT_PUNCT("open parenthesis", '('),
    REPORT_PUNCT("open paren", '('),
    REPORT_PUNCT("open bracket", '('),
    REPORT_PUNCT("left parenthesis", '('),
    REPORT_PUNCT("close parenthesis", ')'),
    REPORT_PUNCT("closed parenthesis", ')'),
    REPORT_PUNCT("close paren", ')'),
    REPORT_PUNCT("close bracket", ')'),
    REPORT_PUNCT("right parenthesis", ')'),
    REPORT_PUNCT("hyphen", '-'),
    REPORT_PUNCT("dash", '-'),
    REPORT_PUNCT("slash", '/'),
    REPORT_PUNCT("forward slash", '/'),
};

static const report_unit units[] = {
    {"millimeter|millimeters|millimetre|millimetres|mm", "mm", 0},
    {"centimeter|centimeters|centimetre|centimetres|cm", "cm", 0},
    {"milliliter|milliliters|millilitre|millilitres|ml", "ml", 0},
    {"cc", "cc", 0},
};

const report_lang report_lang_en = {
    .code = "en",
    .titles = {"FINDINGS", "CONCLUSION", "IMPRESSION", "TECHNIQUE", "CLINICAL INFORMATION",
               "COMPARISON"},
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "of|is|are|was|were|be|been|with|to|in|on|at|for|from|by|and|or|as|that|which|"
             "suggest*|consistent|compatible|may|might|could|would|will|can|do|does|did|have|"
             "has|had|not|show*|demonstrat*|indicat*|remain*|favor*|include*",
    .qualifiers = "the|a|an|this|that|these|those|no|any|some|other|similar|such|our|my|your|"
                  "its|their|definite|final|same|new|additional|further|incidental|"
                  "radiological|radiologic|imaging|first|general|positive|negative|abnormal|"
                  "normal|acute|overall",
    .title_words = "head|neck|spine|vertebra*|dorsal|abdominopelvi*|sinus*|paranasal|orbit*|"
                   "temporal|pituitary|hip|face|renal|kidney*|urinary|whole|of|the|and|with|"
                   "without|contrast|right|left|bilateral|exam|examination|study|scan|pa|ap|"
                   "lateral|iv|oral|dynamic|noncontrast|non|enhanced|unenhanced|"
                   "multiparametri*|protocol|x|ray|low|dose|hrct|high|resolution|computed|"
                   "tomography|magnetic|resonance|imaging",
    .ones = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
    .teens = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
              "eighteen", "nineteen"},
    .tens = {NULL, NULL, "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
             "ninety"},
    .hundred = "hundred",
    .and_word = "and",
    .dec_point = "point",
    .half = "and a half",
    .half_sep = '.',
    .by = "by|x|times",
    .units = units,
    .n_units = sizeof units / sizeof units[0],
    .suffix_mark = '\'',
    .modality = {"pet|positron*", "scintigra*|spect", "mammogra*|tomosynthes*",
                 "mr|mri|mra|mrcp|magnetic resonance", "ct|cta|tomograph*",
                 "ultrasound*|ultrason*|doppler*|sonogra*|usg", "densitometr*|dexa|dxa",
                 "angio*|dsa|arteriogra*", "fluoroscop*", "radiogra*|x ray*|xray*|film|films"},
    .body = {"obstetri*|fetal*|fetus*|pregnan*", "breast*", "thyroid*",
             "brain*|cranial|intracranial|head", "cervical*", "thoracic spine|thoracic vertebra*",
             "lumbar*|lumbosacral*", "chest|thorax|thoracic|lung*", "abdom*", "pelvis*|pelvic*",
             "knee*", "shoulder*",
             "extremit*|hand*|foot|feet|wrist*|ankle*|elbow*|forearm*|humerus*|femur*|tibia*|"
             "fibula*"},
    .ordinals = {"first|1st", "second|2nd", "third|3rd", "fourth|4th", "fifth|5th", "sixth|6th",
                 "seventh|7th", "eighth|8th", "ninth|9th", "tenth|10th"},
    .next = "next|other|another|following|subsequent",
    .nouns = "exam|exams|examination|study|scan|procedure|report",
    .number_of = "exam number|study number|examination number",
    .ref_before = "prior|previous|earlier|old|outside|with|by|using|via",
    .ref_after = "correlat*|recommend*|advis*|compar*|suggested",
};

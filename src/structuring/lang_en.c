/* lang_en.c - English for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. */
#include "structuring/lang.h"

#define ORGAN_BEFORE                                                                               \
    "the|a|an|sigmoid|ascending|descending|transverse|right|left|distal|proximal|redundant|"       \
    "entire|whole|of|rectosigmoid|and|or|mid|spastic|its|this|that"
#define ORGAN_AFTER                                                                                \
    "is|are|was|were|wall|walls|appears|appear|shows|show|demonstrates|contains|and|or|"           \
    "with|without|cancer|carcinoma|mass|masses|polyp*|diverticul*|segment*|loop*|lumen|"           \
    "mucosa*|has|have|which|that"

/* Words after which "findings" is a plain word ("normal findings", "new
 * findings"); they end sentences too often to guard every section word. */
#define FINDINGS_AFTER                                                                             \
    "new|additional|further|incidental|radiological|radiologic|imaging|positive|negative|"         \
    "abnormal|normal|acute|these|those|similar|such|no|any|some|other|same"

/* The hip, a pelvis's and a limb's alike (report_lang.anatomy). */
#define HIP "hip|hips|femoral neck|femoral head|trochanter*|intertrochanter*"

/* Words of every part of the spine (report_lang.anatomy). */
#define SPINE                                                                                      \
    "disc|discs|disk|disks|intervertebral|neural forami*|foramina*|facet*|spinal canal|"           \
    "thecal sac|spinal cord|vertebra*|endplate*|ligamentum flavum|nerve root*|spondyl*|"           \
    "listhes*|spinous process*|paraspinal|spine|lordosis|kyphos*|scolios*"

static const report_phrase phrases[] = {
    {"findings", REPORT_ACT_SECTION, REPORT_SEC_BULGULAR, 0, FINDINGS_AFTER, NULL},
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
    /* Durations, rates and angles radiologists write in digits, the word
     * kept: "21 weeks", "148 beats per minute". Counts of things stay words
     * ("two nodules"). */
    {"day|days|week|weeks|month|months|year|years|hour|hours|minute|minutes|second|seconds|"
     "percent|degree|degrees|beats",
     NULL, 0},
};

const report_lang report_lang_en = {
    .code = "en",
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "of|is|are|was|were|be|been|and|or|as|that|which|"
             "suggest*|consistent|compatible|may|might|could|would|will|can|do|does|did|have|"
             "has|had|not|show*|demonstrat*|indicat*|remain*|favor*|include*",
    .joins = "with|to|in|on|at|for|from|by",
    .qualifiers = "the|a|an|this|that|these|those|no|any|some|other|similar|such|our|my|your|"
                  "its|their|definite|final|same|first|general|overall",
    .title_words = "head|neck|spine|vertebra*|dorsal|abdominopelvi*|sinus*|paranasal|orbit*|"
                   "temporal|pituitary|hip|face|renal|kidney*|urinary|whole|of|the|and|with|"
                   "without|contrast|right|left|bilateral|exam|examination|study|scan|pa|ap|"
                   "lateral|iv|oral|dynamic|noncontrast|non|enhanced|unenhanced|"
                   "multiparametri*|protocol|x|ray|low|dose|hrct|high|resolution|computed|"
                   "tomography|magnetic|resonance|imaging|intravenous|screening|diagnostic|"
                   "lower|upper|limited|complete|routine|portable|frontal|views|view|two|three|"
                   "accession|single|series|upright|erect|supine|joint|joints",
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
    .range = "to",
    .units = units,
    .n_units = sizeof units / sizeof units[0],
    .suffix_mark = '\'',
    .modality = {"pet|positron*", "scintigra*|spect", "mammogra*|tomosynthes*",
                 "mr|mri|mra|mrcp|magnetic resonance", "ct|cta|tomograph*",
                 "ultrasound*|ultrason*|doppler*|sonogra*|usg", "densitometr*|dexa|dxa",
                 "angio*|dsa|arteriogra*",
                 "fluoro|fluoroscop*|videofluoroscop*|barium|esophagra*|esophagogra*|"
                 "hysterosalpingogra*|cystogra*|urethrogra*|cystourethrogra*|vcug|mcug",
                 "radiogra*|x ray*|xray*|film|films"},
    .body = {"obstetri*|fetal*|fetus*|pregnan*", "breast*", "thyroid*",
             "brain*|cranial|intracranial|head|cranium", "cervical*|c spine",
             "thoracic spine|thoracic vertebra*|t spine", "lumbar*|lumbosacral*|l spine|ls spine",
             "chest|thorax|thoracic|lung*", "abdom*|kub", "pelvis*|pelvic*|sacroiliac*", "knee*",
             "shoulder*",
             "extremit*|hand*|foot|feet|wrist*|ankle*|elbow*|forearm*|humerus*|femur*|tibia*|"
             "fibula*|hip|hips|leg|legs|thigh*"},
    .anatomy =
        {"fetus*|fetal*|gestation*|placent*|amniotic|umbilical|yolk sac|crown rump|"
         "biparietal|embryo*|nuchal|femur length|intrauterine pregnan*",
         "breast*|nipple*|areola*|retroareolar|fibroglandular|mammogra*|birads|bi rads",
         "thyroid*|isthmus|parathyroid*|tirads|ti rads",
         "brain*|intracranial|ventricles|lateral ventricle*|third ventricle|"
         "fourth ventricle|periventricular|sulci|sulcal|gyri|gyral|cerebral|cerebrum|"
         "cerebell*|pons|pontine|midbrain|brainstem|brain stem|thalam*|basal ganglia|"
         "white matter|gray matter|grey matter|corpus callosum|calvari*|hippocamp*|"
         "pituitary|sella*|subdural|subarachnoid|extra axial|extraaxial|midline shift|"
         "basal cisterns|frontal lobe*|temporal lobe*|parietal lobe*|occipital lobe*|"
         "mastoid*|leptomening*|infratentorial|supratentorial|internal capsule|skull",
         SPINE "|cervical spine|cervical cord|c1|c2|c3|c4|c5|c6|c7|c8|odontoid|dens|"
               "uncovertebral|atlantoaxial|craniocervical",
         SPINE "|thoracic spine|thoracic cord|t3|t4|t5|t6|t7|t8|t9|t10|t11|t12|"
               "costovertebral",
         SPINE "|lumbar*|lumbosacral|l1|l2|l3|l4|l5|s1|s2|conus*|cauda equina|sacral|"
               "sacrum|sacroiliac",
         "rib|ribs|lung*|pulmonar*|pleura*|cardiomegal*|pneumothora*|mediastin*|hilar|hila|hilum|"
         "bronch*|"
         "trache*|upper lobe*|lower lobe*|middle lobe|lingula*|atelecta*|consolidation*|"
         "emphysem*|cardiomediastinal|cardiac silhouette|pericard*|costophrenic|"
         "airspace|air space|ground glass|thorax|chest|heart|cardiac|aort*",
         "rib|ribs|abdom*|liver|hepat*|spleen|splen*|pancrea*|gallbladder|gall bladder|biliary|"
         "bile duct*|cholelith*|cholecyst*|gallstone*|kidney*|renal|hydronephros*|"
         "adrenal*|bowel|appendix|appendic*|mesenter*|peritone*|ascites|"
         "retroperitone*|portal vein|stomach|duoden*|jejun*|ileum|ileal|ileus|bladder|"
         "lung base*|aort*",
         "pelvis|pelvic|uter*|ovar*|adnex*|endometri*|prostat*|seminal vesicle*|rectum|"
         "rectal|cervix|pouch of douglas|acetabul*|bladder|sacroiliac|sacroiliitis|" HIP,
         "knee*|menisc*|cruciate|acl|pcl|mcl|lcl|patell*|suprapatellar|infrapatellar|"
         "tibial plateau|femoral condyle*|popliteal|baker*|quadriceps|hoffa*|trochlea*|"
         "tibiofemoral|tibia*|fibula*|femor*|femur",
         "shoulder*|rotator cuff|supraspinatus|infraspinatus|subscapularis|teres minor|"
         "glenoid|glenohumeral|labrum|labral|acromi*|humeral head|subacromial|"
         "subdeltoid|biceps|bicipital|coracoid|acromioclavicular|deltoid|humer*|"
         "clavic*|scapul*",
         "tibia|tibial shaft|fibula*|femur|femoral shaft|radius|ulna*|metacarp*|"
         "metatars*|phalan*|carpal|carpus|tarsal|calcane*|talus|talar|scaphoid|malleol*|"
         "wrist*|ankle*|elbow*|forearm*|finger*|toe|toes|humerus|humeral shaft|hand|"
         "hands|foot|feet|" HIP},
    .ordinals = {"first|1st", "second|2nd", "third|3rd", "fourth|4th", "fifth|5th", "sixth|6th",
                 "seventh|7th", "eighth|8th", "ninth|9th", "tenth|10th"},
    .next = "next|other|another|following|subsequent",
    .lead = "now|and|then|so|okay|ok|finally|lastly|the|to",
    .nouns = "exam|exams|examination|study|scan|procedure|report",
    .copula = "is|was",
    .onward = "moving on to|moving onto|moving to|turning to|turning now to|going on to|on to|onto",
    .number_of = "exam number|study number|examination number",
    .ref_before = "prior|previous|earlier|old|outside|with|by|using|via|see",
    .ref_after = "correlat*|recommend*|advis*|compar*|suggested",
    .ref_seen = "seen|described|noted|shown|demonstrated|identified|visualized|visualised",
};

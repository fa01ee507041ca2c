/* lang_tr.c - Turkish for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. */
#include "structuring/lang.h"

#define NOUN_NOKTA "seklinde|tarzinda|halinde|gibi|biciminde"

/* Words of every part of the spine (report_lang.anatomy). No bare "disk*"
 * ("diskinezi") and no osteophytes (knees and shoulders have them too). */
#define SPINE                                                                                      \
    "disk|diski|diske|diskin|diskte|diskteki|diskten|diskler*|diskal*|diskopati*|diskit*|"         \
    "intervertebral*|noral foramen*|noral foramin*|foramenler*|foraminal*|faset*|"                 \
    "spinal kanal*|spinal kord*|spinal sinir*|dural kese*|tekal kese*|vertebra*|omur*|"            \
    "son plak*|uc plak*|end plak*|endplak*|ligamentum flavum*|flavum*|sinir kok*|spondil*|"        \
    "listez*|anterolistez*|retrolistez*|spinoz*|transvers proses*|transvers cikinti*|"             \
    "paraspinal*|lordoz*|kifoz*|skolyoz*|protruzyon*|ekstruzyon*|bulging|modic*|schmorl*|"         \
    "smorl*|subaraknoid*|laminektomi*|hemilaminektomi*"

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
                   "bilgisayarli|eklem*",
    .ones = {"sifir", "bir", "iki", "uc", "dort", "bes", "alti", "yedi", "sekiz", "dokuz"},
    .tens = {NULL, "on", "yirmi", "otuz", "kirk", "elli", "altmis", "yetmis", "seksen", "doksan"},
    .hundred = "yuz",
    .dec_point = "nokta",
    .dec_comma = "virgul|tam",
    .frac_before = "onda|yuzde|binde",
    .half = "bucuk",
    .half_sep = ',',
    .by = "carpi|x",
    .range = "ile",
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
             "toraks*|akciger*|gogus*", "batin*|abdom*|karin*|karn*", "pelvis*|pelvik*|sakroiliak*",
             "diz|dizde|dizin", "omuz*",
             "el|eli|ayak*|bilek*|dirsek*|kol|bacak*|parmak*|ekstremite*|humerus*|femur*|"
             "tibia*|fibula*"},
    .anatomy =
        {"fetus*|fetal*|gebelik kese*|gestasyon*|plasenta*|amniy*|amnio*|umbilikal arter*|"
         "umbilikal kord*|umbilikal ven*|gobek kordon*|kord dolanma*|kordon dolanma*|"
         "yolk kese*|yolk sac*|vitellin*|crl|bas popo*|biparietal*|embriy*|ense kalinlig*|"
         "nukal*|femur uzunlug*|intrauterin gebelik*|gebelik haftas*|gebelik yas*|"
         "kalp atim*|fkah|bas cevresi|karin cevresi|servikal uzunlu*|uter*|serviks*",
         "meme*|areol*|retroareolar*|fibroglandular*|mamografi*|mammografi*|birads|bi rads|"
         "aksiller*|aksilla*|fibroadenom*|intramammar*|retromammar*|premammar*",
         "tiroid*|tiroit*|istmus*|isthmus*|paratiroid*|paratiroit*|tirads|ti rads|guatr*|"
         "struma*|tiroglossal*|trake*",
         "beyin*|beyn*|serebral*|serebrum*|serebell*|intrakranial*|intrakraniyal*|kafa ici|"
         "kafaici*|kafatas*|kalvaryum*|kalvarial*|ventrikuller*|lateral ventrikul*|"
         "ucuncu ventrikul*|dorduncu ventrikul*|periventrikuler*|sulkuslar*|sulkal*|"
         "giruslar*|giral*|pons|pontin*|ponto*|mezensefal*|orta beyin|medulla oblongata|"
         "talam*|bazal gangli*|beyaz cevher*|gri cevher*|ak madde*|korpus kallozum*|"
         "korpus kallosum*|hipokamp*|hipofiz*|sella*|supraseller*|subdural*|subaraknoid*|"
         "ekstraaksiyel*|ekstra aksiyel*|intraaksiyel*|orta hat yapi*|orta hat sift*|"
         "orta hat kayma*|bazal sistern*|sisterna magna|perimezensefal*|frontal lob*|"
         "temporal lob*|parietal lob*|oksipital lob*|mastoid*|leptomening*|meningeal*|"
         "infratentoryal*|supratentoryal*|internal kapsul*|ic kapsul*|orbita*|paranazal*|"
         "maksiller sinus*|frontal sinus*|sfenoid*|etmoid*|temporal kemik*|koklea*|"
         "internal akustik*|vertebral arter*|baziler arter*|vertebrobaziler*|willis*|"
         "sagittal sinus*|transvers sinus*|sigmoid sinus*|kavernoz sinus*|dural venoz*|"
         "glioz*",
         SPINE "|servikal omurga*|servikal vertebra*|servikal kord*|servikal spinal*|"
               "servikal disk*|servikal lordoz*|servikal segment*|servikal duzey*|c1|c2|c3|"
               "c4|c5|c6|c7|c8|odontoid*|dens|atlas*|atlanto*|unkovertebral*|"
               "kraniyoservikal*|kranioservikal*|kraniovertebral*|servikotorasik*|"
               "servikodorsal*",
         SPINE "|torakal omurga*|torakal vertebra*|torakal kord*|torakal spinal*|"
               "torakal disk*|torakal kifoz*|torakal segment*|torakal duzey*|dorsal omurga*|"
               "dorsal vertebra*|t3|t4|t5|t6|t7|t8|t9|t10|t11|t12|d1|d2|d3|d4|d5|d6|d7|d8|"
               "d9|d10|d11|d12|kostovertebral*|kostotransvers*|torakolomber*|dorsolomber*|"
               "servikotorasik*|servikodorsal*",
         SPINE "|lomber*|lumbal*|lumbosakral*|lombosakral*|l1|l2|l3|l4|l5|s1|s2|"
               "konus medullaris*|kauda ekuina*|kauda equina*|sakral*|sakrum*|sakroiliak*|"
               "koksiks*|koksigeal*|torakolomber*|dorsolomber*|bel omurga*|bel fitig*",
         "akciger*|pulmoner*|plevra*|pnomotoraks*|pnomoni*|pnomomediast*|hemotoraks*|"
         "hidrotoraks*|mediast*|hiler*|hiluslar*|brons*|bronk*|trake*|ust lob*|alt lob*|"
         "orta lob*|lingula*|atelektazi*|konsolidasyon*|amfizem*|kardiyotorasik*|kardiyomegali*|"
         "kardiyomediastinal*|kalp golge*|kalp boyut*|perikard*|kostofrenik*|buzlu cam*|"
         "toraks*|torasik*|intratorasik*|gogus kafes*|gogus duvar*|aort*|diyafram*|"
         "aksiller*|aksilla*|subplevral*|bazal akciger*|sternum*|sternal*",
         "abdom*|batin*|karin ici|karin duvar*|karin boslug*|intraabdominal*|karaciger*|"
         "hepat*|intrahepatik*|ekstrahepatik*|dalak*|splen*|pankreas*|safra*|biliyer*|"
         "bilier*|koled*|kolesist*|kolelit*|kolanj*|bobrek*|renal*|perirenal*|perinefrik*|"
         "pararenal*|hidronefroz*|pelvikaliseal*|pelvikalisiyel*|kaliks*|kaliektazi*|"
         "surrenal*|adrenal*|barsak*|bagirsak*|apendiks*|apandis*|apendisit*|mezenter*|"
         "periton*|intraperiton*|retroperiton*|pnomoperiton*|asit|asiti|assit*|portal ven|"
         "portal vende|portal venin|portal vene|portal veni|portal venler*|"
         "portal hipertansiyon*|vena porta*|mide*|gastrik*|pilor*|duoden*|jejun*|ileum*|"
         "ileal*|ileus*|ileocekal*|kolon*|cekum*|sekum*|sigmoid*|mesane*|ureter*|"
         "akciger* baz*|akciger* taban*|akciger* alt kesim*|akciger* alt zon*|"
         "bazal akciger*|aort*|inferior vena kava*|vena kava inferior*|diyafram*|inguinal*|"
         "umbilikal herni*|umbilikus*|gobek fitig*|ana iliak*|iliak arter*|epigastr*|"
         "renal hil*|bobrek hil*|bobreg* hil*|hepatik hil*|splenik hil*",
         "pelvis*|pelvik|pelvikte|intrapelvik*|uter*|endometri*|myometri*|miyometri*|over|"
         "overe|overi|overin|overde|overden|overler*|overyan*|ovaryan*|ovarian*|adneks*|"
         "parametri*|serviks*|douglas*|rektum*|rektal*|perirektal*|prostat*|"
         "seminal vezikul*|vezikula seminalis*|mesane*|uretra*|ureter*|vajen*|vajina*|"
         "vagina*|tuba*|salpenks*|hidrosalpenks*|asetabul*|asetabul* labrum*|pubis*|pubik*|"
         "simfiz*|iskial*|iskium*|iskiyal*|obturator*|levator ani*|pelvik taban*|perine|"
         "perineal*|perineum*|sakroiliak*|iliak*|inguinal*|kalca eklem*|koksiks*|koksigeal*|"
         "sigmoid*",
         "diz|dize|dizde|dizden|dizin|diz eklem*|dizler*|menisk*|capraz bag*|"
         "medial kollateral*|ocb|acb|mkb|lkb|acl|pcl|mcl|lcl|patel*|suprapatellar*|"
         "infrapatellar*|prepatellar*|tibia plato*|tibial plato*|tibial tuberkul*|"
         "tibia tuberkul*|tuberositas tibia*|femur kondil*|femoral kondil*|interkondiler*|"
         "popliteal*|popliteus*|baker*|kuadriseps*|quadriseps*|hoffa*|troklea*|"
         "tibiofemoral*|femorotibial*|pes anserin*|iliotibial*|fabella*|biseps femoris*|"
         "proksimal tibia*|distal femur*",
         "omuz*|omz*|rotator manset*|rotator kaf*|supraspinatus*|infraspinatus*|"
         "subskapularis*|teres minor*|glenoid*|glenohumeral*|labrum*|labral*|akromi*|"
         "subakromi*|subdeltoid*|deltoid*|biseps*|bisipital*|korako*|humerus bas*|"
         "humeral bas*|tuberkulum majus|tuberkulum minus|buyuk tuberkul*|kucuk tuberkul*|"
         "skapula*|klavikul*|bankart*|hill sachs*|aksiller reses*|aksiller sinir*|"
         "aksiller pos*",
         "tibia|tibiada|tibianin|tibiaya|tibiadan|tibia saft*|tibial saft*|tibia diafiz*|"
         "tibial diafiz*|distal tibia*|fibula*|femur|femurda|femurun|femura|femurdan|"
         "femur saft*|femoral saft*|femur diafiz*|femoral diafiz*|femur bas*|femur boyn*|"
         "femoral bas*|femoral boyun*|proksimal femur*|kalca*|humerus|humerusta|humerusun|"
         "humerus saft*|humeral saft*|humerus diafiz*|radius*|ulna*|metakarp*|metatars*|"
         "falanks*|falanj*|falank*|karpal*|karpus*|tarsal*|kalkane*|talus*|talar*|skafoid*|"
         "malleol*|olekranon*|epikondil*|el|eli|elin|eller*|bilek*|bileg*|ayak|ayagi|"
         "ayagin*|ayaklar*|dirsek*|on kol*|onkol*|parmak*|bacak*|uyluk*|baldir*|kol|kolu|"
         "kolda|kolun|asil tendon*|akhilles*|plantar*|sinus tarsi|tfcc|"
         "triangular fibrokartilaj*|deltoid bag*|deltoid ligaman*|proksimal tibia*|"
         "distal femur*"},
    .ordinals = {"birinci", "ikinci", "ucuncu", "dorduncu", "besinci", "altinci", "yedinci",
                 "sekizinci", "dokuzuncu", "onuncu"},
    .next = "diger|sonraki|siradaki|bir sonraki|ote*",
    .lead = "simdi|ve|sonra|son|olarak",
    .nouns = "tetkik*|inceleme*|cekim*|calisma*|rapor*",
    .ref_before = "onceki|eski|gecmis",
    .ref_after = "karsilastir*|korelasyon*|oneril*|degerlendirilme*|kiyas*|uyumlu*",
    .ref_seen = "izlenen|saptanan|gorulen|tarif|tanimlanan|belirtilen|bildirilen",
};

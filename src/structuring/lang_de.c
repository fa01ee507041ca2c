/* lang_de.c - German for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers (written as one word,
 * "zweiundzwanzig") and units, exam words. Folded forms lose the umlaut
 * dots ("Schrägstrich" -> "schragstrich") and keep ß. */
#include "structuring/lang.h"

#define ARTICLE "ein|einen|einem|eines|der|dem|den|des|jeder|jedem|dies*|am|im|zum|vom"

/* Words after which "Befund" is a plain word ("unauffälliger Befund"); they
 * end sentences too often to guard every section word. */
#define BEFUND_AFTER "auffallig*|unauffallig*|pathologisch*|eingeschrankt*|erschwert*"

/* Words of every part of the spine (report_lang.anatomy): compounds by
 * their start ("bandscheibe*" holds "Bandscheibenvorfall"). */
#define SPINE                                                                                      \
    "bandscheibe*|wirbel*|spinal*|myelon*|ruckenmark*|neuroforam*|foraminal*|intervertebral*|"     \
    "zwischenwirbel*|facette*|spondyl*|listhese*|antelisthese*|retrolisthese*|*listhese|"          \
    "listhesis|deckplatte*|grundplatte*|abschlussplatte*|ligamentum flav*|ligamenta flav*|"        \
    "nervenwurzel*|wurzeltasche*|duralsack*|dornfortsatz*|dornfortsatze*|querfortsatz*|"           \
    "querfortsatze*|paravertebral*|paraspinal*|lordose*|kyphose*|skoliose*|osteochondrose*|"       \
    "diskusprotrusion*|diskushernie*|diskusprolaps*|diskopath*|diszitis|spondylodiszitis|"         \
    "modic*|schmorl*|subarachnoidal*|liquor*|laminektomie*|hemilaminektomie*"

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
    {"gramm|g", "g", 0},
    /* Durations and angles written in digits, the word kept: "6 Monaten". */
    {"tag|tage|tagen|woche|wochen|schwangerschaftswoche|schwangerschaftswochen|monat|monate|"
     "monaten|jahr|jahre|jahren|stunde|stunden|minute|minuten|grad|prozent",
     NULL, 0},
};

const report_lang report_lang_de = {
    .code = "de",
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "ist|sind|war|waren|wird|werden|wurde|wurden|von|vom|der|des|dem|den|mit|ohne|zu|"
             "zur|zum|bei|im|in|und|oder|nicht|zeigt|zeigen|spricht|sprechen|vereinbar|"
             "passt|passend|lasst|entspricht|entsprechen|ergibt|ergeben|bleibt|auf|fur|nach|als|"
             "seit|unverandert|stabil|konstant|grossenkonstant|regredient|progredient",
    .qualifiers = "der|die|das|dem|den|des|ein|eine|einen|einem|einer|eines|kein*|dies*|jen*|"
                  "zur|zum|vom|im|neue*|gleiche*|abschließend*|abschliessend*|weiter*|"
                  "vorliegend*|bildgebend*|sein*|ihr*|unser*",
    .title_words = "des|der|die|das|mit|ohne|und|kontrast*|km|kontrastmittel|nativ|rechts|links|"
                   "beidseits|re|li|untersuchung|in|zwei|ebenen|pa|ap|seitlich|iv|"
                   "wirbelsaule|nasennebenhohlen|nnh|orbita*|felsenbein*|niere*|nieren|sella|"
                   "hypophyse|im|liegen|stehen|ubersicht|aufnahme|gelenk*",
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
    .range = "bis",
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
             "becken*|pelvin*|iliosakral*|sakroiliakal*|isg", "knie*", "schulter*",
             "hand|hande|handgelenk*|fuß*|fuss*|sprunggelenk*|ellenbogen*|unterarm*|oberarm*|"
             "unterschenkel*|oberschenkel*|finger*|zeh*|extremitat*"},
    .anatomy = {"fetus*|fotus*|fetal*|fotal*|intrauterin* graviditat*|"
                "intrauterin* schwangerschaft*|schwangerschaftswoche*|ssw|plazenta*|placenta*|"
                "fruchtwasser*|amnion*|fruchthohle*|fruchtsack*|dottersack*|scheitel steiß lange|"
                "scheitel steiss lange|ssl|biparietal*|bpd|embryo*|nackentransparenz*|nackenfalte*|"
                "nabelschnur*|umbilikalarterie*|femurlange*|kopfumfang*|abdomenumfang*|chorion*|"
                "fetometri*|herzaktion*|uterus*|uteri|gebarmutter*|zervix*|cervix*",
                "mamma*|brustdruse*|mamille*|brustwarze*|areola*|retroareolar*|retromamillar*|"
                "drusenkorper*|fibroglandular*|mammogra*|birads|bi rads|acr|axilla*|axillar*|"
                "fibroadenom*|milchgang*|milchgange*|quadrant*",
                "schilddruse*|isthmus|nebenschilddruse*|epithelkorperchen*|tirads|ti rads|struma*|"
                "thyreo*|thyroid*|trachea*|tracheal*",
                "gehirn*|hirn*|*hirn|*hirns|großhirn*|grosshirn*|kleinhirn*|mittelhirn*|"
                "zwischenhirn*|zerebral*|cerebral*|zerebell*|cerebell*|intrakraniell*|"
                "intrakranial*|intracraniell*|schadel*|kalotte*|seitenventrikel*|ventrikelsystem*|"
                "iii ventrikel*|iv ventrikel*|3 ventrikel*|4 ventrikel*|dritte* ventrikel*|"
                "vierte* ventrikel*|periventrikular*|liquor*|sulci|sulcal*|gyri|gyral*|gyrus|pons|"
                "pontin*|mesenzephal*|thalam*|basalganglie*|stammganglie*|marklager*|"
                "weiße substanz|weisse substanz|graue substanz|balken*|corpus callosum|hippocamp*|"
                "hippokamp*|hypophyse*|sella*|chiasma*|subdural*|subarachnoidal*|extraaxial*|"
                "intraaxial*|mittellinie*|mittellinienverlagerung*|zisterne*|cisterna*|"
                "frontallappen*|temporallappen*|parietallappen*|okzipitallappen*|occipitallappen*|"
                "schlafenlappen*|stirnlappen*|scheitellappen*|hinterhauptslappen*|mastoid*|"
                "felsenbein*|leptomening*|meningeal*|infratentoriell*|supratentoriell*|"
                "infratentorial*|supratentorial*|capsula interna|innere kapsel|orbita*|"
                "nasennebenhohle*|nnh|kieferhohle*|keilbeinhohle*|stirnhohle*|siebbein*|"
                "vertebralis|arteria vertebralis|basilaris*|vertebrobasil*|circulus willisii|"
                "willisii|sinus sagittalis|sinus transversus|sinus sigmoideus|sinus cavernosus|"
                "hirnsinus*|sinusvenen*|gliose*|innenohr*|cochlea*|kochlea*|inneren gehorgang*|"
                "innerer gehorgang*",
                SPINE "|halswirbel*|hws*|hwk*|halsmark*|zervikal* myelon*|zervikal* spinal*|"
                      "zervikal* bandscheibe*|zervikal* neuroforam*|zervikal* segment*|"
                      "zervikothorakal*|cervicothorakal*|kraniozervikal*|kraniocervical*|"
                      "atlantoaxial*|atlantookzipital*|atlantooccipital*|atlas|axis|dens|dens axis|"
                      "odontoid*|uncovertebral*|unkovertebral*|vertebralis|arteria vertebralis|c1|"
                      "c2|c3|c4|c5|c6|c7|c8",
                SPINE "|brustwirbel*|bws*|bwk*|brustmark*|thorakal* myelon*|thorakal* spinal*|"
                      "thorakal* bandscheibe*|thorakolumbal*|zervikothorakal*|cervicothorakal*|"
                      "kostovertebral*|costovertebral*|kostotransversal*|rippenwirbelgelenk*|th1|"
                      "th2|th3|th4|th5|th6|th7|th8|th9|th10|th11|th12|t3|t4|t5|t6|t7|t8|t9|t10|t11|"
                      "t12",
                SPINE "|lendenwirbel*|lws*|lwk*|lumbal*|lumbosakral*|lumbosacral*|l1|l2|l3|l4|l5|"
                      "s1|s2|konus|konusspitze*|konusstand*|conus medullaris|konus medullaris|"
                      "cauda equina|kauda equina|caudafaser*|sakral*|sakrum*|sacrum*|kreuzbein*|"
                      "isg|iliosakral*|sakroiliakal*|sacroiliakal*|sakroiliitis|steißbein*|"
                      "steissbein*|coccyx|thorakolumbal*|lumbalisation*|sakralisation*",
                "lunge*|pulmonal*|pulmonar*|pleura*|pneumothorax*|pneumonie*|pneumonisch*|"
                "mediastin*|hilus*|hilar*|hili|bronch*|trachea*|tracheal*|oberlappen*|unterlappen*|"
                "mittellappen*|lingula*|atelekta*|dystelekta*|konsolidierung*|konsolidation*|"
                "emphysem*|milchglas*|herzschatten*|herzsilhouette*|herzgroße|herzgrosse|"
                "herzkontur*|kardiomegal*|kardiomediastinal*|kardiothorakal*|perikard*|randwinkel*|"
                "zwerchfellrippenwinkel*|phrenikokostal*|kostophren*|costophren*|"
                "recessus phrenicocostal*|zwerchfell*|thorax*|intrathorakal*|brustkorb*|brustwand*|"
                "aort*|axilla*|axillar*|subpleural*|lungenbas*|basal* lunge*|dorsobasal*|"
                "brustbein*|sternum*|sternal*",
                "abdomen|abdomens|abdominal*|abdomino*|intraabdominal*|bauch|bauchraum*|bauchwand*|"
                "bauchhohle*|bauchaorta*|bauchspeicheldruse*|oberbauch*|unterbauch*|mittelbauch*|"
                "leber*|hepat*|intrahepatisch*|extrahepatisch*|milz*|splen*|pankrea*|galle|gallen*|"
                "cholezyst*|cholecyst*|choledoch*|cholangi*|cholelith*|cholestase*|biliar*|dhc|"
                "niere*|nieren*|renal*|perirenal*|perinephr*|pararenal*|hydroneph*|harnstau*|"
                "nierenbecken*|nbks|nebenniere*|adrenal*|darm*|*darm|dunndarm*|dickdarm*|"
                "darmschlinge*|appendix|appendizitis|appendicitis|append*|mesenteri*|mesenterial*|"
                "periton*|retroperiton*|pneumoperitoneum|aszites|ascites|aszit*|ascit*|pfortader*|"
                "vena portae|portalvene*|portale hypertension|magen*|gastral*|gastrisch*|pylorus*|"
                "duoden*|jejun*|ileum|ileal*|ileus|ileozokal*|ileocoecal*|kolon*|colon*|sigma|"
                "sigmoid*|zokum*|zakum*|caecum*|coecum*|blase|harnblase*|harnleiter*|ureter*|aort*|"
                "vena cava inferior|vci|ivc|zwerchfell*|epigastri*|leiste*|inguinal*|nabelhernie*|"
                "nabel|umbilikalhernie*|lungenbas*|basal* lunge*|unterlappen*|lungenunterlappen*|"
                "lungenunterfeld*|dorsobasal*|iliaca communis|iliacae communes",
                "becken*|pelvin*|pelvis|uterus*|uteri|uterin*|gebarmutter*|endometri*|myometri*|"
                "ovar*|ovariell*|adnex*|eierstock*|eileiter*|tuben*|salping*|hydrosalpinx|zervix*|"
                "cervix*|douglas*|prostata*|samenblase*|vesiculae seminales|vesicula seminalis|"
                "rektum*|rectum*|rektal*|rectal*|mesorektum*|vagina*|vaginal*|scheide|blase|"
                "harnblase*|harnleiter*|ureter*|urethra*|harnrohre*|azetabul*|acetabul*|"
                "huftpfanne*|labrum acetabulare|symphys*|schambein*|os pubis|pubis|sitzbein*|"
                "iliosakral*|isg|sakroiliakal*|sacroiliakal*|sakroiliitis|darmbein*|enddarm*|"
                "beckenschaufel*|iliaca*|iliakal*|obturator*|perineum*|perineal*|leiste*|inguinal*|"
                "huft*|steißbein*|steissbein*|coccyx|sigma|sigmoid*|schenkelhals*|femurkopf*|"
                "huftkopf*|trochanter*",
                "knie*|menisk*|menisc*|*meniskus|*menisken|innenmenisk*|außenmenisk*|aussenmenisk*|"
                "kreuzband*|vkb|hkb|acl|pcl|mcl|lcl|patell*|suprapatellar*|infrapatellar*|"
                "prapatellar*|retropatellar*|tibiaplateau*|tibiakopf*|femurkondyl*|kondyle*|"
                "kondylus*|condylus*|interkondyl*|popliteal*|poplitea*|kniekehle*|baker*|"
                "quadrizeps*|quadriceps*|hoffa*|trochlea*|femorotibial*|femoropatellar*|"
                "pes anserinus|pes anserin*|tractus iliotibialis|iliotibial*|bizeps femoris|"
                "biceps femoris|proximale* tibia|tibia proximal|distale* femur|femur distal",
                "schulter*|rotatorenmanschette*|rotatoren*|supraspinatus*|infraspinatus*|"
                "subscapularis*|teres minor|glenoid*|glenohumeral*|labrum*|akromio*|acromio*|"
                "akromion*|acromion*|subakromial*|subacromial*|subdeltoid*|deltoid*|bizeps*|"
                "biceps*|korako*|coraco*|ac gelenk*|acg|humeruskopf*|oberarmkopf*|tuberculum majus|"
                "tuberculum minus|sulcus intertubercularis|bankart*|hill sachs*|skapula*|scapula*|"
                "klavikula*|clavicula*|schlusselbein*|recessus axillaris|nervus axillaris",
                "tibia|tibiaschaft*|unterschenkel*|schienbein*|fibula*|wadenbein*|femur|"
                "femurschaft*|oberschenkel*|femurkopf*|huftkopf*|schenkelhals*|huft*|radius*|ulna*|"
                "metakarp*|metacarp*|mittelhand*|metatars*|mittelfuß*|mittelfuss*|phalang*|"
                "phalanx*|finger*|zeh|zehe|zehen|großzeh*|grosszeh*|kleinzeh*|handwurzel*|karpal*|"
                "carpal*|karpus|fußwurzel*|fusswurzel*|tarsal*|kalkane*|calcane*|fersenbein*|"
                "ferse*|talus*|sprungbein*|skaphoid*|scaphoid*|kahnbein*|malleol*|knochel*|"
                "außenknochel*|aussenknochel*|innenknochel*|handgelenk*|sprunggelenk*|osg|usg|"
                "ellenbogen*|ellbogen*|unterarm*|oberarm*|hand|hande|handrucken*|fuß*|fuss*|"
                "achilles*|plantar*|olekranon*|olecranon*|epikondyl*|epicondyl*|tfcc|"
                "discus triangularis|diskus triangularis|ligamentum deltoideum|lig deltoideum|"
                "proximale* tibia|tibia proximal|distale* femur|femur distal"},
    .ordinals = {"erste|ersten|erster|erstes", "zweite|zweiten|zweiter|zweites",
                 "dritte|dritten|dritter|drittes", "vierte|vierten|vierter|viertes",
                 "funfte|funften|funfter|funftes", "sechste|sechsten|sechster|sechstes",
                 "siebte|siebten|siebter|siebtes|siebente", "achte|achten|achter|achtes",
                 "neunte|neunten|neunter|neuntes", "zehnte|zehnten|zehnter|zehntes"},
    .next = "nachste|nachsten|nachster|nachstes|folgende|folgenden|andere|anderen",
    .lead = "jetzt|nun|und|dann|schließlich|schliesslich|zuletzt|abschließend|abschliessend|die|"
            "das|zur|zum",
    .nouns = "untersuchung|untersuchungen|aufnahme|aufnahmen|studie|befund",
    .copula = "ist|war",
    .onward = "weiter mit|kommen wir zu|kommen wir zur|kommen wir zum|wir kommen zu|wir kommen "
              "zur|wir kommen zum|zur|zum",
    .number_of = "untersuchung nummer|untersuchung nr",
    .ref_before = "vorherig*|vorangegangen*|fruher*|alte*|alten|mit|mittels|per",
    .ref_after = "vergleich*|verglichen|korrelation*|empfohlen|empfehl*|angeraten|indiziert",
    .ref_seen = "beschrieben*|gesehen*|nachgewiesen*|sichtbar*|bekannt*",
};

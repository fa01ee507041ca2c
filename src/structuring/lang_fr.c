/* lang_fr.c - French for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. An elided
 * article folds to its own word ("d'examen" -> "d examen"). */
#include "structuring/lang.h"

/* Words of every part of the spine (report_lang.anatomy). Not "rachis"
 * alone: it begins "rachis lombaire", which must stay evidence of the
 * lumbar spine when a cervical exam reads it. */
#define SPINE                                                                                      \
    "disque*|discal*|discopath*|disco radiculaire*|intervertebral*|inter vertebral*|"              \
    "foraminal*|foraminaux|foramens|trou* de conjugaison|interapophysaire*|facettaire*|"           \
    "articulaire* posterieure*|rachidien*|canal rachidien|sac dural|fourreau dural|"               \
    "moelle epiniere|myelopath*|radicul*|racine* nerveuse*|vertebr*|paravertebral*|"               \
    "paraspinal*|ligament* jaune*|spondyl*|listhesis|antelisthesis|retrolisthesis|"                \
    "*listhesis|epineuse*|apophyse* transverse*|lordose*|cyphose*|scoliose*|modic*|schmorl*|"      \
    "sous arachnoid*|laminectomie*|hemilaminectomie*|protrusion* discale*"

static const report_phrase phrases[] = {
    REPORT_SECTION("resultats", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("resultat", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("constatations", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("description", REPORT_SEC_BULGULAR, 0, NULL),
    REPORT_SECTION("conclusion", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("conclusions", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("en conclusion", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("au total", REPORT_SEC_SONUC, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("synthese", REPORT_SEC_SONUC, 0, NULL),
    REPORT_SECTION("impression", REPORT_SEC_IZLENIM, REPORT_PH_STRONG, NULL),
    REPORT_SECTION("technique", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("technique d examen", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("protocole", REPORT_SEC_TEKNIK, 0, NULL),
    REPORT_SECTION("renseignements cliniques", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("renseignement clinique", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("renseignements", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("indication", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("indications", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("contexte clinique", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("contexte", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("histoire clinique", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("motif de l examen", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("antecedents", REPORT_SEC_KLINIK, 0, NULL),
    REPORT_SECTION("comparaison", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("examens anterieurs", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    REPORT_SECTION("examen anterieur", REPORT_SEC_KARSILASTIRMA, 0, NULL),
    {"point", REPORT_ACT_PUNCT, '.', 0,
     "un|le|ce|au|du|chaque|quel|quelque|meme|bon|mauvais|a|en|tout|premier|dernier|seul",
     "de|d|du|des|culminant|focal|douloureux|precis|commun|commune|par"},
    REPORT_PUNCT("virgule", ','),
    {"deux points", REPORT_ACT_PUNCT, ':', 0, NULL, "de|d|du|des"},
    REPORT_PUNCT("point virgule", ';'),
    REPORT_PUNCT("point d interrogation", '?'),
    REPORT_PUNCT("point d exclamation", '!'),
    REPORT_LINE("a la ligne"),
    REPORT_LINE("retour a la ligne"),
    REPORT_LINE("nouvelle ligne"),
    REPORT_LINE("ligne suivante"),
    REPORT_PARAGRAPH("nouveau paragraphe"),
    REPORT_PARAGRAPH("paragraphe suivant"),
    REPORT_PARAGRAPH("nouvel alinea"),
    REPORT_PUNCT("ouvrir la parenthese", '('),
    REPORT_PUNCT("ouvrez la parenthese", '('),
    REPORT_PUNCT("ouvrir parenthese", '('),
    REPORT_PUNCT("ouvrez parenthese", '('),
    REPORT_PUNCT("parenthese ouvrante", '('),
    REPORT_PUNCT("fermer la parenthese", ')'),
    REPORT_PUNCT("fermez la parenthese", ')'),
    REPORT_PUNCT("fermer parenthese", ')'),
    REPORT_PUNCT("fermez parenthese", ')'),
    REPORT_PUNCT("parenthese fermante", ')'),
    REPORT_PUNCT("tiret", '-'),
    REPORT_PUNCT("trait d union", '-'),
    REPORT_PUNCT("barre oblique", '/'),
    REPORT_PUNCT("slash", '/'),
};

static const report_unit units[] = {
    {"millimetre*|mm", "mm", 0},
    {"centimetre*|cm", "cm", 0},
    {"millilitre*|ml", "ml", 0},
    {"cc", "cc", 0},
};

const report_lang report_lang_fr = {
    .code = "fr",
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "de|du|des|d|est|sont|etait|etaient|a|ont|en|avec|par|pour|sur|dans|et|ou|qui|que|"
             "ne|n|pas|peut|peuvent|semble*|sugger*|evoqu*|compatible*|montre*|revele*|"
             "retrouve*|orient*|plaide*|confirm*|doit|doivent|reste*|au|aux",
    .qualifiers = "la|le|les|l|une|un|cette|ce|ces|cet|aucun*|autre*|meme|nouvel*|nouveau|"
                  "nouvelle|premier*|definitive|finale|notre|sa|son|ses|leur|votre|mon|d|de|du|"
                  "des|bonne|meilleure|mauvaise|premiere",
    .title_words = "de|du|des|d|l|la|le|les|et|avec|sans|injection|contraste|produit|droit|"
                   "droite|gauche|bilateral*|face|profil|examen|cerebral*|encephal*|rachis|"
                   "lombaire*|cervical*|dorsal*|sinus|orbites|rein*|renal*|tomodensitometr*|"
                   "irm|scanner|x|ray|pa|ap|articulation*|articulaire*",
    .ones = {"zero", "un|une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"},
    .teens = {"dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix sept",
              "dix huit", "dix neuf"},
    .tens = {NULL, NULL, "vingt|vingts", "trente", "quarante", "cinquante", "soixante", NULL,
             "quatre vingt|quatre vingts", NULL},
    .hundred = "cent|cents",
    .and_word = "et",
    .ten_teen = 1,
    .dec_point = "point",
    .dec_comma = "virgule",
    .half = "et demi|et demie",
    .half_sep = ',',
    .by = "x|sur|fois|par",
    .range = "a",
    .units = units,
    .n_units = sizeof units / sizeof units[0],
    .suffix_mark = '\'',
    .modality = {"tep|pet|positon*", "scintigraphi*|spect", "mammographi*|tomosynthese*",
                 "irm|mr|mri|angio irm|resonance magnetique",
                 "tdm|ct|scanner*|tomodensitometr*|angioscanner*|uroscanner*",
                 "echographi*|echo|ultrason*|doppler*|echo doppler", "densitometr*|dxa|dexa",
                 "angiographi*|arteriographi*", "fluoroscopi*|radioscopi*",
                 "radiographi*|radio|radiologie standard|cliche*"},
    .body = {"obstetrical*|obstetrique*|grossesse*|foetal*|fœtal*", "sein|seins|mammaire*",
             "thyroid*|thyroide*", "cerveau*|cerebral*|encephal*|crane|cranien*|tete",
             "rachis cervical|cervical*", "rachis dorsal|rachis thoracique|dorsal*",
             "lombaire*|lombo sacre*|rachis lombaire", "thorax|thoracique*|pulmonaire*|poumon*",
             "abdomen*|abdominal*", "bassin|pelvis|pelvien*|sacro iliaque*|sacroiliaque*", "genou*",
             "epaule*", "poignet*|cheville*|coude*|pied|pieds|avant bras|doigt*|orteil*|membre*"},
    .anatomy = {"foetus*|fœtus*|foetal*|fœtal*|fetal*|fetus*|grossesse intra*|grossesse evolutiv*|"
                "grossesse gemellaire*|gemellaire*|sac gestationnel*|gestationnel*|placent*|"
                "amniotique*|liquide amniotique|cordon ombilic*|artere* ombilicale*|"
                "veine* ombilicale*|vesicule vitelline|vitellin*|lcc|longueur cranio caudale|bip|"
                "bipariet*|clarte nucale|nucal*|embryon*|trophoblast*|longueur femorale|"
                "perimetre cranien|perimetre abdominal|activite cardiaque fœtale|"
                "activite cardiaque foetale|uter*|col uterin*|col de l uterus",
                "sein|seins|mammaire*|mamelon*|areol*|retroareolaire*|retro areolaire*|"
                "fibroglandulaire*|mammograph*|birads|bi rads|acr|axillaire*|creux axillaire*|"
                "aisselle*|fibroadenome*|galactophor*|quadrant*|prothese* mammaire*",
                "thyroid*|thyreo*|isthme*|parathyroid*|tirads|ti rads|goitre*|trache*",
                "cerveau*|cerebral*|cerebraux|cervelet*|cerebell*|encephal*|intracranien*|"
                "intra cranien*|endocranien*|endo cranien*|crane|cranien*|boite cranienne|"
                "voute du crane|calvari*|tronc cerebral|protuberance annulaire|mesencephal*|"
                "thalam*|noyaux gris|ganglions de la base|substance blanche|substance grise|"
                "corps calleux|hippocamp*|hypophys*|selle turcique|sellaire*|suprasellaire*|"
                "chiasma*|sous dural*|sous arachnoid*|extra axial*|intra axial*|ligne mediane|"
                "citerne*|lobe* frontal*|lobe* temporal*|lobe* parietal*|lobe* occipital*|"
                "fosse posterieure|mastoid*|leptomening*|meninge*|sous tentoriel*|sus tentoriel*|"
                "capsule interne|ventricules|ventricule lateral|ventricules lateraux|"
                "systeme ventriculaire|troisieme ventricule|quatrieme ventricule|v3|v4|"
                "periventriculaire*|sillons|sillons corticaux|circonvolution*|orbite*|orbitaire*|"
                "sinus maxillaire*|sinus frontal*|sinus frontaux|sinus sphenoid*|ethmoid*|"
                "sphenoid*|fosse* nasale*|rocher*|conduit* auditif*|cai|cochlee*|"
                "artere* vertebrale*|vertebro basilaire*|tronc basilaire|polygone de willis|willis|"
                "artere* cerebrale*|sinus veineux|sinus longitudinal*|sinus lateral*|"
                "sinus sigmoide*|sinus caverneux|gliose*",
                SPINE "|rachis cervical|moelle cervicale|lordose cervicale|etage* cervica*|"
                      "segment* cervica*|vertebre* cervicale*|cervicarthrose*|c1|c2|c3|c4|c5|c6|c7|"
                      "c8|odontoid*|dent de l axis|axis|atlas|atloido*|atlanto*|occipito cervical*|"
                      "cranio cervical*|charniere cervico*|cervico thoracique*|cervico dorsal*|"
                      "uncarthrose*|uncovertebral*|unco vertebral*|artere* vertebrale*",
                SPINE "|rachis dorsal|rachis thoracique|moelle dorsale|moelle thoracique|"
                      "vertebre* thoracique*|vertebre* dorsale*|etage* dorsa*|segment* dorsa*|"
                      "cyphose dorsale|t3|t4|t5|t6|t7|t8|t9|t10|t11|t12|d1|d2|d3|d4|d5|d6|d7|d8|d9|"
                      "d10|d11|d12|costo vertebral*|costovertebral*|costo transvers*|"
                      "dorso lombaire*|thoraco lombaire*|charniere dorso*|charniere thoraco*|"
                      "cervico thoracique*|cervico dorsal*|dorsalgie*",
                SPINE "|rachis lombaire|rachis lombo*|lombaire*|lombo sacr*|lombosacr*|lombalgie*|"
                      "l1|l2|l3|l4|l5|s1|s2|cone terminal|cone medullaire|queue de cheval|"
                      "filum terminal*|sacrum|sacre|sacree*|sacro*|coccyx|coccygien*|"
                      "dorso lombaire*|thoraco lombaire*|charniere dorso*|charniere thoraco*|"
                      "charniere lombo*",
                "poumon*|pulmonaire*|pleur*|pneumothorax|pneumopathie*|pneumonie*|pneumomediastin*|"
                "mediastin*|hile*|hilaire*|bronch*|trache*|lobe* superieur*|lobe* inferieur*|"
                "lobe moyen|lingula*|lingulaire*|atelectas*|foyer* de condensation|"
                "condensation* alveolaire*|condensation* parenchymateuse*|consolidation*|emphysem*|"
                "silhouette cardiaque|index cardio thoracique|cardio thoracique|cardiomegalie*|"
                "cardiomediastin*|cardio mediastin*|pericard*|cul* de sac* costo diaphragmatique*|"
                "cul* de sac* pleura*|costo diaphragmatique*|verre depoli|thorax|thoracique*|"
                "intrathoracique*|intra thoracique*|paroi thoracique|aort*|diaphragm*|axillaire*|"
                "creux axillaire*|aisselle*|sous pleura*|base* pulmonaire*|base* des poumons|"
                "base* des deux poumons|base* thoracique*|sternum|sternal*",
                "abdomen*|abdominal*|abdomino*|intra abdominal*|intraabdominal*|foie|hepat*|"
                "intrahepatique*|intra hepatique*|extra hepatique*|rate|splen*|pancrea*|vesicule|"
                "vesicule biliaire|vesiculaire*|biliaire*|choledoc*|cholecyst*|cholelith*|cholang*|"
                "rein|reins|renal*|renaux|perirenal*|perinephr*|pararenal*|pyelo*|calic*|"
                "hydronephrose*|uretero hydronephrose*|ureterohydronephrose*|surrenal*|surrenale*|"
                "intestin*|anse* grele*|anse* intestinale*|grele|colon|colique*|caecum|cæcum|"
                "coecum|sigmoid*|appendic*|appendice*|mesenter*|mesentere|periton*|retroperiton*|"
                "pneumoperitoine*|ascite*|veine porte|tronc porte|hypertension portale|"
                "thrombose portale|estomac|gastrique*|pylore*|duoden*|jejun*|ileon|ileal*|ileale*|"
                "ileus|ileo*|vessie|vesical*|uretere*|ureter*|aort*|veine cave inferieure|vci|"
                "diaphragm*|hypochondre*|epigastr*|flanc*|fosse* iliaque*|fosse* lombaire*|"
                "hernie* ombilic*|ombilic|inguinal*|base* pulmonaire*|base* des poumons|"
                "base* des deux poumons|base* thoracique*|hile du rein|hile du foie|"
                "hile de la rate|hile* renal*|hile* hepatique*|hile* splenique*|artere* iliaque*",
                "pelvis|pelvien*|petit bassin|bassin|uter*|endometr*|myometr*|ovaire*|ovarien*|"
                "annexe*|annexiel*|col uterin*|col de l uterus|parametr*|douglas|"
                "cul de sac de douglas|prostat*|vesicule* seminale*|rectum|rectal*|rectale*|"
                "mesorectum*|vagin*|vessie|vesical*|uretre*|uretere*|ureter*|trompe*|hydrosalpinx|"
                "salping*|acetabul*|cotyle*|cotyloidien*|symphyse*|pubis|pubien*|ischion*|"
                "ischiatique*|ischio pubien*|obturat*|sacro iliaque*|sacroiliaque*|iliaque*|"
                "releveur*|perinee|perineal*|perineale*|canal anal|marge anale|sphincter anal|"
                "inguinal*|fosse* iliaque*|hanche*|coccyx|coccygien*|sigmoid*|labrum acetabulaire*|"
                "labrum cotyloidien*",
                "genou*|menisc*|menisque*|ligament* croise*|lca|lcp|lli|lle|acl|pcl|mcl|lcl|"
                "rotule*|rotulien*|patell*|sous rotulien*|sus rotulien*|quadricipital*|quadriceps|"
                "plateau* tibia*|condyle* femora*|condyle* interne*|condyle* externe*|"
                "echancrure intercondylienne|intercondylien*|poplite*|kyste* de baker|baker*|"
                "hoffa*|trochlee*|trochleen*|femoro tibial*|femorotibial*|femoro patellaire*|"
                "femoropatellaire*|patte d oie|gerdy|tuberosite* tibiale*|tubercule de gerdy|"
                "biceps femoral*|biceps crural*|tibia proximal|femur distal|"
                "bandelette ilio tibiale|bandelette iliotibiale",
                "epaule*|coiffe*|supra epineu*|sus epineu*|infra epineu*|sous epineu*|"
                "sous scapulaire*|subscapulaire*|petit rond|glene*|glenoid*|gleno humeral*|"
                "glenohumeral*|labrum*|bourrelet glenoidien|acromi*|sous acromial*|sous acromio*|"
                "sous deltoidien*|deltoid*|biceps|bicipital*|bicipitale*|long biceps|coraco*|"
                "tete humerale|bankart*|hill sachs|clavicul*|omoplate*|scapul*|recessus axillaire|"
                "nerf axillaire|trochiter*|trochin*|tubercule majeur|tubercule mineur|"
                "coulisse bicipitale",
                "tibia|fibula*|perone*|femur|col femoral|col du femur|tete femorale|diaphys*|"
                "radius|cubitus|ulna*|metacarp*|metatars*|phalang*|carpe|carpien*|tarse|tarsien*|"
                "calcane*|astragal*|talus|scaphoide*|malleol*|poignet*|cheville*|coude*|avant bras|"
                "doigt*|orteil*|main|mains|pied|pieds|achille*|aponevrose plantaire|plantaire*|"
                "cuisse*|jambe*|hanche*|olecran*|epicondyl*|epitrochl*|tfcc|ligament triangulaire|"
                "sinus du tarse|ligament deltoide|humerus|diaphyse humerale|tibia proximal|"
                "femur distal"},
    .ordinals = {"premier|premiere|1er|1ere", "deuxieme|second|seconde|2e|2eme",
                 "troisieme|3e|3eme", "quatrieme|4e|4eme", "cinquieme|5e|5eme", "sixieme|6e|6eme",
                 "septieme|7e|7eme", "huitieme|8e|8eme", "neuvieme|9e|9eme", "dixieme|10e|10eme"},
    .next = "autre|prochain|prochaine",
    .lead = "maintenant|et|puis|ensuite|enfin|finalement|l|le|la",
    .next_after = "suivant|suivante",
    .nouns = "examen|examens|etude|exploration|bilan|compte rendu",
    .copula = "est",
    .onward = "passons a|passons au|passons aux|on passe a|on passe au|on passe aux",
    .number_of = "examen numero|examen n|etude numero",
    .ref_before = "precedent*|anterieur*|ancien*|avec|par|en",
    .ref_after = "compar*|correl*|recommand*|conseill*|propos*|anterieur*|precedent*",
    .ref_seen = "decrit*|visualise*|vu|vue|vus|vues|objective*|retrouve*",
};

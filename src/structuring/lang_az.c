/* lang_az.c - Azerbaijani for the rules engine (see lang.h): section words,
 * spoken punctuation and layout, numbers and units, exam words. Folded
 * forms keep ə, x and q and lose the other marks ("müqayisə" ->
 * "muqayisə", "nöqtə" -> "noqtə"). Centimetres are written "sm", and a
 * suffix after a unit takes a hyphen ("5 sm-lik"), as Azerbaijani writes
 * them. */
#include "structuring/lang.h"

#define NOUN_NOQTE "səklində|tipli|formali|kimi|səkilli"

/* Words of every part of the spine (report_lang.anatomy). No bare "disk*"
 * ("diskineziya", "diskomfort"). */
#define SPINE                                                                                      \
    "disk|diski|diskin|diskə|diskdə|diskdən|disklər*|diskal*|diskopatiya*|diskit*|fəqərə*|" \
    "onurga*|intervertebral*|foraminal*|faset*|fasetka*|spinal kanal*|spinal kord*|"               \
    "dural kisə*|sinir kok*|ligamentum flavum*|flavum*|spondil*|listez*|anterolistez*|"           \
    "retrolistez*|spinoz*|tinli cixinti*|paravertebral*|paraspinal*|lordoz*|kifoz*|skolioz*|"      \
    "protruziya*|ekstruziya*|modik*|modic*|smorl*|subaraxnoidal*|subaraknoid*|osteoxondroz*|"      \
    "qapayici lovhə*|laminektomiya*"

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
    .phrases = phrases,
    .n_phrases = sizeof phrases / sizeof phrases[0],
    .stops = "ilə|kimi|ucun|və|ya|deyil|deyildir|olaraq|uygun*|ehtimal*|gostərir|gostərdi|"
             "baximindan|səbəbindən",
    .qualifiers = "bu|o|bir|hec|diger|digər|oxsar|eyni|dəqiq|yeni|əlavə|butun|bəzi|uygun|"
                  "patoloji|radioloji|son|ilkin|hər",
    .conclusive = "uygun*|dusundur*|ehtimal*|lehinə*|mumkundur",
    .title_words = "və|ilə|sag|sol|ikitərəfli|kontrast*|kontrastsiz|muayinə*|orqanlari|"
                   "boslugu|fəqərə*|sutun*|vəzi*|pa|ap|lateral|kompyuter|maqnit|rezonans|"
                   "sobə*|oynag*",
    .ones = {"sifir", "bir", "iki", "uc", "dord", "bes", "alti", "yeddi", "səkkiz", "doqquz"},
    .tens = {NULL, "on", "iyirmi", "otuz", "qirx", "əlli", "altmis", "yetmis", "səksən", "doxsan"},
    .hundred = "yuz",
    .dec_point = "noqtə",
    .dec_comma = "vergul|tam",
    .frac_before = "onda|yuzdə|mində",
    .half = "yarim",
    .half_sep = ',',
    .by = "x|vurulsun|carpi",
    .range = "ilə|qədər",
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
             "canaq*|kicik canaq*|sakroiliak*", "diz*", "ciyin*",
             "əl|əli|ayaq*|bilək*|dirsək*|qol|qic*|barmaq*"},
    .anatomy = {"dol|dolun|dolə|doldə|dol kisə*|fetus*|fetal*|embrion*|embriyo*|plasenta*|amnion*|"
                "amniotik*|dolyani*|dol yani*|gobək ciyə*|umbilikal arteriya*|umbilikal kord*|"
                "sariliq kisə*|crl|biparietal*|nuxal*|nukal*|bud sumuyu* uzunlug*|"
                "usaqliqdaxili hamiləlik*|hamiləlik muddət*|hamiləlik həftə*|gestasion*|usaqliq*|"
                "uterus*|serviks*",
                "sud vəzi*|məmə*|areola*|retroareolyar*|retroareolar*|fibroqlandulyar*|"
                "mammoqrafiya*|mamoqrafiya*|birads|bi rads|qoltuqalti*|aksilyar*|aksillyar*|"
                "aksiller*|fibroadenoma*",
                "qalxanabənzər*|qalxanvari*|tiroid*|istmus*|paratiroid*|tirads|ti rads|zob|zoba|"
                "zobu|struma*|traxeya*|trakeya*",
                "beyin*|beyn*|kəllə*|serebral*|serebell*|mədəciklər*|yan mədəcik*|ucuncu mədəcik*|"
                "dorduncu mədəcik*|ventrikulyar*|periventrikulyar*|sirimlar*|talam*|bazal qanqli*|"
                "bazal ganqli*|bazal nuvə*|ag maddə*|boz maddə*|korpus kallozum*|hipofiz*|"
                "turk yəhər*|sella*|subdural*|subaraxnoidal*|subaraknoid*|ekstraaksial*|"
                "intraaksial*|orta xətt struktur*|sistern*|alin pay*|gicgah pay*|təpə pay*|"
                "ənsə pay*|frontal pay*|temporal pay*|parietal pay*|oksipital pay*|mastoid*|"
                "leptomeninq*|meninqeal*|supratentorial*|infratentorial*|daxili kapsul*|orbita*|"
                "gozyuvasi*|goz yuvasi*|paranazal*|haymor*|vertebral arteriya*|bazilyar arteriya*|"
                "villizi*|willis*|glioz*",
                SPINE "|boyun fəqərə*|boyun onurga*|boyun seqment*|boyun sobə*|servikal fəqərə*|"
                      "servikal onurga*|servikal seqment*|servikal lordoz*|c1|c2|c3|c4|c5|c6|c7|c8|"
                      "atlant*|dens|odontoid*|aksis|kraniovertebral*|kranioservikal*|"
                      "unkovertebral*|servikotorakal*|vertebral arteriya*",
                SPINE "|dos fəqərə*|dos onurga*|dos sobə*|dos seqment*|torakal fəqərə*|"
                      "torakal onurga*|torakal seqment*|torakal sobə*|t3|t4|t5|t6|t7|t8|t9|t10|t11|"
                      "t12|th1|th2|th3|th4|th5|th6|th7|th8|th9|th10|th11|th12|kostovertebral*|"
                      "torakolumbal*|servikotorakal*",
                SPINE "|bel fəqərə*|bel onurga*|bel sobə*|bel seqment*|lumbal*|lomber*|"
                      "lumbosakral*|l1|l2|l3|l4|l5|s1|s2|at quyrugu|konus medullaris*|sagri*|"
                      "sakral*|sakrum*|sakroiliak*|quyruq sumuy*|koksiks*|torakolumbal*",
                "agciyər*|plevra*|pnevmotoraks*|pnevmoniya*|pnevmonit*|hidrotoraks*|hemotoraks*|"
                "divararali*|mediastin*|hilar*|bronx*|brons*|traxeya*|trakeya*|yuxari pay*|"
                "asagi pay*|orta pay*|lingula*|atelektaz*|konsolidasiya*|emfizem*|urək kolgə*|"
                "urək olcu*|kardiotorakal*|kardiomeqal*|kardiomediastinal*|perikard*|kostofrenik*|"
                "kostodiafraqmal*|plevral sinus*|buzlu susə*|dos qəfəs*|dos boslug*|dos divar*|"
                "torasik*|intratorakal*|aort*|diafraqma*|qoltuqalti*|aksilyar*|aksillyar*|"
                "aksiller*|subplevral*|dos sumuy*",
                "qarin*|abdominal*|intraabdominal*|qaraciyər*|hepat*|dalaq*|dalag*|splen*|"
                "pankreas*|mədəalti*|od kisə*|od yol*|od axar*|xoledox*|xolesist*|xolelit*|boyrək*|"
                "renal*|perirenal*|perinefral*|hidronefroz*|adrenal*|bagirsaq*|onikibarmaq*|"
                "kor bagirsaq*|kolon*|sigmoid*|ileum*|jejunum*|appendiks*|appendisit*|soxulcan*|"
                "mezenter*|musariqə*|periton*|retroperiton*|assit*|qapi vena*|portal vena*|mədə|"
                "mədədə|mədənin|mədəyə|mədədən|mədəsi|sidik kisə*|sidik axar*|ureter*|aort*|"
                "asagi bos vena*|diafraqma*|epiqastr*|qasiq*|gobək yirtig*|agciyər* bazal*|"
                "agciyər* asagi hissə*|agciyər* asagi sahə*|iliak arteriya*",
                "canaq*|kicik canaq*|usaqliq*|uterus*|endometri*|miometri*|yumurtaliq*|adneks*|"
                "serviks*|duqlas*|douglas*|prostat*|toxum qabarcig*|toxum kisəcik*|seminal*|"
                "duz bagirsaq*|rektum*|rektal*|sidik kisə*|sidik axar*|ureter*|uretra*|vagina*|"
                "fallop*|asetabul*|asetabul* labrum*|qasiq*|simfiz*|pubik*|oturaq sumuy*|iliak*|"
                "sakroiliak*|quyruq sumuy*|koksiks*|omba oynag*|sigmoid*|perineal*|perineum*|"
                "obturator*",
                "diz*|menisk*|carpaz bag*|carpazvari bag*|acl|pcl|mcl|lcl|patell*|suprapatellyar*|"
                "infrapatellyar*|suprapatellar*|infrapatellar*|qamis sumuyu* plato*|tibia plato*|"
                "tibial plato*|bud sumuyu* kondil*|femur kondil*|femoral kondil*|popliteal*|baker*|"
                "kvadriseps*|hoffa*|troxlea*|troklea*|tibiofemoral*|patellofemoral*|"
                "proksimal tibia*|distal femur*",
                "ciyin*|ciyn*|rotator manset*|rotator manjet*|supraspinatus*|infraspinatus*|"
                "subskapulyar*|subskapularis*|teres minor*|glenoid*|glenohumeral*|labrum*|labral*|"
                "akromi*|subakromial*|subdeltoid*|deltoid*|biseps*|bisipital*|korako*|"
                "bazu sumuy*|humerus*|kurək*|skapula*|korpucuk*|klavikula*|bankart*|"
                "hill sachs*|qoltuqalti reses*|aksilyar reses*",
                "qamis sumuy*|tibia|fibula*|bud|budun|bud sumuy*|femur|mil sumuy*|radius*|ulna*|"
                "dirsək*|bazu|bazunun|bazu sumuy*|said|said sumuy*|metakarp*|metatars*|falanq*|"
                "falanx*|falanks*|bilək*|biləy*|karpal*|tarsal*|topuq*|daban*|kalkane*|talus*|"
                "qayiqvari*|skafoid*|malleol*|əl|əli|əlin|əllər*|ayaq pəncə*|ayaq bilə*|"
                "ayaq barmaq*|ayagi|ayagin*|ayaqlar*|barmaq*|baldir*|pəncə*|axilles*|plantar*|"
                "omba*|proksimal tibia*|distal femur*"},
    .ordinals = {"birinci", "ikinci", "ucuncu", "dorduncu", "besinci", "altinci", "yeddinci",
                 "səkkizinci", "doqquzuncu", "onuncu"},
    .next = "digər|diger|novbəti|sonraki|o biri",
    .lead = "indi|və|sonra|son|olaraq",
    .nouns = "muayinə*|tədqiqat*|hesabat*|cəkilis*",
    .ref_before = "əvvəlki|kohnə|kecmis",
    .ref_after = "muqayisə*|korrelyasiya*|tovsiyə*|qiymətləndiril*",
    .ref_seen = "gorunən|askar|qeyd|təsvir*",
};

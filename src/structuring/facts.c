/* facts.c - the fact check of structuring/facts.h: numbers, measurements, codes
 * and laterality words of a report looked up in its dictation.
 *
 * Both texts are read by one small reader. It cuts a text at white space;
 * a piece with a digit is read as numbers and codes ("12x8mm", "L4-5",
 * "3,5", "50%"), any other piece is folded (core/text.h: case, accents and
 * Turkish i ignored) into words. Words are looked up in the tables below
 * (units, dimension connectors, sides; for the dictation also number words
 * and spoken decimal points). The dictation's facts go into a sorted set of
 * keys ("n:12:mm", "n:12", "c:l4") and the sides it names into a mask; the
 * report's facts are then looked up one by one as they are read. */
#include "structuring/facts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/lang.h"
#include "core/text.h"
#include "structuring/macros.h"

#define VALUE_MAX 32        /* bytes kept of one number or code */
#define WORD_MAX 64         /* bytes kept of one folded word */
#define PENDING_MAX 8       /* numbers of one dimension chain ("12 x 8 x 6 mm") */
#define EVIDENCE_MAX 200000 /* keys kept from one dictation */

/* ---- tables ------------------------------------------------------------------------ */

enum { SIDE_RIGHT = 1, SIDE_LEFT = 2, SIDE_BILATERAL = 4 };

/* A word in its natural spelling (folded once at start), what it means, and
 * whether it also matches as the start of a longer word. A two-word entry
 * matches two words in a row. */
typedef struct entry {
    int lang;  /* a lang_id (core/lang.h), or -1 for every language */
    int value; /* a SIDE_* bit, a number, or a unit index */
    int prefix;
    const char *word;
} entry;

static const entry side_words[] = {
    /* English: "both" alone is no side ("both the liver and the spleen") */
    {LANG_EN, SIDE_RIGHT, 0, "right"},
    {LANG_EN, SIDE_LEFT, 0, "left"},
    {LANG_EN, SIDE_BILATERAL, 1, "bilateral"},
    {LANG_EN, SIDE_BILATERAL, 0, "both sides"},
    /* Turkish: the forms, not a prefix ("sağlam", "solunum" are not sides) */
    {LANG_TR, SIDE_RIGHT, 0, "sağ"},
    {LANG_TR, SIDE_RIGHT, 0, "sağda"},
    {LANG_TR, SIDE_RIGHT, 0, "sağdaki"},
    {LANG_TR, SIDE_RIGHT, 0, "sağdan"},
    {LANG_TR, SIDE_RIGHT, 0, "sağa"},
    {LANG_TR, SIDE_RIGHT, 0, "sağı"},
    {LANG_TR, SIDE_RIGHT, 0, "sağın"},
    {LANG_TR, SIDE_RIGHT, 0, "sağında"},
    {LANG_TR, SIDE_RIGHT, 0, "sağındaki"},
    {LANG_TR, SIDE_LEFT, 0, "sol"},
    {LANG_TR, SIDE_LEFT, 0, "solda"},
    {LANG_TR, SIDE_LEFT, 0, "soldaki"},
    {LANG_TR, SIDE_LEFT, 0, "soldan"},
    {LANG_TR, SIDE_LEFT, 0, "sola"},
    {LANG_TR, SIDE_LEFT, 0, "solun"},
    {LANG_TR, SIDE_LEFT, 0, "solunda"},
    {LANG_TR, SIDE_LEFT, 0, "solundaki"},
    {LANG_TR, SIDE_BILATERAL, 1, "bilateral"},
    {LANG_TR, SIDE_BILATERAL, 0, "iki taraflı"},
    {LANG_TR, SIDE_BILATERAL, 0, "çift taraflı"},
    {LANG_TR, SIDE_BILATERAL, 0, "her iki"},
    /* Azerbaijani */
    {LANG_AZ, SIDE_RIGHT, 0, "sağ"},
    {LANG_AZ, SIDE_RIGHT, 0, "sağda"},
    {LANG_AZ, SIDE_RIGHT, 0, "sağdakı"},
    {LANG_AZ, SIDE_RIGHT, 0, "sağdan"},
    {LANG_AZ, SIDE_RIGHT, 0, "sağa"},
    {LANG_AZ, SIDE_LEFT, 0, "sol"},
    {LANG_AZ, SIDE_LEFT, 0, "solda"},
    {LANG_AZ, SIDE_LEFT, 0, "soldakı"},
    {LANG_AZ, SIDE_LEFT, 0, "soldan"},
    {LANG_AZ, SIDE_LEFT, 0, "sola"},
    {LANG_AZ, SIDE_BILATERAL, 1, "ikitərəfli"},
    {LANG_AZ, SIDE_BILATERAL, 1, "bilateral"},
    {LANG_AZ, SIDE_BILATERAL, 0, "hər iki"},
    /* Russian: "прав" is no prefix ("правильный" is "regular") */
    {LANG_RU, SIDE_RIGHT, 0, "правый"},
    {LANG_RU, SIDE_RIGHT, 0, "правая"},
    {LANG_RU, SIDE_RIGHT, 0, "правое"},
    {LANG_RU, SIDE_RIGHT, 0, "правые"},
    {LANG_RU, SIDE_RIGHT, 0, "правого"},
    {LANG_RU, SIDE_RIGHT, 0, "правой"},
    {LANG_RU, SIDE_RIGHT, 0, "правому"},
    {LANG_RU, SIDE_RIGHT, 0, "правым"},
    {LANG_RU, SIDE_RIGHT, 0, "правом"},
    {LANG_RU, SIDE_RIGHT, 0, "правую"},
    {LANG_RU, SIDE_RIGHT, 0, "правых"},
    {LANG_RU, SIDE_RIGHT, 0, "правыми"},
    {LANG_RU, SIDE_RIGHT, 0, "справа"},
    {LANG_RU, SIDE_RIGHT, 1, "правосторон"},
    {LANG_RU, SIDE_LEFT, 1, "лев"},
    {LANG_RU, SIDE_LEFT, 0, "слева"},
    {LANG_RU, SIDE_BILATERAL, 1, "двусторон"},
    {LANG_RU, SIDE_BILATERAL, 1, "билатерал"},
    {LANG_RU, SIDE_BILATERAL, 0, "обеих"},
    {LANG_RU, SIDE_BILATERAL, 0, "обоих"},
    /* French */
    {LANG_FR, SIDE_RIGHT, 0, "droit"},
    {LANG_FR, SIDE_RIGHT, 0, "droite"},
    {LANG_FR, SIDE_RIGHT, 0, "droits"},
    {LANG_FR, SIDE_RIGHT, 0, "droites"},
    {LANG_FR, SIDE_LEFT, 0, "gauche"},
    {LANG_FR, SIDE_LEFT, 0, "gauches"},
    {LANG_FR, SIDE_BILATERAL, 1, "bilatéra"},
    {LANG_FR, SIDE_BILATERAL, 0, "deux côtés"},
    /* German: "recht" is no prefix ("rechtwinklig") */
    {LANG_DE, SIDE_RIGHT, 0, "rechts"},
    {LANG_DE, SIDE_RIGHT, 0, "rechte"},
    {LANG_DE, SIDE_RIGHT, 0, "rechter"},
    {LANG_DE, SIDE_RIGHT, 0, "rechten"},
    {LANG_DE, SIDE_RIGHT, 0, "rechtes"},
    {LANG_DE, SIDE_RIGHT, 0, "rechtem"},
    {LANG_DE, SIDE_RIGHT, 1, "rechtsseit"},
    {LANG_DE, SIDE_LEFT, 0, "links"},
    {LANG_DE, SIDE_LEFT, 0, "linke"},
    {LANG_DE, SIDE_LEFT, 0, "linker"},
    {LANG_DE, SIDE_LEFT, 0, "linken"},
    {LANG_DE, SIDE_LEFT, 0, "linkes"},
    {LANG_DE, SIDE_LEFT, 0, "linkem"},
    {LANG_DE, SIDE_LEFT, 1, "linksseit"},
    {LANG_DE, SIDE_BILATERAL, 1, "beidseit"},
    {LANG_DE, SIDE_BILATERAL, 1, "beiderseit"},
    {LANG_DE, SIDE_BILATERAL, 1, "bilateral"},
};

/* Units, in any language; value indexes unit_names. */
static const char *const unit_names[] = {"mm", "cm", "ml", "%", "HU", "ms"};
static const entry unit_words[] = {
    {-1, 0, 0, "mm"},         {-1, 0, 1, "millimet"},  {-1, 0, 1, "milimet"},
    {-1, 0, 1, "миллиметр"},  {-1, 0, 0, "мм"},        {-1, 1, 0, "cm"},
    {-1, 1, 1, "centimet"},   {-1, 1, 1, "santim"},    {-1, 1, 0, "sm"},
    {-1, 1, 1, "сантиметр"},  {-1, 1, 0, "см"},        {-1, 1, 1, "zentimet"},
    {-1, 2, 0, "ml"},         {-1, 2, 0, "cc"},        {-1, 2, 1, "millilit"},
    {-1, 2, 1, "mililit"},    {-1, 2, 1, "миллилитр"}, {-1, 2, 0, "мл"},
    {-1, 3, 0, "%"},          {-1, 3, 0, "percent"},   {-1, 3, 0, "prozent"},
    {-1, 3, 1, "процент"},    {-1, 3, 0, "pourcent"},  {-1, 4, 0, "hu"},
    {-1, 4, 0, "hounsfield"}, {-1, 5, 0, "ms"},        {-1, 5, 0, "msec"},
};

/* Words that join the numbers of one measurement: "12 x 8", "12 by 8",
 * "12 to 15", "12 ila 15", "12 на 8". */
static const entry connector_words[] = {
    {-1, 0, 0, "x"},     {-1, 0, 0, "×"},   {-1, 0, 0, "by"}, {-1, 0, 0, "to"}, {-1, 0, 0, "and"},
    {-1, 0, 0, "çarpı"}, {-1, 0, 0, "ila"}, {-1, 0, 0, "ve"}, {-1, 0, 0, "на"}, {-1, 0, 0, "до"},
    {-1, 0, 0, "и"},     {-1, 0, 0, "sur"}, {-1, 0, 0, "à"},  {-1, 0, 0, "et"}, {-1, 0, 0, "mal"},
    {-1, 0, 0, "bis"},   {-1, 0, 0, "und"}, {-1, 0, 0, "və"},
};

/* Spoken decimal points, for the dictation: "two point five". */
static const entry decimal_words[] = {
    {-1, 0, 0, "point"}, {-1, 0, 0, "nokta"},   {-1, 0, 0, "virgül"}, {-1, 0, 0, "tam"},
    {-1, 0, 0, "comma"}, {-1, 0, 0, "запятая"}, {-1, 0, 0, "целых"},  {-1, 0, 0, "virgule"},
    {-1, 0, 0, "komma"}, {-1, 0, 0, "vergül"},  {-1, 0, 0, "nöqtə"},
};

/* Number words, for the dictation, in its language only ("on" is ten in
 * Turkish). 100 multiplies ("iki yüz"). */
static const entry number_words[] = {
    {LANG_EN, 0, 0, "zero"},
    {LANG_EN, 1, 0, "one"},
    {LANG_EN, 2, 0, "two"},
    {LANG_EN, 3, 0, "three"},
    {LANG_EN, 4, 0, "four"},
    {LANG_EN, 5, 0, "five"},
    {LANG_EN, 6, 0, "six"},
    {LANG_EN, 7, 0, "seven"},
    {LANG_EN, 8, 0, "eight"},
    {LANG_EN, 9, 0, "nine"},
    {LANG_EN, 10, 0, "ten"},
    {LANG_EN, 11, 0, "eleven"},
    {LANG_EN, 12, 0, "twelve"},
    {LANG_EN, 13, 0, "thirteen"},
    {LANG_EN, 14, 0, "fourteen"},
    {LANG_EN, 15, 0, "fifteen"},
    {LANG_EN, 16, 0, "sixteen"},
    {LANG_EN, 17, 0, "seventeen"},
    {LANG_EN, 18, 0, "eighteen"},
    {LANG_EN, 19, 0, "nineteen"},
    {LANG_EN, 20, 0, "twenty"},
    {LANG_EN, 30, 0, "thirty"},
    {LANG_EN, 40, 0, "forty"},
    {LANG_EN, 50, 0, "fifty"},
    {LANG_EN, 60, 0, "sixty"},
    {LANG_EN, 70, 0, "seventy"},
    {LANG_EN, 80, 0, "eighty"},
    {LANG_EN, 90, 0, "ninety"},
    {LANG_EN, 100, 0, "hundred"},
    {LANG_TR, 0, 0, "sıfır"},
    {LANG_TR, 1, 0, "bir"},
    {LANG_TR, 2, 0, "iki"},
    {LANG_TR, 3, 0, "üç"},
    {LANG_TR, 4, 0, "dört"},
    {LANG_TR, 5, 0, "beş"},
    {LANG_TR, 6, 0, "altı"},
    {LANG_TR, 7, 0, "yedi"},
    {LANG_TR, 8, 0, "sekiz"},
    {LANG_TR, 9, 0, "dokuz"},
    {LANG_TR, 10, 0, "on"},
    {LANG_TR, 20, 0, "yirmi"},
    {LANG_TR, 30, 0, "otuz"},
    {LANG_TR, 40, 0, "kırk"},
    {LANG_TR, 50, 0, "elli"},
    {LANG_TR, 60, 0, "altmış"},
    {LANG_TR, 70, 0, "yetmiş"},
    {LANG_TR, 80, 0, "seksen"},
    {LANG_TR, 90, 0, "doksan"},
    {LANG_TR, 100, 0, "yüz"},
    {LANG_AZ, 0, 0, "sıfır"},
    {LANG_AZ, 1, 0, "bir"},
    {LANG_AZ, 2, 0, "iki"},
    {LANG_AZ, 3, 0, "üç"},
    {LANG_AZ, 4, 0, "dörd"},
    {LANG_AZ, 5, 0, "beş"},
    {LANG_AZ, 6, 0, "altı"},
    {LANG_AZ, 7, 0, "yeddi"},
    {LANG_AZ, 8, 0, "səkkiz"},
    {LANG_AZ, 9, 0, "doqquz"},
    {LANG_AZ, 10, 0, "on"},
    {LANG_AZ, 20, 0, "iyirmi"},
    {LANG_AZ, 30, 0, "otuz"},
    {LANG_AZ, 40, 0, "qırx"},
    {LANG_AZ, 50, 0, "əlli"},
    {LANG_AZ, 60, 0, "altmış"},
    {LANG_AZ, 70, 0, "yetmiş"},
    {LANG_AZ, 80, 0, "səksən"},
    {LANG_AZ, 90, 0, "doxsan"},
    {LANG_AZ, 100, 0, "yüz"},
    {LANG_RU, 0, 0, "ноль"},
    {LANG_RU, 1, 0, "один"},
    {LANG_RU, 1, 0, "одна"},
    {LANG_RU, 1, 0, "одно"},
    {LANG_RU, 2, 0, "два"},
    {LANG_RU, 2, 0, "две"},
    {LANG_RU, 3, 0, "три"},
    {LANG_RU, 4, 0, "четыре"},
    {LANG_RU, 5, 0, "пять"},
    {LANG_RU, 6, 0, "шесть"},
    {LANG_RU, 7, 0, "семь"},
    {LANG_RU, 8, 0, "восемь"},
    {LANG_RU, 9, 0, "девять"},
    {LANG_RU, 10, 0, "десять"},
    {LANG_RU, 11, 0, "одиннадцать"},
    {LANG_RU, 12, 0, "двенадцать"},
    {LANG_RU, 13, 0, "тринадцать"},
    {LANG_RU, 14, 0, "четырнадцать"},
    {LANG_RU, 15, 0, "пятнадцать"},
    {LANG_RU, 16, 0, "шестнадцать"},
    {LANG_RU, 17, 0, "семнадцать"},
    {LANG_RU, 18, 0, "восемнадцать"},
    {LANG_RU, 19, 0, "девятнадцать"},
    {LANG_RU, 20, 0, "двадцать"},
    {LANG_RU, 30, 0, "тридцать"},
    {LANG_RU, 40, 0, "сорок"},
    {LANG_RU, 50, 0, "пятьдесят"},
    {LANG_RU, 60, 0, "шестьдесят"},
    {LANG_RU, 70, 0, "семьдесят"},
    {LANG_RU, 80, 0, "восемьдесят"},
    {LANG_RU, 90, 0, "девяносто"},
    {LANG_RU, 100, 0, "сто"},
    {LANG_FR, 0, 0, "zéro"},
    {LANG_FR, 1, 0, "un"},
    {LANG_FR, 1, 0, "une"},
    {LANG_FR, 2, 0, "deux"},
    {LANG_FR, 3, 0, "trois"},
    {LANG_FR, 4, 0, "quatre"},
    {LANG_FR, 5, 0, "cinq"},
    {LANG_FR, 6, 0, "six"},
    {LANG_FR, 7, 0, "sept"},
    {LANG_FR, 8, 0, "huit"},
    {LANG_FR, 9, 0, "neuf"},
    {LANG_FR, 10, 0, "dix"},
    {LANG_FR, 11, 0, "onze"},
    {LANG_FR, 12, 0, "douze"},
    {LANG_FR, 13, 0, "treize"},
    {LANG_FR, 14, 0, "quatorze"},
    {LANG_FR, 15, 0, "quinze"},
    {LANG_FR, 16, 0, "seize"},
    {LANG_FR, 20, 0, "vingt"},
    {LANG_FR, 30, 0, "trente"},
    {LANG_FR, 40, 0, "quarante"},
    {LANG_FR, 50, 0, "cinquante"},
    {LANG_FR, 60, 0, "soixante"},
    {LANG_FR, 100, 0, "cent"},
    {LANG_DE, 0, 0, "null"},
    {LANG_DE, 1, 0, "eins"},
    {LANG_DE, 1, 0, "ein"},
    {LANG_DE, 1, 0, "eine"},
    {LANG_DE, 2, 0, "zwei"},
    {LANG_DE, 3, 0, "drei"},
    {LANG_DE, 4, 0, "vier"},
    {LANG_DE, 5, 0, "fünf"},
    {LANG_DE, 6, 0, "sechs"},
    {LANG_DE, 7, 0, "sieben"},
    {LANG_DE, 8, 0, "acht"},
    {LANG_DE, 9, 0, "neun"},
    {LANG_DE, 10, 0, "zehn"},
    {LANG_DE, 11, 0, "elf"},
    {LANG_DE, 12, 0, "zwölf"},
    {LANG_DE, 13, 0, "dreizehn"},
    {LANG_DE, 14, 0, "vierzehn"},
    {LANG_DE, 15, 0, "fünfzehn"},
    {LANG_DE, 16, 0, "sechzehn"},
    {LANG_DE, 17, 0, "siebzehn"},
    {LANG_DE, 18, 0, "achtzehn"},
    {LANG_DE, 19, 0, "neunzehn"},
    {LANG_DE, 20, 0, "zwanzig"},
    {LANG_DE, 30, 0, "dreißig"},
    {LANG_DE, 40, 0, "vierzig"},
    {LANG_DE, 50, 0, "fünfzig"},
    {LANG_DE, 60, 0, "sechzig"},
    {LANG_DE, 70, 0, "siebzig"},
    {LANG_DE, 80, 0, "achtzig"},
    {LANG_DE, 90, 0, "neunzig"},
    {LANG_DE, 100, 0, "hundert"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The tables' words folded the way text is (text_fold), built once. */
typedef struct table {
    const entry *e;
    size_t n;
    char **folded;
} table;

static table t_sides = {side_words, COUNT(side_words), NULL};
static table t_units = {unit_words, COUNT(unit_words), NULL};
static table t_connectors = {connector_words, COUNT(connector_words), NULL};
static table t_decimals = {decimal_words, COUNT(decimal_words), NULL};
static table t_numbers = {number_words, COUNT(number_words), NULL};
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static int tables_rc = RA_OK;

/* The folded form of a table word; "%" and "×" are kept as they are
 * (folding would make them spaces). */
static char *fold_entry(const char *word)
{
    if (strcmp(word, "%") == 0 || strcmp(word, "×") == 0)
        return strdup(word);
    return text_fold(word);
}

static void fold_table(table *t)
{
    t->folded = calloc(t->n, sizeof *t->folded);
    for (size_t i = 0; t->folded != NULL && i < t->n; i++) {
        t->folded[i] = fold_entry(t->e[i].word);
        if (t->folded[i] == NULL)
            tables_rc = RA_ERR_NOMEM;
    }
    if (t->folded == NULL)
        tables_rc = RA_ERR_NOMEM;
}

static void build_tables(void)
{
    table *all[] = {&t_sides, &t_units, &t_connectors, &t_decimals, &t_numbers};
    for (size_t i = 0; i < COUNT(all); i++)
        fold_table(all[i]);
}

/* The entry of t that word (or "prev word") matches in language lang (-1:
 * any), or NULL. */
static const entry *lookup(const table *t, int lang, const char *prev, const char *word)
{
    char pair[2 * WORD_MAX + 2];
    snprintf(pair, sizeof pair, "%s %s", prev ? prev : "", word);
    for (size_t i = 0; i < t->n; i++) {
        const entry *e = &t->e[i];
        const char *f = t->folded[i];
        if (lang >= 0 && e->lang >= 0 && e->lang != lang)
            continue;
        if (strchr(f, ' ') != NULL) {
            if (prev != NULL && strcmp(f, pair) == 0)
                return e;
        } else if (strcmp(f, word) == 0 || (e->prefix && strncmp(f, word, strlen(f)) == 0)) {
            return e;
        }
    }
    return NULL;
}

/* ---- the dictation's facts: a sorted set of keys --------------------------------- */

typedef struct key_set {
    char **keys;
    size_t n, cap;
} key_set;

static int set_add(key_set *s, const char *key)
{
    if (s->n == EVIDENCE_MAX)
        return RA_OK; /* a dictation this full of numbers: the rest go unchecked, leniently */
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **k = realloc(s->keys, cap * sizeof *k);
        if (k == NULL)
            return RA_ERR_NOMEM;
        s->keys = k;
        s->cap = cap;
    }
    s->keys[s->n] = strdup(key);
    if (s->keys[s->n] == NULL)
        return RA_ERR_NOMEM;
    s->n++;
    return RA_OK;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int set_has(const key_set *s, const char *key)
{
    return s->n > 0 && bsearch(&key, s->keys, s->n, sizeof *s->keys, cmp_key) != NULL;
}

static void set_release(key_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->keys[i]);
    free(s->keys);
}

/* ---- the reader ----------------------------------------------------------------- */

typedef struct pending {
    char value[VALUE_MAX]; /* "3.5" */
    char shown[VALUE_MAX]; /* as written: "3,5" */
} pending;

typedef struct reader {
    int lenient;          /* 1: the dictation (facts go into ev); 0: a report section */
    int lang;             /* a lang_id (core/lang.h), or -1 */
    key_set *ev;          /* the dictation's facts */
    unsigned sides;       /* lenient: the sides the dictation names */
    report_warnings *out; /* strict: where unsupported facts go */
    report_section section;
    pending chain[PENDING_MAX]; /* numbers waiting for their unit */
    int n_chain;
    int joined;           /* a connector followed the chain's last number */
    long spoken;          /* lenient: number words so far, -1 none */
    char spoken_letter;   /* lenient: the single letter before them ("l four") */
    int decimal;          /* lenient: a decimal word followed the last number */
    char last[VALUE_MAX]; /* lenient: the last number read */
    char letter;          /* lenient: the word before was this single letter */
    char prev[WORD_MAX];  /* the word before, folded ("" none) */
    const char *raw;      /* the piece of text being read, for what a warning shows */
    size_t raw_len;
    const char *prev_raw;
    size_t prev_raw_len;
    int rc;
} reader;

static void warn(reader *r, const char *code, const char *text)
{
    report_warnings_add(r->out, code, r->section, text, strlen(text));
}

/* A fact found: into the set (lenient) or looked up (strict). */
static void number_fact(reader *r, const char *value, const char *shown, int unit)
{
    char key[VALUE_MAX + 16];
    if (r->lenient) {
        snprintf(key, sizeof key, "n:%s", value);
        if (r->rc == RA_OK)
            r->rc = set_add(r->ev, key);
        if (unit >= 0 && r->rc == RA_OK) {
            snprintf(key, sizeof key, "n:%s:%s", value, unit_names[unit]);
            r->rc = set_add(r->ev, key);
        }
        return;
    }
    if (unit >= 0)
        snprintf(key, sizeof key, "n:%s:%s", value, unit_names[unit]);
    else
        snprintf(key, sizeof key, "n:%s", value);
    if (set_has(r->ev, key))
        return;
    char text[VALUE_MAX + 8];
    snprintf(text, sizeof text, "%s%s%s", shown,
             unit < 0    ? ""
             : unit == 3 ? ""
                         : " ",
             unit < 0 ? "" : unit_names[unit]);
    warn(r, REPORT_WARN_NUMBER, text);
}

static void code_fact(reader *r, const char *code, const char *shown)
{
    char key[VALUE_MAX + 4];
    snprintf(key, sizeof key, "c:%s", code);
    if (r->lenient) {
        if (r->rc == RA_OK)
            r->rc = set_add(r->ev, key);
    } else if (!set_has(r->ev, key)) {
        warn(r, REPORT_WARN_NUMBER, shown);
    }
}

/* The chain's numbers get their unit (-1: none). */
static void end_chain(reader *r, int unit)
{
    for (int i = 0; i < r->n_chain; i++)
        number_fact(r, r->chain[i].value, r->chain[i].shown, unit);
    r->n_chain = 0;
    r->joined = 0;
}

static void push_number(reader *r, const char *value, const char *shown)
{
    if (r->n_chain > 0 && !r->joined)
        end_chain(r, -1);
    if (r->n_chain == PENDING_MAX)
        end_chain(r, -1);
    snprintf(r->chain[r->n_chain].value, VALUE_MAX, "%s", value);
    snprintf(r->chain[r->n_chain].shown, VALUE_MAX, "%s", shown);
    r->n_chain++;
    r->joined = 0;
}

/* A number read (digits, or number words once they end). */
static void feed_number(reader *r, const char *value, const char *shown)
{
    if (r->lenient) {
        if (r->decimal && r->last[0] != '\0' && strchr(r->last, '.') == NULL) {
            char joined[VALUE_MAX];
            snprintf(joined, sizeof joined, "%.15s.%.15s", r->last, value);
            push_number(r, joined, joined);
            r->joined = 1; /* the parts stay numbers of their own too */
        }
        if (r->letter) {
            char code[VALUE_MAX];
            snprintf(code, sizeof code, "%c%s", r->letter, value);
            code_fact(r, code, code);
        }
        snprintf(r->last, sizeof r->last, "%s", value);
    }
    r->decimal = 0;
    r->letter = 0;
    push_number(r, value, shown);
}

/* Number words so far become a number. */
static void end_spoken(reader *r)
{
    if (r->spoken < 0)
        return;
    char value[VALUE_MAX];
    snprintf(value, sizeof value, "%ld", r->spoken);
    r->spoken = -1;
    r->letter = r->spoken_letter;
    r->spoken_letter = 0;
    feed_number(r, value, value);
}

/* One number word of the dictation: it counts alone, and it joins the
 * words before it when they make one number ("twenty five", "yüz yirmi",
 * "iki yüz", "soixante douze"). */
static void add_spoken(reader *r, long v)
{
    char value[VALUE_MAX];
    snprintf(value, sizeof value, "%ld", v);
    number_fact(r, value, value, -1);
    long s = r->spoken;
    if (s > 0 && v == 100 && s < 10)
        r->spoken = s * 100;
    else if (s > 0 && ((s % 100 == 0 && v < 100) || (s % 10 == 0 && s >= 20 && v < 10) ||
                       (s >= 60 && s % 20 == 0 && v >= 10 && v < 20)))
        r->spoken = s + v;
    else {
        end_spoken(r);
        r->spoken = v;
    }
}

static void side_fact(reader *r, int side, const char *shown)
{
    if (r->lenient) {
        r->sides |= (unsigned)side;
        return;
    }
    unsigned have = r->sides;
    int ok = (have & (unsigned)side) != 0 ||
             (side == SIDE_BILATERAL && (have & SIDE_RIGHT) && (have & SIDE_LEFT)) ||
             (side != SIDE_BILATERAL && (have & SIDE_BILATERAL));
    if (!ok)
        warn(r, REPORT_WARN_LATERALITY, shown);
}

/* The text a warning shows for the piece being read. */
static void shown_piece(const reader *r, int pair, char *out, size_t len)
{
    if (pair && r->prev_raw != NULL)
        snprintf(out, len, "%.*s %.*s", (int)r->prev_raw_len, r->prev_raw, (int)r->raw_len, r->raw);
    else
        snprintf(out, len, "%.*s", (int)r->raw_len, r->raw);
}

/* One folded word. */
static void feed_word(reader *r, const char *word)
{
    const entry *e;
    if ((e = lookup(&t_units, -1, NULL, word)) != NULL) {
        end_spoken(r);
        end_chain(r, e->value);
    } else if (r->lenient && r->lang >= 0 && (e = lookup(&t_numbers, r->lang, NULL, word))) {
        if (r->spoken < 0)
            r->spoken_letter = r->letter;
        add_spoken(r, e->value);
    } else {
        end_spoken(r);
        if (r->n_chain > 0 && lookup(&t_connectors, -1, NULL, word) != NULL) {
            r->joined = 1;
        } else if (r->lenient && r->n_chain > 0 && lookup(&t_decimals, -1, NULL, word)) {
            r->decimal = 1;
            r->joined = 1;
        } else {
            end_chain(r, -1);
        }
    }
    int lang = r->lenient ? -1 : r->lang;
    if ((e = lookup(&t_sides, lang, r->prev[0] ? r->prev : NULL, word)) != NULL) {
        char shown[REPORT_WARNING_TEXT_MAX];
        shown_piece(r, strchr(t_sides.folded[e - side_words], ' ') != NULL, shown, sizeof shown);
        side_fact(r, e->value, shown);
    }
    r->letter = (r->lenient && word[0] >= 'a' && word[0] <= 'z' && word[1] == '\0') ? word[0] : 0;
    snprintf(r->prev, sizeof r->prev, "%s", word);
}

/* Something that ends a measurement: a sentence's end. */
static void feed_break(reader *r)
{
    end_spoken(r);
    end_chain(r, -1);
    r->decimal = 0;
    r->letter = 0;
    r->prev[0] = '\0';
}

/* Folds text (n bytes) and feeds its words. */
static void feed_text(reader *r, const char *text, size_t n)
{
    char *copy = strndup(text, n);
    char *folded = copy ? text_fold(copy) : NULL;
    free(copy);
    if (folded == NULL) {
        r->rc = RA_ERR_NOMEM; /* the text was checked as UTF-8 before */
        return;
    }
    for (char *w = folded; *w;) {
        size_t k = strcspn(w, " ");
        if (k > 0) {
            char word[WORD_MAX];
            snprintf(word, sizeof word, "%.*s", (int)k, w);
            feed_word(r, word);
        }
        w += k + (w[k] == ' ');
    }
    free(folded);
}

/* ---- pieces with digits ------------------------------------------------------------ */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A letter for codes and attached units: ASCII letters and any non-ASCII
 * character but "×". */
static size_t letter_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return 1;
    if (c < 0x80 || strncmp(s, "×", 2) == 0)
        return 0;
    size_t len = 1;
    while ((s[len] & 0xC0) == 0x80)
        len++;
    return len;
}

static size_t letters(const char *s, size_t n)
{
    size_t i = 0, k;
    while (i < n && (k = letter_len(s + i)) > 0 && i + k <= n)
        i += k;
    return i;
}

/* Digits with inner "." "," ":" between digits: "3,5", "12:30". */
static size_t number_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n &&
           (is_digit(s[i]) || (i > 0 && i + 1 < n && strchr(".,:", s[i]) && is_digit(s[i + 1]))))
        i++;
    return i;
}

static void ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

/* The unit index of the folded letters s (n bytes), or -1. */
static int unit_of(const char *s, size_t n)
{
    char raw[WORD_MAX];
    snprintf(raw, sizeof raw, "%.*s", (int)n, s);
    char *f = text_fold(raw);
    const entry *e = f ? lookup(&t_units, -1, NULL, f) : NULL;
    free(f);
    return e ? e->value : -1;
}

/* One atom of a piece: letters, a number, letters ("L4", "12mm", "3,5"). */
static void feed_atom(reader *r, const char *s, size_t l1, size_t num, size_t l2,
                      char *range_prefix, size_t prefix_size, int after_dash)
{
    char value[VALUE_MAX], shown[VALUE_MAX];
    snprintf(shown, sizeof shown, "%.*s", (int)num, s + l1);
    snprintf(value, sizeof value, "%s", shown);
    for (char *p = value; *p; p++)
        if (*p == ',')
            *p = '.';
    int unit = l2 ? unit_of(s + l1 + num, l2) : -1;
    if (l1 == 0 && l2 == 0 && after_dash && range_prefix[0]) { /* "L4-5": L5 */
        char code[VALUE_MAX], upper[VALUE_MAX];
        snprintf(code, sizeof code, "%.8s%.20s", range_prefix, value);
        snprintf(upper, sizeof upper, "%s", code);
        for (char *p = upper; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        end_spoken(r);
        end_chain(r, -1);
        code_fact(r, code, upper);
    } else if (l1 == 0 && (l2 == 0 || unit >= 0)) {
        end_spoken(r);
        feed_number(r, value, shown);
        if (unit >= 0)
            end_chain(r, unit);
        range_prefix[0] = '\0';
    } else {
        char code[VALUE_MAX];
        snprintf(shown, sizeof shown, "%.*s", (int)(l1 + num + l2), s);
        snprintf(code, sizeof code, "%s", shown);
        ascii_lower(code);
        end_spoken(r);
        end_chain(r, -1);
        code_fact(r, code, shown);
        snprintf(range_prefix, prefix_size, "%.*s", l2 == 0 && l1 < 8 ? (int)l1 : 0, code);
    }
}

/* A piece with a digit: atoms joined by "-", "/", "x", "×" and the like. */
static void feed_digits(reader *r, const char *s, size_t n)
{
    int percent = memchr(s, '%', n) != NULL;
    char range_prefix[9] = "";
    int after_dash = 0;
    for (size_t i = 0; i < n && r->rc == RA_OK;) {
        /* "12x8": the x joins two numbers */
        int times =
            i > 0 && is_digit(s[i - 1]) && (s[i] | 0x20) == 'x' && i + 1 < n && is_digit(s[i + 1]);
        size_t l1 = times ? 0 : letters(s + i, n - i);
        size_t num = times ? 0 : number_len(s + i + l1, n - i - l1);
        size_t l2 = num ? letters(s + i + l1 + num, n - i - l1 - num) : 0;
        if (l2 == 1 && (s[i + l1 + num] | 0x20) == 'x' && i + l1 + num + 1 < n &&
            is_digit(s[i + l1 + num + 1]))
            l2 = 0;
        if (num == 0 && l1 > 0) {
            feed_text(r, s + i, l1);
        } else if (num > 0) {
            feed_atom(r, s + i, l1, num, l2, range_prefix, sizeof range_prefix, after_dash);
        }
        i += l1 + num + l2;
        after_dash = 0;
        if (i < n && l1 + num + l2 == 0) { /* a separator */
            after_dash = s[i] == '-' || s[i] == '/';
            if (r->n_chain > 0)
                r->joined = 1;
            i += strncmp(s + i, "×", 2) == 0 ? 2 : 1;
        }
    }
    if (percent) {
        end_spoken(r);
        end_chain(r, 3);
    }
}

/* ---- reading a text --------------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* A piece that joins two numbers: "-", "–", "/", "×" ("12 × 8 mm"). */
static int is_joiner(const char *s, size_t n)
{
    static const char *const joiners[] = {"-", "–", "/", "×", "x", "*"};
    for (size_t i = 0; i < COUNT(joiners); i++)
        if (n == strlen(joiners[i]) && memcmp(s, joiners[i], n) == 0)
            return 1;
    return 0;
}

/* One piece of text between spaces: trimmed of quotes and brackets, cut at
 * an apostrophe (Turkish suffixes: "12 mm'lik", "L4'te"); a sentence's end
 * after it ends the measurement. */
static void feed_piece(reader *r, const char *s, size_t n)
{
    static const char lead[] = "([{\"'<", trail[] = ".,;:!?)]}\"'>";
    while (n > 0 && strchr(lead, *s) && *s) {
        s++;
        n--;
    }
    int ends = 0;
    while (n > 0 && strchr(trail, s[n - 1]) && s[n - 1]) {
        ends |= strchr(".;:!?", s[n - 1]) != NULL;
        n--;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\'' || strncmp(s + i, "’", 3) == 0) {
            n = i;
            break;
        }
    r->prev_raw = r->raw;
    r->prev_raw_len = r->raw_len;
    r->raw = s;
    r->raw_len = n;
    int digits = 0;
    for (size_t i = 0; i < n && !digits; i++)
        digits = is_digit(s[i]);
    if (digits)
        feed_digits(r, s, n);
    else if (n > 0 && strspn(s, "%") >= n)
        feed_word(r, "%");
    else if (is_joiner(s, n))
        feed_word(r, "x");
    else if (n > 0)
        feed_text(r, s, n);
    if (ends || n == 0)
        feed_break(r);
}

static void read_text(reader *r, const char *text)
{
    r->spoken = -1;
    for (const char *p = text; *p && r->rc == RA_OK;) {
        while (is_space(*p))
            p++;
        const char *start = p;
        while (*p && !is_space(*p))
            p++;
        if (p > start)
            feed_piece(r, start, (size_t)(p - start));
    }
    feed_break(r);
}

/* ---- the check -------------------------------------------------------------------- */

static int check_text(const char *s)
{
    if (s == NULL)
        return RA_OK;
    size_t n = strlen(s);
    if (n > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    return text_is_utf8(s, n) ? RA_OK : RA_ERR_INVALID;
}

/* The dictation's facts: its own words, and the rules engine's rendering of
 * it (number words become digits there) when that engine reads the
 * language. */
static int read_dictation(const char *dictation, const char *lang, key_set *ev, unsigned *sides)
{
    reader r = {.lenient = 1, .lang = lang_index(lang), .ev = ev};
    read_text(&r, dictation);
    report_sections rules = {{NULL}};
    if (r.rc == RA_OK && report_lang_normalize(lang) != NULL &&
        report_structure(dictation, lang, &rules) == RA_OK) {
        for (int i = 0; i < REPORT_SEC_COUNT && r.rc == RA_OK; i++)
            if (rules.text[i] != NULL)
                read_text(&r, rules.text[i]);
        report_sections_release(&rules);
    }
    if (r.rc == RA_OK && ev->n > 0)
        qsort(ev->keys, ev->n, sizeof *ev->keys, cmp_key);
    *sides = r.sides;
    return r.rc;
}

int report_facts_check(const char *dictation, const char *dictation_lang,
                       const report_sections *report, const char *report_lang, report_warnings *out)
{
    if (dictation == NULL || report == NULL || out == NULL)
        return RA_ERR_INVALID;
    int rc = check_text(dictation);
    for (int i = 0; rc == RA_OK && i < REPORT_SEC_COUNT; i++)
        rc = check_text(report->text[i]);
    pthread_once(&tables_once, build_tables);
    if (rc == RA_OK)
        rc = tables_rc;
    if (rc != RA_OK)
        return rc;
    key_set ev = {NULL, 0, 0};
    unsigned sides = 0;
    report_warnings w = {.n = 0};
    rc = read_dictation(dictation, dictation_lang, &ev, &sides);
    for (int i = 0; rc == RA_OK && i < REPORT_SEC_COUNT; i++) {
        if (report->text[i] == NULL)
            continue;
        reader r = {.lang = lang_index(report_lang),
                    .ev = &ev,
                    .sides = sides,
                    .out = &w,
                    .section = (report_section)i};
        read_text(&r, report->text[i]);
        rc = r.rc;
    }
    set_release(&ev);
    if (rc == RA_OK)
        *out = w;
    return rc;
}

void report_warnings_add(report_warnings *w, const char *code, report_section section,
                         const char *text, size_t len)
{
    char shown[REPORT_WARNING_TEXT_MAX];
    size_t n = len;
    if (n > sizeof shown - 1) { /* cut on a character boundary */
        n = sizeof shown - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(shown, text, n);
    shown[n] = '\0';
    for (char *p = shown; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
    for (size_t i = 0; i < w->n; i++)
        if (w->item[i].section == section && strcmp(w->item[i].text, shown) == 0 &&
            strcmp(w->item[i].code, code) == 0)
            return;
    if (w->n == REPORT_WARNINGS_MAX) {
        w->more++;
        return;
    }
    report_warning *it = &w->item[w->n++];
    it->code = code;
    it->section = section;
    memcpy(it->text, shown, n + 1);
}

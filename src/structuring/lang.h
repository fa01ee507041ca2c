/* lang.h - the words of each dictation language the rules engine reads:
 * one read-only table per language (tr, en, ru, az, fr, de; each in its own
 * src/structuring/lang_<code>.c), the lists all languages share, and the small
 * matchers the structurer (structure.c) and the splitter (split.c) use on
 * them. Nothing here knows what a report is; structure.c and split.c hold
 * the logic, these tables only the words.
 *
 * Every word in a table is in folded form (core/text.h text_fold: lowercase
 * with Turkish rules, accents removed, dotless ı as i, so "Sonuç" -> "sonuc",
 * "ЗАКЛЮЧЕНИЕ" -> "заключение", "Nəticə" -> "nəticə"; Cyrillic й folds to и
 * and ё to е). A unit test checks that every entry is.
 *
 * Word lists are '|' separated patterns. A pattern "abc*" matches every
 * word that begins with abc, "*abc" every word that ends with it. In an
 * alternatives list (report_alts_len) a pattern may be several words
 * separated by single spaces ("iki nokta", "magnetic resonance").
 *
 * Adding a language is adding one lang_<code>.c file, its line in lang.c's
 * registry and its section headings in core/sections.c (the headings are
 * written by the templates' filling and the exports too, which sit below
 * the structurer).
 *
 * THREAD SAFETY: everything is read-only; every function may run on any
 * thread at once. None of them fails. */
#ifndef RAPORTAI_STRUCTURING_LANG_H
#define RAPORTAI_STRUCTURING_LANG_H

#include <stddef.h>
#include <stdint.h>

#include "core/sections.h"

/* What a spoken phrase does. */
enum { REPORT_ACT_PUNCT, REPORT_ACT_BREAK, REPORT_ACT_SECTION };

#define REPORT_PH_STRONG 1u   /* a section word that may start a section mid-sentence */
#define REPORT_PH_NO_START 2u /* a command that is only a word at a sentence start */

/* A spoken phrase: a section word, a punctuation command or a layout
 * command, and when it is only a plain word. */
typedef struct report_phrase {
    const char *words;      /* folded words separated by single spaces, no patterns */
    unsigned char act;      /* REPORT_ACT_* */
    char arg;               /* the punctuation; 1 line / 2 paragraph; or the report_section */
    unsigned char flags;    /* REPORT_PH_* */
    const char *not_after;  /* a plain word after one of these words, or NULL */
    const char *not_before; /* a plain word (not a heading) before one of these, or NULL */
} report_phrase;

/* Shorthands for the tables in lang_<code>.c: a section word (flags
 * REPORT_PH_*, and the words after which it is no heading), and a
 * punctuation or layout command without guards. */
#define REPORT_SECTION(w, sec, flags, not_before)                                                  \
    {                                                                                              \
        (w), REPORT_ACT_SECTION, (char)(sec), (flags), NULL, (not_before)                          \
    }
#define REPORT_PUNCT(w, ch)                                                                        \
    {                                                                                              \
        (w), REPORT_ACT_PUNCT, (ch), 0, NULL, NULL                                                 \
    }
#define REPORT_LINE(w)                                                                             \
    {                                                                                              \
        (w), REPORT_ACT_BREAK, 1, 0, NULL, NULL                                                    \
    }
#define REPORT_PARAGRAPH(w)                                                                        \
    {                                                                                              \
        (w), REPORT_ACT_BREAK, 2, 0, NULL, NULL                                                    \
    }

/* A unit said after a number. */
typedef struct report_unit {
    const char *words; /* word list ("millimeter*|mm"), or with stem the stems */
    const char *out;   /* what is written: "mm"; NULL: the word as dictated ("weeks") */
    int stem;          /* words are stems a suffix may follow ("santimetrelik") */
} report_unit;

/* The modality values of the exam catalog, in the order they are tried
 * (specific before generic: "BT anjiyografi" is CT before it is XR). */
#define REPORT_MODALITIES 10
/* The catalog's body-part values, in the order they are tried. */
#define REPORT_BODY_PARTS 13

extern const char *const report_modality_values[REPORT_MODALITIES];
extern const char *const report_body_values[REPORT_BODY_PARTS];

typedef struct report_lang {
    const char *code; /* "tr" */
    int turkic;       /* dotted and dotless i: "i" capitalises to "İ" */

    /* -- the structurer -- */
    const report_phrase *phrases; /* section words, punctuation and layout */
    size_t n_phrases;
    const char *stops; /* after a section word: it goes on as a sentence */
    /* After a section word, as stops, unless the heading opens the report:
     * findings after a preamble section ("... pain findings at l5 s1 ..."),
     * or any but the closing ones before findings ("comparison with the
     * prior"). NULL: none. */
    const char *joins;
    const char *qualifiers;  /* before a section word: it is part of a sentence */
    const char *conclusive;  /* a findings sentence ending in one concludes, or NULL */
    const char *title_words; /* words of an exam title besides modality and body part */

    /* -- numbers (read by report_number_read) and measurements -- */
    const char *ones[10];     /* 0 .. 9 */
    const char *teens[10];    /* 10 .. 19, where the language has own words */
    const char *tens[10];     /* [1] 10 where "on" is a ten (tr, az), [2] 20 .. [9] 90 */
    const char *hundreds[10]; /* [1] 100 .. [9] 900 where each has its word (ru) */
    const char *hundred;      /* the word that multiplies by 100, or NULL */
    const char *and_word;     /* allowed inside a number ("and", "und", "et"), or NULL */
    int glued;                /* number words are written as one ("fünfundzwanzig") */
    int ones_first;           /* ones before tens, joined by and_word ("fünf und zwanzig") */
    int ten_teen;             /* a ten followed by 10 .. 19 adds up ("soixante dix") */
    const char *dec_point;    /* decimal separators written '.' */
    const char *dec_comma;    /* decimal separators written ',' */
    const char *frac_before;  /* dropped before the decimals ("onda" of "iki tam onda beş") */
    const char *frac_after;   /* dropped after the decimals ("десятых") */
    const char *half;         /* "and a half": alternatives list, or NULL */
    char half_sep;            /* the separator written for a half: ',' or '.' */
    const char *by;           /* "x" between dimensions */
    const char *range;        /* between the ends of a range ("from 14 to 6 mm"), or NULL */
    const report_unit *units;
    size_t n_units;
    char suffix_mark; /* between a unit and its suffix: '\'' ("cm'lik") or '-' ("sm-lik") */

    /* -- the splitter -- */
    const char *modality[REPORT_MODALITIES]; /* alternatives for each modality value */
    const char *body[REPORT_BODY_PARTS];     /* alternatives for each body-part value */
    /* Words that speak of each body part's anatomy, and of it alone among
     * the body parts a multi-exam job usually combines ("menisc*" for the
     * knee, "l4" for the lumbar spine, "lung*" for the chest): the evidence
     * structuring/anatomy.h weighs. Neighbours a report of the part commonly
     * mentions are listed with it too ("lung base*" with the abdomen), so
     * they are never evidence of another exam. NULL: none known. */
    const char *anatomy[REPORT_BODY_PARTS];
    const char *ordinals[10]; /* alternatives for 1st .. 10th */
    const char *next;         /* "next", "other" before an exam noun */
    const char *lead;         /* a transition may open with ("now the second exam"), or NULL */
    const char *next_after;   /* the same after the noun ("examen suivant"), or NULL */
    const char *nouns;        /* "exam", "study" */
    /* After a transition's noun, before the exam it names ("the third exam
     * is the elbow", "die zweite Untersuchung ist ..."), or NULL. */
    const char *copula;
    /* Opens a sentence that moves on to the exam it names ("Moving on to the
     * cervical length.", "Passons au genou."), or NULL. */
    const char *onward;
    const char *number_of;  /* alternatives before a number ("exam number"), or NULL */
    const char *ref_before; /* before an exam: it is a mention of another ("prior") */
    const char *ref_after;  /* after an exam: it is a mention ("recommended") */
    /* After a modality or body part named alone, in its sentence: it refers
     * to an exam read before ("the nodule described on ultrasound"). */
    const char *ref_seen;
} report_lang;

/* The table of language code (as report_lang_normalize returns it), or
 * NULL. */
const report_lang *report_lang_get(const char *code);

/* The number of languages, and the i-th (i < report_lang_count()). */
size_t report_lang_count(void);
const report_lang *report_lang_at(size_t i);

/* Abbreviations after which a typed '.' does not end a sentence ("e.g",
 * "z.b", "т.е"), and abbreviations written in capitals when dictated in
 * lowercase ("ct", "mrt", "кт"): lists as above, shared by all languages. */
extern const char report_abbrevs[];
extern const char report_acronyms[];

/* True when the folded word w matches a pattern of list (NULL list or empty
 * w: false). A w holding spaces ("x ray") is compared as one string. */
int report_word_in(const char *w, const char *list);

/* Returns the folded word at index i of a caller's text, "" past its end or
 * where there is no word. */
typedef const char *(*report_word_at)(const void *ctx, size_t i);

/* The words (indices) used by the longest alternative of alts matching the
 * words from index i on, or 0 when none matches (NULL alts: 0). A word that
 * holds spaces ("point virgule" typed as "point-virgule") matches as many
 * pattern words, or one pattern "abc*" by its start. */
size_t report_alts_len(const char *alts, report_word_at word, const void *ctx, size_t i);

/* A set of phrases of a language, by their index in its table. */
#define REPORT_PHRASES_INDEXED 128 /* phrases a set tells apart; any later is in every set */
typedef struct report_phrase_set {
    uint64_t bits[REPORT_PHRASES_INDEXED / 64];
} report_phrase_set;

/* The phrases of L that words starting with the folded word w may start:
 * report_alts_len of any other phrase's words is 0 there. Judged by w's
 * first byte alone, from sets worked out once per language: a quick test
 * before the whole one. Every phrase of a table not in the registry is in
 * it; none when w is "" (or NULL). Cannot fail. */
report_phrase_set report_phrases_may_start(const report_lang *L, const char *w);
/* True when phrase p is in set (always past REPORT_PHRASES_INDEXED). */
int report_phrase_set_has(const report_phrase_set *set, size_t p);

#define REPORT_NUMBER_MAX_WORDS 8 /* words a number in words may take */

/* Reads a number from 0 to 999 said in words at the start of words[0..n)
 * (folded; a word may hold spaces, "vingt cinq", or be glued where the
 * language glues, "fünfundzwanzig"): "yirmi beş", "one hundred and ten",
 * "двести пять", "quatre vingt dix", "zweiundzwanzig". Returns how many of
 * the words it used (never part of one), 0 when they do not start with a
 * number; *value gets it. */
size_t report_number_read(const report_lang *L, const char *const *words, size_t n,
                          unsigned *value);

#endif

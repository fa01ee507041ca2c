/* test_lang.c - unit tests of src/structuring/lang: every word of every
 * language's table is in the folded form the matchers compare, every
 * language has what the structurer and the splitter need (anatomy words
 * for every body part among them), the pattern matchers, no spoken command
 * read as anatomy, and the reader of numbers said in words in all six
 * languages. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lang.h"
#include "core/text.h"
#include "structuring/lang.h"
#include "structuring/structure.h"

/* Checks that every pattern of list (NULL allowed) is folded: the pattern
 * without its '*' folds to itself, with single spaces between words. */
static void expect_folded(const char *code, const char *what, const char *list)
{
    for (const char *p = list; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, "|");
        char item[256];
        cr_assert_lt(n, sizeof item);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] != '*')
                item[k++] = p[i];
        }
        item[k] = '\0';
        char *f = text_fold(item);
        cr_assert_not_null(f);
        cr_assert(strcmp(f, item) == 0 && k > 0 && item[0] != ' ' && item[k - 1] != ' ' &&
                      strstr(item, "  ") == NULL,
                  "%s %s: \"%s\" is not folded (folds to \"%s\")", code, what, item, f);
        free(f);
        p += n + (p[n] == '|');
    }
}

static void expect_table_folded(const report_lang *L)
{
    const char *c = L->code;
    for (size_t i = 0; i < L->n_phrases; i++) {
        const report_phrase *ph = &L->phrases[i];
        cr_assert_null(strpbrk(ph->words, "|*"), "%s: phrase \"%s\"", c, ph->words);
        expect_folded(c, "phrase", ph->words);
        expect_folded(c, "not_after", ph->not_after);
        expect_folded(c, "not_before", ph->not_before);
    }
    const char *lists[] = {
        L->stops,     L->qualifiers, L->conclusive,  L->title_words, L->hundred,    L->and_word,
        L->dec_point, L->dec_comma,  L->frac_before, L->frac_after,  L->half,       L->by,
        L->next,      L->next_after, L->nouns,       L->number_of,   L->ref_before, L->ref_after};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        expect_folded(c, "list", lists[i]);
    for (int d = 0; d < 10; d++) {
        expect_folded(c, "ones", L->ones[d]);
        expect_folded(c, "teens", L->teens[d]);
        expect_folded(c, "tens", L->tens[d]);
        expect_folded(c, "hundreds", L->hundreds[d]);
        expect_folded(c, "ordinals", L->ordinals[d]);
    }
    for (size_t u = 0; u < L->n_units; u++)
        expect_folded(c, "unit", L->units[u].words);
    for (int m = 0; m < REPORT_MODALITIES; m++)
        expect_folded(c, "modality", L->modality[m]);
    for (int b = 0; b < REPORT_BODY_PARTS; b++) {
        expect_folded(c, "body", L->body[b]);
        expect_folded(c, "anatomy", L->anatomy[b]);
    }
}

Test(report_lang, every_table_word_is_folded)
{
    cr_assert_eq(report_lang_count(), 6);
    for (size_t i = 0; i < report_lang_count(); i++)
        expect_table_folded(report_lang_at(i));
    expect_folded("all", "acronyms", report_acronyms);
}

/* True when L has a phrase doing act with arg. */
static int has_phrase(const report_lang *L, int act, char arg)
{
    for (size_t i = 0; i < L->n_phrases; i++) {
        if (L->phrases[i].act == act && L->phrases[i].arg == arg)
            return 1;
    }
    return 0;
}

Test(report_lang, every_language_is_complete)
{
    const char *const *codes = lang_codes; /* every language of the registry */
    cr_assert_eq(report_lang_count(), LANG_COUNT);
    for (size_t i = 0; i < LANG_COUNT; i++) {
        const report_lang *L = report_lang_get(codes[i]);
        cr_assert_not_null(L, "%s", codes[i]);
        cr_assert_eq(report_lang_at(i), L);
        cr_assert_str_eq(L->code, codes[i], "the table at %s is %s's", codes[i], L->code);
        cr_assert_str_eq(report_lang_normalize(codes[i]), codes[i]);
        int own_titles = strcmp(L->code, "en") == 0;
        for (int s = 0; s < REPORT_SEC_COUNT; s++) {
            const char *title = report_section_title((report_section)s, L->code);
            cr_assert(title != NULL && title[0] != '\0', "%s title %d", L->code, s);
            own_titles |= strcmp(title, report_section_title((report_section)s, "en")) != 0;
            cr_assert(has_phrase(L, REPORT_ACT_SECTION, (char)s), "%s: no word for section %d",
                      L->code, s);
        }
        cr_assert(own_titles, "%s has no headings of its own in core/sections.c", L->code);
        const char marks[] = ".,:;?!()-/";
        for (const char *m = marks; *m != '\0'; m++)
            cr_assert(has_phrase(L, REPORT_ACT_PUNCT, *m), "%s: no spoken '%c'", L->code, *m);
        cr_assert(has_phrase(L, REPORT_ACT_BREAK, 1), "%s: no new line", L->code);
        cr_assert(has_phrase(L, REPORT_ACT_BREAK, 2), "%s: no new paragraph", L->code);
        for (int d = 0; d < 10; d++) {
            cr_assert_not_null(L->ones[d], "%s ones %d", L->code, d);
            cr_assert_not_null(L->ordinals[d], "%s ordinal %d", L->code, d + 1);
        }
        for (int m = 0; m < REPORT_MODALITIES; m++)
            cr_assert_not_null(L->modality[m], "%s modality %s", L->code,
                               report_modality_values[m]);
        for (int b = 0; b < REPORT_BODY_PARTS; b++) {
            cr_assert_not_null(L->body[b], "%s body %s", L->code, report_body_values[b]);
            cr_assert_not_null(L->anatomy[b], "%s anatomy %s", L->code, report_body_values[b]);
        }
        cr_assert(L->units != NULL && L->n_units > 0 && L->by != NULL && L->nouns != NULL &&
                      L->next != NULL && (L->dec_point != NULL || L->dec_comma != NULL),
                  "%s", L->code);
        cr_assert(L->half_sep == ',' || L->half_sep == '.', "%s", L->code);
    }
    cr_assert_null(report_lang_get("xx"));
    cr_assert_null(report_lang_get(NULL));
    cr_assert_null(report_lang_get("TR"), "the table of a code, exactly");
    cr_assert_null(report_lang_at(LANG_COUNT));
}

/* ---- matchers ----------------------------------------------------------- */

Test(report_lang, word_in_patterns)
{
    cr_assert(report_word_in("uyumludur", "ile|uyumlu*"));
    cr_assert(report_word_in("grafisi", "*grafi|*grafisi"));
    cr_assert(report_word_in("ile", "ile|uyumlu*"));
    cr_assert_not(report_word_in("il", "ile|uyumlu*"));
    cr_assert_not(report_word_in("", "ile"));
    cr_assert_not(report_word_in("ile", NULL));
    cr_assert(report_word_in("x ray", "x ray"));
}

static const char *const *words_of_test;

static const char *word_at(const void *ctx, size_t i)
{
    size_t n = *(const size_t *)ctx;
    return i < n ? words_of_test[i] : "";
}

static size_t alts(const char *list, const char *const *words, size_t n)
{
    words_of_test = words;
    return report_alts_len(list, word_at, &n, 0);
}

Test(report_lang, alternatives_of_several_words)
{
    const char *const a[] = {"iki", "nokta", "beş"};
    cr_assert_eq(alts("iki|iki nokta|iki nokta ust uste", a, 3), 2);
    cr_assert_eq(alts("nokta", a, 3), 0);
    cr_assert_eq(alts(NULL, a, 3), 0);
    cr_assert_eq(alts("iki nokta bes kere", a, 3), 0);
    /* A word typed with a hyphen folds to two: "point-virgule". */
    const char *const b[] = {"point virgule", "pas"};
    cr_assert_eq(alts("point|point virgule", b, 2), 1);
    cr_assert_eq(alts("point", b, 2), 0);
    const char *const c[] = {"пояснично крестцового", "отдела"};
    cr_assert_eq(alts("поясничн*|пояснично*", c, 2), 1);
    const char *const d[] = {"magnetic", "resonance", "imaging"};
    cr_assert_eq(alts("mr|magnetic resonance*", d, 3), 2);
    const char *const e[] = {"akciger", "grafisinde"};
    cr_assert_eq(alts("*grafi|akciger", e, 2), 1);
}

/* A spoken command or section word is never anatomy: read from any of a
 * phrase's words on, no anatomy list of its language matches ("nokta",
 * "точка" and "Punkt" are punctuation, not places). */
Test(report_lang, no_spoken_phrase_is_anatomy)
{
    for (size_t l = 0; l < report_lang_count(); l++) {
        const report_lang *L = report_lang_at(l);
        for (size_t i = 0; i < L->n_phrases; i++) {
            char buf[128];
            const char *words[16];
            size_t n = 0;
            snprintf(buf, sizeof buf, "%s", L->phrases[i].words);
            for (char *p = buf; *p != '\0' && n < 16;) {
                words[n++] = p;
                p += strcspn(p, " ");
                if (*p == ' ')
                    *p++ = '\0';
            }
            for (size_t k = 0; k < n; k++) {
                for (int b = 0; b < REPORT_BODY_PARTS; b++)
                    cr_assert_eq(alts(L->anatomy[b], words + k, n - k), 0,
                                 "%s: the anatomy of %s reads \"%s\" of \"%s\"", L->code,
                                 report_body_values[b], words[k], L->phrases[i].words);
            }
        }
    }
}

/* ---- numbers in words --------------------------------------------------- */

/* Reads words (space separated into words; "_" stands for a space inside
 * one word, as "vingt-cinq" folds) in lang; checks value and words used. */
static void expect_number(const char *lang, const char *text, unsigned want, size_t want_used)
{
    char buf[256];
    const char *words[REPORT_NUMBER_MAX_WORDS];
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", text);
    for (char *p = buf; *p != '\0' && n < REPORT_NUMBER_MAX_WORDS;) {
        words[n++] = p;
        p += strcspn(p, " ");
        if (*p == ' ')
            *p++ = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        for (char *q = (char *)words[i]; *q != '\0'; q++)
            *q = *q == '_' ? ' ' : *q;
    }
    unsigned v = 12345;
    size_t used = report_number_read(report_lang_get(lang), words, n, &v);
    cr_assert_eq(used, want_used, "%s \"%s\": used %zu, expected %zu", lang, text, used, want_used);
    if (want_used > 0)
        cr_assert_eq(v, want, "%s \"%s\": %u, expected %u", lang, text, v, want);
}

Test(report_lang, numbers_turkish_and_azerbaijani)
{
    expect_number("tr", "sifir", 0, 1);
    expect_number("tr", "yirmi bes", 25, 2);
    expect_number("tr", "on iki milimetre", 12, 2);
    expect_number("tr", "iki yuz on iki", 212, 4);
    expect_number("tr", "yuz", 100, 1);
    expect_number("tr", "dokuz yuz doksan dokuz", 999, 4);
    expect_number("tr", "adet", 0, 0);
    expect_number("az", "iyirmi bes", 25, 2);
    expect_number("az", "səkkiz", 8, 1);
    expect_number("az", "qirx yeddi", 47, 2);
    expect_number("az", "yuz əlli", 150, 2);
}

Test(report_lang, numbers_english)
{
    expect_number("en", "twelve", 12, 1);
    expect_number("en", "twenty five", 25, 2);
    expect_number("en", "one hundred and ten", 110, 4);
    expect_number("en", "hundred", 100, 1);
    expect_number("en", "zero", 0, 1);
    expect_number("en", "and five", 0, 0);
    expect_number("en", "two and three", 2, 1);
}

Test(report_lang, numbers_russian)
{
    expect_number("ru", "двенадцать", 12, 1);
    expect_number("ru", "двадцать пять", 25, 2);
    expect_number("ru", "двести пять", 205, 2);
    expect_number("ru", "сто двадцать пять", 125, 3);
    expect_number("ru", "девятьсот девяносто девять", 999, 3);
    expect_number("ru", "две", 2, 1);
    expect_number("ru", "трех", 3, 1);
    expect_number("ru", "ноль", 0, 1);
}

Test(report_lang, numbers_french)
{
    expect_number("fr", "douze", 12, 1);
    expect_number("fr", "vingt et un", 21, 3);
    expect_number("fr", "vingt_cinq", 25, 1);
    expect_number("fr", "soixante dix", 70, 2);
    expect_number("fr", "soixante et onze", 71, 3);
    expect_number("fr", "soixante_dix_sept", 77, 1);
    expect_number("fr", "quatre vingts", 80, 2);
    expect_number("fr", "quatre_vingt_dix_neuf", 99, 1);
    expect_number("fr", "deux cents", 200, 2);
    expect_number("fr", "cent vingt", 120, 2);
    expect_number("fr", "dix sept", 17, 2);
    expect_number("fr", "une", 1, 1);
    /* Never part of a word: "deux-tiers" is no number. */
    expect_number("fr", "deux_tiers", 0, 0);
}

Test(report_lang, numbers_german_written_as_one_word)
{
    expect_number("de", "zwolf", 12, 1);
    expect_number("de", "zweiundzwanzig", 22, 1);
    expect_number("de", "einundzwanzig", 21, 1);
    expect_number("de", "hundertfunfundzwanzig", 125, 1);
    expect_number("de", "zweihundertdrei", 203, 1);
    expect_number("de", "dreißig", 30, 1);
    expect_number("de", "dreissig", 30, 1);
    expect_number("de", "sechzehn", 16, 1);
    expect_number("de", "achtundachtzig", 88, 1);
    expect_number("de", "funf und zwanzig", 25, 3);
    expect_number("de", "null", 0, 1);
    /* Words that begin with a number word are not numbers. */
    expect_number("de", "achten", 0, 0);
    expect_number("de", "zweite", 0, 0);
    expect_number("de", "dreimal", 0, 0);
    expect_number("de", "einerseits", 0, 0);
}

/* ---- first bytes ---------------------------------------------------------- */

/* The quick test of phrases by a word's first byte says yes for every
 * byte some alternative of a phrase starts with (read here from the phrase
 * itself) and no for every other, in every language; a table not in the
 * registry is never judged by it, and every language's phrases fit in a
 * set. */
Test(report_lang, a_phrase_is_passed_over_only_for_bytes_none_of_its_words_start_with)
{
    for (size_t l = 0; l < report_lang_count(); l++) {
        const report_lang *L = report_lang_at(l);
        cr_assert_leq(L->n_phrases, REPORT_PHRASES_INDEXED, "%s has too many phrases", L->code);
        for (size_t p = 0; p < L->n_phrases; p++) {
            int starts[256] = {0};
            for (const char *a = L->phrases[p].words; *a != '\0';) {
                starts[(unsigned char)*a] = 1;
                a += strcspn(a, "|");
                a += *a == '|';
            }
            for (int b = 1; b < 256; b++) {
                char w[3] = {(char)b, 'a', '\0'};
                report_phrase_set may = report_phrases_may_start(L, w);
                cr_assert_eq(report_phrase_set_has(&may, p), starts[b], "%s phrase \"%s\", byte %d",
                             L->code, L->phrases[p].words, b);
            }
            report_phrase_set none = report_phrases_may_start(L, "");
            cr_assert_not(report_phrase_set_has(&none, p));
        }
    }
    report_lang other = *report_lang_get("en");
    report_phrase_set all = report_phrases_may_start(&other, "\x01");
    cr_assert(report_phrase_set_has(&all, 0), "not in the registry: not judged");
    cr_assert(report_phrase_set_has(&all, REPORT_PHRASES_INDEXED + 3));
}

/* Every ones word of every language still reads as its number, and a word
 * that starts no number word of its language is none. */
Test(report_lang, number_words_are_read_and_other_words_passed_over)
{
    for (size_t l = 0; l < report_lang_count(); l++) {
        const report_lang *L = report_lang_at(l);
        for (unsigned d = 0; d < 10; d++) {
            char text[64];
            snprintf(text, sizeof text, "%.*s", (int)strcspn(L->ones[d], "|"), L->ones[d]);
            for (char *q = text; *q != '\0'; q++)
                *q = *q == ' ' ? '_' : *q;
            expect_number(L->code, text, d, 1);
        }
        expect_number(L->code, "xylophone", 0, 0);
        expect_number(L->code, "", 0, 0);
    }
}

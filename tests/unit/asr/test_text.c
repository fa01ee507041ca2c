/* test_text.c - unit tests of src/asr's text side: asr_normalize (the
 * spoken form of written and dictated text), asr_text_from_markup (RTF and
 * HTML template bodies to text) and the corpus (phrase files, template
 * texts, the shipped library). Tests run from the repository root. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr/asr.h"
#include "core/err.h"
#include "templates/templates.h"

static void assert_spoken(const char *in, const char *want)
{
    char *got = NULL;
    cr_assert_eq(asr_normalize(in, &got), RA_OK);
    cr_assert_str_eq(got, want, "input \"%s\"", in);
    char *again = NULL;
    cr_assert_eq(asr_normalize(got, &again), RA_OK);
    cr_assert_str_eq(again, got, "normalising \"%s\" twice changed it", in);
    free(again);
    free(got);
}

/* ---- asr_normalize ------------------------------------------------------ */

Test(asr_normalize, punctuation_becomes_spoken_words)
{
    assert_spoken("FINDINGS: No acute hemorrhage.", "findings colon no acute hemorrhage period");
    assert_spoken("Liver, spleen; kidneys?", "liver comma spleen semicolon kidneys question mark");
    assert_spoken("Normal...", "normal period");
    assert_spoken("(PA) view of the chest.", "pa view of the chest period");
    assert_spoken(": leading colon is dropped", "leading colon is dropped");
}

Test(asr_normalize, spoken_text_is_unchanged)
{
    assert_spoken("findings colon no acute intracranial hemorrhage period new line",
                  "findings colon no acute intracranial hemorrhage period new line");
    assert_spoken("  twelve   by eight\tmillimeters\n", "twelve by eight millimeters");
    assert_spoken("", "");
    assert_spoken("!!! ---", "");
}

Test(asr_normalize, numbers)
{
    assert_spoken("0", "zero");
    assert_spoken("7", "seven");
    assert_spoken("15", "fifteen");
    assert_spoken("40", "forty");
    assert_spoken("99", "ninety nine");
    assert_spoken("100", "one hundred");
    assert_spoken("150 bpm", "one hundred fifty bpm");
    assert_spoken("2023", "two thousand twenty three");
    assert_spoken("1,000", "one thousand");
    assert_spoken("1000001", "one million one");
    assert_spoken("05", "zero five");
    assert_spoken("3.5", "three point five");
    assert_spoken("0.75", "zero point seven five");
    assert_spoken("1234567890", "one two three four five six seven eight nine zero");
}

Test(asr_normalize, ordinals)
{
    assert_spoken("1st", "first");
    assert_spoken("2nd 3rd 4th", "second third fourth");
    assert_spoken("5th 8th 9th 12th", "fifth eighth ninth twelfth");
    assert_spoken("13th", "thirteenth");
    assert_spoken("20th", "twentieth");
    assert_spoken("21st", "twenty first");
    assert_spoken("the 6th rib", "the sixth rib");
}

Test(asr_normalize, measurements)
{
    assert_spoken("12 x 8 mm", "twelve by eight millimeters");
    assert_spoken("12x8mm", "twelve by eight millimeters");
    assert_spoken("3.2 x 2.1 cm", "three point two by two point one centimeters");
    assert_spoken("4.5cm", "four point five centimeters");
    assert_spoken("20 ml", "twenty milliliters");
    assert_spoken("40%", "forty percent");
    assert_spoken("x ray", "x ray");
    assert_spoken("X-ray", "x ray");
}

Test(asr_normalize, abbreviations_and_levels)
{
    assert_spoken("Axial T1-weighted, T2-weighted, FLAIR",
                  "axial t1 weighted comma t2 weighted comma flair");
    assert_spoken("L4-L5 and L5-S1", "l4 l5 and l5 s1");
    assert_spoken("C5-6", "c5 six");
    assert_spoken("T12", "t12");
    assert_spoken("BI-RADS 4", "birads four");
    assert_spoken("bi-rads", "birads");
    assert_spoken("CT", "ct");
    assert_spoken("3D", "three d");
    assert_spoken("the patient's knee", "the patient's knee");
    assert_spoken("'quoted'", "quoted");
    assert_spoken("patient\xE2\x80\x99s", "patient's");
}

Test(asr_normalize, placeholders_and_accents)
{
    assert_spoken("FINDINGS:\n{{BULGULAR}}\n", "findings colon");
    assert_spoken("{{ not a placeholder", "not a placeholder");
    assert_spoken("M\xC3\xA9ni\xC3\xA8re disease", "meniere disease");
    assert_spoken("\xC3\x96"
                  "dem",
                  "odem");
}

/* ---- asr_text_from_markup ---------------------------------------------- */

static char *markup(const char *content, const char *format)
{
    char *out = NULL;
    cr_assert_eq(asr_text_from_markup(content, format, &out), RA_OK);
    return out;
}

Test(asr_markup, rtf)
{
    char *t =
        markup("{\\rtf1\\ansi\\ansicpg1254\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset162 Arial;}}\n"
               "{\\colortbl;\\red0\\green0\\blue0;}\n"
               "\\uc1\\f0\\fs22\n{\\b ULTRASOUND ABDOMEN}\\par\n"
               "{\\*\\generator Word;}Kara\\u231?i\\'f0er\\tab x\\line\n"
               "{{KLINIK}}\\par\n\\{\\{TEKNIK\\}\\}\\par\n}",
               "rtf");
    cr_assert_str_eq(t, "ULTRASOUND ABDOMEN\nKara\xC3\xA7i\xC4\x9F"
                        "er x\n\n{{TEKNIK}}\n");
    free(t);
}

Test(asr_markup, html)
{
    char *t = markup("<p><b>FINDINGS:</b><br>\n{{BULGULAR}}</p><!-- note -->"
                     "<script>var x = 1;</script><style>p{}</style>"
                     "<div>A &amp; B &lt;1&gt; &#252;&#x131;&nbsp;z</div>",
                     "html");
    cr_assert_str_eq(t, "\nFINDINGS:\n {{BULGULAR}}\n\nA & B <1> \xC3\xBC\xC4\xB1 z\n");
    free(t);
}

Test(asr_markup, txt_and_unknown)
{
    char *t = markup("plain\ntext", "txt");
    cr_assert_str_eq(t, "plain\ntext");
    free(t);
    char *out = (char *)"unchanged";
    cr_assert_eq(asr_text_from_markup("x", "docx", &out), RA_ERR_INVALID);
    cr_assert_str_eq(out, "unchanged");
}

/* ---- corpus ------------------------------------------------------------- */

Test(asr_corpus, text_lines_become_sentences)
{
    asr_corpus *c = NULL;
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_text(c,
                                     "{\\rtf1 {\\b FINDINGS:}\\par {{BULGULAR}}\\par "
                                     "Normal study.\\par}",
                                     "rtf"),
                 RA_OK);
    cr_assert_eq(asr_corpus_add_text(c, "<p>Lungs: clear.</p>", "html"), RA_OK);
    /* each line, then its natural form (one sentence a unit) */
    const char *want[] = {"findings colon",
                          "findings",
                          "normal study period",
                          "normal study",
                          "lungs colon clear period",
                          "lungs",
                          "clear"};
    size_t n = sizeof want / sizeof *want;
    cr_assert_eq(asr_corpus_count(c), n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(asr_corpus_sentences(c)[i], want[i]);
    cr_assert_eq(asr_corpus_add_text(c, "x", "pdf"), RA_ERR_INVALID);
    cr_assert_eq(asr_corpus_count(c), n);
    asr_corpus_free(c);
    asr_corpus_free(NULL);
}

Test(asr_corpus, file_skips_comments_and_blank_lines)
{
    char path[] = "/tmp/raportai-asr-corpus-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *fp = fdopen(fd, "w");
    fputs("# a comment\n\nthe lungs are clear period\r\n   # indented comment\n"
          "12 mm nodule\nlast line without newline",
          fp);
    fclose(fp);
    asr_corpus *c = NULL;
    char err[256] = "";
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_file(c, path, err, sizeof err), RA_OK);
    unlink(path);
    cr_assert_eq(asr_corpus_count(c), 5);
    cr_assert_str_eq(asr_corpus_sentences(c)[0], "the lungs are clear period");
    cr_assert_str_eq(asr_corpus_sentences(c)[1], "the lungs are clear");
    cr_assert_str_eq(asr_corpus_sentences(c)[2], "twelve millimeters nodule");
    cr_assert_str_eq(asr_corpus_sentences(c)[3], "last line without newline");
    /* "newline" is the spoken layout command */
    cr_assert_str_eq(asr_corpus_sentences(c)[4], "last line without");
    cr_assert_eq(asr_corpus_add_file(c, path, err, sizeof err), RA_ERR_NOT_FOUND);
    cr_assert(strstr(err, path) != NULL, "err names the file: %s", err);
    asr_corpus_free(c);
}

/* The natural forms that asr_corpus_add_text adds after the line itself. */
static void assert_natural(const char *line, const char *const *want, size_t n)
{
    asr_corpus *c = NULL;
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_text(c, line, "txt"), RA_OK);
    cr_assert_eq(asr_corpus_count(c), n + 1, "\"%s\": %zu sentences", line, asr_corpus_count(c));
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(asr_corpus_sentences(c)[i + 1], want[i], "\"%s\"", line);
    asr_corpus_free(c);
}

Test(asr_corpus, natural_form_cuts_sentences_and_headings)
{
    const char *heading[] = {"clinical information", "headache", "findings", "there is no effusion",
                             "the heart is normal"};
    assert_natural("clinical information colon headache period findings colon there is no "
                   "effusion period the heart is normal period",
                   heading, 5);
    /* "colon" that is no heading's is the organ */
    const char *organ[] = {"the colon is normal", "wall thickening of the sigmoid colon"};
    assert_natural("the colon is normal period wall thickening of the sigmoid colon", organ, 2);
    const char *too_long[] = {"there is a mass in the colon colon ascending"};
    assert_natural("there is a mass in the colon colon ascending", too_long, 0);
    /* commas go, every spoken sentence end cuts */
    const char *marks[] = {
        "liver spleen and kidneys are normal", "any change", "none", "next", "done", "end"};
    assert_natural("liver comma spleen comma and kidneys are normal question mark any change "
                   "semicolon none new paragraph next new line done full stop end",
                   marks, 6);
    /* written punctuation is spoken first */
    const char *written[] = {"impression", "normal chest"};
    assert_natural("IMPRESSION: Normal chest.", written, 2);
    /* nothing to cut: the line once */
    assert_natural("twelve millimeters nodule", NULL, 0);
    assert_natural("period comma", NULL, 0);
}

Test(asr_corpus, shipped_phrases_and_english_templates)
{
    asr_corpus *c = NULL;
    tmpl_library *lib = NULL;
    char err[256] = "";
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_file(c, ASR_DEFAULT_PHRASES, err, sizeof err), RA_OK, "%s", err);
    size_t phrases = asr_corpus_count(c);
    cr_assert_geq(phrases, 500, "the phrase list has several hundred dictations");
    cr_assert_eq(tmpl_library_load("data/templates", &lib, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(asr_corpus_add_templates(c, lib), RA_OK);
    cr_assert_gt(asr_corpus_count(c), phrases);
    int technique = 0;
    for (size_t i = phrases; i < asr_corpus_count(c); i++) {
        const char *s = asr_corpus_sentences(c)[i];
        cr_assert(strstr(s, "bulgular") == NULL && strstr(s, "beyin") == NULL,
                  "a Turkish template got in: %s", s);
        cr_assert(strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789' ") == strlen(s),
                  "not spoken form: %s", s);
        technique |= strcmp(s, "axial t1 weighted comma t2 weighted comma flair and diffusion "
                               "weighted images and coronal t2 weighted images of the brain "
                               "were obtained period") == 0;
    }
    cr_assert(technique, "the MR brain template's technique line is in the corpus");
    tmpl_library_free(lib);
    asr_corpus_free(c);
}

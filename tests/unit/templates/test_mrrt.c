/* test_mrrt.c - unit tests of src/templates/mrrt: IHE MRRT templates
 * (tests/data/mrrt, written by hand in the published form) converted into
 * our HTML templates: sections mapped to placeholders, other fields kept as
 * text, metadata guesses, and bad input refused with a clear sentence. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "core/err.h"
#include "core/text.h"
#include "templates/mrrt.h"
#include "templates/sanitize.h"
#include "templates/templates.h"

static char err[512];

static void init(void)
{
    catalog_init();
    err[0] = '\0';
}

TestSuite(mrrt, .init = init);

static mrrt_template convert_file(const char *name)
{
    char path[256];
    mrrt_template t;
    snprintf(path, sizeof path, "tests/data/mrrt/%s", name);
    cr_assert_eq(mrrt_convert_file(path, &t, err, sizeof err), RA_OK, "%s: %s", name, err);
    cr_assert(text_is_utf8(t.content, strlen(t.content)));
    cr_assert_eq(t.placeholders, tmpl_scan_placeholders(t.content));
    return t;
}

static void assert_has(const mrrt_template *t, const char *needle)
{
    cr_assert_not_null(strstr(t->content, needle), "missing \"%s\" in:\n%s", needle, t->content);
}

static void assert_lacks(const mrrt_template *t, const char *needle)
{
    cr_assert_null(strstr(t->content, needle), "unexpected \"%s\" in:\n%s", needle, t->content);
}

Test(mrrt, radreport_style_chest_ct)
{
    mrrt_template t = convert_file("ct-chest.html");
    cr_assert_str_eq(t.name, "CT Chest with Contrast");
    cr_assert_str_eq(t.language, "en");
    cr_assert_str_eq(t.modality, "CT");
    cr_assert_str_eq(t.body_part, "chest");
    cr_assert_eq(t.placeholders, TMPL_PH(REPORT_SEC_KLINIK) | TMPL_PH(REPORT_SEC_TEKNIK) |
                                     TMPL_PH(REPORT_SEC_KARSILASTIRMA) |
                                     TMPL_PH(REPORT_SEC_BULGULAR) | TMPL_PH(REPORT_SEC_IZLENIM));
    assert_has(&t, "<p><b>CT Chest with Contrast</b></p>\n");
    assert_has(&t, "<p><b>Clinical information:</b><br>\n{{KLINIK}}</p>\n");
    /* "Procedure" names the technique section; its header is shown. */
    assert_has(&t, "<b>Technique:</b><br>\nContrast: Intravenous contrast<br>\n{{TEKNIK}}");
    /* The free-text field's default text gives way to the placeholder. */
    assert_lacks(&t, "Axial images of the chest.");
    assert_lacks(&t, "None.<br>\n{{KARSILASTIRMA}}");
    /* Nested sections and fields stay as template text. */
    assert_has(&t, "<b>Findings:</b><br>\n<b>Lungs</b><br>\nNodules: None.<br>\n"
                   "Largest nodule: ___ mm<br>\n");
    assert_has(&t, "[ ] Pleural effusion<br>\n[x] No pneumothorax<br>\n");
    assert_has(&t, "{{BULGULAR}}");
    cr_assert(strstr(t.content, "No pneumothorax") < strstr(t.content, "{{BULGULAR}}"));
    assert_has(&t, "<b>Impression:</b><br>\n{{IZLENIM}}");
    assert_lacks(&t, "left ventricle");
    assert_lacks(&t, "script");
    mrrt_template_release(&t);
}

Test(mrrt, template_element_turkish_and_escaping)
{
    mrrt_template t = convert_file("mr-knee-template.html");
    cr_assert_str_eq(t.name, "Diz MR (MRRT)");
    cr_assert_str_eq(t.language, "tr");
    cr_assert_str_eq(t.modality, "MR");
    cr_assert_str_eq(t.body_part, "knee");
    cr_assert_eq(t.placeholders, TMPL_PH(REPORT_SEC_KLINIK) | TMPL_PH(REPORT_SEC_BULGULAR) |
                                     TMPL_PH(REPORT_SEC_SONUC));
    /* No textarea: the placeholder ends the section. */
    assert_has(&t, "<b>Klinik Bilgi:</b><br>\n___<br>\n{{KLINIK}}</p>");
    /* An unmapped section is kept, its select shows its first option. */
    assert_has(&t, "<b>Menisküsler:</b><br>\nMedial menisküs İntakt<br>\n");
    /* Source text never reads as a placeholder and stays escaped. */
    assert_has(&t, "&#123;&#123;DEGIL&#125;&#125; bir yer tutucu değildir &amp; &lt;b&gt; "
                   "metindir.");
    assert_has(&t, "- Eklem sıvısı: ___<br>\n{{BULGULAR}}");
    assert_has(&t, "<b>Sonuç:</b><br>\n{{SONUC}}");
    /* A second findings section keeps its text: one placeholder each. */
    assert_has(&t, "<b>Ek bulgular:</b><br>\nEk bulgu yok.");
    const char *first = strstr(t.content, "{{BULGULAR}}");
    cr_assert_null(strstr(first + 1, "{{BULGULAR}}"));
    mrrt_template_release(&t);
}

Test(mrrt, no_report_section_is_refused)
{
    mrrt_template t = {0};
    cr_assert_eq(mrrt_convert_file("tests/data/mrrt/no-report-sections.html", &t, err, sizeof err),
                 RA_ERR_FORMAT);
    cr_assert_str_eq(err, "none of its 1 sections is a report section (findings, impression, "
                          "conclusion, technique, clinical information or comparison), so "
                          "nothing could be dictated into it");
    cr_assert_null(t.content);
}

static int convert(const char *html, size_t len, mrrt_template *t)
{
    memset(t, 0, sizeof *t);
    err[0] = '\0';
    return mrrt_convert(html, len, t, err, sizeof err);
}

static void assert_refused(const char *html, size_t len, int want_rc, const char *want)
{
    mrrt_template t;
    cr_assert_eq(convert(html, len, &t), want_rc, "%s", err);
    cr_assert_str_eq(err, want);
    cr_assert_null(t.content);
    cr_assert_null(t.name);
}

#define NO_SECTIONS                                                                                \
    "the file holds no <section> elements; an IHE MRRT template keeps its report sections in "     \
    "<section data-section-name=\"...\">"

Test(mrrt, bad_input_is_refused_clearly)
{
    assert_refused("", 0, RA_ERR_FORMAT, "the file is empty");
    assert_refused(" \r\n\t", 4, RA_ERR_FORMAT, "the file is empty");
    assert_refused("\xEF\xBB\xBF", 3, RA_ERR_FORMAT, "the file is empty");
    assert_refused("<html>\0<section>", 16, RA_ERR_FORMAT,
                   "the file holds a NUL byte; it is not an HTML text file");
    assert_refused("<section data-section-name=\"Findings\">\xff</section>", 49, RA_ERR_FORMAT,
                   "the file is not UTF-8 text");
    const char *plain = "FINDINGS: normal.\nIMPRESSION: normal.\n";
    assert_refused(plain, strlen(plain), RA_ERR_FORMAT, NO_SECTIONS);
    const char *json = "{\"sections\": [\"Findings\", \"Impression\"]}";
    assert_refused(json, strlen(json), RA_ERR_FORMAT, NO_SECTIONS);
    const char *html = "<html><body><h1>Findings</h1><textarea></textarea></body></html>";
    assert_refused(html, strlen(html), RA_ERR_FORMAT, NO_SECTIONS);
}

Test(mrrt, too_large_is_refused)
{
    size_t n = MRRT_MAX_BYTES + 1;
    char *big = malloc(n);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    assert_refused(big, n, RA_ERR_TOO_LARGE, "the file is larger than 2 MiB");
    free(big);
}

Test(mrrt, result_over_the_content_limit_is_refused)
{
    /* 400 KiB of "&" becomes 2 MB of "&amp;". */
    size_t fill = 400 * 1024;
    const char *head = "<section data-section-name=\"Findings\"><p>";
    const char *tail = "</p></section>";
    size_t h = strlen(head), t = strlen(tail);
    char *doc = malloc(h + fill + t + 1);
    cr_assert_not_null(doc);
    memcpy(doc, head, h);
    memset(doc + h, '&', fill);
    memcpy(doc + h + fill, tail, t + 1);
    assert_refused(doc, strlen(doc), RA_ERR_TOO_LARGE,
                   "the converted template would be larger than 512 KiB");
    free(doc);
}

Test(mrrt, missing_file_names_it)
{
    mrrt_template t = {0};
    cr_assert_eq(mrrt_convert_file("tests/data/mrrt/missing.html", &t, err, sizeof err), RA_ERR_IO);
    cr_assert_not_null(strstr(err, "tests/data/mrrt/missing.html"), "%s", err);
}

static mrrt_template convert_ok(const char *html)
{
    mrrt_template t;
    cr_assert_eq(convert(html, strlen(html), &t), RA_OK, "%s", err);
    return t;
}

Test(mrrt, minimal_document_defaults)
{
    mrrt_template t = convert_ok("\xEF\xBB\xBF<section data-section-name=\"Findings\">"
                                 "<textarea></textarea></section>");
    cr_assert_str_eq(t.name, "MRRT template");
    cr_assert_str_eq(t.language, "en");
    cr_assert_str_eq(t.modality, "");
    cr_assert_str_eq(t.body_part, "");
    cr_assert_str_eq(t.content, "<p><b>MRRT template</b></p>\n"
                                "<p><b>Findings:</b><br>\n{{BULGULAR}}</p>\n");
    cr_assert_eq(t.placeholders, TMPL_PH(REPORT_SEC_BULGULAR));
    mrrt_template_release(&t);
}

Test(mrrt, language_codes)
{
    static const char *const cases[][2] = {
        {"<html lang=\"DE-de\">", "de"},
        {"<html lang=\"fr\"><meta name=\"dcterms.language\" content=\"EN_gb\">", "en"},
        {"<html lang=\"english\">", "en"},
        {"<html lang=\"t\">", "en"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 "%s<body><section data-section-name=\"Impression\"></section></body></html>",
                 cases[i][0]);
        mrrt_template t = convert_ok(doc);
        cr_assert_str_eq(t.language, cases[i][1], "%s", cases[i][0]);
        cr_assert_str_eq(t.content + strlen(t.content) - strlen("{{IZLENIM}}</p>\n"),
                         "{{IZLENIM}}</p>\n");
        mrrt_template_release(&t);
    }
}

Test(mrrt, section_names_and_headers)
{
    /* The header's text maps a section without data-section-name, a longer
     * name starting with a known one maps, Turkish names fold. */
    mrrt_template t =
        convert_ok("<title>X</title><section><header>History of present illness</header></section>"
                   "<section data-section-name=\"Impression and recommendations\"></section>"
                   "<section data-section-name=\"KARŞILAŞTIRMA\"></section>"
                   "<section data-section-name=\"Findingsx\"></section>"
                   "<section data-section-name=\"Reason for exam\"></section>");
    cr_assert_eq(t.placeholders, TMPL_PH(REPORT_SEC_KLINIK) | TMPL_PH(REPORT_SEC_IZLENIM) |
                                     TMPL_PH(REPORT_SEC_KARSILASTIRMA));
    assert_has(&t, "<b>Findingsx:</b></p>");
    assert_has(&t, "<b>Reason for exam:</b></p>");
    mrrt_template_release(&t);
}

Test(mrrt, deep_nesting_does_not_overflow)
{
    size_t depth = 5000;
    const char *open = "<div>", *close = "</div>";
    size_t n = depth * (strlen(open) + strlen(close)) + 256;
    char *doc = malloc(n), *p = doc;
    cr_assert_not_null(doc);
    p = stpcpy(p, "<section data-section-name=\"Findings\">");
    for (size_t i = 0; i < depth; i++)
        p = stpcpy(p, open);
    p = stpcpy(p, "deep");
    for (size_t i = 0; i < depth; i++)
        p = stpcpy(p, close);
    stpcpy(p, "</section>");
    mrrt_template t;
    cr_assert_eq(convert(doc, strlen(doc), &t), RA_OK, "%s", err);
    cr_assert_eq(t.placeholders, TMPL_PH(REPORT_SEC_BULGULAR));
    mrrt_template_release(&t);
    free(doc);
}

/* Found by fuzz_mrrt: a quote in a header's text came out as &quot;, which
 * the sanitiser writes as '"'; U+FDD1 (one of the sanitiser's stand-ins for
 * braces) as itself, which the sanitiser writes as U+FFFD; a control
 * character as itself, which the sanitiser drops. So the import's output
 * was not already in sanitised form (sanitize.h promises it is, byte for
 * byte). */
Test(mrrt, output_is_already_sanitised)
{
    static const char doc[] =
        "<html><body><section data-section-name=\"Findings\">"
        "<header>Findings \"quoted\"\x18 & <more></header><textarea>a \"b\" 'c'</textarea>"
        "</section><section data-section-name=\"Extra\x18 part\">"
        "<p>x \"y\" &gt; {z} \xEF\xB7\x90 \xEF\xB7\x91 &#xFDD0;</p></section></body></html>";
    mrrt_template t;
    cr_assert_eq(mrrt_convert(doc, strlen(doc), &t, err, sizeof err), RA_OK, "%s", err);
    assert_has(&t, "Findings \"quoted\" &amp;");
    assert_lacks(&t, "\x18");
    assert_has(&t, "<b>Extra part:</b>");
    assert_lacks(&t, "&quot;");
    assert_lacks(&t, "\xEF\xB7\x90");
    assert_lacks(&t, "\xEF\xB7\x91");
    assert_has(&t, "&#123;z&#125; \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
    char *clean = NULL, removed[256];
    cr_assert_eq(tmpl_sanitize(t.content, "html", &clean, removed, sizeof removed), RA_OK);
    cr_assert_str_eq(clean, t.content);
    cr_assert_str_eq(removed, "");
    free(clean);
    mrrt_template_release(&t);
}

/* Found by fuzz_mrrt (AddressSanitizer): the check for an empty document
 * read past the len bytes it was given when they were all blank and no NUL
 * followed (strspn on a buffer that need not be a string). */
Test(mrrt, blank_input_without_a_nul_is_read_within_its_length)
{
    static const char *const blanks[] = {"\n", " \t\r\n", "\xEF\xBB\xBF "};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        size_t len = strlen(blanks[i]);
        char *exact = malloc(len); /* no NUL after it */
        cr_assert_not_null(exact);
        memcpy(exact, blanks[i], len);
        mrrt_template t;
        cr_assert_eq(mrrt_convert(exact, len, &t, err, sizeof err), RA_ERR_FORMAT);
        cr_assert_str_eq(err, "the file is empty");
        free(exact);
    }
}

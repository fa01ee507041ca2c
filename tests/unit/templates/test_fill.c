/* test_fill.c - unit tests of src/templates/fill: TXT, RTF and HTML
 * templates filled with Turkish text (exact RTF \uN? escapes, pure ASCII
 * output), HTML escaping with the template's markup kept, repeated, missing
 * and unknown placeholders, no re-expansion of inserted text, the library's
 * real templates (data/templates, tests run from the repository root),
 * hostile templates sanitised before they are filled, the plain text and
 * HTML reports, and an exam rendered with its templates (which one wins,
 * conclusion and impression fitted to it, placeholders counted after
 * sanitising). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "structuring/structure.h"
#include "templates/fill.h"
#include "templates/templates.h"

/* Sections from literal texts (NULL: absent), in enum order. */
static report_sections make(const char *bul, const char *son, const char *izl, const char *tek,
                            const char *kli, const char *kar)
{
    const char *t[REPORT_SEC_COUNT] = {bul, son, izl, tek, kli, kar};
    report_sections s = {{NULL}};
    for (int i = 0; i < REPORT_SEC_COUNT; i++) {
        s.text[i] = t[i] != NULL ? strdup(t[i]) : NULL;
        cr_assert(t[i] == NULL || s.text[i] != NULL);
    }
    return s;
}

static void expect_fill(const char *tpl, const char *fmt, const report_sections *s,
                        const char *want)
{
    char *out = NULL;
    int rc = report_fill(tpl, fmt, s, &out);
    cr_assert_eq(rc, RA_OK, "rc %d", rc);
    cr_assert(strcmp(out, want) == 0, "expected\n%s\ngot\n%s", want, out);
    free(out);
}

static int pure_ascii(const char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s >= 0x80)
            return 0;
    }
    return 1;
}

/* ---- TXT ---------------------------------------------------------------- */

Test(report_fill, txt_guide_example)
{
    report_sections s = make("Normal.", "No pathology detected.", NULL, NULL, NULL, NULL);
    expect_fill("FINDINGS:\n{{BULGULAR}}\n\nCONCLUSION:\n{{SONUC}}", "txt", &s,
                "FINDINGS:\nNormal.\n\nCONCLUSION:\nNo pathology detected.");
    report_sections_release(&s);
}

Test(report_fill, txt_turkish_letters_survive)
{
    report_sections s = make("Şüpheli ğ ı İ ç ö ü lezyon.\nİkinci satır.", "Olağan.", NULL, NULL,
                             "Baş ağrısı.", NULL);
    expect_fill("KLİNİK BİLGİ:\n{{KLINIK}}\n\nBULGULAR:\n{{BULGULAR}}\n\nSONUÇ:\n{{SONUC}}\n",
                "txt", &s,
                "KLİNİK BİLGİ:\nBaş ağrısı.\n\nBULGULAR:\nŞüpheli ğ ı İ ç ö ü lezyon.\nİkinci "
                "satır.\n\nSONUÇ:\nOlağan.\n");
    report_sections_release(&s);
}

Test(report_fill, txt_crlf_template_gets_crlf_lines)
{
    report_sections s = make("Bir.\nİki.", NULL, NULL, NULL, NULL, NULL);
    expect_fill("BULGULAR:\r\n{{BULGULAR}}\r\n", "txt", &s, "BULGULAR:\r\nBir.\r\nİki.\r\n");
    expect_fill("BULGULAR:\n{{BULGULAR}}\n", "txt", &s, "BULGULAR:\nBir.\nİki.\n");
    report_sections_release(&s);
}

Test(report_fill, every_occurrence_is_filled)
{
    report_sections s = make(NULL, "Normal.", NULL, NULL, NULL, NULL);
    expect_fill("{{SONUC}} / {{SONUC}}", "txt", &s, "Normal. / Normal.");
    report_sections_release(&s);
}

Test(report_fill, absent_sections_are_empty_and_some_placeholders_suffice)
{
    report_sections s = make("Normal.", NULL, NULL, NULL, NULL, NULL);
    expect_fill("A {{TEKNIK}}|{{KARSILASTIRMA}}|{{BULGULAR}} Z", "txt", &s, "A ||Normal. Z");
    expect_fill("only {{IZLENIM}} here", "txt", &s, "only  here");
    expect_fill("no placeholders at all", "txt", &s, "no placeholders at all");
    expect_fill("", "txt", &s, "");
    expect_fill("{{BULGULAR}}", "txt", NULL, "");
    report_sections_release(&s);
}

Test(report_fill, unknown_and_malformed_placeholders_are_left)
{
    report_sections s = make("X", NULL, NULL, NULL, NULL, NULL);
    expect_fill("{{HASTA}} {{bulgular}} {{BULGULAR} {{ BULGULAR }} {{SONUÇ}} {{}} {{{BULGULAR}}}",
                "txt", &s, "{{HASTA}} {{bulgular}} {{BULGULAR} {{ BULGULAR }} {{SONUÇ}} {{}} {X}");
    report_sections_release(&s);
}

Test(report_fill, inserted_text_is_not_expanded_again)
{
    report_sections s = make("See {{SONUC}} and {{BULGULAR}}.", "C", NULL, NULL, NULL, NULL);
    expect_fill("{{BULGULAR}}|{{SONUC}}", "txt", &s, "See {{SONUC}} and {{BULGULAR}}.|C");
    report_sections_release(&s);
}

/* ---- RTF ---------------------------------------------------------------- */

Test(report_fill, rtf_turkish_letters_exact)
{
    report_sections s = make("ş ğ ı İ ç ö ü Ş Ğ Ç Ö Ü", NULL, NULL, NULL, NULL, NULL);
    char *out = NULL;
    cr_assert_eq(report_fill("{\\rtf1\\ansi\\uc1 {{BULGULAR}}\\par}", "rtf", &s, &out), RA_OK);
    cr_assert_str_eq(out, "{\\rtf1\\ansi\\uc1 \\u351? \\u287? \\u305? \\u304? \\u231? \\u246? "
                          "\\u252? \\u350? \\u286? \\u199? \\u214? \\u220?\\par}");
    cr_assert(pure_ascii(out));
    free(out);
    report_sections_release(&s);
}

Test(report_fill, rtf_escapes_braces_backslash_newline_tab)
{
    report_sections s = make("a{b}c\\d\nsatır\tx", NULL, NULL, NULL, NULL, NULL);
    expect_fill("{\\rtf1 {{BULGULAR}}}", "rtf", &s,
                "{\\rtf1 a\\{b\\}c\\\\d\\par\nsat\\u305?r\\tab x}");
    report_sections_release(&s);
}

Test(report_fill, rtf_signed_and_surrogates)
{
    /* U+20AC euro (8364), U+FB01 ligature fi (64257 -> -1279), U+1F600
     * (surrogates D83D DE00 -> -10179 -8704), U+00E9 (233). */
    report_sections s = make("€ \xEF\xAC\x81 \xF0\x9F\x98\x80 é", NULL, NULL, NULL, NULL, NULL);
    expect_fill("{{BULGULAR}}", "rtf", &s, "\\u8364? \\u-1279? \\u-10179?\\u-8704? \\u233?");
    report_sections_release(&s);
}

Test(report_fill, rtf_word_escaped_placeholder)
{
    report_sections s = make("Normal.", "Olağan.", NULL, NULL, NULL, NULL);
    expect_fill("{\\rtf1 \\{\\{BULGULAR\\}\\}\\par {{SONUC}}\\par \\{\\{HASTA\\}\\}}", "rtf", &s,
                "{\\rtf1 Normal.\\par Ola\\u287?an.\\par \\{\\{HASTA\\}\\}}");
    /* Only RTF has the escaped form; in TXT it is literal text. */
    expect_fill("\\{\\{BULGULAR\\}\\}", "txt", &s, "\\{\\{BULGULAR\\}\\}");
    report_sections_release(&s);
}

Test(report_fill, rtf_template_non_ascii_is_escaped)
{
    report_sections s = make("İyi.", NULL, NULL, NULL, NULL, NULL);
    char *out = NULL;
    cr_assert_eq(report_fill("{\\rtf1 {\\b SONUÇ:}\\par {{BULGULAR}}}", "RTF", &s, &out), RA_OK);
    cr_assert_str_eq(out, "{\\rtf1 {\\b SONU\\u199?:}\\par \\u304?yi.}");
    cr_assert(pure_ascii(out));
    free(out);
    report_sections_release(&s);
}

/* ---- HTML --------------------------------------------------------------- */

Test(report_fill, html_escapes_and_keeps_markup)
{
    report_sections s = make("<script>alert('x')</script> & \"q\"\nİkinci satır", "Olağan.", NULL,
                             NULL, NULL, NULL);
    expect_fill("<p><b>BULGULAR:</b><br>\n{{BULGULAR}}</p>\n<p><i>SONUÇ:</i> {{SONUC}}</p>", "html",
                &s,
                "<p><b>BULGULAR:</b><br>\n&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                "&quot;q&quot;<br>İkinci satır</p>\n<p><i>SONUÇ:</i> Olağan.</p>");
    report_sections_release(&s);
}

Test(report_fill, html_format_name_any_case)
{
    report_sections s = make("a<b", NULL, NULL, NULL, NULL, NULL);
    expect_fill("{{BULGULAR}}", "HTML", &s, "a&lt;b");
    expect_fill("{{BULGULAR}}", "Txt", &s, "a<b");
    report_sections_release(&s);
}

Test(report_fill, html_from_a_structured_transcript)
{
    report_sections s = {{NULL}};
    cr_assert_eq(report_structure("findings colon <script>alert(1)</script> seen period "
                                  "impression colon normal",
                                  "en", &s),
                 RA_OK);
    expect_fill("<b>{{BULGULAR}}</b><i>{{IZLENIM}}</i>", "html", &s,
                "<b>&lt;script&gt;alert(1)&lt;/script&gt; seen.</b><i>Normal.</i>");
    report_sections_release(&s);
}

/* ---- templates are sanitised before they are filled --------------------- */

Test(report_fill, a_hostile_html_template_is_sanitised_and_dictated_script_escaped)
{
    report_sections s = make("<script>alert(1)</script><img src=x onerror=alert(2)>", "Olağan.",
                             NULL, NULL, NULL, NULL);
    expect_fill("<p onclick=\"alert(3)\"><b>BULGULAR:</b><script>alert(4)</script><br>"
                "{{BULGULAR}}</p><a href=\"javascript:alert(5)\">{{SONUC}}</a>"
                "<img src=x onerror=alert(6)><!-- x -->",
                "html", &s,
                "<p><b>BULGULAR:</b><br>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x "
                "onerror=alert(2)&gt;</p>Olağan.");
    report_sections_release(&s);
}

Test(report_fill, an_rtf_template_loses_fields_and_objects)
{
    report_sections s = make("Normal {\\field}.", NULL, NULL, NULL, NULL, NULL);
    expect_fill("{\\rtf1\\ansi {\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt a}}"
                "{\\object{\\*\\objdata 0105}}\\b {{BULGULAR}}}",
                "rtf", &s, "{\\rtf1\\ansi \\b Normal \\{\\\\field\\}.}");
    report_sections_release(&s);
}

/* ---- errors ------------------------------------------------------------- */

Test(report_fill, errors)
{
    report_sections s = make("ok", NULL, NULL, NULL, NULL, NULL);
    char *out = (char *)"untouched";
    cr_assert_eq(report_fill("{{BULGULAR}}", "pdf", &s, &out), RA_ERR_INVALID);
    cr_assert_eq(report_fill("{{BULGULAR}}", NULL, &s, &out), RA_ERR_INVALID);
    cr_assert_eq(report_fill(NULL, "txt", &s, &out), RA_ERR_INVALID);
    cr_assert_eq(report_fill("{{BULGULAR}}", "txt", &s, NULL), RA_ERR_INVALID);
    cr_assert_eq(report_fill("bad \xC3\x28", "txt", &s, &out), RA_ERR_INVALID);
    free(s.text[0]);
    s.text[0] = strdup("bad \xC3\x28");
    cr_assert_eq(report_fill("{{BULGULAR}}", "html", &s, &out), RA_ERR_INVALID);
    cr_assert_eq(report_render_text(&s, "tr", &out), RA_ERR_INVALID);
    cr_assert_str_eq(out, "untouched");
    size_t n = REPORT_MAX_TEMPLATE_BYTES + 1;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    cr_assert_eq(report_fill(big, "txt", NULL, &out), RA_ERR_TOO_LARGE);
    free(big);
    report_sections_release(&s);
}

Test(report_fill, output_is_bounded)
{
    /* A template of placeholders and a large section: the result would pass
     * REPORT_MAX_OUTPUT_BYTES, so it is refused rather than grown. */
    size_t sec_len = 1024 * 1024, reps = REPORT_MAX_OUTPUT_BYTES / sec_len + 1;
    char *text = malloc(sec_len + 1), *tpl = malloc(reps * 12 + 1);
    cr_assert(text != NULL && tpl != NULL);
    memset(text, 'x', sec_len);
    text[sec_len] = '\0';
    for (size_t i = 0; i < reps; i++)
        memcpy(tpl + i * 12, "{{BULGULAR}}", 12);
    tpl[reps * 12] = '\0';
    report_sections s = {{NULL}};
    s.text[REPORT_SEC_BULGULAR] = text;
    char *out = NULL;
    cr_assert_eq(report_fill(tpl, "txt", &s, &out), RA_ERR_TOO_LARGE);
    cr_assert_null(out);
    free(tpl);
    report_sections_release(&s);
}

/* ---- the library's templates -------------------------------------------- */

Test(report_fill, library_templates_fill_completely)
{
    tmpl_library *lib = NULL;
    char err[256] = "";
    cr_assert_eq(tmpl_library_load("data/templates", &lib, err, sizeof err), RA_OK, "%s", err);
    cr_assert_gt(tmpl_library_count(lib), 0);
    report_sections s = make("Şüpheli <b> & lezyon.\nİkinci satır {x}.", "Olağan; ç ö ü.",
                             "İzlenim ğ ı.", "Teknik.", "Klinik.", "Karşılaştırma yok.");
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        char *out = NULL;
        cr_assert_eq(report_fill(t->content, t->format, &s, &out), RA_OK, "%s", t->id);
        cr_assert_eq(tmpl_scan_placeholders(out), 0u, "%s left placeholders:\n%s", t->id, out);
        if (strcmp(t->format, "rtf") == 0) {
            cr_assert(pure_ascii(out), "%s", t->id);
            cr_assert_not_null(strstr(out, "\\u350?\\u252?pheli <b> & lezyon.\\par\n\\u304?kinci "
                                           "sat\\u305?r \\{x\\}."),
                               "%s:\n%s", t->id, out);
        } else if (strcmp(t->format, "html") == 0) {
            cr_assert_not_null(strstr(out, "Şüpheli &lt;b&gt; &amp; lezyon.<br>İkinci satır {x}."),
                               "%s", t->id);
            cr_assert_not_null(strstr(out, "<b>"), "%s lost its bold", t->id);
        } else {
            cr_assert_not_null(strstr(out, "Şüpheli <b> & lezyon.\nİkinci satır {x}."), "%s",
                               t->id);
        }
        free(out);
    }
    report_sections_release(&s);
    tmpl_library_free(lib);
}

Test(report_fill, turkish_rtf_library_template_exact)
{
    tmpl_library *lib = NULL;
    cr_assert_eq(tmpl_library_load("data/templates", &lib, NULL, 0), RA_OK);
    const tmpl *t = tmpl_library_find(lib, "tr-mr-lomber");
    cr_assert_not_null(t);
    report_sections s =
        make("L4-L5 düzeyinde bulging.", "Lomber spondiloz.", NULL, NULL, "Bel ağrısı.", NULL);
    char *out = NULL;
    cr_assert_eq(report_fill(t->content, t->format, &s, &out), RA_OK);
    cr_assert_not_null(strstr(out, "{\\b KL\\u304?N\\u304?K B\\u304?LG\\u304?:}\\par\n"
                                   "Bel a\\u287?r\\u305?s\\u305?.\\par\n"));
    cr_assert_not_null(strstr(out, "{\\b BULGULAR:}\\par\nL4-L5 d\\u252?zeyinde bulging.\\par\n"));
    cr_assert_not_null(strstr(out, "{\\b KAR\\u350?ILA\\u350?TIRMA:}\\par\n\\par\n"));
    cr_assert(pure_ascii(out));
    free(out);
    report_sections_release(&s);
    tmpl_library_free(lib);
}

/* ---- rendering ---------------------------------------------------------- */

Test(report_fill, render_text_in_report_order)
{
    report_sections s = make("Normal.\nİkinci.", "Olağan.", NULL, "Kontrastsız.", "Travma.", NULL);
    char *out = NULL;
    cr_assert_eq(report_render_text(&s, "tr", &out), RA_OK);
    cr_assert_str_eq(out, "KLİNİK BİLGİ:\nTravma.\n\nTEKNİK:\nKontrastsız.\n\nBULGULAR:\n"
                          "Normal.\nİkinci.\n\nSONUÇ:\nOlağan.");
    free(out);
    cr_assert_eq(report_render_text(&s, "en", &out), RA_OK);
    cr_assert_str_eq(out, "CLINICAL INFORMATION:\nTravma.\n\nTECHNIQUE:\nKontrastsız.\n\n"
                          "FINDINGS:\nNormal.\nİkinci.\n\nCONCLUSION:\nOlağan.");
    free(out);
    report_sections_release(&s);
}

Test(report_fill, render_html_escaped)
{
    report_sections s = make("a < b & c\n\"d\"", NULL, "O'Neil sign.", NULL, NULL, "Yok.");
    char *out = NULL;
    cr_assert_eq(report_render_html(&s, "tr", &out), RA_OK);
    cr_assert_str_eq(out, "<p><b>KARŞILAŞTIRMA:</b><br>Yok.</p>\n"
                          "<p><b>BULGULAR:</b><br>a &lt; b &amp; c<br>&quot;d&quot;</p>\n"
                          "<p><b>İZLENİM:</b><br>O&#39;Neil sign.</p>");
    free(out);
    report_sections_release(&s);
}

Test(report_fill, render_empty)
{
    report_sections s = {{NULL}};
    char *out = NULL;
    cr_assert_eq(report_render_text(&s, "en", &out), RA_OK);
    cr_assert_str_eq(out, "");
    free(out);
    cr_assert_eq(report_render_html(NULL, "en", &out), RA_OK);
    cr_assert_str_eq(out, "");
    free(out);
    cr_assert_eq(report_render_html(&s, "en", NULL), RA_ERR_INVALID);
}

Test(report_fill, end_to_end_turkish_dictation_into_html_template)
{
    report_sections s = {{NULL}};
    cr_assert_eq(report_structure("bulgular iki nokta sağ akciğer alt lobda iki nokta beş "
                                  "santimetrelik nodül nokta sonuç iki nokta şüpheli nodül",
                                  "tr", &s),
                 RA_OK);
    tmpl_library *lib = NULL;
    cr_assert_eq(tmpl_library_load("data/templates", &lib, NULL, 0), RA_OK);
    const tmpl *t = tmpl_library_find(lib, "tr-akciger-grafisi");
    cr_assert_not_null(t);
    char *out = NULL;
    cr_assert_eq(report_fill(t->content, t->format, &s, &out), RA_OK);
    cr_assert_not_null(strstr(out, "<p><b>BULGULAR:</b><br>\n"
                                   "Sağ akciğer alt lobda 2.5 cm&#39;lik nodül.</p>"),
                       "%s", out);
    cr_assert_not_null(strstr(out, "<p><b>SONUÇ:</b><br>\nŞüpheli nodül.</p>"), "%s", out);
    cr_assert_not_null(
        strstr(out, "<i>Ayakta, posteroanterior (PA) tek yönlü akciğer grafisi.</i>"));
    free(out);
    tmpl_library_free(lib);
    report_sections_release(&s);
}

/* ---- an exam's report with its templates (report_render_exam) ---------------------- */

static void release_rendered(report_rendered *r)
{
    free(r->text);
    free(r->html);
    free(r->filled);
}

Test(report_render_exam, a_custom_template_with_one_closing_place_gets_both_closings)
{
    report_sections s = make("Normal.", "No bleed.", "Normal head.", NULL, NULL, NULL);
    report_template_choice choice = {.custom_content = "B: {{BULGULAR}}\nS: {{SONUC}}",
                                     .custom_format = "txt"};
    report_rendered r;
    cr_assert_eq(report_render_exam(&choice, &s, "en", &r), RA_OK);
    cr_assert_str_eq(r.template_used, "custom");
    cr_assert_str_eq(r.filled, "B: Normal.\nS: No bleed.\nNormal head.");
    cr_assert_null(s.text[REPORT_SEC_IZLENIM], "moved into the conclusion");
    cr_assert_str_eq(s.text[REPORT_SEC_SONUC], "No bleed.\nNormal head.");
    cr_assert_str_eq(r.text, "FINDINGS:\nNormal.\n\nCONCLUSION:\nNo bleed.\nNormal head.");
    cr_assert(strstr(r.html, "<b>CONCLUSION:</b>") != NULL, "%s", r.html);
    release_rendered(&r);
    report_sections_release(&s);
}

Test(report_render_exam, a_matched_template_shapes_the_report_only_when_it_holds_everything)
{
    report_template_choice txt = {.matched_content = "FINDINGS\n{{BULGULAR}}\nIMPRESSION\n"
                                                     "{{IZLENIM}}",
                                  .matched_format = "txt"};
    report_sections s = make("Clear lungs.", "Normal chest.", NULL, NULL, NULL, NULL);
    report_rendered r;
    cr_assert_eq(report_render_exam(&txt, &s, "en", &r), RA_OK);
    cr_assert_str_eq(r.template_used, "matched");
    cr_assert_str_eq(r.text, "FINDINGS\nClear lungs.\nIMPRESSION\nNormal chest.");
    cr_assert_null(r.filled, "filledTemplate is the custom template's only");
    cr_assert(strstr(r.html, "<b>IMPRESSION:</b>") != NULL, "an HTML default: %s", r.html);
    release_rendered(&r);
    report_sections_release(&s);
    /* Technique was dictated and has no place in it: the plain report,
     * which loses nothing. */
    s = make("Clear lungs.", NULL, "Normal chest.", "PA view.", NULL, NULL);
    cr_assert_eq(report_render_exam(&txt, &s, "en", &r), RA_OK);
    cr_assert_str_eq(r.template_used, "default");
    cr_assert(strstr(r.text, "TECHNIQUE:\nPA view.") != NULL, "%s", r.text);
    release_rendered(&r);
    report_sections_release(&s);
}

Test(report_render_exam, an_html_template_shapes_the_html_and_a_custom_one_decides_the_fitting)
{
    report_template_choice choice = {
        .custom_content = "{{BULGULAR}} / {{IZLENIM}}",
        .custom_format = "txt",
        .matched_content = "<p><b>Bulgular</b> {{BULGULAR}}</p><p>{{SONUC}} {{IZLENIM}}</p>",
        .matched_format = "html"};
    report_sections s = make("Normal.", "Normal study.", NULL, NULL, NULL, NULL);
    report_rendered r;
    cr_assert_eq(report_render_exam(&choice, &s, "tr", &r), RA_OK);
    cr_assert_str_eq(r.template_used, "custom");
    /* The custom template has no conclusion: the conclusion joins the
     * impression, in every output. */
    cr_assert_str_eq(r.filled, "Normal. / Normal study.");
    cr_assert_str_eq(r.html, "<p><b>Bulgular</b> Normal.</p><p> Normal study.</p>");
    release_rendered(&r);
    report_sections_release(&s);
}

Test(report_render_exam, no_choice_is_refused_with_nothing_written)
{
    report_sections s = make("Normal.", NULL, NULL, NULL, NULL, NULL);
    report_rendered r = {.template_used = "untouched"};
    cr_assert_eq(report_render_exam(NULL, &s, "en", &r), RA_ERR_INVALID);
    cr_assert_str_eq(r.template_used, "untouched");
    report_template_choice bad = {.custom_content = "{{BULGULAR}}", .custom_format = "doc"};
    cr_assert_eq(report_render_exam(&bad, &s, "en", &r), RA_ERR_INVALID);
    cr_assert_str_eq(r.template_used, "untouched");
    report_sections_release(&s);
}

Test(report_render_exam, placeholders_are_counted_after_sanitising)
{
    /* The own HTML template's only place for the findings is inside a
     * script, which is dropped: the template no longer covers the
     * findings, so the default layout keeps them. */
    report_template_choice choice = {.matched_content =
                                         "<p>{{SONUC}}</p><script>{{BULGULAR}}</script>",
                                     .matched_format = "html"};
    report_sections s = make("<b>Lezyon</b>", "Olağan.", NULL, NULL, NULL, NULL);
    report_rendered r;
    cr_assert_eq(report_render_exam(&choice, &s, "tr", &r), RA_OK);
    cr_assert_str_eq(r.template_used, "default");
    cr_assert_null(strstr(r.html, "<script"), "%s", r.html);
    cr_assert_not_null(strstr(r.html, "&lt;b&gt;Lezyon&lt;/b&gt;"), "%s", r.html);
    release_rendered(&r);
    report_sections_release(&s);
    /* A custom one is filled sanitised. */
    choice = (report_template_choice){
        .custom_content = "<p onmouseover=\"alert(1)\">{{BULGULAR}}</p><svg onload=alert(1)>",
        .custom_format = "html"};
    s = make("<script>x</script>", NULL, NULL, NULL, NULL, NULL);
    cr_assert_eq(report_render_exam(&choice, &s, "tr", &r), RA_OK);
    cr_assert_str_eq(r.filled, "<p>&lt;script&gt;x&lt;/script&gt;</p>");
    release_rendered(&r);
    report_sections_release(&s);
}

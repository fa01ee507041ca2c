/* test_sanitize.c - unit tests of src/templates/sanitize: hostile HTML
 * (scripts, event handlers, javascript: and data: URLs hidden behind
 * entities and case, comments, CDATA, processing instructions, SVG and
 * MathML, styles, malformed and unclosed markup, deep nesting) and hostile
 * RTF (fields, objects, pictures, binary data, remote templates, unknown
 * destinations, words glued together by what was dropped) come out with
 * formatting only, saying what was removed; placeholders, the library's
 * templates (data/templates, tests run from the repository root) and the
 * MRRT import's output come out unchanged; a second pass removes nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "core/err.h"
#include "templates/mrrt.h"
#include "templates/sanitize.h"
#include "templates/templates.h"

static char removed[512];

static void init(void)
{
    catalog_init();
    removed[0] = '\0';
}

TestSuite(sanitize, .init = init);

/* The sanitised content (caller frees); removed holds the list. */
static char *clean(const char *content, const char *format)
{
    char *out = NULL;
    int rc = tmpl_sanitize(content, format, &out, removed, sizeof removed);
    cr_assert_eq(rc, RA_OK, "rc %d for:\n%s", rc, content);
    cr_assert_not_null(out);
    return out;
}

static void expect(const char *content, const char *format, const char *want,
                   const char *removed_part)
{
    char *out = clean(content, format);
    cr_assert_str_eq(out, want, "for:\n%s", content);
    if (removed_part == NULL)
        cr_assert_str_eq(removed, "", "for:\n%s", content);
    else
        cr_assert_not_null(strstr(removed, removed_part), "\"%s\" not in \"%s\"", removed_part,
                           removed);
    free(out);
}

/* Case-insensitive search. */
static const char *find_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

/* What must never come out of the HTML sanitiser. */
static const char *const html_forbidden[] = {
    "<script",     "<style",    "<iframe", "<svg",        "<math",  "<img", "<object",
    "<embed",      "<link",     "<meta",   "<form",       "<input", "<a ",  "<base",
    "<!--",        "<?",        "<![",     "on",          "style=", "href", "src",
    "javascript:", "vbscript:", "data:",   "expression(", "url(",
};

/* Every tag and attribute in out is allowed: scans the markup (not the
 * text, which is escaped) for the forbidden strings; and a second pass
 * removes nothing. (It may nest differently: libxml2 reads <p> inside <b>,
 * which the first pass can write, as closing the <b>.) */
static void assert_inert(const char *input, const char *out)
{
    for (const char *p = out; (p = strchr(p, '<')) != NULL; p++) {
        const char *end = strchr(p, '>');
        cr_assert_not_null(end, "an unclosed tag in:\n%s", out);
        size_t n = (size_t)(end - p + 1);
        char tag[256];
        cr_assert_lt(n, sizeof tag, "a long tag in:\n%s", out);
        memcpy(tag, p, n);
        tag[n] = '\0';
        for (size_t i = 0; i < sizeof html_forbidden / sizeof html_forbidden[0]; i++)
            cr_assert_null(find_nocase(tag, html_forbidden[i]), "%s in tag %s from:\n%s",
                           html_forbidden[i], tag, input);
    }
    cr_assert_null(find_nocase(out, "<script"), "from:\n%s", input);
    cr_assert_null(find_nocase(out, "javascript:\""), "from:\n%s", input);
    char saved[sizeof removed];
    memcpy(saved, removed, sizeof saved);
    char *again = clean(out, "html");
    cr_assert_str_eq(removed, "", "second pass removed %s from:\n%s", removed, out);
    free(again);
    memcpy(removed, saved, sizeof saved);
}

/* ---- HTML: hostile input ---------------------------------------------------------- */

static const char *const hostile_html[] = {
    "<script>alert(1)</script>{{BULGULAR}}",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>{{BULGULAR}}",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<script/src=x></script>",
    "<script>document.write('<scr'+'ipt>')</script>",
    "<p onclick=\"alert(1)\">{{BULGULAR}}</p>",
    "<p ONCLICK=alert(1) OnMouseOver='x'>a</p>",
    "<p/onclick=alert(1)>a</p>",
    "<p \nonclick\n=\nalert(1)>a</p>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=\"jav&#x09;ascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">link</a>",
    "<a href=\"jav&#x61;script:alert(1)\">link</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<span class=\"javascript:alert(1)\">x</span>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><maction actiontype=\"statusline\" "
    "xlink:href=\"javascript:alert(1)\">x</maction></math>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<embed src=\"javascript:alert(1)\">after",
    "<form action=\"javascript:alert(1)\"><input type=submit value=go><button>b</button></form>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<p style=\"width:expression(alert(1))\">x</p>",
    "<p style=\"background-image:url('javascript:alert(1)')\">x</p>",
    "<div style=\"behavior:url(x.htc)\">x</div>",
    "<!--<script>alert(1)</script>-->",
    "<!-- --!><script>alert(1)</script> -->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?xml-stylesheet type=\"text/xsl\" href=\"javascript:alert(1)\"?>x",
    "<?php echo '<script>alert(1)</script>'; ?>",
    "<table><tr><td background=\"javascript:alert(1)\">x</td></tr></table>",
    "<table onmouseover=alert(1)><tr><td>x",
    "<body onload=alert(1)>x</body>",
    "<html onmouseover=alert(1)><head><title>t</title><script>x</script></head><body>x</body>"
    "</html>",
    "<b><i>unclosed <u>tags <p>everywhere",
    "<p>a<p>b</li></ul></table></div>",
    "<div><span>x</div></span>",
    "</p></b>stray end tags",
    "<p title=\"\"><script>alert(1)</script>\">x</p>",
    "<p class=\"x\" class=\"y\" onclick=\"z\">dup</p>",
    "<p class=a onclick=alert(1)//>x",
    "<textarea><script>alert(1)</script></textarea>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex action=\"javascript:alert(1)\" type=image>",
    "<frameset onload=alert(1)>",
    "<applet code=x></applet>",
    "<keygen autofocus onfocus=alert(1)>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>",
    "<div \x0bonclick=alert(1)>x</div>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<td colspan=\"2 onclick=alert(1)\" align=\"left;x:y\" width=\"50%\">x</td>",
    "<p lang=\"tr onclick=x\" dir=\"rtl\">x</p>",
};

Test(sanitize, hostile_html_comes_out_inert)
{
    for (size_t i = 0; i < sizeof hostile_html / sizeof hostile_html[0]; i++) {
        char *out = clean(hostile_html[i], "html");
        assert_inert(hostile_html[i], out);
        free(out);
    }
}

Test(sanitize, hostile_html_is_named)
{
    expect("<p onclick=\"alert(1)\">{{BULGULAR}}</p>", "html", "<p>{{BULGULAR}}</p>",
           "attribute onclick is not allowed");
    expect("a<SCRIPT>alert(1)</SCRIPT>b", "html", "ab", "element <script> is not allowed");
    expect("<img src=x onerror=alert(1)>x", "html", "x", "element <img> is not allowed");
    expect("<a href=\"jav&#x61;script:alert(1)\">link</a>", "html", "link",
           "element <a> is not allowed");
    expect("<!-- note -->x", "html", "x", "a comment is not allowed");
    expect("<?php echo 1 ?>x", "html", "x", "a processing instruction is not allowed");
    expect("<svg onload=alert(1)><circle r=1 /></svg>x", "html", "x",
           "element <svg> is not allowed");
    expect("<p style=\"color:red\">x</p>", "html", "<p>x</p>", "attribute style is not allowed");
    expect("<style>p{x:expression(1)}</style>x", "html", "x", "element <style> is not allowed");
    expect("<td colspan=\"2;x\">x</td>", "html", "<td>x</td>",
           "attribute colspan with this value is not allowed");
    expect("<font color=red>red</font>", "html", "red", "element <font> is not allowed");
    expect("<embed src=x>after", "html", "after", "element <embed> is not allowed");
}

Test(sanitize, the_list_says_more_when_it_is_full)
{
    char small[80];
    char *out = NULL;
    cr_assert_eq(tmpl_sanitize("<a>1</a><font>2</font><center>3</center><blink>4</blink>", "html",
                               &out, small, sizeof small),
                 RA_OK);
    cr_assert_str_eq(out, "1234");
    cr_assert_str_eq(small, "element <a> is not allowed; element <font> is not allowed; and more");
    free(out);
    /* The same item is named once. */
    expect("<a>1</a><a>2</a>", "html", "12", "element <a>");
    cr_assert_str_eq(removed, "element <a> is not allowed");
}

/* ---- HTML: what is kept ------------------------------------------------------------- */

Test(sanitize, formatting_is_kept)
{
    expect("<p><b>BULGULAR:</b><br>\n{{BULGULAR}}</p>\n<p><i>SONUÇ:</i> {{SONUC}}</p>", "html",
           "<p><b>BULGULAR:</b><br>\n{{BULGULAR}}</p>\n<p><i>SONUÇ:</i> {{SONUC}}</p>", NULL);
    const char *all = "<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>"
                      "<ul><li><strong>s</strong></li></ul><ol><li><em>e</em></li></ol>"
                      "<div class=\"report main\"><span lang=\"tr\" dir=\"ltr\">t</span></div>"
                      "<p align=\"center\"><u>u</u> m<sup>2</sup> H<sub>2</sub>O</p><hr>"
                      "<table border=\"1\" cellpadding=\"2\" cellspacing=\"0\" width=\"100%\">"
                      "<caption>c</caption><colgroup><col span=\"2\" width=\"40\"></colgroup>"
                      "<thead><tr><th scope=\"col\">h</th></tr></thead>"
                      "<tbody><tr><td colspan=\"2\" rowspan=\"1\" valign=\"top\">"
                      "{{BULGULAR}}</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>";
    expect(all, "html", all, NULL);
}

Test(sanitize, markup_is_written_in_one_form)
{
    expect("<P ALIGN=Center>a<BR/>b</P>", "html", "<p align=\"Center\">a<br>b</p>", NULL);
    expect("<b><i>unclosed", "html", "<b><i>unclosed</i></b>", NULL);
    expect("a < b & c > d", "html", "a &lt; b &amp; c &gt; d", NULL);
    expect("a&nbsp;b &amp; &lt;c&gt;", "html",
           "a\xC2\xA0"
           "b &amp; &lt;c&gt;",
           NULL);
    expect("FINDINGS: {{BULGULAR}}<br>\nIMPRESSION: {{IZLENIM}}", "html",
           "FINDINGS: {{BULGULAR}}<br>\nIMPRESSION: {{IZLENIM}}", NULL);
}

Test(sanitize, placeholders_stay_and_references_stay_references)
{
    expect("<td>{{BULGULAR}}</td>{{SONUC}}<b>{{IZLENIM}}</b>", "html",
           "<td>{{BULGULAR}}</td>{{SONUC}}<b>{{IZLENIM}}</b>", NULL);
    /* Braces written as character references are not a placeholder, before
     * or after. */
    char *out = clean("<p>&#123;&#123;SONUC&#125;&#125; &#x7b;{{BULGULAR}}&#x7D;</p>", "html");
    cr_assert_str_eq(out, "<p>&#123;&#123;SONUC&#125;&#125; &#123;{{BULGULAR}}&#125;</p>");
    cr_assert_eq(tmpl_scan_placeholders(out), TMPL_PH(REPORT_SEC_BULGULAR));
    free(out);
    /* Placeholders inside what is dropped go with it. */
    out = clean("<script>{{BULGULAR}}</script>{{SONUC}}", "html");
    cr_assert_str_eq(out, "{{SONUC}}");
    free(out);
}

Test(sanitize, the_stand_ins_of_braces_cannot_be_forged)
{
    /* U+FDD0 and U+FDD1 stand in for literal braces while parsing; the
     * template's own, as characters or references, are not braces. */
    expect("a\xEF\xB7\x90\xEF\xB7\x90SONUC\xEF\xB7\x91\xEF\xB7\x91 &#xFDD0;&#64977 &#XfDd0;x",
           "html",
           "a\xEF\xBF\xBD\xEF\xBF\xBDSONUC\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
           "\xEF\xBF\xBDx",
           NULL);
    /* Other characters whose UTF-8 starts with the same byte pass. */
    expect("\xEF\xBC\x9C{{BULGULAR}}\xEF\xBC\x9E \xEF\xAC\x81", "html",
           "\xEF\xBC\x9C{{BULGULAR}}\xEF\xBC\x9E \xEF\xAC\x81", NULL);
}

Test(sanitize, a_declared_encoding_is_ignored)
{
    expect("<meta charset=\"iso-8859-1\">Şüpheli ğ ı İ", "html", "Şüpheli ğ ı İ",
           "element <meta> is not allowed");
}

Test(sanitize, deep_nesting_is_cut_off_safely)
{
    size_t levels = 5000;
    char *deep = malloc(levels * 3 + 16);
    cr_assert_not_null(deep);
    for (size_t i = 0; i < levels; i++)
        memcpy(deep + i * 3, "<b>", 3);
    memcpy(deep + levels * 3, "<script>x", 10);
    char *out = clean(deep, "html");
    cr_assert_not_null(strstr(removed, "nested more than 250 levels"), "%s", removed);
    cr_assert_null(strstr(out, "<script"));
    free(out);
    free(deep);
}

/* ---- HTML: what was already clean ------------------------------------------------ */

Test(sanitize, library_templates_come_out_unchanged)
{
    tmpl_library *lib = NULL;
    char err[256] = "";
    cr_assert_eq(tmpl_library_load("data/templates", &lib, err, sizeof err), RA_OK, "%s", err);
    size_t seen = 0;
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        char *out = clean(t->content, t->format);
        cr_assert_str_eq(out, t->content, "%s changed", t->id);
        cr_assert_str_eq(removed, "", "%s lost %s", t->id, removed);
        seen += strcmp(t->format, "txt") != 0;
        free(out);
    }
    cr_assert_geq(seen, 4, "the library's HTML and RTF templates");
    tmpl_library_free(lib);
}

Test(sanitize, mrrt_imports_come_out_unchanged)
{
    const char *files[] = {"ct-chest.html", "mr-knee-template.html"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[128], err[256];
        snprintf(path, sizeof path, "tests/data/mrrt/%s", files[i]);
        mrrt_template t = {0};
        cr_assert_eq(mrrt_convert_file(path, &t, err, sizeof err), RA_OK, "%s", err);
        char *out = clean(t.content, "html");
        cr_assert_str_eq(out, t.content, "%s changed", files[i]);
        cr_assert_str_eq(removed, "", "%s lost %s", files[i], removed);
        free(out);
        mrrt_template_release(&t);
    }
}

/* ---- RTF ---------------------------------------------------------------------------- */

/* What must never come out of the RTF sanitiser. */
static const char *const rtf_forbidden[] = {
    "\\field",     "\\fldinst", "\\fldrslt", "\\object",       "\\objdata", "\\objemb",
    "\\pict",      "\\bin",     "\\result",  "\\template",     "\\shp",     "\\themedata",
    "\\datastore", "\\zzz",     "HYPERLINK", "INCLUDEPICTURE", "DDEAUTO",   "evil",
};

static const char *const hostile_rtf[] = {
    "{\\rtf1 {\\field{\\*\\fldinst HYPERLINK \"http://evil\"}{\\fldrslt click}}{{BULGULAR}}}",
    "{\\rtf1 {\\field{\\*\\fldinst{ INCLUDEPICTURE \"http://evil/x.png\" \\\\d }}}\\par}",
    "{\\rtf1 {\\field{\\fldinst DDEAUTO c:\\\\windows\\\\cmd.exe \"/c calc\"}}}",
    "{\\rtf1 {\\object\\objemb{\\*\\objclass Equation.3}{\\*\\objdata 0105000002000000}}}",
    "{\\rtf1 {\\pict\\wmetafile8\\picw10\\pich10 010009000003}x}",
    "{\\rtf1 {\\*\\shppict{\\pict\\pngblip 89504e47}}{\\nonshppict{\\pict 00}}}",
    "{\\rtf1 {\\shp{\\*\\shpinst{\\sp{\\sn pFragments}{\\sv evil}}}}}",
    "{\\rtf1 {\\b\\bin6 }}}{{{ }after}",
    "{\\rtf1 \\bin4 {{{{x}",
    "{\\rtf1 {\\*\\template http://evil/t.dotm}x}",
    "{\\rtf1 {\\*\\themedata 504b0304}{\\*\\datastore 0105}x}",
    "{\\rtf1 {\\*\\zzz evil}{\\*{\\b evil}}{\\*}x}",
    "{\\rtf1 \\zzz1 unknown word \\zzz}",
    "{\\rtf1 \\f{\\pict evil}ield{\\fldinst evil}}",
    "{\\rtf1 \\b{\\object evil}old \\objdata{}01050000}",
    "{\\rtf1 {\\result evil}{\\objupdate}{\\objautlink}}",
    "{\\field}{\\rtf1 x}",
    "{\\*\\template http://evil/t.dotm}",
    "{\\rtf1 x}}}} \\'zz \\",
};

static void assert_rtf_inert(const char *input, const char *out)
{
    for (size_t i = 0; i < sizeof rtf_forbidden / sizeof rtf_forbidden[0]; i++)
        cr_assert_null(strstr(out, rtf_forbidden[i]), "%s in:\n%s\nfrom:\n%s", rtf_forbidden[i],
                       out, input);
    char *again = clean(out, "rtf");
    cr_assert_str_eq(again, out, "not stable:\n%s", input);
    cr_assert_str_eq(removed, "", "second pass removed %s from:\n%s", removed, out);
    free(again);
}

Test(sanitize, hostile_rtf_comes_out_inert)
{
    for (size_t i = 0; i < sizeof hostile_rtf / sizeof hostile_rtf[0]; i++) {
        char *out = clean(hostile_rtf[i], "rtf");
        cr_assert_neq(removed[0], '\0', "nothing named for:\n%s", hostile_rtf[i]);
        assert_rtf_inert(hostile_rtf[i], out);
        free(out);
    }
}

Test(sanitize, hostile_rtf_is_named)
{
    expect("{\\rtf1 {\\field{\\*\\fldinst HYPERLINK x}{\\fldrslt y}}{{BULGULAR}}}", "rtf",
           "{\\rtf1 {{BULGULAR}}}", "control word \\field is not allowed");
    expect("{\\rtf1 {\\object\\objemb{\\*\\objdata 01}}x}", "rtf", "{\\rtf1 x}",
           "control word \\object is not allowed");
    expect("{\\rtf1 {\\pict 0100}x}", "rtf", "{\\rtf1 x}", "control word \\pict is not allowed");
    expect("{\\rtf1 {\\*\\template http://x}x}", "rtf", "{\\rtf1 x}",
           "destination \\*\\template is not allowed");
    expect("{\\rtf1 {\\b\\bin3 }}}x}y}", "rtf", "{\\rtf1 y}", "control word \\bin is not allowed");
    expect("{\\rtf1 a\\zzz b}", "rtf", "{\\rtf1 ab}", "control word \\zzz is not allowed");
    expect("{\\rtf1 x}}", "rtf", "{\\rtf1 x}", "an unmatched } is not allowed");
    expect("{\\rtf1 \\b{\\object x}old}", "rtf", "{\\rtf1 \\b old}",
           "control word \\object is not allowed");
    expect("{\\rtf1 \\fs2{\\zzz}2}", "rtf", "{\\rtf1 \\fs2{}2}",
           "control word \\zzz is not allowed");
    expect("{\\rtf1 \\fs2\\zzz 2}", "rtf", "{\\rtf1 \\fs2 2}", "control word \\zzz is not allowed");
}

Test(sanitize, rtf_formatting_is_kept)
{
    /* What WordPad writes, with both forms of placeholder. */
    const char *wordpad =
        "{\\rtf1\\ansi\\ansicpg1254\\deff0\\nouicompat\\deflang1055{\\fonttbl{\\f0\\fnil"
        "\\fcharset162 Calibri;}{\\f1\\fnil\\fcharset2 Symbol;}}\r\n"
        "{\\colortbl ;\\red255\\green0\\blue0;}\r\n"
        "{\\*\\generator Riched20 10.0.19041}\\viewkind4\\uc1 \r\n"
        "\\pard\\sa200\\sl276\\slmult1\\qc\\b\\f0\\fs28\\lang31 BULGULAR\\b0\\fs22\\par\r\n"
        "\\pard\\ql\\cf1\\i \\{\\{BULGULAR\\}\\}\\i0\\cf0\\tab {{SONUC}}\\line\r\n"
        "{\\pntext\\f1\\'B7\\tab}{\\*\\pn\\pnlvlblt\\pnf1\\pnindent0{\\pntxtb\\'B7}}"
        "\\fi-360\\li720 Madde\\par\r\n"
        "\\pard\\qr\\ul Sa\\u287?\\ulnone\\~\\-\\_ \\par\r\n"
        "{\\info{\\title Rapor}{\\author Dr}{\\creatim\\yr2026\\mo1\\dy2}}"
        "\\trowd\\trgaph108\\cellx4000\\cellx8000 a\\cell b\\cell\\row\r\n"
        "}\r\n";
    expect(wordpad, "rtf", wordpad, NULL);
}

/* ---- TXT, and refusals ------------------------------------------------------------- */

Test(sanitize, text_is_copied_as_it_is)
{
    expect("<script>{{BULGULAR}}</script>\r\n", "txt", "<script>{{BULGULAR}}</script>\r\n", NULL);
    expect("<p onclick=x>{{BULGULAR}}</p>", "TXT", "<p onclick=x>{{BULGULAR}}</p>", NULL);
}

Test(sanitize, bad_arguments_are_refused)
{
    char *out = (char *)"untouched";
    cr_assert_eq(tmpl_sanitize(NULL, "html", &out, removed, sizeof removed), RA_ERR_INVALID);
    cr_assert_eq(tmpl_sanitize("x", NULL, &out, removed, sizeof removed), RA_ERR_INVALID);
    cr_assert_eq(tmpl_sanitize("x", "pdf", &out, removed, sizeof removed), RA_ERR_INVALID);
    cr_assert_eq(tmpl_sanitize("x", "html", NULL, removed, sizeof removed), RA_ERR_INVALID);
    cr_assert_eq(tmpl_sanitize("bad \xC3\x28", "html", &out, NULL, 0), RA_ERR_INVALID);
    size_t n = TMPL_SANITIZE_MAX_BYTES + 1;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    cr_assert_eq(tmpl_sanitize(big, "rtf", &out, NULL, 0), RA_ERR_TOO_LARGE);
    free(big);
    cr_assert_str_eq(out, "untouched");
    /* Without a list, sanitising works the same. */
    cr_assert_eq(tmpl_sanitize("<b onclick=x>b</b>", "html", &out, NULL, 0), RA_OK);
    cr_assert_str_eq(out, "<b>b</b>");
    free(out);
}

Test(sanitize, many_braces_stay_within_bounds)
{
    size_t n = TMPL_SANITIZE_MAX_BYTES;
    char *braces = malloc(n + 1);
    cr_assert_not_null(braces);
    for (size_t i = 0; i < n; i++)
        braces[i] = i % 2 ? '}' : '{';
    braces[n] = '\0';
    char *out = clean(braces, "html");
    cr_assert_str_eq(out, braces);
    free(out);
    free(braces);
}

/* Found by fuzz_sanitize: an element that is not kept (<font>, an unknown
 * <iig>) holding a block inside a paragraph was unwrapped into
 * <p>...<table>...</table></p>, which the parser reads back as two
 * siblings, so sanitising the result changed it again. The result is now
 * written as it reads. */
Test(sanitize, a_block_unwrapped_into_a_paragraph_reads_as_written)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"<h1>Rapor</h1><p on)</script><a href=\"javascript:x\">l</a><iig src=x onerror=y>"
         "<table border=\"1\"><tr><td colspan=\"2\">x</td></tr></table>",
         "<h1>Rapor</h1><p>l</p><table border=\"1\"><tr><td colspan=\"2\">x</td></tr></table>"},
        {"<p>a<font><ul><li>{{BULGULAR}}</li></ul></font>b</p>",
         "<p>a</p><ul><li>{{BULGULAR}}</li></ul>b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *once = clean(cases[i].in, "html");
        cr_assert_str_eq(once, cases[i].out);
        char *twice = clean(once, "html");
        cr_assert_str_eq(twice, once);
        cr_assert_str_eq(removed, "");
        free(once);
        free(twice);
    }
}

/* Found by fuzz_sanitize: \binN drops N bytes of data, which could end
 * inside a UTF-8 character and leave the rest of it in the output: not
 * UTF-8, so the sanitised template was refused when sanitised again. */
Test(sanitize, rtf_binary_data_never_cuts_a_character)
{
    char *out = clean("{\\rtf1 a\\bin1 \xC3\xA9"
                      "b\\bin2 \xE2\x82\xAC c}",
                      "rtf");
    cr_assert_str_eq(out, "{\\rtf1 ab c}");
    char *again = clean(out, "rtf");
    cr_assert_str_eq(again, out);
    free(out);
    free(again);
}

/* test_export.c - unit tests of src/export/export: format names and media
 * types; a Turkish report with every section as TXT (the exact text), RTF
 * (pure ASCII, \uN? escapes, bold headings), DOCX (opened with libzip, every
 * part well-formed XML, escaped text) and PDF (header and trailer, embedded
 * DejaVu Sans, page count of a long report, the text itself when pdftotext
 * is installed, several threads at once); labels in English; empty sections
 * left out; NULL fields; cleaning of control characters and line ends;
 * dates; and every refusal (unknown format, invalid UTF-8, too large) with
 * the output left as it was. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/buf.h"
#include "core/err.h"
#include "export/export.h"

#define OUT_MAX (64u * 1024 * 1024)

static const char patient_name[] = "Ahmet <Yılmaz> & \"Kaya\"";

static export_report turkish_report(void)
{
    return (export_report){
        .exam_name = "Beyin BT (kontrastsız)",
        .sut_code = "803910",
        .modality = "CT",
        .patient_name = patient_name,
        .patient_id = "12345678901",
        .accession = "ACC-7",
        .date = "2026-11-28T10:15:00Z",
        .author = "Dr. Şule Işık",
        .organization = "Ankara Şehir Hastanesi",
        .language = "tr",
        .sections = {[REPORT_SEC_KLINIK] = "Baş ağrısı.",
                     [REPORT_SEC_TEKNIK] = "Kontrastsız aksiyel kesitler.",
                     [REPORT_SEC_KARSILASTIRMA] = "Önceki tetkik yok.",
                     [REPORT_SEC_BULGULAR] =
                         "Beyin parankimi olağan.\nİkinci satır: ş ğ ı İ ç ö ü.",
                     [REPORT_SEC_SONUC] = "Normal BT.",
                     [REPORT_SEC_IZLENIM] = "Olağan görünüm."},
    };
}

/* Renders r as f into a fresh out (caller releases), asserting success. */
static void render(const export_report *r, export_format f, buf *out)
{
    char err[256] = "";
    buf_init(out, OUT_MAX);
    int rc = export_render(r, f, out, err, sizeof err);
    cr_assert_eq(rc, RA_OK, "rc %d: %s", rc, err);
    cr_assert_gt(out->len, 0);
}

static size_t count(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle), found = 0;
    for (const char *p = hay; (p = memmem(p, n - (size_t)(p - hay), needle, k)) != NULL; p += k)
        found++;
    return found;
}

static int pure_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    }
    return 1;
}

/* ---- formats ------------------------------------------------------------ */

Test(export, format_names_parse)
{
    static const struct {
        const char *name;
        export_format f;
    } cases[] = {{"txt", EXPORT_TXT}, {"rtf", EXPORT_RTF}, {"docx", EXPORT_DOCX},
                 {"pdf", EXPORT_PDF}, {"PDF", EXPORT_PDF}, {"Docx", EXPORT_DOCX}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        export_format f = (export_format)-1;
        cr_assert_eq(export_format_parse(cases[i].name, &f), RA_OK, "%s", cases[i].name);
        cr_assert_eq(f, cases[i].f, "%s", cases[i].name);
    }
}

Test(export, unknown_format_names_refused)
{
    const char *bad[] = {"doc", "", "pdf ", " txt", "html", "pd", "pdfx", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        export_format f = EXPORT_RTF;
        cr_assert_eq(export_format_parse(bad[i], &f), RA_ERR_INVALID, "%s", bad[i]);
        cr_assert_eq(f, EXPORT_RTF, "output changed for %s", bad[i]);
    }
    cr_assert_eq(export_format_parse("pdf", NULL), RA_ERR_INVALID);
}

Test(export, content_types_and_extensions)
{
    cr_assert_str_eq(export_content_type(EXPORT_TXT), "text/plain; charset=utf-8");
    cr_assert_str_eq(export_content_type(EXPORT_RTF), "application/rtf");
    cr_assert_str_eq(export_content_type(EXPORT_DOCX),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    cr_assert_str_eq(export_content_type(EXPORT_PDF), "application/pdf");
    cr_assert_str_eq(export_content_type((export_format)99), "application/octet-stream");
    cr_assert_str_eq(export_extension(EXPORT_TXT), "txt");
    cr_assert_str_eq(export_extension(EXPORT_RTF), "rtf");
    cr_assert_str_eq(export_extension(EXPORT_DOCX), "docx");
    cr_assert_str_eq(export_extension(EXPORT_PDF), "pdf");
    cr_assert_str_eq(export_extension((export_format)-1), "bin");
}

/* ---- TXT ---------------------------------------------------------------- */

Test(export, txt_turkish_report)
{
    export_report r = turkish_report();
    buf out;
    render(&r, EXPORT_TXT, &out);
    const char *want = "Ankara Şehir Hastanesi\n"
                       "Beyin BT (kontrastsız)\n"
                       "SUT kodu: 803910\n"
                       "Modalite: CT\n"
                       "Hasta adı: Ahmet <Yılmaz> & \"Kaya\"\n"
                       "Hasta no: 12345678901\n"
                       "Erişim no: ACC-7\n"
                       "Tarih: 28.11.2026 10:15 UTC\n"
                       "\n"
                       "KLİNİK BİLGİ:\nBaş ağrısı.\n\n"
                       "TEKNİK:\nKontrastsız aksiyel kesitler.\n\n"
                       "KARŞILAŞTIRMA:\nÖnceki tetkik yok.\n\n"
                       "BULGULAR:\nBeyin parankimi olağan.\nİkinci satır: ş ğ ı İ ç ö ü.\n\n"
                       "SONUÇ:\nNormal BT.\n\n"
                       "İZLENİM:\nOlağan görünüm.\n\n"
                       "Raportör: Dr. Şule Işık\n"
                       "İmza: ______________________________\n"
                       "Tarih: 28.11.2026 10:15 UTC\n";
    cr_assert_str_eq(buf_str(&out), want);
    buf_release(&out);
}

Test(export, txt_english_labels)
{
    export_report r = turkish_report();
    r.language = "en";
    r.organization = "";
    buf out;
    render(&r, EXPORT_TXT, &out);
    const char *s = buf_str(&out);
    const char *in_order[] = {"Beyin BT (kontrastsız)\nSUT code: 803910\nModality: CT\n",
                              "Patient name: Ahmet <Yılmaz>",
                              "Patient ID: 12345678901\nAccession no: ACC-7\n",
                              "Date: 2026-11-28 10:15 UTC\n",
                              "CLINICAL INFORMATION:\n",
                              "TECHNIQUE:\n",
                              "COMPARISON:\n",
                              "FINDINGS:\n",
                              "CONCLUSION:\n",
                              "IMPRESSION:\n",
                              "Reporting radiologist: Dr. Şule Işık\n"
                              "Signature: ______________________________\n"
                              "Date: 2026-11-28 10:15 UTC\n"};
    const char *at = s;
    for (size_t i = 0; i < sizeof in_order / sizeof in_order[0]; i++) {
        const char *p = strstr(at, in_order[i]);
        cr_assert(p != NULL, "missing or out of order: %s\nin\n%s", in_order[i], s);
        at = p;
    }
    cr_assert(strncmp(s, "Beyin BT", 8) == 0, "no organization line expected:\n%s", s);
    cr_assert_null(strstr(s, "KLİNİK"));
    buf_release(&out);
}

Test(export, language_decides_labels)
{
    static const struct {
        const char *lang;
        const char *heading;
    } cases[] = {{"tr", "BULGULAR:"}, {"tr-TR", "BULGULAR:"}, {"TR", "BULGULAR:"},
                 {"en", "FINDINGS:"}, {"en-US", "FINDINGS:"}, {"de", "FINDINGS:"},
                 {"", "FINDINGS:"},   {NULL, "FINDINGS:"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        export_report r = {.language = cases[i].lang, .sections[REPORT_SEC_BULGULAR] = "Normal."};
        buf out;
        render(&r, EXPORT_TXT, &out);
        cr_assert_not_null(strstr(buf_str(&out), cases[i].heading), "%s:\n%s",
                           cases[i].lang ? cases[i].lang : "NULL", buf_str(&out));
        buf_release(&out);
    }
}

Test(export, null_fields_count_as_empty)
{
    export_report r = {0};
    buf out;
    render(&r, EXPORT_TXT, &out);
    cr_assert_str_eq(buf_str(&out), "Reporting radiologist: ______________________________\n"
                                    "Signature: ______________________________\n"
                                    "Date: ______________________________\n");
    buf_release(&out);
    for (export_format f = EXPORT_RTF; f <= EXPORT_PDF; f++) {
        render(&r, f, &out);
        buf_release(&out);
    }
}

Test(export, cleans_line_ends_and_control_characters)
{
    export_report r = {
        .language = "tr",
        .patient_name = "  Ayşe\nKaya\t",
        .sections[REPORT_SEC_BULGULAR] =
            "\r\n Birinci\r\nİkinci\rÜçüncü\x01\x7f\xc2\x85\tsekme \n\n",
    };
    buf out;
    render(&r, EXPORT_TXT, &out);
    const char *s = buf_str(&out);
    cr_assert_not_null(strstr(s, "Hasta adı: Ayşe Kaya\n"), "%s", s);
    cr_assert_not_null(strstr(s, "BULGULAR:\nBirinci\nİkinci\nÜçüncü\tsekme\n\n"), "%s", s);
    cr_assert_null(strchr(s, '\r'));
    cr_assert_null(strchr(s, '\x01'));
    buf_release(&out);
}

Test(export, dates_shown_per_language)
{
    static const struct {
        const char *date, *lang, *shown;
    } cases[] = {
        {"2026-11-28T10:15:00Z", "tr", "28.11.2026 10:15 UTC"},
        {"2026-11-28T10:15:00.123Z", "en", "2026-11-28 10:15 UTC"},
        {"2026-11-28T10:15:00+00:00", "tr", "28.11.2026 10:15 UTC"},
        {"2026-11-28T10:15", "tr", "28.11.2026 10:15"},
        {"2026-11-28 10:15:59Z", "en", "2026-11-28 10:15 UTC"},
        {"2026-11-28", "tr", "28.11.2026"},
        {"2026-11-28", "en", "2026-11-28"},
        {"2026-11-28T10:15:00+03:00", "tr", "2026-11-28T10:15:00+03:00"},
        {"28 Kasım 2026", "tr", "28 Kasım 2026"},
        {"2026-1-28", "en", "2026-1-28"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        export_report r = {.language = cases[i].lang, .date = cases[i].date};
        buf out;
        render(&r, EXPORT_TXT, &out);
        char want[128];
        snprintf(want, sizeof want, "%s: %s\n", strcmp(cases[i].lang, "tr") == 0 ? "Tarih" : "Date",
                 cases[i].shown);
        cr_assert_eq(count(out.data, out.len, want), 2, "%s: want %s twice in\n%s", cases[i].date,
                     want, buf_str(&out));
        buf_release(&out);
    }
}

/* ---- sections left out -------------------------------------------------- */

Test(export, empty_sections_left_out)
{
    export_report r = turkish_report();
    r.sections[REPORT_SEC_KLINIK] = NULL;
    r.sections[REPORT_SEC_KARSILASTIRMA] = "";
    r.sections[REPORT_SEC_SONUC] = " \n\t\r\n ";
    const char *gone[] = {"KLİNİK BİLGİ", "KARŞILAŞTIRMA", "SONUÇ"};
    const char *gone_rtf[] = {"KL\\u304?N\\u304?K", "KAR\\u350?ILA", "SONU\\u199?"};
    const char *kept[] = {"TEKNİK", "BULGULAR", "İZLENİM"};
    buf txt, rtf, docx;
    render(&r, EXPORT_TXT, &txt);
    render(&r, EXPORT_RTF, &rtf);
    render(&r, EXPORT_DOCX, &docx);
    for (int i = 0; i < 3; i++) {
        cr_assert_null(strstr(buf_str(&txt), gone[i]), "%s", gone[i]);
        cr_assert_null(strstr(buf_str(&rtf), gone_rtf[i]), "%s", gone_rtf[i]);
        cr_assert_not_null(strstr(buf_str(&txt), kept[i]), "%s", kept[i]);
    }
    cr_assert_not_null(
        strstr(buf_str(&txt), "TEKNİK:\nKontrastsız aksiyel kesitler.\n\nBULGULAR:"));
    buf_release(&txt);
    buf_release(&rtf);
    buf_release(&docx);
}

/* ---- refusals ----------------------------------------------------------- */

Test(export, bad_arguments_refused)
{
    export_report r = turkish_report();
    buf out;
    buf_init(&out, OUT_MAX);
    char err[256] = "";
    cr_assert_eq(export_render(NULL, EXPORT_TXT, &out, err, sizeof err), RA_ERR_INVALID);
    cr_assert_neq(err[0], '\0');
    cr_assert_eq(export_render(&r, EXPORT_TXT, NULL, NULL, 0), RA_ERR_INVALID);
    cr_assert_eq(export_render(&r, (export_format)7, &out, NULL, 0), RA_ERR_INVALID);
    cr_assert_eq(export_render(&r, (export_format)-1, &out, NULL, 0), RA_ERR_INVALID);
    cr_assert_eq(out.len, 0);
    buf_release(&out);
}

Test(export, invalid_utf8_refused_output_unchanged)
{
    static const struct {
        int field; /* -1: patient name, else the section */
        const char *name;
    } cases[] = {{-1, "patient name"},
                 {REPORT_SEC_BULGULAR, "findings"},
                 {REPORT_SEC_IZLENIM, "impression"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (export_format f = EXPORT_TXT; f <= EXPORT_PDF; f++) {
            export_report r = turkish_report();
            const char *bad = "Gizli\xff\xfe hasta";
            if (cases[i].field < 0)
                r.patient_name = bad;
            else
                r.sections[cases[i].field] = bad;
            buf out;
            buf_init(&out, OUT_MAX);
            cr_assert_eq(buf_puts(&out, "before"), RA_OK);
            char err[256] = "";
            cr_assert_eq(export_render(&r, f, &out, err, sizeof err), RA_ERR_INVALID);
            cr_assert_not_null(strstr(err, cases[i].name), "%s", err);
            cr_assert_null(strstr(err, "Gizli"), "the error repeats patient data: %s", err);
            cr_assert_str_eq(buf_str(&out), "before");
            buf_release(&out);
        }
    }
}

Test(export, too_large_input_refused)
{
    size_t n = EXPORT_MAX_INPUT_BYTES + 1;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    export_report r = turkish_report();
    r.sections[REPORT_SEC_BULGULAR] = big;
    buf out;
    buf_init(&out, OUT_MAX);
    char err[256] = "";
    cr_assert_eq(export_render(&r, EXPORT_TXT, &out, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert_eq(out.len, 0);
    cr_assert_neq(err[0], '\0');
    buf_release(&out);
    free(big);
}

Test(export, output_over_its_maximum_refused)
{
    export_report r = turkish_report();
    for (export_format f = EXPORT_TXT; f <= EXPORT_PDF; f++) {
        buf out;
        buf_init(&out, 200);
        cr_assert_eq(buf_puts(&out, "kept"), RA_OK);
        char err[256] = "";
        int rc = export_render(&r, f, &out, err, sizeof err);
        cr_assert_eq(rc, RA_ERR_TOO_LARGE, "%s: rc %d %s", export_extension(f), rc, err);
        cr_assert_str_eq(buf_str(&out), "kept");
        buf_release(&out);
    }
}

Test(export, appends_to_what_out_holds)
{
    export_report r = turkish_report();
    buf out;
    buf_init(&out, OUT_MAX);
    cr_assert_eq(buf_puts(&out, "PREFIX|"), RA_OK);
    cr_assert_eq(export_render(&r, EXPORT_TXT, &out, NULL, 0), RA_OK);
    cr_assert(strncmp(buf_str(&out), "PREFIX|Ankara Şehir Hastanesi\n", 30) == 0, "%s",
              buf_str(&out));
    cr_assert_eq(out.max, OUT_MAX);
    buf_release(&out);
}

/* ---- RTF ---------------------------------------------------------------- */

/* True when every unescaped { has its }. */
static int rtf_balanced(const char *s)
{
    int depth = 0;
    for (; *s != '\0'; s++) {
        if (*s == '\\' && s[1] != '\0')
            s++;
        else if (*s == '{')
            depth++;
        else if (*s == '}' && --depth < 0)
            return 0;
    }
    return depth == 0;
}

Test(export, rtf_is_ascii_with_unicode_escapes)
{
    export_report r = turkish_report();
    buf out;
    render(&r, EXPORT_RTF, &out);
    const char *s = buf_str(&out);
    cr_assert(pure_ascii(out.data, out.len), "%s", s);
    cr_assert(strncmp(s, "{\\rtf1\\ansi", 11) == 0, "%s", s);
    cr_assert(rtf_balanced(s), "%s", s);
    const char *want[] = {
        "\\u351?",                                    /* ş */
        "\\u287?",                                    /* ğ */
        "\\u305?",                                    /* ı */
        "\\u304?",                                    /* İ */
        "\\u231?",                                    /* ç */
        "\\u246?",                                    /* ö */
        "\\u252?",                                    /* ü */
        "{\\b KL\\u304?N\\u304?K B\\u304?LG\\u304?}", /* a bold heading */
        "{\\b \\u304?ZLEN\\u304?M}",
        "{\\b\\fs30 Beyin BT (kontrasts\\u305?z)}",
        "{\\b Hasta ad\\u305?:} Ahmet <Y\\u305?lmaz> & \"Kaya\"\\par",
        "Beyin parankimi ola\\u287?an.\\par\n\\u304?kinci sat\\u305?r",
        "{\\b Raport\\u246?r:} Dr. \\u350?ule I\\u351?\\u305?k\\par",
        "{\\b \\u304?mza:} ______________________________\\par",
        "{\\title Beyin BT (kontrasts\\u305?z)}",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_not_null(strstr(s, want[i]), "missing %s in\n%s", want[i], s);
    buf_release(&out);
}

Test(export, rtf_escapes_specials_and_astral_characters)
{
    export_report r = {.language = "en",
                       .exam_name = "a\\b{c}",
                       .sections[REPORT_SEC_BULGULAR] = "x {y} \\z \xF0\x9F\x98\x80 end"};
    buf out;
    render(&r, EXPORT_RTF, &out);
    const char *s = buf_str(&out);
    cr_assert(pure_ascii(out.data, out.len));
    cr_assert(rtf_balanced(s), "%s", s);
    cr_assert_not_null(strstr(s, "a\\\\b\\{c\\}"), "%s", s);
    cr_assert_not_null(strstr(s, "x \\{y\\} \\\\z \\u-10179?\\u-8704? end"), "%s", s);
    buf_release(&out);
}

/* ---- DOCX --------------------------------------------------------------- */

/* The archive member name of the DOCX in docx, as a NUL-terminated copy
 * (caller frees); fails the test when it is missing. */
static char *docx_member(const buf *docx, const char *name)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(docx->data, docx->len, 0, &ze);
    cr_assert_not_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    cr_assert_not_null(z, "libzip cannot open the docx: %s", zip_error_strerror(&ze));
    zip_stat_t st;
    cr_assert_eq(zip_stat(z, name, 0, &st), 0, "no %s in the docx", name);
    char *data = calloc(1, (size_t)st.size + 1);
    zip_file_t *f = zip_fopen(z, name, 0);
    cr_assert_not_null(f);
    cr_assert_eq(zip_fread(f, data, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_close(z);
    zip_error_fini(&ze);
    return data;
}

static void assert_well_formed(const char *name, const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), name, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cr_assert_not_null(doc, "%s is not well-formed XML:\n%s", name, xml);
    xmlFreeDoc(doc);
}

Test(export, docx_package_opens_and_escapes_text)
{
    export_report r = turkish_report();
    buf out;
    render(&r, EXPORT_DOCX, &out);
    cr_assert(memcmp(out.data, "PK\x03\x04", 4) == 0);
    const char *parts[] = {
        "[Content_Types].xml",          "_rels/.rels",     "docProps/core.xml", "word/document.xml",
        "word/_rels/document.xml.rels", "word/styles.xml", "word/footer1.xml"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char *xml = docx_member(&out, parts[i]);
        assert_well_formed(parts[i], xml);
        free(xml);
    }
    char *doc = docx_member(&out, "word/document.xml");
    const char *want[] = {
        "Ahmet &lt;Yılmaz&gt; &amp; &quot;Kaya&quot;",
        "<w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">KLİNİK BİLGİ</w:t>",
        "<w:t xml:space=\"preserve\">Beyin parankimi olağan.</w:t></w:r></w:p><w:p><w:r>"
        "<w:t xml:space=\"preserve\">İkinci satır: ş ğ ı İ ç ö ü.</w:t>",
        "Dr. Şule Işık",
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_not_null(strstr(doc, want[i]), "missing %s in\n%s", want[i], doc);
    cr_assert_null(strstr(doc, "<Yılmaz>"));
    free(doc);
    char *core = docx_member(&out, "docProps/core.xml");
    cr_assert_not_null(strstr(core, "<dc:title>Beyin BT (kontrastsız)</dc:title>"), "%s", core);
    free(core);
    char *styles = docx_member(&out, "word/styles.xml");
    cr_assert_not_null(strstr(styles, "w:val=\"tr-TR\""), "%s", styles);
    free(styles);
    char *footer = docx_member(&out, "word/footer1.xml");
    cr_assert_not_null(strstr(footer, "Sayfa"), "%s", footer);
    cr_assert_not_null(strstr(footer, "NUMPAGES"), "%s", footer);
    free(footer);
    buf_release(&out);
}

Test(export, docx_tabs_and_blank_lines)
{
    export_report r = {.language = "en", .sections[REPORT_SEC_BULGULAR] = "a\tb\n\nc 'q'"};
    buf out;
    render(&r, EXPORT_DOCX, &out);
    char *doc = docx_member(&out, "word/document.xml");
    assert_well_formed("word/document.xml", doc);
    cr_assert_not_null(strstr(doc, ">a</w:t><w:tab/><w:t xml:space=\"preserve\">b</w:t>"), "%s",
                       doc);
    cr_assert_not_null(strstr(doc, "</w:p><w:p/><w:p>"), "%s", doc);
    cr_assert_not_null(strstr(doc, "c &apos;q&apos;"), "%s", doc);
    free(doc);
    buf_release(&out);
}

/* ---- PDF ---------------------------------------------------------------- */

/* Pages in a PDF cairo wrote: "/Type /Page" not followed by "s". */
static size_t pdf_pages(const buf *pdf)
{
    return count(pdf->data, pdf->len, "/Type /Page") - count(pdf->data, pdf->len, "/Type /Pages");
}

static void assert_pdf_frame(const buf *pdf)
{
    cr_assert(pdf->len > 100 && memcmp(pdf->data, "%PDF-", 5) == 0, "no %%PDF- header");
    size_t end = pdf->len;
    while (end > 0 && (pdf->data[end - 1] == '\n' || pdf->data[end - 1] == '\r'))
        end--;
    cr_assert(end >= 5 && memcmp(pdf->data + end - 5, "%%EOF", 5) == 0, "no %%%%EOF trailer");
}

/* A report whose findings fill several pages. */
static char *long_findings(void)
{
    buf b;
    buf_init(&b, 1u << 20);
    for (int i = 1; i <= 400; i++)
        cr_assert_eq(buf_printf(&b, "Satır %d: şğıİçöü ile uzunca bir bulgu cümlesi.\n", i), RA_OK);
    return buf_detach(&b);
}

Test(export, pdf_is_a_pdf_with_dejavu)
{
    export_report r = turkish_report();
    buf out;
    render(&r, EXPORT_PDF, &out);
    assert_pdf_frame(&out);
    cr_assert_eq(pdf_pages(&out), 1);
    cr_assert_gt(count(out.data, out.len, "+DejaVuSans-Bold"), 0, "bold DejaVu Sans not embedded");
    cr_assert_gt(count(out.data, out.len, "+DejaVuSans"),
                 count(out.data, out.len, "+DejaVuSans-Bold"));
    cr_assert_gt(count(out.data, out.len, "/Title"), 0, "no title metadata");
    cr_assert_gt(count(out.data, out.len, "/Creator (RaportAI)"), 0);
    buf_release(&out);
}

Test(export, pdf_long_report_breaks_pages)
{
    export_report r = turkish_report();
    char *findings = long_findings();
    r.sections[REPORT_SEC_BULGULAR] = findings;
    buf out;
    render(&r, EXPORT_PDF, &out);
    assert_pdf_frame(&out);
    size_t pages = pdf_pages(&out);
    cr_assert(pages >= 5 && pages <= 20, "%zu pages", pages);
    buf_release(&out);
    free(findings);
}

/* The text pdftotext finds in pdf (caller frees), or NULL when pdftotext
 * is not installed. */
static char *pdf_text(const buf *pdf)
{
    if (access("/usr/bin/pdftotext", X_OK) != 0)
        return NULL;
    char path[] = "/tmp/raportai-export-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -layout -enc UTF-8 %s -", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    buf text;
    buf_init(&text, 1u << 22);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        cr_assert_eq(buf_append(&text, chunk, got), RA_OK);
    cr_assert_eq(pclose(p), 0);
    unlink(path);
    return buf_detach(&text);
}

Test(export, pdf_text_reads_back)
{
    export_report r = turkish_report();
    buf out;
    render(&r, EXPORT_PDF, &out);
    char *text = pdf_text(&out);
    buf_release(&out);
    if (text == NULL)
        cr_skip_test("pdftotext (poppler-utils) is not installed");
    const char *in_order[] = {"Ankara Şehir Hastanesi",
                              "Beyin BT (kontrastsız)",
                              "SUT kodu:",
                              "803910",
                              "Hasta adı:",
                              patient_name,
                              "Tarih:",
                              "28.11.2026 10:15 UTC",
                              "KLİNİK BİLGİ",
                              "Baş ağrısı.",
                              "TEKNİK",
                              "KARŞILAŞTIRMA",
                              "BULGULAR",
                              "İkinci satır: ş ğ ı İ ç ö ü.",
                              "SONUÇ",
                              "İZLENİM",
                              "Olağan görünüm.",
                              "Raportör: Dr. Şule Işık",
                              "İmza: ____",
                              "Sayfa 1 / 1"};
    const char *at = text;
    for (size_t i = 0; i < sizeof in_order / sizeof in_order[0]; i++) {
        const char *p = strstr(at, in_order[i]);
        cr_assert(p != NULL, "missing or out of order: %s\nin\n%s", in_order[i], text);
        at = p;
    }
    free(text);
}

Test(export, pdf_long_report_numbers_pages_in_english)
{
    export_report r = turkish_report();
    r.language = "en";
    char *findings = long_findings();
    r.sections[REPORT_SEC_BULGULAR] = findings;
    buf out;
    render(&r, EXPORT_PDF, &out);
    size_t pages = pdf_pages(&out);
    char *text = pdf_text(&out);
    buf_release(&out);
    free(findings);
    if (text == NULL)
        cr_skip_test("pdftotext (poppler-utils) is not installed");
    char want[64];
    for (size_t i = 1; i <= pages; i++) {
        snprintf(want, sizeof want, "Page %zu of %zu", i, pages);
        cr_assert_not_null(strstr(text, want), "missing %s", want);
    }
    cr_assert_not_null(strstr(text, "Satır 1: "));
    cr_assert_not_null(strstr(text, "Satır 400: "));
    /* The heading after the long findings shares its page with its text. */
    const char *conclusion = strstr(text, "CONCLUSION");
    cr_assert_not_null(conclusion);
    const char *next_page = strchr(conclusion, '\f');
    const char *its_text = strstr(conclusion, "Normal BT.");
    cr_assert(its_text != NULL && (next_page == NULL || its_text < next_page));
    free(text);
}

#define PDF_THREADS 4
#define PDF_PER_THREAD 3

static void *pdf_worker(void *arg)
{
    int *failures = arg;
    export_report r = turkish_report();
    for (int i = 0; i < PDF_PER_THREAD; i++) {
        buf out;
        buf_init(&out, OUT_MAX);
        if (export_render(&r, EXPORT_PDF, &out, NULL, 0) != RA_OK || out.len < 5 ||
            memcmp(out.data, "%PDF-", 5) != 0 || pdf_pages(&out) != 1)
            (*failures)++;
        buf_release(&out);
    }
    return NULL;
}

Test(export, pdf_renders_on_several_threads_at_once)
{
    pthread_t t[PDF_THREADS];
    int failures[PDF_THREADS] = {0};
    for (int i = 0; i < PDF_THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, pdf_worker, &failures[i]), 0);
    for (int i = 0; i < PDF_THREADS; i++) {
        cr_assert_eq(pthread_join(t[i], NULL), 0);
        cr_assert_eq(failures[i], 0, "thread %d failed %d renders", i, failures[i]);
    }
}

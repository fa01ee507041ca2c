/* test_templates.c - unit tests of src/templates/templates: placeholder
 * scanning, name normalization and uniqueness, the shipped library in
 * data/templates (tests run from the repository root) and load failures on
 * crafted manifests. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "core/sections.h"
#include "core/text.h"
#include "templates/templates.h"

/* ---- placeholders ------------------------------------------------------- */

Test(tmpl_placeholders, scan_finds_each)
{
    cr_assert_eq(tmpl_scan_placeholders("FINDINGS:\n{{BULGULAR}}\n\nCONCLUSION:\n{{SONUC}}"),
                 TMPL_PH(REPORT_SEC_BULGULAR) | TMPL_PH(REPORT_SEC_SONUC));
    cr_assert_eq(tmpl_scan_placeholders("{{IZLENIM}}{{TEKNIK}}{{KLINIK}}{{KARSILASTIRMA}}"),
                 TMPL_PH(REPORT_SEC_IZLENIM) | TMPL_PH(REPORT_SEC_TEKNIK) |
                     TMPL_PH(REPORT_SEC_KLINIK) | TMPL_PH(REPORT_SEC_KARSILASTIRMA));
}

Test(tmpl_placeholders, scan_rtf_escaped_braces)
{
    cr_assert_eq(tmpl_scan_placeholders("{\\rtf1 \\{\\{BULGULAR\\}\\}\\par}"),
                 TMPL_PH(REPORT_SEC_BULGULAR));
}

Test(tmpl_placeholders, scan_none)
{
    cr_assert_eq(tmpl_scan_placeholders(""), 0u);
    cr_assert_eq(tmpl_scan_placeholders("{{BULGULAR}"), 0u);
    cr_assert_eq(tmpl_scan_placeholders("{{bulgular}}"), 0u);
    cr_assert_eq(tmpl_scan_placeholders("{{ BULGULAR }}"), 0u);
    cr_assert_eq(tmpl_scan_placeholders("{{SONUÇ}}"), 0u);
}

Test(tmpl_placeholders, scan_names_each_section_by_its_bit)
{
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        char content[48];
        snprintf(content, sizeof content, "x {{%s}} y", report_section_placeholder(sec));
        cr_assert_eq(tmpl_scan_placeholders(content), TMPL_PH(sec), "%s", content);
    }
    cr_assert_eq(TMPL_PH_ALL, (unsigned)((1u << REPORT_SEC_COUNT) - 1));
}

/* ---- name normalization ------------------------------------------------- */

static void assert_name(const char *raw, const char *want)
{
    char *got = tmpl_normalize_name(raw);
    cr_assert_not_null(got);
    cr_assert_str_eq(got, want, "raw \"%s\"", raw ? raw : "(null)");
    free(got);
}

Test(tmpl_name, path_traversal)
{
    assert_name("../../etc/passwd.rtf", "passwd");
}
Test(tmpl_name, markup)
{
    assert_name("<b>Brain</b> CT.html", "Brain CT");
}
Test(tmpl_name, mixed_separators_upper_ext)
{
    assert_name("a/b\\c.TXT", "c");
}
Test(tmpl_name, htm)
{
    assert_name("Lumbar MR.htm", "Lumbar MR");
}
Test(tmpl_name, only_last_extension)
{
    assert_name("Brain CT.txt.rtf", "Brain CT.txt");
}
Test(tmpl_name, other_extension_kept)
{
    assert_name("Brain CT.docx", "Brain CT.docx");
}
Test(tmpl_name, empty)
{
    assert_name("", "Template");
}
Test(tmpl_name, null)
{
    assert_name(NULL, "Template");
}
Test(tmpl_name, nothing_left)
{
    assert_name("<x>.txt", "Template");
}
Test(tmpl_name, only_forbidden)
{
    assert_name("?*|:", "Template");
}
Test(tmpl_name, control_characters)
{
    assert_name("Brain\tCT\r\n\x01 x\x7f", "Brain CT x");
}
Test(tmpl_name, c1_control)
{
    assert_name("Brain\xC2\x85"
                "CT",
                "Brain CT");
}
Test(tmpl_name, invalid_utf8)
{
    assert_name("Beyin\xff\xfe"
                "BT",
                "Beyin BT");
}
Test(tmpl_name, truncated_utf8_at_end)
{
    assert_name("Beyin BT \xC5", "Beyin BT");
}
Test(tmpl_name, forbidden_chars_and_braces)
{
    assert_name("Brain: \"CT\" {{X}} | v2?", "Brain CT X v2");
}
Test(tmpl_name, whitespace_collapsed)
{
    assert_name("   BT    Beyin   .txt", "BT Beyin");
}
Test(tmpl_name, turkish_kept)
{
    assert_name("Tüm Batın USG.rtf", "Tüm Batın USG");
}
Test(tmpl_name, unclosed_markup)
{
    assert_name("Brain <CT", "Brain CT");
}

Test(tmpl_name, cap_100_characters_on_boundary)
{
    char raw[301];
    for (int i = 0; i < 150; i++)
        memcpy(raw + 2 * i, "ş", 2); /* 2 bytes each: 300 bytes */
    raw[300] = '\0';
    char *got = tmpl_normalize_name(raw);
    cr_assert_not_null(got);
    cr_assert_eq(strlen(got), 200u);
    cr_assert_eq(text_length(got), 100u);
    cr_assert(text_is_utf8(got, strlen(got)));
    free(got);
}

Test(tmpl_name, cap_300_ascii)
{
    char raw[301];
    memset(raw, 'a', 300);
    raw[300] = '\0';
    char *got = tmpl_normalize_name(raw);
    cr_assert_eq(strlen(got), 100u);
    free(got);
}

Test(tmpl_name, cap_does_not_leave_trailing_space)
{
    char raw[200];
    memset(raw, 'a', 99);
    snprintf(raw + 99, sizeof raw - 99, " tail");
    char *got = tmpl_normalize_name(raw);
    cr_assert_eq(strlen(got), 99u);
    free(got);
}

/* ---- uniqueness --------------------------------------------------------- */

static void assert_unique(const char *const *in, const char *const *want, size_t n)
{
    char *names[8];
    for (size_t i = 0; i < n; i++)
        names[i] = strdup(in[i]);
    cr_assert_eq(tmpl_unique_names(names, n), RA_OK);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(names[i], want[i], "entry %zu", i);
        free(names[i]);
    }
}

Test(tmpl_unique, already_unique)
{
    const char *in[] = {"Brain CT", "Brain MR", "Lomber MR"};
    assert_unique(in, in, 3);
}

Test(tmpl_unique, case_duplicates_numbered)
{
    const char *in[] = {"Brain CT", "brain ct", "BRAIN CT"};
    const char *want[] = {"Brain CT", "brain ct (2)", "BRAIN CT (3)"};
    assert_unique(in, want, 3);
}

Test(tmpl_unique, suffix_never_takes_an_existing_name)
{
    const char *in[] = {"Brain CT", "brain ct", "Brain CT (2)"};
    const char *want[] = {"Brain CT", "brain ct (3)", "Brain CT (2)"};
    assert_unique(in, want, 3);
}

Test(tmpl_unique, turkish_dotted_capital_i)
{
    const char *in[] = {"BT BEYİN", "bt beyin", "BT BEYIN"};
    const char *want[] = {"BT BEYİN", "bt beyin (2)", "BT BEYIN (3)"};
    assert_unique(in, want, 3);
}

Test(tmpl_unique, duplicate_of_a_renamed_name)
{
    const char *in[] = {"X", "x", "X (2)", "x (2)"};
    const char *want[] = {"X", "x (3)", "X (2)", "x (2) (2)"};
    assert_unique(in, want, 4);
}

Test(tmpl_unique, empty_list)
{
    cr_assert_eq(tmpl_unique_names(NULL, 0), RA_OK);
}

Test(tmpl_unique, suffix_keeps_100_characters)
{
    char base[101];
    memset(base, 'a', 100);
    base[100] = '\0';
    char *names[2] = {strdup(base), strdup(base)};
    cr_assert_eq(tmpl_unique_names(names, 2), RA_OK);
    cr_assert_str_eq(names[0], base);
    cr_assert_eq(strlen(names[1]), 100u);
    cr_assert_str_eq(names[1] + 96, " (2)");
    cr_assert_eq(strncmp(names[1], base, 96), 0);
    free(names[0]);
    free(names[1]);
}

/* ---- the shipped library ------------------------------------------------ */

static tmpl_library *load_shipped(void)
{
    char err[512] = "";
    tmpl_library *lib = NULL;
    cr_assert_eq(tmpl_library_load("data/templates", &lib, err, sizeof err), RA_OK, "%s", err);
    cr_assert_not_null(lib);
    return lib;
}

Test(tmpl_library, shipped_entries_are_valid)
{
    tmpl_library *lib = load_shipped();
    size_t n = tmpl_library_count(lib);
    cr_assert_geq(n, 8u);
    for (size_t i = 0; i < n; i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        cr_assert_not_null(t);
        cr_assert(t->id[0] != '\0' && t->name[0] != '\0' && t->modality[0] != '\0');
        cr_assert(t->body_part[0] != '\0', "%s", t->id);
        cr_assert(strcmp(t->language, "tr") == 0 || strcmp(t->language, "en") == 0, "%s", t->id);
        cr_assert(strcmp(t->format, "txt") == 0 || strcmp(t->format, "rtf") == 0 ||
                      strcmp(t->format, "html") == 0,
                  "%s", t->id);
        cr_assert_neq(t->placeholders, 0u, "%s", t->id);
        cr_assert_eq(t->placeholders, tmpl_scan_placeholders(t->content), "%s", t->id);
        cr_assert(t->placeholders & TMPL_PH(REPORT_SEC_BULGULAR), "%s has no findings", t->id);
        cr_assert(t->placeholders & (TMPL_PH(REPORT_SEC_SONUC) | TMPL_PH(REPORT_SEC_IZLENIM)), "%s",
                  t->id);
        cr_assert(text_is_utf8(t->content, strlen(t->content)), "%s", t->id);
        char *norm = tmpl_normalize_name(t->name);
        cr_assert_str_eq(norm, t->name, "name of %s is not normalized", t->id);
        free(norm);
        cr_assert_eq(tmpl_library_find(lib, t->id), t);
    }
    cr_assert_null(tmpl_library_at(lib, n));
    tmpl_library_free(lib);
}

Test(tmpl_library, shipped_names_are_unique)
{
    tmpl_library *lib = load_shipped();
    size_t n = tmpl_library_count(lib);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++)
            cr_assert(strcasecmp(tmpl_library_at(lib, i)->name, tmpl_library_at(lib, j)->name) !=
                      0);
    }
    tmpl_library_free(lib);
}

static void assert_entry(const tmpl_library *lib, const char *id, const char *name,
                         const char *modality, const char *body, const char *lang,
                         const char *format)
{
    const tmpl *t = tmpl_library_find(lib, id);
    cr_assert_not_null(t, "no template %s", id);
    cr_assert_str_eq(t->name, name);
    cr_assert_str_eq(t->modality, modality);
    cr_assert_str_eq(t->body_part, body);
    cr_assert_str_eq(t->language, lang);
    cr_assert_str_eq(t->format, format);
}

Test(tmpl_library, shipped_required_templates)
{
    tmpl_library *lib = load_shipped();
    assert_entry(lib, "tr-bt-beyin", "BT Beyin", "CT", "brain", "tr", "txt");
    assert_entry(lib, "en-ct-brain", "Brain CT", "CT", "brain", "en", "txt");
    assert_entry(lib, "tr-mr-lomber", "Lomber MR", "MR", "lumbar_spine", "tr", "rtf");
    assert_entry(lib, "en-mr-lumbar-spine", "Lumbar Spine MR", "MR", "lumbar_spine", "en", "html");
    assert_entry(lib, "tr-akciger-grafisi", "Akciğer Grafisi", "XR", "chest", "tr", "html");
    assert_entry(lib, "en-chest-xray", "Chest X-ray", "XR", "chest", "en", "txt");
    assert_entry(lib, "tr-usg-tum-batin", "Tüm Batın USG", "US", "abdomen", "tr", "txt");
    assert_entry(lib, "en-us-abdomen", "Abdominal US", "US", "abdomen", "en", "rtf");
    assert_entry(lib, "tr-mr-servikal", "Servikal MR", "MR", "cervical_spine", "tr", "txt");
    assert_entry(lib, "en-mr-shoulder", "Shoulder MR", "MR", "shoulder", "en", "txt");
    assert_entry(lib, "tr-usg-obstetrik", "Obstetrik USG", "US", "obstetric", "tr", "txt");
    assert_entry(lib, "tr-ekstremite-grafisi", "Ekstremite Grafisi", "XR", "extremity", "tr",
                 "txt");
    cr_assert_null(tmpl_library_find(lib, "tr-nope"));
    tmpl_library_free(lib);
}

/* The exams that make most of a department's volume, each in Turkish and
 * English, each with normal text for its findings and its conclusion. */
Test(tmpl_library, shipped_high_volume_exams_in_both_languages_with_normal_text)
{
    static const char *const exams[][2] = {
        {"CT", "brain"},        {"CT", "chest"},          {"CT", "abdomen"}, {"MR", "brain"},
        {"MR", "lumbar_spine"}, {"MR", "cervical_spine"}, {"MR", "knee"},    {"MR", "shoulder"},
        {"US", "abdomen"},      {"US", "thyroid"},        {"US", "breast"},  {"US", "obstetric"},
        {"XR", "chest"},        {"XR", "extremity"},      {"MG", "breast"},
    };
    tmpl_library *lib = load_shipped();
    for (size_t e = 0; e < sizeof exams / sizeof exams[0]; e++) {
        int found_tr = 0, found_en = 0;
        for (size_t i = 0; i < tmpl_library_count(lib); i++) {
            const tmpl *t = tmpl_library_at(lib, i);
            if (strcmp(t->modality, exams[e][0]) != 0 || strcmp(t->body_part, exams[e][1]) != 0)
                continue;
            found_tr += strcmp(t->language, "tr") == 0;
            found_en += strcmp(t->language, "en") == 0;
        }
        cr_assert_eq(found_tr, 1, "%s %s in Turkish", exams[e][0], exams[e][1]);
        cr_assert_eq(found_en, 1, "%s %s in English", exams[e][0], exams[e][1]);
    }
    for (size_t i = 0; i < tmpl_library_count(lib); i++) {
        const tmpl *t = tmpl_library_at(lib, i);
        cr_assert_not_null(t->normal[0], "%s has no normal findings", t->id);
        cr_assert(t->normal[1] != NULL || t->normal[2] != NULL, "%s: no normal conclusion", t->id);
        for (int k = 0; k < REPORT_SEC_COUNT; k++)
            cr_assert(t->normal[k] == NULL || (t->placeholders & (1u << k)), "%s %d", t->id, k);
    }
    tmpl_library_free(lib);
}

/* Mammography and breast ultrasound name the BI-RADS category in their
 * conclusion. */
Test(tmpl_library, shipped_breast_conclusions_carry_bi_rads)
{
    static const char *const ids[] = {"tr-mamografi", "en-mammography", "tr-usg-meme",
                                      "en-us-breast"};
    tmpl_library *lib = load_shipped();
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const tmpl *t = tmpl_library_find(lib, ids[i]);
        cr_assert_not_null(t, "%s", ids[i]);
        const char *concl = t->normal[1] ? t->normal[1] : t->normal[2];
        cr_assert_not_null(strstr(concl, "BI-RADS 1"), "%s: %s", ids[i], concl);
        cr_assert_not_null(strstr(t->content, "BI-RADS"), "%s", ids[i]);
    }
    const tmpl *ct = tmpl_library_find(lib, "tr-bt-beyin");
    cr_assert_not_null(strstr(ct->normal[0], "akut kanama"));
    cr_assert_not_null(strstr(ct->normal[0], "\nGri-beyaz cevher"));
    tmpl_library_free(lib);
}

Test(tmpl_library, shipped_rtf_is_ascii_rtf_and_html_has_bold_headings)
{
    tmpl_library *lib = load_shipped();
    const tmpl *rtf = tmpl_library_find(lib, "tr-mr-lomber");
    cr_assert_eq(strncmp(rtf->content, "{\\rtf1", 6), 0);
    for (const char *p = rtf->content; *p != '\0'; p++)
        cr_assert((unsigned char)*p < 0x80);
    cr_assert_not_null(strstr(rtf->content, "SONU\\u199?"));
    const tmpl *html = tmpl_library_find(lib, "tr-akciger-grafisi");
    cr_assert_not_null(strstr(html->content, "<b>BULGULAR:</b>"));
    cr_assert_not_null(strstr(html->content, "<b>SONUÇ:</b>"));
    const tmpl *txt = tmpl_library_find(lib, "en-ct-brain");
    cr_assert_not_null(strstr(txt->content, "FINDINGS:\n{{BULGULAR}}"));
    tmpl_library_free(lib);
}

/* ---- crafted libraries -------------------------------------------------- */

static char libdir[TEMPDIR_LEN];
static char errbuf[512];

static void make_libdir(void)
{
    tempdir_make(libdir, "tmpl");
    errbuf[0] = '\0';
}

static void remove_libdir(void)
{
    tempdir_remove(libdir);
}

TestSuite(tmpl_load, .init = make_libdir, .fini = remove_libdir);

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", libdir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

#define HEADER "file\tname\tmodality\tbody_part\tlanguage\n"

static int load(tmpl_library **lib)
{
    *lib = NULL;
    return tmpl_library_load(libdir, lib, errbuf, sizeof errbuf);
}

/* The message names the manifest and the line. */
static void assert_err(const char *line_and_text)
{
    char want[600];
    snprintf(want, sizeof want, "%s/manifest.tsv %s", libdir, line_and_text);
    cr_assert_str_eq(errbuf, want);
}

Test(tmpl_load, comments_crlf_and_names)
{
    put("tr/a.txt", "BULGULAR:\n{{BULGULAR}}\n");
    put("en/b.rtf", "{\\rtf1 {{SONUC}}\\par}");
    put("manifest.tsv", "# comment\r\n\r\n"
                        "file\tname\tmodality\tbody_part\tlanguage\r\n"
                        "tr/a.txt\t<b>BT</b> Beyin.txt\tCT\tbrain\ttr\r\n"
                        "# another\n"
                        "en/b.rtf\tbt beyin\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_OK, "%s", errbuf);
    cr_assert_eq(tmpl_library_count(lib), 2u);
    const tmpl *a = tmpl_library_at(lib, 0), *b = tmpl_library_at(lib, 1);
    cr_assert_str_eq(a->id, "tr-a");
    cr_assert_str_eq(a->name, "BT Beyin");
    cr_assert_eq(a->placeholders, TMPL_PH(REPORT_SEC_BULGULAR));
    cr_assert_str_eq(b->id, "en-b");
    cr_assert_str_eq(b->name, "bt beyin (2)");
    cr_assert_str_eq(b->format, "rtf");
    cr_assert_eq(b->placeholders, TMPL_PH(REPORT_SEC_SONUC));
    tmpl_library_free(lib);
}

Test(tmpl_load, missing_manifest)
{
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_IO);
    cr_assert_null(lib);
    cr_assert(strstr(errbuf, "manifest.tsv") != NULL, "%s", errbuf);
}

Test(tmpl_load, missing_file)
{
    put("tr/a.txt", "{{BULGULAR}}");
    put("manifest.tsv", HEADER "tr/a.txt\tA\tCT\tbrain\ttr\ntr/gone.txt\tB\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_IO);
    cr_assert_null(lib);
    char want[300];
    snprintf(want, sizeof want, "line 3: cannot open %s/tr/gone.txt: No such file or directory",
             libdir);
    assert_err(want);
}

Test(tmpl_load, duplicate_id)
{
    put("tr/a.txt", "{{BULGULAR}}");
    put("tr/a.html", "<b>{{BULGULAR}}</b>");
    put("manifest.tsv", HEADER "tr/a.txt\tA\tCT\tbrain\ttr\ntr/a.html\tB\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_EXISTS);
    assert_err("line 3: duplicate template id \"tr-a\" (from tr/a.html)");
}

Test(tmpl_load, non_ascii_rtf)
{
    put("tr/a.rtf", "{\\rtf1 SONUÇ: {{SONUC}}\\par}");
    put("manifest.tsv", HEADER "tr/a.rtf\tA\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: tr/a.rtf is not pure ASCII; write non-ASCII letters in RTF as \\uN? "
               "(ş is \\u351?)");
}

Test(tmpl_load, rtf_without_rtf_header)
{
    put("tr/a.rtf", "{{SONUC}}");
    put("manifest.tsv", HEADER "tr/a.rtf\tA\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: tr/a.rtf does not start with {\\rtf; it is not RTF");
}

Test(tmpl_load, no_placeholder)
{
    put("en/a.txt", "FINDINGS: normal.\n");
    put("manifest.tsv", HEADER "en/a.txt\tA\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: en/a.txt has no placeholder such as {{BULGULAR}} or {{SONUC}}");
}

Test(tmpl_load, invalid_utf8)
{
    put("en/a.txt", "{{BULGULAR}} \xff");
    put("manifest.tsv", HEADER "en/a.txt\tA\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: en/a.txt is not valid UTF-8");
}

Test(tmpl_load, unknown_format)
{
    put("en/a.doc", "{{BULGULAR}}");
    put("manifest.tsv", HEADER "en/a.doc\tA\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: en/a.doc has an unknown format (use .txt, .rtf, .html or .htm)");
}

Test(tmpl_load, path_outside_library)
{
    put("manifest.tsv", HEADER "../a.txt\tA\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: file \"../a.txt\" must be a relative path inside the library "
               "(letters, digits, '-', '_', '.', '/'; no \"..\")");
}

Test(tmpl_load, absolute_path)
{
    put("manifest.tsv", HEADER "/etc/passwd.txt\tA\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
}

Test(tmpl_load, wrong_field_count)
{
    put("manifest.tsv", HEADER "en/a.txt\tA\tCT\tbrain\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: expected 5 tab-separated fields (file, name, modality, body_part, "
               "language)");
}

Test(tmpl_load, bad_language)
{
    put("en/a.txt", "{{BULGULAR}}");
    put("manifest.tsv", HEADER "en/a.txt\tA\tCT\tbrain\tenglish\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: language \"english\" must be a two-letter code (tr, en)");
}

Test(tmpl_load, bad_header)
{
    put("manifest.tsv", "file,name,modality,body_part,language\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 1: the header must be the tab-separated names file, name, modality, "
               "body_part, language");
}

Test(tmpl_load, empty_manifest)
{
    put("manifest.tsv", "# nothing yet\n" HEADER);
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    char want[200];
    snprintf(want, sizeof want, "%s/manifest.tsv lists no templates", libdir);
    cr_assert_str_eq(errbuf, want);
}

Test(tmpl_load, template_over_1mb)
{
    char path[256];
    snprintf(path, sizeof path, "%s/en", libdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/en/big.txt", libdir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("{{BULGULAR}}", f);
    for (int i = 0; i < 1024 * 1024; i++)
        fputc('x', f);
    fclose(f);
    put("manifest.tsv", HEADER "en/big.txt\tA\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_TOO_LARGE);
}

/* ---- normal text sidecars (X.normal) ------------------------------------ */

Test(tmpl_load, normal_sidecar_loaded)
{
    put("tr/a.txt", "{{TEKNIK}}\n{{BULGULAR}}\n{{SONUC}}\n");
    put("tr/a.normal", "# normal brain CT\r\n"
                       "BULGULAR\tBeyin parankimi normaldir.\r\n"
                       "BULGULAR\t  Ventriküller olağandır.  \n"
                       "\n"
                       "SONUC\tNormal beyin BT.\n");
    put("en/b.html", "<p>{{BULGULAR}}</p>");
    put("manifest.tsv", HEADER "tr/a.txt\tA\tCT\tbrain\ttr\nen/b.html\tB\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_OK, "%s", errbuf);
    const tmpl *a = tmpl_library_find(lib, "tr-a"), *b = tmpl_library_find(lib, "en-b");
    cr_assert_str_eq(a->normal[0], "Beyin parankimi normaldir.\nVentriküller olağandır.");
    cr_assert_str_eq(a->normal[1], "Normal beyin BT.");
    for (int i = 2; i < REPORT_SEC_COUNT; i++)
        cr_assert_null(a->normal[i], "section %d", i);
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        cr_assert_null(b->normal[i], "no sidecar, section %d", i);
    tmpl_library_free(lib);
}

Test(tmpl_normal, index_follows_placeholder_bits)
{
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++) {
        char text[48], *normal[REPORT_SEC_COUNT], why[64] = "";
        snprintf(text, sizeof text, "%s\tnormal", report_section_placeholder(sec));
        cr_assert_eq(tmpl_parse_normal(text, strlen(text), TMPL_PH(sec), normal, why, sizeof why),
                     RA_OK, "%s: %s", text, why);
        for (int k = 0; k < REPORT_SEC_COUNT; k++)
            cr_assert((k == sec) == (normal[k] != NULL), "%s: section %d", text, k);
        free(normal[sec]);
    }
}

static void assert_normal_refused(const char *text, unsigned allowed, const char *want)
{
    char *normal[REPORT_SEC_COUNT], why[256] = "";
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        normal[i] = (char *)"untouched";
    cr_assert_eq(tmpl_parse_normal(text, strlen(text), allowed, normal, why, sizeof why),
                 RA_ERR_FORMAT, "%s", text);
    cr_assert_str_eq(why, want);
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        cr_assert_null(normal[i]);
}

Test(tmpl_normal, refusals_name_the_line)
{
    assert_normal_refused("BULGULAR normal", TMPL_PH_ALL,
                          "line 1: expected KEY<TAB>text (KEY one of BULGULAR, SONUC, IZLENIM, "
                          "TEKNIK, KLINIK, KARSILASTIRMA)");
    assert_normal_refused("# c\nFINDINGS\tnormal", TMPL_PH_ALL,
                          "line 2: unknown section \"FINDINGS\" (use BULGULAR, SONUC, IZLENIM, "
                          "TEKNIK, KLINIK or KARSILASTIRMA)");
    assert_normal_refused("IZLENIM\tnormal",
                          TMPL_PH(REPORT_SEC_BULGULAR) | TMPL_PH(REPORT_SEC_SONUC),
                          "line 1: the template has no {{IZLENIM}} placeholder for this text");
    assert_normal_refused("SONUC\t   ", TMPL_PH_ALL, "line 1: the text for SONUC is empty");
    assert_normal_refused("SONUC\ta\tb", TMPL_PH_ALL,
                          "line 1: the text for SONUC contains a tab or another control "
                          "character");
    assert_normal_refused("BULGULAR\ta\nSONUC\tb\n\nBULGULAR\tc", TMPL_PH_ALL,
                          "line 4: BULGULAR was already given on line 1; continue a section "
                          "only on consecutive lines");
    assert_normal_refused("BULGULAR\t\xff", TMPL_PH_ALL, "is not UTF-8 text");
}

Test(tmpl_normal, empty_file_gives_nothing)
{
    char *normal[REPORT_SEC_COUNT], why[64] = "";
    cr_assert_eq(
        tmpl_parse_normal("# only a comment\n\n", 18, TMPL_PH_ALL, normal, why, sizeof why), RA_OK);
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        cr_assert_null(normal[i]);
}

Test(tmpl_load, bad_normal_sidecar_names_file_and_line)
{
    put("tr/a.rtf", "{\\rtf1 {{BULGULAR}}\\par {{SONUC}}}");
    put("tr/a.normal", "BULGULAR\tNormal.\nSONUÇ\tNormal.\n");
    put("manifest.tsv", HEADER "tr/a.rtf\tA\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    cr_assert_null(lib);
    assert_err("line 2: tr/a.normal line 2: unknown section \"SONUÇ\" (use BULGULAR, SONUC, "
               "IZLENIM, TEKNIK, KLINIK or KARSILASTIRMA)");
}

Test(tmpl_load, normal_sidecar_not_utf8)
{
    put("tr/a.txt", "{{BULGULAR}}");
    put("tr/a.normal", "BULGULAR\tBeyin \xfe\n");
    put("manifest.tsv", HEADER "tr/a.txt\tA\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_FORMAT);
    assert_err("line 2: tr/a.normal is not UTF-8 text");
}

Test(tmpl_load, normal_sidecar_not_a_file)
{
    put("tr/a.txt", "{{BULGULAR}}");
    put("tr/a.normal/x", "");
    put("manifest.tsv", HEADER "tr/a.txt\tA\tCT\tbrain\ttr\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_ERR_IO);
    char want[300];
    snprintf(want, sizeof want, "line 2: %s/tr/a.normal is not a regular file", libdir);
    assert_err(want);
}

/* ---- matching ----------------------------------------------------------- */

Test(tmpl_match, modality_and_body_part_in_each_language)
{
    tmpl_library *lib = load_shipped();
    static const char *const cases[][4] = {
        {"CT", "brain", "tr", "tr-bt-beyin"},
        {"CT", "brain", "en", "en-ct-brain"},
        {"CT", "abdomen", "tr", "tr-bt-batin"},
        {"CT", "abdomen", "en", "en-ct-abdomen"},
        {"MR", "cervical_spine", "tr", "tr-mr-servikal"},
        {"MR", "cervical_spine", "en", "en-mr-cervical-spine"},
        {"MR", "shoulder", "tr", "tr-mr-omuz"},
        {"MR", "shoulder", "en", "en-mr-shoulder"},
        {"US", "thyroid", "en", "en-us-thyroid"},
        {"US", "breast", "tr", "tr-usg-meme"},
        {"US", "breast", "en", "en-us-breast"},
        {"MG", "breast", "tr", "tr-mamografi"},
        {"US", "obstetric", "tr", "tr-usg-obstetrik"},
        {"US", "obstetric", "en", "en-us-obstetric"},
        {"XR", "extremity", "tr", "tr-ekstremite-grafisi"},
        {"XR", "extremity", "en", "en-xr-extremity"},
        {"mr", "knee", "en", "en-mr-knee"}, /* modality without case */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tmpl *t = tmpl_library_match(lib, cases[i][0], cases[i][1], cases[i][2]);
        cr_assert_not_null(t, "%s %s %s", cases[i][0], cases[i][1], cases[i][2]);
        cr_assert_str_eq(t->id, cases[i][3]);
    }
    tmpl_library_free(lib);
}

Test(tmpl_match, no_fallback_to_another_language_or_body_part)
{
    tmpl_library *lib = load_shipped();
    cr_assert_null(tmpl_library_match(lib, "CT", "brain", "de"));
    cr_assert_null(tmpl_library_match(lib, "CT", "brain", "ru"));
    cr_assert_null(tmpl_library_match(lib, "XR", "knee", "tr"));
    cr_assert_null(tmpl_library_match(lib, "CT", "Brain", "tr"));
    cr_assert_null(tmpl_library_match(lib, "NM", "thyroid", "tr"));
    cr_assert_null(tmpl_library_match(lib, "", "brain", "tr"));
    cr_assert_null(tmpl_library_match(lib, "CT", "", "tr"));
    cr_assert_null(tmpl_library_match(lib, NULL, "brain", "tr"));
    cr_assert_null(tmpl_library_match(lib, "CT", NULL, "tr"));
    tmpl_library_free(lib);
}

Test(tmpl_load, match_takes_the_first_in_manifest_order)
{
    put("tr/a.txt", "{{BULGULAR}}");
    put("tr/b.txt", "{{SONUC}}");
    put("en/c.txt", "{{BULGULAR}}");
    put("manifest.tsv", HEADER "tr/a.txt\tA\tCT\tbrain\ttr\ntr/b.txt\tB\tCT\tbrain\ttr\n"
                               "en/c.txt\tC\tCT\tbrain\ten\n");
    tmpl_library *lib;
    cr_assert_eq(load(&lib), RA_OK, "%s", errbuf);
    cr_assert_str_eq(tmpl_library_match(lib, "CT", "brain", "tr")->id, "tr-a");
    cr_assert_str_eq(tmpl_library_match(lib, "ct", "brain", "en")->id, "en-c");
    tmpl_library_free(lib);
}

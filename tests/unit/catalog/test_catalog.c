/* test_catalog.c - unit tests of src/catalog: SUT code
 * normalization, modality and body-part inference, and the EK-2B importer
 * for CSV (encodings, delimiters, quoting, header detection) and XLSX
 * (workbooks written here with libzip). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "../support/tempdir.h"
#include "catalog/catalog.h"
#include "core/err.h"

#define SRC "EK-2B import: test, 2026-11-28"

static char tmpdir[TEMPDIR_LEN];
static char errbuf[512];

static void make_tmpdir(void)
{
    tempdir_make(tmpdir, "catalog");
    errbuf[0] = '\0';
}

static void remove_tmpdir(void)
{
    tempdir_remove(tmpdir);
}

TestSuite(catalog_file, .init = make_tmpdir, .fini = remove_tmpdir);

/* Writes len bytes to tmpdir/name and returns the path (static buffer). */
static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static int parse_csv(const char *text, store_sut_row **rows, size_t *n)
{
    const char *path = write_file("list.csv", text, strlen(text));
    return catalog_parse_file(path, SRC, rows, n, errbuf, sizeof errbuf);
}

static void assert_row(const store_sut_row *r, const char *code, const char *name,
                       const char *modality, const char *body, const char *source)
{
    cr_assert_str_eq(r->code, code);
    cr_assert_str_eq(r->name, name);
    cr_assert_str_eq(r->modality, modality);
    cr_assert_str_eq(r->body_part, body);
    cr_assert_str_eq(r->source, source);
}

/* ---- code normalization ------------------------------------------------- */

static void assert_code(const char *raw, const char *want)
{
    char out[STORE_SUT_CODE_MAX + 1] = "unset";
    cr_assert_eq(catalog_normalize_code(raw, out), RA_OK, "raw \"%s\"", raw);
    cr_assert_str_eq(out, want);
}

static void assert_bad_code(const char *raw)
{
    char out[STORE_SUT_CODE_MAX + 1] = "unset";
    cr_assert_eq(catalog_normalize_code(raw, out), RA_ERR_INVALID, "raw \"%s\"", raw);
    cr_assert_str_eq(out, "unset", "output written on failure");
}

Test(catalog_code, five_digits)
{
    assert_code("80391", "80391");
}
Test(catalog_code, seven_digits)
{
    assert_code("8039100", "8039100");
}
Test(catalog_code, dotted)
{
    assert_code("803.910", "803910");
}
Test(catalog_code, surrounding_space)
{
    assert_code(" 803910 ", "803910");
}
Test(catalog_code, tabs_and_crlf)
{
    assert_code("\t803.910\r\n", "803910");
}
Test(catalog_code, letter)
{
    assert_bad_code("80391a");
}
Test(catalog_code, four_digits)
{
    assert_bad_code("8039");
}
Test(catalog_code, eight_digits)
{
    assert_bad_code("80391000");
}
Test(catalog_code, empty)
{
    assert_bad_code("");
}
Test(catalog_code, blank)
{
    assert_bad_code("   ");
}
Test(catalog_code, null)
{
    assert_bad_code(NULL);
}
Test(catalog_code, inner_space)
{
    assert_bad_code("803 910");
}
Test(catalog_code, leading_dot)
{
    assert_bad_code(".803910");
}
Test(catalog_code, trailing_dot)
{
    assert_bad_code("803910.");
}
Test(catalog_code, double_dot)
{
    assert_bad_code("803..910");
}
Test(catalog_code, negative)
{
    assert_bad_code("-803910");
}

/* ---- inference ---------------------------------------------------------- */

static void assert_infer(const char *name, const char *modality, const char *body)
{
    const char *m = catalog_infer_modality(name);
    const char *b = catalog_infer_body_part(name);
    if (modality == NULL)
        cr_assert_null(m, "\"%s\": modality %s", name, m);
    else
        cr_assert(m != NULL && strcmp(m, modality) == 0, "\"%s\": modality %s, want %s", name,
                  m ? m : "NULL", modality);
    if (body == NULL)
        cr_assert_null(b, "\"%s\": body part %s", name, b);
    else
        cr_assert(b != NULL && strcmp(b, body) == 0, "\"%s\": body part %s, want %s", name,
                  b ? b : "NULL", body);
}

Test(catalog_infer, beyin_bt)
{
    assert_infer("Beyin BT", "CT", "brain");
}
Test(catalog_infer, bt_beyin_kontrastsiz)
{
    assert_infer("BT, beyin, kontrastsız", "CT", "brain");
}
Test(catalog_infer, lomber_mr)
{
    assert_infer("Lomber vertebra MR", "MR", "lumbar_spine");
}
Test(catalog_infer, akciger_grafisi)
{
    assert_infer("Akciğer grafisi (PA)", "XR", "chest");
}
Test(catalog_infer, tiroid_usg)
{
    assert_infer("Tiroid ultrasonografisi", "US", "thyroid");
}
Test(catalog_infer, mamografi)
{
    assert_infer("Mamografi (bilateral)", "MG", "breast");
}
Test(catalog_infer, diz_mrg)
{
    assert_infer("Diz MRG", "MR", "knee");
}
Test(catalog_infer, toraks_bt)
{
    assert_infer("Toraks BT", "CT", "chest");
}
Test(catalog_infer, torakal_mr)
{
    assert_infer("Torakal vertebra MR", "MR", "thoracic_spine");
}
Test(catalog_infer, obstetrik)
{
    assert_infer("Obstetrik ultrasonografi", "US", "obstetric");
}
Test(catalog_infer, tum_batin_usg)
{
    assert_infer("Tüm batın USG", "US", "abdomen");
}
Test(catalog_infer, uppercase_dotted_i)
{
    assert_infer("BEYİN BT", "CT", "brain");
}
Test(catalog_infer, uppercase_dotless_i)
{
    assert_infer("KARIN BT", "CT", "abdomen");
}
Test(catalog_infer, karin_alone)
{
    assert_infer("KARIN", NULL, "abdomen");
}
Test(catalog_infer, servikal)
{
    assert_infer("Servikal vertebra MRG", "MR", "cervical_spine");
}
Test(catalog_infer, boyun_vertebra)
{
    assert_infer("Boyun vertebra grafisi", "XR", "cervical_spine");
}
Test(catalog_infer, direkt_grafi)
{
    assert_infer("Direkt grafi, el bileği", "XR", "extremity");
}
Test(catalog_infer, bilgisayarli_tomografi)
{
    assert_infer("Bilgisayarlı tomografi, pelvis", "CT", "pelvis");
}
Test(catalog_infer, manyetik_rezonans)
{
    assert_infer("Omuz manyetik rezonans görüntüleme", "MR", "shoulder");
}
Test(catalog_infer, doppler)
{
    assert_infer("Renkli Doppler ultrasonografi, alt ekstremite", "US", "extremity");
}
Test(catalog_infer, sintigrafi)
{
    assert_infer("Tiroid sintigrafisi", "NM", "thyroid");
}
Test(catalog_infer, pet_bt)
{
    assert_infer("PET/BT, tüm vücut", "PT", NULL);
}
Test(catalog_infer, anjiyografi)
{
    assert_infer("Serebral anjiyografi (DSA)", "XA", NULL);
}
Test(catalog_infer, mr_anjiyografi)
{
    assert_infer("Beyin MR anjiyografi", "MR", "brain");
}
Test(catalog_infer, floroskopi)
{
    assert_infer("Floroskopi eşliğinde işlem", "RF", NULL);
}
Test(catalog_infer, skopi)
{
    assert_infer("Özofagus pasaj grafisi (skopi)", "RF", NULL);
}
Test(catalog_infer, dansitometri)
{
    assert_infer("Kemik dansitometrisi (DEXA), lomber", "DXA", "lumbar_spine");
}
Test(catalog_infer, rontgen)
{
    assert_infer("Göğüs röntgeni", "XR", "chest");
}
Test(catalog_infer, gebelik)
{
    assert_infer("Gebelik USG", "US", "obstetric");
}
Test(catalog_infer, meme_usg)
{
    assert_infer("Meme ultrasonografisi", "US", "breast");
}
Test(catalog_infer, kranial)
{
    assert_infer("Kraniyal MR", "MR", "brain");
}
Test(catalog_infer, kafa)
{
    assert_infer("Kafa grafisi", "XR", "brain");
}
Test(catalog_infer, lumbosakral)
{
    assert_infer("Lumbosakral grafi", "XR", "lumbar_spine");
}
Test(catalog_infer, dirsek)
{
    assert_infer("Dirsek grafisi", "XR", "extremity");
}
Test(catalog_infer, en_brain_ct)
{
    assert_infer("Brain CT", "CT", "brain");
}
Test(catalog_infer, en_lumbar_mr)
{
    assert_infer("Lumbar MR", "MR", "lumbar_spine");
}
Test(catalog_infer, en_mri_upper)
{
    assert_infer("MRI LUMBAR SPINE", "MR", "lumbar_spine");
}
Test(catalog_infer, en_chest_xray)
{
    assert_infer("Chest X-ray", "XR", "chest");
}
Test(catalog_infer, en_ultrasound)
{
    assert_infer("Abdominal ultrasound", "US", "abdomen");
}
Test(catalog_infer, en_mammography)
{
    assert_infer("Screening mammography", "MG", "breast");
}
Test(catalog_infer, en_scintigraphy)
{
    assert_infer("Bone scintigraphy", "NM", NULL);
}
Test(catalog_infer, en_angiography)
{
    assert_infer("Coronary angiography", "XA", NULL);
}
Test(catalog_infer, en_fluoroscopy)
{
    assert_infer("Fluoroscopy", "RF", NULL);
}
Test(catalog_infer, en_tomography)
{
    assert_infer("Computed tomography of the thorax", "CT", "chest");
}
Test(catalog_infer, en_thoracic_spine)
{
    assert_infer("Thoracic spine MRI", "MR", "thoracic_spine");
}
Test(catalog_infer, en_knee)
{
    assert_infer("Knee radiograph", "XR", "knee");
}
Test(catalog_infer, en_obstetric)
{
    assert_infer("Obstetric ultrasound", "US", "obstetric");
}
Test(catalog_infer, en_wrist)
{
    assert_infer("Wrist x-ray", "XR", "extremity");
}
Test(catalog_infer, decomposed_turkish_letters)
{
    assert_infer("Go\xCC\x88g\xCC\x86u\xCC\x88s BT", "CT", "chest");
}
Test(catalog_infer, en_dash_splits_words)
{
    assert_infer("BT\xE2\x80\x93"
                 "beyin",
                 "CT", "brain");
}
Test(catalog_infer, nbsp_splits_words)
{
    assert_infer("Beyin\xC2\xA0"
                 "BT",
                 "CT", "brain");
}
Test(catalog_infer, nothing)
{
    assert_infer("Hasta muayenesi", NULL, NULL);
}
Test(catalog_infer, empty)
{
    assert_infer("", NULL, NULL);
}
Test(catalog_infer, null)
{
    assert_infer(NULL, NULL, NULL);
}
Test(catalog_infer, invalid_utf8)
{
    assert_infer("Beyin BT \xff", NULL, NULL);
}
Test(catalog_infer, bt_inside_word_is_not_ct)
{
    assert_infer("Abtest", NULL, NULL);
}

/* ---- CSV ---------------------------------------------------------------- */

Test(catalog_file, csv_comma_with_header)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(
        parse_csv("İŞLEM KODU,İŞLEM ADI\n803910,Beyin BT\n804102,Lomber vertebra MR\n", &rows, &n),
        RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber vertebra MR", "MR", "lumbar_spine", SRC);
    free(rows);
}

/* The bytes reader (the fuzz targets' way in) reads what the file reader
 * reads, touching no file, and names the given file in its errors. */
Test(catalog_file, bytes_read_as_a_file_would_be)
{
    static const char csv[] = "SUT KODU;İŞLEM ADI\n803.910;Beyin BT\n12;x\n804200;Tüm batın USG\n";
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(
        catalog_parse_bytes(csv, strlen(csv), "ek2b.csv", SRC, &rows, &n, errbuf, sizeof errbuf),
        RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804200", "Tüm batın USG", "US", "abdomen", SRC);
    free(rows);
    rows = NULL;
    cr_assert_eq(
        catalog_parse_bytes("a;b\nc;d\n", 8, "bad.csv", SRC, &rows, &n, errbuf, sizeof errbuf),
        RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "no SUT code column found in bad.csv");
    cr_assert_null(rows);
}

Test(catalog_file, csv_semicolon_with_commas_in_names)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("SUT KODU;İŞLEM ADI;İŞLEM PUANI\n"
                           "803.910;BT, beyin, kontrastsız;100,50\n"
                           "804.102;Lomber vertebra MR, kontrastlı;200,00\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "BT, beyin, kontrastsız", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber vertebra MR, kontrastlı", "MR", "lumbar_spine", SRC);
    free(rows);
}

Test(catalog_file, csv_tab_separated)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("code\tname\n803910\tBrain CT\n", &rows, &n), RA_OK, "%s", errbuf);
    cr_assert_eq(n, 1);
    assert_row(&rows[0], "803910", "Brain CT", "CT", "brain", SRC);
    free(rows);
}

Test(catalog_file, csv_bom_and_crlf)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("\xEF\xBB\xBFİŞLEM KODU;İŞLEM ADI\r\n803910;Beyin BT\r\n"
                           "804102;Diz MRG\r\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Diz MRG", "MR", "knee", SRC);
    free(rows);
}

Test(catalog_file, csv_quotes_doubled_and_multiline)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("\"SUT KODU\",\"İŞLEM ADI\"\n"
                           "\"803910\",\"Beyin \"\"BT\"\" (kontrastsız)\"\n"
                           "\"804102\",\"Lomber\nvertebra   MR\"\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin \"BT\" (kontrastsız)", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber vertebra MR", "MR", "lumbar_spine", SRC);
    free(rows);
}

Test(catalog_file, csv_header_after_title_rows_and_section_titles_skipped)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("EK-2B HİZMET BAŞI İŞLEM PUAN LİSTESİ;;;\n"
                           ";;;\n"
                           "SIRA NO;İŞLEM KODU;İŞLEM ADI;AÇIKLAMA\n"
                           ";RADYOLOJİ;;\n"
                           "1;803910;  Beyin   BT ;\n"
                           "2;;Bölüm başlığı;\n"
                           "3;804102;Lomber vertebra MR;Kontrastsız\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber vertebra MR", "MR", "lumbar_spine", SRC);
    free(rows);
}

Test(catalog_file, csv_without_header_uses_code_column_and_next_text)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(
        parse_csv("1;803910;Beyin BT\n2;804102;Lomber MR\n3;804200;Tüm batın USG\n", &rows, &n),
        RA_OK, "%s", errbuf);
    cr_assert_eq(n, 3);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber MR", "MR", "lumbar_spine", SRC);
    assert_row(&rows[2], "804200", "Tüm batın USG", "US", "abdomen", SRC);
    free(rows);
}

Test(catalog_file, csv_duplicates_keep_first)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(
        parse_csv("kod,adı\n803910,Beyin BT\n804102,Lomber MR\n803.910,Başka ad\n", &rows, &n),
        RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber MR", "MR", "lumbar_spine", SRC);
    free(rows);
}

Test(catalog_file, csv_explicit_columns_override_inference)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("code,name,modality,body_part,source\n"
                           "12345,Özel tetkik,MR,knee,Hospital list 2026\n"
                           "12346,Beyin BT,,,\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "12345", "Özel tetkik", "MR", "knee", "Hospital list 2026");
    assert_row(&rows[1], "12346", "Beyin BT", "CT", "brain", SRC);
    free(rows);
}

Test(catalog_file, csv_uppercase_ascii_headers)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("NO;ISLEM KODU;ISLEM ADI;MODALITY;BODY_PART;SOURCE\n"
                           "1;803910;Beyin BT;;;\n2;804102;Lomber MR;MR;lumbar_spine;Guide\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber MR", "MR", "lumbar_spine", "Guide");
    free(rows);
}

Test(catalog_file, csv_too_long_explicit_modality_is_refused)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("code,name,modality\n12345,Beyin BT,COMPUTED\n", &rows, &n),
                 RA_ERR_FORMAT);
    cr_assert(strstr(errbuf, "row 2 of list.csv") != NULL, "%s", errbuf);
}

Test(catalog_file, csv_cp1254)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    /* "İŞLEM KODU;İŞLEM ADI", "Beyin BT, kontrastsız", "Göğüs BT" in Windows-1254 */
    cr_assert_eq(parse_csv("\xDD\xDELEM KODU;\xDD\xDELEM ADI\n"
                           "803910;Beyin BT, kontrasts\xFDz\n"
                           "804100;G\xF6\xF0\xFCs BT\n",
                           &rows, &n),
                 RA_OK, "%s", errbuf);
    cr_assert_eq(n, 2);
    assert_row(&rows[0], "803910", "Beyin BT, kontrastsız", "CT", "brain", SRC);
    assert_row(&rows[1], "804100", "Göğüs BT", "CT", "chest", SRC);
    free(rows);
}

Test(catalog_file, csv_utf16le_with_bom)
{
    const char *ascii = "code;name\r\n803910;Brain CT\r\n";
    unsigned char data[128];
    size_t len = 0;
    data[len++] = 0xFF;
    data[len++] = 0xFE;
    for (const char *p = ascii; *p != '\0'; p++) {
        data[len++] = (unsigned char)*p;
        data[len++] = 0;
    }
    store_sut_row *rows = NULL;
    size_t n = 0;
    const char *path = write_file("utf16.csv", data, len);
    cr_assert_eq(catalog_parse_file(path, SRC, &rows, &n, errbuf, sizeof errbuf), RA_OK, "%s",
                 errbuf);
    cr_assert_eq(n, 1);
    assert_row(&rows[0], "803910", "Brain CT", "CT", "brain", SRC);
    free(rows);
}

Test(catalog_file, csv_not_text_is_refused)
{
    store_sut_row *rows = NULL;
    size_t n = 99;
    /* 0x81 is undefined in Windows-1254 and invalid in UTF-8 */
    cr_assert_eq(parse_csv("code;name\n803910;Beyin \x81\x81 BT\n", &rows, &n), RA_ERR_FORMAT);
    cr_assert(strstr(errbuf, "list.csv is not a text file") != NULL, "%s", errbuf);
    cr_assert_null(rows);
    cr_assert_eq(n, 99);
}

Test(catalog_file, csv_nul_bytes_are_refused)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    const char *path = write_file("bin.csv", "803910;Beyin\0BT\n", 16);
    cr_assert_eq(catalog_parse_file(path, SRC, &rows, &n, errbuf, sizeof errbuf), RA_ERR_FORMAT);
    cr_assert(strstr(errbuf, "bin.csv is not a text file") != NULL, "%s", errbuf);
}

Test(catalog_file, csv_zero_valid_rows)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("İŞLEM KODU;İŞLEM ADI\nabc;Beyin BT\n8039;Lomber MR\n", &rows, &n),
                 RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "no row of list.csv has a valid SUT code (5 to 7 digits)");
    cr_assert_null(rows);
}

Test(catalog_file, csv_no_code_column)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("Ad;Açıklama\nBeyin BT;kontrastsız\n", &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "no SUT code column found in list.csv");
}

Test(catalog_file, empty_file)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_csv("", &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "no SUT code column found in list.csv");
}

Test(catalog_file, missing_file)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    char path[128];
    snprintf(path, sizeof path, "%s/nope.csv", tmpdir);
    cr_assert_eq(catalog_parse_file(path, SRC, &rows, &n, errbuf, sizeof errbuf), RA_ERR_IO);
    cr_assert(strstr(errbuf, "cannot open") != NULL && strstr(errbuf, "nope.csv") != NULL, "%s",
              errbuf);
}

Test(catalog_file, file_over_50mb_is_refused)
{
    char path[128];
    snprintf(path, sizeof path, "%s/big.csv", tmpdir);
    int fd = open(path, O_CREAT | O_WRONLY, 0600);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, 50 * 1024 * 1024 + 1), 0);
    close(fd);
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(catalog_parse_file(path, SRC, &rows, &n, errbuf, sizeof errbuf), RA_ERR_TOO_LARGE);
}

Test(catalog_file, more_than_200000_rows_is_refused)
{
    size_t cap = 200001 * 16 + 32, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text, cap, "code;name\n");
    for (int i = 0; i < 200001; i++)
        len += (size_t)snprintf(text + len, cap - len, "%d;X\n", 1000000 + i);
    const char *path = write_file("many.csv", text, len);
    free(text);
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(catalog_parse_file(path, SRC, &rows, &n, errbuf, sizeof errbuf), RA_ERR_TOO_LARGE);
    cr_assert(strstr(errbuf, "many.csv has more than 200000 rows") != NULL, "%s", errbuf);
}

Test(catalog_file, known_codes_shipped_list)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(catalog_load_known(".", &rows, &n, errbuf, sizeof errbuf), RA_OK, "%s", errbuf);
    cr_assert_eq(n, 3);
    assert_row(&rows[0], "803910", "Brain CT", "CT", "brain",
               "RaportAI product guide: PACS example response (examName Brain CT)");
    assert_row(&rows[1], "804102", "Lumbar MR", "MR", "lumbar_spine",
               "RaportAI product guide: PACS example response (examName Lumbar MR)");
    assert_row(&rows[2], "804200", "", "", "",
               "RaportAI product guide: curl example (name not published in the guide)");
    free(rows);
}

Test(catalog_file, known_codes_missing_share_dir)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(catalog_load_known(tmpdir, &rows, &n, errbuf, sizeof errbuf), RA_ERR_IO);
    cr_assert(strstr(errbuf, "data/sut/known-codes.csv") != NULL, "%s", errbuf);
}

/* ---- XLSX --------------------------------------------------------------- */

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char content_types[] =
    XML_HEAD "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";

static const char workbook[] =
    XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
             "<sheet name=\"EK-2B\" sheetId=\"1\" r:id=\"rId7\"/>"
             "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>";

static const char workbook_rels[] = XML_HEAD
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId8\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/other.xml\"/>"
    "<Relationship Id=\"rId7\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/ek2b.xml\"/>"
    "</Relationships>";

static const char shared_strings[] =
    XML_HEAD "<sst xmlns=\"" NS_MAIN "\" count=\"4\" uniqueCount=\"4\">"
             "<si><t>İŞLEM KODU</t></si>"
             "<si><t>İŞLEM ADI</t></si>"
             "<si><r><t xml:space=\"preserve\">Beyin </t></r><r><rPr><b/></rPr><t>BT</t></r>"
             "<rPh sb=\"0\" eb=\"1\"><t>XX</t></rPh></si>"
             "<si><t>Lomber vertebra MR</t></si>"
             "</sst>";

/* Row 1 is the header (column B skipped), then shared, inline, numeric,
 * string-typed and reference-less cells; row 5 repeats 803910 as
 * "803910.0". */
static const char sheet_ek2b[] = XML_HEAD
    "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c r=\"A2\"><v>803910</v></c><c r=\"C2\" t=\"s\"><v>2</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>804.102</t></is></c>"
    "<c r=\"C3\" t=\"s\"><v>3</v></c></row>"
    "<row r=\"4\"><c r=\"A4\"><v>8.042E5</v></c>"
    "<c r=\"C4\" t=\"inlineStr\"><is><r><t>Tüm batın </t></r><r><t>USG</t></r></is></c></row>"
    "<row r=\"5\"><c r=\"A5\"><v>803910.0</v></c><c r=\"C5\" "
    "t=\"inlineStr\"><is><t>Dup</t></is></c></row>"
    "<row r=\"7\"><c r=\"A7\" t=\"str\"><v>12345</v></c><c r=\"C7\" t=\"str\"><v>Diz "
    "MRG</v></c></row>"
    "<row r=\"8\"><c t=\"inlineStr\"><is><t>54321</t></is></c><c/>"
    "<c t=\"inlineStr\"><is><t>Omuz MR</t></is></c></row>"
    "<row r=\"9\"><c r=\"A9\"><v>12.5</v></c><c r=\"C9\" t=\"inlineStr\"><is><t>Not a "
    "code</t></is></c></row>"
    "</sheetData></worksheet>";

typedef struct part {
    const char *name, *text;
} part;

/* Writes a zip archive with the given parts to tmpdir/name; returns the path. */
static const char *write_zip(const char *name, const part *parts, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, parts[i].text, strlen(parts[i].text), 0);
        cr_assert_not_null(src);
        cr_assert(zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    cr_assert_eq(zip_close(z), 0);
    return path;
}

static int parse_path(const char *path, store_sut_row **rows, size_t *n)
{
    return catalog_parse_file(path, SRC, rows, n, errbuf, sizeof errbuf);
}

Test(catalog_file, xlsx_first_sheet_through_rels)
{
    const part parts[] = {
        {"[Content_Types].xml", content_types},
        {"xl/workbook.xml", workbook},
        {"xl/_rels/workbook.xml.rels", workbook_rels},
        {"xl/sharedStrings.xml", shared_strings},
        {"xl/worksheets/ek2b.xml", sheet_ek2b},
        {"xl/worksheets/other.xml", "<worksheet><sheetData/></worksheet>"},
    };
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("ek2b.xlsx", parts, 6), &rows, &n), RA_OK, "%s", errbuf);
    cr_assert_eq(n, 5);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    assert_row(&rows[1], "804102", "Lomber vertebra MR", "MR", "lumbar_spine", SRC);
    assert_row(&rows[2], "804200", "Tüm batın USG", "US", "abdomen", SRC);
    assert_row(&rows[3], "12345", "Diz MRG", "MR", "knee", SRC);
    assert_row(&rows[4], "54321", "Omuz MR", "MR", "shoulder", SRC);
    free(rows);
}

Test(catalog_file, xlsx_without_rels_or_shared_strings_uses_sheet1)
{
    static const char book[] = "<workbook xmlns=\"" NS_MAIN "\"><sheets>"
                               "<sheet name=\"Sayfa1\" sheetId=\"1\"/></sheets></workbook>";
    static const char sheet[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                                "<row><c r=\"B1\"><v>803910</v></c>"
                                "<c r=\"D1\" t=\"inlineStr\"><is><t>Beyin BT</t></is></c></row>"
                                "</sheetData></worksheet>";
    const part parts[] = {{"xl/workbook.xml", book}, {"xl/worksheets/sheet1.xml", sheet}};
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("plain.xlsx", parts, 2), &rows, &n), RA_OK, "%s", errbuf);
    cr_assert_eq(n, 1);
    assert_row(&rows[0], "803910", "Beyin BT", "CT", "brain", SRC);
    free(rows);
}

Test(catalog_file, xlsx_no_code_column_names_the_sheet)
{
    static const char sheet[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                                "<row><c t=\"inlineStr\"><is><t>Beyin BT</t></is></c></row>"
                                "</sheetData></worksheet>";
    const part parts[] = {
        {"xl/workbook.xml", workbook},
        {"xl/_rels/workbook.xml.rels", workbook_rels},
        {"xl/worksheets/ek2b.xml", sheet},
    };
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("x.xlsx", parts, 3), &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "no SUT code column found in sheet \"EK-2B\" of x.xlsx");
}

Test(catalog_file, zip_that_is_not_xlsx)
{
    const part parts[] = {{"hello.txt", "803910;Beyin BT\n"}};
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("notes.zip", parts, 1), &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "notes.zip is a zip archive but not an Excel workbook "
                             "(it has no xl/workbook.xml)");
}

Test(catalog_file, xlsx_missing_sheet_part)
{
    const part parts[] = {{"xl/workbook.xml", workbook},
                          {"xl/_rels/workbook.xml.rels", workbook_rels}};
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("nosheet.xlsx", parts, 2), &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "nosheet.xlsx: the first sheet (xl/worksheets/ek2b.xml) is "
                             "missing from the workbook");
}

Test(catalog_file, xlsx_broken_xml)
{
    const part parts[] = {{"xl/workbook.xml", workbook},
                          {"xl/_rels/workbook.xml.rels", workbook_rels},
                          {"xl/worksheets/ek2b.xml", "<worksheet><sheetData><row>"}};
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("broken.xlsx", parts, 3), &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "broken.xlsx: xl/worksheets/ek2b.xml is not a valid worksheet "
                             "part (broken XML or cell)");
}

Test(catalog_file, xlsx_doctype_is_refused)
{
    /* valid data: only the document type declaration makes it fail */
    static const char sheet[] =
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet>"
        "<worksheet><sheetData><row><c><v>803910</v></c>"
        "<c t=\"inlineStr\"><is><t>Beyin BT</t></is></c></row></sheetData></worksheet>";
    const part parts[] = {{"xl/workbook.xml", workbook},
                          {"xl/_rels/workbook.xml.rels", workbook_rels},
                          {"xl/worksheets/ek2b.xml", sheet}};
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("dtd.xlsx", parts, 3), &rows, &n), RA_ERR_FORMAT);
    cr_assert_str_eq(errbuf, "dtd.xlsx: xl/worksheets/ek2b.xml is not a valid worksheet "
                             "part (broken XML or cell)");
}

Test(catalog_file, xlsx_shared_string_out_of_range)
{
    static const char sheet[] = "<worksheet><sheetData><row><c t=\"s\"><v>9</v></c></row>"
                                "</sheetData></worksheet>";
    const part parts[] = {{"xl/workbook.xml", workbook},
                          {"xl/_rels/workbook.xml.rels", workbook_rels},
                          {"xl/sharedStrings.xml", shared_strings},
                          {"xl/worksheets/ek2b.xml", sheet}};
    store_sut_row *rows = NULL;
    size_t n = 0;
    cr_assert_eq(parse_path(write_zip("sst.xlsx", parts, 4), &rows, &n), RA_ERR_FORMAT);
}

Test(catalog_file, zip_signature_but_garbage)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    const char *path = write_file("bad.xlsx", "PK\3\4 this is not really a zip archive", 38);
    cr_assert_eq(parse_path(path, &rows, &n), RA_ERR_FORMAT);
    cr_assert(
        strncmp(errbuf, "bad.xlsx starts like a zip archive (.xlsx) but cannot be opened", 63) == 0,
        "%s", errbuf);
}

/* Names as SGK's EK-2B list writes them (capitals, Turkish İ), for the exams
 * of the template library, so an imported list finds its templates. */
Test(catalog_infer, ek2b_names_of_the_template_library)
{
    static const char *const cases[][3] = {
        {"BEYİN BT", "CT", "brain"},
        {"KRANİAL MR", "MR", "brain"},
        {"TORAKS BT", "CT", "chest"},
        {"TÜM ABDOMEN BT", "CT", "abdomen"},
        {"ÜST BATIN BT (KONTRASTLI)", "CT", "abdomen"},
        {"LOMBER MR", "MR", "lumbar_spine"},
        {"SERVİKAL MR", "MR", "cervical_spine"},
        {"SERVİKAL VERTEBRA MRG", "MR", "cervical_spine"},
        {"DİZ MR", "MR", "knee"},
        {"OMUZ MR", "MR", "shoulder"},
        {"SKAPULA GRAFİSİ", "XR", "shoulder"},
        {"TÜM BATIN USG", "US", "abdomen"},
        {"TİROİD USG", "US", "thyroid"},
        {"MEME USG (BİLATERAL)", "US", "breast"},
        {"OBSTETRİK USG", "US", "obstetric"},
        {"OBSTETRİK DOPPLER USG", "US", "obstetric"},
        {"BİYOFİZİK PROFİL USG", "US", "obstetric"},
        {"İKİNCİ TRİMESTER AYRINTILI USG", "US", "obstetric"},
        {"FETAL EKOKARDİOGRAFİ", "US", "obstetric"},
        {"AKCİĞER GRAFİSİ (PA)", "XR", "chest"},
        {"EKSTREMİTE GRAFİSİ", "XR", "extremity"},
        {"EL GRAFİSİ", "XR", "extremity"},
        {"ÖN KOL GRAFİSİ", "XR", "extremity"},
        {"ÖNKOL GRAFİSİ", "XR", "extremity"},
        {"UYLUK GRAFİSİ", "XR", "extremity"},
        {"AYAK BİLEĞİ GRAFİSİ", "XR", "extremity"},
        {"MAMOGRAFİ (BİLATERAL)", "MG", "breast"},
        {"Hand X-ray, two views", "XR", "extremity"},
        {"Leg radiograph", "XR", "extremity"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_infer(cases[i][0], cases[i][1], cases[i][2]);
}

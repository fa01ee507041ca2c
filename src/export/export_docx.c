/* export_docx.c - a report as a Word document (see export.h): the smallest
 * WordprocessingML package Word and LibreOffice open without complaint.
 *
 * Parts: [Content_Types].xml, _rels/.rels, docProps/core.xml (title,
 * creator, language), word/document.xml, word/_rels/document.xml.rels,
 * word/styles.xml (Arial 11 pt, the report's language for spelling) and
 * word/footer1.xml (patient and "Sayfa N / M" with PAGE and NUMPAGES
 * fields). The page is A4 with 2 cm margins. Each line of a section's text
 * is a paragraph; a tab stays a tab. Text is XML-escaped (& < > " ').
 *
 * The archive is built in memory: a libzip buffer source is the archive,
 * each part is added from our own buffers, and the finished bytes are read
 * back from the source. */
#include <string.h>
#include <zip.h>

#include "core/err.h"
#include "export/export_internal.h"

#define DOCX_PARTS 7
#define DOCX_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define DOCX_REL_OFFICE "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define DOCX_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define DOCX_TEXT_TWIPS 9638 /* A4 width 11906 less two 1134 margins */

static const char docx_content_types[] =
    DOCX_XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                  "<Default Extension=\"rels\" "
                  "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                  "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                  "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
                  "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
                  "<Override PartName=\"/docProps/core.xml\" "
                  "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                  "</Types>\n";

static const char docx_package_rels[] =
    DOCX_XML_DECL "<Relationships xmlns=\"" DOCX_NS_REL "\">"
                  "<Relationship Id=\"rId1\" Type=\"" DOCX_REL_OFFICE "/officeDocument\" "
                  "Target=\"word/document.xml\"/>"
                  "<Relationship Id=\"rId2\" Type=\"" DOCX_NS_REL
                  "/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
                  "</Relationships>\n";

static const char docx_document_rels[] =
    DOCX_XML_DECL "<Relationships xmlns=\"" DOCX_NS_REL "\">"
                  "<Relationship Id=\"rId1\" Type=\"" DOCX_REL_OFFICE "/styles\" "
                  "Target=\"styles.xml\"/>"
                  "<Relationship Id=\"rId2\" Type=\"" DOCX_REL_OFFICE "/footer\" "
                  "Target=\"footer1.xml\"/>"
                  "</Relationships>\n";

/* ---- XML text ----------------------------------------------------------- */

/* Appends s with & < > " ' escaped. */
static int docx_escape(buf *b, const char *s, size_t n)
{
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK;) {
        size_t run = i;
        while (run < n && strchr("&<>\"'", s[run]) == NULL)
            run++;
        rc = buf_append(b, s + i, run - i);
        if (rc == RA_OK && run < n) {
            const char *e = s[run] == '&'   ? "&amp;"
                            : s[run] == '<' ? "&lt;"
                            : s[run] == '>' ? "&gt;"
                            : s[run] == '"' ? "&quot;"
                                            : "&apos;";
            rc = buf_puts(b, e);
            run++;
        }
        i = run;
    }
    return rc;
}

/* Appends one run holding the n bytes of s (no newline in them), bold when
 * bold, at size half_points (0: the default); tabs become <w:tab/>. */
static int docx_run(buf *b, const char *s, size_t n, int bold, int half_points)
{
    int rc = buf_puts(b, "<w:r>");
    if (rc == RA_OK && (bold || half_points > 0))
        rc = buf_printf(b, "<w:rPr>%s", bold ? "<w:b/><w:bCs/>" : "");
    if (rc == RA_OK && half_points > 0)
        rc = buf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", half_points, half_points);
    if (rc == RA_OK && (bold || half_points > 0))
        rc = buf_puts(b, "</w:rPr>");
    for (size_t i = 0; i <= n && rc == RA_OK;) {
        const char *tab = memchr(s + i, '\t', n - i);
        size_t k = tab != NULL ? (size_t)(tab - s) : n;
        if (k > i) {
            rc = buf_puts(b, "<w:t xml:space=\"preserve\">");
            if (rc == RA_OK)
                rc = docx_escape(b, s + i, k - i);
            if (rc == RA_OK)
                rc = buf_puts(b, "</w:t>");
        }
        if (rc == RA_OK && tab != NULL)
            rc = buf_puts(b, "<w:tab/>");
        i = k + 1;
    }
    if (rc == RA_OK)
        rc = buf_puts(b, "</w:r>");
    return rc;
}

/* One paragraph with paragraph properties ppr ("" for none) and a single
 * run of s. */
static int docx_para(buf *b, const char *ppr, const char *s, int bold, int half_points)
{
    int rc = buf_printf(b, "<w:p>%s%s%s", ppr[0] ? "<w:pPr>" : "", ppr, ppr[0] ? "</w:pPr>" : "");
    if (rc == RA_OK)
        rc = docx_run(b, s, strlen(s), bold, half_points);
    if (rc == RA_OK)
        rc = buf_puts(b, "</w:p>");
    return rc;
}

/* "Label: value" as one paragraph, the label bold. */
static int docx_field(buf *b, const char *ppr, const char *label, const char *value)
{
    int rc = buf_printf(b, "<w:p>%s%s%s", ppr[0] ? "<w:pPr>" : "", ppr, ppr[0] ? "</w:pPr>" : "");
    if (rc == RA_OK)
        rc = docx_run(b, label, strlen(label), 1, 0);
    if (rc == RA_OK)
        rc = docx_run(b, ": ", 2, 1, 0);
    if (rc == RA_OK)
        rc = docx_run(b, value, strlen(value), 0, 0);
    if (rc == RA_OK)
        rc = buf_puts(b, "</w:p>");
    return rc;
}

/* Each line of text as its own paragraph. */
static int docx_lines(buf *b, const char *text)
{
    int rc = RA_OK;
    for (const char *p = text; rc == RA_OK;) {
        size_t n = strcspn(p, "\n");
        if (n == 0)
            rc = buf_puts(b, "<w:p/>");
        else
            rc = buf_puts(b, "<w:p>");
        if (rc == RA_OK && n > 0)
            rc = docx_run(b, p, n, 0, 0);
        if (rc == RA_OK && n > 0)
            rc = buf_puts(b, "</w:p>");
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    return rc;
}

/* ---- parts -------------------------------------------------------------- */

static const char *docx_lang(const export_doc *d)
{
    return strcmp(d->lang, "tr") == 0 ? "tr-TR" : "en-US";
}

static int docx_header(const export_doc *d, buf *b)
{
    int rc = RA_OK;
    if (d->organization[0] != '\0')
        rc = docx_para(b, "", d->organization, 1, 24);
    if (rc == RA_OK && d->title[0] != '\0')
        rc = docx_para(b, "<w:spacing w:after=\"120\"/>", d->title, 1, 30);
    for (size_t i = 0; i < d->n_header && rc == RA_OK; i++) {
        const char *ppr = i + 1 == d->n_header ? "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" "
                                                 "w:space=\"4\" w:color=\"auto\"/></w:pBdr>"
                                               : "";
        rc = docx_field(b, ppr, d->header[i].label, d->header[i].value);
    }
    return rc;
}

static int docx_document(const export_doc *d, buf *b)
{
    int rc = buf_puts(b, DOCX_XML_DECL "<w:document xmlns:w=\"" DOCX_NS_W
                                       "\" xmlns:r=\"" DOCX_REL_OFFICE "\"><w:body>");
    if (rc == RA_OK)
        rc = docx_header(d, b);
    for (size_t i = 0; i < d->n_sections && rc == RA_OK; i++) {
        rc = docx_para(b, "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"60\"/>",
                       d->sections[i].label, 1, 0);
        if (rc == RA_OK)
            rc = docx_lines(b, d->sections[i].value);
    }
    const char *keep = "<w:keepNext/><w:keepLines/><w:spacing w:before=\"480\"/>";
    if (rc == RA_OK)
        rc = docx_field(b, keep, d->signer.label, export_sign_value(&d->signer));
    if (rc == RA_OK)
        rc = docx_field(b, keep, d->signature.label, export_sign_value(&d->signature));
    if (rc == RA_OK)
        rc = docx_field(b, "<w:keepLines/><w:spacing w:before=\"120\"/>", d->signed_on.label,
                        export_sign_value(&d->signed_on));
    if (rc == RA_OK)
        rc = buf_puts(b, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/>"
                         "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                         "<w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" "
                         "w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
                         "</w:sectPr></w:body></w:document>\n");
    return rc;
}

static int docx_styles(const export_doc *d, buf *b)
{
    return buf_printf(b,
                      DOCX_XML_DECL
                      "<w:styles xmlns:w=\"" DOCX_NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
                      "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" "
                      "w:cs=\"Arial\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>"
                      "<w:lang w:val=\"%s\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
                      "<w:spacing w:after=\"0\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr>"
                      "</w:pPrDefault></w:docDefaults>"
                      "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
                      "<w:name w:val=\"Normal\"/><w:qFormat/></w:style></w:styles>\n",
                      docx_lang(d));
}

static int docx_footer(const export_doc *d, buf *b)
{
    int rc = buf_printf(b,
                        DOCX_XML_DECL "<w:ftr xmlns:w=\"" DOCX_NS_W "\"><w:p><w:pPr><w:tabs>"
                                      "<w:tab w:val=\"right\" w:pos=\"%d\"/></w:tabs></w:pPr>",
                        DOCX_TEXT_TWIPS);
    if (rc == RA_OK)
        rc = docx_run(b, d->patient, strlen(d->patient), 0, 16);
    if (rc == RA_OK)
        rc = buf_printf(b,
                        "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:tab/><w:t>%s </w:t></w:r>"
                        "<w:fldSimple w:instr=\" PAGE \"><w:r><w:rPr><w:sz w:val=\"16\"/>"
                        "</w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
                        "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr>"
                        "<w:t xml:space=\"preserve\"> %s </w:t></w:r>"
                        "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:rPr><w:sz w:val=\"16\"/>"
                        "</w:rPr><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>\n",
                        d->page_word, d->page_of);
    return rc;
}

static int docx_core(const export_doc *d, buf *b)
{
    int rc =
        buf_puts(b, DOCX_XML_DECL
                 "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
                 "2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                 "<dc:title>");
    if (rc == RA_OK)
        rc = docx_escape(b, d->title, strlen(d->title));
    if (rc == RA_OK)
        rc = buf_puts(b, "</dc:title><dc:creator>");
    if (rc == RA_OK)
        rc = docx_escape(b, d->signer.value, strlen(d->signer.value));
    if (rc == RA_OK)
        rc = buf_printf(b, "</dc:creator><dc:language>%s</dc:language></cp:coreProperties>\n",
                        docx_lang(d));
    return rc;
}

/* ---- the package -------------------------------------------------------- */

typedef struct docx_part {
    const char *name;
    buf data;
} docx_part;

/* Writes every part's XML into parts[]. */
static int docx_write_parts(const export_doc *d, docx_part *parts, size_t max)
{
    static const char *const names[DOCX_PARTS] = {
        "[Content_Types].xml",          "_rels/.rels",     "docProps/core.xml", "word/document.xml",
        "word/_rels/document.xml.rels", "word/styles.xml", "word/footer1.xml"};
    for (int i = 0; i < DOCX_PARTS; i++) {
        parts[i].name = names[i];
        buf_init(&parts[i].data, max);
    }
    int rc = buf_puts(&parts[0].data, docx_content_types);
    if (rc == RA_OK)
        rc = buf_puts(&parts[1].data, docx_package_rels);
    if (rc == RA_OK)
        rc = docx_core(d, &parts[2].data);
    if (rc == RA_OK)
        rc = docx_document(d, &parts[3].data);
    if (rc == RA_OK)
        rc = buf_puts(&parts[4].data, docx_document_rels);
    if (rc == RA_OK)
        rc = docx_styles(d, &parts[5].data);
    if (rc == RA_OK)
        rc = docx_footer(d, &parts[6].data);
    return rc;
}

/* Adds every part to the archive za; the parts must outlive zip_close. */
static int docx_add_parts(zip_t *za, const docx_part *parts)
{
    for (int i = 0; i < DOCX_PARTS; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i].data.data, parts[i].data.len, 0);
        if (s == NULL)
            return RA_ERR_IO;
        if (zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(s);
            return RA_ERR_IO;
        }
    }
    return RA_OK;
}

/* Appends the bytes of the finished archive held by src to out. */
static int docx_read_back(zip_source_t *src, buf *out)
{
    zip_stat_t st;
    if (zip_source_open(src) < 0)
        return RA_ERR_IO;
    int rc = zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ? RA_ERR_IO : RA_OK;
    if (rc == RA_OK && st.size > out->max - out->len)
        rc = RA_ERR_TOO_LARGE;
    char chunk[16384];
    for (zip_uint64_t done = 0; rc == RA_OK && done < st.size;) {
        zip_int64_t got = zip_source_read(src, chunk, sizeof chunk);
        if (got <= 0)
            rc = RA_ERR_IO;
        else
            rc = buf_append(out, chunk, (size_t)got);
        done += got > 0 ? (zip_uint64_t)got : 0;
    }
    zip_source_close(src);
    return rc;
}

/* Zips parts into out, in memory. */
static int docx_zip(const docx_part *parts, buf *out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = src != NULL ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    zip_error_fini(&ze);
    if (za == NULL) {
        if (src != NULL)
            zip_source_free(src);
        return RA_ERR_IO;
    }
    zip_source_keep(src);
    int rc = docx_add_parts(za, parts);
    if (rc == RA_OK && zip_close(za) < 0)
        rc = RA_ERR_IO;
    if (rc != RA_OK)
        zip_discard(za);
    if (rc == RA_OK)
        rc = docx_read_back(src, out);
    zip_source_free(src);
    return rc;
}

int export_docx(const export_doc *d, buf *out, char *err, size_t errlen)
{
    docx_part parts[DOCX_PARTS];
    int rc = docx_write_parts(d, parts, out->max);
    if (rc == RA_OK)
        rc = docx_zip(parts, out);
    for (int i = 0; i < DOCX_PARTS; i++)
        buf_release(&parts[i].data);
    if (rc == RA_ERR_IO)
        return ra_fail(err, errlen, rc, "libzip could not build the docx archive");
    if (rc == RA_ERR_TOO_LARGE)
        return ra_fail(err, errlen, rc, "the docx file would be larger than allowed");
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "out of memory while writing the docx file");
    return RA_OK;
}

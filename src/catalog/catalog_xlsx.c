/* catalog_xlsx.c - reads the first worksheet of an XLSX workbook (Office
 * Open XML) into a catalog_table (see catalog_table.h).
 *
 * The archive is opened from memory with libzip. xl/workbook.xml names the
 * first sheet and its relationship id; xl/_rels/workbook.xml.rels maps that
 * id to the sheet's part (xl/worksheets/sheet1.xml when either is missing).
 * xl/sharedStrings.xml (optional) holds the text of t="s" cells; rich-text
 * runs are concatenated and phonetic runs (<rPh>) skipped.
 *
 * Every part is streamed from the archive through libxml2's text reader, so
 * memory stays proportional to the cells kept, not to the XML. Each part may
 * decompress to at most XLSX_MAX_PART bytes (counted as read, whatever the
 * archive claims), which refuses zip bombs. The parser never touches the
 * network (XML_PARSE_NONET), loads no DTD and substitutes no entities; a
 * document type declaration is refused outright, OOXML has none. */
#include "catalog/catalog_table.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "catalog/catalog.h"
#include "core/buf.h"
#include "core/err.h"

#define XLSX_MAX_PART (200u * 1024 * 1024)
#define XLSX_MAX_STRINGS 2000000
#define XLSX_STOP 1 /* a visitor has what it needs; not an error */
#define XLSX_NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XLSX_NS_REL_ISO "http://purl.oclc.org/ooxml/officeDocument/relationships"

typedef int (*xlsx_visit)(xmlTextReaderPtr r, int type, const char *name, void *ctx);

typedef struct xlsx_in {
    zip_file_t *f;
    size_t total; /* bytes decompressed so far */
    int rc;       /* why reading stopped, when it did */
} xlsx_in;

static int xlsx_read_cb(void *ctx, char *out, int len)
{
    xlsx_in *in = ctx;
    zip_int64_t got = zip_fread(in->f, out, (zip_uint64_t)len);
    if (got < 0) {
        in->rc = RA_ERR_FORMAT;
        return -1;
    }
    in->total += (size_t)got;
    if (in->total > XLSX_MAX_PART) {
        in->rc = RA_ERR_TOO_LARGE;
        return -1;
    }
    return (int)got;
}

static void xlsx_quiet(void *arg, const char *msg, xmlParserSeverities severity,
                       xmlTextReaderLocatorPtr locator)
{
    (void)arg, (void)msg, (void)severity, (void)locator;
}

static int xlsx_is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Streams the archive member part through fn, node by node. RA_ERR_NOT_FOUND
 * when there is no such member, RA_ERR_FORMAT for broken XML, RA_ERR_TOO_LARGE
 * past XLSX_MAX_PART, or whatever fn returned. */
static int xlsx_walk(zip_t *z, const char *part, xlsx_visit fn, void *ctx)
{
    zip_stat_t st;
    if (zip_stat(z, part, 0, &st) != 0)
        return RA_ERR_NOT_FOUND;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_PART)
        return RA_ERR_TOO_LARGE;
    xlsx_in in = {zip_fopen(z, part, 0), 0, RA_OK};
    if (in.f == NULL)
        return RA_ERR_FORMAT;
    int rc = RA_OK, got = 0;
    xmlTextReaderPtr r = xmlReaderForIO(xlsx_read_cb, NULL, &in, part, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r == NULL) {
        rc = in.rc != RA_OK ? in.rc : RA_ERR_FORMAT;
        goto done;
    }
    xmlTextReaderSetErrorHandler(r, xlsx_quiet, NULL);
    while (rc == RA_OK && (got = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            rc = RA_ERR_FORMAT;
        else
            rc = fn(r, type, (const char *)xmlTextReaderConstLocalName(r), ctx);
    }
    if (rc == XLSX_STOP)
        rc = RA_OK;
    else if (rc == RA_OK && got != 0)
        rc = in.rc != RA_OK ? in.rc : RA_ERR_FORMAT;
done:
    xmlFreeTextReader(r);
    zip_fclose(in.f);
    return rc;
}

/* ---- workbook: which part is the first sheet ---------------------------- */

typedef struct xlsx_book {
    xmlChar *name; /* the first sheet's name */
    xmlChar *rid;  /* its relationship id */
} xlsx_book;

static int book_visit(xmlTextReaderPtr r, int type, const char *name, void *ctx)
{
    xlsx_book *b = ctx;
    if (type != XML_READER_TYPE_ELEMENT || strcmp(name, "sheet") != 0)
        return RA_OK;
    b->name = xmlTextReaderGetAttribute(r, BAD_CAST "name");
    b->rid = xmlTextReaderGetAttributeNs(r, BAD_CAST "id", BAD_CAST XLSX_NS_REL);
    if (b->rid == NULL)
        b->rid = xmlTextReaderGetAttributeNs(r, BAD_CAST "id", BAD_CAST XLSX_NS_REL_ISO);
    return XLSX_STOP;
}

typedef struct xlsx_rel {
    const char *rid;
    xmlChar *target;
} xlsx_rel;

static int rel_visit(xmlTextReaderPtr r, int type, const char *name, void *ctx)
{
    xlsx_rel *rel = ctx;
    if (type != XML_READER_TYPE_ELEMENT || strcmp(name, "Relationship") != 0)
        return RA_OK;
    xmlChar *id = xmlTextReaderGetAttribute(r, BAD_CAST "Id");
    int match = id != NULL && strcmp((const char *)id, rel->rid) == 0;
    xmlFree(id);
    if (!match)
        return RA_OK;
    rel->target = xmlTextReaderGetAttribute(r, BAD_CAST "Target");
    return XLSX_STOP;
}

/* Writes the archive path of the sheet with relationship id rid into part. */
static int xlsx_sheet_part(zip_t *z, const char *rid, char *part, size_t partlen)
{
    snprintf(part, partlen, "xl/worksheets/sheet1.xml");
    if (rid == NULL)
        return RA_OK;
    xlsx_rel rel = {rid, NULL};
    int rc = xlsx_walk(z, "xl/_rels/workbook.xml.rels", rel_visit, &rel);
    if (rc == RA_ERR_NOT_FOUND)
        rc = RA_OK;
    if (rc == RA_OK && rel.target != NULL) {
        const char *t = (const char *)rel.target;
        int k = t[0] == '/' ? snprintf(part, partlen, "%s", t + 1)
                            : snprintf(part, partlen, "xl/%s", t);
        if (k < 0 || (size_t)k >= partlen)
            rc = RA_ERR_FORMAT;
    }
    xmlFree(rel.target);
    return rc;
}

/* ---- shared strings ----------------------------------------------------- */

typedef struct xlsx_sst {
    char **s;
    size_t n, cap;
    buf cur;    /* the <si> being read */
    int in_t;   /* inside a <t> that counts */
    int in_rph; /* inside a phonetic run, whose text is skipped */
} xlsx_sst;

static int sst_push(xlsx_sst *sst)
{
    if (sst->n >= XLSX_MAX_STRINGS)
        return RA_ERR_TOO_LARGE;
    char **p = ra_array_reserve(sst->s, sst->n, &sst->cap, sizeof *p, 256);
    if (p == NULL)
        return RA_ERR_NOMEM;
    sst->s = p;
    char *copy = buf_detach(&sst->cur);
    if (copy == NULL)
        return RA_ERR_NOMEM;
    sst->s[sst->n++] = copy;
    return RA_OK;
}

static int sst_visit(xmlTextReaderPtr r, int type, const char *name, void *ctx)
{
    xlsx_sst *sst = ctx;
    if (type == XML_READER_TYPE_ELEMENT) {
        int empty = xmlTextReaderIsEmptyElement(r) == 1;
        if (strcmp(name, "si") == 0) {
            buf_release(&sst->cur);
            return empty ? sst_push(sst) : RA_OK;
        }
        if (strcmp(name, "rPh") == 0)
            sst->in_rph = !empty;
        else if (strcmp(name, "t") == 0)
            sst->in_t = !empty && !sst->in_rph;
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (strcmp(name, "si") == 0)
            return sst_push(sst);
        if (strcmp(name, "rPh") == 0)
            sst->in_rph = 0;
        else if (strcmp(name, "t") == 0)
            sst->in_t = 0;
    } else if (sst->in_t && xlsx_is_text(type)) {
        return buf_puts(&sst->cur, (const char *)xmlTextReaderConstValue(r));
    }
    return RA_OK;
}

static void sst_release(xlsx_sst *sst)
{
    for (size_t i = 0; i < sst->n; i++)
        free(sst->s[i]);
    free(sst->s);
    buf_release(&sst->cur);
}

/* ---- the worksheet ------------------------------------------------------ */

typedef struct xlsx_sheet {
    catalog_table *t;
    const xlsx_sst *sst;
    long col;      /* column of the current cell; -1 before the first */
    char type[16]; /* its t attribute, "" when absent */
    buf v, is;     /* its <v> text and inline-string text */
    int in_v, in_t, in_rph;
} xlsx_sheet;

/* 0-based column of a cell reference such as "B3"; -1 when malformed. */
static long xlsx_col(const char *ref)
{
    long col = 0;
    int letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && letters < 3; ref++, letters++)
        col = col * 26 + (*ref - 'A' + 1);
    if (letters == 0 || *ref < '0' || *ref > '9')
        return -1;
    return col - 1;
}

/* Numeric cells: an integer-valued number ("803910", "803910.0", "8.0391E5")
 * becomes its digits, so codes typed as numbers read as codes; anything else
 * is kept as written. */
static const char *xlsx_number(const char *v, char *out, size_t outlen)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || !(d >= 0 && d < 1e15) || d != (double)(long long)d)
        return v;
    snprintf(out, outlen, "%lld", (long long)d);
    return out;
}

static int sheet_cell_start(xlsx_sheet *s, xmlTextReaderPtr r)
{
    xmlChar *ref = xmlTextReaderGetAttribute(r, BAD_CAST "r");
    xmlChar *type = xmlTextReaderGetAttribute(r, BAD_CAST "t");
    long col = ref != NULL ? xlsx_col((const char *)ref) : -1;
    s->col = col >= 0 ? col : s->col + 1;
    snprintf(s->type, sizeof s->type, "%s", type != NULL ? (const char *)type : "");
    xmlFree(ref);
    xmlFree(type);
    buf_release(&s->v);
    buf_release(&s->is);
    s->in_v = s->in_t = s->in_rph = 0;
    return RA_OK;
}

static int sheet_cell_end(xlsx_sheet *s)
{
    const char *text = buf_str(&s->v);
    char num[32];
    if (strcmp(s->type, "s") == 0 && s->v.len > 0) {
        char *end;
        long idx = strtol(text, &end, 10);
        if (*end != '\0' || idx < 0 || (size_t)idx >= s->sst->n)
            return RA_ERR_FORMAT;
        text = s->sst->s[idx];
    } else if (strcmp(s->type, "inlineStr") == 0) {
        text = buf_str(&s->is);
    } else if (s->type[0] == '\0' || strcmp(s->type, "n") == 0) {
        text = xlsx_number(text, num, sizeof num);
    }
    int rc = catalog_table_add_cell(s->t, (size_t)s->col, text, strlen(text));
    buf_release(&s->v);
    buf_release(&s->is);
    return rc;
}

static int sheet_visit(xmlTextReaderPtr r, int type, const char *name, void *ctx)
{
    xlsx_sheet *s = ctx;
    if (type == XML_READER_TYPE_ELEMENT) {
        int empty = xmlTextReaderIsEmptyElement(r) == 1;
        if (strcmp(name, "row") == 0) {
            s->col = -1;
            return catalog_table_add_row(s->t);
        }
        if (strcmp(name, "c") == 0) {
            int rc = sheet_cell_start(s, r);
            return rc == RA_OK && empty ? sheet_cell_end(s) : rc;
        }
        if (strcmp(name, "rPh") == 0)
            s->in_rph = !empty;
        else if (strcmp(name, "v") == 0)
            s->in_v = !empty;
        else if (strcmp(name, "t") == 0)
            s->in_t = !empty && !s->in_rph;
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (strcmp(name, "c") == 0)
            return sheet_cell_end(s);
        if (strcmp(name, "rPh") == 0)
            s->in_rph = 0;
        else if (strcmp(name, "v") == 0)
            s->in_v = 0;
        else if (strcmp(name, "t") == 0)
            s->in_t = 0;
    } else if (xlsx_is_text(type) && (s->in_v || s->in_t)) {
        const char *value = (const char *)xmlTextReaderConstValue(r);
        return buf_puts(s->in_v ? &s->v : &s->is, value);
    }
    return RA_OK;
}

/* ---- putting it together ------------------------------------------------ */

static void xlsx_explain(int rc, const char *file, const char *part, char *err, size_t errlen)
{
    if (rc == RA_ERR_TOO_LARGE)
        ra_fail(err, errlen, rc,
                "%s: %s is larger than %u MB uncompressed or has more than "
                "%d rows; refusing it",
                file, part, XLSX_MAX_PART >> 20, CATALOG_MAX_ROWS);
    else if (rc == RA_ERR_NOMEM)
        ra_fail(err, errlen, rc, "out of memory reading %s", file);
    else if (rc == RA_ERR_NOT_FOUND)
        ra_fail(err, errlen, rc, "%s: the first sheet (%s) is missing from the workbook", file,
                part);
    else
        ra_fail(err, errlen, rc, "%s: %s is not a valid worksheet part (broken XML or cell)", file,
                part);
}

/* Reads workbook, shared strings and first sheet of the open archive z. */
static int xlsx_read_book(zip_t *z, const char *file, catalog_table *t, char *sheet,
                          size_t sheetlen, char *err, size_t errlen)
{
    xlsx_book book = {NULL, NULL};
    xlsx_sst sst = {NULL, 0, 0, {0}, 0, 0};
    xlsx_sheet sh = {t, &sst, -1, "", {0}, {0}, 0, 0, 0};
    char sheet_part[512];
    const char *part = "xl/workbook.xml"; /* the part being read, for messages */
    buf_init(&sst.cur, CATALOG_MAX_CELL_BYTES);
    buf_init(&sh.v, CATALOG_MAX_CELL_BYTES);
    buf_init(&sh.is, CATALOG_MAX_CELL_BYTES);
    int rc = xlsx_walk(z, part, book_visit, &book);
    if (rc == RA_ERR_NOT_FOUND) {
        rc = ra_fail(err, errlen, RA_ERR_FORMAT,
                     "%s is a zip archive but not an Excel workbook "
                     "(it has no xl/workbook.xml)",
                     file);
        goto done;
    }
    if (rc == RA_OK) {
        part = "xl/_rels/workbook.xml.rels";
        rc = xlsx_sheet_part(z, (const char *)book.rid, sheet_part, sizeof sheet_part);
    }
    if (rc == RA_OK) {
        part = "xl/sharedStrings.xml";
        rc = xlsx_walk(z, part, sst_visit, &sst);
        rc = rc == RA_ERR_NOT_FOUND ? RA_OK : rc;
    }
    if (rc == RA_OK) {
        part = sheet_part;
        rc = xlsx_walk(z, part, sheet_visit, &sh);
    }
    if (rc != RA_OK)
        xlsx_explain(rc, file, part, err, errlen);
    if (rc == RA_ERR_NOT_FOUND)
        rc = RA_ERR_FORMAT;
    else if (rc == RA_OK)
        snprintf(sheet, sheetlen, "%s", book.name ? (const char *)book.name : "sheet1");
done:
    xmlFree(book.name);
    xmlFree(book.rid);
    sst_release(&sst);
    buf_release(&sh.v);
    buf_release(&sh.is);
    return rc;
}

int catalog_xlsx_read(const void *data, size_t len, const char *file, catalog_table *t, char *sheet,
                      size_t sheetlen, char *err, size_t errlen)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src != NULL ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (z == NULL) {
        ra_fail(err, errlen, RA_ERR_FORMAT,
                "%s starts like a zip archive (.xlsx) but cannot be opened "
                "as one: %s",
                file, zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return RA_ERR_FORMAT;
    }
    int rc = xlsx_read_book(z, file, t, sheet, sheetlen, err, errlen);
    zip_discard(z);
    zip_error_fini(&ze);
    return rc;
}

void catalog_init(void)
{
    xmlInitParser();
}

/* export.c - report export (see export.h): format names and media types,
 * the cleaned document every format draws (export_internal.h), and the two
 * text formats, TXT and RTF. DOCX is written by export_docx.c, PDF by
 * export_pdf.c. */
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/sections.h"
#include "core/text.h"
#include "export/export_internal.h"
#include "structuring/structure.h"
#include "templates/fill.h"

/* ---- formats ------------------------------------------------------------ */

static const struct {
    const char *name;
    const char *content_type;
} export_formats[] = {
    [EXPORT_TXT] = {"txt", "text/plain; charset=utf-8"},
    [EXPORT_RTF] = {"rtf", "application/rtf"},
    [EXPORT_DOCX] = {"docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    [EXPORT_PDF] = {"pdf", "application/pdf"},
};

#define EXPORT_FORMAT_COUNT (sizeof export_formats / sizeof export_formats[0])

static int export_format_known(export_format f)
{
    return (unsigned)f < EXPORT_FORMAT_COUNT;
}

int export_format_parse(const char *name, export_format *out)
{
    for (size_t i = 0; name != NULL && out != NULL && i < EXPORT_FORMAT_COUNT; i++) {
        if (strcasecmp(name, export_formats[i].name) == 0) {
            *out = (export_format)i;
            return RA_OK;
        }
    }
    return RA_ERR_INVALID;
}

const char *export_content_type(export_format f)
{
    return export_format_known(f) ? export_formats[f].content_type : "application/octet-stream";
}

const char *export_extension(export_format f)
{
    return export_format_known(f) ? export_formats[f].name : "bin";
}

/* ---- labels ------------------------------------------------------------- */

typedef struct export_labels {
    const char *lang;
    const char *header[EXPORT_HEADER_FIELDS]; /* SUT, modality, patient, id, accession, date */
    const char *signer, *signature, *page_word, *page_of;
} export_labels;

static const export_labels export_label_sets[] = {
    {"tr",
     {"SUT kodu", "Modalite", "Hasta adı", "Hasta no", "Erişim no", "Tarih"},
     "Raportör",
     "İmza",
     "Sayfa",
     "/"},
    {"en",
     {"SUT code", "Modality", "Patient name", "Patient ID", "Accession no", "Date"},
     "Reporting radiologist",
     "Signature",
     "Page",
     "of"},
};

static const export_labels *export_labels_for(const char *language)
{
    const char *code = report_lang_normalize(language);
    int turkish = code != NULL && strcmp(code, "tr") == 0;
    return &export_label_sets[turkish ? 0 : 1];
}

const char *export_sign_value(const export_field *f)
{
    return f->value[0] != '\0' ? f->value : EXPORT_BLANK;
}

/* ---- cleaning ----------------------------------------------------------- */

static int export_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* The cleaned copy of s (see export.h, "Text") into *out (caller frees).
 * RA_ERR_INVALID when s is not UTF-8, RA_ERR_NOMEM. */
static int export_clean(const char *s, int one_line, char **out)
{
    size_t n = strlen(s);
    if (!text_is_utf8(s, n))
        return RA_ERR_INVALID;
    buf b;
    buf_init(&b, n);
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK;) {
        size_t k;
        unsigned c = text_decode(s + i, &k);
        if (c == '\r') {
            c = '\n';
            k = s[i + 1] == '\n' ? 2 : 1;
        }
        if (one_line && (c == '\n' || c == '\t'))
            c = ' ';
        if (c == '\n' || c == '\t' || c == ' ')
            rc = buf_putc(&b, (char)c);
        else if (c >= 0x20 && (c < 0x7F || c > 0x9F) && c != 0xFFFE && c != 0xFFFF)
            rc = buf_append(&b, s + i, k);
        i += k;
    }
    const char *t = buf_str(&b);
    size_t start = 0, end = b.len;
    while (start < end && export_is_space(t[start]))
        start++;
    while (end > start && export_is_space(t[end - 1]))
        end--;
    char *copy = rc == RA_OK ? strndup(t + start, end - start) : NULL;
    if (rc == RA_OK && copy == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        *out = copy;
    buf_release(&b);
    return rc;
}

static int export_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
    }
    return 1;
}

/* Writes the shown form of the ISO 8601 date s (see export.h) into out and
 * returns 1; returns 0 when s is not such a date. */
static int export_date_shown(const char *s, int turkish, char *out, size_t outlen)
{
    if (!export_digits(s, 4) || s[4] != '-' || !export_digits(s + 5, 2) || s[7] != '-' ||
        !export_digits(s + 8, 2))
        return 0;
    const char *p = s + 10, *zone = "";
    char clock[8] = "";
    if (*p == 'T' || *p == ' ') {
        if (!export_digits(p + 1, 2) || p[3] != ':' || !export_digits(p + 4, 2))
            return 0;
        snprintf(clock, sizeof clock, " %.5s", p + 1);
        p += 6;
        if (*p == ':' && export_digits(p + 1, 2))
            p += 3;
        if (*p == '.' && export_digits(p + 1, 1)) {
            for (p++; export_digits(p, 1);)
                p++;
        }
        if (*p == 'Z' || strcmp(p, "+00:00") == 0) {
            zone = " UTC";
            p += *p == 'Z' ? 1 : 6;
        }
    }
    if (*p != '\0')
        return 0;
    if (turkish)
        snprintf(out, outlen, "%.2s.%.2s.%.4s%s%s", s + 8, s + 5, s, clock, zone);
    else
        snprintf(out, outlen, "%.10s%s%s", s, clock, zone);
    return 1;
}

/* ---- the document ------------------------------------------------------- */

/* Takes ownership of s (NULL is refused as out of memory) and returns it in
 * *kept. */
static int export_doc_keep(export_doc *d, char *s, const char **kept)
{
    if (s == NULL)
        return RA_ERR_NOMEM;
    if (d->n_owned == sizeof d->owned / sizeof d->owned[0]) {
        free(s);
        return RA_ERR_NOMEM;
    }
    d->owned[d->n_owned++] = s;
    *kept = s;
    return RA_OK;
}

static void export_doc_release(export_doc *d)
{
    for (size_t i = 0; i < d->n_owned; i++)
        free(d->owned[i]);
    d->n_owned = 0;
}

/* Cleans field s (named name for the error sentence) into *kept. */
static int export_doc_field(export_doc *d, const char *s, int one_line, const char *name,
                            const char **kept, char *err, size_t errlen)
{
    char *clean = NULL;
    int rc = export_clean(s != NULL ? s : "", one_line, &clean);
    if (rc == RA_OK)
        rc = export_doc_keep(d, clean, kept);
    if (rc == RA_ERR_INVALID)
        return ra_fail(err, errlen, rc, "the report's %s is not valid UTF-8", name);
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "out of memory while reading the report's %s", name);
    return RA_OK;
}

/* The date as shown (see export.h) into *kept. */
static int export_doc_date(export_doc *d, const char *clean, const char **kept)
{
    char shown[64];
    int turkish = strcmp(d->lang, "tr") == 0;
    if (!export_date_shown(clean, turkish, shown, sizeof shown)) {
        *kept = clean;
        return RA_OK;
    }
    return export_doc_keep(d, strdup(shown), kept);
}

/* "name · id", either alone, or "" into d->patient. */
static int export_doc_patient(export_doc *d, const char *name, const char *id)
{
    const char *sep = name[0] != '\0' && id[0] != '\0' ? " · " : "";
    size_t n = strlen(name) + strlen(sep) + strlen(id) + 1;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%s%s", name, sep, id);
    return export_doc_keep(d, s, &d->patient);
}

/* Fills d from r: every field cleaned, labels in r's language. On error d
 * may hold some owned texts: release it either way. */
static int export_doc_build(const export_report *r, export_doc *d, char *err, size_t errlen)
{
    static const char *const names[EXPORT_HEADER_FIELDS] = {
        "SUT code", "modality", "patient name", "patient id", "accession number", "date"};
    const export_labels *l = export_labels_for(r->language);
    const char *in[EXPORT_HEADER_FIELDS] = {r->sut_code,   r->modality,  r->patient_name,
                                            r->patient_id, r->accession, r->date};
    const char *val[EXPORT_HEADER_FIELDS], *author = "";
    *d = (export_doc){.lang = l->lang, .page_word = l->page_word, .page_of = l->page_of};
    int rc = export_doc_field(d, r->organization, 1, "organization", &d->organization, err, errlen);
    if (rc == RA_OK)
        rc = export_doc_field(d, r->exam_name, 1, "exam name", &d->title, err, errlen);
    if (rc == RA_OK)
        rc = export_doc_field(d, r->author, 1, "author", &author, err, errlen);
    for (int i = 0; i < EXPORT_HEADER_FIELDS && rc == RA_OK; i++)
        rc = export_doc_field(d, in[i], 1, names[i], &val[i], err, errlen);
    if (rc == RA_OK)
        rc = export_doc_date(d, val[EXPORT_HEADER_FIELDS - 1], &val[EXPORT_HEADER_FIELDS - 1]);
    if (rc == RA_OK)
        rc = export_doc_patient(d, val[2], val[3]);
    for (int i = 0; i < EXPORT_HEADER_FIELDS && rc == RA_OK; i++) {
        if (val[i][0] != '\0')
            d->header[d->n_header++] = (export_field){l->header[i], val[i]};
    }
    for (int k = 0; k < REPORT_SEC_COUNT && rc == RA_OK; k++) {
        report_section sec = report_reading_order[k];
        const char *text = NULL;
        rc = export_doc_field(d, r->sections[sec], 0, report_section_name(sec), &text, err, errlen);
        if (rc == RA_OK && text[0] != '\0')
            d->sections[d->n_sections++] = (export_field){report_section_title(sec, l->lang), text};
    }
    if (rc == RA_OK) {
        d->signer = (export_field){l->signer, author};
        d->signature = (export_field){l->signature, ""};
        d->signed_on =
            (export_field){l->header[EXPORT_HEADER_FIELDS - 1], val[EXPORT_HEADER_FIELDS - 1]};
    }
    if (rc == RA_ERR_NOMEM)
        return ra_fail(err, errlen, rc, "out of memory while preparing the export");
    return rc;
}

/* ---- TXT ---------------------------------------------------------------- */

static int export_txt(const export_doc *d, buf *b)
{
    int rc = RA_OK;
    if (d->organization[0] != '\0')
        rc = buf_printf(b, "%s\n", d->organization);
    if (rc == RA_OK && d->title[0] != '\0')
        rc = buf_printf(b, "%s\n", d->title);
    for (size_t i = 0; i < d->n_header && rc == RA_OK; i++)
        rc = buf_printf(b, "%s: %s\n", d->header[i].label, d->header[i].value);
    for (size_t i = 0; i < d->n_sections && rc == RA_OK; i++)
        rc = buf_printf(b, "%s%s:\n%s\n", b->len > 0 ? "\n" : "", d->sections[i].label,
                        d->sections[i].value);
    const export_field *sign[] = {&d->signer, &d->signature, &d->signed_on};
    for (size_t i = 0; i < 3 && rc == RA_OK; i++)
        rc = buf_printf(b, "%s%s: %s\n", i == 0 && b->len > 0 ? "\n" : "", sign[i]->label,
                        export_sign_value(sign[i]));
    return rc;
}

/* ---- RTF ---------------------------------------------------------------- */

#define RTF_PROLOGUE                                                                               \
    "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n"                                                     \
    "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}\n"

#define RTF_PAGE                                                                                   \
    "\\paperw11906\\paperh16838\\margl1134\\margr1134\\margt1134\\margb1134\n"                     \
    "\\pard\\plain\\f0\\fs22\n"

/* Appends pre, s encoded for RTF, then post. */
static int export_rtf_put(buf *b, const char *pre, const char *s, const char *post)
{
    int rc = buf_puts(b, pre);
    if (rc == RA_OK)
        rc = report_rtf_encode(b, s, strlen(s));
    if (rc == RA_OK)
        rc = buf_puts(b, post);
    return rc;
}

/* "{\b Label:} value\par" */
static int export_rtf_field(buf *b, const char *label, const char *value)
{
    int rc = export_rtf_put(b, "{\\b ", label, ":} ");
    if (rc == RA_OK)
        rc = export_rtf_put(b, "", value, "\\par\n");
    return rc;
}

static int export_rtf_info(const export_doc *d, buf *b)
{
    int rc = buf_puts(b, "{\\info");
    if (rc == RA_OK && d->title[0] != '\0')
        rc = export_rtf_put(b, "{\\title ", d->title, "}");
    if (rc == RA_OK && d->signer.value[0] != '\0')
        rc = export_rtf_put(b, "{\\author ", d->signer.value, "}");
    if (rc == RA_OK)
        rc = buf_puts(b, "}\n");
    return rc;
}

static int export_rtf(const export_doc *d, buf *b)
{
    int rc = buf_puts(b, RTF_PROLOGUE);
    if (rc == RA_OK)
        rc = export_rtf_info(d, b);
    if (rc == RA_OK)
        rc = buf_puts(b, RTF_PAGE);
    if (rc == RA_OK && d->organization[0] != '\0')
        rc = export_rtf_put(b, "{\\b\\fs24 ", d->organization, "}\\par\n");
    if (rc == RA_OK && d->title[0] != '\0')
        rc = export_rtf_put(b, "{\\b\\fs30 ", d->title, "}\\par\n");
    for (size_t i = 0; i < d->n_header && rc == RA_OK; i++)
        rc = export_rtf_field(b, d->header[i].label, d->header[i].value);
    for (size_t i = 0; i < d->n_sections && rc == RA_OK; i++) {
        rc = export_rtf_put(b, "\\pard\\sb240\\keepn{\\b ", d->sections[i].label, "}\\par\n");
        if (rc == RA_OK)
            rc = export_rtf_put(b, "\\pard ", d->sections[i].value, "\\par\n");
    }
    if (rc == RA_OK)
        rc = buf_puts(b, "\\pard\\sb480\\keep\\keepn ");
    if (rc == RA_OK)
        rc = export_rtf_field(b, d->signer.label, export_sign_value(&d->signer));
    if (rc == RA_OK)
        rc = buf_puts(b, "\\pard\\sb360\\keep\\keepn ");
    if (rc == RA_OK)
        rc = export_rtf_field(b, d->signature.label, export_sign_value(&d->signature));
    if (rc == RA_OK)
        rc = buf_puts(b, "\\pard ");
    if (rc == RA_OK)
        rc = export_rtf_field(b, d->signed_on.label, export_sign_value(&d->signed_on));
    if (rc == RA_OK)
        rc = buf_puts(b, "}\n");
    return rc;
}

/* ---- rendering ---------------------------------------------------------- */

static size_t export_input_bytes(const export_report *r)
{
    const char *f[] = {r->exam_name, r->sut_code, r->modality, r->patient_name, r->patient_id,
                       r->accession, r->date,     r->author,   r->organization, r->language};
    size_t total = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        total += f[i] != NULL ? strlen(f[i]) : 0;
    for (int s = 0; s < REPORT_SEC_COUNT; s++)
        total += r->sections[s] != NULL ? strlen(r->sections[s]) : 0;
    return total;
}

/* Writes d as format f into b. */
static int export_write(const export_doc *d, export_format f, buf *b, char *err, size_t errlen)
{
    int rc;
    switch (f) {
    case EXPORT_TXT:
        rc = export_txt(d, b);
        break;
    case EXPORT_RTF:
        rc = export_rtf(d, b);
        break;
    case EXPORT_DOCX:
        return export_docx(d, b, err, errlen);
    default:
        return export_pdf(d, b, err, errlen);
    }
    if (rc == RA_ERR_TOO_LARGE)
        return ra_fail(err, errlen, rc, "the %s file would be larger than allowed",
                       export_extension(f));
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "out of memory while writing the %s file",
                       export_extension(f));
    return RA_OK;
}

int export_render(const export_report *r, export_format f, buf *out, char *err, size_t errlen)
{
    if (r == NULL || out == NULL || !export_format_known(f))
        return ra_fail(err, errlen, RA_ERR_INVALID, "no report, output or known format given");
    if (export_input_bytes(r) > EXPORT_MAX_INPUT_BYTES)
        return ra_fail(err, errlen, RA_ERR_TOO_LARGE,
                       "the report is larger than the %u bytes an export may hold",
                       EXPORT_MAX_INPUT_BYTES);
    export_doc d;
    buf file;
    buf_init(&file, out->max - out->len);
    int rc = export_doc_build(r, &d, err, errlen);
    if (rc == RA_OK)
        rc = export_write(&d, f, &file, err, errlen);
    if (rc == RA_OK && out->len == 0) {
        buf_release(out);
        file.max = out->max;
        *out = file;
        buf_init(&file, 0);
    } else if (rc == RA_OK) {
        rc = buf_append(out, file.data, file.len);
        if (rc != RA_OK)
            ra_fail(err, errlen, rc, "no room for the %s file", export_extension(f));
    }
    buf_release(&file);
    export_doc_release(&d);
    return rc;
}

/* export_internal.h - the document every export format draws: the report's
 * fields cleaned (see export.h) and paired with their labels in the report's
 * language. Built once by export.c, read by the TXT and RTF writers there,
 * by export_docx.c and by export_pdf.c. Internal to src/export. */
#ifndef RAPORTAI_EXPORT_EXPORT_INTERNAL_H
#define RAPORTAI_EXPORT_EXPORT_INTERNAL_H

#include <stddef.h>

#include "core/buf.h"
#include "core/sections.h"
#include "export/export.h"

#define EXPORT_HEADER_FIELDS 6 /* SUT code, modality, patient name, id, accession, date */
#define EXPORT_BLANK "______________________________" /* a line to write on by hand */

/* A label and its cleaned text ("" when there is none). */
typedef struct export_field {
    const char *label; /* static, UTF-8, without colon */
    const char *value; /* owned by the export_doc */
} export_field;

typedef struct export_doc {
    const char *lang;         /* "tr" or "en" */
    const char *organization; /* "" when none */
    const char *title;        /* the exam name, "" when none */
    const char *patient;      /* "name · id" for the PDF's page footers, "" when none */
    export_field header[EXPORT_HEADER_FIELDS]; /* only those with text */
    size_t n_header;
    /* label: heading; only those with text, in report_reading_order */
    export_field sections[REPORT_SEC_COUNT];
    size_t n_sections;
    export_field signer;    /* "Raportör" and the author, "" when none */
    export_field signature; /* "İmza", value always "" */
    export_field signed_on; /* "Tarih" and the shown date, "" when none */
    const char *page_word;  /* "Sayfa" / "Page" */
    const char *page_of;    /* "/" / "of" */
    char *owned[24];        /* the cleaned texts, freed by export_doc_release */
    size_t n_owned;
} export_doc;

/* The signature block's value for f: its text, or EXPORT_BLANK when empty. */
const char *export_sign_value(const export_field *f);

/* Appends the DOCX package of d to out. RA_ERR_IO when libzip fails,
 * RA_ERR_TOO_LARGE, RA_ERR_NOMEM; err says why. */
int export_docx(const export_doc *d, buf *out, char *err, size_t errlen);

/* Appends the PDF of d to out. RA_ERR_IO when cairo or pango fails,
 * RA_ERR_TOO_LARGE, RA_ERR_NOMEM; err says why. */
int export_pdf(const export_doc *d, buf *out, char *err, size_t errlen);

#endif

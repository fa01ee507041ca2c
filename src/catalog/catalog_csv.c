/* catalog_csv.c - turns the bytes of a CSV export of the SUT list into a
 * catalog_table (see catalog_table.h).
 *
 * Encoding: UTF-8 (a BOM is dropped); UTF-16 when the file starts with its
 * BOM (Excel's "Unicode text"); anything else that is not valid UTF-8 is
 * taken to be Windows-1254, the Turkish code page older Excel versions save
 * CSV in, and converted with glibc's iconv. Bytes undefined in Windows-1254,
 * or NUL bytes, mean the file is not text and it is refused.
 *
 * Splitting: RFC 4180 quoting (quoted fields, "" for a quote, line breaks
 * inside quotes), CRLF, LF or CR line ends. The delimiter is ';' (Turkish
 * Excel), ',' or tab: whichever gives the most records with the same
 * non-zero count of it among the first 20 records, ';' winning ties. */
#include "catalog/catalog_table.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

#define CSV_SNIFF_RECORDS 20

/* Converts len bytes at in from charset from to a new UTF-8 string. */
static int csv_convert(const char *from, const char *in, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return RA_ERR_FORMAT;
    size_t cap = len * 3 + 4; /* a byte or byte pair never needs more */
    char *dst = malloc(cap);
    if (dst == NULL) {
        iconv_close(cd);
        return RA_ERR_NOMEM;
    }
    char *ip = (char *)in, *op = dst;
    size_t il = len, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(dst);
        return RA_ERR_FORMAT;
    }
    *op = '\0';
    *out = dst;
    *outlen = (size_t)(op - dst);
    return RA_OK;
}

/* Decodes the file bytes to UTF-8 text; the BOM, if any, is dropped. */
static int csv_decode(const char *data, size_t len, char **out, size_t *outlen)
{
    int rc;
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        rc = csv_convert("UTF-16", data, len, out, outlen);
    else if (text_is_utf8(data, len))
        rc = csv_convert("UTF-8", data, len, out, outlen);
    else
        rc = csv_convert("CP1254", data, len, out, outlen);
    if (rc != RA_OK)
        return rc;
    if (memchr(*out, '\0', *outlen) != NULL) {
        free(*out);
        return RA_ERR_FORMAT;
    }
    if (*outlen >= 3 && memcmp(*out, "\xEF\xBB\xBF", 3) == 0) {
        memmove(*out, *out + 3, *outlen - 2);
        *outlen -= 3;
    }
    return RA_OK;
}

/* How many of the first records share the most common non-zero count of d
 * outside quotes. */
static size_t csv_score(const char *s, size_t len, char d)
{
    size_t counts[CSV_SNIFF_RECORDS], nrec = 0, k = 0, best = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && nrec < CSV_SNIFF_RECORDS; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == d)
            k++;
        else if (!quoted && s[i] == '\n') {
            counts[nrec++] = k;
            k = 0;
        }
    }
    if (nrec < CSV_SNIFF_RECORDS && k > 0)
        counts[nrec++] = k;
    for (size_t i = 0; i < nrec; i++) {
        size_t same = 0;
        for (size_t j = 0; counts[i] > 0 && j < nrec; j++)
            same += counts[j] == counts[i];
        if (same > best)
            best = same;
    }
    return best;
}

static char csv_delimiter(const char *s, size_t len)
{
    static const char cands[] = {';', ',', '\t'};
    char best = ',';
    size_t best_score = 0;
    for (size_t i = 0; i < sizeof cands; i++) {
        size_t score = csv_score(s, len, cands[i]);
        if (score > best_score) {
            best = cands[i];
            best_score = score;
        }
    }
    return best;
}

/* Reads the field at s[*pos] into f and moves past what ended it. Returns
 * 'd' when the delimiter ended it, '\n' for a line end, 0 at the end. */
static int csv_field(const char *s, size_t len, size_t *pos, char d, buf *f)
{
    size_t i = *pos;
    int quoted = 0, rc = RA_OK, end = 0;
    while (rc == RA_OK && i < len) {
        char c = s[i];
        if (c == '"' && quoted && i + 1 < len && s[i + 1] == '"') {
            rc = buf_putc(f, '"');
            i += 2;
            continue;
        }
        if (c == '"' && (quoted || f->len == 0)) {
            quoted = !quoted;
            i++;
            continue;
        }
        if (!quoted && (c == d || c == '\n' || c == '\r')) {
            end = c == d ? d : '\n';
            i += (c == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            break;
        }
        rc = buf_putc(f, c);
        i++;
    }
    *pos = i;
    return rc != RA_OK ? rc : end;
}

static int csv_split(const char *s, size_t len, catalog_table *t)
{
    char d = csv_delimiter(s, len);
    buf f;
    buf_init(&f, CATALOG_MAX_CELL_BYTES);
    size_t pos = 0, col = 0;
    int row_open = 0, rc = RA_OK;
    while (rc == RA_OK && pos < len) {
        buf_release(&f);
        int end = csv_field(s, len, &pos, d, &f);
        if (end < 0) {
            rc = end;
            break;
        }
        if (f.len > 0 && !row_open) {
            rc = catalog_table_add_row(t);
            row_open = 1;
        }
        if (rc == RA_OK)
            rc = catalog_table_add_cell(t, col, buf_str(&f), f.len);
        col = end == d ? col + 1 : 0;
        if (end != d)
            row_open = 0;
    }
    buf_release(&f);
    return rc;
}

int catalog_csv_read(const char *data, size_t len, const char *file, catalog_table *t, char *err,
                     size_t errlen)
{
    char *text = NULL;
    size_t n = 0;
    int rc = csv_decode(data, len, &text, &n);
    if (rc == RA_ERR_FORMAT)
        return ra_fail(err, errlen, rc,
                       "%s is not a text file in UTF-8, UTF-16 or Windows-1254; "
                       "save it from Excel as \"CSV UTF-8\" or as .xlsx",
                       file);
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "out of memory reading %s", file);
    rc = csv_split(text, n, t);
    if (rc == RA_ERR_TOO_LARGE)
        rc = ra_fail(err, errlen, rc,
                     "%s has more than %d rows or a cell over %u bytes; refusing it", file,
                     CATALOG_MAX_ROWS, CATALOG_MAX_CELL_BYTES);
    else if (rc != RA_OK)
        rc = ra_fail(err, errlen, rc, "out of memory reading %s", file);
    free(text);
    return rc;
}

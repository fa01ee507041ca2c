/* fuzz_xlsx.c - libFuzzer target for the EK-2B XLSX reader
 * (src/catalog/catalog_xlsx.c and the table-to-rows step of catalog.c):
 * the workbook, its relationships, shared strings and first worksheet.
 *
 * Input: the parts of a workbook as text, separated by lines "---", each
 * "PART NAME\nXML"; the target packs them into a zip archive (stored, no
 * compression) in memory, so the fuzzer mutates the XML rather than
 * deflated bytes and the seeds are readable. An input that already starts
 * with the zip signature is read as it is. Checked: every row read has a
 * code of 5 to 7 digits. */
#include <string.h>

#include "catalog/catalog.h"
#include "core/buf.h"
#include "core/err.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    catalog_init();
    return 0;
}

static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void put16(buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    (void)buf_append(b, (const char *)x, 2);
}

static void put32(buf *b, uint32_t v)
{
    put16(b, v & 0xffffu);
    put16(b, v >> 16);
}

/* Local header or central directory entry (central when offset >= 0). */
static void entry(buf *b, const char *name, const char *data, long offset)
{
    size_t nlen = strlen(name), dlen = strlen(data);
    put32(b, offset >= 0 ? 0x02014b50u : 0x04034b50u);
    if (offset >= 0)
        put16(b, 20); /* made by */
    put16(b, 20);     /* needed */
    put16(b, 0);      /* flags */
    put16(b, 0);      /* stored */
    put16(b, 0);      /* time */
    put16(b, 0x21);   /* 1980-01-01 */
    put32(b, crc32_of(data, dlen));
    put32(b, (uint32_t)dlen);
    put32(b, (uint32_t)dlen);
    put16(b, (unsigned)nlen);
    put16(b, 0); /* extra */
    if (offset >= 0) {
        put16(b, 0); /* comment */
        put16(b, 0); /* disk */
        put16(b, 0); /* internal attributes */
        put32(b, 0); /* external attributes */
        put32(b, (uint32_t)offset);
    }
    (void)buf_append(b, name, nlen);
    if (offset < 0)
        (void)buf_append(b, data, dlen);
}

static void pack(const fuzz_fields *in, buf *zip)
{
    const char *names[16], *datas[16];
    long offsets[16];
    char *copy[16];
    for (size_t i = 0; i < in->n; i++) {
        copy[i] = strdup(in->f[i]);
        if (copy[i] == NULL)
            abort();
        char *nl = strchr(copy[i], '\n');
        names[i] = copy[i];
        datas[i] = nl != NULL ? nl + 1 : "";
        if (nl != NULL)
            *nl = '\0';
        offsets[i] = (long)zip->len;
        entry(zip, names[i], datas[i], -1);
    }
    size_t cd = zip->len;
    for (size_t i = 0; i < in->n; i++)
        entry(zip, names[i], datas[i], offsets[i]);
    size_t cd_len = zip->len - cd;
    put32(zip, 0x06054b50u);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, (unsigned)in->n);
    put16(zip, (unsigned)in->n);
    put32(zip, (uint32_t)cd_len);
    put32(zip, (uint32_t)cd);
    put16(zip, 0);
    for (size_t i = 0; i < in->n; i++)
        free(copy[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf zip;
    buf_init(&zip, 64u * 1024 * 1024);
    if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        (void)buf_append(&zip, (const char *)data, size);
    } else {
        fuzz_fields in;
        fuzz_fields_cut(data, size, 16, &in);
        pack(&in, &zip);
        fuzz_fields_release(&in);
    }
    store_sut_row *rows = NULL;
    size_t n = 0;
    char err[256];
    if (catalog_parse_bytes(zip.len ? zip.data : "", zip.len, "fuzz.xlsx", "fuzz", &rows, &n, err,
                            sizeof err) == RA_OK) {
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(rows[i].code);
            if (len < 5 || len > 7 || strspn(rows[i].code, "0123456789") != len)
                abort();
        }
        free(rows);
    }
    buf_release(&zip);
    return 0;
}

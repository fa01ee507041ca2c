/* fuzz_csv.c - libFuzzer target for the EK-2B CSV reader (src/catalog:
 * catalog_csv.c and the table-to-rows step of catalog.c): text in UTF-8,
 * UTF-16 with BOM or Windows-1254, ',' ';' or tab separated.
 *
 * Input: the file's bytes (one starting with the zip signature goes to the
 * XLSX reader, as it would in the server; fuzz_xlsx covers that). Checked:
 * every row read has a code of 5 to 7 digits, and no code comes twice. */
#include <string.h>

#include "catalog/catalog.h"
#include "core/err.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    catalog_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    store_sut_row *rows = NULL;
    size_t n = 0;
    char err[256];
    if (catalog_parse_bytes((const char *)data, size, "fuzz.csv", "fuzz", &rows, &n, err,
                            sizeof err) != RA_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(rows[i].code);
        if (len < 5 || len > 7 || strspn(rows[i].code, "0123456789") != len)
            abort();
        for (size_t j = 0; j < i && n < 200; j++)
            if (strcmp(rows[i].code, rows[j].code) == 0)
                abort();
    }
    free(rows);
    return 0;
}

/* catalog_table.h - internal to the SUT catalog importer: a sparse grid of
 * text cells that the CSV and XLSX readers fill and catalog.c turns into
 * store_sut_row rows. Cells are kept per row in the order they were added;
 * empty cells are not stored. Not part of the public API. */
#ifndef RAPORTAI_CATALOG_CATALOG_TABLE_H
#define RAPORTAI_CATALOG_CATALOG_TABLE_H

#include <stddef.h>

#define CATALOG_MAX_COLS 256                /* cells further right are ignored */
#define CATALOG_MAX_CELL_BYTES (64u * 1024) /* longer cells are refused */
#define CATALOG_MAX_CELLS 4000000           /* cells in a whole table */

typedef struct catalog_cell {
    size_t col; /* 0-based column */
    char *text; /* owned, NUL-terminated, never empty */
} catalog_cell;

typedef struct catalog_trow {
    catalog_cell *cells;
    size_t n, cap;
} catalog_trow;

typedef struct catalog_table {
    catalog_trow *rows;
    size_t n, cap;
    size_t ncells; /* cells stored in all rows */
} catalog_table;

void catalog_table_init(catalog_table *t);
/* Frees every row and cell; the table is empty and usable afterwards. */
void catalog_table_release(catalog_table *t);
/* Starts a new row. RA_ERR_TOO_LARGE past CATALOG_MAX_ROWS, RA_ERR_NOMEM. */
int catalog_table_add_row(catalog_table *t);
/* Copies len bytes of text into column col of the last row (starting a row
 * when there is none). Empty text, columns >= CATALOG_MAX_COLS and cells past
 * CATALOG_MAX_COLS in one row are ignored (RA_OK); RA_ERR_TOO_LARGE for a
 * cell over CATALOG_MAX_CELL_BYTES or a table past CATALOG_MAX_CELLS. */
int catalog_table_add_cell(catalog_table *t, size_t col, const char *text, size_t len);
/* The text of a cell, or NULL when the row or cell is absent. */
const char *catalog_table_cell(const catalog_table *t, size_t row, size_t col);

/* Decodes file bytes to UTF-8 text without BOM (UTF-16 with BOM and
 * Windows-1254 are converted) and splits it as CSV into t. On failure err
 * names file. RA_ERR_FORMAT (not text), RA_ERR_TOO_LARGE, RA_ERR_NOMEM. */
int catalog_csv_read(const char *data, size_t len, const char *file, catalog_table *t, char *err,
                     size_t errlen);

/* Reads the first worksheet of the XLSX bytes into t and writes its name into
 * sheet (for messages). On failure err names file. RA_ERR_FORMAT (not a
 * workbook, broken XML), RA_ERR_TOO_LARGE (a part over 200 MB uncompressed,
 * too many rows), RA_ERR_NOMEM. */
int catalog_xlsx_read(const void *data, size_t len, const char *file, catalog_table *t, char *sheet,
                      size_t sheetlen, char *err, size_t errlen);

#endif

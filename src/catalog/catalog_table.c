/* catalog_table.c - the sparse cell grid of the SUT importer (see
 * catalog_table.h). */
#include "catalog/catalog_table.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "core/buf.h"
#include "core/err.h"

void catalog_table_init(catalog_table *t)
{
    t->rows = NULL;
    t->n = 0;
    t->cap = 0;
    t->ncells = 0;
}

void catalog_table_release(catalog_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->rows[i].n; j++)
            free(t->rows[i].cells[j].text);
        free(t->rows[i].cells);
    }
    free(t->rows);
    catalog_table_init(t);
}

int catalog_table_add_row(catalog_table *t)
{
    if (t->n >= CATALOG_MAX_ROWS)
        return RA_ERR_TOO_LARGE;
    catalog_trow *p = ra_array_reserve(t->rows, t->n, &t->cap, sizeof *p, 64);
    if (p == NULL)
        return RA_ERR_NOMEM;
    t->rows = p;
    t->rows[t->n++] = (catalog_trow){NULL, 0, 0};
    return RA_OK;
}

int catalog_table_add_cell(catalog_table *t, size_t col, const char *text, size_t len)
{
    if (len == 0 || col >= CATALOG_MAX_COLS)
        return RA_OK;
    if (len > CATALOG_MAX_CELL_BYTES || t->ncells >= CATALOG_MAX_CELLS)
        return RA_ERR_TOO_LARGE;
    int rc = t->n == 0 ? catalog_table_add_row(t) : RA_OK;
    if (rc != RA_OK)
        return rc;
    catalog_trow *r = &t->rows[t->n - 1];
    if (r->n >= CATALOG_MAX_COLS)
        return RA_OK;
    catalog_cell *p = ra_array_reserve(r->cells, r->n, &r->cap, sizeof *p, 8);
    if (p == NULL)
        return RA_ERR_NOMEM;
    r->cells = p;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return RA_ERR_NOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    r->cells[r->n++] = (catalog_cell){col, copy};
    t->ncells++;
    return RA_OK;
}

const char *catalog_table_cell(const catalog_table *t, size_t row, size_t col)
{
    if (row >= t->n)
        return NULL;
    const catalog_trow *r = &t->rows[row];
    for (size_t j = 0; j < r->n; j++) {
        if (r->cells[j].col == col)
            return r->cells[j].text;
    }
    return NULL;
}

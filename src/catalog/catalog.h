/* catalog.h - the SGK SUT exam catalog: code normalization, modality and
 * body-part inference from procedure names, and the importer that reads
 * SGK's EK-2B list (CSV or XLSX) into store_sut_row rows.
 *
 * Errors: functions return RA_OK or a negative RA_ERR_* (core/err.h); outputs
 * are written only on success. Where an err buffer is taken it receives one
 * sentence for the operator on failure (it may be NULL or errlen 0).
 *
 * THREAD SAFETY: every function may run on any thread at once, once
 * catalog_init() has run (the XLSX reader uses libxml2, whose parser must be
 * initialised once before threads exist). */
#ifndef RAPORTAI_CATALOG_CATALOG_H
#define RAPORTAI_CATALOG_CATALOG_H

#include <stddef.h>

#include "store/store.h"

#define CATALOG_MAX_FILE_BYTES (50u * 1024 * 1024) /* larger imports refused */
#define CATALOG_MAX_ROWS 200000                    /* rows in a file or sheet */

/* Initialises the libraries the importer uses. Call once at start-up, before
 * any thread starts. Cannot fail. */
void catalog_init(void);

/* Turns a SUT code as people write it ("803.910", " 803910 ") into its digits.
 * Dots may only stand between digits; the result must be 5 to 7 digits
 * (^\d{5,7}$). RA_ERR_INVALID otherwise (out untouched). */
int catalog_normalize_code(const char *raw, char out[STORE_SUT_CODE_MAX + 1]);

/* Guesses the DICOM modality of a procedure name ("Beyin BT" -> "CT"):
 * one of "CT", "MR", "US", "MG", "NM", "PT", "XA", "RF", "DXA", "XR".
 * Names are lowercased with Turkish rules, Turkish letters are folded to
 * ASCII (so "BEYİN", "beyin" and "BEYIN" read alike) and split on
 * non-letters; specific rules win over the generic "...grafi" -> "XR".
 * Returns a static string, or NULL when nothing matches (or the name is not
 * UTF-8, or memory ran out). */
const char *catalog_infer_modality(const char *procedure_name);

/* Guesses the body part of a procedure name, same tokenisation. Checked in
 * this priority order, first match wins: "obstetric", "breast", "thyroid",
 * "brain", "cervical_spine", "thoracic_spine", "lumbar_spine", "chest",
 * "abdomen", "pelvis", "knee", "shoulder", "extremity". Returns a static
 * string or NULL. */
const char *catalog_infer_body_part(const char *procedure_name);

/* Reads SGK's EK-2B list from path: XLSX when the file starts with the zip
 * signature, else CSV text (',' ';' or tab separated; UTF-8 with or without
 * BOM, UTF-16 with BOM, or Windows-1254). The header row is found among the
 * first 20 rows by its cell text (a code column: "kod"/"code"; a name column:
 * "adı"/"adi"/"name"; optional "modality", "body_part", "source"/"kaynak"
 * columns override inference and the given source); without one, the first
 * column that mostly holds codes and the next column with text are used.
 * Rows whose code is not valid are skipped, and so are later repeats of a
 * code. Each row's source is its own source cell when present, else source.
 *
 * On success *rows (caller frees with free()) holds *n >= 1 rows in file
 * order. Errors: RA_ERR_IO (unreadable), RA_ERR_TOO_LARGE (over 50 MB, over
 * 200000 rows, or an XLSX part over 200 MB uncompressed), RA_ERR_FORMAT (not
 * a workbook or text, no code column, no valid row), RA_ERR_NOMEM. */
int catalog_parse_file(const char *path, const char *source, store_sut_row **rows, size_t *n,
                       char *err, size_t errlen);

/* The same for the len bytes at data, read from the file named file (for
 * messages). len over CATALOG_MAX_FILE_BYTES is the caller's to refuse.
 * Reads nothing from the disk. */
int catalog_parse_bytes(const char *data, size_t len, const char *file, const char *source,
                        store_sut_row **rows, size_t *n, char *err, size_t errlen);

/* Parses the shipped list <share_dir>/data/sut/known-codes.csv the same way
 * (its own source column gives each row's source). Same results as
 * catalog_parse_file. */
int catalog_load_known(const char *share_dir, store_sut_row **rows, size_t *n, char *err,
                       size_t errlen);

#endif

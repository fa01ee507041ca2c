/* report_util.h - small helpers shared by the report part's files (catalog,
 * templates): reading a whole file with a size cap, and writing an operator
 * error sentence into a caller's buffer. Internal to src/report. */
#ifndef RAPORTAI_REPORT_REPORT_UTIL_H
#define RAPORTAI_REPORT_REPORT_UTIL_H

#include <stddef.h>

/* Reads the regular file at path into a new NUL-terminated allocation
 * (*data, caller frees; *len excludes the NUL). Refuses files over max bytes
 * (RA_ERR_TOO_LARGE) and anything that is not a regular file (RA_ERR_IO).
 * On failure err holds a sentence naming the file and nothing is written to
 * *data or *len. */
int report_read_file(const char *path, size_t max, char **data, size_t *len, char *err,
                     size_t errlen);

/* Writes a formatted message into err (when err and errlen are non-zero). */
void report_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

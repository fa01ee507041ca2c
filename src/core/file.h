/* file.h - reading a whole regular file into memory, with a size cap.
 *
 * Used where an operator hands us a file (the template library, a SUT list,
 * an MRRT template): the cap keeps a wrong path (a device, a huge dump)
 * from being read into memory, and the error sentence names the file.
 *
 * THREAD SAFETY: may run on any thread at once. */
#ifndef RAPORTAI_CORE_FILE_H
#define RAPORTAI_CORE_FILE_H

#include <stddef.h>

/* Reads the regular file at path into a new NUL-terminated allocation
 * (*data, caller frees; *len excludes the NUL). Refuses files over max bytes
 * (RA_ERR_TOO_LARGE) and anything that is not a regular file (RA_ERR_IO);
 * RA_ERR_IO when it cannot be opened or read, RA_ERR_NOMEM. On failure err
 * (may be NULL) holds a sentence naming the file and nothing is written to
 * *data or *len. */
int file_read_all(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen);

#endif

/* form.h - a request's form fields and uploaded files, private to src/http.
 *
 * The server feeds multipart/form-data (or urlencoded) parts in chunks as
 * they arrive. Text fields are kept in memory up to a total bound; the one
 * file part the request was admitted for streams to a temporary file in the
 * upload directory while its SHA-256 and size are computed, so memory stays
 * small whatever the file's size; file parts of other names are dropped
 * unread. A file past its bound stops being written (and is deleted) but is
 * still counted, so the handler can tell "too large" from "missing". Files
 * nobody kept are deleted when the form is freed, and form_sweep deletes the
 * ones a request that died left behind. */
#ifndef RAPORTAI_HTTP_FORM_H
#define RAPORTAI_HTTP_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

typedef struct form_data form_data;

/* A form whose file part named file_field (NULL: none) is kept, up to
 * max_file bytes. RA_ERR_NOMEM only. */
int form_new(const char *upload_dir, const char *file_field, uint64_t max_file, size_t max_text,
             form_data **out);
/* Appends a chunk of the part named key; filename is non-NULL for a file
 * part. RA_ERR_IO when a temporary file cannot be written (the request
 * should fail), RA_OK otherwise, including when a bound was passed. */
int form_add(form_data *f, const char *key, const char *filename, const char *data, size_t n);
/* Closes the files and computes their digests. Call once, when the body is
 * complete. */
void form_finish(form_data *f);
void form_free(form_data *f);

const char *form_value(const form_data *f, const char *name);
const http_upload *form_file(const form_data *f, const char *name);
int form_text_too_large(const form_data *f);
int form_keep(form_data *f, const char *name, const char *dest_path);

/* Deletes the upload files in dir last written more than older_than_s
 * seconds before now (every one with older_than_s 0), leaving other files
 * alone. *files and *bytes (either may be NULL) get what was deleted.
 * RA_ERR_IO when dir cannot be read. */
int form_sweep(const char *dir, int64_t older_than_s, int64_t now, unsigned *files,
               uint64_t *bytes);

#endif

/* form.c - form fields in memory, the admitted file part streamed to disk
 * with its SHA-256 computed on the fly, and the sweep of upload files left
 * behind (see form.h). */
#include "http/form.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"

#define FORM_FIELDS_MAX 48
#define FORM_FILES_MAX 4
#define UPLOAD_PREFIX "upload-" /* every upload file's name starts so */

typedef struct form_field {
    char *name;
    buf value;
} form_field;

typedef struct form_upload {
    http_upload pub;
    char *name, *filename, *path;
    FILE *out;
    crypto_hash_sha256_state hash;
    int kept;
} form_upload;

struct form_data {
    char *upload_dir;
    char *file_field; /* the one file part kept; NULL: none */
    uint64_t max_file;
    size_t max_text, text_used;
    int text_too_large;
    form_field fields[FORM_FIELDS_MAX];
    int n_fields;
    form_upload files[FORM_FILES_MAX];
    int n_files;
};

int form_new(const char *upload_dir, const char *file_field, uint64_t max_file, size_t max_text,
             form_data **out)
{
    form_data *f = calloc(1, sizeof *f);
    if (f != NULL)
        f->upload_dir = strdup(upload_dir);
    if (f != NULL && file_field != NULL)
        f->file_field = strdup(file_field);
    if (f == NULL || f->upload_dir == NULL || (file_field != NULL && f->file_field == NULL)) {
        if (f != NULL) {
            free(f->upload_dir);
            free(f->file_field);
        }
        free(f);
        return RA_ERR_NOMEM;
    }
    f->max_file = max_file;
    f->max_text = max_text;
    *out = f;
    return RA_OK;
}

static form_upload *file_for(form_data *f, const char *key, const char *filename)
{
    for (int i = 0; i < f->n_files; i++)
        if (strcmp(f->files[i].name, key) == 0)
            return &f->files[i];
    if (f->n_files >= FORM_FILES_MAX)
        return NULL;
    form_upload *file = &f->files[f->n_files];
    char name[32];
    ids_hex(name, 12);
    size_t n = strlen(f->upload_dir) + sizeof "/" UPLOAD_PREFIX + sizeof name;
    file->path = malloc(n);
    file->name = strdup(key);
    file->filename = strdup(filename);
    if (file->path == NULL || file->name == NULL || file->filename == NULL)
        goto fail;
    snprintf(file->path, n, "%s/" UPLOAD_PREFIX "%s", f->upload_dir, name);
    file->out = fopen(file->path, "wxe");
    if (file->out == NULL) {
        log_error("http: cannot create upload file: %s", strerror(errno));
        goto fail;
    }
    crypto_hash_sha256_init(&file->hash);
    f->n_files++;
    return file;
fail:
    free(file->path);
    free(file->name);
    free(file->filename);
    *file = (form_upload){0};
    return NULL;
}

static int add_file_chunk(form_data *f, const char *key, const char *filename, const char *data,
                          size_t n)
{
    if (f->file_field == NULL || strcmp(key, f->file_field) != 0)
        return RA_OK; /* no one reads it: it never reaches the disk */
    form_upload *file = file_for(f, key, filename);
    if (file == NULL)
        return f->n_files >= FORM_FILES_MAX ? RA_OK : RA_ERR_IO;
    file->pub.size += n;
    if (file->pub.too_large)
        return RA_OK;
    if (file->pub.size > f->max_file) {
        /* Past the bound: keep counting, stop storing. */
        file->pub.too_large = 1;
        fclose(file->out);
        file->out = NULL;
        unlink(file->path);
        return RA_OK;
    }
    crypto_hash_sha256_update(&file->hash, (const unsigned char *)data, n);
    /* Flushed chunk by chunk: a file's time of last change then says when
     * its request last received a byte, which is how form_sweep tells a
     * live upload from one a dead request left. */
    if (n > 0 && (fwrite(data, 1, n, file->out) != n || fflush(file->out) != 0)) {
        log_error("http: cannot write upload file: %s", strerror(errno));
        return RA_ERR_IO;
    }
    return RA_OK;
}

static int add_text_chunk(form_data *f, const char *key, const char *data, size_t n)
{
    if (f->text_too_large || n > f->max_text - f->text_used) {
        f->text_too_large = 1;
        return RA_OK;
    }
    f->text_used += n;
    form_field *field = NULL;
    /* A chunk continues the newest field of the same name. */
    if (f->n_fields > 0 && strcmp(f->fields[f->n_fields - 1].name, key) == 0)
        field = &f->fields[f->n_fields - 1];
    else if (f->n_fields < FORM_FIELDS_MAX) {
        field = &f->fields[f->n_fields];
        field->name = strdup(key);
        if (field->name == NULL)
            return RA_ERR_NOMEM;
        buf_init(&field->value, f->max_text);
        f->n_fields++;
    } else {
        f->text_too_large = 1;
        return RA_OK;
    }
    return buf_append(&field->value, data, n);
}

int form_add(form_data *f, const char *key, const char *filename, const char *data, size_t n)
{
    if (key == NULL)
        return RA_OK;
    return filename ? add_file_chunk(f, key, filename, data, n) : add_text_chunk(f, key, data, n);
}

void form_finish(form_data *f)
{
    for (int i = 0; i < f->n_files; i++) {
        form_upload *file = &f->files[i];
        unsigned char digest[crypto_hash_sha256_BYTES];
        if (file->out != NULL) {
            fclose(file->out);
            file->out = NULL;
        }
        crypto_hash_sha256_final(&file->hash, digest);
        ids_to_hex(digest, sizeof digest, file->pub.sha256);
        file->pub.field = file->name;
        file->pub.filename = file->filename;
        file->pub.path = file->pub.too_large ? "" : file->path;
    }
}

void form_free(form_data *f)
{
    if (f == NULL)
        return;
    for (int i = 0; i < f->n_fields; i++) {
        free(f->fields[i].name);
        buf_release(&f->fields[i].value);
    }
    for (int i = 0; i < f->n_files; i++) {
        form_upload *file = &f->files[i];
        if (file->out != NULL)
            fclose(file->out);
        if (!file->kept)
            unlink(file->path);
        free(file->path);
        free(file->name);
        free(file->filename);
    }
    free(f->upload_dir);
    free(f->file_field);
    free(f);
}

const char *form_value(const form_data *f, const char *name)
{
    for (int i = 0; f && i < f->n_fields; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return buf_str(&f->fields[i].value);
    return NULL;
}

const http_upload *form_file(const form_data *f, const char *name)
{
    for (int i = 0; f && i < f->n_files; i++)
        if (strcmp(f->files[i].name, name) == 0)
            return &f->files[i].pub;
    return NULL;
}

int form_text_too_large(const form_data *f)
{
    return f && f->text_too_large;
}

int form_keep(form_data *f, const char *name, const char *dest_path)
{
    for (int i = 0; f && i < f->n_files; i++) {
        form_upload *file = &f->files[i];
        if (strcmp(file->name, name) != 0 || file->pub.too_large || file->kept)
            continue;
        if (rename(file->path, dest_path) != 0) {
            log_error("http: cannot move upload: %s", strerror(errno));
            return RA_ERR_IO;
        }
        file->kept = 1;
        return RA_OK;
    }
    return RA_ERR_NOT_FOUND;
}

int form_sweep(const char *dir, int64_t older_than_s, int64_t now, unsigned *files, uint64_t *bytes)
{
    unsigned n_files = 0;
    uint64_t n_bytes = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return RA_ERR_IO;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[4096];
        struct stat sb;
        if (strncmp(e->d_name, UPLOAD_PREFIX, strlen(UPLOAD_PREFIX)) != 0 ||
            (size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
            lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (older_than_s > 0 && now - (int64_t)sb.st_mtime <= older_than_s)
            continue;
        if (unlink(path) == 0) {
            n_files++;
            n_bytes += (uint64_t)sb.st_size;
        }
    }
    closedir(d);
    if (files != NULL)
        *files = n_files;
    if (bytes != NULL)
        *bytes = n_bytes;
    return RA_OK;
}

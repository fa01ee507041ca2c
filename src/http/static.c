/* static.c - the static files of the web app, kept in memory (see static.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/static.h"

typedef struct static_file {
    char *path; /* "/assets/app.css" */
    const char *content_type;
    unsigned char *data;
    size_t size;
    char etag[20]; /* "\"" + 16 hex + "\"" */
} static_file;

struct http_static {
    static_file *files;
    size_t n, cap;
    size_t total;
};

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/* FNV-1a 64: a change detector for ETags, not a security measure. */
static void make_etag(const unsigned char *data, size_t n, char out[20])
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    snprintf(out, 20, "\"%016llx\"", h);
}

static int read_whole(const char *fs_path, size_t size, unsigned char **out)
{
    FILE *f = fopen(fs_path, "rb");
    if (f == NULL)
        return RA_ERR_IO;
    unsigned char *data = malloc(size ? size : 1);
    int rc = data == NULL ? RA_ERR_NOMEM : fread(data, 1, size, f) == size ? RA_OK : RA_ERR_IO;
    fclose(f);
    if (rc != RA_OK)
        free(data);
    else
        *out = data;
    return rc;
}

static const static_file *find(const http_static *st, const char *path);

/* Adds the file at url_path with data (taken over: freed here on failure)
 * of size bytes. */
static int add_entry(http_static *st, const char *url_path, const char *type, unsigned char *data,
                     size_t size)
{
    static_file *grown = ra_array_reserve(st->files, st->n, &st->cap, sizeof *grown, 64);
    if (grown == NULL) {
        free(data);
        return RA_ERR_NOMEM;
    }
    st->files = grown;
    static_file *f = &st->files[st->n];
    memset(f, 0, sizeof *f);
    f->path = strdup(url_path);
    if (f->path == NULL) {
        free(data);
        return RA_ERR_NOMEM;
    }
    f->data = data;
    f->size = size;
    f->content_type = type;
    make_etag(f->data, size, f->etag);
    st->n++;
    st->total += size;
    return RA_OK;
}

static int add_file(http_static *st, const char *fs_path, const char *url_path, size_t size,
                    char *err, size_t errlen)
{
    const char *type = type_of(url_path);
    if (type == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "%s: not a type the web app serves", fs_path);
    if (size > HTTP_STATIC_MAX_BYTES - st->total)
        return ra_fail(err, errlen, RA_ERR_INVALID, "the web files pass %u bytes at %s",
                       HTTP_STATIC_MAX_BYTES, fs_path);
    unsigned char *data = NULL;
    int rc = read_whole(fs_path, size, &data);
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "%s: cannot read", fs_path);
    return add_entry(st, url_path, type, data, size);
}

static int load_dir(http_static *st, const char *fs_dir, const char *url_dir, int depth, char *err,
                    size_t errlen)
{
    if (depth > 8)
        return ra_fail(err, errlen, RA_ERR_INVALID, "%s: folders nested too deep", fs_dir);
    DIR *d = opendir(fs_dir);
    if (d == NULL)
        return ra_fail(err, errlen, RA_ERR_IO, "%s: cannot open the folder", fs_dir);
    int rc = RA_OK;
    struct dirent *e;
    while (rc == RA_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char fs_path[4096], url_path[1024];
        struct stat sb;
        if (snprintf(fs_path, sizeof fs_path, "%s/%s", fs_dir, e->d_name) >= (int)sizeof fs_path ||
            snprintf(url_path, sizeof url_path, "%s/%s", url_dir, e->d_name) >=
                (int)sizeof url_path)
            rc = ra_fail(err, errlen, RA_ERR_INVALID, "%s: name too long", e->d_name);
        else if (stat(fs_path, &sb) != 0)
            rc = ra_fail(err, errlen, RA_ERR_IO, "%s: cannot stat", fs_path);
        else if (S_ISDIR(sb.st_mode))
            rc = load_dir(st, fs_path, url_path, depth + 1, err, errlen);
        else if (S_ISREG(sb.st_mode))
            rc = add_file(st, fs_path, url_path, (size_t)sb.st_size, err, errlen);
    }
    closedir(d);
    return rc;
}

int http_static_load(const char *dir, http_static **out, char *err, size_t errlen)
{
    http_static *st = calloc(1, sizeof *st);
    if (st == NULL)
        return RA_ERR_NOMEM;
    int rc = load_dir(st, dir, "", 0, err, errlen);
    if (rc != RA_OK) {
        http_static_free(st);
        return rc;
    }
    *out = st;
    return RA_OK;
}

int http_static_add(http_static *st, const char *path, const void *data, size_t size, char *err,
                    size_t errlen)
{
    const char *type = path != NULL ? type_of(path) : NULL;
    if (st == NULL || path == NULL || path[0] != '/' || (data == NULL && size > 0))
        return ra_fail(err, errlen, RA_ERR_INVALID, "no file to add to the web app");
    if (type == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "%s: not a type the web app serves", path);
    if (find(st, path) != NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "%s: the server makes this file; the web folder must not hold one", path);
    if (size > HTTP_STATIC_MAX_BYTES - st->total)
        return ra_fail(err, errlen, RA_ERR_INVALID, "the web files pass %u bytes at %s",
                       HTTP_STATIC_MAX_BYTES, path);
    unsigned char *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return RA_ERR_NOMEM;
    if (size > 0)
        memcpy(copy, data, size);
    return add_entry(st, path, type, copy, size);
}

void http_static_free(http_static *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->n; i++) {
        free(st->files[i].path);
        free(st->files[i].data);
    }
    free(st->files);
    free(st);
}

size_t http_static_count(const http_static *st)
{
    return st ? st->n : 0;
}

static const static_file *find(const http_static *st, const char *path)
{
    if (st == NULL)
        return NULL;
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->files[i].path, path) == 0)
            return &st->files[i];
    return NULL;
}

int http_static_has(const http_static *st, const char *path)
{
    return find(st, path) != NULL;
}

int http_static_serve(http_request *req, const http_static *st, const char *path)
{
    const static_file *f = find(st, path);
    if (f == NULL)
        return 0;
    http_add_header(req, "ETag", f->etag);
    http_add_header(req, "Cache-Control", "no-cache");
    const char *seen = http_header(req, "If-None-Match");
    if (seen != NULL && strcmp(seen, f->etag) == 0)
        http_reply(req, 304, f->content_type, "", 0);
    else
        http_reply(req, 200, f->content_type, f->data, f->size);
    return 1;
}

/* static.h - the web app's static files (HTML, CSS, JavaScript, images),
 * read once at start-up from one directory and served from memory.
 *
 * Only files found at load time can ever be served, so no request path can
 * reach outside the directory. Each reply carries an ETag and is revalidated
 * (Cache-Control: no-cache), answering 304 when the browser's copy is current. */
#ifndef RAPORTAI_HTTP_STATIC_H
#define RAPORTAI_HTTP_STATIC_H

#include <stddef.h>

#include "http/http.h"

typedef struct http_static http_static;

#define HTTP_STATIC_MAX_BYTES (64u * 1024 * 1024) /* all files together */

/* Loads every regular file under dir (names starting with "." skipped).
 * RA_ERR_IO when dir cannot be read, RA_ERR_INVALID when a file has a type
 * we do not serve or the files pass HTTP_STATIC_MAX_BYTES (err says which). */
int http_static_load(const char *dir, http_static **out, char *err, size_t errlen);
/* Adds a file the server makes itself (a script generated from its own
 * tables) at path ("/assets/vocabulary.js"), served like the loaded ones;
 * data is copied. RA_ERR_INVALID when path is not a type we serve, is
 * already a file (one in the web folder included) or would pass
 * HTTP_STATIC_MAX_BYTES (err says which; nothing is added); RA_ERR_NOMEM. */
int http_static_add(http_static *st, const char *path, const void *data, size_t size, char *err,
                    size_t errlen);
void http_static_free(http_static *st);
/* Number of files loaded. */
size_t http_static_count(const http_static *st);
/* True when path ("/login.html"; "/" means "/index.html") is a loaded file. */
int http_static_has(const http_static *st, const char *path);
/* Replies with the file at path (GET or HEAD); returns 1 when it did, 0 when
 * path is not a loaded file (nothing was sent). */
int http_static_serve(http_request *req, const http_static *st, const char *path);

#endif

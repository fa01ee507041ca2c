/* http_double.h - a made-up HTTP request for unit tests: http/http.h's
 * request accessors and replies, implemented without libmicrohttpd, so that
 * admission and handlers (src/api) can be called with a request the test
 * writes (method, path and query, headers, cookies, body, form fields,
 * client address) and their reply read back (status, headers, body).
 *
 * The unit-test binary links tests/unit/support/http_double.c in place of
 * src/http/server.c (see the Makefile); nothing else changes. There is no
 * server in the unit tests: http_server_start refuses, and http_offload
 * runs the work and its resumption at once, on the calling thread.
 *
 * Every string given is copied. THREAD SAFETY: one request, one thread. */
#ifndef RAPORTAI_TESTS_HTTP_DOUBLE_H
#define RAPORTAI_TESTS_HTTP_DOUBLE_H

#include <jansson.h>
#include <stddef.h>

#include "http/http.h"

/* A request for path ("/a/b?x=1&y=2": the query is split into arguments,
 * taken as written) from 127.0.0.1, without a body. Never NULL (aborts on
 * out of memory). */
http_request *http_double_new(const char *method, const char *path);
/* Frees the request, running the application's state release first (as
 * the server does when a request completes). NULL is ignored. */
void http_double_free(http_request *req);

void http_double_header(http_request *req, const char *name, const char *value);
void http_double_cookie(http_request *req, const char *name, const char *value);
/* The body, taken in memory (also sets Content-Length). */
void http_double_body(http_request *req, const char *body);
/* A text field of a form body (also sets a multipart Content-Type when the
 * request has none). */
void http_double_form(http_request *req, const char *name, const char *value);
void http_double_client(http_request *req, const char *addr);

/* Admits req as the server would (admit with the headers; an answer there
 * ends it), then runs handler unless admission answered. Returns the
 * status of the reply (0 when none was sent). */
unsigned http_double_run(http_request *req, http_admit_fn admit, http_handler handler, void *app);

/* The reply: status (0 before it), how many replies were attempted (a
 * handler must reply once), a reply header (case-insensitive; NULL when
 * absent), the body and its length, and the body parsed as JSON (caller
 * decrefs; NULL when it is not JSON). */
unsigned http_double_status(const http_request *req);
int http_double_replies(const http_request *req);
const char *http_double_reply_header(const http_request *req, const char *name);
const char *http_double_reply_body(const http_request *req, size_t *len);
json_t *http_double_reply_json(const http_request *req);

#endif

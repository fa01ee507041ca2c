/* http.h - the HTTP server: libmicrohttpd underneath, one request context per
 * request, bounded bodies, one log line per request. Owns every MHD_* call.
 *
 * The server calls the application twice per request. First the admission
 * (http_admit_fn) with the headers only, before a byte of the body is
 * accepted: it either answers at once, and then the body is never read (the
 * connection closes after the answer when the client announced one), or it
 * says how the body is taken: in memory up to max_body, or as a form whose
 * one named file part streams to the upload directory. Nothing reaches the
 * disk unless the admission asked for it. Then the handler, once the whole
 * body has arrived. The handler must answer with exactly one http_reply*
 * call; a request it leaves unanswered gets a 500. Both run on the server's
 * pool threads: they must not block for long (speech and structuring run on
 * the job workers, never here). Work that takes long but belongs to the
 * request (password hashing, probing an upload, rendering an export) goes
 * through http_offload: the connection waits without holding a thread, and
 * the handler's second half answers.
 *
 * Connections: libmicrohttpd's timeout is an idle one only; the server
 * also cuts a connection whose request's headers are not complete within
 * header_timeout_ms or whose body falls below min_body_rate after
 * body_grace_ms (connwatch.h), logging it once. Behind trusted proxies the
 * client's address and scheme come from X-Forwarded-For and
 * X-Forwarded-Proto (forwarded.h); from anyone else they are ignored.
 *
 * The upload directory belongs to the server: files a previous process left
 * are deleted at start, and a sweeper thread deletes the ones not written to
 * for upload_stale_s (a request that died without its cleanup running).
 *
 * Memory: a request's context and everything http_* hands out about it
 * (header values, path, body) live until the request completes; handlers
 * must copy what they keep. */
#ifndef RAPORTAI_HTTP_HTTP_H
#define RAPORTAI_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/workpool.h"
#include "http/forwarded.h"

typedef struct http_server http_server;
typedef struct http_request http_request;

typedef void (*http_handler)(http_request *req, void *app);

/* How the body of an admitted request is taken. */
typedef struct http_intake {
    const char *file_field; /* NULL: in memory, up to max_body. Otherwise a
                               form (multipart or urlencoded): the file part
                               of this name streams to the upload directory,
                               file parts of other names are read and
                               dropped. Must outlive the request (a literal). */
    uint64_t max_file;      /* bytes of that file; 0: the server's max_upload */
} http_intake;

/* Called once per request with its headers, before any of its body is
 * accepted. Either answers (an http_reply* call) or leaves *in as it wants
 * the body taken (it arrives zeroed: in memory). */
typedef void (*http_admit_fn)(http_request *req, void *app, http_intake *in);

typedef struct http_config {
    const char *listen;          /* "127.0.0.1:8080", "[::1]:8080"; port 0 picks one */
    unsigned threads;            /* pool threads */
    unsigned timeout_s;          /* idle connection timeout */
    int64_t header_timeout_ms;   /* a request's headers complete within this
                                    of the connection's accept (or of the
                                    previous request's end); 0: no deadline */
    int64_t body_grace_ms;       /* a body's time before its rate counts */
    uint64_t min_body_rate;      /* bytes/s a body must keep up after its
                                    grace, or the connection is cut; 0: none */
    const http_proxies *proxies; /* trusted proxies (copied); NULL: none */
    unsigned max_connections;    /* in all */
    unsigned per_ip_connections; /* from one address */
    size_t header_bytes;         /* memory for one request's headers */
    size_t max_body;             /* larger bodies are not buffered */
    const char *upload_dir;      /* where uploaded files stream to */
    uint64_t max_upload;         /* bytes of one uploaded file */
    size_t max_form_text;        /* bytes of all text fields of a form */
    unsigned upload_stale_s;     /* upload files not written for this long are
                                    deleted; 0: only at start */
} http_config;

/* Empties the upload directory of the files a previous process left, then
 * starts listening. admit may be NULL (every body is taken in memory).
 * RA_ERR_INVALID for a bad listen address (err says why), RA_ERR_IO when
 * the address cannot be bound, RA_ERR_NOMEM. */
int http_server_start(const http_config *cfg, http_admit_fn admit, http_handler handler, void *app,
                      http_server **out, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const http_server *srv);
/* Stops accepting, finishes requests in flight and frees the server. Waits
 * for offloaded work (http_offload) to finish first, so the pools that run
 * it must be freed only after this. */
void http_server_stop(http_server *srv);

/* ---- the request ----------------------------------------------------------- */
const char *http_method(const http_request *req);
/* The decoded path, without the query string. May hold any bytes. */
const char *http_path(const http_request *req);
/* A request header (case-insensitive name), or NULL. */
const char *http_header(const http_request *req, const char *name);
/* A cookie the client sent, or NULL. */
const char *http_cookie(const http_request *req, const char *name);
/* A query-string argument, or NULL. */
const char *http_query(const http_request *req, const char *name);
/* The body as received; NULL when there was none. *len gets its size. */
const char *http_body(const http_request *req, size_t *len);
/* True when the client sent more body than max_body (nothing was kept). */
int http_body_too_large(const http_request *req);
/* This request's id, also sent as X-Request-Id and logged. */
const char *http_request_id(const http_request *req);
/* The body's length as the headers declare it: 1 with *len set (0 for a
 * request without a body), or 0 when it is only known at its end (chunked
 * transfer encoding). */
int http_body_declared(const http_request *req, uint64_t *len);
/* The largest body the server takes with intake in: max_body in memory, or
 * for a form the file's bound, max_form_text and room for the parts'
 * headers and boundaries. */
uint64_t http_intake_max(const http_request *req, const http_intake *in);

/* Attaches the application's state to the request; free_fn(data) runs once
 * when the request ends, however it ends (answered, refused at admission,
 * the client gone), after the request's upload files are deleted. A second
 * call replaces the data without freeing the first. */
void http_set_app_state(http_request *req, void *data, void (*free_fn)(void *data));
/* The data of http_set_app_state, or NULL. */
void *http_app_state(const http_request *req);
/* The client's address, the one every per-client limit goes by: the
 * connected peer's, unless the peer is a trusted proxy (http_config's
 * proxies) and X-Forwarded-For names another (forwarded.h: its right-most
 * entry that is not a trusted proxy). IPv4 dotted, IPv6 in its canonical
 * text, an IPv4-mapped IPv6 address as IPv4; "" when it cannot be told. */
const char *http_client_addr(const http_request *req);
/* The address of the connection's other end (a proxy's, behind one). */
const char *http_peer_addr(const http_request *req);
/* True when the request reached us over HTTPS: a trusted proxy said so in
 * X-Forwarded-Proto (the server itself speaks plain HTTP). */
int http_request_https(const http_request *req);

/* ---- forms (multipart/form-data and urlencoded POST bodies) -------------------- */
typedef struct http_upload {
    const char *field;    /* the form field's name */
    const char *filename; /* as the client named it (untrusted) */
    const char *path;     /* the temporary file, "" when too large */
    uint64_t size;        /* bytes received, even past the bound */
    char sha256[65];      /* lowercase hex of the whole content */
    int too_large;        /* size passed max_upload: nothing kept */
} http_upload;

/* A text field of the form (the first of that name), or NULL. */
const char *http_form(const http_request *req, const char *name);
/* An uploaded file of the form, or NULL. Valid until the request ends. */
const http_upload *http_form_file(const http_request *req, const char *name);
/* True when the text fields passed max_form_text (later ones were dropped). */
int http_form_too_large(const http_request *req);
/* True when the form body could not be parsed (no boundary, broken parts). */
int http_form_malformed(const http_request *req);
/* Moves the uploaded file to dest_path (same file system), so it is not
 * deleted when the request ends. RA_ERR_NOT_FOUND, RA_ERR_IO. */
int http_form_keep(http_request *req, const char *name, const char *dest_path);

/* ---- work off the HTTP threads ------------------------------------------------ */
/* work(ctx) runs on a pool thread; then resume(req, ctx) runs on an HTTP
 * thread and must answer the request as a handler would. */
typedef void (*http_work_fn)(void *ctx);
typedef void (*http_resume_fn)(http_request *req, void *ctx);

/* Called by a handler instead of replying: queues work(ctx) on pool and
 * suspends the request, so no HTTP thread waits for it; once work is done,
 * resume(req, ctx) answers. The handler returns at once after RA_OK. ctx is
 * taken on RA_OK: free_ctx(ctx) (may be NULL) runs when the request ends,
 * after resume, or without it when the client went away meanwhile. On
 * failure nothing is taken and the handler must reply itself:
 * RA_ERR_REFUSED when pool's queue is full, RA_ERR_CANCELLED when the
 * server is stopping, RA_ERR_INVALID when the request was already answered
 * or offloaded. */
int http_offload(http_request *req, workpool *pool, http_work_fn work, http_resume_fn resume,
                 void *ctx, void (*free_ctx)(void *ctx));

/* ---- the reply --------------------------------------------------------------- */
/* Adds a header to the reply; both strings are copied. */
void http_add_header(http_request *req, const char *name, const char *value);
/* Replies with a copy of body. */
void http_reply(http_request *req, unsigned status, const char *content_type, const void *body,
                size_t len);
/* Replies with body serialised as compact JSON; takes the reference. */
void http_reply_json(http_request *req, unsigned status, json_t *body);

#endif

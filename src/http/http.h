/* http.h - the HTTP server: libmicrohttpd underneath, one request context per
 * request, bounded bodies, one log line per request. Owns every MHD_* call.
 *
 * The server calls the application's handler once per request, after the
 * whole request has arrived (the body, if any, buffered up to the configured
 * maximum). The handler must answer with exactly one http_reply* call; a
 * request it leaves unanswered gets a 500. Handlers run on the server's pool
 * threads: they must not block for long (speech and structuring run on the
 * job workers, never here).
 *
 * Memory: a request's context and everything http_* hands out about it
 * (header values, path, body) live until the request completes; handlers
 * must copy what they keep. */
#ifndef RAPORTAI_HTTP_HTTP_H
#define RAPORTAI_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>

typedef struct http_server http_server;
typedef struct http_request http_request;

typedef void (*http_handler)(http_request *req, void *app);

typedef struct http_config {
    const char *listen;             /* "127.0.0.1:8080", "[::1]:8080"; port 0 picks one */
    unsigned    threads;            /* pool threads */
    unsigned    timeout_s;          /* idle connection timeout */
    unsigned    max_connections;    /* in all */
    unsigned    per_ip_connections; /* from one address */
    size_t      header_bytes;       /* memory for one request's headers */
    size_t      max_body;           /* larger bodies are not buffered */
} http_config;

/* Starts listening. RA_ERR_INVALID for a bad listen address (err says why),
 * RA_ERR_IO when the address cannot be bound. */
int http_server_start(const http_config *cfg, http_handler handler, void *app,
                      http_server **out, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const http_server *srv);
/* Stops accepting, finishes requests in flight and frees the server. */
void http_server_stop(http_server *srv);

/* ---- the request ----------------------------------------------------------- */
const char *http_method(const http_request *req);
/* The decoded path, without the query string. May hold any bytes. */
const char *http_path(const http_request *req);
/* A request header (case-insensitive name), or NULL. */
const char *http_header(const http_request *req, const char *name);
/* A query-string argument, or NULL. */
const char *http_query(const http_request *req, const char *name);
/* The body as received; NULL when there was none. *len gets its size. */
const char *http_body(const http_request *req, size_t *len);
/* True when the client sent more body than max_body (nothing was kept). */
int http_body_too_large(const http_request *req);
/* This request's id, also sent as X-Request-Id and logged. */
const char *http_request_id(const http_request *req);

/* ---- the reply --------------------------------------------------------------- */
/* Adds a header to the reply; both strings are copied. */
void http_add_header(http_request *req, const char *name, const char *value);
/* Replies with a copy of body. */
void http_reply(http_request *req, unsigned status, const char *content_type,
                const void *body, size_t len);
/* Replies with body serialised as compact JSON; takes the reference. */
void http_reply_json(http_request *req, unsigned status, json_t *body);

#endif

/* connwatch.h - deadlines on the inbound connections that libmicrohttpd has
 * none for: a request's headers must be complete within header_ms of the
 * connection's accept (or of the previous request's end on a kept-alive
 * connection), and its body must keep arriving at min_body_rate bytes a
 * second once body_grace_ms have passed. libmicrohttpd's own timeout is an
 * idle timeout only: a client sending one byte every few seconds would hold
 * its connection for ever.
 *
 * The server registers each connection when libmicrohttpd reports it
 * started and removes it when libmicrohttpd reports it closed, and tells
 * the watch where each request is (headers, body, done). A sweeper thread
 * looks every CONNWATCH_TICK_MS and cuts a connection past its deadline with
 * shutdown(2) on its socket, never close(2): libmicrohttpd sees the end of
 * the stream, closes the connection itself and runs its usual cleanup. The
 * cut is logged once per connection at warning level, with the client's
 * address.
 *
 * THREAD SAFETY: connwatch_add and connwatch_remove take the watch's lock,
 * and the sweeper holds it while it walks the connections and shuts their
 * sockets down, so a socket is never touched after connwatch_remove
 * returned (the server calls it before libmicrohttpd closes the socket).
 * The phase calls are made by the thread handling the connection; they
 * write atomics (connwatch_headers_done also takes the lock to copy the
 * address). Nothing here calls libmicrohttpd. */
#ifndef RAPORTAI_HTTP_CONNWATCH_H
#define RAPORTAI_HTTP_CONNWATCH_H

#include <stddef.h>
#include <stdint.h>

#define CONNWATCH_TICK_MS 200 /* how often the sweeper looks */
#define CONNWATCH_ADDR_LEN 46 /* INET6_ADDRSTRLEN */

typedef struct connwatch connwatch;
typedef struct connwatch_conn connwatch_conn;

typedef struct connwatch_config {
    int64_t header_ms;      /* accept (or previous request's end) to the end
                               of the headers; 0: no deadline */
    int64_t body_grace_ms;  /* a body's time before its rate counts */
    uint64_t min_body_rate; /* bytes a second a body must keep up after
                               its grace; 0: no minimum */
} connwatch_config;

/* Where a connection's current request is. */
typedef enum connwatch_phase {
    CONNWATCH_HEADERS, /* waiting for a request's headers */
    CONNWATCH_BODY,    /* headers in, body arriving */
    CONNWATCH_DONE,    /* body in: handled, answered or waiting for work */
} connwatch_phase;

/* What the deadline says of a connection at now_ms. */
typedef enum connwatch_verdict {
    CONNWATCH_OK,
    CONNWATCH_CUT_HEADERS, /* headers not complete by the deadline */
    CONNWATCH_CUT_BODY,    /* body below the minimum rate after its grace */
} connwatch_verdict;

/* The rule, a pure function: a connection in phase since since_ms (with
 * body_bytes of body received in CONNWATCH_BODY) is cut when its headers
 * are not in header_ms after since_ms, or when its body has not reached
 * min_body_rate bytes a second counted from body_grace_ms after since_ms
 * (each byte received moves the deadline on by 1/min_body_rate s, as
 * Apache's mod_reqtimeout does). Cannot fail. */
connwatch_verdict connwatch_judge(const connwatch_config *cfg, connwatch_phase phase,
                                  int64_t since_ms, uint64_t body_bytes, int64_t now_ms);

/* Starts a watch with cfg (copied) and, when a deadline is set, its
 * sweeper. RA_ERR_NOMEM. */
int connwatch_start(const connwatch_config *cfg, connwatch **out);
/* Stops the sweeper and frees the watch; every connection must have been
 * removed. NULL is ignored. */
void connwatch_stop(connwatch *w);

/* Registers a connection on socket fd from peer (text, copied), in phase
 * CONNWATCH_HEADERS from now. NULL when out of memory: the connection is
 * then not watched. */
connwatch_conn *connwatch_add(connwatch *w, int fd, const char *peer);
/* Unregisters c and frees it; after it returns the sweeper never touches
 * fd again. NULL is ignored. */
void connwatch_remove(connwatch *w, connwatch_conn *c);

/* A request's headers are complete: its body's phase starts now. client is
 * the address its limits go by (copied; the peer's unless a trusted proxy
 * forwarded another), logged if the body is cut. NULL c is ignored. */
void connwatch_headers_done(connwatch *w, connwatch_conn *c, const char *client);
/* n more bytes of the body arrived. */
void connwatch_body(connwatch_conn *c, size_t n);
/* The whole body is in: no deadline until the request ends. */
void connwatch_body_done(connwatch_conn *c);
/* The request ended: the next request's headers are due header_ms from
 * now. */
void connwatch_request_done(connwatch_conn *c);

#endif

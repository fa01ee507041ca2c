/* httpc.h - a small HTTP client for the servers an operator configures: the
 * hospital's own speech (OpenAI-compatible /v1/audio/transcriptions) and
 * language-model (/v1/chat/completions) servers. Owns the libcurl calls of
 * these requests (the callback client, with its SSRF guard, stays in
 * jobs/webhook.c). Its other modules: url.h (checking a server's URL, its
 * origin), retry.h (repeating a request), json.h (reading the answers).
 *
 * One request is a POST of a JSON body or of a multipart/form-data form,
 * with an optional bearer key, a time limit and a bound on the answer's
 * size. httpc_post makes one attempt; httpc_post_retry (retry.h) makes
 * several.
 *
 * These servers are trusted configuration, not user input, so loopback and
 * private addresses are allowed (a hospital's servers are on its own
 * network). Even so:
 *   - redirects are never followed (a 3xx is an answer like any other
 *     non-2xx, and is not retried);
 *   - proxies from the environment (http_proxy, ...) and .netrc are
 *     ignored, so patient audio goes only where configured;
 *   - TLS peers and host names are verified (TLS 1.2 or later);
 *   - the answer's body is read up to max_response bytes, headers up to
 *     32 KB.
 *
 * SECRETS AND PATIENT DATA. The bearer key is sent only in the
 * Authorization header; it never appears in an error sentence or a log
 * line. Request and answer bodies (audio, transcripts, reports) never
 * appear in error sentences or logs either: sentences name the server by
 * scheme, host and port only, and say what happened (the HTTP status, a
 * timeout, a refused connection).
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); the err buffer (may be
 * NULL, errlen 0) receives one sentence on failure.
 *
 * THREAD SAFETY. Every function may be called from any thread at once
 * (each request uses its own curl handle, and curl's signal use is
 * disabled), after curl_global_init has run: webhook_global_init does that
 * at start-up (cli/main.c), and httpc_global_init does it for programs and
 * tests that do not call webhook_global_init. */
#ifndef RAPORTAI_HTTPC_HTTPC_H
#define RAPORTAI_HTTPC_HTTPC_H

#include <stdatomic.h>
#include <stddef.h>

#define HTTPC_DEFAULT_TIMEOUT_MS 60000L       /* one attempt, connection included */
#define HTTPC_MAX_CONNECT_MS 10000L           /* connecting, within the above */
#define HTTPC_DEFAULT_MAX_RESPONSE (1u << 20) /* answer body bytes kept */
#define HTTPC_MAX_PARTS 16                    /* parts of one multipart form */

/* One part of a multipart/form-data body. */
typedef struct httpc_part {
    const char *name;         /* the form field's name; required */
    const void *data;         /* the value's bytes (borrowed; need not be text) */
    size_t len;               /* their count */
    const char *filename;     /* NULL: a plain field; else a file part with this name */
    const char *content_type; /* NULL: none for a plain field, application/octet-stream
                                 for a file part */
} httpc_part;

/* One POST. Exactly one of json and parts is given. Everything is borrowed
 * for the duration of the call. */
typedef struct httpc_request {
    const char *url;    /* absolute http:// or https:// URL */
    const char *what;   /* names the server in sentences and logs ("speech
                           server"); NULL: "server" */
    const char *bearer; /* sent as "Authorization: Bearer ..."; NULL or "": none */
    const char *json;   /* a JSON body, sent as application/json; or NULL */
    size_t json_len;
    const httpc_part *parts;  /* a multipart/form-data body; or NULL */
    size_t n_parts;           /* 1..HTTPC_MAX_PARTS with parts */
    long timeout_ms;          /* one attempt, from connecting to the last byte of
                                 the answer; 0: HTTPC_DEFAULT_TIMEOUT_MS */
    size_t max_response;      /* the most answer body bytes read; 0:
                                 HTTPC_DEFAULT_MAX_RESPONSE */
    const atomic_int *cancel; /* when it becomes non-zero, the request in flight (or
                                 the wait between attempts) stops; NULL: never */
} httpc_request;

/* The answer. Fields are written by httpc_post and httpc_post_retry even
 * when they fail; release it with httpc_response_release. */
typedef struct httpc_response {
    long status;        /* the HTTP status of the (last) answer; 0 when none came */
    char *body;         /* that answer's body, NUL-terminated (owned); NULL when none */
    size_t body_len;    /* its length, without the NUL */
    long retry_after_s; /* the answer's Retry-After in seconds (delay-seconds or an
                           HTTP date, capped at a day); -1 when absent */
    int timed_out;      /* the (last) attempt ran out of time */
    int attempts;       /* attempts made (1 for httpc_post) */
} httpc_response;

/* Runs curl_global_init; for programs and tests that do not call
 * webhook_global_init (calling both is harmless). RA_ERR_IO on failure. */
int httpc_global_init(void);
/* Undoes httpc_global_init; call after every request has finished. */
void httpc_global_cleanup(void);

/* One attempt. *resp is filled in every case (release it).
 *   RA_OK               a 2xx answer; resp->body holds its body.
 *   RA_ERR_REFUSED      any other HTTP answer (3xx included: redirects are not
 *                       followed); resp->status and resp->body tell which.
 *   RA_ERR_UNAVAILABLE  no answer: the connection failed or broke, or the time
 *                       limit passed (resp->timed_out).
 *   RA_ERR_TOO_LARGE    the answer's body passed max_response (none is kept).
 *   RA_ERR_BUSY         cancelled through req->cancel.
 *   RA_ERR_INVALID      a bad request (URL, parts); RA_ERR_NOMEM. */
int httpc_post(const httpc_request *req, httpc_response *resp, char *err, size_t errlen);

/* Frees the body and zeroes r; NULL is ignored. */
void httpc_response_release(httpc_response *r);

/* Seconds a Retry-After value asks for (delay-seconds or an HTTP date),
 * capped at cap_s; -1 when v is NULL, empty or unreadable. */
long httpc_parse_retry_after(const char *v, long cap_s);

#endif

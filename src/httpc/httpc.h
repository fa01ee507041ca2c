/* httpc.h - the one outbound HTTP client. Every request RaportAI sends goes
 * through httpc_post: to the hospital's own speech (OpenAI-compatible
 * /v1/audio/transcriptions) and language-model (/v1/chat/completions)
 * servers, trusted configuration (asr/openai.c, structuring/llm.c), and to the
 * callback URLs integrators give, untrusted input (jobs/webhook.c). Owns
 * curl's global set-up and the libcurl calls of a request. Its other
 * modules: url.h (checking a URL, its parts, its origin), retry.h
 * (repeating a request), json.h (reading JSON answers).
 *
 * One request is a POST of a JSON body or of a multipart/form-data form,
 * with an optional bearer key and extra header lines, a time limit and a
 * bound on the answer's size. httpc_post makes one attempt;
 * httpc_post_retry (retry.h) makes several. Whoever sends it:
 *   - redirects are never followed (a 3xx is an answer like any other
 *     non-2xx, and is not retried);
 *   - proxies from the environment (http_proxy, ...) and .netrc are
 *     ignored, so data goes only where the URL says;
 *   - TLS peers and host names are verified (TLS 1.2 or later);
 *   - each request opens its own connection and closes it after the answer;
 *   - the answer's body is read up to max_response bytes, headers up to
 *     32 KB.
 *
 * ADDRESS POLICY. A request may carry an address policy: a function httpc
 * calls with each address curl is about to connect to, after DNS (curl's
 * open-socket callback). An address it refuses gets no socket at all, so a
 * name that resolves to a private address - or that changes its answer
 * between a check and the connection (DNS rebinding) - never reaches it.
 * Callbacks go with one, their SSRF guard (webhook.h); the speech and
 * language-model servers go without, since a hospital's servers are on its
 * own network.
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
 * disabled), after httpc_global_init has run: once, at start-up, before
 * any thread starts (cli/main.c; tests call it in their set-up). */
#ifndef RAPORTAI_HTTPC_HTTPC_H
#define RAPORTAI_HTTPC_HTTPC_H

#include <stdatomic.h>
#include <stddef.h>

#define HTTPC_DEFAULT_TIMEOUT_MS 60000L       /* one attempt, connection included */
#define HTTPC_MAX_CONNECT_MS 10000L           /* connecting, within the above */
#define HTTPC_DEFAULT_MAX_RESPONSE (1u << 20) /* answer body bytes kept */
#define HTTPC_MAX_PARTS 16                    /* parts of one multipart form */
#define HTTPC_TRANSFER_ERROR_LEN 256          /* libcurl's words for a failed transfer */

struct sockaddr;

/* An address policy (see ADDRESS POLICY above): says whether a request may
 * connect to addr, a complete AF_INET or AF_INET6 address curl is about to
 * connect to. Returns RA_OK to allow it, or RA_ERR_REFUSED with one
 * sentence in err to refuse it. Called on the thread running httpc_post,
 * once for each address tried; must not block. */
typedef int (*httpc_addr_policy)(const struct sockaddr *addr, char *err, size_t errlen);

/* The extra header line of a request whose answer is read as JSON. */
extern const char *const httpc_accept_json[];

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
    const char *url;            /* absolute http:// or https:// URL */
    const char *what;           /* names the server in sentences and logs ("speech
                                   server"); NULL: "server" */
    const char *bearer;         /* sent as "Authorization: Bearer ..."; NULL or "": none */
    const char *const *headers; /* extra header lines ("Name: value", printable ASCII),
                                   NULL-terminated, sent after ours; a User-Agent line
                                   replaces ours (RaportAI/1); NULL: none */
    const char *json;           /* a JSON body (any bytes), sent as application/json;
                                   or NULL */
    size_t json_len;
    const httpc_part *parts;       /* a multipart/form-data body; or NULL */
    size_t n_parts;                /* 1..HTTPC_MAX_PARTS with parts */
    long timeout_ms;               /* one attempt, from connecting to the last byte of
                                      the answer; 0: HTTPC_DEFAULT_TIMEOUT_MS */
    size_t max_response;           /* the most answer body bytes read; 0:
                                      HTTPC_DEFAULT_MAX_RESPONSE */
    const atomic_int *cancel;      /* when it becomes non-zero, the request in flight (or
                                      the wait between attempts) stops; NULL: never */
    int https_only;                /* refuse to speak plain http */
    httpc_addr_policy addr_policy; /* checked on every address before connecting;
                                      NULL: any address */
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
    char transfer_error[HTTPC_TRANSFER_ERROR_LEN]; /* when the (last) transfer failed:
                           what it ran into, in libcurl's words ("SSL certificate
                           problem: ..."), for callers that word their own
                           sentence; "" when it did not fail */
} httpc_response;

/* Runs curl_global_init. Call once at start-up, before any thread starts.
 * RA_ERR_IO on failure. */
int httpc_global_init(void);
/* Undoes httpc_global_init; call once at exit, after every request has
 * finished. */
void httpc_global_cleanup(void);

/* One attempt. *resp is filled in every case (release it).
 *   RA_OK               a 2xx answer; resp->body holds its body.
 *   RA_ERR_REFUSED      any other HTTP answer (3xx included: redirects are not
 *                       followed); resp->status and resp->body tell which.
 *                       Or, with resp->status 0, the address policy refused
 *                       the address (every one, or the others failed too);
 *                       err holds the policy's sentence.
 *   RA_ERR_UNAVAILABLE  no answer: the connection failed or broke, or the time
 *                       limit passed (resp->timed_out).
 *   RA_ERR_TOO_LARGE    the answer's body passed max_response (none is kept).
 *   RA_ERR_CANCELLED         cancelled through req->cancel.
 *   RA_ERR_INVALID      a bad request (URL, parts, header lines); RA_ERR_NOMEM. */
int httpc_post(const httpc_request *req, httpc_response *resp, char *err, size_t errlen);

/* Frees the body and zeroes r; NULL is ignored. */
void httpc_response_release(httpc_response *r);

#endif

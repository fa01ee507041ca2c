/* httpc.c - the one outbound HTTP client (see httpc.h): curl's global
 * set-up, and one POST of JSON or multipart/form-data with libcurl, with the
 * address policy checked in curl's open-socket callback. Owns the
 * curl_easy_*, curl_mime_* and curl_slist_* calls.
 *
 * No sentence or log line written here holds a request or answer body or
 * the bearer key: servers are named by their origin (scheme, host, port). */
#include "httpc/httpc.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "httpc/url.h"

#define USER_AGENT "RaportAI/1"
#define MAX_HEADER_BYTES (32u * 1024u)
#define RETRY_AFTER_LEN 64
#define MAX_RETRY_AFTER_S 86400L
#define REFUSAL_LEN 256

_Static_assert(HTTPC_TRANSFER_ERROR_LEN >= CURL_ERROR_SIZE, "room for curl's error text");

const char *const httpc_accept_json[] = {"Accept: application/json", NULL};

/* ---- set-up --------------------------------------------------------- */

int httpc_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? RA_OK : RA_ERR_IO;
}

void httpc_global_cleanup(void)
{
    curl_global_cleanup();
}

/* ---- one attempt -------------------------------------------------------------- */

/* A file part's bytes, read by curl through mime_read. */
typedef struct part_cursor {
    const char *data;
    size_t len, pos;
} part_cursor;

/* What the curl callbacks share with httpc_post; lives on its stack. */
typedef struct post_ctx {
    buf body;                          /* the answer's body, bounded */
    int too_big;                       /* it passed the bound */
    size_t header_bytes;               /* header bytes seen */
    char retry_after[RETRY_AFTER_LEN]; /* the last Retry-After, "" if none */
    const atomic_int *cancel;
    int cancelled;
    httpc_addr_policy addr_policy; /* the request's, or NULL */
    int refused;                   /* the policy refused an address */
    char refusal[REFUSAL_LEN];     /* the policy's sentence for the last one */
    part_cursor cursors[HTTPC_MAX_PARTS];
} post_ctx;

/* True when the request's policy allows a; else notes the refusal. Only a
 * complete IPv4 or IPv6 address is shown to the policy. */
static int address_allowed(post_ctx *ctx, const struct curl_sockaddr *a)
{
    size_t need = a->family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int rc = (a->family == AF_INET || a->family == AF_INET6) && a->addrlen >= need
                 ? ctx->addr_policy(&a->addr, ctx->refusal, sizeof ctx->refusal)
                 : ra_fail(ctx->refusal, sizeof ctx->refusal, RA_ERR_REFUSED,
                           "The address to connect to is not an internet address.");
    if (rc != RA_OK)
        ctx->refused = 1;
    return rc == RA_OK;
}

/* curl calls this with each address it is about to connect to, after DNS;
 * an address the policy refuses gets no socket, so nothing reaches it. */
static curl_socket_t open_socket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    post_ctx *ctx = clientp;
    if (purpose != CURLSOCKTYPE_IPCXN)
        return CURL_SOCKET_BAD;
    if (ctx->addr_policy != NULL && !address_allowed(ctx, a))
        return CURL_SOCKET_BAD;
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *clientp)
{
    post_ctx *ctx = clientp;
    size_t n = size * nmemb;
    if (buf_append(&ctx->body, data, n) != RA_OK) {
        ctx->too_big = 1;
        return 0; /* anything but n stops the transfer */
    }
    return n;
}

static size_t header_cb(char *line, size_t size, size_t nmemb, void *clientp)
{
    post_ctx *ctx = clientp;
    size_t n = size * nmemb;
    static const char name[] = "retry-after:";
    ctx->header_bytes += n;
    if (ctx->header_bytes > MAX_HEADER_BYTES)
        return 0;
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        ctx->retry_after[0] = '\0'; /* a new answer starts (after a 100 Continue) */
    } else if (n > sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0) {
        size_t i = sizeof name - 1, end = n;
        while (i < end && (line[i] == ' ' || line[i] == '\t'))
            i++;
        while (end > i && strchr("\r\n \t", line[end - 1]) != NULL)
            end--;
        size_t len = end - i < RETRY_AFTER_LEN - 1 ? end - i : RETRY_AFTER_LEN - 1;
        memcpy(ctx->retry_after, line + i, len);
        ctx->retry_after[len] = '\0';
    }
    return n;
}

static int progress_cb(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    post_ctx *ctx = clientp;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    if (ctx->cancel != NULL && atomic_load(ctx->cancel)) {
        ctx->cancelled = 1;
        return 1; /* non-zero aborts the transfer */
    }
    return 0;
}

static size_t mime_read(char *buffer, size_t size, size_t nitems, void *arg)
{
    part_cursor *c = arg;
    size_t want = size * nitems, left = c->len - c->pos;
    size_t n = want < left ? want : left;
    memcpy(buffer, c->data + c->pos, n);
    c->pos += n;
    return n;
}

static int mime_seek(void *arg, curl_off_t offset, int origin)
{
    part_cursor *c = arg;
    if (origin != SEEK_SET || offset < 0 || (size_t)offset > c->len)
        return CURL_SEEKFUNC_CANTSEEK;
    c->pos = (size_t)offset;
    return CURL_SEEKFUNC_OK;
}

/* Seconds a Retry-After value asks for (delay-seconds or an HTTP date),
 * capped at cap_s; -1 when v is NULL, empty or unreadable. */
static long parse_retry_after(const char *v, long cap_s)
{
    if (v == NULL || v[0] == '\0')
        return -1;
    if (v[strspn(v, "0123456789")] == '\0') {
        long s = 0;
        for (const char *c = v; *c; c++) {
            s = s * 10 + (*c - '0');
            if (s > cap_s)
                return cap_s;
        }
        return s;
    }
    time_t when = curl_getdate(v, NULL);
    if (when == (time_t)-1)
        return -1;
    time_t now = time(NULL);
    if (when <= now)
        return 0;
    double d = difftime(when, now);
    return d > cap_s ? cap_s : (long)d;
}

/* True when line is "Name: value" in printable ASCII (so no CR or LF can
 * smuggle in another header). */
static int header_line_ok(const char *line)
{
    size_t name = strcspn(line, ":");
    if (name == 0 || line[name] != ':' || !text_is_token(line, name))
        return 0;
    for (const char *c = line + name; *c != '\0'; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7F)
            return 0;
    return 1;
}

/* Checks what the request asks for before anything is sent. */
static int check_request(const httpc_request *req, char *err, size_t errlen)
{
    if (req == NULL || req->url == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The request has no URL.");
    if ((req->json != NULL) == (req->parts != NULL))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "A request sends either a JSON body or a form, not both or neither.");
    if (req->parts != NULL && (req->n_parts == 0 || req->n_parts > HTTPC_MAX_PARTS))
        return ra_fail(err, errlen, RA_ERR_INVALID, "A form has 1 to %d parts.", HTTPC_MAX_PARTS);
    for (size_t i = 0; req->parts != NULL && i < req->n_parts; i++)
        if (req->parts[i].name == NULL || (req->parts[i].data == NULL && req->parts[i].len > 0))
            return ra_fail(err, errlen, RA_ERR_INVALID, "Form part %zu has no name or data.", i);
    if (req->bearer != NULL && req->bearer[0] != '\0' &&
        !text_is_token(req->bearer, strlen(req->bearer)))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The key holds characters an HTTP header cannot carry.");
    for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
        if (!header_line_ok(req->headers[i]))
            return ra_fail(err, errlen, RA_ERR_INVALID,
                           "Header line %zu is not a \"Name: value\" line of printable ASCII.", i);
    if (req->https_only && strncasecmp(req->url, "https://", 8) != 0)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The URL must use https.");
    return httpc_check_url(req->url, err, errlen);
}

/* Appends line to *list; RA_ERR_NOMEM when curl cannot. */
static int add_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *next = curl_slist_append(*list, line);
    if (next == NULL)
        return RA_ERR_NOMEM;
    *list = next;
    return RA_OK;
}

/* The request's headers: ours, then the caller's. The key's line is wiped
 * from our memory once curl has its copy. */
static int build_headers(const httpc_request *req, struct curl_slist **out)
{
    struct curl_slist *list = NULL;
    int rc = add_header(&list, "Expect:"); /* no 100-continue round trip */
    if (rc == RA_OK && req->json != NULL)
        rc = add_header(&list, "Content-Type: application/json");
    if (rc == RA_OK && req->bearer != NULL && req->bearer[0] != '\0') {
        buf line;
        buf_init(&line, strlen(req->bearer) + 64);
        rc = buf_printf(&line, "Authorization: Bearer %s", req->bearer);
        if (rc == RA_OK)
            rc = add_header(&list, line.data);
        if (line.data != NULL)
            sodium_memzero(line.data, line.len);
        buf_release(&line);
    }
    for (size_t i = 0; rc == RA_OK && req->headers != NULL && req->headers[i] != NULL; i++)
        rc = add_header(&list, req->headers[i]);
    if (rc != RA_OK) {
        curl_slist_free_all(list);
        return RA_ERR_NOMEM;
    }
    *out = list;
    return RA_OK;
}

/* The multipart form of req->parts; NULL when out of memory. */
static curl_mime *build_form(CURL *h, const httpc_request *req, post_ctx *ctx)
{
    curl_mime *mime = curl_mime_init(h);
    CURLcode cc = mime != NULL ? CURLE_OK : CURLE_OUT_OF_MEMORY;
    for (size_t i = 0; cc == CURLE_OK && i < req->n_parts; i++) {
        const httpc_part *p = &req->parts[i];
        curl_mimepart *part = curl_mime_addpart(mime);
        if (part == NULL)
            break;
        cc = curl_mime_name(part, p->name);
        if (cc == CURLE_OK && p->filename != NULL) {
            ctx->cursors[i] = (part_cursor){p->data, p->len, 0};
            cc = curl_mime_data_cb(part, (curl_off_t)p->len, mime_read, mime_seek, NULL,
                                   &ctx->cursors[i]);
            if (cc == CURLE_OK)
                cc = curl_mime_filename(part, p->filename);
            if (cc == CURLE_OK)
                cc = curl_mime_type(part,
                                    p->content_type ? p->content_type : "application/octet-stream");
        } else if (cc == CURLE_OK) {
            cc = curl_mime_data(part, p->len > 0 ? p->data : "", p->len);
            if (cc == CURLE_OK && p->content_type != NULL)
                cc = curl_mime_type(part, p->content_type);
        }
        if (cc == CURLE_OK && i + 1 == req->n_parts)
            return mime;
    }
    curl_mime_free(mime);
    return NULL;
}

typedef struct long_opt {
    CURLoption opt;
    long value;
} long_opt;

static const long_opt fixed_opts[] = {
    {CURLOPT_NOSIGNAL, 1L},
    {CURLOPT_FOLLOWLOCATION, 0L},
    {CURLOPT_MAXREDIRS, 0L},
    {CURLOPT_SSL_VERIFYPEER, 1L},
    {CURLOPT_SSL_VERIFYHOST, 2L},
    {CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2},
    {CURLOPT_NETRC, (long)CURL_NETRC_IGNORED},
    {CURLOPT_FORBID_REUSE, 1L}, /* a fresh connection per request, so every one is checked */
    {CURLOPT_FRESH_CONNECT, 1L},
    {CURLOPT_POST, 1L},
};

/* Configures h for req. Returns the first curl error. */
static CURLcode set_options(CURL *h, const httpc_request *req, struct curl_slist *hdrs,
                            curl_mime *form, post_ctx *ctx, char *errbuf)
{
    CURLcode c = CURLE_OK;
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    const char *protocols = req->https_only ? "https" : "http,https";
    for (size_t i = 0; c == CURLE_OK && i < sizeof fixed_opts / sizeof fixed_opts[0]; i++)
        c = curl_easy_setopt(h, fixed_opts[i].opt, fixed_opts[i].value);
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (c == CURLE_OK)                                                                         \
            c = curl_easy_setopt(h, opt, val);                                                     \
    } while (0)
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_PROTOCOLS_STR, protocols);
    SET(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
    SET(CURLOPT_PROXY, ""); /* ignore http_proxy and friends */
    SET(CURLOPT_TIMEOUT_MS, timeout);
    SET(CURLOPT_CONNECTTIMEOUT_MS, timeout < HTTPC_MAX_CONNECT_MS ? timeout : HTTPC_MAX_CONNECT_MS);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ctx->body.max);
    SET(CURLOPT_USERAGENT, USER_AGENT);
    SET(CURLOPT_HTTPHEADER, hdrs);
    SET(CURLOPT_WRITEFUNCTION, write_cb);
    SET(CURLOPT_WRITEDATA, ctx);
    SET(CURLOPT_HEADERFUNCTION, header_cb);
    SET(CURLOPT_HEADERDATA, ctx);
    SET(CURLOPT_OPENSOCKETFUNCTION, open_socket_cb);
    SET(CURLOPT_OPENSOCKETDATA, ctx);
    if (ctx->cancel != NULL) {
        SET(CURLOPT_NOPROGRESS, 0L);
        SET(CURLOPT_XFERINFOFUNCTION, progress_cb);
        SET(CURLOPT_XFERINFODATA, ctx);
    }
    if (form != NULL) {
        SET(CURLOPT_MIMEPOST, form);
    } else {
        SET(CURLOPT_POSTFIELDS, req->json);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->json_len);
    }
#undef SET
    return c;
}

/* The outcome of a finished transfer, with its sentence. */
static int judge(const httpc_request *req, CURLcode cc, post_ctx *ctx, httpc_response *resp,
                 char *err, size_t errlen)
{
    const char *what = req->what != NULL ? req->what : "server";
    char origin[HTTPC_ORIGIN_LEN];
    httpc_url_origin(req->url, origin, sizeof origin);
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    if (ctx->cancelled || (cc == CURLE_ABORTED_BY_CALLBACK && ctx->cancel != NULL))
        return ra_fail(err, errlen, RA_ERR_CANCELLED, "The request to the %s at %s was cancelled.",
                       what, origin);
    if (ctx->refused && resp->status == 0)
        return ra_fail(err, errlen, RA_ERR_REFUSED, "%s", ctx->refusal);
    if (ctx->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        return ra_fail(err, errlen, RA_ERR_TOO_LARGE,
                       "The %s at %s answered with more than %zu bytes.", what, origin,
                       ctx->body.max);
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        resp->timed_out = 1;
        return ra_fail(err, errlen, RA_ERR_UNAVAILABLE,
                       "The %s at %s did not answer within %.1f s.", what, origin,
                       (double)timeout / 1000.0);
    }
    if (resp->status == 0)
        return ra_fail(err, errlen, RA_ERR_UNAVAILABLE, "The %s at %s could not be reached: %s.",
                       what, origin,
                       resp->transfer_error[0] ? resp->transfer_error : curl_easy_strerror(cc));
    if (cc != CURLE_OK)
        return ra_fail(err, errlen, RA_ERR_UNAVAILABLE,
                       "The %s at %s broke off its answer (HTTP %ld): %s.", what, origin,
                       resp->status, resp->transfer_error);
    if (resp->status >= 200 && resp->status < 300)
        return RA_OK;
    if (resp->status >= 300 && resp->status < 400)
        return ra_fail(err, errlen, RA_ERR_REFUSED,
                       "The %s at %s answered HTTP %ld, a redirect, and redirects are not "
                       "followed.",
                       what, origin, resp->status);
    return ra_fail(err, errlen, RA_ERR_REFUSED, "The %s at %s answered HTTP %ld.", what, origin,
                   resp->status);
}

/* Runs the transfer on h and fills resp. */
static int perform(CURL *h, const httpc_request *req, post_ctx *ctx, httpc_response *resp,
                   char *err, size_t errlen)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = NULL;
    curl_mime *form = NULL;
    int rc = build_headers(req, &hdrs);
    if (rc == RA_OK && req->parts != NULL && (form = build_form(h, req, ctx)) == NULL)
        rc = RA_ERR_NOMEM;
    CURLcode cc = rc == RA_OK ? set_options(h, req, hdrs, form, ctx, errbuf) : CURLE_OK;
    if (rc == RA_OK && cc != CURLE_OK)
        rc = cc == CURLE_OUT_OF_MEMORY ? RA_ERR_NOMEM : RA_ERR_INVALID;
    if (rc != RA_OK) {
        ra_fail(err, errlen, rc, "The HTTP client could not be set up: %s.",
                cc != CURLE_OK ? curl_easy_strerror(cc) : ra_strerror(rc));
    } else {
        cc = curl_easy_perform(h);
        long status = 0;
        if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status < 100)
            status = 0;
        resp->status = status;
        resp->retry_after_s = parse_retry_after(ctx->retry_after, MAX_RETRY_AFTER_S);
        if (cc != CURLE_OK)
            snprintf(resp->transfer_error, sizeof resp->transfer_error, "%s",
                     errbuf[0] ? errbuf : curl_easy_strerror(cc));
        rc = judge(req, cc, ctx, resp, err, errlen);
    }
    curl_mime_free(form);
    curl_slist_free_all(hdrs);
    return rc;
}

/* Hands the collected body to resp (not for an answer that was too long). */
static int keep_body(post_ctx *ctx, httpc_response *resp)
{
    resp->body_len = ctx->body.len;
    resp->body = buf_detach(&ctx->body);
    return resp->body != NULL ? RA_OK : RA_ERR_NOMEM;
}

int httpc_post(const httpc_request *req, httpc_response *resp, char *err, size_t errlen)
{
    *resp = (httpc_response){.retry_after_s = -1, .attempts = 1};
    int rc = check_request(req, err, errlen);
    if (rc != RA_OK)
        return rc;
    post_ctx *ctx = calloc(1, sizeof *ctx);
    CURL *h = ctx != NULL ? curl_easy_init() : NULL;
    if (h == NULL) {
        free(ctx);
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    }
    buf_init(&ctx->body, req->max_response > 0 ? req->max_response : HTTPC_DEFAULT_MAX_RESPONSE);
    ctx->cancel = req->cancel;
    ctx->addr_policy = req->addr_policy;
    rc = perform(h, req, ctx, resp, err, errlen);
    if (resp->status != 0 && rc != RA_ERR_TOO_LARGE && keep_body(ctx, resp) != RA_OK && rc == RA_OK)
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    curl_easy_cleanup(h);
    buf_release(&ctx->body);
    free(ctx);
    return rc;
}

void httpc_response_release(httpc_response *r)
{
    if (r == NULL)
        return;
    free(r->body);
    *r = (httpc_response){.retry_after_s = -1};
}

/* httpc.c - the HTTP client for configured servers (see httpc.h): one
 * POST of JSON or multipart/form-data with libcurl, retries with backoff,
 * and a small JSON reader for the answers. Owns the curl_* calls of these
 * requests and the json_* calls that read their answers.
 *
 * No sentence or log line written here holds a request or answer body or
 * the bearer key: servers are named by their origin (scheme, host, port). */
#include "httpc/httpc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"

#define USER_AGENT "RaportAI/1"
#define MAX_HEADER_BYTES (32u * 1024u)
#define RETRY_AFTER_LEN 64
#define MAX_RETRY_AFTER_S 86400L
#define ORIGIN_LEN 300
#define SLEEP_SLICE_MS 50

#define DEFAULT_ATTEMPTS 4
#define DEFAULT_BASE_DELAY_MS 1000L
#define DEFAULT_MAX_DELAY_MS 30000L

/* ---- set-up and URLs --------------------------------------------------------- */

int httpc_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? RA_OK : RA_ERR_IO;
}

void httpc_global_cleanup(void)
{
    curl_global_cleanup();
}

/* True when curl_url_get finds a non-empty part in u. */
static int has_part(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    int present = curl_url_get(u, part, &v, 0) == CURLUE_OK && v != NULL && v[0] != '\0';
    curl_free(v);
    return present;
}

/* Checks the parts of a parsed URL (see httpc_check_url). */
static int check_url_parts(CURLU *u, char *err, size_t errlen)
{
    char *scheme = NULL;
    int rc = RA_OK;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0))
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "The URL must start with http:// or https://.");
    else if (!has_part(u, CURLUPART_HOST))
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "The URL has no host.");
    else if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD) ||
             has_part(u, CURLUPART_OPTIONS))
        rc = ra_fail(err, errlen, RA_ERR_INVALID,
                     "The URL must not carry a user name or password (give the key "
                     "separately).");
    else if (has_part(u, CURLUPART_FRAGMENT) || has_part(u, CURLUPART_ZONEID))
        rc = ra_fail(err, errlen, RA_ERR_INVALID,
                     "The URL must not have a fragment or an IPv6 zone.");
    curl_free(scheme);
    return rc;
}

int httpc_check_url(const char *url, char *err, size_t errlen)
{
    size_t len = url != NULL ? strlen(url) : 0;
    if (len == 0 || !text_is_token(url, len))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The URL must be printable ASCII without spaces.");
    if (len > HTTPC_MAX_URL_LEN)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The URL is longer than %d characters.",
                       HTTPC_MAX_URL_LEN);
    const char *sep = strstr(url, "://");
    if (sep == NULL || sep[3] == '\0' || sep[3] == '/' || sep[3] == '?' || strchr(url, '#'))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The URL must be absolute (http://host/...), without a fragment.");
    CURLU *u = curl_url();
    if (u == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    int rc = uc == CURLUE_OUT_OF_MEMORY ? ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.")
             : uc != CURLUE_OK ? ra_fail(err, errlen, RA_ERR_INVALID, "The URL is not valid.")
                               : check_url_parts(u, err, errlen);
    curl_url_cleanup(u);
    return rc;
}

void httpc_url_origin(const char *url, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    snprintf(out, outlen, "?");
    CURLU *u = url != NULL ? curl_url() : NULL;
    char *scheme = NULL, *host = NULL, *port = NULL;
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
            snprintf(out, outlen, "%s://%s:%s", scheme, host, port);
        else
            snprintf(out, outlen, "%s://%s", scheme, host);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
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
    part_cursor cursors[HTTPC_MAX_PARTS];
} post_ctx;

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

long httpc_parse_retry_after(const char *v, long cap_s)
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

/* The request's headers. The key's line is wiped from our memory once curl
 * has its copy. */
static int build_headers(const httpc_request *req, struct curl_slist **out)
{
    struct curl_slist *list = NULL;
    int rc = add_header(&list, "Expect:"); /* no 100-continue round trip */
    if (rc == RA_OK)
        rc = add_header(&list, "Accept: application/json");
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
    {CURLOPT_POST, 1L},
};

/* Configures h for req. Returns the first curl error. */
static CURLcode set_options(CURL *h, const httpc_request *req, struct curl_slist *hdrs,
                            curl_mime *form, post_ctx *ctx, char *errbuf)
{
    CURLcode c = CURLE_OK;
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    for (size_t i = 0; c == CURLE_OK && i < sizeof fixed_opts / sizeof fixed_opts[0]; i++)
        c = curl_easy_setopt(h, fixed_opts[i].opt, fixed_opts[i].value);
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (c == CURLE_OK)                                                                         \
            c = curl_easy_setopt(h, opt, val);                                                     \
    } while (0)
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
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
static int judge(const httpc_request *req, CURLcode cc, const char *errbuf, post_ctx *ctx,
                 httpc_response *resp, char *err, size_t errlen)
{
    const char *what = req->what != NULL ? req->what : "server";
    char origin[ORIGIN_LEN];
    httpc_url_origin(req->url, origin, sizeof origin);
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    if (ctx->cancelled || (cc == CURLE_ABORTED_BY_CALLBACK && ctx->cancel != NULL))
        return ra_fail(err, errlen, RA_ERR_BUSY, "The request to the %s at %s was cancelled.", what,
                       origin);
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
                       what, origin, errbuf[0] ? errbuf : curl_easy_strerror(cc));
    if (cc != CURLE_OK)
        return ra_fail(err, errlen, RA_ERR_UNAVAILABLE,
                       "The %s at %s broke off its answer (HTTP %ld): %s.", what, origin,
                       resp->status, errbuf[0] ? errbuf : curl_easy_strerror(cc));
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
        resp->retry_after_s = httpc_parse_retry_after(ctx->retry_after, MAX_RETRY_AFTER_S);
        rc = judge(req, cc, errbuf, ctx, resp, err, errlen);
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

/* ---- retries --------------------------------------------------------------------- */

int httpc_retryable(int rc, long status)
{
    if (rc == RA_ERR_UNAVAILABLE)
        return 1;
    if (rc != RA_ERR_REFUSED)
        return 0;
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
}

/* Sleeps ms, in slices, returning 1 at once when cancel becomes non-zero. */
static int sleep_cancellable(long ms, const atomic_int *cancel)
{
    int64_t until = time_mono_ms() + ms;
    for (;;) {
        if (cancel != NULL && atomic_load(cancel))
            return 1;
        int64_t left = until - time_mono_ms();
        if (left <= 0)
            return 0;
        long slice = left < SLEEP_SLICE_MS ? (long)left : SLEEP_SLICE_MS;
        struct timespec ts = {slice / 1000, (slice % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* The wait before attempt `attempt + 1`: base doubled attempt-1 times, +-20%
 * jitter; a longer Retry-After wins; both capped at max_ms. */
static long backoff_ms(const httpc_retry_policy *p, int attempt, long retry_after_s)
{
    long d = p->base_delay_ms;
    for (int i = 1; i < attempt && d < p->max_delay_ms; i++)
        d *= 2;
    if (d > p->max_delay_ms)
        d = p->max_delay_ms;
    long spread = d / 5;
    d = d - spread + (long)randombytes_uniform((uint32_t)(2 * spread + 1));
    if (retry_after_s >= 0 && retry_after_s * 1000 > d)
        d = retry_after_s > p->max_delay_ms / 1000 ? p->max_delay_ms : retry_after_s * 1000;
    return d > p->max_delay_ms ? p->max_delay_ms : d;
}

/* The policy with its defaults filled in. */
static httpc_retry_policy complete_policy(const httpc_retry_policy *given, long timeout_ms)
{
    httpc_retry_policy p = given != NULL ? *given : (httpc_retry_policy){0};
    if (p.max_attempts <= 0)
        p.max_attempts = DEFAULT_ATTEMPTS;
    if (p.base_delay_ms <= 0)
        p.base_delay_ms = DEFAULT_BASE_DELAY_MS;
    if (p.max_delay_ms <= 0)
        p.max_delay_ms = DEFAULT_MAX_DELAY_MS;
    if (p.base_delay_ms > p.max_delay_ms)
        p.base_delay_ms = p.max_delay_ms;
    if (p.deadline_ms <= 0)
        p.deadline_ms = (long)p.max_attempts * (timeout_ms + p.max_delay_ms);
    return p;
}

/* Says what happened to the last attempt and that we gave up. */
static int give_up(const char *last, int attempts, int64_t started, char *err, size_t errlen)
{
    return ra_fail(err, errlen, RA_ERR_UNAVAILABLE, "%s Gave up after %d attempt%s in %.1f s.",
                   last, attempts, attempts == 1 ? "" : "s",
                   (double)(time_mono_ms() - started) / 1000.0);
}

int httpc_post_retry(const httpc_request *req, const httpc_retry_policy *policy,
                     httpc_response *resp, char *err, size_t errlen)
{
    long timeout = req != NULL && req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    httpc_retry_policy p = complete_policy(policy, timeout);
    int64_t started = time_mono_ms();
    char last[512] = "";
    char origin[ORIGIN_LEN];
    httpc_request one = req != NULL ? *req : (httpc_request){0};
    httpc_url_origin(one.url, origin, sizeof origin);
    *resp = (httpc_response){.retry_after_s = -1};
    for (int attempt = 1;; attempt++) {
        long left = p.deadline_ms - (long)(time_mono_ms() - started);
        one.timeout_ms = timeout < left ? timeout : left;
        httpc_response_release(resp);
        int rc = httpc_post(req != NULL ? &one : NULL, resp, last, sizeof last);
        resp->attempts = attempt;
        if (!httpc_retryable(rc, resp->status)) {
            if (rc != RA_OK)
                ra_fail(err, errlen, rc, "%s", last);
            return rc;
        }
        long wait = backoff_ms(&p, attempt, resp->retry_after_s);
        if (attempt >= p.max_attempts || (long)(time_mono_ms() - started) + wait >= p.deadline_ms)
            return give_up(last, attempt, started, err, errlen);
        char how[48];
        if (resp->status != 0)
            snprintf(how, sizeof how, "HTTP %ld", resp->status);
        else
            snprintf(how, sizeof how, "%s", resp->timed_out ? "no answer in time" : "unreachable");
        log_warn("http client: %s at %s: %s (attempt %d of %d); retrying in %.1f s",
                 req->what ? req->what : "server", origin, how, attempt, p.max_attempts,
                 (double)wait / 1000.0);
        if (sleep_cancellable(wait, req->cancel))
            return ra_fail(err, errlen, RA_ERR_BUSY, "The request to the %s at %s was cancelled.",
                           req->what ? req->what : "server", origin);
    }
}

/* ---- JSON --------------------------------------------------------------------------- */

/* The member or element named by the n bytes at name. */
static json_t *json_step(json_t *v, const char *name, size_t n)
{
    char key[256];
    if (n == 0 || n >= sizeof key)
        return NULL;
    memcpy(key, name, n);
    key[n] = '\0';
    if (json_is_array(v) && strspn(key, "0123456789") == n && n <= 9)
        return json_array_get(v, strtoul(key, NULL, 10));
    return json_is_object(v) ? json_object_get(v, key) : NULL;
}

int httpc_json_string(const char *json, size_t len, const char *path, char **out)
{
    if (json == NULL || path == NULL)
        return RA_ERR_FORMAT;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    json_t *v = root;
    for (const char *p = path; v != NULL;) {
        size_t n = strcspn(p, ".");
        v = json_step(v, p, n);
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    int rc = RA_ERR_FORMAT;
    if (v != NULL && json_is_string(v) &&
        memchr(json_string_value(v), '\0', json_string_length(v)) == NULL) {
        char *s = strdup(json_string_value(v));
        rc = s != NULL ? RA_OK : RA_ERR_NOMEM;
        if (s != NULL)
            *out = s;
    }
    json_decref(root);
    return rc;
}

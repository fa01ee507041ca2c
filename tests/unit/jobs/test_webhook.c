/* test_webhook.c - unit tests for src/jobs/webhook: callback URL checks, the
 * signature, the address classification behind the SSRF guard (httpc's
 * address policy for callbacks), real posts through httpc to a tiny HTTP
 * receiver on a loopback port (started inside the test), TLS verification
 * against an openssl s_server with a self-signed certificate, and the
 * retry schedule. Only loopback addresses are ever contacted. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../support/tempdir.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include "httpc/httpc.h"
#include "jobs/webhook.h"

extern char **environ;

static void init(void)
{
    cr_assert_eq(ids_init(), RA_OK);
    cr_assert_eq(httpc_global_init(), RA_OK);
}

static void fini(void)
{
    httpc_global_cleanup();
}

TestSuite(webhook_url, .init = init, .fini = fini);
TestSuite(webhook_sign, .init = init, .fini = fini);
TestSuite(webhook_addr, .init = init, .fini = fini);
TestSuite(webhook_ssrf, .init = init, .fini = fini);
TestSuite(webhook_post, .init = init, .fini = fini);
TestSuite(webhook_retry, .init = init, .fini = fini);

static webhook_policy policy(int dev)
{
    webhook_policy p;
    webhook_policy_init(&p, dev);
    return p;
}

static void expect_url(const char *url, int dev, int want)
{
    webhook_policy p = policy(dev);
    char err[256] = "";
    int rc = webhook_check_url(url, &p, err, sizeof err);
    cr_assert_eq(rc, want, "'%s' (dev %d): got %d, err '%s'", url, dev, rc, err);
    if (want == RA_OK)
        cr_assert_str_empty(err);
    else
        cr_assert(strlen(err) > 10 && err[strlen(err) - 1] == '.', "no sentence: '%s'", err);
}

/* ---- URL checks ------------------------------------------------------------ */

Test(webhook_url, https_urls_with_a_host_are_accepted)
{
    const char *ok[] = {"https://hbys.example.com/raportai/callback",
                        "https://your-server.com/api/callback?x=1&y=2",
                        "HTTPS://Example.COM:8443/cb",
                        "https://8.8.8.8/cb",
                        "https://[2001:4860:4860::8888]/cb",
                        "https://xn--rnek-zoa.com.tr/cb",
                        NULL};
    for (int i = 0; ok[i]; i++)
        expect_url(ok[i], 0, RA_OK);
}

Test(webhook_url, http_only_with_the_development_switch)
{
    expect_url("http://hbys.example.com/cb", 0, RA_ERR_INVALID);
    expect_url("http://hbys.example.com/cb", 1, RA_OK);
    expect_url("http://127.0.0.1:8080/cb", 1, RA_OK);
}

Test(webhook_url, other_schemes_are_refused_even_with_the_switch)
{
    const char *bad[] = {"ftp://example.com/x",       "file:///etc/passwd",
                         "gopher://example.com/",     "javascript:alert(1)",
                         "data:text/plain,hi",        "ws://example.com/",
                         "dict://example.com:11211/", "ldap://example.com/",
                         "javascript:x?https://a.b/", NULL};
    for (int i = 0; bad[i]; i++) {
        expect_url(bad[i], 0, RA_ERR_INVALID);
        expect_url(bad[i], 1, RA_ERR_INVALID);
    }
}

Test(webhook_url, a_host_is_required)
{
    const char *bad[] = {"https://",
                         "https:///path",
                         "https://:443/",
                         "https:/example.com/",
                         "https:example.com",
                         "//example.com/cb",
                         "/cb",
                         "",
                         NULL};
    for (int i = 0; bad[i]; i++)
        expect_url(bad[i], 0, RA_ERR_INVALID);
    webhook_policy p = policy(0);
    char err[256];
    cr_assert_eq(webhook_check_url("https:///path", &p, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(err, "The callback URL has no host.");
    cr_assert_eq(webhook_check_url(NULL, &p, err, sizeof err), RA_ERR_INVALID);
}

Test(webhook_url, userinfo_is_refused_and_not_echoed)
{
    expect_url("https://user:pw@example.com/", 0, RA_ERR_INVALID);
    expect_url("https://user@example.com/", 0, RA_ERR_INVALID);
    expect_url("https://user:pw@example.com/", 1, RA_ERR_INVALID);
    webhook_policy p = policy(0);
    char err[256];
    cr_assert_eq(webhook_check_url("https://alice:s3cretpw@example.com/", &p, err, sizeof err),
                 RA_ERR_INVALID);
    cr_assert_null(strstr(err, "s3cretpw"));
    cr_assert_null(strstr(err, "alice"));
}

Test(webhook_url, fragments_and_zones_are_refused)
{
    expect_url("https://example.com/cb#frag", 0, RA_ERR_INVALID);
    expect_url("https://example.com/cb#", 0, RA_ERR_INVALID);
    expect_url("https://[fe80::1%25eth0]/cb", 1, RA_ERR_INVALID);
}

Test(webhook_url, spaces_and_control_characters_are_refused)
{
    const char *bad[] = {"https://example.com/a b",
                         " https://example.com/",
                         "https://example.com/ ",
                         "https://exa mple.com/",
                         "https://example.com/\tx",
                         "https://example.com/\r\nX-Evil: 1",
                         NULL};
    for (int i = 0; bad[i]; i++)
        expect_url(bad[i], 1, RA_ERR_INVALID);
}

Test(webhook_url, length_is_bounded_at_2048)
{
    char url[3001];
    const char *head = "https://example.com/";
    size_t h = strlen(head);
    memcpy(url, head, h);
    memset(url + h, 'a', sizeof url - 1 - h);
    url[3000] = '\0';
    expect_url(url, 0, RA_ERR_INVALID);
    url[WEBHOOK_MAX_URL_LEN] = '\0';
    expect_url(url, 0, RA_OK);
    url[WEBHOOK_MAX_URL_LEN] = 'a';
    url[WEBHOOK_MAX_URL_LEN + 1] = '\0';
    expect_url(url, 0, RA_ERR_INVALID);
}

Test(webhook_url, non_ascii_is_refused)
{
    expect_url("https://örnek.com.tr/cb", 0, RA_ERR_INVALID);
    expect_url("https://example.com/çağrı", 0, RA_ERR_INVALID);
    expect_url("https://example.com/\xff", 1, RA_ERR_INVALID);
}

Test(webhook_url, literal_addresses_must_be_public_unless_the_switch_is_on)
{
    const char *bad[] = {"https://127.0.0.1/",
                         "https://127.1/",
                         "https://2130706433/",
                         "https://0x7f.0.0.1/",
                         "https://[::1]/",
                         "https://[::ffff:127.0.0.1]/",
                         "https://169.254.169.254/latest/meta-data/",
                         "https://10.0.0.5/",
                         "https://[fd00::2]/",
                         "https://0.0.0.0/",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        expect_url(bad[i], 0, RA_ERR_INVALID);
        expect_url(bad[i], 1, RA_OK);
    }
    webhook_policy p = policy(0);
    char err[256];
    webhook_check_url("https://2130706433/", &p, err, sizeof err);
    cr_assert_str_eq(err, "The callback address 127.0.0.1 is not public (loopback).");
}

/* ---- Signature -------------------------------------------------------------- */

Test(webhook_sign, matches_independently_computed_vectors)
{
    char sig[WEBHOOK_SIGNATURE_HEX];
    /* python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_9bP2kQ",
     *   b"2026-11-28T21:05:18.123Z." + b"{\"jobId\":\"3f1c\",\"status\":\"completed\"}",
     *   hashlib.sha256).hexdigest())' */
    const char *body = "{\"jobId\":\"3f1c\",\"status\":\"completed\"}";
    webhook_sign("whsec_9bP2kQ", "2026-11-28T21:05:18.123Z", body, strlen(body), sig);
    cr_assert_str_eq(sig, "32d0f2c3435392dfbe7ec0a2ded2671efa64d14d8a991e92c6c419d6139187c5");

    /* The same with a UTF-8 secret and body (Python: "...".encode()). */
    const char *tr = "{\"reportText\":\"Karaciğer normal.\"}";
    webhook_sign("gizli-anahtar-ığüşöç", "2026-01-02T03:04:05.000Z", tr, strlen(tr), sig);
    cr_assert_str_eq(sig, "69e6e7751075cf0539c337e55f857cae24b1f369d0e9e4abf86021c388c21f63");

    /* A key longer than the hash block (hashed first) and an empty body:
     * hmac.new(b"k" * 100, b"t.", hashlib.sha256). */
    char key[101];
    memset(key, 'k', 100);
    key[100] = '\0';
    webhook_sign(key, "t", NULL, 0, sig);
    cr_assert_str_eq(sig, "4ec29175e7dfcdd4e516cca92aac3b6973f0b1a63599cf7deb5b52b455014789");
}

Test(webhook_sign, any_change_changes_the_signature)
{
    char a[WEBHOOK_SIGNATURE_HEX], b[WEBHOOK_SIGNATURE_HEX];
    webhook_sign("s", "2026-01-01T00:00:00.000Z", "{}", 2, a);
    webhook_sign("s", "2026-01-01T00:00:00.001Z", "{}", 2, b);
    cr_assert_str_neq(a, b);
    webhook_sign("t", "2026-01-01T00:00:00.000Z", "{}", 2, b);
    cr_assert_str_neq(a, b);
    webhook_sign("s", "2026-01-01T00:00:00.000Z", "{ }", 3, b);
    cr_assert_str_neq(a, b);
    cr_assert_eq(strspn(a, "0123456789abcdef"), 64);
}

/* ---- Address classification ------------------------------------------------- */

static int classify(const char *text, const char **reason)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    if (inet_pton(AF_INET, text, &in.sin_addr) == 1)
        return webhook_addr_is_public((struct sockaddr *)&in, reason);
    cr_assert_eq(inet_pton(AF_INET6, text, &in6.sin6_addr), 1, "bad test address %s", text);
    return webhook_addr_is_public((struct sockaddr *)&in6, reason);
}

Test(webhook_addr, public_addresses_pass)
{
    const char *ok[] = {
        "8.8.8.8",         "1.1.1.1",          "93.184.216.34",        "9.255.255.255",
        "11.0.0.0",        "172.15.255.255",   "172.32.0.0",           "100.63.255.255",
        "100.128.0.0",     "169.253.255.255",  "198.17.255.255",       "198.20.0.0",
        "223.255.255.255", "192.167.255.255",  "2001:4860:4860::8888", "2606:4700::1111",
        "::ffff:8.8.8.8",  "64:ff9b::808:808", "2002:808:808::1",      NULL};
    for (int i = 0; ok[i]; i++) {
        const char *why = NULL;
        cr_assert_eq(classify(ok[i], &why), 1, "%s refused as %s", ok[i], why);
        cr_assert_str_eq(why, "public");
    }
}

Test(webhook_addr, special_ranges_are_refused)
{
    const char *bad[] = {"127.0.0.1",
                         "127.255.255.254",
                         "10.1.2.3",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "169.254.1.1",
                         "100.64.0.1",
                         "100.127.255.255",
                         "0.0.0.0",
                         "0.1.2.3",
                         "255.255.255.255",
                         "224.0.0.1",
                         "239.255.255.250",
                         "240.0.0.1",
                         "192.0.0.8",
                         "192.0.2.1",
                         "198.18.0.1",
                         "198.19.255.255",
                         "198.51.100.7",
                         "203.0.113.9",
                         "192.88.99.1",
                         "::",
                         "::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "::ffff:169.254.169.254",
                         "::127.0.0.1",
                         "64:ff9b::7f00:1",
                         "64:ff9b::a00:1",
                         "64:ff9b:1::1",
                         "fc00::1",
                         "fd00::2",
                         "fd00:ec2::254",
                         "fe80::1",
                         "fec0::1",
                         "ff02::1",
                         "2001::1",
                         "2001:db8::1",
                         "2002:7f00:1::1",
                         "2002:c0a8:101::1",
                         "3fff::1",
                         "4000::1",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        const char *why = NULL;
        cr_assert_eq(classify(bad[i], &why), 0, "%s passed", bad[i]);
        cr_assert_str_neq(why, "public");
    }
}

Test(webhook_addr, reasons_name_the_range)
{
    const char *why = NULL;
    classify("169.254.169.254", &why);
    cr_assert_str_eq(why, "cloud metadata");
    classify("::ffff:127.0.0.1", &why);
    cr_assert_str_eq(why, "loopback");
    classify("100.100.1.1", &why);
    cr_assert_str_eq(why, "shared (CGNAT)");
    classify("fd12::1", &why);
    cr_assert_str_eq(why, "private (unique local)");
    struct sockaddr un = {.sa_family = AF_UNIX};
    cr_assert_eq(webhook_addr_is_public(&un, &why), 0);
    cr_assert_eq(webhook_addr_is_public(NULL, NULL), 0);
}

/* ---- Helpers for posts ------------------------------------------------------- */

#define SECRET "whsec_test_8f2a"
#define BODY "{\"jobId\":\"6b1f4a52-0c1e-4a8e-9d7e-2f3c1b5a9e10\",\"status\":\"completed\"}"

typedef struct post_args {
    char ts[TIME_ISO_LEN];
    char sig[WEBHOOK_SIGNATURE_HEX];
} post_args;

static post_args signed_body(void)
{
    post_args a;
    time_now_iso(a.ts);
    webhook_sign(SECRET, a.ts, BODY, strlen(BODY), a.sig);
    return a;
}

static int do_post(const char *url, const webhook_policy *p, webhook_result *res)
{
    post_args a = signed_body();
    return webhook_post(url, BODY, strlen(BODY), a.ts, a.sig, p, res);
}

/* A listening TCP socket on 127.0.0.1 and an ephemeral port. */
static int listen_loopback(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* True when a connection is waiting on the listening socket. */
static int pending_connection(int fd, int wait_ms)
{
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    return poll(&pf, 1, wait_ms) == 1;
}

/* ---- SSRF guard (development switch off) -------------------------------------- */

Test(webhook_ssrf, literal_internal_targets_are_refused_before_any_connection)
{
    const char *urls[] = {"https://127.0.0.1:1/", "https://[::1]:1/", "http://169.254.169.254/",
                          "https://[::ffff:127.0.0.1]:1/", NULL};
    webhook_policy p = policy(0);
    for (int i = 0; urls[i]; i++) {
        webhook_result res;
        memset(&res, 0x55, sizeof res);
        cr_assert_eq(do_post(urls[i], &p, &res), RA_OK);
        cr_assert_eq(res.delivered, 0);
        cr_assert_eq(res.http_status, 0);
        cr_assert_eq(res.retry_after_s, -1);
        cr_assert_not_null(strstr(res.error, "is not public"), "%s: '%s'", urls[i], res.error);
    }
}

Test(webhook_ssrf, a_name_that_resolves_to_loopback_is_refused_at_connect_time)
{
    /* "localhost" passes the URL check (names are not resolved there); the
     * guard on the connected address must refuse it, and the listener must
     * never see a connection. */
    int port = 0;
    int fd = listen_loopback(&port);
    char url[64];
    snprintf(url, sizeof url, "https://localhost:%d/cb", port);
    webhook_policy p = policy(0);
    char err[256];
    cr_assert_eq(webhook_check_url(url, &p, err, sizeof err), RA_OK);
    webhook_result res;
    cr_assert_eq(do_post(url, &p, &res), RA_OK);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 0);
    cr_assert_not_null(strstr(res.error, "is not public (loopback); refused before connecting"),
                       "'%s'", res.error);
    cr_assert_not(pending_connection(fd, 200), "a connection reached the listener");
    close(fd);
}

Test(webhook_ssrf, the_same_target_is_reached_with_the_switch_on)
{
    /* The control for the test above: the listener does see curl's attempt. */
    int port = 0;
    int fd = listen_loopback(&port);
    char url[64];
    snprintf(url, sizeof url, "https://localhost:%d/cb", port);
    webhook_policy p = policy(1);
    p.timeout_s = 1;
    webhook_result res;
    cr_assert_eq(do_post(url, &p, &res), RA_OK);
    cr_assert_eq(res.delivered, 0);
    cr_assert_null(strstr(res.error, "not public"));
    cr_assert(pending_connection(fd, 0), "curl never connected");
    close(fd);
}

/* ---- A tiny HTTP receiver on a loopback port ------------------------------------ */

typedef enum {
    ANSWER_200,
    ANSWER_500,
    ANSWER_302,
    ANSWER_429,
    ANSWER_503_DATE,
    ANSWER_SLOW,
    ANSWER_HUGE_LENGTH,
    ANSWER_HUGE_STREAM
} answer_mode;

typedef struct receiver {
    int fd; /* listening socket */
    int port;
    answer_mode mode;
    pthread_t thread;
    char req[16384]; /* the request as received, NUL-terminated */
    size_t req_len;
    int accepted;    /* the first connection arrived */
    int second;      /* a second connection arrived (a followed redirect) */
    int peer_closed; /* ANSWER_SLOW: the client hung up without an answer */
} receiver;

static int accept_within(int fd, int ms)
{
    return pending_connection(fd, ms) ? accept(fd, NULL, NULL) : -1;
}

/* Reads the head and a Content-Length body into r->req. */
static void read_request(int c, receiver *r)
{
    struct timeval tv = {.tv_sec = 5};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (;;) {
        ssize_t n = recv(c, r->req + r->req_len, sizeof r->req - 1 - r->req_len, 0);
        if (n <= 0)
            return;
        r->req_len += (size_t)n;
        r->req[r->req_len] = '\0';
        const char *end = strstr(r->req, "\r\n\r\n");
        const char *cl = strcasestr(r->req, "\r\nContent-Length:");
        if (end && cl && (size_t)(r->req + r->req_len - (end + 4)) >= strtoul(cl + 17, NULL, 10))
            return;
    }
}

static void send_all(int c, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = send(c, data, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        data += w;
        n -= (size_t)w;
    }
}

static void send_str(int c, const char *s)
{
    send_all(c, s, strlen(s));
}

static void send_huge(int c, const char *head)
{
    static char chunk[16384];
    memset(chunk, 'x', sizeof chunk);
    send_str(c, head);
    for (int i = 0; i < (1 << 20) / (int)sizeof chunk; i++) {
        if (send(c, chunk, sizeof chunk, MSG_NOSIGNAL) != (ssize_t)sizeof chunk)
            return;
    }
}

static void answer(int c, receiver *r)
{
    char head[256];
    char date[64];
    switch (r->mode) {
    case ANSWER_200:
        send_str(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        break;
    case ANSWER_500:
        send_str(c, "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n");
        break;
    case ANSWER_302:
        snprintf(head, sizeof head,
                 "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%d/else"
                 "where\r\nContent-Length: 0\r\n\r\n",
                 r->port);
        send_str(c, head);
        break;
    case ANSWER_429:
        snprintf(head, sizeof head,
                 "HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\n"
                 "Content-Length: 0\r\n\r\n");
        send_str(c, head);
        break;
    case ANSWER_503_DATE: {
        time_t later = time(NULL) + 120;
        struct tm tm;
        gmtime_r(&later, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        snprintf(head, sizeof head,
                 "HTTP/1.1 503 Busy\r\nRetry-After: %s\r\n"
                 "Content-Length: 0\r\n\r\n",
                 date);
        send_str(c, head);
        break;
    }
    case ANSWER_SLOW: {
        char tmp[64];
        r->peer_closed = pending_connection(c, 6000) && recv(c, tmp, sizeof tmp, 0) == 0;
        break;
    }
    case ANSWER_HUGE_LENGTH:
        send_huge(c, "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n");
        break;
    case ANSWER_HUGE_STREAM:
        send_huge(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        break;
    }
}

static void *receiver_main(void *arg)
{
    receiver *r = arg;
    int c = accept_within(r->fd, 5000);
    if (c < 0)
        return NULL;
    r->accepted = 1;
    read_request(c, r);
    answer(c, r);
    close(c);
    int c2 = accept_within(r->fd, r->mode == ANSWER_302 ? 500 : 0);
    if (c2 >= 0) {
        r->second = 1;
        close(c2);
    }
    return NULL;
}

static receiver *receiver_start(answer_mode mode)
{
    receiver *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    r->mode = mode;
    r->fd = listen_loopback(&r->port);
    cr_assert_eq(pthread_create(&r->thread, NULL, receiver_main, r), 0);
    return r;
}

/* Copies the value of header name from the received request into out. */
static int header_value(const char *req, const char *name, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\r\n%s:", name);
    const char *h = strcasestr(req, pat);
    if (!h)
        return 0;
    h += strlen(pat);
    h += strspn(h, " ");
    size_t len = strcspn(h, "\r\n");
    if (len >= n)
        return 0;
    memcpy(out, h, len);
    out[len] = '\0';
    return 1;
}

static receiver *post_to_receiver(answer_mode mode, webhook_policy *p, webhook_result *res)
{
    receiver *r = receiver_start(mode);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/raportai/callback", r->port);
    cr_assert_eq(do_post(url, p, res), RA_OK);
    pthread_join(r->thread, NULL);
    return r;
}

static void receiver_free(receiver *r)
{
    close(r->fd);
    free(r);
}

/* ---- Posts to the receiver (development switch on) ------------------------------- */

Test(webhook_post, delivers_a_signed_post_and_reports_200)
{
    webhook_policy p = policy(1);
    webhook_result res;
    receiver *r = post_to_receiver(ANSWER_200, &p, &res);
    cr_assert_eq(res.delivered, 1);
    cr_assert_eq(res.http_status, 200);
    cr_assert_eq(res.retry_after_s, -1);
    cr_assert_str_empty(res.error);
    cr_assert_eq(strncmp(r->req, "POST /raportai/callback HTTP/1.1\r\n", 34), 0, "%s", r->req);
    char ts[64], sig[80], v[128];
    cr_assert(header_value(r->req, "Content-Type", v, sizeof v));
    cr_assert_str_eq(v, "application/json");
    cr_assert(header_value(r->req, "User-Agent", v, sizeof v));
    cr_assert_str_eq(v, "RaportAI-Webhook/1");
    cr_assert(header_value(r->req, "X-RaportAI-Timestamp", ts, sizeof ts));
    cr_assert_eq(strlen(ts), 24);
    cr_assert_eq(ts[23], 'Z');
    const char *body = strstr(r->req, "\r\n\r\n") + 4;
    cr_assert_str_eq(body, BODY);
    /* Verify as a receiver would: recompute over what arrived. */
    char want[WEBHOOK_SIGNATURE_HEX];
    webhook_sign(SECRET, ts, body, strlen(body), want);
    cr_assert(header_value(r->req, "X-RaportAI-Signature", sig, sizeof sig));
    cr_assert_str_eq(sig, want);
    cr_assert_eq(r->second, 0);
    receiver_free(r);
}

Test(webhook_post, http_500_is_not_delivered)
{
    webhook_policy p = policy(1);
    webhook_result res;
    receiver *r = post_to_receiver(ANSWER_500, &p, &res);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 500);
    cr_assert_eq(res.retry_after_s, -1);
    cr_assert_str_eq(res.error, "The receiver answered HTTP 500.");
    receiver_free(r);
}

Test(webhook_post, redirects_are_failures_and_not_followed)
{
    webhook_policy p = policy(1);
    webhook_result res;
    receiver *r = post_to_receiver(ANSWER_302, &p, &res);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 302);
    cr_assert_not_null(strstr(res.error, "redirects are not followed"), "'%s'", res.error);
    cr_assert_eq(r->second, 0, "the redirect was followed");
    receiver_free(r);
}

Test(webhook_post, retry_after_seconds_on_429)
{
    webhook_policy p = policy(1);
    webhook_result res;
    receiver *r = post_to_receiver(ANSWER_429, &p, &res);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 429);
    cr_assert_eq(res.retry_after_s, 7);
    receiver_free(r);
}

Test(webhook_post, retry_after_http_date_on_503)
{
    webhook_policy p = policy(1);
    webhook_result res;
    receiver *r = post_to_receiver(ANSWER_503_DATE, &p, &res);
    cr_assert_eq(res.http_status, 503);
    cr_assert(res.retry_after_s >= 115 && res.retry_after_s <= 121, "%ld", res.retry_after_s);
    receiver_free(r);
}

Test(webhook_post, the_time_limit_is_honoured)
{
    webhook_policy p = policy(1);
    p.timeout_s = 2;
    webhook_result res;
    int64_t t0 = time_mono_ms();
    receiver *r = post_to_receiver(ANSWER_SLOW, &p, &res);
    int64_t took = time_mono_ms() - t0;
    cr_assert(r->peer_closed, "the client did not hang up");
    cr_assert(took >= 1900 && took < 3500, "took %lld ms", (long long)took);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 0);
    cr_assert_str_eq(res.error, "The receiver did not answer within 2 s.");
    receiver_free(r);
}

Test(webhook_post, a_long_answer_is_cut_at_the_bound)
{
    answer_mode modes[] = {ANSWER_HUGE_LENGTH, ANSWER_HUGE_STREAM};
    for (size_t i = 0; i < 2; i++) {
        webhook_policy p = policy(1);
        webhook_result res;
        int64_t t0 = time_mono_ms();
        receiver *r = post_to_receiver(modes[i], &p, &res);
        cr_assert(time_mono_ms() - t0 < 3000);
        cr_assert_eq(res.delivered, 1);
        cr_assert_eq(res.http_status, 200);
        cr_assert_str_eq(res.error, "Delivered; the answer was longer than 65536 bytes and the "
                                    "rest was not read.");
        receiver_free(r);
    }
}

Test(webhook_post, bad_arguments_leave_the_result_untouched)
{
    webhook_policy p = policy(1);
    webhook_result res;
    memset(&res, 0x5a, sizeof res);
    post_args a = signed_body();
    const char *url = "http://127.0.0.1:9/";
    cr_assert_eq(webhook_post(NULL, BODY, 2, a.ts, a.sig, &p, &res), RA_ERR_INVALID);
    cr_assert_eq(webhook_post(url, NULL, 2, a.ts, a.sig, &p, &res), RA_ERR_INVALID);
    cr_assert_eq(webhook_post(url, BODY, 2, "2026\r\nX-Evil: 1", a.sig, &p, &res), RA_ERR_INVALID);
    cr_assert_eq(webhook_post(url, BODY, 2, "", a.sig, &p, &res), RA_ERR_INVALID);
    cr_assert_eq(webhook_post(url, BODY, 2, a.ts, "abc", &p, &res), RA_ERR_INVALID);
    a.sig[0] = 'A';
    cr_assert_eq(webhook_post(url, BODY, 2, a.ts, a.sig, &p, &res), RA_ERR_INVALID);
    cr_assert_eq(res.delivered, 0x5a5a5a5a);
}

Test(webhook_post, a_url_the_policy_refuses_is_an_undelivered_attempt)
{
    webhook_policy p = policy(0);
    webhook_result res;
    cr_assert_eq(do_post("http://example.com/cb", &p, &res), RA_OK);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 0);
    cr_assert_str_eq(res.error, "The callback URL must use https.");
}

/* ---- TLS verification against openssl s_server ------------------------------------ */

static int run_quiet(char *const argv[], pid_t *child)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(child, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

static int wait_status(pid_t pid)
{
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Starts s_server with a fresh self-signed certificate on a free port. */
static pid_t start_tls_server(char *dir, int *port)
{
    char key[256], crt[256], acc[32];
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(crt, sizeof crt, "%s/crt.pem", dir);
    char *gen[] = {"openssl",
                   "req",
                   "-x509",
                   "-newkey",
                   "ec",
                   "-pkeyopt",
                   "ec_paramgen_curve:P-256",
                   "-nodes",
                   "-subj",
                   "/CN=127.0.0.1",
                   "-days",
                   "1",
                   "-keyout",
                   key,
                   "-out",
                   crt,
                   NULL};
    pid_t pid;
    if (run_quiet(gen, &pid) != 0 || wait_status(pid) != 0)
        return -1;
    int fd = listen_loopback(port);
    close(fd); /* The port is free now; s_server takes it a moment later. */
    snprintf(acc, sizeof acc, "127.0.0.1:%d", *port);
    char *srv[] = {"openssl", "s_server", "-accept", acc,      "-cert", crt,
                   "-key",    key,        "-www",    "-quiet", NULL};
    if (run_quiet(srv, &pid) != 0)
        return -1;
    for (int i = 0; i < 100; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)*port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int up = connect(c, (struct sockaddr *)&a, sizeof a) == 0;
        close(c);
        if (up)
            return pid;
        usleep(20000);
    }
    kill(pid, SIGTERM);
    wait_status(pid);
    return -1;
}

Test(webhook_post, an_untrusted_certificate_is_refused)
{
    if (system("command -v openssl >/dev/null 2>&1") != 0)
        cr_skip_test("the openssl command is not installed");
    char dir[TEMPDIR_LEN];
    tempdir_make(dir, "webhook");
    int port = 0;
    pid_t srv = start_tls_server(dir, &port);
    char url[64];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    webhook_policy p = policy(1);
    p.timeout_s = 5;
    webhook_result res = {0};
    int rc = srv > 0 ? do_post(url, &p, &res) : RA_ERR_IO;
    if (srv > 0) {
        kill(srv, SIGTERM);
        wait_status(srv);
    }
    tempdir_remove(dir);
    cr_assert(srv > 0, "openssl s_server did not start");
    cr_assert_eq(rc, RA_OK);
    cr_assert_eq(res.delivered, 0);
    cr_assert_eq(res.http_status, 0);
    cr_assert_not_null(strcasestr(res.error, "certificate"), "'%s'", res.error);
}

/* ---- Retry schedule ------------------------------------------------------------------ */

static const long base_delays[] = {5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400};

Test(webhook_retry, each_delay_stays_within_ten_percent_of_the_schedule)
{
    for (int attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) {
        long base = base_delays[attempt - 1];
        for (int i = 0; i < 300; i++) {
            long d = webhook_retry_delay(attempt, -1);
            cr_assert(d >= base - base / 10 && d <= base + base / 10, "attempt %d gave %ld",
                      attempt, d);
        }
    }
    cr_assert_eq(webhook_retry_delay(1, -1), 5);
}

Test(webhook_retry, jitter_spreads_over_the_range)
{
    long lo = 1L << 30, hi = 0;
    double sum = 0;
    for (int i = 0; i < 2000; i++) {
        long d = webhook_retry_delay(3, -1);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
        sum += (double)d;
    }
    cr_assert(lo <= 1640 && hi >= 1960, "range %ld..%ld", lo, hi);
    cr_assert(sum / 2000 > 1770 && sum / 2000 < 1830, "mean %f", sum / 2000);
}

Test(webhook_retry, gives_up_after_the_schedule)
{
    cr_assert_eq(WEBHOOK_MAX_ATTEMPTS, 10);
    cr_assert_eq(webhook_retry_delay(10, -1), -1);
    cr_assert_eq(webhook_retry_delay(11, 60), -1);
    cr_assert_eq(webhook_retry_delay(1000, -1), -1);
    cr_assert_eq(webhook_retry_delay(0, -1), 0);
    long total = 0;
    for (int attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++)
        total += base_delays[attempt - 1] - base_delays[attempt - 1] / 10;
    cr_assert(total > 2 * 86400, "the schedule spans only %ld s", total);
}

Test(webhook_retry, a_longer_retry_after_wins_up_to_a_day)
{
    cr_assert_eq(webhook_retry_delay(1, 7), 7);
    cr_assert_eq(webhook_retry_delay(1, 3), 5);
    cr_assert_eq(webhook_retry_delay(1, 0), 5);
    cr_assert_eq(webhook_retry_delay(2, 3600), 3600);
    cr_assert_eq(webhook_retry_delay(1, 10L * 86400), 86400);
    long d = webhook_retry_delay(9, 100L * 86400);
    cr_assert(d >= 86400 && d <= 95040, "%ld", d);
    d = webhook_retry_delay(2, 100);
    cr_assert(d >= 270 && d <= 330, "%ld", d);
}

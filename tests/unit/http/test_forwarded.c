/* test_forwarded.c - unit tests for src/http/forwarded.c: the trusted
 * proxies' list, the client's address read from X-Forwarded-For (from the
 * right, bad inputs going by the peer) and X-Forwarded-Proto. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "http/forwarded.h"

static http_proxies proxies(const char *list)
{
    http_proxies p;
    char err[160];
    cr_assert_eq(http_proxies_parse(list, &p, err, sizeof err), RA_OK, "%s", err);
    return p;
}

/* Appends s to the text in buf of n bytes (cut when full). */
static void append(char *buf, size_t n, const char *s)
{
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s", s);
}

/* The client behind p for one X-Forwarded-For value; "" when unreadable. */
static const char *client(const http_proxies *p, const char *xff)
{
    static char out[HTTP_ADDR_LEN];
    const char *values[] = {xff};
    int rc = http_forwarded_for(p, values, 1, out, sizeof out);
    cr_assert_eq(rc == RA_OK, out[0] != '\0', "rc %d, out '%s'", rc, out);
    return out;
}

Test(forwarded, the_right_most_untrusted_entry_is_the_client)
{
    http_proxies p = proxies("10.0.0.1, 10.0.0.2");
    cr_assert_str_eq(client(&p, "192.0.2.9"), "192.0.2.9");
    cr_assert_str_eq(client(&p, "192.0.2.1, 192.0.2.9"), "192.0.2.9", "a forged left entry");
    cr_assert_str_eq(client(&p, "192.0.2.9, 10.0.0.2, 10.0.0.1"), "192.0.2.9",
                     "trusted proxies skipped");
    cr_assert_str_eq(client(&p, "10.0.0.1, 192.0.2.9, 10.0.0.2"), "192.0.2.9",
                     "a trusted address left of the client is the client's forgery");
}

Test(forwarded, spaces_ports_brackets_and_ipv6)
{
    http_proxies p = proxies("::1");
    cr_assert_str_eq(client(&p, "  192.0.2.9\t"), "192.0.2.9");
    cr_assert_str_eq(client(&p, "192.0.2.9:4711"), "192.0.2.9");
    cr_assert_str_eq(client(&p, "2001:DB8:0:0::5"), "2001:db8::5", "canonical text");
    cr_assert_str_eq(client(&p, "[2001:db8::5]"), "2001:db8::5");
    cr_assert_str_eq(client(&p, "[2001:db8::5]:443, ::1"), "2001:db8::5");
    cr_assert_str_eq(client(&p, "::ffff:192.0.2.9"), "192.0.2.9", "IPv4-mapped");
    cr_assert_str_eq(client(&p, "x, 0:0::1 , 192.0.2.9,::1"), "192.0.2.9");
}

Test(forwarded, unreadable_headers_go_by_the_peer)
{
    http_proxies p = proxies("10.0.0.1");
    const char *bad[] = {
        "",
        " ",
        ",",
        "192.0.2.9,",
        "unknown",
        "192.0.2.9, garbage",
        "192.0.2.256",
        "192.0.2.9:",
        "192.0.2.9:123456",
        "192.0.2.9:80x",
        "[2001:db8::5",
        "[2001:db8::5]x",
        "[192.0.2.9]",
        "2001:db8::5]",
        "192.0.2.9 192.0.2.8",
        "_gazonk",
        "10.0.0.1",
        "10.0.0.1, 10.0.0.1",
        "192.0.2.9\r\n",
        "0x7f.1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_str_eq(client(&p, bad[i]), "", "'%s'", bad[i]);
    char longer[600] = "192.0.2.9";
    while (strlen(longer) < 500)
        append(longer, sizeof longer, "       ");
    append(longer, sizeof longer, "1");
    cr_assert_str_eq(client(&p, longer), "", "an entry too long");
}

Test(forwarded, too_many_trusted_entries_go_by_the_peer)
{
    http_proxies p = proxies("10.0.0.1");
    char xff[1024] = "192.0.2.9";
    for (int i = 0; i < HTTP_FORWARDED_MAX - 1; i++)
        append(xff, sizeof xff, ",10.0.0.1");
    cr_assert_str_eq(client(&p, xff), "192.0.2.9", "the last one looked at");
    append(xff, sizeof xff, ",10.0.0.1");
    cr_assert_str_eq(client(&p, xff), "", "one more");
    /* Many entries are fine when the client is near the right. */
    char many[2048] = "";
    for (int i = 0; i < 100; i++)
        append(many, sizeof many, "192.0.2.1,");
    append(many, sizeof many, "192.0.2.9");
    cr_assert_str_eq(client(&p, many), "192.0.2.9");
}

Test(forwarded, several_headers_read_as_one_list)
{
    http_proxies p = proxies("10.0.0.1");
    const char *values[] = {"192.0.2.1", "192.0.2.9, 10.0.0.1", "10.0.0.1"};
    char out[HTTP_ADDR_LEN];
    cr_assert_eq(http_forwarded_for(&p, values, 3, out, sizeof out), RA_OK);
    cr_assert_str_eq(out, "192.0.2.9");
    const char *only_proxies[] = {"10.0.0.1", "10.0.0.1"};
    cr_assert_eq(http_forwarded_for(&p, only_proxies, 2, out, sizeof out), RA_ERR_INVALID);
    cr_assert_eq(http_forwarded_for(&p, values, 0, out, sizeof out), RA_ERR_INVALID);
}

Test(forwarded, the_list_of_proxies)
{
    http_proxies p = proxies(" 10.0.0.1 ,[::1], 2001:DB8::1,::ffff:10.0.0.2,");
    cr_assert_eq(p.n, 4);
    cr_assert(http_proxies_trusts(&p, "10.0.0.1"));
    cr_assert(http_proxies_trusts(&p, "::1"));
    cr_assert(http_proxies_trusts(&p, "2001:db8::1"));
    cr_assert(http_proxies_trusts(&p, "10.0.0.2"));
    cr_assert_not(http_proxies_trusts(&p, "10.0.0.3"));
    cr_assert_not(http_proxies_trusts(&p, ""));
    cr_assert_eq(proxies(NULL).n, 0);
    cr_assert_eq(proxies("").n, 0);
    cr_assert_not(http_proxies_trusts(&(http_proxies){.n = 0}, "10.0.0.1"));
}

Test(forwarded, bad_lists_of_proxies)
{
    const char *bad[] = {"proxy.example", "10.0.0.1,,10.0.0.2", "10.0.0.0/8", "10.0.0.1;10.0.0.2",
                         "300.0.0.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http_proxies p;
        char err[160] = "";
        cr_assert_eq(http_proxies_parse(bad[i], &p, err, sizeof err), RA_ERR_INVALID, "%s", bad[i]);
        cr_assert_eq(p.n, 0);
        cr_assert(strstr(err, "is not an IPv4 or IPv6 address") != NULL, "%s", err);
    }
    char many[1024] = "";
    for (int i = 0; i <= HTTP_PROXIES_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d,", i);
    http_proxies p;
    char err[160] = "";
    cr_assert_eq(http_proxies_parse(many, &p, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(err, "more than 32 trusted proxies");
}

Test(forwarded, https_from_the_right_most_proto)
{
    cr_assert(http_forwarded_https("https"));
    cr_assert(http_forwarded_https(" HTTPS "));
    cr_assert(http_forwarded_https("http, https"));
    cr_assert_not(http_forwarded_https("https, http"), "the client wrote the left one");
    cr_assert_not(http_forwarded_https(NULL));
    cr_assert_not(http_forwarded_https(""));
    cr_assert_not(http_forwarded_https("http"));
    cr_assert_not(http_forwarded_https("httpsx"));
    cr_assert_not(http_forwarded_https("wss"));
}

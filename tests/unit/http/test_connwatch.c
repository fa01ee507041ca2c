/* test_connwatch.c - unit tests for src/http/connwatch.c: the rule that
 * cuts a connection (header deadline, body rate after a grace), and the
 * sweeper shutting down a registered socket but never a removed one. */
#include <criterion/criterion.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "http/connwatch.h"

static const connwatch_config cfg = {
    .header_ms = 10000, .body_grace_ms = 10000, .min_body_rate = 1000};

Test(connwatch, headers_are_due_by_the_deadline)
{
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_HEADERS, 0, 0, 10000), CONNWATCH_OK);
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_HEADERS, 0, 0, 10001), CONNWATCH_CUT_HEADERS);
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_HEADERS, 5000, 0, 15000), CONNWATCH_OK,
                 "counted from the phase's start");
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_DONE, 0, 0, 1000000), CONNWATCH_OK,
                 "a request being handled has no deadline");
    connwatch_config off = cfg;
    off.header_ms = 0;
    cr_assert_eq(connwatch_judge(&off, CONNWATCH_HEADERS, 0, 0, 1000000), CONNWATCH_OK);
}

Test(connwatch, a_body_keeps_up_with_the_rate_after_its_grace)
{
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 0, 10000), CONNWATCH_OK, "the grace");
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 0, 11000), CONNWATCH_CUT_BODY);
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 1000, 11000), CONNWATCH_OK,
                 "1,000 bytes earn a second");
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 999, 11000), CONNWATCH_CUT_BODY);
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 50000, 60000), CONNWATCH_OK);
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 49999, 60000), CONNWATCH_CUT_BODY);
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 1, 1000000000), CONNWATCH_CUT_BODY,
                 "a byte a while does not hold it");
    cr_assert_eq(connwatch_judge(&cfg, CONNWATCH_BODY, 0, 0, 100000000000LL), CONNWATCH_CUT_BODY,
                 "no overflow after a long time");
    connwatch_config off = cfg;
    off.min_body_rate = 0;
    cr_assert_eq(connwatch_judge(&off, CONNWATCH_BODY, 0, 0, 1000000), CONNWATCH_OK);
}

/* True when the peer of fd sees the end of the stream within ms. */
static int sees_eof(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char c;
    return poll(&p, 1, ms) == 1 && read(fd, &c, 1) == 0;
}

Test(connwatch, the_sweeper_shuts_down_due_sockets_and_not_removed_ones)
{
    connwatch_config fast = {.header_ms = 1, .body_grace_ms = 0, .min_body_rate = 0};
    connwatch *w = NULL;
    cr_assert_eq(connwatch_start(&fast, &w), RA_OK);
    int due[2], removed[2], done[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, due), 0);
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, removed), 0);
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, done), 0);
    connwatch_conn *c_due = connwatch_add(w, due[0], "192.0.2.1");
    connwatch_conn *c_removed = connwatch_add(w, removed[0], "192.0.2.2");
    connwatch_conn *c_done = connwatch_add(w, done[0], "192.0.2.3");
    cr_assert(c_due && c_removed && c_done);
    connwatch_remove(w, c_removed);
    connwatch_headers_done(w, c_done, "192.0.2.3");
    connwatch_body(c_done, 10);
    connwatch_body_done(c_done);
    cr_assert(sees_eof(due[1], 5000), "the due one is cut");
    cr_assert_not(sees_eof(removed[1], 3 * CONNWATCH_TICK_MS), "a removed one is never touched");
    cr_assert_not(sees_eof(done[1], 1), "a request being handled is left alone");
    connwatch_remove(w, c_due);
    connwatch_remove(w, c_done);
    connwatch_stop(w);
    for (int i = 0; i < 2; i++) {
        close(due[i]);
        close(removed[i]);
        close(done[i]);
    }
}

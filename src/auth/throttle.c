/* throttle.c - the keys and the policy of sign-in and registration limits
 * (see throttle.h). */
#include "auth/throttle.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

void throttle_address(const char *addr, char out[THROTTLE_ADDRESS_MAX])
{
    struct in6_addr a6;
    if (strchr(addr, ':') != NULL && inet_pton(AF_INET6, addr, &a6) == 1) {
        char text[INET6_ADDRSTRLEN];
        memset(&a6.s6_addr[8], 0, 8);
        inet_ntop(AF_INET6, &a6, text, sizeof text);
        snprintf(out, THROTTLE_ADDRESS_MAX, "%s/64", text);
        return;
    }
    snprintf(out, THROTTLE_ADDRESS_MAX, "%s", addr);
}

int throttle_signin_keys(const char *addr, const char *email_key,
                         char keys[THROTTLE_SIGNIN_KEYS][THROTTLE_KEY_MAX])
{
    char a[THROTTLE_ADDRESS_MAX];
    throttle_address(addr, a);
    /* An address holds no space, so "pair ADDR EMAIL" names one pair. */
    int n = snprintf(keys[THROTTLE_PAIR], THROTTLE_KEY_MAX, "pair %s %s", a, email_key);
    snprintf(keys[THROTTLE_KNOWN], THROTTLE_KEY_MAX, "known %s %s", a, email_key);
    snprintf(keys[THROTTLE_ADDRESS], THROTTLE_KEY_MAX, "address %s", a);
    snprintf(keys[THROTTLE_EMAIL], THROTTLE_KEY_MAX, "email %s", email_key);
    return n >= 0 && n < THROTTLE_KEY_MAX ? RA_OK : RA_ERR_INVALID;
}

void throttle_register_key(const char *addr, char key[THROTTLE_KEY_MAX])
{
    char a[THROTTLE_ADDRESS_MAX];
    throttle_address(addr, a);
    snprintf(key, THROTTLE_KEY_MAX, "register %s", a);
}

/* ---- sign-in ------------------------------------------------------------------ */

/* The failures still counted under key k at now: a pair's and an e-mail's
 * until SIGNIN_RESET_MS pass quietly; an address's less one for every
 * SIGNIN_ADDRESS_LEAK_MS since its last. */
static int64_t failures(int k, const throttle_count *c, int64_t now_ms)
{
    if (k != THROTTLE_ADDRESS)
        return now_ms - c->last_ms > SIGNIN_RESET_MS ? 0 : c->attempts;
    int64_t leaked = (now_ms - c->last_ms) / SIGNIN_ADDRESS_LEAK_MS;
    return c->attempts > leaked ? c->attempts - leaked : 0;
}

/* What is left of `wait` after the last failure; 0 once it has passed. */
static int64_t left(const throttle_count *c, int64_t wait, int64_t now_ms)
{
    return c->last_ms + wait > now_ms ? c->last_ms + wait - now_ms : 0;
}

/* SIGNIN_FIRST_WAIT_MS doubled `steps` times, at most max_ms. */
static int64_t doubled(int64_t steps, int64_t max_ms)
{
    int64_t wait = SIGNIN_FIRST_WAIT_MS;
    for (int64_t i = 0; i < steps && wait < max_ms; i++)
        wait *= 2;
    return wait < max_ms ? wait : max_ms;
}

static int64_t longer(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

int64_t throttle_signin_wait(const throttle_count c[THROTTLE_SIGNIN_KEYS], int64_t now_ms,
                             unsigned address_limit)
{
    const throttle_count *pair = &c[THROTTLE_PAIR], *address = &c[THROTTLE_ADDRESS],
                         *email = &c[THROTTLE_EMAIL], *known = &c[THROTTLE_KNOWN];
    int64_t n_pair = failures(THROTTLE_PAIR, pair, now_ms),
            n_address = failures(THROTTLE_ADDRESS, address, now_ms),
            n_email = failures(THROTTLE_EMAIL, email, now_ms), wait = 0;
    if (n_pair >= SIGNIN_PAIR_LOCK_AFTER)
        wait = left(pair, SIGNIN_PAIR_LOCK_MS, now_ms);
    else if (n_pair >= SIGNIN_PAIR_FREE)
        wait = left(pair, doubled(n_pair - SIGNIN_PAIR_FREE, SIGNIN_PAIR_LOCK_MS), now_ms);
    if (address_limit > 0 && n_address >= (int64_t)address_limit)
        wait = longer(wait, left(address, SIGNIN_ADDRESS_LOCK_MS, now_ms));
    int is_known = known->last_ms > 0 && now_ms - known->last_ms < SIGNIN_KNOWN_MS;
    if (n_email >= SIGNIN_EMAIL_SLOW_AFTER && !is_known)
        wait = longer(
            wait, left(email, doubled(n_email - SIGNIN_EMAIL_SLOW_AFTER, SIGNIN_EMAIL_WAIT_MAX_MS),
                       now_ms));
    return wait;
}

void throttle_signin_count(throttle_count c[THROTTLE_SIGNIN_KEYS], int64_t now_ms)
{
    for (int k = THROTTLE_PAIR; k <= THROTTLE_EMAIL; k++) {
        int64_t n = failures(k, &c[k], now_ms);
        if (n == 0)
            c[k].first_ms = now_ms;
        c[k].attempts = n + 1;
        c[k].last_ms = now_ms;
        c[k].keep_until_ms = now_ms + THROTTLE_KEEP_MS;
    }
}

throttle_count throttle_signin_known(int64_t now_ms)
{
    return (throttle_count){0, now_ms, now_ms, now_ms + SIGNIN_KNOWN_MS};
}

/* ---- registration ------------------------------------------------------------- */

static int window_over(const throttle_count *c, int64_t now_ms)
{
    return c->attempts == 0 || now_ms - c->first_ms >= REGISTER_WINDOW_MS;
}

int64_t throttle_register_wait(const throttle_count *c, int64_t now_ms)
{
    if (window_over(c, now_ms) || c->attempts < REGISTER_PER_WINDOW)
        return 0;
    return c->first_ms + REGISTER_WINDOW_MS - now_ms;
}

void throttle_register_count(throttle_count *c, int64_t now_ms)
{
    if (window_over(c, now_ms)) {
        c->attempts = 0;
        c->first_ms = now_ms;
    }
    c->attempts++;
    c->last_ms = now_ms;
    c->keep_until_ms = c->first_ms + REGISTER_WINDOW_MS;
}

/* throttle.h - how failed sign-ins and registrations are limited: the keys
 * attempts are counted under, and the policy that says how long the next
 * attempt must wait. Pure functions of the counts and a time given by the
 * caller, so the policy is tested without a clock; the counts live in the
 * store (store_throttle_*), which applies a decision and its counting in
 * one transaction. docs/web-api.md says the same for users, and
 * docs/architecture.md weighs the choices.
 *
 * A sign-in attempt is counted, before its password is checked, under three
 * keys, and waits for the longest of what they ask:
 *
 *   pair     (address, e-mail): SIGNIN_PAIR_FREE failures cost nothing; then
 *            the next attempt waits 2 s, 4 s ... after the pair's last
 *            failure; from SIGNIN_PAIR_LOCK_AFTER on the pair is locked for
 *            SIGNIN_PAIR_LOCK_MS after each failure.
 *   address  across e-mails: the count goes down by one every
 *            SIGNIN_ADDRESS_LEAK_MS (a leaky bucket, so the background of
 *            typing errors of many people behind one proxy address drains);
 *            from address_limit on, the address is locked for
 *            SIGNIN_ADDRESS_LOCK_MS after each failure, whatever e-mail and
 *            password it sends (0: no such lock, for a server whose clients
 *            all share a proxy's address).
 *   e-mail   from every address: from SIGNIN_EMAIL_SLOW_AFTER failures on,
 *            an attempt waits 2 s, 4 s ... at most SIGNIN_EMAIL_WAIT_MAX_MS
 *            after the e-mail's last failure, unless it comes from a known
 *            address of the e-mail: one it signed in from successfully in
 *            the last SIGNIN_KNOWN_MS (a fourth key, read but not counted).
 *            So others' failures only slow the e-mail, never lock its owner
 *            out of the address they use, and many addresses together get
 *            about one guess every two minutes at it.
 *
 * A pair's or an e-mail's count is forgotten after SIGNIN_RESET_MS without
 * a failure. A successful sign-in forgets its pair's count and makes the
 * pair known; its address and e-mail keep their counts, so an attacker's
 * own account cannot wash an address clean. Registrations are counted per
 * address: REGISTER_PER_WINDOW per REGISTER_WINDOW_MS. Addresses are keyed
 * as given, IPv6 ones by their /64 (what one subscriber usually holds).
 * Each count carries how long it still matters (keep_until_ms): the sweep
 * deletes it after that. */
#ifndef RAPORTAI_AUTH_THROTTLE_H
#define RAPORTAI_AUTH_THROTTLE_H

#include <stdint.h>

#define SIGNIN_PAIR_FREE 3
#define SIGNIN_PAIR_LOCK_AFTER 5
#define SIGNIN_PAIR_LOCK_MS (5 * 60 * 1000)
#define SIGNIN_ADDRESS_LIMIT 50 /* the default of --signin-address-limit */
#define SIGNIN_ADDRESS_LEAK_MS (2 * 60 * 1000)
#define SIGNIN_ADDRESS_LOCK_MS (15 * 60 * 1000)
#define SIGNIN_EMAIL_SLOW_AFTER 20
#define SIGNIN_EMAIL_WAIT_MAX_MS (2 * 60 * 1000)
#define SIGNIN_FIRST_WAIT_MS 2000
#define SIGNIN_RESET_MS (60 * 60 * 1000)
#define SIGNIN_KNOWN_MS ((int64_t)30 * 24 * 60 * 60 * 1000)
#define REGISTER_PER_WINDOW 5
#define REGISTER_WINDOW_MS (60 * 60 * 1000)
/* A sign-in count is kept this long after its last failure: by then it can
 * no longer lock anything (what is left of an address's count after two
 * hours is forgotten too). */
#define THROTTLE_KEEP_MS (2 * 60 * 60 * 1000)
/* A registration still waiting for an admin's approval after this long is
 * deleted with its manager (and frees the e-mail). */
#define REGISTRATION_PENDING_MAX_MS ((int64_t)30 * 24 * 60 * 60 * 1000)

#define THROTTLE_ADDRESS_MAX 52 /* an IPv6 /64 in text ("/64" included), with the NUL */
#define THROTTLE_KEY_MAX 640

/* The attempts counted under one key (store_throttle_row's fields). */
typedef struct throttle_count {
    int64_t attempts;
    int64_t first_ms, last_ms; /* of the current count; 0 when none */
    int64_t keep_until_ms;     /* when it stops mattering; 0: not to be kept */
} throttle_count;

/* The keys of a sign-in attempt, in this order: the three counted ones,
 * then the one that says whether its pair is known. */
enum { THROTTLE_PAIR, THROTTLE_ADDRESS, THROTTLE_EMAIL, THROTTLE_KNOWN, THROTTLE_SIGNIN_KEYS };

/* The key part of a client address: IPv4 as given, IPv6 as its /64
 * ("2001:db8:1:2::/64"), anything else (the empty address of an unknown
 * client) as given. Cannot fail; too long a text is cut. */
void throttle_address(const char *addr, char out[THROTTLE_ADDRESS_MAX]);
/* The keys of a sign-in from addr (http_client_addr) for email_key (the
 * lowercased e-mail). RA_ERR_INVALID when the e-mail is too long for a key. */
int throttle_signin_keys(const char *addr, const char *email_key,
                         char keys[THROTTLE_SIGNIN_KEYS][THROTTLE_KEY_MAX]);
/* The key registrations from addr are counted under. Cannot fail. */
void throttle_register_key(const char *addr, char key[THROTTLE_KEY_MAX]);

/* Milliseconds a sign-in attempt must wait at now_ms (0: it may go on),
 * given the counts of its keys (THROTTLE_PAIR ...) as stored. */
int64_t throttle_signin_wait(const throttle_count c[THROTTLE_SIGNIN_KEYS], int64_t now_ms,
                             unsigned address_limit);
/* Counts one failure at now_ms under the pair, address and e-mail (a pair's
 * or e-mail's count quiet for SIGNIN_RESET_MS starts again; an address's
 * first drains); the known row is left as it is. */
void throttle_signin_count(throttle_count c[THROTTLE_SIGNIN_KEYS], int64_t now_ms);
/* The known row of a pair that has just signed in successfully. */
throttle_count throttle_signin_known(int64_t now_ms);

/* Milliseconds a registration from an address must wait at now_ms. */
int64_t throttle_register_wait(const throttle_count *c, int64_t now_ms);
/* Counts one registration at now_ms (a window older than
 * REGISTER_WINDOW_MS starts again). */
void throttle_register_count(throttle_count *c, int64_t now_ms);

#endif

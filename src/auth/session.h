/* session.h - web sign-in: session tokens, their hashes, CSRF tokens and the
 * sign-in path each role belongs to (how long failed sign-ins wait is
 * auth/throttle.h's).
 *
 * A session token is 32 random bytes (64 hex characters) held only in the
 * browser's HttpOnly cookie; the server stores its SHA-256. The CSRF token
 * is derived from the session token (keyed BLAKE2b), so it needs no storage,
 * differs per session and cannot be computed from the stored hash. */
#ifndef RAPORTAI_AUTH_SESSION_H
#define RAPORTAI_AUTH_SESSION_H

#include <stdint.h>

#include "auth/roles.h"

#define SESSION_COOKIE "raportai_session"
#define SESSION_TOKEN_LEN 64 /* hex characters */
#define SESSION_HASH_HEX 65
#define SESSION_CSRF_HEX 65

typedef enum { PATH_USER, PATH_CORPORATE, PATH_ADMIN, PATH_ACCOUNTING, PATH_INVALID } signin_path;

/* The path named s ("user", "corporate", "admin", "accounting"). */
signin_path signin_path_parse(const char *s);
const char *signin_path_name(signin_path p);
/* The one path a role signs in on. */
signin_path signin_path_of_role(role r);
/* Where the path's sign-in page is, and where a signed-in person lands. */
const char *signin_path_login_page(signin_path p);
const char *signin_path_home_page(signin_path p);

/* A new random token. Cannot fail (ids_init must have run). */
void session_token_new(char out[SESSION_TOKEN_LEN + 1]);
/* RA_OK when token has the shape of a session token (64 hex characters). */
int session_token_check(const char *token);
/* Lowercase hex SHA-256 of the token: what the store keeps. */
void session_token_hash(const char *token, char out[SESSION_HASH_HEX]);
/* The CSRF token of the session whose token is given. */
void session_csrf(const char *token, char out[SESSION_CSRF_HEX]);
/* RA_OK when given equals the session's CSRF token (constant time). */
int session_csrf_check(const char *token, const char *given);

#endif

/* session.c - session and CSRF tokens, sign-in paths (see session.h). */
#include <sodium.h>
#include <string.h>

#include "auth/session.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/text.h"

static const struct {
    const char *name, *login_page, *home_page;
} paths[] = {
    [PATH_USER] = {"user", "/login.html", "/dashboard.html"},
    [PATH_CORPORATE] = {"corporate", "/kurumsal-login.html", "/organization.html"},
    [PATH_ADMIN] = {"admin", "/admin-login.html", "/admin.html"},
    [PATH_ACCOUNTING] = {"accounting", "/accounting-login.html", "/accounting.html"},
};

signin_path signin_path_parse(const char *s)
{
    for (int p = 0; s != NULL && p < PATH_INVALID; p++)
        if (strcmp(s, paths[p].name) == 0)
            return (signin_path)p;
    return PATH_INVALID;
}

const char *signin_path_name(signin_path p)
{
    return p < PATH_INVALID ? paths[p].name : "";
}

signin_path signin_path_of_role(role r)
{
    switch (r) {
    case ROLE_INDIVIDUAL:
        return PATH_USER;
    case ROLE_MANAGER:
    case ROLE_RADIOLOGIST:
    case ROLE_DOCTOR:
    case ROLE_TECHNICAL:
        return PATH_CORPORATE;
    case ROLE_ADMIN:
        return PATH_ADMIN;
    case ROLE_ACCOUNTING:
        return PATH_ACCOUNTING;
    default:
        return PATH_INVALID;
    }
}

const char *signin_path_login_page(signin_path p)
{
    return p < PATH_INVALID ? paths[p].login_page : "/";
}

const char *signin_path_home_page(signin_path p)
{
    return p < PATH_INVALID ? paths[p].home_page : "/";
}

void session_token_new(char out[SESSION_TOKEN_LEN + 1])
{
    ids_hex(out, SESSION_TOKEN_LEN / 2);
}

int session_token_check(const char *token)
{
    if (token == NULL || strlen(token) != SESSION_TOKEN_LEN)
        return RA_ERR_INVALID;
    for (const char *p = token; *p; p++)
        if (text_hex_value(*p) < 0)
            return RA_ERR_INVALID;
    return RA_OK;
}

void session_token_hash(const char *token, char out[SESSION_HASH_HEX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    ids_to_hex(digest, sizeof digest, out);
}

void session_csrf(const char *token, char out[SESSION_CSRF_HEX])
{
    static const char purpose[] = "raportai csrf v1";
    unsigned char mac[32];
    size_t keylen = strlen(token);
    if (keylen > crypto_generichash_KEYBYTES_MAX)
        keylen = crypto_generichash_KEYBYTES_MAX;
    crypto_generichash(mac, sizeof mac, (const unsigned char *)purpose, sizeof purpose - 1,
                       (const unsigned char *)token, keylen);
    ids_to_hex(mac, sizeof mac, out);
}

int session_csrf_check(const char *token, const char *given)
{
    char expected[SESSION_CSRF_HEX];
    session_csrf(token, expected);
    if (given == NULL || strlen(given) != SESSION_CSRF_HEX - 1)
        return RA_ERR_INVALID;
    return sodium_memcmp(expected, given, SESSION_CSRF_HEX - 1) == 0 ? RA_OK : RA_ERR_INVALID;
}

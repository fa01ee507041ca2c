/* password.c - argon2id hashing and the password policy (password.h). */
#include "auth/password.h"

#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"

int password_check_policy(const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < PASSWORD_MIN_LEN || n > PASSWORD_MAX_LEN || !text_is_utf8(pw, n))
        return RA_ERR_INVALID;
    if (strspn(pw, " \t") == n)
        return RA_ERR_INVALID;
    return RA_OK;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    int rc =
        crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
    return rc == 0 ? RA_OK : RA_ERR_NOMEM;
}

int password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? RA_OK : RA_ERR_INVALID;
}

/* password.c - argon2id hashing with a cap on concurrent hashes (password.h). */
#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_freed = PTHREAD_COND_INITIALIZER;
static int slots_in_use;

static void slot_take(void)
{
    pthread_mutex_lock(&slots_lock);
    while (slots_in_use >= PASSWORD_MAX_CONCURRENT)
        pthread_cond_wait(&slots_freed, &slots_lock);
    slots_in_use++;
    pthread_mutex_unlock(&slots_lock);
}

static void slot_give(void)
{
    pthread_mutex_lock(&slots_lock);
    slots_in_use--;
    pthread_cond_signal(&slots_freed);
    pthread_mutex_unlock(&slots_lock);
}

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
    slot_take();
    int rc =
        crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
    slot_give();
    return rc == 0 ? RA_OK : RA_ERR_NOMEM;
}

int password_verify(const char *hash, const char *pw)
{
    slot_take();
    int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
    slot_give();
    return rc == 0 ? RA_OK : RA_ERR_INVALID;
}

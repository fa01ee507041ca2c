/* hashing.c - argon2id on the hashing pool, off the HTTP threads (see
 * internal.h). A handler hands over the password and its own state; a pool
 * thread hashes or verifies while the request waits suspended (http_offload);
 * then the handler's second half answers on an HTTP thread.
 *
 * An unknown e-mail is verified against a dummy hash made once, on the
 * pool, so it costs what a wrong password costs and never matches. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/log.h"

#define BUSY_RETRY_S 1

typedef struct password_job {
    api_app *app;
    int verify;     /* 1: check password against hash; 0: make hash */
    int dummy;      /* verify against the dummy hash: never a match */
    char *password; /* a copy, wiped when the job is freed */
    char hash[PASSWORD_HASH_MAX];
    int rc;
    api_password_then then;
    void *state;
    void (*free_state)(void *state);
} password_job;

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    if (password_hash("raportai-no-such-user", dummy_hash) != RA_OK)
        dummy_hash[0] = '\0';
}

/* On a pool thread. */
static void job_work(void *ctx)
{
    password_job *job = ctx;
    if (!job->verify) {
        job->rc = password_hash(job->password, job->hash);
        return;
    }
    if (!job->dummy) {
        job->rc = password_verify(job->hash, job->password);
        return;
    }
    pthread_once(&dummy_once, make_dummy_hash);
    if (dummy_hash[0])
        password_verify(dummy_hash, job->password);
    job->rc = RA_ERR_INVALID;
}

/* On an HTTP thread, once the work is done. */
static void job_resume(http_request *req, void *ctx)
{
    password_job *job = ctx;
    job->then(req, job->app, job->rc, job->rc == RA_OK ? job->hash : NULL, job->state);
}

static void job_free(void *ctx)
{
    password_job *job = ctx;
    if (job == NULL)
        return;
    if (job->free_state != NULL)
        job->free_state(job->state);
    if (job->password != NULL) {
        explicit_bzero(job->password, strlen(job->password));
        free(job->password);
    }
    explicit_bzero(job->hash, sizeof job->hash);
    free(job);
}

static int offload(http_request *req, api_app *app, password_job *job)
{
    if (job->password == NULL) {
        job->free_state = NULL; /* not taken on failure */
        job_free(job);
        return RA_ERR_NOMEM;
    }
    int rc = http_offload(req, app->hashing, job_work, job_resume, job, job_free);
    if (rc != RA_OK) {
        job->free_state = NULL;
        job_free(job);
    }
    return rc;
}

static password_job *job_new(api_app *app, const char *password, api_password_then then,
                             void *state, void (*free_state)(void *))
{
    password_job *job = calloc(1, sizeof *job);
    if (job == NULL)
        return NULL;
    job->app = app;
    job->password = strdup(password);
    job->then = then;
    job->state = state;
    job->free_state = free_state;
    return job;
}

int api_password_verify_off(http_request *req, api_app *app, const char *hash, const char *password,
                            api_password_then then, void *state, void (*free_state)(void *))
{
    password_job *job = job_new(app, password, then, state, free_state);
    if (job == NULL)
        return RA_ERR_NOMEM;
    job->verify = 1;
    job->dummy = hash == NULL || hash[0] == '\0' || strlen(hash) >= sizeof job->hash;
    if (!job->dummy)
        memcpy(job->hash, hash, strlen(hash) + 1);
    return offload(req, app, job);
}

void api_reply_hashing_busy(http_request *req, int rc)
{
    char seconds[16];
    if (rc == RA_ERR_REFUSED) {
        snprintf(seconds, sizeof seconds, "%d", BUSY_RETRY_S);
        http_add_header(req, "Retry-After", seconds);
        api_reply_error(req, API_RATE_LIMIT,
                        "Too many passwords are being checked at once; retry after the time in "
                        "Retry-After.",
                        NULL, json_pack("{s:i}", "retryAfterSeconds", BUSY_RETRY_S));
    } else if (rc == RA_ERR_CANCELLED) {
        api_reply_error(req, API_UNAVAILABLE, "The server is stopping.", NULL, NULL);
    } else {
        log_error("api: cannot hand a password to the hashing pool (%s) for request %s",
                  ra_strerror(rc), http_request_id(req));
        api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
    }
}

static void web_state_free(void *state)
{
    api_web_state *st = state;
    if (st != NULL)
        json_decref(st->body);
    free(st);
}

int api_web_hash_password(http_request *req, api_app *app, const web_session *ws, json_t *body,
                          const char *password, api_password_then then)
{
    api_web_state *st = calloc(1, sizeof *st);
    password_job *job = st ? job_new(app, password, then, st, web_state_free) : NULL;
    if (job == NULL) {
        free(st);
        json_decref(body);
        api_reply_hashing_busy(req, RA_ERR_NOMEM);
        return RA_ERR_NOMEM;
    }
    st->body = body;
    if (ws != NULL)
        st->ws = *ws;
    int rc = offload(req, app, job);
    if (rc != RA_OK) {
        web_state_free(st);
        api_reply_hashing_busy(req, rc);
    }
    return rc;
}

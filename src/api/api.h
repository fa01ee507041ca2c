/* api.h - the request handlers behind `raportai serve`: routing, External API
 * v1 authentication and rate limits, and the endpoints themselves.
 *
 * api_app holds what handlers share; it is built by the serve command and
 * outlives the HTTP server. api_admit is the server's http_admit_fn (routing
 * and authentication from the headers, the upload quota) and api_handle its
 * http_handler. */
#ifndef RAPORTAI_API_API_H
#define RAPORTAI_API_API_H

#include <stdint.h>

#include "asr/routing.h"
#include "auth/quota.h"
#include "auth/ratelimit.h"
#include "core/workpool.h"
#include "http/http.h"
#include "http/static.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "templates/templates.h"

/* The External API's keys, known without the database on the hot path
 * (keyauth.c): what the store said of each key that authenticated, kept in
 * memory by hash, at most cache_size of them (0: none kept), forgotten at
 * once when this process changes who may authenticate and within
 * KEYCACHE_CHECK_MS (auth/keycache.h) when another process sharing the
 * database does; and each key's uses, counted in memory and written once a
 * second by a thread of its own (with writer_thread) and when freed. */
typedef struct api_keyauth api_keyauth;
/* Registers itself as s's auth hook (store_set_auth_hook). RA_ERR_INVALID
 * for a cache_size above KEYCACHE_MAX; RA_ERR_NOMEM. */
int api_keyauth_new(store *s, size_t cache_size, int writer_thread, api_keyauth **out);
/* Stops the writer, then writes the uses that wait. */
void api_keyauth_free(api_keyauth *ka);
/* The key whose hash is given, with what can refuse it: from memory when
 * it is kept there, else from the store (RA_ERR_NOT_FOUND for an unknown
 * key), kept when it may authenticate now. */
int api_keyauth_find(api_keyauth *ka, const char *hash, store_key_auth *out);
/* Counts one use of the key now (written by the next write). */
void api_keyauth_used(api_keyauth *ka, const char *key_id);
/* Writes the uses counted since the last write, in one transaction; on
 * error they are kept for the next. */
int api_keyauth_write(api_keyauth *ka);
/* How many keys are kept in memory. */
size_t api_keyauth_cached(api_keyauth *ka);

typedef struct api_app {
    store *store;                  /* borrowed */
    api_keyauth *keys;             /* borrowed; the External API's keys */
    ratelimit *limiter;            /* borrowed; per API key */
    workpool *hashing;             /* borrowed; runs argon2id off the HTTP threads */
    workpool *probing;             /* borrowed; probes uploaded audio (FFmpeg) */
    workpool *rendering;           /* borrowed; renders report exports (PDF, DOCX...) */
    quota *uploads;                /* borrowed; upload bytes in flight per
                                      organization; NULL: unbounded */
    const tmpl_library *templates; /* borrowed; the built-in library */
    jobs_runner *jobs;             /* borrowed; woken when a job is queued */
    const char *data_dir;          /* audio is kept under data_dir/audio */
    uint64_t max_audio_bytes;
    int64_t dup_window_s;      /* duplicate-submission window */
    const asr_routing *speech; /* borrowed; the engine serving each language */
    int structuring;           /* 1 when the openai structuring engine is
                                  configured: translation and every input
                                  language are accepted */
    int workers;               /* for estimates */
    webhook_policy webhooks;
    const http_static *pages; /* borrowed; the web app's static files */
    int64_t session_idle_ms;
    int64_t session_max_ms;
    int secure_cookies;            /* the server is reached over TLS */
    unsigned signin_address_limit; /* failed sign-ins that lock an address
                                      (auth/throttle.h); 0: no such lock */
    int64_t audio_ms_per_credit;   /* the recording one credit covers: a job's
                                      audio may last this times its exams (each
                                      reserves one credit) */
    int64_t audio_ms_max;          /* and never longer than this, the longest
                                      recording a worker decodes */
    store_limits limits;           /* the store's caps (store_set_limits), for
                                      the messages that name them */
} api_app;

/* Renders a finished job's result: its poll response without the callback's
 * delivery state, with remaining_credits as remainingCredits. A
 * store_result_renderer: serve hands it to the store, which keeps the
 * result when the job finishes. */
int api_render_result(void *app, const store_job *job, int64_t remaining_credits, char **body);

/* A finished job's callback body (its kept result, rendered and kept now if
 * it finished before results were kept) and its hmacSecret; both new
 * allocations. A jobs_render_fn. */
int api_render_job(void *app, const char *job_id, char **body, char **hmac_secret);

/* Where the web app finds the script the server makes from its own tables
 * of languages and sections (api_vocabulary_script). */
#define API_VOCABULARY_PATH "/assets/vocabulary.js"

/* The web app's vocabulary as a JavaScript module: LANGUAGES (the
 * registry's codes, core/lang.h), SECTION_KEYS (the sections' keys in
 * reading order) and SECTION_HEADINGS (each key's headings in every
 * language, then its other spellings, core/sections.h). *out is a new
 * allocation of *n bytes (NUL-terminated); RA_ERR_NOMEM. */
int api_vocabulary_script(char **out, size_t *n);
/* Adds the scripts the server makes (API_VOCABULARY_PATH) to the web app's
 * files; on failure err says why (a web folder that holds a file of that
 * name among them) and nothing was added. */
int api_add_generated_assets(http_static *pages, char *err, size_t errlen);

/* Admits req from its headers (app is an api_app): finds its route and
 * authenticates its caller, refusing at once what would be refused after
 * the body (an unknown path, a wrong method, no valid key or session, a
 * body declared larger than the route takes), and an upload its
 * organization's quota or the server's room cannot take now. Only upload
 * routes have their body taken as a form whose file streams to disk. */
void api_admit(http_request *req, void *app, http_intake *in);
/* Runs the handler admission chose for req, once its body is in. */
void api_handle(http_request *req, void *app);

#endif

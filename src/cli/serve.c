/* serve.c - `raportai serve`: opens the data directory, loads the template
 * library, starts the HTTP server and runs until SIGINT or SIGTERM. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "asr/asr.h"
#include "asr/model.h"
#include "asr/routing.h"
#include "auth/keycache.h"
#include "auth/quota.h"
#include "auth/ratelimit.h"
#include "auth/throttle.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"
#include "core/workpool.h"
#include "http/http.h"
#include "httpc/url.h"
#include "jobs/lm_refresh.h"
#include "structuring/llm.h"
#include "templates/templates.h"

#define FORM_TEXT_MB 4         /* bytes of a form's text fields, in MiB */
#define AUDIO_MAX_S (4 * 3600) /* the longest recording a worker decodes */

enum {
    OPT_DATA,
    OPT_SHARE,
    OPT_LISTEN,
    OPT_RATE_LIMIT,
    OPT_THREADS,
    OPT_TIMEOUT,
    OPT_MAX_CONN,
    OPT_PER_IP,
    OPT_LOG_LEVEL,
    OPT_WORKERS,
    OPT_MAX_AUDIO_MB,
    OPT_UPLOAD_QUOTA_MB,
    OPT_UPLOADS_MAX_MB,
    OPT_DUP_HOURS,
    OPT_LEASE,
    OPT_ATTEMPTS,
    OPT_HTTP_CALLBACKS,
    OPT_ASR_MODEL,
    OPT_ASR_LM,
    OPT_ASR_DICT,
    OPT_ORG_LM_AFTER,
    OPT_ORG_LM_MINUTES,
    OPT_ORG_LM_POLL,
    OPT_ASR_URL,
    OPT_ASR_KEY,
    OPT_ASR_MODEL_NAME,
    OPT_ASR_LANGUAGES,
    OPT_ASR_MAP,
    OPT_ASR_TIMEOUT,
    OPT_ASR_ATTEMPTS,
    OPT_ASR_PIECE,
    OPT_LLM_URL,
    OPT_LLM_KEY,
    OPT_LLM_MODEL,
    OPT_LLM_TIMEOUT,
    OPT_LLM_ATTEMPTS,
    OPT_SESSION_IDLE,
    OPT_SESSION_HOURS,
    OPT_SECURE_COOKIES,
    OPT_HASH_THREADS,
    OPT_HASH_QUEUE,
    OPT_PROBE_THREADS,
    OPT_PROBE_QUEUE,
    OPT_RENDER_THREADS,
    OPT_RENDER_QUEUE,
    OPT_SIGNIN_ADDRESS_LIMIT,
    OPT_HEADER_TIMEOUT,
    OPT_BODY_GRACE,
    OPT_MIN_BODY_RATE,
    OPT_TRUSTED_PROXY,
    OPT_AUDIO_MINUTES,
    OPT_CALLBACK_THREADS,
    OPT_CALLBACK_PER_ORG,
    OPT_KEYS_PER_ORG,
    OPT_TEMPLATES_PER_USER,
    OPT_REVISIONS_PER_REPORT,
    OPT_KEY_CACHE,
    N_OPTS
};

/* Open files kept for everything but connections: the database, uploads,
 * audio, speech models, pipes. */
#define FD_RESERVE 256
/* How much lower the hashing, probing and rendering threads' priority is
 * than the rest of the server's, so that their work yields the CPU to
 * requests. */
#define HASH_NICE 10
#define POOL_NICE 10
#define TEXT_OF_(x) #x
#define TEXT_OF(x) TEXT_OF_(x) /* a number's macro as the text of its value */
/* How often old sign-in counts and stale registrations are deleted. */
#define SWEEP_EVERY_MS 60000

static const opt_spec serve_opts[N_OPTS] = {
    CLI_DATA_OPTS,
    {"listen", "RAPORTAI_LISTEN", "127.0.0.1:8080", "ADDR:PORT",
     "address to listen on ([::1]:8080 for IPv6; port 0 picks a free one)", 0},
    {"rate-limit", "RAPORTAI_RATE_LIMIT", "60", "N",
     "External API requests per rolling minute per API key", 0},
    {"http-threads", "RAPORTAI_HTTP_THREADS", "4", "N", "HTTP server threads", 0},
    {"connection-timeout", "RAPORTAI_CONNECTION_TIMEOUT", "30", "SECONDS",
     "close connections idle this long (nothing received or sent)", 0},
    {"max-connections", "RAPORTAI_MAX_CONNECTIONS", "4096", "N",
     "open connections in all (at most the open-files limit less " TEXT_OF(FD_RESERVE) ")", 0},
    {"per-ip-connections", "RAPORTAI_PER_IP_CONNECTIONS", "64", "N",
     "open connections from one address", 0},
    {"log-level", "RAPORTAI_LOG_LEVEL", "info", "LEVEL", "debug, info, warn or error", 0},
    {"workers", "RAPORTAI_WORKERS", NULL, "N", "job worker threads (default: the number of cores)",
     0},
    {"max-audio-mb", "RAPORTAI_MAX_AUDIO_MB", "50", "MB", "largest audio upload accepted", 0},
    {"upload-quota-mb", "RAPORTAI_UPLOAD_QUOTA_MB", "256", "MB",
     "uploads one organization may be sending at once (each counted at its Content-Length, or "
     "at the most it may be when chunked); at least --max-audio-mb + 5",
     0},
    {"uploads-max-mb", "RAPORTAI_UPLOADS_MAX_MB", "2048", "MB",
     "uploads all organizations may be sending at once: what DATA/uploads may hold; at least "
     "--upload-quota-mb",
     0},
    {"duplicate-window-hours", "RAPORTAI_DUPLICATE_WINDOW_HOURS", "24", "HOURS",
     "the same audio from the same organization is refused within this window", 0},
    {"job-lease", "RAPORTAI_JOB_LEASE_S", "60", "SECONDS",
     "a job whose worker stops renewing its claim this long is taken up again", 0},
    {"job-attempts", "RAPORTAI_JOB_ATTEMPTS", "3", "N", "attempts before a job fails", 0},
    {"allow-http-callbacks", "RAPORTAI_ALLOW_HTTP_CALLBACKS", NULL, NULL,
     "DEVELOPMENT ONLY: allow http:// and loopback/private callback targets", 0},
    {"asr-model", "RAPORTAI_ASR_MODEL_DIR", ASR_DEFAULT_MODEL_DIR, "DIR",
     "pocketsphinx English model folder (holds en-us/, its LM and dictionary)", 0},
    {"asr-lm", "RAPORTAI_ASR_LM", NULL, "FILE",
     "language model (default: the radiology model built in the data directory)", 0},
    {"asr-dict", "RAPORTAI_ASR_DICT", NULL, "FILE",
     "pronunciation dictionary (default: the one built with the radiology model)", 0},
    {"org-lm-after", "RAPORTAI_ORG_LM_AFTER", "20", "N",
     "rebuild an organization's own English speech model (its saved reports and own templates "
     "on top of the radiology model) after N new report revisions or template changes; 0: no "
     "organization models (also none with --asr-lm or --asr-dict)",
     0},
    {"org-lm-minutes", "RAPORTAI_ORG_LM_MINUTES", "30", "MINUTES",
     "at most one rebuild of an organization's speech model per this many minutes", 0},
    {"org-lm-poll", "RAPORTAI_ORG_LM_POLL_S", "60", "SECONDS",
     "how often to look for organizations with new material for their speech model", 0},
    {"asr-url", "RAPORTAI_ASR_URL", NULL, "URL",
     "OpenAI-compatible speech server (whisper.cpp, faster-whisper, vLLM, OpenAI): its base URL",
     0},
    {"asr-key", "RAPORTAI_ASR_KEY", NULL, "KEY",
     "bearer key for the speech servers (prefer the variable: flags show in ps)", 0},
    {"asr-model-name", "RAPORTAI_ASR_MODEL", ASR_OPENAI_DEFAULT_MODEL, "NAME",
     "the model the speech servers run", 0},
    {"asr-languages", "RAPORTAI_ASR_LANGUAGES", NULL, "LIST",
     "languages the speech servers transcribe: tr,ru,... or all (default: all but en with "
     "--asr-url, plus --asr-map's)",
     0},
    {"asr-map", "RAPORTAI_ASR_MAP", NULL, "MAP",
     "a server per language: LANG=URL[|MODEL],... (empty URL: --asr-url; keys per language in "
     "RAPORTAI_ASR_KEY_TR and so on)",
     0},
    {"asr-timeout", "RAPORTAI_ASR_TIMEOUT_S", "300", "SECONDS",
     "time limit of one request to a speech server", 0},
    {"asr-attempts", "RAPORTAI_ASR_ATTEMPTS", "4", "N",
     "attempts per piece of audio (retries on 429, 5xx, timeouts) before the job fails", 0},
    {"asr-piece-seconds", "RAPORTAI_ASR_PIECE_SECONDS", "600", "SECONDS",
     "longest piece of audio sent in one request (long audio is cut at pauses)", 0},
    {"llm-url", "RAPORTAI_LLM_URL", NULL, "URL",
     "OpenAI-compatible chat completions server (vLLM, llama.cpp, Ollama, OpenAI) for "
     "structuring, translation and splitting: its base URL (default: the rules engine only)",
     0},
    {"llm-key", "RAPORTAI_LLM_KEY", NULL, "KEY",
     "bearer key for the structuring server (prefer the variable: flags show in ps)", 0},
    {"llm-model", "RAPORTAI_LLM_MODEL", NULL, "NAME",
     "the model the structuring server runs (required with --llm-url)", 0},
    {"llm-timeout", "RAPORTAI_LLM_TIMEOUT_S", "60", "SECONDS",
     "time limit of one request to the structuring server", 0},
    {"llm-attempts", "RAPORTAI_LLM_ATTEMPTS", "3", "N",
     "attempts per request (retries on 429, 5xx, timeouts) before the rules engine answers", 0},
    {"session-idle-minutes", "RAPORTAI_SESSION_IDLE_MINUTES", "30", "MINUTES",
     "a web session unused this long ends", 0},
    {"session-hours", "RAPORTAI_SESSION_HOURS", "12", "HOURS",
     "a web session ends this long after sign-in, however busy", 0},
    {"secure-cookies", "RAPORTAI_SECURE_COOKIES", NULL, NULL,
     "mark the session cookie Secure: set this when users reach the server over HTTPS", 0},
    {"hash-threads", "RAPORTAI_HASH_THREADS", "2", "N",
     "threads hashing passwords (argon2id, 64 MiB each) for sign-in, registration and password "
     "changes",
     0},
    {"hash-queue", "RAPORTAI_HASH_QUEUE", "16", "N",
     "passwords waiting for a hashing thread; beyond this a sign-in is answered 429 at once", 0},
    {"probe-threads", "RAPORTAI_PROBE_THREADS", "2", "N",
     "threads probing uploaded audio (FFmpeg, up to 10 s each) for report submissions", 0},
    {"probe-queue", "RAPORTAI_PROBE_QUEUE", "16", "N",
     "uploads waiting for a probing thread; beyond this a submission is answered 503 at once", 0},
    {"render-threads", "RAPORTAI_RENDER_THREADS", "2", "N",
     "threads rendering report exports (PDF, DOCX, RTF, TXT)", 0},
    {"render-queue", "RAPORTAI_RENDER_QUEUE", "8", "N",
     "exports waiting for a rendering thread; beyond this an export is answered 503 at once", 0},
    {"signin-address-limit", "RAPORTAI_SIGNIN_ADDRESS_LIMIT", TEXT_OF(SIGNIN_ADDRESS_LIMIT), "N",
     "failed sign-ins from one address (any e-mail; one is forgiven every 2 minutes) that lock it "
     "for 15 minutes; 0: no such lock (when every client comes through one proxy address)",
     0},
    {"header-timeout", "RAPORTAI_HEADER_TIMEOUT", "10", "SECONDS",
     "a request's headers must be complete this long after the connection opened (or its "
     "previous request ended), or it is cut; 0: no deadline",
     0},
    {"body-grace", "RAPORTAI_BODY_GRACE", "10", "SECONDS",
     "a request's body has this long before --min-body-rate counts", 0},
    {"min-body-rate", "RAPORTAI_MIN_BODY_RATE", "1024", "BYTES",
     "bytes a second a request's body must average after --body-grace, or it is cut; 0: no "
     "minimum",
     0},
    {"trusted-proxy", "RAPORTAI_TRUSTED_PROXY", NULL, "ADDR,...",
     "reverse proxies (IPv4 or IPv6 addresses) whose X-Forwarded-For names the client every "
     "per-client limit goes by, and whose X-Forwarded-Proto: https marks cookies Secure "
     "(default: none; the headers are ignored)",
     0},
    {"audio-minutes-per-credit", "RAPORTAI_AUDIO_MINUTES_PER_CREDIT", "10", "MINUTES",
     "the recording one credit covers: a job of N exams (N credits) takes audio of at most N "
     "times this; longer is refused with AUDIO_TOO_LONG",
     0},
    {"callback-threads", "RAPORTAI_CALLBACK_THREADS", "8", "N",
     "callbacks delivered at once (each attempt may wait up to 20 s for its receiver)", 0},
    {"callback-per-org", "RAPORTAI_CALLBACK_PER_ORG", "2", "N",
     "of them at most this many of one organization's, so that a slow or dead receiver delays "
     "only its own organization's callbacks; 0: no such limit",
     0},
    {"keys-per-org", "RAPORTAI_KEYS_PER_ORG", "10", "N",
     "live API keys an organization may hold (each has its own rate limit); a manager's new key "
     "past it is refused with LIMIT_REACHED",
     0},
    {"templates-per-user", "RAPORTAI_TEMPLATES_PER_USER", "100", "N",
     "own templates a user may keep (each up to 512 KiB)", 0},
    {"revisions-per-report", "RAPORTAI_REVISIONS_PER_REPORT", "100", "N",
     "revisions a saved report may have", 0},
    {"key-cache", "RAPORTAI_KEY_CACHE", TEXT_OF(KEYCACHE_DEFAULT), "N",
     "API keys kept in memory, so that the External API authenticates without the database "
     "(0: none)",
     0},
};

static const char serve_usage[] =
    "usage: raportai serve [OPTIONS]\n\n"
    "Runs the HTTP server (the web app, its JSON API under /api/v1, the External API v1\n"
    "under /api/external/v1, /healthz) and the report job workers with their callback\n"
    "dispatcher.";

typedef struct serve_settings {
    int64_t rate_limit, threads, timeout, max_conn, per_ip;
    int64_t workers, max_audio_mb, dup_hours, lease_s, attempts;
    int64_t upload_quota_mb, uploads_max_mb;
    int64_t session_idle_min, session_hours;
    int64_t org_lm_after, org_lm_minutes, org_lm_poll_s;
    int64_t asr_timeout_s, asr_attempts, asr_piece_s;
    int64_t llm_timeout_s, llm_attempts;
    int64_t hash_threads, hash_queue, signin_address_limit;
    int64_t probe_threads, probe_queue, render_threads, render_queue;
    int64_t header_timeout_s, body_grace_s, min_body_rate;
    http_proxies proxies; /* --trusted-proxy */
    int64_t audio_minutes, callback_threads, callback_per_org;
    int64_t keys_per_org, templates_per_user, revisions_per_report, key_cache;
    report_llm_config llm;           /* the openai structuring engine; url NULL: none */
    const asr_openai_config *speech; /* the openai speech engine's servers */
    int http_callbacks, secure_cookies;
    log_level level;
} serve_settings;

/* A switch is on when given with any value but "0" or "". */
static int is_set(const char *value)
{
    return value != NULL && strcmp(value, "0") != 0 && *value != '\0';
}

/* The upload quota must hold the largest upload (the audio, 4 MiB of text
 * fields and the form's framing: FORM_TEXT_MB below, rounded up), and the
 * server's room one organization's quota; prints what is wrong. */
static int check_upload_room(const serve_settings *st)
{
    if (st->upload_quota_mb < st->max_audio_mb + FORM_TEXT_MB + 1) {
        fprintf(stderr,
                "raportai serve: --upload-quota-mb must be at least --max-audio-mb + %d (%lld): "
                "the largest upload must fit\n",
                FORM_TEXT_MB + 1, (long long)(st->max_audio_mb + FORM_TEXT_MB + 1));
        return RA_ERR_INVALID;
    }
    if (st->uploads_max_mb < st->upload_quota_mb) {
        fprintf(stderr,
                "raportai serve: --uploads-max-mb must be at least --upload-quota-mb "
                "(%lld)\n",
                (long long)st->upload_quota_mb);
        return RA_ERR_INVALID;
    }
    return RA_OK;
}

/* Checks the numeric options; prints the first bad one. */
static int read_settings(const char **v, serve_settings *out)
{
    static const struct {
        int opt;
        int64_t min, max;
        size_t offset;
    } numbers[] = {
        {OPT_RATE_LIMIT, 1, RATELIMIT_MAX, offsetof(serve_settings, rate_limit)},
        {OPT_THREADS, 1, 256, offsetof(serve_settings, threads)},
        {OPT_TIMEOUT, 1, 3600, offsetof(serve_settings, timeout)},
        {OPT_MAX_CONN, 1, 100000, offsetof(serve_settings, max_conn)},
        {OPT_PER_IP, 1, 100000, offsetof(serve_settings, per_ip)},
        {OPT_WORKERS, 1, 64, offsetof(serve_settings, workers)},
        {OPT_MAX_AUDIO_MB, 1, 4096, offsetof(serve_settings, max_audio_mb)},
        {OPT_UPLOAD_QUOTA_MB, 1, 1024 * 1024, offsetof(serve_settings, upload_quota_mb)},
        {OPT_UPLOADS_MAX_MB, 1, 1024 * 1024, offsetof(serve_settings, uploads_max_mb)},
        {OPT_DUP_HOURS, 0, 24 * 365, offsetof(serve_settings, dup_hours)},
        {OPT_LEASE, 1, 3600, offsetof(serve_settings, lease_s)},
        {OPT_ATTEMPTS, 1, 100, offsetof(serve_settings, attempts)},
        {OPT_SESSION_IDLE, 1, 24 * 60, offsetof(serve_settings, session_idle_min)},
        {OPT_SESSION_HOURS, 1, 24 * 30, offsetof(serve_settings, session_hours)},
        {OPT_ORG_LM_AFTER, 0, 1000000, offsetof(serve_settings, org_lm_after)},
        {OPT_ORG_LM_MINUTES, 0, 7 * 24 * 60, offsetof(serve_settings, org_lm_minutes)},
        {OPT_ORG_LM_POLL, 1, 3600, offsetof(serve_settings, org_lm_poll_s)},
        {OPT_ASR_TIMEOUT, 1, 3600, offsetof(serve_settings, asr_timeout_s)},
        {OPT_ASR_ATTEMPTS, 1, 10, offsetof(serve_settings, asr_attempts)},
        {OPT_ASR_PIECE, 1, 3600, offsetof(serve_settings, asr_piece_s)},
        {OPT_LLM_TIMEOUT, 1, 3600, offsetof(serve_settings, llm_timeout_s)},
        {OPT_LLM_ATTEMPTS, 1, 10, offsetof(serve_settings, llm_attempts)},
        {OPT_HASH_THREADS, 1, 16, offsetof(serve_settings, hash_threads)},
        {OPT_HASH_QUEUE, 0, 10000, offsetof(serve_settings, hash_queue)},
        {OPT_PROBE_THREADS, 1, 16, offsetof(serve_settings, probe_threads)},
        {OPT_PROBE_QUEUE, 0, 10000, offsetof(serve_settings, probe_queue)},
        {OPT_RENDER_THREADS, 1, 16, offsetof(serve_settings, render_threads)},
        {OPT_RENDER_QUEUE, 0, 10000, offsetof(serve_settings, render_queue)},
        {OPT_SIGNIN_ADDRESS_LIMIT, 0, 1000000, offsetof(serve_settings, signin_address_limit)},
        {OPT_HEADER_TIMEOUT, 0, 3600, offsetof(serve_settings, header_timeout_s)},
        {OPT_BODY_GRACE, 0, 3600, offsetof(serve_settings, body_grace_s)},
        {OPT_MIN_BODY_RATE, 0, 1024 * 1024 * 1024, offsetof(serve_settings, min_body_rate)},
        {OPT_AUDIO_MINUTES, 1, 240, offsetof(serve_settings, audio_minutes)},
        {OPT_CALLBACK_THREADS, 1, 64, offsetof(serve_settings, callback_threads)},
        {OPT_CALLBACK_PER_ORG, 0, 64, offsetof(serve_settings, callback_per_org)},
        {OPT_KEYS_PER_ORG, 1, 1000, offsetof(serve_settings, keys_per_org)},
        {OPT_TEMPLATES_PER_USER, 1, 100000, offsetof(serve_settings, templates_per_user)},
        {OPT_REVISIONS_PER_REPORT, 1, 100000, offsetof(serve_settings, revisions_per_report)},
        {OPT_KEY_CACHE, 0, KEYCACHE_MAX, offsetof(serve_settings, key_cache)},
    };
    char cores[24];
    long n_cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(cores, sizeof cores, "%ld", n_cores > 0 ? n_cores : 1);
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        int64_t *field = (int64_t *)((char *)out + numbers[i].offset);
        const char *value = v[numbers[i].opt];
        if (value == NULL && numbers[i].opt == OPT_WORKERS)
            value = cores;
        if (opts_int(value, numbers[i].min, numbers[i].max, field) != RA_OK) {
            fprintf(stderr, "raportai serve: --%s must be a whole number from %lld to %lld\n",
                    serve_opts[numbers[i].opt].name, (long long)numbers[i].min,
                    (long long)numbers[i].max);
            return RA_ERR_INVALID;
        }
    }
    if (check_upload_room(out) != RA_OK)
        return RA_ERR_INVALID;
    char err[160];
    if (http_proxies_parse(v[OPT_TRUSTED_PROXY], &out->proxies, err, sizeof err) != RA_OK) {
        fprintf(stderr, "raportai serve: --trusted-proxy: %s\n", err);
        return RA_ERR_INVALID;
    }
    out->http_callbacks = is_set(v[OPT_HTTP_CALLBACKS]);
    out->secure_cookies = is_set(v[OPT_SECURE_COOKIES]);
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(v[OPT_LOG_LEVEL], levels[i]) == 0) {
            out->level = (log_level)i;
            return RA_OK;
        }
    fprintf(stderr, "raportai serve: --log-level must be debug, info, warn or error\n");
    return RA_ERR_INVALID;
}

/* Loads the web app's pages. A share folder without web/ serves the APIs
 * only (said at start-up); a web/ folder that cannot be loaded stops us. */
static int load_pages(const char *web_dir, http_static **pages)
{
    struct stat sb;
    if (stat(web_dir, &sb) != 0 && errno == ENOENT) {
        log_warn("serve: no web app at %s; serving the APIs only", web_dir);
        return RA_OK;
    }
    char err[256];
    int rc = http_static_load(web_dir, pages, err, sizeof err);
    if (rc == RA_OK)
        rc = api_add_generated_assets(*pages, err, sizeof err);
    if (rc != RA_OK)
        fprintf(stderr, "raportai serve: web app: %s\n", err);
    else
        log_info("serve: web app: %zu files from %s", http_static_count(*pages), web_dir);
    return rc;
}

/* Blocks until SIGINT or SIGTERM arrives. */
static void wait_for_stop_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("serve: stopping on signal %d", sig);
}

/* An upload file not written to for this long belongs to no live request:
 * a live one is written at least every --connection-timeout (MHD closes an
 * idle connection then), and its handler ends within seconds of its last
 * byte. Twice the timeout, and never under 15 minutes, leaves a wide
 * margin. */
static unsigned upload_stale_s(const serve_settings *st)
{
    int64_t s = 2 * st->timeout;
    return (unsigned)(s < 15 * 60 ? 15 * 60 : s);
}

/* Raises the open-files limit from its soft to its hard value (each
 * connection holds one) and bounds the connections by what it allows;
 * says what it got. */
static unsigned connections_allowed(const serve_settings *st)
{
    struct rlimit rl;
    int64_t max_conn = st->max_conn;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return (unsigned)max_conn;
    rlim_t was = rl.rlim_cur;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            rl.rlim_cur = was;
    }
    int64_t room = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)INT32_MAX
                       ? INT32_MAX
                       : (int64_t)rl.rlim_cur - FD_RESERVE;
    if (room < 16)
        room = 16;
    if (max_conn > room) {
        log_warn("serve: --max-connections %lld lowered to %lld: the open-files limit is %llu",
                 (long long)max_conn, (long long)room, (unsigned long long)rl.rlim_cur);
        max_conn = room;
    }
    log_info("serve: open files: %llu (was %llu, hard limit %llu); up to %lld connections, %lld "
             "from one address",
             (unsigned long long)rl.rlim_cur, (unsigned long long)was,
             (unsigned long long)rl.rlim_max, (long long)max_conn, (long long)st->per_ip);
    return (unsigned)max_conn;
}

static int run_server(const char **v, const serve_settings *st, api_app *app)
{
    char uploads[4200];
    snprintf(uploads, sizeof uploads, "%s/uploads", app->data_dir);
    http_config cfg = {
        .listen = v[OPT_LISTEN],
        .threads = (unsigned)st->threads,
        .timeout_s = (unsigned)st->timeout,
        .header_timeout_ms = st->header_timeout_s * 1000,
        .body_grace_ms = st->body_grace_s * 1000,
        .min_body_rate = (uint64_t)st->min_body_rate,
        .proxies = &st->proxies,
        .max_connections = connections_allowed(st),
        .per_ip_connections = (unsigned)st->per_ip,
        .header_bytes = 64 * 1024,
        .max_body = 1024 * 1024,
        .upload_dir = uploads,
        .max_upload = app->max_audio_bytes,
        .max_form_text = FORM_TEXT_MB * 1024 * 1024,
        .upload_stale_s = upload_stale_s(st),
    };
    http_server *srv = NULL;
    char err[256];
    int rc = http_server_start(&cfg, api_admit, api_handle, app, &srv, err, sizeof err);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai serve: %s\n", err);
        return rc;
    }
    if (st->proxies.n > 0)
        log_info("serve: %d trusted prox%s: X-Forwarded-For and X-Forwarded-Proto read from %s",
                 st->proxies.n, st->proxies.n == 1 ? "y" : "ies",
                 st->proxies.n == 1 ? "it" : "them");
    log_info("serve: listening on http://%.*s:%u", (int)(strrchr(cfg.listen, ':') - cfg.listen),
             cfg.listen, http_server_port(srv));
    wait_for_stop_signal();
    http_server_stop(srv);
    return RA_OK;
}

/* Creates data/audio, data/uploads and data/asr (the HTTP server empties
 * uploads of the files a previous process left half-received). */
static int prepare_dirs(const char *data_dir)
{
    char path[4200];
    const char *subdirs[] = {"audio", "uploads", "asr"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", data_dir, subdirs[i]);
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "raportai serve: cannot create %s: %s\n", path, strerror(errno));
            return RA_ERR_IO;
        }
    }
    return RA_OK;
}

/* The speech model: the files given by --asr-lm / --asr-dict, or else the
 * radiology model built now in DATA/asr from the shipped sources (a second
 * or two; rebuilt at every start so it follows the library, as
 * `transcribe` builds it). */
static int speech_model(const char **v, const api_app *app, const asr_model_sources *src,
                        asr_model_files *files, char *err, size_t errlen)
{
    if (v[OPT_ASR_LM] != NULL || v[OPT_ASR_DICT] != NULL) {
        snprintf(files->lm, sizeof files->lm, "%s", v[OPT_ASR_LM] ? v[OPT_ASR_LM] : "");
        snprintf(files->dict, sizeof files->dict, "%s", v[OPT_ASR_DICT] ? v[OPT_ASR_DICT] : "");
        return RA_OK;
    }
    asr_build_stats stats;
    int rc = asr_model_build_shared(src, app->data_dir, files, &stats, err, errlen);
    if (rc == RA_OK)
        log_info("serve: radiology speech model built: %zu words (%zu everyday words from the "
                 "generic model), %zu sentences, %.1f s",
                 stats.lm.vocabulary, stats.lm.background, stats.lm.sentences, stats.seconds);
    return rc;
}

/* Starts the refresher of the organizations' own speech models
 * (jobs/lm_refresh.h), on the sources the shared model is built from. */
static int start_org_models(const serve_settings *st, const api_app *app,
                            const asr_model_sources *src, lm_refresher **out)
{
    char err[512] = "";
    lm_refresh_config cfg = {
        .store = app->store,
        .data_dir = app->data_dir,
        .sources = *src,
        .min_new = (int)st->org_lm_after,
        .min_interval_ms = st->org_lm_minutes * 60000,
        .poll_ms = st->org_lm_poll_s * 1000,
    };
    int rc = lm_refresher_new(&cfg, out, err, sizeof err);
    if (rc == RA_OK)
        rc = lm_refresher_start(*out);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai serve: organization speech models: %s\n",
                err[0] ? err : ra_strerror(rc));
        lm_refresher_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Starts the job workers and runs the server until a stop signal. */
static int run_with_jobs(const char **v, const serve_settings *st, api_app *app, const char *share)
{
    char err[512] = "";
    asr_model_files files;
    /* Read once for the shared model and the organizations' models. */
    int own_model = v[OPT_ASR_LM] == NULL && v[OPT_ASR_DICT] == NULL;
    asr_background *bg = own_model ? cli_load_background(v[OPT_ASR_MODEL]) : NULL;
    asr_model_sources src;
    int rc = own_model ? asr_model_sources_shipped(share, v[OPT_ASR_MODEL], app->templates, bg,
                                                   &src, err, sizeof err)
                       : RA_OK;
    if (rc == RA_OK)
        rc = speech_model(v, app, &src, &files, err, sizeof err);
    if (rc != RA_OK) {
        fprintf(stderr, "raportai serve: speech model: %s\n", err);
        asr_background_free(bg);
        return rc;
    }
    jobs_config jc = {
        .store = app->store,
        .data_dir = app->data_dir,
        .templates = app->templates,
        .workers = (int)st->workers,
        .lease_ms = st->lease_s * 1000,
        .max_attempts = (int)st->attempts,
        .max_audio_s = AUDIO_MAX_S,
        .asr_model_dir = v[OPT_ASR_MODEL],
        .asr_lm = files.lm[0] ? files.lm : NULL,
        .asr_dict = files.dict[0] ? files.dict : NULL,
        .asr_openai = st->speech,
        .llm = st->llm,
        .webhooks = app->webhooks,
        .callback_threads = (int)st->callback_threads,
        .callback_per_org = (int)st->callback_per_org,
        .render = api_render_job,
        .render_ctx = app,
    };
    lm_refresher *refresher = NULL;
    jc.org_models = own_model && st->org_lm_after > 0;
    if (jc.org_models)
        rc = start_org_models(st, app, &src, &refresher);
    if (rc == RA_OK)
        rc = jobs_start(&jc, &app->jobs, err, sizeof err);
    if (rc != RA_OK) {
        if (err[0])
            fprintf(stderr, "raportai serve: jobs: %s\n", err);
        lm_refresher_free(refresher);
        asr_background_free(bg);
        return rc;
    }
    rc = run_server(v, st, app);
    lm_refresher_free(refresher);
    asr_background_free(bg);
    jobs_stop(app->jobs);
    app->jobs = NULL;
    return rc;
}

/* The openai speech engine's configuration from the --asr-* options and the
 * RAPORTAI_ASR_KEY_<LANG> variables, and the engine that serves each
 * language (asr/routing.h). Prints the first bad option (never a key) and
 * returns RA_ERR_INVALID. */
static int speech_setup(const char **v, const serve_settings *st, asr_openai_config *cfg,
                        asr_routing *routing)
{
    const char *model = v[OPT_ASR_MODEL_NAME];
    if (model != NULL && (model[0] == '/' || model[0] == '.')) {
        fprintf(stderr, "raportai serve: --asr-model-name (RAPORTAI_ASR_MODEL) names the speech "
                        "server's model, and this looks like a folder: the pocketsphinx model "
                        "folder is --asr-model (RAPORTAI_ASR_MODEL_DIR)\n");
        return RA_ERR_INVALID;
    }
    asr_openai_settings s = {
        .url = v[OPT_ASR_URL],
        .key = v[OPT_ASR_KEY],
        .model = model,
        .languages = v[OPT_ASR_LANGUAGES],
        .map = v[OPT_ASR_MAP],
        .timeout_s = st->asr_timeout_s,
        .attempts = (int)st->asr_attempts,
        .piece_s = st->asr_piece_s,
    };
    for (int i = 0; i < LANG_COUNT; i++) {
        char var[32];
        snprintf(var, sizeof var, "RAPORTAI_ASR_KEY_%c%c", lang_codes[i][0] - 'a' + 'A',
                 lang_codes[i][1] - 'a' + 'A');
        s.lang_keys[i] = getenv(var);
    }
    char err[320];
    if (asr_openai_configure(&s, cfg, err, sizeof err) != RA_OK) {
        fprintf(stderr, "raportai serve: speech: %s\n", err);
        return RA_ERR_INVALID;
    }
    asr_routing_of(cfg, routing);
    for (int i = 0; i < LANG_COUNT; i++) {
        const asr_openai_route *r = asr_openai_route_for(cfg, lang_codes[i]);
        char origin[HTTPC_ORIGIN_LEN];
        if (r == NULL)
            continue;
        httpc_url_origin(r->url, origin, sizeof origin);
        log_info("serve: speech in %s: openai engine at %s, model %s, %s", r->lang, origin,
                 r->model, r->key != NULL ? "with a key" : "without a key");
    }
    return RA_OK;
}

/* The openai structuring engine's configuration from the --llm-* options;
 * none without --llm-url. Prints a bad option (never the key) and returns
 * RA_ERR_INVALID. */
static int structuring_setup(const char **v, serve_settings *st)
{
    st->llm = (report_llm_config){
        .url = v[OPT_LLM_URL] && v[OPT_LLM_URL][0] ? v[OPT_LLM_URL] : NULL,
        .key = v[OPT_LLM_KEY] && v[OPT_LLM_KEY][0] ? v[OPT_LLM_KEY] : NULL,
        .model = v[OPT_LLM_MODEL],
        .timeout_ms = st->llm_timeout_s * 1000,
        .attempts = (int)st->llm_attempts,
    };
    if (!report_llm_configured(&st->llm)) {
        log_info("serve: structuring: the rules engine (no --llm-url; translation is refused)");
        return RA_OK;
    }
    char err[320], origin[HTTPC_ORIGIN_LEN];
    if (report_llm_check(&st->llm, err, sizeof err) != RA_OK) {
        fprintf(stderr, "raportai serve: structuring: %s\n", err);
        return RA_ERR_INVALID;
    }
    httpc_url_origin(st->llm.url, origin, sizeof origin);
    log_info("serve: structuring: openai engine at %s, model %s, %s; the rules engine when it "
             "fails",
             origin, st->llm.model, st->llm.key != NULL ? "with a key" : "without a key");
    return RA_OK;
}

int cli_serve(int argc, char **argv)
{
    const char *v[N_OPTS];
    int help = 0;
    char err[256];
    if (opts_parse(serve_opts, N_OPTS, argc, argv, v, &help, err, sizeof err) != RA_OK) {
        fprintf(stderr, "raportai serve: %s\n", err);
        return CLI_REFUSED;
    }
    if (help) {
        opts_usage(stdout, serve_usage, serve_opts, N_OPTS);
        return CLI_OK;
    }
    serve_settings st;
    if (read_settings(v, &st) != RA_OK)
        return CLI_REFUSED;
    log_set_level(st.level);
    asr_openai_config speech;
    asr_routing speech_routing;
    if (speech_setup(v, &st, &speech, &speech_routing) != RA_OK)
        return CLI_REFUSED;
    st.speech = &speech;
    if (structuring_setup(v, &st) != RA_OK) {
        asr_openai_config_release(&speech);
        return CLI_REFUSED;
    }
    /* Signals are taken by sigwait in the main thread; block them before any
     * other thread starts so none of those threads receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (st.http_callbacks)
        log_warn("serve: DEVELOPMENT MODE: callbacks may go to http:// and to loopback and "
                 "private addresses (RAPORTAI_ALLOW_HTTP_CALLBACKS); never use this in production");

    char share[4096], templates_dir[4200], web_dir[4200];
    cli_share_dir(v[OPT_SHARE], share, sizeof share);
    snprintf(templates_dir, sizeof templates_dir, "%s/data/templates", share);
    snprintf(web_dir, sizeof web_dir, "%s/web", share);
    api_app app = {
        .data_dir = v[OPT_DATA],
        .max_audio_bytes = (uint64_t)st.max_audio_mb * 1024 * 1024,
        .audio_ms_per_credit = st.audio_minutes * 60000,
        .audio_ms_max = (int64_t)AUDIO_MAX_S * 1000,
        .limits = {.keys_per_org = (int)st.keys_per_org,
                   .templates_per_user = (int)st.templates_per_user,
                   .revisions_per_report = (int)st.revisions_per_report},
        .dup_window_s = st.dup_hours * 3600,
        .speech = &speech_routing,
        .workers = (int)st.workers,
        .structuring = report_llm_configured(&st.llm),
        .session_idle_ms = st.session_idle_min * 60000,
        .session_max_ms = st.session_hours * 3600000,
        .secure_cookies = st.secure_cookies,
        .signin_address_limit = (unsigned)st.signin_address_limit,
    };
    webhook_policy_init(&app.webhooks, st.http_callbacks);
    int rc = cli_open_store(v[OPT_DATA], share, &app.store);
    if (rc == RA_OK) {
        store_set_result_renderer(app.store, api_render_result, &app);
        store_set_limits(app.store, &app.limits);
        rc = prepare_dirs(v[OPT_DATA]);
    }
    if (rc == RA_OK) {
        tmpl_library *lib = NULL;
        rc = tmpl_library_load(templates_dir, &lib, err, sizeof err);
        if (rc != RA_OK)
            fprintf(stderr, "raportai serve: template library: %s\n", err);
        app.templates = lib;
        http_static *pages = NULL;
        if (rc == RA_OK)
            rc = load_pages(web_dir, &pages);
        app.pages = pages;
        if (rc == RA_OK)
            rc = ratelimit_new((unsigned)st.rate_limit, &app.limiter);
        if (rc == RA_OK)
            rc = api_keyauth_new(app.store, (size_t)st.key_cache, 1, &app.keys);
        if (rc == RA_OK)
            rc = quota_new((uint64_t)st.upload_quota_mb * 1024 * 1024,
                           (uint64_t)st.uploads_max_mb * 1024 * 1024, &app.uploads);
        if (rc == RA_OK)
            rc = workpool_new((unsigned)st.hash_threads, (unsigned)st.hash_queue, HASH_NICE,
                              &app.hashing);
        if (rc == RA_OK)
            rc = workpool_new((unsigned)st.probe_threads, (unsigned)st.probe_queue, POOL_NICE,
                              &app.probing);
        if (rc == RA_OK)
            rc = workpool_new((unsigned)st.render_threads, (unsigned)st.render_queue, POOL_NICE,
                              &app.rendering);
        cli_sweeper *sweeper = NULL;
        if (rc == RA_OK)
            rc = cli_sweeper_start(app.store, SWEEP_EVERY_MS, &sweeper);
        if (rc == RA_OK)
            rc = run_with_jobs(v, &st, &app, share);
        cli_sweeper_stop(sweeper);
        workpool_free(app.hashing); /* after the server: it waits for what it offloaded */
        workpool_free(app.probing);
        workpool_free(app.rendering);
        quota_free(app.uploads);
        ratelimit_free(app.limiter);
        api_keyauth_free(app.keys); /* after the server: writes the keys' last uses */
        http_static_free(pages);
        tmpl_library_free(lib);
    }
    store_close(app.store);
    asr_openai_config_release(&speech);
    if (rc == RA_ERR_INVALID)
        return CLI_REFUSED;
    return rc == RA_OK ? CLI_OK : CLI_FAILED;
}

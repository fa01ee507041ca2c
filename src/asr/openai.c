/* openai.c - the OpenAI-compatible speech engine (see asr.h): its
 * configuration (the --asr-* options, the per-language map), cutting long
 * audio at pauses, WAV encoding, and the requests to
 * POST {base}/v1/audio/transcriptions through httpc/httpc.h.
 *
 * The servers are the hospital's own (whisper.cpp's server, faster-whisper
 * servers, vLLM) or OpenAI itself. Audio goes as 16 kHz mono 16-bit WAV,
 * in pieces of at most piece_s seconds and 25 MB, cut in the quietest 300 ms
 * near the limit, as the audio is decoded (never more than a piece is
 * held); the pieces' texts are joined with a space, in order. No
 * sentence or log line holds the key, a transcript or the prompt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "httpc/httpc.h"
#include "httpc/json.h"
#include "httpc/retry.h"
#include "httpc/url.h"

#define CUT_FRAME 160                               /* samples: 10 ms */
#define CUT_WINDOW 30                               /* frames: the 300 ms pause looked for */
#define CUT_SPAN_MAX ((size_t)30 * ASR_SAMPLE_RATE) /* how far before the limit to look */
#define SILENT_PEAK 64                              /* a piece whose peak is below is not sent */
#define WAV_HEADER 44
#define MAX_ANSWER_BYTES (4u << 20) /* one piece's JSON answer */
#define MAX_TRANSCRIPT ((size_t)64 << 20)
#define MAX_MODEL_CHARS 200
#define ENDPOINT_PATH "/audio/transcriptions"

/* ---- configuration ---------------------------------------------------------------- */

static const char *given(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

/* Moves *p and shortens *n past leading and trailing spaces and tabs. */
static void trim(const char **p, size_t *n)
{
    while (*n > 0 && (**p == ' ' || **p == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

/* One language's entry of --asr-map. */
typedef struct map_entry {
    int set;
    char *url;   /* NULL: --asr-url */
    char *model; /* NULL: --asr-model-name */
} map_entry;

static void map_release(map_entry m[LANG_COUNT])
{
    for (int i = 0; i < LANG_COUNT; i++) {
        free(m[i].url);
        free(m[i].model);
        m[i] = (map_entry){0};
    }
}

/* A model name: 1..MAX_MODEL_CHARS printable ASCII characters without spaces. */
static int check_model(const char *s, size_t n, const char *where, char *err, size_t errlen)
{
    if (n == 0 || n > MAX_MODEL_CHARS || !text_is_token(s, n))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "%s: a model name is 1 to %d printable characters without spaces.", where,
                       MAX_MODEL_CHARS);
    return RA_OK;
}

/* Parses one "LANG=URL[|MODEL]" entry (n bytes at s) into m. */
static int map_entry_parse(const char *s, size_t n, size_t number, map_entry m[LANG_COUNT],
                           char *err, size_t errlen)
{
    const char *eq = memchr(s, '=', n);
    if (eq == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "--asr-map: entry %zu is not LANG=URL or LANG=URL|MODEL.", number);
    const char *lang = s;
    size_t lang_n = (size_t)(eq - s);
    trim(&lang, &lang_n);
    int li = lang_index_n(lang, lang_n);
    if (li < 0)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "--asr-map: entry %zu names a language that is not one of tr, en, ru, "
                       "az, fr, de.",
                       number);
    if (m[li].set)
        return ra_fail(err, errlen, RA_ERR_INVALID, "--asr-map: %s appears twice.", lang_codes[li]);
    const char *url = eq + 1, *end = s + n;
    const char *bar = memchr(url, '|', (size_t)(end - url));
    size_t url_n = (size_t)((bar ? bar : end) - url);
    const char *model = bar ? bar + 1 : end;
    size_t model_n = (size_t)(end - model);
    trim(&url, &url_n);
    trim(&model, &model_n);
    char where[48];
    snprintf(where, sizeof where, "--asr-map entry for %s", lang_codes[li]);
    m[li].set = 1;
    if (url_n > 0 && (m[li].url = strndup(url, url_n)) == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    char why[160];
    if (m[li].url != NULL && httpc_check_url(m[li].url, why, sizeof why) != RA_OK)
        return ra_fail(err, errlen, RA_ERR_INVALID, "%s: %s", where, why);
    if (model_n > 0 && check_model(model, model_n, where, err, errlen) != RA_OK)
        return RA_ERR_INVALID;
    if (model_n > 0 && (m[li].model = strndup(model, model_n)) == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    return RA_OK;
}

/* Parses --asr-map (see asr.h) into m (all unset first). */
static int map_parse(const char *map, map_entry m[LANG_COUNT], char *err, size_t errlen)
{
    size_t number = 0;
    for (const char *p = map; p != NULL;) {
        const char *comma = strchr(p, ',');
        const char *s = p;
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        number++;
        trim(&s, &n);
        if (n == 0)
            return ra_fail(err, errlen, RA_ERR_INVALID, "--asr-map: entry %zu is empty.", number);
        int rc = map_entry_parse(s, n, number, m, err, errlen);
        if (rc != RA_OK)
            return rc;
        p = comma ? comma + 1 : NULL;
    }
    return RA_OK;
}

/* Parses --asr-languages: "all" or a comma-separated list. */
static int languages_parse(const char *list, int served[LANG_COUNT], char *err, size_t errlen)
{
    const char *all = list;
    size_t all_n = strlen(list);
    trim(&all, &all_n);
    if (all_n == 3 && strncasecmp(all, "all", 3) == 0) {
        for (int i = 0; i < LANG_COUNT; i++)
            served[i] = 1;
        return RA_OK;
    }
    for (const char *p = list; p != NULL;) {
        const char *comma = strchr(p, ',');
        const char *s = p;
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        trim(&s, &n);
        int li = lang_index_n(s, n);
        if (li < 0)
            return ra_fail(err, errlen, RA_ERR_INVALID,
                           "--asr-languages: give \"all\" or languages among tr, en, ru, az, fr, "
                           "de, separated by commas.");
        if (served[li])
            return ra_fail(err, errlen, RA_ERR_INVALID, "--asr-languages: %s appears twice.",
                           lang_codes[li]);
        served[li] = 1;
        p = comma ? comma + 1 : NULL;
    }
    return RA_OK;
}

/* The endpoint for a base URL: {base}/v1/audio/transcriptions, keeping a
 * query string at the end; a base that already ends in /v1 or in the
 * endpoint's path is not extended twice. NULL when out of memory. */
static char *endpoint_of(const char *base)
{
    size_t path_n = strcspn(base, "?");
    const char *query = base + path_n;
    while (path_n > 0 && base[path_n - 1] == '/')
        path_n--;
    size_t ep = strlen(ENDPOINT_PATH);
    const char *add = "/v1" ENDPOINT_PATH;
    if (path_n >= ep && strncmp(base + path_n - ep, ENDPOINT_PATH, ep) == 0)
        add = "";
    else if (path_n >= 3 && strncmp(base + path_n - 3, "/v1", 3) == 0)
        add = ENDPOINT_PATH;
    buf b;
    buf_init(&b, strlen(base) + 64);
    if (buf_append(&b, base, path_n) != RA_OK || buf_puts(&b, add) != RA_OK ||
        buf_puts(&b, query) != RA_OK) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}

void asr_openai_config_release(asr_openai_config *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_routes; i++) {
        asr_openai_route *r = &c->routes[i];
        free(r->url);
        free(r->model);
        free(r->key);
    }
    *c = (asr_openai_config){0};
}

/* The key for language li, copied (NULL: none). */
static int route_key(const asr_openai_settings *s, int li, char **out, char *err, size_t errlen)
{
    const char *key = s->lang_keys[li] != NULL ? given(s->lang_keys[li]) : given(s->key);
    *out = NULL;
    if (key == NULL)
        return RA_OK;
    if (!text_is_token(key, strlen(key)))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The speech key for %s (RAPORTAI_ASR_KEY%s%s) holds spaces or characters "
                       "an HTTP header cannot carry.",
                       lang_codes[li], s->lang_keys[li] != NULL ? "_" : "",
                       s->lang_keys[li] != NULL ? lang_codes[li] : "");
    *out = strdup(key);
    return *out != NULL ? RA_OK : ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
}

/* Adds the route of language li to c. */
static int add_route(asr_openai_config *c, const asr_openai_settings *s, int li, const map_entry *m,
                     const char *model, char *err, size_t errlen)
{
    const char *base = m->url != NULL ? m->url : given(s->url);
    if (base == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "No speech server for %s: give --asr-url or an --asr-map entry with a URL "
                       "for %s.",
                       lang_codes[li], lang_codes[li]);
    asr_openai_route *r = &c->routes[c->n_routes];
    *r = (asr_openai_route){0};
    memcpy(r->lang, lang_codes[li], 3);
    c->n_routes++;
    r->url = endpoint_of(base);
    r->model = strdup(m->model != NULL ? m->model : model);
    if (r->url == NULL || r->model == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    return route_key(s, li, &r->key, err, errlen);
}

/* Which languages are served (see asr.h). */
static int served_languages(const asr_openai_settings *s, const map_entry m[LANG_COUNT],
                            int served[LANG_COUNT], char *err, size_t errlen)
{
    if (given(s->languages) != NULL) {
        int rc = languages_parse(s->languages, served, err, errlen);
        for (int i = 0; rc == RA_OK && i < LANG_COUNT; i++)
            if (m[i].set && !served[i])
                rc = ra_fail(err, errlen, RA_ERR_INVALID,
                             "--asr-map routes %s, which --asr-languages does not list.",
                             lang_codes[i]);
        return rc;
    }
    for (int i = 0; i < LANG_COUNT; i++)
        served[i] = m[i].set || (given(s->url) != NULL && strcmp(lang_codes[i], "en") != 0);
    return RA_OK;
}

int asr_openai_configure(const asr_openai_settings *s, asr_openai_config *out, char *err,
                         size_t errlen)
{
    map_entry m[LANG_COUNT] = {{0}};
    int served[LANG_COUNT] = {0};
    asr_openai_config c = {.timeout_s =
                               s->timeout_s > 0 ? s->timeout_s : ASR_OPENAI_DEFAULT_TIMEOUT_S,
                           .attempts = s->attempts > 0 ? s->attempts : ASR_OPENAI_DEFAULT_ATTEMPTS,
                           .piece_s = s->piece_s > 0 ? s->piece_s : ASR_OPENAI_DEFAULT_PIECE_S};
    const char *model = given(s->model) ? s->model : ASR_OPENAI_DEFAULT_MODEL;
    char why[160];
    int rc = check_model(model, strlen(model), "--asr-model-name", err, errlen);
    if (rc == RA_OK && given(s->url) && httpc_check_url(s->url, why, sizeof why) != RA_OK)
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "--asr-url: %s", why);
    if (rc == RA_OK && given(s->map))
        rc = map_parse(s->map, m, err, errlen);
    if (rc == RA_OK)
        rc = served_languages(s, m, served, err, errlen);
    for (int i = 0; rc == RA_OK && i < LANG_COUNT; i++)
        if (served[i])
            rc = add_route(&c, s, i, &m[i], model, err, errlen);
    map_release(m);
    if (rc != RA_OK) {
        asr_openai_config_release(&c);
        return rc;
    }
    *out = c;
    return RA_OK;
}

const asr_openai_route *asr_openai_route_for(const asr_openai_config *c, const char *lang)
{
    if (c == NULL || lang == NULL)
        return NULL;
    int li = lang_index_n(lang, strcspn(lang, "-_"));
    for (size_t i = 0; li >= 0 && i < c->n_routes; i++)
        if (strcmp(c->routes[i].lang, lang_codes[li]) == 0)
            return &c->routes[i];
    return NULL;
}

/* A deep copy of src into dst. */
static int config_copy(const asr_openai_config *src, asr_openai_config *dst)
{
    *dst = *src;
    dst->n_routes = 0;
    for (size_t i = 0; i < src->n_routes; i++) {
        const asr_openai_route *r = &src->routes[i];
        asr_openai_route *d = &dst->routes[i];
        *d = (asr_openai_route){0};
        memcpy(d->lang, r->lang, sizeof d->lang);
        dst->n_routes++;
        d->url = strdup(r->url);
        d->model = strdup(r->model);
        d->key = r->key != NULL ? strdup(r->key) : NULL;
        if (d->url == NULL || d->model == NULL || (r->key != NULL && d->key == NULL))
            return RA_ERR_NOMEM;
    }
    return RA_OK;
}

/* ---- audio ---------------------------------------------------------------------------- */

static uint64_t frame_energy(const int16_t *x)
{
    uint64_t e = 0;
    for (size_t i = 0; i < CUT_FRAME; i++)
        e += (uint64_t)((int32_t)x[i] * (int32_t)x[i]);
    return e;
}

size_t asr_cut_point(const int16_t *pcm, size_t n, size_t max_samples)
{
    if (n <= max_samples || max_samples == 0)
        return n;
    size_t span = max_samples / 2 < CUT_SPAN_MAX ? max_samples / 2 : CUT_SPAN_MAX;
    size_t frames = span / CUT_FRAME;
    if (frames == 0)
        return max_samples;
    size_t w = frames < CUT_WINDOW ? frames : CUT_WINDOW;
    size_t lo = max_samples - frames * CUT_FRAME;
    uint64_t ring[CUT_WINDOW] = {0}, sum = 0, best = UINT64_MAX;
    size_t best_end = w;
    for (size_t f = 0; f < frames; f++) {
        uint64_t e = frame_energy(pcm + lo + f * CUT_FRAME);
        sum = sum - ring[f % w] + e;
        ring[f % w] = e;
        if (f + 1 >= w && sum <= best) { /* "<=": the latest of equally quiet windows */
            best = sum;
            best_end = f + 1;
        }
    }
    return lo + (best_end - w) * CUT_FRAME + w * CUT_FRAME / 2;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes the WAV header of n samples (at most (UINT32_MAX - WAV_HEADER) /
 * 2) and the samples of pcm after it, little-endian; pcm may be w +
 * WAV_HEADER itself. */
static void wav_write(unsigned char *w, const int16_t *pcm, size_t n)
{
    size_t total = WAV_HEADER + 2 * n;
    memcpy(w, "RIFF", 4);
    put_le(w + 4, (uint32_t)(total - 8), 4);
    memcpy(w + 8, "WAVEfmt ", 8);
    put_le(w + 16, 16, 4);                  /* fmt chunk size */
    put_le(w + 20, 1, 2);                   /* PCM */
    put_le(w + 22, 1, 2);                   /* mono */
    put_le(w + 24, ASR_SAMPLE_RATE, 4);     /* sample rate */
    put_le(w + 28, ASR_SAMPLE_RATE * 2, 4); /* bytes per second */
    put_le(w + 32, 2, 2);                   /* block align */
    put_le(w + 34, 16, 2);                  /* bits per sample */
    memcpy(w + 36, "data", 4);
    put_le(w + 40, (uint32_t)(2 * n), 4);
    for (size_t i = 0; i < n; i++)
        put_le(w + WAV_HEADER + 2 * i, (uint16_t)pcm[i], 2);
}

int asr_wav_encode(const int16_t *pcm, size_t n, unsigned char **out, size_t *len)
{
    if (n > (UINT32_MAX - WAV_HEADER) / 2)
        return RA_ERR_TOO_LARGE;
    size_t total = WAV_HEADER + 2 * n;
    unsigned char *w = malloc(total);
    if (w == NULL)
        return RA_ERR_NOMEM;
    wav_write(w, pcm, n);
    *out = w;
    *len = total;
    return RA_OK;
}

/* True when no sample of the n reaches SILENT_PEAK: nothing to send. */
static int silent(const int16_t *pcm, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (pcm[i] >= SILENT_PEAK || pcm[i] <= -SILENT_PEAK)
            return 0;
    return 1;
}

/* ---- the engine --------------------------------------------------------------------- */

typedef struct asr_openai {
    asr_engine base; /* first, so an asr_engine * is an asr_openai * */
    asr_openai_config cfg;
    char *prompt;
    const atomic_int *cancel;
} asr_openai;

static int oa_supports(asr_engine *e, const char *lang)
{
    return asr_openai_route_for(&((asr_openai *)e)->cfg, lang) != NULL;
}

/* The most samples of one piece: piece_s seconds, within the byte limit. */
static size_t piece_samples(const asr_openai *o)
{
    size_t by_time = (size_t)o->cfg.piece_s * ASR_SAMPLE_RATE;
    size_t by_bytes = (ASR_OPENAI_MAX_PIECE_BYTES - WAV_HEADER) / 2;
    return by_time < by_bytes ? by_time : by_bytes;
}

/* The sentence for a request that got no usable answer; the client's
 * sentence names the server by origin, and a hint follows for statuses an
 * operator can fix. */
static int unusable(int rc, long status, const char *why, char *err, size_t errlen)
{
    const char *hint = "";
    if (rc == RA_ERR_REFUSED && (status == 401 || status == 403))
        hint = " Check the speech key (RAPORTAI_ASR_KEY).";
    else if (rc == RA_ERR_REFUSED && status >= 400 && status < 500)
        hint = " Check the speech server's URL, the model name and the language.";
    return ra_fail(err, errlen, RA_ERR_UNAVAILABLE, "%s%s", why, hint);
}

/* Appends the text of a 2xx answer to out (a space between pieces). */
static int take_text(const asr_openai_route *r, const httpc_response *resp, buf *out, char *err,
                     size_t errlen)
{
    char *text = NULL, origin[HTTPC_ORIGIN_LEN];
    int rc = httpc_json_string(resp->body, resp->body_len, "text", &text);
    if (rc == RA_ERR_NOMEM)
        return rc;
    if (rc != RA_OK) {
        httpc_url_origin(r->url, origin, sizeof origin);
        return ra_fail(err, errlen, RA_ERR_UNAVAILABLE,
                       "The speech server at %s answered HTTP %ld without the JSON expected (an "
                       "object with a \"text\" string).",
                       origin, resp->status);
    }
    const char *t = text + strspn(text, " \t\r\n");
    size_t n = strlen(t);
    while (n > 0 && strchr(" \t\r\n", t[n - 1]) != NULL)
        n--;
    if (n > 0 && out->len > 0)
        rc = buf_putc(out, ' ');
    if (rc == RA_OK)
        rc = buf_append(out, t, n);
    free(text);
    return rc;
}

/* Sends one piece, the WAV file wav of wav_len bytes, and appends its text
 * to out. */
static int oa_piece(asr_openai *o, const asr_openai_route *r, const unsigned char *wav,
                    size_t wav_len, buf *out, char *err, size_t errlen)
{
    httpc_part parts[5] = {
        {.name = "file",
         .data = wav,
         .len = wav_len,
         .filename = "audio.wav",
         .content_type = "audio/wav"},
        {.name = "model", .data = r->model, .len = strlen(r->model)},
        {.name = "language", .data = r->lang, .len = strlen(r->lang)},
        {.name = "response_format", .data = "json", .len = 4},
        {.name = "prompt", .data = o->prompt, .len = o->prompt ? strlen(o->prompt) : 0},
    };
    httpc_request req = {.url = r->url,
                         .what = "speech server",
                         .bearer = r->key,
                         .headers = httpc_accept_json,
                         .parts = parts,
                         .n_parts = o->prompt != NULL ? 5 : 4,
                         .timeout_ms = o->cfg.timeout_s * 1000,
                         .max_response = MAX_ANSWER_BYTES,
                         .cancel = o->cancel};
    httpc_retry_policy policy = {.max_attempts = o->cfg.attempts};
    httpc_response resp;
    char why[512] = "";
    int rc = httpc_post_retry(&req, &policy, &resp, why, sizeof why);
    if (rc == RA_OK)
        rc = take_text(r, &resp, out, err, errlen);
    else if (rc == RA_ERR_CANCELLED || rc == RA_ERR_NOMEM)
        ra_fail(err, errlen, rc, "%s", why);
    else
        rc = unusable(rc, resp.status, why, err, errlen);
    httpc_response_release(&resp);
    return rc;
}

/* The audio as it arrives, cut into pieces: samples wait in a WAV file
 * being made (the header's room first, so a piece is sent from where it
 * lies, without a copy) until more than a piece's worth came; then the
 * first piece is cut (asr_cut_point, which looks no further than a piece)
 * and sent, and the rest moved to the front. The samples held never pass
 * one piece and a chunk, whatever the audio's length, and the pieces are
 * those of the same samples in one buffer. */
typedef struct oa_stream {
    asr_openai *o;
    const asr_openai_route *r;
    unsigned char *wav; /* WAV_HEADER bytes, then len samples */
    size_t len, cap;    /* samples waiting, and room for them */
    size_t max;         /* the most samples of a piece */
    uint64_t sent;      /* samples before the waiting ones */
    uint64_t total;     /* samples of the audio so far */
    size_t piece;       /* pieces cut so far */
    int too_long;       /* the audio passed ASR_MAX_SECONDS */
    buf *out;
    char *err;
    size_t errlen;
} oa_stream;

static int16_t *oa_samples(oa_stream *st)
{
    return (int16_t *)(void *)(st->wav + WAV_HEADER);
}

/* Counts n more samples of the audio, refusing more than ASR_MAX_SECONDS. */
static int oa_count(oa_stream *st, size_t n)
{
    if (n > (uint64_t)ASR_MAX_SECONDS * ASR_SAMPLE_RATE - st->total) {
        st->too_long = 1;
        return RA_ERR_TOO_LARGE;
    }
    st->total += n;
    return RA_OK;
}

/* The first pass's sink: the audio's length alone. */
static int oa_count_sink(const int16_t *pcm, size_t n, void *ctx)
{
    (void)pcm;
    return oa_count(ctx, n);
}

/* Sends (or skips, when silent) the first k waiting samples as a piece. */
static int oa_send(oa_stream *st, size_t k)
{
    int16_t *pcm = oa_samples(st);
    int rc = RA_OK;
    if (st->o->cancel != NULL && atomic_load(st->o->cancel))
        rc = ra_fail(st->err, st->errlen, RA_ERR_CANCELLED, "The transcription was cancelled.");
    else if (!silent(pcm, k)) {
        wav_write(st->wav, pcm, k);
        rc = oa_piece(st->o, st->r, st->wav, WAV_HEADER + 2 * k, st->out, st->err, st->errlen);
    }
    log_debug("asr openai: %s piece %zu (%.1f s from %.1f s): %s", st->r->lang, ++st->piece,
              (double)k / ASR_SAMPLE_RATE, (double)st->sent / ASR_SAMPLE_RATE, ra_strerror(rc));
    memmove(pcm, pcm + k, (st->len - k) * sizeof *pcm);
    st->len -= k;
    st->sent += k;
    return rc;
}

/* Makes room for at least want samples (at most max + 1). */
static int oa_room(oa_stream *st, size_t want)
{
    if (want <= st->cap)
        return RA_OK;
    size_t cap = st->cap > 0 ? st->cap : (size_t)ASR_SAMPLE_RATE * 8;
    while (cap < want)
        cap *= 2;
    if (cap > st->max + 1)
        cap = st->max + 1;
    unsigned char *w = realloc(st->wav, WAV_HEADER + cap * sizeof(int16_t));
    if (w == NULL)
        return ra_fail(st->err, st->errlen, RA_ERR_NOMEM, "Out of memory.");
    st->wav = w;
    st->cap = cap;
    return RA_OK;
}

/* The second pass's sink: waits for more than a piece, then sends one. */
static int oa_piece_sink(const int16_t *pcm, size_t n, void *ctx)
{
    oa_stream *st = ctx;
    int rc = RA_OK;
    while (n > 0 && rc == RA_OK) {
        size_t take = st->max + 1 - st->len < n ? st->max + 1 - st->len : n;
        rc = oa_room(st, st->len + take);
        if (rc != RA_OK)
            break;
        memcpy(oa_samples(st) + st->len, pcm, take * sizeof *pcm);
        st->len += take;
        pcm += take;
        n -= take;
        if (st->len > st->max)
            rc = oa_send(st, asr_cut_point(oa_samples(st), st->len, st->max));
    }
    return rc;
}

/* Reads the audio a once to its end before sending anything (audio the
 * decoder refuses part way, too long or damaged, costs no request; it
 * used to be decoded whole first), then again, sending its pieces as they
 * come. */
static int oa_transcribe_audio(asr_engine *e, const asr_audio *a, const char *lang, char **text,
                               char *err, size_t errlen)
{
    asr_openai *o = (asr_openai *)e;
    const asr_openai_route *r = asr_openai_route_for(&o->cfg, lang);
    if (r == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "No speech server is configured for %.8s.",
                       lang ? lang : "");
    buf out;
    buf_init(&out, MAX_TRANSCRIPT);
    oa_stream st = {
        .o = o, .r = r, .max = piece_samples(o), .out = &out, .err = err, .errlen = errlen};
    int rc = a->run(a->ctx, oa_count_sink, &st);
    uint64_t counted = st.total;
    if (rc == RA_OK)
        rc = a->run(a->ctx, oa_piece_sink, &st);
    while (rc == RA_OK && st.len > 0)
        rc = oa_send(&st, asr_cut_point(oa_samples(&st), st.len, st.max));
    if (rc == RA_OK && st.sent != counted)
        rc = ra_fail(err, errlen, RA_ERR_IO,
                     "The audio was not the same when read again; it was not transcribed whole.");
    if (st.too_long)
        ra_fail(err, errlen, rc, "The audio is longer than %d hours.", ASR_MAX_SECONDS / 3600);
    char *s = rc == RA_OK ? buf_detach(&out) : NULL;
    if (rc == RA_OK && s == NULL)
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    buf_release(&out);
    free(st.wav);
    if (rc == RA_OK)
        *text = s;
    return rc;
}

static int oa_transcribe(asr_engine *e, const int16_t *pcm, size_t n, const char *lang, char **text,
                         char *err, size_t errlen)
{
    asr_pcm b = {pcm, n};
    asr_audio a = asr_audio_of(&b);
    return oa_transcribe_audio(e, &a, lang, text, err, errlen);
}

static int oa_set_context(asr_engine *e, const asr_context *ctx)
{
    asr_openai *o = (asr_openai *)e;
    free(o->prompt);
    o->prompt = NULL;
    o->cancel = ctx != NULL ? ctx->cancel : NULL;
    if (ctx == NULL || ctx->prompt == NULL || ctx->prompt[0] == '\0')
        return RA_OK;
    /* bounded, and never cut inside a UTF-8 character */
    size_t n = strlen(ctx->prompt);
    if (n > ASR_PROMPT_MAX_BYTES) {
        n = ASR_PROMPT_MAX_BYTES;
        while (n > 0 && ((unsigned char)ctx->prompt[n] & 0xC0) == 0x80)
            n--;
    }
    o->prompt = strndup(ctx->prompt, n);
    return o->prompt != NULL ? RA_OK : RA_ERR_NOMEM;
}

static void oa_free(asr_engine *e)
{
    asr_openai *o = (asr_openai *)e;
    if (o == NULL)
        return;
    asr_openai_config_release(&o->cfg);
    free(o->prompt);
    free(o);
}

int asr_openai_new(const asr_openai_config *cfg, asr_engine **out, char *err, size_t errlen)
{
    if (cfg == NULL || cfg->n_routes == 0)
        return ra_fail(err, errlen, RA_ERR_INVALID, "No speech server is configured.");
    asr_openai *o = calloc(1, sizeof *o);
    if (o == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    o->base = (asr_engine){.name = "openai",
                           .supports = oa_supports,
                           .transcribe = oa_transcribe,
                           .transcribe_audio = oa_transcribe_audio,
                           .free = oa_free,
                           .set_context = oa_set_context};
    if (config_copy(cfg, &o->cfg) != RA_OK) {
        oa_free(&o->base);
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    }
    *out = &o->base;
    return RA_OK;
}

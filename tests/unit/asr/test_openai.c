/* test_openai.c - unit tests for the OpenAI-compatible speech engine's
 * pure parts (src/asr/openai.c, src/asr/prompt.c): where long audio is
 * cut, the WAV encoding, the --asr-* configuration with its per-language
 * map, the vocabulary prompt, and the engine's behaviour without a server
 * (silence sends nothing; an unreachable server is RA_ERR_UNAVAILABLE).
 * The requests themselves are tested end to end against a fake server
 * (tests/e2e/test_asr_openai.py). */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/chunked.h"
#include "asr/asr.h"
#include "core/err.h"
#include "httpc/httpc.h"

#define RATE ASR_SAMPLE_RATE
#define SEC(x) ((size_t)((x)*RATE))

static void init(void)
{
    cr_assert_eq(httpc_global_init(), RA_OK);
}

static void fini(void)
{
    httpc_global_cleanup();
}

TestSuite(asr_cut);
TestSuite(asr_wav);
TestSuite(asr_openai_config);
TestSuite(asr_prompt);
TestSuite(asr_openai_engine, .init = init, .fini = fini);

/* ---- cutting long audio ------------------------------------------------------------ */

static uint32_t rng_state = 12345;

static int16_t noise(int amplitude)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (int16_t)((int32_t)(rng_state >> 16) % (2 * amplitude + 1) - amplitude);
}

/* n samples of loud noise. */
static int16_t *loud(size_t n)
{
    int16_t *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = noise(8000);
    return x;
}

/* Makes [from, to) seconds of x quieter: amplitude 0 is digital silence. */
static void quiet(int16_t *x, double from, double to, int amplitude)
{
    for (size_t i = SEC(from); i < SEC(to); i++)
        x[i] = amplitude ? noise(amplitude) : 0;
}

Test(asr_cut, audio_that_fits_is_not_cut)
{
    int16_t x[10] = {0};
    cr_assert_eq(asr_cut_point(x, 10, 10), 10);
    cr_assert_eq(asr_cut_point(x, 3, 10), 3);
    cr_assert_eq(asr_cut_point(x, 0, 10), 0);
    cr_assert_eq(asr_cut_point(x, 10, 0), 10, "0 means no limit");
}

Test(asr_cut, the_cut_falls_in_a_pause_near_the_limit)
{
    int16_t *x = loud(SEC(20));
    quiet(x, 14.0, 14.6, 0);
    size_t cut = asr_cut_point(x, SEC(20), SEC(16));
    cr_assert(cut >= SEC(14.0) + SEC(0.15) && cut <= SEC(14.6) - SEC(0.15),
              "cut at %.3f s, not inside the pause", (double)cut / RATE);
    free(x);
}

Test(asr_cut, the_quietest_pause_wins_and_the_later_on_a_tie)
{
    int16_t *x = loud(SEC(20));
    quiet(x, 9.0, 9.5, 300);
    quiet(x, 11.0, 11.5, 20);
    size_t cut = asr_cut_point(x, SEC(20), SEC(16));
    cr_assert(cut > SEC(11.0) && cut < SEC(11.5), "cut at %.3f s", (double)cut / RATE);
    quiet(x, 9.0, 9.5, 0);
    quiet(x, 11.0, 11.5, 0);
    cut = asr_cut_point(x, SEC(20), SEC(16));
    cr_assert(cut > SEC(11.0) && cut < SEC(11.5), "the later pause: cut at %.3f s",
              (double)cut / RATE);
    free(x);
}

Test(asr_cut, a_pause_long_before_the_limit_is_not_used)
{
    /* The search covers the last half of the piece (at most 30 s): a
     * pause at 5 s of a 16 s piece is too early. */
    int16_t *x = loud(SEC(20));
    quiet(x, 5.0, 5.6, 0);
    size_t cut = asr_cut_point(x, SEC(20), SEC(16));
    cr_assert(cut >= SEC(8) && cut <= SEC(16), "cut at %.3f s", (double)cut / RATE);
    free(x);
    /* and at most 30 s back from a long limit */
    x = loud(SEC(700));
    quiet(x, 500.0, 501.0, 0);
    cut = asr_cut_point(x, SEC(700), SEC(600));
    cr_assert(cut >= SEC(570) && cut <= SEC(600), "cut at %.3f s", (double)cut / RATE);
    free(x);
}

Test(asr_cut, silence_everywhere_cuts_as_late_as_possible)
{
    int16_t *x = calloc(SEC(20), sizeof *x);
    size_t cut = asr_cut_point(x, SEC(20), SEC(16));
    cr_assert_eq(cut, SEC(16) - SEC(0.15)); /* the middle of the last 300 ms */
    free(x);
}

Test(asr_cut, the_cut_is_always_within_the_limit)
{
    const size_t limits[] = {1, 2, 100, 159, 160, 161, 320, 4799, 4800, 9600, 16000, 48000};
    int16_t *x = loud(SEC(4));
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        size_t cut = asr_cut_point(x, SEC(4), limits[i]);
        cr_assert(cut > 0 && cut <= limits[i], "limit %zu: cut %zu", limits[i], cut);
    }
    free(x);
}

Test(asr_cut, pieces_cover_the_audio_in_order)
{
    int16_t *x = loud(SEC(95));
    for (double t = 7; t < 95; t += 9)
        quiet(x, t, t + 0.8, 0);
    size_t max = SEC(20), off = 0, pieces = 0;
    while (off < SEC(95) && pieces < 100) {
        size_t k = asr_cut_point(x + off, SEC(95) - off, max);
        cr_assert(k > 0 && k <= max);
        off += k;
        pieces++;
    }
    cr_assert_eq(off, SEC(95));
    cr_assert(pieces >= 5 && pieces <= 8, "%zu pieces", pieces);
    free(x);
}

/* ---- WAV ------------------------------------------------------------------------------ */

static uint32_t le(const unsigned char *p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

Test(asr_wav, a_16k_mono_pcm_header_and_little_endian_samples)
{
    const int16_t pcm[3] = {1, -2, 0x1234};
    unsigned char *w = NULL;
    size_t len = 0;
    cr_assert_eq(asr_wav_encode(pcm, 3, &w, &len), RA_OK);
    cr_assert_eq(len, 50);
    cr_assert_eq(memcmp(w, "RIFF", 4), 0);
    cr_assert_eq(le(w + 4, 4), 42);
    cr_assert_eq(memcmp(w + 8, "WAVEfmt ", 8), 0);
    cr_assert_eq(le(w + 16, 4), 16);
    cr_assert_eq(le(w + 20, 2), 1);     /* PCM */
    cr_assert_eq(le(w + 22, 2), 1);     /* mono */
    cr_assert_eq(le(w + 24, 4), 16000); /* rate */
    cr_assert_eq(le(w + 28, 4), 32000); /* bytes per second */
    cr_assert_eq(le(w + 32, 2), 2);
    cr_assert_eq(le(w + 34, 2), 16);
    cr_assert_eq(memcmp(w + 36, "data", 4), 0);
    cr_assert_eq(le(w + 40, 4), 6);
    const unsigned char data[6] = {0x01, 0x00, 0xfe, 0xff, 0x34, 0x12};
    cr_assert_eq(memcmp(w + 44, data, 6), 0);
    free(w);
    cr_assert_eq(asr_wav_encode(pcm, 0, &w, &len), RA_OK);
    cr_assert_eq(len, 44);
    free(w);
}

/* ---- configuration ---------------------------------------------------------------- */

static int configure(asr_openai_settings s, asr_openai_config *c, char *err, size_t errlen)
{
    memset(c, 0x5a, sizeof *c);
    return asr_openai_configure(&s, c, err, errlen);
}

static const asr_openai_route *route(const asr_openai_config *c, const char *lang)
{
    return asr_openai_route_for(c, lang);
}

static void assert_langs(const asr_openai_config *c, const char *want)
{
    char got[64] = "";
    for (size_t i = 0; i < c->n_routes; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "," : "",
                 c->routes[i].lang);
    cr_assert_str_eq(got, want);
}

Test(asr_openai_config, nothing_given_serves_nothing)
{
    asr_openai_config c;
    char err[256];
    cr_assert_eq(configure((asr_openai_settings){0}, &c, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(c.n_routes, 0);
    cr_assert_eq(c.timeout_s, ASR_OPENAI_DEFAULT_TIMEOUT_S);
    cr_assert_eq(c.attempts, ASR_OPENAI_DEFAULT_ATTEMPTS);
    cr_assert_eq(c.piece_s, ASR_OPENAI_DEFAULT_PIECE_S);
    cr_assert_null(route(&c, "tr"));
    asr_openai_config_release(&c);
    /* empty strings are as good as absent */
    cr_assert_eq(configure((asr_openai_settings){.url = "", .languages = "", .map = "", .key = ""},
                           &c, err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_eq(c.n_routes, 0);
    asr_openai_config_release(&c);
}

Test(asr_openai_config, a_url_serves_every_language_but_english)
{
    asr_openai_config c;
    char err[256];
    cr_assert_eq(configure((asr_openai_settings){.url = "http://127.0.0.1:9000",
                                                 .timeout_s = 7,
                                                 .attempts = 2,
                                                 .piece_s = 30},
                           &c, err, sizeof err),
                 RA_OK, "%s", err);
    assert_langs(&c, "tr,ru,az,fr,de");
    cr_assert_null(route(&c, "en"));
    const asr_openai_route *r = route(&c, "tr");
    cr_assert_str_eq(r->url, "http://127.0.0.1:9000/v1/audio/transcriptions");
    cr_assert_str_eq(r->model, ASR_OPENAI_DEFAULT_MODEL);
    cr_assert_null(r->key);
    cr_assert_eq(c.timeout_s, 7);
    cr_assert_eq(c.attempts, 2);
    cr_assert_eq(c.piece_s, 30);
    cr_assert_eq(route(&c, "TR"), r);
    cr_assert_eq(route(&c, "tr-TR"), r);
    cr_assert_null(route(&c, "tur"));
    cr_assert_null(route(&c, NULL));
    asr_openai_config_release(&c);
}

Test(asr_openai_config, languages_choose_which_including_english)
{
    asr_openai_config c;
    char err[256];
    cr_assert_eq(configure((asr_openai_settings){.url = "http://h", .languages = "all"}, &c, err,
                           sizeof err),
                 RA_OK, "%s", err);
    assert_langs(&c, "tr,en,ru,az,fr,de");
    asr_openai_config_release(&c);
    cr_assert_eq(configure((asr_openai_settings){.url = "http://h", .languages = " en , TR "}, &c,
                           err, sizeof err),
                 RA_OK, "%s", err);
    assert_langs(&c, "tr,en");
    asr_openai_config_release(&c);
}

Test(asr_openai_config, the_endpoint_is_added_once)
{
    const char *cases[][2] = {
        {"http://h:1", "http://h:1/v1/audio/transcriptions"},
        {"http://h:1/", "http://h:1/v1/audio/transcriptions"},
        {"https://api.openai.com/v1", "https://api.openai.com/v1/audio/transcriptions"},
        {"https://api.openai.com/v1/", "https://api.openai.com/v1/audio/transcriptions"},
        {"http://h/v1/audio/transcriptions", "http://h/v1/audio/transcriptions"},
        {"http://h/whisper", "http://h/whisper/v1/audio/transcriptions"},
        {"http://h/base/?api-version=2", "http://h/base/v1/audio/transcriptions?api-version=2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        asr_openai_config c;
        char err[256];
        cr_assert_eq(configure((asr_openai_settings){.url = cases[i][0]}, &c, err, sizeof err),
                     RA_OK, "%s: %s", cases[i][0], err);
        cr_assert_str_eq(route(&c, "tr")->url, cases[i][1]);
        asr_openai_config_release(&c);
    }
}

Test(asr_openai_config, the_map_routes_languages_to_their_own_servers)
{
    asr_openai_config c;
    char err[256];
    asr_openai_settings s = {
        .url = "http://general:8000",
        .model = "whisper-large-v3",
        .key = "sk-general",
        .map = " tr = https://whisper-tr.hastane.local | whisper-tr ,ru=|whisper-ru,"
               "az=http://az.local",
    };
    cr_assert_eq(configure(s, &c, err, sizeof err), RA_OK, "%s", err);
    assert_langs(&c, "tr,ru,az,fr,de");
    const asr_openai_route *tr = route(&c, "tr"), *ru = route(&c, "ru"), *az = route(&c, "az"),
                           *fr = route(&c, "fr");
    cr_assert_str_eq(tr->url, "https://whisper-tr.hastane.local/v1/audio/transcriptions");
    cr_assert_str_eq(tr->model, "whisper-tr");
    cr_assert_str_eq(ru->url, "http://general:8000/v1/audio/transcriptions");
    cr_assert_str_eq(ru->model, "whisper-ru");
    cr_assert_str_eq(az->url, "http://az.local/v1/audio/transcriptions");
    cr_assert_str_eq(az->model, "whisper-large-v3");
    cr_assert_str_eq(fr->url, "http://general:8000/v1/audio/transcriptions");
    cr_assert_str_eq(tr->key, "sk-general");
    asr_openai_config_release(&c);
}

Test(asr_openai_config, the_map_alone_serves_only_its_languages)
{
    asr_openai_config c;
    char err[256];
    cr_assert_eq(configure((asr_openai_settings){.map = "ru=http://ru.local|w,en=http://en.local"},
                           &c, err, sizeof err),
                 RA_OK, "%s", err);
    assert_langs(&c, "en,ru");
    asr_openai_config_release(&c);
}

Test(asr_openai_config, keys_per_language)
{
    asr_openai_config c;
    char err[256];
    asr_openai_settings s = {.url = "http://h", .key = "sk-all", .languages = "all"};
    s.lang_keys[0] = "sk-tr"; /* tr */
    s.lang_keys[2] = "";      /* ru: no key */
    cr_assert_eq(configure(s, &c, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(route(&c, "tr")->key, "sk-tr");
    cr_assert_null(route(&c, "ru")->key);
    cr_assert_str_eq(route(&c, "en")->key, "sk-all");
    cr_assert_str_eq(route(&c, "de")->key, "sk-all");
    asr_openai_config_release(&c);
}

/* Each bad configuration is refused with a sentence holding want and never
 * the key; *out is left alone. */
static void refused(asr_openai_settings s, const char *want)
{
    asr_openai_config c;
    char err[320] = "";
    memset(&c, 0x5a, sizeof c);
    cr_assert_eq(asr_openai_configure(&s, &c, err, sizeof err), RA_ERR_INVALID, "accepted (%s)",
                 want);
    cr_assert_not_null(strstr(err, want), "'%s' lacks '%s'", err, want);
    cr_assert_null(strstr(err, "sk-secret"), "the key in '%s'", err);
    cr_assert_eq(c.n_routes, (size_t)0x5a5a5a5a5a5a5a5aULL, "output written on failure");
}

Test(asr_openai_config, bad_settings_are_refused_clearly)
{
    const char *k = "sk-secret";
    refused((asr_openai_settings){.url = "ftp://h", .key = k}, "--asr-url: ");
    refused((asr_openai_settings){.url = "http://sk-secret:pw@h", .key = k}, "user name");
    refused((asr_openai_settings){.url = "h", .key = k}, "--asr-url");
    refused((asr_openai_settings){.url = "http://h", .languages = "xx"}, "--asr-languages");
    refused((asr_openai_settings){.url = "http://h", .languages = "tr,,en"}, "--asr-languages");
    refused((asr_openai_settings){.url = "http://h", .languages = "tr,tr"}, "tr appears twice");
    refused((asr_openai_settings){.languages = "tr", .key = k}, "No speech server for tr");
    refused((asr_openai_settings){.map = "tr"}, "entry 1 is not LANG=URL");
    refused((asr_openai_settings){.map = "tr=http://a,,ru=http://b"}, "entry 2 is empty");
    refused((asr_openai_settings){.map = "tr=http://a,"}, "entry 2 is empty");
    refused((asr_openai_settings){.map = "xx=http://a"}, "not one of tr, en, ru, az, fr, de");
    refused((asr_openai_settings){.map = "tr=http://a,TR=http://b"}, "tr appears twice");
    refused((asr_openai_settings){.map = "tr=ftp://a"}, "--asr-map entry for tr: ");
    refused((asr_openai_settings){.map = "tr=http://a|two words"}, "model name");
    refused((asr_openai_settings){.map = "tr=|whisper"}, "No speech server for tr");
    refused((asr_openai_settings){.url = "http://h", .map = "ru=http://r", .languages = "tr"},
            "--asr-map routes ru, which --asr-languages does not list");
    refused((asr_openai_settings){.url = "http://h", .model = "a b"}, "--asr-model-name");
    refused((asr_openai_settings){.url = "http://h", .key = "sk-secret with space"},
            "RAPORTAI_ASR_KEY");
    asr_openai_settings s = {.url = "http://h", .key = "ok"};
    s.lang_keys[3] = "sk-secret\n"; /* az */
    refused(s, "RAPORTAI_ASR_KEY_az");
}

/* ---- the vocabulary prompt -------------------------------------------------------- */

static char *prompt(const asr_prompt_text *t, size_t n, size_t max)
{
    char *out = NULL;
    cr_assert_eq(asr_prompt_build(t, n, max, &out), RA_OK);
    cr_assert_not_null(out);
    cr_assert(strlen(out) <= max, "%zu > %zu: '%s'", strlen(out), max, out);
    return out;
}

Test(asr_prompt, most_important_last_without_placeholders_or_markup)
{
    const asr_prompt_text t[] = {
        {"BT Beyin", NULL},
        {"BULGULAR:\n{{BULGULAR}}\n\nSONUÇ:\n{{SONUC}}", "txt"},
        {"{\\rtf1\\ansi {\\b TEKN\\u304?K:} {{TEKNIK}}\\par}", "rtf"},
        {"<p>Beyin <b>parankimi</b> normaldir.</p>", "html"},
        {"BT Beyin", "txt"}, /* a repeat */
        {"   ", "txt"},      /* nothing */
        {NULL, "txt"},
    };
    char *p = prompt(t, sizeof t / sizeof t[0], 600);
    cr_assert_str_eq(p,
                     "Beyin parankimi normaldir. TEKN\xc4\xb0K: BULGULAR: SONU\xc3\x87: BT Beyin.");
    free(p);
}

Test(asr_prompt, the_bound_keeps_the_most_important_texts)
{
    const asr_prompt_text t[] = {
        {"CT Brain", NULL},
        {"The ventricles are normal in size and configuration", NULL},
        {"No acute intracranial hemorrhage", NULL},
    };
    char *p = prompt(t, 3, 40);
    /* the first fits whole; the second is cut at a word; the third is left out */
    cr_assert_str_eq(p, "The ventricles are normal in CT Brain.");
    free(p);
    p = prompt(t, 3, 9);
    cr_assert_str_eq(p, "CT Brain.");
    free(p);
    p = prompt(t, 3, 5); /* too little room for a useful piece */
    cr_assert_str_eq(p, "");
    free(p);
}

Test(asr_prompt, a_cut_never_splits_a_character)
{
    /* "ş" is two bytes; with no space to cut at, the cut backs off to a
     * character boundary. */
    const asr_prompt_text t[] = {{"Aa", NULL},
                                 {"\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f"
                                  "\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f",
                                  NULL}};
    char *p = prompt(t, 2, 21);
    cr_assert_str_eq(p, "\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f\xc5\x9f Aa.");
    free(p);
    p = prompt(NULL, 0, 100);
    cr_assert_str_eq(p, "");
    free(p);
}

/* ---- the engine without a server -------------------------------------------------- */

/* A URL where nothing listens. */
static void closed_url(char *out, size_t n)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    snprintf(out, n, "http://127.0.0.1:%d", ntohs(a.sin_port));
    close(fd);
}

/* The engine at url, in pieces of piece_s seconds (0: the default). */
static asr_engine *engine_with_pieces(const char *url, long piece_s)
{
    asr_openai_config c;
    char err[256];
    asr_openai_settings s = {
        .url = url, .key = "sk-secret", .attempts = 1, .timeout_s = 2, .piece_s = piece_s};
    cr_assert_eq(asr_openai_configure(&s, &c, err, sizeof err), RA_OK, "%s", err);
    asr_engine *e = NULL;
    cr_assert_eq(asr_openai_new(&c, &e, err, sizeof err), RA_OK, "%s", err);
    asr_openai_config_release(&c);
    return e;
}

static asr_engine *engine_at(const char *url)
{
    return engine_with_pieces(url, 0);
}

Test(asr_openai_engine, needs_a_route)
{
    asr_openai_config none = {0};
    asr_engine *e = NULL;
    char err[128];
    cr_assert_eq(asr_openai_new(&none, &e, err, sizeof err), RA_ERR_INVALID);
    cr_assert_null(e);
}

Test(asr_openai_engine, supports_its_languages_only)
{
    char url[64];
    closed_url(url, sizeof url);
    asr_engine *e = engine_at(url);
    cr_assert_str_eq(e->name, "openai");
    cr_assert(e->supports(e, "tr"));
    cr_assert(e->supports(e, "de"));
    cr_assert_not(e->supports(e, "en"));
    cr_assert_not(e->supports(e, "es"));
    cr_assert_not_null(e->set_context);
    int16_t pcm[16000] = {0};
    char *text = NULL, err[256];
    cr_assert_eq(e->transcribe(e, pcm, 16000, "en", &text, err, sizeof err), RA_ERR_INVALID);
    e->free(e);
}

Test(asr_openai_engine, silence_is_not_sent)
{
    char url[64];
    closed_url(url, sizeof url);
    asr_engine *e = engine_at(url);
    static int16_t pcm[3 * 16000];
    pcm[100] = 40; /* below the threshold */
    char *text = NULL, err[256] = "";
    cr_assert_eq(e->transcribe(e, pcm, sizeof pcm / sizeof pcm[0], "tr", &text, err, sizeof err),
                 RA_OK, "%s", err);
    cr_assert_str_eq(text, "");
    free(text);
    e->free(e);
}

Test(asr_openai_engine, an_unreachable_server_is_unavailable)
{
    char url[64];
    closed_url(url, sizeof url);
    asr_engine *e = engine_at(url);
    static int16_t pcm[16000];
    for (size_t i = 0; i < 16000; i++)
        pcm[i] = (int16_t)(i % 200 * 50);
    asr_context ctx = {.prompt = "Beyin BT"};
    cr_assert_eq(e->set_context(e, &ctx), RA_OK);
    char *text = (char *)"untouched", err[512] = "";
    cr_assert_eq(e->transcribe(e, pcm, 16000, "tr", &text, err, sizeof err), RA_ERR_UNAVAILABLE);
    cr_assert_str_eq(text, "untouched");
    cr_assert_not_null(strstr(err, "speech server at http://127.0.0.1:"), "%s", err);
    cr_assert_not_null(strstr(err, "could not be reached"), "%s", err);
    cr_assert_null(strstr(err, "sk-secret"), "%s", err);
    cr_assert_null(strstr(err, "Beyin"), "%s", err);
    /* cancelled before it starts */
    atomic_int stop = 1;
    ctx.cancel = &stop;
    cr_assert_eq(e->set_context(e, &ctx), RA_OK);
    cr_assert_eq(e->transcribe(e, pcm, 16000, "tr", &text, err, sizeof err), RA_ERR_CANCELLED);
    cr_assert_eq(e->set_context(e, NULL), RA_OK);
    e->free(e);
}

Test(asr_openai_engine, a_stream_is_read_to_its_end_before_a_piece_is_sent)
{
    char url[64];
    closed_url(url, sizeof url);
    asr_engine *e = engine_with_pieces(url, 1); /* pieces of a second */
    enum { N = 5 * 16000 };
    static int16_t pcm[N];
    char *text = NULL, err[512] = "";
    /* five pieces of silence, in uneven chunks: nothing is sent */
    chunked c = {.pcm = pcm, .n = N, .fail_rc = RA_OK};
    asr_audio a = chunked_audio(&c);
    cr_assert_eq(asr_transcribe_audio(e, &a, "tr", &text, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(text, "");
    free(text);
    cr_assert_eq(c.runs, 2, "read once to its end, once for the pieces");
    /* sound in the first second: its piece is sent (the server is down) */
    for (size_t i = 0; i < 16000; i++)
        pcm[i] = (int16_t)(i % 200 * 50);
    c = (chunked){.pcm = pcm, .n = N, .fail_rc = RA_OK};
    text = (char *)"untouched";
    cr_assert_eq(asr_transcribe_audio(e, &a, "tr", &text, err, sizeof err), RA_ERR_UNAVAILABLE);
    cr_assert_not_null(strstr(err, "could not be reached"), "%s", err);
    /* the same audio failing at its end: refused before any piece is sent */
    c = (chunked){.pcm = pcm, .n = N, .fail_rc = RA_ERR_FORMAT, .fail_at = N};
    err[0] = '\0';
    cr_assert_eq(asr_transcribe_audio(e, &a, "tr", &text, err, sizeof err), RA_ERR_FORMAT);
    cr_assert_str_eq(err, "", "the audio's own failure, explained by the audio");
    cr_assert_eq(c.runs, 1);
    /* longer than any transcription */
    asr_audio endless = chunked_too_long();
    cr_assert_eq(asr_transcribe_audio(e, &endless, "tr", &text, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert_str_eq(err, "The audio is longer than 4 hours.");
    /* shorter when read again (all silence, so nothing is sent) */
    memset(pcm, 0, sizeof pcm);
    c = (chunked){.pcm = pcm, .n = N, .fail_rc = RA_OK, .shorter = 100};
    cr_assert_eq(asr_transcribe_audio(e, &a, "tr", &text, err, sizeof err), RA_ERR_IO);
    cr_assert_not_null(strstr(err, "not the same when read again"), "%s", err);
    cr_assert_str_eq(text, "untouched");
    e->free(e);
}

/* asr_driver.c - a test-only driver for the asr module, compiled by
 * bench/wer.py against src/asr and src/core (the real CLI gets
 * `raportai transcribe` later). Three commands:
 *
 *   asr_driver build [--background-words N] [--background-mass M]
 *                    ARPA DICT LEXICON PHRASES [TEMPLATES_DIR]
 *       builds the radiology LM and dictionary (with the generic model's N
 *       most frequent words at mass M; the product's defaults when not
 *       given, none with N 0); prints its statistics.
 *   asr_driver transcribe [--lm ARPA] [--dict DICT] [--lw W] [--options "-name value ..."]
 *                         [--one-utterance] [--segments] WAV...
 *       loads one engine (--options: pocketsphinx options over the engine's
 *       own) and prints, per file, a line
 *       "path<TAB>audio seconds<TAB>decode seconds<TAB>transcript"; with
 *       --segments the transcript is made from asr_local_segments by
 *       asr_sentences (what transcribe does) and a fifth column holds the
 *       segments as a JSON array of [word, start ms, end ms, utterance].
 *   asr_driver normalize
 *       prints each line of standard input in spoken form.
 *
 * WAV files must be 16 kHz mono 16-bit PCM (the bench converts with sox). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asr/asr.h"
#include "core/err.h"
#include "templates/templates.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads a 16 kHz mono s16 WAV into *pcm (caller frees). */
static int read_wav(const char *path, int16_t **pcm, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return RA_ERR_IO;
    unsigned char hdr[12], ch[8];
    int ok = fread(hdr, 1, 12, fp) == 12 && memcmp(hdr, "RIFF", 4) == 0 &&
             memcmp(hdr + 8, "WAVE", 4) == 0;
    int fmt_ok = 0;
    while (ok && fread(ch, 1, 8, fp) == 8) {
        uint32_t size = le32(ch + 4);
        if (memcmp(ch, "fmt ", 4) == 0 && size >= 16 && size < 256) {
            unsigned char f[256];
            ok = fread(f, 1, size, fp) == size;
            fmt_ok = ok && f[0] == 1 && f[2] == 1 && le32(f + 4) == ASR_SAMPLE_RATE && f[14] == 16;
        } else if (memcmp(ch, "data", 4) == 0 && fmt_ok) {
            *n = size / 2;
            *pcm = malloc(size + 2);
            ok = *pcm != NULL;
            if (ok)
                *n = fread(*pcm, 2, *n, fp);
            fclose(fp);
            return ok ? RA_OK : RA_ERR_NOMEM;
        } else {
            ok = fseek(fp, (long)(size + (size & 1)), SEEK_CUR) == 0;
        }
    }
    fclose(fp);
    return RA_ERR_FORMAT;
}

/* Transcribes through the segments: *text as transcribe makes it, *json the
 * segments as a JSON array (both caller frees). */
static int decode_segments(asr_engine *e, const int16_t *pcm, size_t n, char **text, char **json,
                           char *err, size_t errlen)
{
    asr_seg *segs = NULL;
    size_t nsegs = 0, len = 0;
    int rc = asr_local_segments(e, pcm, n, "en", &segs, &nsegs, err, errlen);
    if (rc == RA_OK)
        rc = asr_sentences(segs, nsegs, text);
    FILE *fp = rc == RA_OK ? open_memstream(json, &len) : NULL;
    if (fp != NULL) {
        fputc('[', fp);
        for (size_t k = 0; k < nsegs; k++)
            fprintf(fp, "%s[\"%s\", %ld, %ld, %d]", k > 0 ? ", " : "", segs[k].word,
                    segs[k].start_ms, segs[k].end_ms, segs[k].utt);
        fputc(']', fp);
        fclose(fp);
    }
    free(segs);
    return rc == RA_OK && fp == NULL ? RA_ERR_NOMEM : rc;
}

static int cmd_transcribe(int argc, char **argv)
{
    int segments = 0;
    asr_local_config cfg = {0};
    int i = 2;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--one-utterance") == 0)
            cfg.one_utterance = 1;
        else if (strcmp(argv[i], "--lm") == 0 && i + 1 < argc)
            cfg.lm_path = argv[++i];
        else if (strcmp(argv[i], "--dict") == 0 && i + 1 < argc)
            cfg.dict_path = argv[++i];
        else if (strcmp(argv[i], "--lw") == 0 && i + 1 < argc)
            cfg.lm_weight = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--segments") == 0)
            segments = 1;
        else if (strcmp(argv[i], "--options") == 0 && i + 1 < argc)
            cfg.options = argv[++i];
    }
    char err[512];
    asr_engine *e = NULL;
    double t0 = now();
    if (asr_local_new(&cfg, &e, err, sizeof err) != RA_OK) {
        fprintf(stderr, "asr_driver: %s\n", err);
        return 1;
    }
    fprintf(stderr, "asr_driver: engine loaded in %.2f s\n", now() - t0);
    int status = 0;
    for (; i < argc; i++) {
        int16_t *pcm = NULL;
        size_t n = 0;
        char *text = NULL, *json = NULL;
        if (read_wav(argv[i], &pcm, &n) != RA_OK) {
            fprintf(stderr, "asr_driver: %s is not 16 kHz mono 16-bit WAV\n", argv[i]);
            status = 1;
            continue;
        }
        double t = now();
        int rc = segments ? decode_segments(e, pcm, n, &text, &json, err, sizeof err)
                          : e->transcribe(e, pcm, n, "en", &text, err, sizeof err);
        double dt = now() - t;
        if (rc == RA_OK)
            printf("%s\t%.3f\t%.3f\t%s%s%s\n", argv[i], (double)n / ASR_SAMPLE_RATE, dt, text,
                   json != NULL ? "\t" : "", json != NULL ? json : "");
        else
            fprintf(stderr, "asr_driver: %s: %s\n", argv[i], err), status = 1;
        fflush(stdout);
        free(text);
        free(json);
        free(pcm);
    }
    e->free(e);
    return status;
}

static int cmd_build(int argc, char **argv)
{
    size_t bg_words = ASR_BACKGROUND_WORDS;
    double bg_mass = ASR_BACKGROUND_MASS;
    int i = 2;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--background-words") == 0)
            bg_words = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--background-mass") == 0)
            bg_mass = strtod(argv[i + 1], NULL);
        else
            break;
    }
    argc -= i - 2;
    argv += i - 2;
    if (argc < 6) {
        fprintf(stderr, "usage: asr_driver build [--background-words N] [--background-mass M] "
                        "ARPA DICT LEXICON PHRASES [TEMPLATES_DIR]\n");
        return 2;
    }
    char err[512];
    asr_corpus *c = NULL;
    tmpl_library *lib = NULL;
    asr_background *bg = NULL;
    asr_build_stats st;
    int rc = bg_words == 0 ? RA_OK
                           : asr_background_load(ASR_DEFAULT_MODEL_DIR "/" ASR_BACKGROUND_FILE,
                                                 bg_words, bg_mass, &bg, err, sizeof err);
    if (rc == RA_OK)
        rc = asr_corpus_new(&c);
    if (rc == RA_OK)
        rc = asr_corpus_add_file(c, argv[5], err, sizeof err);
    if (rc == RA_OK && argc > 6)
        rc = tmpl_library_load(argv[6], &lib, err, sizeof err);
    if (rc == RA_OK && lib != NULL)
        rc = asr_corpus_add_templates(c, lib);
    if (rc == RA_OK)
        rc = asr_domain_build(c, bg, NULL, argv[4], argv[2], argv[3], &st, err, sizeof err);
    if (rc == RA_OK) {
        printf("sentences %zu\ntokens %zu\nvocabulary %zu\nbackground %zu\nngrams %zu %zu %zu\n",
               st.lm.sentences, st.lm.tokens, st.lm.vocabulary, st.lm.background, st.lm.ngrams[0],
               st.lm.ngrams[1], st.lm.ngrams[2]);
        printf("discounts2 %.3f %.3f %.3f\ndiscounts3 %.3f %.3f %.3f\n", st.lm.discount[1][0],
               st.lm.discount[1][1], st.lm.discount[1][2], st.lm.discount[2][0],
               st.lm.discount[2][1], st.lm.discount[2][2]);
        printf("dict_words %zu\nlexicon %zu\ncmudict %zu\nspelled %zu\nespeak %zu\nmissing %zu\n",
               st.dict.words, st.dict.lexicon, st.dict.cmudict, st.dict.spelled, st.dict.espeak,
               st.dict.missing);
        printf("build_seconds %.3f\n", st.seconds);
    } else {
        fprintf(stderr, "asr_driver: %s\n", err);
    }
    tmpl_library_free(lib);
    asr_corpus_free(c);
    asr_background_free(bg);
    return rc == RA_OK ? 0 : 1;
}

static int cmd_normalize(void)
{
    char line[65536];
    while (fgets(line, sizeof line, stdin) != NULL) {
        char *out = NULL;
        if (asr_normalize(line, &out) != RA_OK)
            return 1;
        printf("%s\n", out);
        free(out);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "transcribe") == 0)
        return cmd_transcribe(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "build") == 0)
        return cmd_build(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "normalize") == 0)
        return cmd_normalize();
    fprintf(stderr, "usage: asr_driver build|transcribe|normalize ...\n");
    return 2;
}

/* test_engine.c - unit tests of the local speech engine (src/asr/
 * local.c) on English dictation synthesised at test time with espeak-ng and
 * converted with sox (nothing binary is committed): the radiology model
 * recognises radiology words, results do not depend on what the engine
 * heard before, audio read as it is decoded gives the transcript of the
 * same samples in one buffer, languages and failures are handled. Tests
 * run from the
 * repository root. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/chunked.h"
#include "../support/tempdir.h"
#include "../support/tts.h"
#include "asr/asr.h"
#include "audio/audio.h"
#include "core/err.h"

static char dir[TEMPDIR_LEN];
static char lm[128], dict[128];

static void rm_dir(void)
{
    tempdir_remove(dir);
}

/* Speaks text (which may hold SSML: <break time="700ms"/>) at 160 words a
 * minute; at least a second of it. */
static int16_t *speak(const char *text, size_t *n)
{
    int16_t *pcm = tts_speak(dir, text, 160, true, n);
    cr_assert_gt(*n, ASR_SAMPLE_RATE, "at least a second of speech");
    return pcm;
}

/* Builds the radiology model from the shipped phrase list into dir. */
static void build_model(void)
{
    tempdir_make(dir, "asr-engine");
    snprintf(lm, sizeof lm, "%s/radiology.arpa", dir);
    snprintf(dict, sizeof dict, "%s/radiology.dict", dir);
    asr_corpus *c = NULL;
    char err[256] = "";
    cr_assert_eq(asr_corpus_new(&c), RA_OK);
    cr_assert_eq(asr_corpus_add_file(c, ASR_DEFAULT_PHRASES, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(
        asr_domain_build(c, NULL, NULL, ASR_DEFAULT_LEXICON, lm, dict, NULL, err, sizeof err),
        RA_OK, "%s", err);
    asr_corpus_free(c);
}

static asr_engine *radiology_engine_with(int one_utterance)
{
    asr_local_config cfg = {.lm_path = lm, .dict_path = dict, .one_utterance = one_utterance};
    asr_engine *e = NULL;
    char err[256] = "";
    cr_assert_eq(asr_local_new(&cfg, &e, err, sizeof err), RA_OK, "%s", err);
    return e;
}

static asr_engine *radiology_engine(void)
{
    return radiology_engine_with(0);
}

static char *transcribe(asr_engine *e, const int16_t *pcm, size_t n)
{
    char *text = NULL, err[256] = "";
    cr_assert_eq(e->transcribe(e, pcm, n, "en", &text, err, sizeof err), RA_OK, "%s", err);
    cr_assert_not_null(text);
    return text;
}

Test(asr_engine, recognises_radiology_dictation, .init = build_model, .fini = rm_dir, .timeout = 60)
{
    size_t n;
    int16_t *pcm = speak("findings colon, no acute intracranial hemorrhage period. "
                         "the ventricles are normal in size period.",
                         &n);
    asr_engine *e = radiology_engine();
    char *text = transcribe(e, pcm, n);
    cr_assert_neq(text[0], '\0', "empty transcript");
    /* spoken-form words with sentence marks and capitals */
    cr_assert(text[0] >= 'A' && text[0] <= 'Z', "no capital first: %s", text);
    cr_assert(strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'. ") ==
                  strlen(text),
              "not spoken form: %s", text);
    const char *expected[] = {"findings", "intracranial", "hemorrhage", "ventricles", "normal"};
    int found = 0;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        found += tts_has_word(text, expected[i]);
    cr_assert_geq(found, 1, "no expected word in \"%s\"", text);
    free(text);
    e->free(e);
    free(pcm);
}

/* "Findings. [pause] The lungs are clear. [pause] ..." */
#define PAUSED                                                                                     \
    "Findings. <break time=\"700ms\"/> The lungs are clear. <break time=\"700ms\"/> The heart "    \
    "is normal in size. <break time=\"700ms\"/> Impression. <break time=\"700ms\"/> Normal "       \
    "chest."

/* The number of sentence ends (". " or a final ".") in text. */
static int sentence_ends(const char *text)
{
    int n = 0;
    for (const char *p = text; *p != '\0'; p++)
        n += *p == '.' && (p[1] == ' ' || p[1] == '\0');
    return n;
}

Test(asr_engine, pauses_end_sentences, .init = build_model, .fini = rm_dir, .timeout = 60)
{
    size_t n;
    int16_t *pcm = speak(PAUSED, &n);
    asr_engine *e = radiology_engine();
    asr_engine *one = radiology_engine_with(1);
    char *cut = transcribe(e, pcm, n);
    char *whole = transcribe(one, pcm, n);
    cr_assert(strncmp(cut, "Findings. ", 10) == 0, "%s", cut);
    cr_assert_eq(sentence_ends(cut), 5, "%s", cut);
    /* decoded as one utterance, the pauses are still seen */
    cr_assert_eq(sentence_ends(whole), 5, "%s", whole);
    free(cut);
    free(whole);
    one->free(one);
    e->free(e);
    free(pcm);
}

Test(asr_engine, segments_in_time_order, .init = build_model, .fini = rm_dir, .timeout = 60)
{
    size_t n, nsegs = 0;
    int16_t *pcm = speak(PAUSED, &n);
    asr_engine *e = radiology_engine();
    asr_seg *segs = NULL;
    char err[256] = "";
    cr_assert_eq(asr_local_segments(e, pcm, n, "en", &segs, &nsegs, err, sizeof err), RA_OK);
    cr_assert_gt(nsegs, 10);
    long audio_ms = (long)(n * 1000 / ASR_SAMPLE_RATE);
    for (size_t i = 0; i < nsegs; i++) {
        cr_assert_leq(segs[i].start_ms, segs[i].end_ms + 100, "%s", segs[i].word);
        cr_assert_leq(segs[i].end_ms, audio_ms + 1000, "%s ends after the audio", segs[i].word);
        if (i > 0) {
            cr_assert_geq(segs[i].start_ms, segs[i - 1].start_ms, "%s", segs[i].word);
            cr_assert_geq(segs[i].utt, segs[i - 1].utt);
        }
    }
    cr_assert_geq(segs[nsegs - 1].utt, 3, "the pauses closed utterances");
    /* the same words as transcribe */
    char *text = transcribe(e, pcm, n), *built = NULL;
    cr_assert_eq(asr_sentences(segs, nsegs, &built), RA_OK);
    cr_assert_str_eq(built, text);
    cr_assert_eq(asr_local_segments(e, pcm, n, "tr", &segs, &nsegs, err, sizeof err),
                 RA_ERR_INVALID);
    free(built);
    free(text);
    free(segs);
    e->free(e);
    free(pcm);
}

Test(asr_engine, result_does_not_depend_on_earlier_audio, .init = build_model, .fini = rm_dir,
     .timeout = 60)
{
    size_t n, m;
    int16_t *a = speak("impression colon, normal non contrast head c t period.", &n);
    int16_t *b = speak("there is a small left pleural effusion period.", &m);
    asr_engine *e = radiology_engine();
    char *first = transcribe(e, a, n);
    char *other = transcribe(e, b, m);
    char *again = transcribe(e, a, n);
    cr_assert_str_eq(again, first, "the same audio gave two transcripts");
    int16_t silence[ASR_SAMPLE_RATE] = {0};
    char *quiet = transcribe(e, silence, ASR_SAMPLE_RATE);
    cr_assert_str_eq(quiet, "", "a second of silence gave \"%s\"", quiet);
    char *empty = transcribe(e, silence, 0);
    cr_assert_str_eq(empty, "");
    free(first);
    free(other);
    free(again);
    free(quiet);
    free(empty);
    e->free(e);
    free(a);
    free(b);
}

/* The transcript of the audio a, through asr_transcribe_audio. */
static char *transcribe_audio(asr_engine *e, const asr_audio *a)
{
    char *text = NULL, err[256] = "";
    cr_assert_eq(asr_transcribe_audio(e, a, "en", &text, err, sizeof err), RA_OK, "%s", err);
    cr_assert_not_null(text);
    return text;
}

Test(asr_engine, streamed_audio_gives_the_transcript_of_the_whole_buffer, .init = build_model,
     .fini = rm_dir, .timeout = 60)
{
    size_t n;
    int16_t *pcm = speak(PAUSED, &n);
    asr_engine *e = radiology_engine();
    char *whole = transcribe(e, pcm, n);
    cr_assert_eq(sentence_ends(whole), 5, "%s", whole);
    /* in uneven chunks, across the engine's own */
    chunked c = {.pcm = pcm, .n = n, .fail_rc = RA_OK};
    asr_audio a = chunked_audio(&c);
    char *streamed = transcribe_audio(e, &a);
    cr_assert_str_eq(streamed, whole);
    cr_assert_eq(c.runs, 2, "read once for the mean, once to decode");
    /* the generated file as the decoder reads it, against its samples
     * decoded whole first (ffmpeg resamples espeak-ng's 22 kHz) */
    char path[TEMPDIR_LEN + 16], err[256] = "";
    snprintf(path, sizeof path, "%s/speech.wav", dir);
    int16_t *decoded = NULL;
    size_t m = 0;
    cr_assert_eq(audio_decode_all(path, 60, &decoded, &m, err, sizeof err), RA_OK, "%s", err);
    char *of_file = transcribe(e, decoded, m);
    audio_source src;
    audio_source_init(&src, path, 60);
    asr_audio fa = {audio_source_run, &src};
    char *file_streamed = transcribe_audio(e, &fa);
    cr_assert_str_eq(file_streamed, of_file);
    cr_assert_geq(sentence_ends(of_file), 4, "%s", of_file);
    free(whole);
    free(streamed);
    free(of_file);
    free(file_streamed);
    free(decoded);
    e->free(e);
    free(pcm);
}

Test(asr_engine, a_stream_that_fails_or_changes_fails_the_transcription, .init = build_model,
     .fini = rm_dir, .timeout = 60)
{
    size_t n;
    int16_t *pcm = speak("the lungs are clear period.", &n);
    asr_engine *e = radiology_engine();
    char *text = (char *)"untouched", err[256] = "";
    /* the audio's own failure, as it is: it explains itself */
    chunked bad = {.pcm = pcm, .n = n, .fail_rc = RA_ERR_FORMAT, .fail_at = n / 2};
    asr_audio a = chunked_audio(&bad);
    cr_assert_eq(asr_transcribe_audio(e, &a, "en", &text, err, sizeof err), RA_ERR_FORMAT);
    cr_assert_str_eq(err, "");
    /* failing after the first reading too */
    bad = (chunked){.pcm = pcm, .n = n, .fail_rc = RA_ERR_IO, .fail_at = n};
    cr_assert_eq(asr_transcribe_audio(e, &a, "en", &text, err, sizeof err), RA_ERR_IO);
    cr_assert_str_eq(err, "");
    /* another length the second time */
    chunked changed = {.pcm = pcm, .n = n, .fail_rc = RA_OK, .shorter = 100};
    a = chunked_audio(&changed);
    cr_assert_eq(asr_transcribe_audio(e, &a, "en", &text, err, sizeof err), RA_ERR_IO);
    cr_assert_not_null(strstr(err, "not the same when read again"), "%s", err);
    /* longer than any transcription */
    asr_audio endless = chunked_too_long();
    cr_assert_eq(asr_transcribe_audio(e, &endless, "en", &text, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert_str_eq(err, "The audio is longer than 4 hours.");
    cr_assert_str_eq(text, "untouched");
    /* and the engine is unharmed */
    chunked good = {.pcm = pcm, .n = n, .fail_rc = RA_OK};
    a = chunked_audio(&good);
    char *streamed = transcribe_audio(e, &a), *whole = transcribe(e, pcm, n);
    cr_assert_str_eq(streamed, whole);
    cr_assert(tts_has_word(whole, "lungs"), "%s", whole);
    free(streamed);
    free(whole);
    e->free(e);
    free(pcm);
}

/* An engine that only takes a buffer: it checks it got the audio whole. */
typedef struct buffer_engine {
    asr_engine base;
    const int16_t *expect;
    size_t n;
} buffer_engine;

static int buffer_transcribe(asr_engine *e, const int16_t *pcm, size_t n, const char *lang,
                             char **text, char *err, size_t errlen)
{
    (void)lang, (void)err, (void)errlen;
    const buffer_engine *b = (const buffer_engine *)e;
    cr_assert_eq(n, b->n);
    cr_assert_eq(memcmp(pcm, b->expect, n * sizeof *pcm), 0);
    *text = strdup("whole");
    return RA_OK;
}

Test(asr_stream, an_engine_without_streams_gets_the_audio_gathered)
{
    static int16_t pcm[20000];
    for (size_t i = 0; i < 20000; i++)
        pcm[i] = (int16_t)(i * 7);
    buffer_engine b = {
        .base = {.name = "buffer", .transcribe = buffer_transcribe}, .expect = pcm, .n = 20000};
    chunked c = {.pcm = pcm, .n = 20000, .fail_rc = RA_OK};
    asr_audio a = chunked_audio(&c);
    char *text = NULL, err[128] = "";
    cr_assert_eq(asr_transcribe_audio(&b.base, &a, "en", &text, err, sizeof err), RA_OK);
    cr_assert_str_eq(text, "whole");
    free(text);
    /* the audio's failure, and audio longer than any transcription */
    c = (chunked){.pcm = pcm, .n = 20000, .fail_rc = RA_ERR_FORMAT, .fail_at = 5000};
    text = (char *)"untouched";
    cr_assert_eq(asr_transcribe_audio(&b.base, &a, "en", &text, err, sizeof err), RA_ERR_FORMAT);
    cr_assert_str_eq(err, "");
    asr_audio endless = chunked_too_long();
    cr_assert_eq(asr_transcribe_audio(&b.base, &endless, "en", &text, err, sizeof err),
                 RA_ERR_TOO_LARGE);
    cr_assert_str_eq(err, "The audio is longer than 4 hours.");
    cr_assert_str_eq(text, "untouched");
}

Test(asr_engine, languages, .init = build_model, .fini = rm_dir)
{
    asr_engine *e = radiology_engine();
    cr_assert(e->supports(e, "en"));
    cr_assert(e->supports(e, "EN"));
    cr_assert(e->supports(e, "en-US"));
    cr_assert(e->supports(e, "en_GB"));
    cr_assert(!e->supports(e, "tr"));
    cr_assert(!e->supports(e, "eng"));
    cr_assert(!e->supports(e, ""));
    cr_assert(!e->supports(e, NULL));
    int16_t pcm[160] = {0};
    char *text = (char *)"unchanged", err[256] = "";
    cr_assert_eq(e->transcribe(e, pcm, 160, "tr", &text, err, sizeof err), RA_ERR_INVALID);
    cr_assert_str_eq(text, "unchanged");
    cr_assert(strstr(err, "English") != NULL, "%s", err);
    e->free(e);
}

Test(asr_engine, generic_model_loads, .timeout = 60)
{
    asr_engine *e = NULL;
    char err[256] = "";
    cr_assert_eq(asr_local_new(NULL, &e, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(e->name, "local");
    e->free(e);
}

Test(asr_engine, bad_models, .init = build_model, .fini = rm_dir)
{
    asr_engine *e = (asr_engine *)0x1;
    char err[256] = "";
    asr_local_config missing = {.model_dir = "/nonexistent-model"};
    cr_assert_eq(asr_local_new(&missing, &e, err, sizeof err), RA_ERR_NOT_FOUND);
    cr_assert(strstr(err, "/nonexistent-model") != NULL, "%s", err);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad.arpa", dir);
    FILE *fp = fopen(bad, "w");
    fputs("\\data\\\nngram 1=2\n\n\\1-grams:\nnot a number\n\\end\\\n", fp);
    fclose(fp);
    asr_local_config broken = {.lm_path = bad, .dict_path = dict};
    cr_assert_eq(asr_local_new(&broken, &e, err, sizeof err), RA_ERR_IO);
    cr_assert(strstr(err, bad) != NULL, "%s", err);
    cr_assert_eq(e, (asr_engine *)0x1, "out changed on failure");
}

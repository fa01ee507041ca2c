/* test_audio.c - unit tests for src/audio with real audio made at test time
 * (espeak-ng speech, converted by ffmpeg and sox) in a temporary directory:
 * each accepted container is probed by content and decoded to 16 kHz mono
 * of the right length; hostile and unacceptable files are refused with the
 * right code; the duration bound, a stopping sink and a ten-minute file's
 * memory use are checked. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/tempdir.h"
#include "audio/audio.h"
#include "core/err.h"

#define PHRASE "findings normal brain, no acute intracranial hemorrhage"

static char dir[TEMPDIR_LEN];

static void make_dir(void)
{
    audio_init();
    tempdir_make(dir, "audio");
}

static void remove_dir(void)
{
    tempdir_remove(dir);
}

TestSuite(audio, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* Writes dir/name into out. */
static void path_of(char *out, size_t len, const char *name)
{
    int n = snprintf(out, len, "%s/%s", dir, name);
    cr_assert(n > 0 && (size_t)n < len);
}

/* Runs a shell command inside the temporary directory; it must succeed. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[1024];
    int n = snprintf(cmd, sizeof cmd, "cd '%s' && ", dir);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd + n, sizeof cmd - (size_t)n, fmt, ap);
    va_end(ap);
    cr_assert_eq(system(cmd), 0, "command failed: %s", cmd);
}

/* ffmpeg, quiet and non-interactive. */
#define FFMPEG "ffmpeg -nostdin -hide_banner -loglevel error -y "

/* Makes dir/speech.wav (22050 Hz mono, espeak-ng's output) and returns its
 * length in seconds, read from its size. */
static double make_speech(void)
{
    sh("espeak-ng -w speech.wav '" PHRASE "'");
    char p[128];
    path_of(p, sizeof p, "speech.wav");
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_gt(st.st_size, 44 + 22050);
    return (double)(st.st_size - 44) / 2 / 22050;
}

static void write_file(const char *name, const void *data, size_t n)
{
    char p[128];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static double rms(const int16_t *s, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)s[i] * s[i];
    return n ? sqrt(sum / (double)n) : 0;
}

/* Probes and decodes dir/name and checks it against what was made: the
 * container, the codec, the source rate and channels, a duration and a
 * sample count within 3% of seconds, and audible content. */
static void check_accepted(const char *name, const char *format, const char *codec, int rate,
                           int channels, double seconds)
{
    char p[128], err[256] = "";
    path_of(p, sizeof p, name);
    audio_info info;
    cr_assert_eq(audio_probe(p, &info, err, sizeof err), RA_OK, "%s: %s", name, err);
    cr_assert_str_eq(info.format, format);
    cr_assert_str_eq(info.codec, codec);
    cr_assert_eq(info.sample_rate, rate);
    cr_assert_eq(info.channels, channels);
    cr_assert(fabs(info.duration_s - seconds) < 0.03 * seconds, "%s: %.3f s declared, %.3f s made",
              name, info.duration_s, seconds);

    int16_t *s = NULL;
    size_t n = 0;
    cr_assert_eq(audio_decode_all(p, 60, &s, &n, err, sizeof err), RA_OK, "%s: %s", name, err);
    double expected = seconds * AUDIO_RATE;
    cr_assert(fabs((double)n - expected) < 0.03 * expected, "%s: %zu samples, %.0f expected", name,
              n, expected);
    cr_assert_gt(rms(s, n), 300.0, "%s is silent", name);
    free(s);
}

/* Expects audio_probe and audio_decode to refuse dir/name with code rc and
 * a message containing why; the outputs must be left untouched. */
static void check_refused(const char *name, int rc, const char *why)
{
    char p[128], err[256] = "";
    path_of(p, sizeof p, name);
    audio_info info;
    memset(&info, 0x5A, sizeof info);
    int got = audio_probe(p, &info, err, sizeof err);
    cr_assert_eq(got, rc, "%s: probe gave %s (%s)", name, ra_errname(got), err);
    cr_assert(strstr(err, why) != NULL, "%s: \"%s\" lacks \"%s\"", name, err, why);
    cr_assert_eq(((unsigned char *)&info)[0], 0x5A);
    cr_assert_eq(info.sample_rate, 0x5A5A5A5A);

    int16_t sentinel = 7;
    int16_t *s = &sentinel;
    size_t n = 12345;
    err[0] = '\0';
    got = audio_decode_all(p, 60, &s, &n, err, sizeof err);
    cr_assert_eq(got, rc, "%s: decode gave %s (%s)", name, ra_errname(got), err);
    cr_assert(strstr(err, why) != NULL, "%s: \"%s\" lacks \"%s\"", name, err, why);
    cr_assert_eq(s, &sentinel);
    cr_assert_eq(n, 12345);
}

Test(audio, espeak_wav_is_probed_and_decoded)
{
    double seconds = make_speech();
    check_accepted("speech.wav", "wav", "pcm_s16le", 22050, 1, seconds);
}

Test(audio, mp3_is_probed_and_decoded)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a libmp3lame -b:a 64k speech.mp3");
    check_accepted("speech.mp3", "mp3", "mp3", 22050, 1, seconds);
}

Test(audio, m4a_aac_is_probed_and_decoded)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a aac -b:a 64k speech.m4a");
    check_accepted("speech.m4a", "m4a", "aac", 22050, 1, seconds);
}

Test(audio, ogg_vorbis_is_probed_and_decoded)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a libvorbis speech.ogg");
    check_accepted("speech.ogg", "ogg", "vorbis", 22050, 1, seconds);
}

Test(audio, ogg_opus_is_probed_and_decoded)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a libopus -b:a 32k speech.opus");
    check_accepted("speech.opus", "ogg", "opus", 48000, 1, seconds);
}

Test(audio, webm_opus_is_probed_and_decoded)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a libopus -b:a 32k speech.webm");
    check_accepted("speech.webm", "webm", "opus", 48000, 1, seconds);
}

Test(audio, stereo_44k_wav_is_probed_and_decoded)
{
    double seconds = make_speech();
    sh("sox speech.wav -r 44100 -c 2 stereo.wav");
    check_accepted("stereo.wav", "wav", "pcm_s16le", 44100, 2, seconds);
}

/* A 1 kHz tone at 44.1 kHz stereo, float samples, must come out as a 1 kHz
 * tone at 16 kHz: 2000 zero crossings a second. A wrong rate would move
 * the pitch. */
Test(audio, resampling_keeps_the_pitch)
{
    sh("sox -n -r 44100 -c 2 -e floating-point -b 32 tone.wav synth 2 sine 1000 gain -6");
    char p[128], err[256] = "";
    path_of(p, sizeof p, "tone.wav");
    int16_t *s = NULL;
    size_t n = 0;
    cr_assert_eq(audio_decode_all(p, 10, &s, &n, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(n, 32000);
    size_t crossings = 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i - 1] < 0) != (s[i] < 0))
            crossings++;
    cr_assert(crossings >= 3980 && crossings <= 4020, "%zu zero crossings", crossings);
    /* Both channels carry the tone at -6 dB: the mono mix keeps it. */
    cr_assert(rms(s, n) > 0.5 * 0.707 * 32767 * 0.9, "rms %.0f", rms(s, n));
    free(s);
}

Test(audio, the_content_decides_not_the_name)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a libmp3lame -f mp3 really-mp3.wav");
    check_accepted("really-mp3.wav", "mp3", "mp3", 22050, 1, seconds);
    sh("cp speech.wav really-wav.mp3");
    check_accepted("really-wav.mp3", "wav", "pcm_s16le", 22050, 1, seconds);
}

/* Two MP3s at different rates, joined: the resampler is rebuilt mid-stream
 * and every second of both comes out. */
Test(audio, a_rate_change_mid_stream_is_followed)
{
    double seconds = make_speech();
    sh(FFMPEG "-i speech.wav -c:a libmp3lame -write_xing 0 a.mp3");
    sh(FFMPEG "-i speech.wav -ar 44100 -c:a libmp3lame -write_xing 0 b.mp3");
    sh("cat a.mp3 b.mp3 > ab.mp3");
    char p[128], err[256] = "";
    path_of(p, sizeof p, "ab.mp3");
    int16_t *s = NULL;
    size_t n = 0;
    cr_assert_eq(audio_decode_all(p, 60, &s, &n, err, sizeof err), RA_OK, "%s", err);
    double expected = 2 * seconds * AUDIO_RATE;
    cr_assert(fabs((double)n - expected) < 0.03 * expected, "%zu samples, %.0f expected", n,
              expected);
    cr_assert_gt(rms(s + n / 2, n / 2), 300.0);
    free(s);
}

Test(audio, an_empty_file_is_refused)
{
    write_file("empty.wav", "", 0);
    check_refused("empty.wav", RA_ERR_FORMAT, "not one of WAV, MP3, M4A, OGG or WebM");
}

Test(audio, a_text_file_is_refused)
{
    const char text[] = "Findings: normal brain.\nImpression: no acute findings.\n";
    write_file("report.mp3", text, sizeof text - 1);
    check_refused("report.mp3", RA_ERR_FORMAT, "not one of WAV, MP3, M4A, OGG or WebM");
}

/* Pseudo-random bytes from fixed seeds (so a failure can be replayed), in
 * sizes from one byte to 256 KB, under each accepted extension. */
Test(audio, random_bytes_are_refused)
{
    static const char *names[] = {"r.wav", "r.mp3", "r.m4a", "r.ogg", "r.webm"};
    static const size_t sizes[] = {1, 100, 4096, 65536, 262144};
    static unsigned char data[262144];
    uint32_t x = 12345;
    for (size_t k = 0; k < 5; k++) {
        for (size_t i = 0; i < sizes[k]; i++) {
            x = x * 1664525u + 1013904223u;
            data[i] = (unsigned char)(x >> 24);
        }
        write_file(names[k], data, sizes[k]);
        check_refused(names[k], RA_ERR_FORMAT, "not one of WAV, MP3, M4A, OGG or WebM");
    }
}

Test(audio, a_truncated_mp3_is_refused)
{
    make_speech();
    sh(FFMPEG "-i speech.wav -c:a libmp3lame speech.mp3");
    sh("head -c 200 speech.mp3 > cut.mp3");
    check_refused("cut.mp3", RA_ERR_FORMAT, "");
    char p[128], err[256] = "";
    path_of(p, sizeof p, "cut.mp3");
    audio_info info;
    cr_assert_eq(audio_probe(p, &info, err, sizeof err), RA_ERR_FORMAT);
    cr_assert(strstr(err, "not one of") || strstr(err, "could not be decoded"), "%s", err);
}

/* An M4A cut in half loses its index (ffmpeg writes it at the end). */
Test(audio, a_truncated_m4a_is_refused)
{
    make_speech();
    sh(FFMPEG "-i speech.wav -c:a aac speech.m4a");
    sh("head -c $(($(stat -c %%s speech.m4a) / 2)) speech.m4a > cut.m4a");
    check_refused("cut.m4a", RA_ERR_FORMAT, "");
}

/* A canonical 44-byte WAV header for 16 kHz mono 16-bit PCM whose RIFF and
 * data sizes are the given ones. */
static void wav_header(unsigned char h[44], uint32_t data_bytes)
{
    memcpy(h, "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0data",
           40);
    uint32_t riff = data_bytes + 36;
    for (int i = 0; i < 4; i++) {
        h[4 + i] = (unsigned char)(riff >> (8 * i));
        h[40 + i] = (unsigned char)(data_bytes >> (8 * i));
    }
}

Test(audio, a_wav_header_without_data_is_refused)
{
    unsigned char h[44];
    wav_header(h, 0);
    write_file("hollow.wav", h, sizeof h);
    check_refused("hollow.wav", RA_ERR_FORMAT, "audio could not be decoded");
}

/* A header that promises 2 GB over one second of samples: the file decodes
 * to what is really there, without waiting for the rest. */
Test(audio, a_wav_declaring_a_huge_size_decodes_what_is_there)
{
    static unsigned char file[44 + 32000];
    wav_header(file, 0x7FFFFFF0u);
    for (size_t i = 0; i < 16000; i++) {
        int16_t v = (int16_t)(8000 * sin(2 * M_PI * 440 * (double)i / 16000));
        file[44 + 2 * i] = (unsigned char)(v & 0xFF);
        file[44 + 2 * i + 1] = (unsigned char)((uint16_t)v >> 8);
    }
    write_file("liar.wav", file, sizeof file);
    char p[128], err[256] = "";
    path_of(p, sizeof p, "liar.wav");
    audio_info info;
    cr_assert_eq(audio_probe(p, &info, err, sizeof err), RA_OK, "%s", err);
    cr_assert_str_eq(info.format, "wav");
    int16_t *s = NULL;
    size_t n = 0;
    cr_assert_eq(audio_decode_all(p, 60, &s, &n, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(n, 16000);
    cr_assert_eq(memcmp(s, file + 44, 32000), 0, "16 kHz mono passes through unchanged");
    free(s);
}

Test(audio, video_without_audio_is_refused)
{
    sh(FFMPEG "-f lavfi -i testsrc=duration=1:size=64x64:rate=10 -an -c:v libvpx silent.webm");
    check_refused("silent.webm", RA_ERR_FORMAT, "no audio stream");
    sh(FFMPEG "-f lavfi -i testsrc=duration=1:size=64x64:rate=10 -an -c:v mpeg4 silent.mp4");
    check_refused("silent.mp4", RA_ERR_FORMAT, "no audio stream");
}

Test(audio, unreadable_paths_are_io_errors)
{
    check_refused("no-such-file.wav", RA_ERR_IO, "cannot be read");
    sh("mkdir folder.wav");
    check_refused("folder.wav", RA_ERR_IO, "not a regular file");
}

/* Damaged copies of every accepted kind of file (bytes overwritten, cut
 * short, junk inserted; from a fixed seed so a failure can be replayed)
 * are either decoded or refused as RA_ERR_FORMAT with a reason: never a
 * crash, a hang, a sanitizer report or another code. */
Test(audio, damaged_files_are_decoded_or_refused)
{
    make_speech();
    sh(FFMPEG "-i speech.wav -c:a libmp3lame d.mp3 -c:a aac d.m4a -c:a libvorbis d.ogg "
              "-c:a libopus d.webm");
    static const char *names[] = {"speech.wav", "d.mp3", "d.m4a", "d.ogg", "d.webm"};
    static unsigned char data[256 * 1024];
    uint32_t x = 2024;
    size_t refused = 0;
    for (size_t k = 0; k < 5 * 8; k++) {
        char p[128], err[256] = "";
        path_of(p, sizeof p, names[k % 5]);
        FILE *f = fopen(p, "rb");
        cr_assert_not_null(f);
        size_t n = fread(data, 1, sizeof data, f);
        fclose(f);
        cr_assert_gt(n, 1000);
        x = x * 1664525u + 1013904223u;
        size_t at = (x >> 8) % n;
        if (k % 3 == 0) {
            n = at;
        } else {
            for (size_t i = 0; i < 64 && at + i < n; i++) {
                x = x * 1664525u + 1013904223u;
                data[at + i] = (unsigned char)(x >> 24);
            }
        }
        write_file("damaged", data, n);
        path_of(p, sizeof p, "damaged");
        audio_info info;
        int rc = audio_probe(p, &info, err, sizeof err);
        cr_assert(rc == RA_OK || (rc == RA_ERR_FORMAT && err[0] != '\0'), "%zu: probe %s (%s)", k,
                  ra_errname(rc), err);
        int16_t *s = NULL;
        size_t got = 0;
        err[0] = '\0';
        rc = audio_decode_all(p, 60, &s, &got, err, sizeof err);
        cr_assert(rc == RA_OK || (rc == RA_ERR_FORMAT && err[0] != '\0'), "%zu: decode %s (%s)", k,
                  ra_errname(rc), err);
        refused += rc != RA_OK;
        free(s);
    }
    cr_log_info("damaged files: %zu of 40 refused", refused);
    cr_assert(refused > 0 && refused < 40, "both outcomes are exercised");
}

typedef struct decode_job {
    const char *path; /* what to decode */
    int rc;           /* audio_decode_all's result */
    int16_t *samples; /* its output, freed by the test */
    size_t n;
} decode_job;

static void *decode_thread(void *arg)
{
    decode_job *j = arg;
    j->rc = audio_decode_all(j->path, 60, &j->samples, &j->n, NULL, 0);
    return NULL;
}

/* Four threads decoding at once get exactly what one thread gets. */
Test(audio, threads_decode_at_once)
{
    make_speech();
    sh(FFMPEG "-i speech.wav -c:a libopus speech.webm");
    char p[128];
    path_of(p, sizeof p, "speech.webm");
    decode_job alone = {.path = p};
    decode_thread(&alone);
    cr_assert_eq(alone.rc, RA_OK);
    decode_job jobs[4];
    pthread_t tids[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (decode_job){.path = p};
        cr_assert_eq(pthread_create(&tids[i], NULL, decode_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(pthread_join(tids[i], NULL), 0);
        cr_assert_eq(jobs[i].rc, RA_OK);
        cr_assert_eq(jobs[i].n, alone.n);
        cr_assert_eq(memcmp(jobs[i].samples, alone.samples, alone.n * sizeof(int16_t)), 0);
        free(jobs[i].samples);
    }
    free(alone.samples);
}

Test(audio, missing_arguments_are_invalid)
{
    make_speech();
    char p[128], err[256] = "";
    path_of(p, sizeof p, "speech.wav");
    audio_info info;
    int16_t *s = NULL;
    size_t n = 0;
    cr_assert_eq(audio_probe(NULL, &info, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(audio_probe(p, NULL, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(audio_decode(p, 60, NULL, NULL, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(audio_decode_all(NULL, 60, &s, &n, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(audio_decode_all(p, 60, NULL, &n, err, sizeof err), RA_ERR_INVALID);
    cr_assert_eq(audio_decode_all(p, 60, &s, NULL, NULL, 0), RA_ERR_INVALID);
    cr_assert_null(s);
}

typedef struct counter {
    size_t calls;   /* sink calls so far */
    size_t samples; /* samples received */
    size_t largest; /* the biggest chunk */
    size_t stop_at; /* refuse on this call (1-based); 0 never */
    size_t peak;    /* the most heap bytes in use during a call */
    double sum_sq;  /* for the RMS of everything received */
} counter;

#ifdef __SANITIZE_ADDRESS__
size_t __sanitizer_get_current_allocated_bytes(void);
static size_t heap_in_use(void)
{
    return __sanitizer_get_current_allocated_bytes();
}
#else
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}
#endif

static int count_sink(const int16_t *samples, size_t n, void *ctx)
{
    counter *c = ctx;
    c->calls++;
    c->samples += n;
    if (n > c->largest)
        c->largest = n;
    for (size_t i = 0; i < n; i++)
        c->sum_sq += (double)samples[i] * samples[i];
    size_t used = heap_in_use();
    if (used > c->peak)
        c->peak = used;
    if (c->stop_at != 0 && c->calls == c->stop_at)
        return RA_ERR_REFUSED;
    return RA_OK;
}

Test(audio, max_seconds_bounds_the_decoded_duration)
{
    double seconds = make_speech();
    char p[128], err[256] = "";
    path_of(p, sizeof p, "speech.wav");
    counter c = {0};
    cr_assert_eq(audio_decode(p, 1.0, count_sink, &c, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert(strstr(err, "longer than 1 seconds") != NULL, "%s", err);
    cr_assert_eq(c.samples, 16000, "exactly the allowed second was handed over");
    int16_t *s = NULL;
    size_t n = 0;
    cr_assert_eq(audio_decode_all(p, 1.0, &s, &n, err, sizeof err), RA_ERR_TOO_LARGE);
    cr_assert_null(s);
    c = (counter){0};
    cr_assert_eq(audio_decode(p, seconds + 0.5, count_sink, &c, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(audio_decode(p, 0, count_sink, &c, err, sizeof err), RA_OK, "0 means no bound");
}

Test(audio, a_sink_error_stops_decoding_and_comes_back)
{
    make_speech();
    char p[128], err[256] = "";
    path_of(p, sizeof p, "speech.wav");
    counter c = {.stop_at = 2};
    cr_assert_eq(audio_decode(p, 60, count_sink, &c, err, sizeof err), RA_ERR_REFUSED);
    cr_assert_eq(c.calls, 2, "no call after the refusal");
    cr_assert_eq(c.samples, 2 * AUDIO_CHUNK_SAMPLES);
    cr_assert(strstr(err, "stopped by its consumer") != NULL, "%s", err);
}

/* Decodes dir/name with a counting sink; returns how far the heap in use
 * rose above its level before the call. */
static size_t decode_growth(const char *name, double max_seconds, counter *c)
{
    char p[128], err[256] = "";
    path_of(p, sizeof p, name);
    size_t before = heap_in_use();
    cr_assert_eq(audio_decode(p, max_seconds, count_sink, c, err, sizeof err), RA_OK, "%s", err);
    return c->peak > before ? c->peak - before : 0;
}

/* Ten minutes of tone at 22050 Hz: the sink gets every sample in full
 * chunks, and the heap in use rises no more than for one minute: memory
 * does not grow with the length. */
Test(audio, a_ten_minute_file_streams_in_small_memory)
{
    sh("sox -n -r 22050 -c 1 -b 16 short.wav synth 60 sine 440 gain -10");
    sh("sox -n -r 22050 -c 1 -b 16 long.wav synth 600 sine 440 gain -10");
    counter one = {0};
    size_t one_growth = decode_growth("short.wav", 100, &one);
    counter ten = {0};
    size_t ten_growth = decode_growth("long.wav", 700, &ten);

    cr_assert(ten.samples >= 600 * 16000 - 16 && ten.samples <= 600 * 16000 + 16, "%zu samples",
              ten.samples);
    cr_assert_eq(ten.largest, AUDIO_CHUNK_SAMPLES);
    cr_assert_eq(ten.calls, (ten.samples + AUDIO_CHUNK_SAMPLES - 1) / AUDIO_CHUNK_SAMPLES);
    cr_assert_gt(sqrt(ten.sum_sq / (double)ten.samples), 5000.0);
    cr_log_info("heap growth while decoding: 1 min %zu bytes, 10 min %zu bytes (%zu sink calls)",
                one_growth, ten_growth, ten.calls);
    cr_assert_lt(ten_growth, 1024 * 1024, "heap grew by %zu bytes", ten_growth);
    cr_assert_leq(ten_growth, one_growth + 64 * 1024, "1 min: %zu bytes, 10 min: %zu bytes",
                  one_growth, ten_growth);
}

Test(audio, a_source_keeps_the_decoders_failure_apart_from_its_consumers)
{
    double seconds = make_speech();
    char p[128];
    path_of(p, sizeof p, "speech.wav");
    audio_source src;
    /* played twice, the same samples each time */
    audio_source_init(&src, p, 60);
    counter a = {0}, b = {0};
    cr_assert_eq(audio_source_run(&src, count_sink, &a), RA_OK, "%s", src.why);
    cr_assert_eq(audio_source_run(&src, count_sink, &b), RA_OK, "%s", src.why);
    cr_assert_eq(a.samples, b.samples);
    cr_assert_eq(a.sum_sq, b.sum_sq);
    cr_assert_eq(src.rc, RA_OK);
    /* the consumer stops it: not the decoder's failure */
    counter stop = {.stop_at = 1};
    cr_assert_eq(audio_source_run(&src, count_sink, &stop), RA_ERR_REFUSED);
    cr_assert_eq(src.rc, RA_OK);
    /* longer than allowed: the decoder's, with its sentence */
    audio_source_init(&src, p, seconds / 2);
    counter c = {0};
    cr_assert_eq(audio_source_run(&src, count_sink, &c), RA_ERR_TOO_LARGE);
    cr_assert_eq(src.rc, RA_ERR_TOO_LARGE);
    cr_assert(strstr(src.why, "longer than") != NULL, "%s", src.why);
    /* a file that is not there */
    path_of(p, sizeof p, "missing.wav");
    audio_source_init(&src, p, 60);
    cr_assert_eq(audio_source_run(&src, count_sink, &c), RA_ERR_IO);
    cr_assert_eq(src.rc, RA_ERR_IO);
    cr_assert(strstr(src.why, "cannot be read") != NULL, "%s", src.why);
}

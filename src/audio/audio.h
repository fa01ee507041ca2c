/* audio.h - probing and decoding of dictation audio with FFmpeg.
 *
 * This part owns every FFmpeg call (libavformat, libavcodec, libswresample,
 * libavutil). It accepts five containers, recognised by their CONTENT and
 * never by the file name: WAV, MP3, M4A (MP4/MOV with an audio stream), OGG
 * and WebM (any Matroska file with an audio stream). Whatever the codec,
 * sample rate, channel layout or sample format, audio comes out as 16 kHz
 * mono signed 16-bit PCM, the input of the speech engines.
 *
 * Hostile input (truncated files, random bytes, text, empty files, absurd
 * declared sizes) is refused with RA_ERR_FORMAT, never a crash or a hang:
 * reading is bounded by probe-size and analyse-duration limits, every
 * blocking FFmpeg call is watched by an interrupt callback with a time
 * budget, and packets that fail to decode are bounded in number.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written only
 * on success; an err buffer (may be NULL) receives one sentence for the
 * operator or client. RA_ERR_IO means the file could not be opened or read
 * (missing, unreadable, not a regular file), RA_ERR_FORMAT that its content
 * is not acceptable audio (including a damaged file whose declared sizes
 * FFmpeg cannot allocate), RA_ERR_NOMEM that our own allocations failed.
 *
 * A NULL path, out, sink, samples or n is RA_ERR_INVALID.
 *
 * THREAD SAFETY: call audio_init once at start-up (the other functions also
 * call it, and further calls do nothing). Every function may run in any
 * number of threads at once: each call owns all of its FFmpeg state. */
#ifndef RAPORTAI_AUDIO_AUDIO_H
#define RAPORTAI_AUDIO_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define AUDIO_RATE 16000         /* samples per second of decoded output */
#define AUDIO_CHUNK_SAMPLES 8000 /* the most samples one sink call gets */
#define AUDIO_PROBE_BUDGET_S 10  /* wall-clock seconds audio_probe may take */
#define AUDIO_DECODE_BUDGET_S 60 /* audio_decode's budget beyond max_seconds */

typedef struct audio_info {
    char format[8];    /* "wav", "mp3", "m4a", "ogg" or "webm", from the content */
    char codec[32];    /* FFmpeg's codec name: "pcm_s16le", "mp3", "aac", "opus", ... */
    double duration_s; /* as the container declares it; 0 when unknown */
    int sample_rate;   /* of the source, in Hz */
    int channels;      /* of the source */
} audio_info;

/* Silences FFmpeg's own logging: its warnings and errors go to our log at
 * debug level, everything else is dropped. Call once at start-up; later
 * calls do nothing. Cannot fail. */
void audio_init(void);

/* Checks that the file at path is acceptable dictation audio: one of the
 * five containers by content, with an audio stream, whose first frames
 * actually decode (a bounded number of packets is read). On success fills
 * *out. RA_ERR_FORMAT with err "the file is not one of WAV, MP3, M4A, OGG or
 * WebM", "the file has no audio stream" or "audio could not be decoded: ...";
 * RA_ERR_IO when the file cannot be opened or read; RA_ERR_NOMEM. Takes at
 * most about AUDIO_PROBE_BUDGET_S seconds. */
int audio_probe(const char *path, audio_info *out, char *err, size_t errlen);

/* Receives decoded audio: n (1 to AUDIO_CHUNK_SAMPLES) samples of 16 kHz
 * mono PCM, valid only during the call. Returns RA_OK to go on; anything
 * else stops decoding and becomes audio_decode's result. */
typedef int (*audio_sink)(const int16_t *samples, size_t n, void *ctx);

/* Decodes the whole file at path to 16 kHz mono 16-bit PCM, handing it to
 * sink in order, in chunks, as it goes: memory stays small whatever the
 * length. max_seconds bounds the decoded duration (0 or less: no bound);
 * past it decoding stops with RA_ERR_TOO_LARGE. Packets that fail to decode
 * are skipped, but a long run of them, or no decodable audio at all, is
 * RA_ERR_FORMAT; so is taking longer than AUDIO_DECODE_BUDGET_S seconds plus
 * max_seconds (without a bound there is no time budget either), not
 * counting the time spent in the sink, which may do slow work (a speech
 * engine decoding as the audio arrives). Refusals
 * are those of audio_probe, plus a sink's own result. On any failure the
 * sink may already have received part of the audio. */
int audio_decode(const char *path, double max_seconds, audio_sink sink, void *ctx, char *err,
                 size_t errlen);

/* As audio_decode, into one buffer: on success *samples (malloc'd, the
 * caller frees it; never NULL, even when *n is 0) holds *n samples. On
 * failure nothing is allocated and *samples and *n are left untouched. */
int audio_decode_all(const char *path, double max_seconds, int16_t **samples, size_t *n, char *err,
                     size_t errlen);

/* An audio file that a consumer reads as it is decoded, from its start at
 * each run, possibly more than once (a speech engine: asr/asr.h's
 * asr_audio takes audio_source_run and the source). Keeps the decoder's own
 * failure apart from the consumer's stopping it. Fill it with
 * audio_source_init; the fields below the line are the runs'. */
typedef struct audio_source {
    const char *path;   /* the file; must outlive the source */
    double max_seconds; /* as audio_decode's */
    /* ---- */
    int rc;        /* the decoder's own failure in the last run, or RA_OK */
    char why[512]; /* and its sentence */
    audio_sink sink;
    void *ctx;
    int stopped; /* the consumer's sink stopped the run */
} audio_source;

/* Prepares src for the file at path (see audio_source). Cannot fail. */
void audio_source_init(audio_source *src, const char *path, double max_seconds);

/* Decodes the source's file (source: an audio_source *) into sink, as
 * audio_decode with its max_seconds does, and returns what audio_decode
 * returns. When the decoder itself fails (not the sink), its code and
 * sentence are kept in the source's rc and why; a run that succeeds or that
 * the sink stops sets rc to RA_OK. */
int audio_source_run(void *source, audio_sink sink, void *ctx);

#endif

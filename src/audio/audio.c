/* audio.c - the only user of FFmpeg: content probing of uploaded audio and
 * its decoding to 16 kHz mono 16-bit PCM (see audio.h).
 *
 * One call runs one pipeline, all of whose state lives on its stack:
 *   source   (audio_src): our own AVIOContext on the file, the demuxer
 *            chosen from the content alone, and the decoder of the best
 *            audio stream; it yields decoded frames;
 *   resampler (audio_rs): libswresample, rebuilt whenever the frames'
 *            rate, layout or sample format change mid-stream;
 *   output   (audio_out): gathers samples into fixed chunks for the sink and
 *            enforces the duration bound.
 * audio_probe runs the same pipeline for a few frames without a sink, so a
 * probed file is one that the decoder really accepts. */
#include "audio/audio.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/channel_layout.h>
#include <libavutil/time.h>
#include <libswresample/swresample.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#define AUDIO_EOF 1                   /* internal: the stream has ended */
#define PROBE_BYTES (1u << 20)        /* content sniffing reads at most this */
#define MIN_SCORE AVPROBE_SCORE_RETRY /* below it FFmpeg calls a guess "low score" */
#define ANALYZE_BYTES (5 << 20)       /* stream analysis reads at most this */
#define ANALYZE_US (5 * (int64_t)AV_TIME_BASE)
#define PROBE_FRAMES 4    /* frames audio_probe decodes */
#define PROBE_PACKETS 500 /* packets audio_probe reads at most */
#define MAX_BAD_RUN 64    /* undecodable packets in a row */
#define MIN_RATE 2000     /* accepted source rates, Hz */
#define MAX_RATE 768000
#define MAX_CHANNELS 32
#define MAX_CONVERT (1 << 22) /* samples one conversion may yield */
#define MAX_BOUND_S 1e8       /* larger max_seconds mean no bound */

static const char NOT_ACCEPTED[] = "the file is not one of WAV, MP3, M4A, OGG or WebM";

/* The demuxers we accept, by FFmpeg's name, and what we call them. */
static const struct {
    const char *demuxer;
    const char *format;
} accepted[] = {
    {"wav", "wav"},
    {"mp3", "mp3"},
    {"mov,mp4,m4a,3gp,3g2,mj2", "m4a"},
    {"ogg", "ogg"},
    {"matroska,webm", "webm"},
};

typedef struct audio_src {
    AVIOContext *pb;      /* our reader of the file (custom I/O) */
    AVFormatContext *fmt; /* the demuxer; NULL until opened */
    AVCodecContext *dec;  /* the decoder; NULL until opened */
    AVPacket *pkt;        /* reused for every packet */
    AVFrame *frame;       /* holds the frame src_next_frame yields */
    const char *format;   /* our name of the container */
    int stream;           /* index of the decoded audio stream */
    int eof_sent;         /* the decoder has been told the input ended */
    int bad_run;          /* packets in a row that failed to decode */
    int last_error;       /* the last decoder error (AVERROR), or 0 */
    int packets;          /* packets read so far, of any stream */
    int max_packets;      /* stop reading after this many; 0 no limit */
    int64_t deadline;     /* av_gettime_relative() limit */
} audio_src;

typedef struct audio_rs {
    SwrContext *swr;        /* NULL until the first frame */
    AVChannelLayout layout; /* the input layout swr was made for */
    int rate;               /* the input rate swr was made for */
    int fmt;                /* the input sample format swr was made for */
    int16_t *out;           /* conversion output, av_malloc'd */
    int cap;                /* samples out holds */
} audio_rs;

typedef struct audio_out {
    audio_sink sink;                    /* NULL: samples are only counted */
    void *ctx;                          /* the sink's argument */
    uint64_t limit;                     /* the most samples allowed; 0 none */
    uint64_t total;                     /* samples accepted so far */
    int sink_rc;                        /* what the sink returned, when it stopped */
    int64_t *deadline;                  /* the source's, moved on by the sink's time; or NULL */
    size_t fill;                        /* samples waiting in chunk */
    int16_t chunk[AUDIO_CHUNK_SAMPLES]; /* the next sink call's samples */
} audio_out;

/* Refuses with "audio could not be decoded: <FFmpeg's reason>". FFmpeg
 * answers ENOMEM when a damaged file declares absurd sizes, so from the
 * demuxer and decoder that is a refusal of the content, not our shortage. */
static int fail_decode(char *err, size_t errlen, int averr)
{
    char why[AV_ERROR_MAX_STRING_SIZE];
    if (averr == AVERROR(ENOMEM))
        snprintf(why, sizeof why, "it declares implausible sizes");
    else if (av_strerror(averr, why, sizeof why) < 0)
        snprintf(why, sizeof why, "error %d", averr);
    return ra_fail(err, errlen, RA_ERR_FORMAT, "audio could not be decoded: %s", why);
}

static int fail_slow(char *err, size_t errlen)
{
    return ra_fail(err, errlen, RA_ERR_FORMAT,
                   "audio could not be decoded: it took longer than its time budget");
}

/* Forwards FFmpeg's warnings and errors to our log at debug level. */
static void ffmpeg_log(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > AV_LOG_WARNING)
        return;
    char line[512];
    int prefix = 1;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &prefix);
    /* Some messages span lines: one log line each, control bytes as spaces. */
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)line[i] < 0x20)
            line[i] = ' ';
    if (n > 0)
        log_debug("ffmpeg: %s", line);
}

static void init_once(void)
{
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(ffmpeg_log);
}

void audio_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_once);
}

/* FFmpeg's interrupt callback: nonzero once the call's time is up. */
static int src_interrupted(void *opaque)
{
    const audio_src *s = opaque;
    return av_gettime_relative() > s->deadline;
}

/* Opens the file with our own reader and recognises the container from the
 * first bytes alone (the name given to the prober is empty, so the file's
 * extension plays no part). */
static int src_open_file(audio_src *s, const char *path, const AVInputFormat **ifmt, char *err,
                         size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char why[128];
        return ra_fail(err, errlen, RA_ERR_IO, "the audio file cannot be read: %s",
                       strerror_r(errno, why, sizeof why));
    }
    if (!S_ISREG(st.st_mode))
        return ra_fail(err, errlen, RA_ERR_IO, "the audio file is not a regular file");
    if (st.st_size == 0)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "%s", NOT_ACCEPTED);

    /* The "file:" prefix keeps a name like "x:y" from naming a protocol. */
    char *url = av_asprintf("file:%s", path);
    if (url == NULL)
        return RA_ERR_NOMEM;
    AVIOInterruptCB cb = {src_interrupted, s};
    int ret = avio_open2(&s->pb, url, AVIO_FLAG_READ, &cb, NULL);
    av_free(url);
    if (ret < 0)
        return ra_fail(err, errlen, RA_ERR_IO, "the audio file cannot be opened");

    ret = av_probe_input_buffer2(s->pb, ifmt, "", NULL, 0, PROBE_BYTES);
    if (ret == AVERROR(ENOMEM))
        return RA_ERR_NOMEM;
    if (ret == AVERROR_EXIT)
        return fail_slow(err, errlen);
    if (ret == AVERROR(EIO))
        return ra_fail(err, errlen, RA_ERR_IO, "the audio file cannot be read");
    /* Random bytes often hold a frame header or two that MP3's prober
     * scores 1 or 5; real files of the five kinds score far higher. */
    if (ret < MIN_SCORE || *ifmt == NULL)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "%s", NOT_ACCEPTED);
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
        if (strcmp((*ifmt)->name, accepted[i].demuxer) == 0)
            s->format = accepted[i].format;
    if (s->format == NULL)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "%s", NOT_ACCEPTED);
    return RA_OK;
}

/* Opens the demuxer ifmt on our reader, with bounded analysis, and picks the
 * best audio stream; every other stream is discarded unread. */
static int src_open_demuxer(audio_src *s, const AVInputFormat *ifmt, const AVCodec **codec,
                            char *err, size_t errlen)
{
    s->fmt = avformat_alloc_context();
    if (s->fmt == NULL)
        return RA_ERR_NOMEM;
    s->fmt->pb = s->pb;
    s->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    s->fmt->interrupt_callback = (AVIOInterruptCB){src_interrupted, s};
    s->fmt->probesize = ANALYZE_BYTES;
    s->fmt->max_analyze_duration = ANALYZE_US;

    AVDictionary *opts = NULL;
    int ret = av_dict_set(&opts, "protocol_whitelist", "file", 0);
    if (ret >= 0)
        ret = avformat_open_input(&s->fmt, "", ifmt, &opts);
    av_dict_free(&opts);
    if (ret == AVERROR_INVALIDDATA)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "%s", NOT_ACCEPTED);
    if (ret >= 0)
        ret = avformat_find_stream_info(s->fmt, NULL);
    if (ret == AVERROR_EXIT)
        return fail_slow(err, errlen);
    if (ret < 0)
        return fail_decode(err, errlen, ret);

    ret = av_find_best_stream(s->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, codec, 0);
    if (ret == AVERROR_STREAM_NOT_FOUND)
        return ra_fail(err, errlen, RA_ERR_FORMAT, "the file has no audio stream");
    if (ret < 0) {
        const AVCodecParameters *par = NULL;
        for (unsigned i = 0; i < s->fmt->nb_streams && par == NULL; i++)
            if (s->fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
                par = s->fmt->streams[i]->codecpar;
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "audio could not be decoded: there is no decoder for %s",
                       par ? avcodec_get_name(par->codec_id) : "its codec");
    }
    s->stream = ret;
    for (unsigned i = 0; i < s->fmt->nb_streams; i++)
        if ((int)i != s->stream)
            s->fmt->streams[i]->discard = AVDISCARD_ALL;
    return RA_OK;
}

static int src_open_decoder(audio_src *s, const AVCodec *codec, char *err, size_t errlen)
{
    const AVStream *st = s->fmt->streams[s->stream];
    s->dec = avcodec_alloc_context3(codec);
    s->pkt = av_packet_alloc();
    s->frame = av_frame_alloc();
    if (s->dec == NULL || s->pkt == NULL || s->frame == NULL)
        return RA_ERR_NOMEM;
    int ret = avcodec_parameters_to_context(s->dec, st->codecpar);
    if (ret >= 0) {
        s->dec->pkt_timebase = st->time_base;
        s->dec->thread_count = 1;
        ret = avcodec_open2(s->dec, codec, NULL);
    }
    if (ret < 0)
        return fail_decode(err, errlen, ret);
    return RA_OK;
}

/* Frees everything the source holds; s may be partly opened. */
static void src_close(audio_src *s)
{
    av_frame_free(&s->frame);
    av_packet_free(&s->pkt);
    avcodec_free_context(&s->dec);
    avformat_close_input(&s->fmt);
    avio_closep(&s->pb);
}

/* Opens path as a source whose calls must finish within budget_us
 * microseconds (0: no limit). On failure nothing is left open. */
static int src_open(audio_src *s, const char *path, int64_t budget_us, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->stream = -1;
    s->deadline = budget_us > 0 ? av_gettime_relative() + budget_us : INT64_MAX;
    const AVInputFormat *ifmt = NULL;
    const AVCodec *codec = NULL;
    int rc = src_open_file(s, path, &ifmt, err, errlen);
    if (rc == RA_OK)
        rc = src_open_demuxer(s, ifmt, &codec, err, errlen);
    if (rc == RA_OK)
        rc = src_open_decoder(s, codec, err, errlen);
    if (rc != RA_OK)
        src_close(s);
    return rc;
}

/* Reads the next packet of the chosen stream into s->pkt: RA_OK, AUDIO_EOF
 * (which also covers data that stops making sense, as FFmpeg's own tools
 * treat it), or a negative RA_ERR_*. */
static int src_read_packet(audio_src *s, char *err, size_t errlen)
{
    for (;;) {
        if (av_gettime_relative() > s->deadline)
            return fail_slow(err, errlen);
        if (s->max_packets > 0 && s->packets >= s->max_packets)
            return AUDIO_EOF;
        int ret = av_read_frame(s->fmt, s->pkt);
        if (ret == AVERROR_EXIT)
            return fail_slow(err, errlen);
        if (ret == AVERROR(ENOMEM))
            return fail_decode(err, errlen, ret);
        if (ret == AVERROR(EIO))
            return ra_fail(err, errlen, RA_ERR_IO, "the audio file cannot be read");
        if (ret < 0)
            return AUDIO_EOF;
        s->packets++;
        if (s->pkt->stream_index == s->stream)
            return RA_OK;
        av_packet_unref(s->pkt);
    }
}

/* Counts a decoder error (ENOMEM included: damaged packets cause it);
 * refuses once too many came in a row. */
static int src_bad_packet(audio_src *s, int averr, char *err, size_t errlen)
{
    s->last_error = averr;
    if (++s->bad_run > MAX_BAD_RUN)
        return fail_decode(err, errlen, averr);
    return RA_OK;
}

/* Decodes the next frame into s->frame (the caller unrefs it): RA_OK,
 * AUDIO_EOF once the decoder is drained, or a negative RA_ERR_*. */
static int src_next_frame(audio_src *s, char *err, size_t errlen)
{
    for (;;) {
        int ret = avcodec_receive_frame(s->dec, s->frame);
        if (ret >= 0) {
            s->bad_run = 0;
            return RA_OK;
        }
        if (ret == AVERROR_EOF)
            return AUDIO_EOF;
        int rc = RA_OK;
        if (ret != AVERROR(EAGAIN))
            rc = src_bad_packet(s, ret, err, errlen);
        if (rc == RA_OK)
            rc = s->eof_sent ? AUDIO_EOF : src_read_packet(s, err, errlen);
        if (rc == AUDIO_EOF && !s->eof_sent) {
            s->eof_sent = 1;
            ret = avcodec_send_packet(s->dec, NULL);
            rc = RA_OK;
        } else if (rc == RA_OK) {
            ret = avcodec_send_packet(s->dec, s->pkt);
            av_packet_unref(s->pkt);
        }
        if (rc != RA_OK)
            return rc;
        if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF)
            rc = src_bad_packet(s, ret, err, errlen);
        if (rc != RA_OK)
            return rc;
    }
}

/* Hands the gathered chunk to the sink. */
static int out_flush(audio_out *o)
{
    if (o->fill == 0)
        return RA_OK;
    int64_t start = av_gettime_relative();
    int rc = o->sink ? o->sink(o->chunk, o->fill, o->ctx) : RA_OK;
    /* The time budget is the decoder's: a consumer that works as it
     * receives (a speech engine) does not spend it. */
    if (o->deadline != NULL && *o->deadline != INT64_MAX)
        *o->deadline += av_gettime_relative() - start;
    o->fill = 0;
    if (rc != RA_OK)
        o->sink_rc = rc;
    return rc;
}

/* Takes n samples, calling the sink for every full chunk; RA_ERR_TOO_LARGE
 * once the bound would be passed. */
static int out_emit(audio_out *o, const int16_t *samples, size_t n)
{
    while (n > 0) {
        if (o->limit > 0 && o->total >= o->limit)
            return RA_ERR_TOO_LARGE;
        size_t take = AUDIO_CHUNK_SAMPLES - o->fill;
        if (take > n)
            take = n;
        if (o->limit > 0 && take > o->limit - o->total)
            take = (size_t)(o->limit - o->total);
        memcpy(o->chunk + o->fill, samples, take * sizeof *samples);
        o->fill += take;
        o->total += take;
        samples += take;
        n -= take;
        if (o->fill == AUDIO_CHUNK_SAMPLES) {
            int rc = out_flush(o);
            if (rc != RA_OK)
                return rc;
        }
    }
    return RA_OK;
}

static void rs_release(audio_rs *rs)
{
    swr_free(&rs->swr);
    av_channel_layout_uninit(&rs->layout);
}

/* Makes a resampler from frame f's rate, layout and format to 16 kHz mono
 * s16, refusing rates and channel counts no dictation has. */
static int rs_setup(audio_rs *rs, const AVFrame *f, char *err, size_t errlen)
{
    int ch = f->ch_layout.nb_channels;
    if (f->sample_rate < MIN_RATE || f->sample_rate > MAX_RATE)
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "audio could not be decoded: a sample rate of %d Hz is not supported",
                       f->sample_rate);
    if (ch < 1 || ch > MAX_CHANNELS)
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "audio could not be decoded: %d channels are not supported", ch);

    AVChannelLayout in = {0};
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    int ret = 0;
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in, ch);
    else
        ret = av_channel_layout_copy(&in, &f->ch_layout);
    if (ret >= 0)
        ret = swr_alloc_set_opts2(&rs->swr, &mono, AV_SAMPLE_FMT_S16, AUDIO_RATE, &in,
                                  (enum AVSampleFormat)f->format, f->sample_rate, 0, NULL);
    if (ret >= 0)
        ret = swr_init(rs->swr);
    if (ret >= 0)
        ret = av_channel_layout_copy(&rs->layout, &f->ch_layout);
    av_channel_layout_uninit(&in);
    if (ret < 0) {
        rs_release(rs);
        return ret == AVERROR(ENOMEM) ? RA_ERR_NOMEM : fail_decode(err, errlen, ret);
    }
    rs->rate = f->sample_rate;
    rs->fmt = f->format;
    return RA_OK;
}

/* Converts frame f (NULL: drains what the resampler still holds) and emits
 * the result. */
static int rs_convert(audio_rs *rs, const AVFrame *f, audio_out *o, char *err, size_t errlen)
{
    int in_n = f ? f->nb_samples : 0;
    int want = swr_get_out_samples(rs->swr, in_n);
    if (want < 0)
        return fail_decode(err, errlen, want);
    if (want > MAX_CONVERT)
        return ra_fail(err, errlen, RA_ERR_FORMAT,
                       "audio could not be decoded: a frame is implausibly long");
    if (want > rs->cap || rs->out == NULL) {
        int cap = want > 4096 ? want : 4096;
        av_freep(&rs->out);
        rs->cap = 0;
        rs->out = av_malloc_array((size_t)cap, sizeof *rs->out);
        if (rs->out == NULL)
            return RA_ERR_NOMEM;
        rs->cap = cap;
    }
    uint8_t *outp[1] = {(uint8_t *)rs->out};
    int got =
        swr_convert(rs->swr, outp, rs->cap, f ? (const uint8_t **)f->extended_data : NULL, in_n);
    if (got < 0)
        return got == AVERROR(ENOMEM) ? RA_ERR_NOMEM : fail_decode(err, errlen, got);
    return out_emit(o, rs->out, (size_t)got);
}

/* Resamples one frame, first draining and replacing the resampler when the
 * frame's parameters differ from those it was made for. */
static int rs_feed(audio_rs *rs, const AVFrame *f, audio_out *o, char *err, size_t errlen)
{
    int same = rs->swr != NULL && f->sample_rate == rs->rate && f->format == rs->fmt &&
               av_channel_layout_compare(&f->ch_layout, &rs->layout) == 0;
    if (rs->swr != NULL && !same) {
        int rc = rs_convert(rs, NULL, o, err, errlen);
        rs_release(rs);
        if (rc != RA_OK)
            return rc;
    }
    if (rs->swr == NULL) {
        int rc = rs_setup(rs, f, err, errlen);
        if (rc != RA_OK)
            return rc;
    }
    return rs_convert(rs, f, o, err, errlen);
}

/* Runs the opened source through the resampler into o: every frame, or only
 * the first max_frames when that is positive. No frame at all is a
 * refusal. Ends by draining the resampler and the last chunk. */
static int run_pipeline(audio_src *s, audio_out *o, int max_frames, char *err, size_t errlen)
{
    audio_rs rs;
    memset(&rs, 0, sizeof rs);
    int frames = 0;
    int rc = RA_OK;
    while (max_frames <= 0 || frames < max_frames) {
        rc = src_next_frame(s, err, errlen);
        if (rc != RA_OK)
            break;
        rc = rs_feed(&rs, s->frame, o, err, errlen);
        av_frame_unref(s->frame);
        if (rc != RA_OK)
            goto done;
        frames++;
    }
    if (rc != RA_OK && rc != AUDIO_EOF)
        goto done;
    rc = RA_OK;
    if (frames == 0 && s->last_error != 0)
        rc = fail_decode(err, errlen, s->last_error);
    else if (frames == 0)
        rc = ra_fail(err, errlen, RA_ERR_FORMAT, "audio could not be decoded: it holds no audio");
    if (rc == RA_OK && rs.swr != NULL)
        rc = rs_convert(&rs, NULL, o, err, errlen);
    if (rc == RA_OK)
        rc = out_flush(o);
done:
    rs_release(&rs);
    av_freep(&rs.out);
    return rc;
}

/* Describes the opened, probed source in *out. */
static void info_fill(const audio_src *s, audio_info *out)
{
    const AVStream *st = s->fmt->streams[s->stream];
    double duration = 0;
    if (s->fmt->duration != AV_NOPTS_VALUE && s->fmt->duration > 0)
        duration = (double)s->fmt->duration / AV_TIME_BASE;
    else if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        duration = (double)st->duration * av_q2d(st->time_base);
    memset(out, 0, sizeof *out);
    snprintf(out->format, sizeof out->format, "%s", s->format);
    snprintf(out->codec, sizeof out->codec, "%s", avcodec_get_name(st->codecpar->codec_id));
    out->duration_s = duration;
    out->sample_rate = s->dec->sample_rate;
    out->channels = s->dec->ch_layout.nb_channels;
}

int audio_probe(const char *path, audio_info *out, char *err, size_t errlen)
{
    audio_init();
    if (path == NULL || out == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "no audio file was given");
    audio_src s;
    int rc = src_open(&s, path, AUDIO_PROBE_BUDGET_S * (int64_t)AV_TIME_BASE, err, errlen);
    if (rc != RA_OK)
        return rc;
    /* The output holds a chunk of samples: too big for a thread's stack. */
    audio_out *o = av_mallocz(sizeof *o);
    if (o == NULL) {
        rc = RA_ERR_NOMEM;
        goto done;
    }
    s.max_packets = PROBE_PACKETS;
    rc = run_pipeline(&s, o, PROBE_FRAMES, err, errlen);
    if (rc == RA_OK)
        info_fill(&s, out);
done:
    av_free(o);
    src_close(&s);
    return rc;
}

int audio_decode(const char *path, double max_seconds, audio_sink sink, void *ctx, char *err,
                 size_t errlen)
{
    audio_init();
    if (path == NULL || sink == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "no audio file or sink was given");
    int bounded = max_seconds > 0 && max_seconds <= MAX_BOUND_S;
    int64_t budget_us = 0;
    if (bounded)
        budget_us = (int64_t)((AUDIO_DECODE_BUDGET_S + max_seconds) * AV_TIME_BASE);
    audio_src s;
    int rc = src_open(&s, path, budget_us, err, errlen);
    if (rc != RA_OK)
        return rc;
    audio_out *o = av_mallocz(sizeof *o);
    if (o == NULL) {
        rc = RA_ERR_NOMEM;
        goto done;
    }
    o->sink = sink;
    o->ctx = ctx;
    o->deadline = &s.deadline;
    o->limit = bounded ? (uint64_t)(max_seconds * AUDIO_RATE) : 0;
    if (bounded && o->limit == 0)
        o->limit = 1;
    rc = run_pipeline(&s, o, 0, err, errlen);
    if (rc != RA_OK && o->sink_rc == rc)
        ra_fail(err, errlen, rc, "decoding was stopped by its consumer: %s", ra_strerror(rc));
    else if (rc == RA_ERR_TOO_LARGE)
        ra_fail(err, errlen, rc, "the audio is longer than %g seconds", max_seconds);
done:
    av_free(o);
    src_close(&s);
    return rc;
}

/* audio_decode_all's sink: appends the samples to a buf. */
static int collect(const int16_t *samples, size_t n, void *ctx)
{
    return buf_append(ctx, samples, n * sizeof *samples);
}

int audio_decode_all(const char *path, double max_seconds, int16_t **samples, size_t *n, char *err,
                     size_t errlen)
{
    if (samples == NULL || n == NULL)
        return ra_fail(err, errlen, RA_ERR_INVALID, "no output was given");
    buf b;
    size_t max = SIZE_MAX / 4;
    if (max_seconds > 0 && max_seconds <= MAX_BOUND_S)
        max = ((size_t)(max_seconds * AUDIO_RATE) + 1) * sizeof(int16_t);
    buf_init(&b, max);
    int rc = audio_decode(path, max_seconds, collect, &b, err, errlen);
    if (rc != RA_OK)
        goto done;
    size_t count = b.len / sizeof(int16_t);
    char *data = buf_detach(&b);
    if (data == NULL) {
        rc = RA_ERR_NOMEM;
        goto done;
    }
    *samples = (int16_t *)(void *)data;
    *n = count;
done:
    buf_release(&b);
    return rc;
}

void audio_source_init(audio_source *src, const char *path, double max_seconds)
{
    memset(src, 0, sizeof *src);
    src->path = path;
    src->max_seconds = max_seconds;
    src->rc = RA_OK;
}

/* audio_source_run's sink: the consumer's, noting whether it stopped. */
static int source_sink(const int16_t *samples, size_t n, void *ctx)
{
    audio_source *src = ctx;
    int rc = src->sink(samples, n, src->ctx);
    src->stopped = rc != RA_OK;
    return rc;
}

int audio_source_run(void *source, audio_sink sink, void *ctx)
{
    audio_source *src = source;
    src->sink = sink;
    src->ctx = ctx;
    src->stopped = 0;
    src->rc = RA_OK;
    char why[sizeof src->why] = "";
    int rc = audio_decode(src->path, src->max_seconds, source_sink, src, why, sizeof why);
    if (rc != RA_OK && !src->stopped) {
        src->rc = rc;
        memcpy(src->why, why, sizeof why);
    }
    return rc;
}

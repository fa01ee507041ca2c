/* local.c - the local speech engine: pocketsphinx 5prealpha (Debian's) with
 * the en-us acoustic model. Owns every pocketsphinx and sphinxbase call
 * (ps_*, cmd_ln_*, err_*, fe_*, cmn_*, ckd_*) but the reading of the
 * generic model's unigrams (background.c). One decoder per engine; an
 * engine serves one thread at a time.
 *
 * Every transcription starts from the same state, so its result does not
 * depend on what the engine heard before:
 *   - the noise estimate is reset (ps_start_stream),
 *   - the live cepstral mean is set to the mean of this audio's speech
 *     frames, measured first with a front end of our own (what batch CMN
 *     would use; the model's initial mean when there is under half a second
 *     of speech). Carrying the mean over from the previous job, as
 *     pocketsphinx does by default, made results depend on job order.
 *   - a deterministic noise floor (uniform, +-LOCAL_DITHER, about -70 dBFS;
 *     our own generator, not pocketsphinx's process-wide one, which threads
 *     would share) keeps runs of digital silence from derailing the noise
 *     estimate and the voice activity detector: synthetic or gated audio
 *     with exact zeros otherwise loses the words after each pause
 *     (pocketsphinx's own -dither, +1 on a quarter of the samples, was too
 *     weak: bench/wer.py measured clean espeak-ng dictation at twice the
 *     error of the same audio with 20 dB noise). Real microphones' own
 *     noise floor is far above it, so recorded speech is unaffected.
 * The audio is read twice as it is decoded (an asr_audio), first for the
 * mean, then for the decoder, and never held whole: a worker's memory does
 * not grow with the audio's length. It reaches the front end and the
 * decoder in chunks counted from its start however it arrives, so a stream
 * and the same samples in one buffer give the same transcript.
 * Audio is fed in chunks; when pocketsphinx's voice activity detector
 * reports the end of speech (a pause of about half a second) the utterance
 * is closed, its word segments kept, and a new one started. Segments are
 * placed in the audio's time (local_frame_ms) and the transcript is written
 * from them by asr_sentences (sentences.c), which turns pauses into
 * sentence ends. */
#include <pocketsphinx.h>
#include <pthread.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#define LOCAL_CHUNK 2048       /* samples per call into pocketsphinx (128 ms) */
#define LOCAL_DITHER 48        /* amplitude of the added noise floor, in samples */
#define LOCAL_PRIME_FRAMES 256 /* cepstral frames per front-end call when measuring */
#define LOCAL_MIN_FRAMES 50    /* speech frames (0.5 s) needed to trust a mean */
#define LOCAL_LEAD 4800        /* samples of silence before the audio (0.3 s) */
#define LOCAL_TAIL 12800       /* and after it (0.8 s): see local_decode */
#define LOCAL_LW_GENERIC 6.5   /* pocketsphinx's default language weight */
#define LOCAL_LW_DOMAIN 7.0    /* for our radiology models (see local_tuned) */

#define LOCAL_OWN (-1)  /* "model index" of the engine's own model */
#define LOCAL_NONE (-2) /* no model selected, or a dictionary in doubt after a failure */

/* What identifies one version of a model file: a rebuilt model is renamed
 * over the old one, so its inode (and usually size and time) differ. */
typedef struct local_file_id {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} local_file_id;

/* A model selected with asr_local_use_model, kept loaded as a pocketsphinx
 * search of the engine's decoder. */
typedef struct local_model {
    char *lm_path, *dict_path;    /* owned; lm_path NULL for a free slot */
    char search[24];              /* the search's name in the decoder */
    local_file_id lm_id, dict_id; /* the files as they were loaded */
    uint64_t used;                /* when last selected, for least-recently-used */
} local_model;

typedef struct asr_local {
    asr_engine base;  /* first, so an asr_engine * is an asr_local * */
    ps_decoder_t *ps; /* the decoder */
    fe_t *fe;         /* a front end of our own, to measure the audio's mean */
    mfcc_t *cmn0;     /* cepstral mean the model starts from */
    int one_utt;      /* decode everything as one utterance */
    int frate;        /* the decoder's frames per second (-frate) */
    uint32_t dither;  /* dither generator state */
    char *own_dict;   /* the dictionary the engine was created with */
    char *own_search; /* the search of its own model */
    local_model models[ASR_LOCAL_MODELS_MAX];
    int active;     /* the selected model: LOCAL_OWN, an index of models, LOCAL_NONE */
    int dict_of;    /* whose dictionary the decoder holds: the same, LOCAL_NONE unknown */
    uint64_t clock; /* counts selections */
    unsigned names; /* search names handed out */
    int16_t chunk[LOCAL_CHUNK]; /* samples as fed, dither added */
    int16_t stage[LOCAL_CHUNK]; /* samples of a stream waiting for a whole chunk */
} asr_local;

/* ---- logging ------------------------------------------------------------ */

/* sphinxbase's log callback: errors go to our log at debug level; the
 * informational lines (configuration, timings and recognised words) go
 * nowhere, so no transcript text ever reaches a log. */
static void local_log(void *user, err_lvl_t level, const char *fmt, ...)
{
    (void)user;
    if (level < ERR_ERROR)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    line[strcspn(line, "\n")] = '\0';
    log_debug("pocketsphinx: %s", line);
}

static pthread_once_t local_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t local_init_lock = PTHREAD_MUTEX_INITIALIZER;

/* No log file (pocketsphinx prints its whole configuration straight to it)
 * and our callback for messages. */
static void local_quiet(void)
{
    err_set_logfp(NULL);
    err_set_callback(local_log, NULL);
}

void asr_sphinx_quiet(void)
{
    pthread_once(&local_once, local_quiet);
}

/* ---- audio -------------------------------------------------------------- */

/* Copies at most LOCAL_CHUNK samples of pcm into l->chunk with dither;
 * returns how many. */
static size_t local_fill(asr_local *l, const int16_t *pcm, size_t n)
{
    size_t k = n < LOCAL_CHUNK ? n : LOCAL_CHUNK;
    for (size_t i = 0; i < k; i++) {
        l->dither = l->dither * 1664525u + 1013904223u;
        int add = (int)(l->dither >> 25) % (2 * LOCAL_DITHER + 1) - LOCAL_DITHER;
        int v = pcm[i] + add;
        l->chunk[i] = (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
    }
    return k;
}

/* Adds the cepstra of nfr frames to sum. */
static void local_sum(double *sum, mfcc_t **cep, int32 nfr, int veclen)
{
    for (int32 i = 0; i < nfr; i++)
        for (int k = 0; k < veclen; k++)
            sum[k] += cep[i][k];
}

/* The running sum of cepstra while measuring an audio's mean. */
typedef struct local_mean {
    mfcc_t **cep; /* LOCAL_PRIME_FRAMES rows of veclen */
    double *sum;  /* veclen sums */
    long frames;
    int veclen;
} local_mean;

/* Runs n samples of pcm (NULL: silence) through our front end, adding the
 * cepstra of the frames it keeps to m. */
static void local_measure(asr_local *l, const int16_t *pcm, size_t n, local_mean *m)
{
    static const int16_t silence[LOCAL_CHUNK];
    for (size_t off = 0; off < n;) {
        size_t k = local_fill(l, pcm != NULL ? pcm + off : silence, n - off), left = k;
        const int16 *p = l->chunk;
        while (left > 0) {
            int32 nfr = LOCAL_PRIME_FRAMES;
            size_t before = left;
            if (fe_process_frames(l->fe, &p, &left, m->cep, &nfr, NULL) < 0 ||
                (nfr == 0 && left == before))
                break;
            local_sum(m->sum, m->cep, nfr, m->veclen);
            m->frames += nfr;
        }
        off += k;
    }
}

/* Starts measuring an audio's mean (see the top): m's buffers, and our
 * front end and dither from their start. */
static int local_mean_begin(asr_local *l, local_mean *m)
{
    cmn_t *cmn = ps_get_feat(l->ps)->cmn_struct;
    *m = (local_mean){NULL, NULL, 0, cmn->veclen};
    m->cep = ckd_calloc_2d(LOCAL_PRIME_FRAMES, (size_t)m->veclen, sizeof(mfcc_t));
    m->sum = calloc((size_t)m->veclen, sizeof *m->sum);
    l->dither = 1;
    fe_start_stream(l->fe); /* forgets the noise level of earlier audio */
    fe_start_utt(l->fe);
    return m->cep != NULL && m->sum != NULL ? RA_OK : RA_ERR_NOMEM;
}

/* Ends the measure m and, unless rc tells of a failure, sets the decoder's
 * live cepstral mean from it; frees m's buffers. */
static int local_mean_end(asr_local *l, local_mean *m, int rc)
{
    cmn_t *cmn = ps_get_feat(l->ps)->cmn_struct;
    mfcc_t *mean = calloc((size_t)m->veclen, sizeof *mean);
    if (rc == RA_OK && mean == NULL)
        rc = RA_ERR_NOMEM;
    int32 last = 0;
    if (rc == RA_OK && fe_end_utt(l->fe, m->cep[0], &last) >= 0 && last > 0) {
        local_sum(m->sum, m->cep, last, m->veclen);
        m->frames += last;
    }
    for (int k = 0; rc == RA_OK && k < m->veclen && m->frames > 0; k++)
        mean[k] = (mfcc_t)(m->sum[k] / (double)m->frames);
    if (rc == RA_OK)
        cmn_live_set(cmn, m->frames >= LOCAL_MIN_FRAMES ? mean : l->cmn0);
    if (m->cep != NULL)
        ckd_free_2d(m->cep);
    free(m->sum);
    free(mean);
    return rc;
}

/* ---- decoding ----------------------------------------------------------- */

static int local_supports(asr_engine *e, const char *lang)
{
    (void)e;
    if (lang == NULL)
        return 0;
    size_t n = strcspn(lang, "-_");
    return n == 2 && strncasecmp(lang, "en", 2) == 0;
}

/* Where the decoder stood after one ps_process_raw call of the current
 * utterance: how many frames it had searched and how many samples had been
 * fed (padding included). The voice activity detector drops the frames of
 * long pauses, so frames alone do not tell time; these marks do. */
typedef struct local_mark {
    long frames;
    size_t fed;
} local_mark;

/* The state of one transcription. */
typedef struct local_run {
    asr_seg *segs; /* the segments so far, in time order (owned) */
    size_t nsegs, segs_cap;
    local_mark *marks; /* the current utterance's (owned) */
    size_t nmarks, marks_cap;
    long frames; /* frames searched in the current utterance */
    size_t fed;  /* samples fed since the stream started */
    int utt;     /* number of the current utterance */
    int heard;   /* speech since the current utterance started */
} local_run;

static void local_run_release(local_run *r)
{
    free(r->segs);
    free(r->marks);
    memset(r, 0, sizeof *r);
}

/* Notes that a call searched nfr more frames. */
static int local_mark_frames(local_run *r, int nfr)
{
    if (nfr <= 0)
        return RA_OK;
    local_mark *m = ra_array_reserve(r->marks, r->nmarks, &r->marks_cap, sizeof *m, 256);
    if (m == NULL)
        return RA_ERR_NOMEM;
    r->marks = m;
    r->frames += nfr;
    r->marks[r->nmarks++] = (local_mark){r->frames, r->fed};
    return RA_OK;
}

/* The time of frame f of the current utterance, in ms from the start of
 * the audio: counted back from the first call that searched it (frames the
 * decoder searched only at ps_end_utt count on from the last call). The
 * feature window delays every frame by the same few frames, which no gap
 * between words notices. */
static long local_frame_ms(const asr_local *l, const local_run *r, int f)
{
    size_t lo = 0, hi = r->nmarks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->marks[mid].frames > f)
            hi = mid;
        else
            lo = mid + 1;
    }
    local_mark at = r->nmarks == 0   ? (local_mark){0, r->fed}
                    : lo < r->nmarks ? r->marks[lo]
                                     : r->marks[r->nmarks - 1];
    long fed_ms = ((long)at.fed - LOCAL_LEAD) * 1000 / ASR_SAMPLE_RATE;
    long ms = fed_ms - (at.frames - f) * 1000 / l->frate;
    return ms > 0 ? ms : 0;
}

/* Appends the segment the iterator stands on; base is the frame the
 * utterance starts at in the segments' numbering. */
static int local_add_seg(asr_local *l, local_run *r, ps_seg_t *it, int base)
{
    asr_seg *s = ra_array_reserve(r->segs, r->nsegs, &r->segs_cap, sizeof *s, 256);
    if (s == NULL)
        return RA_ERR_NOMEM;
    r->segs = s;
    s = &r->segs[r->nsegs++];
    int sf = 0, ef = 0;
    ps_seg_frames(it, &sf, &ef);
    snprintf(s->word, sizeof s->word, "%s", ps_seg_word(it));
    s->start_ms = local_frame_ms(l, r, sf - base);
    s->end_ms = local_frame_ms(l, r, ef - base) + 1000 / l->frate;
    s->utt = r->utt;
    /* Frames next to the pauses the detector dropped are timed a few
     * frames off (an utterance's "<s>" came out starting after its first
     * word once utterances closed after 0.3 s): keep the order. */
    if (s->start_ms > s->end_ms)
        s->start_ms = s->end_ms;
    if (r->nsegs > 1 && s->start_ms < s[-1].start_ms)
        s->start_ms = s[-1].start_ms;
    if (s->end_ms < s->start_ms)
        s->end_ms = s->start_ms;
    return RA_OK;
}

/* Keeps the segments of the utterance just ended (none when it has no
 * hypothesis) and forgets its marks. The segments number frames on from
 * earlier utterances, by a count that is not the frames searched (it
 * differs by a few dozen frames per utterance), but the best path spans
 * the whole utterance: its first segment ("<s>") starts at the utterance's
 * first frame. */
static int local_take_segs(asr_local *l, local_run *r)
{
    int rc = RA_OK, base = 0, end = 0;
    ps_seg_t *it = ps_seg_iter(l->ps);
    if (it != NULL)
        ps_seg_frames(it, &base, &end);
    while (it != NULL && rc == RA_OK) {
        rc = local_add_seg(l, r, it, base);
        it = rc == RA_OK ? ps_seg_next(it) : it;
    }
    if (it != NULL)
        ps_seg_free(it);
    r->nmarks = 0;
    r->frames = 0;
    r->utt++;
    return rc;
}

/* Ends the current utterance, keeps its segments and, unless last, starts
 * the next. */
static int local_close_utt(asr_local *l, local_run *r, int last)
{
    if (ps_end_utt(l->ps) < 0)
        return RA_ERR_IO;
    int rc = local_take_segs(l, r);
    r->heard = 0;
    if (rc == RA_OK && !last && ps_start_utt(l->ps) < 0)
        rc = RA_ERR_IO;
    return rc;
}

/* Feeds n samples of pcm (NULL: silence) to the decoder, closing an
 * utterance at each pause unless one_utt. */
static int local_feed(asr_local *l, const int16_t *pcm, size_t n, local_run *r)
{
    static const int16_t silence[LOCAL_CHUNK];
    int rc = RA_OK;
    for (size_t off = 0; off < n && rc == RA_OK;) {
        size_t k = local_fill(l, pcm != NULL ? pcm + off : silence, n - off);
        off += k;
        int nfr = ps_process_raw(l->ps, l->chunk, k, FALSE, FALSE);
        if (nfr < 0)
            return RA_ERR_IO;
        r->fed += k;
        rc = local_mark_frames(r, nfr);
        int speech = ps_get_in_speech(l->ps);
        r->heard |= speech;
        if (rc == RA_OK && !l->one_utt && r->heard && !speech)
            rc = local_close_utt(l, r, 0);
    }
    return rc;
}

/* One pass over the audio: measuring its mean (m) or decoding it (r).
 * Samples reach the front end or the decoder in calls of LOCAL_CHUNK
 * counted from the audio's start, however the audio arrives, so a stream
 * decodes exactly as the same samples in one buffer. */
typedef struct local_pass {
    asr_local *l;
    local_mean *m;  /* when measuring, else NULL */
    local_run *r;   /* when decoding, else NULL */
    size_t fill;    /* samples waiting in l->stage */
    uint64_t total; /* samples of the audio so far */
    int too_long;   /* the audio passed ASR_MAX_SECONDS */
    int sink_rc;    /* what local_pass_sink stopped the audio with */
    int source_rc;  /* the audio's own failure (its run's), or RA_OK */
    int changed;    /* the second pass heard another length than the first */
} local_pass;

/* Measures or decodes k (at most LOCAL_CHUNK) samples. */
static int local_pass_chunk(local_pass *p, const int16_t *pcm, size_t k)
{
    if (p->m != NULL) {
        local_measure(p->l, pcm, k, p->m);
        return RA_OK;
    }
    return local_feed(p->l, pcm, k, p->r);
}

/* The audio's sink: whole chunks straight from the audio, the rest
 * through l->stage. */
static int local_pass_sink(const int16_t *pcm, size_t n, void *ctx)
{
    local_pass *p = ctx;
    int rc = RA_OK;
    if (n > (uint64_t)ASR_MAX_SECONDS * ASR_SAMPLE_RATE - p->total) {
        p->too_long = 1;
        rc = RA_ERR_TOO_LARGE;
    }
    if (rc == RA_OK)
        p->total += n;
    while (n > 0 && rc == RA_OK) {
        if (p->fill == 0 && n >= LOCAL_CHUNK) {
            rc = local_pass_chunk(p, pcm, LOCAL_CHUNK);
            pcm += LOCAL_CHUNK;
            n -= LOCAL_CHUNK;
            continue;
        }
        size_t take = LOCAL_CHUNK - p->fill < n ? LOCAL_CHUNK - p->fill : n;
        memcpy(p->l->stage + p->fill, pcm, take * sizeof *pcm);
        p->fill += take;
        pcm += take;
        n -= take;
        if (p->fill == LOCAL_CHUNK) {
            p->fill = 0;
            rc = local_pass_chunk(p, p->l->stage, LOCAL_CHUNK);
        }
    }
    p->sink_rc = rc;
    return rc;
}

/* Runs the audio a through the pass p, its last partial chunk included. */
static int local_pass_run(local_pass *p, const asr_audio *a)
{
    p->sink_rc = RA_OK;
    int rc = a->run(a->ctx, local_pass_sink, p);
    if (rc != RA_OK && p->sink_rc == RA_OK)
        p->source_rc = rc;
    if (rc == RA_OK && p->fill > 0)
        rc = local_pass_chunk(p, p->l->stage, p->fill);
    p->fill = 0;
    return rc;
}

/* Sets the decoder's live cepstral mean for the audio a (see the top): the
 * front end hears exactly what the decoder will, padding included. p
 * receives the state of the pass (the audio's length in samples). */
static int local_prime_cmn(asr_local *l, const asr_audio *a, local_pass *p)
{
    local_mean m;
    int rc = local_mean_begin(l, &m);
    if (rc == RA_OK) {
        local_measure(l, NULL, LOCAL_LEAD, &m);
        *p = (local_pass){.l = l, .m = &m};
        rc = local_pass_run(p, a);
    }
    if (rc == RA_OK)
        local_measure(l, NULL, LOCAL_TAIL, &m);
    return local_mean_end(l, &m, rc);
}

/* Decodes the audio between stretches of silence into r's segments:
 * pocketsphinx's voice activity detector holds back the last half second
 * of an utterance until it hears a pause, so a recording that stops right
 * after the last word lost that word ("...three centimeters period" came
 * out without "period") until the engine added the pause itself. The audio
 * is played twice: once to measure its mean, once to decode it. p receives
 * the state of the pass that ended. */
static int local_decode(asr_local *l, const asr_audio *a, local_run *r, local_pass *p)
{
    int rc = local_prime_cmn(l, a, p);
    if (rc != RA_OK)
        return rc;
    uint64_t measured = p->total;
    l->dither = 1;
    if (ps_start_stream(l->ps) < 0 || ps_start_utt(l->ps) < 0)
        return RA_ERR_IO;
    *p = (local_pass){.l = l, .r = r};
    rc = local_feed(l, NULL, LOCAL_LEAD, r);
    if (rc == RA_OK)
        rc = local_pass_run(p, a);
    if (rc == RA_OK && p->total != measured) {
        p->changed = 1;
        rc = RA_ERR_IO;
    }
    if (rc == RA_OK)
        rc = local_feed(l, NULL, LOCAL_TAIL, r);
    int end = local_close_utt(l, r, 1);
    return rc != RA_OK ? rc : end;
}

/* Checks the language, then decodes the audio a into r. The audio's own
 * failures are returned as they are (it explained them). */
static int local_run_decode(asr_engine *e, const asr_audio *a, const char *lang, local_run *r,
                            char *err, size_t errlen)
{
    if (!local_supports(e, lang))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The local speech engine only recognises English.");
    local_pass p = {.sink_rc = RA_OK};
    int rc = local_decode((asr_local *)e, a, r, &p);
    if (p.too_long)
        return ra_fail(err, errlen, RA_ERR_TOO_LARGE, "The audio is longer than %d hours.",
                       ASR_MAX_SECONDS / 3600);
    if (p.changed)
        return ra_fail(err, errlen, rc,
                       "Speech recognition failed: the audio was not the same when read again.");
    if (rc != RA_OK && rc == p.source_rc)
        return rc; /* the audio's own failure, which it explained */
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "Speech recognition failed: %s.", ra_strerror(rc));
    return RA_OK;
}

/* The transcript of the audio a into *text. */
static int local_transcribe_audio(asr_engine *e, const asr_audio *a, const char *lang, char **text,
                                  char *err, size_t errlen)
{
    local_run r = {0};
    int rc = local_run_decode(e, a, lang, &r, err, errlen);
    if (rc == RA_OK) {
        rc = asr_sentences(r.segs, r.nsegs, text);
        if (rc != RA_OK)
            ra_fail(err, errlen, rc, "Speech recognition failed: %s.", ra_strerror(rc));
    }
    local_run_release(&r);
    return rc;
}

static int local_transcribe(asr_engine *e, const int16_t *pcm, size_t n, const char *lang,
                            char **text, char *err, size_t errlen)
{
    asr_pcm b = {pcm, n};
    asr_audio a = asr_audio_of(&b);
    return local_transcribe_audio(e, &a, lang, text, err, errlen);
}

int asr_local_segments(asr_engine *e, const int16_t *pcm, size_t n, const char *lang,
                       asr_seg **segs, size_t *nsegs, char *err, size_t errlen)
{
    if (e == NULL || e->transcribe != local_transcribe)
        return ra_fail(err, errlen, RA_ERR_INVALID, "Only the local speech engine has segments.");
    asr_pcm b = {pcm, n};
    asr_audio a = asr_audio_of(&b);
    local_run r = {0};
    int rc = local_run_decode(e, &a, lang, &r, err, errlen);
    if (rc == RA_OK) {
        *segs = r.segs;
        *nsegs = r.nsegs;
        r.segs = NULL;
    }
    local_run_release(&r);
    return rc;
}

static void local_free(asr_engine *e)
{
    asr_local *l = (asr_local *)e;
    if (l == NULL)
        return;
    if (l->ps != NULL)
        ps_free(l->ps);
    if (l->fe != NULL)
        fe_free(l->fe);
    free(l->cmn0);
    for (int i = 0; i < ASR_LOCAL_MODELS_MAX; i++) {
        free(l->models[i].lm_path);
        free(l->models[i].dict_path);
    }
    free(l->own_dict);
    free(l->own_search);
    free(l);
}

/* ---- models of their own (asr_local_use_model) ------------------------------ */

static int local_file_id_of(const char *path, local_file_id *out)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return RA_ERR_NOT_FOUND;
    *out = (local_file_id){sb.st_dev, sb.st_ino, sb.st_size, sb.st_mtim};
    return RA_OK;
}

static int local_file_id_same(const local_file_id *a, const local_file_id *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Makes the decoder hold the dictionary of model `which` (LOCAL_OWN or an
 * index). pocketsphinx has one dictionary per decoder, shared by its
 * searches, and rebuilds every search's lexicon tree when it changes; a
 * search only ever hypothesises words of its own LM, so a search is decoded
 * only while its own dictionary is loaded. */
static int local_hold_dict(asr_local *l, int which)
{
    if (l->dict_of == which)
        return RA_OK;
    const char *path = which == LOCAL_OWN ? l->own_dict : l->models[which].dict_path;
    pthread_mutex_lock(&local_init_lock);
    int bad = ps_load_dict(l->ps, path, NULL, NULL) != 0;
    pthread_mutex_unlock(&local_init_lock);
    l->dict_of = bad ? LOCAL_NONE : which;
    return bad ? RA_ERR_IO : RA_OK;
}

/* Selects model `which` for the next transcriptions. */
static int local_activate(asr_local *l, int which)
{
    int rc = local_hold_dict(l, which);
    const char *search = which == LOCAL_OWN ? l->own_search : l->models[which].search;
    if (rc == RA_OK && ps_set_search(l->ps, search) != 0)
        rc = RA_ERR_IO;
    if (rc == RA_OK) {
        l->active = which;
        if (which != LOCAL_OWN)
            l->models[which].used = ++l->clock;
    }
    return rc;
}

/* Forgets slot i, unloading its search. */
static void local_drop(asr_local *l, int i)
{
    local_model *m = &l->models[i];
    if (m->lm_path != NULL)
        ps_unset_search(l->ps, m->search);
    free(m->lm_path);
    free(m->dict_path);
    memset(m, 0, sizeof *m);
    if (l->dict_of == i)
        l->dict_of = LOCAL_NONE;
    if (l->active == i)
        l->active = LOCAL_NONE;
}

/* The slot of lm_path, or a free one, or the least recently used. */
static int local_slot_for(asr_local *l, const char *lm_path)
{
    int best = 0;
    for (int i = 0; i < ASR_LOCAL_MODELS_MAX; i++) {
        const local_model *m = &l->models[i];
        if (m->lm_path != NULL && strcmp(m->lm_path, lm_path) == 0)
            return i;
        const local_model *b = &l->models[best];
        if (b->lm_path != NULL && (m->lm_path == NULL || m->used < b->used))
            best = i;
    }
    return best;
}

/* Loads the model (lm_path, dict_path) whose files are ids into slot i
 * (emptied first): its dictionary, then its LM as a new search. */
static int local_load(asr_local *l, int i, const char *lm_path, const char *dict_path,
                      const local_file_id ids[2])
{
    local_drop(l, i);
    local_model *m = &l->models[i];
    m->lm_path = strdup(lm_path);
    m->dict_path = strdup(dict_path);
    if (m->lm_path == NULL || m->dict_path == NULL) {
        local_drop(l, i);
        return RA_ERR_NOMEM;
    }
    snprintf(m->search, sizeof m->search, "model%u", ++l->names);
    int rc = local_hold_dict(l, i);
    if (rc == RA_OK) {
        pthread_mutex_lock(&local_init_lock);
        /* 0 on success; -1, or 1 when the search could not be made */
        rc = ps_set_lm_file(l->ps, m->search, lm_path) != 0 ? RA_ERR_IO : RA_OK;
        pthread_mutex_unlock(&local_init_lock);
    }
    if (rc != RA_OK) {
        free(m->lm_path); /* no search to unset */
        m->lm_path = NULL;
        local_drop(l, i);
        return rc;
    }
    m->lm_id = ids[0];
    m->dict_id = ids[1];
    return RA_OK;
}

/* Finds (or loads) the model of lm_path in its current version. */
static int local_find_model(asr_local *l, const char *lm_path, const char *dict_path, int *which,
                            char *err, size_t errlen)
{
    local_file_id ids[2];
    if (local_file_id_of(lm_path, &ids[0]) != RA_OK ||
        local_file_id_of(dict_path, &ids[1]) != RA_OK)
        return ra_fail(err, errlen, RA_ERR_NOT_FOUND, "Speech model file %s or %s is missing.",
                       lm_path, dict_path);
    int i = local_slot_for(l, lm_path);
    const local_model *m = &l->models[i];
    int current = m->lm_path != NULL && strcmp(m->lm_path, lm_path) == 0 &&
                  strcmp(m->dict_path, dict_path) == 0 && local_file_id_same(&m->lm_id, &ids[0]) &&
                  local_file_id_same(&m->dict_id, &ids[1]);
    int rc = current ? RA_OK : local_load(l, i, lm_path, dict_path, ids);
    if (rc == RA_ERR_NOMEM)
        return ra_fail(err, errlen, rc, "Out of memory.");
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc,
                       "pocketsphinx could not load the speech model (language model %s, "
                       "dictionary %s).",
                       lm_path, dict_path);
    *which = i;
    return RA_OK;
}

int asr_local_use_model(asr_engine *e, const char *lm_path, const char *dict_path, char *err,
                        size_t errlen)
{
    if (e == NULL || e->transcribe != local_transcribe)
        return ra_fail(err, errlen, RA_ERR_INVALID, "Only the local speech engine has models.");
    if ((lm_path == NULL) != (dict_path == NULL))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "A speech model needs both its language model and its dictionary.");
    asr_local *l = (asr_local *)e;
    int which = LOCAL_OWN;
    int rc = lm_path != NULL ? local_find_model(l, lm_path, dict_path, &which, err, errlen) : RA_OK;
    if (rc == RA_OK) {
        rc = local_activate(l, which);
        if (rc != RA_OK)
            ra_fail(err, errlen, rc, "pocketsphinx could not switch to the speech model %s.",
                    lm_path != NULL ? lm_path : "of the engine");
    }
    /* After a failure the engine decodes with its own model. */
    if (rc != RA_OK && (l->active != LOCAL_OWN || l->dict_of != LOCAL_OWN) &&
        local_activate(l, LOCAL_OWN) != RA_OK)
        log_warn("asr: the engine's own speech model could not be selected again");
    return rc;
}

int asr_local_models_loaded(asr_engine *e)
{
    if (e == NULL || e->transcribe != local_transcribe)
        return 0;
    asr_local *l = (asr_local *)e;
    int n = 0;
    for (int i = 0; i < ASR_LOCAL_MODELS_MAX; i++)
        n += l->models[i].lm_path != NULL;
    return n;
}

/* ---- creation ----------------------------------------------------------- */

/* Joins dir and name into b (reset first) unless given, and checks that the
 * file is readable. */
static int local_path(buf *b, const char *dir, const char *name, const char *given, char *err,
                      size_t errlen)
{
    buf_release(b);
    int rc = given != NULL ? buf_puts(b, given) : buf_printf(b, "%s/%s", dir, name);
    if (rc != RA_OK)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    if (access(buf_str(b), R_OK) != 0)
        return ra_fail(err, errlen, RA_ERR_NOT_FOUND, "Speech model file %s is missing.",
                       buf_str(b));
    return RA_OK;
}

/* pocketsphinx options the engine sets with a radiology model besides its
 * files and language weight, measured with bench/wer_voices.py on the tune
 * set of the natural dictations (six voices; mean WER 10.5 % with
 * pocketsphinx's defaults and a language weight of 10): a language weight
 * of 7 (6-8 alike, 12 and 14 much worse) 9.2 %; then each alone: wider
 * beams 8.3 %, an utterance closed after 0.3 s of silence instead of 0.5 s
 * (each sentence then starts as a sentence does in the model) 8.8 %, eight
 * Gaussians per frame instead of four 8.9 %, a lower word insertion
 * penalty 9.0 %, no phone lookahead 9.1 %; all together 7.4 %, decoding
 * at 0.07x real time instead of 0.05x. */
static const char *const local_tuned[][2] = {
    {"-beam", "1e-60"}, {"-wbeam", "1e-40"}, {"-pbeam", "1e-60"}, {"-vad_postspeech", "30"},
    {"-topn", "8"},     {"-wip", "0.2"},     {"-pl_window", "0"},
};

#define LOCAL_ARGS_MAX 48 /* option pairs given to pocketsphinx */

/* The options a decoder starts with, as name-value pairs. */
typedef struct local_args {
    const char *pair[LOCAL_ARGS_MAX][2];
    int n;
} local_args;

/* Sets option name to value, replacing an earlier value. */
static int local_arg(local_args *a, const char *name, const char *value)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->pair[i][0], name) == 0) {
            a->pair[i][1] = value;
            return RA_OK;
        }
    if (a->n == LOCAL_ARGS_MAX)
        return RA_ERR_INVALID;
    a->pair[a->n][0] = name;
    a->pair[a->n++][1] = value;
    return RA_OK;
}

/* Adds the options of text ("-name value -name value"), which is split in
 * place. RA_ERR_INVALID for a name without value or one not starting with
 * '-'. */
static int local_args_parse(local_args *a, char *text)
{
    int rc = RA_OK;
    char *save = NULL;
    for (char *name = strtok_r(text, " \t", &save); name != NULL && rc == RA_OK;
         name = strtok_r(NULL, " \t", &save)) {
        char *value = strtok_r(NULL, " \t", &save);
        rc = value != NULL && name[0] == '-' ? local_arg(a, name, value) : RA_ERR_INVALID;
    }
    return rc;
}

/* Starts the decoder with the options of a and our front end, and keeps
 * the model's initial cepstral mean. RA_ERR_IO when pocketsphinx refuses
 * the files or an option. */
static int local_start(asr_local *l, const local_args *a)
{
    char *argv[2 * LOCAL_ARGS_MAX + 1];
    int argc = 0;
    argv[argc++] = "raportai";
    for (int i = 0; i < a->n; i++) {
        argv[argc++] = (char *)a->pair[i][0];
        argv[argc++] = (char *)a->pair[i][1];
    }
    pthread_mutex_lock(&local_init_lock);
    cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), argc, argv, TRUE);
    if (config != NULL) {
        l->ps = ps_init(config);
        cmd_ln_free_r(config); /* the decoder keeps its own reference */
    }
    if (l->ps != NULL)
        l->fe = fe_init_auto_r(ps_get_config(l->ps));
    pthread_mutex_unlock(&local_init_lock);
    feat_t *feat = l->ps != NULL ? ps_get_feat(l->ps) : NULL;
    if (l->fe == NULL || feat == NULL || feat->cmn_struct == NULL ||
        fe_get_output_size(l->fe) != feat->cmn_struct->veclen)
        return RA_ERR_IO;
    l->cmn0 = malloc((size_t)feat->cmn_struct->veclen * sizeof *l->cmn0);
    if (l->cmn0 == NULL)
        return RA_ERR_NOMEM;
    cmn_live_get(feat->cmn_struct, l->cmn0);
    l->frate = (int)cmd_ln_int32_r(ps_get_config(l->ps), "-frate");
    return l->frate > 0 ? RA_OK : RA_ERR_IO;
}

/* The options of an engine with the model files hmm, lm and dict and cfg
 * (options is scratch space for cfg->options). */
static int local_options(local_args *a, const asr_local_config *cfg, const char *hmm,
                         const char *lm, const char *dict, const char *lw, char **options)
{
    *a = (local_args){.n = 0};
    int rc = local_arg(a, "-hmm", hmm);
    if (rc == RA_OK)
        rc = local_arg(a, "-lm", lm);
    if (rc == RA_OK)
        rc = local_arg(a, "-dict", dict);
    if (rc == RA_OK)
        rc = local_arg(a, "-lw", lw);
    size_t ntuned = sizeof local_tuned / sizeof *local_tuned;
    for (size_t i = 0; i < ntuned && rc == RA_OK && cfg->lm_path != NULL; i++)
        rc = local_arg(a, local_tuned[i][0], local_tuned[i][1]);
    if (rc == RA_OK && cfg->options != NULL) {
        *options = strdup(cfg->options);
        rc = *options != NULL ? local_args_parse(a, *options) : RA_ERR_NOMEM;
    }
    return rc;
}

/* Fills in the function pointers and options of a started engine, and
 * remembers its own model (dict_path and the decoder's first search) to
 * come back to from others. */
static int local_finish(asr_local *l, const asr_local_config *cfg, const char *dict_path)
{
    l->base.name = "local";
    l->base.supports = local_supports;
    l->base.transcribe = local_transcribe;
    l->base.transcribe_audio = local_transcribe_audio;
    l->base.free = local_free;
    l->one_utt = cfg->one_utterance != 0;
    l->active = LOCAL_OWN;
    l->dict_of = LOCAL_OWN;
    l->own_dict = strdup(dict_path);
    /* The decoder's one n-gram search (ps_get_search would leak its
     * iterator; iterating to the end frees it). */
    for (ps_search_iter_t *it = ps_search_iter(l->ps); it != NULL; it = ps_search_iter_next(it))
        if (l->own_search == NULL && ps_get_lm(l->ps, ps_search_iter_val(it)) != NULL)
            l->own_search = strdup(ps_search_iter_val(it));
    return l->own_dict != NULL && l->own_search != NULL ? RA_OK : RA_ERR_NOMEM;
}

int asr_local_new(const asr_local_config *cfg, asr_engine **out, char *err, size_t errlen)
{
    static const asr_local_config defaults;
    cfg = cfg != NULL ? cfg : &defaults;
    const char *dir = cfg->model_dir != NULL ? cfg->model_dir : ASR_DEFAULT_MODEL_DIR;
    double lw = cfg->lm_weight > 0     ? cfg->lm_weight
                : cfg->lm_path == NULL ? LOCAL_LW_GENERIC
                                       : LOCAL_LW_DOMAIN;
    asr_sphinx_quiet();
    buf hmm, lm, dict;
    buf_init(&hmm, 8192);
    buf_init(&lm, 8192);
    buf_init(&dict, 8192);
    asr_local *l = calloc(1, sizeof *l);
    int rc = l != NULL ? RA_OK : ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    if (rc == RA_OK)
        rc = local_path(&hmm, dir, "en-us/mdef", NULL, err, errlen);
    if (rc == RA_OK)
        rc = local_path(&lm, dir, "en-us.lm.bin", cfg->lm_path, err, errlen);
    if (rc == RA_OK)
        rc = local_path(&dict, dir, "cmudict-en-us.dict", cfg->dict_path, err, errlen);
    char lw_s[32], *options = NULL;
    local_args args;
    snprintf(lw_s, sizeof lw_s, "%.2f", lw);
    if (rc == RA_OK) {
        hmm.data[hmm.len - strlen("/mdef")] = '\0';
        rc = local_options(&args, cfg, hmm.data, lm.data, dict.data, lw_s, &options);
        if (rc != RA_OK)
            ra_fail(err, errlen, rc,
                    rc == RA_ERR_NOMEM ? "Out of memory." : "Speech engine options are malformed.");
    }
    if (rc == RA_OK) {
        rc = local_start(l, &args);
        if (rc != RA_OK)
            ra_fail(err, errlen, rc,
                    "pocketsphinx could not load the speech model (language "
                    "model %s, dictionary %s).",
                    lm.data, dict.data);
    }
    if (rc == RA_OK && local_finish(l, cfg, dict.data) != RA_OK)
        rc = ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    if (rc == RA_OK) {
        *out = &l->base;
    } else {
        local_free(l != NULL ? &l->base : NULL);
    }
    free(options);
    buf_release(&hmm);
    buf_release(&lm);
    buf_release(&dict);
    return rc;
}

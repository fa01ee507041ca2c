/* local.c - the local speech engine: pocketsphinx 5prealpha (Debian's) with
 * the en-us acoustic model. Owns every pocketsphinx and sphinxbase call
 * (ps_*, cmd_ln_*, err_*). One decoder per engine; an engine serves one
 * thread at a time.
 *
 * Audio is fed in chunks; whenever pocketsphinx's voice activity detector
 * reports the end of speech (a pause of about half a second), the utterance
 * is closed, its words kept, and a new one started. Long dictations are
 * thus decoded pause by pause, which keeps the search small; bench/wer.py
 * measures it against one utterance for the whole recording. */
#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#define LOCAL_CHUNK 2048       /* samples per ps_process_raw call (128 ms) */
#define LOCAL_PRIME_FRAMES 256 /* frames per front-end call when measuring */
#define LOCAL_MIN_FRAMES 50    /* speech frames (0.5 s) needed to trust a mean */

typedef struct asr_local {
    asr_engine base; /* first, so an asr_engine * is an asr_local * */
    ps_decoder_t *ps;
    int split;       /* close utterances at pauses */
    mfcc_t *cmn0;    /* cepstral mean the decoder started with, or NULL */
    fe_t *fe;        /* a front end of our own, to measure the audio's mean */
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

/* No log file (pocketsphinx prints its configuration straight to it) and
 * our callback for messages. */
static void local_quiet(void)
{
    err_set_logfp(NULL);
    err_set_callback(local_log, NULL);
}

/* ---- the engine --------------------------------------------------------- */

static int local_supports(asr_engine *e, const char *lang)
{
    (void)e;
    if (lang == NULL)
        return 0;
    size_t n = strcspn(lang, "-_");
    return n == 2 && strncasecmp(lang, "en", 2) == 0;
}

/* Appends the best hypothesis of the utterance just ended to out. */
static int local_take_hyp(asr_local *l, buf *out)
{
    int32 score;
    const char *hyp = ps_get_hyp(l->ps, &score);
    int rc = RA_OK;
    while (hyp != NULL && *hyp != '\0' && rc == RA_OK) {
        size_t n = strcspn(hyp, " ");
        if (n > 0 && hyp[0] != '<' && hyp[0] != '[') {
            if (out->len > 0)
                rc = buf_putc(out, ' ');
            if (rc == RA_OK)
                rc = buf_append(out, hyp, n);
        }
        hyp += n;
        hyp += strspn(hyp, " ");
    }
    return rc;
}

/* Keeps the cepstral mean the model starts from (-cmninit), so that every
 * transcription can start from it again. */
static int local_save_cmn(asr_local *l)
{
    feat_t *feat = ps_get_feat(l->ps);
    if (feat == NULL || feat->cmn_struct == NULL)
        return RA_OK;
    cmn_t *cmn = feat->cmn_struct;
    l->cmn0 = malloc((size_t)cmn->veclen * sizeof *l->cmn0);
    if (l->cmn0 == NULL)
        return RA_ERR_NOMEM;
    cmn_live_get(cmn, l->cmn0);
    l->fe = fe_init_auto_r(ps_get_config(l->ps));
    return l->fe != NULL ? RA_OK : RA_ERR_IO;
}

/* Sets the decoder's live cepstral mean to the mean of the speech frames
 * of this audio (what batch CMN would use), or to the model's initial mean
 * when there is too little speech to measure. Either way a transcription
 * does not depend on what the engine heard before. */
static int local_prime_cmn(asr_local *l, const int16_t *pcm, size_t n)
{
    feat_t *feat = ps_get_feat(l->ps);
    if (l->cmn0 == NULL || l->fe == NULL || feat == NULL || feat->cmn_struct == NULL)
        return RA_OK;
    cmn_t *cmn = feat->cmn_struct;
    int veclen = fe_get_output_size(l->fe);
    if (veclen != cmn->veclen || getenv("RAPORTAI_ASR_NO_PRIME") != NULL) {
        cmn_live_set(cmn, l->cmn0);
        return RA_OK;
    }
    mfcc_t **cep = ckd_calloc_2d(LOCAL_PRIME_FRAMES, (size_t)veclen, sizeof(mfcc_t));
    double *sum = calloc((size_t)veclen, sizeof *sum);
    mfcc_t *mean = calloc((size_t)veclen, sizeof *mean);
    int rc = (cep != NULL && sum != NULL && mean != NULL) ? RA_OK : RA_ERR_NOMEM;
    long frames = 0;
    const int16 *p = pcm;
    size_t left = n;
    fe_start_stream(l->fe); /* forgets the noise level of earlier audio */
    fe_start_utt(l->fe);
    while (rc == RA_OK && left > 0) {
        int32 nfr = LOCAL_PRIME_FRAMES;
        size_t before = left;
        if (fe_process_frames(l->fe, &p, &left, cep, &nfr, NULL) < 0 || (nfr == 0 && left == before))
            break;
        for (int32 i = 0; i < nfr; i++, frames++)
            for (int k = 0; k < veclen; k++)
                sum[k] += cep[i][k];
    }
    int32 last = 0;
    if (rc == RA_OK)
        fe_end_utt(l->fe, cep[0], &last);
    for (int k = 0; rc == RA_OK && k < veclen; k++)
        mean[k] = (mfcc_t)((sum[k] + (last > 0 ? cep[0][k] : 0)) / (double)(frames + last));
    if (rc == RA_OK)
        cmn_live_set(cmn, frames + last >= LOCAL_MIN_FRAMES ? mean : l->cmn0);
    if (cep != NULL)
        ckd_free_2d(cep);
    free(sum);
    free(mean);
    return rc;
}

/* Feeds the audio, closing an utterance at each pause when splitting. */
static int local_decode(asr_local *l, const int16_t *pcm, size_t n, buf *out)
{
    int rc0 = local_prime_cmn(l, pcm, n);
    if (rc0 != RA_OK)
        return rc0;
    if (ps_start_stream(l->ps) < 0 || ps_start_utt(l->ps) < 0)
        return RA_ERR_IO;
    int rc = RA_OK, heard = 0;
    for (size_t off = 0; off < n && rc == RA_OK; off += LOCAL_CHUNK) {
        size_t k = n - off < LOCAL_CHUNK ? n - off : LOCAL_CHUNK;
        if (ps_process_raw(l->ps, pcm + off, k, FALSE, FALSE) < 0) {
            rc = RA_ERR_IO;
            break;
        }
        int speech = ps_get_in_speech(l->ps);
        heard |= speech;
        if (l->split && heard && !speech) {
            if (ps_end_utt(l->ps) < 0)
                return RA_ERR_IO;
            rc = local_take_hyp(l, out);
            heard = 0;
            if (rc == RA_OK && ps_start_utt(l->ps) < 0)
                return RA_ERR_IO;
        }
    }
    if (ps_end_utt(l->ps) < 0)
        return RA_ERR_IO;
    return rc == RA_OK ? local_take_hyp(l, out) : rc;
}

static int local_transcribe(asr_engine *e, const int16_t *pcm, size_t n, const char *lang,
                            char **text, char *err, size_t errlen)
{
    asr_local *l = (asr_local *)e;
    if (!local_supports(e, lang))
        return asr_fail(RA_ERR_INVALID, err, errlen,
                        "The local speech engine only recognises English.");
    if (n > (size_t)ASR_MAX_SECONDS * ASR_SAMPLE_RATE)
        return asr_fail(RA_ERR_TOO_LARGE, err, errlen, "The audio is longer than %d hours.",
                        ASR_MAX_SECONDS / 3600);
    buf out;
    buf_init(&out, (size_t)64 << 20);
    int rc = local_decode(l, pcm, n, &out);
    char *s = rc == RA_OK ? buf_detach(&out) : NULL;
    if (rc == RA_OK && s == NULL)
        rc = RA_ERR_NOMEM;
    buf_release(&out);
    if (rc != RA_OK)
        return asr_fail(rc, err, errlen, "Speech recognition failed: %s.", ra_strerror(rc));
    *text = s;
    return RA_OK;
}

static void local_free(asr_engine *e)
{
    asr_local *l = (asr_local *)e;
    if (l == NULL)
        return;
    if (l->ps != NULL)
        ps_free(l->ps);
    free(l->cmn0);
    if (l->fe != NULL)
        fe_free(l->fe);
    free(l);
}

/* ---- creation ----------------------------------------------------------- */

/* Joins dir and name into b (reset first) and checks the file is readable. */
static int local_path(buf *b, const char *dir, const char *name, const char *given, char *err,
                      size_t errlen)
{
    buf_release(b);
    int rc = given != NULL ? buf_puts(b, given) : buf_printf(b, "%s/%s", dir, name);
    if (rc != RA_OK)
        return asr_fail(RA_ERR_NOMEM, err, errlen, "Out of memory.");
    if (access(buf_str(b), R_OK) != 0)
        return asr_fail(RA_ERR_NOT_FOUND, err, errlen, "Speech model file %s is missing.",
                        buf_str(b));
    return RA_OK;
}

/* Starts a pocketsphinx decoder; RA_ERR_IO when it refuses the files. */
static int local_start(asr_local *l, const char *hmm, const char *lm, const char *dict)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)"-hmm";
    argv[argc++] = (char *)hmm;
    argv[argc++] = (char *)"-lm";
    argv[argc++] = (char *)lm;
    argv[argc++] = (char *)"-dict";
    argv[argc++] = (char *)dict;
    char *extra = getenv("RAPORTAI_ASR_PS_ARGS") ? strdup(getenv("RAPORTAI_ASR_PS_ARGS")) : NULL;
    for (char *p = extra, *save = NULL; p != NULL && argc < 62; p = NULL) {
        for (char *t = strtok_r(p, " ", &save); t != NULL && argc < 62; t = strtok_r(NULL, " ", &save))
            argv[argc++] = t;
    }
    pthread_mutex_lock(&local_init_lock);
    cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), argc, argv, TRUE);
    if (config != NULL) {
        l->ps = ps_init(config);
        cmd_ln_free_r(config); /* the decoder keeps its own reference */
    }
    pthread_mutex_unlock(&local_init_lock);
    free(extra);
    return l->ps != NULL ? RA_OK : RA_ERR_IO;
}

int asr_local_new(const asr_local_config *cfg, asr_engine **out, char *err, size_t errlen)
{
    static const asr_local_config defaults = {NULL, NULL, NULL};
    if (cfg == NULL)
        cfg = &defaults;
    const char *dir = cfg->model_dir != NULL ? cfg->model_dir : ASR_DEFAULT_MODEL_DIR;
    pthread_once(&local_once, local_quiet);
    buf hmm, lm, dict;
    buf_init(&hmm, 8192);
    buf_init(&lm, 8192);
    buf_init(&dict, 8192);
    asr_local *l = calloc(1, sizeof *l);
    int rc = l != NULL ? RA_OK : asr_fail(RA_ERR_NOMEM, err, errlen, "Out of memory.");
    if (rc == RA_OK)
        rc = local_path(&hmm, dir, "en-us/mdef", NULL, err, errlen);
    if (rc == RA_OK)
        rc = local_path(&lm, dir, "en-us.lm.bin", cfg->lm_path, err, errlen);
    if (rc == RA_OK)
        rc = local_path(&dict, dir, "cmudict-en-us.dict", cfg->dict_path, err, errlen);
    if (rc == RA_OK) {
        hmm.data[hmm.len - strlen("/mdef")] = '\0';
        rc = local_start(l, hmm.data, lm.data, dict.data);
        if (rc == RA_OK)
            rc = local_save_cmn(l);
        if (rc == RA_ERR_IO)
            asr_fail(rc, err, errlen, "pocketsphinx could not load the speech model "
                     "(language model %s, dictionary %s).", lm.data, dict.data);
    }
    if (rc == RA_OK) {
        l->base.name = "local";
        l->base.supports = local_supports;
        l->base.transcribe = local_transcribe;
        l->base.free = local_free;
        l->split = getenv("RAPORTAI_ASR_NO_SPLIT") == NULL;
        *out = &l->base;
    } else {
        local_free(l ? &l->base : NULL);
    }
    buf_release(&hmm);
    buf_release(&lm);
    buf_release(&dict);
    return rc;
}

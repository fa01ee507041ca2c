/* stream.c - audio as an asr_audio (see asr.h): transcribing a stream with
 * any engine (gathering it for an engine that only takes a buffer), and a
 * buffer in memory played as a stream. */
#include <stdlib.h>

#include "asr/asr.h"
#include "asr/internal.h"
#include "core/buf.h"
#include "core/err.h"

/* asr_audio_of's run: the whole buffer in one call. */
static int pcm_run(void *ctx, asr_pcm_sink sink, void *sink_ctx)
{
    const asr_pcm *b = ctx;
    return b->n > 0 ? sink(b->pcm, b->n, sink_ctx) : RA_OK;
}

asr_audio asr_audio_of(const asr_pcm *b)
{
    return (asr_audio){pcm_run, (void *)b};
}

/* The audio gathered so far. */
typedef struct gathered {
    buf b;
    int full; /* the sink refused more than ASR_MAX_SECONDS */
} gathered;

static int gather(const int16_t *pcm, size_t n, void *ctx)
{
    gathered *g = ctx;
    int rc = buf_append(&g->b, pcm, n * sizeof *pcm);
    g->full = rc == RA_ERR_TOO_LARGE;
    return rc;
}

int asr_transcribe_audio(asr_engine *e, const asr_audio *a, const char *lang, char **text,
                         char *err, size_t errlen)
{
    if (e->transcribe_audio != NULL)
        return e->transcribe_audio(e, a, lang, text, err, errlen);
    gathered g = {.full = 0};
    buf_init(&g.b, (size_t)ASR_MAX_SECONDS * ASR_SAMPLE_RATE * sizeof(int16_t));
    int rc = a->run(a->ctx, gather, &g);
    if (g.full)
        ra_fail(err, errlen, rc, "The audio is longer than %d hours.", ASR_MAX_SECONDS / 3600);
    if (rc == RA_OK)
        rc = e->transcribe(e, (const int16_t *)(const void *)g.b.data, g.b.len / sizeof(int16_t),
                           lang, text, err, errlen);
    buf_release(&g.b);
    return rc;
}

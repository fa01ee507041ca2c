/* chunked.c - a buffer played as a stream in uneven chunks (see chunked.h). */
#include "chunked.h"

#include "core/err.h"

/* Sizes that cross the engines' own chunks (2048 samples for the local
 * engine) in every way: smaller, just under, just over, several. */
static const size_t sizes[] = {1, 7, 2047, 2049, 8000, 3, 4096, 333};

static int chunked_run(void *ctx, asr_pcm_sink sink, void *sink_ctx)
{
    chunked *c = ctx;
    size_t n = c->runs++ > 0 && c->shorter <= c->n ? c->n - c->shorter : c->n;
    size_t i = 0;
    for (size_t off = 0; off < n; i++) {
        size_t k = sizes[i % (sizeof sizes / sizeof sizes[0])];
        if (k > n - off)
            k = n - off;
        if (c->fail_rc != RA_OK && off + k > c->fail_at)
            return c->fail_rc;
        int rc = sink(c->pcm + off, k, sink_ctx);
        if (rc != RA_OK)
            return rc;
        off += k;
    }
    return c->fail_rc != RA_OK ? c->fail_rc : RA_OK;
}

asr_audio chunked_audio(chunked *c)
{
    return (asr_audio){chunked_run, c};
}

static int too_long_run(void *ctx, asr_pcm_sink sink, void *sink_ctx)
{
    (void)ctx;
    static const int16_t one[1];
    return sink(one, (size_t)ASR_MAX_SECONDS * ASR_SAMPLE_RATE + 1, sink_ctx);
}

asr_audio chunked_too_long(void)
{
    return (asr_audio){too_long_run, NULL};
}

/* chunked.h - audio for the unit tests of engines that read a stream
 * (asr_audio, asr/asr.h): a buffer played in chunks of uneven sizes, as a
 * decoder hands them out, that can fail part way or come back shorter;
 * and audio longer than any engine takes. */
#ifndef RAPORTAI_TESTS_CHUNKED_H
#define RAPORTAI_TESTS_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#include "asr/asr.h"

typedef struct chunked {
    const int16_t *pcm; /* the audio: n samples */
    size_t n;
    int fail_rc;    /* RA_OK, or what a run returns before passing fail_at samples */
    size_t fail_at; /* samples handed out before failing */
    size_t shorter; /* samples left out from the second run on */
    int runs;       /* runs so far */
} chunked;

/* c (which must outlive it) as an asr_audio. */
asr_audio chunked_audio(chunked *c);

/* Audio that hands its sink more than ASR_MAX_SECONDS in one call (the
 * sink must refuse it without reading the samples). */
asr_audio chunked_too_long(void);

#endif

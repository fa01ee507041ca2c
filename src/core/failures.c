/* failures.c - the text of each job failure code (see failures.h). */
#include "core/failures.h"

static const char *const codes[JOB_FAIL_COUNT] = {
    [JOB_FAIL_PROCESSING] = "PROCESSING_FAILED",
    [JOB_FAIL_UNSUPPORTED_LANGUAGE] = "UNSUPPORTED_LANGUAGE",
    [JOB_FAIL_SPEECH_ENGINE_UNAVAILABLE] = "SPEECH_ENGINE_UNAVAILABLE",
    [JOB_FAIL_AUDIO_TOO_LONG] = "AUDIO_TOO_LONG",
    [JOB_FAIL_AUDIO_MISSING] = "AUDIO_MISSING",
    [JOB_FAIL_INVALID_AUDIO] = "INVALID_AUDIO",
    [JOB_FAIL_EMPTY_TRANSCRIPT] = "EMPTY_TRANSCRIPT",
    [JOB_FAIL_INVALID_TRANSCRIPT] = "INVALID_TRANSCRIPT",
    [JOB_FAIL_TRANSLATION_FAILED] = "TRANSLATION_FAILED",
    [JOB_FAIL_SPLIT_FAILED] = "SPLIT_FAILED",
};

const char *job_failure_code(job_failure f)
{
    return (unsigned)f < JOB_FAIL_COUNT ? codes[f] : codes[JOB_FAIL_PROCESSING];
}

/* failures.h - why an accepted job, or one exam of it, failed: the codes the
 * poll response's error.code carries (docs/api.md, "Job and exam error
 * codes"; the docs hub's table lists exactly these, tests/e2e/test_docs.py).
 * One enumeration for the pipeline, the structuring engines and the store,
 * so that a code is named through the compiler and written once; jobs store
 * and show the code's text, as the API's answers always have. */
#ifndef RAPORTAI_CORE_FAILURES_H
#define RAPORTAI_CORE_FAILURES_H

typedef enum job_failure {
    JOB_FAIL_PROCESSING,                /* PROCESSING_FAILED: attempts ran out */
    JOB_FAIL_UNSUPPORTED_LANGUAGE,      /* no engine serves the language any more */
    JOB_FAIL_SPEECH_ENGINE_UNAVAILABLE, /* the speech server stayed down */
    JOB_FAIL_AUDIO_TOO_LONG,            /* past the longest dictation decoded */
    JOB_FAIL_AUDIO_MISSING,             /* the stored audio is gone */
    JOB_FAIL_INVALID_AUDIO,             /* the audio stopped decoding part-way */
    JOB_FAIL_EMPTY_TRANSCRIPT,          /* nothing dictated for the exam */
    JOB_FAIL_INVALID_TRANSCRIPT,        /* a transcript the engines cannot read */
    JOB_FAIL_TRANSLATION_FAILED,        /* the report could not be translated */
    JOB_FAIL_SPLIT_FAILED,              /* the exams' boundaries could not be established */
    JOB_FAIL_COUNT
} job_failure;

/* The code's text ("SPLIT_FAILED"), static; "PROCESSING_FAILED" for a
 * value outside the enumeration. Cannot fail. */
const char *job_failure_code(job_failure f);

#endif

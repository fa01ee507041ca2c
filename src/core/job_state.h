/* job_state.h - the states a report job and each of its exams go through,
 * as the poll response's `status` shows them and the store keeps them:
 * pending (queued), processing (a worker holds it), completed, failed; and
 * those of a job's callback (the poll's `callback.status`). One
 * enumeration each, so that a state is named through the compiler and its
 * text written once. */
#ifndef RAPORTAI_CORE_JOB_STATE_H
#define RAPORTAI_CORE_JOB_STATE_H

typedef enum job_state {
    JOB_PENDING,
    JOB_PROCESSING,
    JOB_COMPLETED,
    JOB_FAILED,
    JOB_STATE_COUNT
} job_state;

/* The state's text ("completed"), static; NULL outside the enumeration. */
const char *job_state_text(job_state s);

/* True when text (may be NULL) is state s's text. */
int job_state_is(const char *text, job_state s);

/* The state whose text is text, or JOB_STATE_COUNT when none is. */
job_state job_state_parse(const char *text);

/* A job's callback: waiting (the job has not finished), pending (due or
 * retrying), delivered, failed (no attempt left). */
typedef enum callback_state {
    CALLBACK_WAITING,
    CALLBACK_PENDING,
    CALLBACK_DELIVERED,
    CALLBACK_FAILED,
    CALLBACK_STATE_COUNT
} callback_state;

/* The callback state's text ("delivered"), static; NULL outside the
 * enumeration. */
const char *callback_state_text(callback_state s);

#endif

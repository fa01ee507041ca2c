/* job_state.c - the text of each job, exam and callback state (see
 * job_state.h). */
#include "core/job_state.h"

#include <string.h>

static const char *const texts[JOB_STATE_COUNT] = {
    [JOB_PENDING] = "pending",
    [JOB_PROCESSING] = "processing",
    [JOB_COMPLETED] = "completed",
    [JOB_FAILED] = "failed",
};

const char *job_state_text(job_state s)
{
    return (unsigned)s < JOB_STATE_COUNT ? texts[s] : NULL;
}

int job_state_is(const char *text, job_state s)
{
    const char *want = job_state_text(s);
    return text != NULL && want != NULL && strcmp(text, want) == 0;
}

job_state job_state_parse(const char *text)
{
    for (int s = 0; s < JOB_STATE_COUNT; s++)
        if (job_state_is(text, (job_state)s))
            return (job_state)s;
    return JOB_STATE_COUNT;
}

static const char *const callback_texts[CALLBACK_STATE_COUNT] = {
    [CALLBACK_WAITING] = "waiting",
    [CALLBACK_PENDING] = "pending",
    [CALLBACK_DELIVERED] = "delivered",
    [CALLBACK_FAILED] = "failed",
};

const char *callback_state_text(callback_state s)
{
    return (unsigned)s < CALLBACK_STATE_COUNT ? callback_texts[s] : NULL;
}

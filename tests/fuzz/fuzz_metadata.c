/* fuzz_metadata.c - libFuzzer target for the External API's PACS metadata
 * (src/api/submit.c): the JSON text read by api_metadata_read, then every
 * check api_submit makes before it looks at the audio
 * (api_submission_check), as POST /api/external/v1/pacs/report runs them.
 *
 * Input: the metadata field's text. The server's settings are fixed: the
 * default speech routing (English by the local engine), no structuring
 * engine, the strict callback policy. Checked: an accepted submission has
 * 1 to STORE_EXAMS_MAX exams, each with a SUT code of digits, and known
 * languages; a refusal names a code and a message. */
#include <string.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/lang.h"
#include "fuzz.h"

static api_app app;
static asr_routing speech;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    asr_routing_of(NULL, &speech);
    app.speech = &speech;
    webhook_policy_init(&app.webhooks, 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    api_submission s = {.kind = "pacs"};
    json_t *meta = NULL;
    api_refusal f = {.code = API_INVALID_REQUEST};
    int rc = api_metadata_read(text, &s, &meta, &f);
    if (rc == RA_OK)
        rc = api_submission_check(&s, &app, &f);
    if (rc == RA_OK) {
        if (s.n_exams < 1 || s.n_exams > STORE_EXAMS_MAX || !lang_is_code(s.input_lang) ||
            !lang_is_code(s.output_lang))
            abort();
        for (size_t i = 0; i < s.n_exams; i++)
            if (s.exams[i].sut_code == NULL ||
                strspn(s.exams[i].sut_code, "0123456789") != strlen(s.exams[i].sut_code))
                abort();
    } else if (rc != RA_ERR_REFUSED || f.message[0] == '\0') {
        abort();
    }
    json_decref(meta);
    free(text);
    return 0;
}

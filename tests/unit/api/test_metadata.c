/* test_metadata.c - unit tests of the PACS metadata and the submission
 * checks as functions of their input alone (src/api/submit.c:
 * api_metadata_read, api_submission_check): the same refusals the External
 * API answers with, from an api_app with no store, disk or network. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/internal.h"
#include "core/err.h"

static api_app app;
static asr_routing speech;
static api_submission s;
static json_t *meta;
static api_refusal f;

static void setup(void)
{
    asr_routing_of(NULL, &speech);
    app = (api_app){.speech = &speech};
    webhook_policy_init(&app.webhooks, 0);
    s = (api_submission){.kind = "pacs"};
    meta = NULL;
    f = (api_refusal){.code = API_INVALID_REQUEST};
}

static void teardown(void)
{
    json_decref(meta);
}

TestSuite(metadata, .init = setup, .fini = teardown);

static int read_and_check(const char *text)
{
    int rc = api_metadata_read(text, &s, &meta, &f);
    return rc == RA_OK ? api_submission_check(&s, &app, &f) : rc;
}

Test(metadata, two_exams_accepted_with_default_languages)
{
    s.transcript = "Bulgular normal.";
    cr_assert_eq(read_and_check("{\"patientUid\":\"P-1\",\"exams\":["
                                "{\"sutCode\":\"804200\",\"accessionNumber\":\"A1\"},"
                                "{\"sutCode\":\"803910\",\"accessionNumber\":\"A2\","
                                "\"teleCode\":\"T\"}]}"),
                 RA_OK, "%s", f.message);
    cr_assert_eq(s.n_exams, 2);
    cr_assert_str_eq(s.patient_id, "P-1");
    cr_assert_str_eq(s.exams[1].sut_code, "803910");
    cr_assert_str_eq(s.exams[1].tele_code, "T");
    cr_assert_str_eq(s.input_lang, "tr");
    cr_assert_str_eq(s.output_lang, "tr");
}

Test(metadata, missing_and_broken_metadata_refused)
{
    cr_assert_eq(api_metadata_read(NULL, &s, &meta, &f), RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_INVALID_METADATA);
    cr_assert_str_eq(f.field, "metadata");
    cr_assert_str_eq(f.message, "The metadata field is missing.");
    cr_assert_eq(api_metadata_read("{\"exams\": [", &s, &meta, &f), RA_ERR_REFUSED);
    cr_assert_null(meta);
    cr_assert_str_eq(f.field, "metadata");
    cr_assert(strncmp(f.message, "metadata is not valid JSON: ", 28) == 0, "%s", f.message);
    cr_assert_eq(api_metadata_read("{\"a\":1,\"a\":2}", &s, &meta, &f), RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_INVALID_METADATA);
}

Test(metadata, unknown_member_and_wrong_types_named)
{
    cr_assert_eq(read_and_check("{\"exams\":[{\"sutcode\":\"804200\"}]}"), RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_INVALID_METADATA);
    cr_assert_str_eq(f.field, "exams[0]");
    cr_assert_str_eq(f.message, "Unknown field \"sutcode\" in exams[0].");
    json_decref(meta);
    cr_assert_eq(read_and_check("{\"exams\":[{\"sutCode\":804200}]}"), RA_ERR_REFUSED);
    cr_assert_str_eq(f.field, "exams[0].sutCode");
    json_decref(meta);
    cr_assert_eq(read_and_check("{\"exams\":[]}"), RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_NO_EXAMS);
}

Test(metadata, field_checks_refuse_with_the_guide_codes)
{
    s.transcript = "x";
    cr_assert_eq(read_and_check("{\"exams\":[{\"sutCode\":\"80\"}]}"), RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_INVALID_SUT_CODE);
    cr_assert_str_eq(f.field, "exams[0].sutCode");
    json_decref(meta);
    cr_assert_eq(read_and_check("{\"exams\":[{\"sutCode\":\"804200\",\"accessionNumber\":\"A\"},"
                                "{\"sutCode\":\"804200\",\"accessionNumber\":\"A\"}]}"),
                 RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_MISSING_ACCESSION);
    json_decref(meta);
    cr_assert_eq(read_and_check("{\"exams\":[{\"sutCode\":\"804200\"}],"
                                "\"callbackUrl\":\"http://127.0.0.1/hook\"}"),
                 RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_INVALID_CALLBACK_URL);
    cr_assert_str_eq(f.field, "callbackUrl");
    json_decref(meta);
    cr_assert_eq(read_and_check("{\"exams\":[{\"sutCode\":\"804200\"}],\"inputLang\":\"xx\"}"),
                 RA_ERR_REFUSED);
    cr_assert_eq(f.code, API_INVALID_METADATA);
    cr_assert_str_eq(f.field, "inputLang");
}

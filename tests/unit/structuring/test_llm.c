/* test_llm.c - unit tests of src/structuring/llm (the openai structuring
 * engine's requests and the validation of its answers, with canned
 * answers) and src/structuring/engine (the fallback to the rules engine, the
 * translation that fails rather than come back untranslated, the fact
 * check of an openai report). No server is needed: an engine at a closed
 * loopback port stands for one that is down; tests/e2e/test_llm_openai.py
 * talks to a real (fake) server. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "httpc/httpc.h"
#include "structuring/engine.h"
#include "structuring/llm.h"

static const report_llm_config cfg = {.url = "http://127.0.0.1:9/",
                                      .model = "radiology-7b",
                                      .key = "sk-secret",
                                      .attempts = 1,
                                      .timeout_ms = 2000};

/* A chat completion whose message content is content (a JSON text). */
static char *completion(const char *content, const char *finish)
{
    json_t *o =
        json_pack("{s:[{s:i, s:{s:s, s:s}, s:s}]}", "choices", "index", 0, "message", "role",
                  "assistant", "content", content, "finish_reason", finish ? finish : "stop");
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static const char *const good_report =
    "{\"clinical_information\": \"Headache.\", \"technique\": \"\", \"comparison\": \"\","
    " \"findings\": \"  No acute hemorrhage.  \", \"impression\": \"\","
    " \"conclusion\": \"Normal brain CT.\"}";

static int structure(const char *content, const char *finish, report_sections *s, char *why)
{
    char *answer = completion(content, finish);
    int rc = report_llm_structure_answer(answer, strlen(answer), s, why, 200);
    free(answer);
    return rc;
}

/* ---- requests -------------------------------------------------------------------- */

Test(report_llm, the_structuring_request_carries_model_prompt_dictation_and_schema)
{
    report_llm_task t = {.transcript = "bulgular iki nokta sağ böbrekte taş",
                         .input_lang = "tr",
                         .output_lang = "en",
                         .exam_name = "Batın BT",
                         .modality = "CT"};
    char *body = report_llm_structure_request(&cfg, &t);
    cr_assert_not_null(body);
    json_error_t e;
    json_t *o = json_loads(body, 0, &e);
    cr_assert_not_null(o, "%s", body);
    cr_assert_str_eq(json_string_value(json_object_get(o, "model")), "radiology-7b");
    json_t *msgs = json_object_get(o, "messages");
    cr_assert_eq(json_array_size(msgs), 2);
    const char *system = json_string_value(json_object_get(json_array_get(msgs, 0), "content"));
    cr_assert(strstr(system, "in Turkish") != NULL, "%s", system);
    cr_assert(strstr(system, "Translate faithfully from Turkish and write every section in "
                             "English") != NULL,
              "%s", system);
    cr_assert(strstr(system, "Batın BT (CT)") != NULL, "%s", system);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(msgs, 1), "content")),
                     t.transcript);
    json_t *rf = json_object_get(o, "response_format");
    cr_assert_str_eq(json_string_value(json_object_get(rf, "type")), "json_schema");
    json_t *js = json_object_get(rf, "json_schema");
    cr_assert_str_eq(json_string_value(json_object_get(js, "name")), "radiology_report");
    cr_assert(json_is_true(json_object_get(js, "strict")));
    json_t *schema = json_object_get(js, "schema");
    cr_assert(json_is_false(json_object_get(schema, "additionalProperties")));
    cr_assert_eq(json_array_size(json_object_get(schema, "required")), 6);
    json_t *props = json_object_get(schema, "properties");
    cr_assert_eq(json_object_size(props), 6);
    const char *names[] = {"clinical_information", "technique", "comparison", "findings",
                           "impression",           "conclusion"};
    for (int i = 0; i < 6; i++) {
        json_t *p = json_object_get(props, names[i]);
        cr_assert_not_null(p, "%s", names[i]);
        /* listed in the order a model writes them: impression before conclusion */
        cr_assert_str_eq(json_string_value(json_array_get(json_object_get(schema, "required"), i)),
                         names[i]);
        cr_assert_str_eq(json_string_value(json_object_get(p, "type")), "string");
        /* the wire schema leaves limits out: strict mode refuses them on some servers */
        cr_assert_null(json_object_get(p, "maxLength"));
    }
    cr_assert_null(strstr(body, "sk-secret"));
    json_decref(o);
    free(body);
}

Test(report_llm, without_translation_the_prompt_keeps_the_language)
{
    report_llm_task t = {.transcript = "findings normal", .input_lang = "en", .output_lang = "en"};
    char *body = report_llm_structure_request(&cfg, &t);
    cr_assert(strstr(body, "Write every section in English") != NULL);
    cr_assert_null(strstr(body, "Translate"));
    free(body);
}

Test(report_llm, the_split_request_lists_the_exams_by_number)
{
    report_exam_hint ex[] = {{"Brain CT", "CT", "brain", "ACC-1", NULL},
                             {"Lumbar MR", "MR", "lumbar_spine", "ACC-2", NULL}};
    char *body =
        report_llm_split_request(&cfg, "brain ct normal next lumbar mr normal", "en", ex, 2);
    json_t *o = json_loads(body, 0, NULL);
    cr_assert_not_null(o);
    const char *system = json_string_value(
        json_object_get(json_array_get(json_object_get(o, "messages"), 0), "content"));
    cr_assert(strstr(system, "1. Brain CT (modality CT, body part brain, accession number "
                             "ACC-1)\n2. Lumbar MR (") != NULL,
              "%s", system);
    json_t *js = json_object_get(json_object_get(o, "response_format"), "json_schema");
    cr_assert_str_eq(json_string_value(json_object_get(js, "name")), "exam_parts");
    json_t *items = json_object_get(
        json_object_get(json_object_get(json_object_get(js, "schema"), "properties"), "exams"),
        "items");
    cr_assert_not_null(json_object_get(json_object_get(items, "properties"), "exam"));
    cr_assert(json_is_false(json_object_get(items, "additionalProperties")));
    json_decref(o);
    free(body);
}

/* ---- structuring answers -------------------------------------------------------------- */

Test(report_llm, a_valid_answer_gives_trimmed_sections)
{
    report_sections s = {{NULL}};
    char why[200] = "";
    cr_assert_eq(structure(good_report, NULL, &s, why), RA_OK, "%s", why);
    cr_assert_str_eq(s.text[REPORT_SEC_BULGULAR], "No acute hemorrhage.");
    cr_assert_str_eq(s.text[REPORT_SEC_SONUC], "Normal brain CT.");
    cr_assert_str_eq(s.text[REPORT_SEC_KLINIK], "Headache.");
    cr_assert_null(s.text[REPORT_SEC_TEKNIK]);
    cr_assert_null(s.text[REPORT_SEC_IZLENIM]);
    report_sections_release(&s);
}

Test(report_llm, a_fenced_answer_is_read)
{
    char fenced[1024];
    snprintf(fenced, sizeof fenced, "```json\n%s\n```", good_report);
    report_sections s = {{NULL}};
    char why[200] = "";
    cr_assert_eq(structure(fenced, NULL, &s, why), RA_OK, "%s", why);
    cr_assert_str_eq(s.text[REPORT_SEC_SONUC], "Normal brain CT.");
    report_sections_release(&s);
}

/* Each answer is refused with RA_ERR_FORMAT and a reason containing want. */
static void refused(const char *content, const char *finish, const char *want)
{
    report_sections s = {{NULL}};
    s.text[0] = (char *)"untouched";
    char why[200] = "";
    cr_assert_eq(structure(content, finish, &s, why), RA_ERR_FORMAT, "accepted: %s", content);
    cr_assert(strstr(why, want) != NULL, "reason \"%s\" lacks \"%s\"", why, want);
    cr_assert_str_eq(s.text[0], "untouched");
}

Test(report_llm, answers_off_the_schema_are_refused)
{
    refused("{\"findings\": \"x\"}", NULL, "lacks the member");
    refused("{\"clinical_information\": \"\", \"technique\": \"\", \"comparison\": \"\","
            " \"findings\": 12, \"impression\": \"\", \"conclusion\": \"\"}",
            NULL, "the answer.findings is not a string");
    refused("{\"clinical_information\": \"\", \"technique\": \"\", \"comparison\": \"\","
            " \"findings\": \"x\", \"impression\": \"\", \"conclusion\": \"\", \"notes\": \"\"}",
            NULL, "a member the schema does not define");
    refused("[1, 2]", NULL, "is not an object");
    refused("{\"clinical_information\": \"\", \"technique\": \"\", \"comparison\": \"\","
            " \"findings\": \"\", \"impression\": \"\", \"conclusion\": \" \"}",
            NULL, "no report text");
    refused("{\"findings\": \"x\", \"findings\": \"y\"}", NULL, "not JSON");
    refused("not json at all", NULL, "not JSON");
    refused(good_report, "length", "cut off");
}

Test(report_llm, an_overlong_section_or_a_nul_is_refused)
{
    size_t n = REPORT_LLM_SECTION_MAX_CHARS + 1;
    char *big = malloc(n + 256);
    int k = snprintf(big, 256,
                     "{\"clinical_information\": \"\", \"technique\": \"\", "
                     "\"comparison\": \"\", \"impression\": \"\", \"conclusion\": \"\", "
                     "\"findings\": \"");
    memset(big + k, 'a', n);
    snprintf(big + k + n, 8, "\"}");
    refused(big, NULL, "longer than 20000 characters");
    free(big);
    refused("{\"clinical_information\": \"\", \"technique\": \"\", \"comparison\": \"\","
            " \"findings\": \"a\\u0000b\", \"impression\": \"\", \"conclusion\": \"\"}",
            NULL, "NUL");
}

Test(report_llm, answers_that_are_no_completion_are_refused)
{
    report_sections s = {{NULL}};
    char why[200] = "";
    const char *bad[] = {"<html>502</html>", "{\"choices\": []}",
                         "{\"choices\": [{\"message\": {\"content\": null}}]}",
                         "{\"choices\": [{\"message\": {\"content\": \"{}\", \"refusal\": "
                         "\"I cannot\"}}]}"};
    const char *want[] = {"not JSON", "no choices[0].message.content", "no choices", "refused",
                          NULL};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(report_llm_structure_answer(bad[i], strlen(bad[i]), &s, why, sizeof why),
                     RA_ERR_FORMAT, "%s", bad[i]);
        cr_assert(strstr(why, want[i]) != NULL, "%s: %s", bad[i], why);
    }
}

/* ---- splitting answers ------------------------------------------------------------------- */

static int split(const char *content, size_t n, char **parts, char *why)
{
    char *answer = completion(content, NULL);
    int rc = report_llm_split_answer(answer, strlen(answer), n, 100, parts, why, 200);
    free(answer);
    return rc;
}

Test(report_llm, a_split_answer_gives_one_part_per_exam)
{
    char *parts[3] = {NULL};
    char why[200] = "";
    cr_assert_eq(split("{\"exams\": [{\"exam\": 2, \"text\": \" lumbar part \"},"
                       " {\"exam\": 1, \"text\": \"brain part\"}]}",
                       3, parts, why),
                 RA_OK, "%s", why);
    cr_assert_str_eq(parts[0], "brain part");
    cr_assert_str_eq(parts[1], "lumbar part");
    cr_assert_str_eq(parts[2], ""); /* not mentioned */
    for (int i = 0; i < 3; i++)
        free(parts[i]);
}

Test(report_llm, split_answers_off_the_schema_are_refused)
{
    const char *bad[] = {
        "{\"exams\": [{\"exam\": 1, \"text\": \"a\"}, {\"exam\": 1, \"text\": \"b\"}]}",
        "{\"exams\": [{\"exam\": 3, \"text\": \"a\"}]}",
        "{\"exams\": [{\"exam\": 0, \"text\": \"a\"}]}",
        "{\"exams\": [{\"exam\": \"1\", \"text\": \"a\"}]}",
        "{\"exams\": [{\"exam\": 1, \"text\": \"a\", \"note\": \"\"}]}",
        "{\"exams\": [{\"exam\": 1, \"text\": \"\"}, {\"exam\": 2, \"text\": \" \"}]}",
        "{\"exams\": [{\"exam\": 1, \"text\": \"a\"}, {\"exam\": 2, \"text\": \"b\"},"
        " {\"exam\": 1, \"text\": \"c\"}]}",
        "{\"parts\": []}",
    };
    const char *want[] = {
        "twice",           "out of range",     "out of range",      "not an integer",
        "does not define", "no exam any text", "more than 2 items", "does not define"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *parts[2] = {(char *)"u", (char *)"u"};
        char why[200] = "";
        cr_assert_eq(split(bad[i], 2, parts, why), RA_ERR_FORMAT, "accepted %s", bad[i]);
        cr_assert(strstr(why, want[i]) != NULL, "%s: %s", bad[i], why);
        cr_assert_str_eq(parts[0], "u");
    }
    char *parts[2] = {NULL};
    char why[200] = "";
    char longer[300];
    snprintf(longer, sizeof longer, "{\"exams\": [{\"exam\": 1, \"text\": \"%0101d\"}]}", 0);
    cr_assert_eq(split(longer, 2, parts, why), RA_ERR_FORMAT);
    cr_assert(strstr(why, "longer than 100") != NULL, "%s", why);
}

/* ---- the engines together ------------------------------------------------------------------ */

static void init_http(void)
{
    cr_assert_eq(httpc_global_init(), RA_OK);
}

Test(report_engine, without_an_engine_the_rules_engine_answers, .init = init_http)
{
    report_engine_input in = {.transcript = "findings colon no acute hemorrhage period",
                              .input_lang = "en",
                              .output_lang = "en"};
    report_engine_result r;
    cr_assert_eq(report_engine_structure(NULL, &in, NULL, &r), RA_OK);
    cr_assert_str_eq(r.structured_by, REPORT_ENGINE_RULES);
    cr_assert_null(r.error_code);
    cr_assert_str_eq(r.sections.text[REPORT_SEC_BULGULAR], "No acute hemorrhage.");
    cr_assert_eq(r.warnings.n, 0);
    report_engine_result_release(&r);
}

Test(report_engine, a_server_that_is_down_falls_back_to_the_rules_engine, .init = init_http)
{
    report_engine_input in = {.transcript = "findings colon no acute hemorrhage period",
                              .input_lang = "en",
                              .output_lang = "en",
                              .log_ref = "job x"};
    report_engine_result r;
    cr_assert_eq(report_engine_structure(&cfg, &in, NULL, &r), RA_OK);
    cr_assert_str_eq(r.structured_by, REPORT_ENGINE_RULES);
    cr_assert_str_eq(r.sections.text[REPORT_SEC_BULGULAR], "No acute hemorrhage.");
    report_engine_result_release(&r);
}

Test(report_engine, a_translation_never_comes_back_untranslated, .init = init_http)
{
    report_engine_input in = {
        .transcript = "bulgular iki nokta normal nokta", .input_lang = "tr", .output_lang = "en"};
    report_engine_result r;
    cr_assert_eq(report_engine_structure(&cfg, &in, NULL, &r), RA_OK);
    cr_assert_str_eq(r.error_code, "TRANSLATION_FAILED");
    cr_assert(report_sections_empty(&r.sections));
    report_engine_result_release(&r);
    cr_assert_eq(report_engine_structure(NULL, &in, NULL, &r), RA_OK);
    cr_assert_str_eq(r.error_code, "TRANSLATION_FAILED");
    cr_assert(strstr(r.error_message, "none is configured") != NULL);
    report_engine_result_release(&r);
}

Test(report_engine, a_dictation_the_rules_engine_cannot_read_fails_as_invalid, .init = init_http)
{
    report_engine_input in = {.transcript = "\xff", .input_lang = "en", .output_lang = "en"};
    report_engine_result r;
    cr_assert_eq(report_engine_structure(&cfg, &in, NULL, &r), RA_OK);
    cr_assert_str_eq(r.error_code, "INVALID_TRANSCRIPT");
    report_engine_result_release(&r);
}

Test(report_engine, splitting_falls_back_to_the_rules_engine, .init = init_http)
{
    report_exam_hint ex[] = {{"Brain CT", "CT", "brain", "ACC-1", NULL},
                             {"Lumbar MR", "MR", "lumbar_spine", "ACC-2", NULL}};
    char *parts[2] = {NULL};
    report_split_outcome outcomes[2];
    const char *by = NULL;
    cr_assert_eq(report_engine_split(&cfg,
                                     "brain ct findings normal period next exam lumbar "
                                     "mr findings normal period",
                                     "en", ex, 2, NULL, "job x", parts, outcomes, &by),
                 RA_OK);
    cr_assert_eq(outcomes[0], REPORT_SPLIT_PLACED);
    cr_assert_eq(outcomes[1], REPORT_SPLIT_PLACED);
    cr_assert_str_eq(by, REPORT_ENGINE_RULES);
    cr_assert(strstr(parts[0], "brain") != NULL, "%s", parts[0]);
    cr_assert(strstr(parts[1], "lumbar") != NULL, "%s", parts[1]);
    free(parts[0]);
    free(parts[1]);
}

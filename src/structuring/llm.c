/* llm.c - the `openai` structuring engine (see llm.h): prompts, the JSON
 * schemas of its answers, the request, and the validation of the answer
 * against the same schema.
 *
 * Why JSON (jansson) is used here, outside src/http and src/api, by a
 * narrow exception in scripts/lint.sh for this one file: the engine's JSON
 * is its wire protocol, and the schema it sends is the schema it validates
 * the answer against. Keeping the prompt, that schema and its validator in
 * one file reads as one idea; splitting them so that src/http held the
 * radiology schema (or src/structuring held a hand-written JSON writer) would
 * not. Nothing else in src/structuring touches JSON. */
#include "structuring/llm.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/sections.h"
#include "core/text.h"
#include "httpc/httpc.h"
#include "httpc/retry.h"
#include "httpc/url.h"

#define MAX_ANSWER_BYTES (4u * 1024u * 1024u)
#define PROMPT_MAX (64u * 1024u)

/* "Turkish" for "tr" (and "tr-TR", as lang_index reads a tag); the code
 * itself for anything else. */
static const char *language_name(const char *code)
{
    int i = lang_index(code);
    if (i >= 0)
        return lang_english_names[i];
    return code ? code : "the dictation's language";
}

int report_llm_configured(const report_llm_config *cfg)
{
    return cfg != NULL && cfg->url != NULL && cfg->url[0] != '\0';
}

int report_llm_check(const report_llm_config *cfg, char *err, size_t errlen)
{
    if (!report_llm_configured(cfg))
        return ra_fail(err, errlen, RA_ERR_INVALID, "No structuring server URL is given.");
    char why[256] = "";
    if (httpc_check_url(cfg->url, why, sizeof why) != RA_OK)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The structuring server URL: %s", why);
    if (cfg->model == NULL || cfg->model[0] == '\0')
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The structuring server needs a model name (--llm-model).");
    return RA_OK;
}

/* ---- schemas -------------------------------------------------------------------- */

/* {"type": "string"}, with a maxLength when limits is set. */
static json_t *string_schema(int limits, size_t max_chars)
{
    json_t *s = json_pack("{s:s}", "type", "string");
    if (s != NULL && limits)
        json_object_set_new(s, "maxLength", json_integer((json_int_t)max_chars));
    return s;
}

/* An object with exactly these members, all required. Steals props. */
static json_t *closed_object(json_t *props)
{
    json_t *required = json_array();
    const char *key;
    json_t *value;
    json_object_foreach(props, key, value) json_array_append_new(required, json_string(key));
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required",
                     required, "additionalProperties", 0);
}

/* The structuring answer's schema: one member per section
 * (report_section_member), in report_answer_order. limits: with the limits
 * we check but do not send (strict mode on several servers refuses them). */
static json_t *structure_schema(int limits)
{
    json_t *props = json_object();
    for (int i = 0; props != NULL && i < REPORT_SEC_COUNT; i++)
        json_object_set_new(props, report_section_member(report_answer_order[i]),
                            string_schema(limits, REPORT_LLM_SECTION_MAX_CHARS));
    return props ? closed_object(props) : NULL;
}

static json_t *split_schema(int limits, size_t n, size_t transcript_chars)
{
    json_t *exam = json_pack("{s:s}", "type", "integer");
    if (exam != NULL && limits) {
        json_object_set_new(exam, "minimum", json_integer(1));
        json_object_set_new(exam, "maximum", json_integer((json_int_t)n));
    }
    json_t *item = closed_object(
        json_pack("{s:o, s:o}", "exam", exam, "text", string_schema(limits, transcript_chars)));
    json_t *list = json_pack("{s:s, s:o}", "type", "array", "items", item);
    if (list != NULL && limits)
        json_object_set_new(list, "maxItems", json_integer((json_int_t)n));
    return closed_object(json_pack("{s:o}", "exams", list));
}

/* ---- validation ------------------------------------------------------------------ */

static int invalid(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int invalid(char *why, size_t whylen, const char *fmt, ...)
{
    if (why != NULL && whylen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return RA_ERR_FORMAT;
}

static int validate(const json_t *v, const json_t *schema, const char *path, char *why,
                    size_t whylen);

static int validate_object(const json_t *v, const json_t *schema, const char *path, char *why,
                           size_t whylen)
{
    if (!json_is_object(v))
        return invalid(why, whylen, "%s is not an object", path);
    const json_t *props = json_object_get(schema, "properties");
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)v, key, member)
    {
        const json_t *sub = json_object_get(props, key);
        if (sub == NULL) /* the member's name is not repeated: it comes from the model */
            return invalid(why, whylen, "%s has a member the schema does not define", path);
        char sub_path[160];
        snprintf(sub_path, sizeof sub_path, "%s.%s", path, key);
        int rc = validate(member, sub, sub_path, why, whylen);
        if (rc != RA_OK)
            return rc;
    }
    size_t i;
    json_t *name;
    json_array_foreach(json_object_get(schema, "required"), i,
                       name) if (json_object_get(v, json_string_value(name)) ==
                                 NULL) return invalid(why, whylen, "%s lacks the member %s", path,
                                                      json_string_value(name));
    return RA_OK;
}

static int validate_array(const json_t *v, const json_t *schema, const char *path, char *why,
                          size_t whylen)
{
    if (!json_is_array(v))
        return invalid(why, whylen, "%s is not an array", path);
    const json_t *max = json_object_get(schema, "maxItems");
    if (max != NULL && json_array_size(v) > (size_t)json_integer_value(max))
        return invalid(why, whylen, "%s has more than %lld items", path,
                       (long long)json_integer_value(max));
    size_t i;
    json_t *item;
    json_array_foreach((json_t *)v, i, item)
    {
        char sub_path[160];
        snprintf(sub_path, sizeof sub_path, "%s[%zu]", path, i);
        int rc = validate(item, json_object_get(schema, "items"), sub_path, why, whylen);
        if (rc != RA_OK)
            return rc;
    }
    return RA_OK;
}

/* Checks v against schema: the subset of JSON Schema our schemas use (type
 * object / array / string / integer, properties, required,
 * additionalProperties false, items, maxItems, maxLength in characters,
 * minimum, maximum). */
static int validate(const json_t *v, const json_t *schema, const char *path, char *why,
                    size_t whylen)
{
    const char *type = json_string_value(json_object_get(schema, "type"));
    if (type != NULL && strcmp(type, "object") == 0)
        return validate_object(v, schema, path, why, whylen);
    if (type != NULL && strcmp(type, "array") == 0)
        return validate_array(v, schema, path, why, whylen);
    if (type != NULL && strcmp(type, "string") == 0) {
        if (!json_is_string(v))
            return invalid(why, whylen, "%s is not a string", path);
        const char *s = json_string_value(v);
        if (strlen(s) != json_string_length(v))
            return invalid(why, whylen, "%s holds a NUL character", path);
        const json_t *max = json_object_get(schema, "maxLength");
        if (max != NULL && text_length(s) > (size_t)json_integer_value(max))
            return invalid(why, whylen, "%s is longer than %lld characters", path,
                           (long long)json_integer_value(max));
        return RA_OK;
    }
    if (type != NULL && strcmp(type, "integer") == 0) {
        if (!json_is_integer(v))
            return invalid(why, whylen, "%s is not an integer", path);
        const json_t *min = json_object_get(schema, "minimum");
        const json_t *max = json_object_get(schema, "maximum");
        json_int_t x = json_integer_value(v);
        if ((min != NULL && x < json_integer_value(min)) ||
            (max != NULL && x > json_integer_value(max)))
            return invalid(why, whylen, "%s is out of range", path);
        return RA_OK;
    }
    return invalid(why, whylen, "%s: the schema has no type", path);
}

/* ---- requests ---------------------------------------------------------------------- */

/* The request body: the model, a system prompt, the dictation as the
 * user's message, and the response format with schema (stolen). */
static char *request_body(const report_llm_config *cfg, const char *prompt, const char *transcript,
                          const char *schema_name, json_t *schema)
{
    json_t *body = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:{s:s, s:{s:s, s:b, s:o}}, s:i}",
                             "model", cfg->model ? cfg->model : "", "messages", "role", "system",
                             "content", prompt, "role", "user", "content", transcript,
                             "response_format", "type", "json_schema", "json_schema", "name",
                             schema_name, "strict", 1, "schema", schema, "temperature", 0);
    char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return s;
}

static char *structure_prompt(const report_llm_task *t)
{
    buf b;
    buf_init(&b, PROMPT_MAX);
    const char *in = language_name(t->input_lang), *out = language_name(t->output_lang);
    int translate = t->output_lang != NULL && t->input_lang != NULL &&
                    strncmp(t->input_lang, t->output_lang, 2) != 0;
    buf_printf(&b,
               "You turn a radiologist's dictation into the sections of a radiology report. "
               "The dictation is the user message, in %s; it may come from a speech "
               "recognizer, in lowercase words without punctuation.",
               in);
    if (t->exam_name != NULL || t->modality != NULL)
        buf_printf(&b, " The exam: %s%s%s%s.", t->exam_name ? t->exam_name : "",
                   t->exam_name && t->modality ? " (" : "", t->modality ? t->modality : "",
                   t->exam_name && t->modality ? ")" : "");
    buf_printf(&b, "\nRules:\n"
                   "- Put each statement in its section: clinical_information (indication, "
                   "history), technique, comparison (prior studies), findings, impression, "
                   "conclusion. Text dictated before any section heading is findings. Section "
                   "headings themselves are not part of any section's text.\n"
                   "- Apply spoken punctuation and layout commands (such as \"period\", "
                   "\"comma\", \"new line\", \"nokta\", \"virgül\", \"yeni satır\") instead of "
                   "writing them out; start sentences with a capital letter.\n"
                   "- Write numbers and units as radiologists write them: 5 mm, 12 x 8 mm, "
                   "2.5 cm, L4-L5, T2.\n"
                   "- Keep every finding, negation, measurement, number and side (right, left, "
                   "bilateral) exactly as dictated. Add nothing that was not dictated; leave out "
                   "nothing that was.\n");
    if (translate)
        buf_printf(&b, "- Translate faithfully from %s and write every section in %s.\n", in, out);
    else
        buf_printf(&b, "- Write every section in %s.\n", out);
    buf_printf(&b, "- A section that was not dictated is an empty string.\n"
                   "Answer with the JSON object only.");
    char *s = buf_detach(&b);
    buf_release(&b);
    return s;
}

char *report_llm_structure_request(const report_llm_config *cfg, const report_llm_task *task)
{
    char *prompt = structure_prompt(task);
    char *body = prompt ? request_body(cfg, prompt, task->transcript, "radiology_report",
                                       structure_schema(0))
                        : NULL;
    free(prompt);
    return body;
}

static char *split_prompt(const char *lang, const report_exam_hint *exams, size_t n)
{
    buf b;
    buf_init(&b, PROMPT_MAX);
    buf_printf(&b,
               "One radiologist's dictation, the user message (in %s), covers several exams, "
               "listed below by number. Cut it into one part per exam: a part is the text of "
               "the dictation about that exam, copied word for word (nothing added, removed, "
               "corrected or reordered; spoken commands stay as they were dictated). Words "
               "that only announce the next exam (\"next exam\", \"ikinci tetkik\") may be "
               "left out. Give every exam once, by its number; an exam the dictation does not "
               "mention gets an empty text.\nExams:\n",
               language_name(lang));
    for (size_t i = 0; i < n; i++) {
        const report_exam_hint *e = &exams[i];
        buf_printf(&b, "%zu. %s", i + 1, e->exam_name ? e->exam_name : "exam");
        const char *extra[] = {e->modality, e->body_part, e->accession};
        const char *label[] = {"modality ", "body part ", "accession number "};
        int open = 0;
        for (int k = 0; k < 3; k++)
            if (extra[k] != NULL && extra[k][0] != '\0') {
                buf_printf(&b, "%s%s%s", open ? ", " : " (", label[k], extra[k]);
                open = 1;
            }
        buf_printf(&b, "%s\n", open ? ")" : "");
    }
    buf_printf(&b, "Answer with the JSON object only.");
    char *s = buf_detach(&b);
    buf_release(&b);
    return s;
}

char *report_llm_split_request(const report_llm_config *cfg, const char *transcript,
                               const char *lang, const report_exam_hint *exams, size_t n)
{
    char *prompt = split_prompt(lang, exams, n);
    char *body =
        prompt ? request_body(cfg, prompt, transcript, "exam_parts", split_schema(0, n, 0)) : NULL;
    free(prompt);
    return body;
}

/* ---- answers ---------------------------------------------------------------------- */

/* The text between a ```json ... ``` fence, when content is fenced (some
 * servers fence even a schema-bound answer); else content itself. */
static void unfence(const char **s, size_t *n)
{
    const char *p = *s, *end = *s + *n;
    while (p < end && strchr(" \t\r\n", *p))
        p++;
    while (end > p && strchr(" \t\r\n", end[-1]))
        end--;
    if (end - p >= 6 && strncmp(p, "```", 3) == 0 && strncmp(end - 3, "```", 3) == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl != NULL && nl < end - 3) {
            p = nl + 1;
            end -= 3;
        }
    }
    *s = p;
    *n = (size_t)(end - p);
}

/* The first choice's message content of a chat completion, parsed as
 * JSON (*doc, caller decrefs). */
static int answer_document(const char *answer, size_t len, json_t **doc, char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *root = json_loadb(answer, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return invalid(why, whylen, "the server's answer is not JSON");
    json_t *choice = json_array_get(json_object_get(root, "choices"), 0);
    json_t *message = json_object_get(choice, "message");
    const char *finish = json_string_value(json_object_get(choice, "finish_reason"));
    const char *refusal = json_string_value(json_object_get(message, "refusal"));
    json_t *content = json_object_get(message, "content");
    int rc = RA_OK;
    if (finish != NULL && strcmp(finish, "length") == 0)
        rc = invalid(why, whylen, "the answer was cut off (finish_reason \"length\")");
    else if (refusal != NULL && refusal[0] != '\0')
        rc = invalid(why, whylen, "the model refused the request");
    else if (!json_is_string(content))
        rc = invalid(why, whylen, "the answer has no choices[0].message.content text");
    if (rc == RA_OK) {
        const char *s = json_string_value(content);
        size_t n = json_string_length(content);
        unfence(&s, &n);
        *doc = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
        if (*doc == NULL)
            rc = invalid(why, whylen, "the message content is not JSON (line %d: %s)", jerr.line,
                         jerr.text);
    }
    json_decref(root);
    return rc;
}

/* A trimmed copy of s; NULL for a text that trims to nothing (*nomem says
 * whether memory ran out). */
static char *trimmed(const char *s, int *nomem)
{
    while (*s && strchr(" \t\r\n", *s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (n == 0)
        return NULL;
    char *t = strndup(s, n);
    *nomem |= t == NULL;
    return t;
}

int report_llm_structure_answer(const char *answer, size_t len, report_sections *out, char *why,
                                size_t whylen)
{
    if (answer == NULL || out == NULL)
        return RA_ERR_INVALID;
    json_t *doc = NULL;
    int rc = answer_document(answer, len, &doc, why, whylen);
    json_t *schema = rc == RA_OK ? structure_schema(1) : NULL;
    if (rc == RA_OK && schema == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = validate(doc, schema, "the answer", why, whylen);
    report_sections sec = {{NULL}};
    int nomem = 0;
    for (int i = 0; rc == RA_OK && i < REPORT_SEC_COUNT; i++)
        sec.text[i] =
            trimmed(json_string_value(json_object_get(doc, report_section_member(i))), &nomem);
    if (rc == RA_OK && nomem)
        rc = RA_ERR_NOMEM;
    else if (rc == RA_OK && report_sections_empty(&sec))
        rc = invalid(why, whylen, "the answer has no report text in any section");
    if (rc == RA_OK)
        *out = sec;
    else
        report_sections_release(&sec);
    json_decref(schema);
    json_decref(doc);
    return rc;
}

/* The parts of a validated splitting answer; every exam number once. */
static int split_parts(const json_t *doc, size_t n, char **parts, char *why, size_t whylen)
{
    size_t i;
    json_t *item;
    int rc = RA_OK, any = 0, nomem = 0;
    json_array_foreach(json_object_get(doc, "exams"), i, item)
    {
        size_t k = (size_t)json_integer_value(json_object_get(item, "exam")) - 1;
        if (parts[k] != NULL) {
            rc = invalid(why, whylen, "the answer names exam %zu twice", k + 1);
            break;
        }
        parts[k] = trimmed(json_string_value(json_object_get(item, "text")), &nomem);
        if (parts[k] == NULL && !nomem)
            parts[k] = strdup("");
        nomem |= parts[k] == NULL;
        any |= parts[k] != NULL && parts[k][0] != '\0';
    }
    for (size_t k = 0; rc == RA_OK && !nomem && k < n; k++)
        if (parts[k] == NULL)
            nomem |= (parts[k] = strdup("")) == NULL;
    if (rc == RA_OK && nomem)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK && !any)
        rc = invalid(why, whylen, "the answer gives no exam any text");
    return rc;
}

int report_llm_split_answer(const char *answer, size_t len, size_t n, size_t transcript_chars,
                            char **parts, char *why, size_t whylen)
{
    if (answer == NULL || parts == NULL || n == 0 || n > REPORT_SPLIT_MAX_EXAMS)
        return RA_ERR_INVALID;
    json_t *doc = NULL;
    int rc = answer_document(answer, len, &doc, why, whylen);
    json_t *schema = rc == RA_OK ? split_schema(1, n, transcript_chars) : NULL;
    if (rc == RA_OK && schema == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = validate(doc, schema, "the answer", why, whylen);
    char *got[REPORT_SPLIT_MAX_EXAMS] = {NULL};
    if (rc == RA_OK)
        rc = split_parts(doc, n, got, why, whylen);
    for (size_t k = 0; k < n; k++) {
        if (rc == RA_OK)
            parts[k] = got[k];
        else
            free(got[k]);
    }
    json_decref(schema);
    json_decref(doc);
    return rc;
}

/* ---- the exchange ------------------------------------------------------------------ */

/* POSTs body to the chat completions endpoint; *resp holds the answer on
 * RA_OK (release it in every case). */
static int chat(const report_llm_config *cfg, const char *body, const atomic_int *cancel,
                httpc_response *resp, char *why, size_t whylen)
{
    char url[HTTPC_MAX_URL_LEN + 32];
    size_t n = strlen(cfg->url);
    while (n > 0 && cfg->url[n - 1] == '/')
        n--;
    int has_v1 = n >= 3 && strncmp(cfg->url + n - 3, "/v1", 3) == 0;
    snprintf(url, sizeof url, "%.*s%s", (int)n, cfg->url,
             has_v1 ? "/chat/completions" : "/v1/chat/completions");
    httpc_request req = {
        .url = url,
        .what = "structuring server",
        .bearer = cfg->key,
        .headers = httpc_accept_json,
        .json = body,
        .json_len = strlen(body),
        .timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : REPORT_LLM_DEFAULT_TIMEOUT_S * 1000L,
        .max_response = MAX_ANSWER_BYTES,
        .cancel = cancel,
    };
    httpc_retry_policy policy = {
        .max_attempts = cfg->attempts > 0 ? cfg->attempts : REPORT_LLM_DEFAULT_ATTEMPTS,
    };
    int rc = httpc_post_retry(&req, &policy, resp, why, whylen);
    if (rc == RA_ERR_REFUSED || rc == RA_ERR_TOO_LARGE)
        rc = RA_ERR_UNAVAILABLE; /* an HTTP error, or an answer too long to be ours */
    return rc;
}

static int check_args(const report_llm_config *cfg, const char *transcript)
{
    if (!report_llm_configured(cfg) || transcript == NULL)
        return RA_ERR_INVALID;
    size_t n = strlen(transcript);
    if (n > REPORT_MAX_TRANSCRIPT_BYTES)
        return RA_ERR_TOO_LARGE;
    return text_is_utf8(transcript, n) ? RA_OK : RA_ERR_INVALID;
}

int report_llm_structure(const report_llm_config *cfg, const report_llm_task *task,
                         const atomic_int *cancel, report_sections *out, char *why, size_t whylen)
{
    int rc = task != NULL && out != NULL ? check_args(cfg, task->transcript) : RA_ERR_INVALID;
    if (rc != RA_OK)
        return rc;
    char *body = report_llm_structure_request(cfg, task);
    if (body == NULL)
        return RA_ERR_NOMEM;
    httpc_response resp = {0};
    rc = chat(cfg, body, cancel, &resp, why, whylen);
    free(body);
    if (rc == RA_OK)
        rc = report_llm_structure_answer(resp.body, resp.body_len, out, why, whylen);
    httpc_response_release(&resp);
    return rc;
}

int report_llm_split(const report_llm_config *cfg, const char *transcript, const char *lang,
                     const report_exam_hint *exams, size_t n, const atomic_int *cancel,
                     char **parts, char *why, size_t whylen)
{
    int rc = check_args(cfg, transcript);
    if (rc == RA_OK && (exams == NULL || parts == NULL || n == 0 || n > REPORT_SPLIT_MAX_EXAMS))
        rc = RA_ERR_INVALID;
    if (rc != RA_OK)
        return rc;
    char *body = report_llm_split_request(cfg, transcript, lang, exams, n);
    if (body == NULL)
        return RA_ERR_NOMEM;
    httpc_response resp = {0};
    rc = chat(cfg, body, cancel, &resp, why, whylen);
    free(body);
    if (rc == RA_OK)
        rc = report_llm_split_answer(resp.body, resp.body_len, n, text_length(transcript), parts,
                                     why, whylen);
    httpc_response_release(&resp);
    return rc;
}

/* test_vocabulary.c - unit tests of the web app's vocabulary script
 * (src/api/vocabulary.c): the languages, the section keys in reading order
 * and every heading, taken from core's tables. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/tempdir.h"
#include "api/api.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/sections.h"

/* The JSON value of "export const NAME = ...;" in script (caller decrefs). */
static json_t *exported(const char *script, const char *name)
{
    char lead[64];
    snprintf(lead, sizeof lead, "export const %s = ", name);
    const char *at = strstr(script, lead);
    cr_assert_not_null(at, "%s is not exported", name);
    at += strlen(lead);
    const char *end = strstr(at, ";\n");
    cr_assert_not_null(end);
    json_error_t e;
    json_t *v = json_loadb(at, (size_t)(end - at), 0, &e);
    cr_assert_not_null(v, "%s: %s", name, e.text);
    return v;
}

static int has_string(const json_t *list, const char *s)
{
    for (size_t i = 0; i < json_array_size(list); i++)
        if (strcmp(json_string_value(json_array_get(list, i)), s) == 0)
            return 1;
    return 0;
}

Test(vocabulary, languages_keys_and_headings_come_from_core)
{
    char *script = NULL;
    size_t n = 0;
    cr_assert_eq(api_vocabulary_script(&script, &n), RA_OK);
    cr_assert_eq(strlen(script), n);

    json_t *langs = exported(script, "LANGUAGES");
    cr_assert_eq(json_array_size(langs), LANG_COUNT);
    for (int i = 0; i < LANG_COUNT; i++)
        cr_assert_str_eq(json_string_value(json_array_get(langs, i)), lang_codes[i]);

    json_t *keys = exported(script, "SECTION_KEYS");
    const char *reading[] = {"clinical", "technique",  "comparison",
                             "findings", "conclusion", "impression"};
    cr_assert_eq(json_array_size(keys), REPORT_SEC_COUNT);
    for (size_t i = 0; i < REPORT_SEC_COUNT; i++)
        cr_assert_str_eq(json_string_value(json_array_get(keys, i)), reading[i]);

    json_t *headings = exported(script, "SECTION_HEADINGS");
    cr_assert_eq(json_object_size(headings), REPORT_SEC_COUNT);
    /* what the browser read before (Turkish, English, their ASCII spellings) */
    const struct {
        const char *key, *heading;
    } known[] = {
        {"clinical", "KLİNİK BİLGİ"},
        {"clinical", "KLINIK BILGI"},
        {"clinical", "KLİNİK"},
        {"clinical", "CLINICAL INFORMATION"},
        {"clinical", "CLINICAL HISTORY"},
        {"technique", "TEKNİK"},
        {"technique", "TEKNIK"},
        {"technique", "TECHNIQUE"},
        {"comparison", "KARŞILAŞTIRMA"},
        {"comparison", "KARSILASTIRMA"},
        {"comparison", "COMPARISON"},
        {"findings", "BULGULAR"},
        {"findings", "FINDINGS"},
        {"conclusion", "SONUÇ"},
        {"conclusion", "SONUC"},
        {"conclusion", "CONCLUSION"},
        {"impression", "İZLENİM"},
        {"impression", "IZLENIM"},
        {"impression", "IMPRESSION"},
        /* and every other language's, as the server writes them */
        {"findings", "ОПИСАНИЕ"},
        {"conclusion", "BEURTEILUNG"},
        {"clinical", "KLİNİKİ MƏLUMAT"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        cr_assert(has_string(json_object_get(headings, known[i].key), known[i].heading), "%s: %s",
                  known[i].key, known[i].heading);
    /* each heading once: CONCLUSION is English and French */
    json_t *conclusion = json_object_get(headings, "conclusion");
    size_t times = 0;
    for (size_t i = 0; i < json_array_size(conclusion); i++)
        times += strcmp(json_string_value(json_array_get(conclusion, i)), "CONCLUSION") == 0;
    cr_assert_eq(times, 1);

    json_decref(langs);
    json_decref(keys);
    json_decref(headings);
    free(script);
}

Test(vocabulary, added_to_the_pages_once_and_refused_a_second_time)
{
    char dir[TEMPDIR_LEN];
    tempdir_make(dir, "vocab");
    http_static *pages = NULL;
    char err[256] = "";
    cr_assert_eq(http_static_load(dir, &pages, err, sizeof err), RA_OK, "%s", err);
    cr_assert_eq(api_add_generated_assets(pages, err, sizeof err), RA_OK, "%s", err);
    cr_assert(http_static_has(pages, API_VOCABULARY_PATH));
    cr_assert_eq(api_add_generated_assets(pages, err, sizeof err), RA_ERR_INVALID,
                 "a web folder holding vocabulary.js is refused");
    cr_assert_not_null(strstr(err, "vocabulary.js"), "%s", err);
    cr_assert_eq(http_static_count(pages), 1);
    http_static_free(pages);
    rmdir(dir);
}

/* vocabulary.c - the web app's vocabulary script, /assets/vocabulary.js,
 * made at start-up from core's tables: the languages (core/lang.h) and the
 * report's sections in reading order with every heading a report's text is
 * read by (core/sections.h). The browser imports it instead of keeping its
 * own copies, so a language, a section or a heading is added in one place. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/lang.h"
#include "core/sections.h"

#define SCRIPT_MAX (64u * 1024u)

/* Appends s to the array unless it is there already. */
static int add_unique(json_t *list, const char *s, size_t n)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *have = json_string_value(json_array_get(list, i));
        if (strlen(have) == n && memcmp(have, s, n) == 0)
            return 0;
    }
    return json_array_append_new(list, json_stringn(s, n));
}

/* The headings of section sec: its title in every language, then its other
 * spellings, each once. */
static json_t *headings_of(report_section sec)
{
    json_t *list = json_array();
    int bad = list == NULL;
    for (int i = 0; !bad && i < LANG_COUNT; i++) {
        const char *t = report_section_title(sec, lang_codes[i]);
        bad = add_unique(list, t, strlen(t)) != 0;
    }
    for (const char *p = report_section_other_headings((int)sec); !bad && *p != '\0';) {
        size_t n = strcspn(p, "|");
        bad = n > 0 && add_unique(list, p, n) != 0;
        p += n + (p[n] == '|');
    }
    if (bad) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* One line "export const NAME = JSON;" into b; steals value. */
static int export_const(buf *b, const char *name, json_t *value)
{
    char *json = value != NULL ? json_dumps(value, JSON_COMPACT) : NULL;
    json_decref(value);
    int rc = json == NULL ? RA_ERR_NOMEM : buf_printf(b, "export const %s = %s;\n", name, json);
    free(json);
    return rc;
}

int api_vocabulary_script(char **out, size_t *n)
{
    json_t *langs = json_array(), *keys = json_array(), *headings = json_object();
    int bad = langs == NULL || keys == NULL || headings == NULL;
    for (int i = 0; !bad && i < LANG_COUNT; i++)
        bad = json_array_append_new(langs, json_string(lang_codes[i])) != 0;
    for (int i = 0; !bad && i < REPORT_SEC_COUNT; i++) {
        report_section sec = report_reading_order[i];
        const char *key = report_section_key((int)sec);
        bad = json_array_append_new(keys, json_string(key)) != 0 ||
              json_object_set_new(headings, key, headings_of(sec)) != 0;
    }
    buf b;
    buf_init(&b, SCRIPT_MAX);
    int rc = bad ? RA_ERR_NOMEM
                 : buf_printf(&b, "/* vocabulary.js - made by the server from its tables "
                                  "(core/lang.h, core/sections.h). */\n");
    /* export_const steals each value, also once rc has failed */
    int r1 = export_const(&b, "LANGUAGES", langs);
    int r2 = export_const(&b, "SECTION_KEYS", keys);
    int r3 = export_const(&b, "SECTION_HEADINGS", headings);
    if (rc == RA_OK)
        rc = r1 != RA_OK ? r1 : r2 != RA_OK ? r2 : r3;
    if (rc == RA_OK) {
        *n = b.len;
        *out = buf_detach(&b);
        rc = *out != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    buf_release(&b);
    return rc;
}

int api_add_generated_assets(http_static *pages, char *err, size_t errlen)
{
    char *script = NULL;
    size_t n = 0;
    int rc = api_vocabulary_script(&script, &n);
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "the vocabulary script cannot be made");
    rc = http_static_add(pages, API_VOCABULARY_PATH, script, n, err, errlen);
    free(script);
    return rc;
}

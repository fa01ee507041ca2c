/* templates.c - GET /api/external/v1/templates: the template list.
 *
 * Lists the built-in library (organizations' own templates join it in a
 * later step) with names made unique across the list, sanitized and free of
 * extensions, and the SUT codes each template serves: the catalog entries of
 * the same modality and body part. */
#include <stdlib.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/sections.h"

static void add_code(const char *code, void *ctx)
{
    json_array_append_new(ctx, json_string(code));
}

static json_t *placeholder_list(unsigned bits)
{
    json_t *list = json_array();
    for (int sec = 0; sec < REPORT_SEC_COUNT; sec++)
        if (bits & TMPL_PH(sec))
            json_array_append_new(list, json_string(report_section_placeholder(sec)));
    return list;
}

static json_t *template_entry(api_app *app, const tmpl *t, const char *name, int *rc)
{
    json_t *codes = json_array();
    *rc = store_sut_codes_for(app->store, t->modality, t->body_part, add_code, codes);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}", "id", t->id, "name", name,
                     "modality", t->modality, "bodyPart", t->body_part, "language", t->language,
                     "format", t->format, "sutCodes", codes, "placeholders",
                     placeholder_list(t->placeholders), "source", "library");
}

/* The names of the n templates, unique within the list; NULL on no memory. */
static char **unique_names(const tmpl_library *lib, size_t n)
{
    char **names = calloc(n ? n : 1, sizeof *names);
    if (names == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        names[i] = tmpl_normalize_name(tmpl_library_at(lib, i)->name);
    if (tmpl_unique_names(names, n) == RA_OK)
        return names;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return NULL;
}

void api_external_templates(http_request *req, api_app *app, const api_caller *caller)
{
    size_t n = tmpl_library_count(app->templates);
    char **names = unique_names(app->templates, n);
    if (names == NULL) {
        api_external_error(req, caller, API_INTERNAL, NULL, NULL);
        return;
    }
    json_t *list = json_array();
    int rc = RA_OK;
    for (size_t i = 0; i < n && rc == RA_OK; i++)
        json_array_append_new(
            list, template_entry(app, tmpl_library_at(app->templates, i), names[i], &rc));
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != RA_OK) {
        log_error("api: template list failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        json_decref(list);
        api_external_error(req, caller, API_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_external_reply(req, 200, caller,
                       json_pack("{s:o, s:I}", "templates", list, "count", (json_int_t)n));
}

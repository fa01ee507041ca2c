/* web_templates.c - the web app's templates: the built-in library
 * (read-only, ids "lib:ID") and each user's own templates (UUIDs, seen and
 * changed by their owner alone), the checks every own template passes, and
 * the import of IHE MRRT templates as own ones (see docs/web-api.md).
 *
 * A template must hold at least one of the guide's placeholders and no
 * other "{{NAME}}": a misspelt {{BULGULAR }} would otherwise stay in every
 * report unfilled. An HTML or RTF template must hold formatting only
 * (templates/sanitize.h): one the sanitiser would change is refused,
 * naming what it would remove, so the radiologist knows what their
 * reports will look like (fill sanitises again, for templates saved
 * before). A refused template changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/sections.h"
#include "core/text.h"
#include "templates/mrrt.h"
#include "templates/sanitize.h"

#define LIB_PREFIX "lib:"
#define TEMPLATE_MAX_BYTES (512 * 1024)
#define PLACEHOLDER_MAX 64 /* bytes between the braces looked at */

/* ---- the placeholder check ------------------------------------------------------ */

/* The bit of the guide's placeholder named by the n bytes at name, or 0. */
static unsigned known_placeholder(const char *name, size_t n)
{
    int sec = -1;
    return report_section_from_placeholder(name, n, &sec) == RA_OK ? TMPL_PH(sec) : 0;
}

/* If a placeholder-like "{{NAME}}" (or RTF's "\{\{NAME\}\}") starts at p:
 * its name's start and length, and the bytes the whole token spans.
 * NAME is 1 to PLACEHOLDER_MAX bytes without braces, backslashes or line
 * breaks, so RTF's nested groups ("{{\field ...") are not taken for one. */
static int placeholder_at(const char *p, const char **name, size_t *n, size_t *span)
{
    int escaped = strncmp(p, "\\{\\{", 4) == 0;
    if (!escaped && strncmp(p, "{{", 2) != 0)
        return 0;
    const char *start = p + (escaped ? 4 : 2);
    const char *close = escaped ? "\\}\\}" : "}}";
    for (size_t i = 0; i <= PLACEHOLDER_MAX && start[i] != '\0'; i++) {
        if (strncmp(start + i, close, strlen(close)) == 0) {
            *name = start;
            *n = i;
            *span = (size_t)(start - p) + i + strlen(close);
            return i > 0;
        }
        if (strchr("{}\\\r\n", start[i]) != NULL)
            return 0;
    }
    return 0;
}

int api_template_check_placeholders(const char *content, char *why, size_t whylen)
{
    unsigned found = 0;
    for (const char *p = content; *p != '\0';) {
        const char *name;
        size_t n, span;
        if (!placeholder_at(p, &name, &n, &span)) {
            p++;
            continue;
        }
        unsigned bit = known_placeholder(name, n);
        if (bit == 0)
            return ra_fail(why, whylen, RA_ERR_INVALID,
                           "The template holds {{%.*s}}, which is not a placeholder; use "
                           "{{BULGULAR}}, {{SONUC}}, {{IZLENIM}}, {{TEKNIK}}, {{KLINIK}} or "
                           "{{KARSILASTIRMA}}.",
                           (int)(n > 40 ? 40 : n), name);
        found |= bit;
        p += span;
    }
    if (found == 0)
        return ra_fail(why, whylen, RA_ERR_INVALID,
                       "The template needs at least one placeholder, such as {{BULGULAR}} or "
                       "{{SONUC}}.");
    return RA_OK;
}

/* ---- finding a template ------------------------------------------------------------ */

int api_web_template_find(api_app *app, const web_session *ws, const char *id, const tmpl **lib,
                          store_template *own)
{
    *lib = NULL;
    if (strncmp(id, LIB_PREFIX, strlen(LIB_PREFIX)) == 0) {
        *lib = tmpl_library_find(app->templates, id + strlen(LIB_PREFIX));
        return *lib ? RA_OK : RA_ERR_NOT_FOUND;
    }
    if (!ids_is_uuid(id))
        return RA_ERR_NOT_FOUND;
    return store_template_get(app->store, id, ws->org.id, ws->user.id, own);
}

/* ---- JSON ------------------------------------------------------------------------------ */

static json_t *library_json(const tmpl *t, int with_content)
{
    char id[160];
    snprintf(id, sizeof id, LIB_PREFIX "%s", t->id);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "name", t->name,
                          "language", t->language, "format", t->format, "modality", t->modality,
                          "bodyPart", t->body_part, "owner", "library");
    if (with_content)
        json_object_set_new(o, "content", json_string(t->content));
    return o;
}

static json_t *own_json(const store_template *t)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", t->id, "name",
                          t->name, "language", t->language, "format", t->format, "modality",
                          t->modality, "bodyPart", t->body_part, "owner", "own", "createdAt",
                          t->created_at, "updatedAt", t->updated_at);
    if (t->content)
        json_object_set_new(o, "content", json_string(t->content));
    return o;
}

static void add_own(const store_template *t, void *ctx)
{
    json_array_append_new(ctx, own_json(t));
}

/* ---- handlers ---------------------------------------------------------------------------- */

static void templates_list(http_request *req, api_app *app, const web_session *ws)
{
    json_t *items = json_array();
    for (size_t i = 0; i < tmpl_library_count(app->templates); i++)
        json_array_append_new(items, library_json(tmpl_library_at(app->templates, i), 0));
    int rc = store_template_each(app->store, ws->org.id, ws->user.id, add_own, items);
    api_reply_items(req, items, rc, "listing templates");
}

/* The id of /api/v1/templates/{id}; NULL after replying 404. */
static const char *template_id(http_request *req, char *id, size_t idlen)
{
    if (api_path_segment(req, 3, id, idlen) == RA_OK)
        return id;
    api_reply_error(req, API_NOT_FOUND, "No template with this id.", NULL, NULL);
    return NULL;
}

static void reply_store_failure(http_request *req, int rc, const char *what)
{
    if (rc == RA_ERR_NOT_FOUND) {
        api_reply_error(req, API_NOT_FOUND, "No template with this id.", NULL, NULL);
        return;
    }
    log_error("web: %s failed: %s (request %s)", what, ra_strerror(rc), http_request_id(req));
    api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
}

/* Replies to a failed creation: the user's cap of own templates, or as
 * reply_store_failure. */
static void reply_create_failure(http_request *req, const api_app *app, int rc, const char *what)
{
    if (rc != RA_ERR_REFUSED) {
        reply_store_failure(req, rc, what);
        return;
    }
    char msg[200];
    snprintf(msg, sizeof msg, "You have %d own templates, the most allowed; delete one first.",
             app->limits.templates_per_user);
    api_reply_error(req, API_LIMIT_REACHED, msg, NULL, NULL);
}

static void template_get(http_request *req, api_app *app, const web_session *ws)
{
    char id[160];
    if (template_id(req, id, sizeof id) == NULL)
        return;
    const tmpl *lib;
    store_template own = {.content = NULL};
    int rc = api_web_template_find(app, ws, id, &lib, &own);
    if (rc != RA_OK) {
        reply_store_failure(req, rc, "template read");
        return;
    }
    http_reply_json(req, 200, lib ? library_json(lib, 1) : own_json(&own));
    store_template_release(&own);
}

/* ---- validation ---------------------------------------------------------------------------- */

typedef struct template_fault {
    const char *field;
    char message[512];
} template_fault;

static int is_format(const char *f)
{
    return f && (strcmp(f, "txt") == 0 || strcmp(f, "rtf") == 0 || strcmp(f, "html") == 0);
}

/* Refuses a template the sanitiser would change, naming what it would
 * remove; RA_ERR_NOMEM when it could not tell. */
static int check_formatting_only(const char *content, const char *format, template_fault *f)
{
    char removed[400], *clean = NULL;
    int rc = tmpl_sanitize(content, format, &clean, removed, sizeof removed);
    free(clean);
    if (rc == RA_ERR_NOMEM)
        return rc;
    if (rc != RA_OK)
        return ra_fail(f->message, sizeof f->message, RA_ERR_INVALID,
                       "The content must be UTF-8 text of at most %d KiB.",
                       TEMPLATE_MAX_BYTES / 1024);
    if (removed[0] != '\0')
        return ra_fail(f->message, sizeof f->message, RA_ERR_INVALID,
                       "A template may hold formatting only, and this one holds more: %s.",
                       removed);
    return RA_OK;
}

static int check_content(const char *content, const char *format, template_fault *f)
{
    f->field = "content";
    if (content == NULL || strspn(content, " \t\r\n") == strlen(content))
        return ra_fail(f->message, sizeof f->message, RA_ERR_INVALID,
                       "Give the template's content.");
    if (strlen(content) > TEMPLATE_MAX_BYTES || !text_is_utf8(content, strlen(content)))
        return ra_fail(f->message, sizeof f->message, RA_ERR_INVALID,
                       "The content must be UTF-8 text of at most %d KiB.",
                       TEMPLATE_MAX_BYTES / 1024);
    if (strcmp(format, "rtf") == 0 && strncmp(content, "{\\rtf", 5) != 0)
        return ra_fail(f->message, sizeof f->message, RA_ERR_INVALID,
                       "An RTF template must start with {\\rtf.");
    int rc = check_formatting_only(content, format, f);
    if (rc != RA_OK)
        return rc;
    return api_template_check_placeholders(content, f->message, sizeof f->message);
}

/* Replies to a template refused by read_template: 400 INVALID_TEMPLATE
 * with *f, or 503 when memory ran out while checking it. */
static void reply_fault(http_request *req, int rc, const template_fault *f)
{
    if (rc == RA_ERR_NOMEM) {
        log_error("web: template check failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
        return;
    }
    api_reply_error(req, API_INVALID_TEMPLATE, f->message, f->field, NULL);
}

/* Reads and checks the body into *in; RA_ERR_INVALID with *f filled
 * (RA_ERR_NOMEM when it could not be checked). */
static int read_template(const json_t *body, store_template_input *in, template_fault *f)
{
    int bad = 0;
    in->name = api_json_string(body, "name", &bad);
    in->format = api_json_string(body, "format", &bad);
    in->content = api_json_string(body, "content", &bad);
    in->modality = api_json_string(body, "modality", &bad);
    in->body_part = api_json_string(body, "bodyPart", &bad);
    in->language = api_json_string(body, "language", &bad);
    if (in->language == NULL)
        in->language = "tr";
    f->field = NULL;
    if (bad)
        return ra_fail(f->message, sizeof f->message, RA_ERR_INVALID,
                       "name, format, content, modality, bodyPart and language are strings.");
    if (in->name == NULL || text_check_name(in->name, STORE_TEMPLATE_NAME_MAX) != RA_OK)
        f->field = "name";
    else if (!is_format(in->format))
        f->field = "format";
    else if (in->modality && api_check_line(in->modality, 16) != RA_OK)
        f->field = "modality";
    else if (in->body_part && api_check_line(in->body_part, STORE_SHORT_MAX) != RA_OK)
        f->field = "bodyPart";
    else if (!api_lang_known(in->language))
        f->field = "language";
    if (f->field != NULL) {
        static const struct {
            const char *field, *message;
        } messages[] = {
            {"name", "Give the template a name of at most 100 characters."},
            {"format", "format is txt, rtf or html."},
            {"modality", "modality is at most 16 characters on one line."},
            {"bodyPart", "bodyPart is at most 64 characters on one line."},
            {"language", "language is one of tr, en, ru, az, fr, de."},
        };
        for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
            if (strcmp(messages[i].field, f->field) == 0)
                snprintf(f->message, sizeof f->message, "%s", messages[i].message);
        return RA_ERR_INVALID;
    }
    return check_content(in->content, in->format, f);
}

/* Reads the body of POST or PUT; NULL after replying (the caller then
 * returns). *in points into the returned object (caller decrefs). */
static json_t *template_body(http_request *req, store_template_input *in)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return NULL;
    template_fault f;
    int rc = read_template(body, in, &f);
    if (rc != RA_OK) {
        reply_fault(req, rc, &f);
        json_decref(body);
        return NULL;
    }
    return body;
}

/* ---- changes --------------------------------------------------------------------------------- */

static void template_create(http_request *req, api_app *app, const web_session *ws)
{
    store_template_input in;
    json_t *body = template_body(req, &in);
    if (body == NULL)
        return;
    store_template t = {.content = NULL};
    int rc = store_template_create(app->store, ws->org.id, ws->user.id, &in, &t);
    json_decref(body);
    if (rc != RA_OK) {
        reply_create_failure(req, app, rc, "template creation");
        return;
    }
    char location[128];
    snprintf(location, sizeof location, "/api/v1/templates/%s", t.id);
    http_add_header(req, "Location", location);
    http_reply_json(req, 201, own_json(&t));
    store_template_release(&t);
}

/* Replies 403 and returns 1 for a library id: the library is read-only. */
static int refuse_library(http_request *req, const char *id)
{
    if (strncmp(id, LIB_PREFIX, strlen(LIB_PREFIX)) != 0)
        return 0;
    api_reply_error(req, API_FORBIDDEN,
                    "Library templates are read-only; save a copy as your own to change it.", NULL,
                    NULL);
    return 1;
}

static void template_update(http_request *req, api_app *app, const web_session *ws)
{
    char id[160];
    if (template_id(req, id, sizeof id) == NULL || refuse_library(req, id))
        return;
    if (!ids_is_uuid(id)) {
        reply_store_failure(req, RA_ERR_NOT_FOUND, "template update");
        return;
    }
    store_template_input in;
    json_t *body = template_body(req, &in);
    if (body == NULL)
        return;
    store_template t = {.content = NULL};
    int rc = store_template_update(app->store, id, ws->org.id, ws->user.id, &in, &t);
    json_decref(body);
    if (rc != RA_OK) {
        reply_store_failure(req, rc, "template update");
        return;
    }
    http_reply_json(req, 200, own_json(&t));
    store_template_release(&t);
}

static void template_delete(http_request *req, api_app *app, const web_session *ws)
{
    char id[160];
    if (template_id(req, id, sizeof id) == NULL || refuse_library(req, id))
        return;
    int rc = ids_is_uuid(id) ? store_template_delete(app->store, id, ws->org.id, ws->user.id)
                             : RA_ERR_NOT_FOUND;
    if (rc != RA_OK) {
        reply_store_failure(req, rc, "template deletion");
        return;
    }
    http_reply(req, 204, "text/plain", "", 0);
}

/* ---- IHE MRRT import (POST /api/v1/templates/import-mrrt) ---------------------------------- */

/* The form's optional field name, else the converted value. */
static const char *form_or(http_request *req, const char *name, const char *converted)
{
    const char *v = http_form(req, name);
    return v != NULL && *v != '\0' ? v : converted;
}

/* Converts the uploaded MRRT template (templates/mrrt.h) and saves it as the
 * user's own HTML template; the form's name, language, modality and
 * bodyPart, when given, replace the converted title and guesses. The same
 * checks as POST /api/v1/templates apply; a refusal saves nothing. */
static void template_import_mrrt(http_request *req, api_app *app, const web_session *ws)
{
    const http_upload *up = http_form_file(req, "file");
    template_fault f = {.field = "file"};
    mrrt_template t = {0};
    int rc = RA_ERR_INVALID;
    if (http_form_malformed(req) || up == NULL)
        snprintf(f.message, sizeof f.message, "Send the MRRT template as the file field.");
    else if (up->too_large || up->size > MRRT_MAX_BYTES)
        snprintf(f.message, sizeof f.message, "The MRRT template is larger than %u MiB.",
                 MRRT_MAX_BYTES / (1024 * 1024));
    else
        rc = mrrt_convert_file(up->path, &t, f.message, sizeof f.message);
    if (rc == RA_ERR_NOMEM || rc == RA_ERR_IO) {
        log_error("web: MRRT import failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
        return;
    }
    if (rc != RA_OK) {
        if (f.message[0] >= 'a' && f.message[0] <= 'z') /* a sentence for the page */
            f.message[0] = (char)(f.message[0] - 'a' + 'A');
        api_reply_error(req, API_INVALID_TEMPLATE, f.message, f.field, NULL);
        return;
    }
    store_template_input in = {.name = form_or(req, "name", t.name),
                               .language = form_or(req, "language", t.language),
                               .format = "html",
                               .modality = form_or(req, "modality", t.modality),
                               .body_part = form_or(req, "bodyPart", t.body_part),
                               .content = t.content};
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", in.name, "language",
                             in.language, "format", in.format, "modality", in.modality, "bodyPart",
                             in.body_part, "content", in.content);
    mrrt_template_release(&t);
    store_template_input checked;
    rc = read_template(body, &checked, &f);
    if (rc != RA_OK) {
        reply_fault(req, rc, &f);
        json_decref(body);
        return;
    }
    store_template saved = {.content = NULL};
    rc = store_template_create(app->store, ws->org.id, ws->user.id, &checked, &saved);
    json_decref(body);
    if (rc != RA_OK) {
        reply_create_failure(req, app, rc, "MRRT template import");
        return;
    }
    char location[128];
    snprintf(location, sizeof location, "/api/v1/templates/%s", saved.id);
    http_add_header(req, "Location", location);
    http_reply_json(req, 201, own_json(&saved));
    store_template_release(&saved);
}

static const web_route routes[] = {
    {"GET", "/api/v1/templates", WEB_REPORTING, templates_list},
    {"POST", "/api/v1/templates", WEB_REPORTING, template_create},
    {"POST", "/api/v1/templates/import-mrrt", WEB_REPORTING, template_import_mrrt},
    {"GET", "/api/v1/templates/{}", WEB_REPORTING, template_get},
    {"PUT", "/api/v1/templates/{}", WEB_REPORTING, template_update},
    {"DELETE", "/api/v1/templates/{}", WEB_REPORTING, template_delete},
};

const web_route_table web_templates_routes = {routes, sizeof routes / sizeof routes[0]};

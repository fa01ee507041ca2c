/* web_macros.c - the web app's voice macros (see docs/web-api.md,
 * "Voice macros"): GET/POST /api/v1/macros, PUT/DELETE /api/v1/macros/{id}.
 *
 * Every reporting role manages its own macros; a manager also manages the
 * organization's (orgWide), which every member sees and every job of the
 * organization uses, External API jobs included. A macro another member
 * owns, or another organization's, answers 404 exactly like an unknown id;
 * an organization-wide macro changed by a member who is not a manager is
 * 403. A refused request changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/sections.h"
#include "core/text.h"
#include "structuring/macros.h"

/* ---- JSON ------------------------------------------------------------------------------- */

static int may_manage_org(const web_session *ws)
{
    return ws->role == ROLE_MANAGER;
}

static json_t *macro_json(const store_macro *m, const web_session *ws)
{
    int org_wide = m->user_id[0] == '\0';
    return json_pack("{s:s, s:s, s:o, s:s, s:b, s:b, s:s, s:s}", "id", m->id, "name", m->name,
                     "section", api_json_text_or_null(m->section), "text", m->text ? m->text : "",
                     "orgWide", org_wide, "canEdit", !org_wide || may_manage_org(ws), "createdAt",
                     m->created_at, "updatedAt", m->updated_at);
}

typedef struct list_ctx {
    json_t *items;
    const web_session *ws;
} list_ctx;

static void add_macro(const store_macro *m, void *ctx)
{
    list_ctx *lc = ctx;
    json_array_append_new(lc->items, macro_json(m, lc->ws));
}

static void add_builtin(const char *spoken, const tmpl *t, void *ctx)
{
    char id[160];
    snprintf(id, sizeof id, "lib:%s", t->id);
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s}", "say", spoken, "template", t->name,
                                         "templateId", id, "language", t->language));
}

/* ---- handlers ------------------------------------------------------------------------------ */

static void macros_list(http_request *req, api_app *app, const web_session *ws)
{
    const char *lang = http_query(req, "lang");
    if (lang == NULL || *lang == '\0')
        lang = ws->org.input_lang[0] ? ws->org.input_lang : "tr";
    if (!api_lang_known(lang) || report_macro_word(lang) == NULL) {
        api_reply_invalid(req, "lang", "lang is one of tr, en, ru, az, fr, de.");
        return;
    }
    list_ctx lc = {json_array(), ws};
    int rc = store_macro_each(app->store, ws->org.id, ws->user.id, add_macro, &lc);
    if (rc != RA_OK) {
        json_decref(lc.items);
        api_reply_internal(req, "macro list", rc);
        return;
    }
    json_t *builtin = json_array();
    report_macros_builtin_each(app->templates, lang, add_builtin, builtin);
    http_reply_json(req, 200,
                    json_pack("{s:o, s:o, s:s, s:s, s:b}", "items", lc.items, "builtin", builtin,
                              "language", lang, "macroWord", report_macro_word(lang),
                              "canManageOrg", may_manage_org(ws)));
}

/* ---- reading a macro from the body ---------------------------------------------------------- */

typedef struct macro_body {
    json_t *json; /* owns what the strings point into */
    store_macro_input in;
    char *fold;   /* owned */
    int org_wide; /* -1 when not given */
} macro_body;

static void macro_body_release(macro_body *b)
{
    json_decref(b->json);
    free(b->fold);
}

/* True when text is UTF-8 without control characters other than line
 * ends and tabs. */
static int text_ok(const char *text)
{
    size_t n = strlen(text);
    if (!text_is_utf8(text, n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F)
            return 0;
        if (c == 0xC2 && i + 1 < n && (unsigned char)text[i + 1] < 0xA0)
            return 0; /* C1 controls, U+0080 to U+009F */
    }
    return 1;
}

/* Checks the name and its folded form (into b->fold). Returns the message
 * for a bad name, or NULL when it is good (or memory ran out: b->fold
 * NULL then). */
static const char *check_name(macro_body *b)
{
    const char *name = b->in.name;
    if (name == NULL || text_check_name(name, STORE_MACRO_NAME_MAX) != RA_OK)
        return "Give the macro a name of 1 to 60 characters on one line.";
    b->fold = report_macro_fold(name);
    if (b->fold == NULL)
        return NULL;
    if (b->fold[0] == '\0')
        return "The name needs at least one letter or digit.";
    if (report_macro_words(b->fold) > REPORT_MACRO_NAME_WORDS)
        return "The name may have at most 8 words.";
    if (report_macro_has_macro_word(b->fold))
        return "Give the name without the word makro/macro: you say that word, then the "
               "name.";
    return NULL;
}

/* Reads and checks the body of POST or PUT into *b; -1 after replying
 * (nothing to release then). */
static int read_body(http_request *req, macro_body *b)
{
    memset(b, 0, sizeof *b);
    b->json = api_json_body(req);
    if (b->json == NULL)
        return -1;
    int bad = 0, sec = 0;
    b->in.name = api_json_string(b->json, "name", &bad);
    b->in.text = api_json_string(b->json, "text", &bad);
    b->in.section = api_json_string(b->json, "section", &bad);
    b->org_wide = -1;
    int got = api_json_bool(b->json, "orgWide", &b->org_wide);
    const char *field = NULL, *message = NULL;
    if (bad || got < 0) {
        message = "name, text and section are strings; orgWide is true or false.";
    } else if ((message = check_name(b)) != NULL) {
        field = "name";
    } else if (b->fold == NULL) {
        macro_body_release(b);
        api_reply_internal(req, "macro name folding", RA_ERR_NOMEM);
        return -1;
    } else if (b->in.text == NULL || strspn(b->in.text, " \t\r\n") == strlen(b->in.text) ||
               strlen(b->in.text) > STORE_MACRO_TEXT_MAX || !text_ok(b->in.text)) {
        field = "text";
        message = "Give the text the macro inserts: at most 16 KiB of text.";
    } else if (b->in.section != NULL && *b->in.section != '\0' &&
               report_section_from_key(b->in.section, &sec) != RA_OK) {
        field = "section";
        message = "section is null (every section) or one of findings, conclusion, "
                  "impression, technique, clinical, comparison.";
    }
    if (message != NULL) {
        api_reply_invalid(req, field, message);
        macro_body_release(b);
        return -1;
    }
    b->in.name_fold = b->fold;
    return 0;
}

/* The owner (a user, or the organization for its macros) has
 * STORE_MACROS_MAX already. */
static void reply_limit(http_request *req)
{
    char msg[200];
    snprintf(msg, sizeof msg, "There are %d macros already, the most allowed; delete one first.",
             STORE_MACROS_MAX);
    api_reply_error(req, API_LIMIT_REACHED, msg, NULL, NULL);
}

/* Replies to a refused store change (0) or returns 1 when rc is RA_OK. */
static int store_refused(http_request *req, int rc, const char *what)
{
    if (rc == RA_OK)
        return 0;
    if (rc == RA_ERR_EXISTS)
        api_reply_error(req, API_ALREADY_EXISTS,
                        "A macro with this name exists already for this section.", "name", NULL);
    else if (rc == RA_ERR_TOO_LARGE) /* the cap, answered as the other caps are */
        reply_limit(req);
    else if (rc == RA_ERR_NOT_FOUND)
        api_reply_error(req, API_NOT_FOUND, "No macro with this id.", NULL, NULL);
    else
        api_reply_internal(req, what, rc);
    return 1;
}

static void refuse_org_wide(http_request *req)
{
    api_reply_error(req, API_FORBIDDEN, "Only a manager may manage the organization's macros.",
                    NULL, NULL);
}

static void macro_create(http_request *req, api_app *app, const web_session *ws)
{
    macro_body b;
    if (read_body(req, &b) != 0)
        return;
    if (b.org_wide == 1 && !may_manage_org(ws)) {
        refuse_org_wide(req);
        macro_body_release(&b);
        return;
    }
    store_macro m = {.text = NULL};
    int rc =
        store_macro_create(app->store, ws->org.id, b.org_wide == 1 ? NULL : ws->user.id, &b.in, &m);
    macro_body_release(&b);
    if (store_refused(req, rc, "macro creation"))
        return;
    char location[96];
    snprintf(location, sizeof location, "/api/v1/macros/%s", m.id);
    http_add_header(req, "Location", location);
    http_reply_json(req, 201, macro_json(&m, ws));
    store_macro_release(&m);
}

/* The macro of the path that ws may change, into *m (release it); -1 after
 * replying 404 (not one ws sees) or 403 (the organization's, ws no
 * manager). */
static int changeable_macro(http_request *req, api_app *app, const web_session *ws, store_macro *m)
{
    char id[UUID_LEN];
    if (api_path_uuid(req, 3, id) != 0)
        return -1;
    int rc = store_macro_get(app->store, id, ws->org.id, ws->user.id, m);
    if (store_refused(req, rc, "macro read"))
        return -1;
    if (m->user_id[0] == '\0' && !may_manage_org(ws)) {
        store_macro_release(m);
        refuse_org_wide(req);
        return -1;
    }
    return 0;
}

static const char *owner_of(const store_macro *m)
{
    return m->user_id[0] ? m->user_id : NULL;
}

static void macro_update(http_request *req, api_app *app, const web_session *ws)
{
    store_macro old = {.text = NULL};
    if (changeable_macro(req, app, ws, &old) != 0)
        return;
    macro_body b;
    if (read_body(req, &b) != 0) {
        store_macro_release(&old);
        return;
    }
    if (b.org_wide >= 0 && b.org_wide != (old.user_id[0] == '\0')) {
        api_reply_invalid(req, "orgWide",
                          "A macro's scope cannot change; create a new macro "
                          "instead.");
    } else {
        store_macro m = {.text = NULL};
        int rc = store_macro_update(app->store, old.id, ws->org.id, owner_of(&old), &b.in, &m);
        if (!store_refused(req, rc, "macro update"))
            http_reply_json(req, 200, macro_json(&m, ws));
        store_macro_release(&m);
    }
    macro_body_release(&b);
    store_macro_release(&old);
}

static void macro_delete(http_request *req, api_app *app, const web_session *ws)
{
    store_macro m = {.text = NULL};
    if (changeable_macro(req, app, ws, &m) != 0)
        return;
    int rc = store_macro_delete(app->store, m.id, ws->org.id, owner_of(&m));
    store_macro_release(&m);
    if (!store_refused(req, rc, "macro deletion"))
        http_reply(req, 204, "text/plain", "", 0);
}

static const web_route routes[] = {
    {"GET", "/api/v1/macros", WEB_REPORTING, macros_list},
    {"POST", "/api/v1/macros", WEB_REPORTING, macro_create},
    {"PUT", "/api/v1/macros/{}", WEB_REPORTING, macro_update},
    {"DELETE", "/api/v1/macros/{}", WEB_REPORTING, macro_delete},
};

const web_route_table web_macros_routes = {routes, sizeof routes / sizeof routes[0]};

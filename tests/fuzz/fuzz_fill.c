/* fuzz_fill.c - libFuzzer target for src/templates/fill.c: a report's
 * sections put into a TXT, RTF or HTML template, the plain report as text
 * and HTML, and the choice between a custom and a matched template.
 *
 * Input: fields separated by lines "---": "FORMAT\nTEMPLATE" (FORMAT txt,
 * rtf or html), the six sections in report_section order (empty: absent),
 * then "FORMAT\nTEMPLATE" for the matched template (absent when empty).
 * Checked: a filled RTF template is pure ASCII, and no "<script" reaches a
 * filled HTML template or the report's HTML. */
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "core/err.h"
#include "fuzz.h"
#include "templates/fill.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    catalog_init();
    return 0;
}

/* Splits "FORMAT\nTEMPLATE" in place; NULL template for an empty field. */
static const char *template_of(char *field, const char **format)
{
    *format = NULL;
    if (*field == '\0')
        return NULL;
    char *nl = strchr(field, '\n');
    if (nl == NULL)
        return NULL;
    *nl = '\0';
    *format = field;
    return nl + 1;
}

static void check_output(const char *format, const char *out)
{
    if (out == NULL)
        return;
    if (strcasecmp(format, "rtf") == 0)
        for (const char *p = out; *p; p++)
            if ((unsigned char)*p >= 0x80)
                abort();
    if (strcasecmp(format, "html") == 0 && strcasestr(out, "<script") != NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fields in;
    fuzz_fields_cut(data, size, 8, &in);
    char *custom_field = strdup(in.f[0]), *matched_field = strdup(in.f[7]);
    if (custom_field == NULL || matched_field == NULL)
        abort();
    report_sections sec = {0};
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        if (*in.f[1 + i] != '\0' && (sec.text[i] = strdup(in.f[1 + i])) == NULL)
            abort();
    report_template_choice choice = {0};
    choice.custom_content = template_of(custom_field, &choice.custom_format);
    choice.matched_content = template_of(matched_field, &choice.matched_format);

    char *out = NULL;
    if (choice.custom_content != NULL &&
        report_fill(choice.custom_content, choice.custom_format, &sec, &out) == RA_OK) {
        check_output(choice.custom_format, out);
        free(out);
    }
    const char *lang = (size & 1) ? "tr" : "en";
    if (report_render_text(&sec, lang, &out) == RA_OK)
        free(out);
    if (report_render_html(&sec, lang, &out) == RA_OK) {
        check_output("html", out);
        free(out);
    }
    report_rendered r = {0};
    if (report_render_exam(&choice, &sec, lang, &r) == RA_OK) {
        check_output("html", r.html);
        if (r.filled != NULL)
            check_output(choice.custom_format, r.filled);
        free(r.text);
        free(r.html);
        free(r.filled);
    }
    report_sections_release(&sec);
    free(custom_field);
    free(matched_field);
    fuzz_fields_release(&in);
    return 0;
}

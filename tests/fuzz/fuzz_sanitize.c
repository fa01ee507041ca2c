/* fuzz_sanitize.c - libFuzzer target for src/templates/sanitize.c: an HTML
 * or RTF template reduced to formatting.
 *
 * Input: the first byte chooses the format (even: html, odd: rtf), the
 * rest is the template. Checked: a sanitised HTML template holds no
 * "<script", and no event handler attribute or "javascript:" in a tag
 * (as text, escaped, it is harmless: fuzzing found it there); sanitising
 * the result again changes nothing and removes nothing (the output is
 * already in the one form the sanitiser writes). */
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "core/err.h"
#include "fuzz.h"
#include "templates/sanitize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    catalog_init();
    return 0;
}

/* A script element, or an event handler or javascript: URL inside a tag
 * (text may say "javascript:"; escaped, it is only text). */
static int has_active_html(const char *s)
{
    if (strcasestr(s, "<script") != NULL)
        return 1;
    for (const char *p = strchr(s, '<'); p != NULL; p = strchr(p + 1, '<')) {
        size_t tag = strcspn(p, ">");
        int quoted = 0; /* inside an attribute's value: a class may say " on" */
        for (size_t i = 1; i < tag; i++) {
            quoted ^= p[i] == '"';
            if (!quoted && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '/') &&
                i + 3 < tag && strncasecmp(p + i + 1, "on", 2) == 0)
                return 1;
            if (i + 11 <= tag && strncasecmp(p + i, "javascript:", 11) == 0)
                return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *format = (data[0] & 1) ? "rtf" : "html";
    char *in = fuzz_text(data + 1, size - 1);
    char *out = NULL, removed[256];
    if (tmpl_sanitize(in, format, &out, removed, sizeof removed) == RA_OK) {
        if (format[0] == 'h' && has_active_html(out))
            abort();
        char *again = NULL;
        if (tmpl_sanitize(out, format, &again, removed, sizeof removed) != RA_OK ||
            strcmp(again, out) != 0 || removed[0] != '\0')
            abort();
        free(again);
        free(out);
    }
    free(in);
    return 0;
}

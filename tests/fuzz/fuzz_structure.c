/* fuzz_structure.c - libFuzzer target for the rules engine
 * (src/structuring/structure.c with its language tables and voice macros):
 * a transcript turned into report sections.
 *
 * Input: "LANG\nTRANSCRIPT" (LANG tr, en, ru, az, fr or de; anything else
 * is refused, as the engine refuses it). The transcript is structured
 * plainly and with a set of voice macros. Checked: every section produced
 * is non-empty valid UTF-8. */
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "fuzz.h"
#include "structuring/macros.h"
#include "structuring/structure.h"

static void check(report_sections *s)
{
    for (int i = 0; i < REPORT_SEC_COUNT; i++)
        if (s->text[i] != NULL &&
            (s->text[i][0] == '\0' || !text_is_utf8(s->text[i], strlen(s->text[i]))))
            abort();
    report_sections_release(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    char *transcript = strchr(text, '\n');
    const char *lang = "tr";
    if (transcript != NULL) {
        *transcript++ = '\0';
        lang = text;
    } else {
        transcript = text;
    }
    report_sections s = {0};
    if (report_structure(transcript, lang, &s) == RA_OK)
        check(&s);
    report_macro_set *macros = NULL;
    if (report_macros_new(lang, &macros) == RA_OK) {
        (void)report_macros_add(macros, REPORT_MACRO_USER, "normal akciğer", REPORT_SEC_BULGULAR,
                                "Akciğer alanları olağandır.");
        (void)report_macros_add(macros, REPORT_MACRO_ORG, "normal brain", -1,
                                "No acute intracranial abnormality.\n\nNo mass.");
        if (report_structure_macros(transcript, lang, macros, &s) == RA_OK)
            check(&s);
        report_macros_free(macros);
    }
    free(text);
    return 0;
}

/* fuzz_mrrt.c - libFuzzer target for src/templates/mrrt.c: an IHE MRRT
 * document (HTML5 with template attributes) converted into our own
 * template.
 *
 * Input: the document's bytes. Checked: a converted template has a name,
 * at least one placeholder, and content that sanitises to itself (the
 * import writes only what the sanitiser keeps). */
#include <string.h>

#include "catalog/catalog.h"
#include "core/err.h"
#include "fuzz.h"
#include "templates/mrrt.h"
#include "templates/sanitize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    catalog_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrrt_template t = {0};
    char err[256];
    if (mrrt_convert((const char *)data, size, &t, err, sizeof err) != RA_OK)
        return 0;
    if (t.name == NULL || t.content == NULL || t.placeholders == 0)
        abort();
    char *clean = NULL, removed[256];
    if (tmpl_sanitize(t.content, "html", &clean, removed, sizeof removed) != RA_OK ||
        strcmp(clean, t.content) != 0)
        abort();
    free(clean);
    mrrt_template_release(&t);
    return 0;
}

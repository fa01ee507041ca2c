/* sections.c - the report's section vocabulary (see sections.h): keys,
 * headings per language, and releasing a report's texts. */
#include "core/sections.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/lang.h"

static const char *const section_keys[REPORT_SEC_COUNT] = {
    "findings", "conclusion", "impression", "technique", "clinical", "comparison",
};

/* The headings of each language the structurer reads (structuring/lang.h); a
 * unit test checks that every such language has its row here. English
 * first: it is the fallback. */
static const struct {
    const char *code;
    const char *titles[REPORT_SEC_COUNT];
} section_titles[] = {
    {"en",
     {"FINDINGS", "CONCLUSION", "IMPRESSION", "TECHNIQUE", "CLINICAL INFORMATION", "COMPARISON"}},
    {"tr", {"BULGULAR", "SONUÇ", "İZLENİM", "TEKNİK", "KLİNİK BİLGİ", "KARŞILAŞTIRMA"}},
    {"ru", {"ОПИСАНИЕ", "ЗАКЛЮЧЕНИЕ", "ВПЕЧАТЛЕНИЕ", "ТЕХНИКА", "КЛИНИЧЕСКИЕ ДАННЫЕ", "СРАВНЕНИЕ"}},
    {"az", {"TAPINTILAR", "NƏTİCƏ", "TƏƏSSÜRAT", "TEXNİKA", "KLİNİKİ MƏLUMAT", "MÜQAYİSƏ"}},
    {"fr",
     {"RÉSULTATS", "CONCLUSION", "IMPRESSION", "TECHNIQUE", "RENSEIGNEMENTS CLINIQUES",
      "COMPARAISON"}},
    {"de", {"BEFUND", "BEURTEILUNG", "EINDRUCK", "TECHNIK", "KLINISCHE ANGABEN", "VERGLEICH"}},
};

void report_sections_release(report_sections *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < REPORT_SEC_COUNT; i++) {
        free(s->text[i]);
        s->text[i] = NULL;
    }
}

int report_sections_empty(const report_sections *s)
{
    for (int i = 0; s != NULL && i < REPORT_SEC_COUNT; i++) {
        if (s->text[i] != NULL && s->text[i][0] != '\0')
            return 0;
    }
    return 1;
}

const char *report_section_key(int sec)
{
    return sec >= 0 && sec < REPORT_SEC_COUNT ? section_keys[sec] : NULL;
}

int report_section_from_key(const char *key, int *sec)
{
    for (int i = 0; key != NULL && i < REPORT_SEC_COUNT; i++) {
        if (strcmp(section_keys[i], key) == 0) {
            *sec = i;
            return RA_OK;
        }
    }
    return RA_ERR_INVALID;
}

const char *report_section_title(report_section sec, const char *lang)
{
    if ((int)sec < 0 || sec >= REPORT_SEC_COUNT)
        return NULL;
    const char *code = lang_code(lang);
    for (size_t i = 0; code != NULL && i < sizeof section_titles / sizeof section_titles[0]; i++) {
        if (strcmp(code, section_titles[i].code) == 0)
            return section_titles[i].titles[sec];
    }
    return section_titles[0].titles[sec];
}

/* lang.c - the registry of the product's languages (see lang.h). */
#include "core/lang.h"

#include <string.h>

const char *const lang_codes[LANG_COUNT] = {
    [LANG_TR] = "tr", [LANG_EN] = "en", [LANG_RU] = "ru",
    [LANG_AZ] = "az", [LANG_FR] = "fr", [LANG_DE] = "de",
};

const char *const lang_english_names[LANG_COUNT] = {
    [LANG_TR] = "Turkish",     [LANG_EN] = "English", [LANG_RU] = "Russian",
    [LANG_AZ] = "Azerbaijani", [LANG_FR] = "French",  [LANG_DE] = "German",
};

int lang_index_n(const char *s, size_t n)
{
    for (int i = 0; n == 2 && i < LANG_COUNT; i++)
        if ((s[0] | 0x20) == lang_codes[i][0] && (s[1] | 0x20) == lang_codes[i][1])
            return i;
    return -1;
}

int lang_index(const char *tag)
{
    size_t n = tag != NULL ? strcspn(tag, "-_") : 0;
    if (n != 2 || (tag[n] != '\0' && tag[n + 1] == '\0'))
        return -1;
    return lang_index_n(tag, n);
}

const char *lang_code(const char *tag)
{
    int i = lang_index(tag);
    return i >= 0 ? lang_codes[i] : NULL;
}

int lang_is_code(const char *s)
{
    for (int i = 0; s != NULL && i < LANG_COUNT; i++)
        if (strcmp(s, lang_codes[i]) == 0)
            return 1;
    return 0;
}

/* routing.c - the speech engine of each language (see routing.h). */
#include "asr/routing.h"

#include <stdio.h>
#include <string.h>

void asr_routing_of(const asr_openai_config *cfg, asr_routing *out)
{
    for (int i = 0; i < LANG_COUNT; i++) {
        const char *code = lang_codes[i];
        out->by_lang[i] = cfg != NULL && asr_openai_route_for(cfg, code) != NULL ? ASR_OPENAI
                          : strcmp(code, "en") == 0                              ? ASR_LOCAL
                                                                                 : ASR_NONE;
    }
}

asr_kind asr_routing_for(const asr_routing *r, const char *lang)
{
    int i = lang != NULL ? lang_index(lang) : -1;
    return i >= 0 ? r->by_lang[i] : ASR_NONE;
}

const char *asr_kind_name(asr_kind k)
{
    return k == ASR_LOCAL ? "local" : k == ASR_OPENAI ? "openai" : NULL;
}

void asr_routing_languages(const asr_routing *r, char *out, size_t len)
{
    size_t used = 0;
    if (len > 0)
        out[0] = '\0';
    for (int i = 0; i < LANG_COUNT && len > 0; i++) {
        if (r->by_lang[i] == ASR_NONE)
            continue;
        int n = snprintf(out + used, len - used, "%s%s", used > 0 ? "," : "", lang_codes[i]);
        used = n > 0 && (size_t)n < len - used ? used + (size_t)n : len - 1;
    }
}

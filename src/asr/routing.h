/* routing.h - which speech engine serves each language, decided once: the
 * openai engine for the languages its configuration routes to the
 * hospital's speech servers, the local engine (pocketsphinx, English only)
 * for English otherwise, none for the rest. The server builds it from the
 * speech options; submissions refuse a language it gives no engine, the
 * health answer shows it, and the job workers pick their engine by it.
 *
 * THREAD SAFETY: pure functions over caller-owned values. */
#ifndef RAPORTAI_ASR_ROUTING_H
#define RAPORTAI_ASR_ROUTING_H

#include <stddef.h>

#include "asr/asr.h"
#include "core/lang.h"

typedef enum asr_kind { ASR_NONE, ASR_LOCAL, ASR_OPENAI } asr_kind;

typedef struct asr_routing {
    asr_kind by_lang[LANG_COUNT]; /* in lang_codes order */
} asr_routing;

/* The routing of cfg (NULL: no openai engine, English local). Cannot fail. */
void asr_routing_of(const asr_openai_config *cfg, asr_routing *out);

/* The engine serving lang (a tag lang_index reads: "en", "tr-TR"); ASR_NONE
 * for a language no engine serves or not one of the six, and for NULL. */
asr_kind asr_routing_for(const asr_routing *r, const char *lang);

/* "local", "openai"; NULL for ASR_NONE. */
const char *asr_kind_name(asr_kind k);

/* The served languages as "tr,en" (lang_codes order) into out; "" when
 * none. Truncates to len - 1 bytes (LANG_COUNT * 3 suffices). */
void asr_routing_languages(const asr_routing *r, char *out, size_t len);

#endif

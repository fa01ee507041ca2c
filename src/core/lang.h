/* lang.h - the product's languages: the one registry every list of
 * languages derives from (the External API's inputLang and outputLang, the
 * speech servers' routes, the rules engine's tables, the fact check, the
 * section headings, the admin tools), and the one reading of a language tag.
 * Which engine serves a language is the engines' business (asr/, structuring/).
 * THREAD SAFETY: read-only; any thread. */
#ifndef RAPORTAI_CORE_LANG_H
#define RAPORTAI_CORE_LANG_H

#include <stddef.h>

#define LANG_COUNT 6

/* "tr", "en", "ru", "az", "fr", "de", in this order (indexes are stable). */
extern const char *const lang_codes[LANG_COUNT];

/* The index in lang_codes of a language tag: two letters in any case, alone
 * or before '-' or '_' and something more ("tr", "TR", "tr-TR", "de_DE");
 * -1 for anything else (NULL included). */
int lang_index(const char *tag);

/* The index in lang_codes of the n bytes at s taken as a code, in any case
 * (a language in a list such as "tr,en"), or -1. */
int lang_index_n(const char *s, size_t n);

/* lang_codes[lang_index(tag)], or NULL. */
const char *lang_code(const char *tag);

/* True when s is exactly one of lang_codes (what the API accepts). */
int lang_is_code(const char *s);

#endif

/* lang.h - the product's languages: the one registry every list of
 * languages derives from (the External API's inputLang and outputLang, the
 * speech servers' routes, the rules engine's tables, the fact check, the
 * section headings, the admin tools), and the one reading of a language tag.
 * Which engine serves a language is the engines' business (asr/, structuring/).
 * THREAD SAFETY: read-only; any thread. */
#ifndef RAPORTAI_CORE_LANG_H
#define RAPORTAI_CORE_LANG_H

#include <stddef.h>

/* The languages, as indexes into the tables below and into every table
 * kept per language elsewhere (indexes are stable). A table of another part
 * is declared [LANG_COUNT] and written with these designators; a seventh
 * language is then a row each such table lacks, which its unit tests find. */
typedef enum lang_id { LANG_TR, LANG_EN, LANG_RU, LANG_AZ, LANG_FR, LANG_DE, LANG_COUNT } lang_id;

/* "tr", "en", "ru", "az", "fr", "de", in lang_id order. */
extern const char *const lang_codes[LANG_COUNT];

/* Each language's name in English: "Turkish", "English", "Russian",
 * "Azerbaijani", "French", "German" (prompts, messages). */
extern const char *const lang_english_names[LANG_COUNT];

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

/* macros.h - voice macros: a spoken macro word followed by a macro's name
 * inserts the macro's text where it is spoken.
 *
 * The macro word is "makro" (tr, az), "macro" (en, fr), "макрос" (ru) and
 * "Makro" (de); like every spoken word it matches case- and
 * accent-insensitively with Turkish casing (core/text.h: text_fold).
 *
 * A set (report_macro_set) holds the macros one dictation may use, from
 * three scopes, strongest first:
 *   user          the dictating user's own macros (web jobs only);
 *   organization  the organization's macros, for every member and for
 *                 External API jobs;
 *   built-in      the template library's normal text: "normal" followed by
 *                 a body-part word of the dictation's language ("makro
 *                 normal beyin", "macro normal chest", "Makro normal Knie")
 *                 or by a template's name ("makro normal BT Beyin").
 * A macro has one text for every section, or one per section; a built-in
 * one inserts its template's normal text FOR THE SECTION THE MACRO IS
 * SPOKEN IN (findings normal text in findings, conclusion normal text in
 * conclusion; before any heading is findings), and is not there for a
 * section its template has no normal text for.
 *
 * Which macro a dictation names: the longest name (in words) that follows
 * the macro word wins; among the macros of that name, the strongest scope
 * with text for the section, and within a scope a text for this very
 * section before a text for every section. Words after the macro word that
 * name no macro, or name one with no text for the section, are left as
 * dictated (so "makro adenom" stays text, and a misspoken name stays
 * visible in the report for the radiologist to correct); nothing else
 * flags them.
 *
 * A built-in body-part name picks, among the library's templates of that
 * body part, the exam's own template first, then one of the exam's
 * modality, then the first in the library's order; templates are those in
 * the dictation's language, or in the fallback language when the library
 * has none in it.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written
 * only on success. THREAD SAFETY: a set belongs to one thread while it is
 * changed; once built it may be read from any number of threads. */
#ifndef RAPORTAI_STRUCTURING_MACROS_H
#define RAPORTAI_STRUCTURING_MACROS_H

#include <stddef.h>

#include "core/sections.h"
#include "templates/templates.h"

#define REPORT_MACRO_NAME_WORDS 8          /* words in a macro's name, at most */
#define REPORT_MACRO_TEXT_MAX (16u * 1024) /* bytes of one macro's text */

typedef enum report_macro_scope {
    REPORT_MACRO_USER,
    REPORT_MACRO_ORG,
    REPORT_MACRO_BUILTIN,
} report_macro_scope;

typedef struct report_macro_set report_macro_set; /* opaque */

/* The macro word of lang as it is folded ("makro", "macro", "макрос"),
 * for any spelling report_lang_normalize accepts; NULL for a language
 * without one. Returns a static string. */
const char *report_macro_word(const char *lang);

/* The matching form of a macro's name: text_fold'ed, words separated by
 * single spaces, trimmed ("Normal  Diz-MR" -> "normal diz mr"). Returns a
 * new string (caller frees), "" when no letter or digit is left; NULL when
 * name is not UTF-8 or memory ran out. */
char *report_macro_fold(const char *name);

/* Number of words of a folded name. Cannot fail. */
size_t report_macro_words(const char *folded);

/* True when the folded name starts with the macro word of any language
 * ("makro normal diz"): such a name would have to be spoken with the word
 * twice. */
int report_macro_has_macro_word(const char *folded);

/* A new empty set for dictations in lang. RA_ERR_INVALID for a language
 * without a macro word, RA_ERR_NOMEM. Free with report_macros_free. */
int report_macros_new(const char *lang, report_macro_set **out);
/* Frees the set and the copies it holds; NULL is ignored. */
void report_macros_free(report_macro_set *set);

/* Adds a macro of scope REPORT_MACRO_USER or REPORT_MACRO_ORG: name (folded
 * here), section (a REPORT_SEC_*, or -1 for every section) and text; both
 * are copied. The text is laid out as the report writes text: line ends
 * "\n", spaces at line ends and blank lines beyond one dropped, trimmed.
 * RA_ERR_INVALID for another scope, a section out of range, a name that
 * folds to nothing or to more than REPORT_MACRO_NAME_WORDS words, a text
 * that is blank, not UTF-8 or longer than REPORT_MACRO_TEXT_MAX;
 * RA_ERR_NOMEM. The set is unchanged on error. */
int report_macros_add(report_macro_set *set, report_macro_scope scope, const char *name,
                      int section, const char *text);

/* The built-in macros of a template library, made once for all its
 * languages (normal texts laid out, names folded) and shared by every set
 * that uses them: a dictation's set borrows them instead of making its own.
 * The library is immutable, so they never go stale; they keep pointers
 * into lib, which must outlive them. RA_ERR_INVALID for a NULL lib,
 * RA_ERR_NOMEM. Free with report_macro_builtins_free (NULL is ignored).
 * Once made they may be read from any number of threads. */
typedef struct report_macro_builtins report_macro_builtins; /* opaque */
int report_macro_builtins_new(const tmpl_library *lib, report_macro_builtins **out);
void report_macro_builtins_free(report_macro_builtins *b);

/* Replaces the set's built-in macros with those of b (may be NULL: none)
 * for an exam whose template is exam (may be NULL), a template of b's
 * library: its normal text is preferred for a body-part name and its name
 * wins a tie between templates' names; a template from elsewhere gives
 * only its modality. Templates are those in the set's language, or in
 * fallback_lang (may be NULL) when the library has none in it. The set
 * borrows b and exam: they must outlive its use. Cannot fail. */
void report_macros_use_builtins(report_macro_set *set, const report_macro_builtins *b,
                                const tmpl *exam, const char *fallback_lang);

/* The structurer's question: do the n tokens at words (folded as
 * report_macro_fold does, a token possibly holding several words) start
 * with the macro word and a macro's name that has text for section sec?
 * Returns 1 with *used (tokens taken, the macro word included) and *text
 * (the text to insert, valid while the set is unchanged) set; 0 otherwise
 * (NULL set included). Cannot fail. */
int report_macro_match(const report_macro_set *set, const char *const *words, size_t n, int sec,
                       size_t *used, const char **text);

/* Calls fn for each template of lib in lang that has normal text, with a
 * built-in name as spoken with its macro word: once with its body part's
 * first word in lang when there is one ("makro normal beyin"), once with
 * its own name ("makro normal BT Beyin"). For listing what may be said.
 * Cannot fail (a name that does not fit in 256 bytes is left out). */
void report_macros_builtin_each(const tmpl_library *lib, const char *lang,
                                void (*fn)(const char *spoken, const tmpl *t, void *ctx),
                                void *ctx);

#endif

/* text.h - UTF-8 and Turkish-aware text helpers. Owns the libunistring calls.
 *
 * Strings are UTF-8 and NUL-terminated. Functions that return char * hand the
 * caller a new allocation (free it) and return NULL only when out of memory
 * or, where stated, when the input is not valid UTF-8. */
#ifndef RAPORTAI_CORE_TEXT_H
#define RAPORTAI_CORE_TEXT_H

#include <stddef.h>

/* True when the n bytes at s are well-formed UTF-8. */
int text_is_utf8(const char *s, size_t n);
/* Number of characters (code points) in valid UTF-8 s. */
size_t text_length(const char *s);
/* True when s is valid UTF-8 and holds a C0/C1 control character or DEL. */
int text_has_control(const char *s);
/* True when the n bytes at s are all printable ASCII other than the space
 * (0x21 to 0x7E): what a URL, a key or a header value we send may hold. An
 * empty string passes; callers that need a value check n themselves. */
int text_is_token(const char *s, size_t n);

/* The value of a hexadecimal digit (0 to 15), or -1 for any other char. */
int text_hex_value(char c);

/* The code point of the character at s, which must be valid UTF-8 and not
 * at its end; *len gets its length in bytes (1 to 4). */
unsigned text_decode(const char *s, size_t *len);

/* Lowercase with Turkish rules (I -> ı, İ -> i). NULL on invalid UTF-8. */
char *text_lower_tr(const char *s);
/* Language-neutral lowercase (for e-mail addresses). NULL on invalid UTF-8. */
char *text_lower(const char *s);

/* The matching form of s, for comparing words the way people read them:
 * lowercase with Turkish rules, accents and other combining marks removed
 * (ç -> c, ş -> s, é -> e, ü -> u; dotless ı -> i), and every character that
 * is neither a letter nor a digit turned into a space. "BEYİN, Kontrastlı"
 * and "beyin kontrastli" fold alike. NULL on invalid UTF-8. */
char *text_fold(const char *s);

/* Checks a human-given name (organization, label): valid UTF-8, no control
 * characters, not blank, no leading or trailing space, at most max_chars
 * characters. Returns RA_OK or RA_ERR_INVALID. */
int text_check_name(const char *s, size_t max_chars);

#define TEXT_EMAIL_MAX 254 /* bytes */
/* Checks an e-mail address: one "@" with a dotted domain after it, valid
 * UTF-8, no spaces, quotes or other characters mail systems treat specially,
 * at most TEXT_EMAIL_MAX bytes. RA_OK or RA_ERR_INVALID. */
int text_check_email(const char *email);

#endif

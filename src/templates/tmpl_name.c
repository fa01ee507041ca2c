/* tmpl_name.c - template display names (see templates.h):
 * tmpl_normalize_name turns file names and user text into safe,
 * extension-free names, tmpl_unique_names makes a list of them unique. The
 * product guide promises "unique, sanitized, extension-free" names in the
 * template list. */
#include "templates/templates.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/text.h"

/* Length of the UTF-8 character at s (n bytes left), or 0 when the bytes
 * there are not a well-formed character. */
static size_t name_char_len(const char *s, size_t n)
{
    unsigned char b = (unsigned char)s[0];
    size_t k = b < 0x80 ? 1 : b < 0xC2 ? 0 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF5 ? 4 : 0;
    return k > 0 && k <= n && text_is_utf8(s, k) ? k : 0;
}

/* Turns invalid UTF-8 bytes and control characters (C0, DEL, C1) into
 * spaces, in place. */
static void name_sanitize(char *s)
{
    size_t n = strlen(s), i = 0, o = 0;
    while (i < n) {
        size_t k = name_char_len(s + i, n - i);
        unsigned char b0 = (unsigned char)s[i], b1 = (unsigned char)s[i + 1];
        if (k == 0 || b0 < 0x20 || b0 == 0x7F || (b0 == 0xC2 && b1 < 0xA0)) {
            s[o++] = ' ';
            i += k > 0 ? k : 1;
            continue;
        }
        memmove(s + o, s + i, k);
        o += k;
        i += k;
    }
    s[o] = '\0';
}

/* Removes every "<...>"; a '<' without a closing '>' stays (dropped later). */
static void name_strip_markup(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        const char *gt = s[i] == '<' ? strchr(s + i, '>') : NULL;
        if (gt != NULL)
            i = (size_t)(gt - s);
        else
            s[o++] = s[i];
    }
    s[o] = '\0';
}

static void name_basename(char *s)
{
    char *slash = strrchr(s, '/'), *back = strrchr(s, '\\');
    char *last = slash > back ? slash : back;
    if (last != NULL)
        memmove(s, last + 1, strlen(last + 1) + 1);
}

static void name_drop_extension(char *s)
{
    static const char *const ext[] = {".txt", ".rtf", ".html", ".htm"};
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t k = strlen(ext[i]);
        if (n >= k && strcasecmp(s + n - k, ext[i]) == 0) {
            s[n - k] = '\0';
            return;
        }
    }
}

/* Drops the forbidden characters, collapses spaces and trims, in place. */
static void name_clean(char *s)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (strchr("<>:\"/\\|?*{}", s[i]) != NULL)
            continue;
        if (s[i] == ' ') {
            space = o > 0;
            continue;
        }
        if (space)
            s[o++] = ' ';
        space = 0;
        s[o++] = s[i];
    }
    s[o] = '\0';
}

/* Bytes taken by the first max characters of valid UTF-8 s. */
static size_t name_prefix_bytes(const char *s, size_t max)
{
    size_t i = 0, chars = 0;
    for (; s[i] != '\0'; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            break;
    }
    return i;
}

char *tmpl_normalize_name(const char *raw)
{
    char *s = strdup(raw != NULL ? raw : "");
    if (s == NULL)
        return NULL;
    name_sanitize(s);
    name_strip_markup(s);
    name_basename(s);
    name_clean(s);
    name_drop_extension(s);
    name_clean(s);
    s[name_prefix_bytes(s, TMPL_NAME_MAX_CHARS)] = '\0';
    name_clean(s);
    if (s[0] != '\0')
        return s;
    free(s);
    return strdup("Template");
}

/* ---- uniqueness --------------------------------------------------------- */

/* The comparison key: Turkish lowercase, then dotless ı read as i, so
 * English capitals ("BRAIN" -> "braın") match their lowercase too. */
static char *name_key(const char *s)
{
    char *k = text_is_utf8(s, strlen(s)) ? text_lower_tr(s) : strdup(s);
    if (k == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; k[i] != '\0'; i++) {
        if ((unsigned char)k[i] == 0xC4 && (unsigned char)k[i + 1] == 0xB1) {
            k[o++] = 'i';
            i++;
        } else {
            k[o++] = k[i];
        }
    }
    k[o] = '\0';
    return k;
}

static int name_key_in(char *const *keys, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (keys[i] != NULL && strcmp(keys[i], key) == 0)
            return 1;
    }
    return 0;
}

/* "name (k)", name shortened so the whole stays within the character cap. */
static char *name_with_suffix(const char *name, unsigned k)
{
    char suffix[24];
    int sl = snprintf(suffix, sizeof suffix, " (%u)", k);
    size_t keep = name_prefix_bytes(name, TMPL_NAME_MAX_CHARS - (size_t)sl);
    while (keep > 0 && name[keep - 1] == ' ')
        keep--;
    char *out = malloc(keep + (size_t)sl + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, name, keep);
    memcpy(out + keep, suffix, (size_t)sl + 1);
    return out;
}

/* Settles names[i]: its final key goes into final[i]. */
static int name_settle(char **names, size_t i, char *const *orig, size_t n, char **final)
{
    if (!name_key_in(final, i, orig[i])) {
        final[i] = strdup(orig[i]);
        return final[i] != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    for (unsigned k = 2;; k++) {
        char *cand = name_with_suffix(names[i], k);
        char *key = cand != NULL ? name_key(cand) : NULL;
        if (key == NULL) {
            free(cand);
            return RA_ERR_NOMEM;
        }
        if (!name_key_in(final, i, key) && !name_key_in(orig, n, key)) {
            free(names[i]);
            names[i] = cand;
            final[i] = key;
            return RA_OK;
        }
        free(cand);
        free(key);
    }
}

int tmpl_unique_names(char **names, size_t n)
{
    int rc = RA_OK;
    char **orig = calloc(n + 1, sizeof *orig);
    char **final = calloc(n + 1, sizeof *final);
    if (orig == NULL || final == NULL) {
        rc = RA_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n && rc == RA_OK; i++) {
        orig[i] = name_key(names[i]);
        rc = orig[i] != NULL ? RA_OK : RA_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && rc == RA_OK; i++)
        rc = name_settle(names, i, orig, n, final);
done:
    for (size_t i = 0; i < n && orig != NULL && final != NULL; i++) {
        free(orig[i]);
        free(final[i]);
    }
    free(orig);
    free(final);
    return rc;
}

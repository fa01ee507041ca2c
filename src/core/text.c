/* text.c - UTF-8 and Turkish-aware text (see text.h); wraps libunistring. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/err.h"

int text_is_utf8(const char *s, size_t n)
{
    return u8_check((const uint8_t *)s, n) == NULL;
}

size_t text_length(const char *s)
{
    return u8_mbsnlen((const uint8_t *)s, strlen(s));
}

int text_has_control(const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    ucs4_t c;
    while ((p = u8_next(&c, p)) != NULL) {
        if (uc_is_property_iso_control(c))
            return 1;
    }
    return 0;
}

int text_is_token(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7F)
            return 0;
    return 1;
}

int text_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

unsigned text_decode(const char *s, size_t *len)
{
    ucs4_t c = 0;
    int n = u8_mbtouc(&c, (const uint8_t *)s, 4);
    *len = n > 0 ? (size_t)n : 1;
    return c;
}

static char *lower_with(const char *s, const char *language)
{
    size_t n = strlen(s);
    if (!text_is_utf8(s, n))
        return NULL;
    size_t out_len = 0;
    uint8_t *out = u8_tolower((const uint8_t *)s, n, language, NULL, NULL, &out_len);
    if (out == NULL)
        return NULL;
    uint8_t *z = realloc(out, out_len + 1);
    if (z == NULL) {
        free(out);
        return NULL;
    }
    z[out_len] = '\0';
    return (char *)z;
}

char *text_lower_tr(const char *s)
{
    return lower_with(s, "tr");
}

char *text_lower(const char *s)
{
    return lower_with(s, NULL);
}

char *text_fold(const char *s)
{
    size_t n = strlen(s), len = 0;
    if (!text_is_utf8(s, n))
        return NULL;
    uint8_t *low = u8_tolower((const uint8_t *)s, n, "tr", UNINORM_NFD, NULL, &len);
    if (low == NULL)
        return NULL;
    /* Decomposed, so every accent is a separate combining mark. Each
     * character becomes at most as many bytes as it had, so len bounds the
     * output. */
    char *out = malloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; out != NULL && i < len;) {
        ucs4_t c;
        int k = u8_mbtouc(&c, low + i, len - i);
        if (c == 0x0131) {
            out[o++] = 'i';
        } else if (uc_is_general_category(c, UC_CATEGORY_M)) {
            /* dropped */
        } else if (uc_is_alnum(c)) {
            memcpy(out + o, low + i, (size_t)k);
            o += (size_t)k;
        } else {
            out[o++] = ' ';
        }
        i += (size_t)k;
    }
    if (out != NULL)
        out[o] = '\0';
    free(low);
    return out;
}

int text_check_name(const char *s, size_t max_chars)
{
    size_t n = strlen(s);
    if (n == 0 || !text_is_utf8(s, n) || text_has_control(s))
        return RA_ERR_INVALID;
    if (s[0] == ' ' || s[n - 1] == ' ' || text_length(s) > max_chars)
        return RA_ERR_INVALID;
    return RA_OK;
}

int text_check_email(const char *email)
{
    size_t n = strlen(email);
    const char *at = strchr(email, '@');
    if (n > TEXT_EMAIL_MAX || at == NULL || at == email || strchr(at + 1, '@') != NULL ||
        strchr(at + 1, '.') == NULL || at[1] == '.' || email[n - 1] == '.')
        return RA_ERR_INVALID;
    if (!text_is_utf8(email, n) || text_has_control(email) || strpbrk(email, " \t<>\"'(),;:\\["))
        return RA_ERR_INVALID;
    return RA_OK;
}

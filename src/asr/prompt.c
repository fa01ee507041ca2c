/* prompt.c - the vocabulary prompt for speech servers (see asr.h,
 * asr_prompt_build): the words of an exam's name and templates, cleaned of
 * markup and placeholders, bounded, most important last. */
#include <stdlib.h>
#include <string.h>

#include "asr/asr.h"
#include "core/buf.h"
#include "core/err.h"

#define PROMPT_MAX_TEXTS 256 /* texts looked at; the rest are ignored */
#define PLACEHOLDER_MAX 64   /* bytes between "{{" and "}}" */
#define MIN_USEFUL_CUT 16    /* a cut text shorter than this is dropped */

/* Copies s into b without its {{PLACEHOLDERS}}. */
static int drop_placeholders(const char *s, buf *b)
{
    int rc = RA_OK;
    while (rc == RA_OK && *s != '\0') {
        const char *open = strstr(s, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (close == NULL || close - open - 2 > PLACEHOLDER_MAX)
            return buf_puts(b, s);
        rc = buf_append(b, s, (size_t)(open - s));
        if (rc == RA_OK)
            rc = buf_putc(b, ' ');
        s = close + 2;
    }
    return rc;
}

/* Copies s into b with runs of whitespace made one space, trimmed. */
static int collapse_spaces(const char *s, buf *b)
{
    int rc = RA_OK, space = 0;
    for (; rc == RA_OK && *s != '\0'; s++) {
        if (strchr(" \t\r\n\f\v", *s) != NULL) {
            space = b->len > 0;
            continue;
        }
        if (space)
            rc = buf_putc(b, ' ');
        space = 0;
        if (rc == RA_OK)
            rc = buf_putc(b, *s);
    }
    return rc;
}

/* The words of one text: placeholders and markup removed, whitespace
 * collapsed, a full stop added after a last letter or digit. *out is a new
 * allocation, possibly "". */
static int clean_text(const asr_prompt_text *t, char **out)
{
    buf a, c;
    char *plain = NULL;
    buf_init(&a, ASR_PROMPT_MAX_BYTES * 64 + strlen(t->text));
    buf_init(&c, ASR_PROMPT_MAX_BYTES * 64 + strlen(t->text));
    const char *format = t->format != NULL ? t->format : "txt";
    int rc = drop_placeholders(t->text, &a);
    if (rc == RA_OK && asr_text_from_markup(buf_str(&a), format, &plain) == RA_ERR_INVALID)
        rc = asr_text_from_markup(buf_str(&a), "txt", &plain); /* an unknown format: as text */
    buf_release(&a);
    if (rc == RA_OK && plain == NULL)
        rc = RA_ERR_NOMEM;
    if (rc == RA_OK)
        rc = drop_placeholders(plain, &a);
    if (rc == RA_OK)
        rc = collapse_spaces(buf_str(&a), &c);
    unsigned char last = c.len > 0 ? (unsigned char)c.data[c.len - 1] : 0;
    if (rc == RA_OK && (last >= 0x80 || (last >= '0' && last <= '9') ||
                        ((last | 0x20) >= 'a' && (last | 0x20) <= 'z')))
        rc = buf_putc(&c, '.');
    free(plain);
    buf_release(&a);
    *out = rc == RA_OK ? buf_detach(&c) : NULL;
    buf_release(&c);
    return rc == RA_OK && *out == NULL ? RA_ERR_NOMEM : rc == RA_ERR_TOO_LARGE ? RA_OK : rc;
}

/* The length of s cut to at most max bytes at a space, or inside a long
 * word at a character boundary. */
static size_t cut_at_word(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && s[k] != ' ')
        k--;
    if (k == 0) {
        k = max;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    return k;
}

int asr_prompt_build(const asr_prompt_text *texts, size_t n, size_t max_bytes, char **out)
{
    char *chosen[PROMPT_MAX_TEXTS];
    size_t lens[PROMPT_MAX_TEXTS], count = 0, used = 0;
    int rc = RA_OK, full = 0;
    for (size_t i = 0; rc == RA_OK && !full && i < n && i < PROMPT_MAX_TEXTS; i++) {
        char *t = NULL;
        if (texts[i].text == NULL || (rc = clean_text(&texts[i], &t)) != RA_OK || t == NULL)
            continue;
        int seen = t[0] == '\0';
        for (size_t k = 0; !seen && k < count; k++)
            seen = strcmp(chosen[k], t) == 0;
        size_t sep = count > 0 ? 1 : 0, room = max_bytes > used + sep ? max_bytes - used - sep : 0;
        size_t len = seen ? 0 : cut_at_word(t, room);
        full = !seen && len < strlen(t);
        if (seen || len == 0 || (full && len < MIN_USEFUL_CUT)) {
            free(t);
            continue;
        }
        t[len] = '\0';
        chosen[count] = t;
        lens[count++] = len;
        used += sep + len;
    }
    buf b;
    buf_init(&b, max_bytes + 1);
    for (size_t k = count; rc == RA_OK && k-- > 0;) {
        if (b.len > 0)
            rc = buf_putc(&b, ' ');
        if (rc == RA_OK)
            rc = buf_append(&b, chosen[k], lens[k]);
    }
    for (size_t k = 0; k < count; k++)
        free(chosen[k]);
    char *s = rc == RA_OK ? buf_detach(&b) : NULL;
    buf_release(&b);
    if (s == NULL)
        return RA_ERR_NOMEM;
    *out = s;
    return RA_OK;
}

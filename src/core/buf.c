/* buf.c - growable byte buffers with a hard maximum (see buf.h). */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void buf_init(buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_release(buf *b)
{
    free(b->data);
    buf_init(b, b->max);
}

char *buf_detach(buf *b)
{
    char *out = b->data;
    if (out == NULL)
        out = calloc(1, 1);
    buf_init(b, b->max);
    return out;
}

static int buf_reserve(buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return RA_ERR_TOO_LARGE;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return RA_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return RA_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return RA_OK;
}

int buf_append(buf *b, const void *data, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc != RA_OK)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return RA_OK;
}

void buf_truncate(buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}

int buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(buf *b, char c)
{
    return buf_append(b, &c, 1);
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return RA_ERR_INVALID;
    int rc = buf_reserve(b, (size_t)n);
    if (rc != RA_OK)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return RA_OK;
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *buf_str(const buf *b)
{
    return b->data ? b->data : "";
}

void *ra_array_reserve(void *items, size_t count, size_t *cap, size_t elem, size_t first_cap)
{
    if (count < *cap)
        return items;
    if (*cap > SIZE_MAX / 2 / elem || first_cap > SIZE_MAX / elem)
        return NULL;
    size_t grown = *cap ? *cap * 2 : first_cap;
    void *p = realloc(items, grown * elem);
    if (p != NULL)
        *cap = grown;
    return p;
}

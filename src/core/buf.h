/* buf.h - growable byte buffers with a hard maximum.
 *
 * Every buffer that client input can grow is created with a maximum size, so
 * no request can make it grow without bound. The contents are always
 * NUL-terminated (the NUL is not counted in len), so text can be read as a C
 * string. Lifecycle: buf_init (no allocation), buf_release (frees contents,
 * buffer stays usable), buf_detach (hands the memory to the caller). */
#ifndef RAPORTAI_CORE_BUF_H
#define RAPORTAI_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NUL-terminated contents, or NULL while empty */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the most len may ever reach */
} buf;

/* Prepares an empty buffer that may hold at most max bytes. Cannot fail. */
void buf_init(buf *b, size_t max);
/* Frees the contents; the buffer is empty afterwards, with the same max. */
void buf_release(buf *b);
/* Returns the contents (caller frees) and leaves the buffer empty; never
 * NULL: an empty buffer yields an allocated "" or NULL on out of memory. */
char *buf_detach(buf *b);

/* Append n bytes. RA_ERR_TOO_LARGE when max would be passed,
 * RA_ERR_NOMEM when allocation fails; on error nothing was appended. */
int buf_append(buf *b, const void *data, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Returns the contents as a C string, "" while empty. */
const char *buf_str(const buf *b);
/* Shortens the contents to their first len bytes (nothing happens when
 * len >= b->len), keeping the allocation. Cannot fail. */
void buf_truncate(buf *b, size_t len);

/* Room for one more element in a growable array of elements of elem
 * bytes holding count of *cap: returns items itself while count < *cap,
 * else items reallocated to twice *cap (first_cap the first time), with
 * *cap updated. NULL when memory ran out: items and *cap are unchanged and
 * still owned by the caller. */
void *ra_array_reserve(void *items, size_t count, size_t *cap, size_t elem, size_t first_cap);

#endif

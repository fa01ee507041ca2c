/* words.c - a dictation cut into folded words with their typed places (see
 * words.h). */
#include "structuring/words.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"

static int words_push(report_words *ws, report_word w)
{
    report_word *p = ra_array_reserve(ws->w, ws->n, &ws->cap, sizeof *p, 256);
    if (p == NULL)
        return RA_ERR_NOMEM;
    ws->w = p;
    ws->w[ws->n++] = w;
    return RA_OK;
}

/* The folded form of the n bytes at w (see text_fold): short ASCII words
 * are folded here into small (smallsz bytes), others into a new string.
 * NULL when out of memory; free the result unless it is small. */
static char *words_fold(const char *w, size_t n, char *small, size_t smallsz)
{
    int ascii = n < smallsz;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)w[i] < 0x80;
    if (!ascii) {
        char *raw = strndup(w, n);
        char *f = raw != NULL ? text_fold(raw) : NULL;
        free(raw);
        return f;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = w[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        small[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : alnum ? ch : ' ';
    }
    small[n] = '\0';
    return small;
}

/* Folds the typed word [start, end) and adds one word per folded word. */
static int words_add(report_words *ws, size_t start, size_t end, int sent)
{
    char small[128];
    char *f = words_fold(ws->text + start, end - start, small, sizeof small);
    int rc = f != NULL ? RA_OK : RA_ERR_NOMEM;
    int first = 1;
    for (char *p = f; rc == RA_OK && *p != '\0';) {
        size_t n = strcspn(p, " ");
        if (n > 0) {
            report_word w = {start, end, ws->folds.len, (unsigned char)first, (unsigned char)sent};
            rc = buf_append(&ws->folds, p, n);
            if (rc == RA_OK)
                rc = buf_putc(&ws->folds, '\0');
            if (rc == RA_OK)
                rc = words_push(ws, w);
            first = sent = 0;
        }
        p += n;
        p += *p == ' ';
    }
    if (f != small)
        free(f);
    return rc;
}

int report_words_read(const char *text, report_words *out)
{
    *out = (report_words){.text = text};
    buf_init(&out->folds, 2 * strlen(text) + 64);
    int rc = RA_OK, sent = 1;
    size_t p = 0;
    while (text[p] != '\0' && rc == RA_OK) {
        if ((unsigned char)text[p] <= 0x20) {
            sent |= text[p] == '\n';
            p++;
            continue;
        }
        size_t e = p;
        while (text[e] != '\0' && (unsigned char)text[e] > 0x20)
            e++;
        rc = words_add(out, p, e, sent);
        sent = strchr(".?!", text[e - 1]) != NULL;
        p = e;
    }
    if (rc != RA_OK)
        report_words_release(out);
    return rc;
}

void report_words_release(report_words *ws)
{
    if (ws == NULL)
        return;
    free(ws->w);
    buf_release(&ws->folds);
    ws->w = NULL;
    ws->n = ws->cap = 0;
}

const char *report_words_at(const void *ctx, size_t i)
{
    const report_words *ws = ctx;
    return i < ws->n ? ws->folds.data + ws->w[i].fold : "";
}

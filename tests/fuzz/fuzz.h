/* fuzz.h - what the libFuzzer targets of tests/fuzz share: the entry point's
 * prototype and one way to cut an input into text fields, so that every
 * seed is a readable file. A field ends at a line "---" ("\n---\n"); fields
 * are NUL-terminated copies (text past an embedded NUL is simply not seen
 * by the C string APIs, as it would not be by ours). */
#ifndef RAPORTAI_TESTS_FUZZ_H
#define RAPORTAI_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_SEP "\n---\n"

/* The fields of an input: at most max of them, the last holding the rest.
 * text is one allocation holding them all (fuzz_fields_release frees it). */
typedef struct fuzz_fields {
    char *text;
    const char *f[20];
    size_t n;
} fuzz_fields;

/* Cuts data into at most max (<= 20) fields; missing ones are "". Aborts
 * when memory runs out (the fuzzer reports it). */
static inline void fuzz_fields_cut(const uint8_t *data, size_t size, size_t max, fuzz_fields *out)
{
    out->text = malloc(size + 1);
    if (out->text == NULL)
        abort();
    memcpy(out->text, data, size);
    out->text[size] = '\0';
    out->n = 0;
    char *p = out->text;
    size_t sep = strlen(FUZZ_SEP);
    while (out->n + 1 < max) {
        char *end = memmem(p, size - (size_t)(p - out->text), FUZZ_SEP, sep);
        if (end == NULL)
            break;
        *end = '\0';
        out->f[out->n++] = p;
        p = end + sep;
    }
    out->f[out->n++] = p;
    for (size_t i = out->n; i < max; i++)
        out->f[i] = "";
}

static inline void fuzz_fields_release(fuzz_fields *f)
{
    free(f->text);
    f->text = NULL;
}

/* A NUL-terminated copy of data (caller frees). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif

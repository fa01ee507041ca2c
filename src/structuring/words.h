/* words.h - a dictation cut into folded words that remember where they
 * were typed: the reader the multi-exam splitter (split.c) and the anatomy
 * reader (anatomy.c) share.
 *
 * A typed word is a run of bytes without whitespace; it is folded
 * (core/text.h text_fold: lowercase with Turkish rules, accents removed),
 * and every folded word it holds becomes one word here ("L4-L5," gives
 * "l4" and "l5", both pointing at the bytes of "L4-L5,"). A word after a
 * typed . ? ! or a line break starts a sentence, as does the first.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h). THREAD SAFETY: a
 * report_words is used by one thread at a time; different ones at once. */
#ifndef RAPORTAI_STRUCTURING_WORDS_H
#define RAPORTAI_STRUCTURING_WORDS_H

#include <stddef.h>

#include "core/buf.h"

typedef struct report_word {
    size_t start, end;   /* bytes of the whole typed word in the text */
    size_t fold;         /* offset of this folded word in report_words.folds */
    unsigned char first; /* the first folded word of its typed word */
    unsigned char sent;  /* starts a sentence */
} report_word;

typedef struct report_words {
    const char *text; /* borrowed: the text read */
    report_word *w;   /* n words, in order */
    size_t n, cap;
    buf folds; /* the folded words, each NUL-terminated */
} report_words;

/* Reads text (UTF-8; the caller has checked it) into *out, which owns what
 * it holds until report_words_release; out->text borrows text. RA_ERR_NOMEM
 * (nothing is held then). */
int report_words_read(const char *text, report_words *out);

/* Frees what ws holds; a zeroed or released ws is ignored. */
void report_words_release(report_words *ws);

/* The folded word i of ws (a const report_words *), "" past the end. Its
 * signature is structuring/lang.h's report_word_at, for the matchers there. */
const char *report_words_at(const void *ws, size_t i);

#endif

/* internal.h - helpers shared by the asr module's files (not part of the
 * public API): a string-to-index hash map, atomic file output, line reading,
 * the words of spoken punctuation, audio held in memory as an asr_audio,
 * sphinxbase's messages, and the ARPAbet phone set. */
#ifndef RAPORTAI_ASR_INTERNAL_H
#define RAPORTAI_ASR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "asr/asr.h"

#define ASR_MAX_WORD 64          /* longest word kept, in bytes */
#define ASR_MAX_LINE 65536       /* longest line read from a corpus or dictionary */
#define ASR_MAX_TEXT (16u << 20) /* largest text normalised or file read */

/* An open-addressing hash map from strings to dense indexes 0..count-1, in
 * insertion order. Keys are copied. */
typedef struct asr_strmap {
    char **keys;     /* keys[i] is the key of index i */
    size_t count;    /* keys stored */
    size_t *slots;   /* index + 1, or 0 for an empty slot */
    size_t nslots;   /* a power of two, at least 2 * count */
    size_t keys_cap; /* allocated entries of keys */
} asr_strmap;

void asr_strmap_init(asr_strmap *m);
void asr_strmap_release(asr_strmap *m);
/* The index of key, or -1 when absent. */
long asr_strmap_find(const asr_strmap *m, const char *key);
/* The index of the first n bytes at key, adding them when absent; *index
 * receives it. RA_ERR_NOMEM only (the map is unchanged then). */
int asr_strmap_add(asr_strmap *m, const char *key, size_t n, size_t *index);

/* An output file written under a temporary name and renamed over path by
 * asr_out_commit, so readers never see half a file. */
typedef struct asr_out {
    FILE *fp;
    char *tmp_path;
    const char *path;
} asr_out;

/* RA_ERR_IO or RA_ERR_NOMEM on failure (err names the path). */
int asr_out_open(asr_out *o, const char *path, char *err, size_t errlen);
/* Flushes, syncs and renames; on any failure the temporary file is removed
 * and RA_ERR_IO returned. Closes o in every case. */
int asr_out_commit(asr_out *o, char *err, size_t errlen);
/* Closes and removes the temporary file; safe after a failed open. */
void asr_out_abort(asr_out *o);

/* Reads the next line of fp (without the newline, '\r' stripped) into
 * *line (reallocated as needed, *cap its size). Returns 1 for a line, 0 at
 * the end, RA_ERR_TOO_LARGE for a line over ASR_MAX_LINE, RA_ERR_NOMEM. */
int asr_read_line(FILE *fp, char **line, size_t *cap);

/* What a piece of spoken punctuation or layout does. */
typedef enum asr_mark {
    ASR_MARK_END,   /* ends a sentence: "period", "question mark", "new line", ... */
    ASR_MARK_COMMA, /* "comma" */
    ASR_MARK_COLON, /* "colon" (or the organ: the caller decides) */
} asr_mark;

/* How many words (1 or 2) of spoken punctuation or layout (as norm.c
 * writes it, and "full stop", "next line", "new paragraph" as dictated)
 * start with the word w of n bytes, followed by next of nn bytes (NULL at
 * the end); 0 when none does. *kind receives what the mark does. */
size_t asr_spoken_mark(const char *w, size_t n, const char *next, size_t nn, asr_mark *kind);

/* Audio held in memory. */
typedef struct asr_pcm {
    const int16_t *pcm;
    size_t n;
} asr_pcm;

/* b as an asr_audio that plays its samples in one sink call; b must
 * outlive the result (stream.c). */
asr_audio asr_audio_of(const asr_pcm *b);

/* Sends sphinxbase's messages to our log (errors at debug level, nothing
 * else) instead of stderr; once per process, from any thread (local.c). */
void asr_sphinx_quiet(void);

/* The ARPAbet phones of the pocketsphinx en-us acoustic model (without SIL
 * and the noise phones), sorted; ASR_NPHONES of them. */
#define ASR_NPHONES 39
extern const char *const asr_phones[ASR_NPHONES];

#endif

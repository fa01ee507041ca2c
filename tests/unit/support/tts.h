/* tts.h - English speech synthesised at test time for the unit tests of
 * the speech engine (nothing binary is committed): espeak-ng speaks, sox
 * converts to what the engine decodes (16 kHz mono signed 16-bit
 * little-endian samples). Both commands come from scripts/deps.sh. And
 * the check those tests make of what the engine heard: a whole word.
 *
 * Fails the running test (Criterion assertions) when a command is missing
 * or fails. THREAD SAFETY: one call at a time per folder (the files it
 * writes there have fixed names). */
#ifndef RAPORTAI_TESTS_TTS_H
#define RAPORTAI_TESTS_TTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Speaks text in US English at wpm words a minute into dir/speech.wav,
 * converts it into dir/speech.raw and returns its samples (caller frees),
 * their count in *n. With ssml, text may hold SSML (<break time="700ms"/>).
 * text is put in single quotes on a shell command line: it must hold none. */
int16_t *tts_speak(const char *dir, const char *text, int wpm, bool ssml, size_t *n);

/* 1 when word stands in text as a whole word (between spaces or the ends
 * of text), else 0. */
int tts_has_word(const char *text, const char *word);

#endif

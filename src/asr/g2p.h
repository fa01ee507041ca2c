/* g2p.h - the asr module's internal espeak-ng letter-to-sound batch API
 * (g2p.c owns every espeak-ng call). g2p_begin takes a process-wide lock
 * and starts espeak-ng the first time; g2p_end releases the lock (espeak-ng
 * stays loaded until exit, see g2p.c); between them g2p_word may be called
 * any number of times on that thread. */
#ifndef RAPORTAI_ASR_G2P_H
#define RAPORTAI_ASR_G2P_H

#include <stddef.h>

#include "core/buf.h"

/* Locks, and starts espeak-ng with the en-us voice unless it runs already.
 * RA_ERR_IO (lock released, nothing to end) when espeak-ng cannot start. */
int g2p_begin(char *err, size_t errlen);
/* Unlocks. */
void g2p_end(void);
/* Writes the ARPAbet phones of word (lowercase letters and apostrophes)
 * into out, which must be empty, separated by single spaces. Between
 * g2p_begin and g2p_end only. RA_ERR_INVALID for another word or an
 * unmappable result, RA_ERR_NOMEM, RA_ERR_TOO_LARGE; out may then hold part
 * of a result and should be released. */
int g2p_word(const char *word, buf *out);

#endif

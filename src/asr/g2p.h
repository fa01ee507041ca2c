/* g2p.h - the asr module's internal espeak-ng letter-to-sound batch API
 * (g2p.c owns every espeak-ng call). g2p_begin takes a process-wide lock
 * and starts espeak-ng; g2p_end stops it and releases the lock; between
 * them g2p_word may be called any number of times on that thread. */
#ifndef RAPORTAI_ASR_G2P_H
#define RAPORTAI_ASR_G2P_H

#include <stddef.h>

#include "core/buf.h"

/* Locks and starts espeak-ng with the en-us voice. RA_ERR_IO (lock
 * released, nothing to end) when espeak-ng cannot start. */
int g2p_begin(char *err, size_t errlen);
/* Stops espeak-ng and unlocks. */
void g2p_end(void);
/* Appends the ARPAbet phones of word (lowercase letters and apostrophes)
 * to out, space-separated, without a leading space when out is empty.
 * RA_ERR_INVALID for another word or an unmappable result (out may then
 * hold part of it: callers truncate), RA_ERR_NOMEM, RA_ERR_TOO_LARGE. */
int g2p_word(const char *word, buf *out);

#endif

/* anatomy.h - which body part a dictation or a report speaks of: the words
 * of the language tables' anatomy lists (structuring/lang.h `anatomy`, one list
 * per body-part value: "menisc*" the knee, "l4" the lumbar spine, "lung*"
 * the chest) found in a text. The multi-exam split (structuring/split.h) weighs
 * them as evidence of which exam a piece of dictation belongs to and to
 * doubt a boundary it found; the job pipeline warns when a finished report
 * speaks of another exam's anatomy (REPORT_WARN_OTHER_EXAM).
 *
 * A place speaks of body part b when an alternative of b's list matches
 * there. Read for an exam whose own body part is `own`, a place that also
 * matches own's list is the exam's own anatomy and evidence of nothing else
 * ("lung bases" in an abdominal report, "disc" in a cervical one).
 *
 * Body parts are indexes of report_body_values; sets of them are bit masks
 * (bit b). Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are
 * written only on success. THREAD SAFETY: any thread, at once (the tables
 * are read-only). */
#ifndef RAPORTAI_STRUCTURING_ANATOMY_H
#define RAPORTAI_STRUCTURING_ANATOMY_H

#include <stddef.h>
#include <stdint.h>

#include "structuring/facts.h"
#include "structuring/lang.h"
#include "structuring/structure.h"

#define REPORT_ANATOMY_NONE (-1) /* `own` of a text read for no exam */

/* The body parts whose anatomy list matches at word i (words through
 * word(ctx, i), folded as structuring/lang.h says) in L, as a mask; *len gets
 * the words of the longest match (0 and an empty mask when none does).
 * Cannot fail. */
uint32_t report_anatomy_at(const report_lang *L, report_word_at word, const void *ctx, size_t i,
                           size_t *len);

/* What a text says of the body parts asked about. */
typedef struct report_anatomy_found {
    unsigned hits[REPORT_BODY_PARTS]; /* places speaking of each part (not of own) */
    size_t start[REPORT_BODY_PARTS];  /* bytes of the first such place in the text, */
    size_t end[REPORT_BODY_PARTS];    /* as typed (whole typed words) */
} report_anatomy_found;

/* Reads text (UTF-8, at most REPORT_MAX_TRANSCRIPT_BYTES) in lang for the
 * body parts of mask among, as an exam of body part own
 * (REPORT_ANATOMY_NONE: none) reads it (see the top). *out is overwritten.
 * RA_ERR_INVALID (NULL argument, a language without tables, text that is
 * not UTF-8), RA_ERR_TOO_LARGE, RA_ERR_NOMEM. */
int report_anatomy_scan(const char *text, const char *lang, uint32_t among, int own,
                        report_anatomy_found *out);

/* Adds to *w, once per section and body part, a REPORT_WARN_OTHER_EXAM
 * warning for each section of report (written in lang) that speaks of the
 * anatomy of a body part of mask others, read as an exam of body part own
 * (own's bit in others is ignored); the warning's text is the place as the
 * report writes it. Warnings past REPORT_WARNINGS_MAX are counted in
 * w->more. Errors as report_anatomy_scan; *w may then hold some of them. */
int report_anatomy_warn(const report_sections *report, const char *lang, int own, uint32_t others,
                        report_warnings *w);

#endif

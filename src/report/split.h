/* split.h - multi-exam splitting: one dictation that covers several exams
 * (a PACS job) cut into one part per exam, so each exam's report holds only
 * its own findings. Runs before report_structure, on the raw transcript:
 * each part is a piece of the transcript, spoken commands still in it.
 *
 * How the transcript is cut. Words are compared in folded form (text_fold:
 * case, accents and Turkish dotted/dotless i ignored); the spoken words are
 * those of the dictation's language (report/lang.h tables: tr, en, ru, az,
 * fr, de). Cues:
 *
 * - The exam's name ("Beyin BT", "Brain CT"), all its words in a row.
 * - Its modality word and its body-part word within four words of each
 *   other, in either order: "beyin bt", "bt beyin", "brain ct", "ct of the
 *   brain", "mri of the lumbar spine", "lomber emar". The modality and body
 *   part come from the hint, else are inferred from the exam name
 *   (catalog_infer_modality / catalog_infer_body_part); their values are the
 *   catalog's ("CT", "MR", "US", "XR", "MG", "NM", "PT", "DXA", "XA", "RF";
 *   "brain", "lumbar_spine", "chest", ...); an exam name is read in the
 *   words of every language ("Beyin BT" is a brain CT whatever the
 *   dictation's language). Spoken forms include CT: ct, bt, tomografi, кт,
 *   мскт, kt, scanner, tdm; MR: mr, mri, emar, мрт, mrt, irm, Kernspin; US:
 *   usg, ultrasound, узи, usm, échographie, Sonographie; XR: x ray,
 *   röntgen, "...grafi", рентген, radiographie; body parts with their
 *   suffixes and inflections (beyin, akciğerlerde, lomber, головного мозга,
 *   поясничного, bel, cérébral, lombaire, Schädel, LWS, ...).
 * - The modality word alone, at the start of a sentence or right after a
 *   transition, when exactly one exam has that modality ("... nokta mr
 *   incelemede ...", "ikinci tetkik mr ...").
 * - A body-part word alone, when exactly one exam has that body part, right
 *   after a transition ("next exam knee ...") or as a title of its own: at
 *   a sentence start and followed (after the language's title words) by a
 *   colon or a sentence end ("Lumbar spine: ...", "diz nokta ..."). Nowhere
 *   else: an abdominal CT mentions the lung bases.
 * - Its accession number spoken: the accession's letters and digits, or its
 *   digits alone when there are at least three ("ACC-2026-001" is heard as
 *   "acc 2026 001" or "2026 001").
 * - Transitions: "next exam", "second study", "exam number two", "ikinci
 *   tetkik", "diğer tetkik", "sonraki inceleme", "второе исследование",
 *   "следующее исследование", "ikinci müayinə", "növbəti müayinə",
 *   "deuxième examen", "l'examen suivant", "zweite Untersuchung",
 *   "nächste Untersuchung" and the like. An ordinal
 *   names the exam in the list when that exam has no text yet, else the
 *   first exam without text; "next"/"other" the first exam without text. A
 *   transition followed within six words by another cue takes that cue's
 *   exam. The transition words themselves (and a colon right after them)
 *   are dropped from the parts.
 *
 * An identity cue is ignored when it refers back to an earlier exam rather
 * than starting one ("önceki beyin bt ile karşılaştırıldığında", "compared
 * with the prior ct of the brain", "mr ile korelasyon önerilir", "по
 * данным кт", "MRT empfohlen"), and when it
 * names the exam already being dictated. Each cut is moved back to the start
 * of its sentence when that is at most five words away ("şimdi lomber mr").
 * Text before the first cut goes to the exam its words point to (body-part
 * and modality words that only one exam has, most votes), else to the first
 * exam. An exam dictated in several pieces gets them in order, joined by a
 * line break.
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written only
 * on success. THREAD SAFETY: may run on any thread at once. */
#ifndef RAPORTAI_REPORT_SPLIT_H
#define RAPORTAI_REPORT_SPLIT_H

#include <stddef.h>

#define REPORT_SPLIT_MAX_EXAMS 64 /* more exams are refused */

/* What is known of one exam; every field may be NULL. Borrowed: the caller
 * keeps them alive for the duration of the call. */
typedef struct report_exam_hint {
    const char *exam_name; /* "Beyin BT", "Brain CT" (the SUT catalog's name) */
    const char *modality;  /* catalog value: "CT", "MR", ... */
    const char *body_part; /* catalog value: "brain", "lumbar_spine", ... */
    const char *accession; /* "ACC-2026-001" */
} report_exam_hint;

/* Splits transcript (UTF-8, at most REPORT_MAX_TRANSCRIPT_BYTES) into n
 * parts, one per exam in exams[0..n-1], as described above, in language
 * lang (as report_lang_normalize reads it). On success
 * parts[i] is a malloc'd string for every i (caller frees each): that exam's
 * part, trimmed, or "" when the exam was not found. One exam takes the whole
 * transcript, trimmed. Errors: RA_ERR_INVALID (NULL argument, n of 0 or over
 * REPORT_SPLIT_MAX_EXAMS, unsupported language, text that is not UTF-8),
 * RA_ERR_TOO_LARGE, RA_ERR_NOMEM; parts is then untouched. */
int report_split(const char *transcript, const char *lang, const report_exam_hint *exams, size_t n,
                 char **parts);

#endif

/* split.h - multi-exam splitting: one dictation that covers several exams
 * (a PACS job) cut into one part per exam, so each exam's report holds only
 * its own findings. Runs before report_structure, on the raw transcript:
 * each part is a piece of the transcript, spoken commands still in it.
 *
 * How the transcript is cut. Words are compared in folded form (text_fold:
 * case, accents and Turkish dotted/dotless i ignored); the spoken words are
 * those of the dictation's language (structuring/lang.h tables: tr, en, ru, az,
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
 * - The matched template's name, as the exam's name ("Lumbar Spine MR" for
 *   a catalog's "Lomber MR").
 * - The modality word alone, at the start of a sentence or right after a
 *   transition, when exactly one exam has that modality ("... nokta mr
 *   incelemede ...", "ikinci tetkik mr ...").
 * - A body-part word alone (its synonyms included: head for brain, thorax
 *   and lungs for chest, "l spine" for lumbar), when exactly one exam has
 *   that body part: right after a transition ("next exam knee ..."); as a
 *   title of its own, at a sentence start and followed (after the
 *   language's title and modality words) by a colon, a sentence end or a
 *   section heading ("Lumbar spine: ...", "diz nokta ...", "Knee. Findings
 *   ..."); as such a title with up to two words the speech engine misheard
 *   (a modality heard as something else: "Lumbar is tear. Findings ...")
 *   when a heading that starts a report follows (findings, technique,
 *   clinical information, comparison); and in a run with no sentence marks,
 *   as a title right before a section heading ("... normal head ct lumbar
 *   spine findings there is ...") unless the word before it makes it part
 *   of a sentence ("the lumbar spine", "prior"). Nowhere else: an
 *   abdominal CT mentions the lung bases.
 * - Its accession number spoken: the accession's letters and digits, or its
 *   digits alone when there are at least three ("ACC-2026-001" is heard as
 *   "acc 2026 001" or "2026 001").
 * - Transitions: "next exam", "second study", "exam number two", "ikinci
 *   tetkik", "diğer tetkik", "sonraki inceleme", "второе исследование",
 *   "следующее исследование", "ikinci müayinə", "növbəti müayinə",
 *   "deuxième examen", "l'examen suivant", "zweite Untersuchung",
 *   "nächste Untersuchung" and the like. An ordinal
 *   names the exam in the list when that exam has no text yet, else the
 *   first exam without text; "next"/"other" the first exam without text;
 *   but when the words up to the next cue point at one other exam without
 *   text (its anatomy), they are that exam's (a misheard ordinal). A
 *   transition followed within six words by another cue takes that cue's
 *   exam. The transition words themselves (and a colon right after them)
 *   are dropped from the parts.
 *
 * An identity cue is ignored when it refers back to an earlier exam rather
 * than starting one ("önceki beyin bt ile karşılaştırıldığında", "compared
 * with the prior ct of the brain", "mr ile korelasyon önerilir", "по
 * данным кт", "MRT empfohlen"), and when it
 * names the exam already being dictated. Each cut is moved back to the start
 * of its sentence when only title or transition words, at most five, lie
 * between ("şimdi lomber mr", "noncontrast head ct").
 * An exam dictated in several pieces gets them in order, joined by a line
 * break.
 *
 * Text goes to an exam only with evidence that it is that exam's. The text
 * before the first cue (the head) belongs to: the first exam when a
 * transition ends it ("... next exam"; "... third exam": the second); else
 * the exam its words point at, when they point at one only (a body-part
 * or anatomy word only that exam has: structuring/anatomy.h); else
 * the one exam no cue named, when the head points at no other; else, when
 * every exam was named and the head points at none, the exam whose title
 * follows it (a preamble: "clinical information back pain. lumbar spine
 * mri ..."). Otherwise the split is unsure of the exams it may belong to
 * (those no cue named, and those it points at): REPORT_SPLIT_UNSURE, never
 * a guess. A dictation that names none of the exams (no cue at all) goes
 * to one exam only when its first six words point at that exam alone
 * ("beyin parankimi normal ..."); else the split is unsure of every exam.
 *
 * A title the speech engine did not hear at all leaves two reports in one
 * piece: when a piece spoke of its own exam's anatomy and closed with a
 * conclusion or impression, then from one sentence on speaks only of the
 * anatomy of an exam no cue named (two places at least) and closes again,
 * that sentence starts the other exam's part ("... Impression. Hepatic
 * steatosis. [misheard title] The thyroid is normal ... Impression. Benign
 * thyroid nodule.").
 *
 * Then the parts are checked (report_split_verify): a part that speaks of
 * the anatomy of an exam with no part of its own (a boundary was missed:
 * "head ct ... lumbar spine there is a disc herniation at l5 s1" with the
 * lumbar title unrecognised), or that speaks more of another exam's
 * anatomy than of its own, at two places at least, makes the split unsure
 * of both exams. Exams of one body part are not told apart by anatomy: for
 * them, a part that names the modality of such an exam left without
 * dictation, other than as a mention ("ultrasound is recommended"), makes
 * the split unsure of both ("Mammography. ... Breast ultrasound. ..." with
 * the second title missed).
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written only
 * on success. THREAD SAFETY: may run on any thread at once. */
#ifndef RAPORTAI_STRUCTURING_SPLIT_H
#define RAPORTAI_STRUCTURING_SPLIT_H

#include <stddef.h>

#define REPORT_SPLIT_MAX_EXAMS 64 /* more exams are refused */

/* What is known of one exam; every field may be NULL. Borrowed: the caller
 * keeps them alive for the duration of the call. */
typedef struct report_exam_hint {
    const char *exam_name;     /* "Beyin BT", "Brain CT" (the SUT catalog's name) */
    const char *modality;      /* catalog value: "CT", "MR", ... */
    const char *body_part;     /* catalog value: "brain", "lumbar_spine", ... */
    const char *accession;     /* "ACC-2026-001" */
    const char *template_name; /* the matched template's name: "Lumbar Spine MR" */
} report_exam_hint;

/* What the split found for one exam. */
typedef enum report_split_outcome {
    REPORT_SPLIT_PLACED, /* its part holds its dictation */
    REPORT_SPLIT_ABSENT, /* nothing was dictated for it: its part is "" */
    REPORT_SPLIT_UNSURE, /* where its dictation begins or ends could not be
                            established: its part is "" */
} report_split_outcome;

/* Splits transcript (UTF-8, at most REPORT_MAX_TRANSCRIPT_BYTES) into n
 * parts, one per exam in exams[0..n-1], as described above, in language
 * lang (as report_lang_normalize reads it), checked by
 * report_split_verify. On success parts[i] is a malloc'd string for every
 * i (caller frees each): that exam's part, trimmed, or "" when the exam was
 * not found or the split is unsure of it; outcomes[i] says which. One exam
 * takes the whole transcript, trimmed (ABSENT when it is blank). Errors:
 * RA_ERR_INVALID (NULL argument, n of 0 or over REPORT_SPLIT_MAX_EXAMS,
 * unsupported language, text that is not UTF-8), RA_ERR_TOO_LARGE,
 * RA_ERR_NOMEM; parts and outcomes are then untouched. */
int report_split(const char *transcript, const char *lang, const report_exam_hint *exams, size_t n,
                 char **parts, report_split_outcome *outcomes);

/* The body part (an index of report_body_values) of each of the n exams
 * into bodies[0..n): the hint's value, else what its modality or name
 * names in any language ("Beyin BT" is brain), else -1. Errors:
 * RA_ERR_INVALID (a name that is not UTF-8), RA_ERR_NOMEM. */
int report_split_body_parts(const report_exam_hint *exams, size_t n, int *bodies);

/* Checks a split of a dictation in lang between the n exams, by any
 * engine, against the anatomy its parts speak of (see above), and makes
 * every exam it doubts REPORT_SPLIT_UNSURE, its part replaced by "".
 * parts[i] (malloc'd, "" for no text) and outcomes[i] (PLACED or ABSENT as
 * the engine found; UNSURE stays) are read and updated in place. Errors:
 * RA_ERR_INVALID (a NULL argument, n of 0 or too many, an unsupported
 * language, a name or part that is not UTF-8), RA_ERR_TOO_LARGE,
 * RA_ERR_NOMEM; some exams may then already be UNSURE. */
int report_split_verify(const char *lang, const report_exam_hint *exams, size_t n, char **parts,
                        report_split_outcome *outcomes);

#endif

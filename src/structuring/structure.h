/* structure.h - the rules structurer: turns a dictated transcript into the
 * report's sections (findings, conclusion, impression, technique, clinical
 * information, comparison), applying spoken punctuation and layout commands.
 *
 * Input is UTF-8 text either as a speech engine writes it (lowercase words,
 * no punctuation: "bulgular iki nokta beyin parankimi normal nokta") or as an
 * integrator types it ("FINDINGS: Normal brain.\nIMPRESSION: Normal."); both
 * are handled, and typed punctuation passes through.
 *
 * What report_structure does, in order, for each word of the transcript:
 *
 * Every word below comes from the language's table (structuring/lang.h, one
 * lang_<code>.c per language); this file's logic is the same for all.
 *
 * - Section words start a section and are removed from the text. Matching
 *   ignores case and accents with Turkish casing (I/ı, İ/i; "SONUÇ",
 *   "Sonuç", "sonuc"; "İZLENİM", "IZLENIM"; "ЗАКЛЮЧЕНИЕ"; "Nəticə";
 *   "RÉSULTATS"; "BEURTEILUNG"). The main ones (see lang_<code>.c for all):
 *     tr: bulgular, sonuç (also "sonuç olarak", "sonuç ve öneriler",
 *         yorum), izlenim, teknik, klinik bilgi / klinik öykü / endikasyon /
 *         anamnez / ön tanı / klinik, karşılaştırma;
 *     en: findings, conclusion(s) (also "in conclusion"), impression,
 *         technique, clinical information / clinical history / history /
 *         indication(s), comparison;
 *     ru: описание / находки / результаты, заключение (also "в
 *         заключение", выводы), впечатление, техника / методика, клинические
 *         данные / анамнез / показания, сравнение;
 *     az: tapıntılar / bulğular / təsvir, nəticə / rəy / yekun, təəssürat,
 *         texnika, kliniki məlumat / anamnez, müqayisə;
 *     fr: résultats / constatations / description, conclusion (also "en
 *         conclusion", "au total"), impression, technique / protocole,
 *         renseignements cliniques / indication / contexte, comparaison /
 *         examens antérieurs;
 *     de: Befund / Befunde, Beurteilung / Zusammenfassung / Fazit, Eindruck,
 *         Technik, klinische Angaben / Fragestellung / Anamnese /
 *         Indikation, Vergleich / Voraufnahmen / Vorbefunde.
 *   A section word is a heading only where it plausibly is one: when a colon
 *   (":", "colon", "iki nokta", "двоеточие", "deux points", "Doppelpunkt")
 *   or a line break follows it; else at the start
 *   of the transcript or of a sentence; else in mid-sentence for the strong
 *   words (sonuç, izlenim, conclusion, impression, заключение, nəticə,
 *   Beurteilung, ...) or while the current
 *   section is one that precedes findings in a report (clinical
 *   information, technique, comparison). Without a following colon or line
 *   break it is never a heading when the next word continues a sentence
 *   ("findings of", "findings are", "klinik korelasyon", "teknik olarak",
 *   "описание не", "Befund ist"), and only at a sentence start or after a
 *   heading when the word before it qualifies it ("no findings", "the
 *   impression", "bu sonuç", "создается впечатление", "zur Beurteilung").
 *   Turkish "bulgular" (and Azerbaijani "tapıntılar") is not a heading in a
 *   sentence that ends as a conclusion does ("bulgular pnömoni ile
 *   uyumludur", "... düşündürür", "... lehine", "... olabilir"). Text
 *   before any heading is findings; a section named twice continues on a
 *   new line.
 * - An exam title dictated before the first heading ("beyin bt bulgular
 *   ...", "CT of the brain without contrast. Findings: ...") is dropped: at
 *   most six words, at least one a modality word of the language (ct, bt,
 *   mr, mri, usg, x-ray, ...grafi, кт, мрт, irm, MRT, ...), the others its
 *   body parts or words that qualify an exam (of, the, with, without,
 *   contrast, kontrastsız, sağ, left, pa, головного, des, ...).
 *   Anything else before the first heading ("no acute hemorrhage on ct")
 *   stays findings.
 * - Spoken punctuation and layout:
 *     en: period, full stop, comma, colon, semicolon, question mark, new
 *         line, new paragraph, open/close parenthesis (or bracket), hyphen,
 *         dash, slash;
 *     tr: nokta, virgül, iki nokta, noktalı virgül, soru işareti, yeni satır,
 *         satır başı, yeni paragraf, parantez aç, parantez kapat, tire, kısa
 *         çizgi, eğik çizgi;
 *     ru: точка, запятая, двоеточие, точка с запятой, вопросительный знак,
 *         новая строка, с новой строки, новый абзац, абзац, открыть/закрыть
 *         скобку, дефис, тире, косая черта;
 *     az: nöqtə, vergül, iki nöqtə, nöqtəli vergül, sual işarəsi, yeni
 *         sətir, yeni abzas, mötərizə aç/bağla, tire, defis, çəp xətt;
 *     fr: point, virgule, deux points, point-virgule, point d'interrogation,
 *         à la ligne, nouvelle ligne, nouveau paragraphe, ouvrir/fermer la
 *         parenthèse, tiret, trait d'union, barre oblique;
 *     de: Punkt, Komma, Doppelpunkt, Semikolon, Fragezeichen, neue Zeile,
 *         neuer Absatz, Absatz, Klammer auf/zu, Bindestrich, Schrägstrich.
 *   Words that are also ordinary words are guarded: English "colon" stays
 *   the organ after "the", "sigmoid", "ascending" and the like, before "is",
 *   "wall" and the like, and at a sentence start; "period" stays a word in
 *   "a period of"; Turkish "nokta" and Azerbaijani "nöqtə" stay words
 *   before "şeklinde", "şəklində"; Russian "точка" in "точка окостенения",
 *   "точка зрения"; French "point" in "au point de", "un point"; German
 *   "Punkt" after an article ("ein Punkt") and "Absatz" likewise. Hyphen,
 *   dash and slash join the words around them ("L4-L5").
 * - Measurements: numbers in digits or number words (0 to 999: "iki",
 *   "yirmi beş", "twenty five", "one hundred and ten", "двести пять",
 *   "quatre-vingt-dix", "zweiundzwanzig") with a unit become digits and the
 *   unit as the language writes it: "12 by 8 millimeters" -> "12 x 8 mm",
 *   "двенадцать на восемь миллиметров" -> "12 x 8 мм", "douze sur huit
 *   millimètres" -> "12 x 8 mm", "zwölf mal acht Millimeter" -> "12 x 8 mm",
 *   "beş millimetr" -> "5 mm", "iki santimetr" -> "2 sm" (Azerbaijani
 *   writes sm), "iki nokta beş santimetre" -> "2.5 cm". A decimal is
 *   written as dictated: a spoken point ("point", "nokta", "точка",
 *   "Punkt") as '.', a spoken comma ("virgül", "запятая", "vergül",
 *   "virgule", "Komma", "целых", "tam") as ','; "iki tam onda beş" and
 *   "две целых пять десятых" are 2,5; a half ("iki buçuk", "two and a
 *   half", "два с половиной", "deux centimètres et demi", "zwei einhalb")
 *   is ",5" (".5" in English). A suffix on a unit stays, after an
 *   apostrophe in Turkish ("üç santimetrelik" -> "3 cm'lik") and a hyphen
 *   in Azerbaijani ("üç santimetrlik" -> "3 sm-lik"). Without a unit only
 *   digit numbers are joined ("2 nokta 5" -> "2.5", "3 by 4" -> "3 x 4");
 *   number words stay words ("iki nokta" is then a colon, "bir adet"
 *   stays). Right after a section word, "iki nokta" is always its colon.
 * - Layout: no space before . , : ; ? ! ), none after (; repeated
 *   punctuation collapsed; a comma before a period dropped; punctuation at
 *   the start of a section or line dropped; at most one blank line; the
 *   first letter of each sentence and line uppercased (Turkish and
 *   Azerbaijani "i" -> "İ", Latin, Latin Extended-A and Cyrillic letters);
 *   common abbreviations uppercased when dictated in lowercase (ct, bt, mr,
 *   mri, usg, flair, dwi, adc, stir, pa, ap, hu, mrt, irm, tdm, кт, мрт,
 *   узи, l4, t2, s1, c5, ...); every
 *   line that ends without . ? ! or : gets a period (a trailing , ; or : of
 *   the section becomes a period). Typed text keeps its own spacing inside
 *   a word ("alert(1)", "2.5", "12:30", "e.g."), except that a space follows
 *   , ; : ? ! and a sentence's period.
 *
 * Languages: "tr", "en", "ru", "az", "fr", "de" ("tr-TR", "en_US", any
 * case). Adding one is adding a table (structuring/lang.h).
 *
 * Errors: RA_OK or a negative RA_ERR_* (core/err.h); outputs are written only
 * on success. THREAD SAFETY: every function may run on any thread at once
 * (the tables are read-only; no global state). */
#ifndef RAPORTAI_STRUCTURING_STRUCTURE_H
#define RAPORTAI_STRUCTURING_STRUCTURE_H

#include <stddef.h>

#include "core/sections.h"

#define REPORT_MAX_TRANSCRIPT_BYTES (1024u * 1024) /* longer transcripts refused */

/* The language code our tables use for lang: "tr", "en", "ru", "az", "fr"
 * or "de" for "tr", "TR", "tr-TR", "tr_TR", "en-US", "de_DE" and the like;
 * NULL for anything else (and for NULL). Returns a static string. */
const char *report_lang_normalize(const char *lang);

/* Structures transcript (UTF-8, at most REPORT_MAX_TRANSCRIPT_BYTES bytes)
 * as described above, in language lang. On success *out (whose previous
 * contents are overwritten, not freed) holds the sections; a transcript with
 * no words gives all sections NULL. Errors: RA_ERR_INVALID (NULL argument,
 * unsupported language, text that is not UTF-8), RA_ERR_TOO_LARGE (longer
 * than the maximum), RA_ERR_NOMEM; *out is then untouched. */
int report_structure(const char *transcript, const char *lang, report_sections *out);

/* As report_structure, with voice macros (structuring/macros.h): the macro word
 * and a macro's name insert its text for the section being written, as
 * sentences of their own. macros NULL: none (report_structure). */
typedef struct report_macro_set report_macro_set;
int report_structure_macros(const char *transcript, const char *lang,
                            const report_macro_set *macros, report_sections *out);

#endif

"""The rules engine in the guide's six languages, end to end through the
External API with no speech engine and no structuring engine configured:
a transcript job in each of tr, en, ru, az, fr and de is accepted and comes
back with every section in place (spoken headings with their casing,
spoken punctuation, numbers and units as the language writes them), and
with the default report's headings in that language; and a PACS job in
each language whose dictation names the second exam by modality and body
part, the first by ordinal and never the third, in that order: the two
named exams complete with their own parts, the third fails with
EMPTY_TRANSCRIPT and its credit comes back."""

import unittest

from jobs_helpers import REPORT, TEXT_TIMEOUT_S, JobsTest, pacs_fields, report_fields

# Every placeholder, one per line, so each section's text is checked exactly.
ALL_SECTIONS = ("K={{KLINIK}}\nT={{TEKNIK}}\nC={{KARSILASTIRMA}}\nB={{BULGULAR}}\n"
                "S={{SONUC}}\nI={{IZLENIM}}")

# language: (dictation, [clinical, technique, comparison, findings,
# conclusion, impression], the default report's findings and conclusion
# headings)
REPORTS = {
    "tr": ("klinik bilgi iki nokta baş ağrısı nokta teknik iki nokta kontrastsız kesitler nokta "
           "karşılaştırma iki nokta yok nokta bulgular iki nokta sağ böbrekte iki virgül beş "
           "santimetrelik kist nokta SONUÇ iki nokta basit renal kist nokta İZLENİM iki nokta "
           "istanbul protokolü",
           ["Baş ağrısı.", "Kontrastsız kesitler.", "Yok.", "Sağ böbrekte 2,5 cm'lik kist.",
            "Basit renal kist.", "İstanbul protokolü."], ("BULGULAR", "SONUÇ")),
    "en": ("clinical history colon headache period technique colon axial images period "
           "comparison colon none period findings colon a twelve by eight millimeters nodule "
           "period CONCLUSION colon benign nodule period impression colon follow up",
           ["Headache.", "Axial images.", "None.", "A 12 x 8 mm nodule.", "Benign nodule.",
            "Follow up."], ("FINDINGS", "CONCLUSION")),
    "ru": ("клинические данные двоеточие головная боль точка техника двоеточие нативное "
           "исследование точка сравнение двоеточие нет точка описание двоеточие узел двенадцать "
           "на восемь миллиметров точка ЗАКЛЮЧЕНИЕ двоеточие узел точка впечатление двоеточие "
           "контроль",
           ["Головная боль.", "Нативное исследование.", "Нет.", "Узел 12 x 8 мм.", "Узел.",
            "Контроль."], ("ОПИСАНИЕ", "ЗАКЛЮЧЕНИЕ")),
    "az": ("kliniki məlumat iki nöqtə baş ağrısı nöqtə texnika iki nöqtə kontrastsız nöqtə "
           "müqayisə iki nöqtə yoxdur nöqtə tapıntılar iki nöqtə sağ böyrəkdə beş millimetr "
           "kista nöqtə Nəticə iki nöqtə sadə kista nöqtə təəssürat iki nöqtə izləmə",
           ["Baş ağrısı.", "Kontrastsız.", "Yoxdur.", "Sağ böyrəkdə 5 mm kista.", "Sadə kista.",
            "İzləmə."], ("TAPINTILAR", "NƏTİCƏ")),
    "fr": ("renseignements cliniques deux points céphalées point technique deux points sans "
           "injection point comparaison deux points aucune point RÉSULTATS deux points kyste de "
           "douze millimètres point conclusion deux points kyste simple point impression deux "
           "points surveillance",
           ["Céphalées.", "Sans injection.", "Aucune.", "Kyste de 12 mm.", "Kyste simple.",
            "Surveillance."], ("RÉSULTATS", "CONCLUSION")),
    "de": ("klinische Angaben Doppelpunkt Kopfschmerzen Punkt Technik Doppelpunkt nativ Punkt "
           "Vergleich Doppelpunkt keine Punkt Befund Doppelpunkt Zyste von zwölf Millimeter "
           "Punkt BEURTEILUNG Doppelpunkt einfache Zyste Punkt Eindruck Doppelpunkt "
           "Verlaufskontrolle",
           ["Kopfschmerzen.", "Nativ.", "Keine.", "Zyste von 12 mm.", "Einfache Zyste.",
            "Verlaufskontrolle."], ("BEFUND", "BEURTEILUNG")),
}

# language: (dictation of the lumbar MR (named by modality and body part)
# then the brain CT (named by ordinal), a word only the lumbar part has, a
# word only the brain part has; neither starts a sentence, so both read the
# same in the report)
PACS_DICTATIONS = {
    "tr": ("lomber mr bulgular iki nokta l4 l5 düzeyinde disk hernisi nokta sonuç iki nokta "
           "lomber disk hernisi nokta birinci tetkik bulgular iki nokta beyin parankimi normal "
           "nokta sonuç iki nokta normal beyin bt nokta", "hernisi", "parankimi"),
    "en": ("mri of the lumbar spine findings colon disc herniation at l4 l5 period impression "
           "colon lumbar disc herniation period first exam findings colon the brain parenchyma "
           "is normal period impression colon normal brain ct period", "herniation",
           "parenchyma"),
    "ru": ("мрт поясничного отдела позвоночника описание двоеточие грыжа диска l4 l5 точка "
           "заключение двоеточие грыжа диска точка первое исследование описание двоеточие "
           "вещество головного мозга без особенностей точка заключение двоеточие норма точка",
           "диска", "мозга"),
    "az": ("bel mrt tapıntılar iki nöqtə l4 l5 səviyyəsində disk yırtığı nöqtə nəticə iki nöqtə "
           "disk yırtığı nöqtə birinci müayinə tapıntılar iki nöqtə beyin parenximi normaldır "
           "nöqtə nəticə iki nöqtə norma nöqtə", "yırtığı", "parenximi"),
    "fr": ("IRM lombaire résultats deux points hernie discale L4 L5 point conclusion deux "
           "points hernie discale point premier examen résultats deux points parenchyme "
           "cérébral normal point conclusion deux points scanner cérébral normal point",
           "discale", "cérébral"),
    "de": ("MRT der LWS Befund Doppelpunkt Bandscheibenvorfall L4 L5 Punkt Beurteilung "
           "Doppelpunkt Bandscheibenvorfall Punkt erste Untersuchung Befund Doppelpunkt "
           "Hirnparenchym unauffällig Punkt Beurteilung Doppelpunkt unauffälliges CT des "
           "Schädels Punkt", "Bandscheibenvorfall", "Hirnparenchym"),
}

TRANSITION_WORDS = ("birinci tetkik", "first exam", "первое исследование", "birinci müayinə",
                    "premier examen", "erste Untersuchung")


class RulesLanguages(JobsTest):

    def test_a_transcript_in_each_language(self):
        """All six submitted at once: every section lands in its
        placeholder, and the default report (no library template for a
        CT in ru, az, fr, de) carries the language's own headings."""
        _, key = self.new_org(credits=len(REPORTS))
        jobs = {}
        for n, (lang, (dictation, _, _)) in enumerate(REPORTS.items()):
            reply = self.submit(key, report_fields(None, sut="803910", lang=lang,
                                                   transcript=dictation,
                                                   templateContent=ALL_SECTIONS,
                                                   templateFormat="txt"))
            jobs[lang] = self.accepted(reply, len(REPORTS) - n)
        for lang, (_, sections, headings) in REPORTS.items():
            with self.subTest(lang=lang):
                done = self.wait(key, jobs[lang], timeout=TEXT_TIMEOUT_S)
                self.assertEqual(done["status"], "completed", done)
                self.assertEqual((done["inputLang"], done["outputLang"]), (lang, lang))
                want = "\n".join("%s=%s" % (k, v) for k, v in zip("KTCBSI", sections))
                self.assertEqual(done["filledTemplate"], want)
                self.assertEqual(done["templateUsed"], "custom")
                self.assertEqual(done["creditsUsed"], 1)
                findings, conclusion = headings
                if lang not in ("tr", "en"):
                    self.assertIn("%s:\n%s" % (findings, sections[3]), done["reportText"])
                    self.assertIn("%s:\n%s" % (conclusion, sections[4]), done["reportText"])
                else:
                    self.assertIn(sections[3], done["reportText"])

    def test_a_pacs_job_in_each_language_with_one_exam_never_named(self):
        """Lumbar MR dictated first by name, brain CT second by ordinal, the
        third exam never: two reports, one EMPTY_TRANSCRIPT, two credits."""
        jobs, keys = {}, {}
        for n, (lang, (dictation, _, _)) in enumerate(PACS_DICTATIONS.items()):
            # One organization each: a finished job gives a credit back
            # while the next is submitted.
            _, keys[lang] = self.new_org(credits=3)
            metadata = {"patientUid": "1.2.3", "inputLang": lang, "outputLang": lang, "exams": [
                {"accessionNumber": "ACC-%d" % (3 * n + k), "sutCode": code}
                for k, code in enumerate(("803910", "804102", "804200"))]}
            reply = self.submit(keys[lang], pacs_fields(None, metadata, transcript=dictation),
                                pacs=True)
            jobs[lang] = self.accepted(reply, 3, exams=3, pacs=True)
        for n, (lang, (_, lumbar_word, brain_word)) in enumerate(PACS_DICTATIONS.items()):
            with self.subTest(lang=lang):
                done = self.wait(keys[lang], jobs[lang], timeout=TEXT_TIMEOUT_S)
                self.assertEqual(done["status"], "completed", done)
                brain, lumbar, other = done["reports"]
                self.assertEqual([r["status"] for r in done["reports"]],
                                 ["completed", "completed", "failed"], done)
                self.assertIn(brain_word, brain["transcript"])
                self.assertNotIn(lumbar_word, brain["transcript"])
                self.assertIn(lumbar_word, lumbar["transcript"])
                self.assertNotIn(brain_word, lumbar["transcript"])
                for word in TRANSITION_WORDS:
                    self.assertNotIn(word, brain["transcript"] + lumbar["transcript"])
                self.assertIn(brain_word, brain["reportText"])
                self.assertIn(lumbar_word, lumbar["reportText"])
                self.assertEqual(other["error"]["code"], "EMPTY_TRANSCRIPT", other)
                self.assertEqual(other["accessionNumber"], "ACC-%d" % (3 * n + 2))
                self.assertNotIn("reportText", other)
                self.assertEqual(done["creditsUsed"], 2)
                self.assertEqual(done["remainingCredits"], 1)
                self.assertLedger(jobs[lang]["jobId"], [("reserve: job %s", -3),
                                                        ("consume 2: job %s", 0),
                                                        ("release: job %s", 1)])

    def test_audio_in_a_language_without_a_speech_engine_is_still_refused(self):
        """Transcripts need no speech engine; audio does: the refusal for
        audio stays, and changes nothing."""
        org, key = self.new_org(credits=2)
        wav = self.audio.speech("findings colon normal")
        self.refused(org, key, REPORT, report_fields(wav, lang="de"), 400,
                     "UNSUPPORTED_LANGUAGE", "inputLang")


if __name__ == "__main__":
    unittest.main()

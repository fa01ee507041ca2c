"""POST /pacs/report and GET /pacs/report/{jobId} end to end: the guide's
metadata example (one exam with a custom TXT template, one matched) and its
curl example, with one English dictation of two exams split into one report
each; custom RTF and HTML templates whose fixed text has Turkish letters."""

import unittest

from jobs_helpers import (GUIDE_TXT_TEMPLATE, PACS, REPORT, TEXT_TIMEOUT_S, TWO_EXAM_DICTATION,
                          JobsTest, balance, html_text, pacs_fields, report_fields, rtf_unescape)

BRAIN_WORDS = {"hemorrhage", "intracranial"}
LUMBAR_WORDS = {"herniation", "disc", "lumbar"}

TURKISH_LETTERS = "şğıİçöü ŞĞÇÖÜ"
RTF_TEMPLATE = ("{\\rtf1\\ansi\\ansicpg1254\\deff0{\\fonttbl{\\f0 Arial;}}\n"
                "{\\b BULGULAR (" + TURKISH_LETTERS + "):}\\par\n{{BULGULAR}}\\par\n"
                "{\\b SONUÇ:}\\par\n{{SONUC}}\\par\n}")
HTML_TEMPLATE = ("<p><b>BULGULAR (" + TURKISH_LETTERS + "):</b><br>{{BULGULAR}}</p>\n"
                 "<p><i>SONUÇ (öneri):</i><br>{{SONUC}}</p>")


def words(text):
    return set(text.lower().replace(".", " ").replace(",", " ").split())


def rtf_braces_balanced(rtf):
    """Unescaped braces nest properly (\\{ \\} \\\\ are escapes)."""
    depth, i = 0, 0
    while i < len(rtf):
        c = rtf[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


class PacsReport(JobsTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wav = cls.audio.speech(TWO_EXAM_DICTATION)

    def check_exam(self, report, accession, sut, modality, name, template_used):
        self.assertEqual(report["accessionNumber"], accession)
        self.assertEqual(report["sutCode"], sut)
        self.assertEqual(report["modality"], modality)
        self.assertEqual(report["examName"], name)
        self.assertEqual(report["status"], "completed", report)
        self.assertEqual(report["templateUsed"], template_used)
        self.assertIsInstance(report["transcript"], str)
        self.assertTrue(report["transcript"].strip(), report)
        for field in ("reportText", "reportHtml"):
            self.assertIsInstance(report[field], str)
            self.assertTrue(report[field].strip())
            self.assertNotIn("{{", report[field])
        self.assertNotIn("error", report)

    def check_split(self, reports):
        """Each exam's report holds its own part of the dictation only."""
        first, second = words(reports[0]["transcript"]), words(reports[1]["transcript"])
        self.assertTrue((first | second) & (BRAIN_WORDS | LUMBAR_WORDS),
                        "neither part has a distinctive word: %r" % reports)
        self.assertFalse(first & {"herniation", "lumbar"}, reports[0]["transcript"])
        self.assertFalse(second & {"hemorrhage", "intracranial"}, reports[1]["transcript"])

    def test_guide_examples(self):
        """Both guide examples at once (the two jobs run side by side): the
        metadata structure example with a custom TXT template on the first
        exam, and the curl example's metadata (no templates), each with
        inputLang/outputLang en and without the callback URL."""
        org1, key1 = self.new_org(credits=5)
        org2, key2 = self.new_org(credits=2)
        structure = {
            "patientUid": "1.2.3.4.5.6.7890", "patientName": "Patient Name",
            "exams": [{"accessionNumber": "ACC-2026-001", "sutCode": "803910",
                       "teleCode": "R100000", "templateContent": GUIDE_TXT_TEMPLATE,
                       "templateFormat": "txt"},
                      {"accessionNumber": "ACC-2026-002", "sutCode": "804102"}],
            "inputLang": "en", "outputLang": "en"}
        curl = ('{ "patientUid": "1.2.3.4.5.6.7890", "patientName": "Mehmet Yilmaz", "exams": '
                '[ {"accessionNumber": "ACC-001", "sutCode": "803910"}, {"accessionNumber": '
                '"ACC-002", "sutCode": "804102"} ], "inputLang": "en", "outputLang": "en" }')
        job1 = self.accepted(self.submit(key1, pacs_fields(self.wav, structure), pacs=True), 5,
                             exams=2, pacs=True)
        job2 = self.accepted(self.submit(key2, pacs_fields(self.wav, curl), pacs=True), 2,
                             exams=2, pacs=True)
        self.assertEqual(balance(self, self.srv, key1), 3)
        self.assertEqual(balance(self, self.srv, key2), 0)

        done = self.wait(key1, job1)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["jobId"], job1["jobId"])
        self.assertEqual(done["patientUid"], "1.2.3.4.5.6.7890")
        self.assertEqual(done["examCount"], 2)
        self.assertEqual(len(done["reports"]), 2)
        self.assertEqual([r["status"] for r in done["reports"]], ["completed", "completed"],
                         "transcripts: %r" % [(r["status"], r["transcript"])
                                              for r in done["reports"]])
        custom, matched = done["reports"]
        self.check_exam(custom, "ACC-2026-001", "803910", "CT", "Brain CT", "custom")
        self.assertEqual(custom["teleCode"], "R100000")
        filled = custom["filledTemplate"]
        self.assertIsInstance(filled, str)
        self.assertRegex(filled, r"^FINDINGS:\n\S")
        self.assertIn("\n\nCONCLUSION:\n", filled)
        self.assertNotIn("{{", filled)
        self.check_exam(matched, "ACC-2026-002", "804102", "MR", "Lumbar MR", "matched")
        self.assertIsNone(matched["filledTemplate"])
        # The matched English lumbar template is HTML (en/mr-lumbar-spine.html).
        self.assertIn("MRI LUMBAR SPINE", matched["reportHtml"])
        self.check_split(done["reports"])
        self.assertEqual(done["creditsUsed"], 2)
        self.assertEqual(done["remainingCredits"], 3)
        self.assertLedger(job1["jobId"], [("reserve: job %s", -2), ("consume 2: job %s", 0)])

        done2 = self.wait(key2, job2)
        self.assertEqual(done2["status"], "completed", done2)
        self.assertEqual(len(done2["reports"]), 2)
        brain, lumbar = done2["reports"]
        self.check_exam(brain, "ACC-001", "803910", "CT", "Brain CT", "matched")
        self.check_exam(lumbar, "ACC-002", "804102", "MR", "Lumbar MR", "matched")
        self.assertIsNone(brain["filledTemplate"])
        self.assertIsNone(lumbar["filledTemplate"])
        self.assertNotIn("teleCode", brain)
        self.assertIn("CT BRAIN", brain["reportText"])
        self.check_split(done2["reports"])
        self.assertEqual(done2["creditsUsed"], 2)
        self.assertEqual(done2["remainingCredits"], 0)

    def test_two_exam_transcript_is_split_and_filled(self):
        """The same two-exam dictation sent as a transcript (no speech
        engine): one part per exam, and the guide's TXT template filled
        exactly."""
        org, key = self.new_org(credits=2)
        text = TWO_EXAM_DICTATION.replace("M R", "mr").replace("L four L five", "l4 l5")
        metadata = {"patientUid": "1.2.3", "inputLang": "en", "outputLang": "en", "exams": [
            {"accessionNumber": "ACC-1", "sutCode": "803910",
             "templateContent": GUIDE_TXT_TEMPLATE, "templateFormat": "txt"},
            {"accessionNumber": "ACC-2", "sutCode": "804102"}]}
        job = self.accepted(self.submit(key, pacs_fields(None, metadata, transcript=text),
                                        pacs=True), 2, exams=2, pacs=True)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        brain, lumbar = done["reports"]
        self.check_exam(brain, "ACC-1", "803910", "CT", "Brain CT", "custom")
        self.check_exam(lumbar, "ACC-2", "804102", "MR", "Lumbar MR", "matched")
        self.check_split(done["reports"])
        self.assertNotIn("next exam", brain["transcript"] + lumbar["transcript"])
        self.assertEqual(brain["filledTemplate"], "FINDINGS:\nNo acute intracranial hemorrhage."
                         "\n\nCONCLUSION:\nNormal brain CT.")
        self.assertIn("Disc herniation at L4 L5.", lumbar["reportHtml"])
        self.assertIn("<b>MRI LUMBAR SPINE</b>", lumbar["reportHtml"])
        self.assertEqual(done["creditsUsed"], 2)

    def test_rtf_template_with_turkish_letters(self):
        org, key = self.new_org(credits=2)
        transcript = ("bulgular iki nokta beyin parankiminde kanama görülmedi nokta "
                      "sonuç iki nokta akut patoloji saptanmadı nokta")
        job = self.accepted(self.submit(key, report_fields(
            None, sut="803910", lang="tr", transcript=transcript, accessionNo="ACC-RTF",
            templateContent=RTF_TEMPLATE, templateFormat="rtf")), 2)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["templateUsed"], "custom")
        filled = done["filledTemplate"]
        self.assertIsInstance(filled, str)
        # Pure ASCII: every Turkish letter, of the template and of the
        # dictation, is an RTF \uN escape.
        filled.encode("ascii")
        self.assertTrue(filled.startswith("{\\rtf1"), filled)
        self.assertIn("\\u351?", filled)   # ş
        self.assertIn("\\u304?", filled)   # İ
        self.assertIn("\\u305?", filled)   # ı
        self.assertTrue(rtf_braces_balanced(filled), filled)
        self.assertNotIn("{{", filled)
        text = rtf_unescape(filled)
        self.assertIn("BULGULAR (" + TURKISH_LETTERS + "):", text)
        self.assertIn("SONUÇ:", text)
        self.assertIn("Beyin parankiminde kanama görülmedi.", text)
        self.assertIn("Akut patoloji saptanmadı.", text)
        self.assertIn("Beyin parankiminde kanama görülmedi.", done["reportText"])
        self.assertEqual(done["creditsUsed"], 1)

    def test_rtf_escapes_braces_and_backslashes_of_the_dictation(self):
        org, key = self.new_org(credits=1)
        typed = "BULGULAR: Sol böbrekte kist } ve \\par yok.\nSONUÇ: Basit kist {"
        job = self.accepted(self.submit(key, report_fields(
            None, sut="803910", lang="tr", transcript=typed,
            templateContent=RTF_TEMPLATE, templateFormat="rtf")), 1)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        filled = done["filledTemplate"]
        filled.encode("ascii")
        self.assertTrue(rtf_braces_balanced(filled), filled)
        self.assertIn("\\}", filled)
        self.assertIn("\\\\par", filled)

    def test_html_template_keeps_bold_italic_and_turkish_letters(self):
        org, key = self.new_org(credits=1)
        typed = ("BULGULAR: Kitle yok <script>alert(1)</script> ve kanama görülmedi.\n"
                 "SONUÇ: Ağır bir bulgu yok.")
        metadata = {"patientUid": "TR-HTML-1", "inputLang": "tr", "outputLang": "tr",
                    "exams": [{"accessionNumber": "ACC-HTML", "sutCode": "804102",
                               "templateContent": HTML_TEMPLATE, "templateFormat": "html"}]}
        job = self.accepted(self.submit(key, pacs_fields(None, metadata, transcript=typed),
                                        pacs=True), 1, exams=1, pacs=True)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        report = done["reports"][0]
        self.assertEqual(report["templateUsed"], "custom")
        filled = report["filledTemplate"]
        self.assertIsInstance(filled, str)
        for tag in ("<p>", "<b>", "</b>", "<i>", "</i>", "<br>"):
            self.assertIn(tag, filled)
        text = html_text(filled)
        self.assertIn("BULGULAR (" + TURKISH_LETTERS + "):", text)
        self.assertIn("SONUÇ (öneri):", text)
        self.assertIn("kanama görülmedi", text)
        self.assertIn("Ağır bir bulgu yok.", text)
        # Dictated markup is text, never markup.
        self.assertNotIn("<script", filled)
        self.assertIn("&lt;script&gt;", filled)
        self.assertNotIn("<script", report["reportHtml"])
        self.assertNotIn("{{", filled)

    def test_pacs_job_is_not_a_report_job(self):
        org, key = self.new_org(credits=1)
        metadata = {"inputLang": "en", "outputLang": "en",
                    "exams": [{"accessionNumber": "A-1", "sutCode": "803910"}]}
        job = self.accepted(self.submit(key, pacs_fields(
            None, metadata, transcript="findings colon normal period"), pacs=True), 1, pacs=True)
        reply = self.srv.get(REPORT + "/" + job["jobId"], key=key)
        self.assertEqual(reply.status, 404, reply.body)
        self.assertEqual(reply.error_code(), "NOT_FOUND")
        self.assertEqual(reply.json()["remainingCredits"], 0)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        self.assertTrue(job["pollUrl"].startswith(PACS + "/"))
        self.assertEqual(done["reports"][0]["accessionNumber"], "A-1")


if __name__ == "__main__":
    unittest.main()

"""POST /report and GET /report/{jobId} end to end: English dictation made
at test time (espeak-ng, then ffmpeg to MP3, M4A, OGG Opus and Vorbis,
WebM) goes through the real speech engine into a report; a Turkish
transcript sent instead of audio is structured without any speech engine;
the guide's curl example; the credits before and after and the ledger."""

import unittest

from jobs_helpers import (BRAIN_DICTATION, REPORT, TEXT_TIMEOUT_S, TURKISH_TRANSCRIPT, FilePart,
                          JobsTest, balance, file_part, files_in, read_bytes, report_fields,
                          ro_query, wait_for)

BRAIN_WORDS = ("findings", "acute", "intracranial", "hemorrhage", "impression", "normal",
               "brain")


class SingleReport(JobsTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wav = cls.audio.speech(BRAIN_DICTATION)

    def test_wav_dictation_becomes_a_report_with_every_field(self):
        org, key = self.new_org(credits=7)
        self.assertEqual(balance(self, self.srv, key), 7)
        reply = self.submit(key, report_fields(
            self.wav, sut="803910", lang="en", patientId="TC-10293847561",
            patientName="Ali Veli Öztürk", accessionNo="ACC-2026-0117"))
        job = self.accepted(reply, 7)
        # The reservation counts as spent at once, whatever the job's state.
        self.assertEqual(balance(self, self.srv, key), 6)
        self.assertIn(("reserve: job %s" % job["jobId"], -1), ro_query(
            self.data, "SELECT reason, amount FROM credit_ledger WHERE org_id = ?", (org,)))

        done = self.wait(key, job)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["jobId"], job["jobId"])
        self.assertTranscriptEnglish(done["transcript"], BRAIN_WORDS)
        self.assertEqual(done["sutCode"], "803910")
        self.assertEqual(done["accessionNo"], "ACC-2026-0117")
        self.assertEqual(done["patientId"], "TC-10293847561")
        self.assertEqual(done["modality"], "CT")
        self.assertEqual(done["examName"], "Brain CT")
        self.assertEqual(done["templateUsed"], "matched")
        self.assertIsNone(done["filledTemplate"])
        self.assertEqual(done["creditsUsed"], 1)
        self.assertEqual(done["remainingCredits"], 6)
        self.assertEqual(done["inputLang"], "en")
        self.assertEqual(done["outputLang"], "en")
        self.assertIsNone(done["callback"])
        self.assertNotIn("error", done)
        for stamp in ("createdAt", "startedAt", "finishedAt"):
            self.assertIso(done[stamp])
        # The matched library template (en/ct-brain.txt) shapes the text.
        text = done["reportText"]
        self.assertIsInstance(text, str)
        self.assertIn("CT BRAIN", text)
        self.assertIn("FINDINGS:", text)
        self.assertNotIn("{{", text)
        self.assertIsInstance(done["reportHtml"], str)
        self.assertRegex(done["reportHtml"], r"<(p|b|h\d|div|section)\b")
        self.assertNotIn("{{", done["reportHtml"])

        self.assertEqual(balance(self, self.srv, key), 6)
        self.assertLedger(job["jobId"], [("reserve: job %s", -1), ("consume 1: job %s", 0)])
        # The audio is deleted once the job is done, and patient data never
        # reaches the log.
        wait_for(self, "audio removed after the job", lambda: files_in(self.data, "audio") == [],
                 5)
        log = "\n".join(self.srv.log_lines)
        secrets = ["Ali Veli", "Öztürk", "TC-10293847561", "ACC-2026-0117", job["hmacSecret"]]
        if len(done["transcript"]) > 20:
            secrets.append(done["transcript"])
        for secret in secrets:
            self.assertFalse(secret in log, "%r is in the server log" % secret)
        # The job kept its lease to the end: no warning may say otherwise.
        lost = [line for line in self.srv.log_lines
                if "lost the lease of job " + job["jobId"] in line]
        self.assertEqual(lost, [], "a false warning after the job finished")

    def test_every_accepted_format_completes(self):
        org, key = self.new_org(credits=10)
        submitted = {}
        for fmt in ("mp3", "m4a", "ogg", "oga", "webm", "wav16k"):
            path = self.audio.convert(self.wav, fmt)
            reply = self.submit(key, report_fields(path, accessionNo="ACC-" + fmt))
            submitted[fmt] = self.accepted(reply, 10 - len(submitted))
        for fmt, job in submitted.items():
            with self.subTest(format=fmt):
                done = self.wait(key, job)
                self.assertEqual(done["status"], "completed", done)
                self.assertEqual(done["accessionNo"], "ACC-" + fmt)
                self.assertTranscriptEnglish(done["transcript"], BRAIN_WORDS)
                self.assertEqual(done["creditsUsed"], 1)
                self.assertEqual(done["modality"], "CT")
                self.assertTrue(done["reportText"])
        self.assertEqual(balance(self, self.srv, key), 10 - len(submitted))

    def test_format_comes_from_the_content_not_the_name(self):
        """WAV bytes named recording.mp3 and sent as audio/mpeg are a WAV."""
        org, key = self.new_org(credits=3)
        mislabeled = FilePart(read_bytes(self.audio.variant(self.wav, 1)), "recording.mp3",
                              "audio/mpeg")
        job = self.accepted(self.submit(key, report_fields(mislabeled)), 3)
        fmt = ro_query(self.data, "SELECT audio_format FROM jobs WHERE id = ?", (job["jobId"],))
        self.assertEqual(fmt, [("wav",)])
        done = self.wait(key, job)
        self.assertEqual(done["status"], "completed", done)

    def test_guide_curl_example(self):
        """The guide's POST /report example (WebM, sutCode 804200, patient and
        accession), with inputLang=en: 804200 has no name or modality in the
        catalog, so the plain default template is used."""
        org, key = self.new_org(credits=2)
        webm = file_part(self.audio.convert(self.audio.variant(self.wav, 2), "webm"),
                         "audio/webm")
        webm.filename = "recording.webm"
        reply = self.submit(key, [("audio", webm), ("sutCode", "804200"), ("patientId", "12345"),
                                  ("patientName", "Ali Veli"), ("accessionNo", "ACC-01"),
                                  ("inputLang", "en"), ("outputLang", "en")])
        job = self.accepted(reply, 2)
        done = self.wait(key, job)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["sutCode"], "804200")
        self.assertEqual(done["patientId"], "12345")
        self.assertEqual(done["accessionNo"], "ACC-01")
        self.assertIsNone(done["modality"])
        self.assertIsNone(done["examName"])
        self.assertEqual(done["templateUsed"], "default")
        self.assertIsNone(done["filledTemplate"])
        self.assertTrue(done["reportText"])
        self.assertTrue(done["reportHtml"])
        self.assertEqual(done["creditsUsed"], 1)
        self.assertEqual(done["remainingCredits"], 1)

    def test_turkish_transcript_needs_no_speech_engine(self):
        org, key = self.new_org(credits=4)
        reply = self.submit(key, report_fields(None, sut="803910", lang="tr",
                                               transcript=TURKISH_TRANSCRIPT,
                                               accessionNo="ACC-TR-1"))
        job = self.accepted(reply, 4)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["inputLang"], "tr")
        self.assertIn("beyin parankimi normal", done["transcript"])
        self.assertEqual(done["templateUsed"], "matched")
        self.assertEqual(done["modality"], "CT")
        text = done["reportText"]
        # The Turkish library template (tr/bt-beyin.txt) with the dictated
        # sections, spoken punctuation applied and sentences capitalised.
        self.assertIn("BEYİN BT", text)
        self.assertRegex(text, r"BULGULAR:\s*\n\s*Beyin parankimi normal\.")
        self.assertRegex(text, r"SONUÇ:\s*\n\s*Normal beyin BT\.")
        self.assertNotIn("iki nokta", text)
        self.assertNotIn("{{", text)
        self.assertIn("Beyin parankimi normal.", done["reportHtml"])
        self.assertIn("BULGULAR", done["reportHtml"])
        self.assertEqual(done["creditsUsed"], 1)
        self.assertEqual(done["remainingCredits"], 3)
        self.assertLedger(job["jobId"], [("reserve: job %s", -1), ("consume 1: job %s", 0)])
        # No audio was kept for a transcript job.
        self.assertEqual(ro_query(self.data, "SELECT audio_path, audio_sha256 FROM jobs"
                                  " WHERE id = ?", (job["jobId"],)), [(None, None)])

    def test_english_typed_transcript(self):
        """A transcript as an integrator types it (headings, punctuation)."""
        org, key = self.new_org(credits=1)
        typed = "FINDINGS: No acute intracranial hemorrhage.\nIMPRESSION: Normal brain CT."
        job = self.accepted(self.submit(key, report_fields(None, transcript=typed)), 1)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        # Every dictated section reaches the text and the HTML report, even
        # one the matched template has no placeholder for ({{IZLENIM}}).
        for report in (done["reportText"], done["reportHtml"]):
            self.assertIn("No acute intracranial hemorrhage.", report)
            self.assertIn("Normal brain CT.", report)
        self.assertEqual(done["remainingCredits"], 0)
        self.assertEqual(balance(self, self.srv, key), 0)

    def test_poll_answers_are_for_the_report_endpoint(self):
        org, key = self.new_org(credits=1)
        job = self.accepted(self.submit(key, report_fields(
            None, transcript="findings colon normal period")), 1)
        reply = self.srv.get(REPORT + "/" + job["jobId"], key=key)
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.headers.get("cache-control"), "no-store")
        body = reply.json()
        self.assertIn(body["status"], ("pending", "processing", "completed"))
        self.assertEqual(body["remainingCredits"], 0)
        self.wait(key, job, timeout=TEXT_TIMEOUT_S)


if __name__ == "__main__":
    unittest.main()

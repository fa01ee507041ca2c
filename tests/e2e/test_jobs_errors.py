"""Every refusal of POST /report and POST /pacs/report, each checked to
change nothing (no job, no reservation, no ledger row, no audio or upload
file left), and the 404s of the poll endpoints: INVALID_METADATA, NO_EXAMS,
TOO_MANY_EXAMS, MISSING_ACCESSION, INVALID_SUT_CODE, INVALID_AUDIO,
INVALID_CALLBACK_URL, UNSUPPORTED_LANGUAGE, INSUFFICIENT_CREDITS,
DUPLICATE_SUBMISSION, AUDIO_TOO_LARGE, AUDIO_TOO_LONG, UNAUTHORIZED, NOT_FOUND, and
malformed forms (INVALID_REQUEST)."""

import json
import os
import unittest

from harness import fake_key
from jobs_helpers import (PACS, REPORT, TEXT_TIMEOUT_S, FilePart, JobsTest, balance,
                          encode_multipart, file_part, new_uuid, pacs_fields, post_form,
                          read_bytes, report_fields, ro_query, run_tool)

GOOD_EXAM = {"accessionNumber": "ACC-1", "sutCode": "803910"}


def meta(**over):
    """Valid English metadata with one exam, with some members replaced
    (a value of None removes the member)."""
    m = {"patientUid": "1.2.3", "patientName": "Hasta Adı", "exams": [dict(GOOD_EXAM)],
         "inputLang": "en", "outputLang": "en"}
    for k, v in over.items():
        if v is None:
            m.pop(k, None)
        else:
            m[k] = v
    return m


def exams(n):
    return [{"accessionNumber": "ACC-%d" % i, "sutCode": "803910"} for i in range(n)]


class Refusals(JobsTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wav = cls.audio.speech("findings colon normal brain period")
        cls.mp3 = cls.audio.convert(cls.wav, "mp3")
        d = cls.audio.dir
        cls.empty = os.path.join(d, "empty.wav")
        open(cls.empty, "wb").close()
        cls.text = os.path.join(d, "notes.wav")
        with open(cls.text, "w") as f:
            f.write("FINDINGS: this is a text file, not audio.\n" * 50)
        cls.random = os.path.join(d, "random.mp3")
        with open(cls.random, "wb") as f:
            f.write(os.urandom(64 * 1024))
        cls.truncated = os.path.join(d, "truncated.mp3")
        with open(cls.truncated, "wb") as f:
            f.write(read_bytes(cls.mp3)[:300])  # ID3 tag, Info frame, a piece of a frame
        cls.video = os.path.join(d, "video.mp4")
        run_tool(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
                  "-i", "testsrc=duration=1:size=64x64:rate=5", "-an", cls.video])

    def setUp(self):
        self.org, self.key = self.new_org(credits=5)

    # -- helpers --

    def refuse_report(self, fields, status, code, field=""):
        return self.refused(self.org, self.key, REPORT, fields, status, code, field)

    def refuse_pacs(self, metadata, status, code, field="", audio="wav", **extra):
        audio = self.wav if audio == "wav" else audio
        return self.refused(self.org, self.key, PACS, pacs_fields(audio, metadata, **extra),
                            status, code, field)

    # -- INVALID_METADATA --

    def test_invalid_metadata(self):
        cases = {
            "not JSON": ("{exams: [", "metadata"),
            "truncated JSON": (json.dumps(meta())[:-3], "metadata"),
            "a JSON array": ("[]", "metadata"),
            "a JSON string": ('"exams"', "metadata"),
            "duplicate member": ('{"exams": [], "exams": [{"sutCode": "803910"}]}', "metadata"),
            "exams as object": (meta(exams=dict(GOOD_EXAM)), "exams"),
            "exams as string": (meta(exams="803910"), "exams"),
            "exam as string": (meta(exams=["803910"]), "exams[0]"),
            "sutCode as number": (meta(exams=[{"accessionNumber": "A", "sutCode": 803910}]),
                                  "exams[0].sutCode"),
            "accessionNumber as number": (meta(exams=[{"accessionNumber": 7,
                                                       "sutCode": "803910"}]),
                                          "exams[0].accessionNumber"),
            "patientName as number": (meta(patientName=12), "patientName"),
            "patientUid as object": (meta(patientUid={"id": 1}), "patientUid"),
            "callbackUrl as list": (meta(callbackUrl=["https://example.com/cb"]), "callbackUrl"),
            "unknown templateFormat": (meta(exams=[dict(GOOD_EXAM, templateContent="{{BULGULAR}}",
                                                        templateFormat="pdf")]),
                                       "exams[0].templateFormat"),
            "templateContent without templateFormat": (
                meta(exams=[dict(GOOD_EXAM, templateContent="FINDINGS:\n{{BULGULAR}}")]),
                "exams[0].templateFormat"),
            "unsupported inputLang": (meta(inputLang="xx"), "inputLang"),
            "unsupported outputLang": (meta(outputLang="xx"), "outputLang"),
            "unknown exam field": (meta(exams=[{"accessionNumber": "A", "sutcode": "803910"}]),
                                   "exams[0]"),
            "unknown top-level field": (meta(priority="urgent"), "metadata"),
            "control character in patientName": (meta(patientName="Ali\u0007Veli"),
                                                 "patientName"),
            "accession over 64 characters": (meta(exams=[{"accessionNumber": "A" * 65,
                                                          "sutCode": "803910"}]),
                                             "exams[0].accessionNumber"),
        }
        for name, (metadata, field) in cases.items():
            with self.subTest(case=name):
                self.refuse_pacs(metadata, 400, "INVALID_METADATA", field)
        with self.subTest(case="metadata missing"):
            self.refuse_pacs(None, 400, "INVALID_METADATA", "metadata")
        with self.subTest(case="metadata not UTF-8"):
            self.refused(self.org, self.key, PACS,
                         [("audio", file_part(self.wav)),
                          ("metadata", b'{"patientName": "\xff\xfe", "exams": []}')],
                         400, "INVALID_METADATA")

    def test_invalid_metadata_on_report(self):
        cases = {
            "unknown templateFormat": ({"templateContent": "{{BULGULAR}}",
                                        "templateFormat": "docx"}, "templateFormat"),
            "templateContent without templateFormat": ({"templateContent": "{{BULGULAR}}"},
                                                       "templateFormat"),
            "unsupported inputLang": ({"inputLang": "xx", "outputLang": "en"}, "inputLang"),
            "unsupported outputLang": ({"inputLang": "en", "outputLang": "klingon"},
                                       "outputLang"),
            "patientId over 64 characters": ({"patientId": "9" * 65}, "patientId"),
            "newline in patientName": ({"patientName": "Ali\nVeli"}, "patientName"),
            "transcript of blanks": ({"transcript": "  \n\t "}, "transcript"),
        }
        for name, (extra, field) in cases.items():
            with self.subTest(case=name):
                fields = report_fields(None if "transcript" in extra else self.wav, lang=None)
                base = {"inputLang": "en", "outputLang": "en"}
                base.update(extra)
                self.refuse_report(fields + list(base.items()), 400, "INVALID_METADATA", field)

    # -- NO_EXAMS, TOO_MANY_EXAMS, MISSING_ACCESSION --

    def test_no_exams(self):
        for name, metadata in {"empty list": meta(exams=[]), "missing": meta(exams=None)}.items():
            with self.subTest(case=name):
                self.refuse_pacs(metadata, 400, "NO_EXAMS", "exams")

    def test_too_many_exams(self):
        self.refuse_pacs(meta(exams=exams(21)), 400, "TOO_MANY_EXAMS", "exams")
        self.refuse_pacs(meta(exams=exams(100)), 400, "TOO_MANY_EXAMS", "exams")

    def test_twenty_exams_are_accepted(self):
        org, key = self.new_org(credits=20)
        reply = post_form(self.srv, PACS, pacs_fields(
            None, meta(exams=exams(20)), transcript="findings colon normal brain period"), key)
        job = self.accepted(reply, 20, exams=20, pacs=True)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(len(done["reports"]), 20)

    def test_missing_accession(self):
        cases = {
            "second without": ([GOOD_EXAM, {"sutCode": "804102"}], "exams[1].accessionNumber"),
            "first without": ([{"sutCode": "804102"}, GOOD_EXAM], "exams[0].accessionNumber"),
            "empty string": ([GOOD_EXAM, {"accessionNumber": "", "sutCode": "804102"}],
                             "exams[1].accessionNumber"),
            "null": ([GOOD_EXAM, {"accessionNumber": None, "sutCode": "804102"}],
                     "exams[1].accessionNumber"),
            "the same twice": ([GOOD_EXAM, dict(GOOD_EXAM, sutCode="804102")],
                               "exams[1].accessionNumber"),
            "the same, third": (exams(2) + [{"accessionNumber": "ACC-0", "sutCode": "804102"}],
                                "exams[2].accessionNumber"),
        }
        for name, (exam_list, field) in cases.items():
            with self.subTest(case=name):
                self.refuse_pacs(meta(exams=exam_list), 400, "MISSING_ACCESSION", field)

    def test_one_exam_needs_no_accession(self):
        org, key = self.new_org(credits=1)
        reply = post_form(self.srv, PACS, pacs_fields(
            None, meta(exams=[{"sutCode": "803910"}]),
            transcript="findings colon normal period"), key)
        job = self.accepted(reply, 1, pacs=True)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertIsNone(done["reports"][0]["accessionNumber"])

    # -- INVALID_SUT_CODE --

    def test_invalid_sut_code_on_report(self):
        for name, code in {"missing": None, "empty": "", "letter": "80391a", "four digits": "1234",
                           "eight digits": "12345678", "leading space": " 803910",
                           "with a dot": "803.910", "negative": "-80391",
                           "arabic-indic digits": "٨٠٣٩١٠"}.items():
            with self.subTest(case=name):
                self.refuse_report(report_fields(self.wav, sut=code), 400, "INVALID_SUT_CODE",
                                   "sutCode")

    def test_invalid_sut_code_in_exams(self):
        cases = {
            "missing in exams[0]": ([{"accessionNumber": "A"}], "exams[0].sutCode"),
            "four digits in exams[1]": ([GOOD_EXAM, {"accessionNumber": "B", "sutCode": "1234"}],
                                        "exams[1].sutCode"),
            "letter in exams[1]": ([GOOD_EXAM, {"accessionNumber": "B", "sutCode": "80391a"}],
                                   "exams[1].sutCode"),
            "eight digits in exams[2]": (exams(2) + [{"accessionNumber": "C",
                                                      "sutCode": "12345678"}],
                                         "exams[2].sutCode"),
            "empty in exams[0]": ([{"accessionNumber": "A", "sutCode": ""}], "exams[0].sutCode"),
        }
        for name, (exam_list, field) in cases.items():
            with self.subTest(case=name):
                self.refuse_pacs(meta(exams=exam_list), 400, "INVALID_SUT_CODE", field)

    # -- INVALID_AUDIO --

    def test_invalid_audio(self):
        cases = {
            "empty file": self.empty,
            "text file": self.text,
            "random bytes": self.random,
            "truncated MP3": self.truncated,
            "video without audio": self.video,
        }
        for name, path in cases.items():
            with self.subTest(case=name, endpoint="report"):
                self.refuse_report(report_fields(path), 400, "INVALID_AUDIO", "audio")
            with self.subTest(case=name, endpoint="pacs"):
                self.refuse_pacs(meta(), 400, "INVALID_AUDIO", "audio", audio=path)
        with self.subTest(case="missing"):
            self.refuse_report(report_fields(None), 400, "INVALID_AUDIO", "audio")
            self.refuse_pacs(meta(), 400, "INVALID_AUDIO", "audio", audio=None)
        with self.subTest(case="audio as a text field"):
            self.refuse_report(report_fields(None) + [("audio", "RIFF....WAVEfmt ")], 400,
                               "INVALID_AUDIO", "audio")
        with self.subTest(case="audio and a transcript"):
            self.refuse_report(report_fields(self.wav, transcript="findings colon normal"),
                               400, "INVALID_AUDIO", "audio")

    # -- INVALID_CALLBACK_URL (this server has no development switch) --

    def test_invalid_callback_url(self):
        self.assertIsNone(self.srv.wait_log("DEVELOPMENT MODE", timeout=0))
        urls = ["http://127.0.0.1:9/callback", "http://hbys.example.com/raportai/callback",
                "ftp://example.com/callback", "not a url", "https://", "//example.com/cb",
                "https://127.0.0.1/callback", "https://10.1.2.3/callback",
                "https://192.168.1.10/cb", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/callback", "https://user:pass@example.com/cb",
                "javascript:alert(1)", "https://example.com/cb#frag",
                "https://exa mple.com/cb"]
        for url in urls:
            with self.subTest(url=url, endpoint="report"):
                self.refuse_report(report_fields(self.wav, callbackUrl=url), 400,
                                   "INVALID_CALLBACK_URL", "callbackUrl")
            with self.subTest(url=url, endpoint="pacs"):
                self.refuse_pacs(meta(callbackUrl=url), 400, "INVALID_CALLBACK_URL",
                                 "callbackUrl")

    # -- UNSUPPORTED_LANGUAGE --

    def test_unsupported_language(self):
        with self.subTest(case="Turkish audio"):
            self.refuse_report(report_fields(self.wav, lang="tr"), 400, "UNSUPPORTED_LANGUAGE",
                               "inputLang")
        with self.subTest(case="audio without a language (default tr)"):
            self.refuse_report(report_fields(self.wav, lang=None), 400, "UNSUPPORTED_LANGUAGE")
        with self.subTest(case="German audio"):
            self.refuse_report(report_fields(self.wav, lang="de"), 400, "UNSUPPORTED_LANGUAGE",
                               "inputLang")
        with self.subTest(case="translation en to tr"):
            self.refuse_report(report_fields(self.wav, lang=None) +
                               [("inputLang", "en"), ("outputLang", "tr")],
                               400, "UNSUPPORTED_LANGUAGE", "outputLang")
        with self.subTest(case="translation of a transcript"):
            self.refuse_report(report_fields(None, lang=None, transcript="bulgular normal") +
                               [("inputLang", "tr"), ("outputLang", "en")],
                               400, "UNSUPPORTED_LANGUAGE", "outputLang")
        with self.subTest(case="PACS Turkish audio"):
            self.refuse_pacs(meta(inputLang="tr", outputLang="tr"), 400, "UNSUPPORTED_LANGUAGE",
                             "inputLang")
        with self.subTest(case="PACS guide example without languages"):
            self.refuse_pacs(meta(inputLang=None, outputLang=None), 400, "UNSUPPORTED_LANGUAGE")

    # -- INSUFFICIENT_CREDITS --

    def test_insufficient_credits(self):
        org, key = self.new_org(credits=1)
        body = self.refused(org, key, PACS, pacs_fields(
            self.wav, meta(exams=exams(2))), 402, "INSUFFICIENT_CREDITS")
        self.assertEqual(body["remainingCredits"], 1)
        org0, key0 = self.new_org(credits=0)
        body = self.refused(org0, key0, REPORT, report_fields(self.wav), 402,
                            "INSUFFICIENT_CREDITS")
        self.assertEqual(body["remainingCredits"], 0)
        self.refused(org0, key0, REPORT, report_fields(None, transcript="findings colon normal"),
                     402, "INSUFFICIENT_CREDITS")
        # Exactly enough is enough.
        reply = post_form(self.srv, REPORT, report_fields(
            None, transcript="findings colon normal brain period"), key)
        job = self.accepted(reply, 1)
        self.assertEqual(balance(self, self.srv, key), 0)
        self.wait(key, job, timeout=TEXT_TIMEOUT_S)

    # -- DUPLICATE_SUBMISSION --

    def test_duplicate_submission(self):
        speech = self.audio.variant(self.wav, 7)
        first = self.accepted(self.submit(self.key, report_fields(speech)), 5)
        for name, fields, pacs in (
                ("same audio again", report_fields(speech, accessionNo="OTHER"), False),
                ("same bytes, another name", report_fields(
                    FilePart(read_bytes(speech), "again.mp3")), False),
                ("same audio as a PACS job", pacs_fields(speech, meta()), True)):
            with self.subTest(case=name):
                body = self.refused(self.org, self.key, PACS if pacs else REPORT, fields, 409,
                                    "DUPLICATE_SUBMISSION")
                self.assertEqual(body["jobId"], first["jobId"])
                self.assertEqual(body["remainingCredits"], 4)
        # Another organization may send the same bytes.
        other_org, other_key = self.new_org(credits=1)
        other = self.accepted(self.submit(other_key, report_fields(speech)), 1)
        self.assertNotEqual(other["jobId"], first["jobId"])
        done = self.wait(self.key, first)
        self.assertEqual(done["status"], "completed", done)
        self.wait(other_key, other)
        # Still a duplicate once completed.
        body = self.refused(self.org, self.key, REPORT, report_fields(speech), 409,
                            "DUPLICATE_SUBMISSION")
        self.assertEqual(body["jobId"], first["jobId"])

    def test_failed_job_does_not_block_the_same_audio(self):
        silence = self.audio.silence(2)
        first = self.accepted(self.submit(self.key, report_fields(silence)), 5)
        done = self.wait(self.key, first)
        self.assertEqual(done["status"], "failed", done)
        again = self.accepted(self.submit(self.key, report_fields(silence)), 5)
        self.assertNotEqual(again["jobId"], first["jobId"])
        self.wait(self.key, again)

    # -- UNAUTHORIZED --

    def test_no_key_creates_nothing(self):
        for auth in (None, fake_key()):
            for path, fields in ((REPORT, report_fields(self.wav)),
                                 (PACS, pacs_fields(self.wav, meta()))):
                with self.subTest(path=path, key=auth):
                    body = self.refused(self.org, auth, path, fields, 401, "UNAUTHORIZED")
                    self.assertNotIn("remainingCredits", body)

    # -- INVALID_REQUEST: forms that cannot be read --

    def test_malformed_forms(self):
        # The audio is the last part, so a body cut short loses the end of it.
        good, ctype = encode_multipart(report_fields(None) + [("audio", file_part(self.wav))])
        boundary = ctype.split("boundary=")[1].encode()
        unreadable = "INVALID_REQUEST"
        # A form whose parts cannot be found may also read as one without
        # a sutCode or audio; each is a 400 that creates nothing.
        partless = ("INVALID_REQUEST", "INVALID_SUT_CODE", "INVALID_AUDIO")
        cases = {
            "JSON body": (json.dumps({"sutCode": "803910"}).encode(), "application/json",
                          unreadable),
            "no content type": (good, None, unreadable),
            "urlencoded": (b"sutCode=803910&inputLang=en", "application/x-www-form-urlencoded",
                           unreadable),
            "multipart without boundary": (good, "multipart/form-data", unreadable),
            "wrong boundary": (good, "multipart/form-data; boundary=nothere", partless),
            "garbage": (os.urandom(2048), ctype, partless),
            "cut in the audio": (good[:len(good) - 20000], ctype, partless),
            "no closing boundary": (good[:good.rfind(b"\r\n--" + boundary)], ctype, partless),
        }
        for name, (body, content_type, codes) in cases.items():
            with self.subTest(case=name):
                reply_body = self.refused(self.org, self.key, REPORT, None, 400, codes,
                                          raw=(body, content_type))
                self.assertEqual(reply_body["remainingCredits"], 5)

    # -- NOT_FOUND --

    def test_not_found(self):
        other_org, other_key = self.new_org(credits=3)
        report = self.accepted(self.submit(other_key, report_fields(
            None, transcript="findings colon normal period")), 3)
        pacs = self.accepted(self.submit(other_key, pacs_fields(
            None, meta(), transcript="findings colon normal period"), pacs=True), 2, pacs=True)
        ids = {"unknown": new_uuid(), "malformed": "not-a-uuid", "upper case": new_uuid().upper(),
               "too long": new_uuid() + "0", "other organization (report)": report["jobId"],
               "other organization (pacs)": pacs["jobId"]}
        for name, job_id in ids.items():
            for base in (REPORT, PACS):
                with self.subTest(case=name, path=base):
                    reply = self.srv.get(base + "/" + job_id, key=self.key)
                    self.assertEqual(reply.status, 404, reply.body)
                    self.assertEqual(reply.error_code(), "NOT_FOUND")
                    self.assertEqual(reply.json()["remainingCredits"], 5)
        # The other organization's unknown-id answer is byte for byte the
        # answer about its own job of the wrong kind: nothing tells them apart.
        a = self.srv.get(REPORT + "/" + pacs["jobId"], key=other_key)
        b = self.srv.get(REPORT + "/" + new_uuid(), key=other_key)
        self.assertEqual((a.status, a.body), (b.status, b.body))
        c = self.srv.get(PACS + "/" + report["jobId"], key=other_key)
        self.assertEqual(c.status, 404)
        self.assertEqual(self.srv.get(REPORT + "/" + report["jobId"], key=other_key).status, 200)
        for path in (REPORT + "/" + report["jobId"], PACS + "/" + pacs["jobId"]):
            with self.subTest(case="no key", path=path):
                self.assertEqual(self.srv.get(path).status, 401)
        self.wait(other_key, report, timeout=TEXT_TIMEOUT_S)
        self.wait(other_key, pacs, timeout=TEXT_TIMEOUT_S)


class SmallUploadLimit(JobsTest):
    """RAPORTAI_MAX_AUDIO_MB=1, and a duplicate window of 0 hours."""

    env = {"RAPORTAI_MAX_AUDIO_MB": "1"}
    extra_args = ("--duplicate-window-hours", "0")

    def test_audio_too_large(self):
        org, key = self.new_org(credits=3)
        big = self.audio.silence(50)     # 16 kHz 16-bit mono: 1.6 MB (1.53 MiB)
        self.assertGreater(os.path.getsize(big), 1.5 * 1024 * 1024)
        for path, fields in ((REPORT, report_fields(big)), (PACS, pacs_fields(big, meta()))):
            with self.subTest(path=path):
                body = self.refused(org, key, path, fields, 413, "AUDIO_TOO_LARGE", "audio")
                self.assertEqual(body["remainingCredits"], 3)
        # Just under the limit is accepted.
        small = self.audio.silence(30)   # 0.96 MB
        self.assertLess(os.path.getsize(small), 1024 * 1024)
        job = self.accepted(self.submit(key, report_fields(small)), 3)
        self.wait(key, job)

    def test_zero_window_allows_the_same_audio_again(self):
        org, key = self.new_org(credits=2)
        wav = self.audio.speech("impression colon normal period")
        first = self.accepted(self.submit(key, report_fields(wav)), 2)
        second = self.accepted(self.submit(key, report_fields(wav)), 1)
        self.assertNotEqual(first["jobId"], second["jobId"])
        for job in (first, second):
            self.wait(key, job)
        self.assertEqual(ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE org_id = ?",
                                  (org,)), [(2,)])


class AudioPerCredit(JobsTest):
    """--audio-minutes-per-credit 1: a job's recording may last one minute
    per exam (each exam reserves one credit); longer is refused with
    AUDIO_TOO_LONG before anything is written, exactly the limit is taken."""

    extra_args = ("--audio-minutes-per-credit", "1", "--duplicate-window-hours", "0")

    def test_a_recording_longer_than_its_credits_cover_is_refused(self):
        org, key = self.new_org(credits=5)
        over_one = self.audio.silence(60.5, rate=8000)
        over_two = self.audio.silence(120.5, rate=8000)
        cases = (("report", REPORT, report_fields(over_one), "up to 60 s"),
                 ("pacs, one exam", PACS, pacs_fields(over_one, meta()), "up to 60 s"),
                 ("pacs, two exams", PACS, pacs_fields(over_two, meta(exams=exams(2))),
                  "up to 120 s"))
        for name, path, fields, limit in cases:
            with self.subTest(case=name):
                body = self.refused(org, key, path, fields, 400, "AUDIO_TOO_LONG", "audio")
                self.assertIn(limit, body["error"]["message"])

    def test_a_recording_exactly_at_the_limit_is_accepted(self):
        org, key = self.new_org(credits=5)
        one = self.audio.silence(60, rate=8000)
        two = self.audio.silence(120, rate=8000)
        self.accepted(self.submit(key, report_fields(one)), 5)
        self.accepted(self.submit(key, pacs_fields(two, meta(exams=exams(2))), pacs=True), 4,
                      exams=2, pacs=True)
        # two exams cover two minutes even when one of them alone would not
        self.assertEqual(ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE org_id = ?",
                                  (org,)), [(2,)])


if __name__ == "__main__":
    unittest.main()

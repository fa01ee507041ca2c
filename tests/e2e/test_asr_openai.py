"""The speech engine `openai` end to end, against tests/e2e/fake_openai.py: a
loopback server written for these tests that implements POST
/v1/audio/transcriptions as OpenAI documents it, checks the multipart form
it receives (file a 16 kHz mono WAV, model, language, prompt,
response_format) and the bearer key, and misbehaves on demand. It tests OUR
client (src/asr/openai.c over src/httpc/httpc.c), not any real speech server.

Covered: Turkish audio transcribed by the server and structured into a
report; the languages accepted at submission exactly when an engine serves
them (English on the local engine unless listed; --asr-languages; a
per-language --asr-map with its own model and key); the exam's vocabulary in
`prompt`; long audio cut at pauses into several requests whose texts are
joined in order; 429 with Retry-After retried; a server that stays down (500,
time-outs, refused connections) or answers malformed JSON failing the job
with SPEECH_ENGINE_UNAVAILABLE and its credit released; stopping the server
cancels a request in flight and leaves the job for later; bad --asr-*
options refusing to start; the admin health showing the engine per
language; the keys never logged."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest
import wave

from fake_openai import TRANSCRIPTS, FakeOpenAI, rms
from harness import Server, run_binary
from jobs_helpers import (PACS, REPORT, AudioFactory, JobsTest, balance, ledger, read_bytes,
                          report_fields, pacs_fields, ro_query, run_tool, wait_for)
from web_helpers import make_people, signed_in

KEY = "sk-speech-0a1b2c3d4e5f"
KEY_RU = "sk-speech-ru-6g7h8i9j"
MODEL = "whisper-large-v3"
BRAIN_SUT = "803910"   # Brain CT
LUMBAR_SUT = "804102"  # Lumbar MR
PIECE_S = 8
ATTEMPTS = 3
TIMEOUT_S = 2
FAKE_TIMEOUT_S = 60    # a job through the fake, under ASan


def seconds_of(path):
    with wave.open(path, "rb") as w:
        return w.getnframes() / float(w.getframerate())


class SpeechServerTest(JobsTest):
    """One raportai server whose speech engine posts to a fake: tr, az, fr, de
    (the default languages of --asr-url) to `fake` with MODEL and KEY, ru
    (through --asr-map) to `fake_ru` with its own model and key; English on
    the local engine. Pieces of at most PIECE_S seconds, ATTEMPTS attempts of
    TIMEOUT_S seconds each."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI(key=KEY)
        cls.addClassCleanup(cls.fake.close)   # after the server stops (cleanups run LIFO)
        cls.fake_ru = FakeOpenAI(key=KEY_RU)
        cls.addClassCleanup(cls.fake_ru.close)
        cls.extra_args = ["--asr-url", cls.fake.url, "--asr-model-name", MODEL,
                          "--asr-map", "ru=%s|whisper-ru" % cls.fake_ru.url,
                          "--asr-timeout", str(TIMEOUT_S), "--asr-attempts", str(ATTEMPTS),
                          "--asr-piece-seconds", str(PIECE_S)]
        cls.env = {"RAPORTAI_ASR_KEY": KEY, "RAPORTAI_ASR_KEY_RU": KEY_RU}
        super().setUpClass()
        cls.turkish = cls.audio.speech("bulgular. beyin parankimi normal. sonuç. normal beyin "
                                       "tomografisi.", voice="tr")

    def setUp(self):
        self.fake.reset()
        self.fake_ru.reset()

    def tearDown(self):
        self.assertEqual(self.fake.violations, [])
        self.assertEqual(self.fake_ru.violations, [])
        self.assertKeysNotLogged()

    # -- helpers --

    def assertKeysNotLogged(self):
        log = "\n".join(self.srv.log_lines)
        self.assertNotIn(KEY, log)
        self.assertNotIn(KEY_RU, log)

    def run_audio(self, key, wav, lang="tr", sut=BRAIN_SUT):
        reply = self.submit(key, report_fields(wav, sut=sut, lang=lang))
        self.assertEqual(reply.status, 202, reply.body)
        return self.wait(key, reply.json(), FAKE_TIMEOUT_S)

    def variant(self, n):
        """The Turkish dictation, made unique (the duplicate check)."""
        return self.audio.variant(self.turkish, n)

    def assertUnavailable(self, org, key, body, credits):
        self.assertEqual(body["status"], "failed", body)
        self.assertEqual(body["error"]["code"], "SPEECH_ENGINE_UNAVAILABLE", body)
        message = body["error"]["message"]
        self.assertIn("speech engine for tr", message)
        for secret in (KEY, self.fake.url, "127.0.0.1"):
            self.assertNotIn(secret, message)
        self.assertEqual(body["creditsUsed"], 0)
        self.assertEqual(balance(self, self.srv, key), credits)
        self.assertLedger(body["jobId"], [("reserve: job %s", -1), ("release: job %s", 1)])
        self.assertIsNotNone(self.srv.wait_log(
            r"job %s: the openai speech engine failed: The speech server at %s"
            % (body["jobId"], self.fake.url)))

    # -- the normal path --

    def test_turkish_audio_is_transcribed_by_the_speech_server(self):
        org, key = self.new_org(credits=5)
        body = self.run_audio(key, self.variant(1))
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(body["transcript"], TRANSCRIPTS["tr"])
        self.assertEqual(body["creditsUsed"], 1)
        # written text (punctuation, capitals) goes through the rules engine
        findings, conclusion = ro_query(
            self.data, "SELECT sec_findings, sec_conclusion FROM job_exams WHERE job_id = ?",
            (body["jobId"],))[0]
        self.assertIn("Beyin parankimi normal görünümdedir.", findings)
        self.assertIn("Orta hat yapıları ortadadır.", findings)
        self.assertIn("Normal beyin BT incelemesi.", conclusion)
        self.assertIn("Beyin parankimi normal görünümdedir.", body["reportText"])
        # one request, as OpenAI documents it
        sent = self.fake.requests("transcriptions")
        self.assertEqual(len(sent), 1)
        r = sent[0]
        self.assertEqual(r["path"], "/v1/audio/transcriptions")
        self.assertEqual(r["auth"], "Bearer " + KEY)
        self.assertEqual((r["model"], r["language"], r["response_format"]), (MODEL, "tr", "json"))
        self.assertEqual((r["filename"], r["file_type"]), ("audio.wav", "audio/wav"))
        self.assertEqual((r["wav"]["rate"], r["wav"]["channels"], r["wav"]["bits"]),
                         (16000, 1, 16))
        self.assertAlmostEqual(r["wav"]["samples"] / 16000.0, seconds_of(self.variant(1)),
                               delta=0.1)
        self.assertEqual(self.fake_ru.requests("transcriptions"), [])

    def test_the_vocabulary_of_the_exam_goes_in_the_prompt(self):
        _, key = self.new_org()
        self.assertEqual(self.run_audio(key, self.variant(2))["status"], "completed")
        prompt = self.fake.requests("transcriptions")[0]["prompt"]
        self.assertLessEqual(len(prompt.encode("utf-8")), 600)
        # most important last: the catalog's and the template's names
        self.assertTrue(prompt.endswith("BT Beyin. Brain CT."), prompt)
        self.assertIn("BULGULAR:", prompt)                  # the template's headings
        self.assertIn("Beyin parankiminde", prompt)         # its normal findings
        self.assertNotIn("{{", prompt)
        # two exams: both names, whatever the room left
        _, key2 = self.new_org()
        meta = {"exams": [{"accessionNumber": "A-1", "sutCode": BRAIN_SUT},
                          {"accessionNumber": "A-2", "sutCode": LUMBAR_SUT}],
                "inputLang": "tr", "outputLang": "tr"}
        reply = self.submit(key2, pacs_fields(self.variant(3), meta), pacs=True)
        self.assertEqual(reply.status, 202, reply.body)
        self.wait(key2, reply.json(), FAKE_TIMEOUT_S)
        prompt = self.fake.requests("transcriptions")[1]["prompt"]
        self.assertTrue(prompt.endswith("Lomber MR. Lumbar MR. BT Beyin. Brain CT."), prompt)

    def test_long_audio_is_cut_at_pauses_and_the_texts_joined_in_order(self):
        _, key = self.new_org()
        wav = self.long_dictation()
        total = seconds_of(wav)
        self.assertGreater(total, 3 * PIECE_S)
        self.fake.transcript = lambda r: "parça-%d" % (r["index"] + 1)
        try:
            body = self.run_audio(key, wav)
        finally:
            self.fake.transcript = lambda r: TRANSCRIPTS.get(r.get("language"), "Normal.")
        self.assertEqual(body["status"], "completed", body)
        sent = self.fake.requests("transcriptions")
        self.assertGreaterEqual(len(sent), 4)
        self.assertEqual(body["transcript"],
                         " ".join("parça-%d" % (i + 1) for i in range(len(sent))))
        samples = [r["wav"]["samples"] for r in sent]
        self.assertTrue(all(0 < n <= PIECE_S * 16000 for n in samples), samples)
        self.assertAlmostEqual(sum(samples) / 16000.0, total, delta=0.1)
        # every cut is in a pause: the audio is quiet on both sides of it
        for before, after in zip(sent, sent[1:]):
            end = before["wav"]["samples"]
            self.assertLess(rms(before["wav"]["pcm"], end - 1600, 1600), 30)
            self.assertLess(rms(after["wav"]["pcm"], 0, 1600), 30)

    def long_dictation(self):
        """About 30 s of Turkish phrases of a second or two, each followed by
        1.2 s of silence (espeak-ng, joined by sox)."""
        phrases = ["birinci bölüm", "ikinci bölüm", "üçüncü bölüm", "dördüncü bölüm",
                   "beşinci bölüm", "altıncı bölüm", "yedinci bölüm", "sekizinci bölüm",
                   "dokuzuncu bölüm", "onuncu bölüm", "on birinci bölüm", "on ikinci bölüm"]
        silence = self.audio.silence(1.2, rate=22050)
        parts = []
        for p in phrases:
            parts += [self.audio.speech(p, voice="tr"), silence]
        out = os.path.join(self.audio.dir, "long-turkish.wav")
        if not os.path.exists(out):
            run_tool(["sox"] + parts + [out])
        return out

    # -- languages --

    def test_each_language_goes_to_its_engine(self):
        _, key = self.new_org(credits=20)
        for n, lang in enumerate(("az", "fr", "de")):
            body = self.run_audio(key, self.variant(10 + n), lang=lang)
            self.assertEqual(body["status"], "completed", body)
            self.assertEqual(body["transcript"], TRANSCRIPTS[lang])
            r = self.fake.requests("transcriptions")[-1]
            self.assertEqual((r["language"], r["model"], r["auth"]), (lang, MODEL, "Bearer " + KEY))
        # Russian: the map's server, model and key
        body = self.run_audio(key, self.variant(13), lang="ru")
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(body["transcript"], TRANSCRIPTS["ru"])
        (r,) = self.fake_ru.requests("transcriptions")
        self.assertEqual((r["language"], r["model"], r["auth"]),
                         ("ru", "whisper-ru", "Bearer " + KEY_RU))
        self.assertEqual(len(self.fake.requests("transcriptions")), 3)
        # English stays on the local engine: no request to any fake
        body = self.run_audio(key, self.audio.speech("findings colon normal brain period"),
                              lang="en")
        self.assertEqual(body["status"], "completed", body)
        self.assertTranscriptEnglish(body["transcript"], ["findings", "normal", "brain"])
        self.assertEqual(len(self.fake.requests("transcriptions")), 3)
        self.assertEqual(len(self.fake_ru.requests("transcriptions")), 1)

    def test_the_admin_health_shows_the_engine_of_each_language(self):
        people = make_people(self.data, tag="speech")
        reply = signed_in(self.srv, people, "admin").get("/api/v1/admin/health")
        self.assertEqual(reply.status, 200, reply.body)
        speech = reply.json()["speech"]
        self.assertEqual(speech, {
            "engine": "local, openai", "languages": ["tr", "en", "ru", "az", "fr", "de"],
            "engines": {"tr": "openai", "en": "local", "ru": "openai", "az": "openai",
                        "fr": "openai", "de": "openai"}})
        self.assertIsNotNone(self.srv.wait_log(
            r"speech in ru: openai engine at %s, model whisper-ru, with a key" % self.fake_ru.url))

    # -- a server that misbehaves --

    def test_a_429_is_retried_after_its_retry_after(self):
        _, key = self.new_org()
        self.fake.script("transcriptions", [{"status": 429, "retry_after": "1"}])
        body = self.run_audio(key, self.variant(20))
        self.assertEqual(body["status"], "completed", body)
        first, second = self.fake.requests("transcriptions")
        self.assertGreaterEqual(second["at"] - first["at"], 0.95)
        self.assertIsNotNone(self.srv.wait_log(
            r"speech server at %s: HTTP 429 \(attempt 1 of %d\)" % (self.fake.url, ATTEMPTS)))

    def test_a_server_error_then_success_completes(self):
        _, key = self.new_org()
        self.fake.script("transcriptions", [{"status": 500}, {"status": 503}])
        body = self.run_audio(key, self.variant(21))
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(len(self.fake.requests("transcriptions")), 3)

    def test_a_server_that_stays_down_fails_the_job_and_releases_the_credit(self):
        org, key = self.new_org(credits=3)
        self.fake.default("transcriptions", {"status": 500})
        body = self.run_audio(key, self.variant(22))
        self.assertUnavailable(org, key, body, 3)
        self.assertEqual(len(self.fake.requests("transcriptions")), ATTEMPTS)
        # a PACS job: every exam fails, nothing is charged
        meta = {"exams": [{"accessionNumber": "A-1", "sutCode": BRAIN_SUT},
                          {"accessionNumber": "A-2", "sutCode": LUMBAR_SUT}],
                "inputLang": "tr", "outputLang": "tr"}
        reply = self.submit(key, pacs_fields(self.variant(23), meta), pacs=True)
        self.assertEqual(reply.status, 202, reply.body)
        body = self.wait(key, reply.json(), FAKE_TIMEOUT_S)
        self.assertEqual(body["status"], "failed", body)
        self.assertEqual([r["error"]["code"] for r in body["reports"]],
                         ["SPEECH_ENGINE_UNAVAILABLE"] * 2)
        self.assertEqual(body["creditsUsed"], 0)
        self.assertEqual(balance(self, self.srv, key), 3)

    def test_a_slow_answer_is_retried(self):
        _, key = self.new_org()
        self.fake.script("transcriptions", [{"delay": TIMEOUT_S + 2}])
        body = self.run_audio(key, self.variant(24))
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(len(self.fake.requests("transcriptions")), 2)
        self.assertIsNotNone(self.srv.wait_log(
            r"speech server at %s: no answer in time \(attempt 1 of %d\)"
            % (self.fake.url, ATTEMPTS)))

    def test_a_server_too_slow_every_time_fails_the_job(self):
        org, key = self.new_org(credits=2)
        self.fake.default("transcriptions", {"delay": TIMEOUT_S + 2})
        started = time.monotonic()
        body = self.run_audio(key, self.variant(25))
        self.assertUnavailable(org, key, body, 2)
        self.assertLess(time.monotonic() - started, 40)
        self.assertIsNotNone(self.srv.wait_log(
            r"job %s: .*did not answer within %d.0 s\. Gave up after %d attempts"
            % (body["jobId"], TIMEOUT_S, ATTEMPTS)))

    def test_a_dropped_connection_is_retried(self):
        _, key = self.new_org()
        self.fake.script("transcriptions", [{"close": True}])
        body = self.run_audio(key, self.variant(26))
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(len(self.fake.requests("transcriptions")), 2)

    def test_malformed_answers_fail_the_job_clearly(self):
        org, key = self.new_org(credits=4)
        cases = [{"body": "{\"text\": \"unterminated"}, {"body": "<html>502 Bad Gateway</html>"},
                 {"body": "{\"transcript\": \"no text member\"}"}, {"body": "{\"text\": 42}"}]
        for n, step in enumerate(cases):
            self.fake.reset()
            self.fake.script("transcriptions", [step])
            body = self.run_audio(key, self.variant(30 + n))
            self.assertEqual(body["status"], "failed", (step, body))
            self.assertEqual(body["error"]["code"], "SPEECH_ENGINE_UNAVAILABLE")
            self.assertEqual(len(self.fake.requests("transcriptions")), 1)  # not retried
            self.assertIsNotNone(self.srv.wait_log(
                r"job %s: .*answered HTTP 200 without the JSON expected" % body["jobId"]), step)
        self.assertEqual(balance(self, self.srv, key), 4)

    def test_a_refused_key_fails_the_job_with_a_hint_in_the_log(self):
        _, key = self.new_org()
        self.fake.script("transcriptions", [{"status": 401}])
        body = self.run_audio(key, self.variant(40))
        self.assertEqual(body["error"]["code"], "SPEECH_ENGINE_UNAVAILABLE", body)
        self.assertEqual(len(self.fake.requests("transcriptions")), 1)  # a 4xx is not retried
        self.assertIsNotNone(self.srv.wait_log(
            r"job %s: .*answered HTTP 401\..*Check the speech key \(RAPORTAI_ASR_KEY\)\."
            % body["jobId"]))


class SpeechLanguagesTest(JobsTest):
    """--asr-languages tr: only Turkish goes to the speech server; ru, az, fr
    and de audio is refused at submission; English stays local."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI(key=KEY)
        cls.addClassCleanup(cls.fake.close)
        cls.extra_args = ["--asr-url", cls.fake.url + "/v1/", "--asr-languages", "tr",
                          "--asr-attempts", "1"]
        cls.env = {"RAPORTAI_ASR_KEY": KEY}
        super().setUpClass()

    def test_only_the_listed_languages_are_accepted(self):
        org, key = self.new_org()
        wav = self.audio.speech("bulgular normal", voice="tr")
        for lang in ("ru", "az", "fr", "de"):
            body = self.refused(org, key, REPORT, report_fields(wav, lang=lang), 400,
                                "UNSUPPORTED_LANGUAGE", "inputLang")
            self.assertIn("No speech engine is configured for %s (available: tr,en)" % lang,
                          body["error"]["message"])
        # a transcript needs no speech engine
        reply = self.submit(key, report_fields(None, lang="de",
                                               transcript="Befund: unauffällig."))
        self.assertEqual(reply.status, 202, reply.body)
        body = self.wait(key, reply.json(), FAKE_TIMEOUT_S)
        self.assertEqual(body["status"], "completed", body)
        # Turkish goes to the server ("/v1/" in the URL is not doubled)
        reply = self.submit(key, report_fields(wav, lang="tr"))
        self.assertEqual(reply.status, 202, reply.body)
        self.assertEqual(self.wait(key, reply.json(), FAKE_TIMEOUT_S)["status"], "completed")
        (r,) = self.fake.requests("transcriptions")
        self.assertEqual(r["path"], "/v1/audio/transcriptions")
        self.assertEqual(r["model"], "whisper-1")
        self.assertEqual(self.fake.violations, [])


class SpeechServerUnreachableTest(JobsTest):
    """The speech server's address refuses connections; stopping raportai
    during a slow request cancels it and leaves the job for later."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI()
        cls.addClassCleanup(cls.fake.close)
        cls.closed = FakeOpenAI()
        cls.closed_url = cls.closed.url
        cls.closed.close()          # nothing listens there any more
        cls.extra_args = ["--asr-map", "tr=%s,de=%s" % (cls.closed_url, cls.fake.url),
                          "--asr-attempts", "2", "--asr-timeout", "300"]
        super().setUpClass()

    def test_an_unreachable_server_fails_the_job(self):
        _, key = self.new_org(credits=2)
        wav = self.audio.speech("bulgular normal", voice="tr")
        reply = self.submit(key, report_fields(wav, lang="tr"))
        self.assertEqual(reply.status, 202, reply.body)
        body = self.wait(key, reply.json(), FAKE_TIMEOUT_S)
        self.assertEqual(body["error"]["code"], "SPEECH_ENGINE_UNAVAILABLE", body)
        self.assertEqual(balance(self, self.srv, key), 2)
        self.assertIsNotNone(self.srv.wait_log(
            r"job %s: .*could not be reached.*Gave up after 2 attempts" % body["jobId"]))

    def test_zz_stopping_cancels_a_request_in_flight(self):
        """Named to run last in the class: it stops the server."""
        _, key = self.new_org(credits=2)
        self.fake.default("transcriptions", {"delay": 50})
        wav = self.audio.speech("Befund unauffällig", voice="de")
        reply = self.submit(key, report_fields(wav, lang="de"))
        self.assertEqual(reply.status, 202, reply.body)
        job = reply.json()["jobId"]
        self.fake.wait_requests("transcriptions", 1, timeout=FAKE_TIMEOUT_S)
        self.assertEqual(len(self.fake.requests("transcriptions")), 1)
        started = time.monotonic()
        self.srv.stop()                          # checks a clean exit and the log
        self.assertLess(time.monotonic() - started, 10)
        status, reserved = ro_query(self.data, "SELECT status, credits_reserved FROM jobs"
                                    " WHERE id = ?", (job,))[0]
        self.assertIn(status, ("pending", "processing"))   # taken up again later
        self.assertEqual(reserved, 1)


class SpeechOptionsTest(unittest.TestCase):
    """Bad --asr-* options stop the server before it starts, saying why,
    without the key."""

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="raportai-e2e-")
        self.addCleanup(shutil.rmtree, self.data, ignore_errors=True)

    def refused(self, args, want, env=None):
        full_env = {"RAPORTAI_ASR_KEY": KEY}
        full_env.update(env or {})
        code, _, err = run_binary("serve", "--data", self.data, "--listen", "127.0.0.1:0",
                                  *args, env=full_env, timeout=60)
        self.assertEqual(code, 2, err)
        self.assertIn(want, err)
        self.assertNotIn(KEY, err)

    def test_bad_options_are_refused(self):
        url = "http://127.0.0.1:9"
        self.refused(["--asr-url", "ftp://127.0.0.1/"], "speech: --asr-url: ")
        self.refused(["--asr-url", "http://%s@127.0.0.1:9/" % KEY], "user name or password")
        self.refused(["--asr-url", url, "--asr-languages", "tr,xx"], "--asr-languages")
        self.refused(["--asr-languages", "tr"], "No speech server for tr")
        self.refused(["--asr-map", "tr=%s,tr=%s" % (url, url)], "tr appears twice")
        self.refused(["--asr-map", "tr %s" % url], "entry 1 is not LANG=URL")
        self.refused(["--asr-map", "ru=%s|two words" % url], "model name")
        self.refused(["--asr-url", url, "--asr-languages", "tr", "--asr-map", "ru=" + url],
                     "--asr-map routes ru, which --asr-languages does not list")
        self.refused(["--asr-url", url, "--asr-timeout", "0"], "--asr-timeout")
        self.refused(["--asr-url", url, "--asr-attempts", "11"], "--asr-attempts")
        self.refused(["--asr-url", url], "RAPORTAI_ASR_KEY", env={"RAPORTAI_ASR_KEY": KEY + " x"})
        # RAPORTAI_ASR_MODEL names the server's model now; a folder there is a mistake
        self.refused(["--asr-url", url], "RAPORTAI_ASR_MODEL_DIR",
                     env={"RAPORTAI_ASR_MODEL": "/usr/share/pocketsphinx/model/en-us"})


if __name__ == "__main__":
    unittest.main()

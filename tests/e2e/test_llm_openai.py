"""The `openai` structuring engine end to end, against tests/e2e/fake_openai.py:
a loopback server written for these tests that implements POST
/v1/chat/completions as documented, checks the JSON it receives (model,
messages, response_format json_schema with our schemas, the bearer key) and
misbehaves on demand. It tests OUR client (src/structuring/llm.c over
src/httpc/httpc.c), not any real model.

Covered: structuring via the engine (structuredBy "openai"); an invented
measurement and a swapped side flagged in `warnings`; translation tr -> en;
a failed translation failing the exam (TRANSLATION_FAILED, no credit) rather
than coming back untranslated; the fallback to the rules engine (structuredBy
"rules") on 500, time-outs, malformed JSON and answers off the schema; a 429
retried; splitting a two-exam dictation via the engine (and the fallback
when a part holds a number the dictation lacks); a language the rules engine
does not read; translation refused at submission without an engine; bad
--llm-* options refusing to start; the key never logged."""

import json
import os
import shutil
import tempfile
import time
import unittest

from fake_openai import REPORT_MEMBERS, FakeOpenAI, script_chat
from harness import run_binary
from jobs_helpers import (PACS, REPORT, TEXT_TIMEOUT_S, JobsTest, balance, post_form,
                          ro_query, wait_job)

KEY = "sk-test-9f8e7d6c5b4a"
MODEL = "radiology-test-7b"
BRAIN_SUT = "803910"     # Brain CT
LUMBAR_SUT = "804102"    # Lumbar MR
EMPTY = {m: "" for m in REPORT_MEMBERS}


def step(b):
    """A fake_openai chat step from a (kind, ...) behaviour."""
    kind = b[0]
    if kind == "slow":
        return dict(step(b[2]), delay=b[1])
    if kind in ("answer", "content"):
        return {"answer": b[1]}
    if kind == "cut":
        return {"answer": b[1], "finish_reason": "length"}
    if kind == "raw":
        return {"body": b[1]}
    if kind == "status":
        return {"status": b[1], "retry_after": "1"} if b[1] == 429 else {"status": b[1]}
    raise AssertionError("unknown behaviour %r" % (b,))


def report(**sections):
    """A radiology_report answer with these sections, the rest empty."""
    out = dict(EMPTY)
    out.update(sections)
    return out


class LlmStructuring(JobsTest):
    """One server with the engine configured at the fake (2 attempts of 2 s
    each), the key given by its environment variable."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI(key=KEY)
        cls.fake.chat_model = MODEL
        cls.addClassCleanup(cls.fake.close)   # after the server stops (cleanups run LIFO)
        cls.extra_args = ["--llm-url", cls.fake.url, "--llm-model", MODEL,
                          "--llm-timeout", "2", "--llm-attempts", "2"]
        cls.env = {"RAPORTAI_LLM_KEY": KEY}
        super().setUpClass()

    def tearDown(self):
        self.assertEqual(self.fake.violations, [])

    # -- helpers --

    def text_job(self, key, transcript, lang="en", out_lang=None, sut=BRAIN_SUT):
        """Submits a transcript job and returns its finished poll body."""
        fields = [("sutCode", sut), ("inputLang", lang), ("outputLang", out_lang or lang),
                  ("transcript", transcript)]
        reply = post_form(self.srv, REPORT, fields, key)
        self.assertEqual(reply.status, 202, reply.body)
        return reply.json()

    def finish(self, key, accepted):
        return wait_job(self, self.srv, key, accepted["pollUrl"], TEXT_TIMEOUT_S)

    def run_text(self, key, transcript, **kw):
        return self.finish(key, self.text_job(key, transcript, **kw))

    def chat(self, marker, schema=None):
        """The chat requests the fake received whose dictation holds marker."""
        return [r for r in self.fake.requests("chat") if marker in r.get("dictation", "")
                and (schema is None or r.get("schema") == schema)]

    def script(self, marker, schema, behaviours):
        """Scripts the fake's chat answers for this dictation: ("answer", obj),
        ("content", text), ("raw", bytes), ("status", code), ("cut", obj: cut
        off by length), ("slow", seconds, behaviour)."""
        script_chat(self.fake, marker, schema, [step(b) for b in behaviours])

    def sections(self, job_id):
        return ro_query(self.data, "SELECT sec_findings, sec_conclusion, sec_impression,"
                        " sec_technique, sec_clinical, sec_comparison FROM job_exams"
                        " WHERE job_id = ? ORDER BY idx", (job_id,))

    # -- structuring --

    def test_structured_by_the_engine(self):
        _, key = self.new_org()
        dictation = ("findings colon casealpha no acute intracranial hemorrhage period "
                     "impression colon normal head ct period")
        self.script("casealpha", "radiology_report", [("answer", report(
            findings="No acute intracranial hemorrhage.", impression="Normal head CT."))])
        body = self.run_text(key, dictation)
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(body["structuredBy"], "openai")
        self.assertEqual(body["warnings"], [])
        self.assertIn("No acute intracranial hemorrhage.", body["reportText"])
        self.assertEqual(body["transcript"], dictation)
        self.assertEqual(self.sections(body["jobId"])[0][0], "No acute intracranial hemorrhage.")
        sent = self.chat("casealpha", "radiology_report")
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["json"]["model"], MODEL)
        self.assertEqual(sent[0]["dictation"], dictation)
        self.assertIn("in English", sent[0]["system"])
        self.assertIn("Brain CT", sent[0]["system"])
        self.assertNotIn("Translate", sent[0]["system"])
        # the key travels only in the Authorization header, and is never logged
        self.assertEqual(sent[0]["auth"], "Bearer " + KEY)
        self.assertNotIn(KEY, json.dumps(sent[0]["json"]))
        log = "\n".join(self.srv.log_lines)
        self.assertNotIn(KEY, log)
        self.assertIn("structuring: openai engine at %s, model %s, with a key"
                      % (self.fake.url, MODEL), log)

    def test_an_invented_measurement_and_a_swapped_side_are_flagged(self):
        _, key = self.new_org()
        self.script("casebravo", "radiology_report", [("answer", report(
            findings="A 12 mm nodule in the left upper lobe.",
            conclusion="Nodule of 8 x 6 mm."))])
        body = self.run_text(key, "findings colon casebravo small nodule in the right upper "
                                  "lobe measuring 8 by 6 millimeters period")
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(body["structuredBy"], "openai")
        self.assertEqual(body["warnings"], [
            {"code": "UNSUPPORTED_NUMBER", "section": "findings", "text": "12 mm"},
            {"code": "UNSUPPORTED_LATERALITY", "section": "findings", "text": "left"},
        ])
        self.assertIn("12 mm", body["reportText"])   # flagged, not silently removed either

    def test_many_warnings_are_capped_and_counted(self):
        _, key = self.new_org()
        invented = " ".join("Lesion %d: %d mm." % (i, 100 + i) for i in range(1, 26))
        self.script("casexray", "radiology_report", [("answer", report(findings=invented))])
        body = self.run_text(key, "findings colon casexray several lesions period")
        warnings = body["warnings"]
        self.assertEqual(len(warnings), 21, warnings)
        self.assertEqual(warnings[0], {"code": "UNSUPPORTED_NUMBER", "section": "findings",
                                       "text": "1"})
        self.assertEqual(warnings[1]["text"], "101 mm")
        self.assertEqual(warnings[-1], {"code": "MORE_WARNINGS", "section": None,
                                        "text": "30"})

    def test_a_language_the_rules_engine_does_not_read(self):
        _, key = self.new_org()
        self.script("casehotel", "radiology_report", [("answer", report(
            findings="Правая почка без изменений."))])
        body = self.run_text(key, "casehotel описание двоеточие правая почка без изменений",
                             lang="ru")
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(body["structuredBy"], "openai")
        self.assertEqual(body["warnings"], [])
        self.assertIn("Правая почка без изменений.", body["reportText"])
        system = self.chat("casehotel")[0]["system"]
        self.assertIn("in Russian", system)

    # -- translation --

    def test_translation_tr_to_en(self):
        _, key = self.new_org()
        dictation = ("bulgular iki nokta casecharlie sağ böbrekte 5 mm taş nokta "
                     "sonuç iki nokta nefrolitiazis nokta")
        self.script("casecharlie", "radiology_report", [("answer", report(
            findings="A 5 mm stone in the right kidney.", conclusion="Nephrolithiasis."))])
        body = self.run_text(key, dictation, lang="tr", out_lang="en")
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual((body["inputLang"], body["outputLang"]), ("tr", "en"))
        self.assertEqual(body["structuredBy"], "openai")
        self.assertEqual(body["warnings"], [])   # 5 mm and the right side are dictated
        self.assertIn("A 5 mm stone in the right kidney.", body["reportText"])
        self.assertNotIn("böbrek", body["reportText"])
        self.assertEqual(body["transcript"], dictation)   # what was dictated, untranslated
        system = self.chat("casecharlie")[0]["system"]
        self.assertIn("Translate faithfully from Turkish and write every section in English",
                      system)

    def test_a_translated_side_that_was_not_dictated_is_flagged(self):
        _, key = self.new_org()
        self.script("casekilo", "radiology_report", [("answer", report(
            findings="A stone in the left kidney."))])
        body = self.run_text(key, "bulgular iki nokta casekilo sağ böbrekte taş nokta",
                             lang="tr", out_lang="en")
        self.assertEqual(body["warnings"], [
            {"code": "UNSUPPORTED_LATERALITY", "section": "findings", "text": "left"}])

    def test_a_failed_translation_fails_the_exam_without_charging(self):
        org, key = self.new_org(credits=5)
        self.script("casedelta", "radiology_report", [("status", 500)])
        body = self.run_text(key, "bulgular iki nokta casedelta normal nokta", lang="tr",
                             out_lang="en")
        self.assertEqual(body["status"], "failed", body)
        self.assertEqual(body["error"]["code"], "TRANSLATION_FAILED")
        self.assertEqual(body["creditsUsed"], 0)
        self.assertNotIn("reportText", body)
        self.assertEqual(balance(self, self.srv, key), 5)
        self.assertEqual(len(self.chat("casedelta")), 2)   # both attempts

    # -- the fallback to the rules engine --

    def assertRules(self, body, words):
        self.assertEqual(body["status"], "completed", body)
        self.assertEqual(body["structuredBy"], "rules", body)
        self.assertEqual(body["warnings"], [])
        self.assertIn(words, body["reportText"].lower())
        self.assertIsNotNone(self.srv.wait_log(
            r"the openai engine failed for job %s .*the rules engine answers" % body["jobId"]))

    def test_a_server_error_falls_back_to_the_rules_engine(self):
        _, key = self.new_org()
        self.script("caseecho", "radiology_report", [("status", 500)])
        body = self.run_text(key, "findings colon caseecho no acute hemorrhage period")
        self.assertRules(body, "no acute hemorrhage")
        self.assertEqual(len(self.chat("caseecho")), 2)

    def test_a_slow_server_falls_back_after_its_time_limit(self):
        _, key = self.new_org()
        self.script("casefoxglove", "radiology_report",
                              [("slow", 6, ("answer", report(findings="Too late.")))])
        started = time.monotonic()
        body = self.run_text(key, "findings colon casefoxglove no acute hemorrhage period")
        self.assertRules(body, "no acute hemorrhage")
        self.assertNotIn("Too late", body["reportText"])
        self.assertLess(time.monotonic() - started, 30)
        self.assertIsNotNone(self.srv.wait_log(
            r"failed for job %s \(RA_ERR_UNAVAILABLE: .*did not answer within 2.0 s"
            % body["jobId"]))

    def test_malformed_answers_fall_back_to_the_rules_engine(self):
        _, key = self.new_org()
        cases = {"caseindia": ("content", "{\"findings\": \"unterminated"),
                 "casejuliet": ("raw", b"<html>502 Bad Gateway</html>"),
                 "caselima": ("content", "Here is your report: findings normal.")}
        accepted = {}
        for marker, behaviour in cases.items():
            self.script(marker, "radiology_report", [behaviour])
            accepted[marker] = self.text_job(key, "findings colon %s no acute hemorrhage "
                                                  "period" % marker)
        for marker in cases:
            self.assertRules(self.finish(key, accepted[marker]), "no acute hemorrhage")

    def test_answers_off_the_schema_fall_back_to_the_rules_engine(self):
        _, key = self.new_org()
        extra = report(findings="Normal.")
        extra["notes"] = "x"
        wrong_type = report(findings="Normal.")
        wrong_type["conclusion"] = ["Normal."]
        missing = report(findings="Normal.")
        del missing["comparison"]
        cases = {"casemike": ("answer", extra), "casenovember": ("answer", wrong_type),
                 "caseoscar": ("answer", missing), "casepapa": ("answer", EMPTY),
                 "casequebec": ("cut", report(findings="Normal.")),
                 "caseromeo": ("answer", report(findings="x" * 20001))}
        accepted = {}
        for marker, behaviour in cases.items():
            self.script(marker, "radiology_report", [behaviour])
            accepted[marker] = self.text_job(key, "findings colon %s no acute hemorrhage "
                                                  "period" % marker)
        for marker in cases:
            body = self.finish(key, accepted[marker])
            self.assertRules(body, "no acute hemorrhage")
            self.assertIsNotNone(self.srv.wait_log(
                r"failed for job %s \(RA_ERR_FORMAT" % body["jobId"]), marker)

    def test_a_429_is_retried_after_its_retry_after(self):
        _, key = self.new_org()
        self.script("casesierra", "radiology_report", [
            ("status", 429), ("answer", report(findings="Normal brain."))])
        body = self.run_text(key, "findings colon casesierra normal brain period")
        self.assertEqual(body["structuredBy"], "openai", body)
        tries = self.chat("casesierra")
        self.assertEqual(len(tries), 2)
        self.assertGreaterEqual(tries[1]["at"] - tries[0]["at"], 0.9)

    # -- splitting --

    def pacs_job(self, key, dictation):
        meta = {"exams": [{"accessionNumber": "ACC-1", "sutCode": BRAIN_SUT},
                          {"accessionNumber": "ACC-2", "sutCode": LUMBAR_SUT}],
                "inputLang": "en", "outputLang": "en"}
        reply = post_form(self.srv, PACS, [("metadata", json.dumps(meta)),
                                           ("transcript", dictation)], key)
        self.assertEqual(reply.status, 202, reply.body)
        return wait_job(self, self.srv, key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)

    def test_a_two_exam_dictation_is_split_by_the_engine(self):
        _, key = self.new_org()
        # No exam names, modalities or transitions: the rules engine could not
        # split this; the engine's answer names the exams out of order.
        brain = "casetango the ventricles are normal period"
        lumbar = "caseuniform disc bulge at L4-L5 period"
        self.script("casetango", "exam_parts", [("answer", {"exams": [
            {"exam": 2, "text": lumbar}, {"exam": 1, "text": brain}]})])
        self.script("casetango", "radiology_report", [("answer", report(
            findings="The ventricles are normal."))])
        self.script("caseuniform", "radiology_report", [("answer", report(
            findings="Disc bulge at L4-L5."))])
        body = self.pacs_job(key, brain + " " + lumbar)
        self.assertEqual(body["status"], "completed", body)
        first, second = body["reports"]
        self.assertEqual((first["transcript"], second["transcript"]), (brain, lumbar))
        self.assertIn("The ventricles are normal.", first["reportText"])
        self.assertIn("Disc bulge at L4-L5.", second["reportText"])
        for r in body["reports"]:
            self.assertEqual((r["status"], r["structuredBy"], r["warnings"]),
                             ("completed", "openai", []), r)
        system = self.chat("casetango", "exam_parts")[0]["system"]
        self.assertIn("1. Brain CT (modality CT, body part brain, accession number ACC-1)",
                      system)
        self.assertIn("2. ", system)
        self.assertIn("accession number ACC-2", system)

    def test_a_split_that_mixes_two_exams_is_not_trusted(self):
        """The engine hands both exams' findings to the first: the check of the
        split against the anatomy it speaks of fails both exams rather than
        file the lumbar findings in the brain report."""
        _, key = self.new_org()
        dictation = ("casewhiskey the ventricles are normal period no intracranial hemorrhage "
                     "period disc bulge at L4-L5 with foraminal narrowing period")
        self.script("casewhiskey", "exam_parts", [("answer", {"exams": [
            {"exam": 1, "text": dictation}]})])
        body = self.pacs_job(key, dictation)
        self.assertEqual(body["status"], "failed", body)
        self.assertEqual(body["creditsUsed"], 0)
        for r in body["reports"]:
            self.assertEqual((r["status"], r["error"]["code"], r["transcript"]),
                             ("failed", "SPLIT_FAILED", dictation), r)
        self.assertEqual(self.chat("casewhiskey", "radiology_report"), [])

    def test_a_split_that_invents_a_number_falls_back_to_the_rules_engine(self):
        _, key = self.new_org()
        dictation = ("brain ct period casevictor findings colon normal period next exam "
                     "lumbar mr period findings colon disc bulge period")
        self.script("casevictor", "exam_parts", [("answer", {"exams": [
            {"exam": 1, "text": "brain ct findings normal"},
            {"exam": 2, "text": "lumbar mr findings 12 mm disc bulge"}]})])
        body = self.pacs_job(key, dictation)
        self.assertIsNotNone(self.srv.wait_log(
            r"could not split job %s .*holds a number not in the dictation.*the rules engine "
            r"splits it" % body["jobId"]))
        self.assertEqual(body["status"], "completed", body)
        self.assertNotIn("12 mm", json.dumps(body))
        self.assertIn("lumbar", body["reports"][1]["transcript"])


class LlmBaseUrlWithV1(JobsTest):
    """A base URL that already ends in /v1 (as OpenAI's clients take it), no
    key: the request still goes to /v1/chat/completions, without
    Authorization."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI()
        cls.addClassCleanup(cls.fake.close)
        cls.extra_args = ["--llm-url", cls.fake.url + "/v1/", "--llm-model", MODEL]
        super().setUpClass()

    def test_the_endpoint_and_no_key(self):
        _, key = self.new_org()
        fields = [("sutCode", BRAIN_SUT), ("inputLang", "en"), ("outputLang", "en"),
                  ("transcript", "findings colon normal brain period")]
        reply = post_form(self.srv, REPORT, fields, key)
        self.assertEqual(reply.status, 202, reply.body)
        body = wait_job(self, self.srv, key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(body["structuredBy"], "openai", body)
        sent = self.fake.requests("chat")
        self.assertEqual([r["path"] for r in sent], ["/v1/chat/completions"])
        self.assertIsNone(sent[0]["auth"])
        self.assertEqual(self.fake.violations, [])
        self.assertIn("without a key", "\n".join(self.srv.log_lines))


class LlmNotConfigured(JobsTest):
    """No --llm-url: translation is refused at submission."""

    def test_translation_is_refused_without_an_engine(self):
        org, key = self.new_org()
        fields = [("sutCode", BRAIN_SUT), ("inputLang", "tr"), ("outputLang", "en"),
                  ("transcript", "bulgular iki nokta normal nokta")]
        body = self.refused(org, key, REPORT, fields, 400, "UNSUPPORTED_LANGUAGE", "outputLang")
        self.assertIn("structuring engine", body["error"]["message"])
        self.assertIn("structuring: the rules engine", "\n".join(self.srv.log_lines))


class LlmOptions(unittest.TestCase):
    """Bad --llm-* options stop the server before it starts, saying why."""

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="raportai-e2e-")
        self.addCleanup(shutil.rmtree, self.data, ignore_errors=True)

    def refused(self, args, env, want):
        code, _, err = run_binary("serve", "--data", self.data, "--listen", "127.0.0.1:0",
                                  *args, env=env, timeout=60)
        self.assertEqual(code, 2, err)
        self.assertIn(want, err)
        self.assertNotIn(KEY, err)

    def test_a_url_without_a_model(self):
        self.refused(["--llm-url", "http://127.0.0.1:9"], {"RAPORTAI_LLM_KEY": KEY},
                     "needs a model name")

    def test_a_bad_url(self):
        self.refused(["--llm-url", "ftp://127.0.0.1/", "--llm-model", "m"], None,
                     "http:// or https://")
        self.refused(["--llm-model", "m"], {"RAPORTAI_LLM_URL": "http://user:pw@127.0.0.1:9"},
                     "structuring")

    def test_a_bad_time_limit(self):
        self.refused(["--llm-url", "http://127.0.0.1:9", "--llm-model", "m", "--llm-timeout",
                      "0"], None, "--llm-timeout")


if __name__ == "__main__":
    unittest.main()

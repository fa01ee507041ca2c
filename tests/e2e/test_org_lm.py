"""Organizations' own speech models end to end: two organizations save
English reports through the web app, each with a rare word of its own; the
refresher builds each one's model into DATA/asr/org/<org_id>/ (ARPA LM,
dictionary, build.txt) from the section texts only - never the patient
fields, never the other's text, never in the shared model - and a job of
each organization is decoded with that organization's model (a debug log
line names which, without patient data), while an organization without a
model keeps the shared one. English dictation is made by espeak-ng."""

import os
import re
import stat
import unittest

from harness import run_binary
from jobs_helpers import JobsTest, report_fields, wait_for
from web_helpers import WebClient, make_user

V1 = "/api/v1"
BUILD_TIMEOUT_S = 60

WORD_A = "xanthogranulomatous"   # org A's reports only
WORD_B = "angiomyolipoma"        # org B's reports only
# Header fields with words that occur nowhere else: none may reach a model.
PATIENT = {"patientName": "Zebulon Quaxley", "patientId": "PID-quelmorant",
           "accessionNo": "ACC-vantrosix", "examName": "Ultrafrobnic CT"}
HEADER_WORDS = ("zebulon", "quaxley", "quelmorant", "vantrosix", "ultrafrobnic")
DICTATION = "findings colon there is " + WORD_A + " cholecystitis period"


def report(language, findings, impression):
    body = {"sutCode": "803910", "modality": "CT", "language": language,
            "sections": {"findings": findings, "impression": impression}}
    body.update(PATIENT)
    return body


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def words_of(path):
    """The words of an ARPA file's unigram section, or of a dictionary."""
    text = read(path)
    if path.endswith(".lm"):
        section = text.split("\\1-grams:", 1)[1].split("\\2-grams:", 1)[0]
        return {line.split()[1] for line in section.splitlines() if len(line.split()) >= 2}
    return {line.split()[0].split("(")[0] for line in text.splitlines() if line.strip()}


class OrgModels(JobsTest):
    extra_args = ("--org-lm-after", "2", "--org-lm-minutes", "0", "--org-lm-poll", "1",
                  "--log-level", "debug")

    def member(self, org, tag):
        email = "radiologist-%s@example.org" % tag
        make_user(self.data, "radiologist", email, org)
        c = WebClient(self.srv)
        c.must_login("corporate", email)
        return c

    def save(self, c, body):
        reply = c.post(V1 + "/reports", body)
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()

    def model_files(self, org):
        folder = os.path.join(self.data, "asr", "org", org)
        return folder, {name: os.path.join(folder, name)
                        for name in ("radiology-en.lm", "radiology-en.dict", "build.txt")}

    def test_each_organization_learns_its_own_words_and_decodes_with_them(self):
        org_a, key_a = self.new_org()
        org_b, key_b = self.new_org()
        org_c, key_c = self.new_org()
        a, b = self.member(org_a, "a"), self.member(org_b, "b")
        first = self.save(a, report("en", "There is %s cholecystitis." % WORD_A,
                                    "Findings of %s change." % WORD_A))
        # Revising a report replaces its text in the model.
        edited = report("en", "The gallbladder wall shows %s inflammation." % WORD_A,
                        "Consistent with %s cholecystitis." % WORD_A)
        reply = a.put(V1 + "/reports/" + first["id"], edited)
        self.assertEqual(reply.status, 200, reply.body)
        self.save(a, report("tr", "Safra kesesinde dolmantik görünüm.", "Dolmantik."))
        self.save(b, report("en", "There is a renal %s." % WORD_B, "Renal %s." % WORD_B))
        self.save(b, report("en", "A left renal %s is seen." % WORD_B, "No change."))

        folder_a, files_a = self.model_files(org_a)
        folder_b, files_b = self.model_files(org_b)
        folder_c, _ = self.model_files(org_c)
        for files in (files_a, files_b):
            wait_for(self, "the model at %s" % files["build.txt"],
                     lambda f=files: os.path.exists(f["build.txt"]), BUILD_TIMEOUT_S)

        # Each model has its organization's words, in the LM and the dictionary.
        shared = os.path.join(self.data, "asr", "radiology-en.lm")
        lm_a, lm_b = words_of(files_a["radiology-en.lm"]), words_of(files_b["radiology-en.lm"])
        self.assertIn(WORD_A, lm_a)
        self.assertIn("inflammation", lm_a)
        self.assertIn(WORD_A, words_of(files_a["radiology-en.dict"]))
        self.assertIn(WORD_B, lm_b)
        self.assertIn(WORD_B, words_of(files_b["radiology-en.dict"]))
        # ... and nothing of the other organization's, nor of the shared model.
        self.assertNotIn(WORD_B, lm_a)
        self.assertNotIn(WORD_A, lm_b)
        self.assertNotIn(WORD_A, words_of(shared))
        self.assertNotIn(WORD_B, words_of(shared))
        self.assertNotIn("dolmantik", lm_a, "Turkish reports stay out of the English model")
        for path in list(files_a.values()) + list(files_b.values()):
            text = read(path).lower()
            for word in HEADER_WORDS:
                self.assertNotIn(word, text, "a patient field reached %s" % path)
        self.assertNotIn(WORD_A, read(files_a["build.txt"]), "the record holds no text")
        self.assertRegex(read(files_a["build.txt"]), r"(?m)^revisions 2$")
        self.assertRegex(read(files_b["build.txt"]), r"(?m)^reports 2$")
        self.assertEqual(stat.S_IMODE(os.stat(folder_a).st_mode), 0o700)
        self.assertFalse(os.path.exists(folder_c), "no reports, no model")

        # The same dictation from each organization: A's model knows the word.
        wav = self.audio.speech(DICTATION)
        jobs = {}
        for org, key in ((org_a, key_a), (org_b, key_b), (org_c, key_c)):
            jobs[org] = self.accepted(self.submit(key, report_fields(wav)), 10)
        done = {org: self.wait(key, jobs[org])
                for org, key in ((org_a, key_a), (org_b, key_b), (org_c, key_c))}
        for org in done:
            self.assertEqual(done[org]["status"], "completed", done[org])
        heard = {org: done[org]["transcript"].lower().replace(".", " ").split() for org in done}
        self.assertIn(WORD_A, heard[org_a])
        self.assertNotIn(WORD_A, heard[org_b])
        self.assertNotIn(WORD_A, heard[org_c])
        for org, expect in ((org_a, "the speech model of organization " + org_a),
                            (org_b, "the speech model of organization " + org_b),
                            (org_c, "the shared speech model")):
            line = self.srv.wait_log(r"job %s decoded with " % jobs[org]["jobId"], timeout=5)
            self.assertIsNotNone(line)
            self.assertTrue(line.endswith(expect), line)
        log = "\n".join(self.srv.log_lines).lower()
        self.assertRegex(log, r"speech model of organization %s built" % re.escape(org_a))
        for word in (WORD_A, WORD_B) + HEADER_WORDS:
            self.assertNotIn(word, log, "report or patient text in the log")


class OrgModelsOff(JobsTest):
    extra_args = ("--org-lm-after", "0", "--org-lm-poll", "1", "--log-level", "debug")

    def test_zero_turns_organization_models_off(self):
        org, key = self.new_org()
        email = "radiologist-off@example.org"
        make_user(self.data, "radiologist", email, org)
        c = WebClient(self.srv)
        c.must_login("corporate", email)
        for i in range(3):
            reply = c.post(V1 + "/reports", report("en", "Report %d with %s." % (i, WORD_A), ""))
            self.assertEqual(reply.status, 201, reply.body)
        job = self.accepted(self.submit(key, report_fields(self.audio.speech(DICTATION))), 10)
        self.assertEqual(self.wait(key, job)["status"], "completed")
        self.assertFalse(os.path.exists(os.path.join(self.data, "asr", "org")))
        self.assertIsNone(self.srv.wait_log(r"decoded with the", timeout=0.1))
        self.assertIsNone(self.srv.wait_log(r"organization speech models", timeout=0.1))


class BadOptions(unittest.TestCase):

    def test_bad_values_are_refused(self):
        for args in (["--org-lm-after", "-1"], ["--org-lm-minutes", "x"],
                     ["--org-lm-poll", "0"]):
            code, _, err = run_binary("serve", "--data", "/nonexistent-raportai", *args)
            self.assertEqual(code, 2, (args, err))
            self.assertIn("--" + args[0][2:], err)


if __name__ == "__main__":
    unittest.main()

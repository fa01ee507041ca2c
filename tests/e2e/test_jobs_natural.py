"""Naturally spoken dictation through POST /pacs/report, end to end: audio of
several exams made at test time by two synthetic voices, sentences and
headings marked by pauses only (no spoken punctuation), must come back with
each exam's own findings and nothing of the other's; a dictation whose
exam boundaries cannot be established fails those exams with SPLIT_FAILED
at no cost, the whole dictation in their transcript; a report that speaks
of another exam's anatomy carries an OTHER_EXAM_ANATOMY warning."""

import json
import os
import re
import unittest

from harness import admin_ok
from jobs_helpers import TEXT_TIMEOUT_S, JobsTest, ledger, pacs_fields, run_tool

# A catalog for this data directory: the guide's two codes and test-only
# codes (99xxxx is no SGK code) for exams the shipped list does not name.
CATALOG = ("code,name,modality,body_part\n"
           "803910,Brain CT,CT,brain\n"
           "804102,Lumbar MR,MR,lumbar_spine\n"
           "990101,Chest CT,CT,chest\n"
           "990102,Abdominal CT,CT,abdomen\n")

# What the radiologist says, a sentence at a time with a pause between (no
# "period", no "colon"); "M R I" is how the synthesisers must be told MRI.
BRAIN_LUMBAR = [
    "Head CT without contrast.",
    "There is no acute intracranial hemorrhage.",
    "The ventricles are normal in size.",
    "Impression.",
    "No acute intracranial abnormality.",
    "Lumbar spine M R I.",
    "There is a disc herniation at L4 L5 compressing the left nerve root.",
    "Impression.",
    "Disc herniation at L4 L5.",
]
BRAIN_ONLY = {"hemorrhage", "ventricles", "intracranial"}
LUMBAR_ONLY = {"herniation", "disc", "nerve", "compressing", "lumbar"}
PAUSE_S = 0.7
VOICES = (("espeak-ng", ["espeak-ng", "-v", "en-us", "-s", "150", "-w", "{out}", "{text}"]),
          ("flite slt", ["flite", "-voice", "slt", "-t", "{text}", "-o", "{out}"]))


def words(text):
    return set(re.findall(r"[a-z0-9]+", (text or "").lower()))


class NaturalDictation(JobsTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        csv = os.path.join(cls.data, "catalog.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write(CATALOG)
        admin_ok(cls.data, "import-sut", csv)

    def sentences_audio(self, voice, sentences):
        """The sentences said by voice, each followed by PAUSE_S of
        silence, as one 16 kHz mono WAV."""
        name, cmd = voice
        parts = []
        for i, text in enumerate(sentences):
            raw = os.path.join(self.audio.dir, "%s-%d.wav" % (name.replace(" ", "-"), i))
            run_tool([a.format(out=raw, text=text) for a in cmd])
            parts += [raw, self.audio.silence(PAUSE_S, rate=16000)]
        out = os.path.join(self.audio.dir, "%s-all.wav" % name.replace(" ", "-"))
        converted = []
        for p in parts:
            c = p + ".16k.wav"
            if not os.path.exists(c):
                run_tool(["sox", p, "-r", "16000", "-c", "1", "-b", "16", c])
            converted.append(c)
        run_tool(["sox"] + converted + [out])
        return out

    def pacs(self, key, fields):
        reply = self.submit(key, fields, pacs=True)
        self.assertEqual(reply.status, 202, reply.body)
        return reply.json()

    def test_two_voices_each_exam_keeps_its_own_findings(self):
        org, key = self.new_org(credits=10)
        metadata = {"exams": [{"accessionNumber": "A-1", "sutCode": "803910"},
                              {"accessionNumber": "A-2", "sutCode": "804102"}],
                    "inputLang": "en", "outputLang": "en"}
        jobs = [self.pacs(key, pacs_fields(self.sentences_audio(v, BRAIN_LUMBAR),
                                           json.dumps(metadata)))
                for v in VOICES]
        for voice, job in zip(VOICES, jobs):
            done = self.wait(key, job)
            brain, lumbar = done["reports"]
            for r in (brain, lumbar):
                self.assertEqual(r["status"], "completed", (voice[0], done))
            self.assertFalse(words(brain["reportText"]) & LUMBAR_ONLY, (voice[0], brain))
            self.assertFalse(words(lumbar["reportText"]) & BRAIN_ONLY, (voice[0], lumbar))
            self.assertTrue(words(brain["reportText"]) & BRAIN_ONLY, (voice[0], brain))
            self.assertTrue(words(lumbar["reportText"]) & LUMBAR_ONLY, (voice[0], lumbar))
            self.assertEqual(done["creditsUsed"], 2)

    def test_unknown_boundaries_fail_the_exams_at_no_cost(self):
        """Findings of both exams with no exam named between them: neither
        report may take the other's, so both fail and nothing is charged."""
        org, key = self.new_org(credits=10)
        dictation = ("There is no acute intracranial hemorrhage. The ventricles are normal. "
                     "There is a disc herniation at L4 L5 with foraminal narrowing.")
        metadata = {"exams": [{"accessionNumber": "B-1", "sutCode": "803910"},
                              {"accessionNumber": "B-2", "sutCode": "804102"}],
                    "inputLang": "en", "outputLang": "en"}
        job = self.pacs(key, pacs_fields(None, json.dumps(metadata), transcript=dictation))
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "failed", done)
        self.assertEqual(done["creditsUsed"], 0)
        self.assertEqual(done["remainingCredits"], 10)
        for r in done["reports"]:
            self.assertEqual(r["status"], "failed", r)
            self.assertEqual(r["error"]["code"], "SPLIT_FAILED", r)
            self.assertEqual(r["transcript"], dictation)
            self.assertNotIn("reportText", r)
        self.assertEqual([amount for _, amount in ledger(self.data, job["jobId"])], [-2, 2])

    def test_a_report_speaking_of_another_exams_anatomy_is_flagged(self):
        org, key = self.new_org(credits=10)
        dictation = ("Chest CT. Findings. The lungs are clear. No pleural effusion. The "
                     "visualized liver is unremarkable. Impression. No acute finding. "
                     "Next exam. Abdominal CT. Findings. The liver and spleen are normal. "
                     "Impression. Normal abdomen.")
        metadata = {"exams": [{"accessionNumber": "C-1", "sutCode": "990101"},
                              {"accessionNumber": "C-2", "sutCode": "990102"}],
                    "inputLang": "en", "outputLang": "en"}
        job = self.pacs(key, pacs_fields(None, json.dumps(metadata), transcript=dictation))
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        chest, abdomen = done["reports"]
        self.assertEqual((chest["status"], abdomen["status"]), ("completed", "completed"), done)
        self.assertEqual(chest["warnings"], [{"code": "OTHER_EXAM_ANATOMY",
                                              "section": "findings", "text": "liver"}])
        self.assertEqual(abdomen["warnings"], [])
        self.assertEqual(done["creditsUsed"], 2)

    def test_spoken_titles_synonyms_and_a_misheard_modality(self):
        """The issue's transcripts: exams named by body part and synonym in
        a run of words, and a modality the speech engine misheard."""
        org, key = self.new_org(credits=10)
        metadata = {"exams": [{"accessionNumber": "D-1", "sutCode": "804102"},
                              {"accessionNumber": "D-2", "sutCode": "803910"}],
                    "inputLang": "en", "outputLang": "en"}
        cases = [
            "lumbar spine there is a disc herniation at l5 s1 conclusion disc herniation head ct "
            "no intracranial hemorrhage conclusion normal head",
            "Brain CT. No acute intracranial hemorrhage. Conclusion. Normal brain. Next exam. "
            "Lumbar is tear. Findings. There is a disc herniation at L5 S1. Conclusion. Disc "
            "herniation.",
        ]
        for dictation in cases:
            job = self.pacs(key, pacs_fields(None, json.dumps(metadata), transcript=dictation))
            done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
            lumbar, brain = done["reports"]
            self.assertEqual((lumbar["status"], brain["status"]), ("completed", "completed"),
                             (dictation, done))
            self.assertFalse(words(brain["reportText"]) & LUMBAR_ONLY, brain)
            self.assertFalse(words(lumbar["reportText"]) & BRAIN_ONLY, lumbar)
            self.assertIn("herniation", words(lumbar["reportText"]))
            self.assertIn("hemorrhage", words(brain["reportText"]))


if __name__ == "__main__":
    unittest.main()

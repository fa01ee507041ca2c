"""The quality benchmark (bench/quality.py) and its evaluation set
(bench/eval): the set has what bench/eval/README.md promises (six languages,
ten report dictations each, multi-exam dictations in another order than
listed, by ordinal, with an exam not mentioned, every kind of voice command),
the scorers judge right and wrong outputs as documented, and a text-only run
against the binary prints the table and writes the markdown copy."""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

from harness import BINARY, REPO

sys.path.insert(0, os.path.join(REPO, "bench"))
import quality  # noqa: E402  (bench/quality.py)

LANGS = ("tr", "en", "ru", "az", "fr", "de")
KEYS = {"clinical", "technique", "comparison", "findings", "conclusion", "impression"}


def load(lang):
    with open(os.path.join(REPO, "bench", "eval", lang + ".json"), encoding="utf-8") as f:
        return json.load(f)


class EvalSetTest(unittest.TestCase):
    def test_every_language_has_its_cases(self):
        ids = set()
        for lang in LANGS:
            s = load(lang)
            self.assertEqual(s["language"], lang)
            self.assertGreaterEqual(len(s["reports"]), 10, lang)
            self.assertGreaterEqual(len(s["splits"]), 2, lang)
            kinds = {c["kind"] for c in s["commands"]}
            self.assertLessEqual({"punctuation", "new line", "new paragraph",
                                  "number and unit"}, kinds, lang)
            if lang in ("tr", "en"):
                self.assertIn("macro", kinds)
            for case in s["reports"] + s["splits"] + s["commands"]:
                self.assertNotIn(case["id"], ids)
                self.assertTrue(case["id"].startswith(lang + "-"), case["id"])
                ids.add(case["id"])

    def test_dictations_are_spoken_and_sections_known(self):
        for lang in LANGS:
            s = load(lang)
            texts = [c["dictation"] for c in s["reports"] + s["commands"]]
            texts += [seg for c in s["splits"] for _, seg in c["segments"]]
            for text in texts:
                # Spoken form: no punctuation marks but a word's hyphen or
                # apostrophe, and numbers said as words.
                self.assertIsNone(re.search(r"[.,:;!?()\"]", text), text)
                self.assertIsNone(re.search(r"(?<![A-Za-z])\d", text), text)
            for case in s["reports"] + s["commands"]:
                self.assertTrue(case["sections"], case["id"])
                self.assertLessEqual(set(case["sections"]), KEYS, case["id"])
                if "{{NORMAL}}" in case["sections"].values():
                    self.assertTrue(quality.normal_texts(lang, case["macro_body_part"],
                                                         "findings"), case["id"])

    def test_multi_exam_cases_cover_order_ordinals_and_a_missing_exam(self):
        for lang in LANGS:
            splits = load(lang)["splits"]
            reordered = missing = 0
            for case in splits:
                n = len(case["exams"])
                labels = [label for label, _ in case["segments"]]
                self.assertTrue(all(label is None or 0 <= label < n for label in labels))
                first_seen = list(dict.fromkeys(l for l in labels if l is not None))
                reordered += first_seen != sorted(first_seen)
                missing += len(first_seen) < n
                for exam in case["exams"]:
                    self.assertEqual(set(exam), {"name", "modality", "body_part"})
            self.assertGreaterEqual(reordered, 1, lang)
            self.assertGreaterEqual(missing, 1, lang)


class ScorerTest(unittest.TestCase):
    def test_normalisation(self):
        self.assertEqual(quality.tokens("İstmus 2,5 cm; L4-L5 12×8 mm"),
                         ["istmus", "2.5", "cm", "l", "4", "l", "5", "12", "x", "8", "mm"])
        self.assertEqual(quality.tokens("Размер 12х8 мм, ёж"), ["размер", "12", "x", "8", "мм",
                                                                 "еж"])

    def test_sections(self):
        expected = {"findings": "A b.", "conclusion": "C d."}
        self.assertEqual(quality.section_scores(expected, {"findings": "a B", "conclusion":
                                                           "c, d"}), (1.0, 2, 2))
        self.assertEqual(quality.section_scores(expected, {"findings": "A b. C d."}),
                         (0.5, 0, 2))
        self.assertEqual(quality.section_scores(expected, {}), (0.0, 0, 2))

    def test_split(self):
        case = {"segments": [[None, "second exam"], [1, "liver normal"],
                             [None, "first exam"], [0, "brain normal"]]}
        right = quality.split_right
        self.assertEqual(right(case, ["brain normal", "liver normal", ""]), [True, True, True])
        self.assertEqual(right(case, ["first exam brain normal",
                                      "second exam liver normal", ""]), [True, True, True])
        self.assertEqual(right(case, ["liver normal", "brain normal", ""]), [False, False, True])
        self.assertEqual(right(case, ["brain normal", "liver", "normal"]), [True, False, False])

    def test_commands(self):
        case = {"sections": {"findings": "Kist 12 x 8 mm.\nDalak normal."}}
        ok = lambda got: quality.command_right("tr", case, got)
        self.assertTrue(ok({"findings": "Kist  12×8 mm.\nDalak normal. "}))
        self.assertFalse(ok({"findings": "kist 12 x 8 mm.\nDalak normal."}))
        self.assertFalse(ok({"findings": "Kist 12 x 8 mm. Dalak normal."}))
        self.assertFalse(ok({"findings": "Kist 12 x 8 mm.\nDalak normal.", "conclusion": "X."}))
        macro = {"macro_body_part": "brain", "sections": {"findings": "{{NORMAL}}"}}
        normal = quality.normal_texts("tr", "brain", "findings")[0]
        self.assertTrue(quality.command_right("tr", macro, {"findings": normal}))
        self.assertFalse(quality.command_right("tr", macro, {"findings": "Makro normal beyin."}))
        self.assertFalse(quality.command_right("tr", macro, {}))


class TextRunTest(unittest.TestCase):
    def test_text_run_prints_and_writes_the_table(self):
        with tempfile.TemporaryDirectory() as tmp:
            md = os.path.join(tmp, "quality.md")
            env = {k: v for k, v in os.environ.items() if not k.startswith("RAPORTAI_LLM")}
            p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "quality.py"),
                                "--binary", BINARY, "--no-audio", "--lang", "tr,en",
                                "--markdown", md], capture_output=True, text=True,
                               timeout=600, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            for lang in ("tr", "en"):
                self.assertRegex(p.stdout, r"(?m)^\| %s \| rules \| \d+ \(10\) \| \d+ \(\d+\) \| "
                                           r"\d+ \(7\) \| \d+ \(1[01]\) \| — \| — \|$" % lang)
            self.assertIn("| all | openai | not configured (RAPORTAI_LLM_URL is not set)",
                          p.stdout)
            with open(md, encoding="utf-8") as f:
                text = f.read()
            self.assertTrue(text.startswith("# Report quality on the evaluation set\n"))
            self.assertRegex(text, r"on \w+, \d+ cores, commit [0-9a-f]+")
            self.assertIn(p.stdout.strip(), text)


if __name__ == "__main__":
    unittest.main()

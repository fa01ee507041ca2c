"""The engine tools of the CLI: `raportai transcribe FILE` (the local speech
engine on one audio file, with the radiology model built in DATA/asr as
`serve` builds it, the files given, or the generic model) and `raportai
structure FILE` (the structuring engines of a job on one transcript: rules,
or openai against the loopback fake with its fall-back to rules; split
between exams first when --exams is given; voice macros included), with
what each prints
and every refusal: exit status 2, one sentence on stderr, nothing on stdout,
nothing written. Audio is made at test time by espeak-ng, sox and ffmpeg."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from fake_openai import REPORT_MEMBERS, FakeOpenAI, script_chat
from harness import BINARY, REPO, SANITIZER_MARKS, admin_ok, sanitizer_env
from jobs_helpers import BRAIN_DICTATION, AudioFactory

TURKISH = ("klinik bilgi iki nokta baş ağrısı nokta bulgular iki nokta karaciğer virgül dalak "
           "normaldir nokta sağ böbrekte beş milimetre taş izlendi nokta sonuç iki nokta "
           "nefrolitiazis nokta")
TWO_EXAMS = ("toraks bt bulgular iki nokta plevral efüzyon yok nokta ikinci tetkik beyin bt "
             "bulgular iki nokta akut kanama yok nokta")


def run(*args, stdin=None, timeout=120):
    """Runs the binary with args and --share at the repository; returns
    (status, stdout, stderr) decoded, failing on any sanitizer report."""
    p = subprocess.run([BINARY] + list(args) + ["--share", REPO], capture_output=True,
                       timeout=timeout, env=sanitizer_env(),
                       input=stdin.encode("utf-8") if stdin is not None else None,
                       stdin=None if stdin is not None else subprocess.DEVNULL)
    err = p.stderr.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in err:
            raise AssertionError("sanitizer report from %s:\n%s" % (args[:2], err))
    return p.returncode, p.stdout.decode("utf-8", "replace"), err


def normal_texts(lang, body_part, key="BULGULAR"):
    """The normal texts of section key of the library's templates of
    body_part in lang (manifest.tsv and the .normal sidecars)."""
    folder = os.path.join(REPO, "data", "templates")
    texts = []
    with open(os.path.join(folder, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cols) < 5 or cols[3] != body_part or cols[4] != lang:
                continue
            sidecar = os.path.join(folder, os.path.splitext(cols[0])[0] + ".normal")
            if not os.path.exists(sidecar):
                continue
            with open(sidecar, encoding="utf-8") as s:
                # Lines "KEY<TAB>text"; a key repeated goes on on a new line.
                lines = [row.rstrip("\n").split("\t", 1)[1] for row in s
                         if row.startswith(key + "\t")]
            if lines:
                texts.append("\n".join(lines))
    return texts


class ToolTest(unittest.TestCase):
    """A scratch folder per test and the refusal check."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="raportai-tools-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, content, mode="w"):
        with open(self.path(name), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            f.write(content)
        return self.path(name)

    def assertRefused(self, command, args, pattern, stdin=None):
        """Exit status 2, nothing on stdout, one stderr line naming the
        command and matching pattern."""
        code, out, err = run(command, *args, stdin=stdin)
        self.assertEqual(code, 2, "%s %r: expected a refusal, got %d (%r, %r)"
                         % (command, args, code, out, err))
        self.assertEqual(out, "", "%s %r printed on stdout on refusal" % (command, args))
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, "%s %r: expected one stderr line, got %r"
                         % (command, args, err))
        self.assertTrue(lines[0].startswith("raportai %s: " % command), lines[0])
        self.assertRegex(lines[0], pattern)


class TranscribeTest(ToolTest):
    @classmethod
    def setUpClass(cls):
        cls.audio = AudioFactory()
        cls.addClassCleanup(cls.audio.cleanup)
        cls.wav = cls.audio.speech(BRAIN_DICTATION)

    def test_radiology_model_built_in_data_dir_as_serve_does(self):
        data = self.path("var")
        code, out, err = run("transcribe", self.wav, "--data", data)
        self.assertEqual(code, 0, err)
        self.assertEqual(out.count("\n"), 1, out)
        words = out.lower().replace(".", " ").split()
        for word in ("findings", "intracranial", "hemorrhage", "impression"):
            self.assertIn(word, words, out)
        # Spoken-form words in sentences: a capital first, and nothing but
        # words once lowercased without the sentence marks.
        self.assertRegex(out, r"^[A-Z]", "a transcript starts a sentence")
        self.assertRegex(" ".join(words), r"^[a-z0-9' ]+$", "spoken-form words")
        # The model of `serve`: DATA/asr/radiology-en.{lm,dict}, from the
        # shipped phrases and the English templates.
        lm = os.path.join(data, "asr", "radiology-en.lm")
        with open(lm, encoding="utf-8") as f:
            arpa = f.read()
        self.assertIn("\\data\\", arpa)
        self.assertIn(" calvarium", arpa)  # a word of the templates
        self.assertTrue(os.path.getsize(os.path.join(data, "asr", "radiology-en.dict")) > 0)
        # The files given back with --lm/--dict decode the same.
        code, again, err = run("transcribe", self.wav, "--lm", lm,
                               "--dict", os.path.join(data, "asr", "radiology-en.dict"))
        self.assertEqual(code, 0, err)
        self.assertEqual(again, out)

    def test_any_container_and_silence(self):
        mp3 = self.audio.convert(self.wav, "mp3")
        code, out, err = run("transcribe", mp3, "--data", self.path("var"))
        self.assertEqual(code, 0, err)
        self.assertIn("hemorrhage", out.lower().replace(".", " ").split())
        code, out, err = run("transcribe", self.audio.silence(2), "--data", self.path("var"))
        self.assertEqual((code, out), (0, "\n"), err)

    def test_generic_model_builds_nothing(self):
        data = self.path("var")
        code, out, err = run("transcribe", self.wav, "--generic", "--data", data)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.strip(), "the generic model hears something")
        self.assertFalse(os.path.exists(data), "--generic must not build a model")

    def test_refusals(self):
        data = self.path("var")
        text = self.write("notes.txt", "findings colon normal period\n")
        lm = self.write("x.lm", "")
        cases = [
            ([], r"give the audio FILE"),
            ([self.path("missing.wav")], r"missing\.wav: .*cannot be read"),
            ([text], r"notes\.txt: the file is not one of WAV, MP3, M4A, OGG or WebM"),
            ([self.wav, "--lm", lm], r"--lm and --dict go together"),
            ([self.wav, "--dict", lm], r"--lm and --dict go together"),
            ([self.wav, "--generic", "--lm", lm, "--dict", lm], r"--generic uses the generic"),
            ([self.wav, "--bogus"], r"unknown option '--bogus'"),
            ([self.wav, self.wav], r"unexpected argument"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                self.assertRefused("transcribe", args + ["--data", data], pattern)
                self.assertFalse(os.path.exists(data), "a refusal wrote into the data dir")
        self.assertRefused("transcribe", [self.wav, "--lang", "tr", "--generic"],
                           r"no speech engine here serves 'tr': the local engine is English")

    def test_missing_model_is_a_failure(self):
        code, out, err = run("transcribe", self.wav, "--generic", "--asr-model",
                             self.path("no-model"))
        self.assertEqual(code, 1, err)
        self.assertEqual(out, "")
        self.assertIn("raportai transcribe: speech engine:", err)

    def test_help(self):
        code, out, err = run("transcribe", "--help")
        self.assertEqual(code, 0, err)
        for needle in ("usage: raportai transcribe FILE", "--lang LANG", "--generic",
                       "--lm FILE", "--dict FILE", "RAPORTAI_ASR_LM", "--data DIR"):
            self.assertIn(needle, out)


class StructureTest(ToolTest):
    def structure_json(self, *args, stdin=None):
        code, out, err = run("structure", *args, "--json", stdin=stdin)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.endswith("}\n"), out)
        return json.loads(out)

    def test_text_output(self):
        code, out, err = run("structure", self.write("t.txt", TURKISH))
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "KLİNİK BİLGİ:\nBaş ağrısı.\n\nBULGULAR:\nKaraciğer, dalak "
                              "normaldir. Sağ böbrekte 5 mm taş izlendi.\n\nSONUÇ:\n"
                              "Nefrolitiazis.\n")

    def test_json_output_and_stdin(self):
        want = {"engine": "rules", "language": "tr", "warnings": [], "sections": {
            "clinical": "Baş ağrısı.",
            "findings": "Karaciğer, dalak normaldir. Sağ böbrekte 5 mm taş izlendi.",
            "conclusion": "Nefrolitiazis."}}
        self.assertEqual(self.structure_json(self.write("t.txt", TURKISH)), want)
        self.assertEqual(self.structure_json("-", stdin=TURKISH), want)

    def test_english_and_json_escaping(self):
        got = self.structure_json("-", "--lang", "en-US", stdin=(
            'findings colon the "target" sign\\ period new line no effusion period '
            'impression colon normal period'))
        self.assertEqual(got["language"], "en")
        self.assertIn('"target"', got["sections"]["findings"])
        self.assertIn("\\", got["sections"]["findings"])
        self.assertIn("\n", got["sections"]["findings"])
        self.assertEqual(got["sections"]["impression"], "Normal.")

    def test_empty_transcript_has_no_sections(self):
        self.assertEqual(self.structure_json("-", stdin=" \n")["sections"], {})
        code, out, err = run("structure", "-", stdin="")
        self.assertEqual((code, out), (0, "(no report text)\n"), err)

    def test_split_between_named_exams(self):
        got = self.structure_json("-", "--exams", "Beyin BT, Toraks BT:CT:chest,Diz MR",
                                  stdin=TWO_EXAMS)
        self.assertEqual(got["splitBy"], "rules")
        exams = got["exams"]
        self.assertEqual([e["exam"] for e in exams], ["Beyin BT", "Toraks BT", "Diz MR"])
        self.assertEqual([e["engine"] for e in exams], ["rules", "rules", None])
        self.assertEqual([(e["modality"], e["bodyPart"]) for e in exams],
                         [("CT", "brain"), ("CT", "chest"), ("MR", "knee")])
        self.assertEqual(exams[0]["sections"], {"findings": "Akut kanama yok."})
        self.assertEqual(exams[1]["sections"], {"findings": "Plevral efüzyon yok."})
        self.assertIn("plevral", exams[1]["part"])
        self.assertEqual((exams[2]["part"], exams[2]["sections"]), ("", {}))

    def test_split_text_output_names_each_exam(self):
        code, out, err = run("structure", "-", "--exams", "Beyin BT,Toraks BT,Diz MR",
                             stdin=TWO_EXAMS)
        self.assertEqual(code, 0, err)
        self.assertIn("== 1. Beyin BT (CT, brain), structured by rules ==\nPART: ", out)
        self.assertIn("== 2. Toraks BT (CT, chest), structured by rules ==", out)
        # The knee exam was not dictated: it fails as a job's exam would.
        self.assertIn("== 3. Diz MR (MR, knee) ==\nPART: \n\n(not structured: EMPTY_TRANSCRIPT: "
                      "No dictation was found for this exam.)\n", out)

    def test_sut_codes_from_shipped_list_and_data_dir(self):
        got = self.structure_json("-", "--lang", "en", "--exams", "803.910, 804102", stdin=(
            "lumbar mr findings colon disc bulge period next exam brain ct findings colon "
            "normal period"))
        self.assertEqual([(e["code"], e["exam"]) for e in got["exams"]],
                         [("803910", "Brain CT"), ("804102", "Lumbar MR")])
        self.assertEqual(got["exams"][0]["sections"], {"findings": "Normal."})
        # A data directory's own catalog, imported with the admin CLI.
        data = self.path("var")
        os.mkdir(data)
        csv = self.write("ek2b.csv", "code,name\n123456,Kranial MR\n")
        admin_ok(data, "import-sut", csv)
        got = self.structure_json("-", "--exams", "123456", "--data", data,
                                  stdin="bulgular iki nokta normal nokta")
        self.assertEqual([(e["exam"], e["modality"], e["bodyPart"]) for e in got["exams"]],
                         [("Kranial MR", "MR", "brain")])
        self.assertRefused("structure", ["-", "--exams", "803910", "--data", data],
                           r"SUT code 803910 is not in the catalog of ", stdin="x")

    def test_voice_macro_from_the_library(self):
        got = self.structure_json("-", stdin="bulgular iki nokta makro normal beyin")
        self.assertIn(got["sections"]["findings"], normal_texts("tr", "brain"))
        got = self.structure_json("-", "--lang", "en", "--exams", "Chest X-ray:XR:chest", stdin=(
            "findings colon macro normal chest new paragraph impression colon normal "
            "chest period"))
        sections = got["exams"][0]["sections"]
        self.assertIn(sections["findings"], normal_texts("en", "chest"))
        self.assertEqual(sections["impression"], "Normal chest.")

    def test_refusals(self):
        t = self.write("t.txt", TURKISH)
        latin1 = self.write("latin1.txt", "bulgular iki nokta karaci\xf0er".encode("latin-1"),
                            "wb")
        big = self.write("big.txt", "nokta " * 200000)
        data = self.path("var")
        cases = [
            ([], r"give the transcript FILE"),
            ([self.path("missing.txt")], r"cannot read .*missing\.txt"),
            ([latin1], r"latin1\.txt is not UTF-8 text"),
            ([big], r"big\.txt is longer than 1048576 bytes"),
            ([t, "--lang", "xx"], r"does not read 'xx' \(it reads tr, en"),
            ([t, "--exams", " , "], r"--exams lists no exam"),
            ([t, "--exams", "Beyin BT,,Diz MR"], r"an exam in --exams has no name"),
            ([t, "--exams", "999999"], r"SUT code 999999 is not in the shipped list"),
            ([t, "--exams", "Beyin:ZZ"], r"'ZZ' is not a modality of the catalog"),
            ([t, "--exams", "Beyin:CT:head"], r"'head' is not a body part of the catalog"),
            ([t, "--exams", ",".join(["Beyin BT"] * 65)], r"more than 64 exams"),
            ([t, "--exams", "803910", "--data", data], r"--data .* is not a data directory"),
            ([t, "--json=1"], r"option '--json' takes no value"),
            ([t, "--engine", "gpt"], r"--engine must be rules or openai"),
            ([t, "--engine", "openai"], r"--engine openai needs --llm-url"),
            ([t, "--llm-url", "http://127.0.0.1:1", "--llm-model", "m", "--llm-timeout", "0"],
             r"--llm-timeout must be a whole number from 1 to 3600"),
            ([t, "--llm-url", "http://127.0.0.1:1", "--llm-model", "m", "--llm-attempts", "x"],
             r"--llm-attempts must be a whole number from 1 to 10"),
            ([t, "--llm-url", "http://127.0.0.1:1"], r"model"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args[1:]):
                self.assertRefused("structure", args, pattern)
        self.assertFalse(os.path.exists(data))

    def test_openai_engine_and_its_fallback(self):
        """The openai engine of structuring/engine.h against the loopback fake
        (tests/e2e/fake_openai.py), which checks what our client sends."""
        dictation = "bulgular iki nokta sağ böbrekte beş milimetre taş nokta"
        with FakeOpenAI() as fake:
            fake.chat_model = "fake-model"
            report = {m: "" for m in REPORT_MEMBERS}
            report["findings"] = "Sağ böbrekte 7 mm taş."
            script_chat(fake, "böbrekte", "radiology_report", [{"answer": report}])
            llm = ["--llm-url", fake.url, "--llm-model", "fake-model", "--llm-attempts", "1"]
            got = self.structure_json("-", *llm, stdin=dictation)
            self.assertEqual(got["engine"], "openai")
            self.assertEqual(got["sections"], {"findings": "Sağ böbrekte 7 mm taş."})
            self.assertEqual([(w["code"], w["section"]) for w in got["warnings"]],
                             [("UNSUPPORTED_NUMBER", "findings")])
            # --engine rules leaves the configured server alone.
            asked = len(fake.requests("chat"))
            got = self.structure_json("-", *llm, "--engine", "rules", stdin=dictation)
            self.assertEqual((got["engine"], got["sections"]["findings"]),
                             ("rules", "Sağ böbrekte 5 mm taş."))
            self.assertEqual(len(fake.requests("chat")), asked)
            # A server error: the rules engine answers instead, as in a job.
            script_chat(fake, "dalak", "radiology_report", [{"status": 500}])
            got = self.structure_json("-", *llm, stdin="bulgular iki nokta dalak normal nokta")
            self.assertEqual((got["engine"], got["sections"]),
                             ("rules", {"findings": "Dalak normal."}))
            self.assertEqual(fake.violations, [])

    def test_help(self):
        code, out, err = run("structure", "--help")
        self.assertEqual(code, 0, err)
        for needle in ("usage: raportai structure FILE", "--lang LANG", "(default tr)",
                       "--exams LIST", "NAME:MODALITY:BODY_PART", "--json", "--data DIR",
                       "--engine NAME", "--llm-url URL", "RAPORTAI_LLM_URL"):
            self.assertIn(needle, out)
        p = subprocess.run([BINARY, "--help"], capture_output=True, text=True, timeout=60,
                           env=sanitizer_env())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"(?m)^  transcribe +run the speech engine on one audio file")
        self.assertRegex(p.stdout, r"(?m)^  structure +run the structuring engine")


if __name__ == "__main__":
    unittest.main()

"""Benchmark: word error rate of an organization's dictations before and after
its own speech model has learnt from its saved reports.

Runs the real server (build/raportai serve, fresh data directory, loopback
only) with per-organization models on (--org-lm-after 1, --org-lm-minutes 0)
and measures what a hospital would see:

  1. an organization (a made-up hepatobiliary and pancreatic center) sends
     the held-out dictations of bench/org_lm/held-out.txt as audio jobs
     through the External API - synthesised by espeak-ng at -s 140 and
     -s 175, converted to 16 kHz mono WAV by sox - and they are decoded
     with the shared radiology model (it has no model of its own yet);
  2. its radiologist saves the reports of bench/org_lm/reports.txt through
     the web app (POST /api/v1/reports); the refresher builds its model
     into DATA/asr/org/<org_id>/;
  3. it sends the same audio again: now decoded with its own model.

The server's debug log says which model decoded each job, and the bench
checks it. It prints word error rates per condition (WER = word-level
Levenshtein distance / reference words, references and hypotheses in spoken
form), the ratio after/before, how many occurrences of the center's words
that the shared model lacks were recognised before and after, and the size
of both models.

    python3 bench/org_lm.py [--binary build/raportai] [--markdown FILE]

--markdown also writes the table into FILE, replacing its section between
the <!-- org-lm --> marks or appending one (docs/asr-wer.md: `make bench`
runs bench/wer.py first, which rewrites that file, then this).
ORG_LM_VERBOSE=1 prints every reference and both transcripts. Takes about
two minutes on two cores. Needs espeak-ng and sox.
"""

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DATA = os.path.join(ROOT, "bench", "org_lm")
SPEEDS = (140, 175)
SECTIONS = {"clinical information": "clinical", "technique": "technique",
            "comparison": "comparison", "findings": "findings", "conclusion": "conclusion",
            "impression": "impression"}
PASSWORD = "correct horse battery"
MARK_BEGIN, MARK_END = "<!-- org-lm -->", "<!-- /org-lm -->"
JOB_TIMEOUT_S = 600


def read_lines(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def read_reports():
    """The reports of reports.txt: a list of {section key: text}."""
    reports, current = [], {}
    with open(os.path.join(DATA, "reports.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("#"):
                continue
            if not line:
                if current:
                    reports.append(current)
                current = {}
                continue
            title, text = line.split(":", 1)
            current[SECTIONS[title.strip().lower()]] = text.strip()
    if current:
        reports.append(current)
    return reports


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def synthesise(spoken, speed, path, tmp):
    """spoken (spoken form) said by espeak-ng, with real punctuation after
    spoken punctuation for the pauses, as 16 kHz mono s16 WAV."""
    said = re.sub(r"\b(period)\b", r"\1.", spoken)
    said = re.sub(r"\b(comma|colon)\b", r"\1,", said)
    raw = os.path.join(tmp, "raw.wav")
    run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", raw, said])
    run(["sox", "-D", raw, "-r", "16000", "-c", "1", "-b", "16", path])


def wer_counts(ref, hyp):
    """(edits, reference words) of the word-level Levenshtein alignment."""
    r, h = ref.split(), re.sub(r"[.,;:?!]", " ", hyp.lower()).split()
    prev = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        cur = [i] + [0] * len(h)
        for j in range(1, len(h) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] != h[j - 1]))
        prev = cur
    return prev[-1], len(r)


def vocabulary(dict_path):
    with open(dict_path, encoding="utf-8") as f:
        return {l.split()[0].split("(")[0] for l in f if l.strip()}


class Bench:
    def __init__(self, binary):
        os.environ["RAPORTAI_TEST_BINARY"] = binary
        sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
        import harness            # noqa: E402 (needs the binary in the environment)
        import jobs_helpers
        import web_helpers
        self.h, self.jh, self.wh = harness, jobs_helpers, web_helpers
        self.data = tempfile.mkdtemp(prefix="raportai-org-lm-")
        self.srv = harness.Server(self.data, ["--workers", "2", "--rate-limit", "100000",
                                              "--org-lm-after", "1", "--org-lm-minutes", "0",
                                              "--org-lm-poll", "1", "--log-level", "debug",
                                              "--duplicate-window-hours", "0"])

    def setup_org(self):
        h = self.h
        self.org = h.admin_ok(self.data, "create-org", "--name", "Hepatobiliary Center",
                              "--credits", "1000")
        h.admin_ok(self.data, "create-user", "--email", "manager@hpb.example", "--password",
                   PASSWORD, "--role", "manager", "--org", self.org)
        h.admin_ok(self.data, "create-user", "--email", "radiologist@hpb.example",
                   "--password", PASSWORD, "--role", "radiologist", "--org", self.org)
        self.key = h.admin_ok(self.data, "create-key", "--email", "manager@hpb.example",
                              "--name", "bench")

    def transcribe_all(self, wavs):
        """Sends every WAV as a job, waits for all; {wav: (transcript, model)}."""
        jobs = {}
        for wav in wavs:
            reply = self.jh.post_form(self.srv, self.jh.REPORT, self.jh.report_fields(wav),
                                      self.key)
            if reply.status != 202:
                raise SystemExit("job refused: %d %r" % (reply.status, reply.body[:300]))
            jobs[wav] = reply.json()
        out, deadline = {}, time.monotonic() + JOB_TIMEOUT_S
        for wav, job in jobs.items():
            while True:
                body = self.srv.get(job["pollUrl"], key=self.key).json()
                if body.get("status") in ("completed", "failed"):
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("job %s did not finish" % job["jobId"])
                time.sleep(0.2)
            line = self.srv.wait_log(r"job %s decoded with " % job["jobId"], timeout=5) or ""
            model = ("organization" if "model of organization " + self.org in line
                     else "shared" if "shared speech model" in line else "?")
            out[wav] = (body.get("transcript") or "", model)
        return out

    def save_reports(self, reports):
        c = self.wh.WebClient(self.srv)
        c.must_login("corporate", "radiologist@hpb.example", PASSWORD)
        for i, sections in enumerate(reports):
            body = {"sutCode": "803910", "examName": "Abdomen CT", "modality": "CT",
                    "patientName": "Bench Patient %d" % i, "patientId": "B-%d" % i,
                    "accessionNo": "ACC-%d" % i, "language": "en", "sections": sections}
            reply = c.post("/api/v1/reports", body)
            if reply.status != 201:
                raise SystemExit("saving a report failed: %d %r" % (reply.status, reply.body))

    def wait_model(self):
        record = os.path.join(self.data, "asr", "org", self.org, "build.txt")
        deadline = time.monotonic() + 120
        while True:
            if os.path.exists(record):
                with open(record, encoding="utf-8") as f:
                    fields = dict(l.split(" ", 1) for l in f.read().splitlines()
                                  if l and not l.startswith("#"))
                if int(fields.get("reports", "0")) >= self.n_reports:
                    return {k: v.strip() for k, v in fields.items()}
            if time.monotonic() > deadline:
                raise SystemExit("the organization's model was not built")
            time.sleep(0.5)


def score(refs, results, wavs, org_words):
    """WER % and (recognised, total) occurrences of org_words."""
    edits = words = hit = total = 0
    for ref, wav in zip(refs, wavs):
        hyp = results[wav][0]
        e, n = wer_counts(ref, hyp)
        edits, words = edits + e, words + n
        hyp_words = re.sub(r"[.,;:?!]", " ", hyp.lower()).split()
        for w in set(ref.split()) & org_words:
            k = ref.split().count(w)
            total += k
            hit += min(k, hyp_words.count(w))
    return 100.0 * edits / max(words, 1), hit, total


def commit():
    """HEAD's short hash, marked when the working tree differs from it."""
    try:
        head = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty.strip() else "")


def write_markdown(path, text):
    section = "%s\n%s\n%s\n" % (MARK_BEGIN, text.rstrip("\n"), MARK_END)
    old = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if MARK_BEGIN in old and MARK_END in old:
        head, rest = old.split(MARK_BEGIN, 1)
        new = head + section + rest.split(MARK_END, 1)[1].lstrip("\n")
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + section
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "raportai"))
    ap.add_argument("--markdown", help="also write the table into this file")
    args = ap.parse_args()
    refs, reports = read_lines("held-out.txt"), read_reports()
    written = {l.lower() for r in reports for l in r.values()}
    corpus = os.path.join(ROOT, "data", "asr", "radiology-en.txt")
    with open(corpus, encoding="utf-8") as f:
        shipped = {l.strip() for l in f}
    for ref in refs:
        if ref in shipped or ref in written:
            raise SystemExit("held-out dictation found in a corpus: " + ref)

    bench = Bench(os.path.abspath(args.binary))
    tmp = tempfile.mkdtemp(prefix="raportai-org-lm-audio-")
    wavs = {}
    for speed in SPEEDS:
        wavs[speed] = []
        for i, ref in enumerate(refs):
            path = os.path.join(tmp, "s%d-%02d.wav" % (speed, i))
            synthesise(ref, speed, path, tmp)
            wavs[speed].append(path)
    all_wavs = [w for s in SPEEDS for w in wavs[s]]

    with bench.srv:
        bench.setup_org()
        before = bench.transcribe_all(all_wavs)
        bench.n_reports = len(reports)
        bench.save_reports(reports)
        record = bench.wait_model()
        after = bench.transcribe_all(all_wavs)
    shared_vocab = vocabulary(os.path.join(bench.data, "asr", "radiology-en.dict"))
    org_vocab = vocabulary(os.path.join(bench.data, "asr", "org", bench.org,
                                        "radiology-en.dict"))
    wrong = [w for w in all_wavs if before[w][1] != "shared" or after[w][1] != "organization"]
    if wrong:
        raise SystemExit("a job was not decoded with the expected model: %s" % wrong)

    ref_words = {w for r in refs for w in r.split()}
    org_words = {w for w in ref_words if w not in shared_vocab and w in org_vocab}
    n_ref = sum(len(r.split()) for r in refs)
    oov_shared = sum(1 for r in refs for w in r.split() if w not in shared_vocab)
    oov_org = sum(1 for r in refs for w in r.split() if w not in org_vocab)
    rows = []
    for speed in SPEEDS:
        wb, hb, total = score(refs, before, wavs[speed], org_words)
        wa, ha, _ = score(refs, after, wavs[speed], org_words)
        rows.append((speed, wb, wa, hb, ha, total))
    if os.environ.get("ORG_LM_VERBOSE"):
        for w in all_wavs:
            i = int(os.path.basename(w)[-6:-4])
            print("REF    %s\nBEFORE %s\nAFTER  %s\n" % (refs[i], before[w][0], after[w][0]))

    lines = ["## Organization speech models: before and after learning from saved reports", "",
             "Made by `python3 bench/org_lm.py --markdown docs/asr-wer.md` (part of `make "
             "bench`) on %s, %d cores, commit %s, %s. One organization (a made-up "
             "hepatobiliary and pancreatic center) dictates the %d held-out dictations of "
             "bench/org_lm/held-out.txt (synthesised by espeak-ng) through the External API "
             "before and after saving the %d reports of bench/org_lm/reports.txt in the web "
             "app; the server's log confirms which model decoded each job."
             % (platform.machine(), os.cpu_count() or 1, commit(), time.strftime("%Y-%m-%d"),
                len(refs), len(reports)), "",
             "Rerun: `make build/raportai && python3 bench/org_lm.py` prints this table (about "
             "two minutes; `ORG_LM_VERBOSE=1` also prints every reference and both "
             "transcripts); `--markdown docs/asr-wer.md` rewrites this section.", "",
             "| condition | dictations | shared model WER % | organization model WER % | "
             "ratio | center words recognised (shared -> own) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for speed, wb, wa, hb, ha, total in rows:
        lines.append("| espeak-ng -s %d | %d | %.1f | %.1f | %.2f | %d -> %d of %d |"
                     % (speed, len(refs), wb, wa, wa / wb if wb else 0.0, hb, ha, total))
    lines += ["",
              "center words: %d distinct words of the held-out dictations that the shared model "
              "lacks and the organization's has (%s)"
              % (len(org_words), ", ".join(sorted(org_words))), "",
              "held-out reference words outside the vocabulary: shared model %d of %d (%.1f %%), "
              "organization model %d of %d (%.1f %%)"
              % (oov_shared, n_ref, 100.0 * oov_shared / n_ref, oov_org, n_ref,
                 100.0 * oov_org / n_ref), "",
              "models: shared vocabulary %d words; organization vocabulary %s words from %s "
              "reports, built in %s s" % (len(shared_vocab), record.get("vocabulary"),
                                          record.get("reports"), record.get("seconds"))]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        write_markdown(args.markdown, text)


if __name__ == "__main__":
    main()

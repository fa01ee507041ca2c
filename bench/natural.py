"""Benchmark: reports from naturally spoken dictation (no spoken punctuation).

Reads the "natural" cases of bench/eval/<lang>.json (format and measures in
bench/eval/README.md) and measures, per language, each dictation in two
text forms a speech engine may hand over:

  - "pauses": the text as written, sentences and headings marked by the
    punctuation a speech engine writes at the speaker's pauses;
  - "run": the same words lowercase with no punctuation at all, a run of
    words without any boundary;

through the real binary (`raportai structure - --json`, with --exams for a
multi-exam case, as a job runs the engines):

  - single-exam reports: the closing section (conclusion or impression)
    recovered into its own section, and the sections F1;
  - multi-exam dictations: exams placed with their own findings, exams
    whose part holds another exam's findings (contaminated: the target is
    zero), and exams the split declined (SPLIT_FAILED).

With --audio, the English dictations are also said by each voice of
bench/common.py (a sentence at a time, pauses of 0.35-0.9 s) and sent
through the External API of a `raportai serve` started on loopback in a
scratch data directory (its own catalog of the cases' exams, an
organization and a key): POST /report for one exam, POST /pacs/report for
several, each exam with a TXT template whose placeholders give the sections
back. The same measures come from the finished jobs, and the word error
rate per voice from the single-exam jobs' transcripts.

    python3 bench/natural.py [--set tune|dev|held-out|all] [--lang en,tr,...]
                             [--audio] [--voices espeak-ng,flite-slt,...]
                             [--binary build/raportai] [--keep DIR] [--replay DIR]

--replay DIR takes the transcripts the server wrote in an earlier --audio
run kept in DIR (the cases of the set recorded there) and sends them through the current binary's structuring
and split (`raportai structure`) instead of running the audio again: the
same audio measures in seconds, for work on what comes after the speech
engine (the word error rates are those of the kept run).

NATURAL_VERBOSE=1 prints every case that is not right. bench/quality.py
imports the measures for docs/quality.md. The text forms take seconds; the
audio of one set (56 held-out dictations, six voices) about ten minutes on
two cores.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from common import (VOICES, build_driver, dictation_pauses, env_flag, need_tools, normalize,
                    plain_words, synthesise_voice, wer, where_and_when)
from quality import (LANGS, ROOT, TEMPLATE_KEYS, WORKERS, load_eval, progress, section_scores,
                     structure, tokens)

CLOSING = ("conclusion", "impression")
# Shares of distinct words, low enough that the speech engine's errors in
# the audio measures do not count as a section or exam lost.
RECOVERED_SHARE = 0.6   # of the closing section's words found, in the produced closing section
PLACED_SHARE = 0.6      # of an exam's own words in its part
CONTAMINATION_WORDS = 3 # words of another exam's dictation (its alone) that contaminate a part
# Words too common to tell whose dictation a word came from (short words
# are not counted either).
COMMON = {"with", "that", "this", "from", "there", "were", "have", "been", "which", "into",
          "than", "also", "both", "none", "left", "right", "normal", "seen", "noted", "present",
          "impression", "conclusion", "findings", "exam", "study", "next", "second", "third",
          "first", "other"}


def forms(text):
    """{form: text} of a natural dictation."""
    run = re.sub(r"[.,;:?!]", " ", text).lower()
    return {"pauses": text, "run": " ".join(run.split())}


def selected(cases, which):
    return [c for c in cases if which == "all" or c["set"] == which]


def dictation(case):
    return case["dictation"] if "dictation" in case else " ".join(s for _, s in case["segments"])


def run_cases(binary, sets, which):
    """{(lang, id, form): (json, err)} for every selected natural case."""
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for lang, s in sets.items():
            for kind in ("reports", "splits"):
                for case in selected(s["natural"][kind], which):
                    for form, text in forms(dictation(case)).items():
                        exams = case.get("exams") if kind == "splits" else None
                        jobs[(lang, case["id"], form)] = pool.submit(structure, binary, lang,
                                                                     text, "rules", exams)
        return {k: f.result() for k, f in jobs.items()}


# ---- single-exam reports ------------------------------------------------------------------

def content(text):
    """The distinct words of text that tell one passage from another."""
    return {t for t in tokens(text) if len(t) >= 4 and t not in COMMON}


def closing_recovered(expected, produced):
    """True/False for a case that dictates a closing section; None
    otherwise. Recovered: of its content words the report holds anywhere,
    at least RECOVERED_SHARE are in the produced section of its name (where
    they went, not whether the speech engine heard them: the word error
    rate measures that)."""
    keys = [k for k in CLOSING if k in expected]
    if not keys:
        return None
    for k in keys:
        want = content(expected[k])
        there = want & content(produced.get(k))
        elsewhere = want & {t for kk, v in produced.items() if kk != k for t in content(v)}
        if not there or len(there) < RECOVERED_SHARE * len(there | elsewhere):
            return False
    return True


def score_reports(lang, cases, results, form, verbose):
    m = {"closing": 0, "closings": 0, "f1": [], "wrong": []}
    for case in cases:
        got, err = results[(lang, case["id"], form)]
        produced = got["sections"] if got else {}
        f1 = section_scores(case["sections"], produced)[0]
        rec = closing_recovered(case["sections"], produced)
        m["f1"].append(f1)
        if rec is not None:
            m["closings"] += 1
            m["closing"] += rec
        if rec is False or f1 < 0.9:
            m["wrong"].append(case["id"])
            if verbose:
                print(f"\n{case['id']} [{form}] closing {rec}, F1 {100 * f1:.0f} %\n"
                      f"  expected: {case['sections']}\n  produced: {produced or err}")
    return m


# ---- multi-exam dictations ----------------------------------------------------------------

def own_and_foreign(case):
    """Per exam: (its words, the words only other exams' dictation has,
    COMMON and short words left out)."""
    segs = case["segments"]
    words = [[t for label, text in segs if label == i for t in tokens(text)]
             for i in range(len(case["exams"]))]
    result = []
    for i, own in enumerate(words):
        others = {t for j, w in enumerate(words) if j != i for t in w
                  if len(t) >= 4 and t not in COMMON} - set(own)
        result.append((own, others))
    return result


def exam_outcome(own, foreign, exam):
    """'placed', 'contaminated', 'split failed', 'missed' or 'empty right'
    for one exam's result (a JSON exam of `raportai structure`)."""
    part = tokens(exam["part"]) if exam else []
    code = (exam.get("error") or {}).get("code") if exam else None
    if len([t for t in set(part) if t in foreign]) >= CONTAMINATION_WORDS:
        return "contaminated"
    if not own:
        return "empty right" if not part else "contaminated"
    if code == "SPLIT_FAILED":
        return "split failed"
    hits = sum(1 for t in set(own) if t in set(part))
    return "placed" if hits >= PLACED_SHARE * len(set(own)) else "missed"


def score_splits(lang, cases, results, form, verbose):
    m = {"exams": 0, "placed": 0, "contaminated": 0, "split failed": 0, "wrong": []}
    for case in cases:
        got, err = results[(lang, case["id"], form)]
        exams = got["exams"] if got else [None] * len(case["exams"])
        outcomes = [exam_outcome(own, foreign, e)
                    for (own, foreign), e in zip(own_and_foreign(case), exams)]
        m["exams"] += len(outcomes)
        m["placed"] += sum(o in ("placed", "empty right") for o in outcomes)
        m["contaminated"] += outcomes.count("contaminated")
        m["split failed"] += outcomes.count("split failed")
        if any(o not in ("placed", "empty right") for o in outcomes):
            m["wrong"].append(case["id"])
            if verbose:
                print(f"\n{case['id']} [{form}] {outcomes}\n  segments: {case['segments']}\n"
                      f"  parts: {[e['part'] if e else err for e in exams]}")
    return m


# ---- audio through the External API ------------------------------------------------------

API = "/api/external/v1"
TEMPLATE = "".join("@@%s@@\n{{%s}}\n" % (k, v) for k, v in TEMPLATE_KEYS.items())
START_TIMEOUT_S = 60
JOBS_TIMEOUT_S = 4 * 3600   # every job of a run finished within this, or the run fails


def sections_of_template(filled):
    """The sections of a filledTemplate of TEMPLATE."""
    out = {}
    for key, text in re.findall(r"@@(\w+)@@\n(.*?)(?=\n@@\w+@@|\Z)", filled or "", re.S):
        if text.strip():
            out[key] = text.strip()
    return out


class Server:
    """`raportai serve` on loopback in a scratch data directory, with a
    catalog of the exams given, an organization and a key."""

    def __init__(self, binary, data, exams):
        self.binary, self.data = binary, data
        self.codes = {e: str(990001 + i) for i, e in enumerate(exams)}
        csv = os.path.join(data, "catalog.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("code,name,modality,body_part\n")
            for (name, modality, body), code in self.codes.items():
                f.write(f"{code},{name},{modality},{body}\n")
        self.admin("import-sut", csv)
        org = self.admin("create-org", "--name", "Bench", "--credits", "100000")
        self.admin("create-user", "--email", "bench@example.org", "--password",
                   secrets.token_hex(12), "--role", "manager", "--org", org)
        self.key = self.admin("create-key", "--email", "bench@example.org", "--name", "bench")
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--data", data, "--share", ROOT,
             "--workers", "2", "--rate-limit", "100000"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.port = None
        ready = threading.Event()

        def read_log():
            for line in self.proc.stderr:
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
        threading.Thread(target=read_log, daemon=True).start()
        if not ready.wait(START_TIMEOUT_S):
            self.stop()
            sys.exit("natural.py: the server did not start (exit status %s)" % self.proc.poll())

    def admin(self, *args):
        p = subprocess.run([self.binary, "admin"] + list(args) + ["--data", self.data, "--share",
                                                                  ROOT],
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            sys.exit(f"natural.py: admin {args[0]}: {p.stderr.strip()}")
        return p.stdout.strip()

    def request(self, method, path, body=None, content_type=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body,
                                     method=method)
        req.add_header("Authorization", "Bearer " + self.key)
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def submit(self, wav, exams):
        """Posts wav for the exams [(name, modality, body)]: the job's poll URL."""
        boundary = "bench" + secrets.token_hex(8)
        if len(exams) == 1:
            path = API + "/report"
            fields = [("inputLang", "en"), ("outputLang", "en"),
                      ("sutCode", self.codes[exams[0]]), ("templateContent", TEMPLATE),
                      ("templateFormat", "txt")]
        else:
            path = API + "/pacs/report"
            fields = [("metadata", json.dumps({"inputLang": "en", "outputLang": "en", "exams": [
                {"accessionNumber": f"N-{i + 1}", "sutCode": self.codes[e],
                 "templateContent": TEMPLATE, "templateFormat": "txt"}
                for i, e in enumerate(exams)]}))]
        body = b""
        for name, value in fields:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        with open(wav, "rb") as f:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"audio\"; "
                     f"filename=\"d.wav\"\r\nContent-Type: audio/wav\r\n\r\n").encode()
            body += f.read() + f"\r\n--{boundary}--\r\n".encode()
        status, reply = self.request("POST", path, body, "multipart/form-data; boundary=" + boundary)
        if status != 202:
            sys.exit(f"natural.py: {path} answered {status}: {reply}")
        return reply["pollUrl"]

    def wait_all(self, polls):
        """{poll URL: finished job} once every job has finished."""
        done, deadline = {}, time.monotonic() + JOBS_TIMEOUT_S
        while len(done) < len(polls):
            if time.monotonic() > deadline:
                sys.exit("natural.py: jobs still unfinished after %d s" % JOBS_TIMEOUT_S)
            for url in polls:
                if url not in done:
                    status, job = self.request("GET", url)
                    if status == 200 and job["status"] in ("completed", "failed"):
                        done[url] = job
            progress(f"audio: {len(done)} of {len(polls)} jobs finished")
            if len(done) < len(polls):
                time.sleep(5)
        return done

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def case_exams(case):
    """The exams of a natural case as (name, modality, body_part)."""
    exams = case["exams"] if "exams" in case else [case["exam"]]
    return [(e["name"], e["modality"], e["body_part"]) for e in exams]


def make_audio(cases, voices, tmp):
    """{(case id, voice): wav} of every case said by every voice."""
    todo = [(c, v) for c in cases for v in voices]
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        futures = {}
        for c, v in todo:
            text = dictation(c)
            wav = os.path.join(tmp, f"{c['id']}-{v}.wav")
            futures[(c["id"], v)] = (wav, pool.submit(synthesise_voice, text, v, wav,
                                                      dictation_pauses(text)))
        for wav, f in futures.values():
            f.result()
    return {k: wav for k, (wav, _) in futures.items()}


def score_api_report(case, job, m, verbose, voice, produced=None):
    """Adds one single-exam job to the measures m of its voice (produced:
    its sections, when not read from its filled template)."""
    if produced is None:
        produced = sections_of_template(job.get("filledTemplate")) \
            if job["status"] == "completed" else {}
    f1 = section_scores(case["sections"], produced)[0]
    rec = closing_recovered(case["sections"], produced)
    m["f1"].append(f1)
    if rec is not None:
        m["closings"] += 1
        m["closing"] += rec
    if rec is False or f1 < 0.9:
        m["wrong"].append(case["id"])
        if verbose:
            print(f"\n{case['id']} [{voice}] closing {rec}, F1 {100 * f1:.0f} %\n"
                  f"  transcript: {job.get('transcript')}\n  expected: {case['sections']}\n"
                  f"  produced: {produced or job.get('error')}")


def score_api_split(case, job, m, verbose, voice):
    """Adds one multi-exam job to the measures m of its voice: an exam's part
    is its transcript when it completed, nothing when it failed."""
    exams = [{"part": r.get("transcript") if r["status"] == "completed" else "",
              "error": r.get("error")} for r in job["reports"]]
    outcomes = [exam_outcome(own, foreign, e)
                for (own, foreign), e in zip(own_and_foreign(case), exams)]
    m["exams"] += len(outcomes)
    m["placed"] += sum(o in ("placed", "empty right") for o in outcomes)
    m["contaminated"] += outcomes.count("contaminated")
    m["split failed"] += outcomes.count("split failed")
    m["warned"] += sum(1 for r in job["reports"] for w in r.get("warnings") or []
                       if w["code"] == "OTHER_EXAM_ANATOMY")
    if any(o not in ("placed", "empty right") for o in outcomes):
        m["wrong"].append(case["id"])
        if verbose:
            print(f"\n{case['id']} [{voice}] {outcomes}\n  segments: {case['segments']}\n"
                  f"  parts: {[(r['status'], r.get('transcript')) for r in job['reports']]}")


def score_voice(reports, splits, job_of, verbose, voice, produced_of=lambda c: None):
    """The measures of one voice's jobs (job_of(case) is the job's poll
    answer; produced_of(case), when not None, a single exam's sections)."""
    r = {"closing": 0, "closings": 0, "f1": [], "wrong": []}
    sp = {"exams": 0, "placed": 0, "contaminated": 0, "split failed": 0, "warned": 0,
          "wrong": []}
    for c in reports:
        score_api_report(c, job_of(c), r, verbose, voice, produced_of(c))
    for c in splits:
        score_api_split(c, job_of(c), sp, verbose, voice)
    return r, sp


def measure_audio(binary, en, which, voices, keep=None, verbose=False):
    """{voice: {"reports": m, "splits": m, "wer": %, "words": n}} for the
    English natural cases of which, through the External API."""
    need_tools("natural.py", ("gcc", "pkg-config", "sox", "espeak-ng", "flite", "text2wave"))
    reports = selected(en["natural"]["reports"], which)
    splits = selected(en["natural"]["splits"], which)
    tmp = keep or tempfile.mkdtemp(prefix="raportai-natural-")
    os.makedirs(tmp, exist_ok=True)
    data = os.path.join(tmp, "var")
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    try:
        driver = os.path.join(tmp, "asr_driver")
        build_driver(driver, "-O1")
        refs = dict(zip([c["id"] for c in reports],
                        normalize(driver, [re.sub(r"[.,;:?!]", " ", c["dictation"])
                                           for c in reports])))
        wavs = make_audio(reports + splits, voices, tmp)
        progress(f"audio: {len(wavs)} recordings synthesised; sending them")
        exams = list(dict.fromkeys(e for c in reports + splits for e in case_exams(c)))
        srv = Server(binary, data, exams)
        try:
            polls = {}
            for c in reports + splits:
                for v in voices:
                    polls[(c["id"], v)] = srv.submit(wavs[(c["id"], v)], case_exams(c))
            done = srv.wait_all(list(polls.values()))
        finally:
            srv.stop()
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    out = {}
    for v in voices:
        r, sp = score_voice(reports, splits, lambda c: done[polls[(c["id"], v)]], verbose, v)
        pairs = [(refs[c["id"]], done[polls[(c["id"], v)]].get("transcript") or "")
                 for c in reports]
        out[v] = {"reports": r, "splits": sp, "wer": wer(pairs),
                  "words": sum(len(plain_words(ref)) for ref, _ in pairs)}
    return out


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def replay_audio(binary, en, which, voices, kept, verbose=False):
    """measure_audio's measures from the transcripts of a run kept in
    kept (its recordings and the server's database), structured again by
    binary."""
    reports = selected(en["natural"]["reports"], which)
    splits = selected(en["natural"]["splits"], which)
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(kept, "var", "raportai.db"), uri=True)
    transcripts = dict(db.execute("SELECT audio_sha256, transcript FROM jobs"))
    db.close()
    recorded = lambda c: all(os.path.exists(os.path.join(kept, f"{c['id']}-{v}.wav"))
                             for v in voices)
    reports, splits = [c for c in reports if recorded(c)], [c for c in splits if recorded(c)]
    if not reports + splits:
        sys.exit(f"natural.py: {kept} holds no recordings of the {which} set")
    progress(f"replay: {len(reports)} reports and {len(splits)} multi-exam dictations recorded "
             f"in {kept}")
    said = {(c["id"], v): transcripts.get(sha256_of(os.path.join(kept, f"{c['id']}-{v}.wav")))
            or "" for c in reports + splits for v in voices}
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = {(c["id"], v): pool.submit(structure, binary, "en", said[(c["id"], v)], "rules",
                                             c.get("exams"))
                   for c in reports + splits for v in voices}
        got = {k: f.result()[0] or {} for k, f in futures.items()}
    def job_of(c, v):
        """The job as the API would have answered it: a single exam's
        transcript, or each exam's part and outcome."""
        if "exams" not in c:
            return {"status": "completed", "transcript": said[(c["id"], v)]}
        return {"reports": [{"status": "failed" if e.get("error") else "completed",
                             "transcript": e.get("part"), "error": e.get("error"),
                             "warnings": e.get("warnings")}
                            for e in got[(c["id"], v)].get("exams") or []]}
    out = {}
    for v in voices:
        r, sp = score_voice(reports, splits, lambda c: job_of(c, v), verbose, v,
                            lambda c: got[(c["id"], v)].get("sections") or {})
        out[v] = {"reports": r, "splits": sp, "wer": None, "words": 0}
    return out


def audio_table(measures):
    lines = ["| voice | WER % (words) | closing section recovered % | sections F1 % | "
             "exams placed % | exams contaminated | exams SPLIT_FAILED | OTHER_EXAM_ANATOMY "
             "warnings |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    tot = {"closing": 0, "closings": 0, "f1": [], "exams": 0, "placed": 0, "contaminated": 0,
           "split failed": 0, "warned": 0}
    for v, m in measures.items():
        r, s = m["reports"], m["splits"]
        for k in ("closing", "closings"):
            tot[k] += r[k]
        tot["f1"] += r["f1"]
        for k in ("exams", "placed", "contaminated", "split failed", "warned"):
            tot[k] += s[k]
        wer_cell = f"{m['wer']:.1f} ({m['words']})" if m["wer"] is not None else "—"
        lines.append(f"| {v} | {wer_cell} | "
                     f"{pct(r['closing'], r['closings'])} ({r['closings']}) | "
                     f"{100 * sum(r['f1']) / max(1, len(r['f1'])):.0f} ({len(r['f1'])}) | "
                     f"{pct(s['placed'], s['exams'])} ({s['exams']}) | {s['contaminated']} | "
                     f"{s['split failed']} | {s['warned']} |")
    wers = [m["wer"] for m in measures.values() if m["wer"] is not None]
    mean_wer = f"{sum(wers) / len(wers):.1f} (mean of the voices)" if wers else "—"
    lines.append(f"| all voices | {mean_wer} | "
                 f"{pct(tot['closing'], tot['closings'])} ({tot['closings']}) | "
                 f"{100 * sum(tot['f1']) / max(1, len(tot['f1'])):.0f} ({len(tot['f1'])}) | "
                 f"{pct(tot['placed'], tot['exams'])} ({tot['exams']}) | {tot['contaminated']} | "
                 f"{tot['split failed']} | {tot['warned']} |")
    return lines


# ---- the report ---------------------------------------------------------------------------

def measure(binary, sets, which, verbose=False):
    """{(lang, form): {"reports": m, "splits": m}}."""
    results = run_cases(binary, sets, which)
    out = {}
    for lang, s in sets.items():
        for form in ("pauses", "run"):
            out[(lang, form)] = {
                "reports": score_reports(lang, selected(s["natural"]["reports"], which), results,
                                         form, verbose),
                "splits": score_splits(lang, selected(s["natural"]["splits"], which), results,
                                       form, verbose)}
    return out


def pct(num, den):
    return f"{100.0 * num / den:.0f}" if den else "—"


def table(measures):
    lines = ["| language | text form | closing section recovered % | sections F1 % | "
             "exams placed % | exams contaminated | exams SPLIT_FAILED |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for (lang, form), m in measures.items():
        r, s = m["reports"], m["splits"]
        f1 = f"{100 * sum(r['f1']) / len(r['f1']):.0f}" if r["f1"] else "—"
        lines.append(f"| {lang} | {form} | {pct(r['closing'], r['closings'])} ({r['closings']}) "
                     f"| {f1} ({len(r['f1'])}) | {pct(s['placed'], s['exams'])} ({s['exams']}) "
                     f"| {s['contaminated']} | {s['split failed']} |")
    return lines


def wrong_list(measures):
    lines = []
    for (lang, form), m in measures.items():
        ids = m["reports"]["wrong"] + m["splits"]["wrong"]
        lines.append(f"- {lang}, {form}: {', '.join(ids) or 'none'}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "raportai"))
    ap.add_argument("--set", default="tune", choices=("tune", "dev", "held-out", "all"))
    ap.add_argument("--lang", default=",".join(LANGS))
    ap.add_argument("--audio", action="store_true", help="also English audio through the API")
    ap.add_argument("--voices", default=",".join(VOICES))
    ap.add_argument("--keep", help="keep the audio and the server's data directory here")
    ap.add_argument("--replay", metavar="DIR",
                    help="structure again the transcripts of an --audio run kept in DIR")
    args = ap.parse_args()
    langs = [l for l in args.lang.split(",") if l]
    voices = [v for v in args.voices.split(",") if v]
    if any(l not in LANGS for l in langs):
        sys.exit("natural.py: --lang takes some of " + ",".join(LANGS))
    if any(v not in VOICES for v in voices):
        sys.exit("natural.py: --voices takes some of " + ",".join(VOICES))
    verbose = env_flag("NATURAL_VERBOSE")
    sets = load_eval(langs)
    measures = measure(args.binary, sets, args.set, verbose)
    print(f"Natural dictation, {args.set} set, rules engine ({where_and_when()}):\n")
    print("\n".join(table(measures)))
    print("\nNot right:\n")
    print("\n".join(wrong_list(measures)))
    if args.replay and "en" in sets:
        audio = replay_audio(args.binary, sets["en"], args.set, voices, args.replay, verbose)
        print(f"\nEnglish natural dictation as audio, {args.set} set, the transcripts of the run "
              f"kept in {args.replay} structured again:\n")
        print("\n".join(audio_table(audio)))
    elif args.audio and "en" in sets:
        audio = measure_audio(args.binary, sets["en"], args.set, voices, args.keep, verbose)
        print(f"\nEnglish natural dictation as audio through the External API, {args.set} set:\n")
        print("\n".join(audio_table(audio)))
        for v, m in audio.items():
            ids = m["reports"]["wrong"] + m["splits"]["wrong"]
            print(f"- {v}: {', '.join(ids) or 'none'}")


if __name__ == "__main__":
    main()

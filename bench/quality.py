"""Benchmark: the quality of the reports, on the project's evaluation set.

Reads the dictations of bench/eval/<lang>.json (tr, en, ru, az, fr, de; the
format and every measure are defined in bench/eval/README.md) and runs the
real binary on them, one process per case, two at a time per core:

  - `raportai structure - --json --engine E` on every report dictation
    (section assignment: token F1 and exact sections), every multi-exam
    dictation with --exams (split accuracy) and every voice-command case
    (command accuracy), for the engine `rules` always and `openai` when
    RAPORTAI_LLM_URL (and RAPORTAI_LLM_MODEL, RAPORTAI_LLM_KEY) are set;
  - the English report dictations as audio: synthesised by espeak-ng at two
    speeds and, at the faster one, with white noise added by sox at 20 dB
    SNR (bench/common.py, as bench/wer.py does), decoded by `raportai
    transcribe` with pocketsphinx's generic model (--generic) and with the
    radiology model (built in a scratch data directory by the first call,
    as serve builds it, then given back with --lm/--dict); word error rate
    against the dictation in spoken form (asr_normalize, through
    bench/asr_driver.c), and the section F1 of the radiology transcript
    structured by the rules engine (audio to report, end to end).

Prints the tables and, with --markdown, writes them to a file with the
machine, commit and date (make bench-quality writes docs/quality.md).

    python3 bench/quality.py [--binary build/raportai] [--markdown FILE]
                             [--keep DIR] [--no-audio] [--no-held-out] [--lang tr,en,...]

--no-held-out leaves out the natural held-out set: measure that only for the
figures the project reports, never while developing against it.
QUALITY_VERBOSE=1 prints every case that is not right, with what came out;
progress goes to stderr. Takes three to five minutes on two cores, nearly all
of it decoding with the generic model (about a third of real time); the text
measures alone (--no-audio) take seconds.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

from common import (ROOT, SNR_DB, SPEEDS, add_noise, build_driver, env_flag, need_tools,
                    normalize, speech_text, synthesise, wer, where_and_when)

LANGS = ("tr", "en", "ru", "az", "fr", "de")
SECTION_KEYS = ("clinical", "technique", "comparison", "findings", "conclusion", "impression")
TEMPLATE_KEYS = {"findings": "BULGULAR", "conclusion": "SONUC", "impression": "IZLENIM",
                 "technique": "TEKNIK", "clinical": "KLINIK", "comparison": "KARSILASTIRMA"}
NORMAL = "{{NORMAL}}"
WORKERS = 2 * (os.cpu_count() or 1)
LLM_VARS = ("RAPORTAI_LLM_URL", "RAPORTAI_LLM_KEY", "RAPORTAI_LLM_MODEL")
START = time.monotonic()


def progress(what):
    """One line on stderr: how far the run is, and since when."""
    print(f"quality.py: {time.monotonic() - START:5.0f} s: {what}", file=sys.stderr, flush=True)


# ---- the evaluation set -----------------------------------------------------------------

def load_eval(langs):
    sets = {}
    for lang in langs:
        with open(os.path.join(ROOT, "bench", "eval", lang + ".json"), encoding="utf-8") as f:
            sets[lang] = json.load(f)
        if sets[lang]["language"] != lang:
            sys.exit(f"quality.py: bench/eval/{lang}.json says it is {sets[lang]['language']}")
    return sets


def normal_texts(lang, body_part, key):
    """The library's normal texts of section key for templates of body_part
    in lang (data/templates/manifest.tsv and the X.normal sidecars, where a
    key repeated on the next line goes on on a new line)."""
    folder = os.path.join(ROOT, "data", "templates")
    texts = []
    with open(os.path.join(folder, "manifest.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]
    for row in rows:
        if len(row) < 5 or row[3] != body_part or row[4] != lang:
            continue
        sidecar = os.path.join(folder, os.path.splitext(row[0])[0] + ".normal")
        if os.path.exists(sidecar):
            with open(sidecar, encoding="utf-8") as s:
                lines = [l.rstrip("\n").split("\t", 1)[1] for l in s
                         if l.startswith(TEMPLATE_KEYS[key] + "\t")]
            if lines:
                texts.append("\n".join(lines))
    return texts


# ---- normalisation and scores (defined in bench/eval/README.md) --------------------------

def fold(text):
    """Lowercase without accents, Turkish i's as i; 12×8 and 12 х 8 as 12 x 8;
    decimal commas as points."""
    text = unicodedata.normalize("NFKC", text).replace("İ", "i").replace("I", "i")
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if unicodedata.category(c) != "Mn").replace("ı", "i")
    text = re.sub(r"(?<=\d)\s*[x×х]\s*(?=\d)", " x ", text)
    return re.sub(r"(?<=\d),(?=\d)", ".", text)


def tokens(text):
    """The words and numbers of text, folded: punctuation and layout drop out."""
    return re.findall(r"\d+(?:\.\d+)?|[^\W\d_]+", fold(text or ""))


def multiset_f1(expected, produced):
    """F1 of two lists of hashable items taken as multisets."""
    if not expected and not produced:
        return 1.0
    left = list(produced)
    hits = 0
    for item in expected:
        if item in left:
            left.remove(item)
            hits += 1
    if hits == 0:
        return 0.0
    precision, recall = hits / len(produced), hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def section_scores(expected, produced):
    """(token F1 over (section, token) pairs, expected sections exact, expected
    sections) for one report dictation."""
    pairs = lambda sections: [(k, t) for k in SECTION_KEYS for t in tokens(sections.get(k))]
    f1 = multiset_f1(pairs(expected), pairs(produced))
    exact = sum(1 for k, v in expected.items() if tokens(v) == tokens(produced.get(k)))
    return f1, exact, len(expected)


def canon(text):
    """A command case's text for comparison: spaces inside lines collapsed,
    ends trimmed, 12×8 written 12 x 8. Case, punctuation and line breaks stay."""
    lines = [re.sub(r"[ \t]+", " ", l).strip() for l in (text or "").strip().split("\n")]
    return re.sub(r"(\d)\s*[x×х]\s*(\d)", r"\1 x \2", "\n".join(lines))


def command_right(lang, case, produced):
    """True when every section is exactly as expected (a {{NORMAL}} section:
    as one of the library's normal texts for the case's body part)."""
    expected = case["sections"]
    for key in set(expected) | set(produced):
        want = expected.get(key)
        if want is None:
            return False  # a section that should not be there
        options = normal_texts(lang, case["macro_body_part"], key) if want == NORMAL else [want]
        if not any(canon(o) == canon(produced.get(key)) for o in options):
            return False
    return True


def split_right(case, parts):
    """Which exams of a multi-exam case got exactly their segments: per exam,
    the tokens of its part equal those of its segments in order, with or
    without each transition segment (null) next to one of them; an exam with
    no segment must get an empty part."""
    segs = case["segments"]
    right = []
    for i, part in enumerate(parts):
        own = [j for j, (label, _) in enumerate(segs) if label == i]
        if not own:
            right.append(tokens(part) == [])
            continue
        near = [j for j, (label, _) in enumerate(segs) if label is None and
                (j - 1 in own or j + 1 in own)]
        variants = []
        for mask in range(1 << len(near)):
            keep = set(own) | {near[b] for b in range(len(near)) if mask >> b & 1}
            variants.append([t for j in sorted(keep) for t in tokens(segs[j][1])])
        right.append(tokens(part) in variants)
    return right


# ---- running the binary -----------------------------------------------------------------

def structure(binary, lang, text, engine, exams=None):
    """(result JSON or None, stderr) of `raportai structure` on text."""
    cmd = [binary, "structure", "-", "--json", "--lang", lang, "--engine", engine,
           "--share", ROOT]
    if exams:
        cmd += ["--exams", ",".join("%s:%s:%s" % (e["name"], e["modality"], e["body_part"])
                                    for e in exams)]
    env = dict(os.environ)
    if engine == "rules":
        for var in LLM_VARS:
            env.pop(var, None)
    p = subprocess.run(cmd, input=text, capture_output=True, text=True, env=env, timeout=600)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "failed"
    return json.loads(p.stdout), ""


def dictation_of(case):
    return case["dictation"] if "dictation" in case else " ".join(s for _, s in case["segments"])


def run_text_cases(binary, sets, engine):
    """Every case of every language through structure; {(lang, id): (json, err)}."""
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for lang, s in sets.items():
            for kind in ("reports", "splits", "commands"):
                for case in s[kind]:
                    exams = case.get("exams") if kind == "splits" else None
                    jobs[(lang, case["id"])] = pool.submit(structure, binary, lang,
                                                           dictation_of(case), engine, exams)
        return {k: f.result() for k, f in jobs.items()}


def score_language(lang, s, results, verbose):
    """The measures of one language (one engine) and the ids not right."""
    m = {"f1": [], "exact": 0, "sections": 0, "split": 0, "exams": 0, "cmd": 0, "cmds": 0,
         "kinds": {}, "wrong": [], "errors": set(), "engines": {}}
    for case in s["reports"]:
        got, err = results[(lang, case["id"])]
        produced = got["sections"] if got else {}
        m["engines"][got["engine"] if got else "refused"] = \
            m["engines"].get(got["engine"] if got else "refused", 0) + 1
        f1, exact, n = section_scores(case["sections"], produced)
        m["f1"].append(f1)
        m["exact"] += exact
        m["sections"] += n
        if err:
            m["errors"].add(err)
        if exact < n:
            m["wrong"].append(case["id"])
            if verbose:
                print(f"\n{case['id']} sections F1 {100 * f1:.0f} %, {exact}/{n} exact\n"
                      f"  expected: {case['sections']}\n  produced: {produced or err}")
    for case in s["splits"]:
        got, err = results[(lang, case["id"])]
        parts = [e["part"] for e in got["exams"]] if got else [None] * len(case["exams"])
        right = split_right(case, parts) if got else [False] * len(case["exams"])
        m["split"] += sum(right)
        m["exams"] += len(right)
        if err:
            m["errors"].add(err)
        if not all(right):
            m["wrong"].append(case["id"])
            if verbose:
                print(f"\n{case['id']} split {sum(right)}/{len(right)}\n"
                      f"  expected: {case['segments']}\n  produced: {parts if got else err}")
    for case in s["commands"]:
        got, err = results[(lang, case["id"])]
        ok = bool(got) and command_right(lang, case, got["sections"])
        m["cmd"] += ok
        m["cmds"] += 1
        kind = m["kinds"].setdefault(case["kind"], [0, 0])
        kind[0] += ok
        kind[1] += 1
        if err:
            m["errors"].add(err)
        if not ok:
            m["wrong"].append(case["id"])
            if verbose:
                print(f"\n{case['id']} ({case['kind']})\n  expected: {case['sections']}\n"
                      f"  produced: {got['sections'] if got else err}")
    return m


# ---- English audio ----------------------------------------------------------------------

def transcribe(binary, wav, args):
    p = subprocess.run([binary, "transcribe", wav, "--share", ROOT] + args, capture_output=True,
                       text=True, timeout=1800)
    if p.returncode != 0:
        raise RuntimeError("raportai transcribe %s: %s" % (os.path.basename(wav), p.stderr))
    return p.stdout.strip()


def make_case_audio(case, ref, tmp):
    """The three recordings of one dictation: [(condition, case, wav, reference)]."""
    items = []
    for speed in SPEEDS:
        wav = os.path.join(tmp, f"{case['id']}-s{speed}.wav")
        synthesise(speech_text(ref), speed, wav, tmp)
        items.append((f"espeak-ng -s {speed}", case, wav, ref))
    noisy = os.path.join(tmp, f"{case['id']}-s{SPEEDS[-1]}-noise.wav")
    add_noise(os.path.join(tmp, f"{case['id']}-s{SPEEDS[-1]}.wav"), noisy, tmp)
    items.append((f"-s {SPEEDS[-1]} + white noise {SNR_DB:.0f} dB SNR", case, noisy, ref))
    return items


def make_audio(driver, reports, tmp):
    """[(condition, case, wav, spoken-form reference)] for the English reports."""
    refs = normalize(driver, [c["dictation"] for c in reports])
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        done = [pool.submit(make_case_audio, c, r, tmp) for c, r in zip(reports, refs)]
        return [item for f in done for item in f.result()]


def run_audio(binary, reports, tmp, verbose):
    """The audio measures: rows of (condition, n, words, generic WER, radiology
    WER, section F1 of the radiology transcript structured by rules)."""
    driver = os.path.join(tmp, "asr_driver")
    build_driver(driver, "-O1")
    items = make_audio(driver, reports, tmp)
    progress(f"audio: {len(items)} recordings synthesised; transcribing")
    data = os.path.join(tmp, "var")
    # The first call builds the radiology model in DATA/asr as serve does.
    first = transcribe(binary, items[0][2], ["--data", data])
    model = ["--lm", os.path.join(data, "asr", "radiology-en.lm"),
             "--dict", os.path.join(data, "asr", "radiology-en.dict")]
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        generic = [pool.submit(transcribe, binary, w, ["--generic"]) for _, _, w, _ in items]
        radiology = [pool.submit(transcribe, binary, w, model) for _, _, w, _ in items[1:]]
        hyps = {"generic": [f.result() for f in generic],
                "radiology": [first] + [f.result() for f in radiology]}
        structured = [pool.submit(structure, binary, "en", h, "rules") for h in hyps["radiology"]]
        structured = [f.result()[0] for f in structured]
    rows = []
    for cond in dict.fromkeys(c for c, _, _, _ in items):
        sel = [i for i, it in enumerate(items) if it[0] == cond]
        g = wer([(items[i][3], hyps["generic"][i]) for i in sel])
        r = wer([(items[i][3], hyps["radiology"][i]) for i in sel])
        f1 = [section_scores(items[i][1]["sections"],
                             structured[i]["sections"] if structured[i] else {})[0] for i in sel]
        words = sum(len(items[i][3].split()) for i in sel)
        rows.append((cond, len(sel), words, g, r, 100 * sum(f1) / len(f1)))
        if verbose:
            for i in sel:
                print(f"\n{os.path.basename(items[i][2])}\n  ref: {items[i][3]}\n"
                      f"  gen: {hyps['generic'][i]}\n  rad: {hyps['radiology'][i]}")
    return rows


# ---- the report -------------------------------------------------------------------------


def pct(num, den):
    return f"{100.0 * num / den:.0f}" if den else "—"


def main_table(measures, audio_rows, engines, llm_note):
    lines = ["| language | engine | sections F1 % | sections exact % | split % | "
             "voice commands % | WER generic % | WER radiology % |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for lang in measures["rules"]:
        for engine in engines:
            m = measures[engine][lang]
            f1 = f"{100 * sum(m['f1']) / len(m['f1']):.0f}" if m["f1"] else "—"
            w_g = w_r = "—"
            if lang == "en" and audio_rows:
                words = sum(r[2] for r in audio_rows)
                w_g = f"{sum(r[3] * r[2] for r in audio_rows) / words:.0f}"
                w_r = f"{sum(r[4] * r[2] for r in audio_rows) / words:.0f}"
            name = engine
            if engine == "openai":
                answered = m["engines"].get("openai", 0)
                name = f"openai ({answered} of {len(m['f1'])} by openai)"
            lines.append(f"| {lang} | {name} | {f1} ({len(m['f1'])}) | "
                         f"{pct(m['exact'], m['sections'])} ({m['sections']}) | "
                         f"{pct(m['split'], m['exams'])} ({m['exams']}) | "
                         f"{pct(m['cmd'], m['cmds'])} ({m['cmds']}) | {w_g} | {w_r} |")
    if llm_note:
        lines.append(f"| all | openai | {llm_note} | | | | | |")
    return lines


def kinds_table(measures, engines):
    kinds = []
    for engine in engines:
        for m in measures[engine].values():
            kinds += [k for k in m["kinds"] if k not in kinds]
    lines = ["| engine | " + " | ".join(kinds) + " |",
             "| --- |" + " ---: |" * len(kinds)]
    for engine in engines:
        cells = []
        for k in kinds:
            right = sum(m["kinds"].get(k, [0, 0])[0] for m in measures[engine].values())
            total = sum(m["kinds"].get(k, [0, 0])[1] for m in measures[engine].values())
            cells.append(f"{pct(right, total)} ({right}/{total})")
        lines.append(f"| {engine} | " + " | ".join(cells) + " |")
    return lines


def audio_table(rows):
    lines = ["| condition | dictations (words) | generic WER % | radiology WER % | "
             "sections F1 % of the radiology transcript (rules) |",
             "| --- | --- | ---: | ---: | ---: |"]
    for cond, n, words, g, r, f1 in rows:
        lines.append(f"| {cond} | {n} ({words}) | {g:.1f} | {r:.1f} | {f1:.0f} |")
    return lines


def report(measures, audio_rows, engines, llm_note):
    out = ["Per language and engine (in brackets: dictations, expected sections, exams, "
           "command cases):", ""]
    out += main_table(measures, audio_rows, engines, llm_note)
    out += ["", "Voice commands by kind, all languages:", ""]
    out += kinds_table(measures, engines)
    if audio_rows:
        out += ["", "English report dictations as audio (espeak-ng, `raportai transcribe`; "
                "WER of the generic and radiology models, then the radiology transcript "
                "structured by the rules engine):", ""]
        out += audio_table(audio_rows)
    out += ["", "Cases not right (ids of bench/eval/<lang>.json):", ""]
    for engine in engines:
        for lang, m in measures[engine].items():
            wrong = ", ".join(m["wrong"]) or "none"
            out.append(f"- {engine}, {lang}: {wrong}")
            for err in sorted(m["errors"]):
                out.append(f"  - refused: {err}")
    return "\n".join(out)


def natural_report(args, sets, audio, verbose):
    """The tables of the natural dictations (bench/natural.py), held-out set:
    the text forms in every language, and English audio through the API."""
    import natural  # here: natural.py imports this module
    held = natural.measure(args.binary, sets, "held-out", verbose)
    out = ["Natural dictation (no spoken punctuation), held-out set, rules engine: text forms "
           "(`pauses`: sentences marked where the speaker paused; `run`: no marks at all):", ""]
    out += natural.table(held)
    if audio:
        keep = os.path.join(args.keep, "natural") if args.keep else None
        voices = natural.measure_audio(args.binary, sets["en"], "held-out", natural.VOICES,
                                       keep, verbose)
        out += ["", "English natural dictation as audio, held-out set: six voices, a sentence "
                "at a time with pauses, through the External API (`POST /report`, "
                "`POST /pacs/report`) of `raportai serve`:", ""]
        out += natural.audio_table(voices)
    return "\n".join(out)


def provenance():
    return ("# Report quality on the evaluation set\n\n"
            "Made by `make bench-quality` (`python3 bench/quality.py --markdown "
            "docs/quality.md`) on %s. The dictations, the expected reports and the measures "
            "are in [bench/eval](../bench/eval/README.md); English audio is synthesized by "
            "espeak-ng, not spoken by a person." % where_and_when())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "raportai"))
    ap.add_argument("--markdown", help="also write the report to this file")
    ap.add_argument("--keep", help="keep audio, models and transcripts in this directory")
    ap.add_argument("--no-audio", action="store_true", help="text measures only (no WER)")
    ap.add_argument("--lang", default=",".join(LANGS), help="languages, comma-separated")
    ap.add_argument("--no-held-out", action="store_true",
                    help="leave out the natural held-out set (while developing: it is only "
                         "measured for the figures the project reports)")
    args = ap.parse_args()
    langs = [l for l in args.lang.split(",") if l]
    if any(l not in LANGS for l in langs):
        sys.exit("quality.py: --lang takes some of " + ",".join(LANGS))
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"quality.py: no binary at {args.binary} (make build/raportai)")
    audio = not args.no_audio and "en" in langs
    if audio:
        need_tools("quality.py", ("gcc", "pkg-config", "espeak-ng", "sox", "soxi"))
    verbose = env_flag("QUALITY_VERBOSE")
    sets = load_eval(langs)
    engines = ["rules"]
    llm_note = "not configured (RAPORTAI_LLM_URL is not set)"
    if os.environ.get("RAPORTAI_LLM_URL"):
        engines.append("openai")
        llm_note = None
    measures = {}
    for engine in engines:
        results = run_text_cases(args.binary, sets, engine)
        measures[engine] = {lang: score_language(lang, s, results, verbose)
                            for lang, s in sets.items()}
        progress(f"text cases done with the {engine} engine")
    tmp = args.keep or tempfile.mkdtemp(prefix="raportai-quality-")
    os.makedirs(tmp, exist_ok=True)
    try:
        audio_rows = run_audio(args.binary, sets["en"]["reports"], tmp, verbose) if audio else []
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    if audio:
        progress("audio done")
    text = report(measures, audio_rows, engines, llm_note)
    if not args.no_held_out:
        text += "\n\n" + natural_report(args, sets, audio, verbose)
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(provenance() + "\n\n" + text + "\n")


if __name__ == "__main__":
    main()

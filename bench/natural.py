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

    python3 bench/natural.py [--set tune|held-out|all] [--lang en,tr,...]
                             [--binary build/raportai]

NATURAL_VERBOSE=1 prints every case that is not right. bench/quality.py
imports the measures for docs/quality.md. Takes seconds.
"""

import argparse
import concurrent.futures
import os
import re
import sys

from quality import (LANGS, ROOT, SECTION_KEYS, WORKERS, load_eval, multiset_f1, section_scores,
                     structure, tokens)

CLOSING = ("conclusion", "impression")
RECOVERED_F1 = 0.8      # a closing section this close to the expected one is recovered
PLACED_RECALL = 0.8     # an exam's part holds at least this share of its own words
CONTAMINATION_WORDS = 3 # words of another exam's dictation (its alone) that contaminate a part


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

def closing_recovered(expected, produced):
    """True/False for a case that dictates a closing section; None otherwise."""
    keys = [k for k in CLOSING if k in expected]
    if not keys:
        return None
    return all(multiset_f1(tokens(expected[k]), tokens(produced.get(k))) >= RECOVERED_F1
               for k in keys)


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
    """Per exam: (its words, the words only other exams' dictation has)."""
    segs = case["segments"]
    words = [[t for label, text in segs if label == i for t in tokens(text)]
             for i in range(len(case["exams"]))]
    result = []
    for i, own in enumerate(words):
        others = {t for j, w in enumerate(words) if j != i for t in w} - set(own)
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
    return "placed" if hits >= PLACED_RECALL * len(set(own)) else "missed"


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
    ap.add_argument("--set", default="tune", choices=("tune", "held-out", "all"))
    ap.add_argument("--lang", default=",".join(LANGS))
    args = ap.parse_args()
    langs = [l for l in args.lang.split(",") if l]
    if any(l not in LANGS for l in langs):
        sys.exit("natural.py: --lang takes some of " + ",".join(LANGS))
    measures = measure(args.binary, load_eval(langs), args.set,
                       bool(os.environ.get("NATURAL_VERBOSE")))
    print(f"Natural dictation, {args.set} set, rules engine:\n")
    print("\n".join(table(measures)))
    print("\nNot right:\n")
    print("\n".join(wrong_list(measures)))


if __name__ == "__main__":
    main()

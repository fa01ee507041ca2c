"""Benchmark: the local speech engine on natural dictation, per voice.

Natural dictation marks sentences and headings only by pauses ("Chest CT
with contrast. [pause] Findings. [pause] There is ..."). This bench says
such dictations with several synthetic voices (bench/common.py VOICES:
espeak-ng, flite slt, rms, awb, kal16 and festival's HTS voice), each
sentence on its own and joined by pauses drawn from 0.35-0.9 s
(common.dictation_pauses; --voice-pauses lets the voice read the whole text
with its own, much shorter, pauses instead), decodes them with the
radiology model (bench/asr_driver.c, built against src/asr as wer.py does)
and prints, per voice:

  - WER: reference = the dictation without . , ; : ? ! in spoken form
    (asr_normalize), hypothesis = the transcript lowercased without its
    punctuation;
  - sentence ends: precision and recall of the transcript's sentence ends
    against the dictation's, aligned by word position (Levenshtein
    alignment of the words; the end of the dictation is not counted);
  - with --pauses, the measurement behind src/asr/sentences.c's pause
    threshold: the gaps between consecutive recognised words where the
    dictation has a sentence end and where it has none, the median word
    length, and how well a threshold of k times the median word length
    (bounded) separates them.

The dictations: bench/eval/en.json "natural" ("reports" and "splits"), the
items whose "set" is --set (tune, the default, dev or held-out; tune on tune
only, report held-out), or the lines of --texts FILE (all counted as tune,
e.g. bench/natural-tune.txt).

    python3 bench/wer_voices.py [--set tune|dev|held-out] [--texts FILE]
        [--eval FILE] [--voices espeak-ng,flite-slt,...] [--lw W] [--options "-name value ..."]
        [--voice-pauses] [--pauses] [--keep DIR] [--markdown FILE]
        [--background-words N] [--background-mass M]

--keep DIR keeps the audio and models, and a later run with the same DIR
reuses the audio of the same texts (for tuning the decoder); the models
are rebuilt every run. --background-words and --background-mass set the
generic words mixed into the radiology model (asr/background.c; the
product's settings by default, none with 0 words).
WER_VERBOSE=1 prints every reference and transcript, WER_VERBOSE=oov the
reference words the dictionary lacks. About three minutes on
two cores for the default run (24 dictations, six voices).
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib

from common import (ROOT, VOICES, build_driver, dictation_pauses, need_tools, normalize,
                    plain_words, run, synthesise_voice, where_and_when)

FILLER = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")


# ---- the dictations -----------------------------------------------------------------------

def load_items(args):
    """[(id, text)] of the chosen set."""
    if args.texts:
        with open(args.texts, encoding="utf-8") as f:
            lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        return [("t%02d" % i, l) for i, l in enumerate(lines)]
    with open(args.eval, encoding="utf-8") as f:
        natural = json.load(f).get("natural")
    if not natural:
        sys.exit("wer_voices.py: %s has no \"natural\" dictations; give --texts "
                 "bench/natural-tune.txt" % args.eval)
    items = []
    for kind in ("reports", "splits"):
        for item in natural.get(kind, []):
            if item.get("set") == args.set:
                items.append((item["id"], dictation_of(item)))
    return items


def dictation_of(item):
    """A natural case's dictation: a report's, or a split's segments joined."""
    if "dictation" in item:
        return item["dictation"]
    return " ".join(text for _, text in item["segments"])


def references(driver, texts):
    """Per text: (reference words, the set of positions after which a
    sentence ends, the end of the text left out)."""
    plain = normalize(driver, [re.sub(r"[.,;:?!]", " ", t) for t in texts])
    marked = normalize(driver, [re.sub(r"[?!]", ".", re.sub(r"[,;:]", " ", t)) for t in texts])
    out = []
    for p, m in zip(plain, marked):
        words, ends = [], set()
        for w in m.split():
            if w == "period":
                ends.add(len(words))
            else:
                words.append(w)
        if words != p.split():
            raise SystemExit("wer_voices.py: sentence marks change the words of: " + p)
        ends.discard(len(words))
        out.append((words, ends))
    return out


# ---- audio and decoding -------------------------------------------------------------------

def wav_name(item_id, text, voice, kind):
    """The audio's file name: named by its text too, so that a directory
    kept by --keep is reused only for the same text."""
    return f"{item_id}-{zlib.crc32(text.encode('utf-8')):08x}-{voice}-{kind}.wav"


def synth_one(job):
    text, voice, path, own_pauses = job
    if os.path.exists(path):  # kept from an earlier run with --keep
        return path
    synthesise_voice(text, voice, path, None if own_pauses else dictation_pauses(text))
    return path


def decode(driver, wavs, arpa, dic, args):
    """{wav: (audio s, decode s, transcript, segments)} from one driver
    process per core."""
    cmd = [driver, "transcribe", "--segments", "--lm", arpa, "--dict", dic]
    if args.lw:
        cmd += ["--lw", str(args.lw)]
    if args.options:
        cmd += ["--options", args.options]
    n = max(1, os.cpu_count() or 1)
    chunks = [wavs[i::n] for i in range(n)]
    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        outs = list(pool.map(lambda c: run(cmd + c).stdout if c else "", chunks))
    res = {}
    for out in outs:
        for line in out.splitlines():
            path, secs, dt, text, segs = line.split("\t")
            res[path] = (float(secs), float(dt), text, json.loads(segs))
    return res


# ---- scoring ------------------------------------------------------------------------------

def align(ref, hyp):
    """For each hyp word, how many ref words the best Levenshtein alignment
    has consumed once that hyp word is placed; and the edit distance."""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    pos, i, j = [0] * m, n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            pos[j - 1] = i
            i, j = i - 1, j - 1
        elif j > 0 and d[i][j] == d[i][j - 1] + 1:
            pos[j - 1] = i
            j -= 1
        else:
            i -= 1
    return pos, d[n][m]


def hyp_ends(transcript):
    """Positions (word counts) after which the transcript ends a sentence,
    the last word left out."""
    toks = transcript.split()
    return {j + 1 for j, t in enumerate(toks[:-1]) if t.endswith(".")}


def score(item_refs, results):
    """Per item: (errors, ref words, true ends found, ends written, ends in ref)."""
    rows = []
    for (words, ends), (_, _, text, _) in zip(item_refs, results):
        hyp = plain_words(text)
        pos, errors = align(words, hyp)
        found = {pos[j - 1] for j in hyp_ends(text)}
        rows.append((errors, len(words), len(found & ends), len(hyp_ends(text)), len(ends)))
    return rows


def gaps(item_refs, results):
    """[(gap ms, utterance changed, sentence end in the reference, median
    word ms of the audio)] between consecutive recognised words."""
    out = []
    for (words, ends), (_, _, text, segs) in zip(item_refs, results):
        ws = [s for s in segs if not FILLER.match(s[0])]
        if not ws:
            continue
        med = statistics.median(s[2] - s[1] for s in ws)
        hyp = [re.sub(r"\(\d+\)$", "", s[0]) for s in ws]
        pos, _ = align(words, hyp)
        for j in range(len(ws) - 1):
            out.append((ws[j + 1][1] - ws[j][2], ws[j + 1][3] != ws[j][3], pos[j] in ends, med))
    return out


def pct(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def rule_f1(gs, k, lo, hi):
    """(precision, recall, F1) % of "gap >= clamp(k * median word, lo, hi) or
    utterance changed" as a sentence end, guards aside."""
    tp = fp = fn = 0
    for g, brk, end, med in gs:
        said = brk or g >= min(max(k * med, lo), hi)
        tp += said and end
        fp += said and not end
        fn += end and not said
    p = 100.0 * tp / max(tp + fp, 1)
    r = 100.0 * tp / max(tp + fn, 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def engine_rule():
    """(k, low, high) of src/asr/sentences.c."""
    with open(os.path.join(ROOT, "src", "asr", "sentences.c"), encoding="utf-8") as f:
        src = f.read()
    get = lambda name: float(re.search(r"#define %s ([0-9.]+)" % name, src).group(1))
    return get("PAUSE_PER_WORD"), int(get("PAUSE_MIN_MS")), int(get("PAUSE_MAX_MS"))


def pause_report(by_voice):
    lines = ["", "pauses between recognised words, ms (sentence end / none in the dictation):",
             "| voice | median word | none p50 | none p90 | none p99 | none max | end min | "
             "end p10 | end p50 | end by utterance % |", "| --- |" + " ---: |" * 9]
    every = []
    for voice, gs in by_voice.items():
        every += gs
        none = [g for g, _, e, _ in gs if not e]
        end = [g for g, _, e, _ in gs if e]
        brk = 100.0 * sum(1 for _, b, e, _ in gs if e and b) / max(len(end), 1)
        med = statistics.median(m for *_, m in gs) if gs else 0
        lines.append(f"| {voice} | {med:.0f} | {pct(none, .5)} | {pct(none, .9)} | "
                     f"{pct(none, .99)} | {max(none, default=0)} | {min(end, default=0)} | "
                     f"{pct(end, .1)} | {pct(end, .5)} | {brk:.0f} |")
    lines.append("\nthreshold = clamp(k x median word, low, high) or an utterance change, "
                 "guards aside (precision / recall / F1 %, all voices); the best, then "
                 "src/asr/sentences.c's:")
    grid = []
    for k in (0.0, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25):
        for lo in (100, 150, 200, 250, 300):
            for hi in (250, 300, 350, 400, 500):
                if hi >= lo and (k > 0 or lo == hi):
                    grid.append((rule_f1(every, k, lo, hi), k, lo, hi))
    grid.sort(key=lambda x: -x[0][2])
    k, lo, hi = engine_rule()
    for (p, r, f), k_, lo_, hi_ in grid[:6] + [(rule_f1(every, k, lo, hi), k, lo, hi)]:
        lines.append(f"  k {k_:4.2f} low {lo_:3d} high {hi_:3d}: {p:5.1f} / {r:5.1f} / {f:5.1f}")
    return "\n".join(lines)


# ---- main ---------------------------------------------------------------------------------

def build_models(driver, tmp, args):
    arpa, dic = os.path.join(tmp, "radiology.arpa"), os.path.join(tmp, "radiology.dict")
    background = []
    if args.background_words is not None:
        background += ["--background-words", str(args.background_words)]
    if args.background_mass is not None:
        background += ["--background-mass", str(args.background_mass)]
    run([driver, "build"] + background + [arpa, dic, os.path.join(ROOT, "data/asr/lexicon-en.txt"),
         os.path.join(ROOT, "data/asr/radiology-en.txt"), os.path.join(ROOT, "data/templates")])
    return arpa, dic


def out_of_vocabulary(refs, dic):
    """(reference words the dictionary lacks, reference words)."""
    with open(dic, encoding="utf-8") as f:
        vocab = {l.split()[0].split("(")[0] for l in f if l.strip()}
    words = [w for ws, _ in refs for w in ws]
    return sum(1 for w in words if w not in vocab), len(words)


def report(args, voices, items, rows_by_voice, rtf, oov):
    which = ("--texts " + os.path.relpath(args.texts, ROOT)) if args.texts else \
        f"{os.path.relpath(args.eval, ROOT)} natural, set {args.set}"
    pauses = "each voice's own reading" if args.voice_pauses else \
        "sentences joined by 0.35-0.9 s pauses"
    lines = [f"natural dictation: {which}, {len(items)} dictations, {pauses}",
             f"measured on {where_and_when()}",
             f"decoder: radiology model, lw {args.lw or 'default'}, "
             f"options {args.options or 'default'}, background "
             f"{'default' if args.background_words is None else args.background_words} words at "
             f"mass {'default' if args.background_mass is None else args.background_mass}; "
             f"real-time factor {rtf:.3f}", "",
             "| voice | words | WER % | sentence ends precision % | recall % |",
             "| --- | ---: | ---: | ---: | ---: |"]
    means = []
    for v in voices:
        rows = rows_by_voice[v]
        e, w, tp, said, ref = (sum(r[i] for r in rows) for i in range(5))
        wer_v, p, r = 100.0 * e / w, 100.0 * tp / max(said, 1), 100.0 * tp / max(ref, 1)
        means.append((wer_v, p, r))
        lines.append(f"| {v} | {w} | {wer_v:.1f} | {p:.1f} | {r:.1f} |")
    avg = [sum(m[i] for m in means) / len(means) for i in range(3)]
    lines.append(f"| mean of the voices | | {avg[0]:.1f} | {avg[1]:.1f} | {avg[2]:.1f} |")
    lines.append(f"\nreference words outside the radiology vocabulary: {oov[0]} of {oov[1]} "
                 f"({100.0 * oov[0] / max(oov[1], 1):.1f} %)")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("tune", "dev", "held-out"), default="tune")
    ap.add_argument("--texts", help="dictations one a line instead of bench/eval/en.json")
    ap.add_argument("--eval", default=os.path.join(ROOT, "bench", "eval", "en.json"),
                    help="the evaluation file (default bench/eval/en.json)")
    ap.add_argument("--voices", default=",".join(VOICES))
    ap.add_argument("--lw", type=float, default=0.0)
    ap.add_argument("--options", default="")
    ap.add_argument("--voice-pauses", action="store_true",
                    help="let each voice read the whole text with its own pauses")
    ap.add_argument("--pauses", action="store_true", help="print the pause measurement")
    ap.add_argument("--keep", help="keep audio and models in this directory")
    ap.add_argument("--background-words", type=int,
                    help="generic words mixed into the model (default: the product's; 0: none)")
    ap.add_argument("--background-mass", type=float,
                    help="their share of the unigram probability (default: the product's)")
    ap.add_argument("--markdown", help="also write the report to this file")
    args = ap.parse_args()
    if args.texts and args.set != "tune":
        sys.exit("wer_voices.py: --texts dictations are tuning texts; --set held-out reads "
                 "bench/eval/en.json")
    need_tools("wer_voices.py", ("gcc", "pkg-config", "espeak-ng", "flite", "text2wave", "sox"))
    voices = args.voices.split(",")
    tmp = args.keep or tempfile.mkdtemp(prefix="raportai-wer-voices-")
    os.makedirs(tmp, exist_ok=True)
    try:
        started = time.monotonic()
        driver = os.path.join(tmp, "asr_driver")
        build_driver(driver)
        arpa, dic = build_models(driver, tmp, args)
        items = load_items(args)
        refs = references(driver, [t for _, t in items])
        kind = "own" if args.voice_pauses else "paused"
        jobs = [(t, v, os.path.join(tmp, wav_name(i, t, v, kind)), args.voice_pauses)
                for v in voices for i, t in items]
        with concurrent.futures.ProcessPoolExecutor(os.cpu_count() or 1) as pool:
            wavs = list(pool.map(synth_one, jobs))
        print(f"wer_voices.py: audio ready after {time.monotonic() - started:.0f} s",
              file=sys.stderr)
        res = decode(driver, wavs, arpa, dic, args)
        rows_by_voice, gaps_by_voice = {}, {}
        for v in voices:
            mine = [res[os.path.join(tmp, wav_name(i, t, v, kind))] for i, t in items]
            rows_by_voice[v] = score(refs, mine)
            gaps_by_voice[v] = gaps(refs, mine)
            if os.environ.get("WER_VERBOSE") == "oov" and v == voices[0]:
                vocab = {l.split()[0].split("(")[0] for l in open(dic, encoding="utf-8")}
                print(" ".join(sorted({w for ws, _ in refs for w in ws if w not in vocab})))
            elif os.environ.get("WER_VERBOSE"):
                for (i, _), (words, _), r in zip(items, refs, mine):
                    print(f"\n{i} {v}\n  ref: {' '.join(words)}\n  hyp: {r[2]}")
        rtf = sum(r[1] for r in res.values()) / sum(r[0] for r in res.values())
        text = report(args, voices, items, rows_by_voice, rtf, out_of_vocabulary(refs, dic))
        if args.pauses:
            text += "\n" + pause_report(gaps_by_voice)
        text += f"\n\n({time.monotonic() - started:.0f} s)"
        print(text)
        if args.markdown:
            with open(args.markdown, "w", encoding="utf-8") as f:
                f.write(text + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

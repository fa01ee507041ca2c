"""Benchmark: word error rate of the local speech engine, generic vs radiology.

Builds a small test-only driver (bench/asr_driver.c) against src/asr and
src/core with gcc, builds the radiology language model and dictionary from
data/asr/radiology-en.txt, data/asr/lexicon-en.txt and the English templates
of data/templates, then synthesises the dictations of bench/wer-sentences.txt
with espeak-ng at test time (nothing binary is committed):

  - two speeds, espeak-ng -s 140 and -s 175,
  - and the -s 175 audio with white noise added by sox at about 20 dB SNR,

converts each to 16 kHz mono 16-bit WAV (sox without dither and with a
repeatable noise seed, so two runs hear the same audio), transcribes it with
(a) the generic en-us model and cmudict and (b) the radiology model and
dictionary, and prints
word error rates per condition, for the held-out dictations (not lines of the
corpus) and the in-corpus ones apart. WER = word-level Levenshtein distance /
reference words; references are normalised by the same C code as the model
text (asr_normalize), and hypotheses are already in that form. It also times
decoding (real-time factor = decode seconds / audio seconds), compares
cutting a long dictation at pauses with decoding it as one utterance, and
reports the LM build time and where the dictionary's pronunciations came from.

    python3 bench/wer.py [--keep DIR] [--markdown FILE]

--keep keeps the audio, models and driver in DIR; --markdown also writes the
table to FILE; WER_VERBOSE=1 prints every reference and both transcripts.
Takes about five minutes on two cores (the generic model decodes at about a
third of real time). Needs gcc, pkg-config, espeak-ng, sox and the Debian
packages of the Makefile.
"""

import argparse
import os
import re
import shutil
import tempfile

from common import (ROOT, SNR_DB, SPEEDS, add_noise, build_driver, need_tools, normalize,
                    run, speech_text, synthesise, wer, where_and_when)


def read_sentences():
    sections, current = {}, None
    with open(os.path.join(ROOT, "bench", "wer-sentences.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"\[(.+)\]", line)
            if m:
                current = m.group(1)
                sections[current] = []
            else:
                sections[current].append(line)
    return sections


def corpus_lines():
    with open(os.path.join(ROOT, "data", "asr", "radiology-en.txt"), encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def transcribe(driver, wavs, lm=None, dic=None, options=()):
    cmd = [driver, "transcribe"] + list(options)
    if lm:
        cmd += ["--lm", lm, "--dict", dic]
    out = run(cmd + wavs).stdout
    res = {}
    for line in out.splitlines():
        parts = line.split("\t")
        res[parts[0]] = (float(parts[1]), float(parts[2]), parts[3] if len(parts) > 3 else "")
    return res


def build_models(driver, tmp):
    arpa, dic = os.path.join(tmp, "radiology.arpa"), os.path.join(tmp, "radiology.dict")
    out = run([driver, "build", arpa, dic, os.path.join(ROOT, "data/asr/lexicon-en.txt"),
               os.path.join(ROOT, "data/asr/radiology-en.txt"),
               os.path.join(ROOT, "data/templates")]).stdout
    stats = dict(line.split(" ", 1) for line in out.splitlines())
    return arpa, dic, stats


def make_audio(driver, sections, tmp):
    """Returns [(condition, subset, wav, reference)]."""
    items = []
    for subset, lines in sections.items():
        refs = normalize(driver, lines)
        for i, ref in enumerate(refs):
            for speed in SPEEDS:
                wav = os.path.join(tmp, f"{subset}-{i:02d}-s{speed}.wav")
                synthesise(speech_text(ref), speed, wav, tmp)
                items.append((f"espeak-ng -s {speed}", subset, wav, ref))
            noisy = os.path.join(tmp, f"{subset}-{i:02d}-s175-noise.wav")
            add_noise(os.path.join(tmp, f"{subset}-{i:02d}-s175.wav"), noisy, tmp)
            items.append((f"-s 175 + white noise {SNR_DB:.0f} dB SNR", subset, noisy, ref))
    return items


def long_dictation(driver, items, arpa, dic, tmp):
    """All held-out -s 175 dictations in one file, 0.8 s of silence between
    them: decoded cut at pauses (the engine's default) or as one utterance."""
    chosen = [(w, r) for c, s, w, r in items if s == "held-out" and c == "espeak-ng -s 175"]
    wav, gap = os.path.join(tmp, "long.wav"), os.path.join(tmp, "gap.wav")
    run(["sox", "-D", "-n", "-r", "16000", "-c", "1", "-b", "16", gap, "trim", "0", "0.8"])
    parts = [p for w, _ in chosen for p in (w, gap)]
    run(["sox", "-D"] + parts + [wav])
    ref = " ".join(r for _, r in chosen)
    rows = []
    for label, options in (("split at pauses (default)", ()),
                           ("one utterance", ("--one-utterance",))):
        secs, dt, hyp = transcribe(driver, [wav], arpa, dic, options)[wav]
        rows.append((label, secs, wer([(ref, hyp)]), dt / secs))
    return rows


def provenance():
    """Where and when the figures were measured, for the markdown copy."""
    return ("# Word error rate of the local speech engine\n\n"
            "Made by `python3 bench/wer.py --markdown docs/asr-wer.md` (part of `make bench`) "
            "on %s. Dictations are synthesized by espeak-ng, not spoken by a person."
            % where_and_when())


def report(items, results, stats, long_rows, oov, held_in_corpus):
    lines = []
    lines.append("| condition | dictations | generic WER % | radiology WER % |")
    lines.append("| --- | --- | ---: | ---: |")
    conditions = []
    for c, s, _, _ in items:
        if (c, s) not in conditions:
            conditions.append((c, s))
    for c, s in conditions:
        sel = [(w, r) for cc, ss, w, r in items if cc == c and ss == s]
        g = wer([(r, results["generic"][w][2]) for w, r in sel])
        rad = wer([(r, results["radiology"][w][2]) for w, r in sel])
        lines.append(f"| {c} | {s} ({len(sel)}) | {g:.1f} | {rad:.1f} |")
    for model in ("generic", "radiology"):
        secs = sum(v[0] for v in results[model].values())
        dt = sum(v[1] for v in results[model].values())
        lines.append(f"\n{model}: real-time factor {dt / secs:.3f} "
                     f"({dt:.1f} s decoding for {secs:.1f} s of audio)")
    lines.append("\nlong dictation (the held-out -s 175 dictations in one file, 0.8 s pauses, "
                 "radiology model):")
    for label, secs, w, rtf in long_rows:
        lines.append(f"  {label}: {secs:.0f} s audio, WER {w:.1f} %, real-time factor {rtf:.3f}")
    lines.append(f"\nradiology model: {stats['sentences']} sentences, {stats['tokens']} words, "
                 f"vocabulary {stats['vocabulary']}, n-grams {stats['ngrams']}; "
                 f"LM + dictionary built in {float(stats['build_seconds']):.2f} s")
    lines.append(f"dictionary: {stats['dict_words']} words: lexicon {stats['lexicon']}, "
                 f"cmudict {stats['cmudict']}, spelled {stats['spelled']}, "
                 f"espeak-ng {stats['espeak']}, missing {stats['missing']}")
    lines.append(f"held-out reference words outside the radiology vocabulary: {oov[0]} of "
                 f"{oov[1]} ({100.0 * oov[0] / oov[1]:.1f} %); held-out lines found verbatim "
                 f"in the corpus: {held_in_corpus}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", help="keep audio and models in this directory")
    ap.add_argument("--markdown", help="also write the report to this file")
    args = ap.parse_args()
    need_tools("wer.py", ("gcc", "pkg-config", "espeak-ng", "sox", "soxi"))
    tmp = args.keep or tempfile.mkdtemp(prefix="raportai-wer-")
    os.makedirs(tmp, exist_ok=True)
    try:
        driver = os.path.join(tmp, "asr_driver")
        build_driver(driver)
        arpa, dic, stats = build_models(driver, tmp)
        sections = read_sentences()
        corpus = corpus_lines()
        held_in_corpus = sum(1 for l in sections["held-out"] if l in corpus)
        items = make_audio(driver, sections, tmp)
        wavs = [w for _, _, w, _ in items]
        results = {"generic": transcribe(driver, wavs),
                   "radiology": transcribe(driver, wavs, arpa, dic)}
        vocab = {l.split()[0].split("(")[0] for l in open(dic, encoding="utf-8")}
        held_refs = normalize(driver, sections["held-out"])
        held_words = [w for r in held_refs for w in r.split()]
        oov = (sum(1 for w in held_words if w not in vocab), len(held_words))
        long_rows = long_dictation(driver, items, arpa, dic, tmp)
        text = report(items, results, stats, long_rows, oov, held_in_corpus)
        print(text)
        if args.markdown:
            with open(args.markdown, "w", encoding="utf-8") as f:
                f.write(provenance() + "\n\n" + text + "\n")
        if os.environ.get("WER_VERBOSE"):
            for c, s, w, r in items:
                print(f"\n{os.path.basename(w)}\n  ref: {r}\n  gen: {results['generic'][w][2]}"
                      f"\n  rad: {results['radiology'][w][2]}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

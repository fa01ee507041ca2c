"""What the benchmarks share (bench/wer.py, bench/quality.py): running tools,
the test-only speech driver (bench/asr_driver.c) built against src/asr and
src/core, dictation audio synthesised at bench time by espeak-ng with noise
added by sox (nothing binary is committed), word error rate, and the line
saying where and when a figure was measured."""

import os
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SNR_DB = 20.0          # white noise this far below the speech's RMS level
SPEEDS = (140, 175)    # espeak-ng words per minute

# Abbreviations the radiologist spells out: synthesised letter by letter.
SPELLED = {"ct", "cta", "mri", "mra", "mr", "mlo", "cc", "adc", "dwi", "acl", "pcl", "mcl",
           "lcl", "cbd", "ivc", "csf", "pa", "ap"}
SAID_AS = {"birads": "bi rads", "tirads": "tie rads"}
PAUSE_AFTER = {"period": ".", "comma": ",", "colon": ","}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def need_tools(prog, tools):
    """Exits with a sentence when one of tools is not installed."""
    for tool in tools:
        if shutil.which(tool) is None:
            sys.exit(f"{prog}: {tool} is not installed (scripts/deps.sh installs it)")


def build_driver(out, optimise="-O2"):
    """Builds bench/asr_driver.c with src/asr, src/core and what they use into out."""
    pkgs = ["pocketsphinx", "sphinxbase", "espeak-ng", "libsodium", "libcurl", "jansson"]
    cflags = run(["pkg-config", "--cflags"] + pkgs).stdout.split()
    libs = run(["pkg-config", "--libs"] + pkgs).stdout.split()
    srcs = [os.path.join(ROOT, "bench", "asr_driver.c")]
    for d in ("src/asr", "src/core"):
        srcs += sorted(os.path.join(ROOT, d, f) for f in os.listdir(os.path.join(ROOT, d))
                       if f.endswith(".c"))
    srcs += [os.path.join(ROOT, "src/report", f)
             for f in ("templates.c", "tmpl_name.c", "report_util.c")]
    srcs.append(os.path.join(ROOT, "src/http/client.c"))  # the openai speech engine's
    run(["gcc", "-std=c17", "-D_GNU_SOURCE", optimise, "-g", "-I" + os.path.join(ROOT, "src")]
        + cflags + srcs + ["-o", out] + libs + ["-lunistring", "-lpthread", "-lm"])


def normalize(driver, lines):
    """lines in spoken form, as the speech engine writes (asr_normalize)."""
    out = run([driver, "normalize"], input="\n".join(lines) + "\n").stdout
    return out.splitlines()


def speech_text(spoken):
    """What espeak-ng is asked to say for a spoken-form reference: spelled
    abbreviations, real punctuation after spoken punctuation for pauses."""
    words = []
    for w in spoken.split():
        if w in SPELLED:
            words.append(" ".join(w.upper()))
        elif w in SAID_AS:
            words.append(SAID_AS[w])
        elif re.fullmatch(r"[a-z]\d+", w):
            words.append(w[0].upper() + " " + w[1:])
        else:
            words.append(w)
        if w in PAUSE_AFTER:
            words[-1] += PAUSE_AFTER[w]
    return " ".join(words)


def rms(path):
    err = subprocess.run(["sox", path, "-n", "stat"], text=True, capture_output=True).stderr
    return float(re.search(r"RMS\s+amplitude:\s+([0-9.eE+-]+)", err).group(1))


def synthesise(text, speed, path, tmp):
    """text said by espeak-ng (en-us) at speed, as 16 kHz mono 16-bit WAV.
    Scratch files are named after path, so calls may run in parallel."""
    raw = path + ".raw.wav"
    run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", raw, text])
    run(["sox", "-D", raw, "-r", "16000", "-c", "1", "-b", "16", path])  # -D: no dither
    os.remove(raw)


def add_noise(clean, noisy, tmp, snr_db=SNR_DB):
    """White noise at snr_db below the speech's RMS level, mixed with sox
    (repeatable: sox -R seeds its generator the same way every run). Scratch
    files are named after noisy, so calls may run in parallel."""
    dur = float(run(["soxi", "-D", clean]).stdout)
    unit, noise = noisy + ".unit.wav", noisy + ".noise.wav"
    run(["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", unit, "synth", str(dur),
         "whitenoise", "vol", "0.5"])
    vol = rms(clean) / (10 ** (snr_db / 20)) / rms(unit)
    run(["sox", "-D", "-v", str(vol), unit, noise])
    run(["sox", "-D", "-m", "-v", "1", clean, "-v", "1", noise, noisy])
    os.remove(unit)
    os.remove(noise)


def edit_distance(ref, hyp):
    """Levenshtein distance between two sequences."""
    d = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(hyp) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (ref[i - 1] != hyp[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(hyp)]


def wer(pairs):
    """Word error rate in percent of (reference, hypothesis) text pairs:
    word-level edit distance over reference words."""
    errors = sum(edit_distance(r.split(), h.split()) for r, h in pairs)
    words = sum(len(r.split()) for r, _ in pairs)
    return 100.0 * errors / words


def commit():
    """The short commit id, "+ uncommitted changes" when tracked files differ
    from it (the figures then come from code that commit does not hold). The
    reports under docs/ that benchmarks write do not count."""
    git = lambda *a: subprocess.run(["git"] + list(a), capture_output=True, text=True,
                                    cwd=ROOT).stdout.strip()
    head = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs")
    return head + (" + uncommitted changes" if dirty else "")


def where_and_when():
    """"x86_64, 2 cores, commit abc1234, 2026-11-28"."""
    return "%s, %d cores, commit %s, %s" % (platform.machine(), os.cpu_count(), commit(),
                                            time.strftime("%Y-%m-%d"))

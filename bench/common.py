"""What the benchmarks share (bench/wer.py, bench/quality.py,
bench/wer_voices.py; the flood benchmarks bench/auth_flood.py and
bench/signin_flood.py take percentile and timed_requests; bench/poll.py and
bench/text_jobs.py start_server and call): running tools, the test-only speech driver
(bench/asr_driver.c) built against src/asr and src/core, dictation audio
synthesised at bench time by espeak-ng (spoken-form references) or by one of
several voices (natural dictation text), with noise added by sox (nothing
binary is committed), word error rate, and the line saying where and when a
figure was measured."""

import array
import http.client
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import wave
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SERVER_START_S = 30     # bound on a benchmark's server answering /healthz
SNR_DB = 20.0          # white noise this far below the speech's RMS level
SPEEDS = (140, 175)    # espeak-ng words per minute

# Abbreviations the radiologist spells out: synthesised letter by letter.
SPELLED = {"ct", "cta", "mri", "mra", "mr", "mlo", "cc", "adc", "dwi", "acl", "pcl", "mcl",
           "lcl", "cbd", "ivc", "csf", "pa", "ap"}
SAID_AS = {"birads": "bi rads", "tirads": "tie rads"}
PAUSE_AFTER = {"period": ".", "comma": ",", "colon": ","}


def percentile(values, p):
    """The p-quantile (0 to 1) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def timed_requests(srv, key, n):
    """Milliseconds of each of n External API requests (GET /templates with
    key) to srv, one after another; exits when one is refused."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        reply = srv.get("/api/external/v1/templates", key=key)
        out.append((time.perf_counter() - t0) * 1000)
        if reply.status != 200:
            raise SystemExit("good key refused: %d" % reply.status)
    return out


def under_flood(srv, key, worker, sources, n_good, cap_s):
    """Milliseconds of n_good External API requests (timed_requests) while
    one thread per entry of sources runs worker(srv, source, stop, counts,
    lock) from that address, stopped (joined within cap_s) after; returns
    (latencies, flood requests per second, the flood's answers by (status,
    code), as the workers count them in counts)."""
    stop, counts, lock = threading.Event(), {}, threading.Lock()
    threads = [threading.Thread(target=worker, args=(srv, source, stop, counts, lock))
               for source in sources]
    for t in threads:
        t.start()
    time.sleep(1)  # the flood under way
    t0 = time.monotonic()
    try:
        latencies = timed_requests(srv, key, n_good)
    finally:
        stop.set()
        for t in threads:
            t.join(cap_s)
    return latencies, sum(counts.values()) / (time.monotonic() - t0 + 1), counts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, key, headers=None, body=None):
    """(status, body) of one request with key to 127.0.0.1:port, on a
    connection of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(method, path, body, dict(headers or {}, Authorization="Bearer " + key))
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def start_server(binary, data, log, extra_args=(), wrap=(), start_s=SERVER_START_S):
    """`binary serve` on a free loopback port over the data directory data,
    at --log-level warn (at info it writes a line per request, which a
    benchmark would measure) and --rate-limit 100000, plus extra_args, run
    by the command wrap when given (a profiler: ["valgrind", ...]); its
    output goes to the file log. Returns (process, port) once /healthz
    answers; exits when it does not within start_s seconds."""
    port = free_port()
    proc = subprocess.Popen(list(wrap) + [binary, "serve", "--listen", "127.0.0.1:%d" % port,
                                          "--data", data, "--share", ROOT, "--rate-limit",
                                          "100000", "--log-level", "warn"] + list(extra_args),
                            stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + start_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start (see %s)" % log.name)


def env_flag(name):
    """True when the environment variable is set to something other than
    "" or "0" (FOO_VERBOSE=0 means quiet)."""
    return os.environ.get(name, "") not in ("", "0")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def need_tools(prog, tools):
    """Exits with a sentence when one of tools is not installed."""
    for tool in tools:
        if shutil.which(tool) is None:
            sys.exit(f"{prog}: {tool} is not installed (scripts/deps.sh installs it)")


def build_driver(out, optimise="-O2"):
    """Builds bench/asr_driver.c with src/asr, src/core, src/httpc and what they use into out."""
    pkgs = ["pocketsphinx", "sphinxbase", "espeak-ng", "libsodium", "libcurl", "jansson"]
    cflags = run(["pkg-config", "--cflags"] + pkgs).stdout.split()
    libs = run(["pkg-config", "--libs"] + pkgs).stdout.split()
    srcs = [os.path.join(ROOT, "bench", "asr_driver.c")]
    for d in ("src/asr", "src/core", "src/httpc"):  # httpc: the openai speech engine's client
        srcs += sorted(os.path.join(ROOT, d, f) for f in os.listdir(os.path.join(ROOT, d))
                       if f.endswith(".c"))
    srcs += [os.path.join(ROOT, "src/templates", f) for f in ("templates.c", "tmpl_name.c")]
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


# The voices natural dictation is measured with: espeak-ng, four flite voices
# and festival's HTS voice (all Debian packages; scripts/deps.sh test).
# synthesise_voice also takes "espeak-ng:WPM", espeak-ng at another speed
# (its default is 175 words per minute).
VOICES = ("espeak-ng", "flite-slt", "flite-rms", "flite-awb", "flite-kal16", "festival-hts")

# Written abbreviations a voice must be told letter by letter: flite reads
# "MRI" as one word ("mri", heard as "real" or "three") and festival reads
# "MR" as "mister"; spelled out, every voice above was recognised as the
# abbreviation (checked by decoding "M R I of the knee." and the like with
# the radiology model). "CT" and spine levels ("L4 L5", "S1", "C5") are read
# right by all of them as written.
SPELL_OUT = {"MR", "MRI", "MRA", "MRCP", "CTA", "ADC", "DWI", "SWI", "CXR", "ACL", "PCL", "MCL",
             "LCL", "CBD", "IVC", "CSF", "PA", "AP", "MLO", "CC"}
NATURAL_SAID_AS = {"BI-RADS": "bi rads", "TI-RADS": "tie rads"}


def voice_text(text):
    """What a voice is asked to say for a natural dictation text (written,
    with sentence punctuation): SPELL_OUT abbreviations letter by letter,
    NATURAL_SAID_AS as said; everything else as written."""
    def word(m):
        w = m.group(0)
        if w in NATURAL_SAID_AS:
            return NATURAL_SAID_AS[w]
        return " ".join(w) if w in SPELL_OUT else w
    return re.sub(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z]", word, text)


def sentences_of(text):
    """The sentences of a natural dictation text: split after . ? ! that
    end a word."""
    return [t for t in re.split(r"(?<=[.?!])\s+", text.strip()) if t]


def dictation_pauses(text, low=0.35, high=0.9):
    """One pause in seconds per sentence boundary of text, drawn evenly from
    [low, high] by a generator seeded with the text (the same text always
    gets the same pauses)."""
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    return [round(rng.uniform(low, high), 2) for _ in sentences_of(text)[1:]]


def _voice_raw(said, voice, raw):
    """said (text for the synthesiser) by voice into the WAV file raw."""
    if voice == "espeak-ng" or voice.startswith("espeak-ng:"):
        speed = ["-s", voice.split(":")[1]] if ":" in voice else []
        run(["espeak-ng", "-v", "en-us"] + speed + ["-w", raw, said])
    elif voice.startswith("flite-"):
        run(["flite", "-voice", voice[len("flite-"):], "-t", said, "-o", raw])
    elif voice == "festival-hts":
        txt = raw + ".txt"
        with open(txt, "w", encoding="utf-8") as f:
            f.write(said + "\n")
        run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", txt, "-o", raw])
        os.remove(txt)
    else:
        raise ValueError("unknown voice " + voice)


TO_16K = ["-r", "16000", "-c", "1", "-b", "16"]
TRIM_LEVEL = 100    # samples: below about -50 dBFS is silence when trimming
TRIM_MARGIN = 1280  # samples (80 ms) kept before and after the sound: at
                    # -50 dB without a margin, weak onsets ("th" of "there")
                    # were cut and misrecognised


def _read_pcm(path):
    with wave.open(path, "rb") as w:
        return array.array("h", w.readframes(w.getnframes()))


def _trimmed(pcm):
    """pcm without its leading and trailing silence, TRIM_MARGIN kept."""
    loud = [i for i in range(0, len(pcm), 160) if max(map(abs, pcm[i:i + 160])) >= TRIM_LEVEL]
    if not loud:
        return pcm[:0]
    return pcm[max(0, loud[0] - TRIM_MARGIN):min(len(pcm), loud[-1] + 160 + TRIM_MARGIN)]


def synthesise_voice(text, voice, path, pauses=None):
    """A natural dictation text (written; a period marks each pause) said by
    voice (one of VOICES), as 16 kHz mono 16-bit WAV at path, converted by
    sox without dither.

    pauses None: the voice reads the whole text, pausing at periods as it
    does (flite pauses 70-150 ms there, espeak-ng about 300 ms, festival
    about 370 ms: shorter than a radiologist thinking between sentences).
    pauses a list (dictation_pauses): each sentence is said on its own, its
    leading and trailing silence trimmed (below TRIM_LEVEL, TRIM_MARGIN
    kept), and the sentences are joined by those pauses of digital silence
    (plus the margins: 0.16 s more), with 0.2 s before and after. Scratch
    files are named after path, so calls may run in parallel."""
    sents = [text] if pauses is None else sentences_of(text)
    assert pauses is None or len(pauses) == len(sents) - 1, "one pause per sentence boundary"
    out = array.array("h")
    for i, sentence in enumerate(sents):
        raw, part = f"{path}.{i}.raw.wav", f"{path}.{i}.wav"
        _voice_raw(voice_text(sentence), voice, raw)
        run(["sox", "-D", raw] + TO_16K + [part])
        pcm = _read_pcm(part)
        os.remove(raw)
        os.remove(part)
        if pauses is None:
            out = pcm
            break
        gap = 0.2 if i == 0 else pauses[i - 1]
        out.extend(array.array("h", bytes(2 * round(gap * 16000))))
        out.extend(_trimmed(pcm))
    if pauses is not None:
        out.extend(array.array("h", bytes(2 * 3200)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(out.tobytes())


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


def plain_words(text):
    """The words of a transcript in spoken form: the local engine writes
    sentence ends and capitals ("Findings. There is a nodule."), which are
    not words; lowercased, with . , ; : ? ! removed."""
    return re.sub(r"[.,;:?!]", " ", text.lower()).split()


def wer(pairs):
    """Word error rate in percent of (reference, hypothesis) text pairs:
    word-level edit distance over reference words (both compared as
    plain_words)."""
    errors = sum(edit_distance(plain_words(r), plain_words(h)) for r, h in pairs)
    words = sum(len(plain_words(r)) for r, _ in pairs)
    return 100.0 * errors / words


def _commit_now():
    git = lambda *a: subprocess.run(["git"] + list(a), capture_output=True, text=True,
                                    cwd=ROOT).stdout.strip()
    head = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs")
    return head + (" + uncommitted changes" if dirty else "")


_COMMIT_AT_START = _commit_now()


def commit():
    """The short commit id when the benchmark started (a run of half an hour
    outlives later commits), "+ uncommitted changes" when tracked files
    differed from it (the figures then come from code that commit does not
    hold). The reports under docs/ that benchmarks write do not count."""
    return _COMMIT_AT_START


def where_and_when():
    """"x86_64, 2 cores, commit abc1234, 2026-11-28"."""
    return "%s, %d cores, commit %s, %s" % (platform.machine(), os.cpu_count(), commit(),
                                            time.strftime("%Y-%m-%d"))

"""Benchmark: does a dictation's length show in the speech engine's memory?

The local speech engine reads a job's audio as FFmpeg decodes it (twice:
once for the cepstral mean, once to decode), never holding it whole, so a
60-minute dictation should raise peak memory by less than 20 MB over a
1-minute one (target of issue 12; holding the PCM cost 115 MB an hour).

This makes the audio at run time: espeak-ng speaks a radiology dictation
(with pauses between sentences), sox converts it to 16 kHz mono WAV and
repeats it to exactly 1 and 60 minutes. Then `BINARY transcribe` (the
local engine with the radiology model, on the same code path as a job
worker: audio_source -> asr_transcribe_audio) transcribes each, in the same
run, and the peak resident memory of each process (ru_maxrss from wait4)
is printed with the difference. The radiology model is built once in a
temporary data folder by a first, unmeasured run.

    python3 bench/long_audio.py [BINARY] [--minutes N]

BINARY defaults to build/raportai (the optimised build). --minutes sets the
long dictation's length (default 60). Exit status 0 when both
transcriptions succeed, whatever the figures; the verdict is printed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

TARGET_MB = 20.0
TIMEOUT_S = 4 * 3600

DICTATION = (
    "Chest CT with contrast. Findings. There is a five millimeter nodule in the right upper "
    "lobe. The lungs are otherwise clear. There is no pleural effusion. The heart is normal "
    "in size. There is no pericardial effusion. The mediastinal lymph nodes are not enlarged. "
    "The liver and the spleen are unremarkable. The adrenal glands are normal. Impression. "
    "A five millimeter pulmonary nodule in the right upper lobe. Follow up CT in twelve "
    "months is recommended. No acute cardiopulmonary abnormality."
)


def make_audio(tmp, minutes):
    """unit.wav: the dictation spoken once, 16 kHz mono; then the dictation
    repeated to exactly 1 and `minutes` minutes. Returns both paths."""
    ssml = "<speak>%s</speak>" % DICTATION.replace(". ", '. <break time="700ms"/> ')
    spoken = os.path.join(tmp, "spoken.wav")
    unit = os.path.join(tmp, "unit.wav")
    common.run(["espeak-ng", "-m", "-v", "en-us", "-s", "150", "-w", spoken, ssml])
    common.run(["sox", "-D", spoken, "-r", "16000", "-c", "1", "-b", "16", unit, "pad", "0", "1"])
    unit_s = float(subprocess.run(["soxi", "-D", unit], capture_output=True, text=True,
                                  check=True).stdout)
    paths = []
    for m in (1, minutes):
        path = os.path.join(tmp, "dictation-%dmin.wav" % m)
        repeats = int(m * 60 / unit_s) + 1
        common.run(["sox", "-D", unit, path, "repeat", str(repeats), "trim", "0", str(m * 60)])
        paths.append(path)
    return paths


def transcribe(binary, data, path):
    """Runs `binary transcribe path`; returns (peak RSS in MB, wall seconds,
    words in the transcript)."""
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([binary, "transcribe", path, "--lang", "en", "--data", data],
                                stdout=out, stderr=err)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.monotonic() > deadline:
                proc.kill()
                sys.exit("long_audio: %s took longer than %d s" % (path, TIMEOUT_S))
            time.sleep(0.2)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            sys.exit("long_audio: transcribe %s failed (%d): %s"
                     % (path, proc.returncode, err.read().decode(errors="replace")[-2000:]))
        words = len(out.read().split())
    return usage.ru_maxrss / 1024.0, time.monotonic() - t0, words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", nargs="?", default=os.path.join(common.ROOT, "build", "raportai"))
    ap.add_argument("--minutes", type=int, default=60)
    args = ap.parse_args()
    common.need_tools("long_audio", ["espeak-ng", "sox", "soxi"])
    binary = os.path.abspath(args.binary)
    tmp = tempfile.mkdtemp(prefix="raportai-long-audio-")
    try:
        short, long_ = make_audio(tmp, args.minutes)
        data = os.path.join(tmp, "data")
        transcribe(binary, data, short)  # builds the radiology model, unmeasured
        s_mb, s_s, s_words = transcribe(binary, data, short)
        l_mb, l_s, l_words = transcribe(binary, data, long_)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    diff = l_mb - s_mb
    print("long_audio: %s; binary %s" % (common.where_and_when(), args.binary))
    print("  1-minute dictation:  peak RSS %7.1f MB  (%6.1f s, %d words)" % (s_mb, s_s, s_words))
    print("  %d-minute dictation: peak RSS %7.1f MB  (%6.1f s, %d words)"
          % (args.minutes, l_mb, l_s, l_words))
    print("  difference: %+.1f MB (target: under %.0f MB): %s"
          % (diff, TARGET_MB, "met" if diff < TARGET_MB else "NOT met"))


if __name__ == "__main__":
    main()

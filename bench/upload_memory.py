"""Benchmark: does an audio upload's size show in the server's memory?

Uploads stream to a file in the data directory while their SHA-256 is
computed, so a 49 MB upload should grow the server's resident memory by no
more than a few MB, about as much as a 1 MB upload does. This starts
build/raportai (the optimised build) on a loopback port, reads VmRSS and
VmHWM (the peak) from /proc/PID/status, and POSTs a WAV made by sox to
/api/external/v1/report: three times 1 MB, then three times 49 MB, all in
the same run.

Each upload goes all the way through the upload path (streamed to disk,
hashed, probed with FFmpeg, moved into DATA/audio) and is then refused
with 402 INSUFFICIENT_CREDITS (the organization has no credits), so no job
worker decodes it afterwards: a worker decoding 27 minutes of audio would
measure the speech pipeline, not the upload.

    python3 bench/upload_memory.py [BINARY]
"""

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import harness  # noqa: E402
import jobs_helpers  # noqa: E402

SMALL_MB = 1
LARGE_MB = 49
ROUNDS = 3
UPLOAD_TIMEOUT_S = 300


def proc_status(pid):
    """VmRSS and VmHWM of the process, in MB."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                out[name] = int(value.split()[0]) / 1024.0
    return out["VmRSS"], out["VmHWM"]


def make_wav(folder, mb):
    """A 16 kHz mono 16-bit WAV of about mb MiB (a quiet tone, by sox)."""
    path = os.path.join(folder, "upload-%dmb.wav" % mb)
    seconds = mb * 1024 * 1024 / 32000.0
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth",
                    "%.3f" % seconds, "sine", "440", "vol", "0.1"], check=True, timeout=300)
    return path


def upload(srv, key, body, ctype):
    t0 = time.monotonic()
    reply = jobs_helpers.post_raw(srv, jobs_helpers.REPORT, body, ctype, key,
                                  timeout=UPLOAD_TIMEOUT_S)
    elapsed = time.monotonic() - t0
    if reply.status != 402:
        raise SystemExit("expected 402 INSUFFICIENT_CREDITS, got %d: %r"
                         % (reply.status, reply.body[:300]))
    return elapsed


def rounds(srv, key, path):
    """Uploads path ROUNDS times; returns per-round (rss, hwm, seconds)."""
    body, ctype = jobs_helpers.encode_multipart(jobs_helpers.report_fields(path))
    out = []
    for _ in range(ROUNDS):
        seconds = upload(srv, key, body, ctype)
        time.sleep(0.3)  # the request's clean-up runs just after the reply
        rss, hwm = proc_status(srv.proc.pid)
        out.append((rss, hwm, seconds))
    return out, len(body)


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    git = ["git", "-C", os.path.join(HERE, "..")]
    commit = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return "%s, %s, %d cores, Linux %s, commit %s%s" % (
        platform.machine(), model, os.cpu_count(), platform.release(), commit,
        " (with uncommitted changes)" if dirty else "")


def main():
    harness.BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/raportai"
    data = tempfile.mkdtemp(prefix="raportai-bench-")
    files = tempfile.mkdtemp(prefix="raportai-bench-audio-")
    try:
        small, large = make_wav(files, SMALL_MB), make_wav(files, LARGE_MB)
        _, _, key = harness.make_org_with_key(data, credits=0)
        # a 49 MB WAV lasts 26 minutes: let one credit cover it, so that the
        # refusal is the credits' (after the upload, the hashing and the probe)
        with harness.Server(data, ["--rate-limit", "100000", "--workers", "1",
                                   "--audio-minutes-per-credit", "60"]) as srv:
            pid = srv.proc.pid
            for _ in range(3):  # warm-up: first allocations, FFmpeg's tables
                srv.get(jobs_helpers.TEMPLATES, key=key)
            start_rss, start_hwm = proc_status(pid)
            small_runs, small_bytes = rounds(srv, key, small)
            _, small_hwm = proc_status(pid)
            large_runs, large_bytes = rounds(srv, key, large)
            end_rss, end_hwm = proc_status(pid)
            leftovers = jobs_helpers.files_in(data, "audio") + \
                jobs_helpers.files_in(data, "uploads")
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(files, ignore_errors=True)

    print("upload memory benchmark: %s, %s" % (machine(), time.strftime("%Y-%m-%d")))
    print("  binary %s, %d uploads of each size, each refused with 402 after the whole "
          "upload path" % (harness.BINARY, ROUNDS))
    print("  server at start:            RSS %7.1f MB  peak %7.1f MB" % (start_rss, start_hwm))
    for name, runs, size in (("%d MB" % SMALL_MB, small_runs, small_bytes),
                             ("%d MB" % LARGE_MB, large_runs, large_bytes)):
        for i, (rss, hwm, seconds) in enumerate(runs, 1):
            print("  after %-5s upload %d:       RSS %7.1f MB  peak %7.1f MB  (%.2f s, %.0f MB/s)"
                  % (name, i, rss, hwm, seconds, size / 1e6 / seconds))
    small_growth = small_hwm - start_hwm
    large_growth = end_hwm - small_hwm
    print("  peak growth from the %d MB uploads:  %6.1f MB" % (SMALL_MB, small_growth))
    print("  peak growth from the %d MB uploads: %6.1f MB  (beyond the %d MB uploads' peak)"
          % (LARGE_MB, large_growth, SMALL_MB))
    print("  peak growth over the whole run:     %6.1f MB for %.0f MB uploaded"
          % (end_hwm - start_hwm, ROUNDS * (small_bytes + large_bytes) / 1e6))
    print("  RSS before / after all uploads:     %6.1f / %.1f MB" % (start_rss, end_rss))
    if small_growth > 0.5:
        print("  ratio of peak growth, %d MB / %d MB upload: %.2fx (file size ratio %dx)"
              % (LARGE_MB, SMALL_MB, (small_growth + large_growth) / small_growth,
                 LARGE_MB // SMALL_MB))
    print("  files left in DATA/audio and DATA/uploads: %d" % len(leftovers))


if __name__ == "__main__":
    main()

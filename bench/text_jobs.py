"""Benchmark: text-input jobs end to end, and the server's CPU per job.

Starts `raportai serve` (the optimised build, --log-level warn, its default
number of job workers: the cores) on a loopback port in a temporary data
directory, with one organization and KEYS keys of it (--rate-limit 100000
a minute per key, so the limit never answers). WARMUP jobs go first and are
waited for, so first-use costs (statements prepared, the template library
touched) are not counted; the server is then left until its CPU time stops
moving. Then CLIENTS threads, each with one keep-alive connection and the
next key, submit JOBS jobs between them (`POST /api/external/v1/report`
with a few lines of an English CT dictation in `transcript`, SUT code
803910, no callback), and the benchmark waits (at most WAIT_S) until every
job has finished, counting the finished jobs with read-only queries of the
database every 20 ms (not polls, which would add the server's own work).

Printed: jobs per second from the first submission to the last job
finished; the server's CPU seconds (utime + stime of /proc/PID/stat, all
its threads) over the same span, per job; the submissions' latency; the
load average of the machine before and after (the clients run on the same
cores). Afterwards, outside the measured span, every job is polled once
through the API and must be completed with a report, and the organization's
balance must have gone down by exactly one credit per job.

With --callgrind FILE the server runs under valgrind's callgrind, which
instruments it only over the measured span (callgrind_control -i on, then
off):
the figure is then the instructions the server ran per job (CPU time under
valgrind means nothing), which the machine's other work does not change, and
FILE is left for callgrind_annotate --inclusive=yes.

    python3 bench/text_jobs.py [BINARY] [--jobs N] [--callgrind FILE]
"""

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from common import SERVER_START_S, percentile, start_server, where_and_when  # noqa: E402

JOBS = 3000
WARMUP = 50
CLIENTS = 16
KEYS = 8
WAIT_S = 300           # the most the jobs may take to finish
SETTLE_S = 30          # the most the server may take to go quiet after start-up
VALGRIND_START_S = 600 # the most it may take to start under callgrind
TICKS = os.sysconf("SC_CLK_TCK")
REPORT = "/api/external/v1/report"
TRANSCRIPT = (
    "Clinical information: headache for two weeks, no trauma.\n"
    "Technique: non-contrast CT of the head, axial images with coronal and sagittal "
    "reformats.\n"
    "Comparison: none.\n"
    "Findings: There is no acute intracranial hemorrhage, mass effect or midline shift. "
    "The ventricles and sulci are normal in size for the patient's age. Gray-white matter "
    "differentiation is preserved. A few small hypodensities in the periventricular white "
    "matter are consistent with chronic small vessel disease. The visualized paranasal "
    "sinuses and mastoid air cells are clear.\n"
    "Impression: No acute intracranial abnormality. Mild chronic small vessel ischemic "
    "changes.\n")


def form():
    """(body, Content-Type) of one submission."""
    boundary = "benchtextjobs"
    fields = {"transcript": TRANSCRIPT, "sutCode": "803910", "inputLang": "en",
              "outputLang": "en", "patientId": "P-000123", "accessionNo": "ACC-000123"}
    body = "".join("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                   % (boundary, k, v) for k, v in fields.items()) + "--%s--\r\n" % boundary
    return body.encode("utf-8"), "multipart/form-data; boundary=" + boundary


def cpu_times(pid):
    """(utime, stime) of the process (all its threads), in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS  # fields 14 and 15 of stat(5)


def cpu_s(pid):
    return sum(cpu_times(pid))


def settle(pid):
    """Waits (at most SETTLE_S) until the server's CPU time moves by at most
    one tick in half a second."""
    deadline = time.monotonic() + SETTLE_S
    last = cpu_s(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_s(pid)
        if now - last <= 1.0 / TICKS:
            return
        last = now


def submit(port, keys, n, first, out, lock):
    """Submits n jobs on one keep-alive connection, key by key from first;
    appends (job id, seconds) to out. Exits on any answer other than 202."""
    body, ctype = form()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine = []
    try:
        for i in range(n):
            key = keys[(first + i) % len(keys)]
            t0 = time.perf_counter()
            conn.request("POST", REPORT, body, {"Content-Type": ctype,
                                                "Authorization": "Bearer " + key})
            reply = conn.getresponse()
            raw = reply.read()
            if reply.status != 202:
                raise SystemExit("submission refused: %d %r" % (reply.status, raw[:300]))
            mine.append((json.loads(raw)["jobId"], time.perf_counter() - t0))
    finally:
        conn.close()
        with lock:
            out.extend(mine)


def submit_all(port, keys, n):
    """n jobs from CLIENTS threads; returns [(job id, seconds)]."""
    out, lock, threads = [], threading.Lock(), []
    for c in range(CLIENTS):
        share = n // CLIENTS + (1 if c < n % CLIENTS else 0)
        threads.append(threading.Thread(target=submit, args=(port, keys, share, c, out, lock)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(out) != n:
        raise SystemExit("%d of %d submissions answered" % (len(out), n))
    return out


def finished(db):
    """How many jobs of the database have finished (completed or failed)."""
    return db.execute("SELECT count(*) FROM jobs WHERE status IN ('completed','failed')"
                      ).fetchone()[0]


def wait_finished(db, total):
    """Waits until total jobs have finished; returns the monotonic time it saw
    them. Exits when WAIT_S passes first."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if finished(db) >= total:
            return time.monotonic()
        time.sleep(0.02)
    raise SystemExit("%d of %d jobs finished in %d s" % (finished(db), total, WAIT_S))


def check(port, keys, job_ids, expect_balance):
    """Every job completed with a report, and the balance charged once each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    balance = None
    try:
        for i, job in enumerate(job_ids):
            conn.request("GET", REPORT + "/" + job,
                         headers={"Authorization": "Bearer " + keys[i % len(keys)]})
            reply = conn.getresponse()
            doc = json.loads(reply.read())
            if reply.status != 200 or doc.get("status") != "completed" or \
                    "No acute intracranial abnormality" not in (doc.get("reportText") or ""):
                raise SystemExit("job %s did not complete as expected: %d %r"
                                 % (job, reply.status, doc))
            balance = doc["remainingCredits"]
    finally:
        conn.close()
    if balance != expect_balance:
        raise SystemExit("balance %r after the run, expected %d" % (balance, expect_balance))


def callgrind(pid, on):
    """Switches callgrind's collection in the server on or off."""
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(pid)], check=True,
                   capture_output=True, timeout=60)


def instructions(path):
    """The instructions (Ir) callgrind counted in its output file(s) at path
    (one per dump: path, path.1, ...)."""
    total = 0
    folder, base = os.path.split(os.path.abspath(path))
    for name in os.listdir(folder):
        if name == base or re.fullmatch(re.escape(base) + r"\.\d+", name):
            with open(os.path.join(folder, name)) as f:
                m = re.search(r"^totals: (\d+)", f.read(), re.M)
            total += int(m.group(1)) if m else 0
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", nargs="?", default="build/raportai")
    ap.add_argument("--jobs", type=int, default=JOBS)
    ap.add_argument("--callgrind", metavar="FILE",
                    help="run the server under callgrind, collecting over the measured span "
                         "into FILE")
    args = ap.parse_args()
    wrap, start_s = (), SERVER_START_S
    if args.callgrind:
        wrap = ("valgrind", "--tool=callgrind", "--instr-atstart=no",
                "--callgrind-out-file=" + os.path.abspath(args.callgrind))
        start_s = VALGRIND_START_S
    harness.BINARY = args.binary
    tmp = tempfile.mkdtemp(prefix="raportai-bench-textjobs-")
    data = os.path.join(tmp, "data")
    os.mkdir(data)
    credits = WARMUP + args.jobs
    try:
        _, email, key = harness.make_org_with_key(data, credits=credits)
        keys = [key] + [harness.admin_ok(data, "create-key", "--email", email)
                        for _ in range(KEYS - 1)]
        log = open(os.path.join(tmp, "serve.log"), "wb")
        srv, port = start_server(harness.BINARY, data, log, wrap=wrap, start_s=start_s)
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "raportai.db"), uri=True,
                             timeout=10)
        try:
            submit_all(port, keys, WARMUP)
            wait_finished(db, WARMUP)
            settle(srv.pid)
            load_before = os.getloadavg()
            if args.callgrind:
                callgrind(srv.pid, True)
            cpu0, t0 = cpu_times(srv.pid), time.monotonic()
            own0 = resource.getrusage(resource.RUSAGE_SELF)
            submitted = submit_all(port, keys, args.jobs)
            t_submitted = time.monotonic()
            t1 = wait_finished(db, WARMUP + args.jobs)
            cpu1 = cpu_times(srv.pid)
            own1 = resource.getrusage(resource.RUSAGE_SELF)
            if args.callgrind:
                callgrind(srv.pid, False)
            load_after = os.getloadavg()
            check(port, keys, [j for j, _ in submitted], credits - WARMUP - args.jobs)
        finally:
            db.close()
            srv.terminate()
            srv.wait(start_s)  # callgrind writes its file as the server exits
            log.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = args.jobs
    latencies = [s * 1000 for _, s in submitted]
    print("text jobs benchmark: %s; %d jobs (after %d to warm up), %d clients, %d keys, "
          "the server's default workers" % (where_and_when(), n, WARMUP, CLIENTS, KEYS))
    print("  end to end:   %7.1f jobs/s  (%d jobs in %.2f s; all submitted after %.2f s)"
          % (n / (t1 - t0), n, t1 - t0, t_submitted - t0))
    user, system = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    print("  server CPU:   %7.2f ms per job  (%.2f s in all: user %.2f s, system %.2f s)"
          % ((user + system) * 1000 / n, user + system, user, system))
    print("  submissions:  p50 %.1f ms  p99 %.1f ms" % (percentile(latencies, 0.5),
                                                       percentile(latencies, 0.99)))
    own = own1.ru_utime - own0.ru_utime + own1.ru_stime - own0.ru_stime
    print("  the clients:  %.2f s of CPU (this process, on the same cores)" % own)
    print("  load average: %.2f before, %.2f after (1 min)" % (load_before[0], load_after[0]))
    if args.callgrind:
        print("  under callgrind: %.0f instructions per job in the server (%s; the figures "
              "above are valgrind's, not the server's)" % (instructions(args.callgrind) / n,
                                                          args.callgrind))


if __name__ == "__main__":
    main()

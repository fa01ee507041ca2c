"""Benchmark: authenticated External API polls against what the HTTP library
allows, in one run on one machine.

Starts `raportai serve` (the optimised build) on a loopback port, submits a
typed job and waits for it to complete, then loads GET
/api/external/v1/report/{id} with wrk (WRK_THREADS threads, CONNECTIONS
connections, DURATION_S seconds), each request with the next of KEYS keys
of the organization (--rate-limit 100000 a minute per key, so the limit never
answers: the run fails if any reply is not 200). The reference is
bench/poll_ref.c, built here: libmicrohttpd started with the same daemon
flags, threads and limits as src/http/server.c, answering every request with
the very bytes of the poll's reply. Both are loaded the same way, one after
the other, twice each (ref, server, ref, server), and the better run of each
is kept. The server runs with --log-level warn: at info it writes a line per
request, which measures the log, not the poll.

    python3 bench/poll.py [BINARY]
"""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from common import call, start_server  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
KEYS = 32
WRK_THREADS = 2
CONNECTIONS = 64
DURATION_S = 8
HTTP_THREADS = 4          # serve's --http-threads default, and the reference's pool
JOB_TIMEOUT_S = 60
ROUNDS = 2

LUA = """
local keys = {%s}
local path = "%s"
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. keys[(n %% #keys) + 1]})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%.1f %%.1f %%.1f\\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, summary.duration,
    latency.mean, latency:percentile(50), latency:percentile(99)))
end
"""


def build_reference(out):
    subprocess.run(["gcc", "-std=c17", "-D_GNU_SOURCE", "-O2", "-o", out,
                    os.path.join(ROOT, "bench", "poll_ref.c"), "-lmicrohttpd"], check=True)


def wrk(port, script):
    """Loads 127.0.0.1:port with script; returns (req/s, mean ms, p50 ms,
    p99 ms, non-200 replies, socket errors)."""
    out = subprocess.run(["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS),
                          "-d", "%ds" % DURATION_S, "-s", script,
                          "http://127.0.0.1:%d/" % port],
                         capture_output=True, text=True, timeout=DURATION_S + 60).stdout
    m = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if m is None:
        raise SystemExit("wrk said:\n" + out)
    requests, bad, errors, duration_us = (int(m.group(i)) for i in range(1, 5))
    mean, p50, p99 = (float(m.group(i)) / 1000 for i in range(5, 8))
    return requests / (duration_us / 1e6), mean, p50, p99, bad, errors


def finished_job(port, key):
    boundary = "benchpoll"
    fields = {"transcript": "Findings: no acute intracranial abnormality. Impression: normal.",
              "sutCode": "803910", "inputLang": "en", "outputLang": "en"}
    body = "".join("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                   % (boundary, k, v) for k, v in fields.items()) + "--%s--\r\n" % boundary
    status, reply = call(port, "POST", "/api/external/v1/report", key,
                         {"Content-Type": "multipart/form-data; boundary=" + boundary},
                         body.encode())
    if status != 202:
        raise SystemExit("submission refused: %d %s" % (status, reply))
    job = json.loads(reply)["jobId"]
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        status, reply = call(port, "GET", "/api/external/v1/report/" + job, key)
        if json.loads(reply)["status"] in ("completed", "failed"):
            return job, reply
        time.sleep(0.2)
    raise SystemExit("the job did not finish in %d s" % JOB_TIMEOUT_S)


def main():
    harness.BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/raportai"
    if shutil.which("wrk") is None:
        raise SystemExit("bench/poll.py needs wrk (scripts/deps.sh test installs it)")
    tmp = tempfile.mkdtemp(prefix="raportai-bench-poll-")
    data = os.path.join(tmp, "data")
    os.mkdir(data)
    ref_bin = os.path.join(tmp, "poll_ref")
    results = {"reference": [], "raportai": []}
    try:
        build_reference(ref_bin)
        org, email, key = harness.make_org_with_key(data, credits=100)
        keys = [key] + [harness.admin_ok(data, "create-key", "--email", email)
                        for _ in range(KEYS - 1)]
        log = open(os.path.join(tmp, "serve.log"), "wb")
        srv, port = start_server(harness.BINARY, data, log,
                                 ["--http-threads", str(HTTP_THREADS)])
        try:
            job, body = finished_job(port, key)
            body_file = os.path.join(tmp, "body.json")
            with open(body_file, "wb") as f:
                f.write(body)
            path = "/api/external/v1/report/" + job
            script = os.path.join(tmp, "poll.lua")
            with open(script, "w") as f:
                f.write(LUA % (", ".join(json.dumps(k) for k in keys), path))
            ref = subprocess.Popen([ref_bin, "0", body_file, str(HTTP_THREADS)],
                                   stdout=subprocess.PIPE, text=True)
            try:
                ref_port = ref_port_of(ref)
                for _ in range(ROUNDS):
                    results["reference"].append(wrk(ref_port, script))
                    results["raportai"].append(wrk(port, script))
            finally:
                ref.terminate()
                ref.wait(10)
        finally:
            srv.terminate()
            srv.wait(30)
            log.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, len(body))


def ref_port_of(proc):
    """The port poll_ref picked, from the line it prints when listening."""
    m = re.match(r"listening on (\d+)", proc.stdout.readline())
    if m is None or m.group(1) == "0":
        raise SystemExit("the reference server did not start")
    return int(m.group(1))


def report(results, body_len):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    print("poll benchmark: %s, %d cores, commit %s, %s; wrk %d threads, %d connections, "
          "%d s, %d keys; reply %d bytes" % (platform.machine(), os.cpu_count(), commit,
                                             time.strftime("%Y-%m-%d"), WRK_THREADS,
                                             CONNECTIONS, DURATION_S, KEYS, body_len))
    best = {}
    for name, runs in results.items():
        for rate, mean, p50, p99, bad, errors in runs:
            if bad:
                raise SystemExit("%s answered %d requests with another status than 200"
                                 % (name, bad))
        best[name] = max(runs)
        rate, mean, p50, p99, _, errors = best[name]
        print("  %-28s %9.0f req/s  mean %6.2f ms  p50 %6.2f ms  p99 %6.2f ms%s" % (
            name if name != "reference" else "bare libmicrohttpd (ref)", rate, mean, p50, p99,
            "  (%d socket errors)" % errors if errors else ""))
    print("  authenticated polls / reference: %.2fx" % (
        best["raportai"][0] / best["reference"][0]))


if __name__ == "__main__":
    main()

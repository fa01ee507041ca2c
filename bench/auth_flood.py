"""Benchmark: does a flood of bad API keys slow a good key?

Starts build/raportai (the optimised build) on a loopback port and measures
the latency of requests with a valid key three ways: alone; while other
connections flood the server with malformed and unknown keys; and, as the
reference, while the same number of connections send valid requests with
another organization's key. The flood client runs on the same cores as the
server, so some slowdown is plain CPU sharing: the reference shows how much.
A bad-key flood should cost no more than a valid one. Everything is measured
in the same run, so the ratios hold on any machine. Bounded: a fixed number
of requests and a time cap.

    python3 bench/auth_flood.py [BINARY]
"""

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from common import percentile, timed_requests  # noqa: E402

GOOD_REQUESTS = 400
FLOOD_THREADS = 4
FLOOD_CAP_S = 60


def flood(srv, keys, stop, counter):
    i = 0
    while not stop.is_set():
        srv.get("/api/external/v1/templates", key=keys[i % len(keys)])
        counter[0] += 1
        i += 1


def under_flood(srv, key, flood_keys):
    """Good-key latencies while FLOOD_THREADS connections send flood_keys;
    returns (latencies, flood requests per second)."""
    stop, counter = threading.Event(), [0]
    threads = [threading.Thread(target=flood, args=(srv, flood_keys, stop, counter))
               for _ in range(FLOOD_THREADS)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    try:
        latencies = timed_requests(srv, key, GOOD_REQUESTS)
    finally:
        stop.set()
        for t in threads:
            t.join(FLOOD_CAP_S)
    return latencies, counter[0] / (time.monotonic() - t0)


def main():
    harness.BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/raportai"
    data = tempfile.mkdtemp(prefix="raportai-bench-")
    bad_keys = ["rapi_short", harness.fake_key(), "rapi_" + "x" * 38, "' OR 1=1 --"]
    try:
        _, _, key = harness.make_org_with_key(data)
        _, _, other_key = harness.make_org_with_key(data, name="Reference load")
        with harness.Server(data, ["--rate-limit", "100000"]) as srv:
            timed_requests(srv, key, 50)  # warm-up
            alone = timed_requests(srv, key, GOOD_REQUESTS)
            bad, bad_rate = under_flood(srv, key, bad_keys)
            valid, valid_rate = under_flood(srv, key, [other_key])
    finally:
        shutil.rmtree(data, ignore_errors=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print("auth flood benchmark: %s, %d cores, commit %s, %s" % (
        platform.machine(), os.cpu_count(), commit, time.strftime("%Y-%m-%d")))
    rows = [("alone", alone, None), ("bad-key flood", bad, bad_rate),
            ("valid-key flood (reference)", valid, valid_rate)]
    for name, lat, rate in rows:
        print("  %-28s p50 %6.2f ms  p95 %6.2f ms%s" % (
            name, percentile(lat, .5), percentile(lat, .95),
            "  (flood %.0f req/s)" % rate if rate else ""))
    print("  good-key p50 under bad-key flood / under valid flood: %.2fx" % (
        percentile(bad, .5) / percentile(valid, .5)))
    print("  good-key p50 under bad-key flood / alone:             %.2fx" % (
        percentile(bad, .5) / percentile(alone, .5)))


if __name__ == "__main__":
    main()

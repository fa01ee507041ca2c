"""Benchmark: does a flood of sign-ins slow the External API?

Starts build/raportai (the optimised build) on a loopback port and measures
the latency of External API requests (GET /api/external/v1/templates with a
valid key, from 127.0.0.1) four ways: alone; while FLOOD_CONNECTIONS
connections post sign-ins with random e-mails and a wrong password from one
other address (which the per-address limit soon locks); the same from
FLOOD_CONNECTIONS
addresses (127.0.1.x, so every attempt passes the limits and costs an
argon2id hash, and the hashing queue overflows into 429s); and, as the
reference, while the same number of connections flood GET /healthz, which
costs next to nothing. The flood clients run on the same cores as the
server, so some slowdown is plain CPU sharing: the reference shows how
much. Everything is measured in the same run, so the ratios hold on any
machine. Bounded: a fixed number of requests and a time cap.

    python3 bench/signin_flood.py [BINARY]
"""

import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from common import percentile, timed_requests, under_flood  # noqa: E402

GOOD_REQUESTS = 300
FLOOD_CONNECTIONS = 40
FLOOD_CAP_S = 60


def sign_ins(srv, source, stop, counts, lock):
    """Posts sign-ins with random e-mails from source until stop is set."""
    deadline = time.monotonic() + FLOOD_CAP_S
    while not stop.is_set() and time.monotonic() < deadline:
        body = '{"path":"user","email":"flood-%08x@example.org","password":"not it"}' % (
            random.getrandbits(32))
        try:
            reply = srv.request("POST", "/api/v1/auth/login",
                                {"Content-Type": "application/json"}, body.encode(),
                                source=source)
            answer = (reply.status, reply.error_code() if reply.status >= 400 else "OK")
        except OSError as e:
            answer = (0, type(e).__name__)
        with lock:
            counts[answer] = counts.get(answer, 0) + 1


def health(srv, source, stop, counts, lock):
    deadline = time.monotonic() + FLOOD_CAP_S
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            answer = (srv.request("GET", "/healthz", source=source).status, "")
        except OSError as e:
            answer = (0, type(e).__name__)
        with lock:
            counts[answer] = counts.get(answer, 0) + 1


def main():
    harness.BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/raportai"
    data = tempfile.mkdtemp(prefix="raportai-bench-")
    one = ["127.0.2.1"] * FLOOD_CONNECTIONS  # not the good client's 127.0.0.1
    many = ["127.0.1.%d" % (i + 1) for i in range(FLOOD_CONNECTIONS)]
    try:
        _, _, key = harness.make_org_with_key(data)
        with harness.Server(data, ["--rate-limit", "100000"]) as srv:
            timed_requests(srv, key, 50)  # warm-up
            alone = timed_requests(srv, key, GOOD_REQUESTS)
            reference = under_flood(srv, key, health, many, GOOD_REQUESTS, FLOOD_CAP_S)
            single = under_flood(srv, key, sign_ins, one, GOOD_REQUESTS, FLOOD_CAP_S)
            spread = under_flood(srv, key, sign_ins, many, GOOD_REQUESTS, FLOOD_CAP_S)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print("sign-in flood benchmark: %s, %d cores, commit %s, %s, %d flood connections" % (
        platform.machine(), os.cpu_count(), commit, time.strftime("%Y-%m-%d"),
        FLOOD_CONNECTIONS))
    rows = [("alone", alone, None, None),
            ("/healthz flood (reference)", *reference),
            ("sign-in flood, one address", *single),
            ("sign-in flood, 40 addresses", *spread)]
    for name, lat, rate, counts in rows:
        print("  %-30s p50 %7.2f ms  p95 %7.2f ms%s" % (
            name, percentile(lat, .5), percentile(lat, .95),
            "  (flood %.0f req/s)" % rate if rate else ""))
        if counts and (name.startswith("sign-in") or (0, "") in counts):
            print("  %-30s flood answers: %s" % ("", ", ".join(
                "%d %s: %d" % (s, c, n) for (s, c), n in sorted(counts.items()))))
    for name, lat, _, _ in rows[2:]:
        print("  External API p95 under %s / alone: %.2fx, / under the reference flood: %.2fx"
              % (name[len("sign-in flood, "):], percentile(lat, .95) / percentile(alone, .95),
                 percentile(lat, .95) / percentile(reference[0], .95)))


if __name__ == "__main__":
    main()

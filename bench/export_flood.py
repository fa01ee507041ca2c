"""Benchmark: does a flood of PDF exports slow the External API?

Starts build/raportai (the optimised build) on a loopback port and measures
the latency of External API requests (GET /api/external/v1/templates with a
valid key) three ways: alone; as the reference, while FLOOD_CONNECTIONS
connections flood GET /healthz, which costs next to nothing; and while the
same number of connections ask the web app for PDF exports of a long saved
report (several pages: cairo and pango lay each one out). Exports render on
the rendering pool (--render-threads, --render-queue), so the flood gets its
files or an immediate 503 with Retry-After, and the External API should see
no more than the CPU sharing the reference shows. The flood clients run on
the same cores as the server; everything is measured in the same run, so
the ratios hold on any machine. Bounded: a fixed number of requests and a
time cap.

    python3 bench/export_flood.py [BINARY]
"""

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from common import percentile, timed_requests, under_flood  # noqa: E402
from web_helpers import COOKIE, WebClient, make_user  # noqa: E402

GOOD_REQUESTS = 300
FLOOD_CONNECTIONS = 20
FLOOD_CAP_S = 120
PARAGRAPH = ("Beyin parankimi normal görünümde olup, gri-beyaz cevher ayrımı korunmuştur. "
             "Ventriküler sistem ve sulkuslar yaşla uyumlu genişliktedir. ")


def flood_worker(request):
    def run(srv, source, stop, counts, lock):
        deadline = time.monotonic() + FLOOD_CAP_S
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                reply = request(source)
                answer = (reply.status, reply.error_code() if reply.status >= 400 else "")
            except OSError as e:
                answer = (0, type(e).__name__)
            with lock:
                counts[answer] = counts.get(answer, 0) + 1
    return run


def long_report(srv, data, org):
    """A signed-in radiologist and a saved report of several PDF pages:
    (client, export path)."""
    email = "exporter@example.org"
    make_user(data, "radiologist", email, org, name="Dr. Ayşe Öztürk")
    c = WebClient(srv)
    c.must_login("corporate", email)
    sections = {k: "" for k in ("clinical", "technique", "comparison", "findings",
                                "conclusion", "impression")}
    sections["findings"] = "\n".join(PARAGRAPH * 3 for _ in range(40))
    sections["conclusion"] = PARAGRAPH
    reply = c.post("/api/v1/reports", {
        "sutCode": "803910", "examName": "Beyin BT", "modality": "CT",
        "patientName": "Ayşe Şahin", "patientId": "TC-12345678901",
        "accessionNo": "ACC-BENCH-1", "language": "tr", "sections": sections})
    if reply.status != 201:
        raise AssertionError("report: %d %s" % (reply.status, reply.body[:200]))
    return c, "/api/v1/reports/%s/export?format=pdf" % reply.json()["id"]


def main():
    harness.BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/raportai"
    data = tempfile.mkdtemp(prefix="raportai-bench-")
    try:
        org, _, key = harness.make_org_with_key(data)
        with harness.Server(data, ["--rate-limit", "100000"]) as srv:
            c, export = long_report(srv, data, org)
            first = c.get(export)
            pages = first.body.count(b"/Type /Page\n") or first.body.count(b"/Type /Page")
            cookie = {"Cookie": "%s=%s" % (COOKIE, c.token)}
            timed_requests(srv, key, 50)  # warm-up
            alone = timed_requests(srv, key, GOOD_REQUESTS)
            sources = ["127.0.1.%d" % (i + 1) for i in range(FLOOD_CONNECTIONS)]
            reference = under_flood(srv, key, flood_worker(
                lambda source: srv.request("GET", "/healthz", source=source)), sources,
                GOOD_REQUESTS, FLOOD_CAP_S)
            exports = under_flood(srv, key, flood_worker(
                lambda source: srv.request("GET", export, cookie, source=source)), sources,
                GOOD_REQUESTS, FLOOD_CAP_S)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print("export flood benchmark: %s, %s, %d cores, commit %s, %s, %d flood connections, "
          "a PDF of %d bytes (%s pages)" % (
              harness.BINARY, platform.machine(), os.cpu_count(), commit, time.strftime("%Y-%m-%d"),
              FLOOD_CONNECTIONS, len(first.body), pages or "?"))
    rows = [("alone", alone, None, None),
            ("/healthz flood (reference)", *reference),
            ("PDF export flood", *exports)]
    for name, lat, rate, counts in rows:
        print("  %-28s p50 %7.2f ms  p95 %7.2f ms%s" % (
            name, percentile(lat, .5), percentile(lat, .95),
            "  (flood %.0f req/s)" % rate if rate else ""))
        if counts:
            print("  %-28s flood answers: %s" % ("", ", ".join(
                "%d %s: %d" % (s, c, n) for (s, c), n in sorted(counts.items()))))
    lat = exports[0]
    print("  External API p95 under the export flood / alone: %.2fx, / under the reference "
          "flood: %.2fx" % (percentile(lat, .95) / percentile(alone, .95),
                            percentile(lat, .95) / percentile(reference[0], .95)))


if __name__ == "__main__":
    main()

"""Audio probing and document rendering off the HTTP threads (issue 11):
a submission's FFmpeg probe runs on the probing pool and an export on the
rendering pool while the request waits suspended; when a pool's queue is
full the answer is at once 503 UNAVAILABLE with Retry-After, and nothing is
created, charged or left in uploads/.

The server runs with one thread and no queue per pool. A test holds the one
thread without timing through the server's test gate
(RAPORTAI_TEST_POOL_GATE): a pool thread about to work opens the FIFO named
after its pool and reads it to its end, so once the test's open for writing
succeeds the thread is taken, and closing it lets the work go on. That a
second request is answered while the first is held shows that it did not
wait for the pool. Every wait is bounded."""

import errno
import os
import shutil
import subprocess
import tempfile
import threading
import time

from harness import (BINARY, REPO, SANITIZER_MARKS, DataDirTest, SharedDataDirTest,
                     make_org_with_key, sanitizer_env)
from jobs_helpers import (PACS, REPORT, SERVER_ARGS, AudioFactory, encode_multipart, file_part,
                          files_in, post_form, report_fields, ro_query, pacs_fields, snapshot,
                          wait_for)
from web_helpers import WebClient, make_org, make_user

V1 = "/api/v1"
HOLD_TIMEOUT_S = 60
POOLS = ["--probe-threads", "1", "--probe-queue", "0",
         "--render-threads", "1", "--render-queue", "0"]
SECTIONS = {"clinical": "Baş ağrısı.", "technique": "Kontrastsız BT.", "comparison": "",
            "findings": "Beyin parankimi normal.", "conclusion": "Normal beyin BT.",
            "impression": ""}


class Held:
    """Runs request() on a thread while the pool thread it reaches is held
    at the gate FIFO named pool; release() lets it finish and returns its
    reply."""

    def __init__(self, test, gate_dir, pool, request):
        self.test = test
        self.fifo = os.path.join(gate_dir, pool)
        os.mkfifo(self.fifo, 0o600)
        self.reply = {}
        self.thread = threading.Thread(target=self._run, args=(request,), daemon=True)
        self.thread.start()
        self.fd = None
        deadline = time.monotonic() + HOLD_TIMEOUT_S
        while self.fd is None:
            try:
                self.fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno != errno.ENXIO:  # ENXIO: no reader yet
                    raise
                if time.monotonic() > deadline or not self.thread.is_alive():
                    os.unlink(self.fifo)
                    test.fail("the request did not reach the %s pool: %r" % (pool, self.reply))
                time.sleep(0.02)

    def _run(self, request):
        try:
            self.reply["reply"] = request()
        except Exception as e:  # reported by release()
            self.reply["error"] = e

    def release(self):
        os.unlink(self.fifo)  # later work passes the gate
        os.close(self.fd)     # the held thread reads to the end and goes on
        self.thread.join(HOLD_TIMEOUT_S)
        self.test.assertFalse(self.thread.is_alive(), "the held request did not finish")
        self.test.assertNotIn("error", self.reply)
        return self.reply["reply"]


def when_free(test, request):
    """request()'s reply once the pool takes it: the client may see the held
    request's answer a moment before the pool thread that resumed it is
    idle again, and with no queue a request meanwhile is refused (which
    changes nothing). Bounded."""
    return wait_for(test, "the pool's thread free again",
                    lambda: (lambda r: r if r.status != 503 else None)(request()), 10, 0.05)


class WorkPools(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gate = tempfile.mkdtemp(prefix="raportai-gate-")
        cls.addClassCleanup(shutil.rmtree, cls.gate, ignore_errors=True)
        cls.audio = AudioFactory()
        cls.addClassCleanup(cls.audio.cleanup)
        cls.srv = cls.start_server(SERVER_ARGS + POOLS, {"RAPORTAI_TEST_POOL_GATE": cls.gate})

    def assertBusy(self, reply, credits=None):
        self.assertEqual(reply.status, 503, reply.body)
        self.assertEqual(reply.headers.get("retry-after"), "5")
        body = reply.json()
        self.assertEqual(body["error"]["code"], "UNAVAILABLE")
        self.assertIn("Retry-After", body["error"]["message"])
        if credits is not None:
            self.assertEqual(body["remainingCredits"], credits)

    def web_client(self, credits=10):
        org = make_org(self.data, "Klinik %s" % os.urandom(3).hex(), credits)
        email = "radiologist-%s@example.org" % os.urandom(4).hex()
        make_user(self.data, "radiologist", email, org, name="Dr. Ayşe Öztürk")
        c = WebClient(self.srv)
        c.must_login("corporate", email)
        return c, org

    def test_a_full_probing_queue_refuses_submissions_at_once_and_changes_nothing(self):
        org, _, key = make_org_with_key(self.data, credits=10, name="Probe Klinik")
        web, web_org = self.web_client()
        first, second = self.audio.tone_wav(2, 440), self.audio.tone_wav(2, 550)
        before_web = snapshot(self.data, web_org)
        held = Held(self, self.gate, "probe",
                    lambda: post_form(self.srv, REPORT, report_fields(first), key=key))
        try:
            # The held upload is in uploads/ while its probe waits.
            held_state = snapshot(self.data, org)
            self.assertEqual(len(held_state["upload files"]), 1)
            self.assertEqual(held_state["jobs"], 0)
            refused = [
                post_form(self.srv, REPORT, report_fields(second), key=key),
                post_form(self.srv, PACS, pacs_fields(file_part(second), {
                    "exams": [{"sutCode": "803910"}], "inputLang": "en", "outputLang": "en"}),
                    key=key),
            ]
            for reply in refused:
                self.assertBusy(reply, credits=10)
            body, ctype = encode_multipart([("audio", file_part(second)),
                                            ("sutCode", "803910"), ("inputLang", "en"),
                                            ("outputLang", "en")])
            web_reply = web.request("POST", V1 + "/jobs", raw=body,
                                    headers={"Content-Type": ctype})
            self.assertBusy(web_reply, credits=10)
            # Nothing created or charged; the refused uploads' files are gone.
            wait_for(self, "the refused uploads' files deleted",
                     lambda: snapshot(self.data, org) == held_state, 10)
            self.assertEqual(dict(snapshot(self.data, web_org), **{"upload files": []}),
                             dict(before_web, **{"upload files": []}))
        finally:
            accepted = held.release()
        self.assertEqual(accepted.status, 202, accepted.body)
        job = accepted.json()["jobId"]
        self.assertEqual(accepted.json()["remainingCredits"], 9)
        wait_for(self, "uploads/ empty", lambda: files_in(self.data, "uploads") == [], 10)
        self.assertEqual(ro_query(self.data, "SELECT id FROM jobs WHERE org_id = ?", (org,)),
                         [(job,)])
        self.assertEqual(ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE org_id = ?",
                                  (web_org,)), [(0,)])
        # With the thread free again, the refused submission goes through.
        again = when_free(self, lambda: post_form(self.srv, REPORT, report_fields(second),
                                                  key=key))
        self.assertEqual(again.status, 202, again.body)

    def test_a_full_rendering_queue_refuses_an_export_at_once(self):
        c, _ = self.web_client()
        reply = c.post(V1 + "/reports", {
            "sutCode": "803910", "examName": "Beyin BT", "modality": "CT",
            "patientName": "Ayşe Şahin", "patientId": "TC-12345678901",
            "accessionNo": "ACC-POOL-1", "language": "tr", "sections": SECTIONS})
        self.assertEqual(reply.status, 201, reply.body)
        rid = reply.json()["id"]
        export = V1 + "/reports/%s/export?format=" % rid
        revisions = ro_query(self.data, "SELECT COUNT(*) FROM report_revisions")
        held = Held(self, self.gate, "render", lambda: c.get(export + "pdf"))
        try:
            for fmt in ("txt", "rtf", "docx", "pdf"):
                self.assertBusy(c.get(export + fmt))
            self.assertEqual(ro_query(self.data, "SELECT COUNT(*) FROM report_revisions"),
                             revisions)
        finally:
            pdf = held.release()
        self.assertEqual(pdf.status, 200, pdf.body)
        self.assertEqual(pdf.headers["content-type"], "application/pdf")
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        self.assertEqual(pdf.headers["content-disposition"],
                         'attachment; filename="report-ACC-POOL-1.pdf"')
        txt = when_free(self, lambda: c.get(export + "txt"))
        self.assertEqual(txt.status, 200, txt.body)
        self.assertIn("Beyin parankimi normal.", txt.body.decode("utf-8"))
        # A failure to render still answers as before, from the pool.
        self.assertEqual(c.get(export + "odt").status, 400)


class PoolOptions(DataDirTest):

    def test_pool_sizes_out_of_range_are_refused_at_start(self):
        cases = [("--probe-threads", "0", "1 to 16"), ("--probe-threads", "17", "1 to 16"),
                 ("--probe-queue", "-1", "0 to 10000"), ("--probe-queue", "x", "0 to 10000"),
                 ("--render-threads", "0", "1 to 16"), ("--render-queue", "10001", "0 to 10000")]
        for flag, value, bounds in cases:
            with self.subTest(flag=flag, value=value):
                cmd = [BINARY, "serve", "--share", REPO, "--data", self.data,
                       "--listen", "127.0.0.1:0", flag, value]
                p = subprocess.run(cmd, capture_output=True, timeout=30, env=sanitizer_env(),
                                   stdin=subprocess.DEVNULL)
                err = p.stderr.decode("utf-8", "replace")
                self.assertEqual(p.returncode, 2, err)
                self.assertIn("%s must be a whole number from %s" % (flag, bounds), err)
                for mark in SANITIZER_MARKS:
                    self.assertNotIn(mark, err)
        self.assertFalse(os.path.exists(os.path.join(self.data, "raportai.db")))


if __name__ == "__main__":
    import unittest
    unittest.main()

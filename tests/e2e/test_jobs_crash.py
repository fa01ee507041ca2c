"""Crash safety: the server is killed (SIGKILL) while a job is being
processed and another waits behind it; after a restart on the same data
directory both finish exactly once (one reservation, one consumption), and
their callbacks are delivered. A job whose attempts run out (here: one
attempt, killed) ends failed with its credit released. Text jobs submitted
by several clients at once, created, claimed and finished several to a
transaction (group commit), are killed in full flow and recover the same
way."""

import http.client
import json
import subprocess
import threading
import time
import unittest

from harness import DataDirTest, Server, make_org_with_key
from jobs_helpers import (BRAIN_DICTATION, REPORT, AudioFactory, CallbackReceiver,
                          balance, file_part, files_in, ledger, post_form, report_fields,
                          ro_query, signature_ok, wait_for, wait_job)

ARGS = ["--workers", "1", "--job-lease", "3", "--rate-limit", "100000"]
ENV = {"RAPORTAI_ALLOW_HTTP_CALLBACKS": "1"}
LONG_AUDIO_S = 90        # about 10 s of processing under ASan on 2 cores
RESTART_TIMEOUT_S = 300   # the long job runs again from the start, under ASan
TEXT_JOBS = 240           # submitted at most, by TEXT_CLIENTS clients
TEXT_CLIENTS = 8
CALLBACK_HOLD_S = 120     # a delivery in flight when the server died waits this long (runner.c)
TEXT_TRANSCRIPT = ("Findings: no acute intracranial hemorrhage. The ventricles are normal. "
                   "Impression: normal CT of the head.")


def audio_seconds(path):
    out = subprocess.run(["soxi", "-D", path], capture_output=True, text=True, timeout=30)
    return float(out.stdout.strip())


class KillMidJob(DataDirTest):
    """A fresh data directory per test; the audio is made once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.audio = AudioFactory()
        cls.addClassCleanup(cls.audio.cleanup)

    def server(self, extra=(), args=ARGS):
        srv = Server(self.data, list(args) + list(extra), ENV)
        srv.start()
        self.addCleanup(self.reap, srv)
        return srv

    @staticmethod
    def reap(srv):
        srv.kill()
        srv._log_thread.join(5)
        srv.proc.stderr.close()

    def status(self, job_id):
        return ro_query(self.data, "SELECT status, attempts FROM jobs WHERE id = ?", (job_id,))[0]

    def test_kill_9_mid_job_then_restart(self):
        rx = CallbackReceiver()
        self.addCleanup(rx.close)
        org, _, key = make_org_with_key(self.data, credits=5)
        long_wav = self.audio.long_speech(LONG_AUDIO_S)
        self.assertGreater(audio_seconds(long_wav), LONG_AUDIO_S * 0.7)
        short_wav = self.audio.speech(BRAIN_DICTATION)

        srv = self.server()
        first = post_form(srv, REPORT, report_fields(
            file_part(long_wav), accessionNo="LONG-1", callbackUrl=rx.url("/long")), key)
        self.assertEqual(first.status, 202, first.body)
        first = first.json()
        second = post_form(srv, REPORT, report_fields(
            file_part(short_wav), accessionNo="SHORT-1", callbackUrl=rx.url("/short")), key)
        self.assertEqual(second.status, 202, second.body)
        second = second.json()
        self.assertEqual(second["remainingCredits"], 3)
        # The estimate comes from the queue ahead: the second job waits for
        # the first on the only worker.
        self.assertGreater(second["estimatedSeconds"], first["estimatedSeconds"])

        wait_job(self, srv, key, first["pollUrl"], timeout=30, until=("processing",))
        time.sleep(1.5)
        self.assertEqual(self.status(first["jobId"]), ("processing", 1),
                         "the long job must still be running when the server is killed; "
                         "make LONG_AUDIO_S longer")
        self.assertEqual(self.status(second["jobId"]), ("pending", 0))
        # Reserved credits count as spent while a job runs or waits.
        self.assertEqual(balance(self, srv, key), 3)
        srv.proc.kill()   # SIGKILL: no clean-up of any kind
        self.assertEqual(srv.proc.wait(15), -9)
        self.assertEqual(ledger(self.data, first["jobId"]),
                         [("reserve: job " + first["jobId"], -1)])
        self.assertEqual(rx.deliveries(), [])

        srv = self.server()
        for job in (first, second):
            done = wait_job(self, srv, key, job["pollUrl"], timeout=RESTART_TIMEOUT_S)
            with self.subTest(job=job["jobId"]):
                self.assertEqual(done["status"], "completed", done)
                self.assertEqual(done["creditsUsed"], 1)
                self.assertTrue(done["transcript"])
                # Exactly once: one reservation and one consumption.
                self.assertEqual(ledger(self.data, job["jobId"]),
                                 [("reserve: job " + job["jobId"], -1),
                                  ("consume 1: job " + job["jobId"], 0)])
        self.assertEqual(self.status(first["jobId"]), ("completed", 2))
        self.assertEqual(self.status(second["jobId"]), ("completed", 1))
        self.assertIsNotNone(srv.wait_log(r"job %s attempt 2 started" % first["jobId"], 0))
        self.assertEqual(balance(self, srv, key), 3)
        wait_for(self, "audio removed", lambda: files_in(self.data, "audio") == [], 10)

        for path, job in (("/long", first), ("/short", second)):
            with self.subTest(callback=path):
                got = wait_for(self, "callback to " + path,
                               lambda: rx.deliveries(path) or None, 30)
                bodies = set()
                for d in got:
                    h = d["headers"]
                    self.assertTrue(signature_ok(job["hmacSecret"], h["x-raportai-timestamp"],
                                                 d["body"], h["x-raportai-signature"]))
                    sent = json.loads(d["body"])
                    sent.pop("callback", None)
                    bodies.add(json.dumps(sent, sort_keys=True))
                    self.assertEqual(sent["jobId"], job["jobId"])
                    self.assertEqual(sent["status"], "completed")
                self.assertEqual(len(bodies), 1, "deliveries differ: %s" % bodies)
        srv.stop()

    def test_a_job_out_of_attempts_fails_and_releases_its_credit(self):
        rx = CallbackReceiver()
        self.addCleanup(rx.close)
        org, _, key = make_org_with_key(self.data, credits=2)
        wav = self.audio.variant(self.audio.long_speech(LONG_AUDIO_S), 1)
        srv = self.server(["--job-attempts", "1"])
        job = post_form(srv, REPORT, report_fields(
            file_part(wav), accessionNo="ONCE-1", callbackUrl=rx.url("/once")), key)
        self.assertEqual(job.status, 202, job.body)
        job = job.json()
        wait_job(self, srv, key, job["pollUrl"], timeout=30, until=("processing",))
        time.sleep(1)
        self.assertEqual(self.status(job["jobId"]), ("processing", 1))
        srv.proc.kill()
        srv.proc.wait(15)

        srv = self.server(["--job-attempts", "1"])
        done = wait_job(self, srv, key, job["pollUrl"], timeout=60)
        self.assertEqual(done["status"], "failed", done)
        self.assertEqual(done["error"]["code"], "PROCESSING_FAILED")
        self.assertTrue(done["error"]["message"])
        self.assertEqual(done["creditsUsed"], 0)
        self.assertEqual(done["remainingCredits"], 2)
        self.assertEqual(self.status(job["jobId"]), ("failed", 1))
        self.assertEqual(ledger(self.data, job["jobId"]),
                         [("reserve: job " + job["jobId"], -1),
                          ("release: job " + job["jobId"], 1)])
        sent = wait_for(self, "callback of the failed job", lambda: rx.deliveries("/once"), 30)
        self.assertEqual(json.loads(sent[0]["body"])["status"], "failed")
        # Its audio is not left behind in the data directory.
        wait_for(self, "audio removed", lambda: files_in(self.data, "audio") == [], 10)
        srv.stop()


    def test_kill_9_while_text_jobs_are_created_and_finished_together(self):
        rx = CallbackReceiver()
        self.addCleanup(rx.close)
        org, _, key = make_org_with_key(self.data, credits=TEXT_JOBS)
        args = ["--workers", "2", "--job-lease", "3", "--rate-limit", "100000"]
        srv = self.server(args=args)
        accepted, lock, left = [], threading.Lock(), [TEXT_JOBS]

        def client():
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                try:
                    reply = post_form(srv, REPORT, report_fields(
                        None, transcript=TEXT_TRANSCRIPT, callbackUrl=rx.url("/text")), key,
                        timeout=30)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone: this one may or may not have been kept
                if reply.status != 202:
                    return
                with lock:
                    accepted.append(reply.json()["jobId"])

        threads = [threading.Thread(target=client) for _ in range(TEXT_CLIENTS)]
        for t in threads:
            t.start()
        wait_for(self, "half the jobs accepted", lambda: len(accepted) >= TEXT_JOBS // 2, 120,
                 interval=0.01)
        srv.proc.kill()   # SIGKILL, while jobs are being submitted, claimed and finished
        self.assertEqual(srv.proc.wait(15), -9)
        for t in threads:
            t.join(60)
        finished_before = ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE status"
                                              " IN ('completed', 'failed')")[0][0]
        self.assertLess(finished_before, TEXT_JOBS, "killed before every job was in")

        srv = self.server(args=args)
        wait_for(self, "every job kept finished", lambda: ro_query(
            self.data, "SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'processing')"
        )[0][0] == 0, 120)
        jobs = dict(ro_query(self.data, "SELECT id, status FROM jobs"))
        # Nothing accepted is lost; a job kept whose answer the kill cut off
        # counts like the others.
        self.assertTrue(set(accepted) <= set(jobs), "an accepted job was lost")
        for job_id, status in jobs.items():
            with self.subTest(job=job_id):
                self.assertEqual(status, "completed")
                self.assertEqual(ledger(self.data, job_id),
                                 [("reserve: job " + job_id, -1),
                                  ("consume 1: job " + job_id, 0)])
        self.assertEqual(balance(self, srv, key), TEXT_JOBS - len(jobs),
                         "one credit per job kept, charged once")

        def called_back():
            sent = {json.loads(d["body"])["jobId"] for d in rx.deliveries("/text")}
            return sent if sent >= set(jobs) else None
        # A delivery the kill cut short is held for 2 minutes (the dispatcher's
        # hold, counted against the organization's deliveries in flight)
        # before it is tried again.
        wait_for(self, "a callback of every job", called_back, CALLBACK_HOLD_S + 60)
        srv.stop()


if __name__ == "__main__":
    unittest.main()

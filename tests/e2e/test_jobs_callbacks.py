"""Callbacks end to end, with the development switch
RAPORTAI_ALLOW_HTTP_CALLBACKS=1 so that a receiver on 127.0.0.1 can take
them: the signature rule (lowercase hex HMAC-SHA256 with the job's
hmacSecret over timestamp + "." + body), the body (the poll response), a
failed job's callback, retries (the first within seconds, each sending the
same bytes: the result kept when the job finished), a receiver that always
fails, and redirects that are never followed. Without the switch,
http:// URLs are refused at submission (see test_jobs_errors.py)."""

import datetime
import json
import time
import unittest

from harness import admin_ok, db_exec
from jobs_helpers import (ISO_RE, PACS, REPORT, TEXT_TIMEOUT_S, CallbackReceiver, JobsTest,
                          pacs_fields, post_form, report_fields, ro_query, signature_ok,
                          wait_for)

DELIVERY_TIMEOUT_S = 30


class Callbacks(JobsTest):

    env = {"RAPORTAI_ALLOW_HTTP_CALLBACKS": "1"}

    def receiver(self, statuses=(200,), location=None):
        r = CallbackReceiver(statuses, location)
        self.addCleanup(r.close)
        return r

    def deliveries(self, receiver, n, path=None, timeout=DELIVERY_TIMEOUT_S):
        return wait_for(self, "%d callback deliveries" % n,
                        lambda: (lambda d: d if len(d) >= n else None)(receiver.deliveries(path)),
                        timeout)

    def callback_state(self, key, poll_url, predicate, timeout=10):
        """The poll response's callback object once predicate(callback) holds."""
        def look():
            body = self.srv.get(poll_url, key=key).json()
            cb = body.get("callback")
            return cb if cb is not None and predicate(cb) else None
        return wait_for(self, "callback state at %s" % poll_url, look, timeout)

    def check_signed(self, delivery, secret):
        """The documented headers and signature; returns the parsed body."""
        h = delivery["headers"]
        self.assertEqual(delivery["method"], "POST")
        self.assertTrue(h.get("content-type", "").startswith("application/json"), h)
        stamp, signature = h.get("x-raportai-timestamp"), h.get("x-raportai-signature")
        self.assertIsNotNone(stamp, h)
        self.assertIsNotNone(signature, h)
        self.assertRegex(stamp, ISO_RE)
        sent = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - sent).total_seconds()), 120, stamp)
        self.assertRegex(signature, r"^[0-9a-f]{64}$")
        body = delivery["body"]
        self.assertTrue(signature_ok(secret, stamp, body, signature),
                        "signature %s does not verify" % signature)
        # The check itself can fail: a changed body, timestamp or secret does not verify.
        self.assertFalse(signature_ok(secret, stamp, body + b" ", signature))
        self.assertFalse(signature_ok(secret, stamp + "0", body, signature))
        self.assertFalse(signature_ok(secret[::-1], stamp, body, signature))
        return json.loads(body.decode("utf-8"))

    def test_startup_warns_of_development_mode(self):
        line = self.srv.wait_log(r"DEVELOPMENT MODE", timeout=0)
        self.assertIsNotNone(line, "\n".join(self.srv.log_lines))
        self.assertIn("RAPORTAI_ALLOW_HTTP_CALLBACKS", line)

    def test_signed_callback_is_the_poll_response(self):
        org, key = self.new_org(credits=3)
        rx = self.receiver()
        url = rx.url("/hbys/raportai/callback?source=raportai")
        job = self.accepted(self.submit(key, report_fields(
            None, transcript="findings colon no acute hemorrhage period impression colon normal "
                             "period", accessionNo="ACC-CB-1", patientId="P-1",
            callbackUrl=url)), 3)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        first = self.deliveries(rx, 1)[0]
        self.assertEqual(first["path"], "/hbys/raportai/callback?source=raportai")
        sent = self.check_signed(first, job["hmacSecret"])
        cb = self.callback_state(key, job["pollUrl"], lambda c: c["status"] == "delivered")
        self.assertEqual(cb["attempts"], 1)
        self.assertEqual(cb["lastHttpStatus"], 200)
        self.assertRegex(cb["deliveredAt"], ISO_RE)
        self.assertRegex(cb["lastAttemptAt"], ISO_RE)
        # The body is the completed poll response without the callback's
        # own state, which moves on as it is delivered.
        self.assertNotIn("callback", sent)
        polled = self.srv.get(job["pollUrl"], key=key).json()
        self.assertEqual(sent, {k: v for k, v in polled.items() if k != "callback"})
        self.assertEqual(sent["jobId"], job["jobId"])
        self.assertEqual(sent["status"], "completed")
        self.assertEqual(sent["creditsUsed"], 1)
        self.assertEqual(sent["remainingCredits"], 2)
        self.assertEqual(sent["accessionNo"], "ACC-CB-1")
        self.assertTrue(sent["reportText"])
        # Delivered once: no further attempt.
        time.sleep(1.5)
        self.assertEqual(len(rx.deliveries()), 1)
        self.assertEqual(ro_query(self.data, "SELECT attempt, http_status FROM callback_attempts"
                                  " WHERE job_id = ?", (job["jobId"],)), [(1, 200)])
        self.assertNotIn(url, "\n".join(self.srv.log_lines))

    def test_pacs_callback(self):
        org, key = self.new_org(credits=2)
        rx = self.receiver([204])
        metadata = {"patientUid": "1.2.3.4", "callbackUrl": rx.url("/pacs"), "inputLang": "en",
                    "outputLang": "en",
                    "exams": [{"accessionNumber": "P-1", "sutCode": "803910",
                               "templateContent": "FINDINGS:\n{{BULGULAR}}",
                               "templateFormat": "txt"}]}
        job = self.accepted(post_form(self.srv, PACS, pacs_fields(
            None, metadata, transcript="findings colon normal brain period"), key), 2,
            pacs=True)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        sent = self.check_signed(self.deliveries(rx, 1)[0], job["hmacSecret"])
        self.assertEqual(sent["jobId"], job["jobId"])
        self.assertEqual(sent["reports"], done["reports"])
        self.assertEqual(sent["reports"][0]["templateUsed"], "custom")
        self.assertEqual(sent["patientUid"], "1.2.3.4")
        cb = self.callback_state(key, job["pollUrl"], lambda c: c["status"] == "delivered")
        self.assertEqual((cb["attempts"], cb["lastHttpStatus"]), (1, 204))

    def test_failed_job_sends_a_callback_too(self):
        org, key = self.new_org(credits=1)
        rx = self.receiver()
        job = self.accepted(self.submit(key, report_fields(
            self.audio.silence(2), callbackUrl=rx.url())), 1)
        done = self.wait(key, job)
        self.assertEqual(done["status"], "failed", done)
        sent = self.check_signed(self.deliveries(rx, 1)[0], job["hmacSecret"])
        self.assertEqual(sent["status"], "failed")
        self.assertEqual(sent["creditsUsed"], 0)
        self.assertEqual(sent["remainingCredits"], 1)
        self.assertIsInstance(sent["error"]["code"], str)
        self.assertEqual(sent["error"], done["error"])

    def test_retries(self):
        """One receiver answers 500 and then 200; another always 500. The
        first retry comes about 5 s after the first attempt (DESIGN.md's
        schedule, with jitter); the next one would be minutes later."""
        org, key = self.new_org(credits=2)
        flaky, broken = self.receiver([500, 200]), self.receiver([500])
        jobs = {}
        for name, rx in (("flaky", flaky), ("broken", broken)):
            jobs[name] = self.accepted(self.submit(key, report_fields(
                None, transcript="findings colon %s receiver period" % name,
                callbackUrl=rx.url("/" + name))), 2 - len(jobs))
        # The balance moves between the attempts; the bodies do not.
        for name, rx in (("flaky", flaky), ("broken", broken)):
            self.wait(key, jobs[name], timeout=TEXT_TIMEOUT_S)
            self.deliveries(rx, 1)
        admin_ok(self.data, "add-credits", "--org", org, "--amount", "5")
        for name, rx in (("flaky", flaky), ("broken", broken)):
            with self.subTest(receiver=name):
                job = jobs[name]
                d = self.deliveries(rx, 2)
                gap = d[1]["at"] - d[0]["at"]
                self.assertGreaterEqual(gap, 3.5, "first retry too soon")
                self.assertLessEqual(gap, 10, "first retry too late")
                bodies = [self.check_signed(x, job["hmacSecret"]) for x in d[:2]]
                self.assertEqual(d[0]["body"], d[1]["body"], "the same event, the same bytes")
                self.assertNotEqual(d[0]["headers"]["x-raportai-timestamp"],
                                    d[1]["headers"]["x-raportai-timestamp"])
                self.assertEqual(bodies[0]["jobId"], job["jobId"])
                # 1 or 0, as the other job's reservation came before or after
                # this one finished; never the 5 added since.
                self.assertIn(bodies[0]["remainingCredits"], (0, 1), "the balance at finishing")
                self.assertEqual(self.srv.get(job["pollUrl"], key=key).json()["remainingCredits"],
                                 5, "the poll: the balance now")
        cb = self.callback_state(key, jobs["flaky"]["pollUrl"],
                                 lambda c: c["status"] == "delivered")
        self.assertEqual((cb["attempts"], cb["lastHttpStatus"]), (2, 200))
        self.assertEqual(ro_query(self.data, "SELECT attempt, http_status FROM callback_attempts"
                                  " WHERE job_id = ? ORDER BY attempt",
                                  (jobs["flaky"]["jobId"],)), [(1, 500), (2, 200)])
        cb = self.callback_state(key, jobs["broken"]["pollUrl"], lambda c: c["attempts"] >= 2)
        self.assertEqual(cb["status"], "pending")
        self.assertEqual(cb["attempts"], 2)
        self.assertEqual(cb["lastHttpStatus"], 500)
        self.assertIsNone(cb["deliveredAt"])
        self.assertIsInstance(cb["lastError"], str)
        # The third attempt is scheduled about 5 minutes on (300 s +/- 10 %).
        (next_ms,), = ro_query(self.data, "SELECT next_attempt_ms FROM callbacks WHERE job_id = ?",
                               (jobs["broken"]["jobId"],))
        ahead = next_ms / 1000 - time.time()
        self.assertGreater(ahead, 250)
        self.assertLess(ahead, 335)
        time.sleep(2)
        self.assertEqual(len(broken.deliveries()), 2)

    def test_a_job_finished_before_results_were_kept(self):
        """A job finished by a version that did not keep results (its
        result column empty, as the migration leaves such jobs): its next
        callback attempt renders the result once, keeps it, and polls and
        later attempts send those bytes."""
        org, key = self.new_org(credits=1)
        rx = self.receiver([500, 200])
        job = self.accepted(self.submit(key, report_fields(
            None, transcript="findings colon normal study period",
            callbackUrl=rx.url("/old"))), 1)
        self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        first = self.check_signed(self.deliveries(rx, 1)[0], job["hmacSecret"])
        self.assertEqual(first["remainingCredits"], 0)
        db_exec(self.data, "UPDATE jobs SET result = NULL WHERE id = '%s'" % job["jobId"])
        admin_ok(self.data, "add-credits", "--org", org, "--amount", "4")
        second = self.deliveries(rx, 2)[1]
        sent = self.check_signed(second, job["hmacSecret"])
        self.assertEqual(sent["remainingCredits"], 4, "rendered at the attempt, not before")
        self.assertEqual({k: v for k, v in sent.items() if k != "remainingCredits"},
                         {k: v for k, v in first.items() if k != "remainingCredits"})
        (kept,), = ro_query(self.data, "SELECT result FROM jobs WHERE id = ?", (job["jobId"],))
        self.assertEqual(kept.encode("utf-8"), second["body"])

    def test_redirects_are_not_followed(self):
        org, key = self.new_org(credits=1)
        rx = self.receiver([302])
        rx.location = rx.url("/elsewhere")
        job = self.accepted(self.submit(key, report_fields(
            None, transcript="findings colon normal period", callbackUrl=rx.url("/cb"))), 1)
        self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.deliveries(rx, 1)
        cb = self.callback_state(key, job["pollUrl"], lambda c: c["attempts"] >= 1)
        self.assertEqual(cb["status"], "pending")
        self.assertEqual(cb["lastHttpStatus"], 302)
        time.sleep(1)
        self.assertEqual([d["path"] for d in rx.deliveries()], ["/cb"])

    def test_loopback_is_allowed_only_with_the_switch(self):
        """With the switch, http and loopback pass the submission check
        (non-http schemes still do not)."""
        org, key = self.new_org(credits=1)
        self.refused(org, key, REPORT, report_fields(
            None, transcript="findings colon normal", callbackUrl="ftp://127.0.0.1/cb"),
            400, "INVALID_CALLBACK_URL", "callbackUrl")
        rx = self.receiver()
        job = self.accepted(self.submit(key, report_fields(
            None, transcript="findings colon normal period",
            callbackUrl=rx.url().replace("127.0.0.1", "localhost"))), 1)
        self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.deliveries(rx, 1)


if __name__ == "__main__":
    unittest.main()

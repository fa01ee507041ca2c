"""The organization's callback signing secret (/api/v1/org/settings/callback-secret):
web app jobs call the organization's default callback URL signed with it,
so a receiver that verifies as docs/api.md ("Callbacks") and the samples in
docs/callback-verify/ tell integrators to accepts them. Checked end to end
with a receiver on 127.0.0.1 (RAPORTAI_ALLOW_HTTP_CALLBACKS=1) that runs
verify.py's own check on every request and answers 401 to a signature that
does not verify: the secret is shown once, a rotation makes the old secret
sign nothing (retries included), External API jobs keep their hmacSecret,
and every refusal (role, CSRF, state) leaves the secret as it was. The role
and CSRF matrix of every workspace endpoint is in test_web_org.py."""

import http.server
import importlib.util
import json
import os
import threading

from harness import REPO, SharedDataDirTest, db_query
from jobs_helpers import (HEX64_RE, ISO_RE, REPORT, SERVER_ARGS, TEXT_TIMEOUT_S,
                          TURKISH_TRANSCRIPT, post_form, report_fields, wait_for, wait_job,
                          web_job)
from org_helpers import make_team, sign_in
from web_helpers import WebClient, assert_api_error

SETTINGS = "/api/v1/org/settings"
SECRET = SETTINGS + "/callback-secret"
ROTATE = SECRET + "/rotate"
KEYS = "/api/v1/org/keys"
DELIVERY_TIMEOUT_S = 30

_spec = importlib.util.spec_from_file_location(
    "callback_verify", os.path.join(REPO, "docs", "callback-verify", "verify.py"))
verify = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verify)


class VerifyingReceiver:
    """An integrator's endpoint on 127.0.0.1: each POST is checked with
    verify.py's callback_is_valid against the secret it holds now
    (self.secret, which the test changes as an integrator would), answered
    200 when it verifies and 401 otherwise, and recorded with the verdict."""

    def __init__(self, secret=None):
        self.secret = secret
        self.received = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stamp = self.headers.get("X-RaportAI-Timestamp") or ""
                signature = self.headers.get("X-RaportAI-Signature") or ""
                with receiver.lock:
                    secret = receiver.secret
                    valid = secret is not None and verify.callback_is_valid(
                        secret, stamp, body, signature)
                    receiver.received.append({"body": body, "timestamp": stamp,
                                              "signature": signature, "valid": valid})
                self.send_response(200 if valid else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self):
        return "http://127.0.0.1:%d/raportai/callback" % self.httpd.server_address[1]

    def set_secret(self, secret):
        with self.lock:
            self.secret = secret

    def of_job(self, job_id):
        with self.lock:
            return [r for r in self.received if json.loads(r["body"])["jobId"] == job_id]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class CallbackSecret(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(SERVER_ARGS, {"RAPORTAI_ALLOW_HTTP_CALLBACKS": "1"})

    def assertError(self, reply, status, code):
        return assert_api_error(self, reply, status, code)

    def receiver(self, secret=None):
        rx = VerifyingReceiver(secret)
        self.addCleanup(rx.close)
        return rx

    def team(self, tag):
        team = make_team(self.data, tag, roles=("manager", "radiologist"), credits=10)
        return team, sign_in(self.srv, team["manager"]), sign_in(self.srv, team["radiologist"])

    def stored(self, org):
        return db_query(self.data, "SELECT callback_secret, callback_secret_at,"
                        " callback_secret_by FROM organizations WHERE id = ?", (org,))[0]

    def deliveries(self, rx, job_id, n):
        return wait_for(self, "%d callback(s) of job %s" % (n, job_id),
                        lambda: (lambda d: d if len(d) >= n else None)(rx.of_job(job_id)),
                        DELIVERY_TIMEOUT_S)

    def callback_row(self, job_id, predicate):
        def look():
            rows = db_query(self.data, "SELECT status, attempts, last_http_status FROM callbacks"
                            " WHERE job_id = ?", (job_id,))
            return rows[0] if rows and predicate(rows[0]) else None
        return wait_for(self, "the callback of %s" % job_id, look, DELIVERY_TIMEOUT_S)

    def web_job(self, client):
        done = web_job(self, client, "803910", TURKISH_TRANSCRIPT)
        self.assertEqual(done["status"], "completed", done)
        return done["jobId"]

    def create(self, manager):
        reply = manager.post(SECRET)
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()

    # ---- the secret, shown once ------------------------------------------------------

    def test_shown_once_and_a_verifying_receiver_accepts_web_jobs(self):
        team, manager, radiologist = self.team("cbsecret")
        self.assertIsNone(manager.get(SETTINGS).json()["callbackSecret"])
        rx = self.receiver()
        self.assertEqual(manager.put(SETTINGS, {"callbackUrl": rx.url()}).status, 200)

        made = self.create(manager)
        self.assertEqual(set(made), {"secret", "createdAt", "createdBy"})
        self.assertRegex(made["secret"], HEX64_RE)
        self.assertRegex(made["createdAt"], ISO_RE)
        self.assertEqual(made["createdBy"], team["manager"])
        # Kept as it is (an HMAC key must be), with who and when.
        self.assertEqual(self.stored(team["org"]),
                         (made["secret"], made["createdAt"], team["manager"]))

        # Never shown again: not by the settings, not by a second create.
        settings = manager.get(SETTINGS)
        self.assertEqual(settings.json()["callbackSecret"],
                         {"createdAt": made["createdAt"], "createdBy": team["manager"]})
        self.assertNotIn(made["secret"].encode(), settings.body)
        again = manager.post(SECRET)
        self.assertError(again, 409, "CONFLICT")
        self.assertNotIn(made["secret"].encode(), again.body)
        self.assertEqual(self.stored(team["org"])[0], made["secret"], "a refusal changes nothing")
        self.assertNotIn(made["secret"].encode(), manager.put(SETTINGS, {"inputLang": "tr"}).body)

        # The integrator puts the secret into its receiver: a radiologist's
        # web job's callback verifies and is acknowledged at the first try.
        rx.set_secret(made["secret"])
        job = self.web_job(radiologist)
        first = self.deliveries(rx, job, 1)[0]
        self.assertTrue(first["valid"], first)
        self.assertEqual(json.loads(first["body"])["status"], "completed")
        self.assertEqual(self.callback_row(job, lambda r: r[0] == "delivered"),
                         ("delivered", 1, 200))
        self.assertFalse(verify.callback_is_valid(made["secret"][::-1], first["timestamp"],
                                                  first["body"], first["signature"]))
        self.assertNotIn(made["secret"], "\n".join(self.srv.log_lines))

    def test_without_a_secret_web_callbacks_do_not_verify_and_rotation_is_refused(self):
        """The state before a manager makes one: nothing to rotate (409,
        nothing written), and a web job's callback is signed with a secret
        no one was shown, so a verifying receiver refuses it."""
        team, manager, radiologist = self.team("nosecret")
        rx = self.receiver("0" * 64)
        manager.put(SETTINGS, {"callbackUrl": rx.url()})
        self.assertError(manager.post(ROTATE), 409, "CONFLICT")
        self.assertEqual(self.stored(team["org"]), (None, None, None))
        job = self.web_job(radiologist)
        self.assertFalse(self.deliveries(rx, job, 1)[0]["valid"])
        self.assertEqual(self.callback_row(job, lambda r: r[1] >= 1)[:2], ("pending", 1))

    # ---- rotation ----------------------------------------------------------------------

    def test_rotation_makes_the_old_secret_sign_nothing_retries_included(self):
        team, manager, radiologist = self.team("rotate")
        rx = self.receiver()
        manager.put(SETTINGS, {"callbackUrl": rx.url()})
        old = self.create(manager)["secret"]
        rx.set_secret(old)
        before = self.web_job(radiologist)
        self.assertTrue(self.deliveries(rx, before, 1)[0]["valid"])

        reply = manager.post(ROTATE)
        self.assertEqual(reply.status, 201, reply.body)
        new = reply.json()
        self.assertRegex(new["secret"], HEX64_RE)
        self.assertNotEqual(new["secret"], old)
        self.assertEqual(self.stored(team["org"]),
                         (new["secret"], new["createdAt"], team["manager"]))
        self.assertEqual(manager.get(SETTINGS).json()["callbackSecret"],
                         {"createdAt": new["createdAt"], "createdBy": team["manager"]})

        # The receiver still holds the old secret: the next callback does
        # not verify with it (401), and does with the new one.
        after = self.web_job(radiologist)
        first = self.deliveries(rx, after, 1)[0]
        self.assertFalse(first["valid"])
        self.assertFalse(verify.callback_is_valid(old, first["timestamp"], first["body"],
                                                  first["signature"]))
        self.assertTrue(verify.callback_is_valid(new["secret"], first["timestamp"],
                                                 first["body"], first["signature"]))
        self.assertEqual(self.callback_row(after, lambda r: r[1] >= 1), ("pending", 1, 401))
        # The integrator takes the new secret: the retry, a few seconds on,
        # is signed with it and accepted.
        rx.set_secret(new["secret"])
        second = self.deliveries(rx, after, 2)[1]
        self.assertTrue(second["valid"], second)
        self.assertEqual(second["body"], first["body"], "a retry sends the same bytes")
        self.assertEqual(self.callback_row(after, lambda r: r[0] == "delivered"),
                         ("delivered", 2, 200))
        # The job finished before the rotation was delivered once, with the old.
        self.assertEqual(len(rx.of_job(before)), 1)

    # ---- what it does not touch ---------------------------------------------------------

    def test_external_api_jobs_keep_their_own_hmac_secret(self):
        team, manager, _ = self.team("apijobs")
        org_secret = self.create(manager)["secret"]
        key = manager.post(KEYS, {"label": "hbys"}).json()["key"]
        rx = self.receiver()
        reply = post_form(self.srv, REPORT, report_fields(
            None, lang="tr", transcript=TURKISH_TRANSCRIPT, callbackUrl=rx.url()), key)
        self.assertEqual(reply.status, 202, reply.body)
        job = reply.json()
        rx.set_secret(job["hmacSecret"])
        self.assertNotEqual(job["hmacSecret"], org_secret)
        wait_job(self, self.srv, key, job["pollUrl"], timeout=TEXT_TIMEOUT_S)
        got = self.deliveries(rx, job["jobId"], 1)[0]
        self.assertTrue(got["valid"], got)
        self.assertFalse(verify.callback_is_valid(org_secret, got["timestamp"], got["body"],
                                                  got["signature"]))

    def test_refusals_leave_the_secret_as_it_was(self):
        """A member who is not a manager, a request without this session's
        CSRF token and one with another session's: 403, and the secret in
        the database and the one a receiver holds stay valid."""
        team, manager, radiologist = self.team("refused")
        made = self.create(manager)
        stored = self.stored(team["org"])
        for path in (SECRET, ROTATE):
            with self.subTest(path=path):
                self.assertError(radiologist.post(path), 403, "FORBIDDEN")
                self.assertError(manager.request("POST", path, {}, csrf=False), 403,
                                 "CSRF_FAILED")
                self.assertError(manager.request("POST", path, {},
                                                 headers={"X-CSRF-Token": radiologist.csrf}),
                                 403, "CSRF_FAILED")
                self.assertError(WebClient(self.srv).post(path), 401, "UNAUTHENTICATED")
        self.assertEqual(self.stored(team["org"]), stored)
        self.assertEqual(stored[0], made["secret"])
        self.assertError(radiologist.get(SETTINGS), 403, "FORBIDDEN")

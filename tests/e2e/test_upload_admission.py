"""Uploads are admitted from their headers (issue 11, "nothing before
authentication"):

- a 20 MB body, sent with Content-Length and chunked, to each upload route
  without valid credentials (a malformed key, a well-formed unknown key, no
  key, no session, a session without its CSRF token or of a role the route
  does not serve), to paths that take no upload and to paths that do not
  exist, is answered from its headers with the API's usual code and body,
  before the body is sent, and DATA/uploads (and, for the requests with no
  valid credentials, the whole data directory) gains 0 bytes during and
  after, watched after every 64 KiB sent;
- a body declared larger than an upload takes is refused with 413 at once;
- stale upload files are swept at start and while the server runs."""

import os
import time

from harness import DataDirTest, Server, dir_bytes, fake_key, stream_request
from jobs_helpers import (PACS, REPORT, JobsTest, post_form, report_fields, streamed_form,
                          wait_for)
from web_helpers import make_people, signed_in

MB = 1024 * 1024
BIG = 20 * MB
REPLY_WITHIN_S = 5       # a refusal from the headers, under ASan, on a busy machine


class NothingBeforeAuthentication(JobsTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org, cls.key = cls.new_org(credits=4)
        people = make_people(cls.data, "pre")
        cls.radiologist = signed_in(cls.srv, people, "radiologist")
        cls.admin = signed_in(cls.srv, people, "admin")
        cls.uploads = os.path.join(cls.data, "uploads")

    def stream(self, method, path, headers, chunked, size=BIG, field="audio", watch_all=False):
        """Streams a form with a file of size bytes; returns (Streamed, the
        most bytes seen in uploads/ and, with watch_all, in the whole data
        directory above what it held before, after each chunk sent)."""
        ctype, length, chunks = streamed_form(field, size, [("sutCode", "803910")])
        h = dict(headers)
        h["Content-Type"] = ctype
        base = dir_bytes(self.data)
        seen = {"uploads": 0, "data": 0}

        def watch():
            seen["uploads"] = max(seen["uploads"], dir_bytes(self.uploads))
            if watch_all:
                seen["data"] = max(seen["data"], dir_bytes(self.data) - base)

        # At least 1 MiB goes out even when the answer is already there, so
        # the folders are watched while bytes arrive.
        out = stream_request(self.srv.port, method, path, h, chunks,
                             None if chunked else length, watch=watch, min_send=MB)
        watch()
        return out, seen

    def refused_early(self, out, status, code):
        """The reply came from the headers: before the body was sent, quickly,
        with the API's error body, and the connection was closed."""
        self.assertIsNotNone(out.reply, "no reply")
        self.assertEqual(out.reply.status, status, out.reply.body[:300])
        self.assertEqual(out.reply.json()["error"]["code"], code)
        self.assertFalse(out.all_sent, "the reply waited for the whole body")
        self.assertLess(out.sent, BIG)
        self.assertLess(out.seconds, REPLY_WITHIN_S)
        self.assertEqual(out.reply.headers.get("connection", "").lower(), "close")
        return out.reply.json()

    def test_no_valid_credentials_no_byte_on_disk(self):
        no_csrf = {"Cookie": "raportai_session=" + self.radiologist.token}
        cases = [
            ("POST", REPORT, {"Authorization": "Bearer rapi_nope"}, 401, "UNAUTHORIZED"),
            ("POST", REPORT, {"Authorization": "Bearer " + fake_key()}, 401, "UNAUTHORIZED"),
            ("POST", REPORT, {}, 401, "UNAUTHORIZED"),
            ("POST", PACS, {"Authorization": "Bearer " + fake_key()}, 401, "UNAUTHORIZED"),
            ("POST", PACS, {}, 401, "UNAUTHORIZED"),
            ("POST", "/api/v1/jobs", {}, 401, "UNAUTHENTICATED"),
            ("POST", "/api/v1/jobs", {"Cookie": "raportai_session=nope"}, 401,
             "UNAUTHENTICATED"),
            ("POST", "/api/v1/templates/import-mrrt", {}, 401, "UNAUTHENTICATED"),
            # paths that take no upload
            ("POST", "/healthz", {}, 405, "METHOD_NOT_ALLOWED"),
            ("POST", "/api/external/v1/templates", {}, 401, "UNAUTHORIZED"),
            ("PUT", "/api/v1/reports/x", {}, 401, "UNAUTHENTICATED"),
            ("POST", "/api/v1/auth/login", {}, 413, "PAYLOAD_TOO_LARGE"),
            # paths that do not exist
            ("POST", "/no/such/path", {}, 404, "NOT_FOUND"),
            ("POST", "/api/v1/no-such-thing", no_csrf, 404, "NOT_FOUND"),
        ]
        data_before = dir_bytes(self.data)
        for method, path, headers, status, code in cases:
            for chunked in (False, True):
                with self.subTest(method=method, path=path, headers=sorted(headers),
                                  chunked=chunked):
                    out, seen = self.stream(method, path, headers, chunked, watch_all=True)
                    if status == 413 and chunked:
                        # A public route that takes JSON: a body of unknown
                        # length is read into memory, kept up to 1 MiB and
                        # dropped beyond; never written to disk.
                        self.assertEqual(out.reply.status, 413, out.reply.body[:300])
                        self.assertEqual(out.reply.error_code(), code)
                    else:
                        body = self.refused_early(out, status, code)
                        self.assertNotIn("remainingCredits", body)
                    self.assertEqual(seen["uploads"], 0, "bytes in uploads/ while streaming")
                    self.assertEqual(seen["data"], 0, "bytes in the data directory")
        time.sleep(0.5)
        self.assertEqual(os.listdir(self.uploads), [])
        self.assertEqual(dir_bytes(self.data), data_before)
        self.assertEqual(self.srv.get("/healthz").status, 200)

    def test_refused_callers_with_credentials_no_byte_on_disk(self):
        """Valid credentials that may not upload here: nothing reaches
        uploads/ or audio/ (the key's use count is written to the database)."""
        key = {"Authorization": "Bearer " + self.key}
        session = {"Cookie": "raportai_session=" + self.radiologist.token}
        staff = {"Cookie": "raportai_session=" + self.admin.token,
                 "X-CSRF-Token": self.admin.csrf}
        cases = [
            ("POST", "/api/external/v1/templates", key, 405, "METHOD_NOT_ALLOWED", True),
            ("POST", "/api/external/v1/nothing", key, 404, "NOT_FOUND", True),
            ("PUT", REPORT, key, 405, "METHOD_NOT_ALLOWED", True),
            ("POST", "/api/v1/jobs", session, 403, "CSRF_FAILED", False),
            ("POST", "/api/v1/templates/import-mrrt", session, 403, "CSRF_FAILED", False),
            ("POST", "/api/v1/jobs", staff, 403, "FORBIDDEN", False),
        ]
        audio = os.path.join(self.data, "audio")
        audio_before = sorted(os.listdir(audio))
        for method, path, headers, status, code, credits in cases:
            for chunked in (False, True):
                with self.subTest(path=path, method=method, code=code, chunked=chunked):
                    out, seen = self.stream(method, path, headers, chunked)
                    body = self.refused_early(out, status, code)
                    self.assertEqual("remainingCredits" in body, credits, body)
                    self.assertEqual(seen["uploads"], 0)
        self.assertEqual(os.listdir(self.uploads), [])
        self.assertEqual(sorted(os.listdir(audio)), audio_before)

    def test_a_declared_length_over_the_limit_is_refused_at_once(self):
        key = {"Authorization": "Bearer " + self.key}
        out, seen = self.stream("POST", REPORT, key, False, size=60 * MB)
        body = self.refused_early(out, 413, "AUDIO_TOO_LARGE")
        self.assertEqual(body["error"]["field"], "audio")
        self.assertEqual(body["remainingCredits"], 4)
        self.assertEqual(seen["uploads"], 0)
        # The web app's MRRT import takes a template of at most 2 MiB.
        session = {"Cookie": "raportai_session=" + self.radiologist.token,
                   "X-CSRF-Token": self.radiologist.csrf}
        out, seen = self.stream("POST", "/api/v1/templates/import-mrrt", session, False,
                                size=8 * MB, field="file")
        body = self.refused_early(out, 413, "PAYLOAD_TOO_LARGE")
        self.assertEqual(body["error"]["field"], "file")
        self.assertEqual(seen["uploads"], 0)
        # So does a body over 1 MiB to a route that takes JSON.
        out, _ = self.stream("POST", "/api/v1/reports", session, False, size=2 * MB)
        self.refused_early(out, 413, "PAYLOAD_TOO_LARGE")

    def test_an_admitted_upload_still_works(self):
        wav = self.audio.speech("impression colon normal period")
        reply = post_form(self.srv, REPORT, report_fields(wav), self.key)
        self.assertEqual(reply.status, 202, reply.body)
        self.assertEqual(os.listdir(self.uploads), [])


class StaleUploads(DataDirTest):

    def test_swept_at_start_and_while_running(self):
        uploads = os.path.join(self.data, "uploads")
        os.makedirs(uploads)
        left = os.path.join(uploads, "upload-0123456789abcdef01234567")
        other = os.path.join(uploads, "not-an-upload.txt")
        for path in (left, other):
            with open(path, "wb") as f:
                f.write(b"x" * 1000)
        with Server(self.data) as srv:
            self.assertFalse(os.path.exists(left), "a file a previous process left")
            self.assertTrue(os.path.exists(other))
            stale = os.path.join(uploads, "upload-stale")
            fresh = os.path.join(uploads, "upload-fresh")
            for path in (stale, fresh):
                with open(path, "wb") as f:
                    f.write(b"y" * 5000)
            day_ago = time.time() - 86400
            os.utime(stale, (day_ago, day_ago))
            os.utime(other, (day_ago, day_ago))
            # The sweeper looks every 10 s.
            wait_for(self, "the stale file swept", lambda: not os.path.exists(stale), 30)
            self.assertTrue(os.path.exists(fresh), "a file written now may be a live upload's")
            self.assertTrue(os.path.exists(other), "only upload files are swept")
            self.assertIsNotNone(srv.wait_log(r"deleted 1 stale upload file\(s\), 5000 bytes"))

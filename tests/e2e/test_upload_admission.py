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
- the per-organization upload quota answers 429 with Retry-After (chunked
  uploads count at the most they may be) while another organization still
  uploads; the server's total answers 503; both free up when the uploads
  holding them end;
- stale upload files are swept at start and while the server runs;
- the quota options are checked at start."""

import os
import socket
import time

from harness import (REPO, DataDirTest, Server, dir_bytes, fake_key, run_binary, settled_dir_bytes,
                     stream_request)
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
        data_before = settled_dir_bytes(self.data)
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
                                field="file")
        body = self.refused_early(out, 413, "PAYLOAD_TOO_LARGE")
        self.assertEqual(body["error"]["field"], "file")
        self.assertEqual(seen["uploads"], 0)
        # So does a body over 1 MiB to a route that takes JSON (declared
        # larger than the loopback's socket buffers hold, so that a client
        # sending it all before the refusal means the server read it).
        out, _ = self.stream("POST", "/api/v1/reports", session, False)
        self.refused_early(out, 413, "PAYLOAD_TOO_LARGE")

    def test_an_admitted_upload_still_works(self):
        _, key = self.new_org(credits=2)
        wav = self.audio.speech("impression colon normal period")
        job = self.accepted(post_form(self.srv, REPORT, report_fields(wav), key), 2)
        self.assertEqual(os.listdir(self.uploads), [])
        # Finished, so that no job changes the data directory while the other
        # tests of the class watch it.
        self.wait(key, job)


def hold_upload(test, port, key, size, uploads):
    """Starts an upload of a file of size bytes with Content-Length and stops
    after its first 256 KiB, once its file appears in uploads/: the upload is
    admitted and holds its bytes of the quota until the socket is closed.
    Returns the socket."""
    ctype, length, chunks = streamed_form("audio", size, [("sutCode", "803910")])
    before = set(os.listdir(uploads))
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
               "Content-Type: %s\r\nContent-Length: %d\r\n\r\n"
               % (REPORT, key, ctype, length)).encode("latin-1"))
    sent = 0
    for data in chunks:
        s.sendall(data)
        sent += len(data)
        if sent >= 256 * 1024:
            break
    wait_for(test, "the held upload's file", lambda: set(os.listdir(uploads)) - before, 10)
    test.addCleanup(s.close)
    return s


class UploadQuota(JobsTest):
    """--max-audio-mb 1: the largest form is 1 MiB + 4 MiB of text fields +
    64 KiB, so the quota's least is 6 MB; the server holds 8 MB in all."""

    extra_args = ("--max-audio-mb", "1", "--upload-quota-mb", "6", "--uploads-max-mb", "8")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uploads = os.path.join(cls.data, "uploads")
        cls.wav = cls.audio.speech("impression colon normal period")

    def stream(self, key, size, chunked=False):
        ctype, length, chunks = streamed_form("audio", size, [("sutCode", "803910")])
        return stream_request(self.srv.port, "POST", REPORT,
                              {"Authorization": "Bearer " + key, "Content-Type": ctype},
                              chunks, None if chunked else length)

    def upload_when_room(self, key, credits):
        """Submits the small dictation, retrying while the answer is 429 or
        503 (the held upload's bytes come back when the server notices the
        closed connection); returns the 202's body."""
        deadline = time.monotonic() + 10
        while True:
            reply = post_form(self.srv, REPORT, report_fields(self.wav), key)
            if reply.status not in (429, 503) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        return self.accepted(reply, credits)

    def assertRoomRefused(self, out, status, code):
        self.assertIsNotNone(out.reply)
        self.assertEqual(out.reply.status, status, out.reply.body[:300])
        body = out.reply.json()
        self.assertEqual(body["error"]["code"], code)
        self.assertEqual(out.reply.headers["retry-after"], "5")
        self.assertIn("remainingCredits", body)
        return body

    def test_one_organization_at_its_quota_does_not_stop_another(self):
        _, key_a = self.new_org(credits=5)
        _, key_b = self.new_org(credits=5)
        held = hold_upload(self, self.srv.port, key_a, 4 * MB, self.uploads)
        self.assertRoomRefused(self.stream(key_a, 3 * MB), 429, "RATE_LIMIT")
        # Chunked: its length is unknown, so it counts as the largest form.
        self.assertRoomRefused(self.stream(key_a, 64 * 1024, chunked=True), 429, "RATE_LIMIT")
        self.assertIsNotNone(self.srv.wait_log(r"upload of \d+ bytes refused: the organization"))
        # Another organization uploads as usual meanwhile.
        self.accepted(post_form(self.srv, REPORT, report_fields(self.wav), key_b), 5)
        # The held upload's end gives its bytes back.
        held.close()
        self.upload_when_room(key_a, 5)
        wait_for(self, "uploads/ empty", lambda: os.listdir(self.uploads) == [], 10)

    def test_the_servers_total_answers_503(self):
        _, key_a = self.new_org(credits=5)
        _, key_b = self.new_org(credits=5)
        _, key_c = self.new_org(credits=5)
        hold_upload(self, self.srv.port, key_a, 4 * MB, self.uploads)
        held_c = hold_upload(self, self.srv.port, key_c, 3 * MB, self.uploads)
        body = self.assertRoomRefused(self.stream(key_b, 2 * MB), 503, "UNAVAILABLE")
        self.assertEqual(body["remainingCredits"], 5)
        held_c.close()
        self.upload_when_room(key_b, 5)


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


class QuotaOptions(DataDirTest):

    def serve(self, *args):
        return run_binary("serve", "--data", self.data, "--listen", "127.0.0.1:0",
                          "--share", REPO, *args, timeout=60)

    def test_the_quota_must_hold_the_largest_upload(self):
        code, _, err = self.serve("--max-audio-mb", "50", "--upload-quota-mb", "54")
        self.assertEqual(code, 2, err)
        self.assertIn("--upload-quota-mb must be at least --max-audio-mb + 5 (55)", err)
        code, _, err = self.serve("--upload-quota-mb", "300", "--uploads-max-mb", "299")
        self.assertEqual(code, 2, err)
        self.assertIn("--uploads-max-mb must be at least --upload-quota-mb (300)", err)
        code, _, err = self.serve("--upload-quota-mb", "0")
        self.assertEqual(code, 2, err)
        self.assertFalse(os.path.exists(os.path.join(self.data, "raportai.db")))

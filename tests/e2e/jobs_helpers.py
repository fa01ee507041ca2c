"""Helpers for the report-job end-to-end tests (tests/e2e/test_jobs*.py):
a stdlib multipart/form-data encoder, dictation audio made at test time
(espeak-ng, ffmpeg, sox), bounded polling of a job, read-only looks at the
data directory (jobs, ledger, audio files) and a callback receiver on
127.0.0.1. Only loopback addresses are ever used; every wait is bounded."""

import hashlib
import hmac
import html
import http.server
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid

from harness import SharedDataDirTest, make_org_with_key

API = "/api/external/v1"
REPORT = API + "/report"
PACS = API + "/pacs/report"
TEMPLATES = API + "/templates"

SPEECH_TIMEOUT_S = 120   # one short dictation through the speech engine under ASan
TEXT_TIMEOUT_S = 60      # a transcript job (no speech engine)
POLL_INTERVAL_S = 0.25

UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HEX64_RE = r"^[0-9a-f]{64}$"
ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$"

BRAIN_DICTATION = ("findings colon no acute intracranial hemorrhage period "
                   "impression colon normal brain ct period")
# Written for espeak-ng: it reads "mr" as "mister", so the letters are
# spelled out ("M R") as a radiologist says them.
TWO_EXAM_DICTATION = ("brain ct period findings colon no acute intracranial hemorrhage period "
                      "conclusion colon normal brain ct period "
                      "next exam period lumbar M R period findings colon disc herniation at "
                      "L four L five period conclusion colon lumbar disc herniation period")
TURKISH_TRANSCRIPT = ("bulgular iki nokta beyin parankimi normal nokta "
                      "sonuç iki nokta normal beyin bt nokta")
GUIDE_TXT_TEMPLATE = "FINDINGS:\n{{BULGULAR}}\n\nCONCLUSION:\n{{SONUC}}"
SERVER_ARGS = ["--workers", "2", "--rate-limit", "100000"]


# ---- multipart/form-data ------------------------------------------------------------

class FilePart:
    """A file part: its bytes, the client's file name and content type."""

    def __init__(self, data, filename="audio.bin", content_type="application/octet-stream"):
        self.data = data
        self.filename = filename
        self.content_type = content_type


def encode_multipart(fields, boundary=None):
    """(body bytes, Content-Type) of a multipart/form-data form. fields is a
    list of (name, value) pairs (or a dict); a value is str, bytes, a
    FilePart, or a path wrapped by file_part()."""
    boundary = boundary or "raportai-" + secrets.token_hex(12)
    items = fields.items() if isinstance(fields, dict) else fields
    out = []
    for name, value in items:
        out.append(b"--" + boundary.encode() + b"\r\n")
        if isinstance(value, FilePart):
            out.append(('Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
                        "Content-Type: %s\r\n\r\n" % (name, value.filename,
                                                      value.content_type)).encode("utf-8"))
            out.append(value.data)
        else:
            data = value if isinstance(value, bytes) else str(value).encode("utf-8")
            out.append(('Content-Disposition: form-data; name="%s"\r\n\r\n' % name)
                       .encode("utf-8"))
            out.append(data)
        out.append(b"\r\n")
    out.append(b"--" + boundary.encode() + b"--\r\n")
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def file_part(path, content_type="application/octet-stream"):
    with open(path, "rb") as f:
        return FilePart(f.read(), os.path.basename(path), content_type)


def post_form(srv, path, fields, key=None, timeout=60):
    body, ctype = encode_multipart(fields)
    return post_raw(srv, path, body, ctype, key, timeout)


def post_raw(srv, path, body, content_type, key=None, timeout=60):
    """POSTs body as is with the given Content-Type (None: no header); for
    malformed forms."""
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if key is not None:
        headers["Authorization"] = "Bearer " + key
    return srv.request("POST", path, headers, body, timeout=timeout)


def report_fields(audio=None, sut="803910", lang="en", **extra):
    """The fields of a POST /report: audio (a path or FilePart), sutCode,
    inputLang = outputLang = lang, plus extra (None values left out)."""
    fields = []
    if audio is not None:
        fields.append(("audio", audio if isinstance(audio, FilePart) else file_part(audio)))
    if sut is not None:
        fields.append(("sutCode", sut))
    if lang is not None:
        fields += [("inputLang", lang), ("outputLang", lang)]
    fields += [(k, v) for k, v in extra.items() if v is not None]
    return fields


def pacs_fields(audio, metadata, **extra):
    """The fields of a POST /pacs/report; metadata is JSON-encoded unless it
    is already a str."""
    fields = []
    if audio is not None:
        fields.append(("audio", audio if isinstance(audio, FilePart) else file_part(audio)))
    if metadata is not None:
        fields.append(("metadata", metadata if isinstance(metadata, str)
                       else json.dumps(metadata, ensure_ascii=False)))
    fields += [(k, v) for k, v in extra.items() if v is not None]
    return fields


# ---- audio made at test time ------------------------------------------------------------

def run_tool(cmd, timeout=120):
    p = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise AssertionError("%s failed: %s" % (cmd[0], p.stderr.decode("utf-8", "replace")))


FFMPEG_CODECS = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "ogg": ["-c:a", "libopus", "-b:a", "48k"],
    "oga": ["-c:a", "libvorbis", "-q:a", "3", "-f", "ogg"],
    "webm": ["-c:a", "libopus", "-b:a", "48k"],
    "wav16k": ["-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav"],
}


class AudioFactory:
    """Makes and caches audio files in one temporary folder (remove with
    cleanup())."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="raportai-audio-")
        self.cache = {}

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def _path(self, name):
        return os.path.join(self.dir, name)

    def speech(self, text, voice="en-us", speed=150, pitch=None):
        """A WAV of text spoken by espeak-ng (22050 Hz mono)."""
        key = ("speech", text, voice, speed, pitch)
        if key not in self.cache:
            path = self._path("speech-%d.wav" % len(self.cache))
            cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-w", path]
            if pitch is not None:
                cmd += ["-p", str(pitch)]
            run_tool(cmd + [text])
            self.cache[key] = path
        return self.cache[key]

    def convert(self, wav, fmt):
        """wav converted by ffmpeg to fmt (a key of FFMPEG_CODECS)."""
        key = ("convert", wav, fmt)
        if key not in self.cache:
            ext = {"oga": "ogg", "wav16k": "wav"}.get(fmt, fmt)
            path = self._path("conv-%d.%s" % (len(self.cache), ext))
            run_tool(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                      "-i", wav] + FFMPEG_CODECS[fmt] + [path])
            self.cache[key] = path
        return self.cache[key]

    def silence(self, seconds, rate=16000):
        """A WAV of digital silence made by sox."""
        key = ("silence", seconds, rate)
        if key not in self.cache:
            path = self._path("silence-%d.wav" % len(self.cache))
            run_tool(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", path,
                      "trim", "0", str(seconds)])
            self.cache[key] = path
        return self.cache[key]

    def long_speech(self, seconds, voice="en-us"):
        """About `seconds` of English dictation (espeak-ng), as one WAV."""
        sentence = ("findings colon the ventricles are normal in size period there is no "
                    "midline shift period no acute intracranial hemorrhage period ")
        # espeak at 150 words per minute says this sentence in about 8 seconds.
        text = sentence * max(1, int(seconds / 8 + 0.5)) + \
            "impression colon normal brain ct period"
        return self.speech(text, voice=voice)

    def tone_wav(self, seconds, freq=440, rate=16000):
        key = ("tone", seconds, freq, rate)
        if key not in self.cache:
            path = self._path("tone-%d.wav" % len(self.cache))
            run_tool(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", path,
                      "synth", str(seconds), "sine", str(freq)])
            self.cache[key] = path
        return self.cache[key]

    def variant(self, wav, n):
        """A copy of wav whose bytes differ (n samples of quiet noise appended),
        so duplicate detection sees another file with the same dictation."""
        key = ("variant", wav, n)
        if key not in self.cache:
            path = self._path("variant-%d.wav" % len(self.cache))
            run_tool(["sox", wav, path, "pad", "0", "%.4f" % (0.01 * (n + 1))])
            self.cache[key] = path
        return self.cache[key]


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


# ---- polling -----------------------------------------------------------------------------

def wait_job(testcase, srv, key, poll_url, timeout=SPEECH_TIMEOUT_S,
             until=("completed", "failed")):
    """Polls poll_url until the job's status is in until; fails the test with
    the last response after timeout seconds. Returns the body."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        reply = srv.get(poll_url, key=key)
        last = (reply.status, reply.body[:4000])
        if reply.status == 200:
            body = reply.json()
            if body.get("status") in until:
                return body
        elif reply.status != 429:
            testcase.fail("polling %s: HTTP %d %r" % (poll_url, reply.status, reply.body[:2000]))
        if time.monotonic() > deadline:
            testcase.fail("job at %s not %s within %ds; last response: %r\nserver log tail:\n%s"
                          % (poll_url, "/".join(until), timeout, last,
                             "\n".join(srv.log_lines[-40:])))
        time.sleep(POLL_INTERVAL_S)


def web_job(testcase, client, code, transcript, **fields):
    """Submits a web app job (POST /api/v1/jobs) as client (a signed-in
    web_helpers.WebClient) for the exam of SUT code with transcript and
    fields (templateId, inputLang, ...; None values left out), and returns
    its body (GET /api/v1/jobs/{id}) once completed or failed, failing the
    test after TEXT_TIMEOUT_S."""
    form = [("transcript", transcript), ("sutCode", code)]
    form += [(k, v) for k, v in fields.items() if v is not None]
    body, ctype = encode_multipart(form)
    reply = client.request("POST", "/api/v1/jobs", raw=body, headers={"Content-Type": ctype})
    testcase.assertEqual(reply.status, 202, reply.body)
    job_id = reply.json()["jobId"]
    deadline = time.monotonic() + TEXT_TIMEOUT_S
    while True:
        got = client.get("/api/v1/jobs/" + job_id)
        testcase.assertEqual(got.status, 200, got.body)
        done = got.json()
        if done["status"] in ("completed", "failed"):
            return done
        if time.monotonic() > deadline:
            testcase.fail("web job %s not finished: %r" % (job_id, done))
        time.sleep(POLL_INTERVAL_S)


def wait_for(testcase, what, predicate, timeout, interval=0.2):
    """Calls predicate() until it returns something true; fails with its
    last value (and what) after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            testcase.fail("%s: not within %ss (last: %r)" % (what, timeout, value))
        time.sleep(interval)


def balance(testcase, srv, key):
    """remainingCredits as GET /templates shows it."""
    reply = srv.get(TEMPLATES, key=key)
    testcase.assertEqual(reply.status, 200, reply.body)
    return reply.json()["remainingCredits"]


# ---- read-only looks at the data directory ---------------------------------------------

def ro_query(data_dir, sql, params=()):
    """Rows of a query on DATA/raportai.db opened read-only."""
    uri = "file:%s?mode=ro" % os.path.join(data_dir, "raportai.db")
    conn = sqlite3.connect(uri, uri=True, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def ledger(data_dir, job_id):
    """(reason, amount) of every ledger row naming the job, in order."""
    return ro_query(data_dir, "SELECT reason, amount FROM credit_ledger WHERE reason LIKE ?"
                    " ORDER BY id", ("%job " + job_id,))


def files_in(data_dir, sub):
    path = os.path.join(data_dir, sub)
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def snapshot(data_dir, org_id):
    """What a refused submission must leave unchanged: the organization's
    credits and ledger length, its jobs and exams, and the audio and upload
    folders."""
    return {
        "credits": ro_query(data_dir, "SELECT credits FROM organizations WHERE id = ?",
                            (org_id,))[0][0],
        "ledger rows": ro_query(data_dir, "SELECT COUNT(*) FROM credit_ledger WHERE org_id = ?",
                                (org_id,))[0][0],
        "jobs": ro_query(data_dir, "SELECT COUNT(*) FROM jobs WHERE org_id = ?", (org_id,))[0][0],
        "all jobs": ro_query(data_dir, "SELECT COUNT(*) FROM jobs")[0][0],
        "exams": ro_query(data_dir, "SELECT COUNT(*) FROM job_exams")[0][0],
        "audio files": files_in(data_dir, "audio"),
        "upload files": files_in(data_dir, "uploads"),
    }


# ---- RTF -------------------------------------------------------------------------------------

def rtf_unescape(rtf):
    """The characters of \\uN escapes (each followed by one fallback
    character, RTF's default \\uc1) put back, and \\'hh escapes decoded as
    cp1254; other control words are left alone."""
    def u(m):
        n = int(m.group(1))
        return chr(n + 65536 if n < 0 else n)
    out = re.sub(r"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}])", u, rtf)
    return re.sub(r"\\'([0-9a-fA-F]{2})",
                  lambda m: bytes([int(m.group(1), 16)]).decode("cp1254"), out)


def html_text(fragment):
    """The text of an HTML fragment: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


# ---- callbacks ---------------------------------------------------------------------------------

class CallbackReceiver:
    """An HTTP server on 127.0.0.1 that records every request (time, method,
    path, headers, body) and answers with the next status of `statuses`
    (the last one repeats), with a Location header on 3xx when location is
    given. Use as a context manager or call close()."""

    def __init__(self, statuses=(200,), location=None):
        self.statuses = list(statuses)
        self.location = location
        self.received = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                with receiver.lock:
                    i = len(receiver.received)
                    receiver.received.append({
                        "at": time.monotonic(), "method": self.command, "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body})
                    status = receiver.statuses[min(i, len(receiver.statuses) - 1)]
                payload = b'{"ok":true}' if status < 300 else b'{"error":"try later"}'
                self.send_response(status)
                if 300 <= status < 400 and receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST
            do_PUT = do_POST

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/raportai/callback"):
        return "http://127.0.0.1:%d%s" % (self.httpd.server_address[1], path)

    def deliveries(self, path=None):
        with self.lock:
            return [r for r in self.received if path is None or r["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def signature_ok(secret, timestamp, body, signature):
    """The documented rule: lowercase hex HMAC-SHA256 keyed with hmacSecret
    over timestamp + "." + body, compared in constant time."""
    expected = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + b"." + body,
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def new_uuid():
    return str(uuid.uuid4())


# ---- the base class of the job tests -----------------------------------------------------

class JobsTest(SharedDataDirTest):
    """One data directory, one server (started with SERVER_ARGS plus
    cls.extra_args and cls.env) and one audio cache per class. Tests make
    their own organizations with new_org()."""

    extra_args = ()
    env = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.audio = AudioFactory()
        cls.addClassCleanup(cls.audio.cleanup)
        cls.srv = cls.start_server(SERVER_ARGS + list(cls.extra_args), cls.env)
        cls.org_count = 0

    @classmethod
    def new_org(cls, credits=10):
        """A new organization with a manager's key: (org_id, key)."""
        cls.org_count += 1
        org, _, key = make_org_with_key(cls.data, credits=credits,
                                        name="%s org %d" % (cls.__name__, cls.org_count))
        return org, key

    # -- requests --

    def submit(self, key, fields, pacs=False, srv=None):
        return post_form(srv or self.srv, PACS if pacs else REPORT, fields, key)

    def accepted(self, reply, credits_before, exams=1, pacs=False):
        """Checks a 202 answer and returns its body."""
        self.assertEqual(reply.status, 202, reply.body)
        self.assertTrue(reply.headers["content-type"].startswith("application/json"))
        body = reply.json()
        self.assertRegex(body["jobId"], UUID_RE)
        self.assertEqual(body["status"], "pending")
        self.assertEqual(body["pollUrl"], (PACS if pacs else REPORT) + "/" + body["jobId"])
        self.assertRegex(body["hmacSecret"], HEX64_RE)
        self.assertIsInstance(body["estimatedSeconds"], int)
        self.assertNotIsInstance(body["estimatedSeconds"], bool)
        self.assertGreaterEqual(body["estimatedSeconds"], 1)
        self.assertEqual(body["remainingCredits"], credits_before - exams)
        if pacs:
            self.assertEqual(body["examCount"], exams)
        else:
            self.assertNotIn("examCount", body)
        return body

    def wait(self, key, accepted, timeout=SPEECH_TIMEOUT_S, srv=None):
        return wait_job(self, srv or self.srv, key, accepted["pollUrl"], timeout)

    def refused(self, org, key, path, fields, status, code, field="", raw=None, srv=None):
        """Sends a submission that must be refused with status and code (a
        tuple: any of them) (and
        the error's field when field is not ""), and checks that it changed
        nothing. raw=(body, content_type) sends those bytes instead of
        fields. Returns the body."""
        srv = srv or self.srv
        before = snapshot(self.data, org)
        if raw is not None:
            reply = post_raw(srv, path, raw[0], raw[1], key)
        else:
            reply = post_form(srv, path, fields, key)
        self.assertEqual(reply.status, status, reply.body)
        body = reply.json()
        if isinstance(code, tuple):
            self.assertIn(body["error"]["code"], code, body)
        else:
            self.assertEqual(body["error"]["code"], code, body)
        self.assertIsInstance(body["error"]["message"], str)
        self.assertTrue(body["error"]["message"])
        if field != "":
            self.assertEqual(body["error"].get("field"), field, body)
        if status != 401:
            self.assertEqual(body["remainingCredits"], before["credits"], body)
        # The upload's temporary file goes when the request ends, just after
        # the reply: wait (bounded) for that before comparing. Files may
        # only have gone (an earlier job's audio is deleted as it finishes).
        def unchanged():
            after = snapshot(self.data, org)
            for name in ("audio files", "upload files"):
                if not set(after.pop(name)) <= set(before[name]):
                    return False
            return after == {k: v for k, v in before.items() if not k.endswith("files")}
        try:
            wait_for(self, "nothing changed after %s" % (code,), unchanged, 5)
        except AssertionError:
            self.assertEqual(snapshot(self.data, org), before)
            raise
        if status != 401:
            self.assertEqual(balance(self, srv, key), before["credits"])
        return body

    def assertLedger(self, job_id, rows):
        self.assertEqual(ledger(self.data, job_id), [(r % job_id, a) for r, a in rows])

    def assertTranscriptEnglish(self, transcript, expected_words, at_least=2):
        """A non-empty transcript of lowercase English words that contains at
        least at_least of expected_words."""
        self.assertIsInstance(transcript, str)
        self.assertRegex(transcript, r"[a-z]{3,}")
        words = set(re.findall(r"[a-z]+", transcript.lower()))
        found = words & set(expected_words)
        self.assertGreaterEqual(len(found), at_least,
                                "transcript %r has too few of %s" % (transcript, expected_words))

    def assertIso(self, value):
        self.assertIsInstance(value, str)
        self.assertRegex(value, ISO_RE)

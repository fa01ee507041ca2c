"""End-to-end test harness: starts the real `raportai serve` on a free
loopback port with a fresh data directory, talks HTTP to it, runs the admin
CLI, and stops the server. Every wait is bounded in time.

Only loopback addresses are ever used."""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

BINARY = os.environ.get("RAPORTAI_TEST_BINARY", "build/asan/raportai")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 15
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def sanitizer_env():
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    return env


class Reply:
    """One HTTP reply: status, headers (lowercase names), raw body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def error_code(self):
        return self.json()["error"]["code"]


class Server:
    """A running `raportai serve`; use as a context manager."""

    def __init__(self, data_dir, extra_args=(), env=None, flags=True):
        """flags=False leaves out --listen and --data, so the environment
        (RAPORTAI_LISTEN, RAPORTAI_DATA in env) must give them."""
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.env = env or {}
        self.flags = flags
        self.proc = None
        self.port = None
        self.log_lines = []
        self._log_thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        env = sanitizer_env()
        env.update(self.env)
        cmd = [BINARY, "serve"]
        if self.flags:
            cmd += ["--listen", "127.0.0.1:0", "--data", self.data_dir]
        cmd += ["--share", REPO] + self.extra_args
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL, env=env)
        ready = threading.Event()

        def read_log():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.log_lines.append(line)
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()

        self._log_thread = threading.Thread(target=read_log, daemon=True)
        self._log_thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.is_set():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError("server did not start:\n" + "\n".join(self.log_lines))
            ready.wait(0.05)

    def stop(self):
        """SIGTERM, a bounded wait, then checks the exit status and the log
        for sanitizer reports."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("server did not stop within %ds" % STOP_TIMEOUT_S)
        self._log_thread.join(5)
        log = "\n".join(self.log_lines)
        for mark in SANITIZER_MARKS:
            if mark in log:
                raise AssertionError("sanitizer report in the server log:\n" + log)
        if code != 0:
            raise AssertionError("server exited with %d:\n%s" % (code, log))

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(STOP_TIMEOUT_S)

    def request(self, method, path, headers=None, body=None, timeout=20, source=None):
        """One request on a new connection; source is the loopback address the
        client connects from (127.0.0.2 ...: per-address limits), default
        the kernel's choice (127.0.0.1)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, resp.getheaders(), resp.read())
        finally:
            conn.close()

    def get(self, path, key=None, headers=None):
        h = dict(headers or {})
        if key is not None:
            h["Authorization"] = "Bearer " + key
        return self.request("GET", path, h)

    def wait_log(self, pattern, timeout=5):
        """The first log line matching the regex pattern, waiting up to
        timeout seconds (a request is logged just after its reply is sent);
        None when none appears."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for line in list(self.log_lines):
                if rx.search(line):
                    return line
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def raw(self, payload, timeout=10):
        """Sends raw bytes and returns the raw reply (for malformed requests)."""
        import socket
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(payload)
            chunks = []
            try:
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    chunks.append(data)
            except (socket.timeout, ConnectionResetError):
                pass
        return b"".join(chunks)


def parse_reply(raw):
    """A Reply from the raw bytes of one HTTP/1.1 reply read to the end of
    the connection; None when there is no status line."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if not sep or len(parts) < 2 or not parts[0].startswith("HTTP/1.") or \
            not parts[1].isdigit():
        return None
    headers = [tuple(x.strip() for x in line.split(":", 1)) for line in lines[1:] if ":" in line]
    return Reply(int(parts[1]), headers, body)


class Streamed:
    """What stream_request saw: the reply (None when the connection closed
    without one), the body bytes sent, and whether the whole body was sent
    before the reply came."""

    def __init__(self, reply, sent, all_sent, seconds):
        self.reply = reply
        self.sent = sent
        self.all_sent = all_sent
        self.seconds = seconds   # from the first byte sent to the end of the reply


def stream_request(port, method, path, headers, chunks, length=None, timeout=20, watch=None,
                   min_send=0):
    """Sends a request whose body is the byte strings of the iterable chunks,
    produced as they are sent: with Content-Length: length, or with
    Transfer-Encoding: chunked when length is None. Like a careful client it
    stops sending as soon as a reply arrives (once min_send bytes are sent)
    or the server closes, and reads the reply to the end (the request says
    Connection: close). watch(), when given, is called after each chunk sent.
    Bounded: fails after timeout seconds. Returns a Streamed."""
    import select
    import socket
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" % (method, path)
    for name, value in headers.items():
        head += "%s: %s\r\n" % (name, value)
    head += ("Content-Length: %d\r\n" % length) if length is not None else \
        "Transfer-Encoding: chunked\r\n"
    started = time.monotonic()
    deadline = started + timeout
    sent, all_sent = 0, False
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall((head + "\r\n").encode("latin-1"))
            for data in chunks:
                if sent >= min_send and select.select([s], [], [], 0)[0]:
                    break       # a reply, or the close, is already here
                if time.monotonic() > deadline:
                    raise AssertionError("%s %s: still sending after %ds" % (method, path, timeout))
                s.sendall(data if length is not None else b"%x\r\n%s\r\n" % (len(data), data))
                sent += len(data)
                if watch is not None:
                    watch()
            else:
                if length is None:
                    s.sendall(b"0\r\n\r\n")
                all_sent = True
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        raw = []
        try:
            while time.monotonic() < deadline:
                data = s.recv(65536)
                if not data:
                    break
                raw.append(data)
        except (ConnectionResetError, socket.timeout):
            pass
    return Streamed(parse_reply(b"".join(raw)), sent, all_sent, time.monotonic() - started)


def dir_bytes(path):
    """The bytes of every file under path (0 when it does not exist)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass    # deleted while we looked
    return total


def settled_dir_bytes(path, quiet_s=1.5, limit_s=10.0):
    """dir_bytes(path) once it has not changed for quiet_s (at most limit_s):
    the server writes API keys' use counts about a second after the requests
    that used them, so a measurement of what a request writes starts after
    the earlier requests' writes have landed."""
    deadline = time.monotonic() + limit_s
    last, since = dir_bytes(path), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = dir_bytes(path)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return last


def admin(data_dir, *args, env=None):
    """Runs `raportai admin ARGS --data DATA`; returns (status, stdout, stderr)."""
    full_env = sanitizer_env()
    full_env.update(env or {})
    cmd = [BINARY, "admin"] + list(args) + ["--data", data_dir, "--share", REPO]
    p = subprocess.run(cmd, capture_output=True, timeout=60, env=full_env,
                       stdin=subprocess.DEVNULL)
    err = p.stderr.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in err:
            raise AssertionError("sanitizer report from admin %s:\n%s" % (args[0], err))
    return p.returncode, p.stdout.decode("utf-8", "replace").strip(), err.strip()


def run_binary(*args, env=None, timeout=60):
    """Runs the binary with exactly args (nothing added); returns (status,
    stdout, stderr), both decoded and stripped."""
    full_env = sanitizer_env()
    full_env.update(env or {})
    p = subprocess.run([BINARY] + list(args), capture_output=True, timeout=timeout,
                       env=full_env, stdin=subprocess.DEVNULL)
    err = p.stderr.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in err:
            raise AssertionError("sanitizer report from %s:\n%s" % (args[:2], err))
    return p.returncode, p.stdout.decode("utf-8", "replace").strip(), err.strip()


BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def key_checksum(body):
    """The 6-character base62 CRC32 (most significant first) of a key's first
    37 characters."""
    import zlib
    value = zlib.crc32(body.encode("ascii")) & 0xFFFFFFFF
    out = ""
    for _ in range(6):
        out = BASE62[value % 62] + out
        value //= 62
    return out


def fake_key(random_part=None):
    """A well-formed key (right length, alphabet and checksum) that no server
    issued."""
    import secrets
    if random_part is None:
        random_part = "".join(secrets.choice(BASE62) for _ in range(32))
    body = "rapi_" + random_part
    return body + key_checksum(body)


def db_query(data_dir, sql, params=()):
    """Rows of a read query on DATA/raportai.db (Python's sqlite3)."""
    import sqlite3
    conn = sqlite3.connect(os.path.join(data_dir, "raportai.db"), timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def db_exec(data_dir, script):
    """Runs SQL statements on DATA/raportai.db (to build states no command
    makes, such as an older schema)."""
    import sqlite3
    conn = sqlite3.connect(os.path.join(data_dir, "raportai.db"), timeout=10)
    try:
        conn.executescript(script)
        conn.commit()
    finally:
        conn.close()


def make_org_with_key(data_dir, credits=10, name="Ankara Şehir Hastanesi", email=None):
    """An organization, an active manager and a key: (org_id, email, key)."""
    org = admin_ok(data_dir, "create-org", "--name", name, "--credits", str(credits))
    email = email or "manager-%s@example.org" % org[:8]
    admin_ok(data_dir, "create-user", "--email", email, "--password", "correct horse",
             "--role", "manager", "--org", org)
    key = admin_ok(data_dir, "create-key", "--email", email, "--name", "HBYS")
    return org, email, key


# How long a change another process makes (the admin commands, an
# operator's SQL) may take to reach the server's cache of API keys
# (KEYCACHE_CHECK_MS), and its keys' use counts to reach the database (once
# a second), with room for a slow sanitized build.
SHARED_CHANGE_S = 2.5


def within_a_second(fetch, accept, timeout=SHARED_CHANGE_S):
    """Calls fetch() until accept(result) holds, every 50 ms, for at most
    timeout seconds; returns the last result (the caller asserts on it)."""
    deadline = time.monotonic() + timeout
    result = fetch()
    while not accept(result) and time.monotonic() < deadline:
        time.sleep(0.05)
        result = fetch()
    return result


def admin_ok(data_dir, *args):
    code, out, err = admin(data_dir, *args)
    if code != 0:
        raise AssertionError("admin %s failed (%d): %s" % (" ".join(args), code, err))
    return out


class DataDirTest(unittest.TestCase):
    """A test with a fresh data directory, removed afterwards."""

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="raportai-e2e-")

    def tearDown(self):
        shutil.rmtree(self.data, ignore_errors=True)

    def admin(self, *args):
        return admin(self.data, *args)

    def admin_ok(self, *args):
        return admin_ok(self.data, *args)

    def make_org_with_key(self, credits=10, name="Ankara Şehir Hastanesi", email=None):
        """An organization, an active manager and a key: (org_id, email, key)."""
        return make_org_with_key(self.data, credits, name, email)


class SharedDataDirTest(DataDirTest):
    """Like DataDirTest, but one data directory for the whole class (set up in
    setUpClass, removed in tearDownClass), so a class can share a server and
    its fixtures. Tests must then use their own users and organizations."""

    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="raportai-e2e-")
        cls.addClassCleanup(shutil.rmtree, cls.data, ignore_errors=True)

    @classmethod
    def start_server(cls, extra_args=(), env=None):
        """Starts a server on the class's data directory, stopped (and its
        log checked) after the class, even when setUpClass fails later."""
        srv = Server(cls.data, extra_args, env)
        srv.start()
        cls.addClassCleanup(srv.stop)
        return srv

    def setUp(self):
        pass

    def tearDown(self):
        pass

"""The server itself: /healthz, the request log, storage (schema version,
WAL, restarts, upgrades of an older database), bad input answered with a
clear 4xx and no change, and the serve flags and their environment
variables."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import unittest

from harness import (BINARY, REPO, SANITIZER_MARKS, DataDirTest, Server, SharedDataDirTest,
                     admin_ok, db_exec, db_query, fake_key, make_org_with_key, run_binary,
                     sanitizer_env, stream_request)

TEMPLATES = "/api/external/v1/templates"
LOG_RE = (r"request method=%s path=%s status=%d ms=\d+\.\d client=127\.0\.0\.1 id=%s$")


def migration_count():
    """How many migrations src/store/migrations.c declares (one "{\"name\","
    entry each in store_migrations)."""
    with open(os.path.join(REPO, "src", "store", "migrations.c"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("store_migrations[] = {"):text.index("store_migration_count")]
    return len(re.findall(r'(?m)^    \{"', table))


def send_raw(port, payload, timeout=10):
    """Sends bytes (tolerating the server closing early) and returns what came
    back, b"" when the connection was closed without a reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
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


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", raw)
    return int(m.group(1)) if m else None


# Version 1's tables and their columns (src/store/migrations.c).
VERSION_1 = {
    "organizations": {"id", "name", "type", "active", "credits", "created_at"},
    "users": {"id", "email", "email_key", "name", "role", "org_id", "password_hash", "active",
              "created_at"},
    "credit_ledger": {"id", "org_id", "amount", "balance_after", "reason", "actor",
                      "created_at"},
    "api_keys": {"id", "key_hash", "prefix", "label", "org_id", "user_id", "created_at",
                 "last_used_at", "use_count", "revoked_at"},
    "schema_migrations": None,
}
VERSION_1_INDEXES = {"users_org", "credit_ledger_org", "api_keys_prefix", "api_keys_org"}


def undo_to_version_1(data_dir):
    tables = [r[0] for r in db_query(data_dir, "SELECT name FROM sqlite_master"
                                               " WHERE type = 'table'")]
    script = ["PRAGMA foreign_keys = OFF;"]
    # later triggers first (version 1 had none): they name later tables
    script += ["DROP TRIGGER %s;" % r[0] for r in db_query(
        data_dir, "SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    script += ["DROP TABLE %s;" % t for t in tables if t not in VERSION_1]
    # later indexes on version 1's tables (a column they cover cannot be dropped)
    for name, table in db_query(data_dir, "SELECT name, tbl_name FROM sqlite_master"
                                          " WHERE type = 'index' AND sql IS NOT NULL"):
        if table in VERSION_1 and name not in VERSION_1_INDEXES:
            script.append("DROP INDEX %s;" % name)
    for table, columns in VERSION_1.items():
        if columns is None:
            continue
        for (name,) in db_query(data_dir, "SELECT name FROM pragma_table_info(?)", (table,)):
            if name not in columns:
                script.append("ALTER TABLE %s DROP COLUMN %s;" % (table, name))
    script.append("DELETE FROM schema_migrations WHERE version >= 2;")
    db_exec(data_dir, "\n".join(script))


class HealthAndLog(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "1000"])
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=3)

    def test_healthz(self):
        reply = self.srv.get("/healthz")
        self.assertEqual(reply.status, 200)
        body = reply.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["schemaVersion"], int(admin_ok(self.data, "schema-version")))
        self.assertTrue(reply.headers["content-type"].startswith("application/json"))
        self.assertEqual(reply.headers.get("cache-control"), "no-store")
        self.assertEqual(reply.headers.get("x-content-type-options"), "nosniff")
        rid = reply.headers.get("x-request-id", "")
        self.assertRegex(rid, r"^[0-9a-f]{16}$")
        line = self.srv.wait_log(r"id=%s\b" % rid)
        self.assertIsNotNone(line, "no log line for request %s" % rid)
        self.assertRegex(line, LOG_RE % ("GET", "/healthz", 200, rid))
        self.assertEqual(len([l for l in self.srv.log_lines if rid in l]), 1)
        # Each request has its own id.
        self.assertNotEqual(self.srv.get("/healthz").headers["x-request-id"], rid)

    def test_start_up_logs_no_warning(self):
        start = []
        for line in self.srv.log_lines:
            start.append(line)
            if "listening on" in line:
                break
        self.assertRegex(start[-1], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO serve: "
                                    r"listening on http://127\.0\.0\.1:\d+$")
        self.assertEqual([l for l in start if " WARN " in l or " ERROR " in l], [])

    def test_every_request_is_logged_once(self):
        replies = [(self.srv.get("/nope"), "GET", "/nope", 404),
                   (self.srv.get(TEMPLATES), "GET", TEMPLATES, 401),
                   (self.srv.get(TEMPLATES, key=self.key), "GET", TEMPLATES, 200),
                   (self.srv.request("POST", "/healthz", {}, b"x"), "POST", "/healthz", 405)]
        for reply, method, path, status in replies:
            rid = reply.headers["x-request-id"]
            self.assertEqual(reply.status, status)
            line = self.srv.wait_log(r"id=%s\b" % rid)
            self.assertIsNotNone(line, rid)
            self.assertRegex(line, LOG_RE % (method, re.escape(path), status, rid))
            self.assertEqual(len([l for l in self.srv.log_lines if rid in l]), 1)

    def test_no_query_key_or_patient_data_in_the_log(self):
        secret_query = ("?patientName=Zeynepxq%20Kayaxq&tcKimlik=98765432109"
                        "&token=SECRETQUERY")
        r1 = self.srv.get("/healthz" + secret_query)
        self.assertEqual(r1.status, 200)
        r2 = self.srv.get(TEMPLATES + secret_query, key=self.key)
        self.assertEqual(r2.status, 200)
        bad = fake_key()
        r3 = self.srv.get(TEMPLATES, key=bad)
        self.assertEqual(r3.status, 401)
        for reply, path in ((r1, "/healthz"), (r2, TEMPLATES), (r3, TEMPLATES)):
            rid = reply.headers["x-request-id"]
            line = self.srv.wait_log(r"id=%s\b" % rid)
            self.assertIsNotNone(line, rid)
            self.assertIn(" path=%s " % path, line)
        log = "\n".join(self.srv.log_lines)
        for secret in ("patientName", "Zeynepxq", "Kayaxq", "98765432109", "SECRETQUERY", "?",
                       self.key, self.key[12:], bad, bad[12:], "Bearer"):
            self.assertNotIn(secret, log)

    def test_log_lines_cannot_be_forged(self):
        raw = send_raw(self.srv.port, b"GET /x%0AFORGED%20line%0D HTTP/1.1\r\nHost: a\r\n"
                                      b"Connection: close\r\n\r\n")
        self.assertEqual(status_of(raw), 404, raw[:200])
        line = self.srv.wait_log(r"path=/x%0AFORGED")
        self.assertIsNotNone(line, "\n".join(self.srv.log_lines[-5:]))
        self.assertFalse(any(l.startswith("FORGED") for l in self.srv.log_lines))


class Storage(DataDirTest):

    def test_fresh_directory_is_at_the_latest_version_in_wal_mode(self):
        latest = migration_count()
        self.assertGreaterEqual(latest, 2)
        self.assertEqual(admin_ok(self.data, "schema-version"), str(latest))
        rows = db_query(self.data, "SELECT version FROM schema_migrations ORDER BY version")
        self.assertEqual([r[0] for r in rows], list(range(1, latest + 1)))
        self.assertEqual(db_query(self.data, "PRAGMA journal_mode"), [("wal",)])
        # Foreign keys are declared (the server turns enforcement on for its
        # connections; that setting is per connection and cannot be read from
        # another process), and nothing violates them.
        self.assertTrue(db_query(self.data, "PRAGMA foreign_key_list(users)"))
        self.assertTrue(db_query(self.data, "PRAGMA foreign_key_list(api_keys)"))
        make_org_with_key(self.data)
        self.assertEqual(db_query(self.data, "PRAGMA foreign_key_check"), [])
        with Server(self.data) as srv:
            self.assertEqual(srv.get("/healthz").json()["schemaVersion"], latest)
        self.assertEqual(admin_ok(self.data, "schema-version"), str(latest))

    def test_the_database_and_its_wal_files_are_the_owners_only(self):
        """0600 whatever the umask and the data directory's mode, and a
        database an older version left 0644 is narrowed at start."""
        os.chmod(self.data, 0o755)
        old_umask = os.umask(0o022)
        try:
            db = os.path.join(self.data, "raportai.db")

            def modes():
                return {name: oct(os.stat(db + name).st_mode & 0o777)
                        for name in ("", "-wal", "-shm") if os.path.exists(db + name)}
            with Server(self.data) as srv:
                self.assertEqual(srv.get("/healthz").status, 200)
                self.assertEqual(modes(), {"": "0o600", "-wal": "0o600", "-shm": "0o600"})
            os.chmod(db, 0o644)
            with Server(self.data) as srv:
                self.assertEqual(srv.get("/healthz").status, 200)
                self.assertEqual(modes(), {"": "0o600", "-wal": "0o600", "-shm": "0o600"})
        finally:
            os.umask(old_umask)

    def test_data_survives_a_restart(self):
        org, email, key = make_org_with_key(self.data, credits=7)
        with Server(self.data) as srv:
            reply = srv.get(TEMPLATES, key=key)
            self.assertEqual(reply.status, 200)
            self.assertEqual(reply.json()["remainingCredits"], 7)
            admin_ok(self.data, "add-credits", "--org", org, "--amount", "2")
        with Server(self.data) as srv:
            reply = srv.get(TEMPLATES, key=key)
            self.assertEqual(reply.status, 200)
            self.assertEqual(reply.json()["remainingCredits"], 9)
        rows = admin_ok(self.data, "list-keys", "--org", org).split("\n")[1:]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0].split("\t")[5], "2")

    def test_an_older_database_is_upgraded(self):
        latest = migration_count()
        org, email, key = make_org_with_key(self.data, credits=4)
        # Takes the database back to version 1 by undoing migrations 2 and
        # later: every table version 1 did not have goes, and so does every
        # column added to version 1's tables since. There is no command that
        # stops at an older version.
        undo_to_version_1(self.data)
        self.assertEqual(db_query(self.data, "SELECT MAX(version) FROM schema_migrations"),
                         [(1,)])
        with Server(self.data) as srv:
            self.assertEqual(srv.get("/healthz").json()["schemaVersion"], latest)
            self.assertIsNotNone(srv.wait_log(r"store: migrated to version 2 "))
            self.assertIsNone(srv.wait_log(r"store: migrated to version 1 ", timeout=0))
            reply = srv.get(TEMPLATES, key=key)
            self.assertEqual(reply.status, 200, reply.body)
            self.assertEqual(reply.json()["remainingCredits"], 4)
            brain_ct = [t for t in reply.json()["templates"]
                        if (t["modality"], t["bodyPart"]) == ("CT", "brain")]
            self.assertTrue(brain_ct)
            for t in brain_ct:
                self.assertEqual(t["sutCodes"], ["803910"])
        self.assertEqual(admin_ok(self.data, "schema-version"), str(latest))
        self.assertEqual(db_query(self.data, "SELECT COUNT(*) FROM sut_catalog"), [(3,)])

    def test_a_newer_database_is_refused(self):
        admin_ok(self.data, "schema-version")
        db_exec(self.data, "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (999, 'from the future', '2099-01-01T00:00:00.000Z')")
        code, out, err = run_binary("admin", "schema-version", "--data", self.data,
                                    "--share", REPO)
        self.assertNotEqual(code, 0)
        self.assertEqual(out, "")
        self.assertIn("newer than this build", err)
        code, out, err = run_binary("serve", "--listen", "127.0.0.1:0", "--data", self.data,
                                    "--share", REPO, timeout=30)
        self.assertNotEqual(code, 0)
        self.assertIn("newer than this build", err)


class BadInput(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "1000"])
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=6)

    def setUp(self):
        self.before = db_query(self.data, "SELECT id, revoked_at FROM api_keys ORDER BY id")

    def tearDown(self):
        # The server still answers, and nothing changed: same keys, same
        # balance.
        self.assertEqual(self.srv.get("/healthz").status, 200)
        self.assertEqual(db_query(self.data, "SELECT id, revoked_at FROM api_keys ORDER BY id"),
                         self.before)
        reply = self.srv.get(TEMPLATES, key=self.key)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json()["remainingCredits"], 6)

    def assertError(self, reply, status, code):
        self.assertEqual(reply.status, status, reply.body)
        self.assertEqual(reply.json()["error"]["code"], code)

    def test_huge_header(self):
        raw = send_raw(self.srv.port, b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Junk: " +
                       b"j" * 200 * 1024 + b"\r\n\r\n")
        self.assertIn(status_of(raw), (413, 431), raw[:200])

    def test_many_headers(self):
        headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(2000))
        raw = send_raw(self.srv.port, b"GET /healthz HTTP/1.1\r\nHost: a\r\n" + headers +
                       b"\r\n")
        self.assertIn(status_of(raw), (413, 431), raw[:200])

    def test_huge_url(self):
        raw = send_raw(self.srv.port, b"GET /" + b"a" * 200 * 1024 + b" HTTP/1.1\r\n"
                       b"Host: a\r\n\r\n")
        self.assertIn(status_of(raw), (413, 414, 431), raw[:200])

    def test_invalid_utf8_in_the_path(self):
        for path in (TEMPLATES + "%ff", "/healthz%c3%28", "/api/external/v1/%80"):
            for key in (None, self.key):
                with self.subTest(path=path, key=key is not None):
                    reply = self.srv.get(path, key=key)
                    self.assertError(reply, 400, "INVALID_REQUEST")
                    self.assertNotIn("remainingCredits", reply.json())
        # Not an authenticated use of the key.
        rows = admin_ok(self.data, "list-keys", "--org", self.org).split("\n")[1:]
        uses_before = rows[0].split("\t")[5]
        self.srv.get(TEMPLATES + "%fe", key=self.key)
        rows = admin_ok(self.data, "list-keys", "--org", self.org).split("\n")[1:]
        self.assertEqual(rows[0].split("\t")[5], uses_before)

    def test_invalid_utf8_in_the_authorization_header(self):
        for value in (b"Bearer \xff\xfe\xfd", b"Bearer " + self.key.encode()[:-1] + b"\xff",
                      b"Bearer " + self.key.encode() + b"\xc3", b"\xff" * 50):
            with self.subTest(value=value):
                raw = send_raw(self.srv.port, b"GET " + TEMPLATES.encode() + b" HTTP/1.1\r\n"
                               b"Host: a\r\nConnection: close\r\nAuthorization: " + value +
                               b"\r\n\r\n")
                self.assertEqual(status_of(raw), 401, raw[:300])
                self.assertIn(b'"code":"UNAUTHORIZED"', raw)
                self.assertNotIn(b"remainingCredits", raw)

    def test_sql_metacharacters_in_the_token(self):
        for token in ("' OR '1'='1", "rapi_'; DROP TABLE api_keys; --",
                      "rapi_' UNION SELECT key_hash FROM api_keys --",
                      "rapi_" + "'" * 38, '") OR 1=1 --', "%27%20OR%201=1"):
            with self.subTest(token=token):
                reply = self.srv.get(TEMPLATES, key=token)
                self.assertError(reply, 401, "UNAUTHORIZED")
                self.assertNotIn("remainingCredits", reply.json())

    def test_large_body(self):
        """A body declared larger than 1 MiB, on a route that takes its body
        in memory, is refused from the headers once the route and the caller
        are known (without a key, the External API's answer is the 401)."""
        for path, key, status, code in ((TEMPLATES, self.key, 413, "PAYLOAD_TOO_LARGE"),
                                         (TEMPLATES, None, 401, "UNAUTHORIZED"),
                                         ("/healthz", None, 413, "PAYLOAD_TOO_LARGE")):
            with self.subTest(path=path, key=key is not None):
                headers = {"Content-Type": "application/octet-stream"}
                if key:
                    headers["Authorization"] = "Bearer " + key
                out = stream_request(self.srv.port, "GET", path, headers,
                                     (b"x" * 65536 for _ in range(32)), 2 * 1024 * 1024)
                self.assertIsNotNone(out.reply)
                self.assertError(out.reply, status, code)
                self.assertEqual("remainingCredits" in out.reply.json(), key is not None)

    def test_large_chunked_body(self):
        chunk = b"x" * 0x100000
        raw = send_raw(self.srv.port, b"GET " + TEMPLATES.encode() + b" HTTP/1.1\r\nHost: a\r\n"
                       b"Authorization: Bearer " + self.key.encode() + b"\r\n"
                       b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                       (b"100000\r\n" + chunk + b"\r\n") * 2 + b"0\r\n\r\n")
        self.assertEqual(status_of(raw), 413, raw[:200])
        self.assertIn(b'"code":"PAYLOAD_TOO_LARGE"', raw)

    def test_encoded_nul_in_the_path(self):
        """%00 decodes to a NUL byte; the path must not be cut there and
        answered as the shorter path (".../templates%00.json" is not the
        template list)."""
        answered = []
        for path, key in ((TEMPLATES + "%00.json", self.key), ("/healthz%00/x", None),
                          (TEMPLATES + "%00", self.key)):
            reply = self.srv.get(path, key=key)
            code = reply.json().get("error", {}).get("code")
            if reply.status not in (400, 404) or code not in ("INVALID_REQUEST", "NOT_FOUND"):
                answered.append((path, reply.status, reply.body[:60]))
        self.assertEqual(answered, [], "paths with %00 answered as the path cut at the NUL")

    def test_garbage_that_is_not_http(self):
        for payload in (b"\x00\x01\x02\x03garbage\r\n\r\n", b"HELLO\r\n\r\n",
                        b"GET\r\n\r\n", b"GET / HTTP/1.1 extra\r\n\r\n",
                        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
                        b"GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n"):
            with self.subTest(payload=payload[:20]):
                raw = send_raw(self.srv.port, payload, timeout=1)
                status = status_of(raw)
                self.assertTrue(raw == b"" or (status is not None and 400 <= status < 500),
                                raw[:200])

    def test_unsupported_http_version(self):
        raw = send_raw(self.srv.port, b"GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n", timeout=3)
        self.assertEqual(status_of(raw), 505, raw[:200])

    def test_half_request_then_close(self):
        with socket.create_connection(("127.0.0.1", self.srv.port), timeout=5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc")
        with socket.create_connection(("127.0.0.1", self.srv.port), timeout=5) as s:
            s.sendall(b"GET /heal")


class ServeFlags(DataDirTest):

    def serve_refused(self, args, env=None, timeout=30):
        """Runs serve expecting it to exit at once; returns (code, stderr)."""
        full_env = sanitizer_env()
        full_env.update(env or {})
        cmd = [BINARY, "serve", "--share", REPO] + args
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=full_env,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            self.fail("serve %r did not exit" % (args,))
        err = p.stderr.decode("utf-8", "replace")
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, err)
        return p.returncode, err

    def test_bad_listen_address(self):
        for addr in ("bad", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:-1",
                     "localhost:8080", "999.1.1.1:80", "[::1:80", ":8080"):
            with self.subTest(addr=addr):
                code, err = self.serve_refused(["--data", self.data, "--listen", addr])
                self.assertEqual(code, 2, err)
                self.assertIn("listen address '%s' is not IPv4:port or [IPv6]:port" % addr, err)
                self.assertNotIn("listening on", err)

    def test_address_in_use(self):
        with Server(self.data) as srv:
            code, err = self.serve_refused(["--data", self.data, "--listen",
                                            "127.0.0.1:%d" % srv.port])
            self.assertNotEqual(code, 0, err)
            self.assertIn("cannot listen on 127.0.0.1:%d" % srv.port, err)
            self.assertEqual(srv.get("/healthz").status, 200)

    def test_bad_rate_limit(self):
        for value in ("0", "abc", "-1", "100001", "", "1.5", "5x"):
            with self.subTest(value=value):
                code, err = self.serve_refused(["--data", self.data, "--listen", "127.0.0.1:0",
                                                "--rate-limit", value])
                self.assertEqual(code, 2, err)
                self.assertIn("--rate-limit must be a whole number from 1 to 100000", err)
        code, err = self.serve_refused(["--data", self.data, "--listen", "127.0.0.1:0"],
                                       env={"RAPORTAI_RATE_LIMIT": "0"})
        self.assertEqual(code, 2, err)
        self.assertIn("--rate-limit must be", err)
        # Nothing was created for a refused start.
        self.assertFalse(os.path.exists(os.path.join(self.data, "raportai.db")))

    def test_environment_only(self):
        data = os.path.join(self.data, "from-env")
        org, _, key = make_org_with_key(data, credits=8)
        env = {"RAPORTAI_LISTEN": "127.0.0.1:0", "RAPORTAI_DATA": data,
               "RAPORTAI_RATE_LIMIT": "4"}
        cwd_var = os.path.join(os.getcwd(), "var")
        existed = os.path.exists(cwd_var)
        with Server("unused", env=env, flags=False) as srv:
            reply = srv.get(TEMPLATES, key=key)
            self.assertEqual(reply.status, 200, reply.body)
            self.assertEqual(reply.json()["remainingCredits"], 8)
            self.assertEqual(reply.headers.get("ratelimit-limit"), "4")
        self.assertEqual(os.path.exists(cwd_var), existed)

    def test_flags_win_over_the_environment(self):
        org, _, key = make_org_with_key(self.data, credits=2)
        other = os.path.join(self.data, "other")
        with Server(self.data, env={"RAPORTAI_DATA": other,
                                    "RAPORTAI_LISTEN": "127.0.0.1:1"}) as srv:
            reply = srv.get(TEMPLATES, key=key)
            self.assertEqual(reply.status, 200, reply.body)
            self.assertEqual(reply.json()["remainingCredits"], 2)
        self.assertFalse(os.path.exists(other))

    def test_unusable_data_directory(self):
        missing = os.path.join(self.data, "no", "such", "dir")
        code, out, err = run_binary("admin", "schema-version", "--data", missing,
                                    "--share", REPO)
        self.assertNotEqual(code, 0)
        self.assertEqual(out, "")
        self.assertIn("cannot open the data directory %s" % missing, err)
        code, err = self.serve_refused(["--data", missing, "--listen", "127.0.0.1:0"])
        self.assertNotEqual(code, 0)
        self.assertIn("cannot open the data directory %s" % missing, err)

    def test_bad_template_library_is_refused_at_start(self):
        share = tempfile.mkdtemp(prefix="raportai-share-")
        self.addCleanup(shutil.rmtree, share, ignore_errors=True)
        os.makedirs(os.path.join(share, "data", "templates"))
        os.makedirs(os.path.join(share, "data", "sut"))
        shutil.copy(os.path.join(REPO, "data", "sut", "known-codes.csv"),
                    os.path.join(share, "data", "sut"))
        with open(os.path.join(share, "data", "templates", "manifest.tsv"), "w") as f:
            f.write("file\tname\tmodality\tbody_part\tlanguage\n"
                    "../../etc/passwd.txt\tx\tCT\tbrain\ttr\n")
        code, err = self.serve_refused(["--data", self.data, "--listen", "127.0.0.1:0",
                                        "--share", share])
        self.assertNotEqual(code, 0)
        self.assertIn("template library", err)
        self.assertIn("manifest.tsv line 2", err)
        self.assertNotIn("listening on", err)

    def test_admin_reads_raportai_data(self):
        data = os.path.join(self.data, "admin-env")
        code, out, err = run_binary("admin", "create-org", "--name", "Çevre", "--share", REPO,
                                    env={"RAPORTAI_DATA": data})
        self.assertEqual(code, 0, err)
        self.assertEqual(db_query(data, "SELECT id, name FROM organizations"), [(out, "Çevre")])


if __name__ == "__main__":
    unittest.main()

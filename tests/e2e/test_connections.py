"""Connections under abuse (issue 11, "Connections"), against the real server
with small deadlines:

- a client that sends its headers a line at a time, never finishing them,
  is cut once the header deadline passes (it is never idle, so the idle
  timeout would hold it for ever), logged once with its address, while a
  normal client is served meanwhile;
- an authenticated upload whose body arrives below the minimum rate is cut
  after its grace and leaves nothing in DATA/uploads and no job;
- X-Forwarded-For is read only from a trusted proxy (--trusted-proxy): the
  sign-in limits count the forwarded client, a forged entry to the left of
  the proxy's is ignored, and the header from anyone else changes nothing;
- the session cookie is Secure only when a trusted proxy says https;
- Expect: 100-continue is answered only after admission: a refused upload
  reads its refusal, an admitted request gets its 100 Continue;
- 600 idle connections from ten other addresses (more than the previous 512
  in all) leave room for a normal client, while one address still gets 64;
- the open-files limit is raised at start and bounds --max-connections;
  bad --trusted-proxy values are refused at start.

Clients connect from loopback addresses 127.0.0.2 ... (Linux routes all of
127.0.0.0/8 to lo). Every wait is bounded."""

import os
import resource
import select
import socket
import time

from harness import (REPO, Server, SharedDataDirTest, db_query, fake_key, make_org_with_key,
                     run_binary, stream_request)
from jobs_helpers import REPORT, streamed_form
from web_helpers import PASSWORD, WebClient, make_user

HEADER_TIMEOUT_S = 2
BODY_GRACE_S = 1
MIN_BODY_RATE = 4096
ADDRESS_LIMIT = 3
PROXY = "127.0.0.3"
WAIT_CUT_S = 15       # the cut comes within this, under ASan, on a busy machine


def closed_by_peer(sock, within_s):
    """True when the server ends the connection (EOF or reset) within
    within_s seconds; what it sends meanwhile is read and dropped."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if select.select([sock], [], [], 0.1)[0]:
            try:
                if not sock.recv(4096):
                    return True
            except ConnectionResetError:
                return True
    return False


class Connections(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server([
            "--header-timeout", str(HEADER_TIMEOUT_S), "--body-grace", str(BODY_GRACE_S),
            "--min-body-rate", str(MIN_BODY_RATE), "--trusted-proxy", PROXY + ",::1",
            "--signin-address-limit", str(ADDRESS_LIMIT), "--workers", "1"])

    def connect(self, source):
        return socket.create_connection(("127.0.0.1", self.srv.port), timeout=10,
                                        source_address=(source, 0))

    def test_a_client_slow_with_its_headers_is_cut_while_others_are_served(self):
        slow = [self.connect("127.0.0.2") for _ in range(20)]
        try:
            for s in slow:
                s.sendall(b"GET /healthz HTTP/1.1\r\n")
            cut = [False] * len(slow)
            served = 0
            # A header line every 0.3 s: never idle, never complete.
            for i in range(int(WAIT_CUT_S / 0.3)):
                for j, s in enumerate(slow):
                    if not cut[j]:
                        try:
                            s.sendall(b"X-Slow-%d: 1\r\n" % i)
                        except (BrokenPipeError, ConnectionResetError):
                            cut[j] = True
                        else:
                            cut[j] = closed_by_peer(s, 0)
                if i % 3 == 0:
                    self.assertEqual(self.srv.get("/healthz").status, 200)
                    served += 1
                if all(cut):
                    break
                time.sleep(0.3)
            self.assertTrue(all(cut), "every slow client was cut")
            self.assertGreater(served, 1)
        finally:
            for s in slow:
                s.close()
        line = self.srv.wait_log(r"WARN http: cut a connection from 127\.0\.0\.2: its "
                                 r"request's headers were not complete within 2000 ms")
        self.assertIsNotNone(line)

    def test_a_kept_alive_connection_idle_past_the_deadline_is_closed(self):
        s = self.connect("127.0.0.2")
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = b""
            while b"\r\n\r\n" not in reply:
                reply += s.recv(4096)
            self.assertTrue(reply.startswith(b"HTTP/1.1 200"), reply)
            self.assertTrue(closed_by_peer(s, WAIT_CUT_S))
        finally:
            s.close()

    def test_a_slow_upload_is_cut_and_leaves_nothing(self):
        _, _, key = make_org_with_key(self.data, credits=5, name="Yavaş Hastanesi")
        uploads = os.path.join(self.data, "uploads")
        size = 64 * 1024
        ctype, length, chunks = streamed_form("audio", size, [("sutCode", "803910")], chunk=512)
        seen = {"upload": 0}

        def slowly():
            # 16 KiB at once, then 512 bytes a second: an eighth of the rate.
            for i, data in enumerate(chunks):
                if i > 32:
                    time.sleep(1)
                yield data

        def watch():
            seen["upload"] = max(seen["upload"], sum(
                os.path.getsize(os.path.join(uploads, f)) for f in os.listdir(uploads)))

        sent = stream_request(self.srv.port, "POST", REPORT,
                              {"Authorization": "Bearer " + key, "Content-Type": ctype},
                              slowly(), length=length, timeout=WAIT_CUT_S + 10, watch=watch)
        self.assertIsNone(sent.reply, "cut without an answer")
        self.assertFalse(sent.all_sent)
        self.assertGreater(seen["upload"], 0, "the upload had reached the disk")
        self.assertIsNotNone(self.srv.wait_log(
            r"WARN http: cut a connection from 127\.0\.0\.1: its request's body came slower "
            r"than 4096 bytes/s"))
        self.assertIsNotNone(self.srv.wait_log(r"path=/api/external/v1/report status=0 .*"
                                               r"aborted=1"))
        self.assertEqual(os.listdir(uploads), [])
        self.assertEqual(db_query(self.data, "SELECT COUNT(*) FROM jobs"), [(0,)])

    def login(self, source, email, password="wrong", headers=None):
        return WebClient(self.srv, source).post(
            "/api/v1/auth/login", {"path": "user", "email": email, "password": password},
            headers=headers)

    def address_rows(self, address):
        return db_query(self.data, "SELECT COUNT(*) FROM login_throttle WHERE throttle_key = ?",
                        ("address " + address,))[0][0]

    def test_the_sign_in_limit_counts_the_client_a_trusted_proxy_forwards(self):
        xff = {"X-Forwarded-For": "203.0.113.7"}
        for i in range(ADDRESS_LIMIT):
            self.assertEqual(self.login(PROXY, "nobody%d@proxy.example" % i, headers=xff).status,
                             401)
        locked = self.login(PROXY, "someone@proxy.example", headers=xff)
        self.assertEqual((locked.status, locked.error_code()), (429, "LOGIN_LOCKED"))
        # Another client behind the same proxy is not locked, even when it
        # forges the locked one's address to the left of the proxy's entry.
        for other in ("203.0.113.8", "203.0.113.7, 203.0.113.9",
                      "203.0.113.7,[2001:db8::5]:443", "203.0.113.7, 127.0.0.1, ::1"):
            reply = self.login(PROXY, "someone@proxy.example",
                               headers={"X-Forwarded-For": other})
            self.assertEqual(reply.status, 401, other)
        self.assertEqual(self.address_rows("203.0.113.7"), 1)
        self.assertEqual(self.address_rows("2001:db8::/64"), 1, "IPv6 counts by its /64")
        self.assertEqual(self.address_rows("127.0.0.1"), 1,
                         "127.0.0.1 is not trusted: it is the client")
        self.assertEqual(self.address_rows(PROXY), 0, "the proxy itself is not counted")
        self.assertIsNotNone(self.srv.wait_log(
            r"request method=POST path=/api/v1/auth/login status=401 ms=\S+ "
            r"client=203\.0\.113\.8 proxy=127\.0\.0\.3 id="))
        # A header the proxy garbled: the proxy's own address counts.
        self.assertEqual(self.login(PROXY, "x@proxy.example",
                                    headers={"X-Forwarded-For": "203.0.113.7, unknown"}).status,
                         401)
        self.assertEqual(self.address_rows(PROXY), 1)

    def test_x_forwarded_for_from_anyone_else_is_ignored(self):
        spoofer = "127.0.0.4"
        for i in range(ADDRESS_LIMIT):
            reply = self.login(spoofer, "spoof%d@proxy.example" % i,
                               headers={"X-Forwarded-For": "198.51.100.%d" % i})
            self.assertEqual(reply.status, 401)
        locked = self.login(spoofer, "spoof@proxy.example",
                            headers={"X-Forwarded-For": "198.51.100.99"})
        self.assertEqual((locked.status, locked.error_code()), (429, "LOGIN_LOCKED"))
        self.assertEqual(self.address_rows(spoofer), 1)
        self.assertIsNone(self.srv.wait_log(r"client=198\.51\.100\.", timeout=0))
        for i in range(ADDRESS_LIMIT):
            self.assertEqual(self.address_rows("198.51.100.%d" % i), 0)

    def test_the_cookie_is_secure_only_behind_a_trusted_proxy_saying_https(self):
        email = "secure@proxy.example"
        make_user(self.data, "individual", email)
        xff = {"X-Forwarded-For": "192.0.2.1"}
        cases = [
            (PROXY, dict(xff, **{"X-Forwarded-Proto": "https"}), True),
            (PROXY, dict(xff, **{"X-Forwarded-Proto": "HTTPS"}), True),
            (PROXY, dict(xff, **{"X-Forwarded-Proto": "http"}), False),
            (PROXY, xff, False),
            ("127.0.0.5", {"X-Forwarded-Proto": "https"}, False),
        ]
        for source, headers, secure in cases:
            reply = self.login(source, email, PASSWORD, headers=headers)
            self.assertEqual(reply.status, 200, (source, headers))
            cookie = reply.headers["set-cookie"]
            self.assertEqual("; Secure" in cookie, secure, (source, headers, cookie))

    def expect_continue(self, head):
        """Sends head (with Expect: 100-continue, no body) and returns the
        first bytes the server answers with."""
        with self.connect("127.0.0.6") as s:
            s.sendall(head.encode("latin-1"))
            data = b""
            deadline = time.monotonic() + 10
            while b"\r\n\r\n" not in data and time.monotonic() < deadline:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data

    def test_expect_100_continue_is_answered_after_admission(self):
        refused = self.expect_continue(
            "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n"
            "Expect: 100-continue\r\n\r\n" % (REPORT, fake_key()))
        self.assertTrue(refused.startswith(b"HTTP/1.1 401 "), refused[:100])
        admitted = self.expect_continue(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 10\r\nExpect: 100-continue\r\n\r\n")
        self.assertTrue(admitted.startswith(b"HTTP/1.1 100 Continue"), admitted[:100])


class Limits(SharedDataDirTest):

    def test_the_open_files_limit_is_raised_and_bounds_the_connections(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or hard < 1024:
            self.skipTest("needs a finite hard open-files limit of at least 1024")
        asked = min(hard, 100000)          # the option's bound
        allowed = min(asked, hard - 256)   # what the limit leaves for connections
        resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard))
        try:
            srv = Server(self.data, ["--max-connections", str(asked)])
            srv.start()
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        try:
            if allowed < asked:
                self.assertIsNotNone(srv.wait_log(
                    r"--max-connections %d lowered to %d: the open-files limit is %d"
                    % (asked, allowed, hard)))
            self.assertIsNotNone(srv.wait_log(
                r"open files: %d \(was 512, hard limit %d\); up to %d connections, 64 from one "
                r"address" % (hard, hard, allowed)))
            self.assertEqual(srv.get("/healthz").status, 200)
        finally:
            srv.stop()

    def test_many_idle_connections_leave_room_for_others_but_not_one_address(self):
        # No header deadline: the held connections stay for the whole test,
        # so only the connection limits decide whether others get in.
        with Server(self.data, ["--header-timeout", "0"]) as srv:
            def connect(source):
                return socket.create_connection(("127.0.0.1", srv.port), timeout=10,
                                                source_address=(source, 0))
            # More than the 512 connections in all of the previous defaults,
            # 60 from each of ten addresses, each with half a request.
            held = []
            try:
                for i in range(10):
                    for _ in range(60):
                        held.append(connect("127.0.0.%d" % (20 + i)))
                        held[-1].sendall(b"GET /healthz HTTP/1.1\r\n")
                for _ in range(5):
                    self.assertEqual(srv.get("/healthz").status, 200)
                # One address still gets 64 at most: the 65th is closed unanswered.
                held += [connect("127.0.0.20") for _ in range(4)]
                with connect("127.0.0.20") as extra:
                    try:
                        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                        answer = extra.recv(4096)
                    except ConnectionResetError:
                        answer = b""
                    self.assertEqual(answer, b"")
                self.assertEqual(srv.get("/healthz").status, 200)
            finally:
                for s in held:
                    s.close()

    def serve(self, *args):
        return run_binary("serve", "--data", self.data, "--listen", "127.0.0.1:0",
                          "--share", REPO, *args, timeout=60)

    def test_bad_trusted_proxies_are_refused_at_start(self):
        for value, says in [("10.0.0.1,proxy.example", "'proxy.example' is not an IPv4 or IPv6"),
                            ("10.0.0.1,,10.0.0.2", "'' is not an IPv4 or IPv6"),
                            ("10.0.0.0/8", "'10.0.0.0/8' is not"),
                            (",".join("10.0.0.%d" % i for i in range(33)),
                             "more than 32 trusted proxies")]:
            code, _, err = self.serve("--trusted-proxy", value)
            self.assertEqual(code, 2, err)
            self.assertIn("--trusted-proxy: " + says, err)
            self.assertNotIn("listening", err)

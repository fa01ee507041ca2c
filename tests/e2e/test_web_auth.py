"""The web app's sign-in paths, sessions, CSRF, sign-in throttling, the
protected pages and the security headers, against the real server."""

import os
import time

from harness import Server, SharedDataDirTest, DataDirTest, admin_ok, db_exec, db_query
from web_helpers import PASSWORD, PATH_OF_ROLE, WebClient, make_people, signed_in

PATHS = ("user", "corporate", "admin", "accounting")
HOME = {"user": "/dashboard.html", "corporate": "/organization.html",
        "admin": "/admin.html", "accounting": "/accounting.html"}
LOGIN_PAGE = {"user": "/login.html", "corporate": "/kurumsal-login.html",
              "admin": "/admin-login.html", "accounting": "/accounting-login.html"}


class SignInPaths(SharedDataDirTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = make_people(cls.data, "p")
        cls.server = Server(cls.data).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        # Refused attempts count against the e-mail (tests of that are in
        # SignInThrottle); each test here starts with a clean count.
        db_exec(self.data, "DELETE FROM login_throttle")

    def test_each_role_signs_in_on_its_path_and_lands_on_its_home(self):
        for role, path in PATH_OF_ROLE.items():
            with self.subTest(role=role):
                client = WebClient(self.server)
                reply = client.login(path, self.people[role])
                self.assertEqual(reply.status, 200, reply.body)
                body = reply.json()
                self.assertEqual(body["path"], path)
                self.assertEqual(body["redirect"], HOME[path])
                self.assertEqual(body["user"]["role"], role)
                self.assertRegex(body["csrfToken"], r"^[0-9a-f]{64}$")
                if path in ("user", "corporate"):
                    self.assertIsNotNone(body["organization"])
                else:
                    self.assertIsNone(body["organization"])
                cookie = reply.headers["set-cookie"]
                self.assertIn("HttpOnly", cookie)
                self.assertIn("SameSite=Strict", cookie)
                self.assertIn("Path=/", cookie)
                self.assertNotIn("Secure", cookie)  # plain http on loopback
                session = client.get("/api/v1/session")
                self.assertEqual(session.status, 200)
                self.assertEqual(session.json()["user"]["email"], self.people[role])

    def test_a_role_on_another_path_gets_the_wrong_password_answer(self):
        wrong = WebClient(self.server).login("user", "nobody@example.org")
        self.assertEqual(wrong.status, 401)
        expected = wrong.json()
        for role, own in PATH_OF_ROLE.items():
            for path in PATHS:
                if path == own:
                    continue
                with self.subTest(role=role, path=path):
                    client = WebClient(self.server)
                    reply = client.login(path, self.people[role])
                    self.assertEqual(reply.status, 401)
                    self.assertEqual(reply.json(), expected)
                    self.assertNotIn("set-cookie", reply.headers)
                db_exec(self.data, "DELETE FROM login_throttle")

    def test_wrong_password_and_unknown_email_answer_alike(self):
        a = WebClient(self.server).login("user", self.people["individual"], "not the password")
        b = WebClient(self.server).login("user", "ghost@example.org", "not the password")
        self.assertEqual((a.status, a.json()), (b.status, b.json()))
        self.assertEqual(a.error_code(), "INVALID_CREDENTIALS")

    def test_a_session_of_one_path_opens_nothing_of_another(self):
        user = signed_in(self.server, self.people, "individual")
        for page in ("/admin.html", "/accounting.html", "/organization.html"):
            with self.subTest(page=page):
                reply = user.get(page)
                self.assertEqual(reply.status, 303)
        self.assertEqual(user.get("/admin.html").headers["location"], "/admin-login.html")
        self.assertEqual(user.get("/dashboard.html").status, 200)
        admin = signed_in(self.server, self.people, "admin")
        self.assertEqual(admin.get("/dashboard.html").status, 303)
        self.assertEqual(admin.get("/admin.html").status, 200)

    def test_protected_pages_without_a_session_go_to_their_sign_in_page(self):
        expected = {"/dashboard.html": "/login.html", "/reporting-ai.html": "/login.html",
                    "/organization.html": "/kurumsal-login.html",
                    "/api-keys.html": "/kurumsal-login.html",
                    "/admin.html": "/admin-login.html",
                    "/accounting.html": "/accounting-login.html"}
        anonymous = WebClient(self.server)
        for page, login in expected.items():
            with self.subTest(page=page):
                reply = anonymous.get(page)
                self.assertEqual(reply.status, 303)
                self.assertEqual(reply.headers["location"], login)

    def test_api_keys_page_is_for_managers_only(self):
        self.assertEqual(signed_in(self.server, self.people, "manager")
                         .get("/api-keys.html").status, 200)
        for role in ("radiologist", "doctor", "technical"):
            with self.subTest(role=role):
                self.assertEqual(signed_in(self.server, self.people, role)
                                 .get("/api-keys.html").status, 303)

    def test_sign_out_ends_the_session_for_good(self):
        client = signed_in(self.server, self.people, "radiologist")
        token = client.token
        reply = client.post("/api/v1/auth/logout")
        self.assertEqual(reply.status, 204)
        self.assertIn("Max-Age=0", reply.headers["set-cookie"])
        stale = WebClient(self.server)
        stale.token = token
        self.assertEqual(stale.get("/api/v1/session").error_code(), "UNAUTHENTICATED")
        self.assertEqual(stale.get("/organization.html").status, 303)

    def test_no_session_is_401_and_a_forged_cookie_is_no_session(self):
        anonymous = WebClient(self.server)
        self.assertEqual(anonymous.get("/api/v1/session").error_code(), "UNAUTHENTICATED")
        anonymous.token = "0" * 64
        self.assertEqual(anonymous.get("/api/v1/session").status, 401)
        anonymous.token = "../../etc/passwd"
        self.assertEqual(anonymous.get("/api/v1/session").status, 401)

    def test_the_token_is_stored_only_as_a_hash(self):
        client = signed_in(self.server, self.people, "accounting")
        rows = db_query(self.data, "SELECT token_hash FROM sessions")
        self.assertTrue(rows)
        self.assertNotIn(client.token, [r[0] for r in rows])

    def test_state_changes_need_the_sessions_csrf_token(self):
        client = signed_in(self.server, self.people, "individual")
        no_token = client.post("/api/v1/auth/logout", csrf=False)
        self.assertEqual(no_token.status, 403)
        self.assertEqual(no_token.error_code(), "CSRF_FAILED")
        other = signed_in(self.server, self.people, "doctor")
        wrong = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": other.csrf})
        self.assertEqual(wrong.error_code(), "CSRF_FAILED")
        cross_site = client.post("/api/v1/auth/logout",
                                 headers={"Origin": "https://evil.example"})
        self.assertEqual(cross_site.error_code(), "CSRF_FAILED")
        self.assertEqual(client.get("/api/v1/session").status, 200)  # nothing ended

    def test_sign_in_needs_a_json_body(self):
        client = WebClient(self.server)
        form = client.request("POST", "/api/v1/auth/login",
                              raw=b"path=user&email=a%40b.c&password=x",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(form.status, 415)
        bad = client.request("POST", "/api/v1/auth/login", raw=b"{not json",
                             headers={"Content-Type": "application/json"})
        self.assertEqual(bad.error_code(), "INVALID_REQUEST")
        no_path = client.post("/api/v1/auth/login", {"email": "a@b.c", "password": "x"})
        self.assertEqual((no_path.status, no_path.json()["error"].get("field")), (400, "path"))
        typed = client.post("/api/v1/auth/login", {"path": "user", "email": 5, "password": "x"})
        self.assertEqual(typed.status, 400)

    def test_unknown_api_paths_and_methods(self):
        client = signed_in(self.server, self.people, "individual")
        self.assertEqual(client.get("/api/v1/no-such-thing").status, 404)
        self.assertEqual(client.request("DELETE", "/api/v1/session").status, 405)

    def test_pages_carry_the_security_headers(self):
        for page in ("/login.html", "/kurumsal-login.html", "/api/v1/session", "/healthz"):
            with self.subTest(page=page):
                h = WebClient(self.server).get(page).headers
                csp = h["content-security-policy"]
                self.assertIn("script-src 'self'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertEqual(h["x-frame-options"], "DENY")
                self.assertEqual(h["x-content-type-options"], "nosniff")

    def test_static_files_are_served_with_etags_and_nothing_else(self):
        client = WebClient(self.server)
        page = client.get("/login.html")
        self.assertEqual(page.status, 200)
        self.assertTrue(page.headers["content-type"].startswith("text/html"))
        again = client.get("/login.html", headers={"If-None-Match": page.headers["etag"]})
        self.assertEqual(again.status, 304)
        self.assertEqual(client.get("/").status, 200)
        for path in ("/../README.md", "/web/login.html", "/login.html/", "/.gitignore",
                     "/%2e%2e/Makefile"):
            with self.subTest(path=path):
                self.assertEqual(client.get(path).status, 404)


class SessionLifetime(DataDirTest):
    def test_an_idle_session_ends(self):
        people = make_people(self.data, "i")
        with Server(self.data, ["--session-idle-minutes", "5"]) as server:
            client = signed_in(server, people, "individual")
            self.assertEqual(client.get("/api/v1/session").status, 200)
            stale_ms = int(time.time() * 1000) - 6 * 60 * 1000
            db_exec(self.data, "UPDATE sessions SET last_seen_ms = %d" % stale_ms)
            self.assertEqual(client.get("/api/v1/session").status, 401)
            self.assertEqual(db_query(self.data, "SELECT count(*) FROM sessions")[0][0], 0)

    def test_a_busy_session_still_ends_at_its_absolute_expiry(self):
        people = make_people(self.data, "x")
        with Server(self.data, ["--session-hours", "1"]) as server:
            client = signed_in(server, people, "manager")
            reply = client.get("/api/v1/session").json()
            expires = reply["expiresAt"]
            self.assertRegex(expires, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
            db_exec(self.data, "UPDATE sessions SET expires_ms = %d"
                    % (int(time.time() * 1000) - 1))
            self.assertEqual(client.get("/api/v1/session").status, 401)

    def test_deactivating_a_user_ends_their_sessions_and_bars_sign_in(self):
        people = make_people(self.data, "d")
        with Server(self.data) as server:
            client = signed_in(server, people, "radiologist")
            admin_ok(self.data, "set-active", "--email", people["radiologist"], "--active", "0")
            self.assertEqual(client.get("/api/v1/session").status, 401)
            again = WebClient(server).login("corporate", people["radiologist"])
            self.assertEqual(again.error_code(), "INVALID_CREDENTIALS")

    def test_secure_cookies_switch(self):
        people = make_people(self.data, "s")
        with Server(self.data, ["--secure-cookies"]) as server:
            reply = WebClient(server).login("user", people["individual"])
            self.assertIn("; Secure", reply.headers["set-cookie"])


class SignInThrottle(DataDirTest):
    """The per-(address, e-mail) limit from one address (127.0.0.1); the
    per-address and per-e-mail limits, and other addresses, are
    test_signin_limits's."""

    def setUp(self):
        super().setUp()
        self.people = make_people(self.data, "t")

    def pin_last_failure_to_now(self):
        """The first wait lasts two seconds from the last failure; a loaded
        machine can take that long between two requests, so the test dates
        the failure to the moment before the next attempt."""
        db_exec(self.data, "UPDATE login_throttle SET last_ms = %d"
                " WHERE throttle_key LIKE 'pair %%'" % int(time.time() * 1000))

    def test_failures_slow_down_then_lock_even_the_right_password(self):
        email = self.people["individual"]
        with Server(self.data) as server:
            for _ in range(3):
                self.assertEqual(WebClient(server).login("user", email, "wrong one").status, 401)
            self.pin_last_failure_to_now()
            slowed = WebClient(server).login("user", email)
            self.assertEqual(slowed.status, 429)
            self.assertEqual(slowed.error_code(), "LOGIN_LOCKED")
            self.assertIn(slowed.headers["retry-after"], ("1", "2"))
            # Four failures, the last long enough ago that the wait is over.
            now = int(time.time() * 1000)
            db_exec(self.data, "UPDATE login_throttle SET attempts = 4, last_ms = %d"
                    " WHERE throttle_key LIKE 'pair %%'" % (now - 60000))
            self.assertEqual(WebClient(server).login("user", email, "wrong").status, 401)
            locked = WebClient(server).login("user", email)
            self.assertEqual(locked.status, 429)
            self.assertGreater(int(locked.headers["retry-after"]), 250)
            self.assertEqual(locked.json()["retryAfterSeconds"],
                             int(locked.headers["retry-after"]))
            self.assertEqual(db_query(self.data, "SELECT count(*) FROM sessions")[0][0], 0)

    def test_unknown_emails_are_throttled_alike(self):
        with Server(self.data) as server:
            for _ in range(3):
                WebClient(server).login("user", "ghost@example.org", "guess")
            self.pin_last_failure_to_now()
            self.assertEqual(WebClient(server).login("user", "ghost@example.org",
                                                     "guess").status, 429)
            # Another e-mail is not affected.
            self.assertEqual(WebClient(server).login("user", self.people["individual"]).status,
                             200)

    def test_success_forgets_its_pair_and_keeps_the_other_failures(self):
        email = self.people["admin"]
        with Server(self.data) as server:
            for _ in range(2):
                WebClient(server).login("admin", email, "wrong")
            self.assertEqual(WebClient(server).login("admin", email).status, 200)
            rows = dict(db_query(self.data, "SELECT throttle_key, attempts FROM login_throttle"))
            self.assertEqual(rows, {"address 127.0.0.1": 2, "email " + email: 2,
                                    "known 127.0.0.1 " + email: 0},
                             "the success itself is not counted, and makes the address known")


class Registration(SharedDataDirTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(cls.data).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def register(self, **fields):
        body = {"organizationName": "İzmir Görüntüleme", "organizationType": "imaging_center",
                "name": "Ayşe Yılmaz", "email": "ayse@izmir.example", "password": PASSWORD}
        body.update(fields)
        return WebClient(self.server).post("/api/v1/auth/register", body)

    def test_a_registered_organization_waits_for_approval(self):
        reply = self.register(email="wait@izmir.example")
        self.assertEqual(reply.status, 202, reply.body)
        self.assertEqual(reply.json()["organization"]["status"], "pending")
        login = WebClient(self.server).login("corporate", "wait@izmir.example")
        self.assertEqual(login.error_code(), "INVALID_CREDENTIALS")

    def test_bad_registrations_change_nothing(self):
        before = db_query(self.data, "SELECT count(*) FROM organizations")[0][0]
        cases = {"organizationName": "", "organizationType": "personal",
                 "email": "not-an-email", "password": "short", "name": " padded"}
        for field, value in cases.items():
            with self.subTest(field=field):
                reply = self.register(**{field: value})
                self.assertEqual(reply.status, 400)
                self.assertEqual(reply.json()["error"]["field"], field)
        self.assertEqual(db_query(self.data, "SELECT count(*) FROM organizations")[0][0], before)

    def test_a_taken_email_is_refused(self):
        self.assertEqual(self.register(email="twice@izmir.example").status, 202)
        before = db_query(self.data, "SELECT count(*) FROM organizations")[0][0]
        again = self.register(email="TWICE@izmir.example")
        self.assertEqual((again.status, again.error_code()), (409, "ALREADY_EXISTS"))
        self.assertEqual(db_query(self.data, "SELECT count(*) FROM organizations")[0][0], before)

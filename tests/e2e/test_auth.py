"""External API v1 authentication on GET /api/external/v1/templates: every
outcome (401 UNAUTHORIZED, 403 FORBIDDEN, 200 with remainingCredits), the
error bodies, unknown paths and methods under the prefix, and the key's use
count. Admin commands run while the server does, on the same data directory:
their changes reach the server's cache of keys within a second (another
process's change), and the uses the server counts reach the database within
a second too; the web app's changes, made in the server's own process, are
refused at once (test_web_org.py)."""

import unittest

from harness import (SharedDataDirTest, admin_ok, db_exec, fake_key, make_org_with_key,
                     within_a_second)

TEMPLATES = "/api/external/v1/templates"
PASSWORD = "correct horse"
ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


def flip(ch):
    """Another base62 character."""
    return "A" if ch != "A" else "B"


class AuthTest(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A limit no test here reaches; the rate limit has its own tests.
        cls.srv = cls.start_server(["--rate-limit", "10000"])
        cls.org, cls.email, cls.key = make_org_with_key(cls.data, credits=10)

    def manager_with_key(self, credits=10):
        return make_org_with_key(self.data, credits=credits, name="Org %d" % id(self))

    def call(self, auth=None, path=TEMPLATES, method="GET", body=None):
        headers = {} if auth is None else {"Authorization": auth}
        return self.srv.request(method, path, headers, body)

    def assertUnauthorized(self, reply):
        self.assertEqual(reply.status, 401, reply.body)
        body = reply.json()
        # Exactly the error and nothing else: no remainingCredits, no hint.
        self.assertEqual(set(body), {"error"}, body)
        self.assertEqual(set(body["error"]), {"code", "message"}, body)
        self.assertEqual(body["error"]["code"], "UNAUTHORIZED")
        self.assertIsInstance(body["error"]["message"], str)
        self.assertTrue(body["error"]["message"])
        self.assertTrue(reply.headers.get("www-authenticate", "").startswith("Bearer"),
                        reply.headers)
        self.assertTrue(reply.headers["content-type"].startswith("application/json"))
        return reply.body

    def assertForbidden(self, reply, credits):
        self.assertEqual(reply.status, 403, reply.body)
        body = reply.json()
        self.assertEqual(set(body), {"error", "remainingCredits"}, body)
        self.assertEqual(body["error"]["code"], "FORBIDDEN")
        self.assertTrue(body["error"]["message"])
        self.assertEqual(body["remainingCredits"], credits)

    def assertOk(self, reply, credits):
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual(body["remainingCredits"], credits)
        self.assertIn("templates", body)
        return body

    def get_once(self, status, path=TEMPLATES, key=None):
        """GET path with key once another process's change shows: when it
        answers status, within a second."""
        return within_a_second(lambda: self.srv.get(path, key=key), lambda r: r.status == status)

    def key_row_once(self, org, key, uses):
        """The key's row once its uses reached the database."""
        return within_a_second(lambda: self.key_row(org, key), lambda r: r[5] == uses)

    def key_row(self, org, key):
        out = admin_ok(self.data, "list-keys", "--org", org).split("\n")
        rows = [line.split("\t") for line in out[1:] if line.startswith(key[:12] + "\t")]
        self.assertEqual(len(rows), 1)
        return rows[0]


class Unauthorized(AuthTest):

    def test_every_bad_credential_is_401_with_the_same_body(self):
        key = self.key
        wrong_random = key[:10] + flip(key[10]) + key[11:]
        wrong_check = key[:42] + flip(key[42])
        cases = {
            "no header": None,
            "basic": "Basic dXNlcjpwYXNzd29yZA==",
            "bearer alone": "Bearer",
            "bearer and spaces": "Bearer   ",
            "token scheme": "Token " + key,
            "key without scheme": key,
            "too short": "Bearer " + key[:-1],
            "too long": "Bearer " + key + "x",
            "two keys": "Bearer " + key + " " + key,
            "wrong mark": "Bearer RAPI_" + key[5:],
            "other mark": "Bearer sk_live_" + key[5:],
            "non-base62": "Bearer " + key[:20] + "-" + key[21:],
            "checksum of the random part": "Bearer " + wrong_random,
            "checksum itself": "Bearer " + wrong_check,
            "unknown well-formed key": "Bearer " + fake_key(),
            "SQL in the token": "Bearer ' OR '1'='1",
            "SQL shaped like a key": "Bearer rapi_' OR 1=1 --" + "x" * 20,
        }
        bodies = set()
        for name, auth in cases.items():
            with self.subTest(case=name):
                bodies.add(self.assertUnauthorized(self.call(auth)))
        self.assertEqual(len(bodies), 1, bodies)
        # The good key still works, and none of these counted as its use.
        self.assertOk(self.call("Bearer " + key), 10)

    def test_scheme_is_case_insensitive(self):
        self.assertOk(self.call("bearer " + self.key), 10)
        self.assertOk(self.call("BEARER " + self.key), 10)

    def test_revoked_key(self):
        org, email, key = self.manager_with_key(credits=4)
        self.assertOk(self.srv.get(TEMPLATES, key=key), 4)
        self.assertEqual(admin_ok(self.data, "revoke-key", "--prefix", key[:12]), key[:12])
        self.assertUnauthorized(self.get_once(401, key=key))
        # Another key of the same manager is unaffected.
        other = admin_ok(self.data, "create-key", "--email", email)
        self.assertOk(self.srv.get(TEMPLATES, key=other), 4)
        self.assertUnauthorized(self.srv.get(TEMPLATES, key=key))

    def test_inactive_user_and_reactivation(self):
        org, email, key = self.manager_with_key(credits=6)
        self.assertOk(self.srv.get(TEMPLATES, key=key), 6)
        admin_ok(self.data, "set-active", "--email", email, "--active", "0")
        self.assertUnauthorized(self.get_once(401, key=key))
        self.assertUnauthorized(self.srv.get("/api/external/v1/nope", key=key))
        admin_ok(self.data, "set-active", "--email", email, "--active", "1")
        self.assertOk(self.get_once(200, key=key), 6)

    def test_unknown_path_without_a_key_reveals_nothing(self):
        for path in ("/api/external/v1/nope", "/api/external/v1/templates/",
                     "/api/external/v1/jobs/550e8400-e29b-41d4-a716-446655440000"):
            with self.subTest(path=path):
                self.assertUnauthorized(self.call(None, path))
                self.assertUnauthorized(self.call("Bearer " + fake_key(), path))
        self.assertUnauthorized(self.call(None, TEMPLATES, "POST", b"{}"))
        self.assertUnauthorized(self.call(None, TEMPLATES, "DELETE"))


class Forbidden(AuthTest):

    def test_manager_demoted_to_radiologist(self):
        org, email, key = self.manager_with_key(credits=8)
        self.assertOk(self.srv.get(TEMPLATES, key=key), 8)
        for role in ("radiologist", "doctor", "technical"):
            with self.subTest(role=role):
                admin_ok(self.data, "set-role", "--email", email, "--role", role)
                self.assertForbidden(self.get_once(403, key=key), 8)
                # Unknown paths too: authentication comes first.
                self.assertForbidden(self.srv.get("/api/external/v1/nope", key=key), 8)
        admin_ok(self.data, "set-role", "--email", email, "--role", "manager")
        self.assertOk(self.get_once(200, key=key), 8)

    def test_inactive_organization(self):
        # No admin command deactivates an organization yet; the test sets the
        # flag in the database, as an operator's SQL would: the server sees it
        # within a second all the same (the database's triggers move the
        # generation its cache of keys watches).
        org, email, key = self.manager_with_key(credits=3)
        self.assertOk(self.srv.get(TEMPLATES, key=key), 3)
        db_exec(self.data, "UPDATE organizations SET active = 0 WHERE id = '%s'" % org)
        self.assertForbidden(self.get_once(403, key=key), 3)
        db_exec(self.data, "UPDATE organizations SET active = 1 WHERE id = '%s'" % org)
        self.assertOk(self.get_once(200, key=key), 3)


class Authorized(AuthTest):

    def test_good_key_and_reply_headers(self):
        reply = self.srv.get(TEMPLATES, key=self.key)
        body = self.assertOk(reply, 10)
        self.assertIsInstance(body["templates"], list)
        self.assertEqual(reply.headers["content-type"], "application/json; charset=utf-8")
        self.assertEqual(reply.headers.get("cache-control"), "no-store")
        self.assertRegex(reply.headers.get("x-request-id", ""), r"^[0-9a-f]{16}$")
        self.assertEqual(reply.headers.get("ratelimit-limit"), "10000")

    def test_head_answers_like_get_without_a_body(self):
        reply = self.srv.request("HEAD", TEMPLATES, {"Authorization": "Bearer " + self.key})
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.body, b"")

    def test_remaining_credits_follow_add_credits(self):
        org, email, key = self.manager_with_key(credits=10)
        self.assertOk(self.srv.get(TEMPLATES, key=key), 10)
        self.assertEqual(admin_ok(self.data, "add-credits", "--org", org, "--amount", "5"), "15")
        self.assertOk(self.srv.get(TEMPLATES, key=key), 15)
        self.assertEqual(admin_ok(self.data, "add-credits", "--org", org, "--amount", "-15"), "0")
        self.assertOk(self.srv.get(TEMPLATES, key=key), 0)

    def test_key_created_while_serving_works_at_once(self):
        org = admin_ok(self.data, "create-org", "--name", "Canlı Kurum", "--type",
                       "teleradiology", "--credits", "2")
        admin_ok(self.data, "create-user", "--email", "live@example.org", "--password",
                 PASSWORD, "--role", "manager", "--org", org)
        key = admin_ok(self.data, "create-key", "--email", "live@example.org")
        self.assertOk(self.srv.get(TEMPLATES, key=key), 2)

    def test_admin_writes_while_requests_flow(self):
        """Every request records a use (written in batches) while add-credits
        writes from another process: nothing is lost and no command fails as
        busy."""
        import threading
        org, email, key = self.manager_with_key(credits=0)
        statuses = []
        lock = threading.Lock()

        def client():
            for _ in range(40):
                status = self.srv.get(TEMPLATES, key=key).status
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        outputs = [admin_ok(self.data, "add-credits", "--org", org, "--amount", "1")
                   for _ in range(5)]
        for t in threads:
            t.join(60)
        self.assertEqual(outputs, ["1", "2", "3", "4", "5"])
        self.assertEqual(statuses, [200] * 160)
        self.assertEqual(self.key_row_once(org, key, "160")[5], "160")
        self.assertOk(self.srv.get(TEMPLATES, key=key), 5)

    def test_unknown_path_and_wrong_method_with_a_key(self):
        for path in ("/api/external/v1/nope", "/api/external/v1/templates/",
                     "/api/external/v1/Templates", "/api/external/v1/şablon"):
            with self.subTest(path=path):
                from urllib.parse import quote
                reply = self.srv.get(quote(path), key=self.key)
                self.assertEqual(reply.status, 404, reply.body)
                body = reply.json()
                self.assertEqual(body["error"]["code"], "NOT_FOUND")
                self.assertEqual(body["remainingCredits"], 10)
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                reply = self.call("Bearer " + self.key, TEMPLATES, method,
                                  b"{}" if method != "DELETE" else None)
                self.assertEqual(reply.status, 405, reply.body)
                body = reply.json()
                self.assertEqual(body["error"]["code"], "METHOD_NOT_ALLOWED")
                self.assertEqual(body["remainingCredits"], 10)

    def test_use_count_and_last_used(self):
        org, email, key = self.manager_with_key(credits=1)
        row = self.key_row(org, key)
        self.assertEqual(row[4:], ["-", "0", "active"])
        for _ in range(3):
            self.assertOk(self.srv.get(TEMPLATES, key=key), 1)
        # Refused attempts with a mistyped copy of the key are not its uses.
        self.assertUnauthorized(self.srv.get(TEMPLATES, key=key[:-1] + flip(key[-1])))
        row = self.key_row_once(org, key, "3")
        self.assertRegex(row[4], ISO_RE)
        self.assertGreaterEqual(row[4], row[3])
        self.assertEqual(row[5:], ["3", "active"])
        # A 404 under the prefix was still an authenticated use.
        self.srv.get("/api/external/v1/nope", key=key)
        self.assertEqual(self.key_row_once(org, key, "4")[5], "4")


class Public(AuthTest):

    def test_unknown_public_path_and_method(self):
        reply = self.srv.get("/nope")
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.json()["error"]["code"], "NOT_FOUND")
        self.assertNotIn("remainingCredits", reply.json())
        reply = self.srv.request("POST", "/healthz", {}, b"")
        self.assertEqual(reply.status, 405)
        self.assertEqual(reply.json()["error"]["code"], "METHOD_NOT_ALLOWED")


if __name__ == "__main__":
    unittest.main()

"""The per-key rate limit of the External API: its headers, the 429 reply,
independence of keys, bad keys not spending a good key's budget, and the
limit set by flag or by RAPORTAI_RATE_LIMIT."""

import http.client
import unittest

from harness import (DataDirTest, Server, SharedDataDirTest, admin_ok, fake_key,
                     make_org_with_key, within_a_second)

TEMPLATES = "/api/external/v1/templates"


class RateAsserts:
    """Assertions on rate-limited replies (a mixin for TestCase classes)."""

    def assertAllowed(self, reply, limit, remaining, credits):
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["remainingCredits"], credits)
        self.assertEqual(reply.headers.get("ratelimit-limit"), str(limit))
        self.assertEqual(reply.headers.get("ratelimit-remaining"), str(remaining))
        self.assertEqual(reply.headers.get("ratelimit-policy"), "%d;w=60" % limit)
        reset = int(reply.headers.get("ratelimit-reset", "-1"))
        self.assertTrue(1 <= reset <= 60, reset)
        self.assertNotIn("retry-after", reply.headers)

    def assertLimited(self, reply, limit, credits):
        self.assertEqual(reply.status, 429, reply.body)
        body = reply.json()
        self.assertEqual(set(body), {"error", "remainingCredits"}, body)
        self.assertEqual(body["error"]["code"], "RATE_LIMIT")
        self.assertTrue(body["error"]["message"])
        self.assertEqual(body["remainingCredits"], credits)
        retry = int(reply.headers.get("retry-after", "-1"))
        self.assertTrue(1 <= retry <= 60, retry)
        self.assertEqual(reply.headers.get("ratelimit-limit"), str(limit))
        self.assertEqual(reply.headers.get("ratelimit-remaining"), "0")
        self.assertEqual(reply.headers.get("ratelimit-policy"), "%d;w=60" % limit)
        reset = int(reply.headers.get("ratelimit-reset", "-1"))
        self.assertTrue(1 <= reset <= 60, reset)

    def use_count(self, org, key, expected):
        """The key's use count once it is expected (uses are written within a
        second), or as it is then."""
        def count():
            out = admin_ok(self.data, "list-keys", "--org", org).split("\n")
            return [line.split("\t")[5] for line in out[1:] if line.startswith(key[:12])][0]
        return within_a_second(count, lambda n: n == expected)


class RateLimitTest(RateAsserts, SharedDataDirTest):
    pass


class LimitOfFive(RateLimitTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "5"])

    def test_five_then_429_and_other_keys_unaffected(self):
        org_a, _, key_a = make_org_with_key(self.data, credits=3, name="A Hastanesi")
        org_b, email_b, key_b = make_org_with_key(self.data, credits=9, name="B Merkezi")
        for remaining in (4, 3, 2, 1, 0):
            self.assertAllowed(self.srv.get(TEMPLATES, key=key_a), 5, remaining, 3)
        self.assertLimited(self.srv.get(TEMPLATES, key=key_a), 5, 3)
        self.assertLimited(self.srv.get(TEMPLATES, key=key_a), 5, 3)
        # Every path under the prefix is counted: an unknown one is limited too.
        self.assertLimited(self.srv.get("/api/external/v1/nope", key=key_a), 5, 3)
        # Refused requests are not uses of the key.
        self.assertEqual(self.use_count(org_a, key_a, "5"), "5")
        # Another organization's key has its own budget, and so has a second
        # key of the same manager.
        self.assertAllowed(self.srv.get(TEMPLATES, key=key_b), 5, 4, 9)
        key_b2 = admin_ok(self.data, "create-key", "--email", email_b)
        self.assertAllowed(self.srv.get(TEMPLATES, key=key_b2), 5, 4, 9)
        self.assertAllowed(self.srv.get(TEMPLATES, key=key_b), 5, 3, 9)
        # A limited key stays limited after bad-key requests come and go.
        self.srv.get(TEMPLATES, key=fake_key())
        self.assertLimited(self.srv.get(TEMPLATES, key=key_a), 5, 3)


    def test_concurrent_requests_never_exceed_the_limit(self):
        from concurrent.futures import ThreadPoolExecutor
        org, _, key = make_org_with_key(self.data, credits=2, name="Eşzamanlı")
        with ThreadPoolExecutor(max_workers=8) as pool:
            replies = list(pool.map(lambda _: self.srv.get(TEMPLATES, key=key), range(20)))
        statuses = sorted(r.status for r in replies)
        self.assertEqual(statuses, [200] * 5 + [429] * 15)
        remaining = sorted(r.headers["ratelimit-remaining"] for r in replies
                           if r.status == 200)
        self.assertEqual(remaining, ["0", "1", "2", "3", "4"])
        self.assertEqual(self.use_count(org, key, "5"), "5")


class BadKeyFlood(RateLimitTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "5"])

    def test_bad_keys_do_not_spend_a_good_keys_budget(self):
        org, _, key = make_org_with_key(self.data, credits=4)
        broken = key[:20] + ("A" if key[20] != "A" else "B") + key[21:]
        variants = [fake_key(), "rapi_short", broken, key + "x", key[:-1], "' OR 1=1 --"]
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=20)
        statuses = {}
        try:
            for i in range(200):
                auth = variants[i % len(variants)]
                if i % len(variants) == 0:
                    auth = fake_key()
                conn.request("GET", TEMPLATES, headers={"Authorization": "Bearer " + auth})
                resp = conn.getresponse()
                resp.read()
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
                if resp.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=20)
        finally:
            conn.close()
        self.assertEqual(statuses, {401: 200})
        # The good key still has its whole budget, and the bad ones were none
        # of its uses.
        for remaining in (4, 3, 2, 1, 0):
            self.assertAllowed(self.srv.get(TEMPLATES, key=key), 5, remaining, 4)
        self.assertEqual(self.use_count(org, key, "5"), "5")
        self.assertLimited(self.srv.get(TEMPLATES, key=key), 5, 4)


class LimitFromEnvironment(RateAsserts, DataDirTest):

    def test_environment_variable_sets_the_limit(self):
        _, _, key = make_org_with_key(self.data, credits=1)
        with Server(self.data, env={"RAPORTAI_RATE_LIMIT": "3"}) as srv:
            for remaining in (2, 1, 0):
                self.assertAllowed(srv.get(TEMPLATES, key=key), 3, remaining, 1)
            self.assertLimited(srv.get(TEMPLATES, key=key), 3, 1)

    def test_flag_wins_over_the_environment(self):
        _, _, key = make_org_with_key(self.data, credits=1)
        with Server(self.data, ["--rate-limit", "2"], env={"RAPORTAI_RATE_LIMIT": "7"}) as srv:
            self.assertAllowed(srv.get(TEMPLATES, key=key), 2, 1, 1)
            self.assertAllowed(srv.get(TEMPLATES, key=key), 2, 0, 1)
            self.assertLimited(srv.get(TEMPLATES, key=key), 2, 1)

    def test_default_is_sixty(self):
        _, _, key = make_org_with_key(self.data, credits=1)
        with Server(self.data) as srv:
            self.assertAllowed(srv.get(TEMPLATES, key=key), 60, 59, 1)


if __name__ == "__main__":
    unittest.main()

"""The External API's keys kept in memory (src/api/keyauth.c): a key the
server knows already is refused at the very next request once the web app,
in the server's own process, revokes it, rotates it without grace,
deactivates its owner or gives them another role, or the platform
deactivates its organization; and polls, which write nothing themselves,
show up in the keys listing (useCount, lastUsedAt) within a second.
Changes made by another process (the admin commands, an operator's SQL)
take up to a second: test_auth.py."""

import time

from harness import SharedDataDirTest, within_a_second
from jobs_helpers import ISO_RE
from org_helpers import TEMPLATES, insert_job, make_team, sign_in
from web_helpers import make_user

KEYS = "/api/v1/org/keys"
MEMBERS = "/api/v1/org/members"
ORGS = "/api/v1/admin/organizations"


class KeyCache(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "100000"])
        cls.admin_email = "admin-key-cache@example.org"
        make_user(cls.data, "admin", cls.admin_email)
        cls.admin = sign_in(cls.srv, cls.admin_email, "admin")

    def known_key(self, tag, second_manager=False):
        """A team whose manager made a key the server has authenticated
        (so it is kept in memory): (team, manager's client, key's JSON)."""
        team = make_team(self.data, tag, roles=("manager",))
        if second_manager:
            team["other"] = "other-%s@example.org" % tag
            make_user(self.data, "manager", team["other"], team["org"])
        manager = sign_in(self.srv, team["manager"])
        created = manager.post(KEYS, {"label": "HBYS"}).json()
        for _ in range(3):
            self.assertEqual(self.srv.get(TEMPLATES, key=created["key"]).status, 200)
        return team, manager, created

    def assertRefused(self, key, status):
        reply = self.srv.get(TEMPLATES, key=key)
        self.assertEqual(reply.status, status, reply.body)

    def test_a_revoked_key_is_refused_at_once(self):
        _, manager, key = self.known_key("kc-revoke")
        self.assertEqual(manager.post(KEYS + "/" + key["id"] + "/revoke").status, 200)
        self.assertRefused(key["key"], 401)

    def test_a_key_rotated_without_grace_is_refused_at_once(self):
        _, manager, key = self.known_key("kc-rotate")
        reply = manager.post(KEYS + "/" + key["id"] + "/rotate", {"graceHours": 0})
        self.assertEqual(reply.status, 201, reply.body)
        self.assertRefused(key["key"], 401)
        self.assertEqual(self.srv.get(TEMPLATES, key=reply.json()["key"]).status, 200)

    def test_a_deactivated_or_demoted_owner_is_refused_at_once(self):
        team, _, key = self.known_key("kc-owner", second_manager=True)
        other = sign_in(self.srv, team["other"])
        owner = MEMBERS + "/" + team["ids"]["manager"]
        self.assertEqual(other.patch(owner, {"role": "radiologist"}).status, 200)
        self.assertRefused(key["key"], 403)
        self.assertEqual(other.patch(owner, {"role": "manager"}).status, 200)
        self.assertRefused(key["key"], 200)
        self.assertEqual(other.patch(owner, {"active": False}).status, 200)
        self.assertRefused(key["key"], 401)
        self.assertEqual(other.patch(owner, {"active": True}).status, 200)
        self.assertRefused(key["key"], 200)

    def test_a_deactivated_organization_is_refused_at_once(self):
        team, _, key = self.known_key("kc-org")
        self.assertEqual(self.admin.post(ORGS + "/" + team["org"] + "/deactivate").status, 200)
        self.assertRefused(key["key"], 403)
        self.assertEqual(self.admin.post(ORGS + "/" + team["org"] + "/activate").status, 200)
        self.assertRefused(key["key"], 200)

    def test_polls_show_in_the_keys_listing_within_a_second(self):
        team, manager, key = self.known_key("kc-uses")
        job = insert_job(self.data, team["org"], key_id=key["id"])
        started = time.monotonic()
        for _ in range(5):
            reply = self.srv.get("/api/external/v1/report/" + job, key=key["key"])
            self.assertEqual(reply.status, 200, reply.body)

        def listed():
            return [k for k in manager.get(KEYS).json()["items"] if k["id"] == key["id"]][0]
        item = within_a_second(listed, lambda k: k["useCount"] == 8)
        self.assertEqual(item["useCount"], 8, "three template lists and five polls")
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertRegex(item["lastUsedAt"], ISO_RE)

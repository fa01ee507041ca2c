"""The organization workspace of the web app's JSON API (/api/v1/org/...):
members, usage, settings, API keys with rotation (checked through the
External API), and the pilot view of External API jobs with their callback
attempts; every bad input refused with its field and nothing changed; and
who may call what (no session, wrong role, CSRF, another organization)."""

import json
import time
import uuid

from harness import SharedDataDirTest, db_query, within_a_second
from jobs_helpers import (REPORT, CallbackReceiver, post_form, report_fields, wait_for,
                          wait_job, TEXT_TIMEOUT_S)
from org_helpers import (TEMPLATES, insert_job, make_team, mid_month, months_back, sign_in)
from web_helpers import PASSWORD, WebClient, make_people, signed_in

MEMBERS = "/api/v1/org/members"
USAGE = "/api/v1/org/usage"
SETTINGS = "/api/v1/org/settings"
KEYS = "/api/v1/org/keys"
JOBS = "/api/v1/org/jobs"
KEY_RE = r"^rapi_[0-9A-Za-z]{38}$"
ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
NEW_PASSWORD = "a brand new passphrase"


class OrgTest(SharedDataDirTest):
    """One server for the class; each test makes its own organization."""

    SERVER_ARGS = ["--rate-limit", "100000"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(cls.SERVER_ARGS)

    def team(self, tag, **kw):
        return make_team(self.data, tag, **kw)

    def manager(self, team):
        return sign_in(self.srv, team["manager"])

    def assertError(self, reply, status, code, field=None):
        self.assertEqual(reply.status, status, reply.body)
        error = reply.json()["error"]
        self.assertEqual(error["code"], code, error)
        self.assertTrue(error["message"])
        if field is not None:
            self.assertEqual(error.get("field"), field, error)
        return error

    def users_of(self, org):
        return db_query(self.data, "SELECT email, role, active FROM users WHERE org_id = ?"
                        " ORDER BY email", (org,))

    def keys_of(self, org):
        return db_query(self.data, "SELECT id, label, revoked_at, expires_ms, replaced_by"
                        " FROM api_keys WHERE org_id = ? ORDER BY id", (org,))

    def external(self, key):
        return self.srv.get(TEMPLATES, key=key)


# ---- members ------------------------------------------------------------------------------

class Members(OrgTest):

    def test_the_manager_lists_every_member(self):
        team = self.team("list")
        reply = self.manager(team).get(MEMBERS)
        self.assertEqual(reply.status, 200, reply.body)
        items = reply.json()["items"]
        self.assertEqual(sorted(i["email"] for i in items),
                         sorted(team[r] for r in ("manager", "radiologist", "doctor",
                                                  "technical")))
        for item in items:
            self.assertEqual(set(item), {"id", "email", "name", "role", "active", "suspended",
                                         "createdAt"})
            self.assertEqual(item["id"], team["ids"][item["role"]])
            self.assertTrue(item["active"])
            self.assertFalse(item["suspended"])

    def test_a_new_member_is_added_and_can_sign_in(self):
        team = self.team("add")
        manager = self.manager(team)
        for role in ("radiologist", "doctor", "technical", "manager"):
            with self.subTest(role=role):
                email = "new-%s-add@example.org" % role
                reply = manager.post(MEMBERS, {"name": "Dr. Ayşe Öztürk", "email": email,
                                               "role": role, "password": PASSWORD})
                self.assertEqual(reply.status, 201, reply.body)
                body = reply.json()
                self.assertEqual((body["email"], body["role"], body["active"],
                                  body["name"]), (email, role, True, "Dr. Ayşe Öztürk"))
                login = sign_in(self.srv, email)
                self.assertEqual(login.get("/api/v1/session").json()["organization"]["id"],
                                 team["org"])
        self.assertEqual(len(manager.get(MEMBERS).json()["items"]), 8)

    def test_bad_new_members_are_refused_and_nothing_changes(self):
        team = self.team("badadd")
        manager = self.manager(team)
        good = {"name": "Mehmet Kaya", "email": "mehmet-badadd@example.org",
                "role": "doctor", "password": PASSWORD}
        cases = [
            ("name", ""), ("name", " padded"), ("name", "x" * 201), ("name", 7),
            ("name", None), ("email", "not-an-email"), ("email", "a@b"), ("email", None),
            ("email", ["a@b.org"]), ("role", "admin"), ("role", "individual"),
            ("role", "accounting"), ("role", "Manager"), ("role", None), ("role", 1),
            ("password", "short"), ("password", " " * 12), ("password", None),
            ("password", 12345678),
        ]
        before = self.users_of(team["org"])
        for field, value in cases:
            with self.subTest(field=field, value=value):
                body = dict(good)
                if value is None:
                    del body[field]
                else:
                    body[field] = value
                self.assertError(manager.post(MEMBERS, body), 400, "INVALID_REQUEST", field)
        self.assertEqual(self.users_of(team["org"]), before)
        self.assertEqual(db_query(self.data, "SELECT count(*) FROM users WHERE email = ?",
                                  (good["email"],))[0][0], 0)

    def test_a_body_that_is_not_json_is_refused(self):
        team = self.team("notjson")
        manager = self.manager(team)
        before = self.users_of(team["org"])
        reply = manager.request("POST", MEMBERS, raw=b"name=x&email=y",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertError(reply, 415, "UNSUPPORTED_MEDIA_TYPE")
        reply = manager.request("POST", MEMBERS, raw=b"[1, 2]",
                                headers={"Content-Type": "application/json"})
        self.assertError(reply, 400, "INVALID_REQUEST")
        self.assertEqual(self.users_of(team["org"]), before)

    def test_a_taken_email_is_409_whatever_its_case_or_organization(self):
        team = self.team("taken")
        other = self.team("taken2", roles=("manager",))
        manager = self.manager(team)
        before = self.users_of(team["org"])
        for email in (team["doctor"], other["manager"].upper()):
            with self.subTest(email=email):
                reply = manager.post(MEMBERS, {"name": "Twice", "email": email,
                                               "role": "doctor", "password": PASSWORD})
                self.assertError(reply, 409, "ALREADY_EXISTS", "email")
        self.assertEqual(self.users_of(team["org"]), before)

    def test_role_changes_and_deactivation_end_sessions_until_reactivated(self):
        team = self.team("patch")
        manager = self.manager(team)
        doctor_id = team["ids"]["doctor"]
        doctor = sign_in(self.srv, team["doctor"])
        reply = manager.patch(MEMBERS + "/" + doctor_id, {"role": "radiologist"})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual((reply.json()["role"], reply.json()["active"]), ("radiologist", True))
        self.assertEqual(doctor.get("/api/v1/session").json()["user"]["role"], "radiologist")

        reply = manager.patch(MEMBERS + "/" + doctor_id, {"active": False})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertFalse(reply.json()["active"])
        # The open session ended: the next request is 401, and so is signing in.
        self.assertError(doctor.get("/api/v1/session"), 401, "UNAUTHENTICATED")
        self.assertEqual(db_query(self.data, "SELECT count(*) FROM sessions WHERE user_id = ?",
                                  (doctor_id,))[0][0], 0)
        self.assertError(WebClient(self.srv).login("corporate", team["doctor"]), 401,
                         "INVALID_CREDENTIALS")

        reply = manager.patch(MEMBERS + "/" + doctor_id, {"active": True, "role": "doctor"})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual((reply.json()["role"], reply.json()["active"]), ("doctor", True))
        self.assertEqual(sign_in(self.srv, team["doctor"]).get("/api/v1/session").status, 200)

    def test_a_manager_cannot_demote_or_deactivate_themselves(self):
        team = self.team("self")
        manager = self.manager(team)
        me = MEMBERS + "/" + team["ids"]["manager"]
        before = self.users_of(team["org"])
        for body, field in (({"role": "radiologist"}, "role"), ({"active": False}, "active"),
                            ({"role": "technical", "active": True}, "role"),
                            ({"role": "manager", "active": False}, "active")):
            with self.subTest(body=body):
                error = self.assertError(manager.patch(me, body), 400, "INVALID_REQUEST", field)
                self.assertIn("yourself" if field == "active" else "your own", error["message"])
        self.assertEqual(self.users_of(team["org"]), before)
        self.assertEqual(manager.get("/api/v1/session").status, 200)
        # Keeping one's own role is no change and allowed.
        self.assertEqual(manager.patch(me, {"role": "manager", "active": True}).status, 200)
        # Another manager may demote this one.
        other = manager.post(MEMBERS, {"name": "Second Manager", "role": "manager",
                                       "email": "second-self@example.org",
                                       "password": PASSWORD}).json()
        second = sign_in(self.srv, "second-self@example.org")
        self.assertEqual(second.patch(me, {"role": "doctor"}).status, 200)
        self.assertError(manager.get(MEMBERS), 403, "FORBIDDEN")
        self.assertEqual(second.patch(MEMBERS + "/" + other["id"], {"role": "doctor"}).status,
                         400)

    def test_bad_patches_are_refused_and_nothing_changes(self):
        team = self.team("badpatch")
        manager = self.manager(team)
        target = MEMBERS + "/" + team["ids"]["radiologist"]
        before = self.users_of(team["org"])
        cases = [({"role": "admin"}, "role"), ({"role": "individual"}, "role"),
                 ({"role": 3}, "role"), ({"active": "no"}, "active"), ({"active": 0}, "active"),
                 ({}, None), ({"name": "Renamed"}, None),
                 ({"role": "doctor", "active": "yes"}, "active")]
        for body, field in cases:
            with self.subTest(body=body):
                error = self.assertError(manager.patch(target, body), 400, "INVALID_REQUEST")
                self.assertEqual(error.get("field"), field)
        self.assertEqual(self.users_of(team["org"]), before)

    def test_another_organizations_member_is_404_and_untouched(self):
        team = self.team("mine")
        other = self.team("theirs", roles=("manager", "doctor"))
        manager = self.manager(team)
        before = self.users_of(other["org"])
        theirs = other["ids"]["doctor"]
        for path in (MEMBERS + "/" + theirs, MEMBERS + "/" + str(uuid.uuid4()),
                     MEMBERS + "/not-a-uuid"):
            with self.subTest(path=path):
                self.assertError(manager.patch(path, {"active": False}), 404, "NOT_FOUND")
                self.assertError(manager.post(path + "/password", {"password": NEW_PASSWORD}),
                                 404, "NOT_FOUND")
        self.assertEqual(self.users_of(other["org"]), before)
        sign_in(self.srv, other["doctor"])  # the old password still works

    def test_a_new_password_replaces_the_old_and_ends_their_sessions(self):
        team = self.team("pw")
        manager = self.manager(team)
        tech = sign_in(self.srv, team["technical"])
        path = MEMBERS + "/" + team["ids"]["technical"] + "/password"
        for bad in ("short", " " * 10, 12345678, None):
            with self.subTest(password=bad):
                body = {} if bad is None else {"password": bad}
                self.assertError(manager.post(path, body), 400, "INVALID_REQUEST", "password")
        self.assertEqual(tech.get("/api/v1/session").status, 200)
        reply = manager.post(path, {"password": NEW_PASSWORD})
        self.assertEqual(reply.status, 204, reply.body)
        self.assertError(tech.get("/api/v1/session"), 401, "UNAUTHENTICATED")
        self.assertError(WebClient(self.srv).login("corporate", team["technical"]), 401,
                         "INVALID_CREDENTIALS")
        sign_in(self.srv, team["technical"], password=NEW_PASSWORD)
        # A manager setting their own password keeps the session they use.
        me = MEMBERS + "/" + team["ids"]["manager"] + "/password"
        self.assertEqual(manager.post(me, {"password": NEW_PASSWORD}).status, 204)
        self.assertEqual(manager.get("/api/v1/session").status, 200)
        sign_in(self.srv, team["manager"], password=NEW_PASSWORD)


# ---- usage --------------------------------------------------------------------------------

class Usage(OrgTest):

    def test_reports_and_credits_per_member_and_month(self):
        team = self.team("usage")
        other = self.team("usage-other", roles=("manager",))
        manager = self.manager(team)
        key_id = manager.post(KEYS, {"label": "HBYS"}).json()["id"]
        months = months_back(8)
        this, last = mid_month(months[0]), mid_month(months[1])
        rad, doc = team["ids"]["radiologist"], team["ids"]["doctor"]
        org = team["org"]
        insert_job(self.data, org, user_id=rad, created=this, exams=("completed", "completed"))
        insert_job(self.data, org, user_id=rad, created=this, kind="pacs",
                   exams=("completed", "failed", "completed"))
        insert_job(self.data, org, user_id=rad, created=last)
        insert_job(self.data, org, user_id=doc, created=this, status="failed",
                   exams=("failed",), error_code="SPEECH_FAILED")
        insert_job(self.data, org, user_id=doc, created=this, status="processing",
                   exams=("pending",))
        insert_job(self.data, org, key_id=key_id, user_id=team["ids"]["manager"],
                   created=this, exams=("completed", "failed"))
        insert_job(self.data, org, key_id=key_id, created=last,
                   exams=("completed",) * 3)
        # Outside the six months asked for, and another organization's.
        insert_job(self.data, org, user_id=rad, created=mid_month(months[6]))
        insert_job(self.data, other["org"], user_id=other["ids"]["manager"], created=this)

        reply = manager.get(USAGE + "?months=6")
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual(body["months"], months[:6])
        members = {m["userId"]: m for m in body["members"]}
        self.assertEqual(set(members), set(team["ids"].values()))
        zero = [0] * 6
        self.assertEqual(members[rad]["reports"], [4, 1, 0, 0, 0, 0])
        self.assertEqual(members[rad]["credits"], [4, 1, 0, 0, 0, 0])
        self.assertEqual(members[rad]["name"], "Radiologist usage")
        self.assertEqual((members[doc]["reports"], members[doc]["credits"]), (zero, zero))
        self.assertEqual(members[team["ids"]["manager"]]["credits"], zero)
        self.assertEqual(body["api"], {"reports": [1, 3, 0, 0, 0, 0],
                                       "credits": [1, 3, 0, 0, 0, 0]})
        # The default is six months; one month is the current one only.
        self.assertEqual(manager.get(USAGE).json()["months"], months[:6])
        one = manager.get(USAGE + "?months=1").json()
        self.assertEqual(one["months"], months[:1])
        self.assertEqual(one["api"], {"reports": [1], "credits": [1]})

    def test_bad_month_counts_are_refused(self):
        manager = self.manager(self.team("usage-bad", roles=("manager",)))
        for value in ("0", "25", "-1", "six", "1.5", ""):
            with self.subTest(months=value):
                self.assertError(manager.get(USAGE + "?months=" + value), 400,
                                 "INVALID_REQUEST", "months")


# ---- settings -----------------------------------------------------------------------------

class Settings(OrgTest):

    def settings_row(self, org):
        return db_query(self.data, "SELECT callback_url, input_lang, output_lang,"
                        " audio_retention_days FROM organizations WHERE id = ?", (org,))[0]

    def test_defaults_then_changes_then_clearing_the_callback(self):
        team = self.team("settings", roles=("manager",))
        manager = self.manager(team)
        self.assertEqual(manager.get(SETTINGS).json(),
                         {"callbackUrl": "", "inputLang": "tr", "outputLang": "tr",
                          "audioRetentionDays": 0, "callbackSecret": None})
        wanted = {"callbackUrl": "https://hbys.hastane.example/raportai/callback?x=1",
                  "inputLang": "en", "outputLang": "en", "audioRetentionDays": 30}
        reply = manager.put(SETTINGS, wanted)
        self.assertEqual(reply.status, 200, reply.body)
        # callbackSecret is read-only here (test_org_callback_secret.py).
        wanted["callbackSecret"] = None
        self.assertEqual(reply.json(), wanted)
        self.assertEqual(manager.get(SETTINGS).json(), wanted)
        self.assertEqual(self.settings_row(team["org"]),
                         (wanted["callbackUrl"], "en", "en", 30))
        # A member left out keeps its value; "" or null clears the callback.
        reply = manager.put(SETTINGS, {"audioRetentionDays": 365, "callbackUrl": ""})
        self.assertEqual(reply.json(), dict(wanted, callbackUrl="", audioRetentionDays=365))
        manager.put(SETTINGS, {"callbackUrl": wanted["callbackUrl"]})
        reply = manager.put(SETTINGS, {"callbackUrl": None, "audioRetentionDays": 0})
        self.assertEqual(reply.json()["callbackUrl"], "")
        self.assertEqual(self.settings_row(team["org"]), (None, "en", "en", 0))
        for lang in ("tr", "en", "ru", "az", "fr", "de"):
            with self.subTest(lang=lang):
                reply = manager.put(SETTINGS, {"inputLang": lang, "outputLang": lang})
                self.assertEqual((reply.json()["inputLang"], reply.json()["outputLang"]),
                                 (lang, lang))

    def test_bad_settings_are_refused_and_nothing_changes(self):
        team = self.team("badsettings", roles=("manager",))
        manager = self.manager(team)
        start = {"callbackUrl": "https://pacs.example.org/cb", "inputLang": "en",
                 "outputLang": "en", "audioRetentionDays": 7}
        manager.put(SETTINGS, start)
        cases = [
            ("callbackUrl", "http://pacs.example.org/cb", "INVALID_CALLBACK_URL"),
            ("callbackUrl", "ftp://pacs.example.org/cb", "INVALID_CALLBACK_URL"),
            ("callbackUrl", "/relative/path", "INVALID_CALLBACK_URL"),
            ("callbackUrl", "https://127.0.0.1/cb", "INVALID_CALLBACK_URL"),
            ("callbackUrl", "https://user:pw@pacs.example.org/cb", "INVALID_CALLBACK_URL"),
            ("callbackUrl", "https://pacs.example.org/" + "a" * 2100, "INVALID_CALLBACK_URL"),
            ("callbackUrl", 5, "INVALID_REQUEST"),
            ("inputLang", "xx", "INVALID_REQUEST"), ("inputLang", "EN", "INVALID_REQUEST"),
            ("inputLang", 1, "INVALID_REQUEST"), ("outputLang", "", "INVALID_REQUEST"),
            ("outputLang", "tur", "INVALID_REQUEST"),
            ("audioRetentionDays", 366, "INVALID_REQUEST"),
            ("audioRetentionDays", -1, "INVALID_REQUEST"),
            ("audioRetentionDays", 1.5, "INVALID_REQUEST"),
            ("audioRetentionDays", "7", "INVALID_REQUEST"),
            ("audioRetentionDays", True, "INVALID_REQUEST"),
        ]
        for field, value, code in cases:
            with self.subTest(field=field, value=value):
                body = dict(start, **{field: value})
                body["audioRetentionDays"] = value if field == "audioRetentionDays" else 1
                self.assertError(manager.put(SETTINGS, body), 400, code, field)
        self.assertEqual(manager.get(SETTINGS).json(), dict(start, callbackSecret=None))


# ---- API keys -----------------------------------------------------------------------------

class Keys(OrgTest):

    def test_create_list_rename_and_revoke(self):
        team = self.team("keys", roles=("manager",))
        manager = self.manager(team)
        reply = manager.post(KEYS, {"label": "HBYS entegrasyonu"})
        self.assertEqual(reply.status, 201, reply.body)
        created = reply.json()
        key = created["key"]
        self.assertRegex(key, KEY_RE)
        self.assertEqual(created["prefix"], key[:12])
        self.assertEqual((created["label"], created["createdBy"], created["status"]),
                         ("HBYS entegrasyonu", team["manager"], "active"))
        self.assertIsNone(created["revokedAt"])
        self.assertIsNone(created["expiresAt"])
        self.assertIsNone(created["lastUsedAt"])
        # Only the hash is stored; the key works on the External API.
        self.assertEqual(db_query(self.data, "SELECT count(*) FROM api_keys WHERE key_hash"
                                  " LIKE ?", ("%" + key[5:] + "%",))[0][0], 0)
        self.assertEqual(self.external(key).status, 200)
        self.external(key)

        # The uses reach the listing within a second (written in batches).
        listed = within_a_second(lambda: manager.get(KEYS).json()["items"],
                                 lambda items: items[0]["useCount"] == 2)
        self.assertEqual(len(listed), 1)
        self.assertNotIn("key", listed[0])
        self.assertEqual(listed[0]["id"], created["id"])
        self.assertEqual(listed[0]["useCount"], 2)
        self.assertRegex(listed[0]["lastUsedAt"], ISO_RE)
        self.assertNotIn(key, json.dumps(manager.get(KEYS).json()))

        reply = manager.patch(KEYS + "/" + created["id"], {"label": "PACS"})
        self.assertEqual((reply.status, reply.json()["label"]), (200, "PACS"))

        reply = manager.post(KEYS + "/" + created["id"] + "/revoke")
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["status"], "revoked")
        self.assertRegex(reply.json()["revokedAt"], ISO_RE)
        self.assertEqual(self.external(key).status, 401)
        self.assertError(manager.post(KEYS + "/" + created["id"] + "/revoke"), 409, "CONFLICT")
        self.assertError(manager.post(KEYS + "/" + created["id"] + "/rotate", {}), 409,
                         "CONFLICT")
        self.assertEqual(manager.get(KEYS).json()["items"][0]["status"], "revoked")

    def test_a_key_without_a_label_gets_the_default(self):
        manager = self.manager(self.team("keys-default", roles=("manager",)))
        self.assertEqual(manager.post(KEYS, {}).json()["label"], "API key")

    def test_bad_labels_are_refused_and_nothing_changes(self):
        team = self.team("keys-bad", roles=("manager",))
        manager = self.manager(team)
        key_id = manager.post(KEYS, {"label": "first"}).json()["id"]
        before = self.keys_of(team["org"])
        for label in ("", " padded", "x" * 101, "tab\there", 5, ["x"]):
            with self.subTest(label=label):
                self.assertError(manager.post(KEYS, {"label": label}), 400, "INVALID_REQUEST",
                                 "label")
                self.assertError(manager.patch(KEYS + "/" + key_id, {"label": label}), 400,
                                 "INVALID_REQUEST", "label")
        self.assertError(manager.patch(KEYS + "/" + key_id, {}), 400, "INVALID_REQUEST",
                         "label")
        self.assertEqual(self.keys_of(team["org"]), before)

    def test_a_rotated_key_works_during_its_grace_period_only(self):
        team = self.team("rotate", roles=("manager",))
        manager = self.manager(team)
        old = manager.post(KEYS, {"label": "HBYS"}).json()
        reply = manager.post(KEYS + "/" + old["id"] + "/rotate", {"graceHours": 2})
        self.assertEqual(reply.status, 201, reply.body)
        new = reply.json()
        self.assertRegex(new["key"], KEY_RE)
        self.assertNotEqual(new["key"], old["key"])
        self.assertEqual((new["label"], new["status"]), ("HBYS", "active"))
        previous = new["previous"]
        self.assertEqual((previous["id"], previous["status"], previous["replacedBy"]),
                         (old["id"], "expiring", new["id"]))
        expires_ms = db_query(self.data, "SELECT expires_ms FROM api_keys WHERE id = ?",
                              (old["id"],))[0][0]
        self.assertAlmostEqual(expires_ms / 1000, time.time() + 2 * 3600, delta=60)
        self.assertRegex(previous["expiresAt"], ISO_RE)
        # Both work during the grace period.
        self.assertEqual(self.external(old["key"]).status, 200)
        self.assertEqual(self.external(new["key"]).status, 200)
        # A rotated key is not rotated twice.
        self.assertError(manager.post(KEYS + "/" + old["id"] + "/rotate", {}), 409, "CONFLICT")

        # With no grace the replaced key stops at once, exactly like a revoked key.
        reply = manager.post(KEYS + "/" + new["id"] + "/rotate", {"graceHours": 0})
        self.assertEqual(reply.status, 201, reply.body)
        newest = reply.json()
        expired = self.external(new["key"])
        self.assertEqual(expired.status, 401)
        revoked_key = manager.post(KEYS, {"label": "to revoke"}).json()
        manager.post(KEYS + "/" + revoked_key["id"] + "/revoke")
        revoked = self.external(revoked_key["key"])
        self.assertEqual((expired.status, expired.body), (revoked.status, revoked.body))
        self.assertEqual(expired.headers.get("www-authenticate"),
                         revoked.headers.get("www-authenticate"))
        self.assertEqual(self.external(newest["key"]).status, 200)
        self.assertEqual(self.external(old["key"]).status, 200)  # still in its 2 hours
        statuses = {k["id"]: k["status"] for k in manager.get(KEYS).json()["items"]}
        self.assertEqual(statuses, {old["id"]: "expiring", new["id"]: "expired",
                                    newest["id"]: "active", revoked_key["id"]: "revoked"})
        # Revoking a key in its grace period ends it at once.
        manager.post(KEYS + "/" + old["id"] + "/revoke")
        self.assertEqual(self.external(old["key"]).status, 401)

    def test_the_default_grace_is_a_day_and_bad_graces_change_nothing(self):
        team = self.team("rotate-bad", roles=("manager",))
        manager = self.manager(team)
        key = manager.post(KEYS, {"label": "HBYS"}).json()
        before = self.keys_of(team["org"])
        for grace in (-1, 169, "24", 1.5, True):
            with self.subTest(grace=grace):
                self.assertError(manager.post(KEYS + "/" + key["id"] + "/rotate",
                                              {"graceHours": grace}),
                                 400, "INVALID_REQUEST", "graceHours")
        self.assertEqual(self.keys_of(team["org"]), before)
        reply = manager.post(KEYS + "/" + key["id"] + "/rotate", {})
        self.assertEqual(reply.status, 201, reply.body)
        expires_ms = db_query(self.data, "SELECT expires_ms FROM api_keys WHERE id = ?",
                              (key["id"],))[0][0]
        self.assertAlmostEqual(expires_ms / 1000, time.time() + 24 * 3600, delta=60)
        # The longest grace is a week.
        reply = manager.post(KEYS + "/" + reply.json()["id"] + "/rotate", {"graceHours": 168})
        self.assertEqual(reply.status, 201, reply.body)

    def test_another_organizations_key_is_404_and_untouched(self):
        mine = self.team("keys-mine", roles=("manager",))
        theirs = self.team("keys-theirs", roles=("manager",))
        their_manager = self.manager(theirs)
        their_key = their_manager.post(KEYS, {"label": "theirs"}).json()
        before = self.keys_of(theirs["org"])
        manager = self.manager(mine)
        for key_id in (their_key["id"], str(uuid.uuid4()), "nope"):
            with self.subTest(key_id=key_id):
                path = KEYS + "/" + key_id
                self.assertError(manager.patch(path, {"label": "mine now"}), 404, "NOT_FOUND")
                self.assertError(manager.post(path + "/rotate", {"graceHours": 0}), 404,
                                 "NOT_FOUND")
                self.assertError(manager.post(path + "/revoke"), 404, "NOT_FOUND")
        self.assertEqual(self.keys_of(theirs["org"]), before)
        self.assertEqual(manager.get(KEYS).json()["items"], [])
        self.assertEqual(self.external(their_key["key"]).status, 200)


# ---- the pilot view -----------------------------------------------------------------------

class Pilot(OrgTest):
    SERVER_ARGS = ["--rate-limit", "100000", "--workers", "1", "--allow-http-callbacks"]

    def test_external_api_jobs_with_their_callback_attempts(self):
        team = self.team("pilot", roles=("manager", "technical", "radiologist"))
        manager = self.manager(team)
        key = manager.post(KEYS, {"label": "pilot"}).json()
        with CallbackReceiver(statuses=(200,)) as receiver:
            fields = report_fields(None, transcript="findings colon no acute hemorrhage period",
                                   callbackUrl=receiver.url())
            reply = post_form(self.srv, REPORT, fields, key=key["key"])
            self.assertEqual(reply.status, 202, reply.body)
            job_id = reply.json()["jobId"]
            wait_job(self, self.srv, key["key"], reply.json()["pollUrl"],
                     timeout=TEXT_TIMEOUT_S)
            wait_for(self, "callback delivered", lambda: receiver.deliveries(), TEXT_TIMEOUT_S)

        def delivered():
            items = manager.get(JOBS).json()["items"]
            return items if items and items[0]["callback"]["status"] == "delivered" else None
        items = wait_for(self, "callback recorded", delivered, 20)
        self.assertEqual(len(items), 1)
        job = items[0]
        self.assertEqual((job["jobId"], job["kind"], job["status"], job["examCount"]),
                         (job_id, "report", "completed", 1))
        self.assertIsNone(job["errorCode"])
        self.assertRegex(job["createdAt"], ISO_RE)
        self.assertRegex(job["finishedAt"], ISO_RE)
        self.assertEqual(job["keyPrefix"], key["prefix"])
        self.assertEqual(job["callback"]["url"], receiver.url())
        attempts = job["callback"]["attempts"]
        self.assertEqual(len(attempts), 1)
        self.assertEqual((attempts[0]["attempt"], attempts[0]["httpStatus"],
                          attempts[0]["error"]), (1, 200, None))
        # Technical users see the same view; patient data is not part of it.
        tech = sign_in(self.srv, team["technical"])
        self.assertEqual(tech.get(JOBS).json()["items"], items)
        self.assertNotIn("patient", json.dumps(items).lower())

    def test_only_the_latest_50_api_jobs_newest_first_and_the_state_filter(self):
        team = self.team("pilot50", roles=("manager", "radiologist"))
        other = self.team("pilot50-other", roles=("manager",))
        manager = self.manager(team)
        key_id = manager.post(KEYS, {"label": "pilot"}).json()["id"]
        their_key = self.manager(other).post(KEYS, {"label": "x"}).json()["id"]
        org = team["org"]
        failed = insert_job(self.data, org, key_id=key_id, status="failed", exams=("failed",),
                            error_code="INVALID_AUDIO", error_message="Unreadable audio.",
                            callback_url="https://hbys.example.org/cb", callback_status="failed",
                            attempts=[(503, "HTTP 503"), (None, "connection refused")])
        ids = [insert_job(self.data, org, key_id=key_id) for _ in range(52)]
        insert_job(self.data, org, user_id=team["ids"]["radiologist"])  # a web job
        insert_job(self.data, other["org"], key_id=their_key)           # another organization
        running = insert_job(self.data, org, key_id=key_id, status="processing",
                             exams=("pending",))

        items = manager.get(JOBS).json()["items"]
        self.assertEqual([i["jobId"] for i in items], [running] + ids[::-1][:49])
        self.assertIsNone(items[1]["callback"])
        only_failed = manager.get(JOBS + "?state=failed").json()["items"]
        self.assertEqual(len(only_failed), 1)
        job = only_failed[0]
        self.assertEqual((job["jobId"], job["status"], job["errorCode"], job["errorMessage"]),
                         (failed, "failed", "INVALID_AUDIO", "Unreadable audio."))
        self.assertEqual(job["callback"], {
            "url": "https://hbys.example.org/cb", "status": "failed",
            "attempts": [{"attempt": 1, "at": job["callback"]["attempts"][0]["at"],
                          "httpStatus": 503, "error": "HTTP 503"},
                         {"attempt": 2, "at": job["callback"]["attempts"][1]["at"],
                          "httpStatus": None, "error": "connection refused"}]})
        self.assertEqual([i["jobId"] for i in manager.get(JOBS + "?state=processing")
                          .json()["items"]], [running])
        self.assertEqual(manager.get(JOBS + "?state=pending").json()["items"], [])
        self.assertEqual(len(manager.get(JOBS + "?state=completed").json()["items"]), 50)
        for state in ("done", "FAILED", "failed,pending"):
            with self.subTest(state=state):
                self.assertError(manager.get(JOBS + "?state=" + state), 400, "INVALID_REQUEST",
                                 "state")


# ---- who may call what --------------------------------------------------------------------

class Authorization(OrgTest):
    """Each endpoint: no session 401; every other role 403; a manager without
    this session's CSRF token 403 CSRF_FAILED; and nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = make_people(cls.data, "authz")
        cls.clients = {role: signed_in(cls.srv, cls.people, role)
                       for role in ("manager", "radiologist", "doctor", "technical",
                                    "individual", "admin", "accounting")}
        manager = cls.clients["manager"]
        cls.member_id = [m for m in manager.get(MEMBERS).json()["items"]
                         if m["role"] == "doctor"][0]["id"]
        cls.key = manager.post(KEYS, {"label": "authz"}).json()

    def endpoints(self):
        member, key = MEMBERS + "/" + self.member_id, KEYS + "/" + self.key["id"]
        new_member = {"name": "Intruder", "email": "intruder@example.org", "role": "manager",
                      "password": PASSWORD}
        return [
            ("GET", MEMBERS, None), ("POST", MEMBERS, new_member),
            ("PATCH", member, {"active": False}),
            ("POST", member + "/password", {"password": "taken over!"}),
            ("GET", USAGE, None), ("GET", SETTINGS, None),
            ("PUT", SETTINGS, {"callbackUrl": "https://evil.example.org/cb"}),
            ("POST", SETTINGS + "/callback-secret", {}),
            ("POST", SETTINGS + "/callback-secret/rotate", {}),
            ("GET", KEYS, None), ("POST", KEYS, {"label": "stolen"}),
            ("PATCH", key, {"label": "renamed"}), ("POST", key + "/rotate", {"graceHours": 0}),
            ("POST", key + "/revoke", {}), ("GET", JOBS, None),
        ]

    def state(self):
        org = self.people["org"]
        return (self.users_of(org), self.keys_of(org),
                db_query(self.data, "SELECT callback_url, callback_secret, callback_secret_at,"
                         " password_hash FROM organizations o"
                         " JOIN users u ON u.org_id = o.id WHERE o.id = ? ORDER BY u.id",
                         (org,)))

    def test_the_matrix(self):
        before = self.state()
        for method, path, body in self.endpoints():
            allowed = {"manager"} | ({"technical"} if path == JOBS else set())
            with self.subTest(method=method, path=path, who="nobody"):
                reply = WebClient(self.srv).request(method, path, body)
                self.assertError(reply, 401, "UNAUTHENTICATED")
            for role, client in self.clients.items():
                if role in allowed:
                    continue
                with self.subTest(method=method, path=path, who=role):
                    self.assertError(client.request(method, path, body), 403, "FORBIDDEN")
            if method == "GET":
                continue
            manager = self.clients["manager"]
            with self.subTest(method=method, path=path, who="manager without CSRF"):
                self.assertError(manager.request(method, path, body, csrf=False), 403,
                                 "CSRF_FAILED")
            with self.subTest(method=method, path=path, who="manager with another CSRF"):
                reply = manager.request(method, path, body,
                                        headers={"X-CSRF-Token": "0" * 64})
                self.assertError(reply, 403, "CSRF_FAILED")
            with self.subTest(method=method, path=path, who="another session's CSRF"):
                reply = manager.request(method, path, body,
                                        headers={"X-CSRF-Token": self.clients["doctor"].csrf})
                self.assertError(reply, 403, "CSRF_FAILED")
        self.assertEqual(self.state(), before)
        self.assertEqual(self.external(self.key["key"]).status, 200)
        # The pilot view is the one workspace page technical users share.
        self.assertEqual(self.clients["technical"].get(JOBS).status, 200)
        self.assertEqual(self.clients["manager"].get(JOBS).status, 200)

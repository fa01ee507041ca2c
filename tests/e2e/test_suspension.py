"""The platform's suspension of a user (POST /api/v1/admin/users/{id}/suspend
and /unsuspend): only an admin sets and lifts it; it ends the user's
sessions at once, bars their sign-in (the same 401 as a wrong password) and
their API keys (401); it is recorded (who, when); an organization's managers
see it in the member list and cannot override it (403 USER_SUSPENDED, with
nothing changed), while their own active switch stays theirs. Every refusal
changes nothing. The role and CSRF matrix of the admin endpoints is in
test_web_staff.py, the organization's deactivation (the platform's
suspension of an organization) there too."""

import uuid

from harness import SharedDataDirTest, db_query
from jobs_helpers import ISO_RE
from org_helpers import TEMPLATES, make_team, sign_in
from web_helpers import WebClient, assert_api_error, make_user

USERS = "/api/v1/admin/users"
MEMBERS = "/api/v1/org/members"
KEYS = "/api/v1/org/keys"
SESSION = "/api/v1/session"


class Suspension(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "100000"])
        cls.admin_email = "admin-suspension@example.org"
        cls.admin_id = make_user(cls.data, "admin", cls.admin_email)
        cls.admin = sign_in(cls.srv, cls.admin_email, "admin")

    def assertError(self, reply, status, code, field=None):
        return assert_api_error(self, reply, status, code, field)

    def user_row(self, user_id):
        return db_query(self.data, "SELECT role, active, suspended_at, suspended_by FROM users"
                        " WHERE id = ?", (user_id,))[0]

    def suspend(self, user_id):
        reply = self.admin.post(USERS + "/" + user_id + "/suspend")
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()

    def unsuspend(self, user_id):
        reply = self.admin.post(USERS + "/" + user_id + "/unsuspend")
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()

    def sessions_of(self, user_id):
        return db_query(self.data, "SELECT count(*) FROM sessions WHERE user_id = ?",
                        (user_id,))[0][0]

    def member(self, manager, user_id):
        return [m for m in manager.get(MEMBERS).json()["items"] if m["id"] == user_id][0]

    # ---- suspending -------------------------------------------------------------------

    def test_a_suspended_user_is_signed_out_at_once_and_cannot_sign_in(self):
        team = make_team(self.data, "susp1", roles=("manager", "doctor"))
        doctor_id = team["ids"]["doctor"]
        doctor = sign_in(self.srv, team["doctor"])
        other_browser = sign_in(self.srv, team["doctor"])
        self.assertEqual(self.sessions_of(doctor_id), 2)

        user = self.suspend(doctor_id)
        self.assertTrue(user["suspended"])
        self.assertTrue(user["active"], "the organization's switch is left alone")
        self.assertRegex(user["suspendedAt"], ISO_RE)
        self.assertEqual(user["suspendedBy"], self.admin_email)
        self.assertEqual(user["organizationName"], "Hastane susp1")
        self.assertEqual(self.user_row(doctor_id),
                         ("doctor", 1, user["suspendedAt"], self.admin_email))
        # Every session ends at once; the pages send the user to sign in.
        self.assertEqual(self.sessions_of(doctor_id), 0)
        for client in (doctor, other_browser):
            self.assertError(client.get(SESSION), 401, "UNAUTHENTICATED")
        page = doctor.get("/organization.html")
        self.assertEqual((page.status, page.headers.get("location")),
                         (303, "/kurumsal-login.html"))
        # Sign-in: the same answer as a wrong password, and no session made.
        self.assertError(WebClient(self.srv).login("corporate", team["doctor"]), 401,
                         "INVALID_CREDENTIALS")
        self.assertEqual(self.sessions_of(doctor_id), 0)
        # The admin's list shows it.
        found = self.admin.get(USERS + "?q=doctor-susp1").json()["items"]
        self.assertEqual([(u["suspended"], u["suspendedBy"]) for u in found],
                         [(True, self.admin_email)])

        lifted = self.unsuspend(doctor_id)
        self.assertEqual((lifted["suspended"], lifted["suspendedAt"], lifted["suspendedBy"]),
                         (False, None, None))
        self.assertEqual(self.user_row(doctor_id), ("doctor", 1, None, None))
        sign_in(self.srv, team["doctor"])

    def test_the_manager_sees_it_and_cannot_lift_it(self):
        team = make_team(self.data, "susp2", roles=("manager", "doctor"))
        doctor_id = team["ids"]["doctor"]
        manager = sign_in(self.srv, team["manager"])
        self.suspend(doctor_id)
        seen = self.member(manager, doctor_id)
        self.assertEqual((seen["active"], seen["suspended"]), (True, True))
        self.assertNotIn("suspendedBy", seen, "managers see the flag, not the platform's staff")
        self.assertFalse(self.member(manager, team["ids"]["manager"])["suspended"])

        path = MEMBERS + "/" + doctor_id
        before = self.user_row(doctor_id)
        for body in ({"active": True}, {"active": True, "role": "radiologist"}):
            with self.subTest(body=body):
                error = self.assertError(manager.patch(path, body), 403, "USER_SUSPENDED",
                                         "active")
                self.assertIn("platform", error["message"])
                self.assertEqual(self.user_row(doctor_id), before, "nothing changed")
        # What is the manager's own stays theirs: deactivating, a role.
        reply = manager.patch(path, {"active": False})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual((reply.json()["active"], reply.json()["suspended"]), (False, True))
        reply = manager.patch(path, {"role": "radiologist"})
        self.assertEqual((reply.status, reply.json()["role"]), (200, "radiologist"))
        before = self.user_row(doctor_id)
        self.assertError(manager.patch(path, {"active": True}), 403, "USER_SUSPENDED", "active")
        self.assertEqual(self.user_row(doctor_id), before)

        # Lifted, the member is as the manager left them: still deactivated
        # until the manager reactivates them.
        self.unsuspend(doctor_id)
        self.assertError(WebClient(self.srv).login("corporate", team["doctor"]), 401,
                         "INVALID_CREDENTIALS")
        reply = manager.patch(path, {"active": True})
        self.assertEqual((reply.status, reply.json()["active"], reply.json()["suspended"]),
                         (200, True, False))
        sign_in(self.srv, team["doctor"])

    def test_the_admins_active_switch_does_not_lift_it(self):
        team = make_team(self.data, "susp3", roles=("manager", "doctor"))
        doctor_id = team["ids"]["doctor"]
        self.suspend(doctor_id)
        reply = self.admin.patch(USERS + "/" + doctor_id, {"active": True})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertTrue(reply.json()["suspended"])
        self.assertError(WebClient(self.srv).login("corporate", team["doctor"]), 401,
                         "INVALID_CREDENTIALS")

    def test_a_suspended_managers_api_keys_are_refused(self):
        team = make_team(self.data, "susp4", roles=("manager",))
        manager = sign_in(self.srv, team["manager"])
        key = manager.post(KEYS, {"label": "HBYS"}).json()["key"]
        self.assertEqual(self.srv.get(TEMPLATES, key=key).status, 200)
        self.suspend(team["ids"]["manager"])
        refused = self.srv.get(TEMPLATES, key=key)
        self.assertEqual((refused.status, refused.error_code()), (401, "UNAUTHORIZED"))
        self.assertError(manager.get(KEYS), 401, "UNAUTHENTICATED")
        self.unsuspend(team["ids"]["manager"])
        self.assertEqual(self.srv.get(TEMPLATES, key=key).status, 200)

    def test_an_admin_suspends_another_admin_not_themselves(self):
        other_email = "admin-two-suspension@example.org"
        other_id = make_user(self.data, "admin", other_email)
        other = sign_in(self.srv, other_email, "admin")
        self.suspend(other_id)
        self.assertError(other.get(SESSION), 401, "UNAUTHENTICATED")
        self.assertError(WebClient(self.srv).login("admin", other_email), 401,
                         "INVALID_CREDENTIALS")
        before = self.user_row(self.admin_id)
        error = self.assertError(self.admin.post(USERS + "/" + self.admin_id + "/suspend"), 400,
                                 "INVALID_REQUEST")
        self.assertIn("yourself", error["message"])
        self.assertEqual(self.user_row(self.admin_id), before)
        self.assertEqual(self.admin.get(SESSION).status, 200)
        self.unsuspend(other_id)
        sign_in(self.srv, other_email, "admin")

    # ---- refusals ---------------------------------------------------------------------

    def test_refusals_change_nothing(self):
        team = make_team(self.data, "susp5", roles=("manager", "doctor"))
        doctor_id = team["ids"]["doctor"]
        everyone = "SELECT id, role, active, suspended_at, suspended_by FROM users ORDER BY id"
        before = db_query(self.data, everyone)
        error = self.assertError(self.admin.post(USERS + "/" + doctor_id + "/unsuspend"), 409,
                                 "CONFLICT")
        self.assertIn("not suspended", error["message"])
        for user in (str(uuid.uuid4()), "nope"):
            for action in ("suspend", "unsuspend"):
                with self.subTest(user=user, action=action):
                    self.assertError(self.admin.post(USERS + "/" + user + "/" + action), 404,
                                     "NOT_FOUND")
        self.assertEqual(db_query(self.data, everyone), before)

        first = self.suspend(doctor_id)
        before = db_query(self.data, everyone)
        self.assertError(self.admin.post(USERS + "/" + doctor_id + "/suspend"), 409, "CONFLICT")
        # A manager of the organization, and the member's own session, get nothing.
        manager = sign_in(self.srv, team["manager"])
        for action in ("suspend", "unsuspend"):
            with self.subTest(who="manager", action=action):
                self.assertError(manager.post(USERS + "/" + doctor_id + "/" + action), 403,
                                 "FORBIDDEN")
            with self.subTest(who="admin without CSRF", action=action):
                self.assertError(self.admin.request("POST", USERS + "/" + doctor_id + "/" + action,
                                                    {}, csrf=False), 403, "CSRF_FAILED")
        self.assertEqual(db_query(self.data, everyone), before)
        self.assertEqual(self.user_row(doctor_id)[2:], (first["suspendedAt"], self.admin_email))

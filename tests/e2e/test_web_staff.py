"""The platform staff's consoles in the web app's JSON API: the admin's
(/api/v1/admin/...: organizations and their approval, users, jobs, health)
and the accountant's (/api/v1/accounting/...: balances, credit changes,
the ledger, the monthly usage CSV); every bad input refused with its field
and nothing changed, and who may call what."""

import csv
import io
import uuid

from harness import SharedDataDirTest, db_query
from org_helpers import TEMPLATES, insert_job, make_team, mid_month, months_back, sign_in
from web_helpers import PASSWORD, WebClient, make_people, make_user, signed_in

ORGS = "/api/v1/admin/organizations"
USERS = "/api/v1/admin/users"
ADMIN_JOBS = "/api/v1/admin/jobs"
HEALTH = "/api/v1/admin/health"
BALANCES = "/api/v1/accounting/balances"
CREDITS = "/api/v1/accounting/credits"
LEDGER = "/api/v1/accounting/ledger"
USAGE_CSV = "/api/v1/accounting/usage.csv"
REGISTER = "/api/v1/auth/register"
KEYS = "/api/v1/org/keys"


class StaffTest(SharedDataDirTest):
    """One server for the class (two workers, so health can be checked);
    each test makes its own organizations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "100000", "--workers", "2"])
        cls.admin_email = "admin-%s@example.org" % cls.__name__.lower()
        cls.accountant_email = "accounting-%s@example.org" % cls.__name__.lower()
        make_user(cls.data, "admin", cls.admin_email)
        make_user(cls.data, "accounting", cls.accountant_email)
        cls.admin = sign_in(cls.srv, cls.admin_email, "admin")
        cls.accountant = sign_in(cls.srv, cls.accountant_email, "accounting")

    def assertError(self, reply, status, code, field=None):
        self.assertEqual(reply.status, status, reply.body)
        error = reply.json()["error"]
        self.assertEqual(error["code"], code, error)
        self.assertTrue(error["message"])
        if field is not None:
            self.assertEqual(error.get("field"), field, error)
        return error

    def org_row(self, org):
        return db_query(self.data, "SELECT active, pending, credits FROM organizations"
                        " WHERE id = ?", (org,))[0]

    def count(self, table):
        return db_query(self.data, "SELECT count(*) FROM %s" % table)[0][0]

    def org_item(self, org):
        items = [o for o in self.admin.get(ORGS).json()["items"] if o["id"] == org]
        self.assertEqual(len(items), 1)
        return items[0]


# ---- admin: organizations -----------------------------------------------------------------

class AdminOrganizations(StaffTest):

    def test_the_list_shows_status_credits_and_member_count(self):
        team = make_team(self.data, "list", credits=42)
        item = self.org_item(team["org"])
        self.assertEqual((item["name"], item["type"], item["status"], item["credits"],
                          item["memberCount"]), ("Hastane list", "hospital", "active", 42, 4))
        self.assertEqual(set(item), {"id", "name", "type", "status", "credits", "createdAt",
                                     "memberCount", "deactivatedAt", "deactivatedBy"})
        self.assertEqual((item["deactivatedAt"], item["deactivatedBy"]), (None, None))

    def test_an_admin_creates_an_organization_with_its_manager(self):
        body = {"name": "Ege Teleradyoloji", "type": "teleradiology", "managerName": "Can Ege",
                "managerEmail": "can@ege.example", "managerPassword": PASSWORD}
        reply = self.admin.post(ORGS, body)
        self.assertEqual(reply.status, 201, reply.body)
        org, manager = reply.json()["organization"], reply.json()["manager"]
        self.assertEqual((org["name"], org["type"], org["status"], org["credits"],
                          org["memberCount"]), ("Ege Teleradyoloji", "teleradiology", "active",
                                                0, 1))
        self.assertEqual((manager["email"], manager["role"], manager["name"]),
                         ("can@ege.example", "manager", "Can Ege"))
        session = sign_in(self.srv, "can@ege.example").get("/api/v1/session").json()
        self.assertEqual(session["organization"]["id"], org["id"])
        self.assertEqual(self.org_item(org["id"])["status"], "active")

    def test_bad_new_organizations_are_refused_and_nothing_changes(self):
        good = {"name": "Yeni Hastane", "type": "hospital", "managerName": "Ali Veli",
                "managerEmail": "ali-bad@yeni.example", "managerPassword": PASSWORD}
        cases = [("name", ""), ("name", " x"), ("name", "n" * 201), ("name", 1),
                 ("type", "personal"), ("type", "clinic"), ("type", None),
                 ("managerName", ""), ("managerName", None), ("managerEmail", "nope"),
                 ("managerEmail", None), ("managerPassword", "short"),
                 ("managerPassword", None), ("managerPassword", 123456789)]
        before = (self.count("organizations"), self.count("users"))
        for field, value in cases:
            with self.subTest(field=field, value=value):
                body = dict(good)
                if value is None:
                    del body[field]
                else:
                    body[field] = value
                self.assertError(self.admin.post(ORGS, body), 400, "INVALID_REQUEST", field)
        # A taken e-mail leaves no organization behind either.
        taken = dict(good, managerEmail=self.admin_email.upper())
        self.assertError(self.admin.post(ORGS, taken), 409, "ALREADY_EXISTS", "managerEmail")
        self.assertEqual((self.count("organizations"), self.count("users")), before)

    def test_a_registered_organization_signs_in_only_after_approval(self):
        reg = {"organizationName": "Kayseri Görüntüleme", "organizationType": "imaging_center",
               "name": "Zeynep Kaya", "email": "zeynep@kayseri.example", "password": PASSWORD}
        reply = WebClient(self.srv).post(REGISTER, reg)
        self.assertEqual(reply.status, 202, reply.body)
        org = reply.json()["organization"]["id"]
        self.assertError(WebClient(self.srv).login("corporate", reg["email"]), 401,
                         "INVALID_CREDENTIALS")
        self.assertEqual(self.org_item(org)["status"], "pending")
        # A pending organization is approved, not activated.
        self.assertError(self.admin.post(ORGS + "/" + org + "/activate"), 409, "CONFLICT")
        self.assertEqual(self.org_row(org), (0, 1, 0))

        reply = self.admin.post(ORGS + "/" + org + "/approve")
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["status"], "active")
        self.assertEqual(self.org_row(org), (1, 0, 0))
        manager = sign_in(self.srv, reg["email"])
        self.assertEqual(manager.get("/api/v1/session").json()["organization"]["status"],
                         "active")
        self.assertError(self.admin.post(ORGS + "/" + org + "/approve"), 409, "CONFLICT")

    def test_a_pending_registration_can_be_refused(self):
        reg = {"organizationName": "Reddedilen", "organizationType": "hospital",
               "name": "Red Dedilen", "email": "red@dedilen.example", "password": PASSWORD}
        org = WebClient(self.srv).post(REGISTER, reg).json()["organization"]["id"]
        reply = self.admin.post(ORGS + "/" + org + "/deactivate")
        self.assertEqual((reply.status, reply.json()["status"]), (200, "inactive"))
        self.assertError(self.admin.post(ORGS + "/" + org + "/approve"), 409, "CONFLICT")
        self.assertError(WebClient(self.srv).login("corporate", reg["email"]), 401,
                         "INVALID_CREDENTIALS")

    def test_deactivation_ends_sessions_and_bars_keys_until_activated(self):
        team = make_team(self.data, "deact")
        manager = sign_in(self.srv, team["manager"])
        doctor = sign_in(self.srv, team["doctor"])
        key = manager.post(KEYS, {"label": "HBYS"}).json()["key"]
        self.assertEqual(self.srv.get(TEMPLATES, key=key).status, 200)

        reply = self.admin.post(ORGS + "/" + team["org"] + "/deactivate")
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["status"], "inactive")
        # Recorded: who and when, in the list too.
        recorded = (reply.json()["deactivatedAt"], reply.json()["deactivatedBy"])
        self.assertRegex(recorded[0], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(recorded[1], self.admin_email)
        item = self.org_item(team["org"])
        self.assertEqual((item["deactivatedAt"], item["deactivatedBy"]), recorded)
        for client in (manager, doctor):
            self.assertError(client.get("/api/v1/session"), 401, "UNAUTHENTICATED")
        self.assertEqual(db_query(self.data, "SELECT count(*) FROM sessions s JOIN users u"
                                  " ON u.id = s.user_id WHERE u.org_id = ?",
                                  (team["org"],))[0][0], 0)
        self.assertError(WebClient(self.srv).login("corporate", team["manager"]), 401,
                         "INVALID_CREDENTIALS")
        barred = self.srv.get(TEMPLATES, key=key)
        self.assertEqual((barred.status, barred.error_code()), (403, "FORBIDDEN"))
        # Deactivating again changes nothing more, the record included.
        again = self.admin.post(ORGS + "/" + team["org"] + "/deactivate")
        self.assertEqual(again.status, 200)
        self.assertEqual((again.json()["deactivatedAt"], again.json()["deactivatedBy"]), recorded)

        reply = self.admin.post(ORGS + "/" + team["org"] + "/activate")
        self.assertEqual((reply.status, reply.json()["status"]), (200, "active"))
        self.assertEqual((reply.json()["deactivatedAt"], reply.json()["deactivatedBy"]),
                         (None, None))
        self.assertEqual(self.srv.get(TEMPLATES, key=key).status, 200)
        sign_in(self.srv, team["manager"])

    def test_unknown_organizations_are_404(self):
        before = self.count("organizations")
        for org in (str(uuid.uuid4()), "not-a-uuid"):
            for action in ("approve", "deactivate", "activate"):
                with self.subTest(org=org, action=action):
                    self.assertError(self.admin.post(ORGS + "/" + org + "/" + action), 404,
                                     "NOT_FOUND")
        self.assertEqual(self.count("organizations"), before)


# ---- admin: users, jobs, health ----------------------------------------------------------------

class AdminUsersJobsHealth(StaffTest):

    def test_users_are_found_by_email_or_name_case_insensitively(self):
        team = make_team(self.data, "findme", roles=("manager", "doctor"))
        reply = self.admin.get(USERS + "?q=FINDME")
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual(sorted(u["email"] for u in body["items"]),
                         [team["doctor"], team["manager"]])
        self.assertEqual((body["total"], body["page"], body["pageSize"]), (2, 1, 50))
        item = body["items"][0]
        self.assertEqual((item["organizationId"], item["organizationName"]),
                         (team["org"], "Hastane findme"))
        by_name = self.admin.get(USERS + "?q=doctor%20findme").json()["items"]
        self.assertEqual([u["email"] for u in by_name], [team["doctor"]])
        staff = self.admin.get(USERS + "?q=" + self.admin_email).json()["items"]
        self.assertEqual(staff[0]["organizationId"], None)
        self.assertEqual(self.admin.get(USERS + "?q=100%25").json()["items"], [])
        self.assertEqual(self.admin.get(USERS + "?q=_").json()["total"], 0)

    def test_users_come_a_page_at_a_time(self):
        for i in range(53):
            make_user(self.data, "individual", "page%02d-many@example.org" % i)
        first = self.admin.get(USERS + "?q=-many@").json()
        second = self.admin.get(USERS + "?q=-many@&page=2").json()
        self.assertEqual((first["total"], len(first["items"]), len(second["items"])),
                         (53, 50, 3))
        emails = [u["email"] for u in first["items"] + second["items"]]
        self.assertEqual(emails, sorted("page%02d-many@example.org" % i for i in range(53)))
        self.assertEqual(self.admin.get(USERS + "?q=-many@&page=3").json()["items"], [])
        for page in ("0", "-1", "x", "1.5"):
            with self.subTest(page=page):
                self.assertError(self.admin.get(USERS + "?page=" + page), 400,
                                 "INVALID_REQUEST", "page")
        self.assertError(self.admin.get(USERS + "?q=" + "q" * 201), 400, "INVALID_REQUEST",
                         "q")

    def test_deactivating_a_user_ends_their_session_until_reactivated(self):
        team = make_team(self.data, "userdeact", roles=("manager", "radiologist"))
        rad = sign_in(self.srv, team["radiologist"])
        path = USERS + "/" + team["ids"]["radiologist"]
        reply = self.admin.patch(path, {"active": False})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertFalse(reply.json()["active"])
        self.assertEqual(reply.json()["organizationName"], "Hastane userdeact")
        self.assertError(rad.get("/api/v1/session"), 401, "UNAUTHENTICATED")
        self.assertError(WebClient(self.srv).login("corporate", team["radiologist"]), 401,
                         "INVALID_CREDENTIALS")
        self.assertTrue(self.admin.patch(path, {"active": True}).json()["active"])
        sign_in(self.srv, team["radiologist"])

    def test_bad_user_changes_are_refused_and_nothing_changes(self):
        team = make_team(self.data, "userbad", roles=("manager",))
        path = USERS + "/" + team["ids"]["manager"]
        before = db_query(self.data, "SELECT id, active FROM users ORDER BY id")
        for body in ({}, {"active": "no"}, {"active": 1}, {"role": "admin"}):
            with self.subTest(body=body):
                self.assertError(self.admin.patch(path, body), 400, "INVALID_REQUEST", "active")
        me = db_query(self.data, "SELECT id FROM users WHERE email = ?", (self.admin_email,))
        error = self.assertError(self.admin.patch(USERS + "/" + me[0][0], {"active": False}),
                                 400, "INVALID_REQUEST", "active")
        self.assertIn("yourself", error["message"])
        for user in (str(uuid.uuid4()), "nope"):
            self.assertError(self.admin.patch(USERS + "/" + user, {"active": False}), 404,
                             "NOT_FOUND")
        self.assertEqual(db_query(self.data, "SELECT id, active FROM users ORDER BY id"), before)
        self.assertEqual(self.admin.get("/api/v1/session").status, 200)

    def test_jobs_across_the_platform_with_their_failures(self):
        a = make_team(self.data, "jobs-a", roles=("manager", "doctor"))
        b = make_team(self.data, "jobs-b", roles=("manager",))
        key_id = sign_in(self.srv, b["manager"]).post(KEYS, {"label": "x"}).json()["id"]
        failed = insert_job(self.data, a["org"], user_id=a["ids"]["doctor"], status="failed",
                            exams=("failed",), error_code="INVALID_AUDIO",
                            error_message="The audio could not be decoded.")
        partly = insert_job(self.data, b["org"], key_id=key_id, kind="pacs",
                            exams=("completed", "failed"))
        done = insert_job(self.data, a["org"], user_id=a["ids"]["doctor"])
        waiting = insert_job(self.data, b["org"], key_id=key_id, status="processing",
                             exams=("pending",))

        reply = self.admin.get(ADMIN_JOBS)
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual((body["page"], body["pageSize"]), (1, 50))
        jobs = {j["jobId"]: j for j in body["items"]}
        self.assertEqual([j["jobId"] for j in body["items"][:4]],
                         [waiting, done, partly, failed])
        self.assertEqual((jobs[failed]["status"], jobs[failed]["errorCode"],
                          jobs[failed]["errorMessage"], jobs[failed]["source"],
                          jobs[failed]["organizationName"]),
                         ("failed", "INVALID_AUDIO", "The audio could not be decoded.", "web",
                          "Hastane jobs-a"))
        self.assertEqual((jobs[partly]["status"], jobs[partly]["errorCode"],
                          jobs[partly]["source"], jobs[partly]["examCount"],
                          jobs[partly]["kind"]), ("completed", "SPEECH_FAILED", "api", 2, "pacs"))
        self.assertIsNone(jobs[done]["errorCode"])
        self.assertIsNone(jobs[waiting]["finishedAt"])
        failed_only = self.admin.get(ADMIN_JOBS + "?state=failed").json()
        self.assertTrue(all(j["status"] == "failed" for j in failed_only["items"]))
        self.assertIn(failed, [j["jobId"] for j in failed_only["items"]])
        self.assertEqual(failed_only["total"],
                         db_query(self.data, "SELECT count(*) FROM jobs WHERE status = 'failed'")
                         [0][0])
        for state in ("broken", "Failed"):
            self.assertError(self.admin.get(ADMIN_JOBS + "?state=" + state), 400,
                             "INVALID_REQUEST", "state")
        self.assertError(self.admin.get(ADMIN_JOBS + "?page=0"), 400, "INVALID_REQUEST", "page")

    def test_jobs_come_a_page_at_a_time(self):
        team = make_team(self.data, "jobpages", roles=("manager",))
        for _ in range(55):
            insert_job(self.data, team["org"], user_id=team["ids"]["manager"])
        total = self.count("jobs")
        first = self.admin.get(ADMIN_JOBS).json()
        second = self.admin.get(ADMIN_JOBS + "?page=2").json()
        self.assertEqual((first["total"], len(first["items"])), (total, 50))
        self.assertEqual(len(second["items"]), min(50, total - 50))
        self.assertFalse({j["jobId"] for j in first["items"]} &
                         {j["jobId"] for j in second["items"]})

    def test_health(self):
        team = make_team(self.data, "health", roles=("manager",))
        for _ in range(2):
            insert_job(self.data, team["org"], status="processing", exams=("pending",),
                       user_id=team["ids"]["manager"])
        reply = self.admin.get(HEALTH)
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        in_db = dict(db_query(self.data, "SELECT status, count(*) FROM jobs GROUP BY status"))
        self.assertEqual(body, {
            "queue": {"pending": in_db.get("pending", 0),
                      "processing": in_db.get("processing", 0)},
            "workers": 2,
            "speech": {"engine": "local", "languages": ["en"], "engines": {"en": "local"}},
            "database": "ok"})
        self.assertGreaterEqual(body["queue"]["processing"], 2)


# ---- accounting ---------------------------------------------------------------------------

class Accounting(StaffTest):

    def ledger_rows(self, org):
        return db_query(self.data, "SELECT amount, balance_after, reason, actor FROM"
                        " credit_ledger WHERE org_id = ? ORDER BY id", (org,))

    def test_balances_of_every_organization(self):
        a = make_team(self.data, "bal-a", roles=("manager",), credits=5)
        b = make_team(self.data, "bal-b", roles=("manager",), credits=0)
        reply = self.accountant.get(BALANCES)
        self.assertEqual(reply.status, 200, reply.body)
        items = {o["id"]: o for o in reply.json()["items"]}
        self.assertEqual((items[a["org"]]["credits"], items[b["org"]]["credits"]), (5, 0))
        self.assertEqual(items[a["org"]]["status"], "active")
        self.assertEqual(len(items), self.count("organizations"))

    def test_every_change_is_a_ledger_row_naming_the_accountant_and_reason(self):
        team = make_team(self.data, "credits", roles=("manager",), credits=10)
        org = team["org"]
        reply = self.accountant.post(CREDITS, {"organizationId": org, "amount": 250,
                                               "reason": "Fatura 2026/118"})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json(), {"organizationId": org, "amount": 250, "balance": 260})
        reply = self.accountant.post(CREDITS, {"organizationId": org, "amount": -60,
                                               "reason": "correction: double top-up"})
        self.assertEqual(reply.json()["balance"], 200)
        self.assertEqual(self.org_row(org)[2], 200)
        self.assertEqual(self.ledger_rows(org)[-2:], [
            (250, 260, "Fatura 2026/118", self.accountant_email),
            (-60, 200, "correction: double top-up", self.accountant_email)])
        ledger = self.accountant.get(LEDGER + "?organizationId=" + org).json()
        self.assertEqual(ledger["organization"]["id"], org)
        self.assertEqual([(r["amount"], r["balanceAfter"], r["reason"], r["actor"])
                          for r in ledger["items"]],
                         [(-60, 200, "correction: double top-up", self.accountant_email),
                          (250, 260, "Fatura 2026/118", self.accountant_email),
                          (10, 10, "opening balance", "admin-cli")])
        self.assertEqual((ledger["total"], ledger["page"], ledger["pageSize"]), (3, 1, 50))
        # The manager sees the new balance.
        session = sign_in(self.srv, team["manager"]).get("/api/v1/session").json()
        self.assertEqual(session["organization"]["credits"], 200)

    def test_a_deduction_past_zero_is_409_and_changes_nothing(self):
        org = make_team(self.data, "short", roles=("manager",), credits=3)["org"]
        before = self.ledger_rows(org)
        reply = self.accountant.post(CREDITS, {"organizationId": org, "amount": -4,
                                               "reason": "refund"})
        self.assertError(reply, 409, "INSUFFICIENT_BALANCE")
        self.assertEqual(self.ledger_rows(org), before)
        self.assertEqual(self.org_row(org)[2], 3)
        reply = self.accountant.post(CREDITS, {"organizationId": org, "amount": -3,
                                               "reason": "refund"})
        self.assertEqual(reply.json()["balance"], 0)

    def test_bad_changes_are_refused_and_nothing_changes(self):
        org = make_team(self.data, "badcredits", roles=("manager",), credits=3)["org"]
        good = {"organizationId": org, "amount": 5, "reason": "top-up"}
        cases = [("organizationId", None, 400), ("organizationId", "nope", 400),
                 ("organizationId", 5, 400), ("organizationId", str(uuid.uuid4()), 404),
                 ("amount", None, 400), ("amount", 0, 400), ("amount", 1000001, 400),
                 ("amount", -1000001, 400), ("amount", 1.5, 400), ("amount", "5", 400),
                 ("amount", True, 400), ("amount", 2 ** 62, 400), ("reason", None, 400),
                 ("reason", "", 400), ("reason", " padded", 400), ("reason", "r" * 201, 400),
                 ("reason", "line\nbreak", 400), ("reason", 7, 400)]
        ledger_before, credits_before = self.count("credit_ledger"), self.org_row(org)
        for field, value, status in cases:
            with self.subTest(field=field, value=value):
                body = dict(good)
                if value is None:
                    del body[field]
                else:
                    body[field] = value
                self.assertError(self.accountant.post(CREDITS, body), status,
                                 "INVALID_REQUEST" if status == 400 else "NOT_FOUND", field)
        self.assertEqual((self.count("credit_ledger"), self.org_row(org)),
                         (ledger_before, credits_before))
        # The largest change allowed.
        reply = self.accountant.post(CREDITS, dict(good, amount=1000000))
        self.assertEqual(reply.json()["balance"], 1000003)

    def test_the_ledger_comes_a_page_at_a_time_newest_first(self):
        org = make_team(self.data, "ledger", roles=("manager",), credits=1)["org"]
        for i in range(54):
            reply = self.accountant.post(CREDITS, {"organizationId": org, "amount": i + 1,
                                                   "reason": "top-up %d" % i})
            self.assertEqual(reply.status, 200)
        first = self.accountant.get(LEDGER + "?organizationId=" + org).json()
        second = self.accountant.get(LEDGER + "?organizationId=" + org + "&page=2").json()
        self.assertEqual((first["total"], len(first["items"]), len(second["items"])),
                         (55, 50, 5))
        self.assertEqual(first["items"][0]["reason"], "top-up 53")
        self.assertEqual(second["items"][-1]["reason"], "opening balance")
        for query, status, field in (("", 400, "organizationId"),
                                     ("?organizationId=nope", 400, "organizationId"),
                                     ("?organizationId=" + str(uuid.uuid4()), 404,
                                      "organizationId"),
                                     ("?organizationId=" + org + "&page=0", 400, "page")):
            with self.subTest(query=query):
                self.assertError(self.accountant.get(LEDGER + query), status,
                                 "INVALID_REQUEST" if status == 400 else "NOT_FOUND", field)

    def test_the_usage_csv_of_a_month(self):
        months = months_back(2)
        this, last = mid_month(months[0]), mid_month(months[1])
        evil = '=HYPERLINK("http://x.example","click"), "Ltd"'
        team = make_team(self.data, "csv", roles=("manager", "doctor"), credits=10, name=evil)
        plain = make_team(self.data, "csv2", roles=("manager",), credits=0,
                          name="+Artı Görüntüleme")
        org, doc = team["org"], team["ids"]["doctor"]
        insert_job(self.data, org, user_id=doc, created=this, exams=("completed", "completed"))
        insert_job(self.data, org, user_id=doc, created=this, status="failed",
                   exams=("failed",))
        insert_job(self.data, org, user_id=doc, created=last, exams=("completed",))
        self.accountant.post(CREDITS, {"organizationId": org, "amount": 7, "reason": "top-up"})
        self.accountant.post(CREDITS, {"organizationId": org, "amount": -2, "reason": "fix"})

        reply = self.accountant.get(USAGE_CSV + "?month=" + months[0])
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.headers["content-type"], "text/csv; charset=utf-8")
        self.assertEqual(reply.headers["content-disposition"],
                         'attachment; filename="usage-%s.csv"' % months[0])
        text = reply.body.decode("utf-8")
        self.assertTrue(text.endswith("\r\n"))
        lines = text.split("\r\n")
        self.assertEqual(lines[0],
                         "organization_id,organization,type,month,reports,credits_used,top_ups")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(len(rows) - 1, self.count("organizations"))
        by_id = {r[0]: r for r in rows[1:]}
        # Top-ups: the opening balance and the accountant's addition, not the deduction.
        self.assertEqual(by_id[org], [org, "'" + evil, "hospital", months[0], "2", "2", "17"])
        self.assertEqual(by_id[plain["org"]],
                         [plain["org"], "'+Artı Görüntüleme", "hospital", months[0], "0", "0",
                          "0"])
        # The dangerous name is quoted, its quotes doubled, with the leading quote inside.
        self.assertIn('"\'=HYPERLINK(""http://x.example"",""click""), ""Ltd"""', text)
        for line in lines[1:]:
            self.assertFalse(line[:1] in ("=", "+", "-", "@"), line)

        older = list(csv.reader(io.StringIO(
            self.accountant.get(USAGE_CSV + "?month=" + months[1]).body.decode("utf-8"))))
        by_id = {r[0]: r for r in older[1:]}
        self.assertEqual(by_id[org][3:], [months[1], "1", "1", "0"])

    def test_bad_months_are_refused(self):
        for month in ("", "2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "2026/11",
                      "abcd-ef", "1999-12"):
            with self.subTest(month=month):
                self.assertError(self.accountant.get(USAGE_CSV + "?month=" + month), 400,
                                 "INVALID_REQUEST", "month")
        self.assertError(self.accountant.get(USAGE_CSV), 400, "INVALID_REQUEST", "month")


# ---- who may call what --------------------------------------------------------------------

class Authorization(StaffTest):
    """Each endpoint: no session 401; every other role 403; without this
    session's CSRF token 403 CSRF_FAILED; and nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = make_people(cls.data, "staffz")
        cls.clients = {role: signed_in(cls.srv, cls.people, role)
                       for role in ("manager", "radiologist", "doctor", "technical",
                                    "individual")}
        cls.clients["admin"] = cls.admin
        cls.clients["accounting"] = cls.accountant
        cls.user_id = db_query(cls.data, "SELECT id FROM users WHERE email = ?",
                               (cls.people["doctor"],))[0][0]

    def endpoints(self):
        org, month = self.people["org"], months_back(1)[0]
        admin = [("GET", ORGS, None),
                 ("POST", ORGS, {"name": "Sneaky", "type": "hospital", "managerName": "S",
                                 "managerEmail": "sneaky@example.org",
                                 "managerPassword": PASSWORD}),
                 ("POST", ORGS + "/" + org + "/approve", {}),
                 ("POST", ORGS + "/" + org + "/deactivate", {}),
                 ("POST", ORGS + "/" + org + "/activate", {}),
                 ("GET", USERS + "?q=a", None),
                 ("PATCH", USERS + "/" + self.user_id, {"active": False}),
                 ("POST", USERS + "/" + self.user_id + "/suspend", {}),
                 ("POST", USERS + "/" + self.user_id + "/unsuspend", {}),
                 ("GET", ADMIN_JOBS, None), ("GET", HEALTH, None)]
        accounting = [("GET", BALANCES, None),
                      ("POST", CREDITS, {"organizationId": org, "amount": 100,
                                         "reason": "free credits"}),
                      ("GET", LEDGER + "?organizationId=" + org, None),
                      ("GET", USAGE_CSV + "?month=" + month, None)]
        return [("admin",) + e for e in admin] + [("accounting",) + e for e in accounting]

    def state(self):
        return (db_query(self.data, "SELECT id, active, pending, credits, deactivated_at"
                         " FROM organizations ORDER BY id"),
                db_query(self.data, "SELECT id, active, suspended_at FROM users ORDER BY id"),
                self.count("credit_ledger"))

    def test_the_matrix(self):
        before = self.state()
        for allowed, method, path, body in self.endpoints():
            with self.subTest(method=method, path=path, who="nobody"):
                self.assertError(WebClient(self.srv).request(method, path, body), 401,
                                 "UNAUTHENTICATED")
            for role, client in self.clients.items():
                if role == allowed:
                    continue
                with self.subTest(method=method, path=path, who=role):
                    self.assertError(client.request(method, path, body), 403, "FORBIDDEN")
            if method == "GET":
                continue
            staff = self.clients[allowed]
            with self.subTest(method=method, path=path, who=allowed + " without CSRF"):
                self.assertError(staff.request(method, path, body, csrf=False), 403,
                                 "CSRF_FAILED")
            with self.subTest(method=method, path=path, who=allowed + " with a wrong CSRF"):
                reply = staff.request(method, path, body, headers={"X-CSRF-Token": "f" * 64})
                self.assertError(reply, 403, "CSRF_FAILED")
        self.assertEqual(self.state(), before)
        for allowed, method, path, body in self.endpoints():
            if method == "GET":
                with self.subTest(method=method, path=path, who=allowed):
                    self.assertEqual(self.clients[allowed].get(path).status, 200)

"""The web app's reporting endpoints (/api/v1, docs/web-api.md "Reporting")
end to end: the dashboard, the exam search, templates (library and own),
report jobs through the web (the same validation, credits and pipeline as
the External API's POST /report), saved reports with revisions, the history
search and exports in every format. Every refusal is checked to change
nothing; the authorization matrix covers no session (401), the roles that
do not report (403), a missing CSRF token (403) and other organizations' and
other members' objects (404).

One data directory and one server serve the whole module; each test makes
the people whose state it checks."""

import io
import re
import shutil
import tempfile
import time
import unittest
import urllib.parse
import zipfile

from harness import Server, admin_ok, db_query
from jobs_helpers import (BRAIN_DICTATION, REPORT, SPEECH_TIMEOUT_S, TEXT_TIMEOUT_S,
                          TURKISH_TRANSCRIPT, UUID_RE, AudioFactory, FilePart, encode_multipart,
                          file_part, files_in, post_form, wait_for, wait_job)
from web_helpers import PATH_OF_ROLE, WebClient, make_org, make_people, make_user

V1 = "/api/v1"
LIB_BRAIN = "lib:tr-bt-beyin"        # the library's Turkish brain CT template
LIB_BRAIN_EN = "lib:en-ct-brain"
BRAIN_SUT = "803910"                 # Brain CT, CT, brain (data/sut/known-codes.csv)
GOOD_TEMPLATE = "BULGULAR:\n{{BULGULAR}}\n\nSONUÇ:\n{{SONUC}}"
SECTIONS = {"clinical": "Baş ağrısı.", "technique": "Kontrastsız BT.", "comparison": "",
            "findings": "Beyin parankimi normal. Şüpheli lezyon yok.",
            "conclusion": "Normal beyin BT.", "impression": ""}

S = {}   # the module's data directory, server and people


def setUpModule():
    S["data"] = tempfile.mkdtemp(prefix="raportai-e2e-")
    unittest.addModuleCleanup(shutil.rmtree, S["data"], ignore_errors=True)
    S["a"] = make_people(S["data"], "a", credits=20)
    S["b"] = make_people(S["data"], "b", credits=20)
    S["a"]["radiologist2"] = "radiologist2-a@example.org"
    make_user(S["data"], "radiologist", S["a"]["radiologist2"], S["a"]["org"])
    srv = Server(S["data"], ["--workers", "2"])
    srv.start()
    unittest.addModuleCleanup(srv.stop)
    S["srv"] = srv


def client(people, role):
    """A WebClient signed in as the person of role in people (roles not in
    PATH_OF_ROLE, such as "radiologist2", are corporate)."""
    c = WebClient(S["srv"])
    c.must_login(PATH_OF_ROLE.get(role, "corporate"), people[role])
    return c


_counter = [0]


def new_member(role="radiologist", credits=10):
    """A new organization with one member of role, signed in: (client, org id)."""
    _counter[0] += 1
    org = make_org(S["data"], "Klinik %d" % _counter[0], credits)
    email = "%s-%d@example.org" % (role, _counter[0])
    make_user(S["data"], role, email, org, name="Dr. Ayşe Öztürk")
    c = WebClient(S["srv"])
    c.must_login("corporate", email)
    return c, org


def user_id(email):
    return db_query(S["data"], "SELECT id FROM users WHERE email = ?", (email,))[0][0]


def count(sql, params=()):
    return db_query(S["data"], sql, params)[0][0]


def submit_job(c, fields, csrf=True):
    body, ctype = encode_multipart(fields)
    return c.request("POST", V1 + "/jobs", raw=body, headers={"Content-Type": ctype}, csrf=csrf)


def transcript_fields(**extra):
    fields = [("transcript", TURKISH_TRANSCRIPT), ("sutCode", BRAIN_SUT)]
    return fields + [(k, v) for k, v in extra.items() if v is not None]


def report_body(**changes):
    body = {"sutCode": BRAIN_SUT, "examName": "Beyin BT", "modality": "CT",
            "patientName": "Ayşe Şahin", "patientId": "TC-12345678901",
            "accessionNo": "ACC-2026-001", "language": "tr", "sections": dict(SECTIONS)}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


class Base(unittest.TestCase):

    def wait_web_job(self, c, job_id, timeout=TEXT_TIMEOUT_S):
        """Polls GET /api/v1/jobs/{id} (bounded) until the job is finished."""
        deadline = time.monotonic() + timeout
        while True:
            reply = c.get(V1 + "/jobs/" + job_id)
            self.assertEqual(reply.status, 200, reply.body)
            body = reply.json()
            if body["status"] in ("completed", "failed"):
                return body
            if time.monotonic() > deadline:
                self.fail("job %s not finished within %ds: %r" % (job_id, timeout, body))
            time.sleep(0.2)

    def assertError(self, reply, status, code, field=None):
        self.assertEqual(reply.status, status, reply.body)
        err = reply.json()["error"]
        self.assertEqual(err["code"], code, err)
        self.assertTrue(err["message"])
        if field is not None:
            self.assertEqual(err.get("field"), field, err)
        return err

    def credits(self, c):
        reply = c.get(V1 + "/dashboard")
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()["remainingCredits"]

    def new_report(self, c, **changes):
        reply = c.post(V1 + "/reports", report_body(**changes))
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()


# ---- the authorization matrix ----------------------------------------------------------------

class Authorization(Base):
    """Objects of radiologist A (a report, a template, a web job) and the
    endpoints' answers to everybody else."""

    @classmethod
    def setUpClass(cls):
        a = S["a"]
        owner = client(a, "radiologist")
        cls.owner = owner
        reply = owner.post(V1 + "/templates", {"name": "Sahibin şablonu", "format": "txt",
                                               "content": GOOD_TEMPLATE})
        assert reply.status == 201, reply.body
        cls.template = reply.json()["id"]
        reply = submit_job(owner, transcript_fields(patientName="Matris Hasta"))
        assert reply.status == 202, reply.body
        cls.job = reply.json()["jobId"]
        reply = owner.post(V1 + "/reports", report_body(jobId=cls.job))
        assert reply.status == 201, reply.body
        cls.report = reply.json()["id"]

    def endpoints(self):
        """(method, path, body) of every reporting endpoint; None body for
        GET and DELETE, "form" for the multipart job submission."""
        t, r, j = self.template, self.report, self.job
        return [
            ("GET", V1 + "/dashboard", None),
            ("GET", V1 + "/exams?q=beyin", None),
            ("GET", V1 + "/templates", None),
            ("POST", V1 + "/templates", {"name": "X", "format": "txt", "content": GOOD_TEMPLATE}),
            ("GET", V1 + "/templates/" + t, None),
            ("GET", V1 + "/templates/" + LIB_BRAIN, None),
            ("PUT", V1 + "/templates/" + t, {"name": "Y", "format": "txt",
                                             "content": GOOD_TEMPLATE}),
            ("DELETE", V1 + "/templates/" + t, None),
            ("POST", V1 + "/jobs", "form"),
            ("GET", V1 + "/jobs/" + j, None),
            ("POST", V1 + "/reports", report_body()),
            ("GET", V1 + "/reports", None),
            ("GET", V1 + "/reports/" + r, None),
            ("PUT", V1 + "/reports/" + r, report_body()),
            ("GET", V1 + "/reports/%s/export?format=txt" % r, None),
        ]

    def call(self, c, method, path, body, csrf=True):
        if body == "form":
            return submit_job(c, transcript_fields(), csrf=csrf)
        return c.request(method, path, body, csrf=csrf)

    def state(self):
        """What a refused call must leave unchanged."""
        return {
            "templates": db_query(S["data"], "SELECT id, name, content, updated_at FROM"
                                  " user_templates ORDER BY id"),
            "reports": db_query(S["data"], "SELECT id, revision, patient_name, updated_at FROM"
                                " reports ORDER BY id"),
            "revisions": count("SELECT COUNT(*) FROM report_revisions"),
            "jobs": count("SELECT COUNT(*) FROM jobs"),
            "credits": db_query(S["data"], "SELECT id, credits FROM organizations ORDER BY id"),
        }

    def test_no_session_is_401(self):
        before = self.state()
        anonymous = WebClient(S["srv"])
        for method, path, body in self.endpoints():
            with self.subTest(method=method, path=path):
                self.assertError(self.call(anonymous, method, path, body), 401,
                                 "UNAUTHENTICATED")
        self.assertEqual(self.state(), before)

    def test_a_stale_cookie_is_401(self):
        c = WebClient(S["srv"])
        c.token = "x" * 43
        self.assertError(c.get(V1 + "/dashboard"), 401, "UNAUTHENTICATED")

    def test_roles_that_do_not_report_are_403(self):
        before = self.state()
        for role in ("technical", "admin", "accounting"):
            c = client(S["a"], role)
            for method, path, body in self.endpoints():
                with self.subTest(role=role, method=method, path=path):
                    self.assertError(self.call(c, method, path, body), 403, "FORBIDDEN")
        self.assertEqual(self.state(), before)

    def test_missing_or_wrong_csrf_is_403(self):
        before = self.state()
        c = client(S["a"], "radiologist")
        for method, path, body in self.endpoints():
            if method == "GET":
                continue
            with self.subTest(method=method, path=path):
                self.assertError(self.call(c, method, path, body, csrf=False), 403,
                                 "CSRF_FAILED")
                wrong = body if body != "form" else None
                if wrong is not None or method == "DELETE":
                    reply = c.request(method, path, wrong, headers={"X-CSRF-Token": "0" * 64})
                    self.assertError(reply, 403, "CSRF_FAILED")
        self.assertEqual(self.state(), before)

    def assertHidden(self, c, who):
        """Every object of radiologist A answers 404 to c, and nothing changes."""
        t, r, j = self.template, self.report, self.job
        before = self.state()
        calls = [
            ("GET", V1 + "/templates/" + t, None),
            ("PUT", V1 + "/templates/" + t, {"name": "Y", "format": "txt",
                                             "content": GOOD_TEMPLATE}),
            ("DELETE", V1 + "/templates/" + t, None),
            ("GET", V1 + "/reports/" + r, None),
            ("GET", V1 + "/reports/%s?revision=1" % r, None),
            ("PUT", V1 + "/reports/" + r, report_body()),
            ("GET", V1 + "/reports/%s/export?format=pdf" % r, None),
            ("GET", V1 + "/jobs/" + j, None),
        ]
        for method, path, body in calls:
            with self.subTest(who=who, method=method, path=path):
                self.assertError(c.request(method, path, body), 404, "NOT_FOUND")
        # Referring to them is refused the same way.
        self.assertError(c.post(V1 + "/reports", report_body(jobId=j)), 404, "NOT_FOUND",
                         "jobId")
        self.assertError(submit_job(c, transcript_fields(templateId=t)), 404, "NOT_FOUND",
                         "templateId")
        listed = c.get(V1 + "/reports?pageSize=100").json()["items"]
        self.assertNotIn(r, [item["id"] for item in listed])
        listed = c.get(V1 + "/templates").json()["items"]
        self.assertNotIn(t, [item["id"] for item in listed])
        self.assertEqual(self.state(), before)

    def test_other_organizations_objects_are_404(self):
        for role in ("manager", "radiologist", "doctor", "individual"):
            self.assertHidden(client(S["b"], role), "%s of b" % role)

    def test_other_members_objects_are_404_for_non_managers(self):
        self.assertHidden(client(S["a"], "doctor"), "doctor of a")
        self.assertHidden(client(S["a"], "radiologist2"), "second radiologist of a")
        self.assertHidden(client(S["a"], "individual"), "individual a")

    def test_manager_sees_every_members_report_and_job_but_not_templates(self):
        m = client(S["a"], "manager")
        reply = m.get(V1 + "/reports/" + self.report)
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["author"], "radiologist-a")
        items = m.get(V1 + "/reports").json()["items"]
        self.assertIn(self.report, [item["id"] for item in items])
        self.assertEqual(m.get(V1 + "/jobs/" + self.job).status, 200)
        self.assertEqual(m.get(V1 + "/reports/%s/export?format=txt" % self.report).status, 200)
        self.assertError(m.get(V1 + "/templates/" + self.template), 404, "NOT_FOUND")
        # A manager's edit is a new revision under the manager's name.
        reply = m.put(V1 + "/reports/" + self.report, report_body(patientName="Yönetici Düzeltti"))
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual(body["revisionAuthor"], "manager-a")
        self.assertEqual(body["author"], "radiologist-a")

    def test_external_api_jobs_are_the_managers_alone(self):
        key = admin_ok(S["data"], "create-key", "--email", S["a"]["manager"], "--name", "HBYS")
        reply = post_form(S["srv"], REPORT, transcript_fields(inputLang="tr", outputLang="tr"),
                          key)
        self.assertEqual(reply.status, 202, reply.body)
        job = reply.json()["jobId"]
        self.assertEqual(client(S["a"], "manager").get(V1 + "/jobs/" + job).status, 200)
        self.assertError(client(S["a"], "radiologist").get(V1 + "/jobs/" + job), 404,
                         "NOT_FOUND")
        self.assertEqual(db_query(S["data"], "SELECT user_id FROM jobs WHERE id = ?",
                                  (job,)), [(None,)])
        wait_job(self, S["srv"], key, REPORT + "/" + job, TEXT_TIMEOUT_S)

    def test_unknown_ids_are_404(self):
        c = client(S["a"], "radiologist")
        for path in ("/reports/not-a-uuid", "/reports/00000000-0000-4000-8000-000000000000",
                     "/jobs/nope", "/jobs/00000000-0000-4000-8000-000000000000",
                     "/templates/nope", "/templates/lib:no-such",
                     "/reports/00000000-0000-4000-8000-000000000000/export?format=txt"):
            with self.subTest(path=path):
                self.assertError(c.get(V1 + path), 404, "NOT_FOUND")


# ---- templates ---------------------------------------------------------------------------------

class Templates(Base):

    def template_state(self, c):
        return (c.get(V1 + "/templates").json()["items"],
                count("SELECT COUNT(*) FROM user_templates"))

    def test_library_is_listed_and_readable(self):
        c = client(S["a"], "doctor")
        items = c.get(V1 + "/templates").json()["items"]
        lib = {item["id"]: item for item in items if item["owner"] == "library"}
        self.assertIn(LIB_BRAIN, lib)
        self.assertEqual(lib[LIB_BRAIN], {"id": LIB_BRAIN, "name": "BT Beyin", "language": "tr",
                                          "format": "txt", "modality": "CT",
                                          "bodyPart": "brain", "owner": "library"})
        reply = c.get(V1 + "/templates/" + LIB_BRAIN)
        self.assertEqual(reply.status, 200)
        self.assertIn("{{BULGULAR}}", reply.json()["content"])

    def test_library_is_read_only(self):
        c = client(S["a"], "doctor")
        before = self.template_state(c)
        body = {"name": "Mine", "format": "txt", "content": GOOD_TEMPLATE}
        self.assertError(c.put(V1 + "/templates/" + LIB_BRAIN, body), 403, "FORBIDDEN")
        self.assertError(c.delete(V1 + "/templates/" + LIB_BRAIN), 403, "FORBIDDEN")
        self.assertEqual(self.template_state(c), before)
        self.assertIn("{{BULGULAR}}", c.get(V1 + "/templates/" + LIB_BRAIN).json()["content"])

    def test_own_template_create_read_update_delete(self):
        c, _ = new_member("radiologist")
        body = {"name": "Beyin BT — kısa", "format": "html", "language": "tr",
                "modality": "CT", "bodyPart": "brain",
                "content": "<p><b>Bulgular:</b> {{BULGULAR}}</p><p>{{IZLENIM}}</p>"}
        reply = c.post(V1 + "/templates", body)
        self.assertEqual(reply.status, 201, reply.body)
        made = reply.json()
        self.assertRegex(made["id"], UUID_RE)
        self.assertEqual(reply.headers["location"], V1 + "/templates/" + made["id"])
        for k, v in body.items():
            self.assertEqual(made[k], v)
        self.assertEqual(made["owner"], "own")
        own = [i for i in c.get(V1 + "/templates").json()["items"] if i["owner"] == "own"]
        self.assertEqual([i["id"] for i in own], [made["id"]])
        self.assertNotIn("content", own[0])
        self.assertEqual(c.get(V1 + "/templates/" + made["id"]).json()["content"],
                         body["content"])

        body.update(name="Yeni ad", format="txt", content="{{TEKNIK}}\n{{BULGULAR}}")
        reply = c.put(V1 + "/templates/" + made["id"], body)
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["name"], "Yeni ad")
        self.assertEqual(c.get(V1 + "/templates/" + made["id"]).json()["content"],
                         "{{TEKNIK}}\n{{BULGULAR}}")

        self.assertEqual(c.delete(V1 + "/templates/" + made["id"]).status, 204)
        self.assertError(c.get(V1 + "/templates/" + made["id"]), 404, "NOT_FOUND")
        self.assertError(c.delete(V1 + "/templates/" + made["id"]), 404, "NOT_FOUND")
        self.assertError(c.put(V1 + "/templates/" + made["id"], body), 404, "NOT_FOUND")

    def test_defaults_and_rtf(self):
        c, _ = new_member("doctor")
        reply = c.post(V1 + "/templates", {"name": "RTF", "format": "rtf",
                                           "content": "{\\rtf1 \\{\\{BULGULAR\\}\\}\\par}"})
        self.assertEqual(reply.status, 201, reply.body)
        self.assertEqual(reply.json()["language"], "tr")
        self.assertEqual(reply.json()["modality"], "")

    def test_bad_templates_are_refused_and_change_nothing(self):
        c, _ = new_member("radiologist")
        reply = c.post(V1 + "/templates", {"name": "Kept", "format": "txt",
                                           "content": GOOD_TEMPLATE})
        kept = reply.json()["id"]
        good = {"name": "T", "format": "txt", "content": GOOD_TEMPLATE}
        cases = [
            ({"content": "{{BULGULAR}} {{HASTA}}"}, "content"),
            ({"content": "BULGULAR: {{bulgular}}"}, "content"),
            ({"content": "No placeholder at all"}, "content"),
            ({"content": ""}, "content"),
            ({"content": " \n\t "}, "content"),
            ({"content": None}, "content"),
            ({"content": "{{BULGULAR}}" + "x" * (512 * 1024)}, "content"),
            ({"format": "rtf", "content": "plain {{BULGULAR}}"}, "content"),
            ({"format": "doc"}, "format"),
            ({"format": None}, "format"),
            ({"name": None}, "name"),
            ({"name": ""}, "name"),
            ({"name": "N" * 101}, "name"),
            ({"name": "a\nb"}, "name"),
            ({"language": "xx"}, "language"),
            ({"modality": "M" * 17}, "modality"),
            ({"bodyPart": "line\u0007"}, "bodyPart"),
        ]
        before = self.template_state(c)
        for change, field in cases:
            body = dict(good)
            body.update(change)
            body = {k: v for k, v in body.items() if v is not None}
            with self.subTest(change=str(change)[:60]):
                self.assertError(c.post(V1 + "/templates", body), 400, "INVALID_TEMPLATE", field)
                self.assertError(c.put(V1 + "/templates/" + kept, body), 400,
                                 "INVALID_TEMPLATE", field)
        self.assertError(c.post(V1 + "/templates", {"name": 5, "format": "txt",
                                                    "content": GOOD_TEMPLATE}),
                         400, "INVALID_TEMPLATE")
        reply = c.request("POST", V1 + "/templates", good, content_type="text/plain")
        self.assertEqual(reply.status, 415, reply.body)
        reply = c.request("POST", V1 + "/templates", raw=b"{not json",
                          headers={"Content-Type": "application/json"})
        self.assertError(reply, 400, "INVALID_REQUEST")
        self.assertEqual(self.template_state(c), before)
        self.assertEqual(c.get(V1 + "/templates/" + kept).json()["content"], GOOD_TEMPLATE)

    def test_templates_are_their_owners_alone(self):
        c1, org = new_member("radiologist")
        email = "second-%s@example.org" % org[:8]
        make_user(S["data"], "doctor", email, org)
        c2 = WebClient(S["srv"])
        c2.must_login("corporate", email)
        made = c1.post(V1 + "/templates", {"name": "Benim", "format": "txt",
                                           "content": GOOD_TEMPLATE}).json()
        own2 = [i for i in c2.get(V1 + "/templates").json()["items"] if i["owner"] == "own"]
        self.assertEqual(own2, [])
        self.assertError(c2.get(V1 + "/templates/" + made["id"]), 404, "NOT_FOUND")


# ---- exams and the dashboard ---------------------------------------------------------------------

class Exams(Base):

    def search(self, q):
        c = client(S["a"], "doctor")
        reply = c.get(V1 + "/exams?q=" + urllib.parse.quote(q))
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()["items"]

    def test_search_by_words_codes_and_template_names(self):
        brain = {"sutCode": BRAIN_SUT, "name": "Brain CT", "modality": "CT",
                 "bodyPart": "brain", "template": {"id": LIB_BRAIN, "name": "BT Beyin"}}
        for q in ("beyin", "BEYİN", "Beyin BT", "brain", "BRAIN ct", "8039", "803910", "bey"):
            with self.subTest(q=q):
                self.assertEqual(self.search(q), [brain])
        lumbar = self.search("lomber")
        self.assertEqual([i["sutCode"] for i in lumbar], ["804102"])
        self.assertEqual(lumbar[0]["template"]["id"], "lib:tr-mr-lomber")
        self.assertEqual(self.search("zzzz"), [])
        self.assertEqual(self.search("rain"), [], "words match from their start")
        every = self.search("")
        self.assertEqual([i["sutCode"] for i in every], ["803910", "804102", "804200"])
        self.assertIsNone(every[2]["template"])
        self.assertIsNone(every[2]["name"])

    def test_bad_queries(self):
        c = client(S["a"], "doctor")
        self.assertError(c.get(V1 + "/exams?q=" + "a" * 201), 400, "INVALID_REQUEST", "q")
        self.assertError(c.get(V1 + "/exams?q=a%0Ab"), 400, "INVALID_REQUEST", "q")
        self.assertError(c.get(V1 + "/exams?q=" + "%20".join(["w"] * 17)), 400,
                         "INVALID_REQUEST", "q")

    def test_dashboard_of_a_new_member(self):
        c, _ = new_member("doctor", credits=7)
        reply = c.get(V1 + "/dashboard")
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json(), {"remainingCredits": 7, "reportsToday": 0,
                                        "reportsThisWeek": 0, "recent": [],
                                        "jobsInProgress": 0})
        made = [self.new_report(c, patientName="Hasta %d" % i)["id"] for i in range(6)]
        body = c.get(V1 + "/dashboard").json()
        self.assertEqual(body["reportsToday"], 6)
        self.assertEqual(body["reportsThisWeek"], 6)
        self.assertEqual([r["id"] for r in body["recent"]], list(reversed(made))[:5])


# ---- jobs, saved reports, search and export --------------------------------------------------------

class ReportFlow(Base):

    def test_transcript_job_to_saved_report_revisions_and_exports(self):
        c, org = new_member("radiologist", credits=5)
        me = db_query(S["data"], "SELECT u.id FROM users u WHERE u.org_id = ?", (org,))[0][0]
        self.assertEqual(self.credits(c), 5)

        reply = submit_job(c, transcript_fields(
            templateId=LIB_BRAIN, patientName="Ayşe Şahin", patientId="TC-12345678901",
            accessionNo="ACC-ŞH/7", inputLang="tr", outputLang="tr"))
        self.assertEqual(reply.status, 202, reply.body)
        accepted = reply.json()
        job = accepted["jobId"]
        self.assertRegex(job, UUID_RE)
        self.assertEqual(accepted["status"], "pending")
        self.assertEqual(accepted["pollUrl"], V1 + "/jobs/" + job)
        self.assertEqual(accepted["remainingCredits"], 4)
        self.assertGreaterEqual(accepted["estimatedSeconds"], 1)
        self.assertNotIn("hmacSecret", accepted)

        done = self.wait_web_job(c, job)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["templateUsed"], "matched")
        self.assertEqual(done["creditsUsed"], 1)
        self.assertEqual(done["examName"], "Brain CT")
        self.assertIn("Beyin parankimi normal", done["reportText"])
        # The sections as structured, for the editor (the web app only).
        self.assertEqual(done["sections"]["findings"], "Beyin parankimi normal.")
        self.assertEqual(done["sections"]["conclusion"] or done["sections"]["impression"],
                         "Normal beyin BT.")
        self.assertEqual(done["sections"]["technique"], "")
        self.assertEqual(done["remainingCredits"], 4)
        # Charged exactly once: one reservation, kept when the job completed.
        self.assertEqual(self.credits(c), 4)
        self.assertEqual(db_query(S["data"], "SELECT reason, amount FROM credit_ledger"
                                  " WHERE reason LIKE ? ORDER BY id", ("%job " + job,)),
                         [("reserve: job " + job, -1), ("consume 1: job " + job, 0)])
        self.assertEqual(db_query(S["data"], "SELECT user_id, key_id, org_id FROM jobs"
                                  " WHERE id = ?", (job,)), [(me, None, org)])

        # Saved as a report: revision 1.
        saved = self.new_report(c, jobId=job, patientName="Ayşe Şahin",
                                accessionNo="ACC-ŞH/7")
        rid = saved["id"]
        self.assertEqual(saved["revision"], 1)
        self.assertEqual(saved["jobId"], job)
        self.assertEqual(saved["sections"], SECTIONS)
        self.assertEqual(saved["author"], "Dr. Ayşe Öztürk")
        self.assertEqual([r["revision"] for r in saved["revisions"]], [1])

        # Edited: revision 2; revision 1 stays readable as it was.
        edited_sections = dict(SECTIONS, findings="Düzeltilmiş bulgu: sol frontal ödem.")
        reply = c.put(V1 + "/reports/" + rid, report_body(
            patientName="Ayşe Şahin Yılmaz", accessionNo="ACC-ŞH/7",
            sections=edited_sections, jobId="ignored on edit"))
        self.assertEqual(reply.status, 200, reply.body)
        edited = reply.json()
        self.assertEqual(edited["revision"], 2)
        self.assertEqual(edited["latestRevision"], 2)
        self.assertEqual(edited["sections"], edited_sections)
        self.assertEqual(edited["patientName"], "Ayşe Şahin Yılmaz")
        self.assertEqual(edited["jobId"], job)
        self.assertEqual([r["revision"] for r in edited["revisions"]], [1, 2])
        first = c.get(V1 + "/reports/%s?revision=1" % rid).json()
        self.assertEqual(first["revision"], 1)
        self.assertEqual(first["latestRevision"], 2)
        self.assertEqual(first["sections"], SECTIONS)
        self.assertEqual(first["patientName"], "Ayşe Şahin")
        self.assertEqual(c.get(V1 + "/reports/" + rid).json()["sections"], edited_sections)
        self.assertEqual(count("SELECT COUNT(*) FROM report_revisions WHERE report_id = ?",
                               (rid,)), 2)

        self.check_exports(c, rid)
        self.check_search(c, rid)
        body = c.get(V1 + "/dashboard").json()
        self.assertEqual(body["recent"][0]["id"], rid)
        self.assertEqual(body["reportsToday"], 1)
        self.assertEqual(body["jobsInProgress"], 0)

    def check_exports(self, c, rid):
        def export(fmt, extra=""):
            reply = c.get(V1 + "/reports/%s/export?format=%s%s" % (rid, fmt, extra))
            self.assertEqual(reply.status, 200, reply.body[:300])
            disposition = reply.headers["content-disposition"]
            self.assertEqual(disposition, 'attachment; filename="report-ACC-__H_7.%s"' % fmt)
            return reply

        pdf = export("pdf")
        self.assertEqual(pdf.headers["content-type"], "application/pdf")
        self.assertTrue(pdf.body.startswith(b"%PDF-"))

        docx = export("docx")
        self.assertEqual(docx.headers["content-type"], "application/vnd.openxmlformats-"
                         "officedocument.wordprocessingml.document")
        with zipfile.ZipFile(io.BytesIO(docx.body)) as z:
            document = z.read("word/document.xml").decode("utf-8")
        self.assertIn("Ayşe Şahin Yılmaz", document)
        self.assertIn("sol frontal ödem", document)

        rtf = export("rtf")
        self.assertEqual(rtf.headers["content-type"], "application/rtf")
        text = rtf.body.decode("ascii")       # pure ASCII
        self.assertTrue(text.startswith("{\\rtf1"))
        self.assertIn("\\u350?", text)         # Ş
        self.assertRegex(text, r"\\u\d+\?")

        txt = export("txt")
        self.assertTrue(txt.headers["content-type"].startswith("text/plain"))
        body = txt.body.decode("utf-8")
        self.assertIn("Düzeltilmiş bulgu: sol frontal ödem.", body)
        self.assertIn("Ayşe Şahin Yılmaz", body)
        self.assertIn("Dr. Ayşe Öztürk", body)     # the revision's author
        self.assertIn("Klinik", body)              # the organization

        old = export("txt", "&revision=1").body.decode("utf-8")
        self.assertIn("Beyin parankimi normal.", old)
        self.assertNotIn("sol frontal", old)

    def check_search(self, c, rid):
        def found(query):
            reply = c.get(V1 + "/reports?" + query)
            self.assertEqual(reply.status, 200, reply.body)
            body = reply.json()
            self.assertEqual(body["pageSize"], 20)
            return [item["id"] for item in body["items"]], body["total"]

        today = time.strftime("%Y-%m-%d", time.gmtime())
        hits = ["q=" + urllib.parse.quote("ŞAHİN"), "q=sahin", "q=" + urllib.parse.quote("yılmaz"),
                "q=TC-12345678901", "q=acc%20sh", "q=beyin", "patient=" + urllib.parse.quote("AYŞE"),
                "patient=12345678901", "accession=" + urllib.parse.quote("ŞH/7"),
                "exam=beyin%20bt", "exam=803910", "modality=CT", "from=%s&to=%s" % (today, today),
                "from=2020-01-01", "to=2999-12-31", "q=ayse&modality=CT&page=1", ""]
        for query in hits:
            with self.subTest(query=query):
                self.assertEqual(found(query), ([rid], 1))
        misses = ["q=veli", "patient=beyin", "accession=sahin", "exam=ayse", "modality=ct",
                  "modality=MR", "from=2999-01-01", "to=2020-01-01", "q=sahin&modality=MR"]
        for query in misses:
            with self.subTest(query=query):
                self.assertEqual(found(query), ([], 0))
        self.assertEqual(found("page=2"), ([], 1))

    def test_own_template_is_the_custom_template(self):
        c, _ = new_member("radiologist")
        made = c.post(V1 + "/templates", {"name": "Kısa", "format": "txt",
                                          "content": "ÖZEL ŞABLON\n{{BULGULAR}}\n{{SONUC}}"})
        self.assertEqual(made.status, 201, made.body)
        reply = submit_job(c, transcript_fields(templateId=made.json()["id"]))
        self.assertEqual(reply.status, 202, reply.body)
        done = self.wait_web_job(c, reply.json()["jobId"])
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["templateUsed"], "custom")
        self.assertTrue(done["filledTemplate"].startswith("ÖZEL ŞABLON\n"))
        self.assertIn("Beyin parankimi normal", done["filledTemplate"])

    def test_a_library_template_the_exam_would_not_match_is_sent_as_custom(self):
        c, _ = new_member("radiologist")
        reply = submit_job(c, transcript_fields(templateId=LIB_BRAIN_EN))
        self.assertEqual(reply.status, 202, reply.body)
        done = self.wait_web_job(c, reply.json()["jobId"])
        self.assertEqual(done["templateUsed"], "custom")
        self.assertIn("FINDINGS", done["filledTemplate"])

    def test_dictated_audio_through_the_web(self):
        audio = AudioFactory()
        self.addCleanup(audio.cleanup)
        wav = audio.speech(BRAIN_DICTATION)
        c, org = new_member("radiologist", credits=2)
        reply = submit_job(c, [("audio", file_part(wav, "audio/wav")), ("sutCode", BRAIN_SUT),
                               ("inputLang", "en"), ("outputLang", "en"),
                               ("templateId", LIB_BRAIN_EN)])
        self.assertEqual(reply.status, 202, reply.body)
        self.assertEqual(reply.json()["remainingCredits"], 1)
        done = self.wait_web_job(c, reply.json()["jobId"], SPEECH_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["templateUsed"], "matched")
        words = set(re.findall(r"[a-z]+", done["transcript"].lower()))
        self.assertGreaterEqual(len(words & {"findings", "acute", "intracranial", "hemorrhage",
                                             "impression", "normal", "brain"}), 2, done)
        self.assertEqual(self.credits(c), 1)
        wait_for(self, "the audio removed after the job",
                 lambda: files_in(S["data"], "audio") == [], 10)

    def test_individual_reports_on_their_own_account(self):
        email = "individual-solo@example.org"
        make_user(S["data"], "individual", email, name="Dr. Solo")
        admin_ok(S["data"], "add-credits", "--email", email, "--amount", "3", "--reason", "test")
        c = WebClient(S["srv"])
        c.must_login("user", email)
        self.assertEqual(self.credits(c), 3)
        reply = submit_job(c, transcript_fields())
        self.assertEqual(reply.status, 202, reply.body)
        self.assertEqual(reply.json()["remainingCredits"], 2)
        done = self.wait_web_job(c, reply.json()["jobId"])
        self.assertEqual(done["status"], "completed", done)
        rid = self.new_report(c, jobId=done["jobId"])["id"]
        self.assertEqual(self.credits(c), 2)
        export = c.get(V1 + "/reports/%s/export?format=txt" % rid).body.decode("utf-8")
        self.assertIn("Dr. Solo", export)
        self.assertTrue(export.startswith("Beyin BT\n"), "no organization heads it")

    def test_refused_jobs_change_nothing(self):
        c, org = new_member("radiologist", credits=1)
        other, _ = new_member("radiologist")
        foreign = other.post(V1 + "/templates", {"name": "Onun", "format": "txt",
                                                 "content": GOOD_TEMPLATE}).json()["id"]

        def state():
            return (self.credits(c), count("SELECT COUNT(*) FROM jobs WHERE org_id = ?", (org,)),
                    count("SELECT COUNT(*) FROM credit_ledger WHERE org_id = ?", (org,)),
                    files_in(S["data"], "audio"))

        before = state()
        base = dict(transcript_fields())
        cases = [
            (dict(base, sutCode=None), 400, "INVALID_SUT_CODE", "sutCode"),
            (dict(base, sutCode="12ab"), 400, "INVALID_SUT_CODE", "sutCode"),
            (dict(base, sutCode="1234"), 400, "INVALID_SUT_CODE", "sutCode"),
            (dict(base, transcript=None, inputLang="en", outputLang="en"), 400,
             "INVALID_AUDIO", "audio"),
            (dict(base, transcript=None), 400, "UNSUPPORTED_LANGUAGE", "inputLang"),
            (dict(base, transcript=None, inputLang="en", outputLang="en",
                  audio=FilePart(b"not audio at all" * 64, "x.wav")), 400, "INVALID_AUDIO",
             "audio"),
            (dict(base, audio=FilePart(b"RIFF", "x.wav")), 400, "INVALID_AUDIO", "audio"),
            (dict(base, transcript="   "), 400, "INVALID_METADATA", "transcript"),
            (dict(base, patientName="x" * 201), 400, "INVALID_METADATA", "patientName"),
            (dict(base, patientId="a\tb"), 400, "INVALID_METADATA", "patientId"),
            (dict(base, inputLang="xx"), 400, "INVALID_METADATA", "inputLang"),
            (dict(base, inputLang="en", outputLang="tr"), 400, "UNSUPPORTED_LANGUAGE",
             "outputLang"),
            (dict(base, transcript=None, inputLang="ru", outputLang="ru"), 400,
             "UNSUPPORTED_LANGUAGE", "inputLang"),
            (dict(base, templateId="lib:nope"), 404, "NOT_FOUND", "templateId"),
            (dict(base, templateId=foreign), 404, "NOT_FOUND", "templateId"),
            (dict(base, templateId="123"), 404, "NOT_FOUND", "templateId"),
        ]
        for fields, status, code, field in cases:
            fields = [(k, v) for k, v in fields.items() if v is not None]
            with self.subTest(fields=str(fields)[:80]):
                reply = submit_job(c, fields)
                self.assertError(reply, status, code, field)
                self.assertEqual(reply.json()["remainingCredits"], 1)
        reply = c.post(V1 + "/jobs", {"transcript": TURKISH_TRANSCRIPT, "sutCode": BRAIN_SUT})
        self.assertError(reply, 400, "INVALID_REQUEST")
        self.assertEqual(state(), before)

        # The last credit buys one job; the next is refused for credits.
        reply = submit_job(c, transcript_fields())
        self.assertEqual(reply.status, 202, reply.body)
        self.wait_web_job(c, reply.json()["jobId"])
        spent = state()
        self.assertError(submit_job(c, transcript_fields()), 402, "INSUFFICIENT_CREDITS")
        self.assertEqual(state(), spent)

    def test_bad_reports_are_refused_and_change_nothing(self):
        c, org = new_member("doctor")
        kept = self.new_report(c)

        def state():
            return (db_query(S["data"], "SELECT id, revision, patient_name, updated_at FROM"
                             " reports WHERE org_id = ?", (org,)),
                    count("SELECT COUNT(*) FROM report_revisions"))

        before = state()
        cases = [
            ({"sutCode": None}, 400, "INVALID_SUT_CODE", "sutCode"),
            ({"sutCode": "80391a"}, 400, "INVALID_SUT_CODE", "sutCode"),
            ({"sutCode": 803910}, 400, "INVALID_SUT_CODE", "sutCode"),
            ({"patientName": "x" * 201}, 400, "INVALID_REQUEST", "patientName"),
            ({"patientName": "Ali\nVeli"}, 400, "INVALID_REQUEST", "patientName"),
            ({"patientId": "1" * 65}, 400, "INVALID_REQUEST", "patientId"),
            ({"accessionNo": "A" * 65}, 400, "INVALID_REQUEST", "accessionNo"),
            ({"accessionNo": "A\u0001"}, 400, "INVALID_REQUEST", "accessionNo"),
            ({"examName": "E" * 201}, 400, "INVALID_REQUEST", "examName"),
            ({"modality": "M" * 17}, 400, "INVALID_REQUEST", "modality"),
            ({"modality": 5}, 400, "INVALID_REQUEST", "modality"),
            ({"language": "xx"}, 400, "INVALID_REQUEST", "language"),
            ({"sections": None}, 400, "INVALID_REQUEST", "sections"),
            ({"sections": "text"}, 400, "INVALID_REQUEST", "sections"),
            ({"sections": {"findings": ""}}, 400, "INVALID_REQUEST", "sections"),
            ({"sections": {"findings": " \n "}}, 400, "INVALID_REQUEST", "sections"),
            ({"sections": {"bulgular": "x"}}, 400, "INVALID_REQUEST", "sections"),
            ({"sections": {"findings": 5}}, 400, "INVALID_REQUEST", "sections.findings"),
            ({"sections": {"findings": "x" * (64 * 1024 + 1)}}, 400, "INVALID_REQUEST",
             "sections.findings"),
            ({"sections": {"impression": "a\u0000b"}}, 400, "INVALID_REQUEST", None),
            ({"sections": {"impression": "bell\u0007"}}, 400, "INVALID_REQUEST",
             "sections.impression"),
        ]
        for change, status, code, field in cases:
            body = report_body()
            body.update(change)
            body = {k: v for k, v in body.items() if v is not None}
            with self.subTest(change=str(change)[:60]):
                self.assertError(c.post(V1 + "/reports", body), status, code, field)
                self.assertError(c.put(V1 + "/reports/" + kept["id"], body), status, code,
                                 field)
        self.assertError(c.post(V1 + "/reports", report_body(jobId="nope")), 404, "NOT_FOUND",
                         "jobId")
        self.assertError(c.post(V1 + "/reports", report_body(
            jobId="00000000-0000-4000-8000-000000000000")), 404, "NOT_FOUND", "jobId")
        self.assertError(c.post(V1 + "/reports", report_body(jobId=7)), 400, "INVALID_REQUEST",
                         "jobId")
        reply = c.request("POST", V1 + "/reports", report_body(), content_type="text/plain")
        self.assertEqual(reply.status, 415)
        self.assertEqual(state(), before)
        # Sections absent from the body are saved empty; one is enough.
        made = self.new_report(c, sections={"impression": "Yalnız izlenim."})
        self.assertEqual(made["sections"]["findings"], "")
        self.assertEqual(made["sections"]["impression"], "Yalnız izlenim.")

    def test_bad_reads_and_searches(self):
        c, _ = new_member("doctor")
        rid = self.new_report(c)["id"]
        for query, field in (("revision=0", "revision"), ("revision=abc", "revision"),
                             ("revision=-1", "revision")):
            with self.subTest(query=query):
                self.assertError(c.get(V1 + "/reports/%s?%s" % (rid, query)), 400,
                                 "INVALID_REQUEST", field)
        self.assertError(c.get(V1 + "/reports/%s?revision=2" % rid), 404, "NOT_FOUND")
        for query, field in (("", "format"), ("format=doc", "format"),
                             ("format=pdf&revision=0", "revision")):
            with self.subTest(query=query):
                self.assertError(c.get(V1 + "/reports/%s/export?%s" % (rid, query)), 400,
                                 "INVALID_REQUEST", field)
        self.assertError(c.get(V1 + "/reports/%s/export?format=txt&revision=5" % rid), 404,
                         "NOT_FOUND")
        for query, field in (("from=2026-13-01", "from"), ("from=2026-1-01", "from"),
                             ("to=2026-02-30", "to"), ("to=2025-02-29", "to"),
                             ("from=2026-02-02&to=2026-02-01", "to"), ("page=0", "page"),
                             ("page=abc", "page"), ("q=a%0Ab", "q"),
                             ("patient=" + "p" * 201, "patient"), ("modality=" + "m" * 17,
                                                                  "modality")):
            with self.subTest(query=query):
                self.assertError(c.get(V1 + "/reports?" + query), 400, "INVALID_REQUEST", field)
        self.assertEqual(c.get(V1 + "/reports?to=2024-02-29").status, 200)

    def test_paging_newest_first(self):
        c, _ = new_member("doctor")
        made = [self.new_report(c, patientName="Sayfa %02d" % i)["id"] for i in range(21)]
        first = c.get(V1 + "/reports").json()
        self.assertEqual(first["total"], 21)
        self.assertEqual(first["page"], 1)
        self.assertEqual([i["id"] for i in first["items"]], list(reversed(made))[:20])
        second = c.get(V1 + "/reports?page=2").json()
        self.assertEqual([i["id"] for i in second["items"]], [made[0]])
        self.assertEqual(second["page"], 2)
        summary = second["items"][0]
        self.assertEqual(sorted(summary), sorted([
            "id", "revision", "sutCode", "examName", "modality", "patientName", "patientId",
            "accessionNo", "createdAt", "updatedAt", "author"]))


if __name__ == "__main__":
    unittest.main()

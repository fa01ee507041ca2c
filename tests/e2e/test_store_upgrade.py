"""Upgrading a database that keeps what it holds in the older formats: saved
report revisions as one JSON text (schema version 6 and before; migration 7
moves them into columns) and an exam's warnings as lines of text (version 7
and before; migration 8 makes them rows). The server that opens such a
database must migrate it and then answer exactly as before: the same bytes
for every revision of a saved report, its exports, the report list, and the
polls and web job views of jobs with warnings (rendered from the rows, as
for a job finished before results were kept).

How the older database is made: through the API, by the current binary,
recording its answers; then the database is taken back to version 6 in
place, each revision written as the JSON text src/api/web_reports.c wrote
and each exam's warnings as the lines structuring/facts.c wrote, in tables
of version 6's shape. With RAPORTAI_PREVIOUS_BINARY naming a build of
version 6 (the commit before migration 7), that build makes the data and
gives the answers instead, and nothing is taken back: the check is then
across versions."""

import contextlib
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest
import urllib.parse
import zipfile

import harness
from fake_openai import REPORT_MEMBERS, FakeOpenAI, script_chat
from harness import Server, admin_ok, db_exec, db_query, make_org_with_key
from jobs_helpers import (PACS, REPORT, TEXT_TIMEOUT_S, pacs_fields, post_form, report_fields,
                          wait_job, web_job)
from web_helpers import WebClient, make_user

PREVIOUS = os.environ.get("RAPORTAI_PREVIOUS_BINARY")
OLD_VERSION = 6
LLM_KEY = "sk-test-upgrade"
LLM_MODEL = "radiology-test-7b"
CATALOG = ("code,name,modality,body_part\n"
           "803910,Brain CT,CT,brain\n"
           "990101,Chest CT,CT,chest\n"
           "990102,Abdominal CT,CT,abdomen\n")

# The saved report: revision 1, then revision 2 with other fields, in
# Turkish with quotes, backslashes, tabs and line breaks in its sections.
REV1 = {"sutCode": "803910", "examName": "Beyin BT", "modality": "CT",
        "patientName": "Ayşe Şahin", "patientId": "TC-12345678901", "accessionNo": "ACC-ŞH/7",
        "language": "tr",
        "sections": {"clinical": "Baş ağrısı.", "technique": "Kontrastsız BT.",
                     "comparison": "", "findings": "Beyin \"parankimi\" normal.\nC:\\yol\tsekme.",
                     "conclusion": "Normal beyin BT.", "impression": ""}}
REV2 = dict(REV1, examName="Kranial BT", patientName="Ayşe Şahin Yılmaz",
            sections=dict(REV1["sections"], findings="Düzeltilmiş bulgu: sol frontal ödem.",
                          impression="İzlem önerilir."))
REV_EN = {"sutCode": "803910", "examName": "Brain CT", "modality": "CT", "patientName": "John Doe",
          "patientId": "P-1", "accessionNo": "EN-1", "language": "en",
          "sections": {"findings": "No acute intracranial hemorrhage.",
                       "impression": "Normal head CT."}}

# Version 6's report_revisions (src/store/migrations.c, migration 4).
REVISIONS_V6 = ("CREATE TABLE report_revisions ("
                "  report_id TEXT NOT NULL REFERENCES reports(id),"
                "  revision INTEGER NOT NULL,"
                "  user_id TEXT NOT NULL REFERENCES users(id),"
                "  sections TEXT NOT NULL,"
                "  created_at TEXT NOT NULL,"
                "  PRIMARY KEY (report_id, revision));")
HEADER = [("sut_code", "sutCode"), ("exam_name", "examName"), ("modality", "modality"),
          ("patient_name", "patientName"), ("patient_id", "patientId"),
          ("accession", "accessionNo"), ("language", "language")]
READING_ORDER = ["clinical", "technique", "comparison", "findings", "conclusion", "impression"]


@contextlib.contextmanager
def binary(path):
    """Runs the servers and admin commands of the block with the binary at
    path (the harness reads harness.BINARY at each start)."""
    saved = harness.BINARY
    harness.BINARY = path or saved
    try:
        yield
    finally:
        harness.BINARY = saved


# What the migrations after 8 add, each undone (they move no data): the
# callback signing secret (10), the platform's suspension (11), the fair
# queue's turns (12), callbacks held in flight (13), the index of due jobs
# per organization (14), the generation of keys (15), the queue's count and
# indexes (16); the sign-in throttle's table (9) is dropped and made anew by
# its migration.
UNDO_AFTER_V8 = ("ALTER TABLE organizations DROP COLUMN callback_secret;"
                 "ALTER TABLE organizations DROP COLUMN callback_secret_at;"
                 "ALTER TABLE organizations DROP COLUMN callback_secret_by;"
                 "ALTER TABLE jobs DROP COLUMN signed_with;"
                 "ALTER TABLE users DROP COLUMN suspended_at;"
                 "ALTER TABLE users DROP COLUMN suspended_by;"
                 "ALTER TABLE organizations DROP COLUMN deactivated_at;"
                 "ALTER TABLE organizations DROP COLUMN deactivated_by;"
                 "DROP INDEX organizations_claim_turn;"
                 "ALTER TABLE organizations DROP COLUMN claim_turn;"
                 "DROP INDEX callbacks_held;"
                 "ALTER TABLE callbacks DROP COLUMN held_until_ms;"
                 "DROP INDEX jobs_org_due;"
                 + "".join("DROP TRIGGER auth_%s_%s;" % (t, e)
                           for t in ("keys", "users", "orgs") for e in ("changed", "deleted"))
                 + "DROP TABLE auth_generation;"
                 + "".join("DROP TRIGGER job_queue_%s;" % e for e in ("insert", "update", "delete"))
                 + "DROP TABLE job_queue;"
                 "DROP INDEX jobs_processed;"
                 "DROP INDEX jobs_audio_kept;")


def take_back_to_version_6(data):
    """Rewrites the database as version 6 kept it: each revision as the JSON
    text web_reports.c built (json_dumps, compact), each exam's warnings as
    the lines report_warnings_format wrote (NULL when none), in tables of
    version 6's shape, with migrations 7 and later forgotten (and what
    those after 8 added dropped)."""
    con = sqlite3.connect(os.path.join(data, "raportai.db"))
    try:
        rows = con.execute(
            "SELECT report_id, revision, user_id, created_at, %s, %s FROM report_revisions"
            % (", ".join(c for c, _ in HEADER), ", ".join("sec_" + k for k in READING_ORDER)))
        revisions = []
        for row in rows.fetchall():
            header = dict(zip([m for _, m in HEADER], row[4:4 + len(HEADER)]))
            sections = dict(zip(READING_ORDER, row[4 + len(HEADER):]))
            content = json.dumps({"header": header, "sections": sections},
                                 ensure_ascii=False, separators=(",", ":"))
            revisions.append((row[0], row[1], row[2], content, row[3]))
        warnings = {}
        for job, idx, code, section, text in con.execute(
                "SELECT job_id, idx, code, section, text FROM job_exam_warnings"
                " ORDER BY job_id, idx, n"):
            warnings[(job, idx)] = warnings.get((job, idx), "") + "%s\t%s\t%s\n" % (
                code, section, text)
        for job, idx, more in con.execute(
                "SELECT job_id, idx, more_warnings FROM job_exams WHERE more_warnings > 0"):
            warnings[(job, idx)] = warnings.get((job, idx), "") + "MORE\t\t%d\n" % more
        con.executescript("DROP TABLE report_revisions;" + REVISIONS_V6 +
                          "ALTER TABLE job_exams ADD COLUMN warnings TEXT;"
                          "ALTER TABLE job_exams DROP COLUMN more_warnings;"
                          "DROP TABLE job_exam_warnings;" + UNDO_AFTER_V8 +
                          "DELETE FROM schema_migrations WHERE version > %d;" % OLD_VERSION)
        con.executemany("INSERT INTO report_revisions (report_id, revision, user_id, sections,"
                        " created_at) VALUES (?, ?, ?, ?, ?)", revisions)
        con.executemany("UPDATE job_exams SET warnings = ? WHERE job_id = ? AND idx = ?",
                        [(w, job, idx) for (job, idx), w in warnings.items()])
        con.commit()
    finally:
        con.close()


def columns(data, table):
    return [r[0] for r in db_query(data, "SELECT name FROM pragma_table_info(?)", (table,))]


class Upgrade(unittest.TestCase):
    """One data directory: made (and answered) by the binary of the older
    version or by this one, then opened by this one."""

    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="raportai-e2e-")
        cls.addClassCleanup(shutil.rmtree, cls.data, ignore_errors=True)
        cls.fake = FakeOpenAI(key=LLM_KEY)
        cls.fake.chat_model = LLM_MODEL
        cls.addClassCleanup(cls.fake.close)
        with binary(PREVIOUS):
            cls.make_data()
            # Results rendered from the rows, as for jobs finished before
            # results were kept: the path that reads the warnings.
            db_exec(cls.data, "UPDATE jobs SET result = NULL;")
            with Server(cls.data) as srv:
                cls.before = cls.answers(srv)
        if PREVIOUS is None:
            take_back_to_version_6(cls.data)
        cls.old_schema = {t: columns(cls.data, t)
                          for t in ("report_revisions", "job_exams", "job_exam_warnings")}
        cls.old_warnings = db_query(cls.data, "SELECT job_id, idx, warnings FROM job_exams"
                                              " WHERE warnings IS NOT NULL ORDER BY job_id, idx")
        srv = Server(cls.data)
        srv.start()
        cls.addClassCleanup(srv.stop)
        cls.srv = srv
        cls.after = cls.answers(srv)

    @classmethod
    def make_data(cls):
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=20)
        cls.email = "radiologist-upgrade@example.org"
        make_user(cls.data, "radiologist", cls.email, cls.org, name="Dr. Ayşe Öztürk")
        csv = os.path.join(cls.data, "catalog.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write(CATALOG)
        admin_ok(cls.data, "import-sut", csv)
        cls.jobs = {}
        with Server(cls.data) as srv:
            c = cls.client(srv)
            cls.reports = [cls.save(c, "POST", "/api/v1/reports", REV1)]
            cls.save(c, "PUT", "/api/v1/reports/" + cls.reports[0], REV2)
            cls.reports.append(cls.save(c, "POST", "/api/v1/reports", REV_EN))
            done = web_job(cls.fake_case(), c, "803910", "findings colon normal brain period",
                           inputLang="en", outputLang="en")
            cls.web_job = done["jobId"]
            # Two exams, one report speaking of the other's anatomy:
            # OTHER_EXAM_ANATOMY (tests/e2e/test_jobs_natural.py).
            metadata = {"exams": [{"accessionNumber": "C-1", "sutCode": "990101"},
                                  {"accessionNumber": "C-2", "sutCode": "990102"}],
                        "inputLang": "en", "outputLang": "en"}
            dictation = ("Chest CT. Findings. The lungs are clear. The visualized liver is "
                         "unremarkable. Impression. No acute finding. Next exam. Abdominal CT. "
                         "Findings. The liver and spleen are normal. Impression. Normal abdomen.")
            cls.submit(srv, PACS, pacs_fields(None, json.dumps(metadata), transcript=dictation),
                       "pacs")
        # The openai engine inventing more facts than are kept: 20 warnings
        # and MORE (tests/e2e/test_llm_openai.py).
        invented = " ".join("Lesion %d: %d mm, left." % (i, 100 + i) for i in range(1, 26))
        script_chat(cls.fake, "caseupgrade", "radiology_report",
                    [{"answer": dict({m: "" for m in REPORT_MEMBERS}, findings=invented)}])
        with Server(cls.data, ["--llm-url", cls.fake.url, "--llm-model", LLM_MODEL,
                               "--llm-timeout", "5", "--llm-attempts", "2"],
                    env={"RAPORTAI_LLM_KEY": LLM_KEY}) as srv:
            cls.submit(srv, REPORT, report_fields(
                None, transcript="findings colon caseupgrade several lesions period"), "llm")

    @classmethod
    def fake_case(cls):
        """A TestCase for the helpers that report failures through one."""
        return unittest.TestCase()

    @classmethod
    def client(cls, srv):
        c = WebClient(srv)
        c.must_login("corporate", cls.email)
        return c

    @classmethod
    def save(cls, c, method, path, fields):
        reply = c.request(method, path, fields)
        if reply.status not in (200, 201):
            raise AssertionError("%s %s: %d %r" % (method, path, reply.status, reply.body))
        return reply.json()["id"]

    @classmethod
    def submit(cls, srv, path, fields, name):
        reply = post_form(srv, path, fields, cls.key)
        if reply.status != 202:
            raise AssertionError("%s: %d %r" % (path, reply.status, reply.body))
        accepted = reply.json()
        done = wait_job(cls.fake_case(), srv, cls.key, accepted["pollUrl"], TEXT_TIMEOUT_S)
        cls.jobs[name] = (accepted["pollUrl"], done)

    @classmethod
    def answers(cls, srv):
        """Every answer that reads the data: name -> (status, content type,
        body bytes)."""
        c = cls.client(srv)
        out = {}

        def get(name, path, **kw):
            reply = c.get(path, **kw) if not kw.get("key") else srv.get(path, key=kw["key"])
            out[name] = (reply.status, reply.headers.get("content-type"), reply.body)

        saved, english = cls.reports
        for rev in ("", "?revision=1", "?revision=2"):
            get("report" + rev, "/api/v1/reports/%s%s" % (saved, rev))
            for fmt in ("txt", "rtf", "docx", "pdf"):
                path = "/api/v1/reports/%s/export?format=%s%s" % (
                    saved, fmt, rev.replace("?", "&"))
                get("export %s%s" % (fmt, rev), path)
        get("english report", "/api/v1/reports/" + english)
        get("report list", "/api/v1/reports")
        get("report search", "/api/v1/reports?" + urllib.parse.urlencode({"q": "şahin"}))
        get("web job", "/api/v1/jobs/" + cls.web_job)
        for name, (poll_url, _) in sorted(cls.jobs.items()):
            get("poll " + name, poll_url, key=cls.key)
        return out

    # -- the checks --

    def test_the_older_database_was_in_the_older_formats(self):
        """What the server was given: version 6's tables, warnings as lines
        (two exams with some), before it migrated them."""
        self.assertIn("sections", self.old_schema["report_revisions"])
        self.assertNotIn("sec_findings", self.old_schema["report_revisions"])
        self.assertEqual(self.old_schema["job_exams"][-1], "warnings")
        self.assertEqual(self.old_schema["job_exam_warnings"], [])
        self.assertEqual(len(self.old_warnings), 2, self.old_warnings)
        self.assertTrue(any("\nMORE\t\t" in w for _, _, w in self.old_warnings))
        self.assertTrue(any(w.startswith("OTHER_EXAM_ANATOMY\tfindings\t")
                            for _, _, w in self.old_warnings))

    def test_the_server_migrated_it_once_and_kept_every_row(self):
        log = "\n".join(self.srv.log_lines)
        for version in range(OLD_VERSION + 1, OLD_VERSION + 3):
            self.assertEqual(log.count("store: migrated to version %d " % version), 1, log)
        self.assertNotIn("store: migrated to version %d " % OLD_VERSION, log)
        self.assertNotIn("sections", columns(self.data, "report_revisions"))
        self.assertNotIn("warnings", columns(self.data, "job_exams"))
        self.assertEqual(db_query(self.data, "SELECT COUNT(*) FROM report_revisions"
                                             " WHERE report_id IN (?, ?)", tuple(self.reports)),
                         [(3,)])
        kept = db_query(self.data, "SELECT COUNT(*), SUM(more_warnings > 0) FROM job_exams e"
                                   " WHERE EXISTS (SELECT 1 FROM job_exam_warnings w"
                                   " WHERE w.job_id = e.job_id AND w.idx = e.idx)")
        self.assertEqual(kept, [(2, 1)])
        self.assertEqual(db_query(self.data, "SELECT COUNT(*) FROM job_exam_warnings"), [(21,)])

    def test_saved_reports_answer_as_before(self):
        for name in ("report", "report?revision=1", "report?revision=2", "english report",
                     "report list", "report search"):
            self.assertEqual(self.after[name], self.before[name], name)
        self.assertEqual(self.after["report?revision=1"][0], 200)
        first = json.loads(self.after["report?revision=1"][2])
        self.assertEqual(first["sections"], REV1["sections"])
        self.assertEqual(first["patientName"], REV1["patientName"])

    def test_exports_are_the_same_files(self):
        """Every export is the same file after the upgrade, but for the
        moment it was made: a DOCX is compared member by member (a zip entry
        carries its time), a PDF without its dates."""
        for name in sorted(n for n in self.before if n.startswith("export")):
            before, after = self.before[name], self.after[name]
            self.assertEqual(before[0], 200, name)
            self.assertEqual(after[:2], before[:2], name)
            if name.startswith("export docx"):
                self.assertEqual(self.members(after[2]), self.members(before[2]), name)
            elif name.startswith("export pdf"):
                self.assertEqual(self.strip_moment(after[2]), self.strip_moment(before[2]), name)
            else:
                self.assertEqual(after[2], before[2], name)

    @staticmethod
    def members(docx):
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            return [(i.filename, z.read(i.filename)) for i in z.infolist()]

    @staticmethod
    def strip_moment(pdf):
        return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", pdf)

    def test_polls_and_job_views_render_the_same_warnings(self):
        for name in ("poll llm", "poll pacs", "web job"):
            self.assertEqual(self.after[name], self.before[name], name)
        llm = json.loads(self.after["poll llm"][2])
        self.assertEqual(len(llm["warnings"]), 21)
        self.assertEqual(llm["warnings"][-1]["code"], "MORE_WARNINGS")
        chest, abdomen = json.loads(self.after["poll pacs"][2])["reports"]
        self.assertEqual([w["code"] for w in chest["warnings"]], ["OTHER_EXAM_ANATOMY"])
        self.assertEqual(abdomen["warnings"], [])

    def test_reports_saved_after_the_upgrade_are_kept_alike(self):
        c = self.client(self.srv)
        rid = self.save(c, "POST", "/api/v1/reports", REV2)
        reply = c.get("/api/v1/reports/" + rid)
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual(body["sections"], REV2["sections"])
        self.assertEqual(body["examName"], REV2["examName"])


if __name__ == "__main__":
    unittest.main()

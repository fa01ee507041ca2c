"""Helpers for the tests of the organization workspace and the staff consoles
(test_web_org.py, test_web_staff.py): an organization with the members a
test needs, months as the server names them, and finished jobs written
straight into the database (to build usage in past months and failures
that no request can make quickly)."""

import datetime
import os
import sqlite3
import time
import uuid

from web_helpers import PASSWORD, WebClient, make_org, make_user

TEMPLATES = "/api/external/v1/templates"
ISO = "%Y-%m-%dT%H:%M:%S.000Z"


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def months_back(n, now=None):
    """The n months up to now, newest first, as YYYY-MM."""
    now = now or utcnow()
    year, month = now.year, now.month
    out = []
    for _ in range(n):
        out.append("%04d-%02d" % (year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


def mid_month(month):
    """A time in the middle of month (YYYY-MM), UTC."""
    year, mon = (int(x) for x in month.split("-"))
    return datetime.datetime(year, mon, 15, 12, 0, 0, tzinfo=datetime.timezone.utc)


def make_team(data_dir, tag, roles=("manager", "radiologist", "doctor", "technical"),
              credits=10, name=None):
    """An organization with one member of each role given. Returns a dict:
    role -> e-mail, "org" -> id, "ids" -> {role: user id}."""
    org = make_org(data_dir, name or "Hastane %s" % tag, credits)
    team = {"org": org, "ids": {}}
    for role in roles:
        team[role] = "%s-%s@example.org" % (role, tag)
        team["ids"][role] = make_user(data_dir, role, team[role], org,
                                      name="%s %s" % (role.title(), tag))
    return team


def sign_in(server, email, path="corporate", password=PASSWORD):
    client = WebClient(server)
    client.must_login(path, email, password)
    return client


def db_run(data_dir, statements):
    """Runs (sql, params) pairs in one transaction on DATA/raportai.db."""
    conn = sqlite3.connect(os.path.join(data_dir, "raportai.db"), timeout=10)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


_created_ms = [0]


def insert_job(data_dir, org, status="completed", key_id=None, user_id=None, kind="report",
               created=None, finished=None, exams=("completed",), credits_used=None,
               error_code=None, error_message=None, callback_url=None, callback_status=None,
               attempts=()):
    """A job row with its exams (each "completed", "failed" or "pending"),
    optionally a callback with attempts [(http_status or None, error or
    None)]. Finished jobs finish at `finished` (default: created). Returns
    the job id. Jobs inserted later sort as newer.

    A "processing" job is held under a lease for a day, so the server's
    workers leave it alone; a "pending" one would be taken up by them at
    once, so tests that need a job in flight use "processing"."""
    assert status in ("processing", "completed", "failed"), status
    job_id = str(uuid.uuid4())
    created = created or utcnow()
    created_ms = int(created.timestamp() * 1000)
    _created_ms[0] = max(_created_ms[0] + 1, created_ms)
    done = status in ("completed", "failed")
    if finished is None and done:
        finished = created
    if credits_used is None and done:
        credits_used = sum(1 for e in exams if e == "completed")
    statements = [(
        "INSERT INTO jobs (id, org_id, key_id, user_id, kind, status, input_lang, output_lang,"
        " hmac_secret, credits_reserved, credits_used, error_code, error_message, created_at,"
        " created_ms, finished_at, callback_url, lease_owner, lease_until)"
        " VALUES (?, ?, ?, ?, ?, ?, 'en', 'en', 'secret', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (job_id, org, key_id, user_id, kind, status, len(exams), credits_used, error_code,
         error_message, created.strftime(ISO), _created_ms[0],
         finished.strftime(ISO) if finished else None, callback_url,
         "test-holder" if status == "processing" else None,
         int(time.time() * 1000) + 86400000 if status == "processing" else None))]
    for i, exam in enumerate(exams):
        statements.append((
            "INSERT INTO job_exams (job_id, idx, sut_code, status, error_code, error_message)"
            " VALUES (?, ?, '803910', ?, ?, ?)",
            (job_id, i, exam, "SPEECH_FAILED" if exam == "failed" else None,
             "No speech was recognised." if exam == "failed" else None)))
    if callback_url:
        statements.append((
            "INSERT INTO callbacks (job_id, url, status, attempts, next_attempt_ms)"
            " VALUES (?, ?, ?, ?, 0)",
            (job_id, callback_url, callback_status or "pending", len(attempts))))
        for n, (http_status, error) in enumerate(attempts, 1):
            statements.append((
                "INSERT INTO callback_attempts (job_id, attempt, at, http_status, error)"
                " VALUES (?, ?, ?, ?, ?)",
                (job_id, n, created.strftime(ISO), http_status, error)))
    db_run(data_dir, statements)
    return job_id

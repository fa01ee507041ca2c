"""Credits end to end: a job reserves one credit per exam at submission
(remainingCredits drops at the 202 and reserved credits count as spent),
successful exams consume theirs and failed ones give theirs back, in the
ledger step by step: "reserve: job X", "consume N: job X", "release: job X".
A job whose every exam failed is failed and costs nothing."""

import unittest

from jobs_helpers import (PACS, TEXT_TIMEOUT_S, JobsTest, balance, ledger, pacs_fields,
                          post_form, report_fields, ro_query)

ONLY_BRAIN = ("brain ct findings colon no acute intracranial hemorrhage period "
              "conclusion colon normal brain ct period")


class Credits(JobsTest):

    def ledger_sum_matches(self, org, opening):
        (credits,), = ro_query(self.data, "SELECT credits FROM organizations WHERE id = ?", (org,))
        (total,), = ro_query(self.data, "SELECT SUM(amount) FROM credit_ledger WHERE org_id = ?",
                             (org,))
        self.assertEqual(credits, total)
        rows = ro_query(self.data, "SELECT amount, balance_after FROM credit_ledger"
                        " WHERE org_id = ? ORDER BY id", (org,))
        running = 0
        for amount, after in rows:
            running += amount
            self.assertEqual(after, running)
        self.assertEqual(rows[0], (opening, opening))
        return credits

    def test_reserved_at_submission_consumed_when_done(self):
        org, key = self.new_org(credits=9)
        metadata = {"inputLang": "en", "outputLang": "en", "exams": [
            {"accessionNumber": "A-%d" % i, "sutCode": "803910"} for i in range(3)]}
        reply = post_form(self.srv, PACS, pacs_fields(None, metadata, transcript=ONLY_BRAIN
                                                      .replace("brain ct ", "", 1)), key)
        job = self.accepted(reply, 9, exams=3, pacs=True)
        # (test_jobs_crash.py checks the balance while a job waits its turn.)
        self.assertEqual(ledger(self.data, job["jobId"])[0], ("reserve: job " + job["jobId"], -3))
        (reserved,), = ro_query(self.data, "SELECT credits_reserved FROM jobs WHERE id = ?",
                                (job["jobId"],))
        self.assertEqual(reserved, 3)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        used = done["creditsUsed"]
        self.assertEqual(used, sum(r["status"] == "completed" for r in done["reports"]))
        expected = [("reserve: job %s", -3)]
        if used:
            expected.append(("consume %d: job %%s" % used, 0))
        if used < 3:
            expected.append(("release: job %s", 3 - used))
        self.assertLedger(job["jobId"], expected)
        self.assertEqual(self.ledger_sum_matches(org, 9), 9 - used)

    def test_a_failed_exam_costs_nothing(self):
        """Two exams, a dictation that names only the first: the second fails
        with EMPTY_TRANSCRIPT, the job is completed, one credit is used and
        the other released."""
        org, key = self.new_org(credits=5)
        metadata = {"patientUid": "1.2.3", "inputLang": "en", "outputLang": "en", "exams": [
            {"accessionNumber": "ACC-B", "sutCode": "803910"},
            {"accessionNumber": "ACC-L", "sutCode": "804102"}]}
        job = self.accepted(post_form(self.srv, PACS, pacs_fields(
            None, metadata, transcript=ONLY_BRAIN), key), 5, exams=2, pacs=True)
        done = self.wait(key, job, timeout=TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        brain, lumbar = done["reports"]
        self.assertEqual(brain["status"], "completed", brain)
        self.assertIn("hemorrhage", brain["transcript"])
        self.assertEqual(lumbar["status"], "failed", lumbar)
        self.assertEqual(lumbar["error"]["code"], "EMPTY_TRANSCRIPT")
        self.assertTrue(lumbar["error"]["message"])
        self.assertEqual(lumbar["modality"], "MR")
        for field in ("reportText", "reportHtml", "filledTemplate", "templateUsed"):
            self.assertNotIn(field, lumbar)
        self.assertEqual(done["creditsUsed"], 1)
        self.assertEqual(done["remainingCredits"], 4)
        self.assertEqual(balance(self, self.srv, key), 4)
        self.assertLedger(job["jobId"], [("reserve: job %s", -2), ("consume 1: job %s", 0),
                                         ("release: job %s", 1)])
        self.assertEqual(self.ledger_sum_matches(org, 5), 4)

    def test_a_failed_job_costs_nothing(self):
        """A recording of silence: its only exam has no dictation, so the job
        fails, with the exam's reason, and its credit comes back."""
        org, key = self.new_org(credits=2)
        job = self.accepted(self.submit(key, report_fields(self.audio.silence(3),
                                                           accessionNo="SIL-1")), 2)
        done = self.wait(key, job)
        self.assertEqual(done["status"], "failed", done)
        self.assertEqual(done["error"]["code"], "EMPTY_TRANSCRIPT", done)
        self.assertTrue(done["error"]["message"])
        self.assertEqual(done["creditsUsed"], 0)
        self.assertEqual(done["remainingCredits"], 2)
        self.assertEqual(balance(self, self.srv, key), 2)
        self.assertLedger(job["jobId"], [("reserve: job %s", -1), ("release: job %s", 1)])
        self.assertEqual(self.ledger_sum_matches(org, 2), 2)

    def test_failed_pacs_job(self):
        """Every exam failed: the PACS job is failed, each exam says why."""
        org, key = self.new_org(credits=2)
        metadata = {"inputLang": "en", "outputLang": "en", "exams": [
            {"accessionNumber": "S-1", "sutCode": "803910"},
            {"accessionNumber": "S-2", "sutCode": "804102"}]}
        job = self.accepted(post_form(self.srv, PACS, pacs_fields(
            self.audio.silence(3), metadata), key), 2, exams=2, pacs=True)
        done = self.wait(key, job)
        self.assertEqual(done["status"], "failed", done)
        self.assertIn("error", done)
        self.assertEqual([r["status"] for r in done["reports"]], ["failed", "failed"])
        for r in done["reports"]:
            self.assertEqual(r["error"]["code"], "EMPTY_TRANSCRIPT")
        self.assertEqual(done["creditsUsed"], 0)
        self.assertEqual(done["remainingCredits"], 2)
        self.assertLedger(job["jobId"], [("reserve: job %s", -2), ("release: job %s", 2)])

    def test_balance_across_several_jobs(self):
        org, key = self.new_org(credits=4)
        jobs = [self.accepted(self.submit(key, report_fields(
            None, transcript="findings colon normal study number %d period" % i)), 4 - i)
            for i in range(3)]
        self.assertEqual(balance(self, self.srv, key), 1)
        for job in jobs:
            self.assertEqual(self.wait(key, job, timeout=TEXT_TIMEOUT_S)["creditsUsed"], 1)
        self.assertEqual(balance(self, self.srv, key), 1)
        self.assertEqual(self.ledger_sum_matches(org, 4), 1)


if __name__ == "__main__":
    unittest.main()

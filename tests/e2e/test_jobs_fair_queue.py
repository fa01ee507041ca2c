"""The fair queue end to end: with one worker, organization A queues 30
transcript jobs and then organization B one; B's job is taken as soon as
the worker is free, not after A's 30. Claims go in turn across
organizations (src/store/jobs.c). The structuring engine is the fake
OpenAI-compatible server answering each request after 0.3 s, so that A's
jobs queue up faster than one worker takes them. Every wait is bounded;
nothing is timed."""

import unittest

from fake_openai import FakeOpenAI
from harness import SharedDataDirTest, make_org_with_key
from jobs_helpers import REPORT, post_form, report_fields, ro_query, wait_for

A_JOBS = 30
DICTATION = "findings colon no acute hemorrhage period impression colon normal period"


class FairQueue(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI()
        cls.fake.default("chat", {"delay": 0.3})
        cls.addClassCleanup(cls.fake.close)  # after the server stops (cleanups run LIFO)
        super().setUpClass()
        cls.srv = cls.start_server(["--workers", "1", "--rate-limit", "100000", "--llm-url",
                                    cls.fake.url, "--llm-model", "m"])

    def submit(self, key, n):
        reply = post_form(self.srv, REPORT, report_fields(
            None, transcript=DICTATION, accessionNo="ACC-%d" % n), key)
        self.assertEqual(reply.status, 202, reply.body)
        return reply.json()["jobId"]

    def test_one_organizations_queue_does_not_hold_back_anothers_job(self):
        org_a, _, key_a = make_org_with_key(self.data, credits=A_JOBS, name="A")
        _, _, key_b = make_org_with_key(self.data, credits=1, name="B")
        for n in range(A_JOBS):
            self.submit(key_a, n)
        b_job = self.submit(key_b, 0)
        # A's jobs the worker had taken by the time B's was queued (counted
        # once it is queued, so these may include none but A's)
        (taken_before_b,), = ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE org_id = ?"
                                      " AND status <> 'pending'", (org_a,))
        self.assertLess(taken_before_b, A_JOBS - 5, "A's queue must still be long: inconclusive")
        wait_for(self, "every job finished",
                 lambda: ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE status IN"
                                  " ('pending', 'processing')")[0][0] == 0, 300)
        (b_finished,), = ro_query(self.data, "SELECT finished_ms FROM jobs WHERE id = ?",
                                  (b_job,))
        (a_before_b,), = ro_query(self.data, "SELECT COUNT(*) FROM jobs WHERE org_id = ?"
                                  " AND finished_ms < ?", (org_a, b_finished))
        # In turn, at most one more of A's is taken before B's: the claim
        # already under way when B's job arrived, or A's turn coming first
        # (no organization had a turn yet, so the oldest job went first).
        # First come, first served would finish all 30 of A's before B's.
        self.assertLessEqual(a_before_b, taken_before_b + 1, (a_before_b, taken_before_b))


if __name__ == "__main__":
    unittest.main()

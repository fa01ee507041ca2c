"""Callback dispatch with several deliveries in flight and a limit per
organization (serve --callback-threads, --callback-per-org), end to end
with RAPORTAI_ALLOW_HTTP_CALLBACKS=1 so that receivers on 127.0.0.1 take
the callbacks: one organization's receiver accepts connections and never
answers (until the test ends), another's answers at once. The second
organization's callbacks arrive while the first's are stuck, and the
hanging receiver never has more connections open at once than the limit.
Every wait is bounded; nothing is timed beyond that."""

import json
import selectors
import socket
import threading
import unittest

from jobs_helpers import (TEXT_TIMEOUT_S, CallbackReceiver, JobsTest, report_fields,
                          signature_ok, wait_for)

DICTATION = "findings colon no acute hemorrhage period impression colon normal period"
PER_ORG = 2


class HangingReceiver:
    """A TCP server on 127.0.0.1 that accepts every connection, reads and
    drops what arrives and never answers; it counts the connections open
    at once (a connection counts until its peer closes it) and the most
    ever open. close() ends it and closes what is left."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.lock = threading.Lock()
        self.open = set()
        self.accepted = 0
        self.most_open = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                if key.fileobj is self.listener:
                    try:
                        conn, _ = self.listener.accept()
                    except BlockingIOError:
                        continue
                    conn.setblocking(False)
                    self.selector.register(conn, selectors.EVENT_READ)
                    with self.lock:
                        self.open.add(conn)
                        self.accepted += 1
                        self.most_open = max(self.most_open, len(self.open))
                    continue
                conn = key.fileobj
                try:
                    data = conn.recv(65536)
                except BlockingIOError:
                    continue
                except ConnectionError:
                    data = b""
                if not data:  # the peer gave up: no longer open
                    self.selector.unregister(conn)
                    conn.close()
                    with self.lock:
                        self.open.discard(conn)

    def url(self):
        return "http://127.0.0.1:%d/stuck/callback" % self.listener.getsockname()[1]

    def counts(self):
        with self.lock:
            return self.accepted, len(self.open), self.most_open

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for conn in list(self.open):
            conn.close()
        self.selector.close()
        self.listener.close()


class SlowReceivers(JobsTest):

    env = {"RAPORTAI_ALLOW_HTTP_CALLBACKS": "1"}
    extra_args = ("--callback-threads", "4", "--callback-per-org", str(PER_ORG))

    def submit_with_callback(self, key, url, n, credits):
        jobs = []
        for i in range(n):
            jobs.append(self.accepted(self.submit(key, report_fields(
                None, transcript=DICTATION, accessionNo="ACC-%d" % i, callbackUrl=url)),
                credits - i))
        return jobs

    def test_a_hanging_receiver_delays_only_its_own_organizations_callbacks(self):
        hanging = HangingReceiver()
        self.addCleanup(hanging.close)
        answering = CallbackReceiver()
        self.addCleanup(answering.close)
        _, key_a = self.new_org(credits=10)
        _, key_b = self.new_org(credits=10)
        # A's six jobs first: their callbacks go to the receiver that hangs
        a_jobs = self.submit_with_callback(key_a, hanging.url(), 6, 10)
        wait_for(self, "A's deliveries in flight", lambda: hanging.counts()[1] >= PER_ORG,
                 TEXT_TIMEOUT_S)
        # then B's: they arrive although A's are stuck (one dispatcher for
        # all would wait for A's six attempts, 20 s each, first)
        b_jobs = self.submit_with_callback(key_b, answering.url(), 2, 10)
        got = wait_for(self, "B's two callbacks",
                       lambda: (lambda d: d if len(d) >= 2 else None)(answering.deliveries()),
                       TEXT_TIMEOUT_S)
        secrets_by_job = {j["jobId"]: j["hmacSecret"] for j in b_jobs}
        for delivery in got:
            body = json.loads(delivery["body"])
            h = delivery["headers"]
            self.assertTrue(signature_ok(secrets_by_job[body["jobId"]],
                                         h["x-raportai-timestamp"], delivery["body"],
                                         h["x-raportai-signature"]))
        # A's are stuck: none delivered, and never more than the limit of
        # them were open at the receiver at once
        for job in a_jobs:
            cb = self.srv.get(job["pollUrl"], key=key_a).json().get("callback")
            self.assertNotEqual((cb or {}).get("status"), "delivered", cb)
        accepted, open_now, most_open = hanging.counts()
        self.assertGreaterEqual(accepted, PER_ORG)
        self.assertLessEqual(most_open, PER_ORG, (accepted, open_now, most_open))


if __name__ == "__main__":
    unittest.main()

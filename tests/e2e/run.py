"""Runs every end-to-end test (tests/e2e/test_*.py) against the binary given
as the first argument and ends with "e2e: N passed, N failed". Further
arguments name test modules to run instead of all (run.py BIN test_web_auth).

Run as a whole, the modules go to RAPORTAI_E2E_JOBS processes at once
(default 2: most of a test's time is spent waiting on the server, so two
keep two cores busy); each module's output is printed whole when it ends.
One module runs in this process."""

import os
import queue
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE_TIMEOUT_S = 900


def run_here(names):
    sys.path.insert(0, HERE)
    if names:
        suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    else:
        suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                    top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    print("e2e: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and result.testsRun > 0 else 1


def modules():
    """Every test module, the largest file first (a guess at the longest),
    so the last to start are short ones."""
    names = [f[:-3] for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py")]
    return sorted(names, key=lambda m: -os.path.getsize(os.path.join(HERE, m + ".py")))


def run_module(name):
    """(passed, failed, output) of one module run in its own process."""
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__),
                               os.environ["RAPORTAI_TEST_BINARY"], name],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=MODULE_TIMEOUT_S)
        out = proc.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace") + \
            "\n%s: stopped after %d s\n" % (name, MODULE_TIMEOUT_S)
    summary = [l for l in out.splitlines() if l.startswith("e2e: ")]
    if not summary:
        return 0, 1, out + "\n%s: no summary (the module did not finish)\n" % name
    words = summary[-1].split()
    elapsed = time.monotonic() - started
    return int(words[1]), int(words[3]), out.replace(
        summary[-1], "%s: %s (%.0f s)" % (name, summary[-1][5:], elapsed))


def run_all(jobs):
    todo = queue.Queue()
    for name in modules():
        todo.put(name)
    lock = threading.Lock()
    totals = [0, 0]

    def worker():
        while True:
            try:
                name = todo.get_nowait()
            except queue.Empty:
                return
            passed, failed, out = run_module(name)
            with lock:
                totals[0] += passed
                totals[1] += failed
                sys.stdout.write(out if out.endswith("\n") else out + "\n")
                sys.stdout.flush()

    threads = [threading.Thread(target=worker) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("e2e: %d passed, %d failed" % tuple(totals))
    return 0 if totals[1] == 0 and totals[0] > 0 else 1


def main():
    if len(sys.argv) > 1:
        os.environ["RAPORTAI_TEST_BINARY"] = os.path.abspath(sys.argv[1]) \
            if os.path.exists(sys.argv[1]) else sys.argv[1]
    names = sys.argv[2:]
    jobs = int(os.environ.get("RAPORTAI_E2E_JOBS", "2"))
    if names or jobs <= 1:
        return run_here(names)
    return run_all(jobs)


if __name__ == "__main__":
    sys.exit(main())

"""Runs every end-to-end test (tests/e2e/test_*.py) against the binary given
as the first argument and ends with "e2e: N passed, N failed". Further
arguments name test modules to run instead of all (run.py BIN test_web_auth)."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) > 1:
        os.environ["RAPORTAI_TEST_BINARY"] = sys.argv[1]
    sys.path.insert(0, HERE)
    if len(sys.argv) > 2:
        suite = unittest.defaultTestLoader.loadTestsFromNames(sys.argv[2:])
    else:
        suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                    top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    print("e2e: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

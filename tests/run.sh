#!/bin/sh
# Runs every test: the style lint, the C unit tests (Criterion, built with
# AddressSanitizer and UndefinedBehaviorSanitizer), each fuzz target over
# its seed corpus (tests/fuzz/corpus), the end-to-end tests
# that drive the sanitized binary over HTTP, and the browser tests that drive
# Chromium against it. Ends with one line that counts
# passed and failed tests across all of them; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
mkdir -p build/test-logs

echo "== lint"
if scripts/lint.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== unit tests (Criterion, ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    build/asan/unit-tests --jobs 2 --short-filename 2>&1 | tee build/test-logs/unit.log
synthesis=$(grep -a 'Synthesis:' build/test-logs/unit.log | tail -n 1)
u_pass=$(echo "$synthesis" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
u_fail=$(echo "$synthesis" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
u_crash=$(echo "$synthesis" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
if [ -z "$u_pass" ]; then
    echo "unit tests: no summary (the runner itself failed)"
    failed=$((failed + 1))
else
    passed=$((passed + u_pass))
    failed=$((failed + u_fail + u_crash))
fi
# Criterion runs each test in its own process, where a LeakSanitizer or
# UBSan report does not fail the test: any such report fails the run.
if grep -aqE 'ERROR: (Leak|Address)Sanitizer|runtime error:' build/test-logs/unit.log; then
    echo "unit tests: sanitizer reports above"
    failed=$((failed + 1))
fi

echo "== fuzz targets over their seed corpora (build/fuzz, clang, ASan+UBSan)"
fuzz_out=$(scripts/fuzz.sh regress 2>&1)
echo "$fuzz_out" | tee build/test-logs/fuzz.log
f_pass=$(echo "$fuzz_out" | grep -c 'seeds ok$')
f_fail=$(echo "$fuzz_out" | grep -cE 'FAILED$|is missing')
passed=$((passed + f_pass))
failed=$((failed + f_fail))

echo "== end-to-end tests (build/asan/raportai over HTTP on loopback)"
python3 tests/e2e/run.py build/asan/raportai 2>&1 | tee build/test-logs/e2e.log
e2e=$(grep -a '^e2e: ' build/test-logs/e2e.log | tail -n 1)
e_pass=$(echo "$e2e" | sed -n 's/^e2e: \([0-9]*\) passed.*/\1/p')
e_fail=$(echo "$e2e" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
if [ -z "$e_pass" ]; then
    echo "e2e tests: no summary (the runner itself failed)"
    failed=$((failed + 1))
else
    passed=$((passed + e_pass))
    failed=$((failed + e_fail))
fi

echo "== browser tests (Chromium against build/asan/raportai)"
node tests/browser/run.mjs build/asan/raportai 2>&1 | tee build/test-logs/browser.log
browser=$(grep -a '^browser: ' build/test-logs/browser.log | tail -n 1)
b_pass=$(echo "$browser" | sed -n 's/^browser: \([0-9]*\) passed.*/\1/p')
b_fail=$(echo "$browser" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
if [ -z "$b_pass" ]; then
    echo "browser tests: no summary (the runner itself failed)"
    failed=$((failed + 1))
else
    passed=$((passed + b_pass))
    failed=$((failed + b_fail))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

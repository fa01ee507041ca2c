#!/bin/sh
# Runs the libFuzzer targets built by `make fuzz-build` (build/fuzz/fuzz_*).
#   scripts/fuzz.sh regress         each target over its seed corpus once
#                                   (tests/fuzz/corpus/<target>); fails on
#                                   any crash or sanitizer report
#   scripts/fuzz.sh run SECONDS     each target in turn for SECONDS, at nice
#                                   10, starting from its seeds; new inputs go
#                                   to build/fuzz/corpus/<target>, crashes to
#                                   build/fuzz/crashes/<target>; the repository
#                                   is never written
# FUZZ_TARGETS="form mrrt" limits either mode to those targets.
set -u
cd "$(dirname "$0")/.."
mode=${1:-regress}
seconds=${2:-60}
status=0

targets=${FUZZ_TARGETS:-$(ls tests/fuzz/fuzz_*.c | sed 's|tests/fuzz/fuzz_||; s|\.c$||')}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for t in $targets; do
    bin=build/fuzz/fuzz_$t
    seeds=tests/fuzz/corpus/$t
    # Test data a target reads is a seed too, without a copy in the corpus.
    case $t in
    mrrt) more=tests/data/mrrt ;;
    *) more= ;;
    esac
    [ -x "$bin" ] || { echo "fuzz: $bin is missing (make fuzz-build)"; status=1; continue; }
    [ -d "$seeds" ] || { echo "fuzz: $seeds is missing"; status=1; continue; }
    case $mode in
    regress)
        # Given files (not a directory), libFuzzer runs each once and stops.
        if out=$("$bin" $(find "$seeds" $more -type f | sort) 2>&1); then
            echo "fuzz: $t: $(find "$seeds" $more -type f | wc -l) seeds ok"
        else
            echo "$out" | tail -n 40
            echo "fuzz: $t: FAILED"
            status=1
        fi
        ;;
    run)
        mkdir -p "build/fuzz/corpus/$t" "build/fuzz/crashes/$t"
        echo "fuzz: $t for ${seconds}s"
        # The first directory receives new inputs; the seeds are only read.
        nice -n 10 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$t/" \
            "build/fuzz/corpus/$t" "$seeds" $more 2>&1 | tee "build/fuzz/$t.log" |
            grep -E '^(#[0-9]+ +DONE|==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs)' || true
        grep -qE 'ERROR: |runtime error:|deadly signal' "build/fuzz/$t.log" && {
            echo "fuzz: $t: FINDING, see build/fuzz/$t.log and build/fuzz/crashes/$t"
            status=1
        }
        ;;
    *)
        echo "usage: scripts/fuzz.sh regress | run SECONDS" >&2
        exit 2
        ;;
    esac
done
exit "$status"

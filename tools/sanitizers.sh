#!/usr/bin/env bash
# The whole Swift test suite under a sanitizer: AddressSanitizer (use after
# free, overflows, leaks in C code such as liblz4's contexts) and
# ThreadSanitizer (data races between tasks, NIO threads and locks).
#
#   bash tools/sanitizers.sh            # both, address then thread
#   bash tools/sanitizers.sh address    # one of them
#   bash tools/sanitizers.sh thread
#
# Each sanitizer builds into its own scratch folder (.build-asan,
# .build-tsan), so the normal .build is untouched; a first build takes
# 15-25 minutes on 2 cores, the test run under TSan several times the normal
# one. Reports go to stderr; any report fails the run (halt_on_error for
# TSan, ASan's default). TSan reports in dependencies we cannot fix are
# suppressed in tools/tsan-suppressions.txt, each with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

sanitizers=("$@")
((${#sanitizers[@]} > 0)) || sanitizers=(address thread)

for sanitizer in "${sanitizers[@]}"; do
    case "$sanitizer" in
        address) scratch=.build-asan ;;
        thread) scratch=.build-tsan ;;
        *)
            echo "unknown sanitizer '$sanitizer': address or thread" >&2
            exit 2
            ;;
    esac
    printf '\n==> swift test --sanitize=%s (scratch %s)\n' "$sanitizer" "$scratch"
    start=$SECONDS
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    echo "build: $((SECONDS - start)) s"
    start=$SECONDS
    # Tests that run the built proxy find it next to the test runner, in this scratch folder.
    ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" \
        TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/tools/tsan-suppressions.txt:${TSAN_OPTIONS:-}" \
        swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch"
    echo "test: $((SECONDS - start)) s"
done

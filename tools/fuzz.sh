#!/usr/bin/env bash
# Builds the libFuzzer targets (tools/fuzz/, with AddressSanitizer) and runs
# each for FUZZ_SECONDS (default 30) from seeds made of the shared fixtures,
# the cassettes and tools/fuzz/seeds/. Fails on any crash, broken property,
# hang (an input taking over 10 s), leak or use of over 2 GB, printing the
# input that did it and the command that replays it.
#
#   bash tools/fuzz.sh                     # every target, 30 s each
#   FUZZ_SECONDS=3600 bash tools/fuzz.sh stream   # a long run of one target
#   FUZZ_WORK=~/fuzz bash tools/fuzz.sh    # keep corpora and findings there (default: a new temp folder)
#   FUZZ_SEED=1 bash tools/fuzz.sh         # libFuzzer's seed (default 0: a new one each run)
#
# With a seed, a target tries the same inputs in the same order on every machine (Swift's hashing made
# deterministic too), so a finding of a fixed-seed run (CI's: tools/test.sh) reproduces; a slower
# machine only gets less far in FUZZ_SECONDS. Random seeds explore further; run them long and locally.
#
# Targets: sse, json, cassette, request, stream (see tools/fuzz/FuzzTarget.swift).
# The fuzz executable is in Package.swift only when SWITCHBOARD_FUZZ=1, and
# builds into .build-fuzz, so the normal build never sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
FUZZ_SEED="${FUZZ_SEED:-0}"
WORK="${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/switchboard-fuzz.XXXXXX")}"
targets=("$@")
((${#targets[@]} > 0)) || targets=(sse json cassette request stream)
export SWITCHBOARD_FUZZ=1
# The Swift runtime's crash backtracer reads the stack in a way AddressSanitizer reports, and can hang
# the run; libFuzzer prints the stack of a failure itself.
export SWIFT_BACKTRACE=enable=no
# Set and Dictionary order the same in every run, so that a seed gives the same inputs.
export SWIFT_DETERMINISTIC_HASHING=1

echo "==> every module the fuzz target imports is its declared dependency"
swift package --scratch-path .build-fuzz dump-package | "$PYTHON" tools/check-imports.py

echo "==> building the fuzz targets (.build-fuzz, release, -sanitize=fuzzer,address: optimized code runs 5-10 times the inputs)"
start=$SECONDS
swift build --scratch-path .build-fuzz -c release --product fuzz \
    -Xswiftc -sanitize=fuzzer,address
echo "built in $((SECONDS - start)) s"
FUZZ="$ROOT/.build-fuzz/release/fuzz"

rm -rf "$WORK/seeds"
"$PYTHON" tools/fuzz/make-seeds.py "$WORK/seeds"

failed=()
for target in "${targets[@]}"; do
    [[ -d "$WORK/seeds/$target" ]] || { echo "FAIL: no seeds for target '$target'"; exit 1; }
    corpus="$WORK/corpus/$target" findings="$WORK/findings/$target/" log="$WORK/$target.log"
    mkdir -p "$corpus" "$findings"
    # Inputs are kept small enough for thousands of runs a second; a request keeps room for a Claude Code body.
    max_len=16384
    [[ "$target" == request ]] && max_len=65536
    printf '\n==> fuzz %s for %s s\n' "$target" "$FUZZ_SECONDS"
    start=$SECONDS
    if SWITCHBOARD_FUZZ_TARGET="$target" "$FUZZ" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
        -rss_limit_mb=2048 -max_len="$max_len" -artifact_prefix="$findings" -print_final_stats=1 -seed="$FUZZ_SEED" \
        "$corpus" "$WORK/seeds/$target" >"$log" 2>&1; then
        echo "$target: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') inputs in $((SECONDS - start)) s, no finding"
    else
        echo "FAIL $target: (log $log; $(grep -m1 -o 'INFO: Seed: [0-9]*' "$log" || echo 'no seed printed'))"
        grep -E 'ERROR|Fatal error|SUMMARY|Test unit written' "$log" | head -20 || tail -30 "$log"
        # The stack and the input itself: on CI the findings folder is gone with the machine, so
        # the log must carry what reproduces and places the failure.
        grep -E '^ +#[0-9]+ ' "$log" | head -40 || true
        for finding in "$findings"*; do
            [[ -e "$finding" ]] || continue
            echo "reproduce: SWIFT_DETERMINISTIC_HASHING=1 SWITCHBOARD_FUZZ_TARGET=$target SWITCHBOARD_FUZZ=1 $FUZZ $finding"
            echo "the input, base64 (base64 -d > finding):"
            base64 -w 0 "$finding"
            echo
        done
        failed+=("$target")
    fi
done
echo
echo "$((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed${failed:+: ${failed[*]}}"
((${#failed[@]} == 0))

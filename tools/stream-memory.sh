#!/usr/bin/env bash
# The streaming-memory check (a tools/test.sh step): writes a large cassette
# with tools/large-cassette.py, then runs `log-replay` (the summary) and
# `log-replay verify` on it under GNU time and fails when either one's
# maximum resident set size passes the README's bound, or when either does
# not read every exchange.
#   usage: tools/stream-memory.sh [MEGABYTES]   (default: $STREAM_MEMORY_MB or 128)
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-${STREAM_MEMORY_MB:-128}}"
limit_kb=$((100 * 1024))
command -v lz4 >/dev/null || { echo "lz4 is not installed (tools/setup.sh installs it)"; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is not installed (tools/setup.sh installs it)"; exit 1; }
bin="$(swift build --show-bin-path)"
[[ -x "$bin/log-replay" ]] || { echo "$bin/log-replay is not built (swift build)"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS
report="$(python3 tools/large-cassette.py "$work/large.jsonl.lz4" --megabytes "$megabytes")"
echo "$report (written in $((SECONDS - started)) s)"
exchanges="$(sed -E 's/.*: ([0-9]+) exchanges.*/\1/' <<<"$report")"

passed=0
failed=0
# check NAME EXPECTED-OUTPUT-PATTERN COMMAND...: runs COMMAND under GNU time.
check() {
    local name="$1" pattern="$2"
    shift 2
    local status=0 started=$SECONDS
    /usr/bin/time -v -o "$work/time" "$@" >"$work/out" 2>"$work/err" || status=$?
    local rss_kb
    rss_kb="$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+).*/\1/p' "$work/time")"
    echo "$name: exit $status, max RSS $((rss_kb / 1024)) MB, $((SECONDS - started)) s"
    if [[ $status -ne 0 ]]; then
        echo "FAIL $name exited $status:"; tail -5 "$work/err" "$work/out"; failed=$((failed + 1)); return
    fi
    if ! grep -Eq "$pattern" "$work/out"; then
        echo "FAIL $name: no line matching '$pattern':"; tail -5 "$work/out"; failed=$((failed + 1)); return
    fi
    if [[ -z "$rss_kb" || "$rss_kb" -gt "$limit_kb" ]]; then
        echo "FAIL $name: max RSS ${rss_kb:-unknown} kB is over $limit_kb kB"; failed=$((failed + 1)); return
    fi
    passed=$((passed + 1))
}
check "log-replay (summary)" "^$exchanges exchanges in 1 cassette file" "$bin/log-replay" "$work/large.jsonl.lz4"
check "log-replay verify" "^$exchanges exchanges, $exchanges matched, 0 differ" \
    "$bin/log-replay" verify "$work/large.jsonl.lz4"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

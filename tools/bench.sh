#!/usr/bin/env bash
# Throughput and added latency of `proxy serve` against direct calls to the same local stub
# upstream, with wrk, for non-streaming and streaming requests: Anthropic clients on an anthropic
# route (pass-through) and an openai one (converted), and OpenAI Chat, OpenAI Responses and Gemini
# clients converted to the anthropic route and passed through to a route of their own format.
# Prints a Markdown table for the README.
#
#   tools/bench.sh [--quick]
#
# Environment:
#   SWITCHBOARD_PROXY_BIN  proxy binary (default: `tools/release-build.sh proxy`, as
#                          tools/install.sh builds it)
#   BENCH_UPSTREAM_CMD     the stub upstream; `{port}` is replaced by a free port. Default: the
#                          asyncio stub `tools/e2e/fake_upstream.py --scenario bench`.
#   BENCH_STUB_UPSTREAM    path to `stub-upstream`: record the scenarios once through the proxy,
#                          then benchmark against stub-upstream --speed 0 serving that recording
#   BENCH_DURATION=10 BENCH_LATENCY_DURATION=5 BENCH_THREADS=2 BENCH_CONNECTIONS=16
#   BENCH_ROUNDS=1         load runs per target; a round runs every scenario's targets (direct,
#                          proxy, proxy+record), the next round all of them in reverse order, and
#                          so on; the table shows medians, and the record cost is the median of
#                          each round's proxy vs proxy+record pair, which a shared machine's drift
#                          skews far less than one run
#   BENCH_SCENARIOS        names to run (default: all that tools/bench/bodies.py writes)
#   BENCH_RECORD=1         also run the proxy with --record (cost of recording, bytes per exchange)
#   BENCH_METRICS=1        also run the proxy with --no-metrics (cost of /metrics and /v1/stats)
#   BENCH_BASELINE_BIN     another proxy binary (say, a build of main before a change) run as the
#                          target "baseline" beside "proxy" in every round, latency run and
#                          instruction count, so a change is judged side by side in one run
#   BENCH_OUT=FILE         also write the Markdown table to FILE
#   BENCH_INSTRUCTIONS=1   count the proxy's instructions per request (callgrind; 0 skips it): every
#                          proxy target runs again under valgrind, and each scenario sends
#                          BENCH_INSTRUCTION_REQUESTS (100) requests on one connection after 20
#                          to warm up; unlike time, the count does not move with the machine's load
# Loopback only; every run is bounded by its duration.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DURATION="${BENCH_DURATION:-10}"
LATENCY_DURATION="${BENCH_LATENCY_DURATION:-5}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
ROUNDS="${BENCH_ROUNDS:-1}"
INSTRUCTIONS="${BENCH_INSTRUCTIONS:-1}"
INSTRUCTION_REQUESTS="${BENCH_INSTRUCTION_REQUESTS:-100}"
if [[ "${1:-}" == --quick ]]; then
    DURATION=3
    LATENCY_DURATION=2
fi
UPSTREAM_CMD="${BENCH_UPSTREAM_CMD:-$PYTHON $ROOT/tools/e2e/fake_upstream.py --scenario bench --port {port}}"
FIXTURES="${SWITCHBOARD_FIXTURES:-$ROOT/../shared/fixtures}"
LUA="$ROOT/tools/bench/post.lua"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() { # port, pid, seconds
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        kill -0 "$2" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

ensure_tool() { # command, Debian package
    command -v "$1" >/dev/null && return
    log "installing $2 (apt-get)"
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >&2 ||
        die "could not install $2"
}

proxy_bin() {
    if [[ -n "${SWITCHBOARD_PROXY_BIN:-}" ]]; then
        echo "$SWITCHBOARD_PROXY_BIN"
        return
    fi
    # Built as tools/install.sh builds it: what users run is what is measured.
    log "building the proxy in release mode (tools/release-build.sh proxy)"
    local bin
    bin="$(bash "$ROOT/tools/release-build.sh" proxy)" || return 1
    echo "$bin/proxy"
}

write_config() { # path, upstream port
    "$PYTHON" "$ROOT/tools/e2e/models_yaml.py" --comment "Written by tools/bench.sh." \
        --route "bench-anthropic,anthropic,http://127.0.0.1:$2,bench-upstream,sk-bench-upstream-not-real" \
        --route "bench-openai,openai,http://127.0.0.1:$2/v1,bench-upstream,sk-bench-upstream-not-real" \
        --route "bench-gemini,gemini,http://127.0.0.1:$2/v1beta,bench-upstream,sk-bench-upstream-not-real" \
        --route "bench-responses,openai-responses,http://127.0.0.1:$2/v1,bench-upstream,sk-bench-upstream-not-real" \
        >"$1"
}

PROXY_LAUNCH=() # what start_proxy runs: the proxy binary, or valgrind and its arguments before it
start_proxy() { # name, extra args...; sets PROXY_PORT and PROXY_PID
    local name="$1"
    shift
    PROXY_PORT="$(free_port)"
    "${PROXY_LAUNCH[@]}" serve --host 127.0.0.1 --port "$PROXY_PORT" --config "$WORK/models.yaml" "$@" \
        >"$WORK/$name.log" 2>&1 &
    PROXY_PID=$!
    PIDS+=("$PROXY_PID")
    # Under valgrind the proxy takes seconds to start, more on a loaded machine.
    wait_for_port "$PROXY_PORT" "$PROXY_PID" 180 || {
        tail -n 40 "$WORK/$name.log" >&2
        die "$name did not start"
    }
}

# One request first: a benchmark of error responses would be meaningless.
check_once() { # url, body, expected text
    local status
    status="$(curl -sS -o "$WORK/check.out" -w '%{http_code}' -H 'content-type: application/json' \
        -H 'anthropic-version: 2023-06-01' -H 'x-api-key: sk-bench-not-a-real-key' \
        --max-time 10 --data-binary "@$2" "$1")" || status="curl failed"
    if [[ "$status" != 200 ]] || ! grep -qF "$3" "$WORK/check.out"; then
        log "check failed for $1 (status $status):"
        head -c 600 "$WORK/check.out" >&2
        echo >&2
        return 1
    fi
}

# User + system CPU time, in clock ticks, from a /proc stat file: fields 14 and 15, counted
# after the command name, which may hold spaces.
stat_ticks() { # /proc/.../stat
    sed 's/^.*) //' "$1" | awk '{ print $12 + $13 }'
}

# CPU time of a process so far; 0 when unknown.
process_ticks() { # pid or -
    [[ "$1" != - && -r "/proc/$1/stat" ]] || {
        echo 0
        return
    }
    stat_ticks "/proc/$1/stat"
}
# CPU time of the proxy's cassette writer thread (named `cassette-writer`); 0 when there is none.
writer_ticks() { # pid or -
    local task
    [[ "$1" != - ]] || {
        echo 0
        return
    }
    for task in /proc/"$1"/task/*; do
        if [[ "$(cat "$task/comm" 2>/dev/null)" == cassette-writer ]]; then
            stat_ticks "$task/stat"
            return
        fi
    done
    echo 0
}
TICKS_PER_SECOND="$(getconf CLK_TCK)"

FAILURES=0
run_wrk() { # scenario, target, phase, url, body, pid (whose CPU time per request is noted; - for none)
    local threads="$THREADS" connections="$CONNECTIONS" duration="$DURATION" line ticks_before ticks_after
    local writer_before writer_after
    if [[ "$3" == latency ]]; then
        threads=1 connections=1 duration="$LATENCY_DURATION"
    elif [[ "$3" == warmup ]]; then
        duration=1
    fi
    ticks_before="$(process_ticks "${6:--}")"
    writer_before="$(writer_ticks "${6:--}")"
    wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s -s "$LUA" "$4" -- "$5" \
        >"$WORK/wrk.out" 2>&1
    ticks_after="$(process_ticks "${6:--}")"
    writer_after="$(writer_ticks "${6:--}")"
    [[ "$3" == warmup ]] && return
    line="$(sed -n 's/^BENCH_JSON //p' "$WORK/wrk.out")"
    if [[ -z "$line" ]]; then
        cat "$WORK/wrk.out" >&2
        log "wrk gave no result for $1 $2 $3"
        FAILURES=$((FAILURES + 1))
        return
    fi
    # Every Python step's status is read: a crash must fail the run, not count as a result.
    if ! "$PYTHON" - "$1" "$2" "$3" "$line" "$((ticks_after - ticks_before))" "$TICKS_PER_SECOND" \
        "$((writer_after - writer_before))" >>"$WORK/results.jsonl" <<'EOF'
import json, sys
row = {"scenario": sys.argv[1], "target": sys.argv[2], "phase": sys.argv[3]}
row.update(json.loads(sys.argv[4]))
ticks, per_second, writer = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
if ticks > 0 and row.get("requests"):
    row["cpu_us_per_request"] = ticks * 1e6 / per_second / row["requests"]
if writer > 0 and row.get("requests"):
    row["writer_cpu_us_per_request"] = writer * 1e6 / per_second / row["requests"]
print(json.dumps(row))
EOF
    then
        log "could not store the result of $1 $2 $3 (the Python step above failed)"
        FAILURES=$((FAILURES + 1))
        return
    fi
    local errors
    if ! errors="$("$PYTHON" -c 'import json, sys
r = json.loads(sys.argv[1]); print(sum(r[k] for k in r if k.startswith("err_")))' "$line")"; then
        log "could not count the errors of $1 $2 $3 in: $line"
        FAILURES=$((FAILURES + 1))
        return
    fi
    log "$(printf '%-32s %-13s %-8s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %s' "$1" "$2" "$3" \
        "$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["rps"])' "$line")" \
        "$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["p50_us"]/1000)' "$line")" \
        "$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["p99_us"]/1000)' "$line")" \
        "$errors")"
    if ((errors > 0)); then
        log "$1 $2 $3: $errors errors (non-2xx, timeouts or socket errors)"
        FAILURES=$((FAILURES + 1))
    fi
}

# Every round runs every scenario's targets (direct, proxy, proxy+record), and every other round
# runs them all in reverse order, so a machine that speeds up or slows down over the minutes of a
# run favours neither a scenario nor a target: columns and rows of one table compare.
TARGETS=()      # "name url-base pid" triples, filled by main; pid is "-" for direct
bench_all() {
    local name path direct_body proxy_body expected proxy_path target base body url phase pid
    local runs=() # "scenario target url body pid", one per checked and warmed-up target
    while IFS=$'\t' read -r name path direct_body proxy_body expected proxy_path; do
        if [[ -n "${BENCH_SCENARIOS:-}" && " $BENCH_SCENARIOS " != *" $name "* ]]; then continue; fi
        for target in "${TARGETS[@]}"; do
            read -r target base pid <<<"$target"
            if [[ "$target" == direct ]]; then
                body="$direct_body" url="$base$path"
            else
                body="$proxy_body" url="$base$proxy_path"
            fi
            if check_once "$url" "$body" "$expected"; then
                run_wrk "$name" "$target" warmup "$url" "$body"
                runs+=("$name $target $url $body $pid")
            else
                FAILURES=$((FAILURES + 1))
            fi
        done
    done <"$WORK/scenarios.tsv"
    for phase in load latency; do
        local rounds=1 round order index run
        [[ "$phase" == load ]] && rounds="$ROUNDS"
        for ((round = 1; round <= rounds; round++)); do
            order=("${runs[@]}")
            if ((round % 2 == 0)); then
                order=()
                for ((index = ${#runs[@]} - 1; index >= 0; index--)); do order+=("${runs[index]}"); done
            fi
            for run in "${order[@]}"; do
                read -r name target url body pid <<<"$run"
                # Recording's and metrics' costs are throughput questions: their latency runs are skipped.
                [[ "$target" != direct && "$target" != proxy && "$target" != baseline && "$phase" == latency ]] &&
                    continue
                run_wrk "$name" "$target" "$phase" "$url" "$body" "$pid"
            done
        done
    done
}

start_upstream() { # sets UPSTREAM_PORT and UPSTREAM_PID
    UPSTREAM_PORT="$(free_port)"
    log "upstream: ${UPSTREAM_CMD//\{port\}/$UPSTREAM_PORT}"
    # Word splitting of the command template is intended: it is a command line.
    # shellcheck disable=SC2086
    ${UPSTREAM_CMD//\{port\}/$UPSTREAM_PORT} >>"$WORK/upstream.log" 2>&1 &
    UPSTREAM_PID=$!
    PIDS+=("$UPSTREAM_PID")
    wait_for_port "$UPSTREAM_PORT" "$UPSTREAM_PID" 15 || {
        tail -n 40 "$WORK/upstream.log" >&2
        die "the stub upstream did not start"
    }
}

# BENCH_STUB_UPSTREAM=PATH: benchmark against stub-upstream --speed 0. It serves recordings only,
# so first each scenario goes once through `proxy serve --record` to the Python stub; then the
# direct requests become exactly the upstream requests the proxy sent, and stub-upstream serves
# that cassette.
record_for_stub_upstream() {
    start_upstream
    write_config "$WORK/models.yaml" "$UPSTREAM_PORT"
    mkdir -p "$WORK/stub-cassettes"
    start_proxy proxy-recording-for-stub --record "$WORK/stub-cassettes"
    local name path direct_body proxy_body expected proxy_path
    while IFS=$'\t' read -r name path direct_body proxy_body expected proxy_path; do
        check_once "http://127.0.0.1:$PROXY_PORT$proxy_path" "$proxy_body" "$expected" ||
            die "recording $name for stub-upstream failed"
    done <"$WORK/scenarios.tsv"
    kill "$PROXY_PID" "$UPSTREAM_PID" 2>/dev/null
    wait "$PROXY_PID" "$UPSTREAM_PID" 2>/dev/null # a clean stop closes the LZ4 frame
    "$PYTHON" "$ROOT/tools/bench/stub_bodies.py" "$WORK/stub-cassettes" "$WORK/scenarios.tsv" "$WORK/bodies" \
        >"$WORK/scenarios-stub.tsv" || die "could not match the recorded upstream requests to the scenarios"
    mv "$WORK/scenarios-stub.tsv" "$WORK/scenarios.tsv"
    UPSTREAM_CMD="$BENCH_STUB_UPSTREAM --cassettes $WORK/stub-cassettes --speed 0 --port {port}"
}

# Instructions per request, counted by callgrind: the one figure a shared machine's load does not
# move, so a change can be judged by it alone. Each proxy target runs once more, under valgrind;
# per scenario, 20 requests warm it up, the counters are zeroed, BENCH_INSTRUCTION_REQUESTS go
# over one keep-alive connection, and the counters are dumped. The count covers every thread of
# the proxy (event loops, the cassette writer) between the zero and the dump, idle ticks
# excluded (measured idle for 3 s at the end: under 0.1 M instructions a second).
prepare_valgrind() {
    ensure_tool valgrind valgrind
    ensure_tool objcopy binutils
    local cc
    cc="$(command -v cc || command -v clang || command -v gcc)" || die "a C compiler is needed for the valgrind shim"
    "$cc" -O2 -shared -fPIC -o "$WORK/valgrind_sigsuspend.so" "$ROOT/tools/bench/valgrind_sigsuspend.c" ||
        die "could not build tools/bench/valgrind_sigsuspend.c"
    # valgrind 3.19 cannot read the DWARF 5 that Swift writes and gives up; symbols stay, so
    # callgrind's profile still names functions.
    objcopy --strip-debug "$PROXY" "$WORK/proxy-for-valgrind" || die "could not strip $PROXY for valgrind"
    if [[ -n "${BENCH_BASELINE_BIN:-}" ]]; then
        objcopy --strip-debug "$BENCH_BASELINE_BIN" "$WORK/baseline-for-valgrind" ||
            die "could not strip $BENCH_BASELINE_BIN for valgrind"
    fi
}

# The dump counter's latest file's total of instructions.
dumped_instructions() { # callgrind output base, dump number
    sed -n 's/^summary: //p' "$1.$2"
}

count_instructions() { # target name, stripped binary, extra serve args...
    local target="$1" binary="$2" name path direct_body proxy_body expected proxy_path out summary dumps=0
    local idle_per_second started elapsed count
    shift 2
    mkdir -p "$WORK/callgrind"
    out="$WORK/callgrind/$target.out"
    # Deterministic hashing: a dictionary's probing then costs the same in every run.
    PROXY_LAUNCH=(env LD_PRELOAD="$WORK/valgrind_sigsuspend.so" SWIFT_DETERMINISTIC_HASHING=1
        valgrind --tool=callgrind --callgrind-out-file="$out" "$binary")
    log "counting instructions: $target under callgrind"
    start_proxy "$target-callgrind" "$@"
    PROXY_LAUNCH=("$PROXY")
    local measured=() # "scenario instructions milliseconds", one per scenario counted
    while IFS=$'\t' read -r name path direct_body proxy_body expected proxy_path; do
        if [[ -n "${BENCH_SCENARIOS:-}" && " $BENCH_SCENARIOS " != *" $name "* ]]; then continue; fi
        local url="http://127.0.0.1:$PROXY_PORT$proxy_path"
        if ! "$PYTHON" "$ROOT/tools/bench/send.py" "$url" "$proxy_body" 20 "$expected" ||
            ! callgrind_control --zero "$PROXY_PID" >/dev/null 2>&1; then
            log "counting instructions failed for $name $target"
            FAILURES=$((FAILURES + 1))
            continue
        fi
        started="$(date +%s%N)"
        if ! "$PYTHON" "$ROOT/tools/bench/send.py" "$url" "$proxy_body" "$INSTRUCTION_REQUESTS" "$expected" ||
            ! callgrind_control --dump="$name" "$PROXY_PID" >/dev/null 2>&1; then
            log "counting instructions failed for $name $target"
            FAILURES=$((FAILURES + 1))
            continue
        fi
        elapsed="$(( ($(date +%s%N) - started) / 1000000 ))" # ms
        dumps=$((dumps + 1))
        summary="$(dumped_instructions "$out" "$dumps")"
        if [[ -z "$summary" ]]; then
            log "callgrind wrote no summary for $name $target ($out.$dumps)"
            FAILURES=$((FAILURES + 1))
            continue
        fi
        measured+=("$name $summary $elapsed")
    done <"$WORK/scenarios.tsv"
    # What the idle proxy runs (timers, the config file's poll) is taken out of each count, in
    # proportion to the run's time, which a loaded machine stretches. Measured last, once the
    # proxy has settled: the seconds after start-up still run start-up's tail.
    callgrind_control --zero "$PROXY_PID" >/dev/null 2>&1 && sleep 3 &&
        callgrind_control --dump=idle "$PROXY_PID" >/dev/null 2>&1 || die "callgrind_control failed on $target"
    dumps=$((dumps + 1))
    idle_per_second="$(($(dumped_instructions "$out" "$dumps") / 3))"
    log "$target idles at $idle_per_second instructions a second (taken out of the counts)"
    local row
    for row in "${measured[@]}"; do
        read -r name summary elapsed <<<"$row"
        count="$(((summary - idle_per_second * elapsed / 1000) / INSTRUCTION_REQUESTS))"
        printf '{"scenario": "%s", "target": "%s", "phase": "instructions", "instructions_per_request": %s}\n' \
            "$name" "$target" "$count" >>"$WORK/results.jsonl"
        log "$(printf '%-32s %-17s %12d instructions per request (%d ms)' "$name" "$target" "$count" "$elapsed")"
    done
    kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
}

main() {
    ensure_tool wrk wrk
    command -v curl >/dev/null || die "curl is needed"
    PROXY="$(proxy_bin)" || die "could not build the proxy"
    [[ -x "$PROXY" ]] || die "no proxy binary at $PROXY"
    PROXY_LAUNCH=("$PROXY")
    if [[ -n "${BENCH_BASELINE_BIN:-}" && ! -x "$BENCH_BASELINE_BIN" ]]; then
        die "no baseline proxy binary at $BENCH_BASELINE_BIN"
    fi
    [[ "$INSTRUCTIONS" == 1 ]] && prepare_valgrind
    "$PYTHON" "$ROOT/tools/bench/bodies.py" "$WORK/bodies" "$FIXTURES" >"$WORK/scenarios.tsv" ||
        die "could not write the request bodies"

    local loadavg
    loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
    [[ -n "${BENCH_STUB_UPSTREAM:-}" ]] && record_for_stub_upstream
    start_upstream
    local upstream_port="$UPSTREAM_PORT"
    write_config "$WORK/models.yaml" "$upstream_port"

    TARGETS=("direct http://127.0.0.1:$upstream_port -")
    start_proxy proxy
    local proxy_pid="$PROXY_PID"
    TARGETS+=("proxy http://127.0.0.1:$PROXY_PORT $PROXY_PID")
    if [[ "${BENCH_RECORD:-0}" == 1 ]]; then
        mkdir -p "$WORK/cassettes"
        start_proxy proxy-record --record "$WORK/cassettes"
        TARGETS+=("proxy+record http://127.0.0.1:$PROXY_PORT $PROXY_PID")
    fi
    local record_pid="$PROXY_PID"
    if [[ "${BENCH_METRICS:-0}" == 1 ]]; then
        start_proxy proxy-metrics-off --no-metrics
        TARGETS+=("proxy-metrics-off http://127.0.0.1:$PROXY_PORT $PROXY_PID")
    fi

    if [[ -n "${BENCH_BASELINE_BIN:-}" ]]; then
        PROXY_LAUNCH=("$BENCH_BASELINE_BIN")
        start_proxy baseline
        PROXY_LAUNCH=("$PROXY")
        TARGETS+=("baseline http://127.0.0.1:$PROXY_PORT $PROXY_PID")
    fi

    bench_all
    if [[ "$INSTRUCTIONS" == 1 ]]; then
        local stripped="$WORK/proxy-for-valgrind"
        count_instructions proxy "$stripped"
        [[ -n "${BENCH_BASELINE_BIN:-}" ]] && count_instructions baseline "$WORK/baseline-for-valgrind"
        if [[ "${BENCH_RECORD:-0}" == 1 ]]; then
            mkdir -p "$WORK/callgrind/cassettes"
            count_instructions proxy+record "$stripped" --record "$WORK/callgrind/cassettes"
        fi
        [[ "${BENCH_METRICS:-0}" == 1 ]] && count_instructions proxy-metrics-off "$stripped" --no-metrics
    fi

    local rss
    rss="$(ps -o rss= -p "$proxy_pid" | tr -d ' ')"
    # The peak too: with BENCH_CONNECTIONS=64 on a streamed scenario, the most 64 streams held.
    local peak
    peak="$(awk '/^VmHWM:/ { print $2 }' "/proc/$proxy_pid/status" 2>/dev/null)"
    log "proxy RSS after the runs: $((${rss:-0} / 1024)) MiB (peak $((${peak:-0} / 1024)) MiB)"
    local per_exchange="null"
    if [[ "${BENCH_RECORD:-0}" == 1 ]]; then
        kill "$record_pid" 2>/dev/null && wait "$record_pid" 2>/dev/null # a clean stop closes the LZ4 frame
        local bytes requests
        bytes="$(find "$WORK/cassettes" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
        requests="$("$PYTHON" -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(sum(r["requests"] for r in rows if r["target"] == "proxy+record" and r["phase"] != "instructions"))' \
            "$WORK/results.jsonl")" || die "could not count the recorded requests in $WORK/results.jsonl"
        ((requests > 0)) && per_exchange="$(awk -v b="$bytes" -v r="$requests" 'BEGIN { printf "%.1f", b / r }')"
        log "recorded $bytes bytes for ~$requests exchanges (+ warm-ups and checks)"
    fi

    local meta
    meta="$("$PYTHON" -c 'import json, os, sys
a = sys.argv
print(json.dumps({"threads": a[1], "connections": a[2], "duration": a[3], "latency_duration": a[4],
    "upstream": a[5], "cpus": os.cpu_count(), "loadavg": a[6], "proxy": a[7],
    "cassette_bytes_per_exchange": None if a[8] == "null" else float(a[8]), "rounds": int(a[9])}))' \
        "$THREADS" "$CONNECTIONS" "$DURATION" "$LATENCY_DURATION" "${UPSTREAM_CMD%% --port*}" "$loadavg" \
        "$(basename "$PROXY")" "$per_exchange" "$ROUNDS")" || die "could not describe the run (the Python step above failed)"
    echo
    "$PYTHON" "$ROOT/tools/bench/report.py" "$WORK/results.jsonl" "$meta" | tee "${BENCH_OUT:-/dev/null}" ||
        die "tools/bench/report.py failed: no table"
    if ((FAILURES > 0)); then
        log "$FAILURES run(s) failed or had errors; the table is not trustworthy"
        exit 1
    fi
}

main "$@"

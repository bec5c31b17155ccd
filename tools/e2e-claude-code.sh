#!/usr/bin/env bash
# End to end with the real Claude Code CLI, no network:
#   claude -p ... --> proxy serve --> tools/e2e/fake_upstream.py (openai, then anthropic format)
# The fake upstream streams, in fragments, a Write tool call creating a file, then final text once
# the tool result comes back. Asserts the file's exact bytes and Claude Code's final text.
#
# Environment:
#   SWITCHBOARD_PROXY_BIN   use this proxy binary instead of `swift build --product proxy`
#   SWITCHBOARD_E2E_DIRECT  =1: no proxy; Claude Code talks to the fake upstream directly
#                           (anthropic format only; proves the Claude Code side of this script)
#   E2E_FORMATS             upstream formats to run (default: "openai anthropic openai+thinking
#                           anthropic+thinking"; +thinking: the tool call turn starts with a thinking
#                           block, or reasoning_content for openai, and for anthropic the signature
#                           must come back intact on the next turn; +subscription: Claude Code asks
#                           for claude-code/ models, served through a `proxy login --claude-code`
#                           login to an upstream that checks what Anthropic checks of such a token;
#                           codex+subscription, gemini+subscription, antigravity+subscription: Claude
#                           Code asks for that provider's models, logged in with `proxy login
#                           --PROVIDER --no-browser` (curl as the browser) against the fake upstream
#                           as the provider's OAuth server and backend, which refuses a request
#                           without the token, headers and envelope fields the real one requires
#                           (+multi composes with them: codex+subscription+multi);
#                           +multi: then a Read of the file
#                           and a Bash `wc -c`, whose output must reach Claude Code's final text)
#   E2E_TIMEOUT             seconds per Claude Code run (default 180)
#   E2E_KEEP                =1: keep the scratch directories
#   E2E_WORKDIR             fixed parent of the working directories and of Claude Code's HOME
#                           (default: in the scratch dir), so the Write path and the traffic are the
#                           same on every run
#   E2E_RECORD_DIR          pass `--record DIR/<variant>` to the proxy (cassettes for the corpus)
#   CLAUDE_BIN              use this Claude Code binary instead of claude-agent-sdk's bundled one
#   E2E_FAKE_ARGS           extra fake_upstream.py arguments (e.g. "--content wrong" to see a failure)
#   PYTHON                  interpreter for pip and the fake upstream (default: .venv/bin/python,
#                           the environment tools/setup.sh makes, else python3)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
    PYTHON=python3
    [[ -x "$ROOT/.venv/bin/python" ]] && PYTHON="$ROOT/.venv/bin/python"
fi
SDK_VERSION="0.2.184"
FORMATS="${E2E_FORMATS:-openai anthropic openai+thinking anthropic+thinking openai+multi anthropic+multi anthropic+subscription codex+subscription gemini+subscription antigravity+subscription}"
# The Claude subscription token of the +subscription variant (a made-up one; the fake upstream
# checks it arrives as Anthropic requires).
SUBSCRIPTION_TOKEN="sk-ant-oat01-switchboard-e2e-subscription"
# The access token the fake upstream issues (and then requires) as an OAuth subscription's provider.
BACKEND_TOKEN="ya29.switchboard-e2e-oauth-access-token"
TIMEOUT="${E2E_TIMEOUT:-180}"
DIRECT="${SWITCHBOARD_E2E_DIRECT:-0}"
FAKE="$ROOT/tools/e2e/fake_upstream.py"
FILE_NAME="hello.txt"
FILE_CONTENT=$'hello from switchboard \u2713\n'
FINAL_TEXT="Done: wrote the file."
UPSTREAM_MODEL="fake-e2e-model"
PROMPT="Create the file $FILE_NAME in the current directory containing the line: hello from switchboard ✓"

PIDS=()
SCRATCHES=()
stop_started() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    PIDS=()
}
# Drops a pid already waited for from PIDS: once reaped, the number may be reused by another
# process, which stop_started would then kill.
forget_pid() {
    local kept=() pid
    for pid in "${PIDS[@]}"; do
        [[ "$pid" == "$1" ]] || kept+=("$pid")
    done
    PIDS=("${kept[@]}")
}
cleanup() {
    stop_started
    if [[ "${E2E_KEEP:-0}" != 1 ]]; then
        local dir
        for dir in "${SCRATCHES[@]}"; do rm -rf "$dir"; done
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[e2e] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- Claude Code -----------------------------------------------------------------------------------
claude_bin() {
    if [[ -n "${CLAUDE_BIN:-}" ]]; then
        echo "$CLAUDE_BIN"
        return
    fi
    local have
    have="$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("claude-agent-sdk"))' 2>/dev/null || true)"
    if [[ "$have" != "$SDK_VERSION" ]]; then
        local t0
        t0="$(now)"
        log "installing claude-agent-sdk==$SDK_VERSION with pip (have: ${have:-none})"
        "$PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore \
            "claude-agent-sdk==$SDK_VERSION" >&2 || return 1
        log "pip install took $(elapsed "$t0") s"
    fi
    "$PYTHON" -c 'import claude_agent_sdk, os
print(os.path.join(os.path.dirname(claude_agent_sdk.__file__), "_bundled", "claude"))'
}

# --- The proxy -------------------------------------------------------------------------------------
proxy_bin() {
    if [[ -n "${SWITCHBOARD_PROXY_BIN:-}" ]]; then
        echo "$SWITCHBOARD_PROXY_BIN"
        return
    fi
    local t0
    t0="$(now)"
    log "building the proxy (swift build --product proxy)"
    (cd "$ROOT" && swift build --product proxy >&2) || return 1
    log "build took $(elapsed "$t0") s"
    echo "$(cd "$ROOT" && swift build --show-bin-path)/proxy"
}

free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_file() { # path, seconds
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        [[ -s "$1" ]] && return 0
        sleep 0.1
    done
    return 1
}

wait_for_health() { # port, pid, seconds
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        kill -0 "$2" 2>/dev/null || return 1
        curl -fsS -o /dev/null "http://127.0.0.1:$1/health" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# The route: Claude Code's own model names (claude-*, haiku included) go to the fake upstream; for
# an OAuth subscription (format codex, gemini, antigravity) to its login's backend.
write_models_yaml() { # path, format, upstream port
    if [[ -n "${SUBSCRIPTION_MAIN:-}" ]]; then
        "$PYTHON" "$ROOT/tools/e2e/models_yaml.py" --comment "Written by tools/e2e-claude-code.sh." \
            --route "e2e-subscription,provider:$2,,$SUBSCRIPTION_MAIN,,claude-*" >"$1"
        return
    fi
    local base="http://127.0.0.1:$3"
    [[ "$2" == openai ]] && base="$base/v1"
    "$PYTHON" "$ROOT/tools/e2e/models_yaml.py" --comment "Written by tools/e2e-claude-code.sh." \
        --route "e2e-fake,$2,$base,$UPSTREAM_MODEL,\${SWITCHBOARD_E2E_UPSTREAM_KEY},claude-*" >"$1"
}

show_logs() { # scratch
    local name
    for name in claude.stdout claude.stderr proxy.log models.yaml upstream.log upstream.out login.out; do
        if [[ -s "$1/$name" ]]; then
            printf -- '----- %s -----\n' "$name"
            tail -n 60 "$1/$name"
        fi
    done
    printf -- '----- files in the working directory -----\n'
    ls -la "$1/workdir/"
}

# The working directory and HOME of a variant, made empty: `work` and `home` in the caller's scope.
# Under E2E_WORKDIR both are fixed paths, so Claude Code's requests (its Write path, the memory
# folder under HOME in its system prompt) are the same on every run; scratch/workdir links to it.
work_and_home() { # scratch, variant
    work="$1/work" home="$1/home"
    if [[ -n "${E2E_WORKDIR:-}" ]]; then
        work="$E2E_WORKDIR/$2" home="$E2E_WORKDIR/$2.home"
    fi
    rm -rf "$work" "$home"
    mkdir -p "$work" "$home"
    ln -s "$work" "$1/workdir" 2>/dev/null
}

# What a variant asks of Claude Code: the `tools` it may use and the `expected_text` of its answer.
variant_expectations() { # variant
    tools="Write" expected_text="$FINAL_TEXT"
    if [[ "$1" == *+multi* ]]; then
        tools="Write Read Bash"
        expected_text="$FINAL_TEXT Bash said: $(printf '%s' "$FILE_CONTENT" | wc -c) $FILE_NAME"
    fi
}

# Starts `proxy serve` with the one route (write_models_yaml) to the upstream at upstream_port, and
# sets the caller's `base_url` to it.
start_proxy() { # scratch, format, upstream port, extra `proxy serve` arguments...
    local scratch="$1" fmt="$2" upstream_port="$3" proxy_port proxy_pid
    shift 3
    proxy_port="$(free_port)"
    write_models_yaml "$scratch/models.yaml" "$fmt" "$upstream_port"
    SWITCHBOARD_E2E_UPSTREAM_KEY="sk-upstream-e2e-$fmt" \
        "$PROXY" serve --host 127.0.0.1 --port "$proxy_port" --config "$scratch/models.yaml" "$@" \
        >"$scratch/proxy.log" 2>&1 &
    proxy_pid=$!
    PIDS+=("$proxy_pid")
    if ! wait_for_health "$proxy_port" "$proxy_pid" 60; then
        echo "proxy did not become healthy on port $proxy_port"
        return 1
    fi
    base_url="http://127.0.0.1:$proxy_port"
}

# Runs Claude Code in `work` against base_url and checks what it did: appends to the caller's
# `problems` when the file is missing or wrong, it failed, or its output lacks expected_text.
run_claude() { # scratch, base_url, allowed tools, expected text
    # A clean environment: only what Claude Code needs, nothing from the caller's shell or client.
    local rc=0
    (cd "$work" && env -i \
        PATH="/usr/local/bin:/usr/bin:/bin" \
        HOME="$home" \
        TMPDIR="$1" \
        LANG=C.UTF-8 \
        ANTHROPIC_BASE_URL="$2" \
        ANTHROPIC_API_KEY="sk-test-switchboard-e2e" \
        "${claude_env[@]}" \
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
        DISABLE_AUTOUPDATER=1 \
        timeout -k 5 "$TIMEOUT" "$CLAUDE" -p "$PROMPT" --allowedTools "$3" --permission-mode acceptEdits \
        </dev/null >"$1/claude.stdout" 2>"$1/claude.stderr") || rc=$?
    ((rc == 124)) && problems+=("Claude Code timed out after ${TIMEOUT}s")
    ((rc != 0 && rc != 124)) && problems+=("Claude Code exited with status $rc")
    if [[ ! -f "$work/$FILE_NAME" ]]; then
        problems+=("$FILE_NAME was not created")
    elif ! cmp -s "$work/$FILE_NAME" <(printf '%s' "$FILE_CONTENT"); then
        problems+=("$FILE_NAME has the wrong content: $(od -c "$work/$FILE_NAME" | head -3 | tr '\n' ' ')")
    fi
    grep -qF "$4" "$1/claude.stdout" || problems+=("Claude Code's output lacks \"$4\"")
}

# An OAuth subscription's settings (format codex, gemini or antigravity), in the caller's scope:
# `oauth` 1, SUBSCRIPTION_MAIN (the route's model), the login's `callback` path and `claude_env`, the
# provider's models for Claude Code. Leaves them alone for any other format.
oauth_subscription() { # format
    local small
    case "$1" in
    codex) oauth=1 SUBSCRIPTION_MAIN=gpt-5.2-codex small=gpt-5.1-codex-mini callback=/auth/callback ;;
    gemini) oauth=1 SUBSCRIPTION_MAIN=gemini-2.5-pro small=gemini-2.5-flash callback=/oauth2callback ;;
    antigravity) oauth=1 SUBSCRIPTION_MAIN=claude-sonnet-4-5 small=gemini-3-flash callback=/oauth-callback ;;
    *) return 0 ;;
    esac
    claude_env=(ANTHROPIC_MODEL="$1/$SUBSCRIPTION_MAIN" ANTHROPIC_SMALL_FAST_MODEL="$1/$small")
}

# The backend address `proxy login --PROVIDER` and `proxy serve` use for an OAuth subscription whose
# backend listens on port: SWITCHBOARD_<PROVIDER>_API_BASE.
oauth_api_base() { # format, port
    echo "http://127.0.0.1:$2$([[ $1 == codex ]] && echo /backend-api)"
}

# Returns 0 on pass. Prints the reason on failure.
run_format() { # variant: openai | anthropic, optionally +thinking, +multi and/or +subscription
    local variant="$1" fmt="${1%%+*}" thinking=0 multi=0 subscription=0 scratch t0
    [[ "$variant" == *+thinking* ]] && thinking=1
    [[ "$variant" == *+multi* ]] && multi=1
    [[ "$variant" == *+subscription* ]] && subscription=1
    local fake_args=() tools expected_text claude_env=() route_model="$UPSTREAM_MODEL"
    variant_expectations "$variant"
    ((thinking)) && fake_args+=(--thinking)
    ((multi)) && fake_args+=(--scenario multi)
    # +subscription: Claude Code asks for the claude-code/ models, served by a `proxy login
    # --claude-code` login; the upstream refuses what Anthropic refuses from a subscription token.
    if ((subscription)) && [[ "$fmt" == anthropic ]]; then
        fake_args+=(--require-subscription "$SUBSCRIPTION_TOKEN")
        claude_env=(ANTHROPIC_MODEL=claude-code/claude-sonnet-4-5
            ANTHROPIC_SMALL_FAST_MODEL=claude-code/claude-haiku-4-5)
        route_model=claude-sonnet-4-5
    fi
    # codex/gemini/antigravity+subscription: an OAuth login to the fake upstream as that provider's
    # OAuth server and backend; Claude Code asks for the provider's models.
    local oauth=0 callback
    local -x SUBSCRIPTION_MAIN=""
    oauth_subscription "$fmt"
    if ((oauth)); then
        fake_args+=(--require-token "$BACKEND_TOKEN")
        route_model="$SUBSCRIPTION_MAIN"
    fi
    t0="$(now)"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-e2e-$fmt.XXXXXX")"
    SCRATCHES+=("$scratch")
    local work home
    work_and_home "$scratch" "$variant"

    "$PYTHON" "$FAKE" --format "$fmt" --workdir "$work" --file-name "$FILE_NAME" \
        --content "$FILE_CONTENT" --final-text "$FINAL_TEXT" \
        --port-file "$scratch/upstream.port" --log "$scratch/upstream.log" --dump-dir "$scratch/requests" \
        "${fake_args[@]}" ${E2E_FAKE_ARGS:-} >"$scratch/upstream.out" 2>&1 &
    local upstream_pid=$!
    PIDS+=("$upstream_pid")
    if ! wait_for_file "$scratch/upstream.port" 60; then
        echo "fake upstream did not start"
        show_logs "$scratch"
        return 1
    fi
    local upstream_port base_url
    upstream_port="$(cat "$scratch/upstream.port")"
    if ((subscription)) && [[ "$fmt" == anthropic ]]; then
        local -x XDG_CONFIG_HOME="$scratch/xdg" SWITCHBOARD_CLAUDE_CODE_API_BASE="http://127.0.0.1:$upstream_port"
        if ! printf '%s\n' "$SUBSCRIPTION_TOKEN" | "$PROXY" login --claude-code >"$scratch/login.out" 2>&1; then
            echo "proxy login --claude-code failed: $(cat "$scratch/login.out")"
            return 1
        fi
        [[ "$(stat -c %a "$scratch/xdg/switchboard/auth.json")" == 600 ]] || {
            echo "auth.json is not mode 600"
            return 1
        }
    fi

    if ((oauth)); then
        local name="${fmt^^}"
        local -x XDG_CONFIG_HOME="$scratch/xdg"
        local -x "SWITCHBOARD_${name}_AUTH_BASE=http://127.0.0.1:$upstream_port" \
            "SWITCHBOARD_${name}_REDIRECT_URI=http://localhost:0$callback" \
            "SWITCHBOARD_${name}_API_BASE=$(oauth_api_base "$fmt" "$upstream_port")"
        if ! oauth_login "$scratch" "$fmt" "$upstream_port"; then
            show_logs "$scratch"
            return 1
        fi
    fi

    if [[ "$DIRECT" == 1 ]]; then
        base_url="http://127.0.0.1:$upstream_port"
    else
        local record=()
        [[ -n "${E2E_RECORD_DIR:-}" ]] && record=(--record "$E2E_RECORD_DIR/$variant")
        if ! start_proxy "$scratch" "$fmt" "$upstream_port" "${record[@]}"; then
            show_logs "$scratch"
            return 1
        fi
    fi

    local problems=()
    run_claude "$scratch" "$base_url" "$tools" "$expected_text"
    # The upstream must have seen the tool call's turn and the final turn, with the route's model
    # name when the proxy is in between (proves the request really went through the route).
    # Its exit status is read: a checker that crashes must fail the variant, not pass it unchecked.
    local check check_rc=0
    check="$("$PYTHON" - "$scratch/upstream.log" "$DIRECT" "$route_model" "$thinking" "$fmt" "$ROOT/tools/e2e" \
        "$multi" "$FILE_CONTENT" 2>"$scratch/checker.err" <<'EOF'
import json, sys
log, direct, model, thinking, fmt = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4] == "1", sys.argv[5]
multi, content = sys.argv[7] == "1", sys.argv[8]
sys.path.insert(0, sys.argv[6])
from fake_upstream import THINKING_SIGNATURE
try:
    rows = [json.loads(line) for line in open(log, encoding="utf-8")]
except OSError:
    rows = []
answers = [r.get("answer") for r in rows]
problems = []
for wanted in ("tool_call", "final"):
    if wanted not in answers:
        problems.append(f"the upstream never answered a '{wanted}' turn (answers: {answers})")
if not direct:
    main = [r for r in rows if r.get("answer") in ("tool_call", "final", "error_result")]
    wrong = sorted({str(r.get("model")) for r in main if r.get("model") != model})
    if wrong:
        problems.append(f"the upstream saw model(s) {wrong}, not the route's {model!r}")
tools = [r.get("tool") for r in rows if r.get("answer") == "tool_call"]
wanted_tools = ["Write", "Read", "Bash"] if multi else ["Write"]
if tools != wanted_tools:
    problems.append(f"tool calls answered {tools}, want {wanted_tools} (each exactly once)")
if multi:
    # The Read result must carry the file, multi-byte character included, back through the proxy.
    finals = [r for r in rows if r.get("answer") == "final"]
    results = finals[-1].get("tool_results", []) if finals else []
    if len(results) < 2 or content.strip() not in results[1].get("content", ""):
        problems.append(f"the Read result did not carry the file's content: {results[1:2]}")
if thinking and fmt == "anthropic":
    # The thinking block must come back on the next turn with its signature byte for byte.
    for r in rows:
        if r.get("answer") == "final" and r.get("thinking_returned") != [THINKING_SIGNATURE]:
            problems.append(f"thinking signature not returned intact: {r.get('thinking_returned')}")
print("\n".join(problems))
EOF
)" || check_rc=$?
    if ((check_rc != 0)); then
        problems+=("the upstream-log checker exited with status $check_rc, so nothing it checks is known:")
        while IFS= read -r line; do problems+=("  $line"); done < <(tail -n 15 "$scratch/checker.err")
    fi
    [[ -n "$check" ]] && while IFS= read -r line; do problems+=("$line"); done <<<"$check"
    if ((subscription)) && grep -qF -e "$SUBSCRIPTION_TOKEN" -e "$BACKEND_TOKEN" -e rt-fake-e2e \
        "$scratch/proxy.log" "$scratch/login.out"; then
        problems+=("the subscription token reached the proxy's output")
    fi

    local took
    took="$(elapsed "$t0")"
    if ((${#problems[@]})); then
        printf '  - %s\n' "${problems[@]}"
        show_logs "$scratch"
        log "$variant: failed after $took s"
        return 1
    fi
    log "$variant: $(wc -l <"$scratch/upstream.log") upstream requests, Claude Code said: $(tr '\n' ' ' <"$scratch/claude.stdout" | cut -c1-120)"
    log "$variant: passed in $took s"
    return 0
}

# `proxy login --PROVIDER --no-browser` with curl as the browser: it follows the printed address to
# the fake upstream's authorize endpoint, which sends it back to the login's callback server.
oauth_login() { # scratch, provider, upstream port
    local out="$1/login.out" url="" i
    "$PROXY" login "--$2" --no-browser </dev/null >"$out" 2>&1 &
    local login_pid=$!
    PIDS+=("$login_pid")
    # Up to 60 s: on a loaded machine a process may take seconds to start.
    for ((i = 0; i < 600; i++)); do
        url="$(grep -m1 -o "^  http://127.0.0.1:$3/[^ ]*" "$out" 2>/dev/null | tr -d ' ')"
        [[ -n "$url" ]] && break
        sleep 0.1
    done
    if [[ -z "$url" ]]; then
        echo "proxy login --$2 printed no address to log in at"
        return 1
    fi
    curl -fsSL --max-redirs 2 -o "$1/callback.html" "$url" || {
        echo "the browser step of proxy login --$2 failed (curl $?)"
        return 1
    }
    local status=0
    wait "$login_pid" || status=$?
    forget_pid "$login_pid"
    if ((status != 0)); then
        echo "proxy login --$2 failed: $(cat "$out")"
        return 1
    fi
    [[ "$(stat -c %a "$1/xdg/switchboard/auth.json")" == 600 ]] || {
        echo "auth.json is not mode 600"
        return 1
    }
}

main() {
    local t0 passed=0 failed=0 fmt
    t0="$(now)"
    CLAUDE="$(claude_bin)" || { echo "FAIL: could not install claude-agent-sdk==$SDK_VERSION"; echo "0 passed, 1 failed"; exit 1; }
    [[ -x "$CLAUDE" ]] || { echo "FAIL: no Claude Code binary at $CLAUDE"; echo "0 passed, 1 failed"; exit 1; }
    log "Claude Code $("$CLAUDE" --version 2>/dev/null) at $CLAUDE"
    if [[ "$DIRECT" == 1 ]]; then
        log "DIRECT mode: Claude Code talks to the fake upstream with no proxy in between"
    else
        PROXY="$(proxy_bin)" || { echo "FAIL: could not build the proxy"; echo "0 passed, 1 failed"; exit 1; }
        [[ -x "$PROXY" ]] || { echo "FAIL: no proxy binary at $PROXY"; echo "0 passed, 1 failed"; exit 1; }
        log "proxy at $PROXY"
    fi
    for fmt in $FORMATS; do
        if [[ "$DIRECT" == 1 && ("$fmt" != anthropic* || "$fmt" == *+subscription*) ]]; then
            echo "SKIP e2e claude-code ($fmt upstream): direct mode speaks Anthropic only"
            continue
        fi
        run_reported "e2e claude-code ($fmt upstream)" run_format "$fmt"
    done
    log "total $(elapsed "$t0") s"
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

# Runs one variant (the command and its arguments) with its output held back,
# then prints PASS, or FAIL and that output, counting into the caller's
# `passed` and `failed` (bash locals are visible to the functions called).
# Not in a $(...) subshell: the started processes must stay visible to the traps.
run_reported() {
    local label="$1" report rc=0
    shift
    report="$(mktemp "${TMPDIR:-/tmp}/switchboard-e2e-report.XXXXXX")"
    "$@" >"$report" || rc=$?
    stop_started
    if ((rc == 0)); then
        echo "PASS $label"
        passed=$((passed + 1))
    else
        echo "FAIL $label"
        cat "$report"
        failed=$((failed + 1))
    fi
    rm -f "$report"
}

# Sourced (tools/e2e-claude-code-replay.sh uses the functions above): define, don't run.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi

#!/usr/bin/env bash
# The Claude Code end-to-end run again, with no fake upstream: the upstream is the corpus.
#   claude -p ... --> proxy serve --> stub-upstream --speed 0 --cassettes cassettes/claude-code/<variant>
# Same prompt, same route (format and model names as recorded), but another machine as far as Claude
# Code can tell: a fresh working directory and HOME in the scratch folder (the recording used
# /tmp/switchboard-corpus-work/<variant> and <variant>.home, see tools/corpus/record.py), today's
# date, this machine's kernel. stub-upstream's default matching normalises Claude Code's environment
# out of both sides and moves the recorded replies' paths to the new working directory, so the Write
# lands here. Asserts the file's exact bytes, Claude Code's final text, that the stub answered every
# request from the recording (no MISS) and served each recorded one, and that the replay really ran
# elsewhere (its HOME and working directory are not the recorded ones). The subscription variants
# (anthropic = claude-code, codex, gemini, antigravity) get the login `proxy login` would have left,
# written beside the stub (auth.json, mode 0600, in a scratch XDG_CONFIG_HOME) with
# SWITCHBOARD_<PROVIDER>_API_BASE at the stub, and must not print the login's token.
#
# Environment (and those of tools/e2e-claude-code.sh: E2E_FORMATS, E2E_TIMEOUT, E2E_KEEP, CLAUDE_BIN,
# SWITCHBOARD_PROXY_BIN):
#   SWITCHBOARD_STUB_BIN    use this stub-upstream binary instead of `swift build --product stub-upstream`
#   E2E_CORPUS              folder of the Claude Code cassettes (default cassettes/claude-code)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/e2e-claude-code.sh"

CORPUS="${E2E_CORPUS:-$ROOT/cassettes/claude-code}"
# Where tools/corpus/record.py recorded; the replay must run anywhere else.
RECORDED_WORKDIR="/tmp/switchboard-corpus-work"
unset E2E_WORKDIR
# e2e-claude-code.sh variant -> cassette name (tools/corpus/record.py has the same table).
declare -A CASSETTES=(
    [openai]=openai-write [anthropic]=anthropic-write
    [openai+thinking]=openai-thinking-write [anthropic+thinking]=anthropic-thinking-write
    [openai+multi]=openai-write-read-bash [anthropic+multi]=anthropic-write-read-bash
    [codex+subscription]=codex-subscription-write [gemini+subscription]=gemini-subscription-write
    [antigravity+subscription]=antigravity-subscription-write
    [anthropic+subscription]=claude-code-subscription-write
)
# By default every variant the corpus holds.
[[ -n "${E2E_FORMATS:-}" ]] || FORMATS="openai anthropic openai+thinking anthropic+thinking openai+multi anthropic+multi
    anthropic+subscription codex+subscription gemini+subscription antigravity+subscription"
# The login an OAuth subscription's replay writes beside the stub: the account and project
# tools/e2e/fake_upstream.py issued when the recording logged in (they are in the recorded requests).
REPLAY_ACCOUNT="acct-fake-e2e"
REPLAY_PROJECT="fake-e2e-project"

stub_bin() {
    if [[ -n "${SWITCHBOARD_STUB_BIN:-}" ]]; then
        echo "$SWITCHBOARD_STUB_BIN"
        return
    fi
    log "building stub-upstream (swift build --product stub-upstream)"
    (cd "$ROOT" && swift build --product stub-upstream >&2) || return 1
    echo "$(cd "$ROOT" && swift build --show-bin-path)/stub-upstream"
}

# Returns 0 on pass. Prints the reason on failure.
replay_variant() { # variant
    local variant="$1" fmt="${1%%+*}" scratch t0 cassette
    cassette="$CORPUS/${CASSETTES[$variant]:-?}.jsonl.lz4"
    if [[ ! -f "$cassette" ]]; then
        echo "no cassette for $variant: $cassette (re-record with tools/record-corpus.sh)"
        return 1
    fi
    t0="$(now)"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-e2e-replay-$fmt.XXXXXX")"
    SCRATCHES+=("$scratch")
    local work home tools expected_text base_url claude_env=() oauth=0 callback
    local -x SUBSCRIPTION_MAIN=""
    work_and_home "$scratch" "$variant"
    variant_expectations "$variant"
    oauth_subscription "$fmt"
    # anthropic+subscription: Claude Code asks for the claude-code/ models, which the pasted Claude
    # token's login serves (as tools/e2e-claude-code.sh's run_format has it).
    local claude_subscription=0
    if [[ "$variant" == anthropic+subscription* ]]; then
        claude_subscription=1
        claude_env=(ANTHROPIC_MODEL=claude-code/claude-sonnet-4-5
            ANTHROPIC_SMALL_FAST_MODEL=claude-code/claude-haiku-4-5)
    fi

    if [[ "$work" == "$RECORDED_WORKDIR"* || "$home" == "$RECORDED_WORKDIR"* ]]; then
        echo "the replay must not run in the recorded folder $RECORDED_WORKDIR (work $work, home $home)"
        return 1
    fi
    # Antigravity's envelope carries a fresh requestId on every request (the proxy makes one, as its
    # client does), so the replay cannot send the recorded one.
    local stub_args=()
    [[ "$fmt" == antigravity ]] && stub_args+=(--ignore /requestId)
    "$STUB" --cassettes "$cassette" --speed 0 --port 0 "${stub_args[@]}" \
        >"$scratch/upstream.out" 2>"$scratch/upstream.log" &
    PIDS+=("$!")
    local i stub_port=""
    # Up to 60 s: on a loaded machine a process may take seconds to start.
    for ((i = 0; i < 600; i++)); do
        stub_port="$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$scratch/upstream.out" 2>/dev/null)"
        [[ -n "$stub_port" ]] && break
        sleep 0.1
    done
    if [[ -z "$stub_port" ]]; then
        echo "stub-upstream did not start"
        show_logs "$scratch"
        return 1
    fi
    # An OAuth subscription: a login as `proxy login` leaves it (auth.json, mode 0600, in a scratch
    # XDG_CONFIG_HOME), for the backend at the stub. No expiry, so the proxy never refreshes it.
    if ((oauth)); then
        local -x XDG_CONFIG_HOME="$scratch/xdg"
        local -x "SWITCHBOARD_${fmt^^}_API_BASE=$(oauth_api_base "$fmt" "$stub_port")"
        mkdir -p -m 700 "$XDG_CONFIG_HOME/switchboard"
        (umask 077 && printf '{"%s": {"access_token": "%s", "account": "%s", "project": "%s"}}\n' \
            "$fmt" "$BACKEND_TOKEN" "$REPLAY_ACCOUNT" "$REPLAY_PROJECT" >"$XDG_CONFIG_HOME/switchboard/auth.json")
    fi
    # The Claude subscription: the pasted token, as `proxy login --claude-code` stores it.
    if ((claude_subscription)); then
        local -x XDG_CONFIG_HOME="$scratch/xdg" SWITCHBOARD_CLAUDE_CODE_API_BASE="http://127.0.0.1:$stub_port"
        mkdir -p -m 700 "$XDG_CONFIG_HOME/switchboard"
        (umask 077 && printf '{"claude-code": {"access_token": "%s"}}\n' \
            "$SUBSCRIPTION_TOKEN" >"$XDG_CONFIG_HOME/switchboard/auth.json")
    fi
    if ! start_proxy "$scratch" "$fmt" "$stub_port"; then
        show_logs "$scratch"
        return 1
    fi

    local problems=()
    run_claude "$scratch" "$base_url" "$tools" "$expected_text"
    # Every request must have been answered from the recording, and every recorded request asked.
    local recorded hits misses
    recorded="$(sed -n 's|^stub-upstream: \([0-9]*\) recorded.*|\1|p' "$scratch/upstream.out")"
    hits="$(grep -c ' HIT ' "$scratch/upstream.log")"
    misses="$(grep -c ' MISS ' "$scratch/upstream.log")"
    ((misses > 0)) && problems+=("stub-upstream missed $misses request(s): $(grep ' MISS ' "$scratch/upstream.log" | head -3)")
    [[ "$hits" == "$recorded" ]] || problems+=("stub-upstream served $hits request(s), the cassette has $recorded")
    if ((oauth || claude_subscription)) && grep -qF -e "$BACKEND_TOKEN" -e "$SUBSCRIPTION_TOKEN" \
        "$scratch/proxy.log" "$scratch/upstream.log" "$scratch/upstream.out"; then
        problems+=("the login's token reached the proxy's or the stub's output")
    fi

    local took
    took="$(elapsed "$t0")"
    if ((${#problems[@]})); then
        printf '  - %s\n' "${problems[@]}"
        show_logs "$scratch"
        log "$variant: failed after $took s"
        return 1
    fi
    log "$variant: $hits requests replayed from $(basename "$cassette") in $work (HOME $home), Claude Code said: $(tr '\n' ' ' <"$scratch/claude.stdout" | cut -c1-100)"
    log "$variant: passed in $took s"
    return 0
}

replay_main() {
    local t0 passed=0 failed=0 variant
    t0="$(now)"
    CLAUDE="$(claude_bin)" || { echo "FAIL: could not install claude-agent-sdk==$SDK_VERSION"; echo "0 passed, 1 failed"; exit 1; }
    PROXY="$(proxy_bin)" || { echo "FAIL: could not build the proxy"; echo "0 passed, 1 failed"; exit 1; }
    STUB="$(stub_bin)" || { echo "FAIL: could not build stub-upstream"; echo "0 passed, 1 failed"; exit 1; }
    log "Claude Code $("$CLAUDE" --version 2>/dev/null), proxy $PROXY, stub $STUB, corpus $CORPUS"
    for variant in $FORMATS; do
        run_reported "e2e claude-code replay ($variant cassette)" replay_variant "$variant"
    done
    log "total $(elapsed "$t0") s"
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

replay_main "$@"

#!/usr/bin/env bash
# Re-records the regression corpus, cassettes/, from scratch: offline, through the real
# `proxy serve --record`, one cassette per scenario (cassettes/README.md lists them). Builds the
# binaries (debug) unless SWITCHBOARD_PROXY_BIN is set, then runs tools/corpus/record.py, which
# records into a scratch folder, checks the new cassettes with `log-replay verify` and by replaying
# Claude Code against them, and only then replaces cassettes/.
#
#   tools/record-corpus.sh                                  # everything (~1-2 min)
#   tools/record-corpus.sh --only errors/ --only providers/gemini   # some cassettes only
#   tools/record-corpus.sh --list                           # what it records
#
# Needs the shared fixtures (shared/fixtures next to the repository, or SWITCHBOARD_FIXTURES), and
# pip access the first time (claude-agent-sdk and anthropic, as the end-to-end scripts install them,
# into .venv, which tools/setup.sh makes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh >&2
if [[ -z "${SWITCHBOARD_PROXY_BIN:-}" ]]; then
    swift build >&2
fi
BIN="$(swift build --show-bin-path)"
exec .venv/bin/python tools/corpus/record.py --proxy-bin "${SWITCHBOARD_PROXY_BIN:-$BIN/proxy}" \
    --log-replay-bin "$BIN/log-replay" --stub-bin "$BIN/stub-upstream" "$@"

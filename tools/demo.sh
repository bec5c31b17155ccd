#!/usr/bin/env bash
# The README's "run" command: builds the proxy and starts its built-in demo,
# which needs no config, no keys and no network. It prints the
# ANTHROPIC_BASE_URL line, a curl example and how to run Claude Code against it.
# Arguments go to `proxy serve --demo`: --port N, --demo-speed N (0: no delays),
# --record DIR, --log-level LEVEL...
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo itself needs only liblz4 from it; an offline machine that already
# has that can still build.
bash tools/setup.sh --no-venv || echo "demo: tools/setup.sh failed; building anyway" >&2
swift build --product proxy
exec "$(swift build --show-bin-path)/proxy" serve --demo "$@"

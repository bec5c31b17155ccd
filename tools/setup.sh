#!/usr/bin/env bash
# One-time machine set-up: the C library and command-line tools the build and
# the tests use, and .venv, the Python virtual environment the test clients
# (the SDKs, Claude Code's agent SDK, prometheus_client) are installed into.
# Safe to run again.
#
# The virtual environment is needed where python3 is Debian's own: it has no
# pip and refuses installs (PEP 668, "externally managed"). It is made with
# --system-site-packages, so packages the interpreter already has (a pyenv
# python with the SDKs installed) are used as they are, and only what is
# missing is installed into .venv. tools/test.sh and the e2e scripts run it as
# $PYTHON. SWITCHBOARD_PYTHON picks the interpreter it is made from (default
# python3). `--no-venv` skips it, for scripts that run no test client (demo.sh,
# install.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv"
BASE_PYTHON="${SWITCHBOARD_PYTHON:-python3}"
WANT_VENV=1
[[ "${1:-}" == --no-venv ]] && WANT_VENV=0

apt_install() {
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

need=()
dpkg -s liblz4-dev >/dev/null 2>&1 || need+=(liblz4-dev)
command -v lz4 >/dev/null 2>&1 || need+=(lz4)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v jq >/dev/null 2>&1 || need+=(jq)
((WANT_VENV)) && ! command -v "$BASE_PYTHON" >/dev/null 2>&1 && need+=(python3 python3-venv)
# GNU time: `time -v` reports the maximum RSS for the streaming-memory step.
[[ -x /usr/bin/time ]] || need+=(time)
if ((${#need[@]})); then
    apt_install "${need[@]}"
fi

venv_works() { [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }
make_venv() {
    rm -rf "$VENV"
    "$BASE_PYTHON" -m venv --system-site-packages "$VENV" && venv_works
}
if ((WANT_VENV)) && ! venv_works; then
    echo "setup: making the test clients' Python environment $VENV from $(command -v "$BASE_PYTHON")" >&2
    if ! make_venv; then
        # Debian's python3 makes a venv only with python3-venv (ensurepip's wheels).
        echo "setup: $BASE_PYTHON -m venv failed; installing python3-venv and trying again" >&2
        apt_install python3-venv
        make_venv || {
            echo "setup: could not make $VENV with $BASE_PYTHON -m venv (see above)" >&2
            exit 1
        }
    fi
fi

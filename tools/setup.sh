#!/usr/bin/env bash
# One-time machine set-up: the C library and command-line tools the build and
# the tests use. Safe to run again.
set -euo pipefail
need=()
dpkg -s liblz4-dev >/dev/null 2>&1 || need+=(liblz4-dev)
command -v lz4 >/dev/null 2>&1 || need+=(lz4)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v jq >/dev/null 2>&1 || need+=(jq)
# GNU time: `time -v` reports the maximum RSS for the streaming-memory step.
[[ -x /usr/bin/time ]] || need+=(time)
if ((${#need[@]})); then
    SUDO=""
    [[ $(id -u) == 0 ]] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

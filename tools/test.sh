#!/usr/bin/env bash
# The whole test suite: unit and server tests, then the end-to-end runs with
# real clients. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build

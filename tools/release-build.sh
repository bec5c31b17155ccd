#!/usr/bin/env bash
# Builds release binaries the way users get them, and prints the directory they are in.
# tools/install.sh installs these and tools/bench.sh measures them, so what is measured is what
# users run; build a baseline for a side-by-side bench with it too.
#
#   tools/release-build.sh proxy [log-replay stub-upstream ...]
#
# - `--static-swift-stdlib`: the Swift runtime and Foundation linked in, so the commands run on a
#   machine without the Swift toolchain; the proxy spends 2.6 to 3.0% fewer instructions a
#   request (no calls through the dynamic loader's tables for the runtime's thread-locals and
#   functions) and idles in 3 MB less memory.
# - `-enforce-exclusivity=unchecked`, for every module (SwiftNIO's and Hummingbird's too): no
#   run-time checks of exclusive access, which cost 6.6 to 8.1% of a small or streamed request's
#   instructions (`swift_beginAccess` on every `ByteBuffer` write, channel state, event loop
#   tick). The compiler still rejects every conflicting access it can see. One it cannot see
#   (through a class property, a global, an escaping closure's capture) is undefined behaviour in
#   this build instead of a trap; debug builds, which the test suite, the end-to-end runs and
#   tools/sanitizers.sh use, keep the run-time checks, so one on a path those runs reach traps
#   there.
# Other release builds (relay-floor, convert-bench, log-replay for tools/corpus/bench.py) come
# from here too, so that two builds compared side by side differ only in their code; a plain
# `swift build -c release` writes the same folder with other flags and rebuilds every module.
set -euo pipefail
cd "$(dirname "$0")/.."
(($# > 0)) || { echo "usage: $0 PRODUCT..." >&2; exit 2; }
flags=(-c release --static-swift-stdlib -Xswiftc -enforce-exclusivity=unchecked)
for product in "$@"; do
    swift build "${flags[@]}" --product "$product" >&2
done
swift build "${flags[@]}" --show-bin-path

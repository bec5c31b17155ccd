#!/usr/bin/env python3
"""Replay-side numbers for the corpus, for cassettes/README.md:

- `log-replay verify cassettes/`: exchanges per second and MB of decompressed cassette per second
  (median of --runs, wall clock and CPU time);
- the corpus on disk: bytes per exchange, and LZ4 against plain JSONL, per Claude Code cassette;
- `stub-upstream --speed 0`: requests per second with wrk (--threads, --connections, --seconds)
  replaying one recorded non-streaming exchange on loopback.

    python3 tools/corpus/bench.py --bin "$(tools/release-build.sh log-replay stub-upstream)"
    python3 tools/corpus/bench.py --bin .build/debug --runs 3

Standard library, plus Debian's `lz4` and `wrk`. Two shared cores run wrk and the stub together:
compare numbers from one machine and one load.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASSETTES = os.path.join(ROOT, "cassettes")
# A recorded non-streaming exchange whose upstream request wrk sends again and again.
STUB_CASSETTE = "providers/openai-chat/openai-text.body.jsonl.lz4"


def jsonl(path: str) -> bytes:
    return subprocess.run(["lz4", "-dc", path], check=True, capture_output=True).stdout


def corpus_files() -> list[str]:
    return sorted(glob.glob(os.path.join(CASSETTES, "**", "*.jsonl.lz4"), recursive=True))


def verify_rate(bin_dir: str, runs: int, copies: int) -> None:
    """verify over `copies` copies of the corpus in one process, so reading and converting dominate
    rather than the process start (~40 ms)."""
    plain = sum(len(jsonl(path)) for path in corpus_files()) * copies
    scratch = tempfile.mkdtemp(prefix="switchboard-bench-corpus.")
    for copy in range(copies):
        shutil.copytree(CASSETTES, os.path.join(scratch, f"copy{copy}"))
    walls, cpus, summary = [], [], ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run([os.path.join(bin_dir, "log-replay"), "verify", scratch], capture_output=True,
                                text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        summary = result.stdout.strip().splitlines()[-1]
        if result.returncode != 0:
            sys.exit(f"verify failed: {result.stdout[-2000:]}")
    shutil.rmtree(scratch, ignore_errors=True)
    exchanges = int(summary.split()[0])
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"verify ({bin_dir}) over {copies} copies of the corpus: {summary}; {len(corpus_files()) * copies} files, "
          f"{plain / 1e6:.1f} MB of JSONL")
    print(f"  median of {runs}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (process start and reading included)")
    print(f"  {exchanges / wall:,.0f} exchanges/s and {plain / 1e6 / wall:.1f} MB/s by wall clock; "
          f"{exchanges / cpu:,.0f} exchanges/s and {plain / 1e6 / cpu:.1f} MB/s by CPU time")


def sizes(bin_dir: str) -> None:
    """Bytes on disk against two plain JSONL forms: the file decompressed (repeated request-body parts
    already stored once, as blob lines) and `log-replay -o jsonl` (every body whole again, which is what a
    recorder without blobs or compression writes)."""
    total_disk = total_plain = total_whole = total_exchanges = 0
    for path in corpus_files():
        data = jsonl(path)
        whole = subprocess.run([os.path.join(bin_dir, "log-replay"), "-o", "jsonl", path], check=True,
                               capture_output=True).stdout
        lines = [json.loads(line) for line in data.splitlines()]
        exchanges = {line["x"] for line in lines if "x" in line}
        turns = {line["x"] for line in lines
                 if line["kind"] == "client_request" and line.get("path", "").endswith("/v1/messages")}
        disk = os.path.getsize(path)
        total_disk, total_plain, total_whole = total_disk + disk, total_plain + len(data), total_whole + len(whole)
        total_exchanges += len(exchanges)
        if "/claude-code/" in path:
            print(f"  {os.path.relpath(path, CASSETTES):45s} {disk:7,d} B on disk; JSONL {len(data):7,d} B with blobs "
                  f"(x{len(data) / disk:.2f}), {len(whole):7,d} B whole (x{len(whole) / disk:.2f}); "
                  f"{len(turns)} /v1/messages turns: {disk / len(turns):,.0f} B per turn")
    print(f"  corpus: {total_disk:,d} B on disk; JSONL {total_plain:,d} B with blobs (x{total_plain / total_disk:.2f}), "
          f"{total_whole:,d} B whole (x{total_whole / total_disk:.2f}); {total_exchanges} exchanges, "
          f"{total_disk / total_exchanges:,.0f} B per exchange")


def stub_rate(bin_dir: str, threads: int, connections: int, seconds: int) -> None:
    cassette = os.path.join(CASSETTES, STUB_CASSETTE)
    request = next(json.loads(line) for line in jsonl(cassette).splitlines() if b'"upstream_request"' in line)
    path = re.sub(r"^https?://[^/]+", "", request["url"])
    scratch = tempfile.mkdtemp(prefix="switchboard-bench-corpus.")
    body_file = os.path.join(scratch, "body.json")
    with open(body_file, "w", encoding="utf-8") as handle:
        json.dump(request["body"], handle, ensure_ascii=False, separators=(",", ":"))
    script = os.path.join(scratch, "post.lua")
    with open(script, "w") as handle:
        handle.write(f'wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n'
                     f'local f = io.open("{body_file}", "rb")\nwrk.body = f:read("*a")\nf:close()\n')
    stub = subprocess.Popen([os.path.join(bin_dir, "stub-upstream"), "--cassettes", cassette, "--speed", "0",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = stub.stdout.readline()
        port = int(line.rsplit(":", 1)[1])
        url = f"http://127.0.0.1:{port}{path}"
        check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                "content-type: application/json", "--data-binary", f"@{body_file}", url],
                               capture_output=True, text=True)
        if check.stdout != "200":
            sys.exit(f"the stub answered {check.stdout}, not 200, to the recorded request")
        result = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "-s", script,
                                 "--latency", url], capture_output=True, text=True, check=True)
        rate = re.search(r"Requests/sec:\s*([\d.]+)", result.stdout).group(1)
        latency = re.search(r"^\s+50%\s+(\S+)", result.stdout, re.M).group(1)
        p99 = re.search(r"^\s+99%\s+(\S+)", result.stdout, re.M).group(1)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", result.stdout)
        print(f"stub-upstream --speed 0 ({bin_dir}), {STUB_CASSETTE} ({os.path.getsize(body_file)} B request):")
        print(f"  wrk -t{threads} -c{connections} -d{seconds}s: {float(rate):,.0f} requests/s, p50 {latency}, p99 {p99}"
              + (f"; {errors.group(0)}" if errors else ""))
    finally:
        stub.terminate()
        stub.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10, help="copies of the corpus verify reads in one run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    verify_rate(args.bin, args.runs, args.copies)
    print("sizes:")
    sizes(args.bin)
    stub_rate(args.bin, args.threads, args.connections, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

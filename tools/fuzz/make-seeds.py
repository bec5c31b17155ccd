#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora, one folder per target, from the shared
fixtures (real provider streams and answers, real Claude Code requests), the
cassettes/ corpus and the hand-written seeds in tools/fuzz/seeds/.

    tools/fuzz/make-seeds.py OUT_DIR [FIXTURES_DIR]

Each seed starts with the header bytes its target reads (see the target's
Swift file): slice sizes for sse, cassette and stream; an option byte for
request; a dialect byte for stream. FIXTURES_DIR defaults to
$SWITCHBOARD_FIXTURES, else ../shared/fixtures beside the repository.
"""

import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Dialect.allCases order: the stream target's dialect byte indexes it.
DIALECTS = ["anthropic", "openai", "openai-responses", "gemini"]
FOLDER_DIALECT = {"anthropic": "anthropic", "openai-chat": "openai", "openai-responses": "openai-responses",
                  "gemini": "gemini"}
SLICES = bytes([4, 0, 12])  # slices of 5, 1 and 13 bytes


def write(out, target, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as file:
        file.write(data)


def sse(payloads, folder):
    """Chunk payloads framed as their provider sends them (the providers folder's README)."""
    framed = b""
    for payload in payloads:
        if folder in ("anthropic", "openai-responses"):
            try:
                framed += b"event: " + json.loads(payload)["type"].encode() + b"\n"
            except (ValueError, KeyError, TypeError):
                pass
        framed += b"data: " + payload.encode() + b"\n\n"
    if folder == "openai-chat":
        framed += b"data: [DONE]\n\n"
    return framed


def stream_seeds(out, upstream, body):
    """The upstream's stream for every client dialect; an OpenAI client also with usage asked for."""
    for client_index, client in enumerate(DIALECTS):
        options = DIALECTS.index(upstream) | client_index << 2
        write(out, "stream", bytes([options]) + SLICES + body)
        if client == "openai":
            write(out, "stream", bytes([options | 0x10]) + SLICES + body)


def cassette_lines(path):
    data = open(path, "rb").read()
    if path.endswith(".lz4"):
        data = subprocess.run(["lz4", "-dc", path], check=True, capture_output=True).stdout
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    fixtures = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("SWITCHBOARD_FIXTURES") or os.path.join(
        os.path.dirname(ROOT), "shared", "fixtures")
    providers = os.path.join(fixtures, "providers")
    if not os.path.isdir(providers):
        sys.exit(f"no providers/ in {fixtures}: set SWITCHBOARD_FIXTURES to the shared fixtures folder")

    for folder, upstream in FOLDER_DIALECT.items():
        directory = os.path.join(providers, folder)
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            text = open(path, encoding="utf-8").read()
            if name.endswith(".chunks.txt"):
                payloads = [line for line in text.splitlines() if line.strip()]
                body = sse(payloads, folder)
                write(out, "sse", SLICES + body)
                stream_seeds(out, upstream, body)
                for payload in payloads[:3]:
                    write(out, "json", payload.encode())
            elif name.endswith(".json"):
                write(out, "json", text.encode())
                write(out, "request", b"\x00" + text.encode())

    claude_code = os.path.join(fixtures, "claude-code")
    for name in sorted(os.listdir(claude_code)):
        for line in open(os.path.join(claude_code, name), encoding="utf-8"):
            if line.strip():
                body = json.dumps(json.loads(line)["body"]).encode()
                write(out, "request", b"\x00" + body)
                write(out, "request", b"\x0f" + body)

    for directory, _, names in os.walk(os.path.join(ROOT, "cassettes")):
        for name in sorted(names):
            if not name.endswith((".jsonl", ".jsonl.lz4")):
                continue
            path = os.path.join(directory, name)
            write(out, "cassette", SLICES + open(path, "rb").read())
            chunks, upstream = {}, {}
            for line in cassette_lines(path):
                exchange = line.get("x")
                if line.get("kind") == "client_request" and isinstance(line.get("body"), (dict, list)):
                    write(out, "request", b"\x00" + json.dumps(line["body"]).encode())
                elif line.get("kind") == "route":
                    upstream[exchange] = line.get("options", {}).get("format")
                elif line.get("kind") == "upstream_chunk":
                    chunks[exchange] = chunks.get(exchange, "") + line.get("text", "")
            for exchange, text in chunks.items():
                if upstream.get(exchange) in DIALECTS:
                    stream_seeds(out, upstream[exchange], text.encode())

    hand = os.path.join(ROOT, "tools", "fuzz", "seeds")
    for target in sorted(os.listdir(hand)):
        for name in sorted(os.listdir(os.path.join(hand, target))):
            write(out, target, open(os.path.join(hand, target, name), "rb").read())

    for target in sorted(os.listdir(out)):
        print(f"{target}: {len(os.listdir(os.path.join(out, target)))} seeds")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Re-records cassettes/demo.jsonl, the answer `proxy serve --demo` replays, and
# regenerates Sources/Replay/Demo/DemoCassette+Text.swift, the same text built
# into the binary (a test keeps the two equal).
#
# The upstream is a scripted OpenAI-compatible provider (the python3 below):
# it streams a friendly answer about Switchboard in small chunks at a
# realistic pace, usage in a final chunk, and answers the non-streaming
# request in one JSON body. The requests are the demo banner's curl example,
# streamed and not, sent through the real `proxy serve --record` with the demo's
# route (see Sources/Proxy/Config/DemoConfig.swift), so the recording is what the
# proxy really saw and sent on both sides. Needs python3, curl and lz4.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product proxy
proxy_bin=$(swift build --product proxy --show-bin-path)/proxy

work=$(mktemp -d)
upstream_pid=""
proxy_pid=""
cleanup() {
    [[ -n $proxy_pid ]] && kill "$proxy_pid" 2>/dev/null || true
    [[ -n $upstream_pid ]] && kill "$upstream_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Waits up to 20 s for a file to hold a line matching a pattern; prints it.
wait_for_line() {
    local file=$1 pattern=$2
    for _ in $(seq 200); do
        if grep -m1 -E "$pattern" "$file" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for /$pattern/ in $file:" >&2
    cat "$file" >&2 || true
    return 1
}

python3 - "$work/upstream.port" >"$work/upstream.log" 2>&1 <<'PY' &
import json, random, re, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "switchboard-demo"
KEY = "sk-switchboard-demo"
CREATED = 1767225600  # 2026-01-01T00:00:00Z, fixed so re-recordings differ only in timing

STREAMED = """Hello from Switchboard! This answer comes from the built-in demo: a recorded reply, \
replayed offline, so no provider, key or network was needed (whatever you ask, you get this one).

Switchboard is a native proxy, written in Swift, that lets Claude Code and other clients of the \
Anthropic, OpenAI or Gemini APIs use any provider. On the way to you:

1. Your request arrived in Anthropic Messages format.
2. Switchboard converted it to OpenAI Chat Completions and sent it upstream.
3. The upstream was `stub-upstream`, replaying a cassette recorded through `proxy serve --record`.
4. Each chunk was converted back into Anthropic stream events as it arrived, with no buffering.

Next steps:
- `proxy serve` runs the real thing; add your providers to ~/.config/switchboard/models.yaml.
- `proxy serve --record DIR` records every exchange, and `log-replay DIR` lists them.
- `log-replay verify cassettes/` replays recordings through today's converters."""

WHOLE = """Hello from Switchboard's built-in demo! This is a recorded reply, replayed offline: \
Switchboard converted your Anthropic request to OpenAI Chat Completions, a stub upstream answered \
from a cassette, and the answer was converted back. Run `proxy serve` and add a provider to \
~/.config/switchboard/models.yaml to talk to a real model."""


def pieces(text):
    """Word-sized pieces, each with the whitespace before it, as a tokenizer streams them."""
    return re.findall(r"\s*\S+", text)


def prompt_tokens(request):
    return max(1, len(json.dumps(request.get("messages", []))) // 4)


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("upstream: " + (format % args) + "\n")

    def head(self, status, headers):
        # send_response_only: no Server or Date header from python in the recording.
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path != "/v1/chat/completions":
            return self.json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
        if self.headers.get("authorization") != "Bearer " + KEY:
            return self.json(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}})
        request = json.loads(body)
        if request.get("stream"):
            self.stream(request)
        else:
            self.whole(request)

    def json(self, status, value, request_id="req_demo_error"):
        data = json.dumps(value, separators=(",", ":")).encode()
        self.head(status, [("content-type", "application/json"), ("content-length", str(len(data))),
                           ("x-request-id", request_id)])
        self.wfile.write(data)

    def whole(self, request):
        time.sleep(0.9)  # a model thinking before it answers
        completion = len(pieces(WHOLE))
        prompt = prompt_tokens(request)
        self.json(200, {
            "id": "chatcmpl-demo0002", "object": "chat.completion", "created": CREATED, "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": WHOLE, "refusal": None},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
            "system_fingerprint": "fp_demo",
        }, request_id="req_demo_whole")

    def stream(self, request):
        self.head(200, [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache"),
                        ("transfer-encoding", "chunked"), ("x-request-id", "req_demo_stream")])

        def send(payload):
            data = b"data: " + (payload if isinstance(payload, bytes) else
                                json.dumps(payload, separators=(",", ":")).encode()) + b"\n\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def chunk(delta, finish=None):
            return {"id": "chatcmpl-demo0001", "object": "chat.completion.chunk", "created": CREATED,
                    "model": MODEL, "system_fingerprint": "fp_demo",
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

        jitter = random.Random(4)
        time.sleep(0.35)  # time to first token
        send(chunk({"role": "assistant", "content": "", "refusal": None}))
        words = pieces(STREAMED)
        for word in words:
            time.sleep(jitter.uniform(0.015, 0.045))
            send(chunk({"content": word}))
        send(chunk({}, finish="stop"))
        if (request.get("stream_options") or {}).get("include_usage"):
            prompt = prompt_tokens(request)
            usage = chunk({})
            usage["choices"] = []
            usage["usage"] = {"prompt_tokens": prompt, "completion_tokens": len(words),
                              "total_tokens": prompt + len(words)}
            send(usage)
        send(b"[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
upstream_pid=$!
for _ in $(seq 100); do [[ -s $work/upstream.port ]] && break; sleep 0.1; done
upstream_port=$(cat "$work/upstream.port")

# The demo's route (DemoConfig), pointed at the scripted upstream.
cat >"$work/models.yaml" <<YAML
default: demo
models:
  - model_id: demo
    model_name: switchboard-demo
    api_base: http://127.0.0.1:$upstream_port/v1
    format: openai
    api_key: sk-switchboard-demo
    context: 128000
YAML

"$proxy_bin" serve --config "$work/models.yaml" --port 0 --record "$work/cassette" \
    >"$work/proxy.out" 2>"$work/proxy.err" &
proxy_pid=$!
base_url=$(wait_for_line "$work/proxy.out" '^ANTHROPIC_BASE_URL=')
base_url=${base_url#ANTHROPIC_BASE_URL=}

# The demo banner's curl example, streamed and not.
prompt='What is Switchboard?'
for stream in true false; do
    curl -sS -N --fail-with-body "$base_url/v1/messages" -H 'content-type: application/json' \
        -d "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":\"$prompt\"}]}" \
        >"$work/answer-$stream.txt"
done
grep -q 'event: message_stop' "$work/answer-true.txt"
grep -q '"stop_reason":"end_turn"' "$work/answer-false.txt"

kill -INT "$proxy_pid"
wait "$proxy_pid"
proxy_pid=""

files=("$work"/cassette/*.jsonl.lz4)
if ((${#files[@]} != 1)); then
    echo "expected one cassette, got: ${files[*]}" >&2
    exit 1
fi
mkdir -p cassettes
lz4 -dc "${files[0]}" >cassettes/demo.jsonl

swift_file=Sources/Replay/Demo/DemoCassette+Text.swift
# The text goes in a ##"""...""" raw string; it must not close it early or
# hold an escape for it.
if grep -qF -e '"""##' -e '\##' cassettes/demo.jsonl; then
    echo "cassettes/demo.jsonl holds a raw-string delimiter; raise the # count in $0" >&2
    exit 1
fi
{
    echo '// Generated by tools/make-demo-cassette.sh from cassettes/demo.jsonl. Do not edit; re-run the script.'
    echo '// swift-format-ignore-file'
    echo
    echo 'extension DemoCassette {'
    echo '    /// The text of `cassettes/demo.jsonl`.'
    echo '    public static let text = ##"""'
    cat cassettes/demo.jsonl
    echo
    echo '"""##'
    echo '}'
} >"$swift_file"
echo "Recorded $(wc -l <cassettes/demo.jsonl) lines to cassettes/demo.jsonl and regenerated $swift_file"

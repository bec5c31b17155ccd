#!/usr/bin/env python3
"""A fake provider that replays recorded provider bytes, for recording the cassettes/ corpus.

    fixture_upstream.py --fixture shared/fixtures/providers/openai-chat/deepseek-text.chunks.txt --port-file F
    fixture_upstream.py --status 429 --header 'retry-after: 7' --body '{"error": {...}}' --port-file F

Every POST, whatever its path, gets the next reply in order (the last one again once they run out):
- a `*.chunks.txt` fixture is one streamed reply, framed as its folder's README says (openai-chat:
  `data: ` lines and a final `data: [DONE]`; anthropic and openai-responses: `event: <type>` too;
  gemini: `data: ` lines only), one HTTP chunk per frame, `--gap-ms` apart. A file holding several
  responses in a row (openai-responses, one `response.created` each; or, in hand-written files,
  separated by a `--- next response ---` line) is one reply per response;
- a `*.json` fixture is one JSON body, with `--status` (default 200);
- `--body TEXT` is one reply with that body, `--status` and `--header`s, for error answers;
- `--cut-after N` closes the connection after N frames of a stream, without ending the body (an
  upstream dying mid-stream); `--end-after N` ends the body cleanly after N frames (an upstream that
  stops before finishing its message); `--stall-after N` sends N frames of a stream and then nothing,
  the connection kept open until the client closes it (with N = 0, or for a body, not even the head:
  an upstream still thinking when the proxy is stopped).

Standard library only; binds 127.0.0.1, prints `PORT n` and writes `--port-file`. No `Date` or
`Server` header, so a recording of the same fixture is the same every time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


# In a hand-written chunks file (tools/corpus/streams/), a line between two responses.
NEXT_RESPONSE = "--- next response ---"


def frames(path: str) -> list[list[bytes]]:
    """A chunks file as replies, each a list of SSE frames."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    with open(path, encoding="utf-8") as handle:
        payloads = [line.strip() for line in handle if line.strip()]
    replies: list[list[bytes]] = [[]]
    for payload in payloads:
        kind = event_type(payload)
        if payload == NEXT_RESPONSE or (folder == "openai-responses" and kind == "response.created"):
            if replies[-1]:
                replies.append([])
            if payload == NEXT_RESPONSE:
                continue
        head = f"event: {kind}\n" if folder in ("anthropic", "openai-responses") and kind else ""
        replies[-1].append(f"{head}data: {payload}\n\n".encode("utf-8"))
    if folder == "openai-chat":
        for reply in replies:
            reply.append(b"data: [DONE]\n\n")
    return replies


def event_type(payload: str) -> str | None:
    try:
        value = json.loads(payload)
    except ValueError:
        return None
    return value.get("type") if isinstance(value, dict) else None


class Reply:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes | None = None,
                 stream: list[bytes] | None = None):
        self.status, self.headers, self.body, self.stream = status, headers, body, stream


def replies_from(args) -> list[Reply]:
    extra = [tuple(part.strip() for part in header.split(":", 1)) for header in args.header]
    if args.body is not None:
        return [Reply(args.status, [("content-type", "application/json")] + extra, body=args.body.encode("utf-8"))]
    if args.fixture.endswith(".json"):
        with open(args.fixture, "rb") as handle:
            body = handle.read()
        return [Reply(args.status, [("content-type", "application/json")] + extra, body=body)]
    stream_headers = [("content-type", "text/event-stream"), ("cache-control", "no-cache")] + extra
    return [Reply(200, stream_headers, stream=stream) for stream in frames(args.fixture)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "FixtureServer"

    def log_message(self, format, *args):  # noqa: A002 -- the base class's name
        pass

    def do_GET(self):  # health checks
        self.send_body(Reply(200, [("content-type", "application/json")], body=b'{"ok":true}'))

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        reply = self.server.next_reply()
        stall = self.server.args.stall_after
        if stall is not None and (stall == 0 or reply.stream is None):
            self.wait_for_close()
            return
        if reply.stream is None:
            self.send_body(reply)
            return
        self.send_response_only(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        limit = self.server.args.cut_after or self.server.args.end_after or stall or len(reply.stream)
        for frame in reply.stream[:limit]:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
            self.wfile.flush()
            time.sleep(self.server.args.gap_ms / 1000)
        if stall:
            self.wait_for_close()
            return
        if self.server.args.cut_after:
            # No terminating chunk: the client sees the connection drop mid-body.
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def wait_for_close(self):
        """Sends nothing more, and holds the connection until the client closes it."""
        self.close_connection = True
        while self.rfile.read1(4096):
            pass

    def send_body(self, reply: Reply):
        self.send_response_only(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, args):
        super().__init__((args.host, args.port), Handler)
        self.args = args
        self.replies = replies_from(args)
        self.served = 0
        self.lock = threading.Lock()

    def next_reply(self) -> Reply:
        with self.lock:
            reply = self.replies[min(self.served, len(self.replies) - 1)]
            self.served += 1
            return reply


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--fixture", help="a providers/<folder>/*.chunks.txt or *.json file")
    source.add_argument("--body", help="answer every request with this body")
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--header", action="append", default=[], help="'name: value', added to every reply")
    parser.add_argument("--cut-after", type=int, default=0, help="drop the connection after N stream frames")
    parser.add_argument("--end-after", type=int, default=0, help="end the stream cleanly after N frames")
    parser.add_argument("--stall-after", type=int, default=None,
                        help="send N stream frames, then nothing until the client closes (0, or a body: no head)")
    parser.add_argument("--gap-ms", type=float, default=1.0, help="pause after each stream frame")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    server = FixtureServer(args)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(f"{port}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"PORT {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

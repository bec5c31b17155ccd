#!/usr/bin/env python3
"""Re-records the regression corpus, cassettes/, from scratch: offline, through the real `proxy
serve --record`, one cassette per scenario. tools/record-corpus.sh builds the binaries and runs this.

    python3 tools/corpus/record.py --proxy-bin .build/debug/proxy --log-replay-bin .build/debug/log-replay
    python3 tools/corpus/record.py ... --only providers/gemini --only errors/   # re-record some only
    python3 tools/corpus/record.py --list                                       # the scenarios

Groups (cassettes/README.md says what each cassette holds):
  claude-code/  the real Claude Code CLI (tools/e2e-claude-code.sh with E2E_RECORD_DIR), fixed paths
  sdk/          the official anthropic Python SDK (tools/e2e/sdk_clients.py --record-dir)
  providers/    every stream and body in shared/fixtures/providers/, replayed by
                tools/corpus/fixture_upstream.py behind a route of the fixture's format
  synthetic/    the same for the hand-written streams in tools/corpus/streams/ (shapes the real
                fixtures lack, such as OpenAI Chat parallel tool calls)
  dialects/     OpenAI Chat, Responses and Gemini clients against every upstream format, streamed
                and not, each upstream answering with its recorded tool call
  errors/       upstream 429/529, connection refused, a stream cut or ended early, the proxy stopped
                mid-exchange, bad client requests

Everything is recorded into a scratch folder first and checked with `log-replay verify`; cassettes/
changes only when every scenario passed and verify found no difference.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "e2e"))

import anthropic_client as client  # noqa: E402
import fixture_upstream  # noqa: E402
from models_yaml import models_yaml  # noqa: E402

CASSETTES = os.path.join(ROOT, "cassettes")
# Claude Code's traffic names its working directory (the Write path, the system prompt) and HOME;
# fixed paths make it the same on every recording (stub-upstream replays it from any other folder,
# see the README).
CLAUDE_CODE_WORKDIR = "/tmp/switchboard-corpus-work"
# e2e-claude-code.sh variant -> cassette. tools/e2e-claude-code-replay.sh reads the same names.
CLAUDE_CODE_VARIANTS = {
    "openai": "claude-code/openai-write",
    "anthropic": "claude-code/anthropic-write",
    "openai+thinking": "claude-code/openai-thinking-write",
    "anthropic+thinking": "claude-code/anthropic-thinking-write",
    "openai+multi": "claude-code/openai-write-read-bash",
    "anthropic+multi": "claude-code/anthropic-write-read-bash",
    # Subscriptions: a pasted Claude token (`proxy login --claude-code`), or logged in with
    # `proxy login --PROVIDER` to the fake upstream as the provider's OAuth server and backend (the
    # token is redacted in the cassette; the replay writes a login).
    "anthropic+subscription": "claude-code/claude-code-subscription-write",
    "codex+subscription": "claude-code/codex-subscription-write",
    "gemini+subscription": "claude-code/gemini-subscription-write",
    "antigravity+subscription": "claude-code/antigravity-subscription-write",
}
SDK_FORMATS = {"openai": "sdk/anthropic-python-openai-upstream", "anthropic": "sdk/anthropic-python-anthropic-upstream"}
# providers/ folder -> the route `format` that speaks it.
FOLDER_FORMATS = {"openai-chat": "openai", "anthropic": "anthropic", "gemini": "gemini",
                  "openai-responses": "openai-responses"}
# JSON fixtures that are error bodies, with the status their provider sends them with.
ERROR_BODY_STATUS = {"google-429-retry-info.json": 429, "openai-error.1.json": 429}
UPSTREAM_KEY = "sk-corpus-upstream-key"


def log(message: str) -> None:
    print(f"[corpus] {message}", file=sys.stderr, flush=True)


def fixtures_root() -> str:
    """As Sources/TestSupport/Fixtures.swift looks for it."""
    candidates = [os.environ.get("SWITCHBOARD_FIXTURES", ""), os.path.join(os.path.dirname(ROOT), "shared/fixtures"),
                  os.path.join(ROOT, "fixtures"), os.path.join(ROOT, "shared/fixtures")]
    for candidate in candidates:
        if candidate and os.path.isdir(os.path.join(candidate, "providers")):
            return candidate
    raise SystemExit(f"fixtures not found in {candidates}; set SWITCHBOARD_FIXTURES")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------------------------------------
# One scenario: fake upstreams, a proxy with one route per upstream recording to its own folder,
# and a client.


@dataclass
class Route:
    model_id: str
    fmt: str
    # fixture_upstream.py arguments; None: nothing listens at the route's address (refused).
    upstream: list[str] | None
    model_name: str = "corpus-upstream-model"


@dataclass
class Scenario:
    cassette: str  # path under cassettes/, without .jsonl.lz4
    routes: list[Route]
    # Sends the requests; gets the proxy's base URL, returns problems (empty: passed).
    drive: Callable[[str], list[str]]
    # Gets the proxy's process as well, after the base URL (to signal it).
    drives_proxy: bool = False


def api_base(fmt: str, port: int) -> str:
    suffix = {"openai": "/v1", "openai-responses": "/v1", "gemini": "/v1beta"}.get(fmt, "")
    return f"http://127.0.0.1:{port}{suffix}"


class Stack:
    """The processes of one scenario, stopped in reverse order."""

    def __init__(self, scratch: str):
        self.scratch = scratch
        self.processes: list[tuple[subprocess.Popen, str]] = []

    def spawn(self, argv: list[str], name: str) -> subprocess.Popen:
        with open(os.path.join(self.scratch, name + ".log"), "wb") as output:
            process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.processes.append((process, name))
        return process

    def stop(self) -> None:
        for process, _ in reversed(self.processes):
            if process.poll() is None:
                # SIGTERM: the proxy drains its recorder and ends the LZ4 frame.
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()

    def logs(self) -> str:
        out = []
        for path in sorted(glob.glob(os.path.join(self.scratch, "*.log"))):
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()[-30:]
            if lines:
                out += [f"----- {os.path.basename(path)} -----"] + lines
        return "\n".join(out)


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} within {seconds} s")


def port_open(port: int) -> bool:
    # A bare connect: a /health request would be recorded in the cassette.
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def record_scenario(scenario: Scenario, proxy_bin: str, staging: str, scratch_root: str) -> list[str]:
    scratch = tempfile.mkdtemp(prefix="scenario.", dir=scratch_root)
    stack = Stack(scratch)
    record_dir = os.path.join(scratch, "record")
    try:
        entries = []
        for index, route in enumerate(scenario.routes):
            if route.upstream is None:
                port = free_port()  # bound, then closed: nothing listens there
            else:
                port_file = os.path.join(scratch, f"upstream{index}.port")
                stack.spawn([sys.executable, os.path.join(HERE, "fixture_upstream.py"), "--port-file", port_file,
                             *route.upstream], f"upstream{index}")
                wait_for(lambda: os.path.exists(port_file), 10, "the fixture upstream did not start")
                with open(port_file) as handle:
                    port = int(handle.read())
            entries.append((route.model_id, route.fmt, api_base(route.fmt, port), route.model_name, UPSTREAM_KEY))
        config = os.path.join(scratch, "models.yaml")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(models_yaml(entries, "Written by tools/corpus/record.py."))
        port = free_port()
        proxy = stack.spawn([proxy_bin, "serve", "--host", "127.0.0.1", "--port", str(port), "--config", config,
                             "--record", record_dir], "proxy")
        wait_for(lambda: proxy.poll() is not None or port_open(port), 30, "the proxy did not listen")
        if proxy.poll() is not None:
            return [f"the proxy exited with status {proxy.returncode}"] + [stack.logs()]
        base_url = f"http://127.0.0.1:{port}"
        problems = scenario.drive(base_url, proxy) if scenario.drives_proxy else scenario.drive(base_url)
        stack.stop()
        if not problems:
            problems = place_cassette(record_dir, os.path.join(staging, scenario.cassette + ".jsonl.lz4"))
        if problems:
            problems.append(stack.logs())
        return problems
    except (RuntimeError, OSError, ValueError) as error:
        return [f"{type(error).__name__}: {error}", stack.logs()]
    finally:
        stack.stop()


def place_cassette(record_dir: str, destination: str) -> list[str]:
    """Moves the proxy's one `<time>-<pid>.jsonl.lz4` to its corpus name."""
    files = sorted(glob.glob(os.path.join(record_dir, "**", "*.jsonl.lz4"), recursive=True))
    if len(files) != 1:
        return [f"expected one cassette in {record_dir}, found {files}"]
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    shutil.move(files[0], destination)
    return []


# ------------------------------------------------------------------------------------------------
# Client requests


def anthropic_request(model: str, messages: list, stream: bool, tools: list[str] = (), thinking: bool = False) -> dict:
    body = {"model": model, "max_tokens": 4096 if thinking else 1024,
            "system": "You are a concise assistant.", "messages": messages}
    if thinking:
        body["thinking"] = {"type": "enabled", "budget_tokens": 2048}
    if tools:
        body["tools"] = [
            {"name": name, "description": f"The {name} tool.",
             "input_schema": {"type": "object", "properties": {"input": {"type": "string"}}}}
            for name in tools
        ]
    if stream:
        body["stream"] = True
    return body


def expect(answer: client.Answer, status: int, what: str) -> list[str]:
    if answer.status == status:
        return []
    return [f"{what}: status {answer.status}, want {status}: {answer.body[:300]!r}"]


def conversation(model: str, turns: int, stream: bool, status: int = 200, stream_error: bool = False,
                 **request) -> Callable[[str], list[str]]:
    """An agent loop: each answer's tool calls get a result and the next request goes out, until the
    upstream has been asked `turns` times or stops calling tools. `stream_error`: the (first) stream
    must end in an `error` event, as the provider reported an error inside it."""

    def drive(base_url: str) -> list[str]:
        messages = [{"role": "user", "content": "What is the weather in Berlin? Use a tool if you have one."}]
        for turn in range(turns):
            answer = client.post(base_url, anthropic_request(model, messages, stream, **request))
            problems = expect(answer, status, f"turn {turn + 1}")
            if problems or status != 200:
                return problems
            message = answer.message()
            if stream_error:
                return [] if "error" in message else [f"turn {turn + 1}: the stream did not end with an error"]
            if "error" in message:
                return [f"turn {turn + 1}: the stream ended with an error: {message['error']}"]
            messages = client.next_turn(messages, message)
            if messages is None:
                break
        return []

    return drive


def requests(*calls: tuple[dict | bytes, int]) -> Callable[[str], list[str]]:
    """Sends each body in turn and expects its status."""

    def drive(base_url: str) -> list[str]:
        problems = []
        for index, (body, status) in enumerate(calls):
            problems += expect(client.post(base_url, body), status, f"request {index + 1}")
        return problems

    return drive


def stopped_while_waiting(*calls: tuple[dict, int]) -> Callable[[str, subprocess.Popen], list[str]]:
    """Sends every body at once, to upstreams that stall; once they have them, stops the proxy
    without waiting for them (SIGQUIT, as `proxy stop` does past its --timeout). Each client must
    still get an answer with its status: 503 before a head, an `error` event ending a stream."""

    def drive(base_url: str, proxy: subprocess.Popen) -> list[str]:
        answers: list[client.Answer | Exception | None] = [None] * len(calls)

        def send(index: int, body: dict) -> None:
            try:
                answers[index] = client.post(base_url, body, timeout=30)
            except Exception as error:  # noqa: BLE001 -- reported as the request's problem
                answers[index] = error

        threads = [threading.Thread(target=send, args=(index, body)) for index, (body, _) in enumerate(calls)]
        for thread in threads:
            thread.start()
        # The stalling upstreams have every request well within this (a frame each 1 ms).
        time.sleep(1.5)
        proxy.send_signal(signal.SIGQUIT)
        for thread in threads:
            thread.join(timeout=30)
        problems = []
        for index, ((body, status), answer) in enumerate(zip(calls, answers)):
            if not isinstance(answer, client.Answer):
                problems.append(f"request {index + 1}: no answer: {answer!r}")
                continue
            problems += expect(answer, status, f"request {index + 1}")
            if body.get("stream") and "shutting down" not in str(answer.message().get("error")):
                problems.append(f"request {index + 1}: the stream did not end with the shutdown's error")
        return problems

    return drive


# ------------------------------------------------------------------------------------------------
# The scenarios


def fixture_model(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        match = re.search(r'"(?:model|modelVersion)"\s*:\s*"([^"]+)"', handle.read(4000))
    return match.group(1) if match else "corpus-upstream-model"


def fixture_tools(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        names = re.findall(r'"name"\s*:\s*"([^"]+)"', handle.read())
    # `parallel` is the Responses API's wrapper around parallel calls, not a tool a client offers.
    return sorted({name for name in names if name != "parallel"})


def provider_scenarios(streams: str, group: str) -> list[Scenario]:
    """A scenario per `*.chunks.txt` and `*.json` file under `streams`/<folder>, recorded as
    `group`/<folder>/<stem>.stream or .body."""
    scenarios = []
    for folder, fmt in FOLDER_FORMATS.items():
        for path in sorted(glob.glob(os.path.join(streams, folder, "*"))):
            name = os.path.basename(path)
            streaming = name.endswith(".chunks.txt")
            if not streaming and not name.endswith(".json"):
                continue
            stem = name.removesuffix(".chunks.txt").removesuffix(".json")
            status = ERROR_BODY_STATUS.get(name, 200)
            upstream = ["--fixture", path] + (["--status", str(status)] if status != 200 else [])
            model_id = f"corpus-{folder}"
            turns = len(fixture_upstream.frames(path)) if streaming else 1
            drive = conversation(model_id, turns, streaming, status, stream_error=streaming and "error" in stem,
                                 tools=fixture_tools(path), thinking="reasoning" in stem)
            kind = "stream" if streaming else "body"
            route = Route(model_id, fmt, upstream, fixture_model(path))
            scenarios.append(Scenario(f"{group}/{folder}/{stem}.{kind}", [route], drive))
    return scenarios


# For dialects/: each upstream format's recorded tool call, streamed (.chunks.txt) and whole (.json).
TOOL_CALL_FIXTURES = {"openai-chat": "deepseek-tool-call", "anthropic": "anthropic-tool-no-args",
                      "gemini": "google-tool-call", "openai-responses": "parallel-tool-call-wrapper.1"}
# Client dialects other than Anthropic (whose clients the providers/ group records).
CLIENT_DIALECTS = ("openai", "openai-responses", "gemini")


def dialect_request(dialect: str, model: str, stream: bool, tools: list[str]) -> tuple[str, dict]:
    """The path and body an OpenAI Chat, Responses or Gemini client sends, offering `tools`."""
    ask = "What is the weather in Berlin? Use a tool if you have one."
    schema = {"type": "object", "properties": {"input": {"type": "string"}}}
    if dialect == "openai":
        body = {"model": model, "messages": [{"role": "user", "content": ask}],
                "tools": [{"type": "function", "function": {"name": n, "parameters": schema}} for n in tools]}
        if stream:
            body.update(stream=True, stream_options={"include_usage": True})
        return "/v1/chat/completions", body
    if dialect == "openai-responses":
        body = {"model": model, "input": ask,
                "tools": [{"type": "function", "name": n, "parameters": schema} for n in tools]}
        if stream:
            body["stream"] = True
        return "/v1/responses", body
    method = "streamGenerateContent?alt=sse" if stream else "generateContent"
    return f"/v1beta/models/{model}:{method}", {
        "contents": [{"role": "user", "parts": [{"text": ask}]}],
        "tools": [{"functionDeclarations": [{"name": n, "parameters": schema} for n in tools]}]}


def dialect_scenarios(fixtures: str) -> list[Scenario]:
    """Every client dialect against every upstream format, streamed and not, each upstream answering
    with its recorded tool call: `dialects/<client>-to-<format>.stream` and `.body`."""
    scenarios = []
    for dialect in CLIENT_DIALECTS:
        for folder, fmt in FOLDER_FORMATS.items():
            for streaming in (True, False):
                path = os.path.join(fixtures, "providers", folder,
                                    TOOL_CALL_FIXTURES[folder] + (".chunks.txt" if streaming else ".json"))
                model_id = f"corpus-{fmt}"
                route = Route(model_id, fmt, ["--fixture", path], fixture_model(path))
                request = dialect_request(dialect, model_id, streaming, fixture_tools(path))

                def drive(base_url: str, request=request) -> list[str]:
                    return expect(client.post(base_url, request[1], path=request[0]), 200, request[0])

                kind = "stream" if streaming else "body"
                scenarios.append(Scenario(f"dialects/{dialect}-to-{fmt}.{kind}", [route], drive))
    return scenarios


OPENAI_429 = {"error": {"message": "Rate limit reached for requests per minute. Please try again in 20s.",
                        "type": "requests", "param": None, "code": "rate_limit_exceeded"}}
ANTHROPIC_429 = {"type": "error", "error": {"type": "rate_limit_error",
                                            "message": "Number of request tokens has exceeded your rate limit."}}
ANTHROPIC_529 = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


def error_body(status: int, body: dict, *headers: str) -> list[str]:
    args = ["--status", str(status), "--body", json.dumps(body)]
    for header in headers:
        args += ["--header", header]
    return args


def error_scenarios(fixtures: str) -> list[Scenario]:
    openai_text = os.path.join(fixtures, "providers/openai-chat/openai-text.chunks.txt")
    anthropic_text = os.path.join(fixtures, "providers/anthropic/anthropic-text.chunks.txt")
    hello = [{"role": "user", "content": "Say hello."}]
    return [
        Scenario("errors/upstream-429-retry-after", [
            Route("limited-openai", "openai", error_body(429, OPENAI_429, "retry-after: 20")),
            Route("limited-anthropic", "anthropic", error_body(429, ANTHROPIC_429, "retry-after: 30")),
        ], requests(
            (anthropic_request("limited-openai", hello, stream=False), 429),
            (anthropic_request("limited-openai", hello, stream=True), 429),
            (anthropic_request("limited-anthropic", hello, stream=False), 429),
            (anthropic_request("limited-anthropic", hello, stream=True), 429),
        )),
        Scenario("errors/upstream-529-overloaded", [
            Route("overloaded-anthropic", "anthropic", error_body(529, ANTHROPIC_529)),
        ], requests(
            (anthropic_request("overloaded-anthropic", hello, stream=False), 529),
            (anthropic_request("overloaded-anthropic", hello, stream=True), 529),
        )),
        Scenario("errors/connection-refused", [
            Route("refused-openai", "openai", None),
            Route("refused-anthropic", "anthropic", None),
        ], requests(
            (anthropic_request("refused-openai", hello, stream=False), 502),
            (anthropic_request("refused-anthropic", hello, stream=True), 502),
        )),
        # A stream's head is 200; the cut arrives as an `event: error` frame, then the stream ends.
        Scenario("errors/mid-stream-cut", [
            Route("cut-openai", "openai", ["--fixture", openai_text, "--cut-after", "6"]),
            Route("cut-anthropic", "anthropic", ["--fixture", anthropic_text, "--cut-after", "4"]),
        ], requests(
            (anthropic_request("cut-openai", hello, stream=True), 200),
            (anthropic_request("cut-anthropic", hello, stream=True), 200),
        )),
        Scenario("errors/stream-ended-early", [
            Route("early-openai", "openai", ["--fixture", openai_text, "--end-after", "6"]),
            Route("early-anthropic", "anthropic", ["--fixture", anthropic_text, "--end-after", "4"]),
        ], requests(
            (anthropic_request("early-openai", hello, stream=True), 200),
            (anthropic_request("early-anthropic", hello, stream=True), 200),
        )),
        # `proxy stop` past its --timeout (SIGQUIT): the waiting client gets 503 overloaded_error
        # (SDKs retry it), the streaming one an `error` event after what it had.
        Scenario("errors/stopped-mid-exchange", [
            Route("thinking-openai", "openai", ["--fixture", openai_text, "--stall-after", "0"]),
            Route("stalled-anthropic", "anthropic", ["--fixture", anthropic_text, "--stall-after", "4"]),
        ], stopped_while_waiting(
            (anthropic_request("thinking-openai", hello, stream=False), 503),
            (anthropic_request("stalled-anthropic", hello, stream=True), 200),
        ), drives_proxy=True),
        Scenario("errors/bad-client-requests", [
            Route("corpus-openai", "openai", error_body(500, {"error": {"message": "must not be called"}})),
        ], requests(
            (b'{"model": "corpus-openai", "max_tokens": 16, "messages": [', 400),  # not JSON
            ({"model": "corpus-openai", "messages": hello}, 400),  # max_tokens missing
            ({"model": "corpus-openai", "max_tokens": 16, "messages": "Say hello."}, 400),  # wrong type
            (anthropic_request("no-such-model", hello, stream=False), 404),  # unknown model
        )),
    ]


# ------------------------------------------------------------------------------------------------
# Real clients, through their own scripts


def record_claude_code(proxy_bin: str, staging: str, scratch_root: str, variants: list[str]) -> list[str]:
    record_dir = os.path.join(scratch_root, "claude-code")
    env = dict(os.environ, SWITCHBOARD_PROXY_BIN=proxy_bin, E2E_FORMATS=" ".join(variants),
               E2E_RECORD_DIR=record_dir, E2E_WORKDIR=CLAUDE_CODE_WORKDIR)
    result = subprocess.run(["bash", os.path.join(ROOT, "tools", "e2e-claude-code.sh")], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return [f"tools/e2e-claude-code.sh failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"]
    problems = []
    for variant in variants:
        problems += place_cassette(os.path.join(record_dir, variant),
                                   os.path.join(staging, CLAUDE_CODE_VARIANTS[variant] + ".jsonl.lz4"))
    return problems


def record_sdk(proxy_bin: str, staging: str, scratch_root: str, formats: list[str]) -> list[str]:
    record_dir = os.path.join(scratch_root, "sdk")
    result = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "e2e", "sdk_clients.py"), "--proxy-bin",
                             proxy_bin, "--formats", ",".join(formats), "--record-dir", record_dir],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return [f"tools/e2e/sdk_clients.py failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"]
    problems = []
    for fmt in formats:
        problems += place_cassette(os.path.join(record_dir, fmt), os.path.join(staging, SDK_FORMATS[fmt] + ".jsonl.lz4"))
    return problems


def replay_claude_code(proxy_bin: str, stub_bin: str, staging: str, variants: list[str]) -> list[str]:
    """The new Claude Code cassettes must replay: Claude Code through the proxy to stub-upstream."""
    env = dict(os.environ, SWITCHBOARD_PROXY_BIN=proxy_bin, SWITCHBOARD_STUB_BIN=stub_bin,
               E2E_FORMATS=" ".join(variants), E2E_CORPUS=os.path.join(staging, "claude-code"))
    result = subprocess.run(["bash", os.path.join(ROOT, "tools", "e2e-claude-code-replay.sh")], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return [f"tools/e2e-claude-code-replay.sh failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"]
    return []


# ------------------------------------------------------------------------------------------------


def selected(cassette: str, only: list[str]) -> bool:
    return not only or any(cassette.startswith(prefix) for prefix in only)


def install(staging: str, only: list[str]) -> list[str]:
    """Replaces the selected part of cassettes/ with the staging folder's cassettes."""
    for path in glob.glob(os.path.join(CASSETTES, "**", "*.jsonl.lz4"), recursive=True):
        if selected(os.path.relpath(path, CASSETTES), only):
            os.remove(path)
    placed = []
    for path in sorted(glob.glob(os.path.join(staging, "**", "*.jsonl.lz4"), recursive=True)):
        relative = os.path.relpath(path, staging)
        os.makedirs(os.path.dirname(os.path.join(CASSETTES, relative)), exist_ok=True)
        shutil.move(path, os.path.join(CASSETTES, relative))
        placed.append(relative)
    for directory, subdirectories, files in os.walk(CASSETTES, topdown=False):
        if directory != CASSETTES and not os.listdir(directory):
            os.rmdir(directory)
    return placed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy-bin", default=os.environ.get("SWITCHBOARD_PROXY_BIN", ".build/debug/proxy"))
    parser.add_argument("--log-replay-bin", default=os.path.join(ROOT, ".build/debug/log-replay"))
    parser.add_argument("--stub-bin", default=os.path.join(ROOT, ".build/debug/stub-upstream"))
    parser.add_argument("--only", action="append", default=[], help="re-record the cassettes under this prefix only")
    parser.add_argument("--list", action="store_true", help="list the cassettes this records, and stop")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    proxy_bin = os.path.abspath(args.proxy_bin)
    fixtures = fixtures_root()
    scenarios = (provider_scenarios(os.path.join(fixtures, "providers"), "providers")
                 + provider_scenarios(os.path.join(HERE, "streams"), "synthetic") + error_scenarios(fixtures)
                 + dialect_scenarios(fixtures))
    variants = [v for v, cassette in CLAUDE_CODE_VARIANTS.items() if selected(cassette, args.only)]
    sdk_formats = [f for f, cassette in SDK_FORMATS.items() if selected(cassette, args.only)]
    scenarios = [s for s in scenarios if selected(s.cassette, args.only)]
    if args.list:
        for name in [CLAUDE_CODE_VARIANTS[v] for v in variants] + [SDK_FORMATS[f] for f in sdk_formats] + [
                s.cassette for s in scenarios]:
            print(name + ".jsonl.lz4")
        return 0

    scratch_root = tempfile.mkdtemp(prefix="switchboard-corpus.")
    staging = os.path.join(scratch_root, "cassettes")
    os.makedirs(staging)
    failed: list[tuple[str, list[str]]] = []
    started = time.monotonic()
    try:
        if variants:
            log(f"Claude Code: {', '.join(variants)}")
            problems = record_claude_code(proxy_bin, staging, scratch_root, variants)
            if problems:
                failed.append(("claude-code/", problems))
        if sdk_formats:
            log(f"anthropic SDK: {', '.join(sdk_formats)} upstreams")
            problems = record_sdk(proxy_bin, staging, scratch_root, sdk_formats)
            if problems:
                failed.append(("sdk/", problems))
        for scenario in scenarios:
            problems = record_scenario(scenario, proxy_bin, staging, scratch_root)
            log(f"{scenario.cassette}: {'FAILED' if problems else 'recorded'}")
            if problems:
                failed.append((scenario.cassette, problems))
        for name, problems in failed:
            print(f"FAIL {name}")
            for problem in problems:
                print("  " + problem.replace("\n", "\n  "))
        recorded = glob.glob(os.path.join(staging, "**", "*.jsonl.lz4"), recursive=True)
        verify = subprocess.run([args.log_replay_bin, "verify", staging], capture_output=True, text=True)
        print(verify.stdout, end="")
        if verify.returncode != 0:
            print(f"FAIL log-replay verify over the new recordings (exit {verify.returncode}): {verify.stderr}")
        if variants and not failed and verify.returncode == 0:
            log("replaying the new Claude Code cassettes: tools/e2e-claude-code-replay.sh")
            problems = replay_claude_code(proxy_bin, os.path.abspath(args.stub_bin), staging, variants)
            if problems:
                failed.append(("claude-code/ replay", problems))
                print(f"FAIL claude-code/ replay\n  {problems[0]}")
        if failed or verify.returncode != 0:
            args.keep = True
            print(f"cassettes/ left unchanged; the new recordings are in {staging}")
            print(f"{len(recorded)} passed, {len(failed) + (verify.returncode != 0)} failed")
            return 1
        placed = install(staging, args.only)
        total = sum(os.path.getsize(os.path.join(CASSETTES, p)) for p in placed)
        log(f"{len(placed)} cassettes, {total / 1024:.0f} KiB, into cassettes/ in {time.monotonic() - started:.0f} s")
        print(f"{len(placed)} passed, 0 failed")
        return 0
    finally:
        if args.keep:
            log(f"kept {scratch_root}")
        else:
            shutil.rmtree(scratch_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

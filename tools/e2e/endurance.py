"""Load, backpressure, shutdown and disk-full checks against the real `proxy serve --record` binary.

    python tools/e2e/endurance.py [--streams 1000] [--only load,slow-reader,sigterm,disk-full,stalled-log]

Needs SWITCHBOARD_PROXY_BIN (tools/test.sh sets it) and Debian's `lz4` on PATH. Every check runs its
own proxy, routed (format openai, so every chunk is converted to Anthropic events) to a paced
upstream in this process, and prints PASS or FAIL with what it measured:

  load         N concurrent streaming clients (50 chunks over 5 s each) through `serve --record`:
               every stream complete and valid, every exchange recorded with no dropped event,
               the proxy's peak RSS (VmHWM) at most --max-rss-mb.
  slow-reader  a client reading 1 KB/s from an upstream that would send 64 MB at once: the upstream
               is held back (backpressure) and the proxy's RSS does not grow with what it holds back.
  sigterm      SIGTERM with 100 streams in flight: all complete, new connections are refused, the
               cassette's LZ4 frame is ended, exit status 0.
  disk-full    the proxy under a file-size limit (RLIMIT_FSIZE, as a full disk): it keeps serving,
               logs the cause once, counts the dropped events and writes again in a new file.
  stalled-log  the proxy's standard error a pipe nobody reads (a paused pager, a stalled journal):
               it keeps serving at `info`, one line per exchange, four times what the pipe holds,
               and once the log is read again every line is there (or counted as dropped); and
               stopped with the log still unread, it exits at once rather than wait for a reader.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from models_yaml import models_yaml  # noqa: E402

CHUNKS = 50
CHUNK_INTERVAL = 0.1  # 50 chunks over 5 s
# A quick request that takes this long is hung, not slowed by a loaded machine.
HUNG_AFTER = 30
FLOOD_BYTES = 64 << 20


# ---------------------------------------------------------------- the paced upstream


class PacedUpstream:
    """An OpenAI Chat Completions upstream. Asked (in the user text) `paced`: CHUNKS text chunks, CHUNK_INTERVAL apart.
    `flood`: 1 KB chunks as fast as the proxy takes them, up to FLOOD_BYTES, counting what it
    got rid of (`flood_sent`). Anything else: a short stream at once."""

    def __init__(self) -> None:
        self.flood_sent = 0
        self.requests = 0
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0, backlog=4096)
        self.port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self.server:
            self.server.close()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                body = json.loads(await reader.readexactly(length)) if length else {}
                self.requests += 1
                await self.answer(mode_of(body), writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def answer(self, model: str, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")

        def send(event: dict | str) -> None:
            data = event if isinstance(event, str) else json.dumps(event, separators=(",", ":"))
            frame = f"data: {data}\n\n".encode()
            writer.write(b"%x\r\n%s\r\n" % (len(frame), frame))

        def chunk(delta: dict, finish: str | None = None, usage: dict | None = None) -> dict:
            event = {"id": "chatcmpl-load", "object": "chat.completion.chunk", "created": 1, "model": model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if usage:
                event["usage"] = usage
            return event

        send(chunk({"role": "assistant", "content": ""}))
        if model == "flood":
            piece = "x" * 1000
            socket_ = writer.get_extra_info("socket")
            socket_.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 << 10)
            while self.flood_sent < FLOOD_BYTES:
                send(chunk({"content": piece}))
                await writer.drain()
                self.flood_sent += 1000
        else:
            for index in range(CHUNKS if model == "paced" else 3):
                send(chunk({"content": f"w{index} "}))
                await writer.drain()
                if model == "paced":
                    await asyncio.sleep(CHUNK_INTERVAL)
        send(chunk({}, "stop", {"prompt_tokens": 7, "completion_tokens": CHUNKS, "total_tokens": 7 + CHUNKS}))
        send("[DONE]")
        writer.write(b"0\r\n\r\n")
        await writer.drain()


def mode_of(body: dict) -> str:
    """The client's user text, which names the answer (the model name is the route's by then)."""
    content = body.get("messages", [{}])[-1].get("content", "")
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def expected_text(model: str) -> str:
    return "".join(f"w{index} " for index in range(CHUNKS if model == "paced" else 3))


# ---------------------------------------------------------------- the proxy


class Proxy:
    """`proxy serve` on a free port, routed to the upstream, recording to `record_dir`."""

    def __init__(self, scratch: str, upstream_port: int, record_dir: str | None, fsize_limit: int | None = None,
                 log_level: str = "warning", stderr_pipe: bool = False) -> None:
        self.scratch = scratch
        self.log_path = os.path.join(scratch, "proxy.log")
        config = os.path.join(scratch, "models.yaml")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(models_yaml([("load", "openai", f"http://127.0.0.1:{upstream_port}/v1", "upstream-model",
                                       "sk-load-upstream", ["*"])]))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        argv = [os.environ["SWITCHBOARD_PROXY_BIN"], "serve", "--port", str(self.port), "--config", config,
                "--log-level", log_level, *(["--record", record_dir] if record_dir else [])]

        def limit() -> None:
            if fsize_limit is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_limit, fsize_limit))

        with open(self.log_path, "wb") as log:
            # A pipe for standard error only when a check reads it (or, on purpose, does not).
            self.process = subprocess.Popen(argv, stdout=log,
                                            stderr=subprocess.PIPE if stderr_pipe else subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, preexec_fn=limit)

    async def wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the proxy exited with {self.process.returncode}: {self.log()[-2000:]}")
            try:
                status, _ = await request(self.port, "GET", "/health", None)
                if status == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("the proxy was not healthy in time")

    def status_field(self, name: str) -> int:
        """A kB field of /proc/PID/status (VmRSS, VmHWM)."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
        raise AssertionError(f"no {name} in /proc/{self.process.pid}/status")

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


# ---------------------------------------------------------------- a client and its checks


async def request(port: int, method: str, path: str, body: dict | None) -> tuple[int, bytes]:
    """One request on its own connection (Connection: close); the status and the de-chunked body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        payload = json.dumps(body).encode() if body is not None else b""
        writer.write(f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                     f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n".encode() + payload)
        await writer.drain()
        raw = await reader.read(-1)
    finally:
        writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        rest = dechunk(rest)
    return status, rest


def dechunk(data: bytes) -> bytes:
    out, at = bytearray(), 0
    while True:
        end = data.index(b"\r\n", at)
        size = int(data[at:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[end + 2:end + 2 + size]
        at = end + 2 + size + 2


def stream_request(mode: str) -> dict:
    """A streamed Anthropic request whose user text tells the upstream how to answer."""
    return {"model": "claude-load", "max_tokens": 100, "stream": True,
            "messages": [{"role": "user", "content": mode}]}


def check_anthropic_stream(body: bytes, model: str) -> None:
    """The events in order (message_start, one text block, message_delta, message_stop) and the text whole."""
    events = []
    for frame in body.decode().split("\n\n"):
        if not frame.strip():
            continue
        fields = dict(line.split(": ", 1) for line in frame.split("\n") if ": " in line)
        events.append((fields.get("event"), json.loads(fields["data"])))
    names = [name for name, _ in events if name != "ping"]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"], names[:3] + names[-3:]
    assert names[1] == "content_block_start" and names[-3] == "content_block_stop", names
    assert all(name == "content_block_delta" for name in names[2:-3]), names
    text = "".join(data["delta"]["text"] for name, data in events if name == "content_block_delta")
    assert text == expected_text(model), f"text {text[:60]!r}..."
    stop = next(data for name, data in events if name == "message_delta")
    assert stop["delta"]["stop_reason"] == "end_turn", stop


async def one_stream(port: int, model: str) -> None:
    status, body = await request(port, "POST", "/v1/messages", stream_request(model))
    assert status == 200, f"status {status}: {body[:300]!r}"
    check_anthropic_stream(body, model)


def cassette_lines(record_dir: str) -> tuple[list[dict], list[str]]:
    """Every line of every cassette in `record_dir`, and the files whose LZ4 frame is not ended."""
    lines, unended = [], []
    for name in sorted(os.listdir(record_dir)):
        path = os.path.join(record_dir, name)
        done = subprocess.run(["lz4", "-dc", path], capture_output=True)
        if done.returncode != 0:
            unended.append(name)
        lines.extend(json.loads(line) for line in done.stdout.splitlines() if line.strip())
    return lines, unended


def check_recorded(record_dir: str, streams: int) -> None:
    lines, unended = cassette_lines(record_dir)
    assert not unended, f"cassette frames not ended: {unended}"
    ends = [line for line in lines if line["kind"] == "end" and line.get("status") == 200]
    assert len(ends) == streams, f"{len(ends)} end lines for {streams} streams"
    bad = [end for end in ends if end["outcome"] != "ok" or end["dropped_events"] != 0]
    assert not bad, f"{len(bad)} exchanges not ok or with dropped events, e.g. {bad[0]}"
    chunks: dict[str, int] = {}
    for line in lines:
        if line["kind"] == "upstream_chunk":
            chunks[line["x"]] = chunks.get(line["x"], 0) + 1
    short = [x for x in (end["x"] for end in ends) if chunks.get(x, 0) < CHUNKS]
    assert not short, f"{len(short)} exchanges recorded fewer than {CHUNKS} upstream chunks"


# ---------------------------------------------------------------- the checks


@contextlib.asynccontextmanager
async def running(scratch: str, record_dir: str | None, **proxy_options):
    """The paced upstream and a healthy proxy routed to it; both stopped afterwards."""
    upstream = PacedUpstream()
    await upstream.start()
    proxy = Proxy(scratch, upstream.port, record_dir, **proxy_options)
    try:
        await proxy.wait_healthy()
        yield upstream, proxy
    finally:
        proxy.stop()
        await upstream.close()


async def check_load(scratch: str, streams: int, max_rss_mb: int) -> None:
    record_dir = os.path.join(scratch, "cassettes")
    async with running(scratch, record_dir) as (_, proxy):
        started = time.monotonic()
        results = await asyncio.gather(*(one_stream(proxy.port, "paced") for _ in range(streams)),
                                       return_exceptions=True)
        took = time.monotonic() - started
        failures = [result for result in results if isinstance(result, BaseException)]
        peak_mb = proxy.status_field("VmHWM") / 1024
        print(f"  {streams} streams in {took:.1f} s, {len(failures)} failed, proxy peak RSS {peak_mb:.0f} MB")
        kinds: dict[str, int] = {}
        for failure in failures:
            kinds[repr(failure)[:120]] = kinds.get(repr(failure)[:120], 0) + 1
        assert not failures, f"{len(failures)} of {streams} streams failed: {kinds}"
        assert peak_mb <= max_rss_mb, f"proxy peak RSS {peak_mb:.0f} MB is over {max_rss_mb} MB"
        assert proxy.stop() == 0, f"exit status {proxy.process.returncode}"
        check_recorded(record_dir, streams)


async def check_slow_reader(scratch: str) -> None:
    async with running(scratch, None) as (upstream, proxy):
        rss_before = proxy.status_field("VmRSS")
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 10)
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        await loop.sock_connect(sock, ("127.0.0.1", proxy.port))
        payload = json.dumps(stream_request("flood")).encode()
        await loop.sock_sendall(sock, f"POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                                      f"content-length: {len(payload)}\r\n\r\n".encode() + payload)
        received = 0
        sent_at: dict[int, int] = {}
        for second in range(1, 11):  # 1 KB a second for 10 s
            received += len(await loop.sock_recv(sock, 1024))
            await asyncio.sleep(1)
            sent_at[second] = upstream.flood_sent
        rss_growth_mb = (proxy.status_field("VmRSS") - rss_before) / 1024
        sock.close()
        print(f"  read {received} bytes in 10 s; upstream sent {sent_at[5] >> 10} KB by 5 s, "
              f"{sent_at[10] >> 10} KB by 10 s (of {FLOOD_BYTES >> 20} MB); proxy RSS grew {rss_growth_mb:.1f} MB")
        assert sent_at[10] < 16 << 20, "the upstream was not held back"
        assert sent_at[10] - sent_at[5] < 1 << 20, "the upstream kept sending while the client read nothing"
        assert rss_growth_mb < 24, f"the proxy's RSS grew {rss_growth_mb:.1f} MB"
        # The proxy still serves, and the held-back upstream stream was dropped with the client.
        await one_stream(proxy.port, "quick")


async def check_sigterm(scratch: str) -> None:
    record_dir = os.path.join(scratch, "cassettes")
    async with running(scratch, record_dir) as (upstream, proxy):
        streams = [asyncio.create_task(one_stream(proxy.port, "paced")) for _ in range(100)]
        while upstream.requests < 100:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        proxy.process.send_signal(signal.SIGTERM)
        refused_after = None
        started = time.monotonic()
        # Refused while the streams it owes still run (about 5 s more): that is the point, not how soon a loaded
        # machine gets round to the signal (a fixed 3 s can pass first there).
        while not all(stream.done() for stream in streams) and time.monotonic() - started < 60:
            try:
                probe = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
                probe.close()
            except ConnectionRefusedError:
                refused_after = time.monotonic() - started
                break
            except socket.timeout:
                pass
            await asyncio.sleep(0.05)
        results = await asyncio.gather(*streams, return_exceptions=True)
        failures = [result for result in results if isinstance(result, BaseException)]
        status = await asyncio.get_running_loop().run_in_executor(None, proxy.process.wait, 30)
        print(f"  new connections refused {refused_after:.2f} s after SIGTERM; {100 - len(failures)} of 100 "
              f"streams complete; exit status {status}" if refused_after is not None else
              "  new connections were still accepted after SIGTERM while streams ran")
        assert refused_after is not None, "new connections were still accepted after SIGTERM while streams ran"
        assert not failures, f"{len(failures)} of 100 streams failed, e.g. {failures[0]!r}"
        assert status == 0, f"exit status {status}"
        check_recorded(record_dir, 100)


async def check_disk_full(scratch: str) -> None:
    record_dir = os.path.join(scratch, "cassettes")
    limit = 32 << 10
    async with running(scratch, record_dir, fsize_limit=limit, log_level="notice") as (_, proxy):
        for _ in range(300):
            await one_stream(proxy.port, "quick")
        assert proxy.stop() == 0, f"exit status {proxy.process.returncode}"
        log = proxy.log()
        failed_lines = [line for line in log.splitlines() if "cannot write the cassette" in line]
        resumed_lines = [line for line in log.splitlines() if "recording resumed" in line]
        files = sorted(os.listdir(record_dir))
        lines, _ = cassette_lines(record_dir)
        ends = [line for line in lines if line["kind"] == "end"]
        dropped = sum(end["dropped_events"] for end in ends)
        print(f"  300 requests served; {len(files)} files; {len(failed_lines)} failure log lines, "
              f"{len(resumed_lines)} resumed; {len(ends)} end lines recorded, {dropped} dropped events reported")
        assert len(files) >= 3, f"no new file after each stop: {files}"
        assert all(os.path.getsize(os.path.join(record_dir, name)) <= limit for name in files)
        assert failed_lines, "the cause was not logged"
        assert "File too large" in failed_lines[0], failed_lines[0]
        assert len(failed_lines) == len(resumed_lines) or len(failed_lines) == len(resumed_lines) + 1
        assert resumed_lines, "writing never resumed"
        assert dropped > 0, "no dropped events were reported in an end line"
        lost = sum(int(line.split("; ")[-1].split()[0]) for line in resumed_lines)
        assert lost >= 300 - len(ends), f"{300 - len(ends)} end lines missing, but only {lost} events said lost"
        assert len(ends) >= 200, f"only {len(ends)} of 300 exchanges recorded"


async def check_stalled_log(scratch: str) -> None:
    requests = 1000  # about 250 KB of access lines: four times what the pipe holds
    async with running(scratch, None, log_level="info", stderr_pipe=True) as (_, proxy):
        started = time.monotonic()
        for number in range(requests):
            try:
                await asyncio.wait_for(one_stream(proxy.port, "quick"), HUNG_AFTER)
            except asyncio.TimeoutError:
                raise AssertionError(f"request {number + 1} of {requests} hung with the log unread") from None
        took = time.monotonic() - started
        # Read the log now: the proxy writes what it held, and the count of what it dropped.
        loop = asyncio.get_running_loop()
        reading = loop.run_in_executor(None, proxy.process.stderr.read)
        assert proxy.stop() == 0, f"exit status {proxy.process.returncode}"
        log = (await reading).decode("utf-8", "replace").splitlines()
    access = [line for line in log if " info switchboard.proxy: " in line and "POST /v1/messages" in line]
    notes = [line for line in log if "log line(s) dropped" in line]
    dropped = sum(int(line.split("switchboard: ")[1].split()[0]) for line in notes)
    print(f"  {requests} requests served in {took:.1f} s with standard error unread; {len(access)} access lines "
          f"written, {dropped} dropped and said so")
    assert len(access) + dropped == requests, f"{requests - len(access) - dropped} access lines missing, unsaid"
    # Stopped with its log still unread, the proxy exits (it gives the lines
    # it holds a second at exit) rather than wait for a reader forever.
    async with running(scratch, None, log_level="info", stderr_pipe=True) as (_, proxy):
        for _ in range(requests):
            await asyncio.wait_for(one_stream(proxy.port, "quick"), HUNG_AFTER)
        stopping = time.monotonic()
        status = proxy.stop()
        stop_took = time.monotonic() - stopping
    print(f"  SIGTERM with standard error unread: exit status {status} after {stop_took:.1f} s")
    assert status == 0 and stop_took < 20, f"exit status {status} after {stop_took:.1f} s (killed after 30 s?)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--max-rss-mb", type=int, default=150)
    parser.add_argument("--only", default="load,slow-reader,sigterm,disk-full,stalled-log")
    args = parser.parse_args()
    if "SWITCHBOARD_PROXY_BIN" not in os.environ:
        print("FAIL: SWITCHBOARD_PROXY_BIN is not set (the proxy binary to test)")
        return 1
    # This process holds both ends' sockets: a client and an upstream connection per stream.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    checks = {
        "load": lambda scratch: check_load(scratch, args.streams, args.max_rss_mb),
        "slow-reader": check_slow_reader,
        "sigterm": check_sigterm,
        "disk-full": check_disk_full,
        "stalled-log": check_stalled_log,
    }
    wanted = args.only.split(",")
    unknown = [name for name in wanted if name not in checks]
    if unknown:
        print(f"FAIL: unknown check {unknown}; known: {', '.join(checks)}")
        return 1

    passed = failed = 0
    for name in wanted:
        with tempfile.TemporaryDirectory(prefix=f"endurance-{name}-") as scratch:
            try:
                asyncio.run(checks[name](scratch))
            except Exception as error:  # noqa: BLE001 -- every check is reported, then the next runs
                failed += 1
                print(f"FAIL {name}: {type(error).__name__}: {error}")
                log = os.path.join(scratch, "proxy.log")
                if os.path.exists(log):
                    with open(log, encoding="utf-8", errors="replace") as handle:
                        print("----- proxy.log (tail) -----\n" + "\n".join(handle.read().splitlines()[-30:]))
                continue
        passed += 1
        print(f"PASS {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""`GET /metrics` and `GET /v1/stats` after real traffic, read by a real Prometheus text parser (the
`prometheus_client` package's): `proxy serve --record` in front of the fake OpenAI upstream, then
streamed and non-streamed Anthropic requests, OpenAI Chat requests, a token count and a request for an
unknown model. Every count must match the traffic: requests by dialect, route, format, status and outcome
(the token count apart, not as a request of its route); tokens as
the clients saw them; upstream latency histograms; nothing left in flight; cassette bytes written and
no event dropped. Scrapes themselves are not counted.

    python3 tools/e2e/metrics_scrape.py --proxy-bin .build/debug/proxy

Installs the pinned prometheus_client with pip when missing. Prints PASS/FAIL per check and
`N passed, N failed`; exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stack import TestStack, run_checks  # noqa: E402

PINNED = "prometheus-client==0.21.1"
ROUTE = "e2e-fake"


def ensure_parser():
    try:
        return importlib.import_module("prometheus_client.parser")
    except ImportError:
        print(f"[metrics] installing {PINNED} with pip", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                               "--root-user-action=ignore", PINNED])
        return importlib.import_module("prometheus_client.parser")


def post(base: str, path: str, body: dict, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"content-type": "application/json", "x-api-key": "sk-client",
                                              "authorization": "Bearer sk-client", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get(base: str, path: str) -> bytes:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        assert response.status == 200, f"GET {path}: {response.status}"
        return response.read()


def anthropic_usage(status: int, body: bytes, stream: bool) -> tuple[int, int]:
    """(input, output) tokens as the Anthropic client saw them."""
    assert status == 200, f"status {status}: {body[:300]!r}"
    if not stream:
        usage = json.loads(body)["usage"]
        return usage["input_tokens"], usage["output_tokens"]
    tokens_in = tokens_out = 0
    for line in body.decode().splitlines():
        if not line.startswith("data: "):
            continue
        event = json.loads(line[6:])
        if event["type"] == "message_start":
            tokens_in = event["message"]["usage"]["input_tokens"]
        elif event["type"] == "message_delta":
            # Converted streams learn the input count at the end, and say it here.
            tokens_in = event["usage"].get("input_tokens", tokens_in)
            tokens_out = event["usage"]["output_tokens"]
    return tokens_in, tokens_out


class Traffic:
    """Sends the traffic once and keeps what the clients saw."""

    def __init__(self, base: str):
        self.tokens_in = self.tokens_out = 0
        messages = [{"role": "user", "content": "Say hello."}]
        for stream in (False, False, True, True, True):
            body = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": messages, "stream": stream}
            status, raw = post(base, "/v1/messages", body)
            tokens_in, tokens_out = anthropic_usage(status, raw, stream)
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out
        for _ in range(2):
            status, raw = post(base, "/v1/chat/completions", {"model": "claude-haiku-4-5", "messages": messages})
            assert status == 200, f"chat: {status} {raw[:300]!r}"
            usage = json.loads(raw)["usage"]
            self.tokens_in += usage["prompt_tokens"]
            self.tokens_out += usage["completion_tokens"]
        # Claude Code counts tokens before it sends: a count of its own, not a request of the route.
        status, raw = post(base, "/v1/messages/count_tokens", {"model": "claude-sonnet-4-5", "messages": messages})
        assert status == 200 and json.loads(raw)["input_tokens"] > 0, f"count_tokens: {status} {raw[:300]!r}"
        status, _ = post(base, "/v1/messages", {"model": "no-such-model", "max_tokens": 5, "messages": messages})
        assert status == 404, f"unknown model: {status}"


class Checks:
    def __init__(self, stack: TestStack, parser):
        self.base = stack.base_url
        self.traffic = Traffic(self.base)
        self.parser = parser
        get(self.base, "/metrics")  # a scrape before the one read: scrapes are not counted
        self.scrape()
        self.stats = json.loads(get(self.base, "/v1/stats"))

    def scrape(self):
        self.text = get(self.base, "/metrics").decode()
        self.samples = {}
        for family in self.parser.text_string_to_metric_families(self.text):
            for sample in family.samples:
                self.samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value

    def value(self, name: str, **labels) -> float:
        key = (name, tuple(sorted(labels.items())))
        assert key in self.samples, f"no sample {name}{labels}; have: " + ", ".join(
            f"{n}{dict(l)}" for n, l in self.samples if n == name)
        return self.samples[key]

    def requests_by_dialect_route_format_status(self):
        anthropic = self.value("switchboard_requests_total", client_dialect="anthropic", route=ROUTE,
                               upstream_format="openai", status="200", outcome="ok")
        openai = self.value("switchboard_requests_total", client_dialect="openai", route=ROUTE,
                            upstream_format="openai", status="200", outcome="ok")
        unknown = self.value("switchboard_requests_total", client_dialect="anthropic", route="none",
                             upstream_format="none", status="404", outcome="error")
        assert (anthropic, openai, unknown) == (5, 2, 1), (anthropic, openai, unknown)
        total = sum(v for (n, _), v in self.samples.items() if n == "switchboard_requests_total")
        assert total == 8, f"{total} requests counted; scrapes or stats counted too?"

    def token_counts_apart_from_requests(self):
        counted = self.value("switchboard_count_tokens_requests_total", client_dialect="anthropic", route=ROUTE,
                             upstream_format="openai", status="200", outcome="ok")
        assert counted == 1, f"{counted} token counts for 1"
        fake = self.stats["routes"][ROUTE]
        assert (fake["requests"], fake["count_tokens_requests"]) == (7, 1), fake
        assert self.stats["total"]["count_tokens_requests"] == 1, self.stats["total"]

    def tokens_match_what_clients_saw(self):
        tokens_in = self.value("switchboard_tokens_total", route=ROUTE, kind="input")
        tokens_out = self.value("switchboard_tokens_total", route=ROUTE, kind="output")
        assert (tokens_in, tokens_out) == (self.traffic.tokens_in, self.traffic.tokens_out), (
            tokens_in, tokens_out, self.traffic.tokens_in, self.traffic.tokens_out)

    def upstream_latency_histograms(self):
        for name in ("switchboard_upstream_first_byte_seconds", "switchboard_upstream_duration_seconds"):
            count = self.value(name + "_count", route=ROUTE, upstream_format="openai")
            assert count == 7, f"{name}: {count} observations for 7 upstream calls"
            infinite = self.value(name + "_bucket", route=ROUTE, upstream_format="openai", le="+Inf")
            assert infinite == 7, f"{name}: +Inf bucket {infinite}"
            assert 0 < self.value(name + "_sum", route=ROUTE, upstream_format="openai") < 60
        chunks = self.value("switchboard_stream_chunk_interval_seconds_count", route=ROUTE)
        assert chunks >= 3, f"{chunks} chunk intervals over 3 streams"

    def nothing_left_in_flight(self):
        assert self.value("switchboard_exchanges_in_flight") == 0
        assert self.value("switchboard_streams_in_flight") == 0

    def cassette_figures(self):
        # Bytes written are counted as of the cassette writer's last batch
        # (it waits 10 ms for more lines, on a thread of its own): on a busy
        # machine the scrape can come first, so wait for it a while.
        deadline = time.monotonic() + 30
        while self.value("switchboard_cassette_bytes_written_total") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            self.scrape()
        assert self.value("switchboard_cassette_bytes_written_total") > 0
        assert self.value("switchboard_cassette_dropped_events_total") == 0
        assert self.value("switchboard_cassette_queue_lines") >= 0

    def stats_per_route(self):
        routes = self.stats["routes"]
        fake = routes[ROUTE]
        assert (fake["requests"], fake["errors"], fake["cancelled"], fake["fallbacks"]) == (7, 0, 0, 0), fake
        assert (fake["input_tokens"], fake["output_tokens"]) == (self.traffic.tokens_in, self.traffic.tokens_out)
        assert (routes["none"]["requests"], routes["none"]["errors"]) == (1, 1), routes["none"]
        assert self.stats["total"]["requests"] == 8, self.stats["total"]
        assert self.stats["uptime_seconds"] >= 0 and self.stats["started"].endswith("Z")
        again = json.loads(get(self.base, "/anthropic/v1/stats"))
        assert again["routes"] == routes, "the /anthropic prefix serves the same stats"

    def all(self):
        return [self.requests_by_dialect_route_format_status, self.token_counts_apart_from_requests,
                self.tokens_match_what_clients_saw,
                self.upstream_latency_histograms, self.nothing_left_in_flight, self.cassette_figures,
                self.stats_per_route]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy-bin", default=os.environ.get("SWITCHBOARD_PROXY_BIN", ".build/debug/proxy"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    if not os.access(args.proxy_bin, os.X_OK):
        print(f"FAIL setup: no proxy binary at {args.proxy_bin}")
        return 1
    prometheus = ensure_parser()
    scratch = tempfile.mkdtemp(prefix="sb-metrics-")
    try:
        with TestStack(fmt="openai", proxy_bin=args.proxy_bin, scratch=scratch, route_glob="claude-*",
                       record_dir=os.path.join(scratch, "rec")) as stack:
            checks = Checks(stack, prometheus)
            passed, failed, skipped = run_checks(checks.all(), lambda c: f"metrics {c.__name__}", stack)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())

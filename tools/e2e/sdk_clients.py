#!/usr/bin/env python3
"""The official `anthropic` Python SDK against `proxy serve`, streaming and not, against a fake
OpenAI-compatible upstream and a fake Anthropic upstream (tools/e2e/fake_upstream.py).

    python3 tools/e2e/sdk_clients.py --proxy-bin .build/debug/proxy
    python3 tools/e2e/sdk_clients.py --direct        # no proxy: checks the checks (anthropic only)

Installs anthropic==SDK_VERSION with pip when it is missing. Prints PASS/FAIL per check and
`N passed, N failed`; exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fake_upstream as fake  # noqa: E402
from stack import SkipCheck, TestStack, run_checks  # noqa: E402

SDK_VERSION = "2.11.0"
MODEL = "claude-opus-5-5"  # what Claude Code 2.1.327 sends (shared/fixtures/claude-code)
CONTENT = "hello from switchboard ✓\n"
WRITE_TOOL = {
    "name": "Write",
    "description": "Writes a file to the local filesystem.",
    "input_schema": {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The absolute path to the file to write"},
            "content": {"type": "string", "description": "The content to write to the file"},
        },
        "required": ["file_path", "content"],
    },
}


def ensure_sdk():
    try:
        return importlib.import_module("anthropic")
    except ImportError:
        print(f"[sdk] installing anthropic=={SDK_VERSION} with pip", file=sys.stderr)
        subprocess.check_call(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--root-user-action=ignore",
             f"anthropic=={SDK_VERSION}"]
        )
        return importlib.import_module("anthropic")


class Checks:
    """One conversation, like Claude Code's: the tool call turn, then the turn after the tool result."""

    def __init__(self, anthropic, client, stack: TestStack, direct: bool):
        self.anthropic = anthropic
        self.client = client
        self.expected_input = {"file_path": os.path.join(stack.workdir, "hello.txt"), "content": CONTENT}
        self.direct = direct

    def request(self, messages, **extra):
        return dict(model=MODEL, max_tokens=1024, system="You write files.", tools=[WRITE_TOOL], messages=messages, **extra)

    def first_turn(self):
        return [{"role": "user", "content": "Create hello.txt."}]

    def second_turn(self, message):
        tool_use = next(block for block in message.content if block.type == "tool_use")
        return self.first_turn() + [
            {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in message.content]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool_use.id, "content": "File created."}]},
        ]

    def assert_tool_call(self, message):
        assert message.model == MODEL, f"model {message.model!r}, want the requested {MODEL!r}"
        assert message.stop_reason == "tool_use", f"stop_reason {message.stop_reason!r}"
        types = [block.type for block in message.content]
        assert types == ["text", "tool_use"], f"content blocks {types}"
        assert message.content[0].text == fake.FIRST_TURN_TEXT, f"text {message.content[0].text!r}"
        tool_use = message.content[1]
        assert tool_use.name == "Write", f"tool {tool_use.name!r}"
        assert tool_use.id, "tool_use without an id"
        assert tool_use.input == self.expected_input, f"tool input {tool_use.input!r}"
        assert message.usage.output_tokens == 42, f"output_tokens {message.usage.output_tokens}"
        assert message.usage.input_tokens > 0, f"input_tokens {message.usage.input_tokens}"

    def assert_final(self, message):
        assert message.model == MODEL, f"model {message.model!r}"
        assert message.stop_reason == "end_turn", f"stop_reason {message.stop_reason!r}"
        assert [block.type for block in message.content] == ["text"], f"content {message.content!r}"
        assert message.content[0].text == fake.DEFAULT_FINAL_TEXT, f"text {message.content[0].text!r}"

    # --- the checks --------------------------------------------------------------------------------

    def non_streaming_conversation(self):
        first = self.client.messages.create(**self.request(self.first_turn()))
        self.assert_tool_call(first)
        final = self.client.messages.create(**self.request(self.second_turn(first)))
        self.assert_final(final)

    def streaming_conversation(self):
        with self.client.messages.stream(**self.request(self.first_turn())) as stream:
            events = [event.type for event in stream]
            first = stream.get_final_message()
        assert events[0] == "message_start", f"first event {events[0]!r}"
        assert "input_json" in events, f"no input_json events: {sorted(set(events))}"
        self.assert_tool_call(first)
        with self.client.messages.stream(**self.request(self.second_turn(first))) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
        assert text == fake.DEFAULT_FINAL_TEXT, f"streamed text {text!r}"
        self.assert_final(final)

    def raw_stream_is_well_formed(self):
        """Event order as the SDK's raw iterator sees it: blocks open and close in order, no empty text."""
        stream = self.client.messages.create(**self.request(self.first_turn()), stream=True)
        names, open_index, texts, kinds = [], None, {}, {}
        for event in stream:
            names.append(event.type)
            if event.type == "content_block_start":
                assert open_index is None, f"block {event.index} started inside block {open_index}"
                open_index = event.index
                texts[event.index] = ""
                kinds[event.index] = event.content_block.type
            elif event.type == "content_block_delta":
                assert event.index == open_index, f"delta for {event.index} while {open_index} is open"
                if event.delta.type == "text_delta":
                    texts[event.index] += event.delta.text
            elif event.type == "content_block_stop":
                assert event.index == open_index, f"stop for {event.index} while {open_index} is open"
                open_index = None
        assert names[0] == "message_start" and names[-1] == "message_stop", f"events {names[:2]}...{names[-2:]}"
        assert names[-2] == "message_delta", f"second-to-last event {names[-2]!r}"
        assert sorted(texts) == list(range(len(texts))), f"block indexes {sorted(texts)}"
        assert [kinds[i] for i in sorted(kinds)] == ["text", "tool_use"], f"blocks {kinds}"
        empty = [index for index, kind in kinds.items() if kind == "text" and not texts[index]]
        assert not empty, f"empty text block(s) {empty}"

    def plain_text_reply(self):
        message = self.client.messages.create(
            model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Name this chat."}]
        )
        assert message.content[0].text == fake.SIDE_REPLY_TEXT, f"text {message.content!r}"

    def count_tokens(self):
        counted = self.client.messages.count_tokens(model=MODEL, messages=self.first_turn(), tools=[WRITE_TOOL])
        assert isinstance(counted.input_tokens, int) and counted.input_tokens > 0, f"input_tokens {counted!r}"

    def unknown_model_is_not_found(self):
        if self.direct:
            raise SkipCheck("no proxy to route models")
        try:
            self.client.messages.create(model="no-such-model", max_tokens=16, messages=self.first_turn())
        except self.anthropic.NotFoundError as error:
            body = error.body or {}
            kind = (body.get("error") or {}).get("type") if isinstance(body, dict) else None
            assert kind == "not_found_error", f"error body {body!r}"
        else:
            raise AssertionError("an unknown model did not give 404 not_found_error")

    def all(self):
        return [
            self.non_streaming_conversation,
            self.streaming_conversation,
            self.raw_stream_is_well_formed,
            self.plain_text_reply,
            self.count_tokens,
            self.unknown_model_is_not_found,
        ]


def run_format(anthropic, fmt: str, proxy_bin: str | None, keep: bool,
               record_dir: str | None = None) -> tuple[int, int, int]:
    scratch = tempfile.mkdtemp(prefix=f"switchboard-sdk-{fmt}.")
    passed = failed = skipped = 0
    try:
        with TestStack(fmt, proxy_bin, scratch, record_dir=record_dir and os.path.join(record_dir, fmt)) as stack:
            client = anthropic.Anthropic(api_key="sk-test-switchboard-sdk", base_url=stack.base_url, max_retries=0,
                                         timeout=30)
            checks = Checks(anthropic, client, stack, direct=proxy_bin is None)
            passed, failed, skipped = run_checks(
                checks.all(), lambda check: f"sdk anthropic-python {fmt}-upstream {check.__name__}", stack)
    except RuntimeError as error:
        failed += 1
        print(f"FAIL sdk anthropic-python {fmt}-upstream: {error}")
    finally:
        if keep:
            print(f"[sdk] kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return passed, failed, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy-bin", default=os.environ.get("SWITCHBOARD_PROXY_BIN"))
    parser.add_argument("--direct", action="store_true", help="no proxy: the SDK talks to the fake upstream")
    parser.add_argument("--formats", default="openai,anthropic")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directories")
    parser.add_argument("--record-dir", help="the proxy records a cassette per format in DIR/<format> (the corpus)")
    args = parser.parse_args()
    if not args.direct and not args.proxy_bin:
        parser.error("give --proxy-bin (or SWITCHBOARD_PROXY_BIN), or --direct")
    anthropic = ensure_sdk()
    total_passed = total_failed = total_skipped = 0
    for fmt in args.formats.split(","):
        if args.direct and fmt != "anthropic":
            print(f"SKIP sdk anthropic-python {fmt}-upstream: direct mode speaks Anthropic only")
            continue
        passed, failed, skipped = run_format(anthropic, fmt, None if args.direct else args.proxy_bin, args.keep,
                                             args.record_dir)
        total_passed += passed
        total_failed += failed
        total_skipped += skipped
    print(f"{total_passed} passed, {total_failed} failed" + (f", {total_skipped} skipped" if total_skipped else ""))
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())

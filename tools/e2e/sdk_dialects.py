#!/usr/bin/env python3
"""The official `openai` (Chat Completions and Responses) and `google-genai` Python SDKs, unmodified,
against `proxy serve`, streaming and not, each through a two-turn Write-tool conversation, against a
fake OpenAI-compatible upstream and a fake Anthropic upstream (tools/e2e/fake_upstream.py). The
openai-upstream runs pass Chat Completions clients through; every other pair is converted through
the pivot.

    python3 tools/e2e/sdk_dialects.py --proxy-bin .build/debug/proxy

Installs the pinned SDKs with pip when missing. Prints PASS/FAIL per check and `N passed, N failed`;
exits non-zero on any failure.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fake_upstream as fake  # noqa: E402
from stack import TestStack, run_checks  # noqa: E402

PINNED = {"openai": "openai==3.57.0", "google.genai": "google-genai==3.6.1"}
MODEL = "gpt-test"
CONTENT = "hello from switchboard ✓\n"
SCHEMA = {
    "type": "object",
    "properties": {
        "file_path": {"type": "string", "description": "The absolute path to the file to write"},
        "content": {"type": "string", "description": "The content to write to the file"},
    },
    "required": ["file_path", "content"],
}
PROMPT = "Create hello.txt."


def ensure(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"[sdk] installing {PINNED[module]} with pip", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                               "--root-user-action=ignore", PINNED[module]])
        return importlib.import_module(module)


class Checks:
    def __init__(self, stack: TestStack):
        self.base = stack.base_url
        self.expected = {"file_path": os.path.join(stack.workdir, "hello.txt"), "content": CONTENT}
        openai = ensure("openai")
        self.openai = openai.OpenAI(api_key="sk-test-openai-sdk", base_url=self.base + "/v1", max_retries=0,
                                    timeout=30)
        genai = ensure("google.genai")
        from google.genai import types
        self.types = types
        self.genai = genai.Client(api_key="gemini-test-key", http_options=types.HttpOptions(base_url=self.base))

    # --- OpenAI Chat Completions ---------------------------------------------------------------------

    def chat_tools(self):
        return [{"type": "function", "function": {"name": "Write", "description": "Writes a file.",
                                                  "parameters": SCHEMA}}]

    def chat_second_turn(self, call_id: str, arguments: str):
        return [
            {"role": "user", "content": PROMPT},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": "Write", "arguments": arguments}}]},
            {"role": "tool", "tool_call_id": call_id, "content": "File created."},
        ]

    def chat_non_streaming(self):
        first = self.openai.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": PROMPT}], tools=self.chat_tools())
        choice = first.choices[0]
        assert choice.finish_reason == "tool_calls", f"finish_reason {choice.finish_reason!r}"
        call = choice.message.tool_calls[0]
        assert call.function.name == "Write", f"tool {call.function.name!r}"
        assert json.loads(call.function.arguments) == self.expected, f"arguments {call.function.arguments!r}"
        assert first.usage.completion_tokens > 0, f"usage {first.usage!r}"
        final = self.openai.chat.completions.create(
            model=MODEL, messages=self.chat_second_turn(call.id, call.function.arguments), tools=self.chat_tools())
        assert final.choices[0].finish_reason == "stop", f"finish_reason {final.choices[0].finish_reason!r}"
        assert final.choices[0].message.content == fake.DEFAULT_FINAL_TEXT, f"text {final.choices[0].message!r}"

    def chat_streaming(self):
        stream = self.openai.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": PROMPT}], tools=self.chat_tools(), stream=True,
            stream_options={"include_usage": True})
        calls: dict[int, dict] = {}
        finish, usage = None, None
        for chunk in stream:
            if chunk.usage:
                usage = chunk.usage
            for choice in chunk.choices:
                for delta in choice.delta.tool_calls or []:
                    call = calls.setdefault(delta.index, {"id": None, "name": None, "arguments": ""})
                    call["id"] = call["id"] or delta.id
                    if delta.function and delta.function.name:
                        call["name"] = delta.function.name
                    if delta.function and delta.function.arguments:
                        call["arguments"] += delta.function.arguments
                finish = choice.finish_reason or finish
        assert finish == "tool_calls", f"finish_reason {finish!r}"
        assert list(calls) == [0] and calls[0]["name"] == "Write", f"calls {calls!r}"
        assert json.loads(calls[0]["arguments"]) == self.expected, f"arguments {calls[0]['arguments']!r}"
        assert usage is not None and usage.completion_tokens > 0, f"usage {usage!r}"
        text = ""
        for chunk in self.openai.chat.completions.create(
                model=MODEL, messages=self.chat_second_turn(calls[0]["id"], calls[0]["arguments"]),
                tools=self.chat_tools(), stream=True):
            for choice in chunk.choices:
                text += choice.delta.content or ""
        assert text == fake.DEFAULT_FINAL_TEXT, f"streamed text {text!r}"

    # --- OpenAI Responses ----------------------------------------------------------------------------

    def responses_tools(self):
        return [{"type": "function", "name": "Write", "description": "Writes a file.", "parameters": SCHEMA}]

    def responses_second_turn(self, call):
        return [
            {"role": "user", "content": PROMPT},
            {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
            {"type": "function_call_output", "call_id": call.call_id, "output": "File created."},
        ]

    def check_response_call(self, response):
        calls = [item for item in response.output if item.type == "function_call"]
        assert len(calls) == 1 and calls[0].name == "Write", f"output {response.output!r}"
        assert json.loads(calls[0].arguments) == self.expected, f"arguments {calls[0].arguments!r}"
        return calls[0]

    def responses_non_streaming(self):
        first = self.openai.responses.create(model=MODEL, input=PROMPT, tools=self.responses_tools())
        call = self.check_response_call(first)
        final = self.openai.responses.create(model=MODEL, input=self.responses_second_turn(call),
                                             tools=self.responses_tools())
        assert final.output_text == fake.DEFAULT_FINAL_TEXT, f"text {final.output_text!r}"

    def responses_streaming(self):
        with self.openai.responses.stream(model=MODEL, input=PROMPT, tools=self.responses_tools()) as stream:
            kinds = [event.type for event in stream]
            first = stream.get_final_response()
        assert kinds[0] == "response.created" and kinds[-1] == "response.completed", f"events {kinds}"
        call = self.check_response_call(first)
        with self.openai.responses.stream(model=MODEL, input=self.responses_second_turn(call),
                                          tools=self.responses_tools()) as stream:
            text = "".join(event.delta for event in stream if event.type == "response.output_text.delta")
            final = stream.get_final_response()
        assert text == fake.DEFAULT_FINAL_TEXT and final.output_text == text, f"text {text!r}"

    # --- Gemini --------------------------------------------------------------------------------------

    def gemini_config(self):
        types = self.types
        declaration = types.FunctionDeclaration(name="Write", description="Writes a file.",
                                                parameters_json_schema=SCHEMA)
        return types.GenerateContentConfig(tools=[types.Tool(function_declarations=[declaration])])

    def gemini_second_turn(self, call):
        types = self.types
        return [
            types.Content(role="user", parts=[types.Part(text=PROMPT)]),
            types.Content(role="model", parts=[types.Part(function_call=call)]),
            types.Content(role="user", parts=[types.Part(function_response=types.FunctionResponse(
                id=call.id, name=call.name, response={"result": "File created."}))]),
        ]

    def gemini_non_streaming(self):
        first = self.genai.models.generate_content(model=MODEL, contents=PROMPT, config=self.gemini_config())
        calls = first.function_calls or []
        assert len(calls) == 1 and calls[0].name == "Write", f"function calls {calls!r}"
        assert calls[0].args == self.expected, f"args {calls[0].args!r}"
        assert first.usage_metadata.candidates_token_count > 0, f"usage {first.usage_metadata!r}"
        final = self.genai.models.generate_content(model=MODEL, contents=self.gemini_second_turn(calls[0]),
                                                   config=self.gemini_config())
        assert final.text == fake.DEFAULT_FINAL_TEXT, f"text {final.text!r}"

    def gemini_streaming(self):
        calls = []
        for chunk in self.genai.models.generate_content_stream(model=MODEL, contents=PROMPT,
                                                               config=self.gemini_config()):
            calls += chunk.function_calls or []
        assert len(calls) == 1 and calls[0].name == "Write", f"function calls {calls!r}"
        assert calls[0].args == self.expected, f"args {calls[0].args!r}"
        text = "".join(chunk.text or "" for chunk in self.genai.models.generate_content_stream(
            model=MODEL, contents=self.gemini_second_turn(calls[0]), config=self.gemini_config()))
        assert text == fake.DEFAULT_FINAL_TEXT, f"streamed text {text!r}"

    def all(self):
        return [self.chat_non_streaming, self.chat_streaming, self.responses_non_streaming,
                self.responses_streaming, self.gemini_non_streaming, self.gemini_streaming]


def run_format(fmt: str, proxy_bin: str, keep: bool) -> tuple[int, int]:
    scratch = tempfile.mkdtemp(prefix=f"switchboard-dialects-{fmt}.")
    passed = failed = 0
    try:
        with TestStack(fmt, proxy_bin, scratch, route_glob="*") as stack:
            checks = Checks(stack)
            passed, failed, _ = run_checks(
                checks.all(), lambda check: f"sdk {check.__name__} {fmt}-upstream", stack)
    except RuntimeError as error:
        failed += 1
        print(f"FAIL sdk dialects {fmt}-upstream: {error}")
    finally:
        if keep:
            print(f"[sdk] kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return passed, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy-bin", default=os.environ.get("SWITCHBOARD_PROXY_BIN"))
    parser.add_argument("--formats", default="openai,anthropic")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directories")
    args = parser.parse_args()
    if not args.proxy_bin:
        parser.error("give --proxy-bin (or SWITCHBOARD_PROXY_BIN)")
    total_passed = total_failed = 0
    for fmt in args.formats.split(","):
        passed, failed = run_format(fmt, args.proxy_bin, args.keep)
        total_passed += passed
        total_failed += failed
    print(f"{total_passed} passed, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())

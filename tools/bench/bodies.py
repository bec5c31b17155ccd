#!/usr/bin/env python3
"""Writes the request bodies tools/bench.sh sends, one JSON file per (scenario, side), and prints
the scenario list as TSV: name, direct path, direct body, proxy body, expected text, proxy path.

A scenario sends the same work to the stub directly and through the proxy: for an anthropic
route the very same bytes; for an openai route the OpenAI form direct and the Anthropic form
through the proxy (which converts it), so both sides cost the stub the same.
"""

import json
import os
import sys

EXPECTED = "Hello from the bench stub."
PROMPT = [{"role": "user", "content": "Say hello in five words."}]


def anthropic(model, stream, messages=PROMPT, **extra):
    body = {"model": model, "max_tokens": 256, "messages": messages}
    body.update(extra)
    if stream:
        body["stream"] = True
    return body


def openai(stream, model="bench-upstream"):
    body = {"model": model, "max_tokens": 256, "messages": PROMPT}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return body


def gemini(stream):
    del stream  # a Gemini client streams by its path, not its body
    return {"contents": [{"role": "user", "parts": [{"text": PROMPT[0]["content"]}]}],
            "generationConfig": {"maxOutputTokens": 256}}


def gemini_path(model, stream):
    return f"/v1beta/models/{model}:" + ("streamGenerateContent?alt=sse" if stream else "generateContent")


def responses(stream, model="bench-upstream"):
    body = {"model": model, "max_output_tokens": 256, "input": PROMPT}
    if stream:
        body["stream"] = True
    return body


def claude_code_body(fixtures):
    """Claude Code's real first-turn request (~47 KB: system prompt, 12 tools), or None."""
    path = os.path.join(fixtures, "claude-code", "write-tool-session.requests.jsonl")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.loads(handle.readline())["body"]
    except (OSError, ValueError, KeyError):
        return None


def main():
    out, fixtures = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    scenarios = []

    def add(name, direct_path, direct_body, proxy_body, proxy_path="/v1/messages"):
        paths = []
        for side, body in (("direct", direct_body), ("proxy", proxy_body)):
            path = os.path.join(out, f"{name}.{side}.json")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(body, handle, ensure_ascii=False, separators=(",", ":"))
            paths.append(path)
        scenarios.append((name, direct_path, paths[0], paths[1], EXPECTED, proxy_path))

    add("anthropic-small", "/v1/messages", anthropic("bench-anthropic", False), anthropic("bench-anthropic", False))
    add("anthropic-stream", "/v1/messages", anthropic("bench-anthropic", True), anthropic("bench-anthropic", True))
    add("openai-small", "/v1/chat/completions", openai(False), anthropic("bench-openai", False))
    add("openai-stream", "/v1/chat/completions", openai(True), anthropic("bench-openai", True))
    # OpenAI Chat clients: converted to an anthropic route (against an Anthropic client on the same
    # route, the converted request should cost at most 10% more), and passed through to an openai one.
    chat = "/v1/chat/completions"
    add("openai-client-to-anthropic-small", "/v1/messages", anthropic("bench-anthropic", False),
        openai(False, "bench-anthropic"), chat)
    add("openai-client-to-anthropic-stream", "/v1/messages", anthropic("bench-anthropic", True),
        openai(True, "bench-anthropic"), chat)
    add("openai-client-passthrough-small", chat, openai(False), openai(False, "bench-openai"), chat)
    add("openai-client-passthrough-stream", chat, openai(True), openai(True, "bench-openai"), chat)
    # Gemini and OpenAI Responses clients, the same two ways.
    for stream, kind in ((False, "small"), (True, "stream")):
        add(f"gemini-client-to-anthropic-{kind}", "/v1/messages", anthropic("bench-anthropic", stream),
            gemini(stream), gemini_path("bench-anthropic", stream))
        add(f"gemini-client-passthrough-{kind}", gemini_path("bench-upstream", stream), gemini(stream),
            gemini(stream), gemini_path("bench-gemini", stream))
    for stream, kind in ((False, "small"), (True, "stream")):
        add(f"responses-client-to-anthropic-{kind}", "/v1/messages", anthropic("bench-anthropic", stream),
            responses(stream, "bench-anthropic"), "/v1/responses")
        add(f"responses-client-passthrough-{kind}", "/v1/responses", responses(stream),
            responses(stream, "bench-responses"), "/v1/responses")
    real = claude_code_body(fixtures)
    if real is not None:
        # The direct side sends the same 47 KB to the stub, so the difference is the proxy's
        # parse + convert + re-encode of a Claude Code-sized request.
        converted = dict(real, model="bench-openai", stream=True)
        add("claude-code-47k-openai-stream", "/v1/messages", converted, converted)
        # And passed through to an Anthropic route, as most Claude Code users run it.
        passed = dict(real, model="bench-anthropic", stream=True)
        add("claude-code-47k-anthropic-stream", "/v1/messages", passed, passed)
    for row in scenarios:
        print("\t".join(row))


if __name__ == "__main__":
    main()

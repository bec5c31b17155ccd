#!/usr/bin/env python3
"""A scripted, deterministic fake LLM provider for end-to-end tests and benchmarks.

Dependency-free (stdlib asyncio; ~25k small requests/s on one core, enough to bench the proxy). Binds
127.0.0.1, port 0 by default, and reports the bound port on stdout (`PORT <n>`) and in
`--port-file`.

Formats:
  --format openai     Chat Completions at /v1/chat/completions (and /chat/completions)
  --format anthropic  Messages at /v1/messages (and /v1/messages/count_tokens)
  --format codex      the ChatGPT Codex backend: the Responses API at /backend-api/codex/responses,
                      always streamed, refusing (400/401) a request without the login's token, the
                      ChatGPT account, Codex's headers, `store: false` or instructions
  --format gemini     Gemini Code Assist: /v1internal:streamGenerateContent?alt=sse (and
                      :generateContent, :loadCodeAssist) in its envelope with the login's project,
                      answers wrapped in {"response": ...}
  --format antigravity  Antigravity's backend: as gemini, also refusing a request without the IDE's
                      headers, the envelope's userAgent/requestType/requestId, Antigravity's system
                      instruction, or (Claude models) VALIDATED tool calling
  The last three also act as their OAuth provider (authorize redirect, token endpoint) for `proxy
  login --codex | --gemini | --antigravity`, issuing --require-token as the access token.

Scenarios:
  --scenario write    (default) Claude Code's Write-tool session: the first turn streams a
                      `Write` tool call, in small fragments split at odd places (mid-word,
                      mid-JSON, mid-UTF-8 on the wire); once a tool result comes back it
                      streams the final text. Side requests (titles, quota checks, haiku
                      models, count_tokens) get a short, sensible reply.
  --scenario multi    As `write`, then a Read of the file and a Bash `wc -c hello.txt`; the final
                      text ends with "Bash said: <the command's output>".
  --scenario bench    Canned replies written in one piece with no delays, for wrk; the dialect
                      follows the request path (/chat/completions: openai, else anthropic).

Every request is logged as one JSON line to `--log` (path, model, stream, what was answered).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import socket
import sys
import time
import urllib.parse
from dataclasses import dataclass, field

WRITE_TOOL_NAME = "Write"
BASH_COMMAND = "wc -c hello.txt"
FIRST_TURN_TEXT = "I'll write the file now."
THINKING_TEXT = "The user wants a file; the Write tool does that."
# Claude Code must send this back untouched with the thinking block on the next turn.
THINKING_SIGNATURE = "c2lnbmF0dXJlLWZyb20tdGhlLWZha2UtdXBzdHJlYW0tMDE="
DEFAULT_FINAL_TEXT = "Done: wrote the file."
SIDE_REPLY_TEXT = "Write a file"


# ---------------------------------------------------------------------------------------
# What to answer: a format-neutral reply plan, rendered per dialect below.


@dataclass
class Reply:
    kind: str  # "tool_call" | "final" | "side" | "error_result" | "bench"
    text: str = ""
    tool_input: dict | None = None
    tool_name: str = WRITE_TOOL_NAME
    step: int = 1  # the tool call's number in the conversation, part of its id
    stop: str = "end_turn"  # Anthropic stop_reason; mapped for OpenAI
    input_tokens: int = 0
    output_tokens: int = 0
    fragmented: bool = False
    thinking: str = ""  # streamed first as a thinking block (anthropic) or reasoning_content (openai)

    def tool_id(self, fmt: str) -> str:
        return f"toolu_sb_e2e_{self.step:02d}" if fmt == "anthropic" else f"call_sb_e2e_{self.step:02d}"


@dataclass
class Config:
    fmt: str
    scenario: str
    workdir: str
    file_name: str
    file_content: str
    final_text: str
    fragment_delay: float
    log_path: str | None
    dump_dir: str | None
    thinking: bool = False
    # A Claude subscription token: requests must carry it as Anthropic's backend takes one.
    subscription_token: str | None = None
    # A subscription backend's (--format codex | gemini | antigravity) token, account and project.
    backend_token: str = "fake-e2e-access-token"
    account: str = "acct-fake-e2e"
    project: str = "fake-e2e-project"
    counter: int = 0
    log_lines: list = field(default_factory=list)

    @property
    def file_path(self) -> str:
        return os.path.join(self.workdir, self.file_name)


def conversation(body: dict) -> list:
    """The turns of a request: Anthropic's or OpenAI's `messages`, Responses' `input` items, or the
    `contents` of a Gemini request (in Code Assist's envelope or not)."""
    inner = body.get("request") if isinstance(body.get("request"), dict) else body
    for key in ("messages", "input", "contents"):
        if isinstance(inner.get(key), list):
            return inner[key]
    return []


def tool_results(messages: list) -> list[dict]:
    """Every tool result in the conversation, in Anthropic, OpenAI, Responses or Gemini form."""
    found = []
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        if message.get("type") == "function_call_output":
            found.append({"id": message.get("call_id"), "is_error": False, "content": flatten_text(message.get("output"))})
            continue
        for part in message.get("parts") or []:
            response = part.get("functionResponse") if isinstance(part, dict) else None
            if isinstance(response, dict):
                # The tool's output, as the proxy's converter wraps it ({"output": ...} or {"content": ...}).
                result = response.get("response")
                if isinstance(result, dict) and len(result) == 1 and ("output" in result or "content" in result):
                    result = next(iter(result.values()))
                found.append({"id": response.get("id") or response.get("name"), "is_error": False,
                              "content": flatten_text(result)})
        if message.get("role") == "tool":
            content = message.get("content")
            found.append({"id": message.get("tool_call_id"), "is_error": False, "content": flatten_text(content)})
            continue
        content = message.get("content")
        if isinstance(content, list):
            for block in content:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    found.append(
                        {
                            "id": block.get("tool_use_id"),
                            "is_error": bool(block.get("is_error")),
                            "content": flatten_text(block.get("content")),
                        }
                    )
    return found


def flatten_text(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(flatten_text(part.get("text", "")) for part in content if isinstance(part, dict))
    return "" if content is None else json.dumps(content, ensure_ascii=False)


def returned_signatures(messages: list) -> list[str]:
    """Signatures of the thinking blocks the client sent back in assistant turns."""
    found = []
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, dict) and message.get("role") == "assistant" and isinstance(message.get("content"), list):
            found += [b.get("signature", "") for b in message["content"] if isinstance(b, dict) and b.get("type") == "thinking"]
    return found


def offers_write_tool(body: dict) -> bool:
    inner = body.get("request") if isinstance(body.get("request"), dict) else body
    for tool in inner.get("tools") or []:
        if not isinstance(tool, dict):
            continue
        names = [tool.get("name") or (tool.get("function") or {}).get("name")]
        names += [d.get("name") for d in tool.get("functionDeclarations") or [] if isinstance(d, dict)]
        if WRITE_TOOL_NAME in names:
            return True
    return False


def plan_reply(cfg: Config, body: dict) -> Reply:
    approx_in = max(1, len(json.dumps(body)) // 4)
    if cfg.scenario == "bench":
        return Reply("bench", text="Hello from the bench stub.", input_tokens=12, output_tokens=7)
    if not offers_write_tool(body):
        # Title generation, quota checks and the like: a short text keeps Claude Code happy.
        return Reply("side", text=SIDE_REPLY_TEXT, input_tokens=approx_in, output_tokens=3)
    results = tool_results(conversation(body))
    if results and (results[-1]["is_error"] or not results[-1]["content"]):
        # Make a failed tool run visible in Claude Code's output instead of a generic reply.
        text = "Tool failed: " + results[-1]["content"][:300]
        return Reply("error_result", text=text, input_tokens=approx_in, output_tokens=9)
    # The tool calls of the scenario, in order: `write` is one Write; `multi` then Reads the file
    # back and runs a Bash command on it, so tool results carry real data through the proxy.
    steps = [(WRITE_TOOL_NAME, {"file_path": cfg.file_path, "content": cfg.file_content})]
    if cfg.scenario == "multi":
        steps.append(("Read", {"file_path": cfg.file_path}))
        steps.append(("Bash", {"command": BASH_COMMAND, "description": "Count the bytes of hello.txt"}))
    if len(results) < len(steps):
        name, tool_input = steps[len(results)]
        return Reply(
            "tool_call",
            text=FIRST_TURN_TEXT if not results else f"Next: {name}.",
            tool_input=tool_input,
            tool_name=name,
            step=len(results) + 1,
            stop="tool_use",
            input_tokens=approx_in,
            output_tokens=42,
            fragmented=True,
            thinking=THINKING_TEXT if cfg.thinking and not results else "",
        )
    text = cfg.final_text
    if cfg.scenario == "multi":
        text += " Bash said: " + results[-1]["content"].strip()
    return Reply("final", text=text, input_tokens=approx_in, output_tokens=7, fragmented=True)


# ---------------------------------------------------------------------------------------
# Fragmenting: JSON arguments and text cut at awkward places.


def cut(text: str, sizes: list[int]) -> list[str]:
    """Cuts `text` into pieces of the given sizes (cycled), so boundaries land mid-word and mid-JSON."""
    pieces, i, k = [], 0, 0
    while i < len(text):
        n = sizes[k % len(sizes)]
        pieces.append(text[i : i + n])
        i += n
        k += 1
    return pieces


ARG_SIZES = [9, 4, 1, 13, 7, 2, 11, 5, 3]
TEXT_SIZES = [3, 5, 2, 7]


def tool_arguments_json(tool_input: dict) -> str:
    # ensure_ascii=False keeps "✓" as raw UTF-8 on the wire, so byte-level cuts can split it.
    return json.dumps(tool_input, ensure_ascii=False)


# ---------------------------------------------------------------------------------------
# Anthropic rendering


def sse(event: str | None, data: dict | str) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    head = f"event: {event}\n" if event else ""
    return (head + f"data: {payload}\n\n").encode("utf-8")


def anthropic_message(reply: Reply, model: str, msg_id: str) -> dict:
    content = []
    if reply.thinking:
        content.append({"type": "thinking", "thinking": reply.thinking, "signature": THINKING_SIGNATURE})
    if reply.text:
        content.append({"type": "text", "text": reply.text})
    if reply.tool_input is not None:
        tool_use = {"type": "tool_use", "id": reply.tool_id("anthropic"), "name": reply.tool_name}
        content.append(dict(tool_use, input=reply.tool_input))
    return {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": reply.stop,
        "stop_sequence": None,
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
    }


def anthropic_events(reply: Reply, model: str, msg_id: str) -> list[bytes]:
    start = anthropic_message(reply, model, msg_id)
    start["content"] = []
    start["stop_reason"] = None
    start["usage"] = {"input_tokens": reply.input_tokens, "output_tokens": 1}
    out = [sse("message_start", {"type": "message_start", "message": start}), sse("ping", {"type": "ping"})]
    index = 0
    if reply.thinking:
        block = {"type": "thinking", "thinking": "", "signature": ""}
        out.append(sse("content_block_start", {"type": "content_block_start", "index": index, "content_block": block}))
        for piece in cut(reply.thinking, TEXT_SIZES):
            delta = {"type": "thinking_delta", "thinking": piece}
            out.append(sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        delta = {"type": "signature_delta", "signature": THINKING_SIGNATURE}
        out.append(sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        out.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
        index += 1
    if reply.text:
        out.append(
            sse(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}},
            )
        )
        for piece in cut(reply.text, TEXT_SIZES) if reply.fragmented else [reply.text]:
            out.append(
                sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": piece}},
                )
            )
        out.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
        index += 1
    if reply.tool_input is not None:
        block = {"type": "tool_use", "id": reply.tool_id("anthropic"), "name": reply.tool_name, "input": {}}
        out.append(sse("content_block_start", {"type": "content_block_start", "index": index, "content_block": block}))
        for piece in cut(tool_arguments_json(reply.tool_input), ARG_SIZES):
            delta = {"type": "input_json_delta", "partial_json": piece}
            out.append(sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        out.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
    out.append(
        sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": reply.stop, "stop_sequence": None},
                "usage": {"output_tokens": reply.output_tokens},
            },
        )
    )
    out.append(sse("message_stop", {"type": "message_stop"}))
    return out


# ---------------------------------------------------------------------------------------
# OpenAI Chat Completions rendering

FINISH = {"tool_use": "tool_calls", "end_turn": "stop", "max_tokens": "length"}


def openai_completion(reply: Reply, model: str, cmpl_id: str) -> dict:
    message: dict = {"role": "assistant", "content": reply.text or None}
    if reply.thinking:
        message["reasoning_content"] = reply.thinking
    if reply.tool_input is not None:
        message["tool_calls"] = [
            {
                "id": reply.tool_id("openai"),
                "type": "function",
                "function": {"name": reply.tool_name, "arguments": tool_arguments_json(reply.tool_input)},
            }
        ]
    return {
        "id": cmpl_id,
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": FINISH.get(reply.stop, "stop")}],
        "usage": {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": reply.output_tokens,
            "total_tokens": reply.input_tokens + reply.output_tokens,
        },
    }


def openai_events(reply: Reply, model: str, cmpl_id: str) -> list[bytes]:
    def chunk(delta: dict, finish=None, usage=None, choices=True) -> bytes:
        body = {"id": cmpl_id, "object": "chat.completion.chunk", "created": 1700000000, "model": model}
        body["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}] if choices else []
        if usage is not None:
            body["usage"] = usage
        return sse(None, body)

    out = [chunk({"role": "assistant", "content": ""})]
    for piece in cut(reply.thinking, TEXT_SIZES):
        out.append(chunk({"reasoning_content": piece}))
    if reply.text:
        for piece in cut(reply.text, TEXT_SIZES) if reply.fragmented else [reply.text]:
            out.append(chunk({"content": piece}))
    if reply.tool_input is not None:
        function = {"name": reply.tool_name, "arguments": ""}
        head = {"index": 0, "id": reply.tool_id("openai"), "type": "function", "function": function}
        out.append(chunk({"tool_calls": [head]}))
        for piece in cut(tool_arguments_json(reply.tool_input), ARG_SIZES):
            out.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
    out.append(chunk({}, finish=FINISH.get(reply.stop, "stop")))
    usage = {
        "prompt_tokens": reply.input_tokens,
        "completion_tokens": reply.output_tokens,
        "total_tokens": reply.input_tokens + reply.output_tokens,
    }
    out.append(chunk({}, usage=usage, choices=False))
    out.append(b"data: [DONE]\n\n")
    return out


# ---------------------------------------------------------------------------------------
# Gemini and OpenAI Responses rendering: text replies only, for `--scenario bench`'s
# pass-through scenarios (a client of those dialects on a route of the same format).


def gemini_response(reply: Reply, model: str, text: str | None = None, final: bool = True,
                    response_id: str = "bench_1") -> dict:
    candidate: dict = {"content": {"role": "model", "parts": [{"text": reply.text if text is None else text}]},
                       "index": 0}
    # Gemini names each response; tool_use ids are made from the name, so it must differ per turn.
    body: dict = {"candidates": [candidate], "modelVersion": model, "responseId": response_id}
    if final:
        candidate["finishReason"] = "STOP"
        body["usageMetadata"] = {
            "promptTokenCount": reply.input_tokens,
            "candidatesTokenCount": reply.output_tokens,
            "totalTokenCount": reply.input_tokens + reply.output_tokens,
        }
    return body


def gemini_events(reply: Reply, model: str) -> list[bytes]:
    pieces = cut(reply.text, TEXT_SIZES) if reply.fragmented else [reply.text]
    return [sse(None, gemini_response(reply, model, piece, final=i == len(pieces) - 1)) for i, piece in enumerate(pieces)]


def responses_response(reply: Reply, model: str, status: str = "completed") -> dict:
    done = status == "completed"
    message = {
        "type": "message", "id": "msg_bench_1", "status": "completed", "role": "assistant",
        "content": [{"type": "output_text", "text": reply.text, "annotations": []}],
    }
    return {
        "id": "resp_bench_1", "object": "response", "created_at": 1700000000, "status": status, "model": model,
        "output": [message] if done else [],
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens,
                  "total_tokens": reply.input_tokens + reply.output_tokens} if done else None,
    }


def responses_events(reply: Reply, model: str) -> list[bytes]:
    item = {"type": "message", "id": "msg_bench_1", "status": "in_progress", "role": "assistant", "content": []}
    part = {"type": "output_text", "text": "", "annotations": []}
    events = [
        ("response.created", {"response": responses_response(reply, model, "in_progress")}),
        ("response.output_item.added", {"output_index": 0, "item": item}),
        ("response.content_part.added", {"item_id": "msg_bench_1", "output_index": 0, "content_index": 0, "part": part}),
    ]
    for piece in cut(reply.text, TEXT_SIZES) if reply.fragmented else [reply.text]:
        events.append(("response.output_text.delta",
                       {"item_id": "msg_bench_1", "output_index": 0, "content_index": 0, "delta": piece}))
    whole = responses_response(reply, model)
    events += [
        ("response.output_text.done",
         {"item_id": "msg_bench_1", "output_index": 0, "content_index": 0, "text": reply.text}),
        ("response.content_part.done", {"item_id": "msg_bench_1", "output_index": 0, "content_index": 0,
                                        "part": whole["output"][0]["content"][0]}),
        ("response.output_item.done", {"output_index": 0, "item": whole["output"][0]}),
        ("response.completed", {"response": whole}),
    ]
    return [sse(name, dict({"type": name, "sequence_number": number}, **data))
            for number, (name, data) in enumerate(events)]


def responses_tool_events(reply: Reply, model: str, resp_id: str) -> list[bytes]:
    """The Responses stream of a whole reply (text, then a function call), as the Codex backend
    streams it."""
    output: list[dict] = []
    events: list[tuple[str, dict]] = [("response.created", {"response": dict(
        responses_response(reply, model, "in_progress"), id=resp_id)})]
    if reply.text:
        msg_id = f"msg_{resp_id}"
        item = {"type": "message", "id": msg_id, "status": "in_progress", "role": "assistant", "content": []}
        events.append(("response.output_item.added", {"output_index": 0, "item": item}))
        events.append(("response.content_part.added", {"item_id": msg_id, "output_index": 0, "content_index": 0,
                                                       "part": {"type": "output_text", "text": "", "annotations": []}}))
        for piece in cut(reply.text, TEXT_SIZES) if reply.fragmented else [reply.text]:
            events.append(("response.output_text.delta",
                           {"item_id": msg_id, "output_index": 0, "content_index": 0, "delta": piece}))
        part = {"type": "output_text", "text": reply.text, "annotations": []}
        events.append(("response.output_text.done",
                       {"item_id": msg_id, "output_index": 0, "content_index": 0, "text": reply.text}))
        events.append(("response.content_part.done",
                       {"item_id": msg_id, "output_index": 0, "content_index": 0, "part": part}))
        done = dict(item, status="completed", content=[part])
        events.append(("response.output_item.done", {"output_index": 0, "item": done}))
        output.append(done)
    if reply.tool_input is not None:
        index, fc_id, arguments = len(output), f"fc_{resp_id}", tool_arguments_json(reply.tool_input)
        item = {"type": "function_call", "id": fc_id, "status": "in_progress", "call_id": reply.tool_id("openai"),
                "name": reply.tool_name, "arguments": ""}
        events.append(("response.output_item.added", {"output_index": index, "item": item}))
        for piece in cut(arguments, ARG_SIZES):
            events.append(("response.function_call_arguments.delta",
                           {"item_id": fc_id, "output_index": index, "delta": piece}))
        events.append(("response.function_call_arguments.done",
                       {"item_id": fc_id, "output_index": index, "arguments": arguments}))
        done = dict(item, status="completed", arguments=arguments)
        events.append(("response.output_item.done", {"output_index": index, "item": done}))
        output.append(done)
    whole = dict(responses_response(reply, model), id=resp_id, output=output)
    events.append(("response.completed", {"response": whole}))
    return [sse(name, dict({"type": name, "sequence_number": number}, **data))
            for number, (name, data) in enumerate(events)]


def code_assist_events(reply: Reply, model: str, trace: str) -> list[bytes]:
    """A Gemini stream of a whole reply (text pieces, then the function call in one part), each
    chunk wrapped as Code Assist wraps it."""
    chunks = [[{"text": piece}] for piece in (cut(reply.text, TEXT_SIZES) if reply.fragmented else [reply.text])
              if piece]
    if reply.tool_input is not None:
        chunks.append([{"functionCall": {"name": reply.tool_name, "args": reply.tool_input}}])
    out = []
    for number, parts in enumerate(chunks):
        body = gemini_response(reply, model, final=number == len(chunks) - 1, response_id=trace)
        body["candidates"][0]["content"]["parts"] = parts
        out.append(sse(None, {"response": body, "traceId": trace}))
    return out


# ---------------------------------------------------------------------------------------
# Wire-level fragmentation: the stream's bytes, re-cut so writes split events, JSON and UTF-8.


def wire_pieces(events: list[bytes]) -> list[bytes]:
    data = b"".join(events)
    pieces, i, k = [], 0, 0
    sizes = [37, 5, 61, 2, 23, 90, 11]
    check = "✓".encode()
    mark = data.find(check)
    forced = {mark + 1} if mark >= 0 else set()  # a cut between the first and second byte of "✓"
    while i < len(data):
        end = min(len(data), i + sizes[k % len(sizes)])
        for f in sorted(forced):
            if i < f < end:
                end = f
        pieces.append(data[i:end])
        i = end
        k += 1
    return pieces


# ---------------------------------------------------------------------------------------
# HTTP/1.1 server (keep-alive, Content-Length or chunked request bodies, chunked streaming)


class BadRequest(Exception):
    pass


async def read_request(reader: asyncio.StreamReader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    except asyncio.LimitOverrunError:
        raise BadRequest("headers too large")
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError:
        raise BadRequest("bad request line")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    else:
        body = b""
    return method, target, headers, body


def response_head(status: int, content_type: str, length: int | None, extra: str = "") -> bytes:
    reason = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
              405: "Method Not Allowed"}.get(status, "OK")
    lines = [f"HTTP/1.1 {status} {reason}", f"content-type: {content_type}", "connection: keep-alive"]
    lines.append(f"content-length: {length}" if length is not None else "transfer-encoding: chunked")
    if content_type.startswith("text/event-stream"):
        lines.append("cache-control: no-cache")
    head = "\r\n".join(lines) + "\r\n" + extra + "\r\n"
    return head.encode("latin-1")


class Server:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.bench_cache: dict = {}
        self.log_file = open(cfg.log_path, "a", buffering=1, encoding="utf-8") if cfg.log_path else None
        if cfg.dump_dir:
            os.makedirs(cfg.dump_dir, exist_ok=True)

    def log(self, record: dict):
        if self.log_file:
            self.log_file.write(json.dumps(record, ensure_ascii=False) + "\n")

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                try:
                    request = await read_request(reader)
                except BadRequest as error:
                    await self.send_json(writer, 400, {"error": str(error)})
                    break
                if request is None:
                    break
                await self.route(writer, *request)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    async def send_json(self, writer, status: int, body: dict):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        writer.write(response_head(status, "application/json", len(data)) + data)
        await writer.drain()

    async def route(self, writer, method: str, target: str, headers: dict, raw: bytes):
        cfg = self.cfg
        path = target.split("?", 1)[0]
        if cfg.scenario == "bench" and method == "POST":
            await self.bench(writer, path, raw)
            return
        if cfg.scenario == "bench" and method == "GET" and path == "/health":
            await self.send_json(writer, 200, {"ok": True})
            return
        cfg.counter += 1
        number = cfg.counter
        record = {"n": number, "t": round(time.time(), 3), "method": method, "path": target}
        body: dict = {}
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                record["error"] = "body is not JSON"
        if cfg.dump_dir and raw:
            with open(os.path.join(cfg.dump_dir, f"{number:03d}.json"), "wb") as dump:
                dump.write(raw)
        record.update(
            model=body.get("model"),
            stream=bool(body.get("stream")),
            tools=len(body.get("tools") or []),
            messages=len(body.get("messages") or []),
            auth=bool(headers.get("authorization") or headers.get("x-api-key")),
        )

        if cfg.fmt in BACKENDS:
            await self.backend(writer, record, method, target, headers, body, raw)
            return
        if method == "HEAD":
            # Claude Code's connectivity check (HEAD /api/hello) when nonessential traffic is on.
            record["answer"] = "head"
            self.log(record)
            writer.write(response_head(200, "application/json", 0))
            await writer.drain()
            return
        if method == "GET" and path.endswith("/models"):
            record["answer"] = "models"
            self.log(record)
            await self.send_json(writer, 200, {"data": [], "object": "list", "has_more": False})
            return
        if method == "GET" and path in ("/", "/health"):
            record["answer"] = "health"
            self.log(record)
            await self.send_json(writer, 200, {"ok": True})
            return
        if method != "POST":
            record["answer"] = "404"
            self.log(record)
            await self.send_json(writer, 404, not_found(cfg.fmt, method, path))
            return
        refusal = subscription_refusal(cfg.subscription_token, headers, body)
        if refusal:
            record["answer"] = "401"
            record["refused"] = refusal
            self.log(record)
            await self.send_json(writer, 401, {"type": "error", "error": {"type": "authentication_error",
                                                                          "message": refusal}})
            return
        if path.endswith("/count_tokens"):
            record["answer"] = "count_tokens"
            self.log(record)
            await self.send_json(writer, 200, {"input_tokens": max(1, len(raw) // 4)})
            return
        # Suffix match: whether a route's api_base ends in /v1 or not, the proxy's path is accepted.
        accepted = "/chat/completions" if cfg.fmt == "openai" else "/messages"
        if not path.endswith(accepted):
            record["answer"] = "404"
            self.log(record)
            await self.send_json(writer, 404, not_found(cfg.fmt, method, path))
            return

        reply = plan_reply(cfg, body)
        record["answer"] = reply.kind
        if reply.kind == "tool_call":
            record["tool"] = reply.tool_name
        if reply.kind in ("final", "error_result", "tool_call"):
            record["tool_results"] = tool_results(body.get("messages") or [])
        if cfg.thinking and reply.kind != "tool_call" and cfg.fmt == "anthropic":
            record["thinking_returned"] = returned_signatures(body.get("messages") or [])
        self.log(record)
        model = body.get("model") or "fake-model"
        if body.get("stream"):
            events = (anthropic_events if cfg.fmt == "anthropic" else openai_events)(reply, model, f"fake_{number:04d}")
            pieces = wire_pieces(events) if reply.fragmented else events
            writer.write(response_head(200, "text/event-stream; charset=utf-8", None))
            for piece in pieces:
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                await writer.drain()
                if reply.fragmented and cfg.fragment_delay > 0:
                    await asyncio.sleep(cfg.fragment_delay)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
        else:
            render = anthropic_message if cfg.fmt == "anthropic" else openai_completion
            await self.send_json(writer, 200, render(reply, model, f"fake_{number:04d}"))

    async def backend(self, writer, record: dict, method: str, target: str, headers: dict, body: dict, raw: bytes):
        """A subscription backend (--format codex | gemini | antigravity) and its OAuth provider."""
        cfg = self.cfg
        path, _, query = target.partition("?")
        if path in ("/oauth/authorize", "/o/oauth2/v2/auth"):
            # The login's browser step: straight back to its callback with a code and the state.
            form = dict(urllib.parse.parse_qsl(query))
            record["answer"] = "authorize"
            self.log(record)
            location = form.get("redirect_uri", "") + "?" + urllib.parse.urlencode(
                {"code": "fake-code-1", "state": form.get("state", "")})
            writer.write(response_head(302, "text/plain", 0, f"location: {location}\r\n"))
            await writer.drain()
            return
        if path in ("/oauth/token", "/token"):
            record["answer"] = "token"
            self.log(record)
            claims = {"email": "e2e@example.com", "https://api.openai.com/auth": {"chatgpt_account_id": cfg.account}}
            await self.send_json(writer, 200, {
                "access_token": cfg.backend_token, "refresh_token": "rt-fake-e2e", "expires_in": 3600,
                "token_type": "Bearer", "id_token": fake_jwt(claims)})
            return
        refusal = backend_refusal(cfg, path, query, headers, body)
        if refusal:
            record["answer"] = str(refusal[0])
            record["refused"] = refusal[1]
            self.log(record)
            await self.send_json(writer, refusal[0], {"error": {"code": refusal[0], "message": refusal[1]}})
            return
        if path.endswith(":loadCodeAssist"):
            record["answer"] = "loadCodeAssist"
            self.log(record)
            await self.send_json(writer, 200, {"currentTier": {"id": "free-tier"},
                                               "cloudaicompanionProject": cfg.project})
            return
        reply = plan_reply(cfg, body)
        record["answer"] = reply.kind
        record["stream"] = cfg.fmt == "codex" or path.endswith(":streamGenerateContent")
        if reply.kind == "tool_call":
            record["tool"] = reply.tool_name
        if reply.kind in ("final", "error_result", "tool_call"):
            record["tool_results"] = tool_results(conversation(body))
        self.log(record)
        model = body.get("model") or "fake-model"
        if cfg.fmt == "codex":
            events = responses_tool_events(reply, model, f"resp_fake_{record['n']:04d}")
        elif record["stream"]:
            events = code_assist_events(reply, model, f"trace-{record['n']}")
        else:
            whole = gemini_response(reply, model, response_id=f"trace-{record['n']}")
            if reply.tool_input is not None:
                whole["candidates"][0]["content"]["parts"] = (
                    [{"text": reply.text}] if reply.text else []) + [
                    {"functionCall": {"name": reply.tool_name, "args": reply.tool_input}}]
            await self.send_json(writer, 200, {"response": whole, "traceId": f"trace-{record['n']}"})
            return
        pieces = wire_pieces(events) if reply.fragmented else events
        writer.write(response_head(200, "text/event-stream; charset=utf-8", None))
        for piece in pieces:
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
            if reply.fragmented and cfg.fragment_delay > 0:
                await asyncio.sleep(cfg.fragment_delay)
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def bench(self, writer, path: str, raw: bytes):
        # Canned bytes per (path, stream) so the stub costs as little as possible per request. The
        # dialect follows the path, so one stub serves every route format.
        streaming = b'"stream":true' in raw or b'"stream": true' in raw
        key = (path, streaming)
        response = self.bench_cache.get(key)
        if response is None:
            reply = plan_reply(self.cfg, {})
            anthropic = not path.endswith("/chat/completions")
            gemini = path.split("?")[0].endswith(("generateContent", "streamGenerateContent"))
            if gemini or path.endswith("/responses"):
                events, render = (gemini_events, gemini_response) if gemini else (responses_events, responses_response)
                if streaming or ":streamGenerateContent" in path:
                    data = b"".join(events(reply, "bench"))
                    response = response_head(200, "text/event-stream; charset=utf-8", len(data)) + data
                else:
                    data = json.dumps(render(reply, "bench")).encode()
                    response = response_head(200, "application/json", len(data)) + data
            elif path.endswith("/count_tokens"):
                data = b'{"input_tokens":12}'
                response = response_head(200, "application/json", len(data)) + data
            elif streaming:
                events = (anthropic_events if anthropic else openai_events)(reply, "bench", "bench_1")
                data = b"".join(events)
                response = response_head(200, "text/event-stream; charset=utf-8", len(data)) + data
            else:
                render = anthropic_message if anthropic else openai_completion
                data = json.dumps(render(reply, "bench", "bench_1")).encode()
                response = response_head(200, "application/json", len(data)) + data
            self.bench_cache[key] = response
        writer.write(response)
        await writer.drain()


BACKENDS = ("codex", "gemini", "antigravity")
ANTIGRAVITY_HEADERS = {
    "user-agent": "antigravity/1.11.5 windows/amd64",
    "x-goog-api-client": "google-cloud-sdk vscode_cloudshelleditor/0.1",
    "client-metadata": '{"ideType":"IDE_UNSPECIFIED","platform":"PLATFORM_UNSPECIFIED","pluginType":"GEMINI"}',
}
GEMINI_HEADERS = {"client-metadata": "ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI"}


def backend_refusal(cfg: "Config", path: str, query: str, headers: dict, body: dict) -> tuple[int, str] | None:
    """(status, why) when the subscription backend would refuse this request; None when it would not."""
    if headers.get("authorization") != f"Bearer {cfg.backend_token}":
        return 401, "the login's access token must come as Authorization: Bearer"
    if cfg.fmt == "codex":
        if not path.endswith("/codex/responses"):
            return 404, f"no route for {path}"
        wanted = {"chatgpt-account-id": cfg.account, "originator": "codex_cli_rs",
                  "openai-beta": "responses=experimental"}
        for name, value in wanted.items():
            if headers.get(name) != value:
                return 400, f"{name}: {value} is missing"
        if body.get("stream") is not True or body.get("store") is not False:
            return 400, "the backend answers only stream: true, store: false"
        if not body.get("instructions"):
            return 400, "instructions are required"
        if "max_output_tokens" in body:
            return 400, "unsupported parameter: max_output_tokens"
        return None
    method = path.rpartition(":")[2]
    if not path.startswith("/v1internal:") or method not in (
            "loadCodeAssist", "streamGenerateContent", "generateContent"):
        return 404, f"no route for {path}"
    for name, value in (ANTIGRAVITY_HEADERS if cfg.fmt == "antigravity" else GEMINI_HEADERS).items():
        if headers.get(name) != value:
            return 400, f"{name}: {value} is missing"
    if method == "loadCodeAssist":
        return None if (body.get("metadata") or {}).get("pluginType") == "GEMINI" else (400, "no metadata")
    if method == "streamGenerateContent" and query != "alt=sse":
        return 400, "streamGenerateContent without alt=sse"
    if not body.get("model"):
        return 400, "the envelope has no model"
    if body.get("project") != cfg.project:
        return 403, f"permission denied on project {body.get('project')!r}"
    request = body.get("request")
    if not isinstance(request, dict) or not request.get("contents"):
        return 400, "the envelope has no request with contents"
    if cfg.fmt == "antigravity":
        if body.get("userAgent") != "antigravity" or body.get("requestType") != "agent":
            return 400, "the envelope lacks userAgent: antigravity and requestType: agent"
        if not str(body.get("requestId", "")).startswith("agent-"):
            return 400, "the envelope lacks a requestId"
        system = request.get("systemInstruction") or {}
        first = ((system.get("parts") or [{}])[0] or {}).get("text", "")
        if system.get("role") != "user" or not first.startswith("You are Antigravity"):
            return 400, "the system instruction does not start with Antigravity's identity"
        calling = ((request.get("toolConfig") or {}).get("functionCallingConfig") or {}).get("mode")
        if "claude" in body["model"] and request.get("tools") and calling != "VALIDATED":
            return 400, "Claude models take tools only in VALIDATED mode"
    return None


def fake_jwt(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
    return part({"alg": "none"}) + "." + part(dict(claims, exp=int(time.time()) + 3600)) + ".c2ln"


def subscription_refusal(token: str | None, headers: dict, body: dict) -> str | None:
    """Why Anthropic's backend would refuse this request from a subscription token; None when it would not."""
    if token is None:
        return None
    if headers.get("authorization") != f"Bearer {token}" or "x-api-key" in headers:
        return "the subscription token must come as Authorization: Bearer, alone"
    betas = headers.get("anthropic-beta", "").split(",")
    for beta in ("oauth-2025-04-20", "claude-code-20250219"):
        if beta not in betas:
            return f"anthropic-beta lacks {beta}"
    if headers.get("x-app") != "cli":
        return "x-app: cli is missing"
    system = body.get("system")
    first = system if isinstance(system, str) else (system or [{}])[0].get("text", "")
    if not first.startswith("You are Claude Code, Anthropic's official CLI for Claude."):
        return "the system prompt does not start with Claude Code's line"
    return None


def not_found(fmt: str, method: str, path: str) -> dict:
    message = f"fake upstream ({fmt}): no route for {method} {path}"
    if fmt == "anthropic":
        return {"type": "error", "error": {"type": "not_found_error", "message": message}}
    return {"error": {"message": message, "type": "invalid_request_error", "code": "not_found"}}


async def main_async(args) -> None:
    cfg = Config(
        fmt=args.format,
        scenario=args.scenario,
        workdir=os.path.abspath(args.workdir),
        file_name=args.file_name,
        file_content=args.content,
        final_text=args.final_text,
        fragment_delay=args.fragment_delay_ms / 1000.0,
        log_path=args.log,
        dump_dir=args.dump_dir,
        thinking=args.thinking,
        subscription_token=args.require_subscription,
        backend_token=args.require_token,
        account=args.account,
        project=args.project,
    )
    server = Server(cfg)
    srv = await asyncio.start_server(server.handle, args.host, args.port, limit=64 << 20, backlog=1024)
    port = srv.sockets[0].getsockname()[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as handle:
            handle.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(f"PORT {port}", flush=True)
    async with srv:
        await srv.serve_forever()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=["openai", "anthropic", *BACKENDS], default="anthropic",
                        help="dialect served (in --scenario bench, the request path decides)")
    parser.add_argument("--scenario", choices=["write", "multi", "bench"], default="write")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--workdir", default=os.getcwd(), help="directory the Write tool call targets")
    parser.add_argument("--file-name", default="hello.txt")
    parser.add_argument("--content", default="hello from switchboard ✓\n")
    parser.add_argument("--final-text", default=DEFAULT_FINAL_TEXT)
    parser.add_argument("--fragment-delay-ms", type=float, default=2.0, help="pause between streamed fragments")
    parser.add_argument("--thinking", action="store_true", help="the tool call turn starts with a thinking block")
    parser.add_argument("--log", help="append one JSON line per request here")
    parser.add_argument("--dump-dir", help="save each request body here as NNN.json")
    parser.add_argument("--require-subscription", metavar="TOKEN",
                        help="answer 401 to a POST that does not carry this Claude subscription token as Anthropic "
                             "requires it: Authorization: Bearer, the oauth and claude-code betas, Claude Code's "
                             "x-app header, and Claude Code's system prompt line first")
    parser.add_argument("--require-token", default="fake-e2e-access-token",
                        help="codex/gemini/antigravity: the access token the fake issues and requires")
    parser.add_argument("--account", default="acct-fake-e2e", help="codex: the ChatGPT account required")
    parser.add_argument("--project", default="fake-e2e-project", help="gemini/antigravity: the project")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

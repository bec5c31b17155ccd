"""A minimal Anthropic Messages client (standard library), for recording the corpus: it sends a
request to the proxy, reads the answer whole, and folds a stream into the message it tells, so a
conversation can go on with the assistant's turn and tool results, as a real agent loop does.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

CLIENT_KEY = "sk-corpus-client-key"
# Delta type -> the block field it appends to (the delta carries the piece under the same name).
TEXT_DELTAS = {"text_delta": "text", "thinking_delta": "thinking", "signature_delta": "signature"}


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str

    @property
    def json(self):
        return json.loads(self.body)

    def message(self) -> dict:
        """The Anthropic message: the body, or the stream folded."""
        if self.content_type.startswith("text/event-stream"):
            return fold_stream(self.body)
        return self.json


def post(base_url: str, body: dict | bytes, path: str = "/v1/messages", timeout: float = 60) -> Answer:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        base_url + path,
        data=data,
        method="POST",
        headers={"content-type": "application/json", "x-api-key": CLIENT_KEY, "anthropic-version": "2023-06-01"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read(), response.headers.get("content-type", ""))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), error.headers.get("content-type", ""))


def sse_events(body: bytes) -> list[tuple[str | None, str]]:
    events = []
    for frame in body.decode("utf-8").split("\n\n"):
        name, data = None, []
        for line in frame.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


def fold_stream(body: bytes) -> dict:
    """An Anthropic event stream as the message it describes (deltas merged, tool input parsed)."""
    message: dict = {"content": []}
    partial: dict[int, str] = {}
    for name, data in sse_events(body):
        event = json.loads(data)
        kind = name or event.get("type")
        if kind == "message_start":
            message = dict(event["message"], content=[])
        elif kind == "content_block_start":
            message["content"].append(dict(event["content_block"]))
        elif kind == "content_block_delta":
            block, delta = message["content"][event["index"]], event["delta"]
            field = TEXT_DELTAS.get(delta.get("type"))
            if field:
                block[field] = block.get(field, "") + delta.get(field, "")
            elif delta.get("type") == "input_json_delta":
                partial[event["index"]] = partial.get(event["index"], "") + delta.get("partial_json", "")
        elif kind == "content_block_stop" and event["index"] in partial:
            text = partial.pop(event["index"])
            message["content"][event["index"]]["input"] = json.loads(text) if text else {}
        elif kind == "message_delta":
            message.update(event.get("delta", {}))
        elif kind == "error":
            message["error"] = event.get("error")
    return message


def next_turn(messages: list, answer: dict, tool_result: str = "42") -> list | None:
    """The conversation with the assistant's answer and a result for each tool call it made; None
    when it made none (the conversation is over)."""
    content = [block for block in answer.get("content", []) if block.get("type") != "text" or block.get("text")]
    calls = [block for block in content if block.get("type") == "tool_use"]
    if not calls:
        return None
    results = [{"type": "tool_result", "tool_use_id": call["id"], "content": tool_result} for call in calls]
    return messages + [{"role": "assistant", "content": content}, {"role": "user", "content": results}]

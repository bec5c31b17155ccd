#!/usr/bin/env python3
"""Writes a large cassette for the streaming-memory test (tools/test.sh).

Copies one exchange of a corpus cassette (a /v1/messages request, so
`log-replay verify` really converts it) again and again, each copy with its
own id and its own random user message, until the LZ4 file reaches the size
asked for. The random text keeps LZ4 from shrinking it, so the file on disk is
about as large as the text a reader decodes. Request bodies use `blob` lines
and `{"$ref":...}` as the proxy's writer does (CassetteBlobs.swift): a part of
at least 1 KiB goes into a blob the first time, until 64 MiB of blobs, then
inline; so the reader's blob store is filled to the writer's limit.

The text is piped through Debian's `lz4` (linked 64 KiB blocks, the proxy's
own frame settings), so the file is a standard LZ4 frame.

usage: large-cassette.py OUT.jsonl.lz4 --megabytes N [--template CASSETTE]
       [--message-kib K]
"""
import argparse
import base64
import json
import os
import subprocess
import sys

BLOB_MINIMUM = 1024
BLOB_MAXIMUM_STORED = 64 << 20


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def read_template(path):
    """The header and the first /v1/messages exchange's lines, blobs resolved."""
    text = subprocess.run(["lz4", "-dc", path], check=True, capture_output=True).stdout
    blobs, header, exchange, chosen = {}, None, [], None
    for raw in text.splitlines():
        line = json.loads(raw)
        if line["kind"] == "cassette":
            header = line
        elif line["kind"] == "blob":
            blobs[line["id"]] = line["value"]
        else:
            if line["kind"] in ("client_request", "upstream_request") and isinstance(line.get("body"), dict):
                line["body"] = {key: resolve(value, blobs) for key, value in line["body"].items()}
            if chosen is None and line["kind"] == "client_request" and line.get("path") == "/v1/messages":
                chosen = line["x"]
            if line.get("x") == chosen:
                exchange.append(line)
    if header is None or not exchange:
        sys.exit(f"{path}: no header or no /v1/messages exchange")
    return header, exchange


def resolve(value, blobs):
    def one(item):
        if isinstance(item, dict) and list(item) == ["$ref"]:
            return blobs[item["$ref"]]
        return item

    return [one(item) for item in value] if isinstance(value, list) else one(value)


class Blobs:
    """What CassetteBlobs.swift does to a request body."""

    def __init__(self):
        self.ids, self.stored = {}, 0

    def rewrite(self, body, out):
        members = []
        for key, value in body.items():
            if isinstance(value, list):
                members.append(compact(key) + ":[" + ",".join(self.part(item, out) for item in value) + "]")
            else:
                members.append(compact(key) + ":" + self.part(value, out))
        return "{" + ",".join(members) + "}"

    def part(self, value, out):
        text = compact(value)
        if len(text) < BLOB_MINIMUM:
            return text
        known = self.ids.get(text)
        if known is None:
            if self.stored + len(text) > BLOB_MAXIMUM_STORED:
                return text
            known = f"b{len(self.ids) + 1}"
            self.ids[text] = known
            self.stored += len(text)
            out.write(f'{{"kind":"blob","id":"{known}","value":{text}}}\n'.encode())
        return '{"$ref":' + compact(known) + "}"


def write_line(line, blobs, out):
    body = line.get("body")
    if line["kind"] in ("client_request", "upstream_request") and isinstance(body, dict):
        rest = {key: value for key, value in line.items() if key != "body"}
        out.write((compact(rest)[:-1] + ',"body":' + blobs.rewrite(body, out) + "}\n").encode())
    else:
        out.write((compact(line) + "\n").encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=int, required=True, help="size of the LZ4 file to reach")
    parser.add_argument("--template", default="cassettes/providers/openai-chat/openai-text.body.jsonl.lz4")
    parser.add_argument("--message-kib", type=int, default=24, help="random user message per exchange")
    args = parser.parse_args()

    header, exchange = read_template(args.template)
    original = exchange[0]["body"]["messages"][-1]["content"]
    target = args.megabytes << 20
    with open(args.out, "wb") as file:
        lz4 = subprocess.Popen(["lz4", "-q", "-1", "-B4", "-BD", "-c"], stdin=subprocess.PIPE, stdout=file)
        out, blobs, count = lz4.stdin, Blobs(), 0
        out.write((compact(header) + "\n").encode())
        while count % 64 or os.path.getsize(args.out) < target:
            message = base64.b64encode(os.urandom(args.message_kib * 768)).decode()
            exchange_id = f"req_{count:030x}"
            for template in exchange:
                line = dict(template, x=exchange_id)
                if isinstance(line.get("body"), dict) and "messages" in line["body"]:
                    body = dict(line["body"])
                    body["messages"] = [
                        dict(item, content=message) if item.get("content") == original else item
                        for item in body["messages"]
                    ]
                    line["body"] = body
                write_line(line, blobs, out)
            count += 1
            if count % 64 == 0:
                out.flush()
        out.close()
        if lz4.wait() != 0:
            sys.exit("lz4 failed")
    print(f"{args.out}: {count} exchanges, {os.path.getsize(args.out) >> 20} MiB")


if __name__ == "__main__":
    main()

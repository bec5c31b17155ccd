#!/usr/bin/env python3
"""For benchmarking against `stub-upstream`: rewrites the scenario list so that each scenario's
direct request is exactly the upstream request the proxy sent for it, as recorded in a cassette
(stub-upstream only answers requests it has a recording of).

    stub_bodies.py CASSETTE_DIR SCENARIOS.tsv OUT_DIR > SCENARIOS-for-stub.tsv

A client request is matched to its scenario by its path and JSON body; the proxy body file is unchanged.
"""

import glob
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit


def events(directory):
    for path in sorted(glob.glob(os.path.join(directory, "**", "*.jsonl*"), recursive=True)):
        if path.endswith(".lz4"):
            # A cassette is one standard LZ4 frame; Debian's lz4 reads it (and a torn tail is fine here).
            text = subprocess.run(["lz4", "-dc", path], capture_output=True, check=False).stdout.decode("utf-8")
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        blobs = {}  # each file defines its own
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("kind") == "blob":
                blobs[event.get("id")] = event.get("value")
                continue
            if isinstance(event.get("body"), dict):
                event["body"] = resolve_blobs(event["body"], blobs)
            yield event


def resolve_blobs(body, blobs):
    """Puts back the large parts the writer stored once per file as `blob` lines: a top-level value
    or an element of a top-level array that is {"$ref": id} (see Sources/Cassette/CassetteBlobs.swift)."""

    def resolved(value):
        if isinstance(value, dict) and len(value) == 1 and value.get("$ref") in blobs:
            return blobs[value["$ref"]]
        return value

    return {
        key: [resolved(item) for item in value] if isinstance(value, list) else resolved(value)
        for key, value in body.items()
    }


def main():
    cassettes, scenarios_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    client_bodies, upstream = {}, {}
    for event in events(cassettes):
        if event.get("kind") == "client_request" and "body" in event:
            client_bodies.setdefault(event["x"], (urlsplit(event.get("path", "")).path, event["body"]))
        elif event.get("kind") == "upstream_request" and "body" in event:
            upstream.setdefault(event["x"], (urlsplit(event.get("url", "")).path, event["body"]))
    missing = 0
    with open(scenarios_path, encoding="utf-8") as handle:
        for line in handle:
            name, _path, _direct_body, proxy_body, expected, proxy_path = line.rstrip("\n").split("\t")
            with open(proxy_body, encoding="utf-8") as body_file:
                wanted = json.load(body_file)
            # By path too: a Gemini client's streamed and plain requests have the same body.
            wanted_path = urlsplit(proxy_path).path
            found = next(
                (x for x, (path, body) in client_bodies.items() if (path, body) == (wanted_path, wanted) and x in upstream),
                None,
            )
            if found is None:
                print(f"stub_bodies: no recorded upstream request for scenario {name}", file=sys.stderr)
                missing += 1
                continue
            path, body = upstream[found]
            direct_body = os.path.join(out, f"{name}.direct-stub.json")
            with open(direct_body, "w", encoding="utf-8") as body_file:
                json.dump(body, body_file, ensure_ascii=False, separators=(",", ":"))
            print("\t".join([name, path, direct_body, proxy_body, expected, proxy_path]))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Sends one request body N times over one keep-alive connection, like one wrk connection, and
fails unless every answer is 200 and holds the expected text. tools/bench.sh uses it to drive a
fixed number of requests through a proxy that runs under callgrind.

    send.py URL BODY.json COUNT EXPECTED
"""

import http.client
import sys
import urllib.parse

# The same headers as tools/bench/post.lua: each dialect finds its key where it looks.
HEADERS = {
    "Content-Type": "application/json",
    "anthropic-version": "2023-06-01",
    "x-api-key": "sk-bench-not-a-real-key",
    "Authorization": "Bearer sk-bench-not-a-real-key",
    "x-goog-api-key": "sk-bench-not-a-real-key",
}


def main():
    url, body_path, count, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    with open(body_path, "rb") as handle:
        body = handle.read()
    # Under valgrind a streamed answer can take seconds.
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    for index in range(count):
        connection.request("POST", path, body=body, headers=HEADERS)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        if response.status != 200 or expected not in text:
            print(f"request {index + 1} of {count} to {url}: status {response.status}: {text[:400]}", file=sys.stderr)
            return 1
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

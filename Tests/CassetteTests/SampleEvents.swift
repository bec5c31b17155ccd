import Cassette
import Foundation
import SSE
import Wire

/// One exchange holding a line of every kind, with awkward content: non-ASCII
/// text, a chunk split inside a UTF-8 sequence, a non-JSON body.
func sampleExchange(id: String) -> [CassetteEvent] {
    sampleLines().map { CassetteEvent(exchange: id, timeMicros: $0.time, $0.line) }
}

/// ``sampleExchange(id:)``'s lines, with their times.
func sampleLines() -> [(time: Int64, line: CassetteLine)] {
    let redactor = Redactor()
    let headers = redactor.headers([
        (name: "content-type", value: "application/json"), (name: "x-api-key", value: "sk-ant-test-1234"),
    ])
    let euro = Array("€".utf8)
    return [
        (
            0,
            .clientRequest(
                method: "POST", path: "/v1/messages", query: "beta=true", headers: headers,
                started: Date(timeIntervalSince1970: 1_795_000_000.123),
                body: Array(
                    #"{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"héllo"}]}"#.utf8))
        ),
        (
            12,
            .route(
                modelID: "claude-x", upstream: "http://127.0.0.1:9/v1",
                options: ["model_id": "claude-x", "upstream_dialect": "openai"], requestedModel: "claude-x",
                upstreamName: "openai at 127.0.0.1:9")
        ),
        (20, .diagnostic(severity: .debug, path: "/tools/0/cache_control", message: "dropped")),
        (
            30,
            .upstreamRequest(
                method: "POST", url: redactor.url("http://127.0.0.1:9/v1/chat/completions?key=abc"),
                headers: ["authorization": Redactor.fingerprint("sk-upstream")],
                body: Array(#"{"model":"gpt","stream":true}"#.utf8))
        ),
        (400, .upstreamResponse(status: 200, headers: ["content-type": "text/event-stream"])),
        (410, .upstreamChunk(bytes: Array("data: {\"x\":\"".utf8) + euro.prefix(2))),
        (420, .upstreamChunk(bytes: Array(euro.suffix(1)) + Array("\"}\n\n".utf8))),
        (405, .clientResponse(status: 200, headers: ["content-type": "text/event-stream"], body: nil)),
        (415, .clientEvent(SSEEvent(event: "message_start", data: #"{"type":"message_start","n":1.5}"#))),
        (416, .clientEvent(SSEEvent(event: nil, data: "not json\nsecond line", id: "7", retry: 3000))),
        (430, .error(stage: .upstreamStream, type: "api_error", message: "cut", status: nil)),
        (431, .clientResponse(status: 400, headers: [:], body: [0xFF, 0x00, 0x80])),
        (
            440,
            .end(
                outcome: .error, status: 200, durationMicros: 440, ttfbMicros: 405,
                usage: ["input_tokens": 3, "output_tokens": 5], droppedEvents: 0)
        ),
    ]
}

/// The exact text of a line, for byte-level comparisons.
func lineText(_ event: CassetteEvent) -> String { event.json.serializedString() }

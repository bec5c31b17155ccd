import Cassette
import SSE
import Wire

/// One exchange holding a line of every kind, with awkward content: non-ASCII
/// text, a chunk split inside a UTF-8 sequence, a non-JSON body.
func sampleExchange(id: String) -> [CassetteEvent] {
    let redactor = Redactor()
    let headers = redactor.headers([
        (name: "content-type", value: "application/json"), (name: "x-api-key", value: "sk-ant-test-1234"),
    ])
    let euro = Array("€".utf8)
    return [
        .clientRequest(
            exchange: id, timeMicros: 0, method: "POST", path: "/v1/messages", query: "beta=true", headers: headers,
            body: Array(#"{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"héllo"}]}"#.utf8)),
        .route(
            exchange: id, timeMicros: 12, modelID: "claude-x", upstream: "http://127.0.0.1:9/v1",
            options: ["model_id": "claude-x", "upstream_dialect": "openai"], requestedModel: "claude-x"),
        .diagnostic(
            exchange: id, timeMicros: 20, severity: "debug", path: "/tools/0/cache_control", message: "dropped"),
        .upstreamRequest(
            exchange: id, timeMicros: 30, method: "POST",
            url: redactor.url("http://127.0.0.1:9/v1/chat/completions?key=abc"),
            headers: ["authorization": Redactor.fingerprint("sk-upstream")],
            body: Array(#"{"model":"gpt","stream":true}"#.utf8)),
        .upstreamResponse(
            exchange: id, timeMicros: 400, status: 200, headers: ["content-type": "text/event-stream"]),
        .upstreamChunk(exchange: id, timeMicros: 410, bytes: Array("data: {\"x\":\"".utf8) + euro.prefix(2)),
        .upstreamChunk(exchange: id, timeMicros: 420, bytes: Array(euro.suffix(1)) + Array("\"}\n\n".utf8)),
        .clientResponse(
            exchange: id, timeMicros: 405, status: 200, headers: ["content-type": "text/event-stream"], body: nil),
        .clientEvent(
            exchange: id, timeMicros: 415,
            event: SSEEvent(event: "message_start", data: #"{"type":"message_start","n":1.5}"#)),
        .clientEvent(exchange: id, timeMicros: 416, event: SSEEvent(event: nil, data: "not json\nsecond line")),
        .error(
            exchange: id, timeMicros: 430, stage: "upstream_stream", type: "api_error", message: "cut", status: nil),
        .clientResponse(
            exchange: id, timeMicros: 431, status: 400, headers: [:], body: [0xFF, 0x00, 0x80]),
        .end(
            exchange: id, timeMicros: 440, outcome: "error", status: 200, durationMicros: 440, ttfbMicros: 405,
            usage: ["input_tokens": 3, "output_tokens": 5], droppedEvents: 0),
    ]
}

/// The exact text of a line, for byte-level comparisons.
func lineText(_ event: CassetteEvent) -> String { event.json.serializedString() }

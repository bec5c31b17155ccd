import Cassette
import Convert
import Foundation
import Replay
import SSE
import TestSupport
import Wire

/// Records exchanges the way the proxy does, using today's converters, so a
/// fresh cassette verifies clean and a mutated one shows where it differs.
enum ConvertedExchange {
    static let openAIRoute = RouteOptions(modelID: "sonnet", upstreamDialect: .openai, upstreamModel: "gpt-4.1-nano")

    static func routeJSON(_ route: RouteOptions) throws -> JSONValue {
        try JSONValue(parsing: Array(try JSONEncoder().encode(route)))
    }

    static func request(stream: Bool) -> JSONValue {
        [
            "model": "claude-sonnet-4-5", "max_tokens": 256, "stream": .bool(stream),
            "messages": [["role": "user", "content": "Invent a holiday"]],
        ]
    }

    /// The lines up to and including the upstream request.
    static func requestLines(id: String, request: JSONValue, route: RouteOptions) throws -> [CassetteEvent] {
        let converted = try RequestConverter.convert(anthropicRequest: request, route: route)
        return [
            .clientRequest(
                exchange: id, timeMicros: 0, method: "POST", path: "/v1/messages", query: nil,
                headers: ["content-type": "application/json", "x-api-key": "[redacted:1a2b3c4d]"],
                body: request.serialized()),
            .route(
                exchange: id, timeMicros: 10, modelID: route.modelID, upstream: "https://api.openai.com/v1",
                options: try routeJSON(route), requestedModel: request["model"]?.stringValue ?? ""),
            .upstreamRequest(
                exchange: id, timeMicros: 20, method: "POST", url: "https://api.openai.com/v1/chat/completions",
                headers: ["content-type": "application/json"], body: converted.body.serialized()),
        ]
    }

    /// A streamed exchange: the fixture's SSE bytes cut into `pieces` chunks
    /// at arbitrary points, transcoded as the proxy would.
    static func streaming(
        id: String, fixture: String = "providers/openai-chat/openai-text.chunks.txt", pieces: Int = 7
    )
        throws -> [CassetteEvent]
    {
        let route = openAIRoute
        let request = request(stream: true)
        var lines = try requestLines(id: id, request: request, route: route)
        let bytes = try Fixtures.sseBytes(chunksFile: try Fixtures.path(fixture))
        lines.append(
            .upstreamResponse(
                exchange: id, timeMicros: 1000, status: 200, headers: ["content-type": "text/event-stream"]))
        lines.append(
            .clientResponse(
                exchange: id, timeMicros: 1001, status: 200, headers: ["content-type": "text/event-stream"], body: nil))
        var converter = UpstreamStreamConverter(route: route, requestedModel: "claude-sonnet-4-5")
        let size = bytes.count / pieces + 1
        var time: Int64 = 1002
        for start in stride(from: 0, to: bytes.count, by: size) {
            let chunk = Array(bytes[start..<min(bytes.count, start + size)])
            time += 10
            lines.append(.upstreamChunk(exchange: id, timeMicros: time, bytes: chunk))
            for event in converter.receive(chunk) {
                lines.append(.clientEvent(exchange: id, timeMicros: time + 1, event: event))
            }
        }
        for event in converter.finish(error: nil) {
            lines.append(.clientEvent(exchange: id, timeMicros: time + 2, event: event))
        }
        lines.append(
            .end(
                exchange: id, timeMicros: time + 3, outcome: .ok, status: 200, durationMicros: time + 3,
                ttfbMicros: 1001,
                usage: converter.usage, droppedEvents: 0))
        return lines
    }

    /// A non-streamed exchange answered with the fixture body.
    static func plain(id: String, fixture: String = "providers/openai-chat/openai-text.json") throws -> [CassetteEvent]
    {
        let route = openAIRoute
        var lines = try requestLines(id: id, request: request(stream: false), route: route)
        let body = try Fixtures.bytes(atPath: try Fixtures.path(fixture))
        let converted = try ResponseConverter.convert(
            upstreamBody: try JSONValue(parsing: body), route: route, requestedModel: "claude-sonnet-4-5")
        lines.append(
            .upstreamResponse(exchange: id, timeMicros: 900, status: 200, headers: ["content-type": "application/json"])
        )
        lines.append(.upstreamChunk(exchange: id, timeMicros: 950, bytes: body))
        lines.append(
            .clientResponse(
                exchange: id, timeMicros: 1000, status: 200, headers: ["content-type": "application/json"],
                body: converted.serialized()))
        // Every exchange the proxy records ends with one; verify counts one
        // without it as incomplete.
        lines.append(
            .end(
                exchange: id, timeMicros: 1010, outcome: .ok, status: 200, durationMicros: 1010, ttfbMicros: 1000,
                usage: nil, droppedEvents: 0))
        return lines
    }

    /// An upstream 429, mapped as the proxy maps it.
    static func rateLimited(id: String) throws -> [CassetteEvent] {
        let route = openAIRoute
        var lines = try requestLines(id: id, request: request(stream: true), route: route)
        let body = Array(
            #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#.utf8)
        let error = UpstreamErrorMapper.map(
            status: 429, body: body, retryAfter: "3", upstream: "sonnet (https://api.openai.com/v1)", dialect: .openai)
        lines.append(.upstreamResponse(exchange: id, timeMicros: 500, status: 429, headers: ["retry-after": "3"]))
        lines.append(.upstreamChunk(exchange: id, timeMicros: 510, bytes: body))
        lines.append(
            .clientResponse(
                exchange: id, timeMicros: 520, status: error.status, headers: ["content-type": "application/json"],
                body: error.rendered(in: .anthropic).serialized()))
        lines.append(
            .end(
                exchange: id, timeMicros: 530, outcome: .error, status: error.status, durationMicros: 530,
                ttfbMicros: 520, usage: nil, droppedEvents: 0))
        return lines
    }

    /// An upstream 2xx/3xx answer the proxy refused on its head (as it
    /// refuses `content-encoding: br` or a redirect to another host): an
    /// `error` line at `upstream_response`, and that error as the client's
    /// answer.
    static func refused(
        id: String, stream: Bool, status: Int, headers: RecordedHeaders, body: String, message: String
    ) throws -> [CassetteEvent] {
        var lines = try requestLines(id: id, request: request(stream: stream), route: openAIRoute)
        let error = APIError(status: 502, type: "api_error", message: message)
        lines.append(
            .upstreamResponse(exchange: id, timeMicros: 500, status: status, headers: headers))
        if !body.isEmpty { lines.append(.upstreamChunk(exchange: id, timeMicros: 505, bytes: Array(body.utf8))) }
        lines.append(
            .error(
                exchange: id, timeMicros: 510, stage: .upstreamResponse, type: error.type, message: error.message,
                status: error.status))
        lines.append(
            .clientResponse(
                exchange: id, timeMicros: 520, status: error.status, headers: ["content-type": "application/json"],
                body: error.rendered(in: .anthropic).serialized()))
        lines.append(
            .end(
                exchange: id, timeMicros: 530, outcome: .error, status: error.status, durationMicros: 530,
                ttfbMicros: 520, usage: nil, droppedEvents: 0))
        return lines
    }

    /// Writes `events` as a cassette at `path` (LZ4 when it ends in `.lz4`).
    static func write(_ events: [CassetteEvent], to path: String) throws {
        let writer = try CassetteWriter(file: path)
        for event in events { try writer.write(event) }
        try writer.close()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appending(path: "replay-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

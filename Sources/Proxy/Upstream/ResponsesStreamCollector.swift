import Convert
import SSE
import Wire

/// Collects an OpenAI Responses stream into the response object a
/// non-streaming call returns, for upstreams that only stream (Codex): the
/// final `response.completed` (or `response.incomplete`) event's response,
/// with its `output` taken from the `response.output_item.done` events
/// when the final event leaves it empty.
struct ResponsesStreamCollector {
    private var items: [Int: JSONValue] = [:]
    private var final: JSONValue?
    private var failure: APIError?
    let upstreamName: String

    init(upstreamName: String) {
        self.upstreamName = upstreamName
    }

    /// Whether the stream has reported an error (`response.failed`, `error`).
    var hasFailed: Bool { failure != nil }

    /// Takes one event of the stream.
    mutating func add(_ event: SSEEvent) {
        guard final == nil, failure == nil, let json = try? JSONValue(parsing: event.data) else { return }
        switch json["type"]?.stringValue ?? event.event {
        case "response.output_item.done":
            if let index = json["output_index"]?.intValue, let item = json["item"] { items[index] = item }
        case "response.completed", "response.incomplete":
            final = json["response"]
        case "response.failed":
            failure = Self.error(json["response"]?["error"], upstreamName: upstreamName)
        case "error":
            failure = Self.error(json["error"] ?? json, upstreamName: upstreamName)
        default:
            break
        }
    }

    /// The whole response, or the stream's error (a stream that ended
    /// before its final event included).
    func response() throws(APIError) -> JSONValue {
        if let failure { throw failure }
        guard case .object(var response)? = final else {
            throw APIError(
                status: 502, type: "api_error",
                message: "upstream \(upstreamName) stream ended early, before response.completed")
        }
        if (response["output"]?.arrayValue ?? []).isEmpty, !items.isEmpty {
            response["output"] = .array(items.keys.sorted().map { items[$0]! })
        }
        return .object(response)
    }

    private static func error(_ error: JSONValue?, upstreamName: String) -> APIError {
        let message = error?["message"]?.stringValue ?? "the response failed"
        return APIError(status: 502, type: "api_error", message: "upstream \(upstreamName): \(message)")
    }
}

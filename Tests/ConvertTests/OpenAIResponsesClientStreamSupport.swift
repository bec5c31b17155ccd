import Convert
import SSE
import TestSupport
import Wire

/// Runs raw upstream bytes through `UpstreamStreamConverter` for a Responses
/// client, whole or in slices of `sliceSize` bytes.
func convertStreamForResponsesClient(
    _ bytes: [UInt8], route: RouteOptions, sliceSize: Int? = nil, error: APIError? = nil
) -> [SSEEvent] {
    convertStream(
        bytes, route: route, sliceSize: sliceSize, error: error, requestedModel: "gpt-test",
        encoder: OpenAIResponsesStreamEncoder(requestedModel: "gpt-test", createdAt: 1_700_000_000))
}

/// Pivot events straight through the encoder.
func encodeForResponsesClient(_ events: [AnthropicStreamEvent]) -> [SSEEvent] {
    var encoder = OpenAIResponsesStreamEncoder(requestedModel: "gpt-test", createdAt: 1_700_000_000)
    var frames: [SSEEvent] = []
    for event in events { encoder.encode(event, into: &frames) }
    return frames
}

/// What a Responses client rebuilds from a stream: per output item, its
/// type, streamed text (message text, reasoning summary, call arguments)
/// and call name; and the terminal event's response.
struct AssembledResponse {
    struct Item: Equatable {
        var type: String
        var text = ""
        var name: String?
    }

    var items: [Item] = []
    var types: [String] = []
    var terminal: JSONValue?
    var error: JSONValue?

    init(_ events: [SSEEvent]) {
        var positions: [String: Int] = [:]
        for event in events {
            guard let payload = try? JSONValue(parsing: event.data) else { continue }
            let type = payload["type"]?.stringValue ?? ""
            types.append(type)
            switch type {
            case "response.output_item.added":
                let item = payload["item"]
                positions[item?["id"]?.stringValue ?? ""] = items.count
                items.append(Item(type: item?["type"]?.stringValue ?? "", name: item?["name"]?.stringValue))
            case "response.output_text.delta", "response.reasoning_summary_text.delta",
                "response.function_call_arguments.delta":
                if let position = positions[payload["item_id"]?.stringValue ?? ""] {
                    items[position].text += payload["delta"]?.stringValue ?? ""
                }
            case "response.completed", "response.incomplete", "response.failed":
                terminal = payload["response"]
            case "error":
                error = payload
            default:
                break
            }
        }
    }

    func texts(of type: String) -> [String] { items.filter { $0.type == type }.map(\.text) }
}

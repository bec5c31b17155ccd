import Cassette
import Foundation
import SSE
import Wire

/// Reads the payload fields of recorded lines back into bytes and frames.
enum ExchangeBody {
    /// A line's body: `body` (JSON, serialized compactly in its recorded key
    /// order), `body_text` or `body_b64`; nil when the line has none.
    static func bytes(of event: CassetteEvent) -> [UInt8]? {
        if let body = event["body"] { return body.serialized() }
        if let text = event["body_text"]?.stringValue { return Array(text.utf8) }
        if let base64 = event["body_b64"]?.stringValue, let data = Data(base64Encoded: base64) { return Array(data) }
        return nil
    }

    /// An `upstream_chunk` line's bytes: `text` or `b64`.
    static func chunkBytes(of event: CassetteEvent) -> [UInt8] {
        if let text = event["text"]?.stringValue { return Array(text.utf8) }
        if let base64 = event["b64"]?.stringValue, let data = Data(base64Encoded: base64) { return Array(data) }
        return []
    }

    /// A `client_event` line as the frame the client received.
    static func sseEvent(of event: CassetteEvent) -> SSEEvent {
        let data: String =
            if let text = event["data_text"]?.stringValue { text } else { event["data"]?.serializedString() ?? "" }
        return SSEEvent(event: event["event"]?.stringValue, data: data)
    }

    /// A line's `headers` object as pairs; values that are arrays (a header
    /// sent twice) become one pair each.
    static func headers(of event: CassetteEvent?) -> [(name: String, value: String)] {
        guard let headers = event?["headers"]?.objectValue else { return [] }
        var pairs: [(name: String, value: String)] = []
        for member in headers.members {
            switch member.value {
            case .string(let value): pairs.append((member.key, value))
            case .array(let values): pairs += values.compactMap(\.stringValue).map { (member.key, $0) }
            default: pairs.append((member.key, member.value.serializedString()))
            }
        }
        return pairs
    }
}

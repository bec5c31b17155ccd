import Convert
import NIOCore
import Wire

/// Whether the upstream event just read only opens the answer: Anthropic's
/// `message_start` and `ping`, Responses' `response.created` and
/// `response.in_progress`, a Chat chunk with a role and no content, tool
/// call or finish. An error after such an event still comes before anything
/// the client could use, so the wait for a stream's first event
/// (``UpstreamCall/giveUpOnFirstEventError(_:sent:)``) reads on past it:
/// Anthropic answers 200, sends `message_start`, then `overloaded_error`.
/// Fed the stream line by line; only the first few events of a route with
/// a fallback left are read so.
struct AnswerOpening {
    private var eventName: Substring?
    private var opens = false
    /// The line read was the blank line that ended an event that only
    /// opens the answer.
    private(set) var endedEventOpened = false

    private static let openingEvents: Set<Substring> = [
        "message_start", "ping", "response.created", "response.in_progress",
    ]

    mutating func read(_ line: ByteBufferView.SubSequence, dialect: Dialect) {
        var end = line.endIndex
        while end > line.startIndex, [0x0A, 0x0D].contains(line[line.index(before: end)]) {
            end = line.index(before: end)
        }
        let text = Substring(decoding: line[line.startIndex..<end], as: UTF8.self)
        endedEventOpened = false
        if text.isEmpty {
            endedEventOpened = opens
            eventName = nil
            opens = false
        } else if text.hasPrefix("event:") {
            eventName = text.dropFirst(6).drop { $0 == " " }
            opens = eventName.map(Self.openingEvents.contains) ?? false
        } else if text.hasPrefix("data:"), eventName == nil, dialect == .openai {
            opens = Self.isRoleOnlyChatChunk(text.dropFirst(5))
        }
    }

    private static func isRoleOnlyChatChunk(_ data: Substring) -> Bool {
        guard let chunk = try? JSONValue(parsing: Array(data.utf8)), chunk["error"] == nil,
            let choice = chunk["choices"]?[0], choice["finish_reason"]?.stringValue == nil
        else { return false }
        let delta = choice["delta"]
        return delta?["tool_calls"] == nil && (delta?["content"]?.stringValue ?? "").isEmpty
            && (delta?["reasoning_content"]?.stringValue ?? "").isEmpty
    }
}

import SSE
import Wire

/// Checks that SSE frames are a valid OpenAI Chat Completions stream, as an
/// OpenAI SDK reads it. An empty result means valid.
///
/// Rules:
/// - every frame is a JSON `chat.completion.chunk`, `[DONE]`, or an error
///   object `{"error":{"message","type"}}`, which must be the last frame;
/// - every chunk has the same non-empty `id`;
/// - the first chunk, and only it, carries `delta.role`;
/// - a tool call's first fragment has its `id` and `function.name`; indexes
///   start at 0 and each new one is one more than the last; each index's
///   `arguments` together parse as a JSON object (or are empty);
/// - exactly one chunk has a non-null `finish_reason`, and no content follows it;
/// - when usage is expected, one chunk with no choices and a `usage` object
///   follows the finish chunk, and there is none otherwise;
/// - `[DONE]` is the last frame, unless an error frame ended the stream.
public enum OpenAIChatStreamChecker {
    public static func violations(in events: [SSEEvent], expectUsage: Bool) -> [String] {
        var state = State()
        for (index, event) in events.enumerated() {
            state.check(event, at: index, isLast: index == events.count - 1)
        }
        state.checkEnd(expectUsage: expectUsage)
        return state.violations
    }

    private struct State {
        var violations: [String] = []
        var chunkCount = 0
        var id: String?
        var finishSeen = false
        var usageChunks = 0
        var ended = false
        var errored = false
        var arguments: [String] = []

        mutating func check(_ event: SSEEvent, at index: Int, isLast: Bool) {
            func fail(_ message: String) { violations.append("frame \(index): \(message)") }
            if ended { fail("frame after the stream ended") }
            if event.data == "[DONE]" {
                ended = true
                return
            }
            guard let payload = try? JSONValue(parsing: event.data) else { return fail("data is not JSON") }
            if let error = payload["error"] {
                if error["message"]?.stringValue == nil || error["type"]?.stringValue == nil {
                    fail("error frame lacks message or type")
                }
                if !isLast { fail("error frame is not the last frame") }
                errored = true
                ended = true
                return
            }
            guard payload["object"]?.stringValue == "chat.completion.chunk" else {
                return fail("object is not chat.completion.chunk")
            }
            let chunkID = payload["id"]?.stringValue ?? ""
            if chunkID.isEmpty { fail("empty id") }
            if let id, id != chunkID { fail("id \(chunkID) differs from \(id)") }
            id = chunkID
            chunkCount += 1
            guard let choices = payload["choices"]?.arrayValue else { return fail("choices is not an array") }
            if choices.isEmpty {
                if payload["usage"]?.objectValue == nil { fail("chunk with no choices and no usage") }
                if !finishSeen { fail("usage chunk before the finish chunk") }
                usageChunks += 1
                return
            }
            if usageChunks > 0 { fail("chunk with choices after the usage chunk") }
            for choice in choices {
                for problem in check(choice, isFirstChunk: chunkCount == 1) { fail(problem) }
            }
        }

        /// The problems of one choice.
        private mutating func check(_ choice: JSONValue, isFirstChunk: Bool) -> [String] {
            var problems: [String] = []
            func fail(_ message: String) { problems.append(message) }
            let delta = choice["delta"] ?? [:]
            let hasRole = delta["role"] != nil && delta["role"]?.isNull == false
            if isFirstChunk && delta["role"]?.stringValue != "assistant" { fail("first chunk has no assistant role") }
            if !isFirstChunk && hasRole { fail("role repeated after the first chunk") }
            let hasContent =
                !(delta["content"]?.stringValue ?? "").isEmpty
                || !(delta["reasoning_content"]?.stringValue ?? "").isEmpty
                || !(delta["tool_calls"]?.arrayValue ?? []).isEmpty
            if finishSeen && hasContent { fail("content after the finish chunk") }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                guard let callIndex = call["index"]?.intValue else {
                    fail("tool call without an integer index")
                    continue
                }
                if callIndex == arguments.count {
                    if call["id"]?.stringValue == nil || call["function"]?["name"]?.stringValue == nil {
                        fail("tool call \(callIndex) starts without id and name")
                    }
                    arguments.append("")
                } else if callIndex > arguments.count || callIndex < 0 {
                    fail("tool call index \(callIndex) skips from \(arguments.count - 1)")
                    continue
                }
                arguments[callIndex] += call["function"]?["arguments"]?.stringValue ?? ""
            }
            if let reason = choice["finish_reason"], !reason.isNull {
                if finishSeen { fail("second finish_reason") }
                if reason.stringValue == nil { fail("finish_reason is not a string") }
                finishSeen = true
            }
            return problems
        }

        mutating func checkEnd(expectUsage: Bool) {
            if !ended { violations.append("end: stream ends without [DONE] or an error frame") }
            if chunkCount == 0 && !errored { violations.append("end: no chunks") }
            guard !errored else { return }
            if !finishSeen { violations.append("end: no finish_reason") }
            if expectUsage && usageChunks != 1 { violations.append("end: \(usageChunks) usage chunks, expected 1") }
            if !expectUsage && usageChunks != 0 { violations.append("end: usage chunk not asked for") }
            for (index, text) in arguments.enumerated() where !text.isEmpty {
                guard case .object? = try? JSONValue(parsing: text) else {
                    violations.append("end: tool call \(index) arguments are not a JSON object: \(text.prefix(200))")
                    continue
                }
            }
        }
    }
}

import Wire

/// The parts of an OpenAI Responses result that non-streaming and streaming
/// conversion share: usage, stop reason, reasoning signatures, and the
/// `parallel` wrapper some models emit.
enum OpenAIResponsesResultMapping {
    /// Responses usage -> Anthropic usage. `input_tokens` includes the
    /// cached ones; Anthropic counts them apart. `output_tokens` includes
    /// reasoning, as Anthropic's does.
    static func anthropicUsage(_ usage: JSONValue?) -> JSONObject? {
        guard let usage, let input = usage["input_tokens"]?.intValue else { return nil }
        let cached = usage["input_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        return [
            "input_tokens": .int(Int64(TokenCount.uncached(input, cached: cached))),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": .int(Int64(cached)),
            "output_tokens": .int(Int64(usage["output_tokens"]?.intValue ?? 0)),
        ]
    }

    /// The reasoning tokens within `output_tokens`
    /// (`output_tokens_details.reasoning_tokens`), when reported.
    static func reasoningTokens(_ usage: JSONValue?) -> Int? {
        usage?["output_tokens_details"]?["reasoning_tokens"]?.intValue
    }

    /// A response's `status` and `incomplete_details.reason` -> `stop_reason`.
    static func stopReason(response: JSONValue?, hasToolUse: Bool, sawRefusal: Bool) -> String {
        if response?["status"]?.stringValue == "incomplete" {
            switch response?["incomplete_details"]?["reason"]?.stringValue {
            case "max_output_tokens": return "max_tokens"
            case "content_filter": return "refusal"
            default: break
            }
        }
        if hasToolUse { return "tool_use" }
        return sawRefusal ? "refusal" : "end_turn"
    }

    /// `msg_` + the response's `id`, made unique by `ids` when weak (see
    /// ``AnswerIDs/messageID(upstreamID:fallbackSeed:)``).
    static func messageID(_ response: JSONValue?, ids: AnswerIDs) -> String {
        ids.messageID(upstreamID: response?["id"]?.stringValue, fallbackSeed: response ?? .null)
    }

    /// A reasoning item's summary text, parts separated by a blank line.
    static func summaryText(_ item: JSONValue) -> String {
        let summaries = (item["summary"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        let contents = (item["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        return (summaries.isEmpty ? contents : summaries).joined(separator: "\n\n")
    }

    /// The thinking-block signature for a reasoning item: see
    /// ``OpenAIResponsesReasoningSignature``.
    static func signature(ofReasoning item: JSONValue) -> String? {
        guard let encrypted = item["encrypted_content"]?.stringValue, !encrypted.isEmpty else { return nil }
        return OpenAIResponsesReasoningSignature.signature(encryptedContent: encrypted)
    }

    /// A whole function call -> the `tool_use` blocks it stands for: one,
    /// or, for the `multi_tool_use.parallel` wrapper some models call
    /// instead of making parallel calls (`{"tool_uses": [{"recipient_name":
    /// "functions.NAME", "parameters": {...}}]}`), one per wrapped call, with
    /// ids `<call_id>_<n>`.
    static func toolUses(callID: String, name: String, arguments: String) -> (blocks: [ToolUse], repaired: Bool) {
        if parallelWrapperNames.contains(name), let unwrapped = unwrapParallel(callID: callID, arguments: arguments) {
            return (unwrapped, false)
        }
        let (input, wrapped) = ToolArguments.input(from: arguments)
        return ([ToolUse(id: callID, name: name, input: input)], wrapped)
    }

    struct ToolUse: Sendable, Equatable {
        var id: String
        var name: String
        var input: JSONValue
    }

    static let parallelWrapperNames: Set<String> = ["multi_tool_use.parallel", "parallel"]

    private static func unwrapParallel(callID: String, arguments: String) -> [ToolUse]? {
        guard let parsed = try? JSONValue(parsing: arguments), let uses = parsed["tool_uses"]?.arrayValue,
            parsed.objectValue?.count == 1, !uses.isEmpty
        else { return nil }
        var calls: [ToolUse] = []
        for (index, use) in uses.enumerated() {
            guard let recipient = use["recipient_name"]?.stringValue else { return nil }
            let name = recipient.hasPrefix("functions.") ? String(recipient.dropFirst("functions.".count)) : recipient
            calls.append(
                ToolUse(id: "\(callID)_\(index)", name: name, input: .object(use["parameters"]?.objectValue ?? [:])))
        }
        return calls
    }
}

/// How an OpenAI reasoning item travels through Anthropic messages: its
/// `encrypted_content` is the thinking block's `signature`, as
/// `openai-reasoning:<encrypted_content>`, and its summary is the thinking
/// text. On the next request such a block becomes the reasoning input item
/// `{"type":"reasoning","summary":[...],"encrypted_content":...}` again, so a
/// stateless (`store: false`) conversation keeps the model's reasoning across
/// tool calls. Thinking from other providers (no prefix) is not sent.
enum OpenAIResponsesReasoningSignature {
    static let prefix = "openai-reasoning:"

    static func signature(encryptedContent: String) -> String {
        prefix + encryptedContent
    }

    static func encryptedContent(fromSignature signature: String) -> String? {
        guard signature.hasPrefix(prefix), signature.count > prefix.count else { return nil }
        return String(signature.dropFirst(prefix.count))
    }
}

import Wire

/// The parts of an OpenAI Chat Completions result that non-streaming and
/// streaming conversion share: usage, stop reason, reasoning, text.
/// (Ids: ``AnswerIDs``.)
enum OpenAIChatResultMapping {
    /// OpenAI usage -> Anthropic usage. OpenAI's `prompt_tokens` include the
    /// cached ones; Anthropic counts them apart, so `input_tokens` is the
    /// uncached remainder and the cached ones are `cache_read_input_tokens`.
    /// DeepSeek's `prompt_cache_hit_tokens` is read when the standard
    /// `prompt_tokens_details.cached_tokens` is absent.
    static func anthropicUsage(_ usage: JSONValue) -> JSONObject? {
        guard case .object = usage else { return nil }
        let prompt = usage["prompt_tokens"]?.intValue ?? 0
        let cached =
            usage["prompt_tokens_details"]?["cached_tokens"]?.intValue
            ?? usage["prompt_cache_hit_tokens"]?.intValue ?? 0
        let completion = usage["completion_tokens"]?.intValue ?? 0
        return [
            "input_tokens": .int(Int64(TokenCount.uncached(prompt, cached: cached))),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": .int(Int64(cached)),
            "output_tokens": .int(Int64(completion)),
        ]
    }

    /// The reasoning tokens within `completion_tokens`
    /// (`completion_tokens_details.reasoning_tokens`), when reported.
    static func reasoningTokens(_ usage: JSONValue) -> Int? {
        usage["completion_tokens_details"]?["reasoning_tokens"]?.intValue
    }

    /// `finish_reason` -> `stop_reason`. A provider that says `stop` after
    /// emitting tool calls (some do) still gets `tool_use`, or Claude Code
    /// would not run the tools.
    static func stopReason(finishReason: String?, matchedStop: String?, hasToolUse: Bool) -> String {
        switch finishReason {
        case "length": return "max_tokens"
        case "tool_calls", "function_call": return "tool_use"
        case "content_filter": return "refusal"
        default:
            if hasToolUse { return "tool_use" }
            return matchedStop == nil ? "end_turn" : "stop_sequence"
        }
    }

    /// The stop sequence that ended the output, when the provider names it:
    /// vLLM's `stop_reason` and SGLang's `matched_stop` (strings; an integer
    /// there is a stop token id, not one of the client's sequences).
    static func matchedStopSequence(choice: JSONValue) -> String? {
        matchedStopSequence(
            finishReason: choice["finish_reason"]?.stringValue, stopReason: choice["stop_reason"]?.stringValue,
            matchedStop: choice["matched_stop"]?.stringValue)
    }

    /// ``matchedStopSequence(choice:)`` from those members' string values.
    static func matchedStopSequence(finishReason: String?, stopReason: String?, matchedStop: String?) -> String? {
        guard finishReason == "stop" else { return nil }
        return stopReason ?? matchedStop
    }

    /// Reasoning text under the names providers use: `reasoning_content`
    /// (DeepSeek, Qwen, vLLM) and `reasoning` (OpenRouter, newer vLLM).
    static func reasoningText(_ message: JSONValue) -> String? {
        message["reasoning_content"]?.stringValue ?? message["reasoning"]?.stringValue
    }

    /// A thinking signature only when the provider really sent one
    /// (OpenRouter's `reasoning_details`); none is ever made up.
    static func reasoningSignature(_ message: JSONValue) -> String? {
        reasoningSignature(details: message["reasoning_details"])
    }

    /// ``reasoningSignature(_:)`` from the `reasoning_details` member.
    static func reasoningSignature(details: JSONValue?) -> String? {
        for detail in details?.arrayValue ?? [] {
            if let signature = detail["signature"]?.stringValue, !signature.isEmpty { return signature }
        }
        return nil
    }

    /// Text content: a string, or (some providers) an array of text parts.
    static func contentText(_ content: JSONValue?) -> String? {
        switch content {
        case .string(let text)?: return text
        case .array(let parts)?:
            return parts.compactMap { $0["text"]?.stringValue }.joined()
        default: return nil
        }
    }
}

import Wire

/// The parts of a Gemini `GenerateContentResponse` that non-streaming and
/// streaming conversion share: usage, stop reason, ids, signatures.
enum GeminiResultMapping {
    /// `usageMetadata` -> Anthropic usage, or nil when it holds no token
    /// counts yet (Vertex sends `{"trafficType":...}` alone in early chunks).
    ///
    /// Gemini's `promptTokenCount` includes the cached tokens; Anthropic
    /// counts them apart, so `input_tokens` is the uncached remainder
    /// (plus `toolUsePromptTokenCount`) and the cached ones are
    /// `cache_read_input_tokens`. Thinking is billed as output, as with
    /// Anthropic, so `output_tokens` is `candidatesTokenCount` +
    /// `thoughtsTokenCount`.
    static func anthropicUsage(_ metadata: JSONValue?) -> JSONObject? {
        guard let metadata, let prompt = metadata["promptTokenCount"]?.intValue else { return nil }
        let cached = metadata["cachedContentTokenCount"]?.intValue ?? 0
        let toolPrompt = metadata["toolUsePromptTokenCount"]?.intValue ?? 0
        let candidates = metadata["candidatesTokenCount"]?.intValue ?? 0
        let thoughts = metadata["thoughtsTokenCount"]?.intValue ?? 0
        return [
            "input_tokens": .int(Int64(TokenCount.uncached(prompt, cached: cached).addingSaturated(toolPrompt))),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": .int(Int64(cached)),
            "output_tokens": .int(Int64(candidates.addingSaturated(thoughts))),
        ]
    }

    /// The thinking tokens (`thoughtsTokenCount`), which
    /// ``anthropicUsage(_:)`` counts within `output_tokens`, when reported.
    static func reasoningTokens(_ metadata: JSONValue?) -> Int? {
        metadata?["thoughtsTokenCount"]?.intValue
    }

    /// `finishReason` -> `stop_reason`. Gemini says `STOP` after function
    /// calls too, so any emitted call makes it `tool_use`; the safety
    /// family (and a blocked prompt, `LANGUAGE` and Vertex's `MODEL_ARMOR`:
    /// content the model declined or was kept from giving) is a `refusal`.
    /// The reasons that mean the model failed to answer are no stop reason
    /// but an error (``failure(finishReason:finishMessage:answered:upstream:)``).
    static func stopReason(finishReason: String?, hasToolUse: Bool) -> String {
        switch finishReason {
        case "MAX_TOKENS": return "max_tokens"
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
            "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "LANGUAGE", "MODEL_ARMOR", blockedPrompt:
            return "refusal"
        default: return hasToolUse ? "tool_use" : "end_turn"
        }
    }

    /// The error a candidate is, instead of a message, when its
    /// `finishReason` says the model failed to give a usable answer; nil
    /// when the answer stands. An empty `end_turn` in its place stopped an
    /// agent (Claude Code) silently, mid-task.
    ///
    /// - `MALFORMED_FUNCTION_CALL`, `UNEXPECTED_TOOL_CALL` (a call of a tool
    ///   not offered) and `TOO_MANY_TOOL_CALLS`: the model was making a call
    ///   the answer does not hold, so the answer is an error even after
    ///   text (in a stream the text already sent stays; the error follows
    ///   it): its end would read as the model's last word. A 502
    ///   `api_error`, which the SDKs retry, as another try usually works.
    /// - `MISSING_THOUGHT_SIGNATURE`: the request lacks a signature Gemini
    ///   wants back; a 400, as Gemini answers that fault over HTTP, since
    ///   trying the same request again fails again.
    /// - `OTHER`, `FINISH_REASON_UNSPECIFIED`, `IMAGE_OTHER`, `NO_IMAGE`:
    ///   an error (502) only when the answer has no text and no call
    ///   (`answered` false); with some, it stands, ended as `end_turn`.
    ///
    /// The message names the reason and Gemini's `finishMessage`, cut at
    /// ``UpstreamErrorMapper/rawTextLimit`` characters as an upstream's
    /// error text is: a malformed call's quotes the call, whose arguments
    /// can be a whole file, and the message goes to the log.
    static func failure(
        finishReason: String?, finishMessage: String?, answered: Bool, upstream: String
    ) -> APIError? {
        // Made only for an error: every answer's finish is asked.
        func message(_ what: String) -> String {
            var detail = finishMessage.map { $0.isEmpty ? "" : ": \($0)" } ?? ""
            let limit = UpstreamErrorMapper.rawTextLimit + 2
            if detail.count > limit { detail = String(detail.prefix(limit)) + "…" }
            return "upstream \(upstream) \(what) (finishReason \(finishReason ?? ""))\(detail)"
        }
        switch finishReason {
        case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS":
            return APIError(status: 502, type: "api_error", message: message("failed to answer"))
        case "MISSING_THOUGHT_SIGNATURE":
            return .invalidRequest(message("refused the request"))
        case "OTHER", "FINISH_REASON_UNSPECIFIED", "IMAGE_OTHER", "NO_IMAGE":
            // A `where` would bind to the last pattern alone.
            guard !answered else { return nil }
            return APIError(status: 502, type: "api_error", message: message("gave no answer"))
        default:
            return nil
        }
    }

    /// The finish reason used for a prompt Gemini blocked outright
    /// (`promptFeedback.blockReason`, no candidates).
    static let blockedPrompt = "PROMPT_BLOCKED"

    /// `msg_` + `responseId`, made unique by `ids` when weak (see
    /// ``AnswerIDs/messageID(upstreamID:fallbackSeed:)``).
    static func messageID(_ response: JSONValue, ids: AnswerIDs) -> String {
        ids.messageID(upstreamID: response["responseId"]?.stringValue, fallbackSeed: response)
    }

    /// A deterministic `tool_use` id for the `ordinal`-th call of a message
    /// (unique across answers as the message id is: see ``messageID(_:ids:)``),
    /// carrying the call's own `id` when Gemini gave one (see
    /// ``GeminiFunctionCallID``) and its thought signature (see
    /// ``GeminiThoughtSignature``).
    static func toolUseID(messageID: String, ordinal: Int, call: JSONValue?, signature: String?) -> String {
        var seed = Array("\(messageID)/\(ordinal)".utf8)
        let callID = call?["id"]?.stringValue
        if let callID { seed += Array(callID.utf8) }
        let base = GeminiFunctionCallID.toolUseIDBase("toolu_" + StableHash.hex(seed), callID: callID)
        return GeminiThoughtSignature.toolUseID(base: base, signature: signature)
    }

    /// A part's `thoughtSignature`, when it has a non-empty one.
    static func signature(of part: JSONValue) -> String? {
        guard let signature = part["thoughtSignature"]?.stringValue, !signature.isEmpty else { return nil }
        return signature
    }

    /// True for a part that holds the model's thoughts rather than its answer.
    static func isThought(_ part: JSONValue) -> Bool {
        part["thought"]?.boolValue == true
    }
}

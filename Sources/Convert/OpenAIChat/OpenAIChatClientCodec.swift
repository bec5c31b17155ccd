import Wire

/// The OpenAI Chat Completions client dialect: a client's
/// `chat.completions` request into the Anthropic Messages pivot, and the
/// pivot's non-streaming answer back into a `chat.completion` object.
/// Streams are encoded by ``OpenAIChatStreamEncoder``.
///
/// Pure functions of their input, so the proxy and replays produce the same
/// bytes.
public enum OpenAIChatClientCodec {
    /// `max_tokens` when the client sets neither `max_completion_tokens` nor
    /// `max_tokens`: OpenAI has no required cap, Anthropic does.
    public static let defaultMaxTokens = 4_096

    /// Reads an OpenAI `chat.completions` request into an Anthropic Messages
    /// request body, with a diagnostic for every field dropped or rewritten.
    ///
    /// - Throws: 400 `invalid_request_error` naming the field when `model`
    ///   or `messages` is missing, a field has the wrong JSON type, or `n`
    ///   asks for more than one choice (the pivot has one answer per request).
    public static func decodeRequest(_ body: JSONValue) throws(APIError) -> ConvertedRequest {
        guard let object = body.objectValue else {
            throw .invalidRequest("the request body must be a JSON object, got \(body.typeName)")
        }
        var decoder = OpenAIChatRequestDecoder(request: object)
        return try decoder.decode()
    }

    /// An Anthropic Messages response body -> an OpenAI `chat.completion`.
    ///
    /// Text blocks are concatenated with nothing between them, the way a
    /// streaming client concatenates `delta.content`, so the streamed and
    /// non-streamed answers read the same. `created` is when the request
    /// came, Unix seconds, as OpenAI's.
    ///
    /// With `functionCallForm` (a client of the legacy `functions`:
    /// ``answersWithFunctionCall(_:)``) the call is the message's
    /// `function_call` and the finish `function_call`, as OpenAI answers such
    /// a request; the request let the upstream make one call only.
    public static func encodeResponse(
        _ message: JSONValue, requestedModel: String, created: Int64, reasoningTokens: Int? = nil,
        functionCallForm: Bool = false
    ) -> JSONValue {
        var texts: [String] = []
        var reasoning: [String] = []
        var toolCalls: [JSONValue] = []
        for block in message["content"]?.arrayValue ?? [] {
            switch ContentBlock(json: block) {
            case .text(let text): texts.append(text)
            case .thinking(let thinking, _): reasoning.append(thinking)
            case .toolUse(let id, let name, let input):
                toolCalls.append(toolCall(id: id, name: name, arguments: input.serializedString()))
            // Encrypted reasoning and provider-run tools have no OpenAI form.
            case .redactedThinking, .serverToolUse, .unknown: break
            }
        }
        var reply: JSONObject = ["role": "assistant", "content": texts.isEmpty ? .null : .string(texts.joined())]
        if !reasoning.isEmpty { reply["reasoning_content"] = .string(reasoning.joined()) }
        var finish = finishReason(stopReason: message["stop_reason"]?.stringValue)
        if functionCallForm, let call = toolCalls.first {
            reply["function_call"] = call["function"]
            if finish == "tool_calls" { finish = "function_call" }
        } else if !toolCalls.isEmpty {
            reply["tool_calls"] = .array(toolCalls)
        }
        return [
            "id": .string(completionID(messageID: message["id"]?.stringValue, fallbackSeed: message)),
            "object": "chat.completion",
            "created": .int(created),
            "model": .string(requestedModel),
            "choices": [
                [
                    "index": 0, "message": .object(reply), "logprobs": nil,
                    "finish_reason": finish.map(JSONValue.string) ?? nil,
                ]
            ],
            "usage": usage(message["usage"]?.objectValue ?? [:], reasoning: reasoningTokens),
        ]
    }

    /// Whether the client asked in the legacy form (`functions`, no
    /// `tools`), and so is answered with `function_call`, not `tool_calls`.
    static func answersWithFunctionCall(_ request: JSONObject) -> Bool {
        request["functions"].map { !$0.isNull } == true && request["tools"].map { !$0.isNull } != true
    }

    /// The calls of `message` after its first, which a legacy
    /// `function_call` answer (``encodeResponse(_:requestedModel:created:reasoningTokens:functionCallForm:)``)
    /// leaves out, as a warning; none when it has one call or none.
    static func droppedLegacyCalls(in message: JSONValue) -> [ConversionDiagnostic] {
        let names = (message["content"]?.arrayValue ?? []).compactMap { block -> String? in
            guard case .toolUse(_, let name, _) = ContentBlock(json: block) else { return nil }
            return name
        }
        return names.count > 1 ? [droppedCallsWarning(names: Array(names.dropFirst()))] : []
    }

    /// The warning for the calls a legacy `function_call` answer has no room
    /// for: an upstream may make parallel calls though the request asked for
    /// one (Gemini has no way to ask), and they must not vanish silently.
    static func droppedCallsWarning(names: [String]) -> ConversionDiagnostic {
        let list = names.map { "`\(String($0.prefix(64)))`" }.joined(separator: ", ")
        return .warning(
            "",
            "the upstream made \(names.count + 1) function calls; a legacy function_call answer has room for "
                + "the first only, so these were left out: \(list)")
    }

    /// `chatcmpl-` + the message id; a hash of the message when it has none
    /// (never random, so replays compare cleanly).
    static func completionID(messageID: String?, fallbackSeed: JSONValue) -> String {
        if let messageID, !messageID.isEmpty { return "chatcmpl-" + messageID }
        return "chatcmpl-" + StableHash.hex(fallbackSeed.serialized())
    }

    static func toolCall(id: String, name: String, arguments: String) -> JSONValue {
        ["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string(arguments)]]
    }

    /// Anthropic `stop_reason` -> OpenAI `finish_reason`. `pause_turn` (a
    /// server tool paused the turn) has no OpenAI word and reads as a stop.
    static func finishReason(stopReason: String?) -> String? {
        switch stopReason {
        case "end_turn", "stop_sequence", "pause_turn": "stop"
        case "max_tokens", "model_context_window_exceeded": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        case nil: nil
        default: "stop"
        }
    }

    /// Anthropic usage -> OpenAI usage. Anthropic counts cached input apart
    /// from `input_tokens`; OpenAI's `prompt_tokens` include it, with the
    /// cache reads repeated in `prompt_tokens_details.cached_tokens`.
    /// `completion_tokens` include the reasoning tokens, as Anthropic's
    /// `output_tokens` do; `reasoning`, when the upstream counted them, is
    /// also given as `completion_tokens_details.reasoning_tokens`.
    static func usage(_ usage: JSONObject, reasoning: Int? = nil) -> JSONValue {
        let counts = TokenCount.Inclusive(usage, reasoning: reasoning)
        return usageObject(
            prompt: .int(Int64(counts.input)), completion: .int(Int64(counts.output)),
            total: .int(Int64(counts.total)), cached: .int(Int64(counts.cached)),
            reasoning: counts.reasoning.map { .int(Int64($0)) })
    }

    /// The usage object of ``usage(_:reasoning:)``, its counts given as JSON
    /// values so that a ``JSONTemplate`` can be made of it; no
    /// `completion_tokens_details` when `reasoning` is nil.
    static func usageObject(
        prompt: JSONValue, completion: JSONValue, total: JSONValue, cached: JSONValue, reasoning: JSONValue? = nil
    ) -> JSONValue {
        var object: JSONObject = [
            "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total,
            "prompt_tokens_details": ["cached_tokens": cached],
        ]
        if let reasoning { object["completion_tokens_details"] = ["reasoning_tokens": reasoning] }
        return .object(object)
    }
}

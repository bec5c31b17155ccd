import Wire

/// The pieces of a Responses `response` object that ``OpenAIResponsesClientCodec/encodeResponse(_:requestedModel:createdAt:)``
/// and ``OpenAIResponsesStreamEncoder`` both build, so a streamed response's
/// final object has exactly the shape of a non-streamed one.
enum OpenAIResponsesClientItems {
    /// The response id: `resp_` + the Anthropic message id.
    static func responseID(messageID: String) -> String {
        "resp_" + messageID
    }

    /// An output item's id: its kind's prefix (`msg`, `rs`, `fc`), the
    /// message id without its `msg_`, and the output index. Derived rather
    /// than random, so an item keeps its id across replays and between the
    /// streamed and the final response object.
    static func itemID(prefix: String, messageID: String, outputIndex: Int) -> String {
        let base = messageID.hasPrefix("msg_") ? String(messageID.dropFirst(4)) : messageID
        return "\(prefix)_\(base)_\(outputIndex)"
    }

    static func outputTextPart(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": []]
    }

    static func summaryPart(_ text: String) -> JSONValue {
        ["type": "summary_text", "text": .string(text)]
    }

    /// An assistant `message` item; `text` nil while it is still open and empty.
    static func messageItem(id: String, text: String?, status: String) -> JSONValue {
        [
            "id": .string(id), "type": "message", "status": .string(status), "role": "assistant",
            "content": .array(text.map { [outputTextPart($0)] } ?? []),
        ]
    }

    /// A `reasoning` item. The thinking text is its summary; `block`, the
    /// pivot block it stands for, gives its `encrypted_content`
    /// (``OpenAIResponsesCarriedReasoning``), what the client sends back to
    /// have the reasoning again on the next turn.
    static func reasoningItem(id: String, text: String, block: ContentBlock?) -> JSONValue {
        var item: JSONObject = [
            "id": .string(id), "type": "reasoning",
            "summary": .array(text.isEmpty ? [] : [summaryPart(text)]),
        ]
        if let encrypted = block.flatMap(OpenAIResponsesCarriedReasoning.encryptedContent(for:)) {
            item["encrypted_content"] = .string(encrypted)
        }
        return .object(item)
    }

    /// A `function_call` item; its `call_id` is the Anthropic `tool_use` id,
    /// which the client's `function_call_output` then answers.
    static func functionCallItem(
        id: String, callID: String, name: String, arguments: String, status: String
    )
        -> JSONValue
    {
        [
            "id": .string(id), "type": "function_call", "status": .string(status), "arguments": .string(arguments),
            "call_id": .string(callID), "name": .string(name),
        ]
    }

    /// Anthropic usage -> Responses usage. Responses counts cached input
    /// inside `input_tokens`; Anthropic counts cache reads and writes apart.
    /// `output_tokens` include the reasoning tokens, as Anthropic's do;
    /// `output_tokens_details.reasoning_tokens` is `reasoning`, the count an
    /// upstream gave apart, and 0 when none did (Anthropic does not).
    static func usage(_ anthropic: JSONObject, reasoning: Int? = nil) -> JSONValue {
        let counts = TokenCount.Inclusive(anthropic, reasoning: reasoning)
        return usageObject(
            input: .int(Int64(counts.input)), cached: .int(Int64(counts.cached)), output: .int(Int64(counts.output)),
            total: .int(Int64(counts.total)), reasoning: .int(Int64(counts.reasoning ?? 0)))
    }

    /// The usage object of ``usage(_:reasoning:)``, its counts given as JSON
    /// values so that a ``JSONTemplate`` can be made of it.
    static func usageObject(
        input: JSONValue, cached: JSONValue, output: JSONValue, total: JSONValue, reasoning: JSONValue
    ) -> JSONValue {
        [
            "input_tokens": input, "input_tokens_details": ["cached_tokens": cached],
            "output_tokens": output, "output_tokens_details": ["reasoning_tokens": reasoning], "total_tokens": total,
        ]
    }

    /// Why a message makes an `incomplete` response, in Responses' words:
    /// its token limit, or a refusal (what OpenAI reports for its content
    /// filter; a refusal with no text otherwise looked like an empty
    /// `completed` answer). Nil when the response is `completed`.
    static func incompleteReason(stopReason: String?) -> String? {
        switch stopReason {
        case "max_tokens": "max_output_tokens"
        case "refusal": "content_filter"
        default: nil
        }
    }

    /// `incomplete` when ``incompleteReason(stopReason:)`` gives one, else `completed`.
    static func status(stopReason: String?) -> String {
        incompleteReason(stopReason: stopReason) == nil ? "completed" : "incomplete"
    }

    /// The `response` object. `createdAt` is Unix seconds, as OpenAI's;
    /// `usage` is null while in progress; `error` is set only when the
    /// response failed; `incompleteReason` is `incomplete_details.reason`
    /// when `status` is `incomplete`.
    static func response(
        id: String, model: String, createdAt: JSONValue, status: String, output: [JSONValue], usage: JSONValue,
        error: JSONValue = .null, incompleteReason: String = "max_output_tokens"
    ) -> JSONValue {
        [
            "id": .string(id), "object": "response", "created_at": createdAt, "status": .string(status),
            "error": error,
            "incomplete_details": status == "incomplete" ? ["reason": .string(incompleteReason)] : .null,
            "model": .string(model), "output": .array(output), "usage": usage,
        ]
    }
}

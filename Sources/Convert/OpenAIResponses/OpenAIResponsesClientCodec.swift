import Wire

/// The OpenAI Responses client dialect's codec for requests and
/// non-streaming responses: a client's `POST /v1/responses` body becomes an
/// Anthropic Messages request (the pivot), and the Anthropic message that
/// answers it becomes a Responses `response` object.
///
/// Streams are encoded by ``OpenAIResponsesStreamEncoder``. The proxy is
/// stateless: nothing is stored at either end, so a client must send the
/// whole conversation in `input` (reasoning included, as encrypted content;
/// see ``OpenAIResponsesReasoningSignature``).
public enum OpenAIResponsesClientCodec {
    /// A Responses request -> an Anthropic Messages request, with what was
    /// dropped or changed on the way. See ``OpenAIResponsesClientRequestDecoder``
    /// for the field mapping.
    ///
    /// - Throws: 400 `invalid_request_error` when `model` or `input` is
    ///   missing, or when the request relies on server-side state
    ///   (`previous_response_id`, `conversation`).
    public static func decodeRequest(_ body: JSONValue) throws(APIError) -> ConvertedRequest {
        guard let request = body.objectValue else {
            throw .invalidRequest("the request body must be a JSON object")
        }
        var decoder = OpenAIResponsesClientRequestDecoder(request: request)
        return try decoder.decode()
    }

    /// An Anthropic Messages response -> a Responses `response` object.
    ///
    /// Blocks become output items in order: `thinking` and
    /// `redacted_thinking` a `reasoning` item (what the client must send
    /// back in its `encrypted_content`: ``OpenAIResponsesCarriedReasoning``),
    /// each `text` block a `message` item, `tool_use` a `function_call`.
    /// Blocks Responses has no item for (server tools) are left out. A `max_tokens` or `refusal` stop is status
    /// `incomplete` (``OpenAIResponsesClientItems/incompleteReason(stopReason:)``).
    /// `createdAt` is when the request came, Unix seconds.
    public static func encodeResponse(
        _ message: JSONValue, requestedModel: String, createdAt: Int64, reasoningTokens: Int? = nil
    ) -> JSONValue {
        let messageID = message["id"]?.stringValue ?? "msg_proxy"
        let stopReason = message["stop_reason"]?.stringValue
        var output: [JSONValue] = []
        for json in message["content"]?.arrayValue ?? [] {
            let index = output.count
            let block = ContentBlock(json: json)
            switch block {
            case .text(let text):
                let id = OpenAIResponsesClientItems.itemID(prefix: "msg", messageID: messageID, outputIndex: index)
                output.append(OpenAIResponsesClientItems.messageItem(id: id, text: text, status: "completed"))
            case .thinking(let thinking, _):
                let id = OpenAIResponsesClientItems.itemID(prefix: "rs", messageID: messageID, outputIndex: index)
                output.append(OpenAIResponsesClientItems.reasoningItem(id: id, text: thinking, block: block))
            case .redactedThinking:
                let id = OpenAIResponsesClientItems.itemID(prefix: "rs", messageID: messageID, outputIndex: index)
                output.append(OpenAIResponsesClientItems.reasoningItem(id: id, text: "", block: block))
            case .toolUse(let callID, let name, let input):
                let id = OpenAIResponsesClientItems.itemID(prefix: "fc", messageID: messageID, outputIndex: index)
                output.append(
                    OpenAIResponsesClientItems.functionCallItem(
                        id: id, callID: callID, name: name, arguments: input.serializedString(), status: "completed"))
            case .serverToolUse, .unknown:
                continue
            }
        }
        return OpenAIResponsesClientItems.response(
            id: OpenAIResponsesClientItems.responseID(messageID: messageID), model: requestedModel,
            createdAt: .int(createdAt),
            status: OpenAIResponsesClientItems.status(stopReason: stopReason),
            output: output,
            usage: OpenAIResponsesClientItems.usage(message["usage"]?.objectValue ?? [:], reasoning: reasoningTokens),
            incompleteReason: OpenAIResponsesClientItems.incompleteReason(stopReason: stopReason) ?? "")
    }
}

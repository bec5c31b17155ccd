import Wire

/// Gemini `GenerateContentResponse` -> Anthropic `message`.
///
/// Parts become blocks in their order, as the stream transcoder makes them:
/// consecutive thought parts one `thinking` block, consecutive text parts one
/// `text` block (a signature on a text part before the answer's text a
/// text-less `thinking` block before it; one after the answer's text began
/// is dropped), function calls `tool_use` (signature in the id; see
/// ``GeminiThoughtSignature``). A prompt Gemini
/// blocked gives an empty message with stop reason `refusal`; a finish
/// reason that says the model failed to answer is thrown as the error
/// ``GeminiResultMapping/failure(finishReason:finishMessage:answered:upstream:)``
/// makes of it, whatever text came before it, as a stream ends in it.
enum GeminiResponseConversion {
    static func convert(
        _ answer: JSONValue, route: RouteOptions, requestedModel: String
    ) throws(APIError) -> ConvertedResponse {
        let upstreamBody = CodeAssistEnvelope.unwrapped(answer)
        try ResponseConverter.requireSuccessObject(upstreamBody, route: route, dialect: .gemini) { _ in upstreamBody }
        let candidate = upstreamBody["candidates"]?[0]
        let blocked = upstreamBody["promptFeedback"]?["blockReason"]?.stringValue != nil
        guard candidate != nil || blocked else {
            throw ResponseConverter.unexpectedBody(route: route, reason: "no candidates[0]")
        }
        let messageID = GeminiResultMapping.messageID(upstreamBody, ids: AnswerIDs(route: route))
        var diagnostics: [ConversionDiagnostic] = []
        var content: [JSONValue] = []
        var calls = 0
        var textBegan = false
        for (index, part) in (candidate?["content"]?["parts"]?.arrayValue ?? []).enumerated() {
            let signature = GeminiResultMapping.signature(of: part)
            if let call = part["functionCall"] {
                let id = GeminiResultMapping.toolUseID(
                    messageID: messageID, ordinal: calls, call: call, signature: signature)
                content.append([
                    "type": "tool_use", "id": .string(id), "name": call["name"] ?? "",
                    "input": .object(call["args"]?.objectValue ?? [:]),
                ])
                calls += 1
                continue
            }
            guard let text = part["text"]?.stringValue else {
                let kind = part.objectValue?.keys.first { $0 != "thoughtSignature" } ?? "empty"
                diagnostics.append(
                    .warning(
                        "/candidates/0/content/parts/\(index)", "\(kind) part has no Anthropic equivalent; dropped"))
                continue
            }
            let carried = signature.map(GeminiThoughtSignature.thinkingSignature)
            if GeminiResultMapping.isThought(part) {
                if !text.isEmpty || carried != nil { appendThinking(text, signature: carried, to: &content) }
                continue
            }
            // Before the answer's text, the signature's carrier goes before
            // the part's text; after it, it is dropped (GeminiThoughtSignature).
            if let carried {
                if textBegan {
                    diagnostics.append(
                        GeminiThoughtSignature.droppedAfterText(at: "/candidates/0/content/parts/\(index)"))
                } else {
                    content.append(["type": "thinking", "thinking": "", "signature": .string(carried)])
                }
            }
            if !text.isEmpty {
                appendText(text, to: &content)
                if !text.isBlankToAnthropic { textBegan = true }
            }
        }
        content = BlankTextBlocks.folded(content)
        let finishReason = blocked ? GeminiResultMapping.blockedPrompt : candidate?["finishReason"]?.stringValue
        let answered = calls > 0 || content.contains { $0["type"] == "text" }
        if let failure = GeminiResultMapping.failure(
            finishReason: finishReason, finishMessage: candidate?["finishMessage"]?.stringValue, answered: answered,
            upstream: route.modelID)
        {
            throw failure
        }
        let stopReason = GeminiResultMapping.stopReason(finishReason: finishReason, hasToolUse: calls > 0)
        let usage =
            GeminiResultMapping.anthropicUsage(upstreamBody["usageMetadata"])
            ?? ["input_tokens": 0, "output_tokens": 0]
        let body = ResponseConverter.messageBody(
            id: messageID, model: requestedModel, content: content, stopReason: stopReason, stopSequence: nil,
            usage: usage)
        return ConvertedResponse(
            body: body, diagnostics: diagnostics,
            reasoningTokens: GeminiResultMapping.reasoningTokens(upstreamBody["usageMetadata"]))
    }

    /// Consecutive text parts are one text block, as in the stream: each
    /// a block of its own, Claude Code showed them as separate messages and
    /// took only the last as its result.
    private static func appendText(_ text: String, to content: inout [JSONValue]) {
        if case .object(var last)? = content.last, last["type"] == "text" {
            last["text"] = .string((last["text"]?.stringValue ?? "") + text)
            content[content.count - 1] = .object(last)
            return
        }
        content.append(["type": "text", "text": .string(text)])
    }

    /// Consecutive thought parts are one thinking block, as in the stream.
    private static func appendThinking(_ text: String, signature: String?, to content: inout [JSONValue]) {
        if case .object(var last)? = content.last, last["type"] == "thinking", last["signature"] == "" {
            last["thinking"] = .string((last["thinking"]?.stringValue ?? "") + text)
            if let signature { last["signature"] = .string(signature) }
            content[content.count - 1] = .object(last)
            return
        }
        content.append(["type": "thinking", "thinking": .string(text), "signature": .string(signature ?? "")])
    }
}

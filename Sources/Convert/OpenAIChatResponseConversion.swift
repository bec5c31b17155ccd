import Wire

/// OpenAI `chat.completion` -> Anthropic `message`.
enum OpenAIChatResponseConversion {
    static func convert(
        _ upstreamBody: JSONValue, route: RouteOptions, requestedModel: String
    ) throws(APIError) -> ConvertedResponse {
        try ResponseConverter.requireSuccessObject(upstreamBody, route: route, dialect: .openai) { _ in upstreamBody }
        guard let choice = upstreamBody["choices"]?[0], let message = choice["message"] else {
            throw ResponseConverter.unexpectedBody(route: route, reason: "no choices[0].message")
        }
        var diagnostics: [ConversionDiagnostic] = []
        var content: [JSONValue] = []
        if let reasoning = OpenAIChatResultMapping.reasoningText(message), !reasoning.isEmpty {
            let signature = OpenAIChatResultMapping.reasoningSignature(message) ?? ""
            content.append(["type": "thinking", "thinking": .string(reasoning), "signature": .string(signature)])
        }
        // Whitespace alone (`"\n\n"` beside tool calls) is no text block:
        // Anthropic refuses one when the client sends it back.
        if let text = OpenAIChatResultMapping.contentText(message["content"]), !text.isBlankToAnthropic {
            content.append(["type": "text", "text": .string(text)])
        }
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            content.append(["type": "text", "text": .string(refusal)])
        }
        let ids = AnswerIDs(route: route)
        let messageID = ids.messageID(upstreamID: upstreamBody["id"]?.stringValue, fallbackSeed: upstreamBody)
        var toolUseIDs: Set<String> = []
        var hasToolUse = false
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            let function = call["function"]
            let arguments = function?["arguments"]?.stringValue ?? ""
            let (input, wrapped) = ToolArguments.input(from: arguments)
            if wrapped {
                diagnostics.append(
                    .warning(
                        "/choices/0/message/tool_calls/\(index)/function/arguments",
                        "not a JSON object; kept as a string under \(ToolArguments.unparsedKey)"))
            }
            let id = ids.toolUseID(
                upstreamID: call["id"]?.stringValue, messageID: messageID, index: index, earlier: toolUseIDs)
            toolUseIDs.insert(id)
            content.append([
                "type": "tool_use", "id": .string(id), "name": function?["name"] ?? "", "input": input,
            ])
            hasToolUse = true
        }
        let finishReason = choice["finish_reason"]?.stringValue
        let matchedStop = OpenAIChatResultMapping.matchedStopSequence(choice: choice)
        var stopReason = OpenAIChatResultMapping.stopReason(
            finishReason: finishReason, matchedStop: matchedStop, hasToolUse: hasToolUse)
        if message["refusal"]?.stringValue.map({ !$0.isEmpty }) ?? false { stopReason = "refusal" }
        let usage =
            upstreamBody["usage"].flatMap(OpenAIChatResultMapping.anthropicUsage)
            ?? ["input_tokens": 0, "output_tokens": 0]
        let body = ResponseConverter.messageBody(
            id: messageID, model: requestedModel, content: content, stopReason: stopReason,
            stopSequence: stopReason == "stop_sequence" ? matchedStop ?? "" : nil, usage: usage)
        return ConvertedResponse(
            body: body, diagnostics: diagnostics,
            reasoningTokens: upstreamBody["usage"].flatMap(OpenAIChatResultMapping.reasoningTokens))
    }
}

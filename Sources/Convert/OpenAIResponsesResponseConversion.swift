import Wire

/// OpenAI Responses `response` -> Anthropic `message`.
///
/// Output items become blocks in order: `reasoning` a `thinking` block
/// (summary as text, encrypted content as signature; see
/// ``OpenAIResponsesReasoningSignature``), `message` text blocks (refusals
/// too, with stop reason `refusal`), `function_call` `tool_use` blocks (id =
/// `call_id`, made unique when weak or repeated: ``AnswerIDs``; the
/// `parallel` wrapper unwrapped). A response that `failed`, or
/// a 200 carrying an `error`, is an error.
enum OpenAIResponsesResponseConversion {
    static func convert(
        _ upstreamBody: JSONValue, route: RouteOptions, requestedModel: String
    ) throws(APIError) -> ConvertedResponse {
        // A Responses body carries much besides a failed call's `error`; the mapper reads only that.
        try ResponseConverter.requireSuccessObject(upstreamBody, route: route, dialect: .openaiResponses) { error in
            ["error": error]
        }
        guard let output = upstreamBody["output"]?.arrayValue else {
            throw ResponseConverter.unexpectedBody(route: route, reason: "no output")
        }
        var diagnostics: [ConversionDiagnostic] = []
        var content: [JSONValue] = []
        var hasToolUse = false
        var sawRefusal = false
        let ids = AnswerIDs(route: route)
        let messageID = OpenAIResponsesResultMapping.messageID(upstreamBody, ids: ids)
        var toolUseIDs: Set<String> = []
        for (index, item) in output.enumerated() {
            let path = "/output/\(index)"
            switch item["type"]?.stringValue {
            case "reasoning":
                let text = OpenAIResponsesResultMapping.summaryText(item)
                let signature = OpenAIResponsesResultMapping.signature(ofReasoning: item)
                if !text.isEmpty || signature != nil {
                    content.append([
                        "type": "thinking", "thinking": .string(text), "signature": .string(signature ?? ""),
                    ])
                }
            case "message":
                for part in item["content"]?.arrayValue ?? [] {
                    let text = part["text"]?.stringValue ?? part["refusal"]?.stringValue ?? ""
                    if part["type"] == "refusal" { sawRefusal = true }
                    if !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
                }
            case "function_call":
                let callID = ids.toolUseID(
                    upstreamID: item["call_id"]?.stringValue ?? item["id"]?.stringValue ?? "call_\(index)",
                    messageID: messageID, index: index, earlier: toolUseIDs)
                toolUseIDs.insert(callID)
                let (uses, repaired) = OpenAIResponsesResultMapping.toolUses(
                    callID: callID, name: item["name"]?.stringValue ?? "",
                    arguments: item["arguments"]?.stringValue ?? "")
                if repaired {
                    diagnostics.append(
                        .warning("\(path)/arguments", "not a JSON object; kept under \(ToolArguments.unparsedKey)"))
                }
                for use in uses {
                    content.append([
                        "type": "tool_use", "id": .string(use.id), "name": .string(use.name), "input": use.input,
                    ])
                }
                hasToolUse = true
            default:
                diagnostics.append(
                    .warning(
                        path,
                        "\(item["type"]?.stringValue ?? "untyped") output item has no Anthropic equivalent; dropped"))
            }
        }
        let stopReason = OpenAIResponsesResultMapping.stopReason(
            response: upstreamBody, hasToolUse: hasToolUse, sawRefusal: sawRefusal)
        let usage =
            OpenAIResponsesResultMapping.anthropicUsage(upstreamBody["usage"]) ?? [
                "input_tokens": 0, "output_tokens": 0,
            ]
        let body = ResponseConverter.messageBody(
            id: messageID, model: requestedModel,
            content: BlankTextBlocks.folded(content),
            stopReason: stopReason, stopSequence: nil, usage: usage)
        return ConvertedResponse(
            body: body, diagnostics: diagnostics,
            reasoningTokens: OpenAIResponsesResultMapping.reasoningTokens(upstreamBody["usage"]))
    }
}

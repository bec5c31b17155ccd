import Wire

extension UpstreamToolCallID {
    /// Shortens the over-long ids of a Chat or Responses client's own
    /// request on a pass-through route, as the request builders shorten a
    /// converted one's: a session that got a Gemini answer through the proxy
    /// (after a fallback, or a switch of route) holds ids with the Gemini
    /// signature inside, and hands them back to an OpenAI upstream that
    /// refuses them on every turn. Chat: `tool_calls[].id` and a tool
    /// message's `tool_call_id`; Responses: `call_id` of `function_call` and
    /// `function_call_output` items. Nothing is copied unless an id is over
    /// the limit.
    /// - Returns: one note when any id was shortened.
    static func fitPassedThrough(_ request: inout JSONObject, dialect: Dialect) -> [ConversionDiagnostic] {
        switch dialect {
        case .openai:
            guard let messages = request["messages"]?.arrayValue,
                messages.contains(where: { hasLongChatID($0) })
            else { return [] }
            request["messages"] = .array(messages.map(fittedChatMessage))
            return [note("/messages", limit: chatMaximumLength)]
        case .openaiResponses:
            guard let input = request["input"]?.arrayValue,
                input.contains(where: { ($0["call_id"]?.stringValue?.utf8.count ?? 0) > responsesMaximumLength })
            else { return [] }
            request["input"] = .array(
                input.map { fittingID(of: $0, at: "call_id", maximumLength: responsesMaximumLength) })
            return [note("/input", limit: responsesMaximumLength)]
        case .anthropic, .gemini:
            return []
        }
    }

    private static func hasLongChatID(_ message: JSONValue) -> Bool {
        if (message["tool_call_id"]?.stringValue?.utf8.count ?? 0) > chatMaximumLength { return true }
        return (message["tool_calls"]?.arrayValue ?? []).contains {
            ($0["id"]?.stringValue?.utf8.count ?? 0) > chatMaximumLength
        }
    }

    private static func fittedChatMessage(_ message: JSONValue) -> JSONValue {
        var message = fittingID(of: message, at: "tool_call_id", maximumLength: chatMaximumLength)
        if let calls = message["tool_calls"]?.arrayValue {
            message["tool_calls"] = .array(calls.map { fittingID(of: $0, at: "id", maximumLength: chatMaximumLength) })
        }
        return message
    }

    /// `object` with the id under `key` fitted (``fitted(_:maximumLength:)``).
    private static func fittingID(of object: JSONValue, at key: String, maximumLength: Int) -> JSONValue {
        guard let id = object[key]?.stringValue else { return object }
        var object = object
        object[key] = .string(fitted(id, maximumLength: maximumLength))
        return object
    }

    private static func note(_ path: String, limit: Int) -> ConversionDiagnostic {
        .info(
            path,
            "tool call ids over the upstream's \(limit) characters sent shortened (call_ and 32 hex of their SHA-256)")
    }
}

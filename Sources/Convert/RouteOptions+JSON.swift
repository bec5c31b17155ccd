import Wire

extension RouteOptions {
    /// The record as JSON in a fixed key order, with `extra_body` in the
    /// config's own order.
    ///
    /// Cassettes store this rather than `JSONEncoder` output, whose key order
    /// changes from process to process, so identical traffic records identical
    /// bytes. It decodes back with `Codable` like any other encoding.
    public var json: JSONValue {
        var object = JSONObject()
        object["model_id"] = .string(modelID)
        object["format"] = .string(upstreamDialect.rawValue)
        object["model_name"] = .string(upstreamModel)
        if let maxTokensCap { object["max_tokens"] = .int(Int64(maxTokensCap)) }
        if let contextWindow { object["context"] = .int(Int64(contextWindow)) }
        if let reasoningEffort { object["reasoning_effort"] = .string(reasoningEffort) }
        if let temperature { object["temperature"] = .double(temperature) }
        if let extraBody { object["extra_body"] = .object(extraBody) }
        if let canStream { object["can_stream"] = .bool(canStream) }
        if let structuredOutput { object["structured_output"] = .string(structuredOutput.rawValue) }
        if let chatOutputCapField { object["max_tokens_field"] = .string(chatOutputCapField.rawValue) }
        if let maxStopSequences { object["max_stop_sequences"] = .int(Int64(maxStopSequences)) }
        if let reasoningModel { object["reasoning_model"] = .bool(reasoningModel) }
        if let chatReasoningContent { object["reasoning_content"] = .bool(chatReasoningContent) }
        if let rules { object["rules"] = .array(rules.map(\.json)) }
        if let keyAuth { object["auth"] = .string(keyAuth.rawValue) }
        if configuredHeaders == true { object["configured_headers"] = true }
        if reasoningEffortRefused == true { object["reasoning_effort_refused"] = true }
        if let chatServer { object["chat_server"] = .string(chatServer.rawValue) }
        if let idSeed { object["id_seed"] = .string(idSeed) }
        return .object(object)
    }
}

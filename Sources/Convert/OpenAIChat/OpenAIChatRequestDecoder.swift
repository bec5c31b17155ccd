import Wire

/// Reads one OpenAI `chat.completions` request into an Anthropic Messages
/// request, field by field, collecting a diagnostic for what it drops.
///
/// Choices worth knowing:
/// - `reasoning_effort` becomes an extended-thinking budget: `minimal` and
///   `low` 1 024 tokens (Anthropic's least), `medium` 8 192, `high` 24 576.
///   Each lands inside the band ``ReasoningEffortMapping`` reads back, so
///   OpenAI -> Anthropic -> OpenAI keeps the effort. The budget stays below
///   `max_tokens`, which in both APIs caps reasoning and answer together.
/// - With thinking on, Anthropic accepts no `temperature` other than 1 and
///   no `top_p` below 0.95, so such values are dropped with a diagnostic.
/// - OpenAI's `temperature` runs to 2, Anthropic's to 1: higher is capped.
struct OpenAIChatRequestDecoder {
    let request: JSONObject
    var diagnostics: [ConversionDiagnostic] = []

    static let thinkingBudgets: [String: Int] = ["minimal": 1_024, "low": 1_024, "medium": 8_192, "high": 24_576]
    /// Anthropic's smallest thinking budget.
    static let minimumThinkingBudget = 1_024

    /// Fields read here; any other is dropped with a diagnostic.
    static let translatedFields: Set<String> = [
        "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "stream",
        "stream_options", "tools", "tool_choice", "parallel_tool_calls", "reasoning_effort", "user", "n",
    ]
    /// Fields that change the answer's shape or content, so dropping them is
    /// worth a warning rather than a note.
    static let significantFields: Set<String> = ["response_format", "logprobs", "top_logprobs", "audio", "modalities"]

    init(request: JSONObject) {
        self.request = request
    }

    mutating func decode() throws(APIError) -> ConvertedRequest {
        var body = JSONObject()
        body["model"] = .string(try requiredString("model"))
        if let n = try optionalInt("n"), n != 1 {
            throw .invalidRequest(
                "n: \(n) choices were asked for, but this proxy returns exactly one; send n: 1 or leave it out")
        }
        // `max_tokens` is the deprecated name; the newer one wins when both are set.
        let newCap = try optionalInt("max_completion_tokens")
        let oldCap = try optionalInt("max_tokens")
        let maxTokens = newCap ?? oldCap ?? OpenAIChatClientCodec.defaultMaxTokens
        guard maxTokens >= 1 else {
            throw .invalidRequest("max_completion_tokens must be at least 1, got \(maxTokens)")
        }
        body["max_tokens"] = .int(Int64(maxTokens))
        let (system, messages) = try decodeMessages()
        if let system { body["system"] = .string(system) }
        body["messages"] = .array(messages)
        let thinking = try thinkingBudget(maxTokens: maxTokens)
        try addSampling(to: &body, thinking: thinking != nil)
        if let stop = try stopSequences() { body["stop_sequences"] = .array(stop.map(JSONValue.string)) }
        try addTools(to: &body)
        if let thinking { body["thinking"] = ["type": "enabled", "budget_tokens": .int(Int64(thinking))] }
        if let user = try optionalString("user") { body["metadata"] = ["user_id": .string(user)] }
        if let stream = request["stream"], !stream.isNull {
            guard let flag = stream.boolValue else { throw Self.wrongType("stream", "a boolean", stream) }
            body["stream"] = .bool(flag)
        }
        reportDroppedFields()
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    private mutating func addSampling(to body: inout JSONObject, thinking: Bool) throws(APIError) {
        if let temperature = try optionalNumber("temperature") {
            if thinking && temperature != 1 {
                diagnostics.append(.info("/temperature", "Anthropic takes no temperature but 1 with thinking; dropped"))
            } else if temperature > 1 {
                diagnostics.append(.info("/temperature", "Anthropic's temperature runs to 1; \(temperature) capped"))
                body["temperature"] = 1
            } else {
                body["temperature"] = request["temperature"]
            }
        }
        if let topP = try optionalNumber("top_p") {
            if thinking && topP < 0.95 {
                diagnostics.append(.info("/top_p", "Anthropic takes no top_p below 0.95 with thinking; dropped"))
            } else {
                body["top_p"] = request["top_p"]
            }
        }
    }

    /// The thinking budget `reasoning_effort` asks for; nil for none.
    private mutating func thinkingBudget(maxTokens: Int) throws(APIError) -> Int? {
        guard let effort = try optionalString("reasoning_effort"), effort != "none" else { return nil }
        guard let budget = Self.thinkingBudgets[effort] else {
            diagnostics.append(.warning("/reasoning_effort", "unknown reasoning_effort \(effort); dropped"))
            return nil
        }
        // Anthropic wants the budget below max_tokens, which caps both.
        let fitted = min(budget, maxTokens - 1)
        guard fitted >= Self.minimumThinkingBudget else {
            diagnostics.append(
                .warning(
                    "/reasoning_effort",
                    "max_tokens \(maxTokens) leaves no room for Anthropic's least thinking budget; thinking off"))
            return nil
        }
        return fitted
    }

    private func stopSequences() throws(APIError) -> [String]? {
        switch request["stop"] {
        case nil, .null?: return nil
        case .string(let stop)?: return [stop]
        case .array(let stops)?:
            var sequences: [String] = []
            for (index, stop) in stops.enumerated() {
                guard let text = stop.stringValue else { throw Self.wrongType("stop[\(index)]", "a string", stop) }
                sequences.append(text)
            }
            return sequences.isEmpty ? nil : sequences
        case let other?: throw Self.wrongType("stop", "a string or an array of strings", other)
        }
    }

    private mutating func reportDroppedFields() {
        for key in request.keys where !Self.translatedFields.contains(key) {
            let path = "/" + ConversionDiagnostic.pointerToken(key)
            let message = "\(key) has no Anthropic Messages equivalent; dropped"
            diagnostics.append(Self.significantFields.contains(key) ? .warning(path, message) : .info(path, message))
        }
    }

    // MARK: Typed field access; a wrong type is the client's error.

    static func wrongType(_ field: String, _ expected: String, _ value: JSONValue) -> APIError {
        .invalidRequest("\(field) must be \(expected), got \(value.typeName)")
    }

    private func requiredString(_ key: String) throws(APIError) -> String {
        guard let text = try optionalString(key) else { throw .invalidRequest("\(key) is required") }
        return text
    }

    private func optionalString(_ key: String) throws(APIError) -> String? {
        guard let value = request[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw Self.wrongType(key, "a string", value) }
        return text
    }

    private func optionalInt(_ key: String) throws(APIError) -> Int? {
        guard let value = request[key], !value.isNull else { return nil }
        guard let number = value.intValue else { throw Self.wrongType(key, "an integer", value) }
        return number
    }

    private func optionalNumber(_ key: String) throws(APIError) -> Double? {
        guard let value = request[key], !value.isNull else { return nil }
        guard let number = value.doubleValue else { throw Self.wrongType(key, "a number", value) }
        return number
    }
}

import Wire

/// Reads one OpenAI `chat.completions` request into an Anthropic Messages
/// request, field by field, collecting a diagnostic for what it drops.
///
/// Choices worth knowing:
/// - `reasoning_effort` becomes an extended-thinking budget by the table
///   every client dialect shares (``ReasoningEffortMapping/budget(forEffort:)``),
///   whose budgets read back as the same effort, so OpenAI -> Anthropic ->
///   OpenAI keeps it. The budget stays below `max_tokens`, which in both
///   APIs caps reasoning and answer together.
/// - With no cap asked for, `max_tokens` leaves the default's room for the
///   answer after the thinking budget, as the Responses decoder does.
/// - What an Anthropic upstream refuses of OpenAI's sampling settings is
///   fitted on the way out (``AnthropicUpstreamFit``), not here: another
///   upstream takes them. So `seed` and the penalties, which Anthropic has
///   none of, are carried in the pivot (``SeedAndPenalties``).
struct OpenAIChatRequestDecoder {
    let request: JSONObject
    var diagnostics: [ConversionDiagnostic] = []
    /// The last assistant `function_call` (legacy, no id) with the id the
    /// proxy gave its `tool_use`, for the `function` message that answers it.
    var openFunctionCall: (name: String, id: String)?

    /// Fields read here; any other is dropped with a diagnostic.
    static let translatedFields: Set<String> = [
        "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "stream",
        "stream_options", "tools", "tool_choice", "parallel_tool_calls", "reasoning_effort", "user", "n",
        "response_format", "seed", "presence_penalty", "frequency_penalty", "functions", "function_call",
    ]
    /// Fields that change the answer's shape or content, so dropping them is
    /// worth a warning rather than a note.
    static let significantFields: Set<String> = ["logprobs", "top_logprobs", "audio", "modalities"]

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
        let effortBudget = try requestedBudget()
        // Unset, the cap leaves room for an answer after the thinking.
        let maxTokens =
            newCap ?? oldCap
            ?? ReasoningEffortMapping.unsetCap(
                default: OpenAIChatClientCodec.defaultMaxTokens, thinkingBudget: effortBudget)
        // The name the client used: told about `max_completion_tokens` when
        // it sent `max_tokens`, it looks for a field it never set.
        let capName = newCap == nil && oldCap != nil ? "max_tokens" : "max_completion_tokens"
        guard maxTokens >= 1 else {
            throw .invalidRequest("\(capName) must be at least 1, got \(maxTokens)")
        }
        body["max_tokens"] = .int(Int64(maxTokens))
        let (system, messages) = try decodeMessages()
        if let system { body["system"] = .string(system) }
        body["messages"] = .array(messages)
        let thinking = effortBudget.flatMap {
            ReasoningEffortMapping.fittedBudget(
                $0, below: maxTokens, capName: capName, pointer: "/reasoning_effort", diagnostics: &diagnostics)
        }
        try addSampling(to: &body)
        if let stop = try stopSequences() { body["stop_sequences"] = .array(stop.map(JSONValue.string)) }
        try addTools(to: &body)
        ReasoningEffortMapping.addThinking(
            budget: thinking, effort: try optionalString("reasoning_effort"), to: &body)
        // Carried, not dropped: the upstream that can keep the answer to it
        // says so, and the one that cannot warns by its own name.
        StructuredOutput.add(
            StructuredOutput.pivotFormat(chatResponseFormat: request["response_format"], diagnostics: &diagnostics),
            to: &body)
        if let user = try optionalString("user") { body["metadata"] = ["user_id": .string(user)] }
        if let stream = request["stream"], !stream.isNull {
            guard let flag = stream.boolValue else { throw Self.wrongType("stream", "a boolean", stream) }
            body["stream"] = .bool(flag)
        }
        reportDroppedFields()
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    private mutating func addSampling(to body: inout JSONObject) throws(APIError) {
        if try optionalNumber("temperature") != nil { body["temperature"] = request["temperature"] }
        if try optionalNumber("top_p") != nil { body["top_p"] = request["top_p"] }
        try SeedAndPenalties.add(from: .object(request), dialect: .openai, to: &body)
    }

    /// The thinking budget `reasoning_effort` asks for; nil for none.
    private mutating func requestedBudget() throws(APIError) -> Int? {
        guard let effort = try optionalString("reasoning_effort"), effort != "none" else { return nil }
        guard let budget = ReasoningEffortMapping.budget(forEffort: effort) else {
            diagnostics.append(.warning("/reasoning_effort", "unknown reasoning_effort \(effort); dropped"))
            return nil
        }
        return budget
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

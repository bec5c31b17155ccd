import Wire

/// A Gemini `generateContent` request -> an Anthropic Messages request,
/// with a diagnostic for everything dropped or rewritten on the way.
///
/// The model and streaming are not in a Gemini body but in the URL, so the
/// caller passes them. Field names are read in both of Gemini's spellings
/// (camelCase and snake_case).
struct GeminiClientRequestDecoder {
    let request: JSONValue
    let model: String
    let stream: Bool
    var diagnostics: [ConversionDiagnostic] = []
    /// Function calls seen so far, so each `functionResponse` finds its call's
    /// `tool_use` id (Gemini pairs them by name and order, Anthropic by id).
    var calls: [Call] = []

    struct Call {
        /// The id the client gave the call, if any.
        var clientID: String?
        var name: String
        /// The `tool_use` id in the pivot.
        var id: String
        var answered = false
    }

    /// The default when `generationConfig.maxOutputTokens` is absent and
    /// no thinking needs more (``ReasoningEffortMapping/unsetCap(default:thinkingBudget:)``):
    /// Anthropic requires `max_tokens`, Gemini does not.
    static let defaultMaxTokens = 8192

    // Arrays, not sets: a handful of short names compare faster than they hash.
    static let knownFields = [
        "contents", "systemInstruction", "generationConfig", "tools", "toolConfig", "model",
    ]
    static let knownConfigFields = [
        "maxOutputTokens", "temperature", "topP", "topK", "stopSequences", "candidateCount", "thinkingConfig",
        // Carried as structured output (StructuredOutput).
        "responseMimeType", "responseSchema", "responseJsonSchema",
        // Carried beside the pivot's own settings (SeedAndPenalties).
        "seed", "presencePenalty", "frequencyPenalty",
    ]

    init(request: JSONValue, model: String, stream: Bool) {
        self.request = request
        self.model = model
        self.stream = stream
    }

    mutating func decode() throws(APIError) -> ConvertedRequest {
        guard request.objectValue != nil else {
            throw .invalidRequest("the request body must be a JSON object")
        }
        guard let contents = request[gemini: "contents"]?.arrayValue else {
            throw .invalidRequest(
                request[gemini: "contents"] == nil
                    ? "contents: field is required" : "contents: must be an array of Content objects")
        }
        let config = request[gemini: "generationConfig"]
        if let count = config?[gemini: "candidateCount"]?.intValue, count > 1 {
            throw .invalidRequest(
                "generationConfig.candidateCount: only 1 candidate is supported through this proxy, got \(count)")
        }
        var body: JSONObject = ["model": .string(model)]
        if stream { body["stream"] = true }
        // Unset, the cap leaves the OpenAI decoders' room for an answer
        // after a thinking budget (which Gemini counts in its cap too):
        // Anthropic wants max_tokens above the budget, and Gemini's own
        // unset cap is the model's limit (65 536), more than this asks. The
        // room is theirs, not this default, so `high` stays within Claude
        // Opus 4's 32 000 (8 192 after 24 576 made 32 768, refused); a
        // larger budget is fitted down to stay within it too. A
        // client's cap is kept and the budget fitted under it here, as the
        // OpenAI decoders do, so the pivot is valid on its own; a route's
        // `max_tokens` lowers both for a model whose limit is smaller.
        let thinking = config?[gemini: "thinkingConfig"]
        let level = thinking?[gemini: "thinkingLevel"]?.stringValue?.lowercased()
        let budget = max(
            thinking?[gemini: "thinkingBudget"]?.intValue ?? level.flatMap(ReasoningEffortMapping.budget(forEffort:))
                ?? 0, 0)
        let cap = try maxOutputTokens(config)
        let maxTokens = cap ?? ReasoningEffortMapping.unsetCap(default: Self.defaultMaxTokens, thinkingBudget: budget)
        body["max_tokens"] = .int(Int64(maxTokens))
        if let system = systemText() { body["system"] = .string(system) }
        body["messages"] = .array(try messages(contents))
        addTools(to: &body)
        if let config { try addGenerationConfig(config, maxTokens: maxTokens, capIsSet: cap != nil, to: &body) }
        reportUnknownFields(request, known: Self.knownFields, path: "")
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    /// `generationConfig.maxOutputTokens`, nil when unset. One of another
    /// type is the client's error, as Gemini answers it: read as unset, a
    /// `"many"` went up with the default cap.
    private func maxOutputTokens(_ config: JSONValue?) throws(APIError) -> Int? {
        guard let value = config?[gemini: "maxOutputTokens"], !value.isNull else { return nil }
        guard let cap = value.intValue else {
            throw .invalidRequest(
                "\(configField("maxOutputTokens", in: config)): must be an integer, got \(value.typeName)")
        }
        return cap
    }

    /// `generationConfig`'s member `name` as the client spelt both
    /// (`generationConfig.topP`, `generation_config.top_p`).
    private func configField(_ name: String, in config: JSONValue?) -> String {
        "\(Self.spelling(of: "generationConfig", in: request)).\(Self.spelling(of: name, in: config))"
    }

    /// A sampling setting of `generationConfig`, nil when unset or null.
    /// One of another type is the client's error, named as the client spelt
    /// it: the pivot's own check would name `top_p`, a field the client
    /// never sent. `topK` is an integer at Gemini, which its SDKs write as
    /// a float (40.0): sent on as the integer it is.
    private func samplingSetting(
        _ name: String, in config: JSONValue, integer: Bool = false
    ) throws(APIError) -> JSONValue? {
        guard let value = config[gemini: name], !value.isNull else { return nil }
        guard let number = value.doubleValue else {
            throw .invalidRequest("\(configField(name, in: config)): must be a number, got \(value.typeName)")
        }
        guard integer else { return value }
        guard let whole = Int64(exactly: number) else {
            throw .invalidRequest("\(configField(name, in: config)): must be an integer, got \(number)")
        }
        return .int(whole)
    }

    /// `systemInstruction`'s text parts, joined; other parts are dropped.
    private mutating func systemText() -> String? {
        guard let instruction = request[gemini: "systemInstruction"] else { return nil }
        let path = "/\(Self.spelling(of: "systemInstruction", in: request))"
        var texts: [String] = []
        for (index, part) in (instruction[gemini: "parts"]?.arrayValue ?? []).enumerated() {
            if let text = part["text"]?.stringValue {
                if !text.isEmpty { texts.append(text) }
            } else {
                diagnostics.append(
                    .warning("\(path)/parts/\(index)", "only text parts can be a system prompt; dropped"))
            }
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n\n")
    }

    /// - Parameter capIsSet: whether the client set `maxOutputTokens`;
    ///   unset, a budget is also kept within what the cap made for it
    ///   leaves (``ReasoningEffortMapping/budgetForUnsetCap(_:capName:pointer:diagnostics:)``).
    private mutating func addGenerationConfig(
        _ config: JSONValue, maxTokens: Int, capIsSet: Bool, to body: inout JSONObject
    ) throws(APIError) {
        // Made only for a diagnostic: interpolation costs more than the rest.
        let path = { [request] in "/\(Self.spelling(of: "generationConfig", in: request))" }
        if let temperature = try samplingSetting("temperature", in: config) { body["temperature"] = temperature }
        if let topP = try samplingSetting("topP", in: config) { body["top_p"] = topP }
        if let topK = try samplingSetting("topK", in: config, integer: true) { body["top_k"] = topK }
        try SeedAndPenalties.add(from: config, dialect: .gemini, fieldPrefix: "\(path().dropFirst()).", to: &body)
        if let stop = config[gemini: "stopSequences"]?.arrayValue, !stop.isEmpty {
            body["stop_sequences"] = .array(stop)
        }
        if let thinking = config[gemini: "thinkingConfig"] {
            // -1 is Gemini's dynamic budget; Anthropic's adaptive thinking
            // is the same idea. 0 turns thinking off, as it does at Gemini.
            let requested = thinking[gemini: "thinkingBudget"]?.intValue
            switch requested {
            case nil:
                break
            case 0:
                body["thinking"] = ["type": "disabled"]
            case -1:
                body["thinking"] = ["type": "adaptive"]
            case var budget?:
                if !capIsSet {
                    budget = ReasoningEffortMapping.budgetForUnsetCap(
                        budget, capName: "maxOutputTokens", pointer: "\(path())/thinkingConfig/thinkingBudget",
                        diagnostics: &diagnostics)
                }
                // The client's own split of its own cap is kept while valid.
                if let fitted = ReasoningEffortMapping.fittedBudget(
                    budget, below: maxTokens, capName: "maxOutputTokens", chosenForCap: capIsSet,
                    pointer: "\(path())/thinkingConfig/thinkingBudget", diagnostics: &diagnostics)
                {
                    body["thinking"] = ["type": "enabled", "budget_tokens": .int(Int64(fitted))]
                }
            }
            // Gemini 3's level is an effort: a budget by the effort table,
            // and the effort itself for an OpenAI upstream.
            if let level = thinking[gemini: "thinkingLevel"]?.stringValue?.lowercased(), requested == nil {
                if let budget = ReasoningEffortMapping.budget(forEffort: level) {
                    let fitted = ReasoningEffortMapping.fittedBudget(
                        budget, below: maxTokens, capName: "maxOutputTokens",
                        pointer: "\(path())/thinkingConfig/thinkingLevel", diagnostics: &diagnostics)
                    ReasoningEffortMapping.addThinking(budget: fitted, effort: level, to: &body)
                } else {
                    let pointer = "\(path())/thinkingConfig/thinkingLevel"
                    diagnostics.append(.info(pointer, "unknown thinking level \(level); the model's default is used"))
                }
            }
            // Thoughts the client does not want are Anthropic's omitted display: the upstream
            // leaves their text out itself, and an Anthropic signature then stands for the empty
            // text the client sends back (one made for the full text, which the proxy blanked,
            // would not verify).
            if thinking[gemini: "includeThoughts"]?.boolValue == false,
                case .object(var enabled)? = body["thinking"], enabled["type"]?.stringValue != "disabled"
            {
                enabled["display"] = "omitted"
                body["thinking"] = .object(enabled)
            }
        }
        // JSON Schema first: it is what the pivot carries; the OpenAPI
        // subset is made JSON Schema.
        StructuredOutput.add(
            StructuredOutput.pivotFormat(
                geminiMimeType: config[gemini: "responseMimeType"]?.stringValue,
                jsonSchema: config[gemini: "responseJsonSchema"], openAPISchema: config[gemini: "responseSchema"],
                pointer: "\(path())/\(Self.spelling(of: "responseMimeType", in: config))", diagnostics: &diagnostics),
            to: &body)
        reportUnknownFields(config, known: Self.knownConfigFields, path: path())
    }

    /// Diagnoses members of `object` that are not in `known` (by either
    /// spelling): info for generation settings the upstream will not honour,
    /// debug for anything else.
    /// - Parameter path: the object's pointer, "" for the request itself;
    ///   asked for only when a member is unknown.
    mutating func reportUnknownFields(_ object: JSONValue, known: [String], path: @autoclosure () -> String) {
        for key in object.objectValue?.keys ?? [] where !known.contains(GeminiClientMapping.camelCase(key)) {
            let path = path()
            let pointer = "\(path)/\(ConversionDiagnostic.pointerToken(key))"
            diagnostics.append(
                path.isEmpty
                    ? .debug(pointer, "no Anthropic equivalent; dropped")
                    : .info(pointer, "generation setting with no Anthropic equivalent; dropped"))
        }
    }

    /// The key under which `object` holds the field `camelName`, for pointers.
    static func spelling(of camelName: String, in object: JSONValue?) -> String {
        object?[camelName] == nil && object?[GeminiClientMapping.snakeCase(camelName)] != nil
            ? GeminiClientMapping.snakeCase(camelName) : camelName
    }
}

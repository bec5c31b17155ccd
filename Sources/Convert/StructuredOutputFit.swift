import Wire

/// A client's structured output (the pivot's `output_config.format`, see
/// ``StructuredOutput``) fitted to the route's upstream and its
/// ``StructuredOutputPolicy``, before the upstream's encoder writes it in
/// its own words. Each change is a diagnostic.
///
/// `send` (the default) sends it, except where the upstream would refuse
/// the request with a 400 that was a 200 without it:
/// - OpenAI Chat refuses `json_object` unless a message says "json": the
///   system prompt is given "Respond with a JSON object."; a Responses
///   upstream gets JSON mode as a schema any object meets (``anyObject``);
/// - Gemini 2.x refuses a JSON MIME type beside function declarations:
///   with tools, the format is asked for in the system prompt instead;
/// - Anthropic has no JSON mode without a schema, refuses a format after
///   an assistant prefill, and on models older than Claude 4.5
///   (``AnthropicStructuredOutput``): each asked for in the system prompt
///   instead; a schema it takes is fitted to its keywords;
/// - Gemini's `propertyOrdering` goes to Gemini only.
///
/// A route that names `send` itself sends the format even where only the
/// model is guessed to refuse it (Gemini with tools, an older Claude).
/// `json_object` sends JSON mode only, the schema asked for in the system
/// prompt (an OpenAI-compatible upstream that takes no `json_schema`, such
/// as DeepSeek); `drop` sends nothing, with a warning. Those two also
/// apply to a client of the route's own dialect whose request carries a
/// format (``ClientRequest/isPassthrough(_:)``); `send` leaves its format
/// as sent.
enum StructuredOutputFit {
    static let pointer = "/output_config/format"
    /// What the system prompt gets when JSON mode is asked for with no
    /// schema; it also says "JSON", which OpenAI's JSON mode requires.
    static let jsonObjectInstruction = "Respond with a JSON object."

    /// Fits the format in `request` (a pivot body) to `route`; the beta's
    /// top-level `output_format` ends as `output_config.format`.
    /// - Throws: 400 for a schema whose root OpenAI refuses (``refuseRootOpenAIRefuses(_:route:)``).
    static func fit(_ request: inout JSONObject, route: RouteOptions) throws(APIError) -> [ConversionDiagnostic] {
        guard var format = StructuredOutput.pivotFormat(of: request) else { return [] }
        try refuseRootOpenAIRefuses(format, route: route)
        request["output_format"] = nil
        var diagnostics: [ConversionDiagnostic] = []
        if route.upstreamDialect != .gemini, let schema = format["schema"] {
            format["schema"] = StructuredOutput.withoutPropertyOrdering(schema)
        }
        let sent: JSONObject?
        switch route.structuredOutput ?? .send {
        case .drop:
            diagnostics.append(.warning(pointer, "the route's structured_output is drop; dropped"))
            sent = nil
        case .jsonObject:
            sent = jsonMode(format, in: &request, route: route, reason: nil, diagnostics: &diagnostics)
        case .send:
            if let refusal = refusal(of: format, in: request, route: route) {
                sent = jsonMode(format, in: &request, route: route, reason: refusal, diagnostics: &diagnostics)
            } else {
                sent = ownWords(format, in: &request, upstream: route.upstreamDialect, diagnostics: &diagnostics)
            }
        }
        var config = request["output_config"]?.objectValue ?? [:]
        config["format"] = sent.map(JSONValue.object)
        request["output_config"] = config.isEmpty ? nil : .object(config)
        return diagnostics
    }

    /// Refuses a schema whose root is not an object (google-genai's
    /// `response_schema=list[Recipe]` is an array) on an OpenAI route that
    /// would send it to OpenAI's own API (no policy: OpenAI takes only an
    /// object there, "schema must be a JSON Schema of 'type: \"object\"'") or
    /// JSON mode (the default elsewhere, which answers only objects). A route
    /// that says `send` gets it as it is: vLLM, Ollama and llama.cpp take an
    /// array root. Said by the proxy, it names the way out; an answer
    /// wrapped in an object and unwrapped again would be the proxy's own
    /// invention, streamed or not.
    private static func refuseRootOpenAIRefuses(_ format: JSONObject, route: RouteOptions) throws(APIError) {
        guard route.upstreamDialect == .openai || route.upstreamDialect == .openaiResponses,
            route.structuredOutput != .drop, route.structuredOutput != .send, format["type"] == "json_schema",
            let type = format["schema"]?["type"], type != "object", type != ["object"]
        else { return }
        let upstream =
            route.upstreamDialect == .openai
            ? OpenAIChatRequestBuilder.upstreamLabel : OpenAIResponsesRequestBuilder.upstreamLabel
        throw .invalidRequest(
            "the response schema's root is of type \(type.serializedString()), and the route's \(upstream) "
                + "upstream takes only an object there (\"type\": \"object\"); put the \(type.stringValue ?? "value") "
                + "in a property of an object schema, or use a route of another format")
    }

    /// Why the route's upstream would refuse the format as it is; nil when
    /// it takes it.
    private static func refusal(of format: JSONObject, in request: JSONObject, route: RouteOptions) -> String? {
        let guessing = route.structuredOutput != .send
        switch route.upstreamDialect {
        case .gemini:
            let hasTools = request["tools"]?.arrayValue?.isEmpty == false
            return hasTools && guessing ? "Gemini refuses a JSON response MIME type beside function declarations" : nil
        case .anthropic:
            if format["type"] != "json_schema" { return "Anthropic has no JSON mode without a schema" }
            if request["messages"]?.arrayValue?.last?["role"] == "assistant" {
                return "Anthropic refuses structured output after an assistant prefill"
            }
            if guessing, AnthropicStructuredOutput.takesFormat(model: route.upstreamModel) == false {
                return "\(route.upstreamModel) takes no output_config.format (Claude 4.5 and later do)"
            }
            return nil
        case .openai, .openaiResponses:
            return nil
        }
    }

    /// The format in the upstream's own words (its encoder writes them).
    private static func ownWords(
        _ format: JSONObject, in request: inout JSONObject, upstream: Dialect,
        diagnostics: inout [ConversionDiagnostic]
    ) -> JSONObject {
        switch upstream {
        case .anthropic:
            let (schema, changed) = AnthropicStructuredOutput.fitted(format["schema"] ?? ["type": "object"])
            if changed {
                diagnostics.append(.info("\(pointer)/schema", AnthropicStructuredOutput.fittedNote))
            }
            return ["type": "json_schema", "schema": schema]
        case .openaiResponses where format["type"] == "json_object":
            return anyObject
        case .openai, .openaiResponses:
            if format["type"] == "json_object", !mentionsJSON(request) {
                addInstruction(
                    jsonObjectInstruction, to: &request,
                    because: "OpenAI refuses json_object unless a message says JSON", diagnostics: &diagnostics)
            }
            return format
        case .gemini:
            return format
        }
    }

    /// JSON mode where the upstream has one and takes it here, the schema
    /// (or, with no JSON mode, the JSON itself) asked for in the system
    /// prompt; `reason` is why the format is not sent as it is, a warning.
    private static func jsonMode(
        _ format: JSONObject, in request: inout JSONObject, route: RouteOptions, reason: String?,
        diagnostics: inout [ConversionDiagnostic]
    ) -> JSONObject? {
        let mode: JSONObject? =
            switch route.upstreamDialect {
            case .openai: ["type": "json_object"]
            case .openaiResponses: anyObject
            // A JSON MIME type is what Gemini refuses beside tools.
            case .gemini: request["tools"]?.arrayValue?.isEmpty == false ? nil : ["type": "json_object"]
            case .anthropic: nil
            }
        let schema = format["type"] == "json_schema" ? format["schema"] : nil
        let because =
            reason ?? "the route's structured_output is json_object"
        if let reason {
            diagnostics.append(
                .warning(
                    pointer,
                    "\(reason); \(mode == nil ? "asked for" : "JSON mode, the schema asked for") in the system prompt"))
        }
        if let schema {
            addInstruction(
                "Respond with a JSON object that conforms to this JSON Schema: " + schema.serializedString(),
                to: &request, because: because, diagnostics: &diagnostics)
        } else if mode == nil || (route.upstreamDialect != .gemini && !mentionsJSON(request)) {
            addInstruction(jsonObjectInstruction, to: &request, because: because, diagnostics: &diagnostics)
        }
        return mode
    }

    /// JSON mode for a Responses upstream: a schema any object meets, not
    /// strict. Its `json_object` wants the word "json" in the input
    /// messages, which the system prompt (`instructions`) is not known to
    /// count as; a schema has no such rule.
    static let anyObject: JSONObject = ["type": "json_schema", "schema": ["type": "object"], "strict": false]

    private static func addInstruction(
        _ text: String, to request: inout JSONObject, because reason: String,
        diagnostics: inout [ConversionDiagnostic]
    ) {
        request["system"] = SystemPromptText.adding(text, to: request["system"], first: false)
        diagnostics.append(.info("/system", "\(reason): the system prompt asks for JSON"))
    }

    /// Whether the system prompt or a message's text says "json" in any
    /// case, as OpenAI's JSON mode requires; read in place, not lowercased
    /// copies of every text.
    static func mentionsJSON(_ request: JSONObject) -> Bool {
        let texts = [request["system"]] + (request["messages"]?.arrayValue ?? []).map { $0["content"] }
        return texts.contains { content in
            switch content {
            case .string(let text)?: text.containsIgnoringASCIICase("json")
            case .array(let blocks)?:
                blocks.contains { $0["text"]?.stringValue?.containsIgnoringASCIICase("json") == true }
            default: false
            }
        }
    }
}

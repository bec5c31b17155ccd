import Wire

/// Translates one Anthropic Messages request into an OpenAI Responses
/// request, collecting a diagnostic for everything it drops on purpose.
///
/// Choices worth knowing:
/// - all system text becomes `instructions`;
/// - the conversation is sent whole every time (no `previous_response_id`)
///   with `store: false`, so nothing is kept at OpenAI; reasoning survives
///   the round trip as encrypted content in thinking signatures (see
///   ``OpenAIResponsesReasoningSignature``), asked for with
///   `include: ["reasoning.encrypted_content"]` whenever reasoning is on;
/// - thinking becomes `reasoning.effort` as for Chat Completions (see
///   ``ReasoningEffortMapping``), plus `summary: "auto"` when the client
///   wants thinking shown (not `display: omitted`);
/// - `output_config.format` becomes `text.format` (see ``StructuredOutput``);
/// - function tools are sent with `strict: false` unless the tool says
///   otherwise: Responses defaults to strict, which rejects most schemas;
/// - `stop_sequences` have no Responses equivalent: the proxy applies them
///   to the answer (``UpstreamStopSequences``); `top_k` has none either and
///   is dropped with a warning; `seed` and the penalties an OpenAI Chat or
///   Gemini client sent, with a note (``SeedAndPenalties``); `extra_body`
///   is merged last;
/// - an OpenAI reasoning model (``RouteOptions/reasoningModel``) is sent no
///   temperature or `top_p` (``OpenAIReasoningModel``).
struct OpenAIResponsesRequestBuilder: AnthropicRequestTranslating {
    let request: JSONObject
    let route: RouteOptions
    var diagnostics: [ConversionDiagnostic] = []

    static let upstreamLabel = "OpenAI Responses"
    static let translatedFields: Set<String> = [
        "model", "messages", "system", "max_tokens", "temperature", "top_p", "stop_sequences", "tools", "tool_choice",
        "thinking", "output_config", "output_format", "metadata", "stream",
    ]
    /// Responses takes no `seed` or penalties (``SeedAndPenalties``).
    static let droppedSettings = Set(SeedAndPenalties.names)
    static let translatedToolFields: Set<String> = ["name", "description", "input_schema", "type", "strict"]

    init(request: JSONObject, route: RouteOptions) {
        self.request = request
        self.route = route
    }

    mutating func build() throws(APIError) -> ConvertedRequest {
        try refuseServerThread()
        var body = JSONObject()
        body["model"] = .string(route.upstreamModel)
        if let systemText = try joinedSystemText() { body["instructions"] = .string(systemText) }
        body["input"] = .array(try convertInput())
        body["max_output_tokens"] = .int(Int64(cappedMaxTokens()))
        if let temperature { body["temperature"] = temperature }
        if let topP { body["top_p"] = topP }
        addTools(to: &body)
        let thinking = request["thinking"]
        if let effort = ReasoningEffortMapping.effort(
            route: route, thinking: thinking, outputConfig: request["output_config"],
            diagnostics: &diagnostics)
        {
            var reasoning: JSONObject = ["effort": .string(effort)]
            let shown = ["enabled", "adaptive"].contains(thinking?["type"]?.stringValue ?? "")
            if shown && thinking?["display"]?.stringValue != "omitted" { reasoning["summary"] = "auto" }
            body["reasoning"] = .object(reasoning)
            body["include"] = ["reasoning.encrypted_content"]
        }
        if let format = StructuredOutput.pivotFormat(of: request),
            let textFormat = StructuredOutput.responsesTextFormat(
                format, upstream: Self.upstreamLabel, diagnostics: &diagnostics)
        {
            body["text"] = ["format": textFormat]
        }
        body["store"] = false
        if let user = openAIUser() { body["user"] = .string(user) }
        if request["stream"]?.boolValue == true { body["stream"] = true }
        if let stop = request["stop_sequences"]?.arrayValue, !stop.isEmpty {
            _ = UpstreamStopSequences.sent(stop, route: route, label: Self.upstreamLabel, diagnostics: &diagnostics)
        }
        if request["top_k"] != nil {
            diagnostics.append(.warning("/top_k", "no OpenAI Responses equivalent; dropped"))
        }
        OpenAIReasoningModel.leaveOutFixedSettings(from: &body, route: route, diagnostics: &diagnostics)
        return finishedRequest(body)
    }

    private mutating func addTools(to body: inout JSONObject) {
        var tools: [JSONValue] = []
        for (index, tool) in (request["tools"]?.arrayValue ?? []).enumerated() {
            guard
                let (name, definition) = functionTool(
                    tool, path: "/tools/\(index)", translated: Self.translatedToolFields)
            else { continue }
            var function: JSONObject = ["type": "function", "name": .string(name)]
            if let description = definition["description"]?.stringValue {
                function["description"] = .string(description)
            }
            let (parameters, strict) = OpenAIStrictTool.parameters(
                of: definition, path: "/tools/\(index)", upstream: Self.upstreamLabel, diagnostics: &diagnostics)
            function["parameters"] = parameters
            function["strict"] = .bool(strict ?? false)
            tools.append(.object(function))
        }
        guard !tools.isEmpty else {
            if request["tool_choice"] != nil {
                diagnostics.append(.debug("/tool_choice", "no tools to choose from upstream; dropped"))
            }
            return
        }
        body["tools"] = .array(tools)
        guard let choice = request["tool_choice"]?.objectValue else { return }
        switch choice["type"]?.stringValue {
        case "auto": body["tool_choice"] = "auto"
        case "any": body["tool_choice"] = "required"
        case "none": body["tool_choice"] = "none"
        case "tool": body["tool_choice"] = ["type": "function", "name": choice["name"] ?? ""]
        default: diagnostics.append(.warning("/tool_choice/type", "unknown tool_choice type; dropped"))
        }
        if choice["disable_parallel_tool_use"]?.boolValue == true && choice["type"]?.stringValue != "none" {
            body["parallel_tool_calls"] = false
        }
    }
}

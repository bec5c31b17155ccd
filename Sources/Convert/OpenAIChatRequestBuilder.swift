import Wire

/// Translates one Anthropic Messages request into an OpenAI Chat Completions
/// request, collecting a diagnostic for everything it drops on purpose.
///
/// Choices worth knowing:
/// - `max_tokens` (capped by the route) is sent under the name the route's
///   ``RouteOptions/chatOutputCapField`` gives: `max_tokens`, the field
///   every OpenAI-compatible provider (DeepSeek, Groq, Mistral, vLLM,
///   Ollama...) accepts, unless the route says `max_completion_tokens`, as
///   routes to api.openai.com do by default (its reasoning models refuse
///   `max_tokens`).
/// - All system text (the `system` field and any `system`-role messages, which
///   Claude Code 2.1.x puts mid-conversation) becomes one leading `system`
///   message, since many providers accept a system message only first.
/// - Earlier thinking is dropped, with a note, unless the route's
///   ``RouteOptions/chatReasoningContent`` says the upstream takes it back
///   (DeepSeek, Kimi): then each assistant message carries its thinking's
///   text as `reasoning_content`, an empty string where it had none.
/// - `output_config.format` becomes `response_format` (see
///   ``StructuredOutput``).
/// - `metadata.user_id` becomes `user` (see `openAIUser()`).
/// - `seed` and the penalties an OpenAI or Gemini client sent go as Chat's
///   own (``SeedAndPenalties``); `top_k` has no Chat equivalent and is
///   dropped with a note.
/// - The route's `temperature` and `reasoning_effort` win over the client's;
///   `extra_body` is merged last (see `JSONObject.merge`).
/// - An OpenAI reasoning model (``RouteOptions/reasoningModel``) is sent
///   no temperature, `top_p` or penalties (``OpenAIReasoningModel``), and
///   no stop sequences (``UpstreamStopSequences``).
/// - A server with stricter rules (``RouteOptions/chatServer``: Mistral)
///   gets its tool ids, seed and members fitted (``ChatServer``).
struct OpenAIChatRequestBuilder: AnthropicRequestTranslating {
    let request: JSONObject
    let route: RouteOptions
    var diagnostics: [ConversionDiagnostic] = []

    static let upstreamLabel = "OpenAI Chat Completions"
    static let translatedFields = Set(
        [
            "model", "messages", "system", "max_tokens", "temperature", "top_p", "stop_sequences", "tools",
            "tool_choice", "thinking", "output_config", "output_format", "metadata", "stream",
        ] + SeedAndPenalties.names)
    static let droppedSettings: Set<String> = ["top_k"]

    init(request: JSONObject, route: RouteOptions) {
        self.request = request
        self.route = route
    }

    mutating func build() throws(APIError) -> ConvertedRequest {
        try refuseServerThread()
        var body = JSONObject()
        body["model"] = .string(route.upstreamModel)
        body["messages"] = .array(try convertMessages())
        body[(route.chatOutputCapField ?? .maxTokens).rawValue] = .int(Int64(cappedMaxTokens()))
        if let temperature { body["temperature"] = temperature }
        if let topP { body["top_p"] = topP }
        SeedAndPenalties.add(from: request, to: &body, upstream: .openai, diagnostics: &diagnostics)
        if route.chatServer == .mistral, let seed = body.removeValue(forKey: "seed") { body["random_seed"] = seed }
        if let stop = request["stop_sequences"]?.arrayValue, !stop.isEmpty {
            let sent = UpstreamStopSequences.sent(
                stop, route: route, label: Self.upstreamLabel, diagnostics: &diagnostics)
            // None at all for a model that takes none: it refuses `stop` itself, even empty.
            if !sent.isEmpty { body["stop"] = .array(sent) }
        }
        addTools(to: &body)
        if let effort = ReasoningEffortMapping.effort(
            route: route, thinking: request["thinking"], outputConfig: request["output_config"],
            diagnostics: &diagnostics)
        {
            body["reasoning_effort"] = .string(effort)
        }
        if let format = StructuredOutput.pivotFormat(of: request),
            let responseFormat = StructuredOutput.chatResponseFormat(
                format, upstream: Self.upstreamLabel, diagnostics: &diagnostics)
        {
            body["response_format"] = responseFormat
        }
        // Mistral refuses both (``ChatServer/mistral``), and streams usage unasked.
        if route.chatServer != .mistral, let user = openAIUser() { body["user"] = .string(user) }
        if request["stream"]?.boolValue == true {
            body["stream"] = true
            if route.chatServer != .mistral { body["stream_options"] = ["include_usage": true] }
        }
        OpenAIReasoningModel.leaveOutFixedSettings(from: &body, route: route, diagnostics: &diagnostics)
        return finishedRequest(body)
    }
}

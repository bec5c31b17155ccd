import Wire

/// Translates one Anthropic Messages request into an OpenAI Chat Completions
/// request, collecting a diagnostic for everything it drops on purpose.
///
/// Choices worth knowing:
/// - `max_tokens` is sent as `max_tokens` (capped by the route), not
///   `max_completion_tokens`: it is the field every OpenAI-compatible
///   provider (DeepSeek, Groq, Mistral, vLLM, Ollama...) accepts. A route to
///   an OpenAI reasoning model that wants the newer name sets
///   `extra_body: {max_tokens: null, max_completion_tokens: N}`.
/// - All system text (the `system` field and any `system`-role messages, which
///   Claude Code 2.1.x puts mid-conversation) becomes one leading `system`
///   message, since many providers accept a system message only first.
/// - `metadata.user_id` becomes `user`; ids over 64 characters (Claude Code's
///   is a JSON document) are replaced by a stable hash, as OpenAI limits it.
/// - The route's `temperature` and `reasoning_effort` win over the client's;
///   `extra_body` is merged last (see `JSONObject.merge`).
struct OpenAIChatRequestBuilder {
    let request: JSONObject
    let route: RouteOptions
    var diagnostics: [ConversionDiagnostic] = []

    /// Top-level fields this builder translates; any other is reported as dropped.
    static let translatedFields: Set<String> = [
        "model", "messages", "system", "max_tokens", "temperature", "top_p", "stop_sequences", "tools",
        "tool_choice", "thinking", "output_config", "metadata", "stream",
    ]
    static let maxUserLength = 64

    init(request: JSONObject, route: RouteOptions) {
        self.request = request
        self.route = route
    }

    mutating func build() -> ConvertedRequest {
        var body = JSONObject()
        body["model"] = .string(route.upstreamModel)
        body["messages"] = .array(convertMessages())
        body["max_tokens"] = .int(Int64(cappedMaxTokens()))
        if let temperature = route.temperature {
            body["temperature"] = .double(temperature)
        } else if let temperature = request["temperature"], !temperature.isNull {
            body["temperature"] = temperature
        }
        if let topP = request["top_p"], !topP.isNull { body["top_p"] = topP }
        if let stop = request["stop_sequences"]?.arrayValue, !stop.isEmpty { body["stop"] = .array(stop) }
        addTools(to: &body)
        if let effort = ReasoningEffortMapping.effort(
            route: route, thinking: request["thinking"], outputConfig: request["output_config"])
        {
            body["reasoning_effort"] = .string(effort)
        }
        if let user = convertedUser() { body["user"] = .string(user) }
        if request["stream"]?.boolValue == true {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        reportUntranslatedFields()
        if let extraBody = route.extraBody { body.merge(extraBody) }
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    private mutating func cappedMaxTokens() -> Int {
        let requested = request["max_tokens"]?.intValue ?? 1
        guard let cap = route.maxTokensCap, requested > cap else { return requested }
        diagnostics.append(.info("/max_tokens", "max_tokens \(requested) capped to the route's \(cap)"))
        return cap
    }

    private mutating func convertedUser() -> String? {
        guard let metadata = request["metadata"]?.objectValue else { return nil }
        for member in metadata where member.key != "user_id" {
            diagnostics.append(
                .debug("/metadata/\(ConversionDiagnostic.pointerToken(member.key))", "no OpenAI equivalent; dropped"))
        }
        guard let userID = metadata["user_id"]?.stringValue, !userID.isEmpty else { return nil }
        guard userID.count > Self.maxUserLength else { return userID }
        diagnostics.append(
            .info("/metadata/user_id", "longer than \(Self.maxUserLength) characters; sent as a stable hash"))
        return "user-" + StableHash.hex(userID.utf8)
    }

    private mutating func reportUntranslatedFields() {
        for member in request where !Self.translatedFields.contains(member.key) {
            diagnostics.append(
                .debug(
                    "/\(ConversionDiagnostic.pointerToken(member.key))",
                    "no OpenAI Chat Completions equivalent; dropped"))
        }
        if let outputConfig = request["output_config"]?.objectValue {
            for member in outputConfig where member.key != "effort" {
                diagnostics.append(
                    .debug(
                        "/output_config/\(ConversionDiagnostic.pointerToken(member.key))",
                        "no OpenAI Chat Completions equivalent; dropped"))
            }
        }
    }
}

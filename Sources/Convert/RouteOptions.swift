import Wire

/// Everything a route decides about converting one exchange, and nothing
/// secret: the proxy builds it from the config entry, records it in the
/// cassette's `route` line, and `log-replay verify` rebuilds the same
/// conversion from that record alone.
public struct RouteOptions: Sendable, Hashable, Codable {
    /// The config entry's `model_id`.
    public var modelID: String
    /// The upstream's dialect (`format` in the config). It decides the URL
    /// path after `api_base` and the header that carries the key: see
    /// ``UpstreamEndpoint`` (Gemini's path also names the model and whether
    /// to stream, which are not in a Gemini body).
    public var upstreamDialect: Dialect
    /// The upstream's own model name (`model_name`).
    public var upstreamModel: String
    /// Caps the client's `max_tokens`.
    public var maxTokensCap: Int?
    /// The model's context window, in tokens, when configured.
    public var contextWindow: Int?
    /// Wins over the effort derived from the client's thinking settings;
    /// one of ``reasoningEfforts``.
    public var reasoningEffort: String?

    /// The efforts a route may name: those that turn thinking off
    /// (``MinimalReasoning``: `minimal`, and OpenAI's `none`), then those
    /// ``ReasoningEffortMapping/budget(forEffort:)`` gives a budget.
    /// The config refuses any other.
    public static let reasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"]
    /// Wins over the client's temperature.
    public var temperature: Double?
    /// Merged into the upstream body last, so it overrides converted fields.
    public var extraBody: JSONObject?
    /// Edits of the client's request (as the pivot sees it) before it is
    /// converted; nil when there are none, so the route line of a route
    /// without rules is unchanged.
    public var rules: [RequestRule]?
    /// False when the upstream is called without streaming (`can_stream:
    /// false`) and a streaming client's stream is made from the whole
    /// answer; nil (the usual case, left out of the record) or true when it
    /// streams.
    public var canStream: Bool?
    /// What becomes of a client's structured output (`structured_output`);
    /// nil, the usual case and left out of the record, sends it with the
    /// safety rules of ``StructuredOutputFit``.
    public var structuredOutput: StructuredOutputPolicy?
    /// The field an OpenAI Chat upstream gets the output cap in
    /// (`max_tokens_field`); nil, the usual case and left out of the record,
    /// is `max_tokens`.
    public var chatOutputCapField: ChatOutputCapField?
    /// The most stop sequences an OpenAI Chat upstream takes (OpenAI's own
    /// API: 4); the proxy applies all of a request with more itself (see
    /// ``UpstreamStopSequences``). Nil, the usual case and left out of the
    /// record, sends them all, or none to a reasoning model
    /// (``reasoningModel``).
    public var maxStopSequences: Int?
    /// True when the upstream model is one of OpenAI's reasoning models
    /// (`reasoning_model`; ``OpenAIReasoningModel``): a Chat or Responses
    /// upstream is sent no temperature, `top_p` or penalties, and a Chat
    /// one no stop sequences unless ``maxStopSequences`` says otherwise
    /// (the proxy applies them). Nil, the usual case and left out of the
    /// record, is false.
    public var reasoningModel: Bool?
    /// True when an OpenAI Chat upstream gets an assistant turn's thinking
    /// back as `reasoning_content` (`reasoning_content` in the config):
    /// DeepSeek and Kimi in thinking mode refuse a tool loop's assistant
    /// message without it. Nil, the usual case and left out of the record,
    /// sends none: OpenAI's own API and other servers may refuse a member
    /// they do not know.
    public var chatReasoningContent: Bool?
    /// The header the key goes in when the route says (`auth`, or a
    /// subscription login's bearer token) rather than its dialect's own
    /// (see ``UpstreamEndpoint/keyHeader(dialect:key:auth:)``). Nil, the
    /// usual case and left out of the record, is the dialect's. Recorded so
    /// that `log-replay verify` can tell where the key belongs.
    public var keyAuth: UpstreamEndpoint.KeyAuth?
    /// The route sets or removes upstream headers itself (`extra_headers`,
    /// header rules), which may carry or move a key: `log-replay verify`
    /// cannot say where today's proxy would put the key, and does not try.
    /// Only the fact is recorded, never a header.
    public var configuredHeaders: Bool?
    /// True when the upstream model is known to refuse a reasoning effort
    /// (Chat's `reasoning_effort`, Responses' `reasoning`): a chat model on
    /// OpenAI's own API or Azure's (`gpt-4.1`, `gpt-4o`, answering 400
    /// "Unsupported parameter: 'reasoning_effort'"), or Mistral's API, whose
    /// models mostly refuse it and which refuses members it does not know
    /// (422 `extra_forbidden`). An effort from the client's thinking settings
    /// is then left out with a note; the route's own ``reasoningEffort`` is
    /// still sent, as the config asked. Nil, the usual case and left out of
    /// the record, sends it.
    public var reasoningEffortRefused: Bool?
    /// The server an OpenAI Chat upstream is, when its rules are stricter
    /// than OpenAI's (`chat_server`; ``ChatServer``). Nil, the usual case
    /// and left out of the record, is OpenAI's rules.
    public var chatServer: ChatServer?
    /// The exchange's own id, from which the answer's weak upstream ids (a
    /// short or missing message id, a repeated tool call id) are made
    /// unique: see ``AnswerIDs``. Per exchange, not per route; recorded
    /// (`id_seed`) so that `log-replay verify` makes the same ids. Nil
    /// (recordings from before, callers with no exchange) leaves every id
    /// as the upstream sent it.
    public var idSeed: String?

    /// OpenAI's own Chat Completions limit on `stop`.
    public static let openAIMaxStopSequences = 4

    /// Whether a streaming client's request goes up streaming.
    public var upstreamStreams: Bool { canStream != false }

    public init(
        modelID: String, upstreamDialect: Dialect, upstreamModel: String, maxTokensCap: Int? = nil,
        contextWindow: Int? = nil, reasoningEffort: String? = nil, temperature: Double? = nil,
        extraBody: JSONObject? = nil, canStream: Bool? = nil, rules: [RequestRule]? = nil,
        structuredOutput: StructuredOutputPolicy? = nil, chatOutputCapField: ChatOutputCapField? = nil,
        maxStopSequences: Int? = nil, reasoningModel: Bool? = nil, chatReasoningContent: Bool? = nil,
        keyAuth: UpstreamEndpoint.KeyAuth? = nil, configuredHeaders: Bool? = nil,
        reasoningEffortRefused: Bool? = nil, chatServer: ChatServer? = nil,
        idSeed: String? = nil
    ) {
        self.modelID = modelID
        self.upstreamDialect = upstreamDialect
        self.upstreamModel = upstreamModel
        self.maxTokensCap = maxTokensCap
        self.contextWindow = contextWindow
        self.reasoningEffort = reasoningEffort
        self.temperature = temperature
        self.extraBody = extraBody
        self.rules = rules?.isEmpty == true ? nil : rules
        self.canStream = canStream
        self.structuredOutput = structuredOutput
        self.chatOutputCapField = chatOutputCapField
        self.maxStopSequences = maxStopSequences
        self.reasoningModel = reasoningModel == true ? true : nil
        self.chatReasoningContent = chatReasoningContent
        self.keyAuth = keyAuth
        self.configuredHeaders = configuredHeaders == true ? true : nil
        self.reasoningEffortRefused = reasoningEffortRefused == true ? true : nil
        self.chatServer = chatServer
        self.idSeed = idSeed
    }

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id"
        case upstreamDialect = "format"
        case upstreamModel = "model_name"
        case maxTokensCap = "max_tokens"
        case contextWindow = "context"
        case reasoningEffort = "reasoning_effort"
        case temperature
        case extraBody = "extra_body"
        case rules
        case canStream = "can_stream"
        case structuredOutput = "structured_output"
        case chatOutputCapField = "max_tokens_field"
        case maxStopSequences = "max_stop_sequences"
        case reasoningModel = "reasoning_model"
        case chatReasoningContent = "reasoning_content"
        case keyAuth = "auth"
        case configuredHeaders = "configured_headers"
        case reasoningEffortRefused = "reasoning_effort_refused"
        case chatServer = "chat_server"
        case idSeed = "id_seed"
    }
}

extension JSONObject: Codable {
    public init(from decoder: any Decoder) throws {
        guard case .object(let object) = try JSONValue(from: decoder) else {
            throw DecodingError.typeMismatch(
                JSONObject.self, .init(codingPath: decoder.codingPath, debugDescription: "expected an object"))
        }
        self = object
    }

    public func encode(to encoder: any Encoder) throws {
        try JSONValue.object(self).encode(to: encoder)
    }
}

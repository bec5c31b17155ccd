import Cassette
import Convert
import Wire

/// One `models:` entry of `models.yaml`: a model id clients can ask for, and
/// the upstream that serves it.
public struct ModelEntry: Sendable {
    /// The id clients send as `model` (`model_id`).
    public var modelID: String
    /// The upstream's own name for the model (`model_name`); ``passThroughModelName``
    /// sends the client's model name unchanged.
    public var modelName: String
    /// The upstream's base URL without a trailing slash (`api_base`); a
    /// query it had (never `key=`) is kept after the path, and goes after the
    /// endpoint's path in calls.
    public var apiBase: String
    /// The upstream's API shape (`format`).
    public var format: Dialect
    /// Wins over the client's key when set (`api_key`, `${ENV}` expanded).
    public var apiKey: Secret?
    /// The header the key goes in (`auth: bearer | x-api-key`), when not
    /// the format's own.
    public var keyAuth: UpstreamEndpoint.KeyAuth?
    /// Caps the client's `max_tokens` (`max_tokens`).
    public var maxTokens: Int?
    /// The context window in tokens (`context`).
    public var contextWindow: Int?
    /// Sent upstream on every request (`extra_headers`), after the proxy's own.
    public var extraHeaders: [(name: String, value: String)]
    /// Merged into every upstream body (`extra_body`).
    public var extraBody: JSONObject?
    /// Overrides the effort derived from the client's thinking settings.
    public var reasoningEffort: String?
    /// Overrides the client's temperature.
    public var temperature: Double?
    /// How long the upstream may stay silent: before its response head, and
    /// between two chunks of its body (`timeout`).
    public var timeout: Duration
    /// How long a streamed answer may run in all before the proxy ends it
    /// with an `error` event (`max_stream_duration`), so an upstream stream
    /// that never ends cannot hold a client and a connection forever.
    public var maxStreamDuration: Duration = ModelEntry.defaultMaxStreamDuration
    /// Glob patterns of client model names this entry also serves (`aliases`).
    public var aliases: [String]
    /// False when the upstream must be called without streaming
    /// (`can_stream: false`): a streaming client still gets a stream, made
    /// from the whole answer.
    public var canStream: Bool = true
    /// What becomes of a client's structured output on a converted route
    /// (`structured_output`); nil sends it (``StructuredOutputPolicy/send``
    /// with its safety rules).
    public var structuredOutput: StructuredOutputPolicy?
    /// The field a `format: openai` upstream gets the output cap in
    /// (`max_tokens_field`); nil is `max_tokens`. Filled in when the config
    /// is read (``defaultChatOutputCapField``) when the entry names none.
    public var chatOutputCapField: ChatOutputCapField?
    /// The most stop sequences the upstream takes, where it has a limit the
    /// proxy knows (``defaultMaxStopSequences``); the proxy applies all of a
    /// request with more itself.
    public var maxStopSequences: Int?
    /// Whether the upstream model is one of OpenAI's reasoning models,
    /// which refuse sampling settings and stop sequences
    /// (`reasoning_model`; ``OpenAIReasoningModel``). Filled in when the
    /// config is read (``defaultReasoningModel``) when the entry says
    /// nothing.
    public var reasoningModel: Bool?
    /// True for a `model_name: "*"` entry whose ``reasoningModel`` the
    /// client's model name decides, per request
    /// (``defaultReasoningModelByName``).
    public var reasoningModelByName = false
    /// Whether the upstream model is known to refuse a reasoning effort
    /// (``RouteOptions/reasoningEffortRefused``). Filled in when the config
    /// is read (``defaultReasoningEffortRefused``); a `model_name: "*"`
    /// entry whose ``reasoningModelByName`` is set decides it per request.
    public var reasoningEffortRefused = false
    /// The server a `format: openai` upstream is, when its rules are
    /// stricter than OpenAI's (`chat_server`; ``ChatServer``). Filled in
    /// when the config is read from the `api_base` host when the entry says
    /// nothing.
    public var chatServer: ChatServer?
    /// True when a `format: openai` upstream gets each assistant turn's
    /// thinking back as `reasoning_content` (`reasoning_content`). Filled in
    /// when the config is read (``defaultChatReasoningContent``) when the
    /// entry says nothing.
    public var chatReasoningContent = false
    /// A subscription provider (`provider`, tizee/anthropic-proxy's field,
    /// e.g. `codex`): served with its login's token once
    /// ``ProxyConfig/applyingSubscriptions(from:environment:)`` found one.
    public var provider: String?
    /// A subscription entry whose login was found and applied
    /// (``ProxyConfig/applyingSubscriptions(from:environment:)``): it can be
    /// served.
    public var subscriptionReady = false
    /// The OAuth login a subscription entry's token comes from, refreshed
    /// as it expires (Codex, Gemini); nil for every other entry.
    public var oauthSession: OAuthSession?
    /// The Google Cloud project a Gemini Code Assist login bills, put in
    /// each request's envelope; nil for every other entry.
    public var codeAssistProject: String?
    /// Model ids tried in turn when this entry's upstream fails before
    /// answering (`fallback`): 429, 5xx, or no connection.
    public var fallback: [String] = []
    /// The line of the entry in the config, for messages that point at it.
    public var line: Int?
    /// The top-level `rules:` then the entry's own.
    public var rules = ConfiguredRules()

    /// What the upstream is called in error messages (and recorded as the
    /// route's `upstream_name`): `model_id (api_base)`, with anything secret
    /// in the URL (a password, a `key=`) fingerprinted, since the client and
    /// the cassette both see it.
    public var upstreamName: String { "\(modelID) (\(Self.urlRedactor.url(apiBase)))" }

    /// Making a redactor builds its name lists; this is read per request.
    static let urlRedactor = Redactor()

    /// The `model_name` that means "the client's model name, unchanged", for
    /// routes to Anthropic itself.
    public static let passThroughModelName = "*"

    /// The conversion settings Convert needs for a request that asked for
    /// `requestedModel`; nothing secret. `idSeed` is the exchange's id
    /// (``RouteOptions/idSeed``), which makes an upstream's weak ids unique.
    public func routeOptions(requestedModel: String, idSeed: String? = nil) -> RouteOptions {
        var options = RouteOptions(
            modelID: modelID, upstreamDialect: format,
            upstreamModel: modelName == Self.passThroughModelName ? requestedModel : modelName,
            maxTokensCap: maxTokens,
            contextWindow: contextWindow, reasoningEffort: reasoningEffort, temperature: temperature,
            extraBody: extraBody, canStream: canStream ? nil : false, rules: rules.body,
            structuredOutput: structuredOutput, chatOutputCapField: chatOutputCapField,
            maxStopSequences: maxStopSequences, reasoningModel: reasoningModel,
            chatReasoningContent: chatReasoningContent ? true : nil, keyAuth: keyAuth,
            configuredHeaders: !extraHeaders.isEmpty || !rules.headers.isEmpty,
            reasoningEffortRefused: reasoningEffortRefused, chatServer: chatServer, idSeed: idSeed)
        if reasoningModelByName {
            // The client's `gpt-4.1` refuses an effort as a named entry's would.
            options.reasoningEffortRefused = OpenAIReasoningModel.isChatModel(requestedModel) ? true : nil
        }
        if reasoningModelByName, OpenAIReasoningModel.matches(requestedModel) {
            // What the config's defaults would be for an entry naming this model: no sampling
            // settings, no stop sequences, and the cap as `max_completion_tokens` on Chat.
            options.reasoningModel = true
            if format == .openai {
                options.maxStopSequences = 0
                if options.chatOutputCapField == nil { options.chatOutputCapField = .maxCompletionTokens }
            }
        }
        return options
    }

    /// The policy of a route that names none. OpenAI's own API (and
    /// Azure's) takes `response_format` `json_schema`; most other servers
    /// of the Chat format take only `json_object` (DeepSeek's documentation
    /// lists no other) and refuse a schema with 400, where the format used
    /// to be dropped and the request answered: there, JSON mode with the
    /// schema asked for in the system prompt. nil is `send`. Filled in when
    /// the config is read, not per request (the host is parsed).
    var defaultStructuredOutput: StructuredOutputPolicy? {
        servesOpenAIsOwnAPI == false ? .jsonObject : nil
    }

    /// The stop-sequence limit of a route: OpenAI's own API (and Azure's)
    /// takes at most 4 (``RouteOptions/openAIMaxStopSequences``) and
    /// answers a fifth with 400; other servers of the Chat format (DeepSeek,
    /// vLLM...) take more, and are sent all; OpenAI's reasoning models
    /// take none (``reasoningModel``, filled in first), so the proxy
    /// applies them all. Filled in when the config is read, as
    /// ``defaultStructuredOutput``.
    var defaultMaxStopSequences: Int? {
        if format == .openai, reasoningModel == true { return 0 }
        return servesOpenAIsOwnAPI == true ? RouteOptions.openAIMaxStopSequences : nil
    }

    /// Whether the entry's upstream is one of OpenAI's reasoning models,
    /// for an entry that does not say: a Chat or Responses entry on OpenAI's
    /// own API or Azure's whose `model_name` is one
    /// (``OpenAIReasoningModel/matches(_:)``). Another server's model of
    /// such a name (a local `o3`) may well take what they refuse, and a
    /// `model_name: "*"` names no model yet: `reasoning_model` says so for
    /// them. Filled in when the config is read, as ``defaultStructuredOutput``.
    var defaultReasoningModel: Bool? {
        guard modelName != Self.passThroughModelName, namesReasoningModels, OpenAIReasoningModel.matches(modelName)
        else { return nil }
        return true
    }

    /// Whether the upstream model is known to refuse a reasoning effort,
    /// for the entry's named model: on OpenAI's own API or Azure's, one of
    /// OpenAI's chat models by its name (``OpenAIReasoningModel/isChatModel(_:)``:
    /// `gpt-4.1`, `gpt-4o`, `gpt-5-chat-latest` answer 400), unless the
    /// entry says `reasoning_model: true`; a name the proxy does not know
    /// (an Azure deployment's own) is sent its effort. On Mistral's
    /// (``chatServer``, filled in first), every model: most refuse the
    /// member, and the API refuses members it does not know; the few that
    /// take one take `high` or `none` only, which a route's own
    /// `reasoning_effort` still sends. A `model_name: "*"` entry on OpenAI's
    /// API decides per request (``routeOptions(requestedModel:)``). Filled
    /// in when the config is read, as ``defaultReasoningModel``.
    var defaultReasoningEffortRefused: Bool {
        if chatServer == .mistral { return true }
        guard namesReasoningModels, modelName != Self.passThroughModelName else { return false }
        return reasoningModel != true && OpenAIReasoningModel.isChatModel(modelName)
    }

    /// For a `model_name: "*"` entry that does not set `reasoning_model`:
    /// whether the client's model name decides it, per request, as
    /// ``defaultReasoningModel`` decides it for a named model (the
    /// client's `o3` to OpenAI's own API is one). Filled in when the config
    /// is read, as ``defaultReasoningModel``.
    var defaultReasoningModelByName: Bool {
        modelName == Self.passThroughModelName && namesReasoningModels
    }

    /// A Chat or Responses entry on OpenAI's own API or Azure's, where a
    /// model's name says whether it is one of OpenAI's reasoning models.
    private var namesReasoningModels: Bool {
        guard format == .openai || format == .openaiResponses, let host = upstreamHost else { return false }
        return Self.isOpenAIsOwnAPI(host: host)
    }

    /// For an OpenAI Chat entry, whether `api_base` is OpenAI's own API or
    /// Azure's, by its host; nil for another format, or an address that
    /// does not parse.
    private var servesOpenAIsOwnAPI: Bool? {
        guard let host = openAIChatHost else { return nil }
        return Self.isOpenAIsOwnAPI(host: host)
    }

    /// Whether a (lowercased) host is OpenAI's own API or Azure's.
    private static func isOpenAIsOwnAPI(host: String) -> Bool {
        host == "api.openai.com" || isAzure(host: host)
    }

    /// Whether a (lowercased) host is Azure OpenAI's (or Azure AI
    /// Foundry's).
    private static func isAzure(host: String) -> Bool {
        host.hasSuffix(".openai.azure.com") || host.hasSuffix(".cognitiveservices.azure.com")
            || host.hasSuffix(".services.ai.azure.com")
    }

    /// The ``keyAuth`` of an entry that names none: Azure's `api-key`
    /// header for an OpenAI-format entry on an Azure host, which its
    /// deployment URLs need (a key as a bearer token is refused there; its
    /// `/openai/v1` URLs take both); nil, the format's own, elsewhere.
    /// Filled in when the config is read, as ``defaultReasoningModel``.
    var defaultKeyAuth: UpstreamEndpoint.KeyAuth? {
        guard format == .openai || format == .openaiResponses, let host = upstreamHost, Self.isAzure(host: host)
        else { return nil }
        return .apiKey
    }

    /// An OpenAI Chat entry's host, lowercased; nil for another format, or
    /// an address that does not parse.
    private var openAIChatHost: String? {
        guard format == .openai else { return nil }
        return upstreamHost
    }

    /// `api_base`'s host, lowercased; nil for an address that does not parse.
    private var upstreamHost: String? {
        (try? UpstreamOrigin.parse(apiBase))?.origin.host.lowercased()
    }

    /// The cap's field for a route that names none: OpenAI's own API takes
    /// `max_completion_tokens` for every chat model and refuses `max_tokens`
    /// for its reasoning models (gpt-5, o3), which Claude Code users route
    /// to; other servers of the Chat format may know only `max_tokens`, and
    /// Azure's older API versions too, so they keep it. Filled in when the
    /// config is read, not per request (the host is parsed).
    var defaultChatOutputCapField: ChatOutputCapField? {
        // A reasoning model refuses `max_tokens` wherever it is served (an
        // Azure o-series deployment too): ``reasoningModel`` is filled in first.
        openAIChatHost == "api.openai.com" || (openAIChatHost != nil && reasoningModel == true)
            ? .maxCompletionTokens : nil
    }

    /// The ``chatServer`` of a `format: openai` route that names none, by
    /// its host (Mistral's). Filled in when the config is read.
    var defaultChatServer: ChatServer? {
        openAIChatHost.flatMap(ChatServer.serving(host:))
    }

    /// Whether a route that says nothing sends `reasoning_content`: yes to
    /// DeepSeek's and Moonshot's (Kimi's) own APIs, whose thinking models
    /// refuse a tool loop's assistant message without it; no elsewhere, as
    /// OpenAI's own API refuses a member it does not know, and a server
    /// hosting such a model (vLLM, SGLang) says so with the key. Filled in
    /// when the config is read, as ``defaultChatOutputCapField``.
    var defaultChatReasoningContent: Bool {
        guard let host = openAIChatHost else { return false }
        return ["api.deepseek.com", "api.moonshot.ai", "api.moonshot.cn"].contains(host)
    }

    /// The default for `timeout`: Anthropic's own SDKs wait 10 minutes for
    /// a non-streaming answer, and long generations need that much.
    public static let defaultTimeout: Duration = .seconds(600)

    /// The default for `max_stream_duration`: far longer than any real
    /// answer (a long generation with thinking takes minutes).
    public static let defaultMaxStreamDuration: Duration = .seconds(3600)

    public init(
        modelID: String, modelName: String, apiBase: String, format: Dialect, apiKey: Secret? = nil,
        maxTokens: Int? = nil, contextWindow: Int? = nil, extraHeaders: [(name: String, value: String)] = [],
        extraBody: JSONObject? = nil, reasoningEffort: String? = nil, temperature: Double? = nil,
        timeout: Duration = ModelEntry.defaultTimeout, aliases: [String] = [], line: Int? = nil
    ) {
        self.modelID = modelID
        self.modelName = modelName
        self.apiBase = apiBase
        self.format = format
        self.apiKey = apiKey
        self.maxTokens = maxTokens
        self.contextWindow = contextWindow
        self.extraHeaders = extraHeaders
        self.extraBody = extraBody
        self.reasoningEffort = reasoningEffort
        self.temperature = temperature
        self.timeout = timeout
        self.aliases = aliases
        self.line = line
    }
}

import Convert
import HTTPTypes
import Hummingbird
import Wire

/// `GET /v1/models` and `GET /v1/models/{id}` in Anthropic's list format,
/// from the config: one model per `model_id`. A single model may be asked
/// for by any name the router accepts (an alias, or anything with a
/// default), since that is what a client will send.
///
/// google-genai given a base URL asks the same `/v1/models` paths; it is
/// told apart by its key (`x-goog-api-key`, or `key=` in the query), which
/// no Anthropic client sends, and answered in Gemini's shape.
///
/// Each model carries the entry's limits when configured, under each
/// dialect's own names: Anthropic's `max_input_tokens` (the `context`
/// window) and `max_tokens` (the output cap), also on the OpenAI shape (its
/// SDK keeps unknown fields), and Gemini's `inputTokenLimit` and
/// `outputTokenLimit`.
struct ModelsEndpoint: Sendable {
    let routes: LiveRouter

    /// Configured models have no release date; a fixed one keeps answers
    /// identical across runs (and replays).
    static let createdAt = "1970-01-01T00:00:00Z"

    func list(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        if Self.isGeminiClient(request) { return try await geminiList(request, context: context) }
        let router = routes.router
        let models = router.config.models.map { Self.model(id: $0.modelID, displayName: $0.modelID, entry: $0) }
        let answer: JSONValue = [
            "object": "list", "data": .array(models), "has_more": false,
            "first_id": router.modelIDs.first.map(JSONValue.string) ?? .null,
            "last_id": router.modelIDs.last.map(JSONValue.string) ?? .null,
        ]
        return context.exchange.json(answer)
    }

    func get(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        if Self.isGeminiClient(request) { return try await geminiGet(request, context: context) }
        // A colon in the id (`llama3:8b`) makes the path read as Gemini's
        // `models/{model}:{method}`; without a Gemini key it is Anthropic's.
        context.exchange.clientDialect = .anthropic
        let (id, name, entry) = try requestedModel(context: context)
        return context.exchange.json(Self.model(id: id, displayName: name, entry: entry))
    }

    /// `GET /v1beta/models/{id}` (and the other Gemini prefixes): one
    /// Gemini model, as `models.get()` reads it.
    func geminiGet(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        // On `/v1/models/{id}` the path alone says Anthropic; an unknown
        // model's 404 should still come in the Gemini client's shape.
        context.exchange.clientDialect = .gemini
        // `models/{model}:embedContent` asked with GET: a method the proxy lacks, as it is to a
        // POST, not a model named with a colon (whose tag, `llama3:8b`, is no method's name).
        let asked = context.parameters.getCatchAll().last ?? ""
        if let colon = asked.utf8.lastIndex(of: UInt8(ascii: ":")),
            Self.isMethodName(asked[asked.index(after: colon)...])
        {
            throw EndpointRefusal.unrouted(
                request.method, path: context.path, headers: request.headers, servesMetrics: false
            ).error
        }
        let (id, name, entry) = try requestedModel(context: context)
        return context.exchange.json(Self.geminiModel(id: id, displayName: name, entry: entry))
    }

    /// Whether `text` is a Gemini method's name: lower camel case, letters
    /// only (`embedContent`, `batchEmbedContents`).
    private static func isMethodName(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return text.utf8.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
            && text.utf8.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// `GET /openai/v1/models`: OpenAI's list shape.
    func openAIList(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        let router = routes.router
        let models: [JSONValue] = router.config.models.map { entry in
            var model: JSONValue = [
                "id": .string(entry.modelID), "object": "model", "created": 0, "owned_by": "switchboard",
            ]
            Self.addLimits(of: entry, to: &model, input: "max_input_tokens", output: "max_tokens")
            return model
        }
        return context.exchange.json(["object": "list", "data": .array(models)])
    }

    /// `GET /v1beta/models`: Gemini's list shape, each model named
    /// `models/{id}` with the methods the proxy serves for it.
    func geminiList(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        context.exchange.clientDialect = .gemini
        let models = routes.router.config.models.map {
            Self.geminiModel(id: $0.modelID, displayName: $0.modelID, entry: $0)
        }
        return context.exchange.json(["models": .array(models)])
    }

    /// The model the path names after `models/`, by any name the router
    /// takes, and the name to show for it: the entry's own, or the asked
    /// name saying which entry serves it.
    private func requestedModel(
        context: ProxyRequestContext
    ) throws -> (id: String, displayName: String, entry: ModelEntry) {
        let id = context.parameters.getCatchAll().joined(separator: "/")
        context.exchange.stage = .route
        let route = try routes.router.requireRoute(model: id)
        let name = route.entry.modelID == id ? id : "\(id) (served by \(route.entry.modelID))"
        return (id, name, route.entry)
    }

    private static let geminiKeyHeader = HTTPField.Name("x-goog-api-key")!

    /// Whether the request carries a Gemini key, the way google-genai sends
    /// one (Anthropic's SDKs send `x-api-key` or `authorization`).
    private static func isGeminiClient(_ request: Request) -> Bool {
        request.headers[geminiKeyHeader] != nil || URLQuery(request.uri.query ?? "").value(named: "key") != nil
    }

    /// An Anthropic model entry that also carries OpenAI's fields, so both
    /// SDKs' `models.list()` parse the same answer.
    private static func model(id: String, displayName: String, entry: ModelEntry) -> JSONValue {
        var model: JSONValue = [
            "type": "model", "id": .string(id), "display_name": .string(displayName), "created_at": .string(createdAt),
            "object": "model", "created": 0, "owned_by": "switchboard",
        ]
        addLimits(of: entry, to: &model, input: "max_input_tokens", output: "max_tokens")
        return model
    }

    /// A Gemini `Model` named `models/{id}`, with the methods the proxy
    /// serves for every route.
    private static func geminiModel(id: String, displayName: String, entry: ModelEntry) -> JSONValue {
        var model: JSONValue = [
            "name": .string("models/" + id), "displayName": .string(displayName),
            "supportedGenerationMethods": ["generateContent", "streamGenerateContent", "countTokens"],
        ]
        addLimits(of: entry, to: &model, input: "inputTokenLimit", output: "outputTokenLimit")
        return model
    }

    /// The entry's `context` and `max_tokens`, under the dialect's names;
    /// left out when not configured, rather than a null a typed SDK field
    /// would refuse.
    private static func addLimits(of entry: ModelEntry, to model: inout JSONValue, input: String, output: String) {
        if let context = entry.contextWindow { model[input] = .int(Int64(context)) }
        if let cap = entry.maxTokens { model[output] = .int(Int64(cap)) }
    }
}

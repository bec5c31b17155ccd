import Convert
import Hummingbird
import Wire

/// `GET /v1/models` and `GET /v1/models/{id}` in Anthropic's list format,
/// from the config: one model per `model_id`. A single model may be asked
/// for by any name the router accepts (an alias, or anything with a
/// default), since that is what a client will send.
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
        let router = routes.router
        let id = context.parameters.getCatchAll().joined(separator: "/")
        context.exchange.stage = .route
        let route = try router.requireRoute(model: id)
        let name = route.entry.modelID == id ? id : "\(id) (served by \(route.entry.modelID))"
        return context.exchange.json(Self.model(id: id, displayName: name, entry: route.entry))
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
        let router = routes.router
        let models: [JSONValue] = router.config.models.map { entry in
            var model: JSONValue = [
                "name": .string("models/" + entry.modelID), "displayName": .string(entry.modelID),
                "supportedGenerationMethods": ["generateContent", "streamGenerateContent", "countTokens"],
            ]
            Self.addLimits(of: entry, to: &model, input: "inputTokenLimit", output: "outputTokenLimit")
            return model
        }
        return context.exchange.json(["models": .array(models)])
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

    /// The entry's `context` and `max_tokens`, under the dialect's names;
    /// left out when not configured, rather than a null a typed SDK field
    /// would refuse.
    private static func addLimits(of entry: ModelEntry, to model: inout JSONValue, input: String, output: String) {
        if let context = entry.contextWindow { model[input] = .int(Int64(context)) }
        if let cap = entry.maxTokens { model[output] = .int(Int64(cap)) }
    }
}

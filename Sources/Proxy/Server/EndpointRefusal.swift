import Convert
import HTTPTypes

/// The answer to a request no endpoint takes: 405 with `Allow` for a path
/// the proxy serves asked with another method, 404 otherwise, each in the
/// dialect the path suggests and saying what is served, so a client whose
/// SDK or base URL is off sees why rather than an error it cannot read
/// (google-genai shows an Anthropic-shaped 404 as "404 None.").
enum EndpointRefusal {
    /// What a 404 says the proxy serves.
    static let served =
        "this proxy serves POST /v1/messages, /v1/chat/completions, /v1/responses and Gemini's "
        + "models/{model}:generateContent"

    /// 405 for `method` on a path that only `allow` answers.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allow: String) -> APIError {
        var error = APIError(
            status: 405, type: APIError.anthropicType(forStatus: 405),
            message: "method \(method) is not allowed on \(path), which takes \(allow)")
        error.allow = allow
        return error
    }

    /// The error for a request the router found no route for, and the
    /// dialect to answer it in: 400 for a served Gemini method whose model
    /// cannot be read, 404 naming a Gemini method the proxy lacks, 405 for a
    /// models or monitoring path asked with a method it does not take
    /// (`/metrics` and the stats only when `servesMetrics`), 404 saying
    /// OpenAI Responses' `compact` is not supported, else 404 with
    /// ``served``; a models path with a Bearer key is answered as OpenAI's
    /// SDK asked.
    static func unrouted(
        _ method: HTTPRequest.Method, path: String, headers: HTTPFields, servesMetrics: Bool
    ) -> (error: APIError, dialect: Dialect) {
        var dialect = Dialect(clientPath: path)
        if method == .post, let model = ClientEndpoint.malformedGeminiModel(inPath: path) {
            return (
                .invalidRequest(
                    "the model in the path, \"\(model)\", is not valid percent-encoding (%XX escapes of UTF-8)"),
                dialect
            )
        }
        let unknown = "unknown endpoint: \(method) \(path); "
        if let geminiMethod = ClientEndpoint.geminiMethod(inPath: path) {
            return (
                .notFound(
                    unknown + "Gemini's \(geminiMethod) is not supported: this proxy serves "
                        + "models/{model}:generateContent, :streamGenerateContent and :countTokens"), dialect
            )
        }
        if ServedPaths.openAI.contains(where: { path == $0 + "/responses/compact" }) {
            // 404, not 501: the openai SDK retries every 5xx, and no retry
            // will find it.
            return (
                .notFound(
                    "\(method) \(path): OpenAI Responses' compact (responses.compact) is not supported by this "
                        + "proxy, which serves /v1/responses and /v1/responses/input_tokens"), .openaiResponses
            )
        }
        if let allow = ServedPaths.methods(readingAt: path, servesMetrics: servesMetrics) {
            return (methodNotAllowed(method, path: path, allow: allow), dialect)
        }
        if dialect == .anthropic, path.contains("models"), headers[.authorization]?.hasPrefix("Bearer ") == true {
            dialect = .openai
        }
        return (.notFound(unknown + served), dialect)
    }
}

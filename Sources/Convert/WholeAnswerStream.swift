import Wire

/// A route's upstream answer that came whole (`can_stream: false`), turned
/// into a stream for a client that asked for one: the bytes are collected as
/// they arrive, and at the end the answer is converted like a non-streamed
/// one (``ResponseConverter``) into an Anthropic message, whose stream
/// (``MessageStreamEvents``) goes to the client's stream encoder, the same
/// pivot path every converted stream takes.
struct WholeAnswerStream: Sendable {
    let route: RouteOptions
    let requestedModel: String
    private var body: [UInt8] = []
    /// The answer's usage, once it has been converted.
    private(set) var usage: JSONObject?
    /// What the conversion repaired or dropped.
    private(set) var diagnostics: [ConversionDiagnostic] = []

    init(route: RouteOptions, requestedModel: String) {
        self.route = route
        self.requestedModel = requestedModel
    }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        body.append(contentsOf: bytes)
    }

    /// The whole stream, or an error event when the upstream failed or its
    /// answer cannot be read.
    mutating func finish(error: APIError?) -> [AnthropicStreamEvent] {
        if let error { return [.error(error)] }
        do throws(APIError) {
            let answer: JSONValue
            do {
                answer = try JSONValue(parsing: body)
            } catch {
                throw APIError(
                    status: 502, type: "api_error",
                    message: "upstream \(route.modelID) sent a body that is not JSON (\(error.description))")
            }
            let converted = try ResponseConverter.convertWithDiagnostics(
                upstreamBody: answer, route: route, requestedModel: requestedModel)
            diagnostics += converted.diagnostics
            usage = converted.usage
            guard case .object(let message) = converted.body else {
                throw APIError(
                    status: 502, type: "api_error", message: "upstream \(route.modelID) sent an answer with no message")
            }
            return MessageStreamEvents.events(of: message, reasoningTokens: converted.reasoningTokens)
        } catch {
            return [.error(error)]
        }
    }

    /// Hands over the diagnostics gathered so far.
    mutating func takeDiagnostics() -> [ConversionDiagnostic] {
        defer { diagnostics = [] }
        return diagnostics
    }
}

import Convert
import Wire

/// Input: one option byte (bit 0: Gemini's path asks for a stream; bit 1: the
/// route caps output tokens and has a context window; bit 2: the route's
/// `reasoning_effort` is minimal; bit 3: the upstream cannot stream), then a
/// JSON body. The body is read as every client dialect's request and
/// converted for every upstream format; it is also taken as each upstream's
/// whole answer and converted back for the client.
enum RequestConversionFuzz {
    static func run(_ input: inout FuzzInput) {
        let options = input.byte()
        guard let body = try? JSONValue(parsing: input.payload) else { return }
        for client in Dialect.allCases {
            let endpoint = ClientEndpoint(
                dialect: client, pathModel: client == .gemini ? "gemini-fuzz" : nil,
                pathStream: client == .gemini ? options & 1 != 0 : nil)
            guard let request = try? ClientRequest(endpoint: endpoint, body: body) else { continue }
            for upstream in Dialect.allCases {
                let route = RouteOptions(
                    modelID: "fuzz", upstreamDialect: upstream, upstreamModel: "fuzz-model",
                    maxTokensCap: options & 2 != 0 ? 1_000 : nil, contextWindow: options & 2 != 0 ? 4_000 : nil,
                    reasoningEffort: options & 4 != 0 ? "minimal" : nil, canStream: options & 8 != 0 ? false : nil)
                if let converted = try? request.upstreamBody(route: route) {
                    requireParses(converted.body, "\(client) request for a \(upstream) upstream")
                }
                if let answer = try? request.clientResponse(upstreamBody: body, route: route, createdAt: 0) {
                    requireParses(answer.body, "\(upstream) answer for a \(client) client")
                }
            }
        }
    }

    /// A converted body goes on the wire as JSON: it must read back as the same value's text.
    private static func requireParses(_ value: JSONValue, _ what: String) {
        let text = value.serialized()
        let reparsed = try? JSONValue(parsing: text)
        require(
            reparsed?.serialized() == text, "the \(what) does not parse back: \(String(decoding: text, as: UTF8.self))")
    }
}

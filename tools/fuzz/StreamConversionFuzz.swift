import Convert
import SSE
import StreamCheckers
import Wire

/// Input: a dialect byte (bits 0-1: the upstream format, bits 2-3: the
/// client dialect, bit 4: an OpenAI client asks for usage, bit 5: the
/// connection fails at the end), three slice-size bytes, then the upstream's
/// stream bytes. They go through the converter the proxy uses for that pair
/// of dialects, whole and cut in slices.
///
/// Where the proxy converts (the dialects differ, or an Anthropic client of
/// a non-Anthropic upstream), the client's stream must pass its dialect's
/// checker whatever the upstream sent. Where it relays (the client speaks
/// the upstream's dialect), the frames go on as they came, so only "no
/// crash, the same however cut" applies.
enum StreamConversionFuzz {
    static func run(_ input: inout FuzzInput) {
        let options = input.byte()
        let upstream = Dialect.allCases[Int(options & 3)]
        let client = Dialect.allCases[Int(options >> 2 & 3)]
        let includeUsage = client == .openai && options & 0x10 != 0
        let failure = options & 0x20 != 0 ? APIError(status: 502, type: "api_error", message: "connection reset") : nil
        let sizes = input.sliceSizes()
        let bytes = input.payload
        let request = clientRequest(client, includeUsage: includeUsage)
        let route = RouteOptions(modelID: "fuzz", upstreamDialect: upstream, upstreamModel: "fuzz-model")

        var whole = request.streamConverter(route: route, createdAt: 0)
        let expected = whole.convert(bytes, error: failure)
        var sliced = request.streamConverter(route: route, createdAt: 0)
        let events = sliced.convert(bytes, sliceSizes: sizes, error: failure)
        require(
            events == expected,
            "\(upstream) upstream, \(client) client, cut in slices of \(sizes): \(events); whole: \(expected)")
        guard client != upstream else { return }
        let violations = ClientStreamChecker.violations(in: expected, dialect: client, expectUsage: includeUsage)
        require(
            violations.isEmpty,
            "\(upstream) upstream, \(client) client: the stream breaks \(violations)\nstream: \(expected)")
    }

    /// A streaming request of the client's dialect, as the proxy reads it.
    private static func clientRequest(_ dialect: Dialect, includeUsage: Bool) -> ClientRequest {
        var body: JSONObject = [
            "model": "client-model", "max_tokens": 100, "stream": true,
            "messages": [["role": "user", "content": "hi"]],
        ]
        if includeUsage { body["stream_options"] = ["include_usage": true] }
        let endpoint = ClientEndpoint(
            dialect: dialect, pathModel: dialect == .gemini ? "client-model" : nil,
            pathStream: dialect == .gemini ? true : nil)
        do {
            return try ClientRequest(endpoint: endpoint, body: .object(body))
        } catch {
            fatalError("the fuzzer's own \(dialect) request is refused: \(error)")
        }
    }
}

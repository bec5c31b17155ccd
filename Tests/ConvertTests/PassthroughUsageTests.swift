import Convert
import Testing
import Wire

/// An answer passed through in the client's own dialect still reports its
/// token usage (in Anthropic's shape) for the cassette's `end` line.
@Suite struct PassthroughUsageTests {
    static let expected: JSONObject = [
        "input_tokens": 8, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 2, "output_tokens": 5,
    ]

    @Test(arguments: [
        (
            TestRoutes.openAI,
            """
            data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}],"usage":null}

            data: {"id":"c","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":2}}}

            data: [DONE]


            """
        ),
        (
            TestRoutes.gemini,
            """
            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]}}],"usageMetadata":{"trafficType":"ON_DEMAND"}}

            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"!"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"cachedContentTokenCount":2,"candidatesTokenCount":5}}


            """
        ),
        (
            TestRoutes.responses,
            """
            event: response.output_text.delta
            data: {"type":"response.output_text.delta","delta":"hi","sequence_number":1}

            event: response.completed
            data: {"type":"response.completed","sequence_number":2,"response":{"status":"completed","usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":2},"output_tokens":5}}}


            """
        ),
    ])
    func aPassedThroughStreamReportsItsUsage(route: RouteOptions, stream: String) {
        var converter = UpstreamStreamConverter(passthroughFor: route)!
        let frames = feed(Array(stream.utf8), to: &converter, sliceSize: 13)
        #expect(frames.count == stream.components(separatedBy: "\n\n").filter { !$0.isEmpty }.count)
        #expect(converter.usage == .object(Self.expected))
        #expect(converter.reportedError == nil)
    }

    @Test func aStreamWithoutUsageReportsNone() {
        var converter = UpstreamStreamConverter(passthroughFor: TestRoutes.openAI)!
        _ = feed(Array("data: {\"id\":\"c\",\"choices\":[]}\n\ndata: [DONE]\n\n".utf8), to: &converter)
        #expect(converter.usage == nil)
    }

    @Test(arguments: [
        (
            "/v1/chat/completions", TestRoutes.openAI,
            #"{"id":"c","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":2}}}"#
        ),
        (
            "/v1beta/models/gemini:generateContent", TestRoutes.gemini,
            #"{"candidates":[],"usageMetadata":{"promptTokenCount":10,"cachedContentTokenCount":2,"candidatesTokenCount":5}}"#
        ),
        (
            "/v1/responses", TestRoutes.responses,
            #"{"status":"completed","output":[],"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":2},"output_tokens":5}}"#
        ),
    ])
    func aPassedThroughBodyReportsItsUsage(path: String, route: RouteOptions, body: String) throws {
        let endpoint = try #require(ClientEndpoint.parse(path: path, query: nil))
        let client = try ClientRequest(endpoint: endpoint, body: ["model": "m", "messages": [], "contents": []])
        #expect(client.isPassthrough(route))
        let upstream = try JSONValue(parsing: body)
        let response = try client.clientResponse(upstreamBody: upstream, route: route, createdAt: 0)
        #expect(response.body == upstream)
        #expect(response.usage == Self.expected)
    }
}

import Convert
import Testing

@Suite struct UpstreamEndpointTests {
    static func route(_ dialect: Dialect, model: String = "m") -> RouteOptions {
        RouteOptions(modelID: "id", upstreamDialect: dialect, upstreamModel: model)
    }

    @Test func pathForEveryDialect() {
        #expect(UpstreamEndpoint.path(route: Self.route(.openai), stream: true) == "/chat/completions")
        #expect(UpstreamEndpoint.path(route: Self.route(.openaiResponses), stream: false) == "/responses")
        #expect(UpstreamEndpoint.path(route: Self.route(.anthropic), stream: true) == "/v1/messages")
        let gemini = Self.route(.gemini, model: "gemini-2.5-pro")
        #expect(
            UpstreamEndpoint.path(route: gemini, stream: true) == "/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
        )
        #expect(UpstreamEndpoint.path(route: gemini, stream: false) == "/models/gemini-2.5-pro:generateContent")
        #expect(
            UpstreamEndpoint.path(route: Self.route(.gemini, model: "tunedModels/my model"), stream: false)
                == "/tunedModels/my%20model:generateContent")
    }

    /// Every path ``UpstreamEndpoint/path(route:stream:)`` makes is read back
    /// as its dialect, under any base.
    @Test(arguments: Dialect.allCases, [false, true])
    func dialectOfAPathIsReadFromItsEnd(dialect: Dialect, stream: Bool) {
        let path = UpstreamEndpoint.path(route: Self.route(dialect, model: "m-1"), stream: stream)
        for base in ["", "/v1", "/gateway/x/v1beta"] {
            let withoutQuery = String((base + path).prefix { $0 != "?" })
            #expect(UpstreamEndpoint.dialect(ofPath: withoutQuery) == dialect, "\(withoutQuery)")
        }
        #expect(UpstreamEndpoint.dialect(ofPath: "/v1/responses/input_tokens") == .openaiResponses)
        #expect(UpstreamEndpoint.dialect(ofPath: "/v1/messages/count_tokens") == .anthropic)
        #expect(UpstreamEndpoint.dialect(ofPath: "/v1/embeddings") == .openai)
    }

    @Test func urlJoinsTheBase() {
        let gemini = Self.route(.gemini, model: "gemini-2.5-flash")
        #expect(
            UpstreamEndpoint.url(
                apiBase: "https://generativelanguage.googleapis.com/v1beta/", route: gemini, stream: true)
                == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
        )
        #expect(
            UpstreamEndpoint.url(apiBase: "https://api.anthropic.com", route: Self.route(.anthropic), stream: true)
                == "https://api.anthropic.com/v1/messages")
        #expect(
            UpstreamEndpoint.url(apiBase: "http://127.0.0.1:9/v1", route: Self.route(.anthropic), stream: true)
                == "http://127.0.0.1:9/v1/messages")
        #expect(
            UpstreamEndpoint.url(
                apiBase: "https://api.openai.com/v1", route: Self.route(.openaiResponses), stream: true)
                == "https://api.openai.com/v1/responses")
        // Trailing slashes are bytes dropped, not Characters: non-ASCII text before them stays.
        #expect(
            UpstreamEndpoint.url(apiBase: "http://127.0.0.1:9/v1//", route: Self.route(.anthropic), stream: true)
                == "http://127.0.0.1:9/v1/messages")
        #expect(
            UpstreamEndpoint.url(apiBase: "https://ü.example/é/", route: Self.route(.openai), stream: true)
                == "https://ü.example/é/chat/completions")
    }

    @Test func keyHeaders() {
        #expect(UpstreamEndpoint.keyHeader(dialect: .gemini, key: "k") == ("x-goog-api-key", "k"))
        #expect(UpstreamEndpoint.keyHeader(dialect: .anthropic, key: "k") == ("x-api-key", "k"))
        #expect(UpstreamEndpoint.keyHeader(dialect: .openai, key: "k") == ("authorization", "Bearer k"))
        #expect(UpstreamEndpoint.keyHeader(dialect: .openaiResponses, key: "k") == ("authorization", "Bearer k"))
    }
}

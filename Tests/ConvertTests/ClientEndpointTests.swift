import Convert
import Testing

/// Reading a request's path: the dialect, the operation, and for Gemini the
/// model and streaming from `models/{model}:method` (read as bytes).
@Suite struct ClientEndpointTests {
    @Test func otherDialectsByPath() {
        #expect(ClientEndpoint.parse(path: "/v1/messages", query: nil) == ClientEndpoint(dialect: .anthropic))
        #expect(
            ClientEndpoint.parse(path: "/anthropic/v1/messages/count_tokens", query: nil)
                == ClientEndpoint(dialect: .anthropic, operation: .countTokens))
        #expect(ClientEndpoint.parse(path: "/openai/v1/chat/completions", query: nil)?.dialect == .openai)
        #expect(ClientEndpoint.parse(path: "/v1/responses", query: nil)?.dialect == .openaiResponses)
        #expect(ClientEndpoint.parse(path: "/v1/messages/", query: nil) == nil)
    }

    @Test func geminiMethodsAndPrefixes() {
        #expect(
            ClientEndpoint.parse(path: "/v1beta/models/gemini-2.5-pro:generateContent", query: nil)
                == ClientEndpoint(dialect: .gemini, pathModel: "gemini-2.5-pro", pathStream: false))
        #expect(
            ClientEndpoint.parse(path: "/gemini/v1/models/m:countTokens", query: nil)
                == ClientEndpoint(dialect: .gemini, operation: .countTokens, pathModel: "m", pathStream: false))
        #expect(
            ClientEndpoint.parse(path: "/gemini/v1beta/models/m:streamGenerateContent", query: "key=k&alt=sse")
                == ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: true, jsonArrayStream: false))
        // Without alt=sse (or with it only as part of another parameter) the answer is one JSON array.
        for query in [nil, "", "alt=ssex", "xalt=sse", "key=alt=sse"] {
            #expect(
                ClientEndpoint.parse(path: "/v1/models/m:streamGenerateContent", query: query)?.jsonArrayStream == true,
                "\(query ?? "nil")")
        }
    }

    @Test func geminiModelNames() {
        // The last colon separates the method; the model is percent-decoded.
        #expect(
            ClientEndpoint.parse(path: "/v1beta/models/ns:m%2Fx:generateContent", query: nil)?.pathModel == "ns:m/x")
        #expect(ClientEndpoint.parse(path: "/v1beta/models/caf%C3%A9:generateContent", query: nil)?.pathModel == "café")
    }

    @Test func pathsThatAreNotGeminiEndpoints() {
        for path in [
            "/v1beta/models/:generateContent", "/v1beta/models/m", "/v1beta/models/m:generate",
            "/v1beta/models/m:generateContentX", "/v1beta/models/m:", "/v2/models/m:generateContent",
            "/gemini/v1beta/models/", "/v1beta/models/m%zz:generateContent", "/v1beta/models/%FF:generateContent",
        ] {
            #expect(ClientEndpoint.parse(path: path, query: nil) == nil, "\(path)")
        }
    }

    @Test func aServedGeminiPathWithAnUnreadableModelIsTold() {
        #expect(ClientEndpoint.malformedGeminiModel(inPath: "/v1beta/models/m%zz:generateContent") == "m%zz")
        #expect(ClientEndpoint.malformedGeminiModel(inPath: "/v1beta/models/%FF:countTokens") == "%FF")
        #expect(ClientEndpoint.malformedGeminiModel(inPath: "/gemini/v1/models/a%2:streamGenerateContent") == "a%2")
        for path in [
            "/v1beta/models/gemini-2.5-pro:generateContent", "/v1beta/models/caf%C3%A9:generateContent",
            "/v1beta/models/m%zz:generate", "/v1beta/models/:generateContent", "/v1/messages",
            "/v2/models/%FF:countTokens",
        ] {
            #expect(ClientEndpoint.malformedGeminiModel(inPath: path) == nil, "\(path)")
        }
    }

    @Test func openAIPathsWithoutV1AreItsEndpoints() {
        #expect(ClientEndpoint.parse(path: "/chat/completions", query: nil) == ClientEndpoint(dialect: .openai))
        #expect(ClientEndpoint.parse(path: "/responses", query: nil) == ClientEndpoint(dialect: .openaiResponses))
    }

    @Test func anyGeminiMethodIsNamed() {
        #expect(ClientEndpoint.geminiMethod(inPath: "/v1/models/gpt-4o:batchEmbedContents") == "batchEmbedContents")
        #expect(ClientEndpoint.geminiMethod(inPath: "/gemini/v1beta/models/m:generateContent") == "generateContent")
        for path in ["/v1/models/m", "/v1/models/m:", "/v1/models/:embedContent", "/v2/models/m:embedContent"] {
            #expect(ClientEndpoint.geminiMethod(inPath: path) == nil, "\(path)")
        }
    }

    /// Even a path the proxy does not serve is answered in the dialect it
    /// suggests.
    @Test(arguments: [
        ("/v1/models/gpt-4o:batchEmbedContents", Dialect.gemini), ("/v1beta/files", .gemini),
        ("/v1/embeddings", .openai), ("/completions", .openai), ("/v1/responses/resp_1", .openaiResponses),
        ("/openai/v1/models", .openai), ("/v1/models", .anthropic), ("/v2/messages", .anthropic), ("/", .anthropic),
    ])
    func theDialectOfAnyPath(path: String, dialect: Dialect) {
        #expect(Dialect(clientPath: path) == dialect)
    }
}

import Convert
import Testing
import Wire

/// A converted client's user text of whitespace alone, which its own API
/// takes and Anthropic refuses ("text content blocks must contain
/// non-whitespace text", user turns too), is not sent to an Anthropic
/// upstream: dropped, or "." for a turn left with nothing.
@Suite struct BlankUserTextTests {
    static let route = RouteOptions(modelID: "r", upstreamDialect: .anthropic, upstreamModel: "claude-sonnet-4-5")

    static func upstream(_ body: JSONValue, client: ClientEndpoint) throws -> ConvertedRequest {
        try ClientRequest(endpoint: client, body: body).upstreamBody(route: route)
    }

    /// Every text block of every message, in order.
    static func texts(_ request: ConvertedRequest) -> [[String]] {
        (request.body["messages"]?.arrayValue ?? []).map { message in
            if let text = message["content"]?.stringValue { return [text] }
            return (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        }
    }

    @Test func aChatClientsBlankUserMessageIsADot() throws {
        let converted = try Self.upstream(
            [
                "model": "m",
                "messages": [
                    ["role": "user", "content": "Hi"], ["role": "assistant", "content": "Hello."],
                    ["role": "user", "content": "\n"],
                ],
            ], client: ClientEndpoint(dialect: .openai))
        #expect(Self.texts(converted) == [["Hi"], ["Hello."], ["."]])
        #expect(converted.body["messages"]?[2]?["role"] == "user")
        let warning = try #require(converted.diagnostics.first { $0.path == "/messages/2" })
        #expect(warning.severity == .warning)
        #expect(warning.message.hasPrefix("user turn of only whitespace text (or none) sent as \".\""))
    }

    @Test func aChatClientsBlankPartBesideWordsIsDropped() throws {
        let converted = try Self.upstream(
            [
                "model": "m",
                "messages": [
                    [
                        "role": "user",
                        "content": [["type": "text", "text": "Look:"], ["type": "text", "text": " \n "]],
                    ]
                ],
            ], client: ClientEndpoint(dialect: .openai))
        #expect(Self.texts(converted) == [["Look:"]])
        #expect(converted.diagnostics.contains { $0.path == "/messages/0" && $0.severity == .info })
    }

    @Test func aResponsesClientsBlankInputIsADot() throws {
        let converted = try Self.upstream(
            ["model": "m", "input": [["role": "user", "content": [["type": "input_text", "text": " "]]]]],
            client: ClientEndpoint(dialect: .openaiResponses))
        #expect(Self.texts(converted) == [["."]])
        #expect(converted.diagnostics.contains { $0.path == "/messages/0" && $0.severity == .warning })
    }

    @Test func aGeminiClientsBlankPartIsDroppedAndABlankTurnIsADot() throws {
        let converted = try Self.upstream(
            [
                "contents": [
                    ["role": "user", "parts": [["text": "Hi"], ["text": "  "]]],
                    ["role": "model", "parts": [["text": "Hello."]]],
                    ["role": "user", "parts": [["text": "  "]]],
                ]
            ], client: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false))
        #expect(Self.texts(converted) == [["Hi"], ["Hello."], ["."]])
        #expect(
            converted.diagnostics.filter { $0.path.hasPrefix("/messages/") }.map(\.path) == [
                "/messages/0", "/messages/2",
            ])
    }

    /// An Anthropic client's blank user text is its own mistake, which its
    /// API shows it: sent as it is. Another upstream gets it as it is too.
    @Test func anAnthropicClientsAndOtherUpstreamsBlankUserTextIsSentAsItIs() throws {
        let anthropic = try Self.upstream(
            ["model": "m", "max_tokens": 10, "messages": [["role": "user", "content": " "]]],
            client: ClientEndpoint(dialect: .anthropic))
        #expect(Self.texts(anthropic) == [[" "]])
        let toChat = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: ["contents": [["role": "user", "parts": [["text": "  "]]]]]
        ).upstreamBody(route: RouteOptions(modelID: "r", upstreamDialect: .openai, upstreamModel: "gpt"))
        #expect(toChat.body["messages"]?[0]?["content"] == "  ")
    }
}

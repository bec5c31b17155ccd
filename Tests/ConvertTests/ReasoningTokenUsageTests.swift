import Convert
import Foundation
import SSE
import TestSupport
import Testing
import Wire

/// The reasoning tokens an upstream counts apart (OpenAI's
/// `reasoning_tokens`, Gemini's `thoughtsTokenCount`) reach an OpenAI Chat,
/// Responses or Gemini client of a converted route in its own field, and
/// an Anthropic client's answer, whose usage has no such field, keeps its
/// usual members only.
@Suite struct ReasoningTokenUsageTests {
    /// A provider fixture that reports reasoning tokens: its route, and the
    /// output tokens (reasoning included) and reasoning tokens it reports.
    struct Upstream: Sendable, CustomTestStringConvertible {
        var file: String
        var route: RouteOptions
        var output: Int
        var reasoning: Int
        /// Applied to the fixture's payloads: the recorded Responses streams
        /// all report 0 reasoning tokens, which would not tell a count
        /// carried through from a constant.
        var rewrite: (@Sendable (String) -> String)? = nil

        var testDescription: String { file }

        func bytes() throws -> [UInt8] {
            let path = try Fixtures.path(file)
            guard let rewrite else { return try Fixtures.sseBytes(chunksFile: path) }
            return Fixtures.sseBytes(
                payloads: try Fixtures.chunkPayloads(atPath: path).map(rewrite),
                framing: .forProviderFolder("openai-responses"))
        }
    }

    static let streams: [Upstream] = [
        Upstream(
            file: "providers/openai-chat/deepseek-reasoning.chunks.txt", route: TestRoutes.openAI, output: 219,
            reasoning: 205),
        // Gemini's candidatesTokenCount (29) leaves its thoughtsTokenCount (256) out.
        Upstream(
            file: "providers/gemini/google-reasoning.chunks.txt", route: TestRoutes.gemini, output: 29 + 256,
            reasoning: 256),
        Upstream(
            file: "providers/openai-responses/parallel-tool-call-wrapper.1.chunks.txt", route: TestRoutes.responses,
            output: 28, reasoning: 12,
            rewrite: { $0.replacingOccurrences(of: #""reasoning_tokens":0"#, with: #""reasoning_tokens":12"#) }),
    ]

    static let bodies: [Upstream] = [
        Upstream(
            file: "providers/openai-chat/deepseek-reasoning.json", route: TestRoutes.openAI, output: 345,
            reasoning: 315),
        Upstream(
            file: "providers/gemini/google-reasoning.json", route: TestRoutes.gemini, output: 29 + 282, reasoning: 282
        ),
        Upstream(
            file: "providers/openai-responses/openai-reasoning-encrypted-content.1.json", route: TestRoutes.responses,
            output: 163, reasoning: 128),
    ]

    static let clients: [Dialect] = [.openai, .openaiResponses, .gemini]

    /// Checks a client's usage object: its output count and its reasoning
    /// count, in the dialect's own members.
    static func expectUsage(
        _ usage: JSONValue?, dialect: Dialect, of upstream: Upstream, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (output, reasoning): (JSONValue?, JSONValue?) =
            switch dialect {
            case .openai: (usage?["completion_tokens"], usage?["completion_tokens_details"]?["reasoning_tokens"])
            case .openaiResponses: (usage?["output_tokens"], usage?["output_tokens_details"]?["reasoning_tokens"])
            default: (usage?["candidatesTokenCount"], usage?["thoughtsTokenCount"])
            }
        // OpenAI's output counts include the reasoning; Gemini's candidates do not.
        let expectedOutput = dialect == .gemini ? upstream.output - upstream.reasoning : upstream.output
        #expect(output == .int(Int64(expectedOutput)), "\(upstream.file)", sourceLocation: sourceLocation)
        #expect(reasoning == .int(Int64(upstream.reasoning)), "\(upstream.file)", sourceLocation: sourceLocation)
    }

    static func client(_ dialect: Dialect) throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: dialect, pathModel: dialect == .gemini ? "g" : nil),
            body: [
                "model": "m", "messages": [["role": "user", "content": "Hi"]], "input": "Hi", "max_tokens": 100,
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
            ])
    }

    @Test(arguments: bodies, clients)
    func aBodysReasoningTokensReachTheClientsField(upstream: Upstream, dialect: Dialect) throws {
        let body = try JSONValue(parsing: try Fixtures.bytes(atPath: try Fixtures.path(upstream.file)))
        let converted = try Self.client(dialect).clientResponse(upstreamBody: body, route: upstream.route, createdAt: 0)
        let usage = dialect == .gemini ? converted.body["usageMetadata"] : converted.body["usage"]
        Self.expectUsage(usage, dialect: dialect, of: upstream)
    }

    @Test(arguments: streams, clients)
    func aStreamsReasoningTokensReachTheClientsField(upstream: Upstream, dialect: Dialect) throws {
        let encoder: any ClientStreamEncoder =
            switch dialect {
            case .openai: OpenAIChatStreamEncoder(requestedModel: "m", includeUsage: true, created: 0)
            case .openaiResponses: OpenAIResponsesStreamEncoder(requestedModel: "m", createdAt: 0)
            default: GeminiStreamEncoder(requestedModel: "m")
            }
        let frames = convertStream(try upstream.bytes(), route: upstream.route, encoder: encoder)
        let payloads = frames.compactMap { try? JSONValue(parsing: $0.data) }
        let usage =
            switch dialect {
            case .openai: payloads.last { $0["usage"] != nil }?["usage"]
            case .openaiResponses: payloads.last { $0["type"] == "response.completed" }?["response"]?["usage"]
            default: payloads.last { $0["usageMetadata"] != nil }?["usageMetadata"]
            }
        Self.expectUsage(usage, dialect: dialect, of: upstream)
    }

    /// Anthropic's usage has no reasoning member: the count stays out of
    /// an Anthropic client's `message_delta` and body.
    @Test(arguments: streams + bodies)
    func anAnthropicClientsUsageHasOnlyItsOwnMembers(upstream: Upstream) throws {
        let usage: JSONValue?
        if upstream.file.hasSuffix(".json") {
            let body = try JSONValue(parsing: try Fixtures.bytes(atPath: try Fixtures.path(upstream.file)))
            usage = try Self.client(.anthropic).clientResponse(upstreamBody: body, route: upstream.route, createdAt: 0)
                .body["usage"]
        } else {
            let frames = convertStream(try upstream.bytes(), route: upstream.route)
            usage = frames.last { $0.event == "message_delta" }.flatMap { try? JSONValue(parsing: $0.data) }?["usage"]
        }
        #expect(
            usage?.objectValue.map { Array($0.keys) }
                == ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens"])
        #expect(usage?["output_tokens"] == .int(Int64(upstream.output)))
    }
}

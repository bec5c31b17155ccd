import Foundation
import TestSupport
import Testing
import Wire

@testable import Convert

/// An Anthropic upstream's answer to an Anthropic client, read from its
/// bytes: what the tree's conversion gives, its other bytes as they came.
@Suite struct AnthropicAnswerTests {
    private static func client() throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: ["model": "claude-test", "max_tokens": 10, "messages": [["role": "user", "content": "Hi"]]])
    }

    static let bodies: [String] = [
        #"{"id":"msg_1","type":"message","role":"assistant","model":"upstream-model","content":[{"type":"text","text":"Hi \"there\""}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":7}}"#,
        #"{"model":"claude-test","content":[],"usage":{"input_tokens":1}}"#,
        #"{"content":[],"usage":"none"}"#,
        #"{"model":7,"content":[{"model":"inner"}]}"#,
        #"{"model":null}"#,
        #" { "model" : "up" , "n" : 1.50 , "usage" : { "output_tokens" : 2 } } "#,
    ]

    @Test(arguments: bodies)
    func theAnswerIsWhatTheTreesConversionGives(body: String) throws {
        let client = try Self.client()
        let bytes = Array(body.utf8)
        let answer = try #require(client.anthropicAnswer(upstreamBody: bytes, route: TestRoutes.anthropic))
        let converted = try client.clientResponse(
            upstreamBody: try JSONValue(parsing: body), route: TestRoutes.anthropic)
        let sent = answer.renamed ?? bytes
        #expect(try JSONValue(parsing: sent) == converted.body)
        #expect(answer.usage == converted.usage)
        // Nothing to rename: the bytes as they came; in serialized form, what writing the tree gives.
        #expect((answer.renamed == nil) == (converted.body == (try JSONValue(parsing: body))))
        if JSONValue.isSerializedForm(body) { #expect(sent == converted.body.serialized()) }
    }

    static let answerFiles: [String] = Fixtures.argumentFiles(in: "providers/anthropic", suffix: ".json")

    @Test func answerFixturesAreFound() throws {
        try Fixtures.requireFound(Self.answerFiles, in: "providers/anthropic", suffix: ".json", atLeast: 3)
    }

    @Test(arguments: answerFiles)
    func everyRecordedAnswerIsRenamedAsWritingTheTreeWould(path: String) throws {
        let bytes = Array(try String(contentsOfFile: path, encoding: .utf8).utf8)
        let client = try Self.client()
        let answer = try #require(client.anthropicAnswer(upstreamBody: bytes, route: TestRoutes.anthropic), "\(path)")
        let converted = try client.clientResponse(
            upstreamBody: try JSONValue(parsing: bytes), route: TestRoutes.anthropic)
        #expect(try JSONValue(parsing: answer.renamed ?? bytes) == converted.body, "\(path)")
        #expect(answer.usage == converted.usage, "\(path)")
    }

    @Test func aRenamedAnswerKeepsItsOtherBytes() throws {
        let body = #" { "model" : "up" , "n" : 1.50 } "#
        let answer = try #require(
            try Self.client().anthropicAnswer(upstreamBody: Array(body.utf8), route: TestRoutes.anthropic))
        #expect(answer.renamed == Array(#" { "model" : "claude-test" , "n" : 1.50 } "#.utf8))
    }

    /// Left to the tree, which fails or reads the first of repeated members.
    @Test(arguments: [
        #"["model"]"#, #"{"model":"a","model":"b"}"#, #"{"usage":{},"usage":{}}"#, #"{"model":"a"} x"#, "",
        #"{"model":"a""#,
    ])
    func aBodyTheReaderCannotTakeIsLeftToTheTree(body: String) throws {
        #expect(try Self.client().anthropicAnswer(upstreamBody: Array(body.utf8), route: TestRoutes.anthropic) == nil)
    }

    @Test func onlyAnthropicToAnthropicIsRead() throws {
        let body = Array(Self.bodies[0].utf8)
        #expect(try Self.client().anthropicAnswer(upstreamBody: body, route: TestRoutes.openAI) == nil)
        let openAIClient = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai), body: ["model": "claude-test", "messages": []])
        #expect(openAIClient.anthropicAnswer(upstreamBody: body, route: TestRoutes.anthropic) == nil)
    }
}

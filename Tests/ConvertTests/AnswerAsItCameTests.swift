import Foundation
import TestSupport
import Testing
import Wire

@testable import Convert

/// An answer that goes out as it came, read from its bytes: an Anthropic
/// upstream's to an Anthropic client (its model renamed), a pass-through's:
/// what the tree's conversion gives, the other bytes as they came.
@Suite struct AnswerAsItCameTests {
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
        let answer = try #require(client.answerAsItCame(upstreamBody: bytes, route: TestRoutes.anthropic))
        let converted = try client.clientResponse(
            upstreamBody: try JSONValue(parsing: body), route: TestRoutes.anthropic, createdAt: 0)
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
        let answer = try #require(client.answerAsItCame(upstreamBody: bytes, route: TestRoutes.anthropic), "\(path)")
        let converted = try client.clientResponse(
            upstreamBody: try JSONValue(parsing: bytes), route: TestRoutes.anthropic, createdAt: 0)
        #expect(try JSONValue(parsing: answer.renamed ?? bytes) == converted.body, "\(path)")
        #expect(answer.usage == converted.usage, "\(path)")
    }

    @Test func aRenamedAnswerKeepsItsOtherBytes() throws {
        let body = #" { "model" : "up" , "n" : 1.50 } "#
        let answer = try #require(
            try Self.client().answerAsItCame(upstreamBody: Array(body.utf8), route: TestRoutes.anthropic))
        #expect(answer.renamed == Array(#" { "model" : "claude-test" , "n" : 1.50 } "#.utf8))
    }

    /// Left to the tree, which fails or reads the first of repeated members.
    @Test(arguments: [
        #"["model"]"#, #"{"model":"a","model":"b"}"#, #"{"usage":{},"usage":{}}"#, #"{"model":"a"} x"#, "",
        #"{"model":"a""#,
    ])
    func aBodyTheReaderCannotTakeIsLeftToTheTree(body: String) throws {
        #expect(try Self.client().answerAsItCame(upstreamBody: Array(body.utf8), route: TestRoutes.anthropic) == nil)
    }

    @Test func aConvertedAnswerIsLeftToTheTree() throws {
        let body = Array(Self.bodies[0].utf8)
        #expect(try Self.client().answerAsItCame(upstreamBody: body, route: TestRoutes.openAI) == nil)
        let openAIClient = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai), body: ["model": "claude-test", "messages": []])
        #expect(openAIClient.answerAsItCame(upstreamBody: body, route: TestRoutes.anthropic) == nil)
        let geminiClient = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini), body: ["model": "claude-test", "contents": []])
        #expect(geminiClient.answerAsItCame(upstreamBody: Array("{}".utf8), route: TestRoutes.gemini) == nil)
    }

    /// A pass-through of OpenAI Chat or Responses: the body as it came, and
    /// the usage the tree's reading reports.
    @Test(arguments: [
        (
            ClientEndpoint(dialect: .openai), TestRoutes.openAI,
            #"{"id":"c","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4}}}"#
        ),
        (ClientEndpoint(dialect: .openai), TestRoutes.openAI, #"{"id":"c","usage":null}"#),
        (ClientEndpoint(dialect: .openai), TestRoutes.openAI, #"{"id":"c"}"#),
        (
            ClientEndpoint(dialect: .openaiResponses), TestRoutes.responses,
            #"{"status":"completed","output":[],"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":2},"output_tokens":5}}"#
        ),
    ])
    func aPassedThroughAnswerReportsTheTreesUsage(endpoint: ClientEndpoint, route: RouteOptions, body: String) throws {
        let client = try ClientRequest(endpoint: endpoint, body: ["model": "m", "messages": [], "input": "x"])
        let answer = try #require(client.answerAsItCame(upstreamBody: Array(body.utf8), route: route))
        let converted = try client.clientResponse(
            upstreamBody: try JSONValue(parsing: body), route: route, createdAt: 0)
        #expect(answer.renamed == nil)
        #expect(converted.body == (try JSONValue(parsing: body)))
        #expect(answer.usage == converted.usage)
    }

    @Test(arguments: [
        (ClientEndpoint(dialect: .openai), TestRoutes.openAI, #"{"usage":{},"usage":null}"#),
        (ClientEndpoint(dialect: .openai), TestRoutes.openAI, #"{"usage":{}"#),
        (ClientEndpoint(dialect: .openai), TestRoutes.openAI, #"[1, {"usage": {"prompt_tokens": 1}}]"#),
        (ClientEndpoint(dialect: .openaiResponses), TestRoutes.responses, #"{"status":"completed","output":[]}"#),
        (
            ClientEndpoint(dialect: .openaiResponses), TestRoutes.responses,
            #"{"response":{"usage":{"input_tokens":1}}}"#
        ),
    ])
    func aPassedThroughAnswerTheReaderCannotTakeIsLeftToTheTree(
        endpoint: ClientEndpoint, route: RouteOptions, body: String
    ) throws {
        let client = try ClientRequest(endpoint: endpoint, body: ["model": "m", "messages": [], "input": "x"])
        #expect(client.answerAsItCame(upstreamBody: Array(body.utf8), route: route) == nil)
    }
}

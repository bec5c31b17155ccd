import Testing
import Wire

@testable import Convert

/// A Responses client's session that an earlier route served through the
/// pivot (a fallback to Claude) holds `pivot:` reasoning items; passed
/// through to an OpenAI Responses upstream they would be a 400 on every
/// later turn, so they are dropped with a note, and OpenAI's own go as
/// they came.
@Suite struct ResponsesForeignReasoningTests {
    static let route = RouteOptions(modelID: "gpt", upstreamDialect: .openaiResponses, upstreamModel: "gpt-5")

    @Test func pivotReasoningIsDroppedOnAPassThrough() throws {
        let input: JSONValue = [
            ["role": "user", "content": "Weather?"],
            [
                "type": "reasoning", "id": "rs_1", "summary": [],
                "encrypted_content": "pivot:eyJ0eXBlIjoidGhpbmtpbmcifQ==",
            ],
            ["type": "reasoning", "id": "rs_2", "summary": [], "encrypted_content": "gAAAAABo-openai"],
            ["type": "function_call", "call_id": "call_1", "name": "weather", "arguments": "{}"],
            ["type": "function_call_output", "call_id": "call_1", "output": "sunny"],
        ]
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openaiResponses), body: ["model": "gpt", "input": input])
        let converted = try client.upstreamBody(route: Self.route)
        let sent = try #require(converted.body["input"]?.arrayValue)
        #expect(sent.count == 4)
        #expect(sent.compactMap { $0["id"]?.stringValue } == ["rs_2"])
        #expect(
            converted.diagnostics.contains {
                $0.path == "/input/1" && $0.message == "reasoning from another provider is not sent to OpenAI; dropped"
            })
    }

    @Test func aRequestWithoutAnyGoesAsItCame() throws {
        let body: JSONValue = [
            "model": "gpt",
            "input": [["type": "reasoning", "id": "rs_2", "summary": [], "encrypted_content": "gAAAAABo-openai"]],
        ]
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .openaiResponses), body: body)
        let converted = try client.upstreamBody(route: Self.route)
        #expect(converted.body["input"] == body["input"])
        #expect(converted.diagnostics.allSatisfy { !$0.message.contains("another provider") })
    }
}

import Convert
import Testing
import Wire

/// A Chat or Responses client's own request on a pass-through route carries
/// the ids the proxy made for a Gemini answer (after a fallback, or a switch
/// of route): over OpenAI's limits, they are shortened as a converted
/// request's are, the same in call and result; ids that fit and requests
/// without long ids go unchanged.
@Suite struct PassthroughToolCallIDTests {
    static let longID = UpstreamToolCallIDTests.geminiID
    static let shortID = UpstreamToolCallIDTests.geminiShortID

    static func upstream(_ body: JSONValue, dialect: Dialect, route: RouteOptions) throws -> ConvertedRequest {
        try ClientRequest(endpoint: ClientEndpoint(dialect: dialect), body: body).upstreamBody(route: route)
    }

    static func chat(callID: String) -> JSONValue {
        [
            "model": "gpt-4o",
            "messages": [
                ["role": "user", "content": "Read it"],
                ["role": "assistant", "content": .null, "tool_calls": [UpstreamToolCallIDTests.chatCall(callID)]],
                ["role": "tool", "tool_call_id": .string(callID), "content": "text of a"],
            ],
        ]
    }

    @Test func aChatClientsLongIDsAreShortenedInCallAndResult() throws {
        let converted = try Self.upstream(Self.chat(callID: Self.longID), dialect: .openai, route: TestRoutes.openAI)
        #expect(converted.body["messages"] == Self.chat(callID: Self.shortID)["messages"])
        #expect(
            converted.diagnostics.map(\.message).contains(
                "tool call ids over the upstream's 40 characters sent shortened (call_ and 32 hex of their SHA-256)"))
        let fitting = try Self.upstream(Self.chat(callID: "call_abc"), dialect: .openai, route: TestRoutes.openAI)
        #expect(fitting.body["messages"] == Self.chat(callID: "call_abc")["messages"])
        #expect(fitting.diagnostics.isEmpty)
    }

    @Test func aResponsesClientsLongCallIDsAreShortenedInCallAndOutput() throws {
        func input(_ id: String) -> JSONValue {
            [
                ["role": "user", "content": "Read it"],
                ["type": "function_call", "call_id": .string(id), "name": "Read", "arguments": #"{"path":"a"}"#],
                ["type": "function_call_output", "call_id": .string(id), "output": "text of a"],
            ]
        }
        let body: JSONValue = ["model": "gpt-4o", "input": input(Self.longID)]
        let converted = try Self.upstream(body, dialect: .openaiResponses, route: TestRoutes.responses)
        // Responses allows 64: the Gemini id is over it, and shortened alike.
        #expect(converted.body["input"] == input(Self.shortID))
        let fitting: JSONValue = ["model": "gpt-4o", "input": input(String(repeating: "c", count: 64))]
        let kept = try Self.upstream(fitting, dialect: .openaiResponses, route: TestRoutes.responses)
        #expect(kept.body["input"] == fitting["input"])
    }
}

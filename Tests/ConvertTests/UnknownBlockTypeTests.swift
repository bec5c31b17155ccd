import Convert
import Testing
import Wire

/// An Anthropic client's block of a type Anthropic does not have is refused
/// on a converted route, as Anthropic refuses it, instead of vanishing (a
/// turn of only such blocks went up as `"messages": []`); a pass-through
/// sends it on for Anthropic to answer.
@Suite struct UnknownBlockTypeTests {
    static let convertedRoutes = [TestRoutes.openAI, TestRoutes.gemini, TestRoutes.responses]

    static func upstream(
        _ messages: JSONValue, system: JSONValue? = nil, route: RouteOptions
    ) throws(APIError) -> ConvertedRequest {
        var body: JSONValue = ["model": "m", "max_tokens": 10, "messages": messages]
        if let system { body["system"] = system }
        return try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body).upstreamBody(route: route)
    }

    static func refusal(_ messages: JSONValue, system: JSONValue? = nil, route: RouteOptions) -> JSONValue? {
        do throws(APIError) {
            let converted = try upstream(messages, system: system, route: route)
            Issue.record("converted for \(route.upstreamDialect): \(converted.body)")
            return nil
        } catch {
            #expect(error.status == 400)
            return error.rendered(in: .anthropic)
        }
    }

    @Test(arguments: convertedRoutes)
    func anUnknownTypeInATurnIsA400NamingItsPath(route: RouteOptions) {
        let refusal = Self.refusal([["role": "user", "content": [["type": "bogus"]]]], route: route)
        #expect(
            refusal
                == [
                    "type": "error",
                    "error": [
                        "type": "invalid_request_error",
                        "message": #"messages.0.content.0.type: unknown content block type "bogus""#,
                    ],
                ])
    }

    @Test(arguments: convertedRoutes)
    func anUnknownTypeInAnAssistantTurnOrAToolResultIsRefusedToo(route: RouteOptions) {
        let assistant = Self.refusal(
            [
                ["role": "user", "content": "Hi"],
                ["role": "assistant", "content": [["type": "text", "text": "Yes"], ["type": "tekst", "text": "x"]]],
            ], route: route)
        #expect(assistant?["error"]?["message"] == #"messages.1.content.1.type: unknown content block type "tekst""#)
        let inResult = Self.refusal(
            [
                ["role": "user", "content": "Hi"],
                ["role": "assistant", "content": [["type": "tool_use", "id": "t1", "name": "f", "input": [:]]]],
                [
                    "role": "user",
                    "content": [["type": "tool_result", "tool_use_id": "t1", "content": [["type": "bogus"]]]],
                ],
            ], route: route)
        #expect(
            inResult?["error"]?["message"]
                == #"messages.2.content.0.content.0.type: unknown content block type "bogus""#)
    }

    /// A system prompt takes text blocks only: another of Anthropic's types
    /// is dropped with a warning, a type Anthropic does not have refused,
    /// in the `system` member and in a mid-conversation system message.
    @Test(arguments: convertedRoutes)
    func anUnknownTypeInTheSystemPromptIsRefused(route: RouteOptions) throws {
        let user: JSONValue = ["role": "user", "content": "Hi"]
        let refusal = Self.refusal(
            [user], system: [["type": "text", "text": "Be brief"], ["type": "txet", "text": "x"]], route: route)
        #expect(refusal?["error"]?["message"] == #"system.1.type: unknown content block type "txet""#)
        let inMessage = Self.refusal(
            [user, ["role": "system", "content": [["type": "bogus"]]]], route: route)
        #expect(inMessage?["error"]?["message"] == #"messages.1.content.0.type: unknown content block type "bogus""#)
        let converted = try Self.upstream(
            [user], system: [["type": "text", "text": "Be brief"], ["type": "image", "source": [:]]], route: route)
        #expect(converted.diagnostics.filter { $0.severity == .warning }.map(\.path) == ["/system/1"])
    }

    /// Anthropic's own blocks an upstream cannot take are still dropped
    /// with a warning: a server tool's result (known by its suffix, newer
    /// tools' too) and a search result.
    @Test(arguments: convertedRoutes)
    func anthropicBlocksTheUpstreamCannotTakeAreDropped(route: RouteOptions) throws {
        let converted = try Self.upstream(
            [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Hi"],
                        ["type": "search_result", "source": "s", "title": "t", "content": []],
                        ["type": "future_search_tool_result", "tool_use_id": "s1", "content": []],
                    ],
                ]
            ], route: route)
        let dropped = converted.diagnostics.filter { $0.severity == .warning }.map(\.path)
        #expect(dropped == ["/messages/0/content/1", "/messages/0/content/2"])
    }

    /// To Anthropic the body goes as the client sent it: Anthropic answers.
    @Test func aPassThroughSendsTheBlockOn() throws {
        let messages: JSONValue = [["role": "user", "content": [["type": "bogus"]]]]
        let converted = try Self.upstream(messages, route: TestRoutes.anthropic)
        #expect(converted.body["messages"] == messages)
    }
}

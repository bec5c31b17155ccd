import Convert
import Foundation
import Testing
import Wire

/// The rules as values: pointers, each rule's edit and diagnostic, and the
/// JSON form the route line carries.
struct RequestRuleTests {
    @Test func pointersSetAndRemoveThroughObjectsAndArrays() throws {
        var request: JSONValue = ["messages": [["role": "user", "content": "hi"]], "a/b": 1]
        let route = RouteOptions(
            modelID: "m", upstreamDialect: .anthropic, upstreamModel: "up",
            rules: [
                .set(try #require(JSONPointer("/metadata/user_id")), "u1"),
                .set(try #require(JSONPointer("/messages/0/content")), "bye"),
                .remove(try #require(JSONPointer("/a~1b"))),
                .remove(try #require(JSONPointer("/missing"))),
                .set(try #require(JSONPointer("/messages/7/content")), "nope"),
            ])
        let client = try ClientRequest(
            endpoint: try #require(ClientEndpoint.parse(path: "/v1/messages", query: nil)),
            body: ["model": "m", "max_tokens": 5, "messages": request["messages"]!, "a/b": 1])
        let converted = try client.upstreamBody(route: route)
        request = converted.body
        #expect(request["metadata"]?["user_id"] == "u1")
        #expect(request["messages"]?[0]?["content"] == "bye")
        #expect(request["a/b"] == nil)
        let messages = converted.diagnostics.filter { $0.message.hasPrefix("rule ") }.map(\.message)
        #expect(
            messages == [
                "rule set /metadata/user_id", "rule set /messages/0/content", "rule remove /a~1b",
                "rule set /messages/7/content: nothing there can hold a value; not applied",
            ])
        #expect(JSONPointer("temperature") == nil)
    }

    @Test func rulesRoundTripThroughTheRouteLine() throws {
        let rules: [RequestRule] = [
            .dropTools([GlobPattern("Notebook*")]), .set(try #require(JSONPointer("/temperature")), 0.2),
            .remove(try #require(JSONPointer("/metadata"))), .systemPrepend("Hi."),
        ]
        let route = RouteOptions(modelID: "m", upstreamDialect: .openai, upstreamModel: "up", rules: rules)
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: try JSONEncoder().encode(route))
        #expect(decoded.rules == rules)
        let plain = RouteOptions(modelID: "m", upstreamDialect: .openai, upstreamModel: "up", rules: [])
        let text = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!text.contains("rules"), "a route without rules records none: \(text)")
    }
}

import Cassette
import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// `rules:` through the real proxy: the upstream gets the edited request,
/// each applied rule is a `diagnostic` line, and `verify` applies the rules
/// again from the route line, so the replay matches.
@Suite struct RequestRulesRecordingTests {
    static let rules = """

        rules:
          - drop_tools: [WebSearch, "Notebook*"]
          - set: {/temperature: 0.2}
          - system_prepend: "Answer in English."
          - set_headers: {x-team: infra}
          - remove_headers: [user-agent]
        """

    @Test func everyRuleIsAppliedRecordedAndReplayed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-rules-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tools: JSONValue = [
            ["name": "Write", "input_schema": ["type": "object"]],
            ["name": "WebSearch", "input_schema": ["type": "object"]],
            ["name": "NotebookEdit", "input_schema": ["type": "object"]],
        ]
        let anthropicRequest: JSONValue = [
            "model": "gpt", "max_tokens": 100, "system": "Be brief.", "tools": tools,
            "tool_choice": ["type": "tool", "name": "WebSearch"],
            "messages": [["role": "user", "content": "hi"]],
        ]
        let openAIRequest: JSONValue = [
            "model": "gpt", "messages": [["role": "user", "content": "hi"]],
            "tools": [
                ["type": "function", "function": ["name": "Write", "parameters": ["type": "object"]]],
                ["type": "function", "function": ["name": "WebSearch", "parameters": ["type": "object"]]],
            ],
        ]
        let completion = """
            {"id":"c1","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,\
            "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}
            """
        let upstream = try await ClientDialectRecordingTests.record(
            [
                .init(path: "/v1/messages", body: anthropicRequest, reply: .json(200, completion)),
                .init(path: "/v1/chat/completions", body: openAIRequest, reply: .json(200, completion)),
            ], into: directory, extraYAML: Self.rules)

        try #require(upstream.count == 2)
        for request in upstream {
            let body = try JSONValue(parsing: request.body)
            let names = body["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }
            #expect(names == ["Write"], "\(request.bodyText)")
            #expect(body["temperature"] == 0.2)
            let system = body["messages"]?[0]
            #expect(system?["role"] == "system")
            #expect(system?["content"]?.stringValue?.hasPrefix("Answer in English.") == true, "\(request.bodyText)")
            #expect(request.header("x-team") == "infra")
            #expect(request.header("user-agent") == nil)
        }
        let first = try JSONValue(parsing: upstream[0].body)
        #expect(first["tool_choice"] == nil, "a tool_choice naming a dropped tool goes with it")

        let set = try CassetteLoader.load(paths: [directory])
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.matchedCount == 2, "\(report.text(verbose: true))")
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")

        var diagnostics: [String] = []
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events where event.kind == "diagnostic" {
                if let message = event["message"]?.stringValue, message.hasPrefix("rule ") {
                    diagnostics.append(message)
                }
            }
        }
        #expect(diagnostics.contains("rule drop_tools removed WebSearch, NotebookEdit"), "\(diagnostics)")
        #expect(diagnostics.contains("rule drop_tools removed WebSearch"), "\(diagnostics)")
        #expect(diagnostics.filter { $0 == "rule set /temperature" }.count == 2)
        #expect(diagnostics.contains("rule system_prepend added 18 characters"))
        #expect(diagnostics.filter { $0 == "rule set_headers x-team" }.count == 2)
        #expect(diagnostics.filter { $0 == "rule remove_headers user-agent" }.count == 2)
    }
}

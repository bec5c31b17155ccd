import Cassette
import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// A repaired and a refused tool call (an Anthropic client on an OpenAI
/// route, an OpenAI client on a Gemini one), through the real proxy: each repair
/// or refusal is a `diagnostic` line in the cassette, the refusal is also an
/// `error` line and an `error` end, and `verify` replays both as they were.
@Suite struct ToolArgumentRecordingTests {
    static let schema: JSONValue = [
        "type": "object", "properties": ["file_path": ["type": "string"], "content": ["type": "string"]],
        "required": ["file_path", "content"],
    ]

    static func openAIToolStream(arguments: [String]) -> [UInt8] {
        var frames = [
            #"{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"Write","arguments":""}}]},"finish_reason":null}]}"#
        ]
        for fragment in arguments {
            let escaped = JSONValue.string(fragment).serializedString()
            frames.append(
                #"{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"#
                    + escaped + "}}]},\"finish_reason\":null}]}")
        }
        frames.append(#"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#)
        return Fixtures.sseBytes(payloads: frames, framing: .openAIChat)
    }

    @Test func repairsAndRefusalsAreRecordedAndReplayed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-toolargs-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let anthropicRequest: JSONValue = [
            "model": "gpt", "max_tokens": 100, "stream": true,
            "messages": [["role": "user", "content": "write a.txt"]],
            "tools": [["name": "Write", "input_schema": Self.schema]],
        ]
        let openAIRequest: JSONValue = [
            "model": "gemini", "stream": true, "messages": [["role": "user", "content": "write a.txt"]],
            "tools": [["type": "function", "function": ["name": "Write", "parameters": Self.schema]]],
        ]
        _ = try await ClientDialectRecordingTests.record(
            [
                .init(
                    path: "/v1/messages", body: anthropicRequest,
                    reply: .eventStream(
                        splitting: Self.openAIToolStream(arguments: [#"{"file_path":"a.txt","#, #""content":"hi","#]),
                        maxPiece: 31)),
                .init(
                    path: "/v1/chat/completions", body: openAIRequest,
                    reply: .eventStream([
                        #"data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Write","args":{"file_path":"a.txt"}}}]},"finishReason":"STOP"}]}"#
                            + "\n\n"
                    ])),
            ], into: directory)

        let set = try CassetteLoader.load(paths: [directory])
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.matchedCount == 2, "\(report.text(verbose: true))")
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")

        var byExchange: [String: [CassetteEvent]] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                byExchange[event.exchange ?? "", default: []].append(event)
            }
        }
        let exchanges = byExchange.values.sorted { ($0.first?.timeMicros ?? 0) < ($1.first?.timeMicros ?? 0) }
        func lines(_ kind: String, _ events: [CassetteEvent]) -> [String] {
            events.filter { $0.kind == kind }.map { $0["message"]?.stringValue ?? "" }
        }
        let repaired = try #require(exchanges.first { $0.first?["path"] == "/v1/messages" })
        #expect(
            lines("diagnostic", repaired) == [
                #"tool "Write": arguments were cut short; closed them with }"#,
                #"tool "Write": dropped a trailing comma from its arguments"#,
            ])
        #expect(repaired.last?["outcome"] == "ok")

        let refused = try #require(exchanges.first { $0.first?["path"] == "/v1/chat/completions" })
        let message = #"upstream gemini called tool "Write" wrongly: field "content" is required but missing"#
        #expect(lines("diagnostic", refused) == ["rejected: \(message)"])
        #expect(lines("error", refused).contains { $0.contains(message) })
        #expect(refused.last?["outcome"] == "error")
    }
}

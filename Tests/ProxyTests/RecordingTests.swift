import Cassette
import Foundation
import Proxy
import SSE
import TestSupport
import Testing
import Wire

/// `--record`: every leg of every exchange, rejected requests included,
/// linked by the id the client got as `request-id`.
@Suite struct RecordingTests {
    private static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sb-record-\(UUID())").path
    }

    /// The events of each exchange, in file order.
    private static func exchanges(in directory: String) throws -> [String: [CassetteEvent]] {
        var byID: [String: [CassetteEvent]] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            let contents = try CassetteReader.read(path: file)
            #expect(contents.tornTail == nil)
            for event in contents.events {
                byID[event.exchange ?? "", default: []].append(event)
            }
        }
        return byID
    }

    private func kinds(_ events: [CassetteEvent]?) -> [String] { events?.map(\.kind) ?? [] }

    private func only(_ kind: CassetteEvent.Kind, in events: [CassetteEvent]?) -> [CassetteEvent] {
        events?.filter { $0.kind == kind.rawValue } ?? []
    }

    @Test func everyLegOfEveryExchangeIsRecorded() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try CassetteRecorder(directory: directory)
        var id: [String: String] = [:]
        var bodies: [String: String] = [:]
        var stubBase = ""
        var healthID: String?
        let before = Date()
        try await ProxyHarness.run(recording: ExchangeRecording(recorder: recorder)) { proxy in
            stubBase = proxy.stub.baseURL
            func send(_ label: String, _ reply: () async throws -> ProxyHarness.Reply) async throws {
                let response = try await reply()
                id[label] = response.headers.first(name: "request-id")
                bodies[label] = response.text
            }
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            try await send("stream") { try await proxy.post(json: ProxyHarness.messages(stream: true)) }
            proxy.stub.reply = .eventStream(UpstreamBodies.anthropicStream)
            try await send("relay") { try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true)) }
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try await send("plain") { try await proxy.post(json: ProxyHarness.messages()) }
            proxy.stub.reply = .json(429, UpstreamBodies.openAIError("slow down"), headers: [("retry-after", "3")])
            try await send("429") { try await proxy.post(json: ProxyHarness.messages()) }
            try await send("refused") { try await proxy.post(json: ProxyHarness.messages(model: "down")) }
            var cut = StubHTTPServer.Reply.eventStream(Array(UpstreamBodies.openAIStream.prefix(3)))
            cut.steps.append(.cut)
            proxy.stub.reply = cut
            try await send("cut") { try await proxy.post(json: ProxyHarness.messages(stream: true)) }
            try await send("badJSON") { try await proxy.post(text: "{\"model\": ") }
            try await send("unknownModel") { try await proxy.post(json: ProxyHarness.messages(model: "nope")) }
            try await send("unknownPath") { try await proxy.post("/v2/nope", json: ["hello": "world"]) }
            try await send("models") { try await proxy.send(.GET, "/v1/models") }
            // Monitoring endpoints, which a scraper polls all day, are not recorded.
            healthID = try await proxy.send(.GET, "/health").headers.first(name: "request-id")
        }
        // The server's shutdown closed the recorder; the cassette is complete.
        let recorded = try Self.exchanges(in: directory)
        #expect(Set(recorded.keys) == Set(id.values))
        for (label, exchange) in id {
            let events = try #require(recorded[exchange], "\(label)")
            #expect(events.first?.kind == "client_request", "\(label)")
            #expect(events.last?.kind == "end", "\(label)")
            #expect(only(.end, in: events).count == 1, "\(label)")
            #expect(only(.end, in: events).first?["dropped_events"] == 0, "\(label)")
            #expect(events.allSatisfy { $0.timeMicros != nil }, "\(label)")
            let started = try #require(events.first?["started"]?.stringValue, "\(label)")
            #expect(started.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(started)")
            let date = try #require(
                try? Date(started, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            #expect(date >= before.addingTimeInterval(-0.001) && date <= Date(), "\(label): \(started)")
        }
        let starts = id.values.sorted().compactMap { recorded[$0]?.first?["started"]?.stringValue }
        #expect(starts == starts.sorted(), "ids and start times sort alike")

        let stream = recorded[id["stream"]!]
        #expect(
            kinds(stream).prefix(6) == [
                "client_request", "route", "upstream_request", "upstream_response", "client_response",
                "upstream_chunk",
            ])
        #expect(only(.route, in: stream).first?["model_id"] == "gpt")
        #expect(only(.route, in: stream).first?["options"]?["model_name"] == "upstream-gpt")
        let chunks = only(.upstreamChunk, in: stream).compactMap(\.chunkBytes)
        #expect(chunks.map { String(decoding: $0, as: UTF8.self) } == UpstreamBodies.openAIStream)
        let sent = only(.clientEvent, in: stream).compactMap(\.sseEvent).flatMap { $0.encoded() }
        #expect(String(decoding: sent, as: UTF8.self) == bodies["stream"])
        #expect(only(.clientResponse, in: stream).first?["body"] == nil)
        let streamEnd = only(.end, in: stream).first
        #expect(streamEnd?["outcome"] == "ok")
        #expect(streamEnd?["usage"]?["output_tokens"] == 2)
        #expect(streamEnd?["ttfb_us"]?.intValue != nil)

        let relay = recorded[id["relay"]!]
        let relayed = only(.clientEvent, in: relay).compactMap(\.sseEvent)
        #expect(relayed.map(\.event) == sseFrames(bodies["relay"]!).map(\.event))
        #expect(relayed.map(\.data) == sseFrames(bodies["relay"]!).map(\.data))
        #expect(only(.upstreamChunk, in: relay).compactMap(\.chunkBytes).flatMap { $0 } == Array(bodies["relay"]!.utf8))

        let plain = recorded[id["plain"]!]
        #expect(
            only(.clientResponse, in: plain).first?.bodyBytes.flatMap { try? JSONValue(parsing: $0) }
                == (try JSONValue(parsing: bodies["plain"]!)))
        #expect(only(.end, in: plain).first?["usage"]?["input_tokens"] == 5)

        func expectError(
            _ label: String, stage: CassetteStage, status: Int64, outcome: CassetteOutcome = .error
        ) {
            let events = recorded[id[label]!]
            let error = only(.error, in: events).first
            #expect(error?["stage"] == .string(stage.rawValue), "\(label)")
            #expect(error?["status"] == .int(status), "\(label)")
            #expect(only(.end, in: events).first?["outcome"] == .string(outcome.rawValue), "\(label)")
        }
        expectError("429", stage: .upstreamResponse, status: 429)
        #expect(only(.upstreamResponse, in: recorded[id["429"]!]).first?["status"] == 429)
        let headers429 = only(.clientResponse, in: recorded[id["429"]!]).first?["headers"]?.objectValue
        #expect(headers429?.first { $0.key.lowercased() == "retry-after" }?.value == "3")
        expectError("refused", stage: .upstreamConnect, status: 502)
        // upstream_name is exactly the name in the proxy's error messages.
        let refusedName = only(.route, in: recorded[id["refused"]!]).first?["upstream_name"]?.stringValue
        #expect(refusedName == "down (http://127.0.0.1:1)")
        let refusedMessage = only(.error, in: recorded[id["refused"]!]).first?["message"]?.stringValue ?? ""
        #expect(refusedMessage.hasPrefix("could not reach upstream down (http://127.0.0.1:1): "))
        let name429 = only(.route, in: recorded[id["429"]!]).first?["upstream_name"]?.stringValue
        #expect(name429 == "gpt (\(stubBase)/v1)")
        #expect(
            only(.error, in: recorded[id["429"]!]).first?["message"]?.stringValue?.hasPrefix(
                "upstream gpt (\(stubBase)/v1) returned HTTP 429") == true)
        expectError("cut", stage: .upstreamStream, status: 502)
        #expect(only(.clientEvent, in: recorded[id["cut"]!]).last?["event"] == "error")
        expectError("badJSON", stage: .clientRequest, status: 400)
        #expect(only(.clientRequest, in: recorded[id["badJSON"]!]).first?.bodyBytes == Array("{\"model\": ".utf8))
        expectError("unknownModel", stage: .route, status: 404)
        expectError("unknownPath", stage: .clientRequest, status: 404)
        let unknownPath = only(.clientRequest, in: recorded[id["unknownPath"]!]).first
        #expect(unknownPath?["path"] == "/v2/nope")
        #expect(unknownPath?["body"] == ["hello": "world"])
        #expect(kinds(recorded[id["models"]!]) == ["client_request", "client_response", "end"])
        #expect(healthID != nil)
        #expect(healthID.map { recorded[$0] == nil } == true)
    }

    @Test func knownKeysAppearNowhereInTheCassette() async throws {
        let clientKey = "sk-ant-client-7f3e9a1c5b2d4e6f"
        let routeKey = "sk-route-0a1b2c3d4e5f6a7b"
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try CassetteRecorder(directory: directory)
        try await ProxyHarness.run(apiKey: routeKey, recording: ExchangeRecording(recorder: recorder)) { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            _ = try await proxy.post(json: ProxyHarness.messages(stream: true), headers: [("x-api-key", clientKey)])
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            _ = try await proxy.post(
                "/v1/messages?key=\(clientKey)", json: ProxyHarness.messages(model: "claude"),
                headers: [("authorization", "Bearer \(clientKey)"), ("cookie", "session=\(clientKey)")])
            _ = try await proxy.post("/v2/unknown", json: ProxyHarness.messages(), headers: [("x-api-key", clientKey)])
            // An upstream quoting back the key it got ("Incorrect API key
            // provided: ..."), once JSON-escaped as an encoder may write
            // it: not to the client, nor to the cassette.
            let escaped = routeKey.replacingOccurrences(of: "-", with: #"\u002d"#)
            proxy.stub.reply = .json(
                401,
                UpstreamBodies.openAIError(
                    "Incorrect API key provided: \(routeKey); sent Bearer \(routeKey), then Bearer \(escaped)"))
            let rejected = try await proxy.post(json: ProxyHarness.messages(), headers: [("x-api-key", clientKey)])
            #expect(rejected.status == 401)
            #expect(!rejected.text.contains(routeKey), "\(rejected.text)")
            #expect(rejected.text.contains("Incorrect API key provided: \(Redactor.fingerprint(routeKey))"))
            // The upstream really got the route's key: there was one to leak.
            #expect(proxy.stub.requests.first?.header("authorization") == "Bearer \(routeKey)")
        }
        var texts: [String] = []
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                texts.append(event.json.serializedString())
                for bytes in [event.bodyBytes, event.chunkBytes].compactMap({ $0 }) {
                    texts.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            let tool = try await LZ4Tool.decompress(file)
            #expect(tool.status == 0)
            texts.append(String(decoding: tool.output, as: UTF8.self))
        }
        let everything = texts.joined(separator: "\n")
        #expect(everything.contains("\"request-id\""))
        for key in [clientKey, routeKey] {
            #expect(!everything.contains(key))
            #expect(!everything.contains(Data(key.utf8).base64EncodedString()))
        }
        #expect(everything.contains(Redactor.fingerprint(clientKey)))
        #expect(everything.contains(Redactor.fingerprint(routeKey)))
    }
}

import AsyncHTTPClient
import Cassette
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Proxy
import Replay
import TestSupport
import Testing
import Wire

/// A session recorded through the real proxy (in-process, routed to a stub
/// upstream) holding an upstream 429, a refused upstream connection, a
/// stream cut mid-way and a malformed client request among good exchanges:
/// `log-replay --errors-only` finds exactly those four, and the summary
/// lists each by its stage and type.
@Suite(.serialized) struct RecordedSessionErrorsTests {
    /// The recorded session: its directory, and the `request-id` each
    /// request got, by label.
    struct Session {
        var directory: String
        var requestIDs: [String: String]
        var stubBase: String

        static let failures = ["429", "refused", "cut", "badJSON"]
    }

    /// One request through the proxy; the `request-id` it got back.
    private static func send(
        port: Int, _ method: HTTPMethod = .POST, path: String = "/v1/messages", body: String?
    ) async throws -> (id: String?, status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "x-api-key", value: "sk-session-test")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
        let collected = try await response.body.collect(upTo: 16 << 20)
        return (response.headers.first(name: "request-id"), Int(response.status.code), String(buffer: collected))
    }

    private static func messages(model: String, stream: Bool) -> String {
        #"{"model":"\#(model)","max_tokens":64,"stream":\#(stream),"messages":[{"role":"user","content":"hi"}]}"#
    }

    private static let openAIStream: [String] = [
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}"#
            + "\n\n",
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}"#
            + "\n\n",
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
            + "\n\n",
        "data: [DONE]\n\n",
    ]

    private static let openAICompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"up",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
        """

    /// Records the session: five good exchanges (streamed and not, OpenAI,
    /// Anthropic and Gemini upstreams, a models list) around the four
    /// failures.
    static func record() async throws -> Session {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-session-\(UUID())").path
        var ids: [String: String] = [:]
        var stubBase = ""
        try await StubHTTPServer.withRunning { stub in
            stubBase = stub.baseURL
            let yaml = """
                models:
                  - model_id: gpt
                    model_name: up
                    api_base: \(stub.baseURL)/v1
                    format: openai
                  - model_id: claude
                    model_name: "*"
                    api_base: \(stub.baseURL)
                    format: anthropic
                  - model_id: gemini
                    model_name: gemini-2.5-flash
                    api_base: \(stub.baseURL)/v1beta
                    format: gemini
                  - model_id: down
                    model_name: nothing
                    api_base: http://127.0.0.1:1/v1
                    format: openai
                """
            let config = try ProxyConfig.parse(yaml: yaml, file: "session.yaml")
            var logger = Logger(label: "session-test")
            logger.logLevel = .critical
            let server = ProxyServer(
                config: config, options: .init(host: "127.0.0.1", port: 0),
                recording: try ExchangeRecording(directory: directory), logger: logger)
            try await server.withRunning { port in
                func exchange(
                    _ label: String, expect status: Int, _ send: () async throws -> (String?, Int, String)
                )
                    async throws
                {
                    let (id, got, body) = try await send()
                    #expect(got == status, "\(label): \(body)")
                    #expect(id != nil, "\(label) has a request-id")
                    ids[label] = id
                }
                stub.reply = .eventStream(Self.openAIStream)
                try await exchange("okStream", expect: 200) {
                    try await Self.send(port: port, body: Self.messages(model: "gpt", stream: true))
                }
                stub.reply = .json(
                    429, #"{"error":{"message":"slow down","type":"rate_limit"}}"#, headers: [("retry-after", "3")])
                try await exchange("429", expect: 429) {
                    try await Self.send(port: port, body: Self.messages(model: "gpt", stream: false))
                }
                stub.reply = .json(200, Self.openAICompletion)
                try await exchange("okPlain", expect: 200) {
                    try await Self.send(port: port, body: Self.messages(model: "gpt", stream: false))
                }
                try await exchange("refused", expect: 502) {
                    try await Self.send(port: port, body: Self.messages(model: "down", stream: true))
                }
                let anthropic = try Fixtures.sseBytes(
                    chunksFile: try Fixtures.path("providers/anthropic/anthropic-text.chunks.txt"))
                stub.reply = .eventStream(splitting: anthropic, maxPiece: 31)
                try await exchange("okAnthropicStream", expect: 200) {
                    try await Self.send(port: port, body: Self.messages(model: "claude", stream: true))
                }
                var cut = StubHTTPServer.Reply.eventStream(Array(Self.openAIStream.prefix(2)))
                cut.steps.append(.cut)
                stub.reply = cut
                try await exchange("cut", expect: 200) {
                    try await Self.send(port: port, body: Self.messages(model: "gpt", stream: true))
                }
                let gemini = try Fixtures.sseBytes(
                    chunksFile: try Fixtures.path("providers/gemini/google-text.chunks.txt"))
                stub.reply = .eventStream(splitting: gemini, maxPiece: 17)
                try await exchange("okGeminiStream", expect: 200) {
                    try await Self.send(port: port, body: Self.messages(model: "gemini", stream: true))
                }
                try await exchange("badJSON", expect: 400) {
                    try await Self.send(port: port, body: #"{"model": "gpt", "messages": ["#)
                }
                try await exchange("models", expect: 200) {
                    try await Self.send(port: port, .GET, path: "/v1/models", body: nil)
                }
            }
        }
        return Session(directory: directory, requestIDs: ids, stubBase: stubBase)
    }

    private static func inspect(_ session: Session, errorsOnly: Bool, format: InspectFormat) -> (Int32, String) {
        var output = ""
        var errors = ""
        let status = LogReplayCommands.inspect(
            paths: [session.directory], filter: ExchangeFilter(errorsOnly: errorsOnly), format: format,
            baseURL: nil, output: &output, errors: &errors)
        #expect(errors.isEmpty, "\(errors)")
        return (status, output)
    }

    @Test func errorsOnlyFindsExactlyTheFourFailures() async throws {
        let session = try await Self.record()
        defer { try? FileManager.default.removeItem(atPath: session.directory) }
        #expect(session.requestIDs.count == 9)

        let (status, output) = Self.inspect(session, errorsOnly: true, format: .json)
        #expect(status == 0)
        let found = try #require(try JSONValue(parsing: output).arrayValue).compactMap { $0["x"]?.stringValue }
        let expected = Session.failures.compactMap { session.requestIDs[$0] }
        #expect(expected.count == 4)
        #expect(found.sorted() == expected.sorted())
        #expect(found == expected, "in recorded order")

        // Without the filter, every exchange is there, each under the id its
        // client got.
        let (_, all) = Self.inspect(session, errorsOnly: false, format: .json)
        let allIDs = try #require(try JSONValue(parsing: all).arrayValue).compactMap { $0["x"]?.stringValue }
        #expect(Set(allIDs) == Set(session.requestIDs.values))
        #expect(allIDs.count == session.requestIDs.count)
    }

    @Test func summaryListsEachFailureByStageAndType() async throws {
        let session = try await Self.record()
        defer { try? FileManager.default.removeItem(atPath: session.directory) }
        let set = try CassetteLoader.load(paths: [session.directory])
        #expect(set.tornTails.isEmpty)
        let failures = set.exchanges.filter(ExchangeFilter(errorsOnly: true).matches)
        let summary = CassetteSummary(exchanges: failures, set: set)
        #expect(
            summary.errorsByStageAndType
                == [
                    .init(label: "client_request / invalid_request_error", count: 1),
                    .init(label: "upstream_connect / api_error", count: 1),
                    .init(label: "upstream_response / rate_limit_error", count: 1),
                    .init(label: "upstream_stream / api_error", count: 1),
                ])
        #expect(summary.exchangeCount == 4)
        // The cut's error line is written before the client's error frame,
        // so a reader that has the frame has the line.
        let cut = try #require(set.exchanges.first { $0.id == session.requestIDs["cut"] })
        let errorLine = try #require(cut.events.firstIndex { $0.kind == "error" })
        let errorFrame = try #require(cut.events.firstIndex { $0.kind == "client_event" && $0["event"] == "error" })
        #expect(errorLine < errorFrame)
        #expect(cut.events.last?.kind == "end")
        #expect(
            summary.byStatus == [
                .init(label: "200", count: 1), .init(label: "400", count: 1),
                .init(label: "429", count: 1), .init(label: "502", count: 1),
            ])

        let (_, text) = Self.inspect(session, errorsOnly: true, format: .summary)
        let section = Self.section("Errors by stage / type", in: text)
        #expect(
            section == [
                "client_request / invalid_request_error  1", "upstream_connect / api_error            1",
                "upstream_response / rate_limit_error    1", "upstream_stream / api_error             1",
            ], "\(text)")
        // The whole session's summary shows the same errors: good exchanges
        // add none.
        let (_, everything) = Self.inspect(session, errorsOnly: false, format: .summary)
        #expect(Self.section("Errors by stage / type", in: everything) == section)
        #expect(everything.hasPrefix("9 exchanges in 1 cassette file\n"))
    }

    /// `--errors-only` is read to find the failures: its summary lists each
    /// one's id, status and error message, in recorded order; the whole
    /// session's summary only counts them.
    @Test func errorsOnlySummaryListsEachFailureWithItsIDStatusAndMessage() async throws {
        let session = try await Self.record()
        defer { try? FileManager.default.removeItem(atPath: session.directory) }
        let (status, text) = Self.inspect(session, errorsOnly: true, format: .summary)
        #expect(status == 0)
        let listed = Self.section("Failures (id, status, message)", in: text)
        let ids = Session.failures.compactMap { session.requestIDs[$0] }
        #expect(listed.count == 4, "\(text)")
        #expect(listed.map { String($0.prefix { $0 != " " }) } == ids, "\(text)")
        let limited = try #require(listed.first { $0.hasPrefix(session.requestIDs["429"] ?? "-") })
        #expect(limited.contains("  429  ") && limited.contains("slow down"), "\(limited)")
        let malformed = try #require(listed.first { $0.hasPrefix(session.requestIDs["badJSON"] ?? "-") })
        #expect(malformed.contains("  400  "), "\(malformed)")
        #expect(listed.allSatisfy { !$0.hasSuffix("  -") }, "every failure has a message: \(listed)")
        let (_, everything) = Self.inspect(session, errorsOnly: false, format: .summary)
        #expect(!everything.contains("Failures ("))
    }

    /// A failure whose error line never reached the file (read before the
    /// flush, or a torn tail) is still counted, by the error its client got.
    @Test func aFailureWithoutItsErrorLineIsStillCounted() async throws {
        let session = try await Self.record()
        defer { try? FileManager.default.removeItem(atPath: session.directory) }
        let set = try CassetteLoader.load(paths: [session.directory])
        let failures = set.exchanges.filter(ExchangeFilter(errorsOnly: true).matches).map { exchange in
            var stripped = Exchange(id: exchange.id, file: exchange.file)
            for event in exchange.events where event.kind != "error" { stripped.append(event) }
            return stripped
        }
        #expect(failures.count == 4)
        #expect(failures.allSatisfy { $0.errors.isEmpty && $0.isFailure })
        #expect(
            CassetteSummary(exchanges: failures, set: set).errorsByStageAndType == [
                .init(label: "- / api_error", count: 2), .init(label: "- / invalid_request_error", count: 1),
                .init(label: "- / rate_limit_error", count: 1),
            ])
    }

    /// `verify` replays the whole recorded session as the proxy ran it,
    /// error messages included, naming the upstream by the recorded
    /// `upstream_name` rather than rebuilding it.
    @Test func verifyReplaysTheSessionUsingTheRecordedUpstreamName() async throws {
        let session = try await Self.record()
        defer { try? FileManager.default.removeItem(atPath: session.directory) }
        let set = try CassetteLoader.load(paths: [session.directory])
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount >= 6)

        let limited = try #require(set.exchanges.first { $0.id == session.requestIDs["429"] })
        #expect(limited.route?["upstream_name"] == .string("gpt (\(session.stubBase)/v1)"))
        // A route line whose `upstream` no longer spells the name: the
        // recorded name still reproduces the message...
        // (Recorded there too: verify rebuilds the URL from `upstream`.)
        var moved = limited
        moved.route?["upstream"] = "https://elsewhere.example/v1"
        moved.upstreamRequest?["url"] = "https://elsewhere.example/v1/chat/completions"
        #expect(ExchangeVerifier().verify(moved).matched)
        // ...and without it, the rebuilt name differs, so the field is what
        // made it match.
        moved.route?["upstream_name"] = nil
        #expect(!ExchangeVerifier().verify(moved).matched)
    }

    /// The lines of a summary section, without their indentation.
    private static func section(_ title: String, in text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: Substring(title + ":")) else { return [] }
        return lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.map { String($0.dropFirst(2)) }
    }
}

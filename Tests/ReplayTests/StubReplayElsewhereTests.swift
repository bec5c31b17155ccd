import Cassette
import Replay
import Testing
import Wire

/// The Claude Code corpus sessions (recorded in /tmp/switchboard-corpus-work/<format>, HOME next to
/// it, on 2026-11-21) replayed over HTTP as if Claude Code ran in another folder, HOME and day.
@Suite struct StubReplayElsewhereTests {
    static let newDirectory = "/var/tmp/elsewhere/proj"
    static let newHome = "/home/replayer"

    /// The recorded upstream requests of a corpus cassette, each with its stub path.
    static func session(_ format: String) throws -> (exchanges: [Exchange], requests: [(path: String, body: String)]) {
        let file = try Corpus.directory() + "/claude-code/\(format)-write.jsonl.lz4"
        let exchanges = try CassetteLoader.load(paths: [file]).exchanges
        let stub = StubUpstream(exchanges: exchanges)
        let requests = try stub.recordings.map { recording in
            let exchange = try #require(exchanges.first { $0.id == recording.exchangeID })
            let body = try #require(exchange.upstreamRequest?.bodyBytes)
            return (recording.path, String(decoding: body, as: UTF8.self))
        }
        try #require(requests.count >= 2, "the session has its tool call turn and its final turn")
        return (exchanges, requests)
    }

    /// `body` as Claude Code would send it from the new folder and HOME, on another day.
    static func elsewhere(_ body: String, format: String) -> String {
        let work = "/tmp/switchboard-corpus-work/\(format)"
        var text = body
        for (from, to) in [
            (work + ".home", newHome), (work, newDirectory),
            ("-tmp-switchboard-corpus-work-\(format)", "-var-tmp-elsewhere-proj"),
            ("2026-11-21", "2027-02-03"),
        ] {
            text = text.replacing(from, with: to)
        }
        return text
    }

    /// The streamed tool call arguments of an Anthropic or OpenAI stream, joined.
    static func toolArguments(_ stream: String) throws -> String {
        var joined = ""
        for line in stream.split(separator: "\n") where line.hasPrefix("data: {") {
            let event = try JSONValue(parsing: Array(line.dropFirst(6).utf8))
            joined += event["delta"]?["partial_json"]?.stringValue ?? ""
            for call in event["choices"]?[0]?["delta"]?["tool_calls"]?.arrayValue ?? [] {
                joined += call["function"]?["arguments"]?.stringValue ?? ""
            }
        }
        return joined
    }

    @Test(arguments: ["openai", "anthropic"])
    func aSessionFromAnotherMachineIsServedWithItsPaths(format: String) async throws {
        let session = try Self.session(format)
        let stub = StubUpstream(exchanges: session.exchanges, options: .init(speed: 0))
        let replies = try await stub.withRunning { port in
            var replies: [StubUpstreamServerTests.Reply] = []
            for request in session.requests {
                let body = Self.elsewhere(request.body, format: format)
                #expect(body != request.body)
                replies.append(try await StubUpstreamServerTests.post(port: port, path: request.path, body: body))
            }
            return replies
        }
        #expect(replies.map(\.status) == Array(repeating: 200, count: replies.count))
        let arguments = try replies.map { try Self.toolArguments($0.body) }.joined()
        #expect(arguments.contains("\"\(Self.newDirectory)/hello.txt\""), "the Write path moved: \(arguments)")
        #expect(!arguments.contains("corpus-work"))
    }

    @Test(arguments: ["openai", "anthropic"])
    func theRecordingMachineGetsTheRecordedBytes(format: String) async throws {
        let session = try Self.session(format)
        let stub = StubUpstream(exchanges: session.exchanges, options: .init(speed: 0))
        let request = try #require(session.requests.first)
        let reply = try await stub.withRunning { port in
            try await StubUpstreamServerTests.post(port: port, path: request.path, body: request.body)
        }
        let recording = try #require(stub.recordings.first)
        #expect(reply.status == 200)
        #expect(Array(reply.body.utf8) == Array(recording.reply.chunks.map(\.bytes).joined()))
    }

    @Test(arguments: ["openai", "anthropic"])
    func exactEnvironmentRejectsAnotherMachine(format: String) async throws {
        let session = try Self.session(format)
        let stub = StubUpstream(exchanges: session.exchanges, options: .init(speed: 0, exactEnvironment: true))
        let request = try #require(session.requests.first)
        let replies = try await stub.withRunning { port in
            (
                moved: try await StubUpstreamServerTests.post(
                    port: port, path: request.path, body: Self.elsewhere(request.body, format: format)),
                same: try await StubUpstreamServerTests.post(port: port, path: request.path, body: request.body)
            )
        }
        #expect(replies.moved.status == 409)
        #expect(replies.moved.body.contains("stub_upstream_miss"))
        #expect(replies.same.status == 200)
    }
}

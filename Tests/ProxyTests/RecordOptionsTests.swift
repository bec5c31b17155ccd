import Cassette
import Foundation
import Proxy
import TestSupport
import Testing
import Wire

/// `proxy serve --redact-header NAME` and `--record-max-mb N`, through the
/// `ExchangeRecording` they configure (README, Recording).
@Suite struct RecordOptionsTests {
    private static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sb-record-options-\(UUID())").path
    }

    /// Every file's JSON lines, the decompressed bytes as `lz4 -dc` prints
    /// them (references to blobs included).
    private static func recordedText(_ directory: String) async throws -> String {
        var texts: [String] = []
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            let tool = try await LZ4Tool.decompress(file)
            #expect(tool.status == 0, "\(file) is not a closed LZ4 frame")
            texts.append(String(decoding: tool.output, as: UTF8.self))
        }
        return texts.joined(separator: "\n")
    }

    private static func config(stubBase: String) -> String {
        """
        models:
          - model_id: gpt
            model_name: upstream-gpt
            api_base: \(stubBase)/v1
            format: openai
            extra_headers: {X-Team-Seat: "${TEAM_TOKEN}"}
        """
    }

    /// Records one exchange carrying `x-team-seat` from the client and, via
    /// `extra_headers`, to the upstream; returns the cassette text.
    private static func recordTeamSeat(redacting names: [String]) async throws -> String {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try ExchangeRecording(directory: directory, redactHeaders: names)
        try await ProxyHarness.run(
            recording: recording, configYAML: config, environment: ["TEAM_TOKEN": "up-TEAMCANARY-2"]
        ) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(
                json: ProxyHarness.messages(), headers: [("x-team-seat", "client-TEAMCANARY-1")])
            #expect(reply.status == 200)
            #expect(proxy.stub.requests.first?.header("x-team-seat") == "up-TEAMCANARY-2")
        }
        await recording.recorder.close()
        return try await recordedText(directory)
    }

    @Test func aRedactedHeadersValueIsNotInTheCassetteButItsFingerprintIs() async throws {
        let text = try await Self.recordTeamSeat(redacting: ["X-Team-Seat"])
        #expect(!text.contains("TEAMCANARY"), "\(text)")
        #expect(text.contains(Redactor.fingerprint("client-TEAMCANARY-1")))
        #expect(text.contains(Redactor.fingerprint("up-TEAMCANARY-2")))
    }

    /// The control: without the option the header is recorded as sent, so
    /// the test above can tell redaction from a header that was never kept.
    @Test func withoutTheOptionTheHeaderIsRecorded() async throws {
        let text = try await Self.recordTeamSeat(redacting: [])
        #expect(text.contains("client-TEAMCANARY-1"))
        #expect(text.contains("up-TEAMCANARY-2"))
    }

    /// Bodies LZ4 cannot shrink (random base64, each distinct), so the
    /// compressed size is known in advance: about 300 KB an exchange (the
    /// upstream request refers to the client's message, stored once as a
    /// blob).
    private static func incompressibleRequest(_ index: Int) -> JSONValue {
        let bytes = (0..<225_000).map { _ in UInt8.random(in: 0...255) }
        var request = ProxyHarness.messages()
        request["messages"] = [["role": "user", "content": .string("\(index) " + Data(bytes).base64EncodedString())]]
        return request
    }

    private static func record(exchanges: Int, maxFileMB: Int?) async throws -> (files: [String], ids: [String]) {
        let directory = temporaryDirectory()
        let recording =
            try maxFileMB.map { try ExchangeRecording(directory: directory, maxFileMB: $0) }
            ?? ExchangeRecording(directory: directory)
        var ids: [String] = []
        // A generous upstream timeout: megabytes cross a loaded machine.
        try await ProxyHarness.run(timeout: "120s", recording: recording) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            for index in 0..<exchanges {
                let reply = try await proxy.post(json: incompressibleRequest(index))
                #expect(reply.status == 200)
                ids.append(try #require(reply.headers.first(name: "request-id")))
            }
        }
        await recording.recorder.close()
        return (try CassetteReader.cassetteFiles(in: [directory]), ids)
    }

    @Test func recordMaxMBRotatesFilesAtTheLimitAndLosesNoExchange() async throws {
        let (files, ids) = try await Self.record(exchanges: 8, maxFileMB: 1)
        defer {
            if let file = files.first {
                try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent)
            }
        }
        // About 2.4 MB recorded: at 1 MB a file (passed by up to one
        // exchange), at least two files.
        #expect(files.count >= 2, "\(files)")
        var ends: [String] = []
        for (index, file) in files.enumerated() {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            // A file is closed at the first line that takes it to the limit,
            // so it passes it by at most one line (a ~300 KB body here), and
            // only the last one may be smaller.
            #expect(size < (1 << 20) + (512 << 10), "\(file): \(size) bytes")
            if index < files.count - 1 { #expect(size >= 900 << 10, "\(file) closed early: \(size) bytes") }
            #expect(try await LZ4Tool.decompress(file).status == 0, "\(file) is not a closed LZ4 frame")
            let contents = try CassetteReader.read(path: file)
            #expect(contents.header != nil, "\(file) has no header line")
            #expect(contents.tornTail == nil)
            ends += contents.events.filter { $0.kind == "end" }.compactMap(\.exchange)
        }
        #expect(Set(ends) == Set(ids))
    }

    @Test func underTheDefaultLimitTheSameTrafficStaysInOneFile() async throws {
        let (files, ids) = try await Self.record(exchanges: 8, maxFileMB: nil)
        defer {
            if let file = files.first {
                try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent)
            }
        }
        #expect(files.count == 1, "\(files)")
        #expect(ids.count == 8)
    }
}

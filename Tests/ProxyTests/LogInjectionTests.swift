import Foundation
import Logging
import TestSupport
import Testing
import Wire

@testable import Proxy

#if canImport(Glibc)
import Glibc
#endif

/// Text a client chose (a model name, a Gemini path) reaches the log with
/// its control characters escaped: it cannot forge a log line of its own
/// nor write escape sequences to the terminal reading the log.
@Suite struct LogInjectionTests {
    /// What `proxy serve` writes to standard error for the requests `body`
    /// sends, through its own log handler (into a file here).
    private static func servedLog(_ body: (ProxyHarness) async throws -> Void) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(descriptor >= 0)
        let output = LogLineWriter(fileDescriptor: descriptor, batchDelayMicros: 200)
        let logger = Logger(label: "switchboard.proxy") { ProxyLogHandler(label: $0, level: .info, output: output) }
        try await ProxyHarness.run(logger: logger, body)
        output.close()
        close(descriptor)
        return try String(contentsOf: file, encoding: .utf8)
    }

    @Test func aModelNameCannotForgeALineOrReachTheTerminal() async throws {
        let model = "evil\n2026-12-07T16:00:00+0000 info switchboard.proxy: FORGED LINE \u{1B}[31mRED\u{9B}0m\u{7F}"
        let log = try await Self.servedLog { proxy in
            let reply = try await proxy.post(json: ProxyHarness.messages(model: model))
            #expect(reply.status == 404)
        }
        let lines = log.split(separator: "\n")
        let access = lines.filter { $0.contains("POST /v1/messages") }
        try #require(access.count == 1, "\(log)")
        #expect(!lines.contains { $0.hasPrefix("2026-12-07T16:00:00") }, "\(log)")
        #expect(
            access[0].contains(
                #"anthropic evil\n2026-12-07T16:00:00+0000 info switchboard.proxy: FORGED LINE \u001b[31mRED\u009b0m\u007f 404"#
            ), "\(log)")
        #expect(!log.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x7F }, "\(log)")
    }

    @Test func aGeminiPathCannotForgeALine() async throws {
        let log = try await Self.servedLog { proxy in
            let reply = try await proxy.post(
                "/v1beta/models/evil%0AFORGED%1b%5B31m:generateContent",
                json: ["contents": [["parts": [["text": "hi"]]]]])
            #expect(reply.status == 404)
        }
        let lines = log.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("FORGED") }, "\(log)")
        #expect(log.contains(#"gemini evil\nFORGED\u001b[31m 404"#), "\(log)")
        #expect(!log.unicodeScalars.contains { $0.value == 0x1B }, "\(log)")
    }
}

import TestSupport
import Testing

/// `HEAD` on every path `GET` reads (monitors, `curl -I`, link checkers):
/// the GET's status and header fields, no body. It was 405 but on `/health`.
@Suite struct HeadRequestTests {
    /// HEAD on a path GET reads: the GET's status and header fields (its
    /// `content-length` the GET body's), no body. It was 405.
    @Test(arguments: ["/v1/models", "/v1/models/gpt", "/openai/v1/models", "/v1beta/models", "/v1beta/models/gemini"])
    func headOnAModelsPathIsTheGetsHeadAlone(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let get = try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                try await connection.write(RawClientConnection.request("GET", path, headers: ["Connection: close"]))
                return try #require(try await connection.readResponse())
            }
            #expect(get.status == 200, "\(get.text)")
            #expect(!get.body.isEmpty)
            let head = try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                try await connection.write(RawClientConnection.request("HEAD", path, headers: ["Connection: close"]))
                return String(decoding: try await connection.readToEnd(), as: UTF8.self)
            }
            let headEnd = try #require(head.range(of: "\r\n\r\n"))
            #expect(head[headEnd.upperBound...].isEmpty, "a body followed the head: \(head)")
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(head)")
            #expect(RawClientConnection.field("content-length", in: head) == String(get.body.count), "\(head)")
            let varying: Set = ["date", "request-id", "x-request-id"]
            let headFields = RawClientConnection.fields(String(head[..<headEnd.lowerBound])).filter {
                !varying.contains($0.name)
            }
            let getFields = RawClientConnection.fields(get.head).filter { !varying.contains($0.name) }
            #expect(headFields.map { "\($0.name): \($0.value)" } == getFields.map { "\($0.name): \($0.value)" })
        }
    }

    /// The monitoring paths answer HEAD too.
    @Test(arguments: ["/metrics", "/v1/stats", "/anthropic/v1/stats"])
    func headOnAMonitoringPathIsAHeadAlone(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let head = try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                try await connection.write(RawClientConnection.request("HEAD", path, headers: ["Connection: close"]))
                return String(decoding: try await connection.readToEnd(), as: UTF8.self)
            }
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(head)")
            #expect(Int(RawClientConnection.field("content-length", in: head) ?? "") ?? 0 > 0, "\(head)")
            #expect(head.hasSuffix("\r\n\r\n"), "a body followed the head: \(head)")
        }
    }
}

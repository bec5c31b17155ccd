import Logging
import TestSupport
import Testing
import Wire

@testable import Proxy

/// Input NIO's request decoder refuses gets an answer that says what was
/// wrong, in Anthropic's error shape, then a close: 431 for a head over the
/// limits, 400 for the rest. It had NIO's bare 400 with no body, or nothing.
@Suite struct RequestHeadRefusalTests {
    private static let tooLarge = "the request head is larger than 80 KiB or has more than 1000 header fields"

    /// Sends `input` on a new connection, in pieces of at most 32 KiB (NIO's
    /// decoder may refuse one, and the proxy close, before the last is
    /// sent), and reads the answer.
    private static func answer(to input: String, from proxy: ProxyHarness) async throws -> RawClientConnection.Response
    {
        try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
            let bytes = Array(input.utf8)
            for start in stride(from: 0, to: bytes.count, by: 32 << 10) {
                guard (try? await connection.write(Array(bytes[start..<min(start + (32 << 10), bytes.count)]))) != nil
                else { break }
            }
            let answer = try #require(try await connection.readResponse())
            // The connection closes after it.
            #expect(try await connection.readToEnd() == [])
            #expect(connection.closed)
            return answer
        }
    }

    private static func expectError(
        _ answer: RawClientConnection.Response, status: Int, reason: String, message: String
    ) {
        #expect(answer.head.hasPrefix("HTTP/1.1 \(status) \(reason)\r\n"), "\(answer.head)")
        #expect(RawClientConnection.field("connection", in: answer.head) == "close", "\(answer.head)")
        #expect(RawClientConnection.field("content-type", in: answer.head) == "application/json", "\(answer.head)")
        #expect(
            RawClientConnection.field("content-length", in: answer.head) == String(answer.body.count), "\(answer.head)")
        #expect(RawClientConnection.field("request-id", in: answer.head)?.hasPrefix("req_") == true, "\(answer.head)")
        #expect(RawClientConnection.field("date", in: answer.head) != nil, "\(answer.head)")
        #expect(
            answer.text == #"{"type":"error","error":{"type":"invalid_request_error","message":"\#(message)"}}"#)
    }

    @Test func anOversizedHeadGets431SayingTheLimit() async throws {
        try await ProxyHarness.run { proxy in
            let input = RawClientConnection.head(
                "GET", "/v1/models", headers: ["X-Padding: " + String(repeating: "a", count: 100 << 10)])
            let answer = try await Self.answer(to: input, from: proxy)
            Self.expectError(answer, status: 431, reason: "Request Header Fields Too Large", message: Self.tooLarge)
            try await expectStillServing(proxy)
        }
    }

    @Test func twoContentLengthsGet400() async throws {
        try await ProxyHarness.run { proxy in
            let input =
                RawClientConnection.messagesHead(["Content-Length: 2", "Content-Length: 3"]) + "{}"
            let answer = try await Self.answer(to: input, from: proxy)
            Self.expectError(
                answer, status: 400, reason: "Bad Request",
                message: "the request has more than one Content-Length header")
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test(arguments: [
        (
            "GET /health HTTP/1.1\r\nHost 127.0.0.1 with no colon\r\n\r\n",
            "a header line is not a valid `name: value` field"
        ),
        ("G(T /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "the request line's method is not a valid HTTP method"),
        (
            "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
            "the request's Content-Length is not a number, or comes with a Transfer-Encoding"
        ),
    ])
    func aMalformedHeadGets400SayingWhy(input: String, message: String) async throws {
        try await ProxyHarness.run { proxy in
            let answer = try await Self.answer(to: input, from: proxy)
            Self.expectError(answer, status: 400, reason: "Bad Request", message: message)
        }
    }

    /// Logged and counted as the proxy's other client errors.
    @Test func aRefusedHeadIsLoggedAndCounted() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger()) { proxy in
            _ = try await Self.answer(
                to: RawClientConnection.messagesHead(["Content-Length: 2", "Content-Length: 3"]), from: proxy)
            let lines = log.messages.filter { $0.message.hasPrefix("- - ") }.map(\.message)
            try #require(lines.count == 1, "\(log.messages.map(\.message))")
            #expect(lines[0].hasPrefix("- - anthropic 400 in "), "\(lines[0])")
            #expect(
                lines[0].hasSuffix(": invalid_request_error: the request has more than one Content-Length header"),
                "\(lines[0])")
        }
        try await MetricsOutcomeTests.withProxy { server, proxy in
            _ = try await Self.answer(
                to: RawClientConnection.head(
                    "GET", "/", headers: ["X-Padding: " + String(repeating: "a", count: 90 << 10)]),
                from: proxy)
            let requests = MetricsOutcomeTests.samples(server, "switchboard_requests_total")
            #expect(requests.count == 1, "\(requests)")
            #expect(requests.first?.key.contains(#"status="431""#) == true, "\(requests)")
            #expect(requests.first?.value == "1", "\(requests)")
        }
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import Replay
import SSE
import TestSupport
import Wire

/// What the demo tests share: the repository's files, the answers the demo
/// cassette recorded, and a client for the demo proxy.
enum DemoSupport {
    /// The repository root, found by walking up from this file to
    /// `Package.swift`.
    static func repositoryRoot() throws -> URL {
        var url = URL(filePath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appending(path: "Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        throw DemoTestError("no Package.swift above \(#filePath)")
    }

    /// The recorded exchange the demo serves to streaming or to
    /// non-streaming requests.
    static func recordedExchange(streaming: Bool) throws -> Exchange {
        let exchanges = try DemoCassette.exchanges().filter { $0.isStreaming == streaming }
        guard exchanges.count == 1, let exchange = exchanges.first else {
            throw DemoTestError("expected one \(streaming ? "streaming" : "non-streaming") demo exchange")
        }
        return exchange
    }

    /// The text the demo's streamed answer carries: its recorded text deltas.
    static func recordedStreamedText() throws -> String {
        try recordedExchange(streaming: true).clientEvents.compactMap { event in
            event["data"]?["delta"]?["text"]?.stringValue
        }.joined()
    }

    /// The text of the demo's recorded non-streaming message.
    static func recordedMessageText() throws -> String {
        guard
            let text = try recordedExchange(streaming: false).clientResponse?["body"]?["content"]?[0]?["text"]?
                .stringValue
        else { throw DemoTestError("the non-streaming demo exchange has no recorded text") }
        return text
    }

    struct Reply {
        var status: Int
        var requestID: String?
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as SSE events.
        var events: [SSEEvent] {
            var parser = SSEParser()
            return parser.parse(body) + parser.finish()
        }

        /// The text of every `text_delta`, in order.
        var streamedText: String {
            events.compactMap { event in
                (try? JSONValue(parsing: Array(event.data.utf8)))?["delta"]?["text"]?.stringValue
            }.joined()
        }
    }

    /// POSTs an Anthropic Messages request with no key, as a newcomer's curl
    /// does.
    static func postMessages(port: Int, body: String) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), requestID: response.headers.first(name: "request-id"),
            body: Array(buffer: bytes))
    }

    /// A question the recording never saw, with a model name nothing
    /// configures.
    static func arbitraryRequest(stream: Bool) -> String {
        #"{"model":"claude-opus-4-1-20250805","max_tokens":300,"stream":\#(stream),"#
            + #""system":"Be brief.","messages":[{"role":"user","content":"Which port does the demo use?"}]}"#
    }
}

struct DemoTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

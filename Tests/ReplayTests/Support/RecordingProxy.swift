import AsyncHTTPClient
import Logging
import NIOCore
import Proxy
import TestSupport
import Wire

/// A proxy in-process on port 0, serving a config and recording every
/// exchange to a directory, for tests that then read or verify the cassette.
enum RecordingProxy {
    /// What the client got for one request.
    struct Answer {
        var status: Int
        var text: String
    }

    /// One request of a sequence did not get its answer.
    struct RequestFailed: Error, CustomStringConvertible {
        var index: Int
        var path: String
        var after: Duration
        var error: any Error
        var description: String { "request \(index) (\(path)) failed after \(after): \(error)" }
    }

    /// Serves `yaml` (named `file` in messages), recording to `directory`,
    /// and sends each request in turn; `before` runs before each (to script
    /// the stub for it).
    static func send(
        _ requests: [(path: String, body: JSONValue)], yaml: String, file: String, recordingTo directory: String,
        before: (Int) -> Void = { _ in }
    ) async throws -> [Answer] {
        try await send(
            texts: requests.map { ($0.path, $0.body.serializedString()) }, yaml: yaml, file: file,
            recordingTo: directory, before: before)
    }

    /// ``send(_:yaml:file:recordingTo:before:)`` with each body as text, for
    /// one that no `JSONValue` writes (a number out of range).
    static func send(
        texts requests: [(path: String, body: String)], yaml: String, file: String, recordingTo directory: String,
        before: (Int) -> Void = { _ in }
    ) async throws -> [Answer] {
        var logger = Logger(label: "recording-proxy")
        logger.logLevel = .critical
        let server = ProxyServer(
            config: try ProxyConfig.parse(yaml: yaml, file: file), options: .init(host: "127.0.0.1", port: 0),
            recording: try ExchangeRecording(directory: directory), logger: logger)
        return try await server.withRunning { port in
            var answers: [Answer] = []
            for (index, (path, body)) in requests.enumerated() {
                before(index)
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                let sent = ContinuousClock.now
                do {
                    let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
                    let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
                    answers.append(Answer(status: Int(response.status.code), text: text))
                } catch {
                    // Which of the requests failed, and after how long, is
                    // what a flaky run needs told.
                    throw RequestFailed(index: index, path: path, after: ContinuousClock.now - sent, error: error)
                }
            }
            return answers
        }
    }
}

import AsyncHTTPClient
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceRunning
import Testing

@testable import Replay

@Suite struct ReplaySenderTests {
    @Test func keysComeFromTheEnvironmentNeverFromTheCassette() throws {
        let sender = ReplaySender(target: "http://proxy.test/", environment: ["ANTHROPIC_API_KEY": "sk-ant-live"])
        let (request, missing) = sender.makeRequest(for: try RecordedSession.exchange(RecordedSession.okStream))
        #expect(request.url == "http://proxy.test/v1/messages?beta=true")
        #expect(request.headers["x-api-key"] == ["sk-ant-live"])
        #expect(request.headers["host"].isEmpty)
        #expect(request.headers["anthropic-version"] == ["2023-06-01"])
        #expect(missing.isEmpty)

        let (plain, _) = sender.makeRequest(for: try RecordedSession.exchange(RecordedSession.okPlain))
        #expect(plain.headers["authorization"] == ["Bearer sk-ant-live"])
    }

    @Test func aHeaderNameHTTPCannotCarryIsLeftOut() throws {
        // An edited cassette's non-ASCII name trapped NIO's headers.
        let exchange = RecordedRequest.exchange(
            id: "x", path: "/v1/messages", headers: ["é": "x", "x-ok": "1", "": "empty", "a b": "space"])
        let (request, _) = ReplaySender(target: "http://proxy.test", environment: [:]).makeRequest(for: exchange)
        #expect(request.headers.map(\.name) == ["x-ok"])
    }

    @Test func anUnsetKeyLeavesTheHeaderOutAndIsReported() throws {
        let sender = ReplaySender(target: "http://proxy.test", environment: [:])
        let (request, missing) = sender.makeRequest(for: try RecordedSession.exchange(RecordedSession.okStream))
        #expect(request.headers["x-api-key"].isEmpty)
        #expect(missing == ["ANTHROPIC_API_KEY"])
    }

    /// A gateway's own secret headers, recorded as fingerprints because of
    /// their names: put back from variables named after them, and reported
    /// when those are unset (they were left out without a word).
    @Test func aSecretHeaderNoAPINamesComesFromItsOwnVariable() throws {
        let exchange = RecordedRequest.exchange(
            id: "g", path: "/v1/messages",
            headers: [
                "X-Auth-Token": "[redacted:0badf00d]", "x-custom-api-key": "[redacted:1a2b3c4d]",
                "x-api-key": "[redacted:5e6f7a8b]", "cookie": "[redacted:00000000]", "x-ok": "1",
            ])
        let environment = [
            "SWITCHBOARD_HEADER_X_AUTH_TOKEN": "tok-live", "SWITCHBOARD_HEADER_X_CUSTOM_API_KEY": "custom-live",
            "ANTHROPIC_API_KEY": "sk-ant-live",
        ]
        let (request, missing) = ReplaySender(target: "http://proxy.test", environment: environment)
            .makeRequest(for: exchange)
        #expect(request.headers["x-auth-token"] == ["tok-live"])
        #expect(request.headers["x-custom-api-key"] == ["custom-live"])
        #expect(request.headers["x-api-key"] == ["sk-ant-live"])
        #expect(request.headers["cookie"].isEmpty)
        #expect(request.headers["x-ok"] == ["1"])
        #expect(missing.isEmpty)

        let (unsetRequest, unset) = ReplaySender(
            target: "http://proxy.test", environment: ["ANTHROPIC_API_KEY": "sk-ant-live"]
        ).makeRequest(for: exchange)
        #expect(unsetRequest.headers["x-auth-token"].isEmpty)
        #expect(unsetRequest.headers["x-custom-api-key"].isEmpty)
        #expect(Set(unset) == ["SWITCHBOARD_HEADER_X_AUTH_TOKEN", "SWITCHBOARD_HEADER_X_CUSTOM_API_KEY"])
        var result = ReplaySender.Result(
            exchangeID: "g", method: "POST", path: "/v1/messages", recordedStatus: 200, recordedStreamError: false,
            status: 200,
            streamError: false, failure: nil, missingKeys: ["SWITCHBOARD_HEADER_X_AUTH_TOKEN"])
        #expect(result.line.hasSuffix("(unset: $SWITCHBOARD_HEADER_X_AUTH_TOKEN)"))
        result.missingKeys = []
        #expect(!result.line.contains("unset"))
    }

    @Test func sendPrintsNewStatusNextToRecorded() async throws {
        let seen = NIOLockedValueBox<[String]>([])
        let router = Router()
        router.post("/v1/messages") { request, _ -> Response in
            seen.withLockedValue {
                $0.append(
                    request.headers[values: .init("x-api-key")!].joined()
                        + request.headers[values: .authorization].joined())
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let lines = try await ListeningServiceRunner(logger: Logger(label: "replay-sender-test")).withRunning(
            { onListening in
                Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await onListening($0.localAddress?.port ?? 0) })
            },
            { port in
                let sender = ReplaySender(
                    target: "http://127.0.0.1:\(port)", environment: ["ANTHROPIC_API_KEY": "sk-env"])
                var lines: [String] = []
                for id in [RecordedSession.okStream, RecordedSession.rateLimited, RecordedSession.models] {
                    if let result = await sender.send(try RecordedSession.exchange(id), client: .shared) {
                        lines.append(result.line)
                    }
                }
                return lines
            })
        #expect(
            lines == [
                "req_ok_stream  POST /v1/messages  recorded 200  now 200",
                "req_429  POST /v1/messages  recorded 429  now 200  <- differs",
                "req_models  GET /v1/models  recorded 200  now 404  <- differs",
            ])
        #expect(seen.withLockedValue { $0 } == ["sk-env", "sk-env"])
    }

    /// Nothing listening at `--to`: HTTPClient.shared retried connecting
    /// until the request timed out (600 s by default), so `send` looked
    /// hung. Each exchange now says the connection was refused, at once.
    @Test func aRefusedConnectionIsReportedAtOnce() async throws {
        let sender = ReplaySender(
            target: "http://127.0.0.1:1", environment: ["ANTHROPIC_API_KEY": "sk-env"], timeout: .seconds(120))
        var output = ""
        var errors = ""
        let started = ContinuousClock.now
        let status = await LogReplayCommands.send(
            paths: [RecordedSession.path], filter: ExchangeFilter(requestID: RecordedSession.okStream),
            sender: sender, output: &output, errors: &errors)
        // Well under the timeout; generous, as the whole suite loads the machine.
        #expect(ContinuousClock.now - started < .seconds(60), "\(output)")
        #expect(status == 1)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 2, "\(output)")
        #expect(
            lines.first?.hasPrefix(
                "req_ok_stream  POST /v1/messages  recorded 200  now failed: cannot reach http://127.0.0.1:1: ")
                == true, "\(output)")
        #expect(lines.first?.lowercased().contains("connection refused") == true, "\(output)")
        #expect(lines.last == "1 sent, 0 ended as recorded, 1 different")
    }
}

import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceRunning

/// A scriptable fake upstream for server tests, on 127.0.0.1 port 0.
///
/// Each test sets the reply (status, headers, body parts with delays, a cut
/// connection, or no answer at all) and afterwards reads what the stub saw:
/// the requests, and how many connections the caller dropped before the
/// reply was complete.
/// ```swift
/// try await StubHTTPServer.withRunning { stub in
///     stub.reply = .json(429, #"{"error":{"message":"slow down"}}"#, headers: [("retry-after", "7")])
///     // point the proxy at stub.baseURL
/// }
/// ```
public final class StubHTTPServer: Sendable {
    /// One part of a reply's body.
    public enum Step: Sendable {
        /// Bytes, written as one chunk.
        case bytes([UInt8])
        /// A pause before the next step.
        case delay(Duration)
        /// Close the connection here, mid-body, 100 ms after the steps
        /// before it, so their bytes reach the peer first.
        case cut
        /// Stop sending data and wait until the caller hangs up, sending an
        /// SSE comment line (`:` then a newline, which every SSE reader skips)
        /// every 20 ms to notice it.
        case stall
    }

    /// What the stub answers.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var steps: [Step]
        /// Never send even the head; wait until the caller hangs up.
        public var hangsBeforeHead: Bool

        public init(
            status: Int = 200, headers: [(name: String, value: String)] = [], steps: [Step] = [],
            hangsBeforeHead: Bool = false
        ) {
            self.status = status
            self.headers = headers
            self.steps = steps
            self.hangsBeforeHead = hangsBeforeHead
        }

        /// A JSON body in one piece.
        public static func json(
            _ status: Int = 200, _ body: String, headers: [(name: String, value: String)] = []
        ) -> Reply {
            Reply(
                status: status, headers: [("content-type", "application/json")] + headers,
                steps: [.bytes(Array(body.utf8))])
        }

        /// An event stream, one chunk per element of `chunks`, `delay` apart.
        public static func eventStream(_ chunks: [String], delay: Duration? = nil) -> Reply {
            var steps: [Step] = []
            for chunk in chunks {
                if let delay, !steps.isEmpty { steps.append(.delay(delay)) }
                steps.append(.bytes(Array(chunk.utf8)))
            }
            return Reply(status: 200, headers: [("content-type", "text/event-stream")], steps: steps)
        }

        /// An event stream sent in pieces of 1, 2, ... `maxPiece` bytes in
        /// turn, so every kind of split occurs, inside UTF-8 sequences too.
        public static func eventStream(splitting bytes: [UInt8], maxPiece: Int = 7) -> Reply {
            var steps: [Step] = []
            var start = 0
            var size = 1
            while start < bytes.count {
                let end = min(bytes.count, start + size)
                steps.append(.bytes(Array(bytes[start..<end])))
                start = end
                size = size % maxPiece + 1
            }
            return Reply(status: 200, headers: [("content-type", "text/event-stream")], steps: steps)
        }

        /// No answer at all.
        public static let never = Reply(hangsBeforeHead: true)
    }

    /// A request as the stub received it.
    public struct ReceivedRequest: Sendable {
        public var method: String
        public var path: String
        public var query: String?
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    private struct State {
        var reply = Reply.json(404, #"{"error":{"message":"no reply scripted"}}"#)
        var replyFor: (@Sendable (ReceivedRequest) -> Reply)?
        var requests: [ReceivedRequest] = []
        var hangUps = 0
        /// Set when the test is over: sleeping and stalling replies end, so
        /// the server can shut down gracefully instead of being cancelled
        /// (which Hummingbird reports at `error` level).
        var stopping = false
    }

    private let state = NIOLockedValueBox(State())
    /// The bound port, once running.
    public let port: Int

    private init(port: Int) {
        self.port = port
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The reply to every following request.
    public var reply: Reply {
        get { state.withLockedValue { $0.reply } }
        set { state.withLockedValue { $0.reply = newValue } }
    }

    /// When set, the reply to each following request is chosen by its
    /// content (path, body), e.g. a 429 for one upstream model and an answer
    /// for another; ``reply`` is then not used. Replies that hang before
    /// the head are not supported this way.
    public var replyFor: (@Sendable (ReceivedRequest) -> Reply)? {
        get { state.withLockedValue { $0.replyFor } }
        set { state.withLockedValue { $0.replyFor = newValue } }
    }

    /// The requests received so far, in order.
    public var requests: [ReceivedRequest] { state.withLockedValue { $0.requests } }

    /// How many callers hung up before their reply was complete.
    public var hangUps: Int { state.withLockedValue { $0.hangUps } }

    /// Waits (up to `limit`) until at least `count` callers have hung up.
    /// - Returns: whether they did.
    public func waitForHangUps(_ count: Int, limit: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while hangUps < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Waits (up to `limit`) until at least `count` requests have arrived.
    public func waitForRequests(_ count: Int, limit: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while requests.count < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    private func record(_ request: Request, body: ByteBuffer) -> ReceivedRequest {
        setBody(body, ofRequestAt: recordArrival(request))
    }

    /// Records a request on arrival, before its body, and returns its
    /// index for ``setBody(_:ofRequestAt:)``.
    private func recordArrival(_ request: Request) -> Int {
        let received = ReceivedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            headers: request.headers.map { ($0.name.rawName, $0.value) }, body: [])
        return state.withLockedValue {
            $0.requests.append(received)
            return $0.requests.count - 1
        }
    }

    @discardableResult
    private func setBody(_ body: ByteBuffer, ofRequestAt index: Int) -> ReceivedRequest {
        state.withLockedValue {
            $0.requests[index].body = Array(body.readableBytesView)
            return $0.requests[index]
        }
    }

    private func noteHangUp() {
        state.withLockedValue { $0.hangUps += 1 }
    }

    private var isStopping: Bool { state.withLockedValue { $0.stopping } }

    /// Sleeps for `duration`, or until the stub stops (then throws
    /// `StubStopped`), in steps short enough to notice either.
    fileprivate func pause(for duration: Duration) async throws {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if isStopping { throw StubStopped() }
            try await Task.sleep(for: min(.milliseconds(20), deadline - ContinuousClock.now))
        }
    }

    /// Starts a stub, runs `body`, and stops the stub.
    public static func withRunning<T>(_ body: (StubHTTPServer) async throws -> T) async throws -> T {
        let box = NIOLockedValueBox<StubHTTPServer?>(nil)
        let router = Router()
        router.add(middleware: StubResponder { box.withLockedValue { $0 } })
        var logger = Logger(label: "stub-upstream")
        logger.logLevel = .warning
        // Cancelling after 10 s is the fallback for a reply stuck writing to
        // a caller that does not read.
        let runner = ListeningServiceRunner(logger: logger, shutdownGrace: .seconds(10))
        return try await runner.withRunning(
            { onListening in
                Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                    onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
                    logger: logger)
            },
            { port in
                let stub = StubHTTPServer(port: port)
                box.withLockedValue { $0 = stub }
                // Replies still sleeping or stalling end at once; the server
                // then shuts down gracefully.
                defer { stub.state.withLockedValue { $0.stopping = true } }
                return try await body(stub)
            })
    }

    /// Answers every request with the scripted reply.
    private struct StubResponder: RouterMiddleware {
        typealias Context = BasicRequestContext
        let stub: @Sendable () -> StubHTTPServer?

        func handle(
            _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
        ) async throws -> Response {
            guard let stub = stub() else { return Response(status: .serviceUnavailable) }
            var reply = stub.reply
            let chooser = stub.replyFor
            if chooser == nil, reply.hangsBeforeHead {
                // Hummingbird cancels the operation when the caller closes
                // its side; the body is read inside, as that API requires.
                // Recorded on arrival: on a loaded machine the caller may
                // give up and hang up before this handler runs, and the body
                // can then no longer be read, but the request did arrive.
                let index = stub.recordArrival(request)
                do {
                    try await request.body.consumeWithCancellationOnInboundClose { body in
                        stub.setBody(try await body.collect(upTo: 256 << 20), ofRequestAt: index)
                        try await stub.pause(for: .seconds(3600))
                    }
                } catch is StubStopped {
                } catch {
                    stub.noteHangUp()
                }
                throw CancellationError()
            }
            let received = stub.record(request, body: try await request.body.collect(upTo: 256 << 20))
            if let chooser { reply = chooser(received) }
            var headers = HTTPFields()
            for header in reply.headers {
                if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
            }
            // One request per connection: a test never races a reused
            // connection that the stub is about to close.
            headers[.connection] = "close"
            let steps = reply.steps
            return Response(
                status: HTTPResponse.Status(code: reply.status), headers: headers,
                body: ResponseBody { writer in
                    do {
                        for step in steps {
                            switch step {
                            case .bytes(let bytes): try await writer.write(ByteBuffer(bytes: bytes))
                            case .delay(let duration): try await stub.pause(for: duration)
                            case .cut:
                                // Closing the channel discards writes still
                                // queued in it, and a cut means "after the
                                // bytes before it": let them reach the
                                // socket first (on a loaded machine the
                                // proxy once saw the reset and no data).
                                try await Task.sleep(for: .milliseconds(100))
                                throw StubCut()
                            case .stall: try await stall(writer: &writer, stub: stub)
                            }
                        }
                        try await writer.finish(nil)
                    } catch is StubCut {
                        throw StubCut()
                    } catch is StubStopped {
                        throw StubStopped()
                    } catch {
                        stub.noteHangUp()
                        throw error
                    }
                })
        }

        @concurrent private func stall(writer: inout any ResponseBodyWriter, stub: StubHTTPServer) async throws {
            while true {
                try await stub.pause(for: .milliseconds(20))
                try await writer.write(ByteBuffer(string: ":\n"))
            }
        }
    }

    private struct StubCut: Error {}
    /// The test is over; a reply in progress ends without counting as a
    /// hang-up.
    private struct StubStopped: Error {}
}

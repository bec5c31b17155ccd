import NIOCore
import NIOPosix

/// One TCP connection to the proxy, written and read byte for byte: for
/// what an HTTP client library will not do (pipelining, a head sent a byte
/// at a time, a hang-up halfway through a head or a body).
final class RawClientConnection {
    /// A response as read off the wire.
    struct Response {
        var status: Int
        var head: String
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer: [UInt8] = []
    private(set) var closed = false
    /// A pause before each read: a client that reads slowly but steadily.
    var readPause = Duration.zero

    private init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects to 127.0.0.1:`port` and runs `body`; the connection is
    /// closed after it, or when `limit` runs out (so a test that waits for
    /// bytes that never come fails instead of hanging).
    /// `receiveBuffer`, when given, is the socket's `SO_RCVBUF`: a small one
    /// keeps loopback's large buffers from taking a whole answer the client
    /// has not read.
    static func with<T>(
        port: Int, limit: Duration = .seconds(60), receiveBuffer: Int? = nil,
        _ body: (RawClientConnection) async throws -> T
    ) async throws -> T {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let receiveBuffer {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: receiveBuffer)
        }
        let channel =
            try await bootstrap
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        let watchdog = Task {
            try await Task.sleep(for: limit)
            try await raw.close()
        }
        defer { watchdog.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawClientConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    /// An HTTP/1.1 request's bytes: `body` as JSON, with its length.
    static func request(_ method: String, _ path: String, body: String? = nil, headers: [String] = []) -> String {
        var lines = headers
        if let body { lines += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
        return head(method, path, headers: lines) + (body ?? "")
    }

    /// An HTTP/1.1 request head, its blank line included: for a body the
    /// test frames (or breaks) itself, after `headers`.
    static func head(_ method: String, _ path: String, headers: [String]) -> String {
        (["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// The head of a JSON `POST /v1/messages` with `headers` (its framing).
    static func messagesHead(_ headers: [String]) -> String {
        head("POST", "/v1/messages", headers: ["Content-Type: application/json"] + headers)
    }

    func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Reads one response (a 1xx head alone, or a head and the body its
    /// `content-length` or chunked encoding delimits); nil when the
    /// connection closed first.
    func readResponse() async throws -> Response? {
        guard let headEnd = try await fill(until: { Self.find([13, 10, 13, 10], in: $0) }) else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        let lines = head.split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        func header(_ name: String) -> String? {
            lines.dropFirst().first { $0.lowercased().hasPrefix(name + ":") }
                .map { String($0.dropFirst(name.count + 1).drop { $0 == " " }) }
        }
        if status < 200 { return Response(status: status, head: head, body: []) }
        if let length = header("content-length").flatMap({ Int($0) }) {
            guard try await fill(until: { $0.count >= length ? length : nil }) != nil else { return nil }
            let body = Array(buffer.prefix(length))
            buffer.removeFirst(length)
            return Response(status: status, head: head, body: body)
        }
        guard header("transfer-encoding")?.lowercased() == "chunked" else {
            return Response(status: status, head: head, body: try await readToEnd())
        }
        var body: [UInt8] = []
        while true {
            guard let lineEnd = try await fill(until: { Self.find([13, 10], in: $0) }) else { return nil }
            let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16) ?? 0
            buffer.removeFirst(lineEnd + 2)
            guard try await fill(until: { $0.count >= size + 2 ? size : nil }) != nil else { return nil }
            body += buffer.prefix(size)
            buffer.removeFirst(size + 2)
            if size == 0 { return Response(status: status, head: head, body: body) }
        }
    }

    /// Reads until the other side closes; what came.
    func readToEnd() async throws -> [UInt8] {
        while try await receive() {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// Reads until `found` finds what it looks for in the bytes read so far;
    /// nil when the connection closed first.
    private func fill(until found: ([UInt8]) -> Int?) async throws -> Int? {
        while true {
            if let index = found(buffer) { return index }
            guard try await receive() else { return nil }
        }
    }

    /// One read; false when the connection is closed (or reset).
    private func receive() async throws -> Bool {
        guard !closed else { return false }
        if readPause > .zero { try await Task.sleep(for: readPause) }
        do {
            guard let chunk = try await inbound.next(isolation: #isolation) else {
                closed = true
                return false
            }
            buffer += chunk.readableBytesView
            return true
        } catch {
            closed = true
            return false
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

extension RawClientConnection {
    /// A response head's header fields, names lowercased, in order.
    static func fields(_ head: String) -> [(name: String, value: String)] {
        head.split(separator: "\r\n").dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
    }

    /// The value of the first field named `name` (lowercase) in a response head.
    static func field(_ name: String, in head: String) -> String? {
        fields(head).first { $0.name == name }?.value
    }
}

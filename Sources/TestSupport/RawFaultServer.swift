import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A fake upstream below HTTP, on 127.0.0.1 port 0, for faults that
/// ``StubHTTPServer`` cannot make: a connection reset (RST, not FIN) before
/// or after the response head, malformed chunked encoding, a body that ends
/// when the connection closes, any bytes at all.
///
/// Each connection reads one request (head, and the body its
/// `content-length` gives), then plays ``script``:
/// ```swift
/// try await RawFaultServer.withRunning { server in
///     server.script = [.bytes(Array("HTTP/1.1 200 OK\r\n".utf8)), .reset]
///     // point the proxy at server.baseURL
/// }
/// ```
public final class RawFaultServer: Sendable {
    /// One step of the answer.
    public enum Step: Sendable {
        /// Bytes, written and flushed as they are.
        case bytes([UInt8])
        /// A pause before the next step.
        case delay(Duration)
        /// Close the connection with a reset (`SO_LINGER` 0: RST, not FIN).
        case reset
        /// Close the connection normally (FIN).
        case close
    }

    private struct State {
        var script: [Step] = [.close]
        var requests: [[UInt8]] = []
    }

    private let state = NIOLockedValueBox(State())
    /// The bound port.
    public let port: Int

    private init(port: Int) {
        self.port = port
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What every following connection gets after its request. Without a
    /// closing step, the connection is closed (FIN) after the last one.
    public var script: [Step] {
        get { state.withLockedValue { $0.script } }
        set { state.withLockedValue { $0.script = newValue } }
    }

    /// The requests received so far, as raw bytes (head and body).
    public var requests: [[UInt8]] { state.withLockedValue { $0.requests } }

    /// A response head: status line, `headers`, blank line.
    public static func head(_ headers: [String], status: String = "200 OK", version: String = "HTTP/1.1") -> Step {
        .bytes(Array(([version + " " + status] + headers + ["", ""]).joined(separator: "\r\n").utf8))
    }

    /// `text` as one chunk of a chunked body.
    public static func chunk(_ text: String) -> Step {
        let bytes = Array(text.utf8)
        return .bytes(Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10])
    }

    /// Starts a server, runs `body`, and stops the server.
    public static func withRunning<T>(_ body: (RawFaultServer) async throws -> T) async throws -> T {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        let server = RawFaultServer(port: listener.channel.localAddress?.port ?? 0)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { serving in
                        for try await connection in connections {
                            serving.addTask { await server.serve(connection) }
                        }
                    }
                }
            }
            defer {
                listener.channel.close(promise: nil)
                group.cancelAll()
            }
            return try await body(server)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let channel = connection.channel
        do {
            try await connection.executeThenClose { inbound, outbound in
                var received: [UInt8] = []
                var iterator = inbound.makeAsyncIterator()
                while !Self.isComplete(received) {
                    guard let buffer = try await iterator.next() else { return }
                    received += buffer.readableBytesView
                }
                state.withLockedValue { $0.requests.append(received) }
                for step in script {
                    switch step {
                    case .bytes(let bytes): try await outbound.write(ByteBuffer(bytes: bytes))
                    case .delay(let duration): try await Task.sleep(for: duration)
                    case .reset:
                        // Let the bytes before it reach the peer first.
                        try await Task.sleep(for: .milliseconds(100))
                        let provider = channel as? any SocketOptionProvider
                        try await provider?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
                        try await channel.close()
                        return
                    case .close:
                        try await Task.sleep(for: .milliseconds(100))
                        return
                    }
                }
            }
        } catch {
            // The peer went away, or the test ended: nothing to report.
        }
    }

    /// Whether `bytes` hold a whole request: its head, and as many body
    /// bytes as its `content-length` says.
    private static func isComplete(_ bytes: [UInt8]) -> Bool {
        let end: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
            let headEnd = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == end })
        else { return false }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self).lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(String(line.dropFirst("content-length:".count).drop { $0 == " " })) ?? 0
        }
        return bytes.count - headEnd - 4 >= length
    }
}

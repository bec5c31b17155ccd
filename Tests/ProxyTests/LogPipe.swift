import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Proxy

#if canImport(Glibc)
import Glibc
#endif

/// What a ``LogLineWriter`` writes, read back from a pipe: for the writer's
/// own tests and the log handler's.
enum LogPipe {
    /// A pipe whose read end is drained on another thread until the write
    /// end closes; `body` gets the writer.
    static func drained(
        byteCapacity: Int = 4 << 20, batchDelayMicros: UInt32 = 200, readAfter: Bool = false,
        _ body: (LogLineWriter) -> Void
    ) throws -> String {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let readEnd = ends[0]
        let writer = LogLineWriter(
            fileDescriptor: ends[1], byteCapacity: byteCapacity, batchDelayMicros: batchDelayMicros)
        let reading = DispatchSemaphore(value: 0)
        let text = NIOLockedText()
        let reader = { @Sendable in
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(readEnd, &chunk, chunk.count)
                guard count > 0 else { break }
                bytes += chunk[..<count]
            }
            text.set(String(decoding: bytes, as: UTF8.self))
            reading.signal()
        }
        if !readAfter { Thread(block: reader).start() }
        body(writer)
        if readAfter { Thread(block: reader).start() }
        writer.close()
        close(ends[1])
        // A writer that never lets go of the pipe fails the test, not hangs it.
        try #require(reading.wait(timeout: .now() + 30) == .success, "the pipe was never closed")
        close(readEnd)
        return text.get()
    }
}

private final class NIOLockedText: Sendable {
    private let box = NIOLockedValueBox("")
    func set(_ text: String) { box.withLockedValue { $0 = text } }
    func get() -> String { box.withLockedValue { $0 } }
}

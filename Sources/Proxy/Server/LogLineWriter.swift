import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// Writes log lines to a file descriptor from a thread of its own, so that
/// logging never makes an event loop wait on standard error.
///
/// A `write` per line on the loop cost each request about a tenth of its
/// CPU at 16 connections (the access line, to a file), and a reader that
/// stops reading (a pipe into a paused pager, a stalled journal) would have
/// stopped every request. Lines go into a buffer; the writer waits a little
/// (``batchDelayMicros``) after it is woken so that lines arriving meanwhile
/// go out in the same `write`, and it is woken only when it was idle, so a
/// busy proxy makes no futex call per line. Past ``byteCapacity`` held
/// bytes, lines are dropped and counted, and the count is written when the
/// writer catches up: the proxy keeps serving with its log stalled.
///
/// Lines are held for at most the batch delay plus a write; ``flush()``
/// writes them at once (at exit, see ``standardError``).
final class LogLineWriter: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
        /// The writer found nothing and blocks on `wakeUp`: the next line
        /// must signal it.
        var writerIdle = false
        var closing = false
    }

    let fileDescriptor: Int32
    /// Held bytes past which lines are dropped.
    let byteCapacity: Int
    private let batchDelayMicros: UInt32
    private let state = NIOLockedValueBox(State())
    /// Held by whoever writes to the descriptor, taking lines from `state`
    /// and writing them in one go, so lines leave in the order they came.
    private let output = Mutex(())
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Standard error's writer, flushed when the process exits: for at
    /// most a second, so that a standard error nobody reads cannot keep a
    /// stopped proxy from exiting.
    static let standardError: LogLineWriter = {
        let writer = LogLineWriter(fileDescriptor: STDERR_FILENO)
        atexit { LogLineWriter.standardError.flush(within: .seconds(1)) }
        return writer
    }()

    /// Starts the writer thread, which runs until ``close()``.
    init(fileDescriptor: Int32, byteCapacity: Int = 4 << 20, batchDelayMicros: UInt32 = 2_000) {
        self.fileDescriptor = fileDescriptor
        self.byteCapacity = byteCapacity
        self.batchDelayMicros = batchDelayMicros
        Thread { [self] in run() }.start()
    }

    /// Queues `line` (one whole line, newline included), or drops and
    /// counts it when the writer is `byteCapacity` behind. Never blocks on
    /// the descriptor.
    func write(_ line: [UInt8]) {
        let wakeWriter = state.withLockedValue { state -> Bool in
            guard !state.closing else { return false }
            defer { state.writerIdle = false }
            // A line longer than the capacity still goes when nothing waits.
            guard state.pending.isEmpty || state.pending.count + line.count <= byteCapacity else {
                state.dropped += 1
                return state.writerIdle
            }
            state.pending.append(contentsOf: line)
            return state.writerIdle
        }
        if wakeWriter { wakeUp.signal() }
    }

    /// Writes every queued line now, on the calling thread, after any batch
    /// the writer is in the middle of.
    func flush() {
        _ = output.withLock { _ in writeQueued(until: nil) }
    }

    /// ``flush()``, giving up after `limit`: waiting for a writer stuck on a
    /// descriptor nobody reads, or for the descriptor to take more.
    func flush(within limit: Duration) {
        let deadline = ContinuousClock.now + limit
        while output.withLockIfAvailable({ _ in writeQueued(until: deadline) }) == nil {
            guard ContinuousClock.now < deadline else { return }
            usleep(10_000)
        }
    }

    /// Writes what is queued and ends the writer thread; later lines are
    /// dropped. (Standard error's writer is never closed.)
    func close() {
        let wakeWriter = state.withLockedValue { state -> Bool in
            state.closing = true
            return state.writerIdle
        }
        if wakeWriter { wakeUp.signal() }
        flush()
    }

    private func run() {
        while true {
            usleep(batchDelayMicros)
            let wrote = output.withLock { _ in writeQueued(until: nil) }
            guard !wrote else { continue }
            // Idle only once a look under the lock found nothing, so a line
            // queued after that look signals.
            let (idle, closing) = state.withLockedValue { state in
                state.writerIdle = state.pending.isEmpty && state.dropped == 0
                return (state.writerIdle, state.closing)
            }
            if closing { return }
            if idle { wakeUp.wait() }
        }
    }

    /// Takes the queued lines (and a note of any dropped) and writes them,
    /// until `deadline` when there is one (what is left then goes back at
    /// the head of the queue); false when there was nothing. Called holding
    /// `output`.
    private func writeQueued(until deadline: ContinuousClock.Instant?) -> Bool {
        var (lines, dropped) = state.withLockedValue { state -> ([UInt8], Int) in
            defer {
                state.pending = []
                state.dropped = 0
            }
            return (state.pending, state.dropped)
        }
        guard !lines.isEmpty || dropped > 0 else { return false }
        if dropped > 0 {
            lines += Array("switchboard: \(dropped) log line(s) dropped: the log was not taken fast enough\n".utf8)
        }
        let written = Self.writeAll(lines, to: fileDescriptor, until: deadline)
        if deadline != nil, written < lines.count {
            let wakeWriter = state.withLockedValue { state -> Bool in
                state.pending.insert(contentsOf: lines[written...], at: 0)
                defer { state.writerIdle = false }
                return state.writerIdle
            }
            if wakeWriter { wakeUp.signal() }
        }
        return true
    }

    /// Writes all of `bytes`, retrying a short or interrupted write; gives
    /// up on an error (a closed descriptor: there is nowhere to say so), and
    /// at `deadline` when the descriptor will not take more by then. The
    /// count written, or all of them after an error.
    private static func writeAll(
        _ bytes: [UInt8], to fileDescriptor: Int32, until deadline: ContinuousClock.Instant?
    ) -> Int {
        bytes.withUnsafeBufferPointer { bytes in
            var offset = 0
            while offset < bytes.count {
                var count = bytes.count - offset
                if let deadline {
                    guard writable(fileDescriptor, before: deadline) else { return offset }
                    // A pipe that polls writable takes PIPE_BUF bytes without
                    // blocking; a larger write waits until it has taken all.
                    count = min(count, Int(PIPE_BUF))
                }
                let written = Glibc.write(fileDescriptor, bytes.baseAddress! + offset, count)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN {
                    // Standard error inherited non-blocking: wait for room.
                    guard writable(fileDescriptor, before: deadline) else { return offset }
                } else {
                    return bytes.count
                }
            }
            return bytes.count
        }
    }

    /// Whether `fileDescriptor` takes a write before `deadline` (a file
    /// always does; a pipe when its reader has made room); with no deadline,
    /// once it does.
    private static func writable(_ fileDescriptor: Int32, before deadline: ContinuousClock.Instant?) -> Bool {
        var milliseconds = -1
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            milliseconds = max(0, Int(left.totalMilliseconds))
        }
        var entry = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&entry, 1, Int32(clamping: milliseconds))
        // Interrupted by a signal (a second SIGTERM): look again.
        if ready < 0, errno == EINTR { return writable(fileDescriptor, before: deadline) }
        return ready == 1
    }
}

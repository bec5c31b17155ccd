import Dispatch
import Foundation
import NIOConcurrencyHelpers
import SSE

/// Records cassette events from any thread without making the caller wait on the disk.
///
/// Events go through a bounded queue to one writer thread, which serializes
/// each as a JSON line into a ``CassetteWriter``; once woken, and after each
/// batch, it waits `batchDelay` for more, so it writes batches, and blocks
/// only when it finds nothing to write. The writer flushes a
/// complete LZ4 block after every batch holding an `end` line, on
/// ``flush()``, and at least every `flushInterval` while there is unflushed
/// data; so after `kill -9` everything up to ~`flushInterval` ago can be read.
/// When the queue is full, events are dropped and counted; the proxy writes
/// ``takeDroppedSinceLastEnd()`` into its next `end` line. A dropped `end`
/// line still tells the writer its exchange is over, so the file the
/// exchange began in can close (see ``CassetteWriter``). A write error
/// (a full disk) stops writing, with every event dropped and counted, until
/// a new file can be written, tried every `retryInterval`.
///
/// Call ``close()`` on shutdown (SIGINT, SIGTERM): it drains the queue and
/// ends the LZ4 frame so the file is complete. Dropping the last reference
/// closes it too.
public final class CassetteRecorder: Sendable {
    private let core: CassetteRecorderCore

    /// The directory the cassettes go to.
    public let directory: String

    /// Creates `directory` if missing, opens the first cassette file (so an
    /// unwritable directory fails here, with a clear message) and starts the
    /// writer thread.
    /// - Parameters:
    ///   - maxFileBytes: a file is rotated when its compressed size reaches this.
    ///   - queueCapacity: events waiting for the writer beyond this are dropped.
    ///   - queueByteCapacity: once the lines waiting hold this many bytes
    ///     (bodies, chunks), further lines are dropped, so a stalled disk
    ///     cannot take all of the proxy's memory. The bound is about twice
    ///     this (the queue, and the batch the writer is writing), plus one
    ///     line of any size; whole ``CassetteEvent``s are not counted.
    ///   - flushInterval: the longest unflushed data waits for a flush.
    ///   - batchDelay: how long the writer, once woken or done with a
    ///     batch, waits for more events before writing; it bounds how late
    ///     an `end` line is flushed, and saves a wake-up per event under load.
    ///     Each batch costs a sleep and a flush (an LZ4 block, a `write`):
    ///     10 ms rather than 2 cut the writer's CPU per streamed exchange
    ///     by a fifth under load (`tools/bench.sh`'s writer-thread column).
    ///   - retryInterval: after a write error (a full disk, a file-size
    ///     limit, a directory gone), how often the writer tries a new file;
    ///     lines are dropped and counted meanwhile.
    ///   - onWriteStatus: told, on the writer thread, when writing stops on
    ///     an error (once per stop, not per retry) and when it resumes.
    public init(
        directory: String, maxFileBytes: Int = 256 << 20, queueCapacity: Int = 65_536,
        queueByteCapacity: Int = 256 << 20, flushInterval: Duration = .milliseconds(100),
        batchDelay: Duration = .milliseconds(10), retryInterval: Duration = .seconds(1),
        onWriteStatus: @escaping @Sendable (WriteStatus) -> Void = { _ in }
    ) throws {
        // Over a file-size limit (RLIMIT_FSIZE) the kernel's default for
        // SIGXFSZ ends the process; ignored, the write fails with EFBIG
        // and recording stops and resumes like on a full disk.
        signal(SIGXFSZ, SIG_IGN)
        let writer = try CassetteWriter(directory: directory, maxFileBytes: maxFileBytes)
        self.directory = directory
        core = CassetteRecorderCore(
            writer: writer, capacity: max(1, queueCapacity), byteCapacity: max(1, queueByteCapacity),
            flushInterval: flushInterval, batchDelay: batchDelay, retryInterval: retryInterval,
            onWriteStatus: onWriteStatus)
        let core = core
        let thread = Thread {
            Self.nameThreadForTheKernel("cassette-writer")
            core.run()
        }
        thread.start()
    }

    /// Closing is asked for, not waited for: a deinit may run on a thread of
    /// the shared pool, which must not block. The writer thread still
    /// drains the queue and ends the LZ4 frame.
    deinit { core.requestClose() }

    /// Foundation's `Thread.name` does not reach the kernel on Linux, and
    /// `pthread_setname_np` is not visible to Swift there; the kernel's name
    /// is what `top -H` and per-thread CPU figures show. Best effort.
    private static func nameThreadForTheKernel(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = Array(name.utf8.prefix(15)).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        _ = Foundation.close(descriptor)
    }

    /// Queues `line` of exchange `exchange` for the writer: its values are
    /// copied into the queue, and the line is written (bodies checked and
    /// escaped, blobs found) on the writer thread. Drops and counts it when
    /// the queue is full or the recorder is closed. Never blocks on the
    /// disk, never throws.
    public func record(exchange: String, timeMicros: Int64, _ line: CassetteLine) {
        core.record(exchange: exchange, timeMicros: timeMicros, line)
    }

    /// Queues several lines of one exchange at once (the SSE frames of one
    /// upstream chunk), for one lock instead of one each. When the queue
    /// has no room for them all, all are dropped and counted. (An array, not
    /// any collection: a generic call from another module is not
    /// specialized, and its per-element metadata lookups showed in the
    /// proxy's profile.)
    public func record(exchange: String, timeMicros: Int64, lines: [CassetteLine]) {
        core.record(exchange: exchange, timeMicros: timeMicros, lines: lines)
    }

    /// Queues a `client_event` line for each of `frames`, the frames of a
    /// stream sent to the client, at one time. The frames are kept as they
    /// are (their bytes are not copied) and read on the writer thread, so
    /// the caller makes no event of them. Dropped and counted together,
    /// like ``record(exchange:timeMicros:lines:)``.
    public func record(exchange: String, timeMicros: Int64, clientEvents frames: SSEFrames) {
        core.record(exchange: exchange, timeMicros: timeMicros, clientEvents: frames)
    }

    /// Queues a whole event (tests and tools; the proxy queues
    /// ``CassetteLine``s, which cost the caller less), dropped and counted
    /// like a line.
    public func record(_ event: CassetteEvent) {
        core.record(event)
    }

    /// Events dropped since the recorder started.
    public var droppedEvents: Int { core.state.withLockedValue { $0.dropped } }

    /// What the recorder has done so far, for metrics.
    public struct Statistics: Sendable, Equatable {
        /// Lines waiting for the writer thread.
        public var queuedLines: Int
        /// Events dropped since the recorder started (queue full, or after
        /// a write error).
        public var droppedEvents: Int
        /// Compressed bytes written to disk, in every file, as of the
        /// writer's last batch.
        public var bytesWritten: Int
    }

    /// The queue depth, drops and bytes written, read at once.
    public var statistics: Statistics {
        core.state.withLockedValue {
            Statistics(queuedLines: $0.queue.count, droppedEvents: $0.dropped, bytesWritten: $0.bytesWritten)
        }
    }

    /// Events dropped since the last call, resetting the count; the proxy
    /// puts it in the `end` line it writes next.
    public func takeDroppedSinceLastEnd() -> Int {
        core.state.withLockedValue { state in
            defer { state.droppedSinceEnd = 0 }
            return state.droppedSinceEnd
        }
    }

    /// Asks the writer to flush a complete block soon; does not wait.
    public func flush() {
        core.state.withLockedValue { $0.flushRequested = true }
        core.wakeUp.signal()
    }

    /// Drains the queue, ends the LZ4 frame and closes the file, returning
    /// when the writer thread has finished; the caller is suspended, no
    /// thread is blocked. Later events are dropped and counted. Safe to
    /// call more than once, from any task.
    public func close() async {
        await core.close()
    }

    /// The cassette files written so far, in order; the last is current.
    public var files: [String] { core.state.withLockedValue { $0.files } }

    /// What the writer thread reports about the disk.
    public enum WriteStatus: Sendable, Equatable {
        /// Writing stopped: `error` says why. Every event from here on is
        /// dropped and counted until ``resumed(file:droppedEvents:)``.
        case failed(CassetteWriteError)
        /// A new file was opened and writing goes on; `droppedEvents` were
        /// lost while it was stopped.
        case resumed(file: String, droppedEvents: Int)
    }

    /// Why writing is stopped, while it is (events are dropped and counted,
    /// and a new file is tried every `retryInterval`); nil while writing.
    public var writeError: CassetteWriteError? { core.state.withLockedValue { $0.writeError } }

    /// Tests hold the writer to fill the queue deterministically.
    func holdWriter() { core.state.withLockedValue { $0.held = true } }

    func releaseWriter() {
        core.state.withLockedValue { $0.held = false }
        core.wakeUp.signal()
    }
}

import Dispatch
import Foundation
import Synchronization

/// The state shared by a ``CassetteRecorder`` and its writer thread. It does
/// not refer back to the recorder, so the recorder's deinit can close it.
final class CassetteRecorderCore: Sendable {
    /// A queued event, or the closure that makes it, or them, on the writer
    /// thread.
    enum Pending: Sendable {
        case event(CassetteEvent)
        case deferred(@Sendable () -> CassetteEvent)
        /// `count` lines from one closure: the SSE frames of one upstream
        /// chunk cost one queue entry and one closure, not one each.
        case deferredLines(count: Int, @Sendable () -> [CassetteEvent])

        /// The lines this entry makes, counted when it is dropped.
        var lineCount: Int {
            if case .deferredLines(let count, _) = self { return count }
            return 1
        }

        /// Makes the lines and hands each to `body`, with no array for a
        /// single one.
        func forEachEvent(
            _ body: (CassetteEvent) throws(CassetteWriteError) -> Void
        ) throws(CassetteWriteError) {
            switch self {
            case .event(let event): try body(event)
            case .deferred(let makeEvent): try body(makeEvent())
            case .deferredLines(_, let makeEvents): for event in makeEvents() { try body(event) }
            }
        }
    }

    struct State {
        var queue: [Pending] = []
        /// The lines ``queue`` makes, which the capacity bounds.
        var queuedLines = 0
        var dropped = 0
        var droppedSinceEnd = 0
        var flushRequested = false
        var closing = false
        var held = false
        /// The writer found nothing to write and blocks on ``wakeUp``:
        /// the next event must signal it. While events keep coming the
        /// writer only sleeps between batches, and callers signal nothing.
        var writerIdle = false
        var files: [String] = []
        var writeError: CassetteWriteError?
    }

    let state: Mutex<State>
    /// Signalled for the first event after the writer went idle, on flush
    /// and on close, so the writer sleeps while there is nothing to do.
    let wakeUp = DispatchSemaphore(value: 0)
    /// Signalled once when the writer thread has closed the file; each
    /// waiter passes the signal on, so every close() returns.
    private let finished = DispatchSemaphore(value: 0)
    /// Only the writer thread locks this (uncontended), which is how the
    /// non-Sendable writer is handed to it safely.
    private let writer: Mutex<CassetteWriter>
    private let capacity: Int
    private let flushIntervalNanos: UInt64
    private let batchDelayMicros: UInt32

    init(writer: consuming sending CassetteWriter, capacity: Int, flushInterval: Duration, batchDelay: Duration) {
        let files = writer.files
        self.writer = Mutex(writer)
        self.capacity = capacity
        let (seconds, attoseconds) = flushInterval.components
        flushIntervalNanos = UInt64(max(1_000_000, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let delay = batchDelay.components
        batchDelayMicros = UInt32(clamping: max(0, delay.seconds * 1_000_000 + delay.attoseconds / 1_000_000_000_000))
        state = Mutex(State(files: files))
    }

    func record(_ event: Pending) {
        let lines = event.lineCount
        let wakeWriter = state.withLock { state -> Bool in
            guard !state.closing, state.writeError == nil, state.queuedLines + lines <= capacity else {
                state.dropped += lines
                state.droppedSinceEnd += lines
                return false
            }
            state.queue.append(event)
            state.queuedLines += lines
            defer { state.writerIdle = false }
            return state.writerIdle
        }
        if wakeWriter { wakeUp.signal() }
    }

    func close() {
        let alreadyClosing = state.withLock { state in
            defer { state.closing = true }
            return state.closing
        }
        if !alreadyClosing { wakeUp.signal() }
        finished.wait()
        finished.signal()
    }

    /// The writer thread's loop: take everything queued, write it, flush when
    /// due, sleep until woken or the next flush is due.
    func run() {
        // The batch and the queue swap buffers, each uniquely owned, so
        // neither side copies or reallocates in the steady state.
        var batch: [Pending] = []
        var unflushed = false
        var lastFlush = DispatchTime.now().uptimeNanoseconds
        while true {
            // Woken for new events, or just done with a batch: let more
            // arrive first. Under load the writer goes from batch to batch
            // with one sleep each and never blocks, so callers make no
            // futex call and the writer switches context once per batch;
            // it blocks, to be woken by the next event, only once a look
            // finds the queue empty.
            if batchDelayMicros > 0 { usleep(batchDelayMicros) }
            batch.removeAll(keepingCapacity: true)
            let (flushRequested, closing) = state.withLock { state in
                if !state.held || state.closing {
                    swap(&batch, &state.queue)
                    state.queuedLines = 0
                }
                state.writerIdle = batch.isEmpty
                defer { state.flushRequested = false }
                return (state.flushRequested, state.closing)
            }
            var holdsEnd = false
            if !batch.isEmpty {
                holdsEnd = write(batch)
                unflushed = true
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if unflushed && (holdsEnd || flushRequested || closing || now &- lastFlush >= flushIntervalNanos) {
                flushWriter()
                unflushed = false
                lastFlush = now
            }
            if closing && batch.isEmpty { break }
            if batch.isEmpty {
                if unflushed {
                    _ = wakeUp.wait(timeout: DispatchTime(uptimeNanoseconds: lastFlush &+ flushIntervalNanos))
                } else {
                    wakeUp.wait()
                }
            }
        }
        let error = writer.withLock { writer -> CassetteWriteError? in
            do throws(CassetteWriteError) {
                try writer.close()
                return nil
            } catch {
                return error
            }
        }
        state.withLock { state in
            if state.writeError == nil { state.writeError = error }
        }
        finished.signal()
    }

    /// Writes a batch; true when it held an `end` line. After a write error
    /// nothing more is written, and the lost events count as dropped.
    private func write(_ batch: [Pending]) -> Bool {
        let lines = batch.reduce(0) { $0 + $1.lineCount }
        let failed = state.withLock { state in
            if state.writeError != nil {
                state.dropped += lines
                state.droppedSinceEnd += lines
            }
            return state.writeError != nil
        }
        if failed { return false }
        let outcome = writer.withLock {
            writer -> (holdsEnd: Bool, files: [String]?, error: CassetteWriteError?, lost: Int) in
            let fileCount = writer.files.count
            var holdsEnd = false
            var written = 0
            do throws(CassetteWriteError) {
                for pending in batch {
                    try pending.forEachEvent { event throws(CassetteWriteError) in
                        try writer.write(event)
                        written += 1
                        if event.kind == CassetteEvent.Kind.end.rawValue { holdsEnd = true }
                    }
                }
            } catch {
                return (holdsEnd, writer.files, error, max(0, lines - written))
            }
            return (holdsEnd, writer.files.count == fileCount ? nil : writer.files, nil, 0)
        }
        if outcome.files != nil || outcome.error != nil {
            state.withLock { state in
                if let files = outcome.files { state.files = files }
                if let error = outcome.error, state.writeError == nil {
                    state.writeError = error
                    state.dropped += outcome.lost
                    state.droppedSinceEnd += outcome.lost
                }
            }
        }
        return outcome.holdsEnd
    }

    private func flushWriter() {
        let error = writer.withLock { writer -> CassetteWriteError? in
            do throws(CassetteWriteError) {
                try writer.flush()
                return nil
            } catch {
                return error
            }
        }
        if let error {
            state.withLock { state in
                if state.writeError == nil { state.writeError = error }
            }
        }
    }
}

import Dispatch
import Foundation
import NIOConcurrencyHelpers
import SSE
import Synchronization
import Wire

/// The state shared by a ``CassetteRecorder`` and its writer thread. It does
/// not refer back to the recorder, so the recorder's deinit can close it.
final class CassetteRecorderCore: Sendable {
    struct State {
        var queue = QueuedLines()
        var dropped = 0
        var droppedSinceEnd = 0
        /// The exchanges whose `end` line a full queue dropped since the
        /// writer last took the queue. The writer notes them ended once it
        /// has written the lines queued before, so the file each began in
        /// can close instead of waiting for an `end` that never comes.
        var endsDropped: [String] = []
        var flushRequested = false
        var closing = false
        var held = false
        /// The writer found nothing to write and blocks on ``wakeUp``:
        /// the next event must signal it. While events keep coming the
        /// writer only sleeps between batches, and callers signal nothing.
        var writerIdle = false
        var files: [String] = []
        /// Why writing stopped, while it is stopped: lines are dropped and
        /// counted until the writer has opened a new file.
        var writeError: CassetteWriteError?
        /// ``dropped`` when writing stopped, so a resume can say how many
        /// events the stop cost.
        var droppedBeforeFailure = 0
        /// Compressed bytes on disk, as of the writer's last batch.
        var bytesWritten = 0
        /// The writer thread has closed the file and ended.
        var finished = false
        /// Callers of ``close()`` waiting for the writer to finish.
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let state: NIOLockedValueBox<State>
    /// Signalled for the first event after the writer went idle, on flush
    /// and on close, so the writer sleeps while there is nothing to do.
    let wakeUp = DispatchSemaphore(value: 0)
    /// Only the writer thread locks this (uncontended), which is how the
    /// non-Sendable writer is handed to it safely: a `Mutex` takes a value
    /// that is only `sending`. (The shared `state` is in a pthread-based box
    /// instead, which ThreadSanitizer sees when contended; never contended,
    /// this one needs no such care.)
    private let writer: Mutex<CassetteWriter>
    private let capacity: Int
    private let byteCapacity: Int
    private let flushIntervalNanos: UInt64
    private let batchDelayMicros: UInt32
    private let retryIntervalNanos: UInt64
    private let onWriteStatus: @Sendable (CassetteRecorder.WriteStatus) -> Void

    init(
        writer: consuming sending CassetteWriter, capacity: Int, byteCapacity: Int, flushInterval: Duration,
        batchDelay: Duration, retryInterval: Duration,
        onWriteStatus: @escaping @Sendable (CassetteRecorder.WriteStatus) -> Void
    ) {
        let files = writer.files
        self.writer = Mutex(writer)
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        flushIntervalNanos = UInt64(max(1_000_000, flushInterval.totalNanoseconds))
        batchDelayMicros = UInt32(clamping: max(0, batchDelay.totalMicroseconds))
        retryIntervalNanos = UInt64(max(1_000_000, retryInterval.totalNanoseconds))
        self.onWriteStatus = onWriteStatus
        state = NIOLockedValueBox(State(files: files))
    }

    func record(exchange: String, timeMicros: Int64, _ line: CassetteLine) {
        enqueue(lineCount: 1, ending: line.kind == .end ? exchange : nil) {
            $0.append(exchange: exchange, timeMicros: timeMicros, line)
        }
    }

    /// Queues `lines` of one exchange under one lock.
    func record(exchange: String, timeMicros: Int64, lines: [CassetteLine]) {
        enqueue(lineCount: lines.count, ending: lines.contains { $0.kind == .end } ? exchange : nil) { queue in
            for line in lines { queue.append(exchange: exchange, timeMicros: timeMicros, line) }
        }
    }

    func record(exchange: String, timeMicros: Int64, clientEvents frames: SSEFrames) {
        enqueue(lineCount: frames.count) { $0.append(exchange: exchange, timeMicros: timeMicros, clientEvents: frames) }
    }

    func record(_ event: CassetteEvent) {
        enqueue(lineCount: 1, ending: event.knownKind == .end ? event.exchange : nil) { $0.append(event) }
    }

    /// Appends `lineCount` lines to the queue, or drops and counts them all
    /// when they do not fit (in lines, or in bytes once the queue holds
    /// `byteCapacity`); signals the writer only when it went idle.
    /// `ending` names the exchange the lines end (evaluated only for a
    /// drop), so a dropped `end` line still tells the writer the exchange
    /// is over. (Not while writing is stopped or closing: every file is let
    /// go or ended then anyway, and the list would only grow.)
    private func enqueue(
        lineCount: Int, ending endedExchange: @autoclosure () -> String? = nil,
        _ append: (inout QueuedLines) -> Void
    ) {
        guard lineCount > 0 else { return }
        let wakeWriter = state.withLockedValue { state -> Bool in
            guard !state.closing, state.writeError == nil, state.queue.count + lineCount <= capacity,
                state.queue.byteCount < byteCapacity
            else {
                state.dropped += lineCount
                state.droppedSinceEnd += lineCount
                if !state.closing, state.writeError == nil, let exchange = endedExchange() {
                    state.endsDropped.append(exchange)
                }
                return false
            }
            append(&state.queue)
            defer { state.writerIdle = false }
            return state.writerIdle
        }
        if wakeWriter { wakeUp.signal() }
    }

    /// Tells the writer to drain the queue and close the file, without
    /// waiting: the writer thread keeps the core alive until it has.
    func requestClose() {
        let alreadyClosing = state.withLockedValue { state in
            defer { state.closing = true }
            return state.closing
        }
        if !alreadyClosing { wakeUp.signal() }
    }

    /// Requests the close and suspends, holding no thread, until the writer
    /// has closed the file.
    func close() async {
        requestClose()
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let finished = state.withLockedValue { state in
                if !state.finished { state.closeWaiters.append(waiter) }
                return state.finished
            }
            if finished { waiter.resume() }
        }
    }

    /// The writer thread's loop: take everything queued, write it, flush when
    /// due, sleep until woken or the next flush is due.
    func run() {
        // The batch and the queue swap buffers, each uniquely owned, so
        // neither side copies or reallocates in the steady state.
        var batch = QueuedLines()
        // Taken with the batch: they end after its lines are written.
        var endsDropped: [String] = []
        // Every queued line is rendered into this one, on this thread.
        var fields = RenderedFields()
        var unflushed = false
        var lastFlush = DispatchTime.now().uptimeNanoseconds
        var nextRetry: UInt64 = 0
        while true {
            // Stopped by a write error: nothing is queued meanwhile (lines
            // are dropped and counted); try a new file every retry interval
            // until the disk takes bytes again, or until closed.
            if let stopped = state.withLockedValue({ $0.writeError == nil ? nil : $0.closing }) {
                if stopped { break }
                let now = DispatchTime.now().uptimeNanoseconds
                if now >= nextRetry {
                    if resume() {
                        unflushed = false
                        lastFlush = now
                        continue
                    }
                    nextRetry = now &+ retryIntervalNanos
                }
                _ = wakeUp.wait(timeout: DispatchTime(uptimeNanoseconds: nextRetry))
                continue
            }
            // Woken for new events, or just done with a batch: let more
            // arrive first. Under load the writer goes from batch to batch
            // with one sleep each and never blocks, so callers make no
            // futex call and the writer switches context once per batch;
            // it blocks, to be woken by the next event, only once a look
            // finds the queue empty.
            if batchDelayMicros > 0 { usleep(batchDelayMicros) }
            batch.removeAll()
            endsDropped.removeAll(keepingCapacity: true)
            let (flushRequested, closing) = state.withLockedValue { state in
                if !state.held || state.closing {
                    swap(&batch, &state.queue)
                    swap(&endsDropped, &state.endsDropped)
                }
                state.writerIdle = batch.isEmpty
                defer { state.flushRequested = false }
                return (state.flushRequested, state.closing)
            }
            var holdsEnd = false
            if !batch.isEmpty {
                holdsEnd = write(batch, rendering: &fields)
                if !endsDropped.isEmpty {
                    // Every line of theirs still queued was in the batch.
                    writer.withLock { writer in
                        for exchange in endsDropped { writer.exchangeEnded(withoutLine: exchange) }
                    }
                }
                unflushed = true
                // The batch stopped writing: nothing is left to flush.
                if state.withLockedValue({ $0.writeError != nil }) {
                    unflushed = false
                    continue
                }
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
        let waiters = state.withLockedValue { state in
            if state.writeError == nil { state.writeError = error }
            state.finished = true
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Writes a batch; true when it held an `end` line. After a write error
    /// nothing more is written, and the lost lines count as dropped.
    private func write(_ batch: QueuedLines, rendering fields: inout RenderedFields) -> Bool {
        defer {
            let bytes = writer.withLock { $0.bytesOnDisk }
            state.withLockedValue { $0.bytesWritten = bytes }
        }
        let lines = batch.count
        let outcome = writer.withLock {
            writer -> (holdsEnd: Bool, files: [String]?, error: CassetteWriteError?, lost: Int) in
            let fileCount = writer.files.count
            var holdsEnd = false
            var written = 0
            do throws(CassetteWriteError) {
                // A request body's parts this file stored already need no
                // check: Claude Code resends most of its request each turn.
                let blobWriter = writer
                try batch.forEach(rendering: &fields, knownPart: { blobWriter.storedPartLength(at: $0, depth: $1) }) {
                    line, fields throws(CassetteWriteError) in
                    switch line {
                    case .event(let event):
                        try writer.write(event)
                        if event.kind == CassetteEvent.Kind.end.rawValue { holdsEnd = true }
                    case .rendered(let kind, let exchange, let timeMicros):
                        try writer.write(kind, exchange: exchange, timeMicros: timeMicros, fields: fields)
                        if kind == .end { holdsEnd = true }
                    }
                    written += 1
                }
            } catch {
                // The lines not yet flushed went down with the file.
                return (holdsEnd, writer.files, error, max(0, lines - written) + writer.linesNotFlushed)
            }
            return (holdsEnd, writer.files.count == fileCount ? nil : writer.files, nil, 0)
        }
        if let files = outcome.files { state.withLockedValue { $0.files = files } }
        if let error = outcome.error { stop(error, lost: outcome.lost) }
        return outcome.holdsEnd
    }

    /// Writing failed: the file is let go (its frame cannot be ended on a
    /// disk that refuses bytes), the lines not written count as dropped,
    /// and so does every line until ``resume()`` succeeds. Reported once.
    private func stop(_ error: CassetteWriteError, lost: Int) {
        writer.withLock { $0.abandonCurrentFile() }
        state.withLockedValue { state in
            state.writeError = error
            state.dropped += lost
            state.droppedSinceEnd += lost
            state.droppedBeforeFailure = state.dropped - lost
        }
        onWriteStatus(.failed(error))
    }

    /// Opens a new file after a write error; true (and reported) when it
    /// worked and writing goes on.
    private func resume() -> Bool {
        let opened = writer.withLock { writer -> (files: [String], bytes: Int)? in
            do throws(CassetteWriteError) {
                try writer.reopen()
                return (writer.files, writer.bytesOnDisk)
            } catch {
                return nil
            }
        }
        guard let opened else { return false }
        let dropped = state.withLockedValue { state in
            state.writeError = nil
            state.files = opened.files
            state.bytesWritten = opened.bytes
            return state.dropped - state.droppedBeforeFailure
        }
        onWriteStatus(.resumed(file: opened.files.last ?? "", droppedEvents: dropped))
        return true
    }

    private func flushWriter() {
        let failure = writer.withLock { writer -> (error: CassetteWriteError, lost: Int)? in
            do throws(CassetteWriteError) {
                try writer.flush()
                return nil
            } catch {
                return (error, writer.linesNotFlushed)
            }
        }
        if let failure { stop(failure.error, lost: failure.lost) }
    }
}

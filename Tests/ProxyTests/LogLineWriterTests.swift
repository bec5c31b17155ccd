import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Proxy

#if canImport(Glibc)
import Glibc
#endif

/// Log lines leave whole and in order from a thread of their own; a log
/// nobody reads drops lines, says how many, and never stops the caller.
@Suite struct LogLineWriterTests {
    @Test func linesFromManyThreadsLeaveWholeAndInEachThreadsOrder() throws {
        let text = try LogPipe.drained(byteCapacity: 4 << 20) { writer in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for number in 0..<2_000 { writer.write(Array("thread \(thread) line \(number)\n".utf8)) }
            }
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 16_000)
        var next = [Int](repeating: 0, count: 8)
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count == 4, let thread = Int(words[1]), let number = Int(words[3]), thread < 8 else {
                Issue.record("a line came out broken: \(line)")
                return
            }
            #expect(number == next[thread], "thread \(thread)'s lines out of order")
            next[thread] = number + 1
        }
        #expect(next == [Int](repeating: 2_000, count: 8))
    }

    @Test func aLogNobodyReadsDropsLinesAndSaysHowMany() throws {
        let sent = 20_000
        let text = try LogPipe.drained(byteCapacity: 4_096, readAfter: true) { writer in
            // Nothing reads the pipe yet: once its 64 KB are full the writer
            // blocks, the queue fills, and the rest are dropped, without
            // this loop ever waiting.
            for number in 0..<sent { writer.write(Array("line \(number)\n".utf8)) }
        }
        var kept: [Int] = []
        var dropped = 0
        for line in text.split(separator: "\n") {
            if let note = line.wholeMatch(of: /switchboard: (\d+) log line\(s\) dropped: .*/) {
                dropped += Int(note.output.1)!
            } else if let kept1 = line.wholeMatch(of: /line (\d+)/) {
                kept.append(Int(kept1.output.1)!)
            } else {
                Issue.record("a line came out broken: \(line)")
            }
        }
        #expect(dropped > 0)
        #expect(kept.count + dropped == sent)
        // The kept lines are whole and in order, with the dropped ones' gaps.
        #expect(kept.first == 0 && zip(kept, kept.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// With the writer thread stuck in a write (a short batch delay) and
    /// with the flush the one to find the pipe full (the writer asleep).
    @Test(arguments: [UInt32(200), 60_000_000])
    func aFlushWithALimitGivesUpOnALogNobodyReads(batchDelayMicros: UInt32) throws {
        var returned = DispatchTimeoutResult.timedOut
        let text = try LogPipe.drained(byteCapacity: 1 << 20, batchDelayMicros: batchDelayMicros, readAfter: true) {
            writer in
            // Four times what the pipe holds, as at exit with standard error
            // stalled.
            for number in 0..<25_000 { writer.write(Array("line \(number)\n".utf8)) }
            // On a thread of its own, so that a flush that waits for the
            // reader fails the test instead of hanging it.
            let done = DispatchSemaphore(value: 0)
            Thread {
                writer.flush(within: .milliseconds(200))
                done.signal()
            }.start()
            returned = done.wait(timeout: .now() + 3)
        }
        #expect(returned == .success, "the flush waited for a log nobody reads")
        // Read at last, nothing was lost.
        #expect(text.split(separator: "\n").count == 25_000)
    }

    @Test func flushWritesWhatIsQueuedAtOnce() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        // A batch delay longer than the test: only the flush can write it.
        let writer = LogLineWriter(fileDescriptor: ends[1], batchDelayMicros: 60_000_000)
        writer.write(Array("now\n".utf8))
        writer.flush()
        var bytes = [UInt8](repeating: 0, count: 16)
        var entry = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        try #require(poll(&entry, 1, 5_000) == 1, "nothing was written")
        let count = read(ends[0], &bytes, bytes.count)
        #expect(count == 4 && bytes.prefix(4).elementsEqual("now\n".utf8))
        writer.close()
        close(ends[1])
    }
}

/// A string handed from the reader thread to the test.

import Testing

@testable import Cassette

@Suite struct QueuedBytesTests {
    private func contents(_ bytes: QueuedBytes) -> [UInt8] {
        bytes.withUnsafeBufferPointer { Array($0) }
    }

    @Test func appendsKeepOrderAcrossGrowth() {
        var bytes = QueuedBytes()
        var expected: [UInt8] = []
        // Past several doublings, with appends of every size kind.
        for round in 0..<300 {
            bytes.append(UInt8(truncatingIfNeeded: round))
            expected.append(UInt8(truncatingIfNeeded: round))
            let word = UInt64(round) &* 0x0101_0101_0101_0101
            bytes.append(bitsOf: word)
            withUnsafeBytes(of: word) { expected.append(contentsOf: $0) }
            let run = Array(repeating: UInt8(truncatingIfNeeded: round &* 7), count: round % 37)
            run.withUnsafeBufferPointer { bytes.append($0) }
            expected.append(contentsOf: run)
        }
        #expect(bytes.count == expected.count)
        #expect(bytes.capacity >= expected.count)
        #expect(contents(bytes) == expected)
    }

    @Test func aCopyKeepsItsBytesWhenTheOriginalChanges() {
        var original = QueuedBytes()
        Array("abc".utf8).withUnsafeBufferPointer { original.append($0) }
        let copy = original
        original.append(UInt8(ascii: "d"))
        #expect(contents(copy) == Array("abc".utf8))
        #expect(contents(original) == Array("abcd".utf8))

        var second = copy
        second.removeAll(keepingCapacity: true)
        #expect(contents(copy) == Array("abc".utf8))
        #expect(second.count == 0)
    }

    @Test func removeAllKeepsTheBufferOnlyWhenAsked() {
        var bytes = QueuedBytes()
        Array(repeating: 1, count: 1000).withUnsafeBufferPointer { bytes.append($0) }
        let grown = bytes.capacity
        bytes.removeAll(keepingCapacity: true)
        #expect(bytes.count == 0)
        #expect(bytes.capacity == grown)
        bytes.append(7)
        #expect(contents(bytes) == [7])
        bytes.removeAll(keepingCapacity: false)
        #expect(bytes.count == 0)
        #expect(bytes.capacity == 0)
    }

    @Test func aStaticStringsBitsReadBackAsTheSameString() {
        var bytes = QueuedBytes()
        let key: StaticString = "exchange"
        bytes.append(bitsOf: key)
        let read = bytes.withUnsafeBufferPointer {
            UnsafeRawBufferPointer($0).loadUnaligned(as: StaticString.self)
        }
        #expect(read.description == "exchange")
    }
}

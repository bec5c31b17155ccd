#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches that read several bytes an instruction: Swift loops over
/// the bytes cost several instructions a byte, and every frame of a stream
/// is scanned a few times (for line ends when parsed and when written, for
/// `"usage"` when passed through): those loops were 5% of a passed-through
/// Responses stream's instructions.
enum ByteSearch {
    /// Whether `haystack` holds `needle`'s bytes anywhere.
    ///
    /// Eight positions at a time are tested for the needle's first two
    /// bytes (SWAR: a word's bytes compared at once), and only those are
    /// compared whole. Two bytes, not one: the needles are JSON keys, whose
    /// first byte, a quote, comes every few bytes of a JSON text.
    static func contains(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let needleStart = needle.baseAddress, !needle.isEmpty else { return true }
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
        let lastStart = haystack.count - needle.count
        var start = 0
        if needle.count >= 2 {
            let first = repeatedByte(needle[0])
            let second = repeatedByte(needle[1])
            // Words at `start` and `start + 1` must both be readable: 9 bytes.
            while start + 8 <= lastStart {
                let here = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
                let next = UInt64(littleEndian: UnsafeRawPointer(base + start + 1).loadUnaligned(as: UInt64.self))
                var candidates = zeroBytes(here ^ first) & zeroBytes(next ^ second)
                while candidates != 0 {
                    let offset = candidates.trailingZeroBitCount >> 3
                    if matches(needleStart, needle.count, at: base + start + offset) { return true }
                    candidates &= candidates &- 1
                }
                start += 8
            }
        }
        while start <= lastStart {
            if base[start] == needle[0], matches(needleStart, needle.count, at: base + start) { return true }
            start += 1
        }
        return false
    }

    /// ``contains(_:in:)-(UnsafeBufferPointer<UInt8>,_)`` for a word spelled in the source.
    static func contains(_ word: StaticString, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        // withUTF8Buffer, not utf8Start: a one-character literal may be
        // stored as a scalar, with no pointer to its bytes.
        word.withUTF8Buffer { contains($0, in: haystack) }
    }

    @inline(__always)
    private static func repeatedByte(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// The high bit of each zero byte of `word` set (and, after a zero
    /// byte, possibly of a byte that is not zero: candidates are checked).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    @inline(__always)
    private static func matches(
        _ needle: UnsafePointer<UInt8>, _ count: Int, at position: UnsafePointer<UInt8>
    ) -> Bool {
        for index in 0..<count where position[index] != needle[index] { return false }
        return true
    }

    /// The index of the first LF or CR in `bytes` at or after `start`, or
    /// `bytes.count` when there is none.
    static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count else { return bytes.count }
        var end = bytes.count
        if let found = memchr(base + start, 0x0A, end - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        // A CR can only matter before the first LF: the search stops there.
        if end > start, let found = memchr(base + start, 0x0D, end - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        return end
    }
}

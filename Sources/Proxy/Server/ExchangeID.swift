import Foundation
import Synchronization

/// Ids for exchanges: sent to the client as `request-id` and written as `x`
/// in the cassette. Time first (so ids sort by start) then 64 bits that
/// tell apart two requests in the same microsecond and two proxies.
///
/// The bits are a per-process counter scrambled with a per-process random
/// start: distinct within a process by construction, random across
/// processes. One `getrandom` syscall per request was what a random
/// number each time cost, on the event loop.
enum ExchangeID {
    /// Random once per process, so two proxies' ids do not collide.
    private static let processStart = UInt64.random(in: 0...UInt64.max)
    private static let counter = Atomic<UInt64>(0)

    static func make() -> String {
        let micros = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        let count = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return format(micros: micros, bits: scrambled(processStart &+ count &* 0x9E37_79B9_7F4A_7C15))
    }

    /// `req_` then `micros` in 14 hex digits and `bits` in 16.
    static func format(micros: UInt64, bits: UInt64) -> String {
        String(unsafeUninitializedCapacity: 34) { text in
            for (index, byte) in "req_".utf8.enumerated() { text[index] = byte }
            writeHex(micros, digits: 14, into: text, at: 4)
            writeHex(bits, digits: 16, into: text, at: 18)
            return 34
        }
    }

    /// SplitMix64's finalizer: a bijection on 64 bits, so distinct counts
    /// (times an odd step, also a bijection) give distinct bits.
    static func scrambled(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func writeHex(
        _ value: UInt64, digits: Int, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int
    ) {
        var value = value
        for index in stride(from: start + digits - 1, through: start, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: value & 0xF)
            text[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            value >>= 4
        }
    }
}

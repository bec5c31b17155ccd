/// A deterministic 64-bit FNV-1a hash, for identifiers derived from content.
///
/// Replays must reproduce the proxy's output exactly, so anything the proxy
/// would otherwise invent at random (a message id when the upstream sent
/// none, a shortened user id) is derived from the bytes instead.
enum StableHash {
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

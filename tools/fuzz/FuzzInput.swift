/// A fuzz input read from its front: a few header bytes that pick options
/// (a dialect, where to cut), then the payload. Missing header bytes read
/// as 0, so every input is usable.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// Three slice sizes from 1 to 64 bytes, for ``ByteSlices``: small, so
    /// cuts fall inside lines, UTF-8 characters and CRLF pairs.
    mutating func sliceSizes() -> [Int] { (0..<3).map { _ in Int(byte() % 64) + 1 } }

    /// Whatever follows the header.
    var payload: [UInt8] { Array(bytes) }
}

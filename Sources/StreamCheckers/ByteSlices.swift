/// Bytes cut into consecutive slices, the way a network might deliver them:
/// slice sizes come from `sizes` in turn, over and over (a size below 1
/// counts as 1); with no sizes the bytes come whole, as one slice.
public struct ByteSlices: Sequence {
    public let bytes: [UInt8]
    public let sizes: [Int]

    public init(_ bytes: [UInt8], sizes: [Int]) {
        self.bytes = bytes
        self.sizes = sizes
    }

    public func makeIterator() -> Iterator { Iterator(bytes: bytes, sizes: sizes) }

    public struct Iterator: IteratorProtocol {
        let bytes: [UInt8]
        let sizes: [Int]
        var start = 0
        var turn = 0

        public mutating func next() -> ArraySlice<UInt8>? {
            guard start < bytes.count else { return nil }
            let size = sizes.isEmpty ? bytes.count : Swift.max(1, sizes[turn % sizes.count])
            let end = Swift.min(start + size, bytes.count)
            defer {
                start = end
                turn += 1
            }
            return bytes[start..<end]
        }
    }
}

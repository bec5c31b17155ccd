/// The growing run of bytes ``QueuedLines`` appends a line's values to.
///
/// A line is a few dozen short appends (a tag, a length, a key, a value),
/// and `Array.append(contentsOf:)` costs ~100 instructions a call on its
/// generic sequence path (an iterator left over to drain, the count and
/// capacity rechecked), ~290 for a `String`'s bytes with their length:
/// about 2 K instructions a line on the caller's thread. Here an append is
/// a uniqueness check, a capacity check and a copy.
///
/// A value type, copied on write: the queue and the writer's batch swap
/// instances, and a copy (a batch passed to be read) only ever reads.
struct QueuedBytes: @unchecked Sendable {
    // @unchecked: the storage is mutated only while uniquely referenced
    // (``makeUnique()`` before every write), so instances on different
    // threads never share a buffer that changes.

    private final class Storage {
        var base: UnsafeMutableRawPointer
        var capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        }

        deinit { base.deallocate() }

        func copy() -> Storage {
            let copy = Storage(capacity: Swift.max(capacity, 1))
            copy.base.copyMemory(from: base, byteCount: count)
            copy.count = count
            return copy
        }

        /// Room for `needed` bytes in all, at least doubling.
        func grow(toHold needed: Int) {
            let grown = Swift.max(needed, capacity * 2, 64)
            let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 1)
            larger.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = larger
            capacity = grown
        }
    }

    private var storage = Storage(capacity: 0)

    var count: Int { storage.count }
    var capacity: Int { storage.capacity }

    /// Empties the bytes, keeping the buffer when `keepingCapacity`.
    mutating func removeAll(keepingCapacity: Bool) {
        if keepingCapacity && isKnownUniquelyReferenced(&storage) {
            storage.count = 0
        } else {
            storage = Storage(capacity: 0)
        }
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        let at = reserve(1)
        at.storeBytes(of: byte, as: UInt8.self)
    }

    /// Appends `value`'s bytes as they lie in memory (a word, a `StaticString`).
    @inline(__always)
    mutating func append<Value: BitwiseCopyable>(bitsOf value: Value) {
        let at = reserve(MemoryLayout<Value>.size)
        withUnsafeBytes(of: value) { at.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(UnsafeRawBufferPointer(bytes))
    }

    /// Calls `body` with the bytes appended so far.
    func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withExtendedLifetime(storage) { storage throws(Failure) in
            try body(UnsafeBufferPointer(start: storage.base.assumingMemoryBound(to: UInt8.self), count: storage.count))
        }
    }

    /// Makes room for `byteCount` more bytes, counts them as appended and
    /// returns where they go.
    @inline(__always)
    private mutating func reserve(_ byteCount: Int) -> UnsafeMutableRawPointer {
        makeUnique()
        let start = storage.count
        if storage.capacity - start < byteCount { storage.grow(toHold: start + byteCount) }
        storage.count = start + byteCount
        return storage.base + start
    }

    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

/// Short text put together in scratch space on the stack, then appended to
/// an array at once.
///
/// An append to a `[UInt8]` costs about 100 instructions whatever its
/// length (the generic copy, the uniqueness and capacity checks), and a
/// cassette line's start or a member's key is several short pieces: a
/// line's `{"kind":"...","x":"...","t_us":N` took six appends, ~1 K
/// instructions, on every line recorded.
///
/// Inlinable: its callers are in other modules, and a call per piece
/// would cost what it saves.
public struct ScratchText: ~Copyable {
    @usableFromInline let buffer: UnsafeMutableBufferPointer<UInt8>
    @usableFromInline var count = 0

    @usableFromInline init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// Appends to `output` what `build` writes, which must fit in
    /// `capacity` bytes (checked: more traps).
    @inlinable public static func append(
        to output: inout [UInt8], capacity: Int, _ build: (inout ScratchText) -> Void
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var text = ScratchText(buffer)
            build(&text)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<text.count]))
        }
    }

    /// The bytes a decimal `Int64` takes at most, sign included.
    public static let integerCapacity = 20

    @inlinable public mutating func write(_ byte: UInt8) {
        precondition(count < buffer.count, "ScratchText: more than its capacity")
        buffer[count] = byte
        count += 1
    }

    @inlinable public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count <= buffer.count - count, "ScratchText: more than its capacity")
        guard let base = bytes.baseAddress else { return }
        (buffer.baseAddress! + count).initialize(from: base, count: bytes.count)
        count += bytes.count
    }

    @inlinable public mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { write($0) }
    }

    /// `value` in decimal, as JSON writes an integer.
    @inlinable public mutating func write(integer value: Int64) {
        if value < 0 { write(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        precondition(digits <= buffer.count - count, "ScratchText: more than its capacity")
        var at = count + digits
        count = at
        repeat {
            at -= 1
            buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }
}

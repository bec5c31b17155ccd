import NIOCore

extension ByteBuffer {
    /// Writes `name: value` and a line end, as an HTTP/1.1 head carries a
    /// field, with one capacity check and a copy of each string's bytes:
    /// `ByteBuffer`'s own string writes cost ~150 instructions each, four
    /// of them a field.
    mutating func writeHeaderLine(_ name: String, _ value: String) {
        var name = name
        var value = value
        name.withUTF8 { name in
            value.withUTF8 { value in
                let count = name.count + value.count + 4
                writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
                    UnsafeMutableRawBufferPointer(rebasing: out[..<name.count]).copyMemory(
                        from: UnsafeRawBufferPointer(name))
                    out[name.count] = UInt8(ascii: ":")
                    out[name.count + 1] = UInt8(ascii: " ")
                    let valueEnd = name.count + 2 + value.count
                    UnsafeMutableRawBufferPointer(rebasing: out[(name.count + 2)..<valueEnd]).copyMemory(
                        from: UnsafeRawBufferPointer(value))
                    out[valueEnd] = UInt8(ascii: "\r")
                    out[valueEnd + 1] = UInt8(ascii: "\n")
                    return count
                }
            }
        }
    }

    /// The bytes ``writeHeaderLine(_:_:)`` writes for a field.
    static func headerLineLength(_ name: String, _ value: String) -> Int {
        name.utf8.count + value.utf8.count + 4
    }
}

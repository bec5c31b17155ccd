extension UInt8 {
    /// `0` to `9`.
    @inlinable public var isASCIIDigit: Bool { self &- UInt8(ascii: "0") < 10 }

    /// `0` to `9`, `a` to `f`, `A` to `F`.
    @inlinable public var isASCIIHexDigit: Bool { isASCIIDigit || (self | 0x20) &- UInt8(ascii: "a") < 6 }
}

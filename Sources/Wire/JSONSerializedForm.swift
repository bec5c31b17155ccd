extension JSONValue {
    /// Whether `bytes` are exactly the text ``serialized()`` writes for the
    /// value they parse to: valid JSON, compact, escaped only where the
    /// serializer escapes, numbers spelled as it spells them.
    ///
    /// A writer that must store JSON as a value (a cassette's `body`, a
    /// frame's `data`) can then copy such text as it is, instead of parsing
    /// and re-serializing it: one pass over the bytes and no allocation (a
    /// number with a fraction or exponent costs a `Double` round trip).
    public static func isSerializedForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var scanner = SerializedFormScanner(bytes: bytes)
        return scanner.scanDocument()
    }

    /// Where the members of a top-level object in serialized form lie, and
    /// the elements of those members that are arrays; nil when `bytes` are
    /// not in serialized form or not an object. A cassette writer uses it to
    /// store large repeated parts of a body once.
    ///
    /// `knownPart` may vouch for parts (a member's value, or an element of
    /// one that is an array) at least `knownPartMinimum` bytes long: given
    /// the text from where a part starts to the end, and the part's depth
    /// (1 for a member, 2 for an element), it returns the length of a value
    /// it knows to be in serialized form that the text starts with, and the
    /// scanner goes on after it without looking inside. A cassette writer
    /// vouches for the parts it stored earlier (checked then): Claude Code
    /// resends most of a 50 KB request every turn, and checking it again was
    /// most of what recording it cost. The caller answers for the nesting
    /// within a part it vouches for, which the scanner does not count.
    public static func serializedFormLayout(
        _ bytes: UnsafeBufferPointer<UInt8>, knownPartMinimum: Int = .max,
        knownPart: (_ text: UnsafeBufferPointer<UInt8>, _ depth: Int) -> Int? = { _, _ in nil }
    ) -> SerializedFormLayout? {
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        return withoutActuallyEscaping(knownPart) { knownPart in
            var scanner = SerializedFormScanner(bytes: bytes)
            scanner.recordsLayout = true
            scanner.knownPartMinimum = knownPartMinimum
            scanner.knownPart = knownPart
            guard scanner.scanDocument() else { return nil }
            return scanner.layout
        }
    }

    /// ``isSerializedForm(_:)-(UnsafeBufferPointer<UInt8>)`` for an array.
    public static func isSerializedForm(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isSerializedForm($0) }
    }

    /// ``isSerializedForm(_:)-(UnsafeBufferPointer<UInt8>)`` for a string's UTF-8.
    public static func isSerializedForm(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isSerializedForm($0) }
    }
}

/// The byte ranges of a top-level object's members (see
/// ``JSONValue/serializedFormLayout(_:knownPartMinimum:knownPart:)``).
public struct SerializedFormLayout: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        /// The key, quotes included.
        public var key: Range<Int>
        public var value: Range<Int>
        /// The value's elements when it is an array.
        public var elements: [Range<Int>]?
    }

    public var members: [Member]
}

/// The check behind ``JSONValue/isSerializedForm(_:)-(UnsafeBufferPointer<UInt8>)``.
/// It accepts exactly the texts for which `JSONValue(parsing:)` succeeds and
/// `serialized()` gives the same bytes back; a test holds it to that on
/// generated and real inputs.
private struct SerializedFormScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    /// Filled in when `recordsLayout`.
    var layout = SerializedFormLayout(members: [])
    var recordsLayout = false
    /// See ``JSONValue/serializedFormLayout(_:knownPartMinimum:knownPart:)``;
    /// asked only while recording the layout.
    var knownPartMinimum = Int.max
    var knownPart: ((UnsafeBufferPointer<UInt8>, Int) -> Int?)?

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func scanDocument() -> Bool {
        scanValue() && position == bytes.count
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func scanValue() -> Bool {
        guard let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "{"): return scanContainer(closing: UInt8(ascii: "}"), keyed: true)
        case UInt8(ascii: "["): return scanContainer(closing: UInt8(ascii: "]"), keyed: false)
        case UInt8(ascii: "\""): return scanString()
        case UInt8(ascii: "t"): return scanLiteral("true")
        case UInt8(ascii: "f"): return scanLiteral("false")
        case UInt8(ascii: "n"): return scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return scanNumber()
        default: return false
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for index in 0..<count where bytes[position + index] != literal.utf8Start[index] { return false }
        position += count
        return true
    }

    /// An object (`keyed`) or an array, with no whitespace anywhere.
    private mutating func scanContainer(closing: UInt8, keyed: Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONValue.maximumNestingDepth else { return false }
        position += 1
        if current == closing {
            position += 1
            return true
        }
        // Depth 1 is the top-level object; depth 2 an array that is one of its values.
        let recording = recordsLayout && (depth == 1 ? keyed : depth == 2 && !keyed)
        if recording, !keyed { layout.members[layout.members.count - 1].elements = [] }
        while true {
            let keyStart = position
            if keyed {
                guard current == UInt8(ascii: "\""), scanString(), current == UInt8(ascii: ":") else { return false }
                position += 1
            }
            let valueStart = position
            if recording, keyed {
                layout.members.append(.init(key: keyStart..<valueStart - 1, value: valueStart..<valueStart))
            }
            guard recording ? scanPart() : scanValue() else { return false }
            if recording {
                if keyed {
                    layout.members[layout.members.count - 1].value = valueStart..<position
                } else {
                    layout.members[layout.members.count - 1].elements?.append(valueStart..<position)
                }
            }
            switch current {
            case UInt8(ascii: ","): position += 1
            case closing:
                position += 1
                return true
            default: return false
            }
        }
    }

    /// A part of the layout: gone over at once when ``knownPart`` vouches
    /// for it, else checked. A member that is an array is not a part (its
    /// elements are), so it is not offered.
    private mutating func scanPart() -> Bool {
        if let knownPart, bytes.count - position >= knownPartMinimum, depth > 1 || current != UInt8(ascii: "["),
            let length = knownPart(UnsafeBufferPointer(rebasing: bytes[position...]), depth)
        {
            precondition(length > 0 && length <= bytes.count - position, "a vouched part lies outside the text")
            position += length
            return true
        }
        return scanValue()
    }

    /// A string whose only escapes are those the serializer writes: `\"`,
    /// `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, and `\u00xx` (lowercase hex) for
    /// the other control characters; everything else raw, valid UTF-8.
    private mutating func scanString() -> Bool {
        position += 1
        while position < bytes.count {
            // Plain ASCII is nearly all of a body: skip it in bulk, then
            // look at what stopped the run.
            position = PlainByteRun.end(in: bytes, from: position, nonASCII: false)
            guard let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return true
            case UInt8(ascii: "\\"):
                guard scanEscape() else { return false }
            case 0..<0x20:
                return false
            default:
                guard let length = UTF8Validation.sequenceLength(in: bytes, at: position) else { return false }
                position += length
            }
        }
        return false
    }

    private mutating func scanEscape() -> Bool {
        guard position + 1 < bytes.count else { return false }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
            UInt8(ascii: "b"), UInt8(ascii: "f"):
            position += 2
            return true
        case UInt8(ascii: "u"):
            guard position + 5 < bytes.count, bytes[position + 2] == UInt8(ascii: "0"),
                bytes[position + 3] == UInt8(ascii: "0"),
                let high = Self.lowercaseHex(bytes[position + 4]), let low = Self.lowercaseHex(bytes[position + 5])
            else { return false }
            let scalar = high << 4 | low
            // The serializer writes these five with their short escapes.
            guard scalar < 0x20, scalar != 0x08, scalar != 0x09, scalar != 0x0A, scalar != 0x0C, scalar != 0x0D
            else { return false }
            position += 6
            return true
        default:
            return false
        }
    }

    private static func lowercaseHex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The parser's number grammar; then an integer must fit in 64 bits (and
    /// not be `-0`, which comes back as `0`), and any other number must be
    /// spelled as `Double.description` spells it.
    private mutating func scanNumber() -> Bool {
        let start = position
        var isInteger = true
        if current == UInt8(ascii: "-") { position += 1 }
        guard scanDigits() else { return false }
        let integerDigits = position - start - (bytes[start] == UInt8(ascii: "-") ? 1 : 0)
        if integerDigits > 1, bytes[position - integerDigits] == UInt8(ascii: "0") { return false }
        if current == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard scanDigits() else { return false }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard scanDigits() else { return false }
        }
        let token = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger {
            if token.count == 2, token[0] == UInt8(ascii: "-"), token[1] == UInt8(ascii: "0") { return false }
            // 18 digits always fit in an Int64.
            if integerDigits <= 18 { return true }
        }
        let text = String(decoding: token, as: UTF8.self)
        if isInteger, Int64(text) != nil { return true }
        guard let double = Double(text), double.isFinite else { return false }
        return double.description.utf8.elementsEqual(token)
    }

    /// One or more digits; a leading zero is checked by the caller.
    private mutating func scanDigits() -> Bool {
        let start = position
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position > start
    }
}

/// Reads a JSON text value by value, without building a ``JSONValue`` tree:
/// the caller walks objects and arrays, reads the members it wants and
/// skips the rest.
///
/// A stream's chunks are small objects of which a transcoder needs a few
/// members; building each chunk's whole tree, every key and string a
/// `String`, and freeing it again was most of what converting a stream
/// cost. What is skipped is still checked as ``JSONValue/init(parsing:maximumDepth:)``
/// checks it (grammar, escapes, UTF-8, nesting depth), so a text read to the
/// end here is one that parser accepts, and what is read from it is what
/// the tree holds. Members are met in the text's order, repeated keys
/// included: a caller that must agree with the tree's lookup (the first of
/// repeated keys) notices a repeat itself.
public struct JSONReader {
    /// The kind of value that comes next, from its first byte.
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    /// An object member's key, as ``ObjectMembers/next(_:)`` gives it.
    ///
    /// Kept as its length and its first 24 bytes (decoded) packed in three
    /// words: comparing it with a name costs a few instructions, with no
    /// `String` made and nothing retained.
    @frozen public struct Key: Sendable {
        /// The longest name ``matches(_:)`` compares.
        public static var longestName: Int { 24 }
        @usableFromInline let count: Int
        @usableFromInline let packed: (UInt64, UInt64, UInt64)

        fileprivate init(_ bytes: UnsafeBufferPointer<UInt8>) {
            count = bytes.count
            packed = Self.pack(bytes)
        }

        /// Up to ``longestName`` bytes in memory order, the rest zero.
        @inlinable static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64) {
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &words) { words in
                words.copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes).prefix(longestName)))
            }
            return words
        }

        /// Whether the key is `name`, compared byte for byte (as
        /// ``JSONObject``'s lookup compares keys of ASCII names). `name` is
        /// at most ``longestName`` bytes long. Inlinable: a `switch` over a
        /// key calls it for each case.
        @inlinable public func matches(_ name: StaticString) -> Bool {
            name.withUTF8Buffer { expected in
                precondition(expected.count <= Self.longestName, "a key name longer than JSONReader.Key.longestName")
                return expected.count == count && Self.pack(expected) == packed
            }
        }

        /// Lets a `switch` over a key take string literals as its cases.
        @inlinable public static func ~= (pattern: StaticString, key: Key) -> Bool {
            key.matches(pattern)
        }
    }

    /// The members of an object being read: ``next(_:)`` gives each key in
    /// turn, the reader standing at its value, which the caller must read
    /// or skip before asking for the next.
    public struct ObjectMembers {
        fileprivate var started = false

        /// The next member's key, or nil past the object's end.
        public mutating func next(_ reader: inout JSONReader) throws(JSONParseError) -> Key? {
            guard try reader.continues(after: &started, closing: UInt8(ascii: "}")) else { return nil }
            let key = try reader.readKey()
            reader.parser.skipWhitespace()
            guard reader.parser.position < reader.parser.bytes.count,
                reader.parser.bytes[reader.parser.position] == UInt8(ascii: ":")
            else { throw reader.parser.error("expected ':' after key") }
            reader.parser.position += 1
            reader.parser.skipWhitespace()
            return key
        }
    }

    /// The elements of an array being read: while ``next(_:)`` says true,
    /// the reader stands at an element, which the caller must read or skip.
    public struct ArrayElements {
        fileprivate var started = false

        /// Whether another element follows.
        public mutating func next(_ reader: inout JSONReader) throws(JSONParseError) -> Bool {
            try reader.continues(after: &started, closing: UInt8(ascii: "]"))
        }
    }

    private var parser: JSONParser

    /// A reader at the start of `bytes`, UTF-8 JSON text.
    public init(_ bytes: [UInt8]) {
        parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
    }

    /// Where in the text the reader stands: at the next value's first byte
    /// once a key or an array element is given, just past a value read.
    public var offset: Int { parser.position }

    /// What the next value is; nil at the end of the text or at a byte no
    /// value starts with.
    @inline(__always)
    public var nextKind: Kind? {
        guard parser.position < parser.bytes.count else { return nil }
        switch parser.bytes[parser.position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Enters the object that comes next; its members follow.
    public mutating func readObject() throws(JSONParseError) -> ObjectMembers {
        try open(UInt8(ascii: "{"), "expected an object")
        return ObjectMembers()
    }

    /// Enters the array that comes next; its elements follow.
    public mutating func readArray() throws(JSONParseError) -> ArrayElements {
        try open(UInt8(ascii: "["), "expected an array")
        return ArrayElements()
    }

    /// Reads a string; throws if the next value is not one.
    public mutating func readString() throws(JSONParseError) -> String {
        guard nextKind == .string else { throw parser.error("expected a string") }
        return try parser.parseString()
    }

    /// Reads the next value, whatever it is, as a tree.
    public mutating func readValue() throws(JSONParseError) -> JSONValue {
        try parser.parseValue()
    }

    /// Moves past the next value, checking it as the parser would.
    public mutating func skipValue() throws(JSONParseError) {
        switch nextKind {
        case .object?:
            var members = try readObject()
            while try members.next(&self) != nil { try skipValue() }
        case .array?:
            var elements = try readArray()
            while try elements.next(&self) { try skipValue() }
        case .string?: try skipString()
        case .number?: _ = try parser.scanNumber()
        case .bool?:
            try parser.expectLiteral(parser.bytes[parser.position] == UInt8(ascii: "t") ? "true" : "false")
        case .null?: try parser.expectLiteral("null")
        case nil: _ = try parser.parseValue()  // throws the parser's own error
        }
    }

    /// The value of member `name` of the object `data` holds, as `read`
    /// takes it from the reader standing at it; `.some(nil)` when the object
    /// has no such member. The rest of the text is checked as it is skipped.
    /// Nil when `data` is not one JSON object, has `name` more than once
    /// (the tree's lookup takes the first), or `read` throws. Inlinable, so
    /// that it is specialized for `Value` where it is called.
    @inlinable public static func member<Value>(
        _ name: StaticString, of data: [UInt8], _ read: (inout JSONReader) throws -> Value
    ) -> Value?? {
        var reader = JSONReader(data)
        var value: Value?
        do {
            var members = try reader.readObject()
            while let key = try members.next(&reader) {
                guard key.matches(name) else {
                    try reader.skipValue()
                    continue
                }
                guard value == nil else { return nil }
                value = try read(&reader)
            }
            try reader.finish()
        } catch {
            return nil
        }
        return .some(value)
    }

    /// Whether `data` is one JSON value, as ``JSONValue/init(parsing:maximumDepth:)``
    /// would accept it, checked without building its tree.
    public static func isOneValue(_ data: [UInt8]) -> Bool {
        var reader = JSONReader(data)
        do {
            try reader.skipValue()
            try reader.finish()
            return true
        } catch {
            return false
        }
    }

    /// Throws unless only whitespace is left: the text was one value.
    public mutating func finish() throws(JSONParseError) {
        parser.skipWhitespace()
        if parser.position != parser.bytes.count { throw parser.error("unexpected data after the JSON value") }
    }

    @inline(__always)
    private mutating func open(_ opening: UInt8, _ reason: String) throws(JSONParseError) {
        guard parser.position < parser.bytes.count, parser.bytes[parser.position] == opening else {
            throw parser.error(reason)
        }
        try parser.enter()
        parser.position += 1
        parser.skipWhitespace()
    }

    /// Past a container's opening or its last member or element: true
    /// when another follows (past its comma), false past the closing byte.
    @inline(__always)
    private mutating func continues(after started: inout Bool, closing: UInt8) throws(JSONParseError) -> Bool {
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count else { throw parser.error("unexpected end of input") }
        let byte = parser.bytes[parser.position]
        if byte == closing {
            parser.position += 1
            parser.depth -= 1
            return false
        }
        if started {
            guard byte == UInt8(ascii: ",") else {
                throw parser.error(
                    closing == UInt8(ascii: "}") ? "expected ',' or '}' in object" : "expected ',' or ']' in array")
            }
            parser.position += 1
            parser.skipWhitespace()
        } else {
            started = true
        }
        return true
    }

    @inline(__always)
    private mutating func readKey() throws(JSONParseError) -> Key {
        guard nextKind == .string else { throw parser.error("expected a string key") }
        guard let plain = plainString() else {
            var text = try parser.parseString()
            return text.withUTF8 { Key($0) }
        }
        return parser.bytes.withUnsafeBufferPointer { Key(UnsafeBufferPointer(rebasing: $0[plain])) }
    }

    private mutating func skipString() throws(JSONParseError) {
        if plainString() == nil { _ = try parser.parseString() }
    }

    /// Moves past a string with no escape and returns where its text lies;
    /// nil, not moving, for a string with an escape or bytes that are not
    /// valid in one (left to the parser, which decodes or refuses them).
    @inline(__always)
    private mutating func plainString() -> Range<Int>? {
        let start = parser.position + 1
        var ascii = true
        let end = parser.plainRunEnd(from: start, ascii: &ascii)
        guard end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\"") else { return nil }
        if !ascii {
            let valid = parser.bytes.withUnsafeBufferPointer {
                UTF8Validation.isValid(UnsafeBufferPointer(rebasing: $0[start..<end]))
            }
            guard valid else { return nil }
        }
        parser.position = end + 1
        return start..<end
    }
}

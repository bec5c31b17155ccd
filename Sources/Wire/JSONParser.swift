/// Why a JSON text could not be read, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the problem in the input.
    public var offset: Int
    /// 1-based line and column of the problem.
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "invalid JSON at line \(line), column \(column): \(reason)" }
}

extension JSONValue {
    /// How deeply arrays and objects may nest in what ``init(parsing:maximumDepth:)``
    /// reads by default; deeper input is refused rather than risking the stack.
    public static let maximumNestingDepth = 512

    /// Parses one JSON value from UTF-8 bytes; whitespace may surround it,
    /// nothing else may follow it. A container that wraps values read with
    /// the default limit (a cassette line around a request body) needs a
    /// deeper `maximumDepth`.
    public init(
        parsing bytes: some Collection<UInt8>, maximumDepth: Int = JSONValue.maximumNestingDepth
    ) throws(JSONParseError) {
        // A string's UTF-8 view (a stream frame's data) copied byte by byte
        // through the generic path cost ~7 K instructions a frame.
        let array = bytes.withContiguousStorageIfAvailable { Array($0) } ?? Array(bytes)
        try self.init(parsing: array, maximumDepth: maximumDepth)
    }

    /// ``init(parsing:maximumDepth:)-(some Collection<UInt8>,_)`` for an
    /// array, read where it is rather than copied.
    public init(parsing bytes: [UInt8], maximumDepth: Int = JSONValue.maximumNestingDepth) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        self = try parser.parseDocument()
    }

    /// Parses one JSON value from a string.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }
}

/// A recursive-descent parser over UTF-8 bytes. It keeps key order, keeps
/// integers that fit in 64 bits as integers, and reports byte positions.
struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0
    /// When set, where the value of each member of the top-level object is
    /// in `bytes`, in order (``JSONDocument``).
    var memberSpans: [Range<Int>]?

    /// Deeper nesting than this is refused rather than risking the stack.
    let maximumDepth: Int

    init(bytes: [UInt8], maximumDepth: Int = JSONValue.maximumNestingDepth) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position != bytes.count { throw error("unexpected data after the JSON value") }
        return value
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONParseError(offset: offset, line: line, column: offset - lineStart + 1, reason: reason)
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for index in 0..<count where bytes[position + index] != start[index] {
            throw error("invalid literal, expected '\(literal)'")
        }
        position += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maximumDepth { throw error("nesting deeper than \(maximumDepth) levels") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        // Grown from one member at a time, a request's objects were
        // reallocated at their 2nd, 3rd and 5th member: room for four at
        // once spares most of that (an object of one member wastes 3 slots
        // until the request is done).
        object.reserveCapacity(4)
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in object") }
            guard bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after key")
            }
            position += 1
            skipWhitespace()
            let valueStart = position
            do {
                object.append(key: key, value: try parseValue())
            } catch  where error.offset == valueStart && error.reason.hasPrefix(Self.outOfRangeReason) {
                // Named here, where the key is known: a client told only a
                // line and column has to count to find its `temperature`.
                throw JSONParseError(
                    offset: error.offset, line: error.line, column: error.column,
                    reason: "\(error.reason) in \"\(key)\"")
            }
            if depth == 1 { memberSpans?.append(valueStart..<position) }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(object)
            } else {
                throw error("expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(array)
        }
        array.reserveCapacity(4)
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(array)
            } else {
                throw error("expected ',' or ']' in array")
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        // The range is checked here on the value made anyway: checked in
        // the scan too, a number with an exponent was converted twice.
        let isInteger = try scanNumber(checkingRange: false)
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text) else { throw error("invalid number", at: start) }
        guard double.isFinite else { throw outOfRange(text, at: start) }
        return .double(double)
    }

    /// How the reason of the error for a number beyond a `Double`'s range
    /// starts; the object it is a member of adds the member's key.
    static let outOfRangeReason = "number out of range"

    /// Moves past a number that follows JSON's grammar, and says whether it
    /// is an integer (no fraction, no exponent). Any such text converts, to
    /// an integer or a finite `Double`: skipping a number checks no more.
    ///
    /// A number beyond a `Double`'s range (`1e999`) is refused. Read as
    /// infinity, it was written back as `null`, which JSON has instead: a
    /// client's `"temperature":1e999` reached the upstream as `null`, and a
    /// cassette recorded a body the client never sent. The grammar allows
    /// such a number, but RFC 8259 lets a reader limit the range, and no
    /// API this proxy speaks takes one. (A number too small underflows to
    /// zero or a subnormal, a value JSON can write: kept.)
    /// `checkingRange` false leaves the range to a caller that converts
    /// the number itself.
    mutating func scanNumber(checkingRange: Bool = true) throws(JSONParseError) -> Bool {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, bytes[position].isASCIIDigit else { throw error("invalid number") }
        let integerStart = position
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, bytes[position].isASCIIDigit { position += 1 }
        }
        let integerDigits = position - integerStart
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, bytes[position].isASCIIDigit else { throw error("invalid number") }
            while position < bytes.count, bytes[position].isASCIIDigit { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, bytes[position].isASCIIDigit else { throw error("invalid number") }
            while position < bytes.count, bytes[position].isASCIIDigit { position += 1 }
            if checkingRange { try checkRange(from: start) }
        } else if integerDigits > 308, checkingRange {
            // Without an exponent, 309 digits before any point are needed to
            // pass `Double.greatestFiniteMagnitude` (about 1.8e308).
            try checkRange(from: start)
        }
        return isInteger
    }

    /// Throws unless the number from `start` to here is a finite `Double`.
    private func checkRange(from start: Int) throws(JSONParseError) {
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), !value.isFinite else { return }
        throw outOfRange(text, at: start)
    }

    private func outOfRange(_ text: String, at start: Int) -> JSONParseError {
        let shown = text.count > 40 ? "\(text.prefix(20))…\(text.suffix(10))" : text
        return error("\(Self.outOfRangeReason) (\(shown) is beyond a 64-bit float)", at: start)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        // Runs of bytes that stand for themselves are found sixteen at a time
        // and copied whole: Claude Code's 47 KB request is mostly long
        // strings full of `\n`, and a byte-by-byte copy through its escapes
        // was a third of the proxy's work on it.
        var ascii = true
        let end = plainRunEnd(from: start, ascii: &ascii)
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            // No escapes, so the bytes are the string. ASCII needs no
            // validation; the generic validating initializer was a sixth of
            // a converted stream's cost.
            let string =
                ascii
                ? bytes.withUnsafeBufferPointer {
                    String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
                } : try validatedString(bytes[start..<end], at: start)
            position = end + 1
            return string
        }
        position = end
        var buffer = Array(bytes[start..<end])
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return ascii ? String(decoding: buffer, as: UTF8.self) : try validatedString(buffer[...], at: start)
            }
            if byte < 0x20 { throw error("control character in string") }
            // A backslash: the run ended at a quote, a control character
            // or one.
            position += 1
            guard position < bytes.count else { throw error("unexpected end of input in string") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                try appendUnicodeEscape(to: &buffer)
                // A scalar above U+007F ends in a continuation byte.
                if buffer[buffer.count - 1] >= 0x80 { ascii = false }
            default: throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'", at: position - 1)
            }
            let runEnd = plainRunEnd(from: position, ascii: &ascii)
            buffer.append(contentsOf: bytes[position..<runEnd])
            position = runEnd
        }
        throw error("unterminated string", at: start - 1)
    }

    /// Where the run of bytes from `start` on that a JSON string holds as
    /// they are ends (see ``PlainByteRun``); clears `ascii` when the run
    /// holds a byte of 0x80 or above.
    func plainRunEnd(from start: Int, ascii: inout Bool) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            if !ascii { return PlainByteRun.end(in: buffer, from: start, nonASCII: true) }
            let end = PlainByteRun.end(in: buffer, from: start, nonASCII: false)
            guard end < buffer.count, buffer[end] >= 0x80 else { return end }
            ascii = false
            return PlainByteRun.end(in: buffer, from: end, nonASCII: true)
        }
    }

    private func validatedString(_ slice: ArraySlice<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        guard let string = slice.withUnsafeBufferPointer({ UTF8Validation.string(validating: $0) }) else {
            throw error("string is not valid UTF-8", at: offset)
        }
        return string
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("unexpected end of input in \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func appendUnicodeEscape(to buffer: inout [UInt8]) throws(JSONParseError) {
        var scalarValue = try readHex4()
        if (0xD800...0xDBFF).contains(scalarValue) {
            // A high surrogate must be followed by an escaped low surrogate;
            // a lone one becomes U+FFFD, as browsers and Python do.
            if position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            {
                let save = position
                position += 2
                let low = try readHex4()
                if (0xDC00...0xDFFF).contains(low) {
                    scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save
                    scalarValue = 0xFFFD
                }
            } else {
                scalarValue = 0xFFFD
            }
        } else if (0xDC00...0xDFFF).contains(scalarValue) {
            scalarValue = 0xFFFD
        }
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        buffer.append(contentsOf: String(Character(scalar)).utf8)
    }
}

/// A URL's query (`name=value&name=value`), read by byte.
///
/// Every place that reads a query (the redactor finding `key=`, the proxy
/// taking a Gemini client's key, the login reading its callback, the
/// exports and `log-replay send` rewriting `key=`) reads it here, so they
/// agree on what a parameter is. By byte, not by `Character`: a combining
/// mark right after `&` or `=` makes one `Character` of the two, which a
/// split by `Character` passes over (the redactor once recorded a `key=`
/// whole that way).
public struct URLQuery: Sendable {
    /// One `&`-separated part of a query.
    public struct Parameter: Sendable {
        /// The part as it is in the query.
        public let text: Substring
        /// What comes before its first `=` (all of it when there is none),
        /// still percent-encoded.
        public let encodedName: Substring
        /// What comes after its first `=`, still percent-encoded; nil when
        /// there is no `=`.
        public let encodedValue: Substring?

        /// ``encodedName`` decoded (see ``URLQuery/decoded(_:)``).
        public var name: String { URLQuery.decoded(encodedName) }

        /// ``encodedValue`` decoded, `""` when there is none.
        public var value: String { encodedValue.map { URLQuery.decoded($0) } ?? "" }
    }

    /// Every part, in order, empty ones too (`a=1&&b=2` has three), so that
    /// joining their ``Parameter/text`` with `&` gives the query back.
    public let parameters: [Parameter]

    /// - Parameter query: what follows the `?`, without a `#` fragment.
    public init(_ query: Substring) {
        parameters = query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false).map { bytes in
            let text = Substring(bytes)
            guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                return Parameter(text: text, encodedName: text, encodedValue: nil)
            }
            return Parameter(
                text: text, encodedName: text[..<equals], encodedValue: text[text.utf8.index(after: equals)...])
        }
    }

    /// - Parameter query: what follows the `?`, without a `#` fragment.
    public init(_ query: String) { self.init(Substring(query)) }

    /// The parts that are not empty.
    public var nonEmptyParameters: [Parameter] { parameters.filter { !$0.text.isEmpty } }

    /// The decoded value of the first parameter whose decoded name is
    /// `name`; nil when there is none.
    public func value(named name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// `text` with `%XX` escapes decoded and `+` read as a space, as a
    /// form's query is written. An escape that is not one (`%zz`, a `%` at
    /// the end) stays as it is, and bytes that are not UTF-8 once decoded
    /// become U+FFFD: a query is outside input, read for what it says.
    public static func decoded(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        let bytes = decodedBytes(text.utf8, plusAsSpace: true, strict: false)!
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` (a path segment) with `%XX` escapes decoded and `+` kept;
    /// nil when an escape is malformed or the result is not UTF-8.
    public static func strictlyDecoded(_ text: Substring) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        guard let bytes = decodedBytes(text.utf8, plusAsSpace: false, strict: true) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The one decoder of both forms; nil only when `strict` and an escape
    /// is malformed.
    private static func decodedBytes(_ text: Substring.UTF8View, plusAsSpace: Bool, strict: Bool) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index = text.index(after: index)
            if byte == UInt8(ascii: "%") {
                if let high = text[index...].first.flatMap(hexValue),
                    let low = text[text.index(after: index)...].first.flatMap(hexValue)
                {
                    bytes.append(high << 4 | low)
                    index = text.index(index, offsetBy: 2)
                    continue
                }
                if strict { return nil }
            }
            bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

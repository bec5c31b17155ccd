import Wire
import Yams

/// What a plain YAML scalar means under the core schema (bool, int, float,
/// null or text), decided as Yams's `Resolver.default` decides it, without
/// its regular expressions.
///
/// Yams's default resolver compiles seven `NSRegularExpression`s the first
/// time any tag is made with it; that brings up ICU's regex engine, its
/// Unicode property tables and its data file: about 1.1 MB of an idle
/// proxy's resident memory, for a config file of a few lines. The config is
/// therefore parsed with `Resolver.basic` (every scalar text), and the parser
/// asks this type what a plain scalar means. Quoted and block scalars are
/// always text, as YAML has it.
///
/// A scalar with a tag of its own (`!!str yes`, `!!bool true`, `! yes`)
/// keeps it, as with Yams's default resolver: only an untagged plain scalar
/// is resolved here.
enum YAMLCoreSchema {
    /// The tag `text`, a plain scalar, resolves to. Merge keys (`<<`),
    /// timestamps and `=` are text here: the config reads them as text.
    /// (ICU's `$` also matches before a final line break, so Yams's rules
    /// take `1\n` for an int; no plain scalar ends with one.)
    static func tag(ofPlain text: String) -> Tag.Name {
        if boolSpellings.contains(text) { return .bool }
        let bytes = Array(text.utf8)
        if isInt(bytes) { return .int }
        if isFloat(bytes) { return .float }
        if nullSpellings.contains(text) { return .null }
        return .str
    }

    /// The value of a bool scalar, in any case as Yams's constructor reads
    /// it (an explicit `!!bool tRUE` too), or nil.
    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    /// The spellings a plain scalar is a bool by: these cases only.
    private static let boolSpellings: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    private static let nullSpellings: Set<String> = ["~", "null", "Null", "NULL", ""]

    /// `[-+]?` then one of: `0b[0-1_]+`, `0o?[0-7_]+`, `0`, `[1-9][0-9_]*`,
    /// `0x[0-9a-fA-F_]+`, `[1-9][0-9_]*(:[0-5]?[0-9])+`.
    static func isInt(_ bytes: [UInt8]) -> Bool {
        var scan = ByteScan(bytes)
        scan.skipSign()
        let start = scan
        if scan.take("0") {
            if scan.atEnd { return true }
            if scan.take("b") {
                return scan.takeAll(where: {
                    $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_")
                })
            }
            if scan.take("x") { return scan.takeAll(where: { $0.isASCIIHexDigit || $0 == UInt8(ascii: "_") }) }
            _ = scan.take("o")
            return scan.takeAll(where: {
                (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) || $0 == UInt8(ascii: "_")
            })
        }
        scan = start
        guard scan.take(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) else { return false }
        scan.skip(where: \.isDigitOrUnderscore)
        if scan.atEnd { return true }
        return scan.takeSexagesimalGroups() && scan.atEnd
    }

    /// The value of a node that ``isInt(_:)``, as Yams's constructor reads
    /// it, or nil when it does not fit an `Int`. A sexagesimal one (`1:30`
    /// is 90) is read here: Yams multiplies its groups unchecked, and
    /// `1:0:0:0:0:0:0:0:0:0:0` in a config trapped.
    static func int(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node, scalar.string.contains(":") else { return node.int }
        var text = Substring(scalar.string)
        let negative = text.first == "-"
        if negative || text.first == "+" { text = text.dropFirst() }
        var value = 0
        for group in text.split(separator: ":", omittingEmptySubsequences: false) {
            // Digits only: a sign inside (an explicit `!!int 1:-5`) is no sexagesimal, and
            // `-0:-9223372036854775808` reached -Int.min.
            let digits = group.filter { $0 != "_" }
            guard !digits.isEmpty, digits.utf8.allSatisfy(\.isASCIIDigit), let part = Int(digits) else { return nil }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: 60)
            let (sum, carry) = scaled.addingReportingOverflow(part)
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// One of: `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?`,
    /// `\.[0-9_]+([eE][-+][0-9]+)?`, `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`,
    /// `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`.
    static func isFloat(_ bytes: [UInt8]) -> Bool {
        var scan = ByteScan(bytes)
        let signed = scan.skipSign()
        if scan.take(".") {
            let rest = String(decoding: bytes[scan.index...], as: UTF8.self)
            if ["inf", "Inf", "INF"].contains(rest) { return true }
            if !signed, ["nan", "NaN", "NAN"].contains(rest) { return true }
            // `\.[0-9_]+([eE][-+][0-9]+)?`, which takes no sign.
            guard !signed,
                scan.takeAll(where: \.isDigitOrUnderscore, stoppingAt: \.isExponentMark)
            else {
                return false
            }
            if scan.atEnd { return true }
            _ = scan.take(where: \.isExponentMark)
            guard scan.skipSign() else { return false }
            return scan.takeAll(where: \.isASCIIDigit)
        }
        guard scan.take(where: \.isASCIIDigit) else { return false }
        scan.skip(where: \.isDigitOrUnderscore)
        if scan.atEnd { return true }
        if scan.peek == UInt8(ascii: ":") {
            guard scan.takeSexagesimalGroups(), scan.take(".") else { return false }
            scan.skip(where: \.isDigitOrUnderscore)
            return scan.atEnd
        }
        if scan.take(".") { scan.skip(where: \.isDigitOrUnderscore) }
        if scan.atEnd { return true }
        guard scan.take(where: \.isExponentMark) else { return false }
        scan.skipSign()
        return scan.takeAll(where: \.isASCIIDigit)
    }
}

/// A cursor over a scalar's bytes, for the core schema's patterns.
private struct ByteScan {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    /// Takes a `+` or `-`, if there is one; says whether it did.
    @discardableResult
    mutating func skipSign() -> Bool {
        take(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
    }

    mutating func take(_ ascii: Unicode.Scalar) -> Bool {
        take(where: { $0 == UInt8(ascii: ascii) })
    }

    mutating func take(where accepts: (UInt8) -> Bool) -> Bool {
        guard let byte = peek, accepts(byte) else { return false }
        index += 1
        return true
    }

    mutating func skip(where accepts: (UInt8) -> Bool) {
        while take(where: accepts) {}
    }

    /// One or more accepted bytes, then the end (or a byte `stop` accepts,
    /// left in place).
    mutating func takeAll(where accepts: (UInt8) -> Bool, stoppingAt stop: (UInt8) -> Bool = { _ in false }) -> Bool {
        let start = index
        skip(where: accepts)
        guard index > start else { return false }
        if let byte = peek { return stop(byte) }
        return true
    }

    /// `(:[0-5]?[0-9])+`: each group is a colon and one digit, or two whose
    /// first is 0 to 5.
    mutating func takeSexagesimalGroups() -> Bool {
        var groups = 0
        while take(":") {
            guard let first = peek, first.isASCIIDigit else { return false }
            index += 1
            if let second = peek, second.isASCIIDigit {
                guard first <= UInt8(ascii: "5") else { return false }
                index += 1
            }
            groups += 1
        }
        return groups > 0
    }
}

extension UInt8 {
    fileprivate var isDigitOrUnderscore: Bool { isASCIIDigit || self == UInt8(ascii: "_") }
    fileprivate var isExponentMark: Bool { self == UInt8(ascii: "e") || self == UInt8(ascii: "E") }
}

extension Node {
    /// This node's tag, with a plain scalar resolved by ``YAMLCoreSchema``:
    /// what Yams's default resolver would have made it.
    var coreSchemaTag: Tag.Name {
        guard case .scalar(let scalar) = self else { return Tag.Name(rawValue: tag.rawValue) }
        // The scalar's own tag, not `Node.tag`: reading that resolves it (to
        // `str`, with `Resolver.basic`) in the Tag object the node shares.
        switch scalar.tag.rawValue {
        case Tag.Name.implicit.rawValue:
            return scalar.style == .plain ? YAMLCoreSchema.tag(ofPlain: scalar.string) : .str
        case Tag.Name.nonSpecific.rawValue:
            return .str
        case let explicit:
            return Tag.Name(rawValue: explicit)
        }
    }

    /// Whether this node is YAML's null (`~`, `null`, nothing), plain or
    /// explicitly tagged.
    var isNull: Bool { coreSchemaTag == .null }
}

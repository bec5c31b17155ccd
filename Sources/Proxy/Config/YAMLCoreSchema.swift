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
/// An explicit `!!str` on a plain scalar cannot be told apart from no tag
/// once Yams has resolved it with `Resolver.basic`; quoting the value is the
/// way to keep `yes` or `null` as text.
enum YAMLCoreSchema {
    /// The tag `text`, a plain scalar, resolves to. Merge keys (`<<`),
    /// timestamps and `=` are text here: the config reads them as text.
    static func tag(ofPlain text: String) -> Tag.Name {
        if bool(text) != nil { return .bool }
        let bytes = Array(text.utf8)
        if isInt(bytes) { return .int }
        if isFloat(bytes) { return .float }
        if nullSpellings.contains(text) { return .null }
        return .str
    }

    /// The value of a plain scalar that resolves to bool, or nil.
    static func bool(_ text: String) -> Bool? {
        if trueSpellings.contains(text) { return true }
        if falseSpellings.contains(text) { return false }
        return nil
    }

    private static let trueSpellings: Set<String> = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    private static let falseSpellings: Set<String> = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
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
            if scan.take("x") { return scan.takeAll(where: { $0.isHexDigit || $0 == UInt8(ascii: "_") }) }
            _ = scan.take("o")
            return scan.takeAll(where: {
                (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) || $0 == UInt8(ascii: "_")
            })
        }
        scan = start
        guard scan.take(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) else { return false }
        scan.skip(where: { $0.isDigit || $0 == UInt8(ascii: "_") })
        if scan.atEnd { return true }
        return scan.takeSexagesimalGroups() && scan.atEnd
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
                scan.takeAll(
                    where: { $0.isDigit || $0 == UInt8(ascii: "_") },
                    stoppingAt: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
            else {
                return false
            }
            if scan.atEnd { return true }
            _ = scan.take(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
            guard scan.take(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else { return false }
            return scan.takeAll(where: \.isDigit)
        }
        guard scan.take(where: \.isDigit) else { return false }
        scan.skip(where: { $0.isDigit || $0 == UInt8(ascii: "_") })
        if scan.atEnd { return true }
        if scan.peek == UInt8(ascii: ":") {
            guard scan.takeSexagesimalGroups(), scan.take(".") else { return false }
            scan.skip(where: { $0.isDigit || $0 == UInt8(ascii: "_") })
            return scan.atEnd
        }
        if scan.take(".") { scan.skip(where: { $0.isDigit || $0 == UInt8(ascii: "_") }) }
        if scan.atEnd { return true }
        guard scan.take(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return false }
        _ = scan.take(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
        return scan.takeAll(where: \.isDigit)
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
            guard let first = peek, first.isDigit else { return false }
            index += 1
            if let second = peek, second.isDigit {
                guard first <= UInt8(ascii: "5") else { return false }
                index += 1
            }
            groups += 1
        }
        return groups > 0
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    fileprivate var isHexDigit: Bool {
        isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}

extension Node {
    /// This node's tag, with a plain scalar resolved by ``YAMLCoreSchema``:
    /// what Yams's default resolver would have made it.
    var coreSchemaTag: Tag.Name {
        guard case .scalar(let scalar) = self, scalar.style == .plain, tag.rawValue == Tag.Name.str.rawValue else {
            return Tag.Name(rawValue: tag.rawValue)
        }
        return YAMLCoreSchema.tag(ofPlain: scalar.string)
    }

    /// Whether this node is YAML's null (`~`, `null`, nothing), plain or
    /// explicitly tagged.
    var isNull: Bool { coreSchemaTag == .null }
}

import Crypto
import Wire

/// Each upstream's rule for a tool (function) name, and a name fitted to it.
///
/// The APIs disagree on what a tool may be called: OpenAI (Chat and
/// Responses) takes `^[a-zA-Z0-9_-]{1,64}$`; Anthropic documents the same
/// characters (its current API allows 128 of them, but 64 is what every
/// version and Anthropic-compatible server takes); Gemini adds `.` and `:`
/// and wants a letter or `_` first, up to 64. A name one client may use is
/// refused with a 400 by another upstream on every turn: Claude Code's MCP
/// tools (`mcp__<server>__<tool>`) often pass 64 characters, a Gemini
/// client's `files.read:v1` has characters OpenAI and Anthropic refuse, and
/// an Anthropic tool called `1st-tool` starts as Gemini refuses.
///
/// A fitted name is derived from the original name alone (with, for a
/// collision, the request's other names: ``UpstreamToolNames``), so the
/// same request always goes up the same way and a replay reproduces it.
enum UpstreamToolName {
    /// The longest name every upstream takes.
    static let maximumLength = 64
    /// How many hex digits of the name's SHA-256 a hashed name ends with:
    /// 32 bits. Only names that would otherwise be the same (cut at the
    /// same 55 characters, or the same once characters were replaced) need
    /// telling apart, a handful in a request: two share the digits with a
    /// chance of 2⁻³².
    static let hashDigits = 8

    /// Whether `upstream` takes `name` as it is.
    static func isValid(_ name: String, for upstream: Dialect) -> Bool {
        let scalars = name.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maximumLength else { return false }
        if upstream == .gemini, !startsGeminiName(scalars.first!) { return false }
        return scalars.allSatisfy { isAllowed($0, for: upstream) }
    }

    /// `name` with each character `upstream` refuses replaced by `_` (and,
    /// for Gemini, `_` put before a first character it refuses there); it
    /// may still be too long or empty.
    static func replacingCharacters(of name: String, for upstream: Dialect) -> String {
        var fitted = String.UnicodeScalarView()
        if upstream == .gemini, let first = name.unicodeScalars.first, !startsGeminiName(first) {
            fitted.append("_")
        }
        for scalar in name.unicodeScalars {
            fitted.append(isAllowed(scalar, for: upstream) ? scalar : "_")
        }
        return String(fitted)
    }

    /// `candidate` (``replacingCharacters(of:for:)``) cut so that `_` and
    /// ``hashDigits`` hex digits of `original`'s SHA-256 fit after it: the
    /// name for one too long, or one whose candidate is another tool's name.
    static func hashed(_ original: String, candidate: String) -> String {
        let digest = Array(original.utf8).withUnsafeBytes { SHA256.hash(data: $0) }
        let suffix = "_" + HexDigits.lowercase(digest.prefix(hashDigits / 2))
        // The candidate is ASCII with no CR-LF pair: a character is a byte.
        let prefix = String(candidate.prefix(maximumLength - suffix.count))
        return prefix + suffix
    }

    /// `original` fitted to `upstream` with no other name to avoid:
    /// ``replacingCharacters(of:for:)``, else ``hashed(_:candidate:)``
    /// when that is too long, empty, or `taken`.
    static func fitted(_ original: String, for upstream: Dialect, avoiding taken: (String) -> Bool) -> String {
        if isValid(original, for: upstream) { return original }
        let candidate = replacingCharacters(of: original, for: upstream)
        if isValid(candidate, for: upstream), !taken(candidate) { return candidate }
        return hashed(original, candidate: candidate)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar, for upstream: Dialect) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        case ".", ":": upstream == .gemini
        default: false
        }
    }

    private static func startsGeminiName(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "_": true
        default: false
        }
    }
}

import Crypto
import Wire

/// A tool-call id as an OpenAI upstream accepts it.
///
/// The ids in a conversation are whatever earlier answers carried: a Gemini
/// answer's calls have `toolu_<16 hex>_gsig_<thought signature>` ids (see
/// ``GeminiThoughtSignature``), hundreds of characters long. OpenAI refuses
/// an over-long id with a 400 (Chat: "string too long. Expected a string
/// with maximum length 40"; Responses: the same with 64), so a session that
/// moves to an OpenAI route would fail on every turn. An id over the limit
/// is replaced by one derived from the whole id, with no state: the same in
/// the call and in its result, so they still pair, and the same on every
/// request of the session. Ids that fit are sent as they are. No mapping
/// back is needed: the client keeps its own ids, and the calls the upstream
/// makes next come with ids of its own.
enum UpstreamToolCallID {
    /// OpenAI Chat's limit on `tool_calls[].id` and `tool_call_id`.
    static let chatMaximumLength = 40
    /// OpenAI Responses' limit on `call_id`.
    static let responsesMaximumLength = 64

    /// How many hex digits of the SHA-256 a shortened id keeps: 128 bits.
    /// Two different ids in one request share them with a chance of about
    /// n² / 2¹²⁹ (the birthday bound): under 10⁻³⁰ for 10,000 ids, far
    /// beyond any conversation. An id that fits unchanged cannot take a
    /// shortened id's place either, short of a SHA-256 preimage.
    static let hashDigits = 32

    /// `id` when it fits in `maximumLength`, else `call_` and the first
    /// ``hashDigits`` hex digits of its SHA-256 (37 characters, within both
    /// limits).
    ///
    /// The length is counted in UTF-8 bytes, never fewer than the
    /// characters OpenAI counts, so no id goes out too long; the only cost
    /// is that a non-ASCII id near the limit is shortened when it might have
    /// fit.
    static func fitted(_ id: String, maximumLength: Int) -> String {
        guard id.utf8.count > maximumLength else { return id }
        return "call_" + HexDigits.lowercase(digest(of: id).prefix(hashDigits / 2))
    }

    /// The length of Mistral's ids, all letters and digits
    /// (``ChatServer/mistral``).
    static let mistralLength = 9

    /// `id` when it is Mistral's own form (nine ASCII letters and digits,
    /// as Mistral's answers carry), else nine base-62 digits of its
    /// SHA-256: 53 bits, so two ids of one conversation share them with a
    /// chance of about n² / 2⁵⁴ (under 10⁻⁸ for 10,000 ids). The same in a
    /// call and its result, and on every request, as ``fitted(_:maximumLength:)``.
    static func mistralFitted(_ id: String) -> String {
        let bytes = id.utf8
        if bytes.count == mistralLength, bytes.allSatisfy(isASCIIAlphanumeric) { return id }
        var value = digest(of: id).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var digits: [UInt8] = []
        for _ in 0..<mistralLength {
            digits.append(base62[Int(value % 62)])
            value /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The id as the route's Chat upstream takes it: Mistral's form there,
    /// else within OpenAI's length.
    static func chatFitted(_ id: String, route: RouteOptions) -> String {
        route.chatServer == .mistral ? mistralFitted(id) : fitted(id, maximumLength: chatMaximumLength)
    }

    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func digest(of id: String) -> SHA256.Digest {
        Array(id.utf8).withUnsafeBytes { SHA256.hash(data: $0) }
    }
}

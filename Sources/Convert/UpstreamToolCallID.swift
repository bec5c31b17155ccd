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
        let digest = Array(id.utf8).withUnsafeBytes { SHA256.hash(data: $0) }
        return "call_" + HexDigits.lowercase(digest.prefix(hashDigits / 2))
    }
}

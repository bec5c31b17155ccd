/// How the `id` Gemini may give a `functionCall` travels through Anthropic
/// messages and comes back on the next request, as the call's
/// `functionCall.id` and its result's `functionResponse.id` (Gemini's docs:
/// when a call has an id, its response is sent back with the matching one).
///
/// The `tool_use` id Gemini's calls get (``GeminiResultMapping/toolUseID(messageID:ordinal:call:signature:)``)
/// carries it after its hash, as `_gcall_<hex of its UTF-8>`, before any
/// signature (``GeminiThoughtSignature``): Anthropic ids allow only
/// `[A-Za-z0-9_-]`, and Gemini says nothing of what its ids hold. A call
/// Gemini gave no id keeps an id without it, so nothing is sent back that
/// Gemini did not send.
enum GeminiFunctionCallID {
    static let marker = "_gcall_"

    /// `base` with Gemini's call id appended, when there is one.
    static func toolUseIDBase(_ base: String, callID: String?) -> String {
        guard let callID, !callID.isEmpty else { return base }
        return base + marker + GeminiThoughtSignature.hexDigits(callID)
    }

    /// The Gemini call id a `tool_use` id made by ``toolUseIDBase(_:callID:)``
    /// carries, or nil. Only the part before a signature is read: a base64
    /// signature may hold the marker's characters.
    static func callID(fromToolUseID id: String) -> String? {
        let beforeSignature = id.firstRange(of: "_gsig").map { id[..<$0.lowerBound] } ?? id[...]
        guard let range = beforeSignature.firstRange(of: marker) else { return nil }
        return GeminiThoughtSignature.decodeHex(beforeSignature[range.upperBound...])
    }
}

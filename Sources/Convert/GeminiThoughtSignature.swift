/// How Gemini's `thoughtSignature`s travel through Anthropic messages and
/// come back on the next request.
///
/// Gemini 3 rejects a request whose function calls lost the signature they
/// were returned with, so Claude Code's tool loop only works if every
/// signature survives the trip through the client. Anthropic has no field for
/// them, so:
///
/// - **On a `functionCall` part**, the signature is carried in the
///   `tool_use` id: `toolu_<16 hex>_gsig_<signature in base64url>` (or
///   `_gsigx_<hex>` for a signature that is not base64; the call's own id,
///   when Gemini gave one, goes before it: ``GeminiFunctionCallID``). Clients must echo
///   tool ids exactly, in the `tool_use` and in its `tool_result`, so this
///   survives anything a client does to thinking blocks. The id only uses
///   `[A-Za-z0-9_-]`, the characters Anthropic allows in ids.
/// - **On a thought or text part**, it becomes the `signature` of a
///   `thinking` block, as `gemini:<signature>`: the thought text's own block,
///   or, for a text part, a thinking block with no text right before the
///   text (or the thinking block still open there).
///   On the way back it returns to the thought part, or to the part next to
///   the text-only carrier (the one before it, else the one after, the text
///   part it came on); next to a function call, whose own signature is in
///   its id, it goes back in an empty text part of its own, as Gemini sent it.
///   Signatures without the `gemini:` prefix come from another provider and
///   are not sent to Gemini.
/// - **On a text part once the answer's text has begun** (Gemini 3 ends a
///   text answer with an empty text part carrying one), it is dropped, with
///   ``droppedAfterText(at:)``: a carrier block there would follow or split
///   the answer, and Claude Code takes the message's last block as its
///   result, so it printed an empty line or only the text after the
///   carrier. Google's docs require signatures back only on function calls
///   (Gemini 3 answers 400 without them); one on a part that is no function
///   call is recommended to return, not validated.
enum GeminiThoughtSignature {
    static let thinkingPrefix = "gemini:"
    static let base64Marker = "_gsig_"
    static let hexMarker = "_gsigx_"
    /// Google's documented placeholder for function calls whose signature
    /// is unknown (a conversation begun on another model); Gemini 3 accepts
    /// it instead of rejecting the request.
    static let validatorBypass = "skip_thought_signature_validator"

    /// The note for a text part's signature dropped because the answer's
    /// text had begun; `path` points at the part.
    static func droppedAfterText(at path: String) -> ConversionDiagnostic {
        .debug(
            path,
            "thought signature on a text part after the answer's text; dropped (Gemini needs it back only on function calls)"
        )
    }

    static func thinkingSignature(_ signature: String) -> String {
        thinkingPrefix + signature
    }

    /// The Gemini signature in a thinking block's `signature`, or nil when
    /// the block came from another provider.
    static func signature(fromThinking signature: String) -> String? {
        guard signature.hasPrefix(thinkingPrefix), signature.count > thinkingPrefix.count else { return nil }
        return String(signature.dropFirst(thinkingPrefix.count))
    }

    /// `base`, with the signature appended when there is one.
    static func toolUseID(base: String, signature: String?) -> String {
        guard let signature, !signature.isEmpty else { return base }
        if isBase64(signature) {
            var encoded = ""
            for character in signature {
                switch character {
                case "+": encoded.append("-")
                case "/": encoded.append("_")
                case "=": break
                default: encoded.append(character)
                }
            }
            return base + base64Marker + encoded
        }
        return base + hexMarker + hexDigits(signature)
    }

    /// `text`'s UTF-8 as lowercase hex: the id-safe form of text that is
    /// not base64 (see ``GeminiFunctionCallID`` too).
    static func hexDigits(_ text: String) -> String {
        text.utf8.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The signature carried in a `tool_use` id made by ``toolUseID(base:signature:)``.
    static func signature(fromToolUseID id: String) -> String? {
        if let range = id.firstRange(of: hexMarker) {
            return decodeHex(id[range.upperBound...])
        }
        guard let range = id.firstRange(of: base64Marker) else { return nil }
        var decoded = ""
        for character in id[range.upperBound...] {
            switch character {
            case "-": decoded.append("+")
            case "_": decoded.append("/")
            default: decoded.append(character)
            }
        }
        guard !decoded.isEmpty else { return nil }
        let padding = (4 - decoded.utf8.count % 4) % 4
        return decoded + String(repeating: "=", count: padding == 3 ? 0 : padding)
    }

    private static func isBase64(_ text: String) -> Bool {
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "="): padding += 1
            case _ where padding > 0: return false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                break
            default: return false
            }
        }
        // Only canonical padding round-trips: it is recomputed from the length.
        return padding <= 2 && text.utf8.count % 4 == 0
    }

    /// The text ``hexDigits(_:)`` made, or nil when `hex` is not such.
    static func decodeHex(_ hex: Substring) -> String? {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex.utf8 {
            guard let nibble = hexValue(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil, !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

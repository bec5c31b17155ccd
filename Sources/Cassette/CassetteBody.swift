import Foundation
import Wire

/// How bytes are stored in a cassette line, and how they come back.
///
/// Bodies: a JSON object or array is stored as a JSON value under `body`
/// (so `jq` can read into it); it comes back re-serialized compactly with
/// its key order kept, which is the same JSON but not always the same bytes.
/// Any other valid UTF-8 is `body_text` and anything else `body_b64`; both
/// come back byte for byte.
///
/// Upstream chunks must stay byte-exact, chunk boundaries included, so they
/// are never re-encoded as JSON: `text` when the chunk is valid UTF-8 on its
/// own, else `b64` (a chunk that ends in the middle of a UTF-8 sequence goes
/// to `b64`, so its bytes are kept exactly).
public enum CassetteBody {
    /// The body fields for `bytes`: `body`, `body_text` or `body_b64`.
    public static func fields(for bytes: [UInt8]) -> JSONObject {
        if let first = bytes.first(where: { !isJSONWhitespace($0) }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let value = try? JSONValue(parsing: bytes)
        {
            return ["body": value]
        }
        if let text = String(validating: bytes, as: UTF8.self) { return ["body_text": .string(text)] }
        return ["body_b64": .string(Data(bytes).base64EncodedString())]
    }

    /// The body bytes stored in `fields`, or nil when there is no body field
    /// (or its `body_b64` is not valid base64).
    public static func bytes(from fields: JSONObject) -> [UInt8]? {
        if let value = fields["body"] { return value.serialized() }
        if let text = fields["body_text"]?.stringValue { return Array(text.utf8) }
        if let encoded = fields["body_b64"]?.stringValue { return decodeBase64(encoded) }
        return nil
    }

    /// The chunk fields for `bytes`: `text` when valid UTF-8, else `b64`.
    public static func chunkFields(for bytes: [UInt8]) -> JSONObject {
        if let text = String(validating: bytes, as: UTF8.self) { return ["text": .string(text)] }
        return ["b64": .string(Data(bytes).base64EncodedString())]
    }

    /// The exact chunk bytes stored in `fields`, or nil when there are none.
    public static func chunkBytes(from fields: JSONObject) -> [UInt8]? {
        if let text = fields["text"]?.stringValue { return Array(text.utf8) }
        if let encoded = fields["b64"]?.stringValue { return decodeBase64(encoded) }
        return nil
    }

    private static func decodeBase64(_ encoded: String) -> [UInt8]? {
        Data(base64Encoded: encoded).map { Array($0) }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

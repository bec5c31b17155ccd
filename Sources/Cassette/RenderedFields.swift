import Foundation
import Wire

/// The fields of a cassette line being recorded, written straight to JSON
/// text (see ``CassetteLine/writeFields(to:)``).
///
/// A small exchange is six lines or more, and building each as a
/// ``JSONObject`` (an array, boxed values, header objects) only to
/// serialize and free it at once was most of the writer thread's time. So
/// the recorder's lines hold their text, and ``CassetteEvent/fields`` parses
/// it back only when somebody reads a line it made (tests, tools).
///
/// The body of a request or response goes last, kept apart, so the writer
/// can store its large parts once per file (see ``CassetteBlobs``) without
/// cutting it out of the line first.
///
/// Each member has a form taking the bytes of its value, which the
/// recorder's writer thread uses to render the values ``QueuedLines``
/// copied without making a `String` of them (a body is still copied into
/// its own array).
struct RenderedFields: Sendable, CassetteFieldWriter {
    /// A JSON object or array body in serialized form.
    struct Body: Sendable {
        var text: [UInt8]
        /// Where the members of an object body lie, when already known.
        var layout: SerializedFormLayout?
    }

    /// The members before the body: each `,"key":value`, leading comma
    /// included, so the text follows `{"kind":"..."` as it is.
    private(set) var text: [UInt8] = []
    /// The `body` member, written after ``text``; nil when the body went
    /// into ``text`` as `body_text` or `body_b64`, or there is none.
    private(set) var body: Body?

    init() { text.reserveCapacity(256) }

    /// Empties the fields for the next line, keeping the text's capacity
    /// (the writer thread renders every line into one) unless one large
    /// line grew it past 1 MB.
    mutating func removeAll() {
        text.removeAll(keepingCapacity: text.capacity <= 1 << 20)
        body = nil
    }

    /// The members as an object (parsing the text back).
    var object: JSONObject {
        var json: [UInt8] = [UInt8(ascii: "{")]
        json.append(contentsOf: text.dropFirst())
        if let body {
            json.append(contentsOf: text.isEmpty ? #""body":"#.utf8 : #","body":"#.utf8)
            json.append(contentsOf: body.text)
        }
        json.append(UInt8(ascii: "}"))
        guard case .object(let object)? = try? JSONValue(parsing: json, maximumDepth: CassetteFormat.lineNestingDepth)
        else {
            preconditionFailure("RenderedFields wrote text that is not a JSON object")
        }
        return object
    }

    /// Appends the whole line's members: ``text``, then the body, or
    /// `body` in its place (the body with its large parts stored apart).
    func write(to output: inout [UInt8], body replacement: [UInt8]? = nil) {
        output.append(contentsOf: text)
        if let body = replacement ?? body?.text {
            JSONValue.writeVerbatim(#","body":"#, to: &output)
            output.append(contentsOf: body)
        }
    }

    /// Replaces the body with `text`, a JSON object in serialized form.
    mutating func replaceBody(with text: [UInt8]) {
        body = Body(text: text, layout: nil)
    }

    mutating func append(_ key: StaticString, _ value: String) {
        var value = value
        value.withUTF8 { append(key, utf8: $0) }
    }

    /// `value` must be valid UTF-8.
    mutating func append(_ key: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        appendKey(key)
        JSONValue.writeString(validUTF8: value, to: &text)
    }

    mutating func appendNull(_ key: StaticString) {
        appendKey(key)
        JSONValue.writeVerbatim("null", to: &text)
    }

    mutating func append(_ key: StaticString, _ value: Int64) {
        appendKey(key)
        JSONValue.writeInteger(value, to: &text)
    }

    mutating func append(_ key: StaticString, _ value: JSONValue) {
        appendKey(key)
        value.write(to: &text)
    }

    mutating func append(_ key: StaticString, serialized json: [UInt8]) {
        json.withUnsafeBufferPointer { append(key, serialized: $0) }
    }

    /// `json` must be JSON text in `JSONValue.isSerializedForm`.
    mutating func append(_ key: StaticString, serialized json: UnsafeBufferPointer<UInt8>) {
        appendKey(key)
        text.append(contentsOf: json)
    }

    mutating func append(_ key: StaticString, date: Date) {
        append(key, CassetteFormat.iso8601(date))
    }

    mutating func appendBody(_ bytes: [UInt8]) {
        appendBody(bytes, knownPart: { _, _ in nil })
    }

    /// JSON in serialized form is kept as it is (the array itself, not a
    /// copy), with an object's layout (which spares the writer a second
    /// pass when it looks for parts to store once); other JSON is
    /// re-serialized. `knownPart` vouches for parts of an object body
    /// that need no check (see ``JSONValue/serializedFormLayout(_:knownPartMinimum:knownPart:)``):
    /// the writer's blobs.
    mutating func appendBody(_ bytes: [UInt8], knownPart: (UnsafeBufferPointer<UInt8>, Int) -> Int?) {
        // A pretty-printed body (OpenAI's answers, some clients' requests)
        // without its whitespace is usually in serialized form, and kept as
        // a compact one is: the same JSON (``CassetteBody`` gives bodies
        // back compact), where a JSON tree and a serialization were a sixth
        // of what recording a small exchange cost. A text that is not JSON
        // is stored as it came, its whitespace too.
        if let kept = Self.keptAsItIs(bytes, knownPart: knownPart)
            ?? bytes.withUnsafeBufferPointer(JSONValue.droppingInsignificantWhitespace).flatMap({
                Self.keptAsItIs($0, knownPart: knownPart)
            })
        {
            body = kept
            return
        }
        for member in CassetteBody.fields(for: bytes) {
            if member.key == "body" {
                body = Body(text: member.value.serialized(), layout: nil)
            } else {
                appendMember(member)
            }
        }
    }

    /// `bytes` as the body, when they are JSON in serialized form.
    private static func keptAsItIs(_ bytes: [UInt8], knownPart: (UnsafeBufferPointer<UInt8>, Int) -> Int?) -> Body? {
        bytes.withUnsafeBufferPointer { buffer -> Body? in
            switch buffer.first {
            case UInt8(ascii: "{") where buffer.count < CassetteBlobs.minimumBytes:
                // Too small for any part to be stored apart: no layout needed.
                if JSONValue.isSerializedForm(buffer) { return Body(text: bytes, layout: nil) }
            case UInt8(ascii: "{"):
                if let layout = JSONValue.serializedFormLayout(
                    buffer, knownPartMinimum: CassetteBlobs.minimumBytes, knownPart: knownPart)
                {
                    return Body(text: bytes, layout: layout)
                }
            case UInt8(ascii: "["):
                if JSONValue.isSerializedForm(buffer) { return Body(text: bytes, layout: nil) }
            default: break
            }
            return nil
        }
    }

    mutating func appendChunk(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { appendChunk($0) }
    }

    /// The chunk's text is escaped straight from its bytes.
    mutating func appendChunk(_ bytes: UnsafeBufferPointer<UInt8>) {
        let keyStart = text.count
        appendKey("text")
        // Nothing is written when the bytes are not UTF-8 (they go to `b64`).
        guard JSONValue.writeString(utf8: bytes, to: &text) else {
            text.removeSubrange(keyStart...)
            for member in CassetteBody.chunkFields(for: Array(bytes)) { appendMember(member) }
            return
        }
    }

    /// `data` must be valid UTF-8.
    mutating func appendEventData(_ data: UnsafeBufferPointer<UInt8>) {
        if data.first == UInt8(ascii: "{") || data.first == UInt8(ascii: "["), JSONValue.isSerializedForm(data) {
            append("data", serialized: data)
        } else {
            append("data_text", utf8: data)
        }
    }

    /// A member ``CassetteBody`` chose the key of.
    private mutating func appendMember(_ member: JSONObject.Member) {
        text.append(UInt8(ascii: ","))
        JSONValue.writeString(member.key, to: &text)
        text.append(UInt8(ascii: ":"))
        member.value.write(to: &text)
    }

    /// `,"key":`, put together first and appended once (see `ScratchText`).
    private mutating func appendKey(_ key: StaticString) {
        // The length through the buffer: a one-character literal may be
        // stored as a scalar, which has no `utf8CodeUnitCount`.
        let length = key.withUTF8Buffer { $0.count }
        ScratchText.append(to: &text, capacity: length + 4) { member in
            member.write(#",""#)
            member.write(key)
            member.write(#"":"#)
        }
    }
}

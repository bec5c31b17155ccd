import Foundation
import Wire

/// The fields of a cassette line being recorded, written straight to JSON
/// text by the constructors in `CassetteEvent+Constructors.swift`.
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
struct RenderedFields: Sendable {
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

    /// Appends the whole line's members: ``text``, then the body.
    func write(to output: inout [UInt8]) {
        output.append(contentsOf: text)
        if let body {
            output.append(contentsOf: #","body":"#.utf8)
            output.append(contentsOf: body.text)
        }
    }

    /// Replaces the body with `text`, a JSON object in serialized form.
    mutating func replaceBody(with text: [UInt8]) {
        body = Body(text: text, layout: nil)
    }

    mutating func append(_ key: String, _ value: String) {
        appendKey(key)
        JSONValue.writeString(value, to: &text)
    }

    /// `null` when `value` is nil.
    mutating func append(_ key: String, _ value: String?) {
        guard let value else { return append(key, JSONValue.null) }
        append(key, value)
    }

    /// `null` when `value` is nil.
    mutating func append(_ key: String, _ value: Int64?) {
        appendKey(key)
        if let value {
            JSONValue.writeInteger(value, to: &text)
        } else {
            text.append(contentsOf: "null".utf8)
        }
    }

    mutating func append(_ key: String, _ value: JSONValue) {
        appendKey(key)
        value.write(to: &text)
    }

    /// `json` must be JSON text in `JSONValue.isSerializedForm`.
    mutating func append(_ key: String, serialized json: [UInt8]) {
        appendKey(key)
        text.append(contentsOf: json)
    }

    /// Appends `json` as the value of `key` when it is an object or an
    /// array in serialized form; false, and nothing appended, otherwise.
    mutating func appendIfSerialized(_ key: String, _ json: [UInt8]) -> Bool {
        guard json.first == UInt8(ascii: "{") || json.first == UInt8(ascii: "["), JSONValue.isSerializedForm(json)
        else { return false }
        append(key, serialized: json)
        return true
    }

    /// The body as ``CassetteBody/fields(for:)`` stores it; it must be the
    /// last member appended. JSON in serialized form is kept as it is,
    /// with an object's layout (which spares the writer a second pass when
    /// it looks for parts to store once); other JSON is re-serialized.
    mutating func appendBody(_ bytes: [UInt8]) {
        switch bytes.first {
        case UInt8(ascii: "{"):
            if let layout = bytes.withUnsafeBufferPointer({ JSONValue.serializedFormLayout($0) }) {
                body = Body(text: bytes, layout: layout)
                return
            }
        case UInt8(ascii: "["):
            if JSONValue.isSerializedForm(bytes) {
                body = Body(text: bytes, layout: nil)
                return
            }
        default: break
        }
        for member in CassetteBody.fields(for: bytes) {
            if member.key == "body" {
                body = Body(text: member.value.serialized(), layout: nil)
            } else {
                append(member.key, member.value)
            }
        }
    }

    /// An upstream chunk as ``CassetteBody/chunkFields(for:)`` stores it,
    /// its text escaped straight from its bytes.
    mutating func appendChunk(_ bytes: [UInt8]) {
        let keyStart = text.count
        appendKey("text")
        // Nothing is written when the bytes are not UTF-8 (they go to `b64`).
        guard bytes.withUnsafeBufferPointer({ JSONValue.writeString(utf8: $0, to: &text) }) else {
            text.removeSubrange(keyStart...)
            for member in CassetteBody.chunkFields(for: bytes) { append(member.key, member.value) }
            return
        }
    }

    private mutating func appendKey(_ key: String) {
        text.append(UInt8(ascii: ","))
        JSONValue.writeString(key, to: &text)
        text.append(UInt8(ascii: ":"))
    }
}

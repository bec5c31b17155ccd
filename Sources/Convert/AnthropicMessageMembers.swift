import Wire

/// The members of an Anthropic message the proxy changes or notes (its
/// `model`, renamed to the one the client asked for, and its `usage`), read
/// from the message's bytes with no tree (``JSONReader``).
///
/// A message passed from an Anthropic upstream to an Anthropic client (an
/// answer, a stream's `message_start`) goes out as it came but for its
/// model. Parsing it whole to find two members, comparing the renamed tree
/// with the old one and writing it again was most of what passing it on
/// cost; the model's value is now replaced where the reader found it.
/// Readers return nil where the tree's lookup could read the message
/// differently (a repeated `model` or `usage`) or the data is not JSON: the
/// message then goes the tree's way.
struct AnthropicMessageMembers {
    /// `usage`, when an object.
    var usage: JSONObject?
    /// `model`: its text when a string, and where its value lies in the data.
    var model: (text: String?, value: Range<Int>)?

    /// Thrown for a message the tree must read: a repeated `model` or
    /// `usage`, or an `error` that is not null.
    struct Repeated: Error {}

    /// The members of the object the reader stands at, which it reads to
    /// its end; throws when it is not an object, or repeats a member read.
    static func read(_ reader: inout JSONReader) throws -> AnthropicMessageMembers {
        var members = AnthropicMessageMembers()
        var sawUsage = false
        var object = try reader.readObject()
        while let key = try object.next(&reader) {
            switch key {
            case "model":
                guard members.model == nil else { throw Repeated() }
                let start = reader.offset
                let text = reader.nextKind == .string ? try reader.readString() : nil
                if text == nil { try reader.skipValue() }
                members.model = (text, start..<reader.offset)
            case "usage":
                guard !sawUsage else { throw Repeated() }
                sawUsage = true
                members.usage = try reader.readValue().objectValue
            case "error":
                // A 200 that is the upstream's error, even with a usage: the
                // tree's way, which answers it as the error.
                guard reader.nextKind == .null else { throw Repeated() }
                try reader.skipValue()
            default:
                try reader.skipValue()
            }
        }
        return members
    }

    /// A whole answer's members; nil when `data` is not one JSON object or
    /// repeats a member read.
    static func read(answer data: [UInt8]) -> AnthropicMessageMembers? {
        var reader = JSONReader(data)
        guard let members = try? read(&reader), (try? reader.finish()) != nil else { return nil }
        return members
    }

    /// `data` with the model's value replaced by `model` written as a JSON
    /// string; every other byte as it came.
    func renaming(_ data: [UInt8], to model: String) -> [UInt8] {
        guard let value = self.model?.value else { return data }
        var renamed: [UInt8] = []
        renamed.reserveCapacity(data.count + model.utf8.count)
        renamed.append(contentsOf: data[..<value.lowerBound])
        JSONValue.writeString(model, to: &renamed)
        renamed.append(contentsOf: data[value.upperBound...])
        return renamed
    }
}

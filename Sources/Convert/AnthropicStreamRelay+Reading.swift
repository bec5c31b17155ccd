import Wire

/// The members the relay takes from `message_start` and `message_delta`,
/// read from an event's bytes with no tree (``JSONReader``): parsing
/// `message_start` whole to find two members, then scanning it twice more
/// to rename its model in place, was most of what relaying an Anthropic
/// stream cost. Each reader returns nil where the tree's lookup could read
/// the event differently (a repeated member it reads, a `message` that is
/// not an object) or the data is not JSON: the event then goes the tree's
/// way.
extension AnthropicStreamRelay {
    /// What `message_start` holds for the relay.
    struct MessageStartMembers: Equatable {
        /// `message.usage`, when an object.
        var usage: JSONObject?
        /// `message.model`, when a string: its text, and where its literal
        /// (quotes included) lies in the data.
        var model: (text: String, literal: Range<Int>)?

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.usage == rhs.usage && lhs.model?.text == rhs.model?.text
                && lhs.model?.literal == rhs.model?.literal
        }
    }

    static func readMessageStart(_ data: [UInt8]) -> MessageStartMembers? {
        var reader = JSONReader(data)
        var members = MessageStartMembers()
        do {
            var sawMessage = false
            var top = try reader.readObject()
            while let key = try top.next(&reader) {
                guard key.matches("message") else {
                    try reader.skipValue()
                    continue
                }
                guard !sawMessage, reader.nextKind == .object else { return nil }
                sawMessage = true
                var sawModel = false
                var sawUsage = false
                var message = try reader.readObject()
                while let key = try message.next(&reader) {
                    switch key {
                    case "model":
                        guard !sawModel else { return nil }
                        sawModel = true
                        guard reader.nextKind == .string else {
                            try reader.skipValue()
                            continue
                        }
                        let start = reader.offset
                        let text = try reader.readString()
                        members.model = (text, start..<reader.offset)
                    case "usage":
                        guard !sawUsage else { return nil }
                        sawUsage = true
                        members.usage = try reader.readValue().objectValue
                    default:
                        try reader.skipValue()
                    }
                }
            }
            try reader.finish()
            return sawMessage ? members : nil
        } catch {
            return nil
        }
    }

    /// `message_delta`'s `usage`: `.some(nil)` when it has none that is an
    /// object; nil when the event is left to the tree.
    static func readDeltaUsage(_ data: [UInt8]) -> JSONObject?? {
        var reader = JSONReader(data)
        var usage: JSONObject?
        do {
            var sawUsage = false
            var top = try reader.readObject()
            while let key = try top.next(&reader) {
                guard key.matches("usage") else {
                    try reader.skipValue()
                    continue
                }
                guard !sawUsage else { return nil }
                sawUsage = true
                usage = try reader.readValue().objectValue
            }
            try reader.finish()
            return .some(usage)
        } catch {
            return nil
        }
    }

    /// `data` with the literal at `literal` replaced by `model` written as
    /// a JSON string; every other byte as it came.
    static func renaming(_ data: [UInt8], literal: Range<Int>, to model: String) -> [UInt8] {
        var renamed: [UInt8] = []
        renamed.reserveCapacity(data.count + model.utf8.count)
        renamed.append(contentsOf: data[..<literal.lowerBound])
        JSONValue.writeString(model, to: &renamed)
        renamed.append(contentsOf: data[literal.upperBound...])
        return renamed
    }
}

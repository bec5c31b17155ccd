import Wire

/// The members the relay takes from `message_start` and `message_delta`,
/// read from an event's bytes with no tree (see ``AnthropicMessageMembers``).
/// Each reader returns nil where the tree's lookup could read the event
/// differently (a repeated member it reads, a `message` that is not an
/// object) or the data is not JSON: the event then goes the tree's way.
extension AnthropicStreamRelay {
    /// `message_start`'s message members.
    static func readMessageStart(_ data: [UInt8]) -> AnthropicMessageMembers? {
        var reader = JSONReader(data)
        var members: AnthropicMessageMembers?
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
                guard let read = try AnthropicMessageMembers.read(&reader) else { return nil }
                members = read
            }
            try reader.finish()
            return members
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
}

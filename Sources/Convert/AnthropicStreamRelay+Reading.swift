import Wire

/// The members the relay takes from `message_start` and `message_delta`,
/// read from an event's bytes with no tree (see ``AnthropicMessageMembers``).
/// Each reader returns nil where the tree's lookup could read the event
/// differently (a repeated member it reads, a `message` that is not an
/// object) or the data is not JSON: the event then goes the tree's way.
extension AnthropicStreamRelay {
    /// `message_start`'s message members; nil too when it has no `message`.
    static func readMessageStart(_ data: [UInt8]) -> AnthropicMessageMembers? {
        let members = JSONReader.member("message", of: data) { reader in
            try AnthropicMessageMembers.read(&reader)
        }
        return members ?? nil
    }

    /// `message_delta`'s `usage`: `.some(nil)` when it has none that is an
    /// object; nil when the event is left to the tree.
    static func readDeltaUsage(_ data: [UInt8]) -> JSONObject?? {
        JSONReader.member("usage", of: data) { try $0.readValue().objectValue }.map { $0 ?? nil }
    }
}

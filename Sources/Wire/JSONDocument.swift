/// A JSON text parsed, with the text kept and where each member of its
/// top-level object stands in it, so that a body that goes on mostly as it
/// came can be written by copying those members' bytes
/// (``JSONValue/serialized(reusingMembersOf:)``) instead of serializing them
/// again: a 47 KB Claude Code request passed through to Anthropic spent a
/// quarter of its instructions writing back what it had just read.
public struct JSONDocument: Sendable {
    /// The parsed value.
    public let value: JSONValue
    /// The text, as read.
    let bytes: [UInt8]
    /// The top-level object, when the value is one.
    private let object: JSONObject?
    /// Where the value of each member of `object` is in `bytes`, in its
    /// order; empty for any other value.
    private let memberSpans: [Range<Int>]

    /// Parses one JSON value from UTF-8 bytes, as ``JSONValue/init(parsing:maximumDepth:)``
    /// does.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        let array = Array(bytes)
        var parser = JSONParser(bytes: array)
        parser.memberSpans = []
        value = try parser.parseDocument()
        self.bytes = array
        memberSpans = parser.memberSpans ?? []
        if case .object(let object) = value { self.object = object } else { object = nil }
    }

    /// The member of the top-level object named `key` and where its value
    /// is; the one at `index` when its key is `key` (a body passed on keeps
    /// its order), else the first so named.
    func member(_ key: String, near index: Int) -> (value: JSONValue, span: Range<Int>)? {
        guard let object else { return nil }
        if index < object.count, JSONObject.sameKey(object[index].key, key) {
            return (object[index].value, memberSpans[index])
        }
        guard let found = object.firstIndex(where: { JSONObject.sameKey($0.key, key) }) else { return nil }
        return (object[found].value, memberSpans[found])
    }
}

extension JSONValue {
    /// This value serialized, as ``serialized()`` writes it, except that each
    /// member of a top-level object whose value is the one `document` read
    /// under the same key, passed on untouched, is copied as the document
    /// holds it. The text differs from ``serialized()`` only where the
    /// document's did (its escapes, its spacing); the JSON is the same.
    public func serialized(reusingMembersOf document: JSONDocument) -> [UInt8] {
        guard case .object(let object) = self else { return serialized() }
        var output: [UInt8] = []
        output.reserveCapacity(document.bytes.count + 256)
        output.append(UInt8(ascii: "{"))
        for (index, member) in object.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.writeString(member.key, to: &output)
            output.append(UInt8(ascii: ":"))
            if let source = document.member(member.key, near: index), member.value.isPassedOn(from: source.value) {
                output.append(contentsOf: document.bytes[source.span])
            } else {
                member.value.write(to: &output)
            }
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}

extension JSONValue {
    /// Whether this value is `source` passed on: the same scalar or string,
    /// or an array or object sharing its storage. Not a walk: comparing an
    /// equal array or object rebuilt elsewhere element by element cost about
    /// what writing it does, so such a value is written anew.
    fileprivate func isPassedOn(from source: JSONValue) -> Bool {
        switch (self, source) {
        case (.array(let array), .array(let sourceArray)): Self.sharesStorage(array, sourceArray)
        case (.object(let object), .object(let sourceObject)): Self.sharesStorage(object.members, sourceObject.members)
        case (.array, _), (.object, _), (_, .array), (_, .object): false
        default: self == source
        }
    }

    private static func sharesStorage<Element>(_ lhs: [Element], _ rhs: [Element]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBufferPointer { left in rhs.withUnsafeBufferPointer { left.baseAddress == $0.baseAddress }
        }
    }
}

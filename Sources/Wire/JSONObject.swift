/// A JSON object's members in the order they were read or inserted.
///
/// Lookups are linear: wire objects have few keys, and keeping one array is
/// cheaper than an array plus an index for the sizes seen in practice.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One key and its value.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init() { members = [] }
    public init(_ members: [Member]) { self.members = members }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    public var keys: [String] { members.map(\.key) }

    /// Reads a member; setting replaces it in place (keeping its position),
    /// appends a new key at the end, and `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where Self.sameKey(member.key, key) { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { Self.sameKey($0.key, key) }) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Appends without checking for an existing key; the parser uses it, and
    /// a duplicate key then resolves to the first one on lookup.
    public mutating func append(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    /// The first key that appears more than once, if any. A few keys (a
    /// request's settings) are compared pairwise, with no allocation; more
    /// go through a set, so a client's 40,000-key object costs linear time,
    /// not the minutes a pairwise check of it took.
    public var repeatedKey: String? {
        guard members.count > Self.pairwiseKeyLimit else {
            for index in members.indices.dropFirst() {
                let key = members[index].key
                for earlier in members[..<index] where Self.sameKey(earlier.key, key) { return key }
            }
            return nil
        }
        // By position: `String`'s hashing and `==` take canonically
        // equivalent keys (the Kelvin sign and `K`) for one, JSON does not.
        var seen = [String: Int](minimumCapacity: members.count)
        for (index, member) in members.enumerated() {
            if let earlier = seen[member.key] {
                if members[earlier].key.utf8.elementsEqual(member.key.utf8) { return member.key }
            } else {
                seen[member.key] = index
            }
        }
        return nil
    }

    /// Up to this many keys, ``repeatedKey`` compares them pairwise.
    static let pairwiseKeyLimit = 16

    /// Room for `count` members without growing.
    public mutating func reserveCapacity(_ count: Int) {
        members.reserveCapacity(count)
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = members.firstIndex(where: { Self.sameKey($0.key, key) }) else { return nil }
        return members.remove(at: index).value
    }

    /// Whether a member's key is `key`, for lookups.
    ///
    /// Keys of different UTF-8 lengths are told apart before `==` runs: a
    /// lookup passes over most keys, and `==` on two different strings is
    /// a call into the runtime (~30 instructions; 245 of them a converted
    /// stream request). `==` alone would also match keys that are only
    /// canonically equivalent (the Kelvin sign and `K`); JSON compares
    /// names code unit by code unit, and now so do lookups unless the
    /// lengths agree (equal-length equivalents are vanishingly rare).
    @inline(__always)
    static func sameKey(_ candidate: String, _ key: String) -> Bool {
        candidate.utf8.count == key.utf8.count && candidate == key
    }

    /// The same members with keys sorted, recursively, for order-blind
    /// comparison and matching.
    public func sortedByKey() -> JSONObject {
        JSONObject(
            members.sorted { $0.key < $1.key }.map { Member(key: $0.key, value: $0.value.sortedKeys()) })
    }

    /// Order-blind: two objects are equal when they hold the same keys with
    /// equal values. A key the object holds more than once (the parser keeps
    /// every member it reads) must have the same values in the same order on
    /// both sides; comparing by lookup alone made `{"a":1,"a":2}` unequal to
    /// itself, which the cassette fuzz target found.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        // Most comparisons are of objects with the same keys in the same
        // order: then they are equal exactly when each pair of values is, and
        // the first pair that differs settles it. (Comparing whole members
        // first and falling back to the lookup on any difference compared
        // every nested object twice: a converted answer differing from the
        // upstream's only in its model name built 24 dictionaries a request.)
        if lhs.members.elementsEqual(rhs.members, by: { $0.key == $1.key }) {
            return lhs.members.elementsEqual(rhs.members, by: { $0.value == $1.value })
        }
        return lhs.valuesByKey() == rhs.valuesByKey()
    }

    /// Each key's values in the order they appear.
    private func valuesByKey() -> [String: [JSONValue]] {
        var values: [String: [JSONValue]] = [:]
        for member in members { values[member.key, default: []].append(member.value) }
        return values
    }

    public func hash(into hasher: inout Hasher) {
        // Order-blind, to agree with ==.
        var combined = 0
        for member in members {
            var memberHasher = Hasher()
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONValue {
    /// This value with every object's keys sorted, recursively.
    public func sortedKeys() -> JSONValue {
        switch self {
        case .object(let object): .object(object.sortedByKey())
        case .array(let array): .array(array.map { $0.sortedKeys() })
        default: self
        }
    }
}

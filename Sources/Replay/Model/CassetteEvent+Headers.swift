import Cassette
import Wire

extension CassetteEvent {
    /// The line's `headers` object as name/value pairs in recorded order; a
    /// value recorded as an array (a header sent twice) gives one pair each.
    var headerPairs: [(name: String, value: String)] {
        guard let headers = self["headers"]?.objectValue else { return [] }
        var pairs: [(name: String, value: String)] = []
        for member in headers.members {
            switch member.value {
            case .string(let value): pairs.append((member.key, value))
            case .array(let values): pairs += values.compactMap(\.stringValue).map { (member.key, $0) }
            default: pairs.append((member.key, member.value.serializedString()))
            }
        }
        return pairs
    }
}

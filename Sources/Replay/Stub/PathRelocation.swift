/// Rewrites whole paths in text: each ``Substitution/from`` becomes its
/// ``Substitution/to`` where it stands as a path of its own.
///
/// "Of its own" means the bytes around it are not part of a longer name:
/// `/tmp/work` is replaced in `/tmp/work/hello.txt`, `cd /tmp/work` and
/// "at /tmp/work." but not in `/tmp/work.home`, `/tmp/worker` or
/// `/private/tmp/work`, so a working directory that is a prefix of HOME's
/// name (`/x/openai` and `/x/openai.home`) stays apart from it. Longer
/// paths are tried first, so a working directory inside HOME is replaced as
/// itself, not as HOME plus a rest.
///
/// The stub uses it twice: to normalise Claude Code's requests (the paths
/// become placeholders, see ``ClaudeCodeEnvironment``) and to move a
/// recorded reply to the replaying machine's paths.
public struct PathRelocation: Sendable, Hashable {
    /// One path and what replaces it.
    public struct Substitution: Sendable, Hashable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// Longest ``Substitution/from`` first.
    public let substitutions: [Substitution]

    /// Pairs with an empty or one-character `from` (`/` would rewrite every
    /// slash), or with `from == to`, are dropped; of two with the same
    /// `from`, the first is kept.
    public init(_ substitutions: [Substitution]) {
        var seen = Set<String>()
        self.substitutions =
            substitutions
            .filter { $0.from.utf8.count > 1 && $0.from != $0.to && seen.insert($0.from).inserted }
            .sorted { $0.from.utf8.count > $1.from.utf8.count }
    }

    /// True when it changes nothing.
    public var isEmpty: Bool { substitutions.isEmpty }

    /// `text` with every path of its own replaced.
    public func apply(to text: String) -> String {
        guard !isEmpty else { return text }
        return String(decoding: apply(toFragments: [Array(text.utf8)])[0], as: UTF8.self)
    }

    /// The pieces of one text cut at arbitrary places (a streamed string's
    /// deltas, a body's chunks), replaced as if joined, with the cuts kept:
    /// a replaced path lands whole in the piece where it starts, and the
    /// pieces it spanned lose their part of it. Joining the result gives
    /// the joined input with the paths replaced.
    public func apply(toFragments fragments: [[UInt8]]) -> [[UInt8]] {
        guard !isEmpty else { return fragments }
        let joined = Array(fragments.joined())
        let found = matches(in: joined)
        guard !found.isEmpty else { return fragments }
        var output: [UInt8] = []
        output.reserveCapacity(joined.count)
        var position = 0
        for match in found {
            output += joined[position..<match.range.lowerBound]
            output += match.replacement
            position = match.range.upperBound
        }
        output += joined[position...]
        var result: [[UInt8]] = []
        var start = 0
        for fragment in fragments {
            let end = start + fragment.count
            result.append(Array(output[Self.offset(start, after: found)..<Self.offset(end, after: found)]))
            start = end
        }
        return result
    }

    /// A replacement found in a text, in UTF-8 offsets.
    struct Match {
        var range: Range<Int>
        var replacement: [UInt8]
    }

    /// Every path of its own in `bytes`, left to right, not overlapping.
    func matches(in bytes: [UInt8]) -> [Match] {
        let candidates = substitutions.map { (from: Array($0.from.utf8), to: Array($0.to.utf8)) }
        guard let shortest = candidates.last?.from.count, bytes.count >= shortest else { return [] }
        var found: [Match] = []
        var index = 0
        scan: while index + shortest <= bytes.count {
            if index == 0 || !Self.isNameByte(bytes[index - 1]) {
                for candidate in candidates where Self.hasPath(candidate.from, in: bytes, at: index) {
                    found.append(Match(range: index..<(index + candidate.from.count), replacement: candidate.to))
                    index += candidate.from.count
                    continue scan
                }
            }
            index += 1
        }
        return found
    }

    /// Whether `path` is at `index` and what follows ends it: the end, a
    /// byte that is no name byte (`/` included), or a `.` closing a sentence.
    private static func hasPath(_ path: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard index + path.count <= bytes.count, bytes[index] == path[0] else { return false }
        for offset in 1..<path.count where bytes[index + offset] != path[offset] { return false }
        let next = index + path.count
        guard next < bytes.count, isNameByte(bytes[next]) else { return true }
        return bytes[next] == UInt8(ascii: ".") && (next + 1 == bytes.count || !isNameByte(bytes[next + 1]))
    }

    /// Bytes that continue a file name: letters, digits, `.`, `_`, `-`, `~`
    /// and any byte of a non-ASCII character.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
            UInt8(ascii: "~"), 0x80...:
            true
        default: false
        }
    }

    /// Where offset `position` of the input lands in the output: shifted by
    /// the replacements before it, or, inside a replaced path, at the end of
    /// its replacement (so the replacement stays with the piece it starts in).
    private static func offset(_ position: Int, after found: [Match]) -> Int {
        var shift = 0
        for match in found {
            if position <= match.range.lowerBound { break }
            if position < match.range.upperBound {
                return match.range.lowerBound + shift + match.replacement.count
            }
            shift += match.replacement.count - match.range.count
        }
        return position + shift
    }
}

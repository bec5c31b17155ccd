import Wire

/// Chooses the recording that answers each request. It is plain state, so
/// matching is tested without a server; the stub keeps one behind a lock.
///
/// Identical requests (same method, path and canonical body) are answered
/// by their recorded copies in order, then by the last copy again. With
/// `strictOrder`, only the next recording in sequence can match.
public struct StubMatcher: Sendable {
    /// What to answer.
    public enum Decision: Sendable {
        /// Serve `recording`, the `copy`-th (1-based) of `copies` identical ones.
        case hit(StubRecording, copy: Int, copies: Int)
        case miss(StubMiss)
    }

    public let recordings: [StubRecording]
    public let ignoring: [JSONPointerPattern]
    public let strictOrder: Bool
    /// Recording indices with the same method, path and body.
    private var groups: [[Int]]
    private var groupsByKey: [String: [Int]]
    private var served: [Int]
    private var cursor = 0

    public init(recordings: [StubRecording], ignoring: [JSONPointerPattern], strictOrder: Bool = false) {
        self.recordings = recordings
        self.ignoring = ignoring
        self.strictOrder = strictOrder
        var groups: [[Int]] = []
        var groupsByKey: [String: [Int]] = [:]
        for (index, recording) in recordings.enumerated() {
            let existing = groupsByKey[recording.matchKey, default: []].first { group in
                let first = recordings[groups[group][0]]
                return first.method == recording.method && first.path == recording.path
            }
            if let existing {
                groups[existing].append(index)
            } else {
                groupsByKey[recording.matchKey, default: []].append(groups.count)
                groups.append([index])
            }
        }
        self.groups = groups
        self.groupsByKey = groupsByKey
        served = Array(repeating: 0, count: groups.count)
    }

    /// Matches one request and advances the served counts on a hit.
    public mutating func match(method: String, path: String, body: [UInt8]) -> Decision {
        let method = method.uppercased()
        let canonical = StubRecording.canonical(body, ignoring: ignoring)
        if strictOrder { return matchInOrder(method: method, path: path, canonical: canonical) }
        let key = StubRecording.key(canonical)
        for group in groupsByKey[key] ?? [] {
            let first = recordings[groups[group][0]]
            guard first.method == method, StubRecording.pathsMatch(first.path, path) else { continue }
            let copies = groups[group].count
            let copy = min(served[group], copies - 1)
            served[group] += 1
            return .hit(recordings[groups[group][copy]], copy: copy + 1, copies: copies)
        }
        return .miss(nearestMiss(method: method, path: path, canonical: canonical, among: recordings.indices))
    }

    private mutating func matchInOrder(method: String, path: String, canonical: JSONValue?) -> Decision {
        guard cursor < recordings.count else {
            return .miss(
                StubMiss(
                    status: 404, method: method, path: path,
                    reason: "all \(recordings.count) recorded exchanges were served (--strict-order)", nearest: nil,
                    differences: []))
        }
        let expected = recordings[cursor]
        if expected.method == method, StubRecording.pathsMatch(expected.path, path),
            expected.matchKey == StubRecording.key(canonical)
        {
            cursor += 1
            return .hit(expected, copy: 1, copies: 1)
        }
        return .miss(nearestMiss(method: method, path: path, canonical: canonical, among: cursor..<(cursor + 1)))
    }

    /// The closest recording: same method and path first, then the fewest
    /// differing paths, then the earliest. 409 when it differs only in body.
    private func nearestMiss(
        method: String, path: String, canonical: JSONValue?, among candidates: Range<Int>
    ) -> StubMiss {
        let diff = JSONDiff()
        var best: (index: Int, sameRoute: Bool, differences: [JSONDifference])?
        var seenGroups = Set<String>()
        for index in candidates {
            let recording = recordings[index]
            // Identical copies would give the same answer; look at one.
            guard seenGroups.insert(recording.method + " " + recording.path + " " + recording.matchKey).inserted
            else { continue }
            let sameRoute = recording.method == method && StubRecording.pathsMatch(recording.path, path)
            if let current = best, current.sameRoute, !sameRoute { continue }
            let differences = diff.differences(expected: recording.canonicalBody, actual: canonical)
            if let current = best, current.sameRoute == sameRoute, current.differences.count <= differences.count {
                continue
            }
            best = (index, sameRoute, differences)
        }
        guard let best else {
            return StubMiss(
                status: 404, method: method, path: path, reason: "no recorded upstream requests", nearest: nil,
                differences: [])
        }
        let nearest = recordings[best.index]
        let reason =
            best.sameRoute
            ? "the body differs from the nearest recorded request"
            : "no recorded request for \(method) \(path)"
        return StubMiss(
            status: best.sameRoute ? 409 : 404, method: method, path: path, reason: reason, nearest: nearest,
            differences: best.sameRoute ? best.differences : [])
    }
}

/// A request no recording answers, with the nearest one and how it differs.
public struct StubMiss: Sendable {
    /// 409 when the nearest recording has the same method and path and only
    /// the body differs; 404 otherwise.
    public var status: Int
    public var method: String
    public var path: String
    public var reason: String
    public var nearest: StubRecording?
    /// Where the request body differs from the nearest recorded one.
    public var differences: [JSONDifference]

    /// At most this many differences go in the response body.
    static let shownDifferences = 50

    /// The response body: an Anthropic-shaped error (so clients print the
    /// message) plus `nearest` with the exchange, its file and the paths.
    public var body: JSONValue {
        var message = "stub-upstream miss: \(reason)"
        if let nearest {
            message +=
                "; nearest is exchange \(nearest.exchangeID) in \(nearest.file) (\(nearest.method) \(nearest.path))"
            if !differences.isEmpty {
                message += ", differing at " + differences.prefix(5).map(\.pointer).joined(separator: ", ")
            }
        }
        var object: JSONObject = [
            "type": "error",
            "error": ["type": "stub_upstream_miss", "message": .string(message)],
        ]
        if let nearest {
            object["nearest"] = [
                "exchange": .string(nearest.exchangeID),
                "file": .string(nearest.file),
                "method": .string(nearest.method),
                "path": .string(nearest.path),
                "differences": .array(differences.prefix(Self.shownDifferences).map(\.json)),
                "differences_total": .int(Int64(differences.count)),
            ]
        }
        return .object(object)
    }
}

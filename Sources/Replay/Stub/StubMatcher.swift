import Convert
import Wire

/// Chooses the recording that answers each request. It is plain state, so
/// matching is tested without a server; the stub keeps one behind a lock.
///
/// Identical requests (same method, path and canonical body) are answered
/// by their recorded copies in order, then by the last copy again. With
/// `strictOrder`, only the next recording in sequence can match. A request
/// nothing matches is rejected, or, with ``StubMissPolicy/nearest``, served
/// the closest recording that answers the same kind of request.
///
/// Unless `exactEnvironment` is set, Claude Code's requests are compared
/// with their environment (paths, date, machine, ids) normalised out, and
/// a recording served to a request from another working directory or HOME
/// has its reply moved to that request's paths (see
/// ``ClaudeCodeEnvironment``), so a session replays on any machine.
public struct StubMatcher: Sendable {
    /// What to answer.
    public enum Decision: Sendable {
        /// Serve `recording`, the `copy`-th (1-based) of `copies` identical ones.
        case hit(StubRecording, copy: Int, copies: Int)
        /// Nothing matched; under ``StubMissPolicy/nearest`` serve `recording`
        /// anyway, the closest one with the same method, path and `stream`
        /// flag. `differences` are where the request's body differs from it.
        case nearest(StubRecording, differences: [JSONDifference])
        case miss(StubMiss)
    }

    public let recordings: [StubRecording]
    public let ignoring: [JSONPointerPattern]
    public let strictOrder: Bool
    public let onMiss: StubMissPolicy
    /// Compare Claude Code's environment as recorded, byte for byte; the
    /// recordings must have been made with the same setting.
    public let exactEnvironment: Bool
    /// Recording indices with the same method, path and body.
    private var groups: [[Int]]
    private var groupsByKey: [String: [Int]]
    private var served: [Int]
    private var cursor = 0
    /// The group and copy last served as a dropped connection, and when.
    /// The proxy sends a request whose kept-alive connection (one that had
    /// been answered before) closed as it went out once more, at once, on a
    /// new connection: that resend is the same request, served the same copy
    /// (dropped again), not the next one. A drop on a new connection is not
    /// resent, and the client's own next request gets the next copy.
    private var lastDrop: (group: Int, copy: Int, at: ContinuousClock.Instant)?

    /// How soon after a drop an identical request is taken for the proxy's
    /// resend: the proxy resends at once, a client's own retry waits longer.
    static let resendWindow = Duration.milliseconds(250)

    public init(
        recordings: [StubRecording], ignoring: [JSONPointerPattern], strictOrder: Bool = false,
        onMiss: StubMissPolicy = .reject, exactEnvironment: Bool = false
    ) {
        self.recordings = recordings
        self.ignoring = ignoring
        self.strictOrder = strictOrder
        self.onMiss = onMiss
        self.exactEnvironment = exactEnvironment
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

    /// Matches one request and advances the served counts on a hit. The
    /// recording in a hit or nearest decision has its reply moved to the
    /// request's working directory and HOME when they differ from the
    /// recorded ones.
    /// - Parameters:
    ///   - now: when the request came, to tell the proxy's resend after a
    ///     dropped connection (``resendWindow``).
    ///   - reusedConnection: the request came on a connection that had been
    ///     answered before: only there does a drop make the proxy resend.
    public mutating func match(
        method: String, path: String, body: [UInt8], now: ContinuousClock.Instant = .now,
        reusedConnection: Bool = true
    ) -> Decision {
        let request = StubRecording.canonical(body, ignoring: ignoring, normalizingEnvironment: !exactEnvironment)
        let decision = match(
            method: method.uppercased(), path: path, canonical: request.canonical, now: now,
            reusedConnection: reusedConnection)
        guard let environment = request.environment else { return decision }
        switch decision {
        case .hit(let recording, let copy, let copies):
            return .hit(Self.moving(recording, to: environment), copy: copy, copies: copies)
        case .nearest(let recording, let differences):
            return .nearest(Self.moving(recording, to: environment), differences: differences)
        case .miss: return decision
        }
    }

    /// `recording` with its reply rewritten for a request made in
    /// `environment`. It runs under the stub's lock, but only for a Claude
    /// Code recording served to another folder or HOME, and costs one pass
    /// over the reply's bytes.
    private static func moving(_ recording: StubRecording, to environment: ClaudeCodeEnvironment) -> StubRecording {
        guard let recorded = recording.environment, recorded != environment else { return recording }
        var moved = recording
        moved.reply = recording.reply.relocated(by: recorded.relocation(to: environment))
        return moved
    }

    private mutating func match(
        method: String, path: String, canonical: JSONValue?, now: ContinuousClock.Instant, reusedConnection: Bool
    ) -> Decision {
        if strictOrder { return matchInOrder(method: method, path: path, canonical: canonical) }
        let key = StubRecording.key(canonical)
        let drop = lastDrop
        lastDrop = nil
        for group in groupsByKey[key] ?? [] {
            let first = recordings[groups[group][0]]
            guard first.method == method, StubRecording.pathsMatch(first.path, path) else { continue }
            let copies = groups[group].count
            if let drop, drop.group == group, now - drop.at < Self.resendWindow {
                return .hit(recordings[groups[group][drop.copy]], copy: drop.copy + 1, copies: copies)
            }
            let copy = min(served[group], copies - 1)
            served[group] += 1
            let recording = recordings[groups[group][copy]]
            if reusedConnection, recording.reply.status == nil, !recording.reply.holdsConnection {
                lastDrop = (group, copy, now)
            }
            return .hit(recording, copy: copy + 1, copies: copies)
        }
        if onMiss == .nearest,
            let nearest = nearestServable(method: method, path: path, canonical: canonical, among: recordings.indices)
        {
            return nearest
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
        if onMiss == .nearest,
            let nearest = nearestServable(
                method: method, path: path, canonical: canonical, among: cursor..<(cursor + 1))
        {
            cursor += 1
            return nearest
        }
        if let recorded = recordedElsewhere(method: method, path: path, canonical: canonical) {
            return .miss(outOfSequence(recorded: recorded, method: method, path: path, canonical: canonical))
        }
        return .miss(nearestMiss(method: method, path: path, canonical: canonical, among: cursor..<(cursor + 1)))
    }

    /// Under `strictOrder`, where else in the sequence this request is
    /// recorded: the first such recording still to come, else the last one
    /// already served. Nil when it is recorded nowhere.
    private func recordedElsewhere(method: String, path: String, canonical: JSONValue?) -> Int? {
        let key = StubRecording.key(canonical)
        let matching = recordings.indices.filter { index in
            let recording = recordings[index]
            return recording.method == method && StubRecording.pathsMatch(recording.path, path)
                && recording.matchKey == key
        }
        return matching.first { $0 >= cursor } ?? matching.last
    }

    /// A recorded request sent out of turn: a 409 naming where it is
    /// recorded and the exchange expected next, which is the `nearest`
    /// (with where the request differs from it), as a plain 404 would have
    /// hidden that the request is recorded at all.
    private func outOfSequence(recorded: Int, method: String, path: String, canonical: JSONValue?) -> StubMiss {
        let expected = recordings[cursor]
        let place =
            recorded < cursor
            ? "it is recorded as request \(recorded + 1) of \(recordings.count) (exchange \(recordings[recorded].exchangeID)), served already"
            : "it is recorded as request \(recorded + 1) of \(recordings.count) (exchange \(recordings[recorded].exchangeID))"
        return StubMiss(
            status: 409, method: method, path: path,
            reason: "out of sequence (--strict-order): \(place), but the next in sequence is request \(cursor + 1), "
                + "exchange \(expected.exchangeID)",
            nearest: expected,
            differences: JSONDiff().differences(expected: expected.canonicalBody, actual: canonical))
    }

    /// The closest recording: same method and path first, then the fewest
    /// differing paths, then the earliest. 409 when it differs only in body.
    private func nearestMiss(
        method: String, path: String, canonical: JSONValue?, among candidates: Range<Int>
    ) -> StubMiss {
        let sameRoute = { (recording: StubRecording) in
            recording.method == method && StubRecording.pathsMatch(recording.path, path)
        }
        if let best = closest(to: canonical, among: candidates, where: sameRoute) {
            return StubMiss(
                status: 409, method: method, path: path, reason: "the body differs from the nearest recorded request",
                nearest: recordings[best.index], differences: best.differences)
        }
        if let best = closest(to: canonical, among: candidates, where: { _ in true }) {
            return StubMiss(
                status: 404, method: method, path: path, reason: "no recorded request for \(method) \(path)",
                nearest: recordings[best.index], differences: [])
        }
        return StubMiss(
            status: 404, method: method, path: path, reason: "no recorded upstream requests", nearest: nil,
            differences: [])
    }

    /// What ``StubMissPolicy/nearest`` serves: the closest recording with the
    /// same method, path and `stream` flag, so a streaming client never gets
    /// a JSON body or the other way round. Nil when there is none.
    private func nearestServable(
        method: String, path: String, canonical: JSONValue?, among candidates: Range<Int>
    ) -> Decision? {
        let streaming = Self.isStreaming(canonical)
        let best = closest(to: canonical, among: candidates) { recording in
            recording.method == method && StubRecording.pathsMatch(recording.path, path)
                && Self.isStreaming(recording.canonicalBody) == streaming
        }
        return best.map { .nearest(recordings[$0.index], differences: $0.differences) }
    }

    /// The recording among `candidates` that `admits` accepts and whose body
    /// differs from `canonical` at the fewest paths; the earliest on a tie.
    private func closest(
        to canonical: JSONValue?, among candidates: Range<Int>, where admits: (StubRecording) -> Bool
    ) -> (index: Int, differences: [JSONDifference])? {
        let diff = JSONDiff()
        var best: (index: Int, differences: [JSONDifference])?
        var seenGroups = Set<String>()
        for index in candidates {
            let recording = recordings[index]
            guard admits(recording) else { continue }
            // Identical copies would give the same answer; look at one.
            guard seenGroups.insert(recording.method + " " + recording.path + " " + recording.matchKey).inserted
            else { continue }
            let differences = diff.differences(expected: recording.canonicalBody, actual: canonical)
            if let current = best, current.differences.count <= differences.count { continue }
            best = (index, differences)
        }
        return best
    }

    /// Whether a request body asks for a stream (`"stream": true`, as OpenAI
    /// and Anthropic bodies do).
    static func isStreaming(_ body: JSONValue?) -> Bool { body?["stream"]?.boolValue ?? false }
}

/// What the stub does with a request no recording matches.
public enum StubMissPolicy: String, Sendable, CaseIterable {
    /// Answer 404, or 409 when only the body differs, naming the nearest
    /// recording: the right thing for tests, where a miss is a bug.
    case reject
    /// Serve the nearest recording with the same method, path and `stream`
    /// flag, and log it as NEAR: for demos, where any question gets the
    /// recorded answer. Without such a recording, reject.
    case nearest
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

    /// The response body: an error in the shape of the API the request's
    /// path speaks (``UpstreamEndpoint/dialect(ofPath:)``: the proxy, or an
    /// SDK pointed at the stub, reads its message as it reads that API's
    /// errors), plus `nearest` with the exchange, its file and the paths.
    public var body: JSONValue {
        var message = "stub-upstream miss: \(reason)"
        if let nearest {
            message +=
                "; nearest is exchange \(nearest.exchangeID) in \(nearest.file) (\(nearest.method) \(nearest.path))"
            if !differences.isEmpty {
                // The empty pointer is the whole body (one that is not JSON, or not alike at all).
                message +=
                    ", differing at "
                    + differences.prefix(5).map { $0.pointer.isEmpty ? "the whole body" : $0.pointer }
                    .joined(separator: ", ")
            }
        }
        let error = APIError(status: status, type: "stub_upstream_miss", message: message)
        var object = error.rendered(in: UpstreamEndpoint.dialect(ofPath: path)).objectValue ?? [:]
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

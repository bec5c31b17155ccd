import Wire

/// The numbers `log-replay` prints by default.
public struct CassetteSummary: Sendable, Equatable {
    /// A label and how many exchanges carry it, most frequent first.
    public struct Count: Sendable, Equatable {
        public var label: String
        public var count: Int
        public init(label: String, count: Int) {
            self.label = label
            self.count = count
        }
    }

    /// Nearest-rank percentiles of a set of durations, in microseconds.
    public struct Percentiles: Sendable, Equatable {
        public var count: Int
        public var p50: Int64
        public var p95: Int64
        public init(count: Int, p50: Int64, p95: Int64) {
            self.count = count
            self.p50 = p50
            self.p95 = p95
        }
    }

    public var fileCount: Int
    public var exchangeCount: Int
    /// Exchanges with no `end` line (cut by a crash or a torn tail).
    public var unfinishedCount: Int
    public var byEndpoint: [Count]
    public var byModel: [Count]
    public var byUpstream: [Count]
    public var byStatus: [Count]
    /// `stage / type` of every error line. A failed exchange without one (a
    /// cassette cut before its error line was flushed, or written by an
    /// older proxy) counts as `- / type`, with the type of the error its
    /// client got, so every failure `--errors-only` lists is counted here.
    public var errorsByStageAndType: [Count]
    public var duration: Percentiles?
    public var timeToFirstByte: Percentiles?
    /// Usage fields summed over every `end` line, in first-seen order.
    public var tokenTotals: [Count]
    public var tornTails: [CassetteSet.TornTail]
    public var droppedEvents: Int

    /// Summarises `exchanges`, which may be a filtered part of `set`; file,
    /// torn-tail and dropped-event counts come from the whole set.
    public init(exchanges: [Exchange], set: CassetteSet) {
        fileCount = set.files.count
        exchangeCount = exchanges.count
        unfinishedCount = exchanges.count { $0.end == nil }
        byEndpoint = Self.tally(exchanges.map { "\($0.method) \($0.endpoint ?? "-")" })
        byModel = Self.tally(exchanges.map { $0.model ?? "-" })
        byUpstream = Self.tally(exchanges.map { $0.upstream ?? "-" })
        byStatus = Self.tally(exchanges.map { $0.status.map(String.init) ?? "-" })
        errorsByStageAndType = Self.tally(exchanges.flatMap(Self.errorLabels))
        duration = Self.percentiles(exchanges.compactMap(\.durationMicros))
        timeToFirstByte = Self.percentiles(exchanges.compactMap(\.timeToFirstByteMicros))
        tokenTotals = Self.sumUsage(exchanges.compactMap(\.usage))
        tornTails = set.tornTails
        droppedEvents = set.droppedEvents
    }

    /// `stage / type` per error line, or the one `- / type` of a failure
    /// that has none.
    static func errorLabels(_ exchange: Exchange) -> [String] {
        guard exchange.errors.isEmpty else {
            return exchange.errors.map { "\($0["stage"]?.stringValue ?? "-") / \($0["type"]?.stringValue ?? "-")" }
        }
        guard exchange.isFailure else { return [] }
        let streamed = exchange.clientEvents.last { $0["event"]?.stringValue == "error" }?["data"]?["error"]?["type"]
        let answered = exchange.clientResponse?["body"]?["error"]?["type"]
        return ["- / \((streamed ?? answered)?.stringValue ?? "-")"]
    }

    /// Counts labels, most frequent first, then by label.
    static func tally(_ labels: [String]) -> [Count] {
        var counts: [String: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        return counts.map { Count(label: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
    }

    /// Nearest-rank: the p-th percentile is the smallest value with at least
    /// p% of the values at or below it.
    static func percentiles(_ values: [Int64]) -> Percentiles? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ percent: Int) -> Int64 {
            let index = (percent * sorted.count + 99) / 100 - 1
            return sorted[max(0, min(sorted.count - 1, index))]
        }
        return Percentiles(count: sorted.count, p50: rank(50), p95: rank(95))
    }

    /// Sums every integer field of the usage objects (nested objects such as
    /// `server_tool_use` are summed by their own integer fields).
    static func sumUsage(_ usages: [JSONObject]) -> [Count] {
        var order: [String] = []
        var totals: [String: Int] = [:]
        func add(_ object: JSONObject, prefix: String) {
            for member in object.members {
                let key = prefix + member.key
                if let object = member.value.objectValue {
                    add(object, prefix: key + ".")
                } else if case .int(let value) = member.value {
                    if totals[key] == nil { order.append(key) }
                    totals[key, default: 0] += Int(value)
                }
            }
        }
        for usage in usages { add(usage, prefix: "") }
        return order.map { Count(label: $0, count: totals[$0] ?? 0) }
    }
}

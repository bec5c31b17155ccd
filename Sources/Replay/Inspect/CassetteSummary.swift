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
    /// The upstream whose answer the client got (a fallback's, where one
    /// answered).
    public var byUpstream: [Count]
    /// The entries an exchange that used its route's `fallback:` list tried,
    /// with the status each failed one gave (``Exchange/fallbackPath``).
    public var fallbacks: [Count] = []
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
    /// Each failed exchange, when the tally was asked to list them
    /// (`--errors-only`); else empty.
    public var failures: [Failure] = []

    /// Summarises `exchanges`, which may be a filtered part of `set`; file,
    /// torn-tail and dropped-event counts come from the whole set. With
    /// `listingFailures` (`--errors-only`), each failure is listed too.
    public init(exchanges: [Exchange], set: CassetteSet, listingFailures: Bool = false) {
        var tally = CassetteSummaryTally(listingFailures: listingFailures)
        for exchange in exchanges { tally.add(exchange) }
        self = tally.summary(fileCount: set.files.count, tornTails: set.tornTails)
        droppedEvents = set.droppedEvents
    }

    /// Every count as given (see ``CassetteSummaryTally``).
    public init(
        fileCount: Int, exchangeCount: Int, unfinishedCount: Int, byEndpoint: [Count], byModel: [Count],
        byUpstream: [Count], byStatus: [Count], errorsByStageAndType: [Count], duration: Percentiles?,
        timeToFirstByte: Percentiles?, tokenTotals: [Count], tornTails: [CassetteSet.TornTail], droppedEvents: Int
    ) {
        self.fileCount = fileCount
        self.exchangeCount = exchangeCount
        self.unfinishedCount = unfinishedCount
        self.byEndpoint = byEndpoint
        self.byModel = byModel
        self.byUpstream = byUpstream
        self.byStatus = byStatus
        self.errorsByStageAndType = errorsByStageAndType
        self.duration = duration
        self.timeToFirstByte = timeToFirstByte
        self.tokenTotals = tokenTotals
        self.tornTails = tornTails
        self.droppedEvents = droppedEvents
    }

    /// `stage / type` per error line, or the one `- / type` of a failure
    /// that has none (`- / no end line` for one a crash cut short).
    static func errorLabels(_ exchange: Exchange) -> [String] {
        guard exchange.errors.isEmpty else {
            return exchange.errors.map { "\($0["stage"]?.stringValue ?? "-") / \($0["type"]?.stringValue ?? "-")" }
        }
        guard exchange.isFailure else { return [] }
        let streamed = ClientStreamError.lastError(in: exchange.clientEvents)?["type"]
        let answered = exchange.clientResponse?["body"]?["error"]?["type"]
        let fallback = exchange.isIncomplete ? "no end line" : "-"
        return ["- / \((streamed ?? answered)?.stringValue ?? fallback)"]
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
}

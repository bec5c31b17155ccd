import Convert
import Wire

/// The summary's counters, fed one exchange at a time, so `log-replay` can
/// summarise cassettes of any size: it keeps counts per label and two
/// numbers per exchange (duration and time to first byte, for the
/// percentiles), never the exchanges.
public struct CassetteSummaryTally: Sendable {
    private var exchangeCount = 0
    private var unfinishedCount = 0
    private var endpoints: [String: Int] = [:]
    private var models: [String: Int] = [:]
    private var upstreams: [String: Int] = [:]
    private var fallbacks: [String: Int] = [:]
    private var statuses: [String: Int] = [:]
    private var errors: [String: Int] = [:]
    private var durations: [Int64] = []
    private var timesToFirstByte: [Int64] = []
    private var usageOrder: [String] = []
    private var usageTotals: [String: Int] = [:]
    private var droppedEvents = 0
    private let listingFailures: Bool
    private var failures: [CassetteSummary.Failure] = []

    /// With `listingFailures`, each failed exchange is kept as a line (see
    /// ``CassetteSummary/failures``): for `--errors-only`, where the
    /// failures are what is read; otherwise only counted.
    public init(listingFailures: Bool = false) {
        self.listingFailures = listingFailures
    }

    /// Counts `exchange`; one left out by a filter still counts its dropped
    /// events (`summarised` false), which are the whole set's.
    public mutating func add(_ exchange: Exchange, summarised: Bool = true) {
        // Sums held at Int's limit, here and below: the numbers are the cassette's.
        droppedEvents = droppedEvents.addingSaturated(exchange.droppedEvents)
        guard summarised else { return }
        exchangeCount += 1
        if exchange.end == nil { unfinishedCount += 1 }
        // Gemini names the model in the path: grouped by the path's
        // template (its method kept), the table counts endpoints, not models,
        // which have their own table.
        let path = exchange.endpoint.map { ClientEndpoint.geminiPathTemplate($0) ?? $0 } ?? "-"
        endpoints["\(exchange.method) \(path)", default: 0] += 1
        models[exchange.model ?? "-", default: 0] += 1
        // The upstream that answered: an exchange counted under the one it
        // gave up on hid where fallback traffic went, and which upstream failed
        // is in the fallback table.
        upstreams[exchange.upstream ?? "-", default: 0] += 1
        if let path = exchange.fallbackPath { fallbacks[path, default: 0] += 1 }
        statuses[exchange.status.map(String.init) ?? "-", default: 0] += 1
        for label in CassetteSummary.errorLabels(exchange) { errors[label, default: 0] += 1 }
        if let duration = exchange.durationMicros { durations.append(duration) }
        if let ttfb = exchange.timeToFirstByteMicros { timesToFirstByte.append(ttfb) }
        if let usage = exchange.usage { addUsage(usage, prefix: "") }
        if listingFailures, exchange.isFailure { failures.append(CassetteSummary.Failure(exchange)) }
    }

    /// The summary of what was added; `fileCount` and `tornTails` are the
    /// files read's.
    public func summary(fileCount: Int, tornTails: [CassetteSet.TornTail]) -> CassetteSummary {
        var summary = CassetteSummary(
            fileCount: fileCount, exchangeCount: exchangeCount, unfinishedCount: unfinishedCount,
            byEndpoint: Self.sorted(endpoints), byModel: Self.sorted(models), byUpstream: Self.sorted(upstreams),
            byStatus: Self.sorted(statuses), errorsByStageAndType: Self.sorted(errors),
            duration: CassetteSummary.percentiles(durations),
            timeToFirstByte: CassetteSummary.percentiles(timesToFirstByte),
            tokenTotals: usageOrder.map { CassetteSummary.Count(label: $0, count: usageTotals[$0] ?? 0) },
            tornTails: tornTails, droppedEvents: droppedEvents)
        summary.failures = failures
        summary.fallbacks = Self.sorted(fallbacks)
        return summary
    }

    /// Sums every integer field (nested objects such as `server_tool_use`
    /// by their own integer fields), keeping the order fields were first seen.
    private mutating func addUsage(_ object: JSONObject, prefix: String) {
        for member in object.members {
            let key = prefix + member.key
            if let object = member.value.objectValue {
                addUsage(object, prefix: key + ".")
            } else if case .int(let value) = member.value {
                if usageTotals[key] == nil { usageOrder.append(key) }
                usageTotals[key] = (usageTotals[key] ?? 0).addingSaturated(Int(value))
            }
        }
    }

    /// Most frequent first, then by label.
    static func sorted(_ counts: [String: Int]) -> [CassetteSummary.Count] {
        counts.map { CassetteSummary.Count(label: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
    }
}

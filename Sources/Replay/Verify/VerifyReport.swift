import Wire

// Exit status of `log-replay verify`: 0 when everything compared matched
// and the recording is whole; 1 on any difference; 2 (the command's) when
// input cannot be read; 3 when nothing differs but the recording is
// damaged: a file with a torn tail, or exchanges with no `end` line.

/// The results of `log-replay verify` over a set of cassettes, and how they
/// are shown.
public struct VerifyReport: Sendable {
    /// The results kept (see ``Keeping``), in reading order.
    public private(set) var results: [ExchangeVerification] = []
    public private(set) var exchangeCount = 0
    public private(set) var matchedCount = 0
    public private(set) var differingCount = 0
    public private(set) var skippedCount = 0
    /// Exchanges with no `end` line that matched as far as they go (see
    /// ``ExchangeVerification/incomplete``).
    public private(set) var incompleteCount = 0
    /// The files read that were cut short, each read up to its last whole
    /// block.
    public private(set) var tornTails: [CassetteSet.TornTail] = []

    /// Which results a report keeps beyond its counts: a stream of exchanges
    /// is verified in bounded memory when the matched ones and today's
    /// output go.
    public struct Keeping: Sendable {
        /// Keep matched results too (`-o json` lists them); differing and
        /// skipped ones are always kept.
        public var matched: Bool
        /// Keep today's output with each result kept (what `--update`
        /// writes back).
        public var todaysOutput: Bool

        public init(matched: Bool, todaysOutput: Bool) {
            self.matched = matched
            self.todaysOutput = todaysOutput
        }

        /// Every result, whole.
        public static let everything = Keeping(matched: true, todaysOutput: true)
    }

    public let keeping: Keeping

    public init(results: [ExchangeVerification]) {
        keeping = .everything
        for result in results { add(result) }
    }

    /// An empty report, for results to be added one by one.
    public init(keeping: Keeping) { self.keeping = keeping }

    /// Verifies every exchange of `set`, keeping every result.
    public init(set: CassetteSet, verifier: ExchangeVerifier) {
        self.init(keeping: .everything)
        for exchange in set.exchanges { add(verifier.verify(exchange)) }
        add(tornTails: set.tornTails)
    }

    /// Notes the torn tails of the files the results come from.
    public mutating func add(tornTails: [CassetteSet.TornTail]) {
        self.tornTails += tornTails
    }

    /// Counts `result` and keeps it as ``keeping`` says.
    public mutating func add(_ result: ExchangeVerification) {
        exchangeCount += 1
        if result.matched { matchedCount += 1 }
        if result.skipped != nil { skippedCount += 1 }
        if result.isIncompleteMatch { incompleteCount += 1 }
        let differs = result.skipped == nil && !result.differences.isEmpty
        if differs { differingCount += 1 }
        guard !result.matched || keeping.matched else { return }
        results.append(keeping.todaysOutput ? result : result.withoutReplayed)
    }

    /// True when a file has a torn tail or an exchange has no `end` line.
    public var recordingIsDamaged: Bool { incompleteCount > 0 || !tornTails.isEmpty }

    /// 0 when everything compared matched and the recording is whole, 1 on
    /// any difference, else 3 when the recording is damaged
    /// (``recordingIsDamaged``): a cut-off recording is not a passing one.
    public var exitCode: Int32 { differingCount > 0 ? 1 : recordingIsDamaged ? 3 : 0 }

    /// `N exchanges, N matched, N differ` (and `, N incomplete`, `, N
    /// skipped` and `, N torn tails` when there are some).
    public var summaryLine: String {
        "\(exchangeCount) exchanges, \(matchedCount) matched, \(differingCount) differ"
            + (incompleteCount > 0 ? ", \(incompleteCount) incomplete (no end line)" : "")
            + (skippedCount > 0 ? ", \(skippedCount) skipped" : "")
            + (tornTails.isEmpty ? "" : ", \(tornTails.count) torn \(tornTails.count == 1 ? "tail" : "tails")")
    }

    /// Differences shown per exchange in a terminal; `-o json` has them all.
    static let shownPerExchange = 10
    /// Longest value shown in a terminal: long enough for a sentence of
    /// text or a small object, where the difference usually is.
    static let shownValueLength = 400

    /// The terminal form: each differing or incomplete exchange with its
    /// file (a differing one with its first differences), each torn tail,
    /// then the summary line. `verbose` also lists skipped ones.
    /// With `updating`, differences are listed as `UPDATE` (what the
    /// rewrite changed) rather than `DIFF`.
    public func text(verbose: Bool = false, updating: Bool = false) -> String {
        var lines: [String] = []
        for result in results {
            if let skipped = result.skipped {
                if verbose { lines.append("SKIP \(result.exchangeID) (\(result.file)): \(skipped)") }
                continue
            }
            if result.isIncompleteMatch {
                lines.append(
                    ControlCharacterEscape.escaped(
                        "INCOMPLETE \(result.exchangeID) (\(result.file)): \(ExchangeVerification.incompleteReason)"))
            }
            guard !result.differences.isEmpty else { continue }
            lines.append(
                "\(updating ? "UPDATE" : "DIFF") \(result.exchangeID) (\(result.file))"
                    + (result.incomplete ? " (no end line)" : ""))
            for difference in result.differences.prefix(Self.shownPerExchange) {
                lines.append(
                    "  \(difference.leg) \(difference.pointer.isEmpty ? "(whole)" : difference.pointer): expected "
                        + Self.short(difference.expected, against: difference.actual) + ", actual "
                        + Self.short(difference.actual, against: difference.expected))
            }
            if result.differences.count > Self.shownPerExchange {
                lines.append("  ... \(result.differences.count - Self.shownPerExchange) more (-o json shows all)")
            }
        }
        for torn in tornTails {
            lines.append(ControlCharacterEscape.escaped("TORN \(torn.file): \(torn.description)"))
        }
        lines.append(summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `-o json`: every result with every difference, and the counts.
    public var json: JSONValue {
        [
            "exchanges": .int(Int64(exchangeCount)),
            "matched": .int(Int64(matchedCount)),
            "differ": .int(Int64(differingCount)),
            "skipped": .int(Int64(skippedCount)),
            "incomplete": .int(Int64(incompleteCount)),
            "torn_tails": .array(
                tornTails.map { ["file": .string($0.file), "description": .string($0.description)] }),
            "results": .array(results.map(\.json)),
        ]
    }

    /// `value` whole when it is short; else the part from a little before
    /// where it first differs from `other`, so two long values that differ
    /// late (a stream's text) show the difference, not their shared start.
    static func short(_ value: JSONValue?, against other: JSONValue? = nil) -> String {
        guard let value else { return "(missing)" }
        let text = value.serializedString()
        guard text.count > shownValueLength else { return text }
        let shared = other.map { other in zip(text, other.serializedString()).prefix { $0 == $1 }.count } ?? 0
        let start = max(0, min(shared - shownValueLength / 4, text.count - shownValueLength))
        let shown = text.dropFirst(start).prefix(shownValueLength)
        return (start > 0 ? "…" : "") + String(shown) + (start + shownValueLength < text.count ? "…" : "")
    }
}

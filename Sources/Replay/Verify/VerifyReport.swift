import Wire

/// The results of `log-replay verify` over a set of cassettes, and how they
/// are shown.
public struct VerifyReport: Sendable {
    public var results: [ExchangeVerification]

    public init(results: [ExchangeVerification]) { self.results = results }

    /// Verifies every exchange of `set`.
    public init(set: CassetteSet, verifier: ExchangeVerifier) {
        results = set.exchanges.map(verifier.verify)
    }

    public var matchedCount: Int { results.count(where: \.matched) }
    public var differingCount: Int { results.count { $0.skipped == nil && !$0.differences.isEmpty } }
    public var skippedCount: Int { results.count { $0.skipped != nil } }

    /// 0 when everything compared matched, 1 on any difference.
    public var exitCode: Int32 { differingCount == 0 ? 0 : 1 }

    /// `N exchanges, N matched, N differ` (and `, N skipped` when some were).
    public var summaryLine: String {
        "\(results.count) exchanges, \(matchedCount) matched, \(differingCount) differ"
            + (skippedCount > 0 ? ", \(skippedCount) skipped" : "")
    }

    /// Differences shown per exchange in a terminal; `-o json` has them all.
    static let shownPerExchange = 10
    /// Longest value shown in a terminal.
    static let shownValueLength = 100

    /// The terminal form: each differing exchange with its file and the first
    /// differences, then the summary line. `verbose` also lists skipped ones.
    /// With `updating`, differences are listed as `UPDATE` (what the
    /// rewrite changed) rather than `DIFF`.
    public func text(verbose: Bool = false, updating: Bool = false) -> String {
        var lines: [String] = []
        for result in results {
            if let skipped = result.skipped {
                if verbose { lines.append("SKIP \(result.exchangeID) (\(result.file)): \(skipped)") }
                continue
            }
            guard !result.differences.isEmpty else { continue }
            lines.append("\(updating ? "UPDATE" : "DIFF") \(result.exchangeID) (\(result.file))")
            for difference in result.differences.prefix(Self.shownPerExchange) {
                lines.append(
                    "  \(difference.leg) \(difference.pointer.isEmpty ? "(whole)" : difference.pointer): expected "
                        + Self.short(difference.expected) + ", actual " + Self.short(difference.actual))
            }
            if result.differences.count > Self.shownPerExchange {
                lines.append("  ... \(result.differences.count - Self.shownPerExchange) more (-o json shows all)")
            }
        }
        lines.append(summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `-o json`: every result with every difference, and the counts.
    public var json: JSONValue {
        [
            "exchanges": .int(Int64(results.count)),
            "matched": .int(Int64(matchedCount)),
            "differ": .int(Int64(differingCount)),
            "skipped": .int(Int64(skippedCount)),
            "results": .array(results.map(\.json)),
        ]
    }

    static func short(_ value: JSONValue?) -> String {
        guard let value else { return "(missing)" }
        let text = value.serializedString()
        guard text.count > shownValueLength else { return text }
        return String(text.prefix(shownValueLength)) + "…"
    }
}

import Foundation

extension CassetteSummary {
    /// The summary as a person reads it in a terminal.
    public var text: String {
        var lines: [String] = []
        lines.append(
            "\(exchangeCount) exchanges in \(fileCount) cassette file\(fileCount == 1 ? "" : "s")"
                + (unfinishedCount > 0 ? " (\(unfinishedCount) without an end line)" : ""))
        lines += Self.section("By endpoint", byEndpoint)
        lines += Self.section("By model", byModel)
        lines += Self.section("By upstream", byUpstream)
        lines += Self.section("Fallbacks", fallbacks)
        lines += Self.section("By status", byStatus)
        lines += Self.section("Errors by stage / type", errorsByStageAndType)
        if !failures.isEmpty {
            lines += ["", "Failures (id, status, message):"] + failures.map { "  " + $0.line }
        }
        lines.append("")
        lines.append("Duration:           " + Self.describe(duration))
        lines.append("Time to first byte: " + Self.describe(timeToFirstByte))
        lines.append(
            "Tokens:             "
                + (tokenTotals.isEmpty
                    ? "none recorded" : tokenTotals.map { "\($0.label) \($0.count)" }.joined(separator: ", ")))
        lines.append("Dropped events:     \(droppedEvents)")
        if tornTails.isEmpty {
            lines.append("Torn tails:         0")
        } else {
            lines.append("Torn tails:         \(tornTails.count)")
            lines += tornTails.map { "  \($0.file): \($0.description)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ title: String, _ counts: [Count]) -> [String] {
        guard !counts.isEmpty else { return [] }
        let width = min(60, counts.map(\.label.count).max() ?? 0)
        return ["", "\(title):"]
            + counts.map {
                "  " + $0.label.padding(toLength: max(width, $0.label.count), withPad: " ", startingAt: 0)
                    + "  \($0.count)"
            }
    }

    private static func describe(_ percentiles: Percentiles?) -> String {
        guard let percentiles else { return "n/a" }
        return "p50 \(milliseconds(percentiles.p50)), p95 \(milliseconds(percentiles.p95)) (n=\(percentiles.count))"
    }

    /// `1234 ms`, or `0.8 ms` under a millisecond.
    static func milliseconds(_ micros: Int64) -> String {
        if micros >= 1000 { return "\(micros / 1000) ms" }
        return "\(Double(micros) / 1000) ms"
    }
}

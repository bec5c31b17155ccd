import Foundation
import Wire

extension CassetteSummary {
    /// The summary as a person reads it in a terminal. What the cassette
    /// holds (a client's model name or path, an error message, a file
    /// name) is written with its control characters escaped
    /// (``ControlCharacterEscape``): a cassette cannot drive the terminal
    /// nor forge a line of the summary.
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
            lines += tornTails.map { "  " + ControlCharacterEscape.escaped("\($0.file): \($0.description)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ title: String, _ counts: [Count]) -> [String] {
        guard !counts.isEmpty else { return [] }
        let labels = counts.map { ControlCharacterEscape.escaped($0.label) }
        let width = min(60, labels.map(\.count).max() ?? 0)
        return ["", "\(title):"]
            + zip(labels, counts).map { label, count in
                // Padded by characters: `padding(toLength:)` counts UTF-16 units, and cut an emoji in half.
                "  " + label + String(repeating: " ", count: max(0, width - label.count)) + "  \(count.count)"
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

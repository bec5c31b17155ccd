import Foundation

/// Token counts written the way peers' configs write them.
///
/// `8192`, `8_192`, `8K`, `200k`, `1M`, `1.5M`: `k` is 1,000 and `M` is
/// 1,000,000, as in "a 200K context window" (200,000 tokens). Rounding a cap
/// down to the decimal reading keeps it within the provider's limit either
/// way; `Ki`/`Mi` are there for who means 1,024.
enum TokenCountLiteral {
    /// The count, or nil when `text` is not a count.
    static func parse(_ text: String) -> Int? {
        var digits = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        var multiplier = 1.0
        for (suffix, value) in suffixes where digits.lowercased().hasSuffix(suffix) {
            multiplier = value
            digits.removeLast(suffix.count)
            break
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }),
            let number = Double(digits), number >= 0
        else { return nil }
        let count = (number * multiplier).rounded(.down)
        guard count < Double(Int32.max) else { return nil }
        return Int(count)
    }

    /// Longest first, so `ki` is not read as `i` after `k`.
    private static let suffixes: [(String, Double)] = [
        ("ki", 1024), ("mi", 1024 * 1024), ("k", 1000), ("m", 1_000_000),
    ]
}

/// Finds the first of a request's stop sequences in text that arrives in
/// pieces (a stream's text deltas), releasing at once all text that cannot
/// be part of a match and holding back only a tail that could still begin
/// one. Pure: no I/O, tested as a value.
///
/// It works on UTF-8 bytes: a sequence may be split over deltas anywhere,
/// and since a sequence's first byte is never a continuation byte, what it
/// holds back or cuts off always starts on a whole character's scalar, so
/// the text released is always valid.
///
/// The match is the one that *ends* first, as a model's generation stops as
/// soon as a sequence is complete: with `["END", "ENDING"]`, "ENDING" stops
/// at "END". Of two that end at the same place, the one that starts first.
struct StopSequenceMatcher: Sendable {
    /// The sequences as UTF-8, in the request's order; an empty one is left
    /// out: it would match before any text.
    private let sequences: [[UInt8]]
    private let longest: Int
    /// The end of the text so far that could still begin a sequence, not
    /// yet released.
    private var held: [UInt8] = []

    init(_ sequences: [String]) {
        self.sequences = sequences.lazy.filter { !$0.isEmpty }.map { Array($0.utf8) }
        longest = self.sequences.map(\.count).max() ?? 0
    }

    /// Whether there is any sequence to look for.
    var isEmpty: Bool { sequences.isEmpty }

    /// The next piece of text: what may go out now, and the sequence that
    /// matched if one did. After a match the text goes up to the sequence
    /// (not including it) and nothing after it is released; the matcher
    /// starts afresh.
    mutating func receive(_ text: String) -> (released: String, matched: String?) {
        guard !sequences.isEmpty else { return (text, nil) }
        var buffer = held
        buffer.append(contentsOf: text.utf8)
        if let match = firstMatch(in: buffer) {
            held = []
            let matched = String(decoding: sequences[match.sequence], as: UTF8.self)
            return (String(decoding: buffer[..<match.start], as: UTF8.self), matched)
        }
        let kept = heldTailCount(of: buffer)
        held = Array(buffer.suffix(kept))
        return (String(decoding: buffer.dropLast(kept), as: UTF8.self), nil)
    }

    /// The text ended: what was held back (no sequence can complete now).
    mutating func finish() -> String {
        defer { held = [] }
        return String(decoding: held, as: UTF8.self)
    }

    /// The match that ends first, and of those the one that starts first.
    private func firstMatch(in buffer: [UInt8]) -> (start: Int, sequence: Int)? {
        var best: (start: Int, end: Int, sequence: Int)?
        for (number, sequence) in sequences.enumerated() where sequence.count <= buffer.count {
            // A later start that ends no earlier than the best one is no better.
            let lastStart = min(buffer.count - sequence.count, (best?.end ?? Int.max) - sequence.count)
            guard lastStart >= 0 else { continue }
            for start in 0...lastStart where buffer[start] == sequence[0] {
                guard buffer[start..<start + sequence.count].elementsEqual(sequence) else { continue }
                let end = start + sequence.count
                if best == nil || end < best!.end || (end == best!.end && start < best!.start) {
                    best = (start, end, number)
                }
                break
            }
        }
        return best.map { ($0.start, $0.sequence) }
    }

    /// How many bytes at the end of `buffer` are the start of some sequence
    /// (the longest such end); none when no sequence can begin there.
    private func heldTailCount(of buffer: [UInt8]) -> Int {
        var count = min(longest - 1, buffer.count)
        while count > 0 {
            let tail = buffer[(buffer.count - count)...]
            if sequences.contains(where: { $0.count > count && $0.prefix(count).elementsEqual(tail) }) {
                return count
            }
            count -= 1
        }
        return 0
    }
}

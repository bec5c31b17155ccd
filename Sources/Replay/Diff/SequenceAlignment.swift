/// Lines up two sequences with the fewest insertions and deletions (Myers'
/// O((N+M)·D) algorithm), so one extra event in a stream shows as one
/// difference instead of shifting every event after it.
enum SequenceAlignment {
    /// One step of an alignment: both sides (equal keys), or one side only.
    struct Pair: Equatable {
        var expected: Int?
        var actual: Int?
    }

    /// The alignment of `expected` and `actual`, or nil when it would need
    /// more than `maxEdits` insertions and deletions (then the sequences
    /// are too different for an alignment to help).
    static func align<Key: Equatable>(_ expected: [Key], _ actual: [Key], maxEdits: Int = 256) -> [Pair]? {
        let n = expected.count
        let m = actual.count
        let limit = min(n + m, maxEdits)
        let offset = limit + 1
        var frontier = [Int](repeating: 0, count: 2 * limit + 3)
        var history: [[Int]] = []
        for edits in 0...limit {
            history.append(frontier)
            for diagonal in stride(from: -edits, through: edits, by: 2) {
                var x: Int
                if diagonal == -edits
                    || (diagonal != edits && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1])
                {
                    x = frontier[offset + diagonal + 1]
                } else {
                    x = frontier[offset + diagonal - 1] + 1
                }
                var y = x - diagonal
                while x < n, y < m, expected[x] == actual[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + diagonal] = x
                if x >= n, y >= m {
                    return backtrack(history: history, n: n, m: m, edits: edits, offset: offset)
                }
            }
        }
        return nil
    }

    /// Walks the recorded frontiers back from the end: each step is one
    /// edit preceded by a run of equal elements (the "snake").
    private static func backtrack(history: [[Int]], n: Int, m: Int, edits: Int, offset: Int) -> [Pair] {
        var pairs: [Pair] = []
        var x = n
        var y = m
        for step in stride(from: edits, through: 1, by: -1) {
            let frontier = history[step]
            let diagonal = x - y
            let down =
                diagonal == -step
                || (diagonal != step && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1])
            let previousDiagonal = down ? diagonal + 1 : diagonal - 1
            let previousX = frontier[offset + previousDiagonal]
            let previousY = previousX - previousDiagonal
            let editEndX = down ? previousX : previousX + 1
            while x > editEndX {
                x -= 1
                y -= 1
                pairs.append(Pair(expected: x, actual: y))
            }
            pairs.append(down ? Pair(expected: nil, actual: previousY) : Pair(expected: previousX, actual: nil))
            x = previousX
            y = previousY
        }
        while x > 0 {
            x -= 1
            y -= 1
            pairs.append(Pair(expected: x, actual: y))
        }
        return pairs.reversed()
    }
}

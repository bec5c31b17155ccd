/// Whether a word someone typed is a slip of one they meant, for "did you
/// mean" hints: the proxy's config keys and values, `log-replay`'s
/// subcommands.
public enum Spelling {
    /// Same letters give or take one edit, or the same word with `-` for `_`:
    /// enough to catch `api-key` and `modelname`. Two neighbours swapped
    /// count as one edit (`defualt`, `modles`): the commonest slip of all.
    public static func looksAlike(_ known: String, _ typed: String) -> Bool {
        let a = Array(known), b = typed.lowercased().map { $0 == "-" ? "_" : $0 }
        if a == b { return true }
        guard abs(a.count - b.count) <= 1, !a.isEmpty, !b.isEmpty else { return a.count + b.count <= 1 }
        // The optimal string alignment distance, row by row.
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], twoBack[j - 2] + 1)
                }
            }
            twoBack = previous
            previous = current
        }
        return previous[b.count] <= 1
    }
}

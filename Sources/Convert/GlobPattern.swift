/// A model-name glob: `*` matches any run of characters (none included),
/// `?` exactly one; everything else matches itself.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let characters: [Character]

    public init(_ text: String) {
        self.text = text
        characters = Array(text)
    }

    public var description: String { text }

    /// How many characters must match literally; the router prefers the
    /// pattern that pins down more of the name.
    public var specificity: Int { characters.count { $0 != "*" && $0 != "?" } }

    public func matches(_ name: String) -> Bool {
        let name = Array(name)
        // Greedy match with backtracking to the last `*`: linear in practice
        // for the short names and patterns seen here.
        var p = 0
        var n = 0
        var starPattern = -1
        var starName = 0
        while n < name.count {
            if p < characters.count, characters[p] == "?" || characters[p] == name[n] {
                p += 1
                n += 1
            } else if p < characters.count, characters[p] == "*" {
                starPattern = p
                starName = n
                p += 1
            } else if starPattern >= 0 {
                p = starPattern + 1
                starName += 1
                n = starName
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}

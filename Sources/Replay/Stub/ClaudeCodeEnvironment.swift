import Wire

/// The machine a Claude Code request was made on, as its text shows it, and
/// the request with that machine taken out.
///
/// Claude Code writes its environment into every request: the working
/// directory (`Primary working directory: /home/dev/project` in its
/// environment block, and in every tool path), HOME (the memory folder
/// `/home/dev/.claude/projects/-home-dev-project/memory/`), today's date,
/// the platform, shell and kernel version, a git status snapshot when the
/// folder is a repository, and device and session ids in
/// `metadata.user_id`. A session recorded on one machine therefore never
/// matches byte for byte on another, or on the same one a day later.
/// ``normalized(_:)`` replaces exactly those parts with placeholders; the
/// stub normalises the recorded and the incoming request alike and then
/// compares the rest exactly, so a different question, tool result or
/// model still misses.
///
/// A request is recognisably Claude Code's when a string in it holds
/// Claude Code's billing header line (`x-anthropic-billing-header:
/// cc_version=`) or its environment block (`You have been invoked in the
/// following environment`, or `<env>` in older versions). The body is
/// searched, not the headers: the stub sees the proxy's upstream request,
/// whose headers are the proxy's own, and whose body may be converted to
/// another dialect (the system prompt is then an OpenAI system message).
public struct ClaudeCodeEnvironment: Sendable, Hashable {
    /// From the environment block's working directory line.
    public var workingDirectory: String?
    /// What precedes `/.claude/projects/` in the memory folder's path.
    public var home: String?
    /// The working directory as Claude Code names its project folder under
    /// `~/.claude/projects/`.
    public var projectFolder: String?

    /// An environment with these paths; ``projectFolder`` follows from the
    /// working directory.
    public init(workingDirectory: String?, home: String?) {
        self.workingDirectory = workingDirectory
        self.home = home
        projectFolder = workingDirectory.map(Self.projectFolder(for:))
    }

    /// What ``normalized(_:)`` puts in the paths' places.
    static let placeholders: ClaudeCodeEnvironment = {
        var environment = ClaudeCodeEnvironment(workingDirectory: "<cwd>", home: "<home>")
        environment.projectFolder = "<cwd-project-folder>"
        return environment
    }()

    /// The environment `body` was made in; nil when it is not recognisably
    /// a Claude Code request.
    public init?(request body: JSONValue) {
        var recognised = false
        var workingDirectory: String?
        var memory: (home: String, projectFolder: String)?
        body.forEachString { text in
            if text.contains(Self.billingHeader) { recognised = true }
            if Self.environmentBlockMarkers.contains(where: { text.contains($0) }) {
                recognised = true
                if workingDirectory == nil { workingDirectory = Self.workingDirectory(in: text) }
            }
            if memory == nil { memory = Self.memoryFolder(in: text) }
        }
        guard recognised else { return nil }
        self.init(workingDirectory: workingDirectory, home: memory?.home)
        // A request without the environment block still names the project folder in its memory path.
        if projectFolder == nil { projectFolder = memory?.projectFolder }
    }

    /// `body` with this environment's paths, the date, the machine lines,
    /// a git status snapshot and `metadata.user_id` replaced by
    /// placeholders; everything else as it was.
    public func normalized(_ body: JSONValue) -> JSONValue {
        let paths = relocation(to: Self.placeholders)
        var result = body.mappingStrings { Self.normalizedText(paths.apply(to: $0)) }
        if result["metadata"]?["user_id"] != nil {
            // Device, account and session ids: the same conversation gets new ones on each machine and run.
            result["metadata"]?["user_id"] = .string("<claude-code-user>")
        }
        return result
    }

    /// Moves text written on this machine to `other`'s paths (for a
    /// recorded reply served to a request made elsewhere). Paths one side
    /// does not show are left alone.
    public func relocation(to other: ClaudeCodeEnvironment) -> PathRelocation {
        let pairs: [(String?, String?)] = [
            (workingDirectory, other.workingDirectory), (projectFolder, other.projectFolder), (home, other.home),
        ]
        return PathRelocation(
            pairs.compactMap { from, to in
                guard let from, let to else { return nil }
                return .init(from: from, to: to)
            })
    }

    /// Claude Code's project folder name: every character but an ASCII
    /// letter or digit becomes `-` (`/home/dev/project` ->
    /// `-home-dev-project`).
    static func projectFolder(for path: String) -> String {
        String(
            String.UnicodeScalarView(
                path.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: scalar
                    default: "-"
                    }
                }))
    }

    static let billingHeader = "x-anthropic-billing-header: cc_version="
    static let environmentBlockMarkers = ["You have been invoked in the following environment", "<env>\n"]

    /// Lines of the environment block that describe the machine, not the
    /// conversation; their values are replaced. The working directory's
    /// value is replaced as a path, wherever it occurs.
    static let machineLines = [
        "Platform: ", "Shell: ", "OS Version: ", "Is a git repository: ", "Is directory a git repo: ",
    ]
    static let workingDirectoryLines = ["Primary working directory: ", "Working directory: "]
    static let datePrefixes = ["Today's date is ", "Today's date: "]
    /// Claude Code's git snapshot (`gitStatus: This is the git status at the
    /// start of the conversation...`): branch, status and recent commits, up
    /// to the end of its text block.
    static let gitStatusPrefix = "gitStatus: "

    /// The value of the first working directory line in an environment block.
    static func workingDirectory(in text: String) -> String? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let content = Self.lineContent(line)
            for prefix in workingDirectoryLines where content.hasPrefix(prefix) {
                let value = content.dropFirst(prefix.count).trimmingSuffix(while: \.isWhitespace)
                if value.hasPrefix("/") || value.hasPrefix("~") { return String(value) }
            }
        }
        return nil
    }

    /// HOME and the project folder, from the first memory folder path
    /// (`<HOME>/.claude/projects/<folder>/`): HOME is the characters before
    /// it back to a space, quote, backtick or bracket.
    static func memoryFolder(in text: String) -> (home: String, projectFolder: String)? {
        guard let marker = text.firstRange(of: "/.claude/projects/") else { return nil }
        let delimiters: Set<Character> = [" ", "\n", "\t", "`", "\"", "'", "(", ")", "<", ">", "[", "]", "="]
        var start = marker.lowerBound
        while start > text.startIndex, !delimiters.contains(text[text.index(before: start)]) {
            start = text.index(before: start)
        }
        let home = text[start..<marker.lowerBound]
        let folder = text[marker.upperBound...].prefix { $0 != "/" && !delimiters.contains($0) }
        guard home.hasPrefix("/"), home.count > 1, folder.count > 1 else { return nil }
        return (String(home), String(folder))
    }

    /// A line without its list marker (` - `) and leading spaces.
    private static func lineContent(_ line: Substring) -> Substring {
        var content = line.drop(while: \.isWhitespace)
        if content.hasPrefix("- ") { content = content.dropFirst(2) }
        return content
    }

    /// Text with the date, the machine lines and a git snapshot replaced.
    static func normalizedText(_ text: String) -> String {
        var text = text
        if let snapshot = text.firstRange(of: gitStatusPrefix) {
            text = String(text[..<snapshot.upperBound]) + "<snapshot>"
        }
        // Machine lines only inside the environment block: a user's own "Shell: zsh" line is content.
        let inBlock = environmentBlockMarkers.contains { text.contains($0) }
        let needsLines = ((inBlock ? machineLines : []) + datePrefixes).contains { text.contains($0) }
        guard needsLines else { return text }
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(normalizedLine(line, machineLines: inBlock))
        }
        return lines.joined(separator: "\n")
    }

    private static func normalizedLine(_ line: Substring, machineLines: Bool) -> Substring {
        let content = lineContent(line)
        for prefix in Self.machineLines where machineLines && content.hasPrefix(prefix) {
            return line[..<content.startIndex] + prefix + "<machine>"
        }
        for prefix in datePrefixes {
            if let date = line.firstRange(of: prefix) { return line[..<date.upperBound] + "<date>" }
        }
        return line
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}

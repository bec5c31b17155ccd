import Replay
import TestSupport
import Testing
import Wire

/// The normaliser against the requests Claude Code 2.1.x really sent
/// (HOME /home/dev, working directory /home/dev/project, 2026-11-21).
@Suite struct ClaudeCodeEnvironmentTests {
    static func requests() throws -> [JSONValue] {
        let path = try Fixtures.path("claude-code/write-tool-session.requests.jsonl")
        let requests = try Fixtures.chunkPayloads(atPath: path).map { try JSONValue(parsing: $0)["body"] ?? .null }
        try #require(requests.count == 2, "the fixture holds the session's two requests")
        return requests
    }

    /// `body` as if sent on another machine, by another user, on another day.
    static func elsewhere(_ body: JSONValue) throws -> JSONValue {
        var text = body.serializedString()
        for (from, to) in [
            ("/home/dev/project", "/srv/ci/checkout-7"), ("-home-dev-project", "-srv-ci-checkout-7"),
            ("/home/dev", "/root"), ("2026-11-21", "2027-02-03"), ("Linux 6.18.44-fc-v657", "Linux 5.15.0-91-generic"),
            ("Platform: linux", "Platform: darwin"), ("Shell: bash", "Shell: zsh"),
            ("7cf91a11b34c63097ebf84af5d351a6de418c0fd59920bfce341363473af1bd7", "0123abcd"),
            ("837d9385-cc8f-404c-8da4-6eada0c1fa42", "11111111-2222-3333-4444-555555555555"),
        ] {
            #expect(text.contains(from), "the fixture shows \(from)")
            text = text.replacing(from, with: to)
        }
        return try JSONValue(parsing: Array(text.utf8))
    }

    static func normalized(_ body: JSONValue) throws -> JSONValue {
        try #require(ClaudeCodeEnvironment(request: body)).normalized(body)
    }

    @Test func findsTheWorkingDirectoryAndHome() throws {
        for request in try Self.requests() {
            let environment = try #require(ClaudeCodeEnvironment(request: request))
            #expect(environment.workingDirectory == "/home/dev/project")
            #expect(environment.home == "/home/dev")
            #expect(environment.projectFolder == "-home-dev-project")
        }
    }

    @Test func aRequestFromAnotherMachineNormalisesToTheSameBody() throws {
        for request in try Self.requests() {
            let moved = try Self.elsewhere(request)
            #expect(moved != request)
            let environment = try #require(ClaudeCodeEnvironment(request: moved))
            #expect(environment.workingDirectory == "/srv/ci/checkout-7")
            #expect(environment.home == "/root")
            #expect(try Self.normalized(moved) == Self.normalized(request))
        }
    }

    @Test func theNormalisedBodyKeepsNoMachineText() throws {
        let text = try Self.normalized(try Self.requests()[1]).serializedString()
        for machine in ["/home/dev", "-home-dev-project", "2026-11-21", "6.18.44", "837d9385", "7cf91a11"] {
            #expect(!text.contains(machine), "\(machine) is left")
        }
        #expect(text.contains("Primary working directory: <cwd>"))
        #expect(text.contains("<cwd>/hello.txt"), "the tool call's path, relative to the placeholder")
        #expect(text.contains("<home>/.claude/projects/<cwd-project-folder>/memory/"))
        #expect(text.contains("Today's date is <date>"))
        #expect(text.contains("create hello.txt containing hello world"), "the conversation itself stays")
    }

    @Test func aDifferentQuestionStillDiffers() throws {
        let request = try Self.requests()[0]
        let asked = request.serializedString().replacing(
            "create hello.txt containing hello world", with: "create hello.txt containing goodbye")
        let other = try Self.elsewhere(try JSONValue(parsing: Array(asked.utf8)))
        #expect(try Self.normalized(other) != Self.normalized(request))
    }

    @Test func aDifferentToolResultPathStillDiffers() throws {
        // A file outside the working directory is content, not environment.
        let request = try Self.requests()[1]
        let wrote = request.serializedString().replacing(
            "File created successfully at: /home/dev/project/hello.txt",
            with: "File created successfully at: /etc/hello.txt")
        #expect(try Self.normalized(try JSONValue(parsing: Array(wrote.utf8))) != Self.normalized(request))
    }

    @Test func aRequestWithoutTheEnvironmentBlockStillNamesHomeAndProjectFolder() throws {
        let body = try JSONValue(
            parsing: Array(
                #"{"system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.327.17f;"},{"type":"text","text":"Memory at `/home/dev/.claude/projects/-home-dev-project/memory/`."}]}"#
                    .utf8))
        let environment = try #require(ClaudeCodeEnvironment(request: body))
        #expect(environment.workingDirectory == nil)
        #expect(environment.home == "/home/dev")
        #expect(environment.projectFolder == "-home-dev-project")
    }

    @Test func otherClientsAreNotClaudeCode() throws {
        let body = try JSONValue(
            parsing: Array(
                #"{"model":"m","system":"Working directory: /home/a\nToday's date is 2026-01-01.","messages":[]}"#.utf8)
        )
        #expect(ClaudeCodeEnvironment(request: body) == nil)
    }

    @Test func olderEnvironmentBlocksAreRecognised() throws {
        func body(_ directory: String, _ date: String) throws -> JSONValue {
            let system =
                "You are Claude Code.\\n<env>\\nWorking directory: \(directory)\\nIs directory a git repo: Yes\\n"
                + "Platform: darwin\\nOS Version: Darwin 24.5.0\\nToday's date: \(date)\\n</env>\\n"
                + "gitStatus: This is the git status at the start of the conversation.\\nCurrent branch: main"
            return try JSONValue(
                parsing: Array(
                    #"{"system":"\#(system)","messages":[{"role":"user","content":"edit \#(directory)/a.c"}]}"#.utf8))
        }
        let recorded = try body("/Users/ann/src/app", "2025-07-24")
        let replayed = try body("/home/ci/app", "2025-08-01")
        #expect(ClaudeCodeEnvironment(request: recorded)?.workingDirectory == "/Users/ann/src/app")
        #expect(try Self.normalized(recorded) == Self.normalized(replayed))
    }

    @Test func relocationMovesWholePathsOnly() {
        let relocation = PathRelocation([
            .init(from: "/x/openai", to: "/y/w"), .init(from: "/x/openai.home", to: "/h"), .init(from: "/", to: "!"),
        ])
        #expect(relocation.substitutions.count == 2, "a bare / is dropped")
        #expect(
            relocation.apply(to: "at /x/openai/a.txt, /x/openai.home/.claude, /x/openaix, /z/x/openai, /x/openai.")
                == "at /y/w/a.txt, /h/.claude, /x/openaix, /z/x/openai, /y/w.")
    }

    @Test func relocationKeepsTheCutsOfAStreamedText() {
        let relocation = PathRelocation([.init(from: "/tmp/work", to: "/srv/elsewhere")])
        let pieces = [#"{"file_path":"/tm"#, "p/wo", #"rk/hello.txt"}"#]
        let moved = relocation.apply(toFragments: pieces.map { Array($0.utf8) }).map {
            String(decoding: $0, as: UTF8.self)
        }
        #expect(moved == [#"{"file_path":"/srv/elsewhere"#, "", #"/hello.txt"}"#])
    }
}

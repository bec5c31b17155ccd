import Foundation

/// Finds the shared fixtures (real provider responses, real Claude Code
/// requests) and frames provider chunk files as the SSE bytes a provider
/// would send.
///
/// The folder is, in order: `$SWITCHBOARD_FIXTURES`; `shared/fixtures` next
/// to the repository (found by walking up from this source file to
/// `Package.swift`, so every git worktree finds it); `fixtures` or
/// `shared/fixtures` inside the repository.
public enum Fixtures {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// How a `*.chunks.txt` file's lines become SSE frames (see the
    /// providers folder's README).
    public enum Framing: Sendable {
        /// `data: LINE` frames, then `data: [DONE]` (OpenAI Chat Completions).
        case openAIChat
        /// `event: TYPE` from the payload's `type`, then `data: LINE`
        /// (Anthropic, and OpenAI Responses, which names events the same way).
        case namedByType
        /// `data: LINE` frames only (Gemini `alt=sse`).
        case dataOnly

        /// The framing for a folder under `providers/`.
        public static func forProviderFolder(_ folder: String) -> Framing {
            switch folder {
            case "openai-chat": .openAIChat
            case "anthropic", "openai-responses": .namedByType
            default: .dataOnly
            }
        }
    }

    /// The fixtures folder, or an error listing where it looked.
    public static func root() throws -> String {
        var candidates: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["SWITCHBOARD_FIXTURES"], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment)
        }
        if let repository = repositoryRoot() {
            let url = URL(fileURLWithPath: repository)
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("shared/fixtures").path)
            candidates.append(url.appendingPathComponent("fixtures").path)
            candidates.append(url.appendingPathComponent("shared/fixtures").path)
        }
        for candidate in candidates where isDirectory(candidate + "/providers") {
            return candidate
        }
        throw NotFound(
            description: "fixtures not found; looked in \(candidates); \(hint)")
    }

    /// The absolute path of `relative` inside the fixtures folder.
    public static func path(_ relative: String) throws -> String {
        try root() + "/" + relative
    }

    /// Files directly in the fixtures subfolder `folder` whose names end with
    /// `suffix`, as absolute paths, sorted; an error naming the folder and
    /// `SWITCHBOARD_FIXTURES` when there is none.
    public static func files(in folder: String, suffix: String) throws -> [String] {
        let directory = try path(folder)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw NotFound(description: "cannot list the fixtures folder \(directory): \(error); \(hint)")
        }
        let files = names.filter { $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
        guard !files.isEmpty else {
            throw NotFound(description: "no *\(suffix) fixture in \(directory); \(hint)")
        }
        return files
    }

    /// `files(in:suffix:)` for `@Test(arguments:)`, which cannot throw: no
    /// files when the fixtures are missing. A suite using it must also call
    /// `requireFound` in a test of its own, or missing fixtures would run
    /// zero cases and pass.
    public static func argumentFiles(in folder: String, suffix: String) -> [String] {
        (try? files(in: folder, suffix: suffix)) ?? []
    }

    /// Fails with where the fixtures were looked for, and how to point at
    /// them, unless `argumentFiles` found at least `minimum` files.
    public static func requireFound(
        _ found: [String], in folder: String, suffix: String, atLeast minimum: Int = 1
    )
        throws
    {
        let listed = try files(in: folder, suffix: suffix)
        guard found.count >= minimum, listed.count >= minimum else {
            throw NotFound(
                description:
                    "\(listed.count) *\(suffix) fixtures in \(try path(folder)), at least \(minimum) expected; \(hint)")
        }
    }

    private static let hint = "set SWITCHBOARD_FIXTURES to the folder holding providers/ (shared/fixtures)"

    public static func bytes(atPath path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The non-empty lines of a chunks file: one chunk payload each.
    public static func chunkPayloads(atPath path: String) throws -> [String] {
        let text = String(decoding: try bytes(atPath: path), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map(String.init).filter {
            !$0.allSatisfy(\.isWhitespace)
        }
    }

    /// A chunks file as the SSE bytes its provider sends, framed by its folder.
    public static func sseBytes(chunksFile path: String) throws -> [UInt8] {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        return sseBytes(payloads: try chunkPayloads(atPath: path), framing: .forProviderFolder(folder))
    }

    public static func sseBytes(payloads: [String], framing: Framing) -> [UInt8] {
        var output: [UInt8] = []
        for payload in payloads {
            if case .namedByType = framing, let type = eventType(of: payload) {
                output += Array("event: \(type)\n".utf8)
            }
            output += Array("data: \(payload)\n\n".utf8)
        }
        if case .openAIChat = framing { output += Array("data: [DONE]\n\n".utf8) }
        return output
    }

    private static func eventType(of payload: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
            return nil
        }
        return object["type"] as? String
    }

    private static func repositoryRoot() -> String? {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

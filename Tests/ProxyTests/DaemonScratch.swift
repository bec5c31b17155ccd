import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A scratch HOME and XDG_STATE_HOME for `proxy start`, `status`, `stop`
/// and `restart` run as a user runs them, against the built `proxy`.
struct DaemonScratch {
    /// What one command did.
    struct Run {
        var ending: ChildProcess.Ending?
        var standardOutput: String
        var standardError: String
    }

    let root: URL
    let executable: URL

    init() throws {
        executable = try ChildProcess.builtExecutable("proxy")
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-daemon-\(UUID())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    var stateDirectory: String { root.appendingPathComponent("state/switchboard").path }
    var stateFile: String { stateDirectory + "/proxy.json" }
    var logFile: String { stateDirectory + "/proxy.log" }
    var configFile: String { root.appendingPathComponent("models.yaml").path }

    /// No config or keys of the user's; state under the scratch directory.
    var environment: [String: String] {
        [
            "HOME": root.path, "XDG_STATE_HOME": root.appendingPathComponent("state").path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    /// Writes a config routing `gpt` (as OpenAI Chat Completions) to `base`.
    func writeConfig(
        upstream base: String, modelName: String = "upstream-gpt", apiKey: String = "sk-daemon-test"
    )
        throws
    {
        try Data(
            """
            models:
              - model_id: gpt
                model_name: \(modelName)
                api_base: \(base)/v1
                format: openai
                api_key: \(apiKey)
            """.utf8
        ).write(to: URL(fileURLWithPath: configFile))
    }

    /// Runs `proxy ARGUMENTS` to its end, in `directory` when given, with
    /// `extraEnvironment` added to ``environment``.
    func run(
        _ arguments: [String], in directory: URL? = nil, extraEnvironment: [String: String] = [:]
    ) async throws -> Run {
        let child = try await ChildProcess(
            executable, arguments: arguments, environment: environment.merging(extraEnvironment) { $1 },
            directory: directory)
        defer { child.killIfRunning() }
        let ending = await child.waitForEnding(limit: .seconds(90))
        return Run(ending: ending, standardOutput: child.standardOutput, standardError: child.standardError)
    }

    /// The running proxy's pid, from its state file.
    var pid: Int32? {
        guard let data = FileManager.default.contents(atPath: stateFile),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return (object["pid"] as? NSNumber)?.int32Value
    }

    /// The base URL a start printed.
    static func baseURL(in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("ANTHROPIC_BASE_URL=") }
            .map { String($0.dropFirst("ANTHROPIC_BASE_URL=".count)) }
    }

    /// Whether `pid` is a live process (a zombie, exited but not reaped,
    /// counts as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.range(of: ") ", options: .backwards)
        else { return false }
        return !["Z", "X"].contains(stat[close.upperBound...].first)
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Kills a proxy a failed test left running, and removes the scratch
    /// directory.
    func cleanUp() {
        if let pid, Self.isAlive(pid) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: root)
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A built executable of this package run as a child process, its output
/// collected as it comes, for tests of the command line itself.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public enum Ending: Equatable, CustomStringConvertible, Sendable {
        case exited(Int32)
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// State the pipe readers and the termination handler write to.
    private final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    private let output: Shared<[UInt8]>
    private let errors: Shared<[UInt8]>
    private let ended: Shared<Ending?>
    /// How many of the two output pipes have reached their end.
    private let closedPipes: Shared<Int>
    public let pid: Int32

    /// The executable `name` from this package's build directory: next to
    /// the running test bundle, else `.build/debug` of the checkout.
    public static func builtExecutable(_ name: String) throws -> URL {
        var directories: [URL] = []
        if let runner = Bundle.main.executableURL { directories.append(runner.deletingLastPathComponent()) }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while root.path != "/",
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        directories.append(root.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotFound(
            description:
                "no `\(name)` executable in \(directories.map(\.path)); build it first (swift build --build-tests)")
    }

    /// Starts `executable` with `arguments`, in `directory` when given.
    public init(
        _ executable: URL, arguments: [String], environment: [String: String]? = nil, directory: URL? = nil
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if var environment {
            // A child built with a sanitizer reads its options (TSan's
            // suppressions) as the test runner does (tools/sanitizers.sh).
            for name in ["TSAN_OPTIONS", "ASAN_OPTIONS"] where environment[name] == nil {
                environment[name] = ProcessInfo.processInfo.environment[name]
            }
            process.environment = environment
        }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let ended = Shared<Ending?>(nil)
        process.terminationHandler = { process in
            let ending: Ending =
                process.terminationReason == .exit
                ? .exited(process.terminationStatus) : .signalled(process.terminationStatus)
            ended.value.withLock { $0 = ending }
        }
        try process.run()
        pid = process.processIdentifier
        self.ended = ended
        output = Shared([])
        errors = Shared([])
        closedPipes = Shared(0)
        Self.collect(stdout, into: output, closed: closedPipes)
        Self.collect(stderr, into: errors, closed: closedPipes)
    }

    /// Reads `pipe` on a thread of its own until it closes.
    private static func collect(_ pipe: Pipe, into buffer: Shared<[UInt8]>, closed: Shared<Int>) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                buffer.value.withLock { $0.append(contentsOf: data) }
            }
            closed.value.withLock { $0 += 1 }
        }
    }

    public var standardOutput: String { output.value.withLock { String(decoding: $0, as: UTF8.self) } }
    public var standardError: String { errors.value.withLock { String(decoding: $0, as: UTF8.self) } }

    /// How the child ended; nil while it runs.
    public var ending: Ending? { ended.value.withLock { $0 } }

    /// The first whole line of standard output starting with `prefix`, once
    /// it has been printed; nil if the child ends or `limit` passes first.
    public func outputLine(startingWith prefix: String, limit: Duration = .seconds(60)) async -> String? {
        let deadline = ContinuousClock.now + limit
        // The output is looked at once more after the deadline: on a loaded
        // machine the sleep can outlast it while the line came long before.
        while true {
            let lines = standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = lines.first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if ending != nil || ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    public func send(_ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// Waits for the child to end; nil if it still runs after `limit`.
    /// Once it has ended, waits a little longer for the last of its output
    /// to be read (unless something it started holds the pipes open).
    public func waitForEnding(limit: Duration = .seconds(60)) async -> Ending? {
        let deadline = ContinuousClock.now + limit
        while ending == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let outputDeadline = ContinuousClock.now + .seconds(5)
        while ending != nil, closedPipes.value.withLock({ $0 }) < 2, ContinuousClock.now < outputDeadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return ending
    }

    /// Kills the child if it still runs (a failed test must not leave it).
    public func killIfRunning() {
        if ending == nil { send(SIGKILL) }
    }
}

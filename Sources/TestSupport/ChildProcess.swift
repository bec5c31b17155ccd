import Foundation
import NIOConcurrencyHelpers
import Subprocess
import SystemPackage

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
        let value: NIOLockedValueBox<Value>
        init(_ value: Value) { self.value = NIOLockedValueBox(value) }
    }

    private let output: Shared<[UInt8]>
    private let errors: Shared<[UInt8]>
    private let ended: Shared<Ending?>
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

    /// Starts `executable` with `arguments`, in `directory` when given, and
    /// returns once it runs (or throws if it cannot start).
    ///
    /// This is swift-subprocess, not Foundation's `Process`: the latter's
    /// `run()` in Swift 6.3.1 reads past a `dirent` while listing
    /// /proc/self/fd and crashed the whole test run now and then
    /// (swift-corelibs-foundation#5472).
    public init(
        _ executable: URL, arguments: [String], environment: [String: String]? = nil, directory: URL? = nil
    ) async throws {
        var childEnvironment = Environment.inherit
        if var environment {
            // A child built with a sanitizer reads its options (TSan's
            // suppressions) as the test runner does (tools/sanitizers.sh).
            for name in ["TSAN_OPTIONS", "ASAN_OPTIONS"] where environment[name] == nil {
                environment[name] = ProcessInfo.processInfo.environment[name]
            }
            childEnvironment = .custom(
                Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })
            )
        }
        let configuration = Configuration(
            executable: .path(FilePath(executable.path)), arguments: Arguments(arguments),
            environment: childEnvironment, workingDirectory: directory.map { FilePath($0.path) })
        let output = Shared<[UInt8]>([])
        let errors = Shared<[UInt8]>([])
        let ended = Shared<Ending?>(nil)
        let (started, reportStart) = AsyncThrowingStream.makeStream(of: Int32.self)
        // The child is awaited on a task of its own: `run` returns only once
        // it has ended and both of its output pipes have closed.
        Task.detached {
            do {
                let result = try await Subprocess.run(
                    configuration, input: .none, output: .sequence, error: .sequence
                ) { execution in
                    reportStart.yield(execution.processIdentifier.value)
                    async let outputRead: Void = Self.collect(execution.standardOutput, into: output)
                    await Self.collect(execution.standardError, into: errors)
                    await outputRead
                }
                let ending: Ending =
                    switch result.terminationStatus {
                    case .exited(let status): .exited(status)
                    case .signaled(let signal): .signalled(signal)
                    }
                ended.value.withLockedValue { $0 = ending }
                reportStart.finish()
            } catch {
                reportStart.finish(throwing: error)
            }
        }
        var iterator = started.makeAsyncIterator()
        guard let pid = try await iterator.next() else {
            throw NotFound(description: "\(executable.path) did not start")
        }
        self.pid = pid
        self.output = output
        self.errors = errors
        self.ended = ended
    }

    /// Appends what a pipe brings to `buffer` until the pipe closes.
    private static func collect(_ pipe: SubprocessOutputSequence, into buffer: Shared<[UInt8]>) async {
        do {
            for try await chunk in pipe {
                chunk.withUnsafeBytes { bytes in buffer.value.withLockedValue { $0.append(contentsOf: bytes) } }
            }
        } catch {
            // A read error ends the collection as the pipe's end would.
        }
    }

    /// Standard output so far, as bytes.
    public var standardOutputBytes: [UInt8] { output.value.withLockedValue { $0 } }
    public var standardOutput: String { output.value.withLockedValue { String(decoding: $0, as: UTF8.self) } }
    public var standardError: String { errors.value.withLockedValue { String(decoding: $0, as: UTF8.self) } }

    /// How the child ended; nil while it runs.
    public var ending: Ending? { ended.value.withLockedValue { $0 } }

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

    /// Waits for the child to end and its output to be read to the end; nil
    /// if it (or something it started, holding its pipes) still runs after
    /// `limit`.
    public func waitForEnding(limit: Duration = .seconds(60)) async -> Ending? {
        let deadline = ContinuousClock.now + limit
        while ending == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return ending
    }

    /// Kills the child if it still runs (a failed test must not leave it).
    public func killIfRunning() {
        if ending == nil { send(SIGKILL) }
    }
}

import Foundation
import Proxy
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `proxy restart` starts the proxy again as it ran: after it died, with
/// new options laid over the old, and never leaving users with no proxy
/// because the new one could not start.
@Suite(.serialized) struct DaemonRestartTests {
    /// The running proxy's state file, which must be there.
    private static func state(_ scratch: DaemonScratch) throws -> DaemonState {
        try #require(try DaemonState.read(from: scratch.stateFile), "log: \(scratch.log)")
    }

    /// Holds 127.0.0.1:`port` (listening) until `body` returns.
    private static func holdingPort<T>(_ port: Int, _ body: () async throws -> T) async throws -> T {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        // The killed proxy's closed connections may hold the port in
        // TIME_WAIT, which refuses a plain bind (seen in CI); a listening
        // socket still keeps the proxy, which reuses addresses too, off it.
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        // The freed port can be another test's connection's own port for a
        // moment (the whole suite connects in parallel; errno 98 twice in a
        // session): tried again for up to 5 s.
        var bound: Int32 = -1
        for _ in 0..<50 {
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound != 0, errno == EADDRINUSE else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(bound == 0 && listen(socket, 1) == 0, "cannot hold port \(port): errno \(errno)")
        return try await body()
    }

    @Test func aRestartAfterTheProxyDiedKeepsItsOptionsAndPort() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        // Relative paths, and port 0.
        let start = try await scratch.run(
            ["start", "--config", "models.yaml", "--port", "0", "--record", "rec"], in: scratch.root)
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let first = try Self.state(scratch)
        let record = scratch.root.appendingPathComponent("rec").path
        #expect(first.recordDirectory == record)

        kill(first.pid, SIGKILL)
        #expect(await ConfigReloadTests.eventually { !DaemonScratch.isAlive(first.pid) })
        // `status` removes the dead proxy's state file.
        #expect(try await scratch.run(["status"]).ending == .exited(3))
        #expect(!FileManager.default.fileExists(atPath: scratch.stateFile))

        // A start that fails after the stop (the port taken meanwhile)
        // keeps the options for the next restart.
        let blocked = try await Self.holdingPort(first.port) {
            try await scratch.run(["restart", "--timeout", "20"], in: URL(fileURLWithPath: "/"))
        }
        #expect(blocked.ending == .exited(1), "stderr: \(blocked.standardError)")
        #expect(blocked.standardError.contains("already in use"), "\(blocked.standardError)")

        let restart = try await scratch.run(["restart", "--timeout", "20"], in: URL(fileURLWithPath: "/"))
        #expect(restart.ending == .exited(0), "stderr: \(restart.standardError)\nlog: \(scratch.log)")
        let second = try Self.state(scratch)
        #expect(second.pid != first.pid)
        #expect(second.port == first.port, "the port it listened on, not 8082 nor another free one")
        #expect(second.configFile == scratch.configFile)
        #expect(second.recordDirectory == record)
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }

    @Test func optionsGivenToRestartAreLaidOverTheOnesItRanWith() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        let record = scratch.root.appendingPathComponent("rec").path
        let start = try await scratch.run(
            ["start", "--config", scratch.configFile, "--port", "0", "--record", record, "--log-level", "warning"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let first = try Self.state(scratch)

        let restart = try await scratch.run(["restart", "--timeout", "20", "--log-level", "debug"])
        #expect(restart.ending == .exited(0), "stderr: \(restart.standardError)\nlog: \(scratch.log)")
        let used = "--config \(scratch.configFile) --port \(first.port) --record \(record) --log-level debug"
        #expect(restart.standardError.contains("starting with: \(used)"), "\(restart.standardError)")
        let second = try Self.state(scratch)
        #expect(second.port == first.port)
        #expect(second.configFile == scratch.configFile)
        #expect(second.recordDirectory == record)
        #expect(second.arguments.joined(separator: " ") == used)
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }

    @Test func aRestartThatCouldNotStartLeavesTheProxyRunning() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        let variable = "SB_RESTART_TEST_KEY"
        try scratch.writeConfig(upstream: "http://127.0.0.1:1", apiKey: "${\(variable)}")
        let start = try await scratch.run(
            ["start", "--config", scratch.configFile, "--port", "0"], extraEnvironment: [variable: "sk-1"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let pid = try Self.state(scratch).pid

        let restart = try await scratch.run(["restart", "--timeout", "20"])
        #expect(restart.ending == .exited(1))
        #expect(restart.standardError.contains(variable), "\(restart.standardError)")
        #expect(restart.standardError.contains("(pid \(pid)) is left running"), "\(restart.standardError)")
        #expect(!restart.standardOutput.contains("Stopped"), "\(restart.standardOutput)")
        #expect(DaemonScratch.isAlive(pid))
        #expect(scratch.pid == pid)

        let again = try await scratch.run(["restart", "--timeout", "20"], extraEnvironment: [variable: "sk-2"])
        #expect(again.ending == .exited(0), "stderr: \(again.standardError)\nlog: \(scratch.log)")
        #expect(!DaemonScratch.isAlive(pid))
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }

    /// A `--record` directory that cannot be made, and OTLP/gRPC (which
    /// only the start would refuse), are found before the stop too.
    @Test func aRestartChecksTheRecordDirectoryAndTheTraceSettingsBeforeStopping() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        let start = try await scratch.run(["start", "--config", scratch.configFile, "--port", "0"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let pid = try Self.state(scratch).pid
        let file = scratch.root.appendingPathComponent("a-file")
        try Data("not a directory".utf8).write(to: file)

        let record = try await scratch.run(["restart", "--timeout", "20", "--record", file.path + "/rec"])
        #expect(record.ending == .exited(1))
        #expect(record.standardError.contains("cannot record to \(file.path)/rec"), "\(record.standardError)")
        #expect(record.standardError.contains("(pid \(pid)) is left running"), "\(record.standardError)")

        // Writable to root by access(2), yet nothing can be made there.
        let proc = try await scratch.run(["restart", "--timeout", "20", "--record", "/proc/switchboard-rec"])
        #expect(proc.ending == .exited(1))
        #expect(
            proc.standardError.contains("cannot record to /proc/switchboard-rec: a directory cannot be made in /proc"),
            "\(proc.standardError)")
        #expect(proc.standardError.contains("(pid \(pid)) is left running"), "\(proc.standardError)")

        let traces = try await scratch.run(
            ["restart", "--timeout", "20"],
            extraEnvironment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            ])
        #expect(traces.ending == .exited(1))
        #expect(traces.standardError.contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc"), "\(traces.standardError)")
        #expect(traces.standardError.contains("(pid \(pid)) is left running"), "\(traces.standardError)")
        #expect(DaemonScratch.isAlive(pid))
        #expect(scratch.pid == pid)
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }

    /// `--fresh` drops the options the proxy ran with (a recording, metrics
    /// turned off), keeping its address.
    @Test func aFreshRestartKeepsOnlyTheAddressAndConfigOfTheOptionsItRanWith() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        let record = scratch.root.appendingPathComponent("rec").path
        let start = try await scratch.run(
            ["start", "--config", scratch.configFile, "--port", "0", "--record", record, "--no-metrics"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let first = try Self.state(scratch)
        #expect(first.recordDirectory == record)

        // The config stays too: a fresh start on the default one sent every model elsewhere.
        let restart = try await scratch.run(["restart", "--timeout", "20", "--fresh", "--log-level", "debug"])
        #expect(restart.ending == .exited(0), "stderr: \(restart.standardError)\nlog: \(scratch.log)")
        let second = try Self.state(scratch)
        #expect(second.port == first.port)
        #expect(second.recordDirectory == nil)
        let used = ServeOptionList(second.arguments)
        #expect(used.keepingOnly(["--config"]).arguments == ["--config", scratch.configFile], "\(second.arguments)")
        #expect(used.keepingOnly(["--record", "--no-metrics"]).arguments.isEmpty, "\(second.arguments)")
        #expect(used.keepingOnly(["--log-level"]).arguments == ["--log-level", "debug"], "\(second.arguments)")
        #expect(
            restart.standardError.contains("starting with: \(second.arguments.joined(separator: " "))"),
            "\(restart.standardError)")
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }
}

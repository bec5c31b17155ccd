import ArgumentParser
import Logging
import Proxy
import Replay
import ServiceLifecycle
import ServiceRunning

/// `proxy serve --demo`: the proxy with built-in routes to an in-process
/// stub upstream replaying the embedded demo cassette. Nothing is read from
/// or written to the config directory, and no key or network is needed.
extension ServeCommand {
    func validateDemo() throws {
        guard demo else {
            guard demoSpeed == 1 else { throw ValidationError("--demo-speed needs --demo.") }
            return
        }
        guard config == nil else {
            throw ValidationError("--demo uses its own routes and reads no config; drop --config or --demo.")
        }
        guard demoSpeed >= 0 else { throw ValidationError("--demo-speed must be 0 or more.") }
    }

    /// Runs the stub and the proxy in one service group until SIGINT or
    /// SIGTERM. The group stops them in reverse order: the proxy first, so
    /// exchanges still streaming from the stub finish, then the stub.
    func runDemo() async throws {
        let stub: StubUpstream
        do {
            stub = try StubUpstream.demo(speed: demoSpeed, logger: Logger(label: "switchboard.demo-upstream"))
        } catch {
            // EX_SOFTWARE: the cassette is part of the binary.
            Self.fail("the built-in demo cassette is unreadable: \(error)", code: 70)
        }
        // As in `run()`: nothing exits between opening the recorder and the
        // group, and a failed group closes it.
        let tracing = makeTracing()
        let recording = openRecording()
        let options = ProxyServer.Options(
            host: host, port: port, maxBodyBytes: maxBodyMB << 20, metrics: !noMetrics, maxConnections: maxConnections,
            headerTimeout: .seconds(headerTimeout), allowedHosts: allowedHost, allowedOrigins: allowedOrigin)
        raiseOpenFileLimit()
        let host = self.host
        let demoSpeed = self.demoSpeed
        let record = self.record
        let (upstreamPorts, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let upstream = stub.application { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let writeState = stateWriter(configFile: nil)
        let proxy = DemoProxyService(upstreamPorts: upstreamPorts) { upstreamPort in
            let banner = DemoBanner(host: host, upstreamPort: upstreamPort, recordingTo: record, speed: demoSpeed)
            return ProxyServer(
                config: DemoConfig.make(upstreamPort: upstreamPort), options: options, recording: recording,
                tracing: tracing
            )
            .makeApplication {
                banner.print(port: $0)
                writeState($0)
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [upstream, proxy], gracefulShutdownSignals: [.sigint, .sigterm],
                cancellationSignals: [.sigquit],
                logger: Logger(label: "switchboard.demo")))
        defer { removeDaemonState() }
        do {
            try await ProxyServer.run(group, closing: recording?.recorder)
        } catch {
            Self.fail(NetworkErrorText.listenFailure(error, host: host, port: port), code: 1)
        }
    }
}

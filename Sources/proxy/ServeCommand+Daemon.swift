import Foundation
import Proxy

/// `serve --daemon-state DIR`, the hidden option `proxy start` adds to the
/// `serve` it spawns: once listening, write the state file `proxy start`
/// waits for; on the way out, remove it.
extension ServeCommand {
    /// Writes the state file for a server listening on `port`; exits if it
    /// cannot, since `proxy start` would wait for it in vain.
    func stateWriter(configFile: String?) -> @Sendable (_ port: Int) -> Void {
        guard let daemonState else { return { _ in } }
        let (host, record) = (host, record)
        let serveArguments = Array(CommandLine.arguments.dropFirst(2))
        return { port in
            let paths = DaemonPaths(directory: daemonState)
            let state = DaemonState.current(
                host: host, port: port, address: Banner.baseURL(host: host, port: port), configFile: configFile,
                recordDirectory: record, paths: paths, serveArguments: serveArguments)
            do {
                try state.write(to: paths.stateFile)
            } catch {
                Self.fail("\(error)", code: 1)
            }
            // Kept after this proxy is gone (the state file is not), so that
            // `proxy restart` after a crash or a kill still has its options.
            do {
                try state.write(to: paths.lastStateFile)
            } catch {
                FileHandle.standardError.write(Data("warning: \(error)\n".utf8))
            }
        }
    }

    func removeDaemonState() {
        guard let daemonState else { return }
        DaemonState.remove(at: DaemonPaths(directory: daemonState).stateFile, ifOwnedBy: getpid())
    }
}

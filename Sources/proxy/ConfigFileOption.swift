import ArgumentParser
import Foundation
import Proxy

/// `--config PATH`, shared by every command that reads the routes file, and
/// resolved as `serve` resolves it.
struct ConfigFileOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The routes file. Default: $XDG_CONFIG_HOME/switchboard/models.yaml or "
                + "~/.config/switchboard/models.yaml.",
            valueName: "path"))
    var config: String?

    /// The file these options name.
    var path: String { config ?? DefaultConfig.path() }

    /// The config, with its warnings printed to stderr, and the
    /// subscription logins applied unless `logins` is false; exits 78 with
    /// the error's `FILE:LINE:COLUMN: problem. What to do.` when it is
    /// wrong.
    func load(path override: String? = nil, logins: Bool = true) -> ProxyConfig {
        let path = override ?? path
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.fail(
                DefaultConfig.missing(at: path, given: override != nil || config != nil).description, code: 78)
        }
        do {
            let file = try ProxyConfig.load(path: path)
            let loaded = logins ? file.applyingSubscriptions(from: AuthStore(path: AuthStore.defaultPath())) : file
            Terminal.printWarnings(loaded)
            return loaded
        } catch {
            Terminal.fail(error.description, code: 78)
        }
    }
}

/// What the commands share for talking to the terminal.
enum Terminal {
    /// EX_CONFIG: the configuration is wrong, and the message says where.
    static let configErrorStatus: Int32 = 78

    static func fail(_ message: String, code: Int32) -> Never {
        // Log lines still held go first, in the order things happened.
        ProxyLogging.flush()
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(code)
    }

    static func printWarnings(_ config: ProxyConfig) {
        guard !config.warnings.isEmpty else { return }
        ProxyLogging.flush()
        FileHandle.standardError.write(Data(config.warnings.map { "\($0)\n" }.joined().utf8))
    }

    /// `warning: message` on stderr.
    static func printWarning(_ message: String) {
        ProxyLogging.flush()
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    /// Written at once and unbuffered, so a pipe sees it whole.
    static func print(_ text: String) {
        ProxyLogging.flush()
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

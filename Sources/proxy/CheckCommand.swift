import ArgumentParser
import Foundation
import Proxy

/// `proxy check`: calls every configured upstream once and prints a table.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Call every configured upstream once, in parallel, and say which work.",
        discussion: """
            For each route of the config, asks the upstream for its models list (no tokens spent), which must \
            name the route's model_name; an upstream without one (404), or whose list does not name the model, \
            gets a one-token request instead, through the proxy's own conversion. \
            Prints route, format, upstream, result, latency, and for a failure what to fix. Exits 1 when any \
            route fails, 78 when the config has errors.

            Routes without an api_key pass on the client's key; give one for them with --api-key, or in \
            ANTHROPIC_API_KEY. Keys are never printed.
            """)

    @OptionGroup var configFile: ConfigFileOption

    @Option(help: ArgumentHelp("The key for routes without an api_key.", valueName: "key"))
    var apiKey: String?

    // A negative number reaches validate(), which names the range: see
    // NegativeOptionValues, applied in ProxyCommand.main().
    @Option(help: "Seconds each call may take.")
    var timeout = 20

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1.") }
    }

    func run() async throws {
        // As the config tools read it: a missing default file says how to
        // make one, not "check the path given to --config" when none was.
        let proxyConfig = configFile.load(logins: false)
        let key = apiKey ?? ProcessInfo.processInfo.environment["ANTHROPIC_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let results = await UpstreamCheck(config: proxyConfig, clientKey: key, timeout: .seconds(timeout)).run()
        print(UpstreamCheck.table(results))
        let failed = results.filter { !$0.ok }.count
        print(
            failed == 0
                ? "\nAll \(results.count) routes answered."
                : "\n\(failed) of \(results.count) routes failed.")
        if failed > 0 { throw ExitCode(1) }
    }
}

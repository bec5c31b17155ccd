import ArgumentParser
import Replay

/// `proxy`: Switchboard's command line.
@main
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Switchboard: use any provider from Claude Code and other Anthropic API clients.",
        discussion: """
            Run `proxy serve`, then point the client at it:

              ANTHROPIC_BASE_URL=http://127.0.0.1:8082 claude

            Routes live in ~/.config/switchboard/models.yaml (written, with comments, on the first run).
            `proxy serve --demo` needs none: it answers every model from a built-in recording, offline.

            `proxy config print|init|check`, `proxy route MODEL` and `proxy models` show what the config does; \
            `proxy check` calls every upstream once.

            In the background: `proxy start` (the options of serve), `proxy status`, `proxy stop`, `proxy restart`.

            Subscription plans: `proxy login --claude-code | --codex | --gemini | --antigravity`, `proxy providers`, `proxy logout PROVIDER`.
            """,
        subcommands: [
            ServeCommand.self, StartCommand.self, StopCommand.self, RestartCommand.self, StatusCommand.self,
            ConfigCommand.self, RouteCommand.self, ModelsCommand.self, CheckCommand.self, LoginCommand.self,
            LogoutCommand.self, ProvidersCommand.self,
        ])

    /// Parses and runs the command line, negative numbers attached to
    /// their options (``NegativeOptionValues``).
    static func main() async {
        await main(NegativeOptionValues.attached(Array(CommandLine.arguments.dropFirst())))
    }
}

import ArgumentParser
import Proxy

/// `proxy config init`: writes the commented default config.
struct ConfigInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write the commented default config (every model to Anthropic with the client's key).",
        discussion: """
            Writes to --config PATH, else to the file `proxy serve` reads. An existing file is left alone \
            (and said so) unless --force is given. The comments document every field; commented-out entries \
            show OpenAI, DeepSeek, OpenAI Responses, Gemini and a local server.
            """)

    @OptionGroup var file: ConfigFileOption

    @Flag(help: "Replace an existing file.")
    var force = false

    func run() {
        let path = file.path
        do {
            switch try DefaultConfig.write(to: path, force: force) {
            case .created: Terminal.print("Wrote the default config to \(path).")
            case .replaced: Terminal.print("Replaced \(path) with the default config (--force).")
            case .keptExisting:
                Terminal.print("\(path) already exists; left it unchanged. Use --force to replace it.")
            }
        } catch {
            Terminal.fail(error.description, code: 1)
        }
    }
}

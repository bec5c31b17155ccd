import ArgumentParser
import Foundation
import Proxy

/// `proxy route MODEL`: which entry a model name goes to, and why.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show which config entry a model name goes to, and why.",
        discussion: """
            The router tries, in order: the entry whose model_id equals MODEL; the most specific glob alias \
            that matches it (most literal characters; ties to the first in the file); the `default`. This \
            prints the entry, its upstream and the upstream model name, and which rule chose it (naming the \
            other aliases that also match). Exit 0 when an entry serves MODEL, 1 when nothing does (the \
            proxy would answer 404).

              proxy route claude-3-5-haiku-20241022
            """)

    @Argument(help: ArgumentHelp("A model name as a client sends it.", valueName: "model"))
    var model: String

    @OptionGroup var file: ConfigFileOption

    func run() {
        let explanation = ModelRouter(config: file.load()).explain(model: model)
        Terminal.print(explanation.description)
        if explanation.route == nil { Foundation.exit(1) }
    }
}

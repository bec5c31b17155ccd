import ArgumentParser
import Foundation
import Proxy

/// `proxy models`: the model ids clients may ask for.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the model ids clients may use, one per line.",
        discussion: """
            Prints each entry's model_id, in file order, one per line (what GET /v1/models lists). Names \
            that aliases or the default also accept are described on stderr, so stdout stays a plain list \
            for scripts. `proxy route MODEL` says where a given name goes.
            """)

    @OptionGroup var file: ConfigFileOption

    func run() {
        let router = ModelRouter(config: file.load())
        Terminal.print(router.modelIDs.joined(separator: "\n"))
        var notes = router.aliasesInMatchOrder.map { "also: names matching \($0.pattern) -> \($0.modelID)" }
        if let defaultID = router.config.defaultModelID { notes.append("also: any other name -> \(defaultID)") }
        if !notes.isEmpty { FileHandle.standardError.write(Data(notes.map { $0 + "\n" }.joined().utf8)) }
    }
}

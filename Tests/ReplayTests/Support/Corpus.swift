import Cassette
import Foundation
import Testing

/// The regression corpus, `cassettes/` at the repository root (see its
/// README), found from this file so every worktree and CI find their own.
enum Corpus {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The corpus folder; an error when the checkout has none, so a lost
    /// corpus fails the run instead of passing it silently.
    static func directory() throws -> String {
        var url = URL(filePath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appending(path: "Package.swift").path) {
                let corpus = url.appending(path: "cassettes").path
                guard FileManager.default.fileExists(atPath: corpus) else {
                    throw Missing(description: "no cassettes/ next to \(url.path)/Package.swift")
                }
                return corpus
            }
            url = url.deletingLastPathComponent()
        }
        throw Missing(description: "no Package.swift above \(#filePath)")
    }

    /// Every cassette file of the corpus.
    static func files() throws -> [String] {
        try CassetteReader.cassetteFiles(in: [try directory()])
    }

    /// A copy of the corpus cassette `relative` (e.g.
    /// `claude-code/openai-write.jsonl.lz4`), each line passed through
    /// `change`, written as plain JSONL in a fresh temporary folder.
    static func copy(
        of relative: String, changing change: (CassetteEvent) -> CassetteEvent = { $0 }
    ) throws -> String {
        let contents = try CassetteReader.read(path: try directory() + "/" + relative)
        let name = URL(filePath: relative).lastPathComponent.replacing(".jsonl.lz4", with: ".jsonl")
        let path = try ConvertedExchange.temporaryDirectory() + "/" + name
        let writer = try CassetteWriter(file: path, header: contents.header)
        for event in contents.events { try writer.write(change(event)) }
        try writer.close()
        return path
    }
}

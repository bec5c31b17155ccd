import Convert
import Foundation
import TestSupport

extension TestRoutes {
    static let gemini = RouteOptions(modelID: "gemini", upstreamDialect: .gemini, upstreamModel: "gemini-3-pro-preview")
    static let responses = RouteOptions(
        modelID: "gpt5", upstreamDialect: .openaiResponses, upstreamModel: "gpt-5.1-codex-max")
}

/// Every recorded upstream stream under `fixtures/providers/`, of every
/// format, with the route that reads it: what each client dialect's stream
/// tests run through their encoder.
enum ProviderStreams {
    static let routes: [String: RouteOptions] = [
        "openai-chat": TestRoutes.openAI, "anthropic": TestRoutes.anthropic, "gemini": TestRoutes.gemini,
        "openai-responses": TestRoutes.responses,
    ]

    static let chunkFiles: [String] = routes.keys.sorted().flatMap { folder in
        Fixtures.argumentFiles(in: "providers/\(folder)", suffix: ".chunks.txt")
    }

    /// Fails unless every folder's streams were found (the suites taking
    /// `chunkFiles` as arguments would otherwise run no case).
    static func requireFound() throws {
        for folder in routes.keys.sorted() {
            try Fixtures.requireFound(
                chunkFiles.filter { $0.contains("/\(folder)/") }, in: "providers/\(folder)", suffix: ".chunks.txt")
        }
    }

    /// The route of a chunks file's folder.
    static func route(forFile path: String) -> RouteOptions {
        routes[URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent]!
    }
}

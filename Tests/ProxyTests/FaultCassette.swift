import Cassette
import Foundation
import Proxy

/// A cassette directory for a fault test: the recording to give the proxy,
/// and, once the proxy has stopped (which closes the cassette), what each
/// exchange's lines say.
struct FaultCassette {
    let directory: String
    let recording: ExchangeRecording

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-faults-\(UUID())").path
        recording = try ExchangeRecording(directory: directory)
    }

    /// Every exchange's lines, by id, in file order.
    func exchanges() throws -> [String: [CassetteEvent]] {
        var byID: [String: [CassetteEvent]] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events where event.kind != "cassette" {
                byID[event.exchange ?? "", default: []].append(event)
            }
        }
        return byID
    }

    /// The stages of exchange `id`'s `error` lines, and its `end` line's outcome.
    func errors(of id: String?) throws -> (stages: [String], outcome: String?) {
        let events = try exchanges()[id ?? ""] ?? []
        return (
            events.filter { $0.kind == "error" }.map { $0["stage"]?.stringValue ?? "?" },
            events.last { $0.kind == "end" }?["outcome"]?.stringValue
        )
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

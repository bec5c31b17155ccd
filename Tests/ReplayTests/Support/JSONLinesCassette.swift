import Cassette
import Replay
import Wire

/// Reads hand-written plain JSONL cassette text straight into a set.
enum JSONLinesCassette {
    struct Missing: Error { var id: String }
    struct BadLine: Error { var line: Int }

    static func events(_ text: String) throws -> [CassetteEvent] {
        try text.split(separator: "\n").enumerated().map { index, line in
            guard let event = CassetteEvent(json: try JSONValue(parsing: String(line))) else {
                throw BadLine(line: index + 1)
            }
            return event
        }
    }

    static func set(_ text: String, file: String) throws -> CassetteSet {
        let all = try events(text)
        let header = all.first { $0.knownKind == .cassette }
        var set = CassetteSet()
        set.add(file: file, header: header, events: all.filter { $0.knownKind != .cassette }, tornTail: nil)
        return set
    }
}

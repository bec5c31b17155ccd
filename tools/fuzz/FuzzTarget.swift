import Glibc

/// What can be fuzzed: each case feeds the input to one kind of parser or
/// converter and traps when a property breaks, so libFuzzer reports it.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `SSEParser`: events do not depend on how the bytes were cut.
    case sse
    /// `JSONValue(parsing:)`: what parses serializes to text that parses to the same text again.
    case json
    /// `CassetteStreamReader` (plain JSON Lines or LZ4 frames): the same events and result however the file
    /// was cut, and the same as `CassetteReader.read(bytes:)`.
    case cassette
    /// Every client dialect's request through the pivot to every upstream format, and an upstream answer back.
    case request
    /// Upstream stream bytes through `UpstreamStreamConverter` to every client dialect: the same frames however
    /// the bytes were cut, and a converted stream passes its client's stream checker.
    case stream

    /// The target `SWITCHBOARD_FUZZ_TARGET` names; a run without it stops at once, saying what to set.
    static let selected: FuzzTarget = {
        let name = getenv("SWITCHBOARD_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            fatalError("set SWITCHBOARD_FUZZ_TARGET to one of \(names) (got '\(name)')")
        }
        return target
    }()

    func run(_ input: inout FuzzInput) {
        switch self {
        case .sse: SSEParserFuzz.run(&input)
        case .json: JSONParserFuzz.run(&input)
        case .cassette: CassetteReaderFuzz.run(&input)
        case .request: RequestConversionFuzz.run(&input)
        case .stream: StreamConversionFuzz.run(&input)
        }
    }
}

/// Traps with `message` when `condition` fails: libFuzzer reports the trap
/// with the input that caused it.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

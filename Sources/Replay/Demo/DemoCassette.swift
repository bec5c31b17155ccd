import Cassette
import Logging

/// The recording `proxy serve --demo` answers from, built into the binary so
/// the demo needs no files: an OpenAI-compatible upstream explaining what
/// Switchboard is, once streamed and once not, recorded through
/// `proxy serve --record`.
///
/// ``text`` is generated from `cassettes/demo.jsonl` by
/// `tools/make-demo-cassette.sh`, which re-records both; a test keeps the two
/// equal.
public enum DemoCassette {
    /// The name the embedded cassette goes by in logs (the stub's HIT and
    /// NEAR lines) and errors.
    public static let name = "demo.jsonl (built in)"

    /// The recorded exchanges.
    public static func exchanges() throws(CassetteReadError) -> [Exchange] {
        var set = CassetteSet()
        set.add(try CassetteReader.read(bytes: Array(text.utf8), path: name))
        return set.exchanges
    }
}

extension StubUpstream {
    /// The demo's upstream: the embedded ``DemoCassette`` on `host`, port 0,
    /// at `speed` (1, recorded timing, makes the streaming visible), serving
    /// any request the nearest recording of its kind.
    public static func demo(
        speed: Double = 1, host: String = "127.0.0.1", logger: Logger? = nil
    ) throws(CassetteReadError) -> StubUpstream {
        StubUpstream(
            exchanges: try DemoCassette.exchanges(),
            options: Options(host: host, port: 0, speed: speed, onMiss: .nearest), logger: logger)
    }
}

import Convert
import SSE
import Wire

// The proxy's conversion work for one request, per client dialect, in process and without the
// network: read the client's body, build the upstream's, convert the upstream's answer (body or
// stream) into the client's bytes. `tools/bench.sh` times the whole proxy; this isolates the part
// a client dialect changes, so "a converted request costs at most 10% more than an Anthropic
// client's" can be judged without the HTTP stack's noise. Scenarios run interleaved, round after
// round, and each figure is the median of the rounds.
//
//   convert-bench [ITERATIONS_PER_ROUND] [ROUNDS] [NAME_PART]   (NAME_PART: only scenarios whose
//   name holds it, and their Anthropic baseline; for a profiler)

let numbers = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let iterations = numbers.first ?? 2_000
let rounds = numbers.dropFirst().first ?? 9
let only = CommandLine.arguments.dropFirst().first { Int($0) == nil }

/// One whole conversion; returns the client's byte count so the work cannot be optimized away.
func convert(_ scenario: BenchScenario) throws -> Int {
    let query = scenario.path.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init)
    let path = String(scenario.path.split(separator: "?", maxSplits: 1)[0])
    guard let endpoint = ClientEndpoint.parse(path: path, query: query) else {
        throw APIError.notFound("no endpoint for \(scenario.path)")
    }
    let client = try ClientRequest(endpoint: endpoint, body: try JSONValue(parsing: scenario.clientBody))
    var bytes = try client.upstreamBody(route: scenario.route).body.serialized().count
    if scenario.stream {
        var converter = client.streamConverter(route: scenario.route, createdAt: 0)
        var frames = SSEFrames()
        converter.receive(scenario.upstreamReply.utf8, into: &frames)
        converter.finish(error: nil, into: &frames)
        bytes += frames.bytes.count
    } else {
        let reply = try JSONValue(parsing: scenario.upstreamReply)
        bytes += try client.clientResponse(upstreamBody: reply, route: scenario.route, createdAt: 0).body.serialized().count
    }
    return bytes
}

let scenarios = BenchScenario.all.filter { scenario in
    only.map { scenario.name.contains($0) || scenario.name.hasPrefix("anthropic-") } ?? true
}
var microseconds: [String: [Double]] = [:]
var sink = 0
for scenario in scenarios { sink &+= try convert(scenario) }  // fails loudly before timing anything
let clock = ContinuousClock()
for _ in 0..<rounds {
    for scenario in scenarios {
        let start = clock.now
        for _ in 0..<iterations { sink &+= try convert(scenario) }
        let elapsed = clock.now - start
        let total = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        microseconds[scenario.name, default: []].append(total / Double(iterations))
    }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
func format(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}

print("| scenario | conversion per request | vs the Anthropic client's |")
print("|---|---:|---:|")
for scenario in scenarios {
    let cost = median(microseconds[scenario.name]!)
    let kind = scenario.stream ? "stream" : "small"
    let baseline = median(microseconds["anthropic-\(kind)"]!)
    let delta =
        scenario.name.hasPrefix("anthropic-")
        ? "" : (cost >= baseline ? "+" : "-") + format(abs(cost - baseline)) + " µs"
    print("| `\(scenario.name)` | \(format(cost)) µs | \(delta) |")
}
print("\n\(iterations) conversions per scenario per round, median of \(rounds) interleaved rounds. (\(sink % 10))")

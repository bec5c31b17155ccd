// The floor under the proxy's cost per request: the same pass-through relay built three ways, each
// counted by tools/bench.sh beside the proxy (BENCH_BASELINE_BIN=.build/release/relay-floor,
// RELAY_FLOOR_MODE=...), so the proxy's instructions per request split into what its server and
// upstream layers cost and what its own work costs. Measurement only: no routing, no model names,
// no keys, no errors in any client's shape.
//
//   relay-floor serve --host H --port P --config models.yaml
//
// The upstream is the first `http://127.0.0.1:PORT` the config names (tools/bench.sh writes it).
// RELAY_FLOOR_MODE:
//   nio          a NIO HTTP/1 server whose every client connection has one upstream connection
//                on its own event loop; request and response parts are relayed as they come
//   hummingbird  Hummingbird server and AsyncHTTPClient upstream, the body collected and the
//                answer streamed back: the proxy's two layers with nothing of the proxy between
//   cached       Hummingbird alone: each (path, body size) is relayed once through
//                AsyncHTTPClient, then answered from memory: the server layer's cost
// (Mode `lean`, Hummingbird with a minimal client of our own, grew into the proxy's upstream
// client and is measured as the proxy now.)

import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

let arguments = CommandLine.arguments

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("relay-floor: \(message)\n".utf8))
    exit(2)
}

guard let portText = option("--port"), let port = Int(portText) else { fail("--port N is required") }
let host = option("--host") ?? "127.0.0.1"
guard let configPath = option("--config"), let config = try? String(contentsOfFile: configPath, encoding: .utf8)
else { fail("--config FILE is required and must be readable") }
guard let match = config.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)/), let upstreamPort = Int(match.1) else {
    fail("the config names no http://127.0.0.1:PORT upstream")
}
let mode = ProcessInfo.processInfo.environment["RELAY_FLOOR_MODE"] ?? "nio"

switch mode {
case "nio":
    try await NIORelay(upstreamPort: upstreamPort).run(host: host, port: port)
case "hummingbird", "cached":
    try await HummingbirdRelay(upstreamPort: upstreamPort, cached: mode == "cached").run(host: host, port: port)
default:
    fail("RELAY_FLOOR_MODE must be nio, hummingbird or cached, not \(mode)")
}

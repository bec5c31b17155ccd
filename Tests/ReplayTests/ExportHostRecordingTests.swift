import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Proxy
import Replay
import TestSupport
import Testing
import Wire

/// A recorded client request keeps the address the client called (HTTP/1.1's
/// `Host`, which the server sees as `:authority`), so `-o curl` and `-o har`
/// point at that proxy by default, as `log-replay inspect --help` says.
@Suite struct ExportHostRecordingTests {
    @Test func curlAndHARExportsPointAtTheProxyTheClientCalled() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-host-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "export-host")
        logger.logLevel = .critical
        let yaml = """
            models:
              - model_id: gpt
                model_name: up
                api_base: http://127.0.0.1:9/v1
                format: openai
            """
        let server = ProxyServer(
            config: try ProxyConfig.parse(yaml: yaml, file: "host.yaml"), options: .init(host: "127.0.0.1", port: 0),
            recording: try ExchangeRecording(directory: directory), logger: logger)
        // A model nothing serves: answered (404) and recorded without an upstream.
        let body: JSONValue = ["model": "nope", "max_tokens": 10, "messages": [["role": "user", "content": "hi"]]]
        let port = try await server.withRunning { port in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
            let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
            _ = try await response.body.collect(upTo: 1 << 20)
            return port
        }
        let exchange = try #require(try CassetteLoader.load(paths: [directory]).exchanges.first)
        let command = CurlExport.command(for: exchange, baseURL: nil)
        #expect(command.hasPrefix("curl -sS -N -X POST \"http://127.0.0.1:\(port)/v1/messages\""), "\(command)")
        let har = HARExport.document([exchange], baseURL: nil).serializedString()
        #expect(har.contains("http://127.0.0.1:\(port)/v1/messages"), "\(har)")
    }
}

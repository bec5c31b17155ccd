import ArgumentParser
import Foundation
import Replay
import ServiceRunning

/// `stub-upstream`: serves the upstream side of recorded exchanges as a fake
/// provider, so a client can run through the real proxy with no network.
@main struct StubUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stub-upstream", abstract: "Serve cassettes' upstream responses over HTTP.",
        discussion: """
            Requests match recorded upstream requests by method, path (or a path that ends with it) and JSON body, \
            keys sorted and volatile fields ignored. Identical requests get their recorded copies in order, then the \
            last again. A miss is a 404, or a 409 when the nearest recording differs only in body, naming it and the \
            JSON pointers that differ, as an error in the shape of the API the path speaks (Anthropic, OpenAI Chat or \
            Responses, Gemini); with --on-miss nearest, it is served the nearest recording with the same \
            method, path and `stream` flag instead (a demo answers any question). One HIT, NEAR or MISS line per \
            request goes to stderr. A recorded timeout, and an exchange whose client hung up mid-answer, are held \
            open after their recorded bytes until the caller closes the connection.

            Claude Code's requests (recognised by its billing header or environment block in the body) are matched \
            with their environment normalised: the working directory and HOME paths, today's date, the platform, \
            shell, OS version and git-repository lines, a gitStatus snapshot and metadata.user_id's device and session \
            ids become placeholders in the recorded and the incoming request alike; the rest is compared as usual. A \
            served reply has the recorded working directory and HOME replaced by the request's, so a session recorded \
            on one machine replays on another. --exact-environment turns this off.
            """)

    @Option(parsing: .upToNextOption, help: "Cassette files or directories.") var cassettes: [String]
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    // A negative number reaches validate(), which names the range: see
    // NegativeOptionValues, applied in main().
    @Option(help: "Port to bind (0 picks a free one and prints it).") var port = 8090
    @Option(help: "Timing: 1 recorded, N times faster, 0 as fast as possible.") var speed = 1.0
    @Option(help: "Cap every gap at this many milliseconds.") var maxGap: Int?
    @Flag(help: "Serve exchanges strictly in recorded sequence.") var strictOrder = false
    @Option(
        help: ArgumentHelp(
            "A request JSON pointer to ignore when matching (repeatable), added to the defaults: "
                + "\(VolatileFields.requests.map(\.description).joined(separator: " ")).", valueName: "pointer"))
    var ignore: [String] = []
    @Option(
        help: ArgumentHelp(
            "What a request no recording matches gets: reject (404/409 naming the nearest recording) or nearest "
                + "(that recording served, when it has the same method, path and stream flag).",
            valueName: "reject|nearest"))
    var onMiss: StubMissPolicy = .reject
    @Flag(
        help: ArgumentHelp(
            "Match Claude Code's requests with their environment as recorded: a session then replays only with the "
                + "recorded working directory, HOME, date and machine."))
    var exactEnvironment = false

    /// Parses and runs the command line, negative numbers attached to
    /// their options (``NegativeOptionValues``).
    static func main() async {
        await main(NegativeOptionValues.attached(Array(CommandLine.arguments.dropFirst())))
    }

    func validate() throws {
        // Out of range, the system took a port modulo 65536 (70000 bound 4464).
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard speed >= 0 else { throw ValidationError("--speed must be 0 or more") }
        if let maxGap, maxGap < 0 { throw ValidationError("--max-gap must be 0 or more.") }
        if let problem = ignore.lazy.compactMap(JSONPointerPattern.problem).first {
            throw ValidationError("--ignore: \(problem).")
        }
    }

    func run() async throws {
        let options = StubUpstream.Options(
            host: host, port: port, speed: speed, maxGap: maxGap.map { .milliseconds($0) }, strictOrder: strictOrder,
            ignore: VolatileFields.requests + ignore.map(JSONPointerPattern.init), onMiss: onMiss,
            exactEnvironment: exactEnvironment)
        let stub: StubUpstream
        do {
            stub = try StubUpstream(cassettes: cassettes, options: options)
        } catch {
            throw ValidationError("\(error)")
        }
        for warning in stub.warnings {
            FileHandle.standardError.write(Data("stub-upstream: warning: \(warning)\n".utf8))
        }
        // Serving nothing would answer every request 404, far from the cause.
        guard !stub.recordings.isEmpty else {
            throw ValidationError(
                "\(cassettes.joined(separator: ", ")): no recorded upstream requests to serve "
                    + "(every exchange there was answered before reaching an upstream)")
        }
        do {
            try await stub.runService { port in
                // Written at once, unbuffered: scripts wait for this line to learn the port.
                let line =
                    "stub-upstream: \(stub.recordings.count) recorded upstream requests on http://\(options.host):\(port)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch  where NetworkErrorText.isSocketError(error) {
            // NIO's own words name the system call (`bind(descriptor:ptr:bytes:)`).
            FileHandle.standardError.write(
                Data("Error: \(NetworkErrorText.listenFailure(error, host: options.host, port: port))\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension StubMissPolicy: ExpressibleByArgument {}

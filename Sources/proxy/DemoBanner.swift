import Foundation
import Proxy

/// What `serve --demo` prints once it listens: that this is the demo, the
/// line to give Claude Code, and a request to paste.
struct DemoBanner: Sendable {
    let host: String
    let upstreamPort: Int
    let recordingTo: String?
    /// `--demo-speed`: 1 the recorded pace, N times faster, 0 at once.
    var speed = 1.0

    /// A prompt that the recorded answer fits.
    static let prompt = "What is Switchboard?"

    /// How the stub paces the recorded answer, as `--demo-speed` asks.
    var pace: String {
        switch speed {
        case 0: "with no pauses"
        case 1: "at its recorded pace"
        // Whole speeds without ".0"; Int() traps past its range.
        default:
            "at \(speed == speed.rounded() && speed < 1e15 ? String(Int(speed)) : String(speed)) times its recorded pace"
        }
    }

    func print(port: Int) {
        let url = Banner.baseURL(host: host, port: port)
        let body =
            #"{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"#
            + #""messages":[{"role":"user","content":"\#(Self.prompt)"}]}"#
        var lines = [
            "Switchboard demo: no config, no keys, no network.",
            "Every model name goes, as OpenAI Chat Completions, to a built-in stub upstream on "
                + "http://127.0.0.1:\(upstreamPort)",
            "that replays a recorded answer \(pace), through the real Anthropic <-> OpenAI conversion.",
            "Whatever you ask, the answer is the recorded one.",
            "Switchboard proxy listening on \(Banner.listenURL(host: host, port: port))",
        ]
        if let recordingTo { lines.append("Recording to \(recordingTo)") }
        lines += [
            "",
            "Connect Claude Code with:",
            "ANTHROPIC_BASE_URL=\(url)",
            "",
            "Try it with curl (streaming):",
            "  curl -N \(url)/v1/messages -H 'content-type: application/json' -d '\(body)'",
            "",
            "Or with Claude Code (any key will do; the demo route has its own):",
            "  ANTHROPIC_BASE_URL=\(url) ANTHROPIC_API_KEY=demo claude -p '\(Self.prompt)'",
            "",
            "Stop with Ctrl-C. For real providers, run `proxy serve` and edit ~/.config/switchboard/models.yaml.",
        ]
        // Written at once and unbuffered, so a script waiting for the line
        // sees it even when stdout is a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

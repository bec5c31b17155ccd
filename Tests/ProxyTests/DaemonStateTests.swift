import Foundation
import Proxy
import Testing

/// The pieces of `proxy start` and `status` that need no process.
struct DaemonStateTests {
    @Test func theStateDirectoryFollowsXDG() {
        #expect(
            DaemonPaths(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/h"]).directory == "/x/state/switchboard")
        #expect(DaemonPaths(environment: ["HOME": "/h"]).directory == "/h/.local/state/switchboard")
        // The spec ignores a relative XDG_STATE_HOME.
        #expect(
            DaemonPaths(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]).stateFile
                == "/h/.local/state/switchboard/proxy.json")
        #expect(DaemonPaths(directory: "/s").logFile == "/s/proxy.log")
    }

    @Test func theUsersOptionsLeaveOutTheStateOption() {
        let serve = ["--port", "0", DaemonState.serveOption, "/s", "--record", "r", DaemonState.serveOption + "=/t"]
        #expect(DaemonState.userArguments(serve) == ["--port", "0", "--record", "r"])
    }

    @Test func statusDescribesEveryField() throws {
        let started = Date(timeIntervalSince1970: 1_000_000)
        let state = DaemonState(
            pid: 42, host: "0.0.0.0", port: 8082, address: "http://127.0.0.1:8082", startedAt: started,
            configFile: "/c/models.yaml", logFile: "/s/proxy.log", recordDirectory: nil, version: "9.9.9",
            arguments: [])
        let lines = state.summaryLines(now: started + 93_784)
        #expect(
            lines == [
                "pid:        42",
                "address:    http://127.0.0.1:8082",
                "uptime:     1d 2h 3m 4s (since 1970-01-12T13:46:40Z)",
                "version:    9.9.9",
                "config:     /c/models.yaml",
                "log:        /s/proxy.log",
                "recording:  off",
            ])
        #expect(state.summaryLines(now: started + 61)[2].hasPrefix("uptime:     1m 1s "))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try state.write(to: file)
        #expect(try DaemonState.read(from: file) == state)
        DaemonState.remove(at: file, ifOwnedBy: 41)
        #expect(FileManager.default.fileExists(atPath: file), "not removed for another pid")
        DaemonState.remove(at: file, ifOwnedBy: 42)
        #expect(!FileManager.default.fileExists(atPath: file))
    }
}

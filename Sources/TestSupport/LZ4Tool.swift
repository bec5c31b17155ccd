import Foundation

/// The `lz4` command-line tool (Debian's `lz4` package), which the
/// interoperability tests run to prove cassettes are standard LZ4 frames.
///
/// A test that needs it fails when it is missing, with what to install,
/// rather than passing without checking.
public enum LZ4Tool {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// The first executable `lz4` in `searchPath` (a `PATH` value; the
    /// process's own by default).
    public static func path(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "") throws -> String {
        let directories = searchPath.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for directory in directories {
            let candidate = directory + "/lz4"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NotFound(
            description: "the lz4 tool is not on PATH (\(searchPath)); install it (apt-get install lz4, "
                + "or bash tools/setup.sh), since this test checks that cassettes are standard LZ4")
    }

    /// `lz4 -dc FILE`: the decompressed bytes and the exit status (a
    /// signal counts as status 128 + its number, as a shell reports it).
    public static func decompress(_ file: String) async throws -> (output: [UInt8], status: Int32) {
        let child = try await ChildProcess(URL(fileURLWithPath: try path()), arguments: ["-dc", file])
        let status: Int32 =
            switch await child.waitForEnding() {
            case .exited(let code)?: code
            case .signalled(let signal)?: 128 + signal
            case nil: -1
            }
        return (child.standardOutputBytes, status)
    }
}

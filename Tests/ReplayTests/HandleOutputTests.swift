import Foundation
import Replay
import Testing

/// `log-replay send` writes each exchange's line as it is answered, into a
/// file too; other commands keep their lines buffered.
@Suite struct HandleOutputTests {
    static func written(flushesEachLine: Bool, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-out-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(filePath: path))
        let output = HandleOutput(handle, flushesEachLine: flushesEachLine)
        output.write(text)
        // Read before the output is flushed or released.
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        withExtendedLifetime(output) {}
        return contents
    }

    @Test func aLineByLineOutputWritesEachLineAtOnce() throws {
        #expect(try Self.written(flushesEachLine: true, "POST /v1/messages 200\n") == "POST /v1/messages 200\n")
        #expect(try Self.written(flushesEachLine: true, "half a line") == "")
        #expect(try Self.written(flushesEachLine: false, "POST /v1/messages 200\n") == "")
    }
}

import Foundation

/// Files `log-replay` and `stub-upstream` must refuse or read with care: a
/// path with nothing there, files that are not cassettes, and a corpus
/// cassette cut short as `kill -9` of the recorder would leave it.
struct BadCassettes {
    let directory: String
    let missing: String
    let plainText: String
    let randomBytes: String
    let truncated: String
    /// The corpus cassette with a byte changed in its middle: blocks after
    /// the damaged one are whole, so this is not a torn tail.
    let damaged: String
    /// The corpus cassette `truncated` was cut from.
    let whole: String

    init() throws {
        directory = try ConvertedExchange.temporaryDirectory()
        missing = directory + "/no-such-cassette.jsonl.lz4"
        plainText = directory + "/notes.jsonl"
        try Data("these are my notes\nnot JSON at all\n".utf8).write(to: URL(filePath: plainText))
        randomBytes = directory + "/noise.jsonl.lz4"
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255) }).write(to: URL(filePath: randomBytes))
        whole = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let bytes = try Data(contentsOf: URL(filePath: whole))
        truncated = directory + "/cut.jsonl.lz4"
        // Into the last block: every block before it is whole.
        try bytes.prefix(bytes.count - 200).write(to: URL(filePath: truncated))
        damaged = directory + "/damaged.jsonl.lz4"
        var changed = bytes
        changed[changed.startIndex + bytes.count / 2] ^= 0x5A
        try changed.write(to: URL(filePath: damaged))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

import Cassette

/// What recording needs, shared by every exchange: the recorder and the
/// redactor for headers and URLs.
public struct ExchangeRecording: Sendable {
    public let recorder: CassetteRecorder
    public let redactor: Redactor

    public init(recorder: CassetteRecorder, redactor: Redactor = Redactor()) {
        self.recorder = recorder
        self.redactor = redactor
    }
}

extension ExchangeRecording {
    /// Recording to `directory` (created if missing), files rotated at
    /// `maxFileMB`, with `redactHeaders` redacted on top of the usual secret
    /// headers. Throws when the directory cannot be written.
    public init(directory: String, maxFileMB: Int = 256, redactHeaders: [String] = []) throws {
        self.init(
            recorder: try CassetteRecorder(directory: directory, maxFileBytes: max(1, maxFileMB) << 20),
            redactor: Redactor(extraHeaders: redactHeaders))
    }

    /// The cassette files written so far.
    public var files: [String] { recorder.files }
}

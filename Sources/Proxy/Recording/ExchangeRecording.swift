import Cassette
import Logging

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
    /// headers. Throws when the directory cannot be written. When the disk
    /// later refuses bytes, `logger` gets one warning with the cause, and a
    /// notice when writing resumes (with the events lost meanwhile, which
    /// also count in `end` lines and `/metrics`).
    public init(
        directory: String, maxFileMB: Int = 256, redactHeaders: [String] = [],
        logger: Logger = Logger(label: "switchboard.recording")
    ) throws {
        self.init(
            recorder: try CassetteRecorder(
                directory: directory, maxFileBytes: max(1, maxFileMB) << 20,
                onWriteStatus: { Self.log($0, logger: logger) }),
            redactor: Redactor(extraHeaders: redactHeaders))
    }

    private static func log(_ status: CassetteRecorder.WriteStatus, logger: Logger) {
        switch status {
        case .failed(let error):
            logger.warning(
                "cannot write the cassette (\(error)); the proxy keeps serving, exchanges are not recorded until the disk takes bytes again (tried every second), and lost events are counted"
            )
        case .resumed(let file, let droppedEvents):
            logger.notice("recording resumed in \(file); \(droppedEvents) events were lost while it was stopped")
        }
    }

    /// The cassette files written so far.
    public var files: [String] { recorder.files }
}

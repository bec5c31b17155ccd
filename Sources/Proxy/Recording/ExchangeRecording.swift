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

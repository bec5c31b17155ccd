import Foundation

/// A progress line on stderr for long reads: it appears only when reading
/// has taken more than ``delay`` and stderr is a terminal, so pipes and
/// short runs stay clean.
public final class ReadProgress {
    public static let delay: Duration = .seconds(2)
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private let enabled: Bool
    private var shown = false

    /// `enabled` defaults to whether stderr is a terminal.
    public init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        started = clock.now
        self.enabled = enabled
    }

    func update(filesRead: Int, of total: Int, exchanges: Int) {
        guard enabled, clock.now - started >= Self.delay else { return }
        shown = true
        FileHandle.standardError.write(
            Data("\rreading cassettes: \(filesRead)/\(total) files, \(exchanges) exchanges".utf8))
    }

    func finish() {
        guard shown else { return }
        // Clears the line so the report starts on a clean one.
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}

import Cassette
import ServiceLifecycle

/// Closes the recorder when the application shuts down, after the server has
/// stopped and its exchanges have finished, so the cassette's last LZ4 frame
/// is complete on SIGINT or SIGTERM.
///
/// Cancelled (SIGQUIT), it leaves the recorder open: every service is
/// cancelled at once, and the exchanges being cancelled still record their
/// error and end lines. ``ProxyServer/run(onListening:)`` closes it once
/// the server and every exchange have ended.
struct RecorderService: Service {
    let recorder: CassetteRecorder

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        await recorder.close()
    }
}

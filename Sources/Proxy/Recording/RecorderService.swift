import Cassette
import ServiceLifecycle

/// Closes the recorder when the application shuts down, after the server has
/// stopped and its exchanges have finished, so the cassette's last LZ4 frame
/// is complete on SIGINT or SIGTERM.
struct RecorderService: Service {
    let recorder: CassetteRecorder

    func run() async throws {
        try? await gracefulShutdown()
        await recorder.close()
    }
}

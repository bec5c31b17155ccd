import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the config file into a ``LiveRouter`` on SIGHUP and whenever the
/// file, or the subscription logins' file, changes (its size, modification
/// time or inode, polled), until the server shuts down. A config with errors
/// is refused with the usual message, logged, and the one in force stays.
public struct ConfigReloader: Service {
    /// What a reload did.
    public enum Outcome: Sendable {
        case reloaded(ProxyConfig)
        case refused(ConfigError)
    }

    public let file: String
    public let routes: LiveRouter
    /// How often the file is looked at.
    public let pollInterval: Duration
    public let logger: Logger
    /// Counts each reload, applied or refused.
    public let metrics: ProxyMetrics?
    /// Subscription logins applied to each config read. Its file is
    /// watched too: a `proxy login` or `logout` made while the proxy runs
    /// takes effect within ``pollInterval``, with no restart or SIGHUP.
    public let authStore: AuthStore?
    /// The config file's stamp when the config in force was read; nil
    /// takes it when ``run()`` starts.
    var configStampAtLoad: FileStamp?

    public init(
        file: String, routes: LiveRouter, pollInterval: Duration = .seconds(1), logger: Logger,
        metrics: ProxyMetrics? = nil, authStore: AuthStore? = nil
    ) {
        self.authStore = authStore
        self.file = file
        self.routes = routes
        self.pollInterval = pollInterval
        self.logger = logger
        self.metrics = metrics
    }

    /// Reads the file now and puts it in force if it is valid; `reason` is
    /// for the log line.
    @discardableResult
    public func reload(reason: String) -> Outcome {
        do {
            var config = try ProxyConfig.load(path: file)
            if let authStore { config = config.applyingSubscriptions(from: authStore) }
            for warning in config.warnings { logger.warning("\(warning.logMessage)") }
            routes.replace(with: ModelRouter(config: config))
            let count = config.models.count
            logger.info("config reloaded (\(reason)): \(count) model\(count == 1 ? "" : "s") from \(file)")
            metrics?.configReloaded(ok: true)
            return .reloaded(config)
        } catch {
            logger.error("config reload (\(reason)) refused, the previous config stays in force: \(error)")
            metrics?.configReloaded(ok: false)
            return .refused(error)
        }
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // The config's stamp from when it was read, so a change made while
        // the server starts is not missed (taken here, one made between the
        // read and this moment waited for the next change, or a SIGHUP).
        let now = watchedStamps
        let initial = configStampAtLoad.map { [$0, now[1]] } ?? now
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in signals { reload(reason: "SIGHUP") }
                }
                group.addTask { await watch(from: initial) }
            }
        }
    }

    /// The stamps of the config file and the logins' file.
    private var watchedStamps: [FileStamp?] { [FileStamp(path: file), authStore.flatMap { FileStamp(path: $0.path) }] }

    /// Polls the files until cancelled, reloading when one changed.
    private func watch(from initial: [FileStamp?]) async {
        var last = initial
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            let now = watchedStamps
            guard now != last else { continue }
            let reason = now[0] != last[0] ? "the file changed" : "the logins changed"
            last = now
            reload(reason: reason)
        }
    }
}

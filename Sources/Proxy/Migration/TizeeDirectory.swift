import Foundation

/// Where tizee/anthropic-proxy keeps its files: `~/.config/anthropic-proxy/`
/// (from the home directory, whatever `XDG_CONFIG_HOME` says, as it reads
/// them), holding `models.yaml` (its routes, a layout this proxy reads as
/// it is), `config.json` (its server settings) and `auth.json` (its
/// subscription logins).
public struct TizeeDirectory: Sendable {
    /// The directory.
    public let path: String
    /// The routes file: `models.yaml` in the directory, or the file
    /// `CUSTOM_MODELS_FILE` names, which tizee reads instead.
    public let modelsFile: String

    /// - Parameter modelsFile: the routes file, when it is not the
    ///   directory's own `models.yaml`.
    public init(path: String, modelsFile: String? = nil) {
        self.path = path
        self.modelsFile = modelsFile ?? (path as NSString).appendingPathComponent("models.yaml")
    }

    /// tizee's default directory, with the routes file its environment
    /// variable `CUSTOM_MODELS_FILE` names when set.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let custom = environment["CUSTOM_MODELS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        return TizeeDirectory(
            path: (home as NSString).appendingPathComponent(".config/anthropic-proxy"), modelsFile: custom)
    }

    /// Its server settings: `log_level`, `log_file_path`, `host`, `port`
    /// and `env` (variables it set for itself).
    public var settingsFile: String { (path as NSString).appendingPathComponent("config.json") }

    /// Its logins, one object per provider key.
    public var authFile: String { (path as NSString).appendingPathComponent("auth.json") }
}

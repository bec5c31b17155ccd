import Foundation
import Wire

/// `proxy config import-tizee`: takes over what tizee/anthropic-proxy kept
/// in its directory, so its user does not start again: its `models.yaml`
/// becomes this proxy's config (the layout loads as it is), its logins go
/// into the ``AuthStore`` as `proxy login` would store them, and its
/// `config.json` is said as `proxy serve` options. What has no counterpart
/// is said, never a token or key. Nothing of this proxy's is replaced
/// unless ``force`` is set.
public struct TizeeImport: Sendable {
    /// What is read.
    public var source: TizeeDirectory
    /// The config written: the file `proxy serve` reads, or `--config`.
    public var configPath: String
    /// Where the logins go.
    public var store: AuthStore
    /// Replace an existing config and existing logins.
    public var force: Bool

    public init(source: TizeeDirectory, configPath: String, store: AuthStore, force: Bool) {
        self.source = source
        self.configPath = configPath
        self.store = store
        self.force = force
    }

    /// What was done, a line each, for the terminal.
    public struct Report: Sendable {
        public var lines: [String] = []
        /// True when something could not be read or written.
        public var failed = false
    }

    /// The routes file's first lines once imported: where it came from.
    static func header(from modelsFile: String) -> String {
        """
        # Imported by `proxy config import-tizee` from tizee/anthropic-proxy's
        # \(modelsFile). Its layout (a top-level list of entries) loads as it is;
        # the README's "Coming from tizee/anthropic-proxy" says what differs.

        """
    }

    /// What `proxy serve` says on its first run, having written the default
    /// config, when tizee/anthropic-proxy's routes are there: the default
    /// sends every model to Anthropic, so the model ids a tizee user's
    /// clients ask for would fail with no hint of why. Nil when there are
    /// none.
    public static func firstRunNote(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        let tizee = TizeeDirectory.standard(environment: environment)
        guard FileManager.default.fileExists(atPath: tizee.modelsFile) else { return nil }
        return "note: tizee/anthropic-proxy's routes are in \(tizee.modelsFile), but the default config written "
            + "sends every model to Anthropic; `proxy config import-tizee --force` makes them the config, with "
            + "its logins."
    }

    /// Does the import.
    /// - Parameter environment: what the imported config's `${NAME}`s are
    ///   checked against.
    public func run(environment: [String: String] = ProcessInfo.processInfo.environment) -> Report {
        var report = Report()
        let files = FileManager.default
        guard files.fileExists(atPath: source.path) || files.fileExists(atPath: source.modelsFile) else {
            report.lines.append(
                "error: there is no tizee/anthropic-proxy directory at \(source.path); give its place with --from DIR")
            report.failed = true
            return report
        }
        importRoutes(into: &report, environment: environment)
        importSettings(into: &report)
        importLogins(into: &report)
        return report
    }

    private func importRoutes(into report: inout Report, environment: [String: String]) {
        guard let text = FileManager.default.contents(atPath: source.modelsFile) else {
            report.lines.append("Routes: no \(source.modelsFile) to import.")
            return
        }
        if FileManager.default.fileExists(atPath: configPath), !force {
            report.lines.append(
                "Routes: \(configPath) already exists; left it unchanged. Use --force to replace it with "
                    + "\(source.modelsFile).")
            return
        }
        do {
            // Mode 0600: a route's api_key may be a literal key.
            try PrivateFile.write(Data(Self.header(from: source.modelsFile).utf8) + text, to: configPath)
        } catch {
            report.lines.append("error: \(error.description)")
            report.failed = true
            return
        }
        report.lines.append("Routes: wrote \(configPath) (mode 0600) from \(source.modelsFile).")
        // Only counted and named, never quoted: the file may hold keys.
        guard let config = try? ProxyConfig.load(path: configPath, environment: environment) else {
            report.lines.append(
                "  It does not load as it is: `proxy config check` says where and why (a ${NAME} it needs may "
                    + "be unset here).")
            return
        }
        report.lines.append(
            "  It loads: \(config.models.count) routes"
                + (config.warnings.isEmpty ? "." : ", \(config.warnings.count) warnings (`proxy config check`)."))
        let chat = config.models.filter { $0.format == .openai && $0.provider == nil }.map(\.modelID)
        if !chat.isEmpty {
            report.lines.append(
                "  tizee's filter_tools plugin took WebSearch, NotebookEdit and NotebookRead out of requests to "
                    + "\(chat.joined(separator: ", ")) (its openai-format routes) and Codex; nothing is taken out "
                    + "here unless a rule says so: add `rules: [{drop_tools: [WebSearch, NotebookEdit, "
                    + "NotebookRead]}]` to an entry to keep that.")
        }
    }

    private func importSettings(into report: inout Report) {
        guard let data = FileManager.default.contents(atPath: source.settingsFile) else { return }
        guard let json = try? JSONValue(parsing: [UInt8](data)) else {
            report.lines.append("Settings: \(source.settingsFile) is not JSON; skipped.")
            return
        }
        let settings = TizeeServerSettings(json)
        if !settings.serveOptions.isEmpty {
            report.lines.append(
                "Settings: its config.json is options here: `proxy serve \(settings.serveOptions.joined(separator: " "))` "
                    + "(or `proxy start` with the same).")
        }
        report.lines += settings.notes.map { "  config.json: \($0)." }
    }

    private func importLogins(into report: inout Report) {
        guard let data = FileManager.default.contents(atPath: source.authFile) else { return }
        guard let json = try? JSONValue(parsing: [UInt8](data)), json.objectValue != nil else {
            report.lines.append("Logins: \(source.authFile) is not a JSON object; skipped.")
            return
        }
        let existing: [String: ProviderCredentials]
        do {
            existing = try store.load()
        } catch {
            report.lines.append("error: \(error.description)")
            report.failed = true
            return
        }
        for login in TizeeLogin.entries(in: json) {
            let note = login.note.map { " (\($0))" } ?? ""
            guard let provider = login.provider, let credentials = login.credentials else {
                report.lines.append("Logins: `\(login.key)`: \(login.note ?? "not imported").")
                continue
            }
            if existing[provider.rawValue] != nil, !force {
                report.lines.append(
                    "Logins: kept the \(provider.displayName) login already here; --force replaces it with tizee's.")
                continue
            }
            do {
                try store.save(credentials, for: provider)
            } catch {
                report.lines.append("error: \(error.description)")
                report.failed = true
                return
            }
            let account = credentials.account.map { ", account \($0)" } ?? ""
            report.lines.append(
                "Logins: imported \(provider.displayName)\(account) as `\(provider.rawValue)` into \(store.path)"
                    + "\(note).")
        }
    }
}

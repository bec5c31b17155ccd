import Foundation

/// The subscription logins on disk: `$XDG_CONFIG_HOME/switchboard/auth.json`
/// (or `~/.config/switchboard/auth.json`), one JSON object keyed by
/// provider name.
///
/// Tokens are secrets, so the file is created with mode 0600 in a directory
/// the proxy creates with mode 0700, is refused (with the `chmod` that
/// mends it) when its mode lets anyone but its owner read it, and is
/// replaced atomically (a temporary file in the same directory, flushed,
/// then renamed), so a crash never leaves half a file.
public struct AuthStore: Sendable {
    /// The file's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The default location, from the environment.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (XDGBaseDirectory.switchboardConfig(environment: environment) as NSString)
            .appendingPathComponent("auth.json")
    }

    /// Why the file could not be read or written; never holds a token.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Every login in the file; none when it does not exist.
    public func load() throws(Failure) -> [String: ProviderCredentials] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return [:] }
            throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Failure(
                description: "\(path) holds login tokens but its mode is \(String(mode, radix: 8)), so others may "
                    + "read it; run `chmod 600 \(path)` (it must be readable by its owner only)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read \(path)")
        }
        do {
            return try JSONDecoder().decode([String: ProviderCredentials].self, from: data)
        } catch {
            throw Failure(
                description: "\(path) is not a valid auth file (\(Self.shortReason(error))); "
                    + "`proxy logout PROVIDER` or deleting the file and logging in again mends it")
        }
    }

    /// The login for `provider`, if any.
    public func credentials(for provider: SubscriptionProvider) throws(Failure) -> ProviderCredentials? {
        try load()[provider.rawValue]
    }

    /// Stores `credentials` for `provider`, keeping the other logins.
    public func save(_ credentials: ProviderCredentials, for provider: SubscriptionProvider) throws(Failure) {
        var all = try load()
        all[provider.rawValue] = credentials
        try write(all)
    }

    /// Removes `provider`'s login; true when there was one.
    @discardableResult
    public func remove(_ provider: SubscriptionProvider) throws(Failure) -> Bool {
        var all = try load()
        guard all.removeValue(forKey: provider.rawValue) != nil else { return false }
        try write(all)
        return true
    }

    private func write(_ all: [String: ProviderCredentials]) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(all)
        } catch {
            throw Failure(description: "cannot encode the logins: \(Self.shortReason(error))")
        }
        do {
            try PrivateFile.write(data + Data([0x0A]), to: path)
        } catch {
            throw Failure(description: error.description)
        }
    }

    private static func shortReason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "`\(key.stringValue)` is missing" }
        if case DecodingError.typeMismatch(_, let context) = error {
            return "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` has the wrong type"
        }
        return (error as NSError).localizedDescription
    }
}

import Foundation

/// The XDG base directories the proxy keeps files in: config and state.
enum XDGBaseDirectory {
    /// `$VARIABLE` when it is an absolute path (as the XDG spec requires),
    /// else `$HOME/` + `fallback`.
    static func path(_ variable: String, fallback: String, environment: [String: String]) -> String {
        if let xdg = environment[variable], xdg.hasPrefix("/") { return xdg }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(fallback)
    }

    /// The proxy's own config directory: `$XDG_CONFIG_HOME/switchboard`,
    /// else `~/.config/switchboard`. It holds the logins and the default
    /// config, and is the one directory the proxy may tighten to 0700.
    static func switchboardConfig(environment: [String: String]) -> String {
        let configHome = path("XDG_CONFIG_HOME", fallback: ".config", environment: environment)
        return (configHome as NSString).appendingPathComponent("switchboard")
    }
}

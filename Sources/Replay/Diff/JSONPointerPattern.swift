/// A JSON pointer (RFC 6901) that may hold wildcards: `*` is any one
/// segment (an array index or a key), `**` any run of segments, none
/// included. `/content/*/id` ignores the id of every content block;
/// `/**/created` ignores `created` at any depth.
public struct JSONPointerPattern: Sendable, Hashable, CustomStringConvertible {
    /// Unescaped segments; `*` and `**` are wildcards.
    public var segments: [String]

    /// Reads `/a/b~1c/*`; the empty string is the whole document. A run of
    /// `**` is one: it matches the same paths, and matching recursed once
    /// per `**` (forty thousand of them overflowed the stack).
    public init(_ text: String) {
        segments = []
        for segment in JSONPointer.segments(of: text) where segment != "**" || segments.last != "**" {
            segments.append(segment)
        }
    }

    public var description: String { JSONPointer.string(segments) }

    /// Why `text` is not a pattern, for a command line to refuse it; nil
    /// when it is one. Any text reads as some pattern, so `--ignore
    /// user_id` was taken, matched nothing, and hid that it did.
    public static func problem(_ text: String) -> String? {
        guard !text.isEmpty, !text.hasPrefix("/") else { return nil }
        return "`\(text)` is not a JSON pointer: one starts with /, as in /metadata/user_id or /content/*/id"
    }

    /// True when the pointer `path` is matched by the pattern.
    public func matches(_ path: [String]) -> Bool { Self.match(segments[...], path[...]) }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let segment = path.first, head == "*" || head == segment else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}

/// RFC 6901 pointer text and segments.
public enum JSONPointer {
    /// `["a", "b/c"]` -> `/a/b~1c`.
    public static func string(_ segments: [String]) -> String {
        segments.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
    }

    /// `/a/b~1c` -> `["a", "b/c"]`; a text without a leading slash is read
    /// as if it had one.
    public static func segments(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        let body = text.hasPrefix("/") ? text.dropFirst() : Substring(text)
        return body.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0.replacing("~1", with: "/").replacing("~0", with: "~"))
        }
    }
}

/// `proxy serve` options as a list of options, each its name and its words
/// as given (`--port 0`, `--port=0`, `--no-metrics`), so that `proxy
/// restart` can lay the options it is given over those the proxy ran with,
/// and the running proxy can write down the port it really bound.
///
/// A word starting with `--` is an option; the next word is its value unless
/// it starts with `--` too (as the argument parser reads it: `serve` takes
/// no positional arguments, so a flag is never followed by a plain word).
///
/// ```swift
/// let ran = ServeOptionList(["--config", "/c.yaml", "--port", "8082"])
/// ran.merging(ServeOptionList(["--port=9000"])).arguments  // ["--config", "/c.yaml", "--port=9000"]
/// ```
public struct ServeOptionList: Sendable, Hashable {
    /// One option with its value, if it has one.
    public struct Option: Sendable, Hashable {
        /// `--port`; empty for a stray word that belongs to no option.
        public var name: String
        /// The words as given: `["--port", "0"]`, `["--port=0"]` or `["--demo"]`.
        public var words: [String]
    }

    public var options: [Option]

    public init(_ arguments: [String]) {
        var options: [Option] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("--") else {
                options.append(Option(name: "", words: [word]))
                continue
            }
            if let equals = word.firstIndex(of: "=") {
                options.append(Option(name: String(word[..<equals]), words: [word]))
            } else if index < arguments.endIndex, !arguments[index].hasPrefix("--") {
                options.append(Option(name: word, words: [word, arguments[index]]))
                index += 1
            } else {
                options.append(Option(name: word, words: [word]))
            }
        }
        self.options = options
    }

    /// The options as command-line words again.
    public var arguments: [String] { options.flatMap(\.words) }

    /// The option names given, each once, in order.
    public var names: [String] {
        var seen: Set<String> = []
        return options.map(\.name).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// These options with `newer`'s laid over them: an option `newer` gives
    /// replaces every occurrence of it here (a repeatable one, such as
    /// `--redact-header`, is replaced as a whole), and the rest stay.
    public func merging(_ newer: ServeOptionList) -> ServeOptionList {
        let replaced = Set(newer.names)
        var merged = self
        merged.options = options.filter { !replaced.contains($0.name) } + newer.options
        return merged
    }

    /// Only the options named in `names` (`proxy restart --fresh` keeps the
    /// address, `--host` and `--port`, and `--config`, and drops the rest).
    public func keepingOnly(_ names: Set<String>) -> ServeOptionList {
        var kept = self
        kept.options = options.filter { names.contains($0.name) }
        return kept
    }

    /// These options with each occurrence of option `name` set to `value`;
    /// unchanged when `name` is not given.
    public func replacingValue(of name: String, with value: String) -> ServeOptionList {
        var result = self
        result.options = options.map { option in
            option.name == name ? Option(name: name, words: [name, value]) : option
        }
        return result
    }
}

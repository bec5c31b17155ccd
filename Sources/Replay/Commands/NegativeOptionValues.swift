/// Lets a negative number reach the option it is given to, for every
/// executable's command line.
///
/// ArgumentParser reads `-1` (or `-2h`) after `--port` as an option of its
/// own, so `--port -1` said "Missing value" where the command's range check
/// would name the range. Parsing such options `.unconditional`ly fixed that
/// but took the next option as the value: `--port --config x.yaml` said
/// "The value '--config' is invalid for '--port <port>'". Attaching the
/// number instead (`--port=-1`) gives ArgumentParser's own answers in both
/// cases: the value reaches the check, and a missing one is "Missing value
/// for '--port <port>'".
public enum NegativeOptionValues {
    /// `arguments` (the command line after the program name) with each
    /// argument that starts with `-` and a digit or `.` attached, as
    /// `--name=-1`, to the long option (`--name`, with no `=` value)
    /// right before it. None of the commands has an option spelt with a
    /// digit, so such an argument is never an option; after `--` nothing
    /// is changed.
    public static func attached(_ arguments: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(arguments.count)
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            let next = arguments.index(after: index)
            if isLongOptionName(argument), next < arguments.endIndex, isNegativeNumber(arguments[next]) {
                result.append(argument + "=" + arguments[next])
                index = arguments.index(after: next)
            } else {
                result.append(argument)
                index = next
            }
        }
        return result
    }

    private static func isLongOptionName(_ argument: String) -> Bool {
        argument.hasPrefix("--") && argument.count > 2 && !argument.contains("=")
    }

    private static func isNegativeNumber(_ argument: String) -> Bool {
        let characters = argument.utf8.prefix(2)
        guard characters.count == 2, characters.first == UInt8(ascii: "-"), let second = characters.last else {
            return false
        }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(second) || second == UInt8(ascii: ".")
    }
}

import Foundation
import Wire

/// `-o curl`: one runnable shell command per client request.
///
/// Credentials are never in a cassette; each secret header becomes a
/// reference to the environment variable that holds the key
/// (``CredentialSlot``), so the command runs once the key is exported.
public enum CurlExport {
    /// Writes a command for each exchange that recorded a client request.
    /// `baseURL` replaces the recorded `Host`, e.g. `http://127.0.0.1:8082`.
    public static func write(_ exchanges: [Exchange], baseURL: String?, to output: inout some TextOutputStream) {
        for exchange in exchanges where exchange.clientRequest != nil {
            output.write("# \(exchange.id) (\(exchange.file))\n")
            output.write(command(for: exchange, baseURL: baseURL))
            output.write("\n\n")
        }
    }

    /// The curl command for one exchange's client request.
    public static func command(for exchange: Exchange, baseURL: String?) -> String {
        let path = exchange.endpoint ?? "/"
        var url = ExchangeURL.base(of: exchange, override: baseURL) + path
        if let query = exchange.query { url += "?" + placeholderQuery(query, path: path) }
        var parts = ["curl -sS -N -X \(exchange.method) " + doubleQuoted(url)]
        for (name, value) in exchange.requestHeaders {
            let lowered = name.lowercased()
            if CredentialSlot.connectionHeaders.contains(lowered) { continue }
            if CredentialSlot.isSecret(header: lowered) {
                guard let variable = CredentialSlot.environmentVariable(header: lowered, path: path) else { continue }
                let reference = CredentialSlot.value(recorded: value, header: lowered, key: "$" + variable)
                parts.append("-H " + doubleQuoted("\(name): \(reference)"))
            } else {
                parts.append("-H " + singleQuoted("\(name): \(value)"))
            }
        }
        guard let body = exchange.requestBodyBytes, !body.isEmpty else { return parts.joined(separator: " \\\n  ") }
        let text = String(decoding: body, as: UTF8.self)
        let delimiter = heredocDelimiter(for: text)
        parts.append("--data-binary @- <<'\(delimiter)'")
        return parts.joined(separator: " \\\n  ") + "\n" + text + "\n" + delimiter
    }

    /// The query with each secret parameter (Gemini's `key=`, any other
    /// ``CredentialSlot/environmentVariable(queryParameter:path:)`` knows)
    /// pointing at its variable.
    static func placeholderQuery(_ query: String, path: String) -> String {
        URLQuery(query).parameters.map { parameter in
            guard let value = parameter.encodedValue,
                let variable = CredentialSlot.environmentVariable(
                    queryParameter: parameter.name, value: URLQuery.decoded(value), path: path)
            else { return String(parameter.text) }
            return parameter.encodedName + "=$" + variable
        }.joined(separator: "&")
    }

    /// Single quotes: nothing inside is expanded.
    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Double quotes so `$VARIABLE` references expand; everything else the
    /// shell would interpret is escaped, except the references we wrote.
    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "\\", "\"", "`": result += "\\" + String(character)
            case "$":
                let rest = text[text.index(after: index)...]
                let name = rest.prefix { $0.isUppercase || ($0.isASCII && $0.isNumber) || $0 == "_" }
                result += CredentialSlot.isVariable(name) ? "$" : "\\$"
            default: result.append(character)
            }
            index = text.index(after: index)
        }
        return result + "\""
    }

    /// A heredoc end marker that no line of the body equals.
    static func heredocDelimiter(for body: String) -> String {
        let lines = Set(body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        var delimiter = "SWITCHBOARD_BODY"
        var counter = 1
        while lines.contains(delimiter) {
            counter += 1
            delimiter = "SWITCHBOARD_BODY_\(counter)"
        }
        return delimiter
    }
}

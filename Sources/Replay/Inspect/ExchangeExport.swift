import Wire

/// The `log-replay -o` formats that are not the summary.
public enum ExchangeExport {
    /// `-o json`: a JSON array, one exchange object per line, each with the
    /// facts read off it and all its lines under `events`.
    public static func json(_ exchanges: [Exchange], to output: inout some TextOutputStream) {
        var array = JSONArray()
        for exchange in exchanges { array.add(exchange, to: &output) }
        array.finish(to: &output)
    }

    /// `-o json` written one exchange at a time, for a stream of them.
    public struct JSONArray {
        private var count = 0

        public init() {}

        /// Writes the array's start, when this is the first exchange, then the exchange.
        public mutating func add(_ exchange: Exchange, to output: inout some TextOutputStream) {
            output.write(count == 0 ? "[\n" : ",\n")
            output.write(exchange.exportObject.serializedString())
            count += 1
        }

        /// Ends the array (an empty one when nothing was added).
        public func finish(to output: inout some TextOutputStream) {
            output.write(count == 0 ? "[\n]\n" : "\n]\n")
        }
    }

    /// `-o jsonl`: the lines themselves, one per line, grouped by exchange.
    public static func jsonl(_ exchanges: [Exchange], to output: inout some TextOutputStream) {
        for exchange in exchanges {
            for event in exchange.events {
                output.write(event.json.serializedString())
                output.write("\n")
            }
        }
    }
}

extension Exchange {
    /// The exchange as one JSON object (see ``ExchangeExport/json(_:to:)``).
    public var exportObject: JSONValue {
        var object = JSONObject()
        object["x"] = .string(id)
        object["file"] = .string(file)
        object["method"] = .string(method)
        object["path"] = endpoint.map(JSONValue.string) ?? .null
        object["query"] = query.map(JSONValue.string) ?? .null
        object["model"] = model.map(JSONValue.string) ?? .null
        object["upstream"] = upstream.map(JSONValue.string) ?? .null
        object["status"] = status.map { .int(Int64($0)) } ?? .null
        object["streaming"] = .bool(isStreaming)
        object["failure"] = .bool(isFailure)
        object["incomplete"] = .bool(isIncomplete)
        object["duration_us"] = durationMicros.map(JSONValue.int) ?? .null
        object["ttfb_us"] = timeToFirstByteMicros.map(JSONValue.int) ?? .null
        object["usage"] = usage.map(JSONValue.object) ?? .null
        object["events"] = .array(events.map(\.json))
        return .object(object)
    }
}

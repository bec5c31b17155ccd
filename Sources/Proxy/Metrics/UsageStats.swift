import Cassette
import NIOConcurrencyHelpers
import Wire

/// Requests, failures and tokens per route since the proxy started, for
/// `GET /v1/stats`.
final class UsageStats: Sendable {
    private struct Route {
        var requests = 0
        /// Token counts (`count_tokens`, `countTokens`): not in `requests`,
        /// nor in `errors` or `cancelled`.
        var countTokensRequests = 0
        /// Exchanges that ended in an error (a status, or an error frame in a stream).
        var errors = 0
        /// Exchanges whose client went away first: not the route's failures.
        var cancelled = 0
        /// Attempts given up for the next entry of the route's fallbacks.
        var fallbacks = 0
        var inputTokens = 0
        var outputTokens = 0
        var cacheReadTokens = 0
        var cacheCreationTokens = 0

        /// Held at `Int`'s limits: the token counts are the upstreams' numbers (an absurd one trapped).
        mutating func add(_ other: Route) {
            requests = requests.addingSaturated(other.requests)
            countTokensRequests = countTokensRequests.addingSaturated(other.countTokensRequests)
            errors = errors.addingSaturated(other.errors)
            cancelled = cancelled.addingSaturated(other.cancelled)
            fallbacks = fallbacks.addingSaturated(other.fallbacks)
            inputTokens = inputTokens.addingSaturated(other.inputTokens)
            outputTokens = outputTokens.addingSaturated(other.outputTokens)
            cacheReadTokens = cacheReadTokens.addingSaturated(other.cacheReadTokens)
            cacheCreationTokens = cacheCreationTokens.addingSaturated(other.cacheCreationTokens)
        }

        var json: JSONValue {
            [
                "requests": .int(Int64(requests)), "errors": .int(Int64(errors)),
                "cancelled": .int(Int64(cancelled)), "fallbacks": .int(Int64(fallbacks)),
                "count_tokens_requests": .int(Int64(countTokensRequests)),
                "input_tokens": .int(Int64(inputTokens)), "output_tokens": .int(Int64(outputTokens)),
                "cache_read_input_tokens": .int(Int64(cacheReadTokens)),
                "cache_creation_input_tokens": .int(Int64(cacheCreationTokens)),
            ]
        }
    }

    private let routes = NIOLockedValueBox<[String: Route]>([:])

    /// Counts one ended exchange of `route`, with its Anthropic usage.
    func add(route: String, outcome: CassetteOutcome, usage: TokenUsage) {
        routes.withLockedValue { routes in
            routes[route, default: Route()].add(
                Route(
                    requests: 1, errors: outcome == .error ? 1 : 0, cancelled: outcome == .clientCancelled ? 1 : 0,
                    inputTokens: usage.input, outputTokens: usage.output,
                    cacheReadTokens: usage.cacheRead, cacheCreationTokens: usage.cacheCreation))
        }
    }

    /// Counts one token count answered for `route`.
    func addTokenCount(route: String) {
        routes.withLockedValue { routes in
            routes[route, default: Route()].countTokensRequests += 1
        }
    }

    /// Counts an attempt on `route` given up for a fallback.
    func addFallback(route: String) {
        routes.withLockedValue { routes in routes[route, default: Route()].fallbacks += 1 }
    }

    /// `{"routes": {id: counts}, "total": counts}`.
    var json: JSONValue {
        let routes = routes.withLockedValue { $0 }
        var total = Route()
        var byRoute = JSONObject()
        for (id, route) in routes.sorted(by: { $0.key < $1.key }) {
            byRoute.append(key: id, value: route.json)
            total.add(route)
        }
        return ["routes": .object(byRoute), "total": total.json]
    }
}

/// The token counts of an Anthropic `usage` object.
struct TokenUsage: Sendable {
    var input = 0
    var output = 0
    var cacheRead = 0
    var cacheCreation = 0

    init(_ usage: JSONValue?) {
        guard let usage else { return }
        input = usage["input_tokens"]?.intValue ?? 0
        output = usage["output_tokens"]?.intValue ?? 0
        cacheRead = usage["cache_read_input_tokens"]?.intValue ?? 0
        cacheCreation = usage["cache_creation_input_tokens"]?.intValue ?? 0
    }
}

import AsyncHTTPClient

/// The HTTP client of the subscription logins' own calls (the OAuth token
/// endpoint, Code Assist's project lookup): `HTTPClient.shared`, except that
/// a refused connection or an unknown host is an answer at once.
/// `HTTPClient.shared` retries connecting until the request's timeout, so a
/// login whose token endpoint could not be reached sat silent for 30 s
/// before saying so (a user audit). Process-wide, like the shared client, and
/// never shut down.
enum SubscriptionHTTPClient {
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}

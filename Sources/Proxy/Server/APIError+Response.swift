import Convert
import HTTPTypes

extension APIError {
    /// 413 `request_too_large`.
    static func requestTooLarge(limit: Int) -> APIError {
        APIError(
            status: 413, type: "request_too_large",
            message: "request body is larger than the proxy's limit of \(limit >> 20) MiB (raise it with --max-body-mb)"
        )
    }

    /// 501 for a model whose entry names a `provider` that is none of the
    /// subscriptions (``SubscriptionProvider``): kept in the config, not
    /// served.
    static func subscriptionUnsupported(provider: String, modelID: String) -> APIError {
        APIError(
            status: 501, type: "api_error",
            message:
                "model `\(modelID)` is served by provider `\(provider)`, which is not a subscription this build "
                + "knows (\(SubscriptionProvider.allCases.map(\.rawValue).joined(separator: ", "))); give the entry an "
                + "api_base and api_key (and no provider) to use an API key")
    }
}

extension APIError {
    /// 401 for a subscription model whose provider is not logged in.
    static func subscriptionNotLoggedIn(provider: SubscriptionProvider, modelID: String) -> APIError {
        APIError(
            status: 401, type: "authentication_error",
            message: "model `\(modelID)` is served by your \(provider.displayName) login, and there is none; run "
                + "`proxy login --\(provider.rawValue)`, then restart the proxy or send it SIGHUP")
    }
}

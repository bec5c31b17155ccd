import NIOConcurrencyHelpers

/// The ``ModelRouter`` in force, replaced whole when the config is reloaded.
/// Each request reads it once, so an exchange routes, converts and calls
/// with one config from start to end, while the next one may use a newer.
public final class LiveRouter: Sendable {
    private let current: NIOLockedValueBox<ModelRouter>

    public init(_ router: ModelRouter) {
        current = NIOLockedValueBox(router)
    }

    /// The router now in force.
    public var router: ModelRouter { current.withLockedValue { $0 } }

    /// Puts `router` in force for the requests that start from now on.
    public func replace(with router: ModelRouter) {
        current.withLockedValue { $0 = router }
    }
}

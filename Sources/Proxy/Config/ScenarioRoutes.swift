/// The `router:` section of `models.yaml`: which entry each kind of request
/// goes to, whatever model name it asked for (see ``RequestScenario``).
///
/// ```yaml
/// router:
///   background: fast            # Claude Code's small-model calls
///   think: reasoner
///   long_context: big
///   long_context_threshold: 60K # input estimate above this is long_context
///   web_search: searcher
///   image: vision
/// ```
public struct ScenarioRoutes: Sendable {
    /// The model id for each configured scenario.
    public var modelIDs: [RequestScenario: String] = [:]
    /// Above this input estimate (tokens), a request is `long_context`.
    public var longContextThreshold: Int = ScenarioRoutes.defaultLongContextThreshold

    /// claude-code-router's default, which its users bring along.
    public static let defaultLongContextThreshold = 60_000

    public init(modelIDs: [RequestScenario: String] = [:], longContextThreshold: Int? = nil) {
        self.modelIDs = modelIDs
        self.longContextThreshold = longContextThreshold ?? Self.defaultLongContextThreshold
    }

    /// True when no scenario is configured: routing is by model name only.
    public var isEmpty: Bool { modelIDs.isEmpty }

    /// The configured scenarios, in the order they are tried.
    public var inOrder: [(scenario: RequestScenario, modelID: String)] {
        RequestScenario.allCases.compactMap { scenario in modelIDs[scenario].map { (scenario, $0) } }
    }
}

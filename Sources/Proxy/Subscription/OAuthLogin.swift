import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceRunning
import Wire

/// An OAuth 2 authorization-code login with PKCE (RFC 6749 §4.1, RFC 7636),
/// the same for every provider that logs in so: a loopback server listens
/// on the provider's registered redirect URI, the user opens the authorize
/// URL (in a browser the command may open), and the provider sends the
/// browser back to it with a code. On a machine with no browser the user
/// logs in elsewhere and pastes the address the browser was sent back to
/// (which then fails to load); that works too. The code is exchanged with
/// the verifier and the tokens stored.
public struct OAuthLogin: Sendable {
    public let settings: OAuthProviderSettings
    public let store: AuthStore

    public init(settings: OAuthProviderSettings, store: AuthStore) {
        self.settings = settings
        self.store = store
    }

    /// What the user is shown once the callback server listens.
    public struct Prompt: Sendable {
        /// Where to log in: the authorize URL with the PKCE challenge and
        /// `state`.
        public var authorizationURL: String
        /// Where the provider sends the browser back.
        public var redirectURI: String
    }

    /// Logs in and stores the login.
    /// - Parameters:
    ///   - present: shows `Prompt` (prints it, opens a browser); the login
    ///     waits for the callback after it returns.
    ///   - pastedLines: lines the user types; one holding the address the
    ///     browser was sent back to completes the login without the
    ///     callback. Its end is not the login's end.
    ///   - waitLimit: how long to wait for either.
    public func run(
        present: @Sendable (Prompt) async -> Void, pastedLines: AsyncStream<String> = AsyncStream { $0.finish() },
        waitLimit: Duration = .seconds(600), logger: Logger = Logger(label: "switchboard.login")
    ) async throws -> ProviderCredentials {
        let pkce = PKCE()
        let state = PKCE.randomToken(bytes: 24)
        guard let redirect = URLComponents(string: settings.redirectURI), let host = redirect.host,
            redirect.scheme == "http"
        else {
            throw SubscriptionLogins.Refusal(
                description: "the redirect URI \(settings.redirectURI) is not an http loopback address")
        }
        let (callbacks, callbackContinuation) = AsyncStream.makeStream(of: String.self)
        let path = redirect.path.isEmpty ? "/" : redirect.path
        let bindHost = host == "localhost" ? "127.0.0.1" : host
        let query: String
        do {
            query = try await ListeningServiceRunner(logger: logger, shutdownGrace: .seconds(1)).withRunning(
                { onListening in
                    Self.callbackServer(
                        host: bindHost, port: redirect.port ?? 80, path: path, callbacks: callbackContinuation,
                        onListening: onListening, logger: logger)
                },
                { port in
                    var bound = redirect
                    bound.port = redirect.port == 0 ? port : redirect.port
                    let redirectURI = bound.string ?? settings.redirectURI
                    await present(
                        Prompt(
                            authorizationURL: authorizationURL(
                                redirectURI: redirectURI, state: state, challenge: pkce.challenge),
                            redirectURI: redirectURI))
                    let query = try await Self.firstAnswer(
                        callbacks: callbacks, pastedLines: pastedLines, waitLimit: waitLimit)
                    return query + "&redirect_uri=" + OAuthTokenEndpoint.percentEncoded(redirectURI)
                })
        } catch let refusal as SubscriptionLogins.Refusal {
            throw refusal
        } catch {
            throw SubscriptionLogins.Refusal(
                description: "cannot listen for the login's callback on \(bindHost):\(redirect.port ?? 80) "
                    + "(\(NetworkErrorText.connectionFailure(error) ?? String(describing: error))); "
                    + "another login may be running")
        }
        let answer = URLQuery(query)
        if let error = answer.value(named: "error") {
            throw SubscriptionLogins.Refusal(
                description: "\(settings.provider.displayName) refused the login: \(error)"
                    + (answer.value(named: "error_description").map { " (\($0))" } ?? ""))
        }
        guard answer.value(named: "state") == state else {
            throw SubscriptionLogins.Refusal(
                description: "the login's answer does not carry the state this login sent (an answer to another "
                    + "login, or a forged one); run the login again")
        }
        guard let code = answer.value(named: "code"), !code.isEmpty else {
            throw SubscriptionLogins.Refusal(description: "the login's answer has no code; run the login again")
        }
        let grant: OAuthTokenGrant
        do {
            grant = try await OAuthTokenEndpoint(settings: settings).exchange(
                code: code, verifier: pkce.verifier,
                redirectURI: answer.value(named: "redirect_uri") ?? settings.redirectURI)
        } catch {
            throw SubscriptionLogins.Refusal(description: "the code exchange failed: \(error.description)")
        }
        let credentials = grant.credentials(settings: settings)
        do {
            try store.save(credentials, for: settings.provider)
        } catch {
            throw SubscriptionLogins.Refusal(description: error.description)
        }
        return credentials
    }

    /// The authorize URL: client, redirect, PKCE challenge, `state`,
    /// scope and the provider's own parameters.
    func authorizationURL(redirectURI: String, state: String, challenge: String) -> String {
        let parameters =
            [
                ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", redirectURI),
                ("scope", settings.scope), ("code_challenge", challenge), ("code_challenge_method", "S256"),
                ("state", state),
            ] + settings.extraAuthorizeParameters.map { ($0.name, $0.value) }
        return settings.authorizeURL + "?" + OAuthTokenEndpoint.formEncoded(parameters)
    }

    /// The query of the callback or of the pasted address, whichever comes
    /// first.
    private static func firstAnswer(
        callbacks: AsyncStream<String>, pastedLines: AsyncStream<String>, waitLimit: Duration
    ) async throws -> String {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { await callbacks.first { _ in true } }
            group.addTask {
                for await line in pastedLines {
                    if let query = pastedQuery(line) { return query }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: waitLimit)
                throw SubscriptionLogins.Refusal(
                    description: "no login came back within \(waitLimit.components.seconds / 60) minutes; "
                        + "run the login again")
            }
            defer { group.cancelAll() }
            for try await answer in group {
                if let answer { return answer }
            }
            throw CancellationError()
        }
    }

    /// The query of a pasted line: the whole address the browser was sent
    /// back to, or just its query; nil for anything without a code or error.
    static func pastedQuery(_ line: String) -> String? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = text.firstIndex(of: "?").map { String(text[text.index(after: $0)...]) } ?? text
        return isAnswer(URLQuery(query)) ? query : nil
    }

    /// Whether a callback's query answers the login: a code, or an error.
    private static func isAnswer(_ query: URLQuery) -> Bool {
        query.value(named: "code") != nil || query.value(named: "error") != nil
    }

    /// The loopback server: a request to the redirect path hands its query
    /// to the login and gets a page saying to go back to the terminal.
    private static func callbackServer(
        host: String, port: Int, path: String, callbacks: AsyncStream<String>.Continuation,
        onListening: @escaping @Sendable (Int) async -> Void, logger: Logger
    ) -> some ApplicationProtocol {
        // Its shutdown's noise (a browser's kept-alive connection closed
        // under it) is not the user's business.
        var quiet = logger
        quiet.logLevel = .critical
        let router = Router()
        router.get(RouterPath(path)) { request, _ -> Response in
            let query = request.uri.query ?? ""
            let fields = URLQuery(query)
            guard isAnswer(fields) else {
                return page(.badRequest, "No login answer here.")
            }
            callbacks.yield(query)
            if fields.value(named: "error") != nil { return page(.ok, "The login was refused; the terminal says why.") }
            return page(.ok, "Logged in. You can close this window and go back to the terminal.")
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: quiet)
    }

    private static func page(_ status: HTTPResponse.Status, _ text: String) -> Response {
        let html = "<!doctype html><title>Switchboard login</title><p>\(text)</p>\n"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

import Foundation
import NIOConcurrencyHelpers
import TestSupport
import Testing
import Wire

@testable import Proxy

/// `proxy login --codex`'s OAuth flow (authorization code with PKCE)
/// against a stub provider that checks what auth.openai.com checks, with a
/// scripted browser step.
@Suite struct OAuthLoginTests {
    static func settings(_ stub: StubHTTPServer) -> OAuthProviderSettings {
        .codex(environment: [
            "SWITCHBOARD_CODEX_AUTH_BASE": stub.baseURL,
            // Port 0: the callback server takes a free one.
            "SWITCHBOARD_CODEX_REDIRECT_URI": "http://localhost:0/auth/callback",
        ])
    }

    static func withProvider<T>(
        _ provider: StubOAuthProvider = StubOAuthProvider(), _ body: (StubHTTPServer, AuthStore) async throws -> T
    ) async throws -> T {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("oauth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await StubHTTPServer.withRunning { stub in
            stub.replyFor = { provider.reply($0) ?? .json(404, #"{"error":"not_found"}"#) }
            return try await body(stub, AuthStore(path: directory + "/auth.json"))
        }
    }

    @Test func theBrowserStepEndsInStoredTokens() async throws {
        let provider = StubOAuthProvider(lifetime: 864_000)
        try await Self.withProvider(provider) { stub, store in
            let callbackStatus = NIOLockedValueBox<UInt?>(nil)
            let started = Date()
            let login = try await OAuthLogin(settings: Self.settings(stub), store: store).run(present: { prompt in
                #expect(prompt.redirectURI.hasPrefix("http://localhost:"))
                #expect(!prompt.redirectURI.hasPrefix("http://localhost:0/"))
                let visit = try? await ScriptedBrowser.open(prompt.authorizationURL)
                callbackStatus.withLockedValue { $0 = visit?.callbackStatus }
            })
            #expect(provider.rejections == [])
            #expect(callbackStatus.withLockedValue { $0 } == 200)
            #expect(provider.exchanges == 1)
            let stored = try #require(try store.credentials(for: .codex))
            #expect(stored == login)
            #expect(stored.accessToken == provider.state.withLockedValue { $0.accessTokens.last })
            #expect(stored.refreshToken == provider.state.withLockedValue { $0.refreshToken })
            #expect(stored.account == StubOAuthProvider.account)
            let lifetime = try #require(stored.expiresAt).timeIntervalSince(started)
            #expect(lifetime > 864_000 - 60 && lifetime < 864_000 + 60)
            var status = stat()
            #expect(stat(store.path, &status) == 0 && status.st_mode & 0o777 == 0o600)
            // The report shows the account and expiry, never a token.
            let report = try SubscriptionLogins(store: store).report()
            #expect(report.contains("logged in as \(StubOAuthProvider.account)"))
            for token in provider.issuedTokens { #expect(!report.contains(token)) }
        }
    }

    @Test func aPastedRedirectAddressWorksWithoutTheCallback() async throws {
        let provider = StubOAuthProvider()
        try await Self.withProvider(provider) { stub, store in
            let (lines, typing) = AsyncStream.makeStream(of: String.self)
            let login = try await OAuthLogin(settings: Self.settings(stub), store: store).run(
                present: { prompt in
                    // Logged in on another machine: the redirect is not
                    // followed, and its address is pasted (after a stray line).
                    let visit = try? await ScriptedBrowser.open(prompt.authorizationURL, followRedirect: false)
                    typing.yield("what do I do?")
                    typing.yield("  " + (visit?.redirectedTo ?? "") + "  ")
                }, pastedLines: lines)
            #expect(provider.rejections == [])
            #expect(login.account == StubOAuthProvider.account)
            #expect(try store.credentials(for: .codex) == login)
        }
    }

    @Test func anAnswerWithAnotherStateIsRefusedAndNothingStored() async throws {
        let provider = StubOAuthProvider()
        try await Self.withProvider(provider) { stub, store in
            let (lines, typing) = AsyncStream.makeStream(of: String.self)
            let error = await #expect(throws: SubscriptionLogins.Refusal.self) {
                try await OAuthLogin(settings: Self.settings(stub), store: store).run(
                    present: { prompt in
                        let visit = try? await ScriptedBrowser.open(prompt.authorizationURL, followRedirect: false)
                        let forged = (visit?.redirectedTo ?? "").replacingOccurrences(
                            of: "state=", with: "state=forged")
                        typing.yield(forged)
                    }, pastedLines: lines)
            }
            #expect(error?.description.contains("state") == true, "\(String(describing: error))")
            #expect(provider.exchanges == 0)
            let stored = try store.load()
            #expect(stored.isEmpty)
        }
    }

    @Test func aRefusedLoginSaysWhy() async throws {
        try await Self.withProvider { stub, store in
            let error = await #expect(throws: SubscriptionLogins.Refusal.self) {
                try await OAuthLogin(settings: Self.settings(stub), store: store).run(present: { prompt in
                    // The user declined: the provider sends the browser back
                    // with an error.
                    let callback = prompt.redirectURI.replacingOccurrences(of: "//localhost:", with: "//127.0.0.1:")
                    _ = try? await ScriptedBrowser.open(callback + "?error=access_denied&error_description=declined")
                })
            }
            #expect(error?.description.contains("access_denied") == true, "\(String(describing: error))")
            let stored = try store.load()
            #expect(stored.isEmpty)
        }
    }

    @Test func aWrongVerifierIsRefusedByTheProvider() async throws {
        // The stub checks PKCE as the provider does: a code exchanged with
        // another verifier than the challenge's is refused.
        let provider = StubOAuthProvider()
        try await Self.withProvider(provider) { stub, _ in
            let settings = Self.settings(stub)
            let login = OAuthLogin(settings: settings, store: AuthStore(path: "/nonexistent/auth.json"))
            let redirect = "http://localhost:1455/auth/callback"
            let url = login.authorizationURL(
                redirectURI: redirect, state: "state-0123456789abcdef", challenge: PKCE().challenge)
            let visit = try await ScriptedBrowser.open(url, followRedirect: false)
            let code = try #require(URLQuery(String(visit.redirectedTo.split(separator: "?")[1])).value(named: "code"))
            let error = await #expect(throws: OAuthTokenEndpoint.Failure.self) {
                try await OAuthTokenEndpoint(settings: settings).exchange(
                    code: code, verifier: PKCE().verifier, redirectURI: redirect)
            }
            #expect(error?.description.contains("code_verifier does not match") == true)
            #expect(error?.refused == true)
            #expect(!(error?.description.contains(code) ?? true))
        }
    }

    /// A token endpoint nothing listens at is said at once: the exchange
    /// once waited out its 30 s timeout, retrying the connection, silent.
    @Test func anUnreachableTokenEndpointIsSaidAtOnce() async throws {
        let settings = OAuthProviderSettings.codex(environment: ["SWITCHBOARD_CODEX_AUTH_BASE": "http://127.0.0.1:1"])
        let started = ContinuousClock.now
        let error = await #expect(throws: OAuthTokenEndpoint.Failure.self) {
            try await OAuthTokenEndpoint(settings: settings).exchange(
                code: "c", verifier: PKCE().verifier, redirectURI: "http://localhost:1455/auth/callback")
        }
        #expect(error?.description.contains("cannot reach http://127.0.0.1:1/oauth/token") == true)
        #expect(error?.refused == false)
        // 20 s, not a second: a loaded CI machine is slow, and the old wait was 30 s.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func theAccountIsTheIDTokensChatGPTAccountClaim() {
        let token = StubOAuthProvider.jwt(["https://api.openai.com/auth": ["chatgpt_account_id": "acct-9"]], serial: 1)
        let settings = OAuthProviderSettings.codex(environment: [:])
        #expect(settings.account(OAuthTokenGrant(accessToken: "opaque", idToken: token)) == "acct-9")
        #expect(settings.account(OAuthTokenGrant(accessToken: "opaque")) == nil)
        #expect(settings.authorizeURL == "https://auth.openai.com/oauth/authorize")
        #expect(settings.tokenURL == "https://auth.openai.com/oauth/token")
        #expect(settings.redirectURI == "http://localhost:1455/auth/callback")
    }

    /// A token answer without `id_token` (a refresh answer's usual shape)
    /// still stores the account: the access token carries the same claim,
    /// where tizee/anthropic-proxy reads it too.
    @Test func aCodexAnswerWithoutAnIDTokenStoresTheAccessTokensAccount() throws {
        let access = StubOAuthProvider.jwt(
            ["https://api.openai.com/auth": ["chatgpt_account_id": "acct-from-access"]], serial: 2)
        let answer: JSONValue = [
            "access_token": .string(access), "refresh_token": "rt-canned", "expires_in": 864_000,
            "token_type": "Bearer",
        ]
        let grant = try #require(OAuthTokenGrant(json: answer))
        #expect(grant.idToken == nil)
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(
            grant.credentials(settings: .codex(environment: [:]), now: now)
                == ProviderCredentials(
                    accessToken: access, refreshToken: "rt-canned", expiresAt: now.addingTimeInterval(864_000),
                    account: "acct-from-access"))
    }
}

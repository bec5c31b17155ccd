import Foundation
import TestSupport
import Testing

@testable import Proxy

/// The proxy's use of an OAuth login: refreshed before it expires and
/// after a 401, one refresh for any number of requests at once, the
/// rotated refresh token stored, and a failed refresh saying to log in
/// again.
@Suite struct OAuthSessionTests {
    private static func session(
        _ stub: StubHTTPServer, _ store: AuthStore, _ login: ProviderCredentials
    ) throws -> OAuthSession {
        try store.save(login, for: .codex)
        // Not the shared one: each test has its own.
        return OAuthSession(settings: OAuthLoginTests.settings(stub), store: store, credentials: login)
    }

    @Test func anExpiredTokenIsRefreshedFirstAndTheRotationStored() async throws {
        let provider = StubOAuthProvider()
        try await OAuthLoginTests.withProvider(provider) { stub, store in
            let old = provider.earlierLogin(expiresAt: Date().addingTimeInterval(-10))
            let session = try Self.session(stub, store, old)
            let fresh = try await session.current()
            #expect(provider.rejections == [])
            #expect(provider.refreshes == 1)
            #expect(fresh.accessToken != old.accessToken)
            #expect(fresh.refreshToken != old.refreshToken)
            #expect(fresh.refreshToken == provider.state.withLockedValue { $0.refreshToken })
            #expect(fresh.account == StubOAuthProvider.account)
            #expect(try #require(fresh.expiresAt) > Date().addingTimeInterval(3000))
            #expect(try store.credentials(for: .codex) == fresh)
            var status = stat()
            #expect(stat(store.path, &status) == 0 && status.st_mode & 0o777 == 0o600)
            // Valid now: no second refresh.
            #expect(try await session.current() == fresh)
            #expect(provider.refreshes == 1)
        }
    }

    @Test func aTokenAboutToExpireIsRefreshedAndAValidOneIsNot() async throws {
        let provider = StubOAuthProvider()
        try await OAuthLoginTests.withProvider(provider) { stub, store in
            let valid = provider.earlierLogin(expiresAt: Date().addingTimeInterval(3600))
            let kept = try await Self.session(stub, store, valid).current()
            #expect(kept == valid)
            #expect(provider.refreshes == 0)
            let closing = provider.earlierLogin(expiresAt: Date().addingTimeInterval(60))
            let renewed = try await Self.session(stub, store, closing).current()
            #expect(renewed != closing)
            #expect(provider.refreshes == 1)
        }
    }

    @Test func fiftyRequestsAtOnceShareOneRefresh() async throws {
        let provider = StubOAuthProvider()
        try await OAuthLoginTests.withProvider(provider) { stub, store in
            let session = try Self.session(stub, store, provider.earlierLogin(expiresAt: .distantPast))
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 { group.addTask { try await session.current().accessToken } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(provider.refreshes == 1)
            #expect(provider.rejections == [])
            #expect(tokens.count == 1)
        }
    }

    @Test func aRefusedTokenIsRefreshedOnceForEveryoneWhoSawIt() async throws {
        let provider = StubOAuthProvider()
        try await OAuthLoginTests.withProvider(provider) { stub, store in
            let old = provider.earlierLogin(expiresAt: .distantFuture)
            let session = try Self.session(stub, store, old)
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await session.refresh(replacing: old.accessToken).accessToken } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(provider.refreshes == 1)
            #expect(tokens.count == 1 && !tokens.contains(old.accessToken))
            // A late request with the old token gets the new one.
            #expect(try await session.refresh(replacing: old.accessToken).accessToken == tokens.first)
            #expect(provider.refreshes == 1)
        }
    }

    @Test func aFailedRefreshSaysToLogInAgainWithoutATokenInIt() async throws {
        let provider = StubOAuthProvider(refusesRefresh: true)
        try await OAuthLoginTests.withProvider(provider) { stub, store in
            let old = provider.earlierLogin(expiresAt: .distantPast)
            let session = try Self.session(stub, store, old)
            let error = await #expect(throws: OAuthSession.Failure.self) { try await session.current() }
            let message = error?.description ?? ""
            #expect(message.contains("`proxy login --codex` again"), "\(message)")
            for token in provider.issuedTokens { #expect(!message.contains(token)) }
            // The stored login stays as it was.
            #expect(try store.credentials(for: .codex) == old)
        }
    }

    @Test func aLoginMadeAgainWhileRunningIsPickedUp() async throws {
        let provider = StubOAuthProvider()
        try await OAuthLoginTests.withProvider(provider) { stub, store in
            let session = try Self.session(stub, store, provider.earlierLogin(expiresAt: .distantFuture))
            let again = provider.earlierLogin(expiresAt: .distantFuture)
            try store.save(again, for: .codex)
            #expect(try await session.current() == again)
        }
    }
}

import Foundation
import NIOConcurrencyHelpers

/// One OAuth login in use by the proxy: the access token requests carry,
/// refreshed before it expires (``OAuthProviderSettings/refreshMargin``)
/// and when the backend answers 401. Concurrent requests that need a
/// refresh share one (an actor, with the refresh in flight kept as a task),
/// so a rotating provider never sees its refresh token used twice. Each
/// refresh is stored in the ``AuthStore`` at once (atomically), with the
/// rotated refresh token.
///
/// A login made again while the proxy runs (or a refresh by another
/// proxy) is picked up from the file: it is looked at (its stamp only)
/// before every request.
public actor OAuthSession {
    public let settings: OAuthProviderSettings
    public let store: AuthStore
    private var credentials: ProviderCredentials
    private var stamp: FileStamp?
    private var refreshing: Task<ProviderCredentials, any Error>?

    /// A refresh that failed: said so that the user knows to log in again,
    /// never with a token.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    init(settings: OAuthProviderSettings, store: AuthStore, credentials: ProviderCredentials) {
        self.settings = settings
        self.store = store
        self.credentials = credentials
        stamp = FileStamp(path: store.path)
    }

    /// The login to send now: refreshed first when its access token expires
    /// within the margin.
    public func current(now: Date = Date()) async throws(Failure) -> ProviderCredentials {
        adoptStoredLogin()
        guard let expiry = credentials.expiresAt, expiry.timeIntervalSince(now) < OAuthProviderSettings.refreshMargin
        else { return credentials }
        return try await refresh(replacing: credentials.accessToken)
    }

    /// A fresh login after the backend refused `rejected`: one refresh,
    /// shared by every request that saw the same token refused; a request
    /// that comes after the refresh gets its result.
    public func refresh(replacing rejected: String) async throws(Failure) -> ProviderCredentials {
        guard credentials.accessToken == rejected else { return credentials }
        let task: Task<ProviderCredentials, any Error>
        if let refreshing {
            task = refreshing
        } else {
            let (settings, store, login) = (settings, store, credentials)
            task = Task { try await Self.refreshed(login, settings: settings, store: store) }
            refreshing = task
        }
        do {
            let fresh = try await task.value
            if credentials.accessToken == rejected {
                credentials = fresh
                stamp = FileStamp(path: store.path)
            }
            if refreshing == task { refreshing = nil }
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            throw (error as? Failure) ?? Failure(description: "\(error)")
        }
    }

    /// Takes the stored login when the file changed since it was read and
    /// holds another access token for this provider.
    private func adoptStoredLogin() {
        let now = FileStamp(path: store.path)
        guard now != stamp else { return }
        stamp = now
        if let stored = try? store.credentials(for: settings.provider), stored.accessToken != credentials.accessToken {
            credentials = stored
        }
    }

    /// The refresh itself, saved to the store: off the actor (`@concurrent`),
    /// as its network call and the store's blocking write must be whoever
    /// starts it.
    @concurrent private static func refreshed(
        _ login: ProviderCredentials, settings: OAuthProviderSettings, store: AuthStore
    ) async throws(Failure) -> ProviderCredentials {
        let again = "run `proxy login --\(settings.provider.rawValue)` again"
        guard let refreshToken = login.refreshToken else {
            throw Failure(
                description: "the \(settings.provider.displayName) login has expired and has no refresh token; \(again)"
            )
        }
        let grant: OAuthTokenGrant
        do {
            grant = try await OAuthTokenEndpoint(settings: settings).refresh(refreshToken)
        } catch {
            throw Failure(
                description:
                    "the \(settings.provider.displayName) login could not be refreshed (\(error.description)); "
                    + (error.refused ? again : "try again later, or \(again)"))
        }
        let fresh = grant.credentials(settings: settings, previous: login)
        do {
            try store.save(fresh, for: settings.provider)
        } catch {
            // The new tokens still serve this process; a rotated refresh
            // token that is not stored means logging in after a restart.
            throw Failure(
                description: "the refreshed \(settings.provider.displayName) login cannot be stored: \(error)")
        }
        return fresh
    }

    /// One session per auth file and provider for the whole process, so
    /// that a config reload keeps the session (and a refresh in flight).
    static func shared(
        settings: OAuthProviderSettings, store: AuthStore, login: ProviderCredentials
    ) -> OAuthSession {
        let key = "\(settings.provider.rawValue)\u{0}\(store.path)\u{0}\(settings.tokenURL)"
        return registry.withLockedValue { sessions in
            if let session = sessions[key] { return session }
            let session = OAuthSession(settings: settings, store: store, credentials: login)
            sessions[key] = session
            return session
        }
    }

    private static let registry = NIOLockedValueBox<[String: OAuthSession]>([:])
}

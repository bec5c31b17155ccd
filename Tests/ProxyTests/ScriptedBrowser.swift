import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport

/// What a user's browser does in an OAuth login: opens the authorize URL,
/// and follows the provider's redirect to the login's callback.
enum ScriptedBrowser {
    struct Visit {
        /// Where the provider sent the browser (the callback with its query).
        var redirectedTo: String
        /// The callback page's status; nil when it was not opened.
        var callbackStatus: UInt?
    }

    /// Opens `url`; follows its redirect to the callback unless told not to
    /// (a browser on another machine, whose address the user pastes).
    static func open(_ url: String, followRedirect: Bool = true) async throws -> Visit {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let authorize = try await client.execute(HTTPClientRequest(url: url), timeout: testRequestTimeout)
            _ = try await authorize.body.collect(upTo: 1 << 20)
            guard authorize.status.code == 302, let location = authorize.headers.first(name: "location") else {
                try await client.shutdown()
                return Visit(redirectedTo: "status \(authorize.status.code)", callbackStatus: nil)
            }
            var status: UInt?
            if followRedirect {
                // localhost, as the provider redirects, is 127.0.0.1 here.
                let target = location.replacingOccurrences(of: "//localhost:", with: "//127.0.0.1:")
                let callback = try await client.execute(HTTPClientRequest(url: target), timeout: testRequestTimeout)
                _ = try await callback.body.collect(upTo: 1 << 20)
                status = callback.status.code
            }
            try await client.shutdown()
            return Visit(redirectedTo: location, callbackStatus: status)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

import Glibc
import NIOCore
import NIOPosix

/// Socket errors in plain words. NIO describes them by the system call that
/// failed (`bind(descriptor:ptr:bytes:): Address already in use) (errno:
/// 98)`), which tells a user neither what went wrong nor what to do.
public enum NetworkErrorText {
    /// Why the server could not listen on `host:port`, and what to do.
    public static func listenFailure(_ error: any Error, host: String, port: Int) -> String {
        switch errno(of: error) {
        case EADDRINUSE:
            return "port \(port) on \(host) is already in use (another proxy, or an earlier one still "
                + "running?); pick another with --port N, or --port 0 for a free one"
        case EACCES:
            return "port \(port) on \(host) needs privileges (ports below 1024 do); pick one above 1023 with --port N"
        case EADDRNOTAVAIL:
            return "\(host) is not an address of this machine; listen on 127.0.0.1, 0.0.0.0, or one of its own"
        default:
            return "cannot listen on \(host):\(port): \(connectionFailure(error) ?? String(describing: error))"
        }
    }

    /// A failed connection in plain words, or nil when `error` is not one
    /// this knows.
    public static func connectionFailure(_ error: any Error) -> String? {
        switch errno(of: error) {
        case ECONNREFUSED: return "connection refused (nothing listens at that address and port)"
        case ECONNRESET: return "the connection was reset by the other side"
        case ETIMEDOUT: return "the connection timed out"
        case EHOSTUNREACH, ENETUNREACH: return "no route to the host (is the network up?)"
        case EPIPE: return "the other side closed the connection"
        case .some(let code): return "\(String(cString: strerror(code))) (errno \(code))"
        case nil: return nil
        }
    }

    /// Whether `error` is a failed socket call (it carries a system error
    /// number), which ``listenFailure(_:host:port:)`` puts in plain words.
    public static func isSocketError(_ error: any Error) -> Bool { errno(of: error) != nil }

    /// The system error number inside `error`, looking through the wrappers
    /// NIO puts around a failed connect.
    private static func errno(of error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError {
            for attempt in error.connectionErrors {
                if let code = errno(of: attempt.error) { return code }
            }
        }
        return nil
    }
}

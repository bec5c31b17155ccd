import Foundation

/// A file opened for writing with plain POSIX calls: no buffering of its
/// own (the sinks above it decide when bytes go out) and no fsync, since
/// surviving `kill -9` only needs the bytes in the kernel's page cache.
final class OutputFile {
    let path: String
    private var descriptor: Int32
    /// Bytes written so far.
    private(set) var size = 0

    /// Creates a new file, readable by its owner only (a cassette holds
    /// whole conversations, as private as the log); fails with code
    /// `EEXIST` when it already exists, so two writers never share a file.
    init(creating path: String) throws(CassetteWriteError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            let code = errno
            throw CassetteWriteError(path: path, reason: "cannot create the file: \(Self.message(code))", code: code)
        }
    }

    func write(_ bytes: ArraySlice<UInt8>) throws(CassetteWriteError) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let written = bytes[start...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw CassetteWriteError(path: path, reason: "write failed: \(Self.message(code))", code: code)
            }
            start += written
            size += written
        }
    }

    func close() throws(CassetteWriteError) {
        guard descriptor >= 0 else { return }
        let result = Foundation.close(descriptor)
        descriptor = -1
        if result != 0 {
            let code = errno
            throw CassetteWriteError(path: path, reason: "close failed: \(Self.message(code))", code: code)
        }
    }

    deinit {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
    }

    static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

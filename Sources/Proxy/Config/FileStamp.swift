#if canImport(Glibc)
import Glibc
#endif

/// What tells one version of a file from the next without reading it: an
/// editor that replaces the file changes its inode, one that rewrites it in
/// place its size or modification time (to the nanosecond).
struct FileStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// The file's stamp; nil when it cannot be looked at (missing, for one).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
    }
}

/// A callback called at most once, from one event loop: whichever of two
/// events comes first (an answer written, a time limit) calls it.
final class OnceCall {
    private var pending: (() -> Void)?

    init(_ call: @escaping () -> Void) { pending = call }

    func call() {
        let call = pending
        pending = nil
        call?()
    }
}

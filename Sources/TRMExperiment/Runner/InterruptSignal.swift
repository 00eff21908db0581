import Foundation

/// SIGINT/SIGTERM set a flag that the training loop checks after each step, so an interrupted run
/// finishes its step, writes a checkpoint and is marked interrupted instead of dying mid-write.
public enum InterruptSignal {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    /// Installs the handlers (idempotent) and unblocks both signals, which a parent process may
    /// have left blocked in the mask this process inherited.
    public static func install() {
        signal(SIGINT) { _ in InterruptSignal.requested = 1 }
        signal(SIGTERM) { _ in InterruptSignal.requested = 1 }
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }

    /// True once a signal arrived.
    public static var isRequested: Bool { requested != 0 }

    /// Clears the flag (tests).
    public static func reset() { requested = 0 }
}

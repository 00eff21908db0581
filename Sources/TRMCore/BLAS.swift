import Foundation

#if canImport(Accelerate)
    import Accelerate
#else
    import CBLAS
#endif

/// Single-precision matrix products through the platform's CBLAS (OpenBLAS on Linux,
/// Accelerate on macOS). Every FLOP-heavy operation of the engine goes through here.
///
/// All matrices are row-major. `gemm` computes `C = alpha · op(A) · op(B) + beta · C`, where
/// `op(A)` is `[m, k]`, `op(B)` is `[k, n]` and `C` is `[m, n]`; `lda`, `ldb`, `ldc` are the row
/// strides of the stored (untransposed) matrices in elements.
public enum BLAS {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// Row-major single-precision matrix product `C = alpha · op(A) · op(B) + beta · C` (see the type's
    /// overview for the shapes and strides). Dispatches to Accelerate on Apple platforms and OpenBLAS elsewhere.
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 {
                for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
            } else if beta != 1 {
                for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets the number of threads the BLAS library and the elementwise kernels may use.
    /// Inside `singleThreaded` the BLAS count takes effect when the outermost region ends.
    public static func setThreads(_ count: Int) {
        Parallel.threads = max(1, count)
        #if !canImport(Accelerate)
            singleThreadLock.lock()
            defer { singleThreadLock.unlock() }
            if singleThreadDepth > 0 {
                threadsAfterSingleThreaded = Int32(max(1, count))
            } else {
                openblas_set_num_threads(Int32(max(1, count)))
            }
        #endif
    }

    /// Runs `body` with the BLAS library on the calling thread only, then restores its thread count.
    ///
    /// For callers that spread many small products over their own workers (attention heads): a
    /// multithreaded BLAS would hand each small product to its pool, and the pool's threads would
    /// compete with the workers for the same cores. Regions may nest and overlap across threads;
    /// the count is restored when the last one ends. Accelerate manages its threads itself, so
    /// there this only runs `body`.
    public static func singleThreaded<Result>(_ body: () throws -> Result) rethrows -> Result {
        #if canImport(Accelerate)
            return try body()
        #else
            singleThreadLock.lock()
            if singleThreadDepth == 0 {
                threadsAfterSingleThreaded = openblas_get_num_threads()
                openblas_set_num_threads(1)
            }
            singleThreadDepth += 1
            singleThreadLock.unlock()
            defer {
                singleThreadLock.lock()
                singleThreadDepth -= 1
                if singleThreadDepth == 0 { openblas_set_num_threads(threadsAfterSingleThreaded) }
                singleThreadLock.unlock()
            }
            return try body()
        #endif
    }

    #if !canImport(Accelerate)
        /// Guards the two values below: `singleThreaded` regions may start and end on any thread.
        private static let singleThreadLock = NSLock()
        /// Open `singleThreaded` regions.
        nonisolated(unsafe) private static var singleThreadDepth = 0
        /// The OpenBLAS thread count to restore when the last region ends.
        nonisolated(unsafe) private static var threadsAfterSingleThreaded: Int32 = 1
    #endif

    /// A short description of the BLAS library in use, for run provenance.
    public static var libraryDescription: String {
        #if canImport(Accelerate)
            return "Accelerate"
        #else
            let library = String(cString: openblas_get_config())
            return workerSpinDescription.map { "\(library); \($0)" } ?? library
        #endif
    }
}

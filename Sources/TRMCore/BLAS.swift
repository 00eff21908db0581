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
    public static func setThreads(_ count: Int) {
        Parallel.threads = max(1, count)
        #if !canImport(Accelerate)
            openblas_set_num_threads(Int32(max(1, count)))
        #endif
    }

    /// A short description of the BLAS library in use, for run provenance.
    public static var libraryDescription: String {
        #if canImport(Accelerate)
            return "Accelerate"
        #else
            return String(cString: openblas_get_config())
        #endif
    }
}

import Foundation

/// RMS normalisation without weights: `y = x / sqrt(mean(x²) + eps)`, in float32 as the reference.
///
/// Forward saves the inverse RMS per normalised vector; backward needs only the output `y` and that
/// factor: `dx = r · (dy − y · mean(dy ⊙ y))`.
public enum RMSNorm {
    /// Normalises each of `rows` contiguous rows of `cols` values. `x` and `y` may alias.
    @inline(__always)
    public static func forwardRows(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, invRMS: UnsafeMutablePointer<Float>,
        rows: Int, cols: Int, eps: Float
    ) {
        let work = UnsafeSendable((x, y, invRMS))
        Parallel.forEachRange(rows, minimumPerThread: Parallel.vectorsPerThread(length: cols)) { range in
            let (x, y, invRMS) = work.value
            for row in range {
                let xr = x + row * cols
                let yr = y + row * cols
                var sum: Float = 0
                for j in 0..<cols { sum += xr[j] * xr[j] }
                let r = 1 / (sum / Float(cols) + eps).squareRoot()
                invRMS[row] = r
                for j in 0..<cols { yr[j] = xr[j] * r }
            }
        }
    }

    /// Backward of `forwardRows`; writes (not accumulates) `dx`. `dy` and `dx` may alias.
    @inline(__always)
    public static func backwardRows(
        _ dy: UnsafePointer<Float>, y: UnsafePointer<Float>, invRMS: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>, rows: Int, cols: Int
    ) {
        let work = UnsafeSendable((dy, y, invRMS, dx))
        Parallel.forEachRange(rows, minimumPerThread: Parallel.vectorsPerThread(length: cols)) { range in
            let (dy, y, invRMS, dx) = work.value
            for row in range {
                let dyr = dy + row * cols
                let yr = y + row * cols
                let dxr = dx + row * cols
                var dot: Float = 0
                for j in 0..<cols { dot += dyr[j] * yr[j] }
                let mean = dot / Float(cols)
                let r = invRMS[row]
                for j in 0..<cols { dxr[j] = r * (dyr[j] - yr[j] * mean) }
            }
        }
    }

    /// Normalises each column of a `[rows, cols]` matrix over its rows (the token-mixing block's
    /// norm over positions). `invRMS` receives `cols` values. `x` and `y` may alias.
    public static func forwardColumns(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, invRMS: UnsafeMutablePointer<Float>,
        rows: Int, cols: Int, eps: Float
    ) {
        let work = UnsafeSendable((x, y, invRMS))
        Parallel.forEachRange(cols, minimumPerThread: Parallel.vectorsPerThread(length: rows)) { columns in
            let (x, y, invRMS) = work.value
            for j in columns { invRMS[j] = 0 }
            for row in 0..<rows {
                let xr = x + row * cols
                for j in columns { invRMS[j] += xr[j] * xr[j] }
            }
            for j in columns { invRMS[j] = 1 / (invRMS[j] / Float(rows) + eps).squareRoot() }
            for row in 0..<rows {
                let xr = x + row * cols
                let yr = y + row * cols
                for j in columns { yr[j] = xr[j] * invRMS[j] }
            }
        }
    }

    /// Backward of `forwardColumns`; `scratch` holds `cols` floats. `dy` and `dx` may alias.
    public static func backwardColumns(
        _ dy: UnsafePointer<Float>, y: UnsafePointer<Float>, invRMS: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>, rows: Int, cols: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        let work = UnsafeSendable((dy, y, invRMS, dx, scratch))
        Parallel.forEachRange(cols, minimumPerThread: Parallel.vectorsPerThread(length: rows)) { columns in
            let (dy, y, invRMS, dx, scratch) = work.value
            for j in columns { scratch[j] = 0 }
            for row in 0..<rows {
                let dyr = dy + row * cols
                let yr = y + row * cols
                for j in columns { scratch[j] += dyr[j] * yr[j] }
            }
            let scale = 1 / Float(rows)
            for j in columns { scratch[j] *= scale }
            for row in 0..<rows {
                let dyr = dy + row * cols
                let yr = y + row * cols
                let dxr = dx + row * cols
                for j in columns { dxr[j] = invRMS[j] * (dyr[j] - yr[j] * scratch[j]) }
            }
        }
    }
}

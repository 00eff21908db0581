/// A dense float32 tensor: a shape and its values in row-major order.
///
/// Used at the edges of the engine (weights on disk, fixtures, exports). The hot loops work on
/// raw buffers owned by a workspace instead.
public struct Tensor: Equatable, Sendable {
    /// Extent of each axis, outermost first.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public var scalars: [Float]

    /// A tensor with the given shape and row-major values.
    /// - Precondition: `scalars.count` is the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) values")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape filled with zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Number of values.
    public var count: Int { scalars.count }
}

/// A dense integer tensor (ids, labels, step counters), values widened to `Int64`.
public struct IntTensor: Equatable, Sendable {
    /// Extent of each axis, outermost first.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public var scalars: [Int64]

    /// A tensor with the given shape and row-major values.
    /// - Precondition: `scalars.count` is the product of `shape`.
    public init(shape: [Int], scalars: [Int64]) {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) values")
        self.shape = shape
        self.scalars = scalars
    }

    /// Number of values (the product of `shape`).
    public var count: Int { scalars.count }
}

/// Conversions between float32 and the 16-bit float formats found in checkpoints.
public enum HalfPrecision {
    /// bfloat16 bits to float32 (exact).
    @inline(__always)
    public static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// float32 to bfloat16 bits, round to nearest even (as PyTorch's `.to(torch.bfloat16)`).
    @inline(__always)
    public static func bfloat16(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x40) }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// IEEE binary16 bits to float32 (exact, subnormals included).
    public static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    /// float32 to IEEE binary16 bits, round to nearest even, overflow to infinity.
    public static func half(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if value.isNaN { return sign | 0x7E00 }
        let magnitude = abs(value)
        if magnitude >= 65520 { return sign | 0x7C00 }
        if magnitude < 0x1p-14 {
            // Subnormal range: scale to units of 2^-24 and round to nearest even.
            let units = (magnitude * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(units)
        }
        let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
        var mantissa = (bits & 0x7F_FFFF)
        let remainder = mantissa & 0x1FFF
        mantissa >>= 13
        var result = UInt32(exponent) << 10 | mantissa
        if remainder > 0x1000 || (remainder == 0x1000 && (mantissa & 1) == 1) { result += 1 }
        return sign | UInt16(result)
    }
}

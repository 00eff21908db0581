/// A fixed-size, zero-initialised float32 buffer with a stable address.
///
/// The engine sizes every buffer once per (model config, batch size) and then works on raw
/// pointers, so the training hot loop allocates nothing.
public final class FloatBuffer: @unchecked Sendable {
    /// Start of the storage; valid for the buffer's lifetime.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of floats.
    public let count: Int

    /// Allocates `count` floats, all zero.
    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Allocates a buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    /// Sets every value to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// The values as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Copies `values` into the start of the buffer.
    public func copy(from values: [Float], offset: Int = 0) {
        precondition(offset + values.count <= count)
        values.withUnsafeBufferPointer { (pointer + offset).update(from: $0.baseAddress!, count: values.count) }
    }

    /// The value at `index` (unchecked: `index` must be in `0..<count`).
    public subscript(index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }
}

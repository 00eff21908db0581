/// How builder options store an augmentation switch: on unless the stored options say `false`,
/// and written only when off, so options that existed before a switch keep their cache keys.
extension KeyedDecodingContainer {
    func decodeSwitch(forKey key: Key) throws -> Bool { try decodeIfPresent(Bool.self, forKey: key) ?? true }
}

extension KeyedEncodingContainer {
    mutating func encodeSwitch(_ on: Bool, forKey key: Key) throws { if !on { try encode(false, forKey: key) } }
}

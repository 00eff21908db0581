import Foundation
import Testing

@testable import TRMCore

@Suite struct SafeTensorsTests {
    @Test func roundTripsEveryDType() throws {
        var writer = SafeTensorsWriter()
        writer.metadata = ["format": "pt", "note": "quote \" and backslash \\"]
        let floats = Tensor(shape: [2, 3], scalars: [0, -1.5, 3.25, 1e-3, 65504, -0.0])
        writer.add("a.f32", floats)
        writer.add("b.bf16", floats, as: .bf16)
        writer.add("c.f16", floats, as: .f16)
        writer.add("d.i32", IntTensor(shape: [3], scalars: [-100, 0, 7]))
        writer.add("e.i64", IntTensor(shape: [1, 2], scalars: [Int64.max, -5]), as: .i64)
        let data = writer.serialized()
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect((8 + Int(headerLength)) % 8 == 0)

        let file = try SafeTensors(data: data)
        #expect(file.names == ["a.f32", "b.bf16", "c.f16", "d.i32", "e.i64"])
        #expect(file.metadata["note"] == "quote \" and backslash \\")
        #expect(try file.tensor("a.f32") == floats)
        let bf16 = try file.tensor("b.bf16")
        for (x, y) in zip(bf16.scalars, floats.scalars) { #expect(abs(x - y) <= abs(y) / 128) }
        #expect(try file.tensor("c.f16").scalars == [0, -1.5, 3.25, HalfPrecision.float(fromHalf: HalfPrecision.half(from: 1e-3)), 65504, 0])
        #expect(try file.intTensor("d.i32").scalars == [-100, 0, 7])
        #expect(try file.intTensor("e.i64").scalars == [Int64.max, -5])
        #expect(try file.intTensor("e.i64").shape == [1, 2])
    }

    @Test func halfPrecisionRoundsToNearestEven() {
        // 1 + 2^-8 is exactly halfway between two bfloat16 values; ties go to the even mantissa.
        #expect(HalfPrecision.bfloat16(from: 1 + 0x1p-8) == 0x3F80)
        #expect(HalfPrecision.bfloat16(from: 1 + 3 * 0x1p-8) == 0x3F82)
        #expect(HalfPrecision.half(from: 1 + 0x1p-11) == 0x3C00)
        #expect(HalfPrecision.half(from: 1e6) == 0x7C00)
        #expect(HalfPrecision.float(fromHalf: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.half(from: 0x1p-24) == 0x0001)
    }

    private func file(header: String, payload: [UInt8]) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        data.append(contentsOf: payload)
        return data
    }

    private func refusal(_ data: Data) -> String {
        do {
            _ = try SafeTensors(data: data)
            return "accepted"
        } catch { return "\(error)" }
    }

    @Test func refusesMalformedFiles() {
        #expect(refusal(Data([1, 2, 3])).contains("shorter than the 8-byte header length"))
        var huge = Data()
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { huge.append(contentsOf: $0) }
        #expect(refusal(huge).contains("header length 1099511627776 at byte 0 exceeds"))
        #expect(refusal(file(header: "[1]", payload: [])).contains("not a JSON object"))
        #expect(
            refusal(file(header: #"{"w":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}"#, payload: [0]))
                .contains("tensor 'w': unsupported dtype Q8"))
        #expect(
            refusal(file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, payload: [0, 0, 0, 0]))
                .contains("tensor 'w': data_offsets [0, 8] fall outside the 4-byte payload"))
        #expect(
            refusal(file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0]))
                .contains("tensor 'w': 4 bytes at offset 0, but F32 [2] needs 8"))
        let overlapping = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(refusal(file(header: overlapping, payload: [UInt8](repeating: 0, count: 8))).contains("tensor 'b' (bytes 4..<8) overlaps tensor 'a'"))
    }

    @Test func reportsMissingAndMisShapedTensors() throws {
        var writer = SafeTensorsWriter()
        writer.add("w", Tensor(zeros: [2, 2]))
        let file = try SafeTensors(data: writer.serialized())
        #expect(throws: SafeTensorsError("missing tensor 'v'")) { try file.tensor("v") }
        #expect(throws: SafeTensorsError("tensor 'w' has shape [2, 2], expected [4]")) { try file.tensor("w", shape: [4]) }
        #expect(throws: SafeTensorsError("tensor 'w' is F32, expected I32 or I64")) { try file.intTensor("w") }
    }
}

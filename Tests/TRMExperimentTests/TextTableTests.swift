import Testing

@testable import TRMExperiment

@Suite struct TextTableTests {
    @Test func padsColumnsAndRightAlignsNumbers() {
        var table = TextTable(headers: ["id", "steps", "name"], rightAligned: [1])
        table.append(["abc", "5", "long name"])
        table.append(["d", "12000"])
        #expect(
            table.render() == """
                id   steps  name
                ---  -----  ---------
                abc      5  long name
                d    12000
                """)
    }

    @Test func agesAreShort() {
        #expect(Age.text(seconds: 42) == "42s")
        #expect(Age.text(seconds: 3600 * 5 + 10) == "5h")
        #expect(Age.text(seconds: 86400 * 3) == "3d")
        #expect(Age.text(seconds: -5) == "0s")
    }
}

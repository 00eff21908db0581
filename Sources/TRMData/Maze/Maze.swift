/// A square maze as the published CSV writes it: characters `#` wall, space open, `S` start,
/// `G` goal, and `o` (answers only) for path cells strictly between S and G.
public struct MazeRecord: Sendable, Equatable {
    /// Collection name (may be empty).
    public var source: String
    /// Question characters (ASCII bytes), row-major, side² of them.
    public var question: [UInt8]
    /// Answer characters: the question with `o` on the path.
    public var answer: [UInt8]
    /// Path cells including S and G (= shortest distance + 1).
    public var rating: Int

    /// Creates a record.
    public init(source: String, question: [UInt8], answer: [UInt8], rating: Int) {
        self.source = source
        self.question = question
        self.answer = answer
        self.rating = rating
    }

    /// Grid side.
    public var side: Int { Int(Double(question.count).squareRoot()) }

    /// The published character set in token order: `#`→1, space→2, `S`→3, `G`→4, `o`→5.
    public static let alphabet: [UInt8] = Array("# SGo".utf8)
    static let wall = UInt8(ascii: "#"), open = UInt8(ascii: " "), start = UInt8(ascii: "S")
    static let goal = UInt8(ascii: "G"), pathMark = UInt8(ascii: "o")

    /// Token of a maze character (1…5), or nil for other characters.
    @inline(__always) public static func token(_ ch: UInt8) -> UInt8? {
        switch ch {
        case wall: return 1
        case open: return 2
        case start: return 3
        case goal: return 4
        case pathMark: return 5
        default: return nil
        }
    }

    /// Builds the answer for `question` (characters) with the BFS tie-break path; nil if S or G is
    /// missing/duplicated or G is unreachable. Also returns the path cells including S and G.
    public static func solve(_ question: [UInt8], side: Int) -> (answer: [UInt8], pathCells: Int)? {
        var s = -1, g = -1
        var open = [Bool](repeating: false, count: question.count)
        for (i, ch) in question.enumerated() {
            if ch == start { if s >= 0 { return nil }; s = i }
            if ch == goal { if g >= 0 { return nil }; g = i }
            open[i] = ch != wall
        }
        guard s >= 0, g >= 0, let path = MazeBFS.path(open: open, side: side, from: s, to: g) else { return nil }
        var answer = question
        for cell in path.dropFirst().dropLast() { answer[cell] = pathMark }
        return (answer, path.count)
    }

    /// Verifies a question/answer pair: characters, one S and one G, answer equals the question apart
    /// from `o` marks, and the marks form a shortest S–G path. With `requireTieBreak` the path must be
    /// exactly the BFS tie-break path. Returns the path cells including S and G.
    public static func verify(question: [UInt8], answer: [UInt8], side: Int, requireTieBreak: Bool) throws(DatasetProblem) -> Int {
        let n = side * side
        guard question.count == n else { throw .wrongLength(field: "question", expected: n, found: question.count) }
        guard answer.count == n else { throw .wrongLength(field: "answer", expected: n, found: answer.count) }
        var s = -1, g = -1, starts = 0, goals = 0
        var open = [Bool](repeating: false, count: n)
        for i in 0..<n {
            let ch = question[i]
            guard ch == wall || ch == Self.open || ch == start || ch == goal else {
                throw .badCharacter(field: "question", character: String(UnicodeScalar(ch)), position: i)
            }
            if ch == start { s = i; starts += 1 }
            if ch == goal { g = i; goals += 1 }
            open[i] = ch != wall
        }
        guard starts == 1 && goals == 1 else { throw .startGoalCount(starts: starts, goals: goals) }
        var marks: [Int] = []
        for i in 0..<n {
            let a = answer[i]
            guard token(a) != nil else { throw .badCharacter(field: "answer", character: String(UnicodeScalar(a)), position: i) }
            if a == pathMark {
                guard question[i] == Self.open else { throw .answerDiffersFromQuestion(cell: i) }
                marks.append(i)
            } else if a != question[i] {
                throw .answerDiffersFromQuestion(cell: i)
            }
        }
        let fromS = MazeBFS.search(open: open, side: side, from: s)
        let d = Int(fromS.distance[g])
        guard d >= 0 else { throw .goalUnreachable }
        guard marks.count == d - 1 else { throw .pathNotShortest("\(marks.count) marked cells, a shortest path has \(d - 1) between S and G") }
        // Each level 1…d−1 must hold one mark, consecutive levels adjacent, ends touching S and G.
        var byLevel = [Int](repeating: -1, count: d + 1)
        byLevel[0] = s
        byLevel[d] = g
        for m in marks {
            let level = Int(fromS.distance[m])
            guard level > 0 && level < d && byLevel[level] < 0 else { throw .pathNotShortest("cell \(m) is not on a shortest path") }
            byLevel[level] = m
        }
        for level in 0..<d {
            let a = byLevel[level], b = byLevel[level + 1]
            let adjacent = (abs(a - b) == side) || (abs(a - b) == 1 && a / side == b / side)
            guard adjacent else { throw .pathNotShortest("cells \(a) and \(b) are not neighbours") }
        }
        if requireTieBreak {
            var cell = g
            var level = d
            while cell != s {
                guard byLevel[level] == cell else { throw .pathNotTieBreak }
                cell = Int(fromS.parent[cell]); level -= 1
            }
        }
        return d + 1
    }
}

/// What a wrong maze answer is, judged from its question alone: whether the model found a
/// shortest path other than the label's (a tie-break miss), a path that is too long, no path at
/// all, or changed the maze itself. Tells a model that cannot pick the labelled path among equal
/// ones from a model that cannot solve the maze.
public enum MazeAnswerKind: String, CaseIterable, Sendable {
    /// A shortest S–G path, not the labelled one.
    case otherShortestPath = "other_shortest_path"
    /// A simple S–G path through open cells, longer than the shortest.
    case longerPath = "longer_path"
    /// The marks do not form one simple S–G path (gaps, branches, loops or stray marks).
    case notAPath = "not_a_path"
    /// A wall, S, G or open cell was rewritten as something other than a path mark.
    case mazeChanged = "maze_changed"

    /// How reports name the kind.
    public var label: String {
        switch self {
        case .otherShortestPath: return "another shortest path"
        case .longerPath: return "a longer path"
        case .notAPath: return "no single S–G path"
        case .mazeChanged: return "walls, S or G changed"
        }
    }

    /// Classifies `answer` (tokens, `MazeRecord.token` order) for the maze `question` (tokens).
    /// Call it for answers already known to differ from the label; a correct answer comes out as
    /// `otherShortestPath`. Nil when the question is not a maze with one S and one reachable G.
    public static func classify(question: [Int32], answer: [Int32]) -> MazeAnswerKind? {
        guard let (side, s, g) = endpoints(question), answer.count == question.count else { return nil }
        let distance = Int(MazeBFS.search(open: question.map { $0 != wallToken }, side: side, from: s).distance[g])
        guard distance >= 0 else { return nil }
        switch readPath(question: question, answer: answer, side: side, start: s, goal: g) {
        case .changed: return .mazeChanged
        case .notAPath: return .notAPath
        case .path(let cells): return cells - 1 == distance ? .otherShortestPath : .longerPath
        }
    }

    /// The cells (S and G included) of the single simple S–G path that `answer` marks, or nil when
    /// the answer changes the maze or its marks are anything else. Checks the answer without
    /// searching the maze, so it says nothing about whether the path is a shortest one.
    public static func markedPathCells(question: [Int32], answer: [Int32]) -> Int? {
        guard let (side, s, g) = endpoints(question), answer.count == question.count,
            case .path(let cells) = readPath(question: question, answer: answer, side: side, start: s, goal: g)
        else { return nil }
        return cells
    }

    /// Side, S and G of a square maze question with one S and one G.
    private static func endpoints(_ question: [Int32]) -> (side: Int, start: Int, goal: Int)? {
        let side = Int(Double(question.count).squareRoot())
        guard side * side == question.count, let s = question.firstIndex(of: startToken), let g = question.firstIndex(of: goalToken)
        else { return nil }
        return (side, s, g)
    }

    private enum Marks { case changed, notAPath, path(cells: Int) }

    private static func readPath(question: [Int32], answer: [Int32], side: Int, start s: Int, goal g: Int) -> Marks {
        var onPath = [Bool](repeating: false, count: question.count)
        for i in question.indices {
            if answer[i] == pathToken && question[i] == openToken {
                onPath[i] = true
            } else if answer[i] != question[i] {
                return .changed
            }
        }
        onPath[s] = true
        onPath[g] = true
        func pathNeighbours(_ cell: Int) -> [Int] {
            let r = cell / side, c = cell % side
            var out: [Int] = []
            if r + 1 < side, onPath[cell + side] { out.append(cell + side) }
            if c > 0, onPath[cell - 1] { out.append(cell - 1) }
            if c + 1 < side, onPath[cell + 1] { out.append(cell + 1) }
            if r > 0, onPath[cell - side] { out.append(cell - side) }
            return out
        }
        // One simple path: walk from S, never stepping back, through cells with exactly two
        // marked neighbours, and arrive at G having visited every marked cell.
        guard pathNeighbours(s).count == 1, pathNeighbours(g).count == 1 else { return .notAPath }
        var previous = -1, cell = s, visited = 1
        while cell != g {
            let next = pathNeighbours(cell).filter { $0 != previous }
            guard next.count == 1, cell == s || pathNeighbours(cell).count == 2 else { return .notAPath }
            previous = cell
            cell = next[0]
            visited += 1
        }
        return visited == onPath.lazy.filter { $0 }.count ? .path(cells: visited) : .notAPath
    }

    private static let wallToken = Int32(MazeRecord.token(MazeRecord.wall)!)
    private static let openToken = Int32(MazeRecord.token(MazeRecord.open)!)
    private static let startToken = Int32(MazeRecord.token(MazeRecord.start)!)
    private static let goalToken = Int32(MazeRecord.token(MazeRecord.goal)!)
    private static let pathToken = Int32(MazeRecord.token(MazeRecord.pathMark)!)
}

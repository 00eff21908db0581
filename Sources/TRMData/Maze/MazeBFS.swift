/// Breadth-first search on a square maze with the reference's tie-break: neighbours expanded in the
/// order down, left, right, up; a cell is marked visited when enqueued and keeps its first parent.
public enum MazeBFS {
    /// Distances (in moves) from `start` to every open cell of an `side`×`side` grid, −1 where
    /// unreachable, plus each cell's BFS parent (−1 for the start and unreached cells).
    /// `open[i]` says whether cell i can be entered.
    public static func search(open: [Bool], side: Int, from start: Int) -> (distance: [Int32], parent: [Int32]) {
        let n = side * side
        var distance = [Int32](repeating: -1, count: n)
        var parent = [Int32](repeating: -1, count: n)
        var queue = [Int32](repeating: 0, count: n)
        _ = open.withUnsafeBufferPointer { o in
            distance.withUnsafeMutableBufferPointer { dist in
                parent.withUnsafeMutableBufferPointer { par in
                    queue.withUnsafeMutableBufferPointer { q in
                        run(open: o, side: side, start: start, distance: dist, parent: par, queue: q)
                    }
                }
            }
        }
        return (distance, parent)
    }

    /// The BFS kernel over caller-owned buffers (`distance` must be −1 everywhere on entry);
    /// returns the number of cells reached.
    @discardableResult
    static func run(
        open: UnsafeBufferPointer<Bool>, side: Int, start: Int, distance: UnsafeMutableBufferPointer<Int32>,
        parent: UnsafeMutableBufferPointer<Int32>?, queue: UnsafeMutableBufferPointer<Int32>
    ) -> Int {
        var head = 0, tail = 0
        distance[start] = 0
        queue[tail] = Int32(start); tail += 1
        while head < tail {
            let cell = Int(queue[head]); head += 1
            let r = cell / side, c = cell - r * side
            let d = distance[cell] + 1
            // down, left, right, up
            var next = cell + side
            if r + 1 < side && open[next] && distance[next] < 0 {
                distance[next] = d; parent?[next] = Int32(cell); queue[tail] = Int32(next); tail += 1
            }
            next = cell - 1
            if c > 0 && open[next] && distance[next] < 0 {
                distance[next] = d; parent?[next] = Int32(cell); queue[tail] = Int32(next); tail += 1
            }
            next = cell + 1
            if c + 1 < side && open[next] && distance[next] < 0 {
                distance[next] = d; parent?[next] = Int32(cell); queue[tail] = Int32(next); tail += 1
            }
            next = cell - side
            if r > 0 && open[next] && distance[next] < 0 {
                distance[next] = d; parent?[next] = Int32(cell); queue[tail] = Int32(next); tail += 1
            }
        }
        return tail
    }

    /// The tie-break shortest path from `start` to `goal` (both included), or nil if unreachable.
    public static func path(open: [Bool], side: Int, from start: Int, to goal: Int) -> [Int]? {
        let (distance, parent) = search(open: open, side: side, from: start)
        guard distance[goal] >= 0 else { return nil }
        var path = [goal]
        var cell = goal
        while cell != start {
            cell = Int(parent[cell])
            path.append(cell)
        }
        return path.reversed()
    }
}

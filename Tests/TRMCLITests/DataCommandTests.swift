import Foundation
import Testing

/// `trm-exp data generate|build|show|export|import` end to end on the shared samples.
@Suite struct DataCommandTests {
    /// The shared real-data samples: `TRM_DATASETS_DIR`, else `../shared/datasets` beside the repository.
    static let samples: URL = {
        if let path = ProcessInfo.processInfo.environment["TRM_DATASETS_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return CLI.repository.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }()
    static let sudokuSample = samples.appendingPathComponent("sudoku-extreme-sample.csv").path
    static let mazeSample = samples.appendingPathComponent("maze-hard-sample.csv").path

    /// Runs `trm-exp arguments`, requiring success.
    @discardableResult
    private func succeed(_ arguments: [String]) throws -> CLI.Result {
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "trm-exp \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// Every file below `folder` (relative path → bytes).
    private func files(_ folder: URL) throws -> [String: Data] {
        let paths = try #require(FileManager.default.subpathsOfDirectory(atPath: folder.path) as [String]?)
        var out: [String: Data] = [:]
        for path in paths {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = try Data(contentsOf: url)
            }
        }
        return out
    }

    private func lines(_ text: String, matching pattern: String) -> Int {
        text.split(separator: "\n").filter { $0.range(of: pattern, options: .regularExpression) != nil }.count
    }

    @Test func generateIsDeterministicForASeed() throws {
        let folder = try CLI.temporaryDirectory()
        for (kind, size, cells) in [("sudoku", ["--size", "4", "--min-blanks", "6"], 16), ("maze", ["--side", "8"], 64)] {
            func generate(_ seed: Int, _ name: String) throws -> String {
                let path = folder.appendingPathComponent(name).path
                try succeed(["data", "generate", "--kind", kind, "--count", "12", "--seed", "\(seed)", "--out", path] + size)
                return try String(contentsOfFile: path, encoding: .utf8)
            }
            let first = try generate(5, "\(kind)-a.csv")
            #expect(try generate(5, "\(kind)-b.csv") == first)
            #expect(try generate(6, "\(kind)-c.csv") != first)
            let rows = first.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(rows.first == "source,question,answer,rating")
            #expect(rows.count == 13)
            // source,question,answer,rating with grids of side² characters (maze fields keep their spaces).
            for row in rows.dropFirst() {
                let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                #expect(fields.count == 4 && fields[1].count == cells && fields[2].count == cells && Int(fields[3]) != nil, "\(row)")
            }
        }
    }

    @Test func buildFromFlagsThenShowExportAndImport() throws {
        let folder = try CLI.temporaryDirectory()
        let built = folder.appendingPathComponent("sudoku")
        let build = try succeed([
            "data", "build", "--kind", "sudoku", "--source", "csv", "--train-csv", Self.sudokuSample, "--test-csv", Self.sudokuSample,
            "--num-aug", "1", "--seed", "3", "--out", built.path,
        ])
        #expect(build.stdout.contains("sudoku-extreme-sample.csv: read 32, accepted 32, skipped 0"))
        #expect(build.stdout.contains("train 64 examples / 32 groups, test 32 examples / 32 groups"))

        let show = try succeed(["data", "show", built.path, "--examples", "2"])
        #expect(show.stdout.contains("train: 64 examples, 64 puzzles, 32 groups; seq_len 81, vocab 11"))
        #expect(show.stdout.contains("test: 32 examples, 32 puzzles, 32 groups"))
        #expect(show.stdout.contains("train rating histogram (min "))
        #expect(lines(show.stdout, matching: "^ +[0-9]+–[0-9]+ +[0-9]+ #+$") >= 1)
        #expect(show.stdout.contains("example 0 (") && show.stdout.contains("example 1 ("))
        // Two puzzles drawn as 9 rows of question and answer side by side.
        #expect(lines(show.stdout, matching: "^[.1-9]{9}   [1-9]{9}$") == 18)

        // Export, then import the export: both are byte-identical to the build.
        let exported = folder.appendingPathComponent("exported")
        let imported = folder.appendingPathComponent("imported")
        #expect(try succeed(["data", "export", built.path, "--format", "trm-numpy", "--out", exported.path]).stdout.contains("exported 64 train"))
        #expect(try succeed(["data", "import", exported.path, "--format", "trm-numpy", "--out", imported.path]).stdout.contains("imported 64 train"))
        let original = try files(built)
        #expect(original.keys.contains("train/all__inputs.npy") && original.keys.contains("identifiers.json"))
        #expect(try files(exported) == original)
        #expect(try files(imported) == original)
        let wrongFormat = try CLI.run(["data", "export", built.path, "--format", "parquet", "--out", exported.path])
        #expect(wrongFormat.status != 0 && wrongFormat.stderr.contains("--format must be trm-numpy"))

        // A cached build stores compressed arrays; exporting the entry gives the same files again.
        let cache = folder.appendingPathComponent("cache")
        let cached = try succeed([
            "data", "build", "--kind", "sudoku", "--source", "csv", "--train-csv", Self.sudokuSample, "--test-csv", Self.sudokuSample,
            "--num-aug", "1", "--seed", "3", "--cache", cache.path, "--out", folder.appendingPathComponent("again").path,
        ])
        let entry = try #require(try FileManager.default.contentsOfDirectory(atPath: cache.path).first)
        #expect(cached.stdout.contains("stored in cache \(cache.appendingPathComponent(entry).path)"))
        #expect(try files(cache.appendingPathComponent(entry)).keys.contains("train/all__inputs.npy.gz"))
        let fromEntry = folder.appendingPathComponent("from-entry")
        try succeed(["data", "export", cache.appendingPathComponent(entry).path, "--out", fromEntry.path])
        #expect(try files(fromEntry) == original)
    }

    @Test func mazesShowPathHistogramsAndGrids() throws {
        let folder = try CLI.temporaryDirectory()
        let built = folder.appendingPathComponent("maze")
        try succeed([
            "data", "build", "--kind", "maze", "--source", "csv", "--train-csv", Self.mazeSample, "--test-csv", Self.mazeSample,
            "--out", built.path,
        ])
        let show = try succeed(["data", "show", built.path, "--examples", "1"])
        #expect(show.stdout.contains("train: 24 examples") && show.stdout.contains("vocab 6"))
        #expect(show.stdout.contains("train path cells histogram"))
        #expect(lines(show.stdout, matching: "^[# SG]{30}   [# SGo]{30}$") == 30)
    }

    @Test func buildFromAConfigMakesTheEntryRunReads() throws {
        let folder = try CLI.temporaryDirectory()
        let cache = folder.appendingPathComponent("cache")
        let sets = ["--set", "dataset.cache_dir=\(cache.path)", "--set", "dataset.train_count=32", "--set", "dataset.test_count=8"]
        let first = try succeed(["data", "build", "--config", "experiments/smoke.json"] + sets)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(entries.count == 1)
        let entry = cache.appendingPathComponent(try #require(entries.first))
        #expect(first.stdout.contains("cache entry \(entry.path) (built)"))
        #expect(first.stdout.contains("train 32 examples / 32 groups, test 8 examples / 8 groups"))
        #expect(FileManager.default.fileExists(atPath: entry.appendingPathComponent("train/all__inputs.npy.gz").path))

        // `run` with the same config and overrides reads that entry instead of building another.
        let run = try succeed(
            ["run", "experiments/smoke.json", "--store", folder.appendingPathComponent("trm.sqlite").path, "--quiet", "--max-steps", "1"] + sets)
        #expect(run.stdout.contains("finished after 1 steps"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == entries)
        let again = try succeed(["data", "build", "--config", "experiments/smoke.json", "--out", folder.appendingPathComponent("copy").path] + sets)
        #expect(again.stdout.contains("cache entry \(entry.path) (read from the cache)"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("copy/train/all__inputs.npy").path))

        // Another seed is another dataset; flags that the config decides are refused.
        try succeed(["data", "build", "--config", "experiments/smoke.json", "--set", "seed=1"] + sets)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 2)
        let mixed = try CLI.run(["data", "build", "--config", "experiments/smoke.json", "--kind", "sudoku"])
        #expect(mixed.status != 0 && mixed.stderr.contains("leave out --kind, --source and --cache"))
        let badSet = try CLI.run(["data", "build", "--config", "experiments/smoke.json", "--set", "dataset.train_count=zero"])
        #expect(badSet.status != 0 && badSet.stderr.contains("dataset.train_count"))
    }

    /// Every flag-mode option is refused with --config (the config would silently win), naming
    /// the option and pointing to `--set`; nothing is built.
    @Test func buildFromAConfigRefusesFlagModeOptions() throws {
        let cache = try CLI.temporaryDirectory().appendingPathComponent("cache")
        let config = ["data", "build", "--config", "experiments/smoke.json", "--set", "dataset.cache_dir=\(cache.path)"]
        let options: [[String]] = [
            ["--seed", "3"], ["--seed", "0"], ["--train-csv", "a.csv"], ["--test-csv", "b.csv"], ["--subsample", "10"],
            ["--min-difficulty", "1"], ["--num-aug", "8"], ["--aug"], ["--relabel"], ["--arc-dir", "x"], ["--arc-prefix", "p"],
            ["--subsets", "training"], ["--test-set", "evaluation"], ["--arc-folder", "x"], ["--train-count", "5"],
            ["--test-count", "5"], ["--size", "4"], ["--min-blanks", "1"], ["--max-blanks", "2"], ["--min-rating", "1"],
            ["--search-steps", "3"], ["--side", "9"], ["--min-wall-density", "0.3"], ["--max-wall-density", "0.4"],
            ["--min-path", "5"], ["--max-path", "9"],
        ]
        for option in options {
            let refused = try CLI.run(config + option)
            #expect(refused.status != 0, "\(option) was accepted with --config")
            #expect(refused.stderr.contains("\(option[0]) builds from flags") && refused.stderr.contains("--set path=value"), "\(refused.stderr)")
        }
        let two = try CLI.run(config + ["--seed", "1", "--train-count", "4"])
        #expect(two.stderr.contains("--seed, --train-count build from flags"))
        #expect(!FileManager.default.fileExists(atPath: cache.path))
    }

    /// A Sudoku CSV whose lines 3 and 5 are invalid (a short question, an answer with one digit changed).
    private func csvWithBadRows(in folder: URL) throws -> URL {
        let sample = try String(contentsOfFile: Self.sudokuSample, encoding: .utf8).split(separator: "\n").map(String.init)
        let good = Array(sample[1...2])
        var fields = good[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let short = [fields[0], String(fields[1].dropLast()), fields[2], fields[3]].joined(separator: ",")
        let given = try #require(fields[1].firstIndex { $0 != "." })
        let offset = fields[1].distance(from: fields[1].startIndex, to: given)
        var answer = Array(fields[2])
        answer[offset] = answer[offset] == "1" ? "2" : "1"
        fields[2] = String(answer)
        let contradicting = fields.joined(separator: ",")
        let url = folder.appendingPathComponent("bad.csv")
        try ([sample[0], good[0], short, good[1], contradicting].joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func badRowsStopTheBuildOrAreSkippedAndReported() throws {
        let folder = try CLI.temporaryDirectory()
        let bad = try csvWithBadRows(in: folder)
        let flags = ["data", "build", "--kind", "sudoku", "--source", "csv", "--train-csv", bad.path, "--test-csv", Self.sudokuSample]

        let stopped = try CLI.run(flags + ["--out", folder.appendingPathComponent("never").path])
        #expect(stopped.status != 0)
        #expect(stopped.stderr.contains("bad.csv: line 3: question has 80 characters, expected 81"), "\(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("never").path))

        // Skipped rows are counted and the first errors named, also when the cache is hit.
        let cache = folder.appendingPathComponent("cache").path
        for expected in ["stored in cache", "read from cache"] {
            let skipped = try succeed(flags + ["--skip-invalid", "--cache", cache, "--out", folder.appendingPathComponent("ok").path])
            #expect(skipped.stdout.contains("bad.csv: read 4, accepted 2, skipped 2"), "\(skipped.stdout)")
            #expect(skipped.stdout.contains("skipped: bad.csv: line 3: question has 80 characters, expected 81"))
            #expect(skipped.stdout.contains("skipped: bad.csv: line 5: answer is not a valid solution"))
            #expect(skipped.stdout.contains(expected))
            #expect(skipped.stdout.contains("train 2 examples"))
        }
    }
}
